//! One-line fixes for a tool that is missing, too old or broken, for the OS at hand and the
//! version manager that installed it.

use super::Status;
use super::Tool;
use super::manager::Manager;
use crate::date::Day;
use crate::lifecycle::{self, Runtime};

/// The package-manager family the hints are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Debian, Ubuntu and their derivatives: apt.
    Debian,
    /// Fedora, RHEL, CentOS: dnf.
    Fedora,
    /// Arch and derivatives: pacman.
    Arch,
    /// macOS: Homebrew.
    Mac,
    /// Windows: winget.
    Windows,
    /// Anything else: point at the upstream download.
    Other,
}

impl Os {
    /// The OS stackgen runs on; on Linux, the distribution family from `/etc/os-release`.
    pub fn detect() -> Os {
        if cfg!(target_os = "macos") {
            Os::Mac
        } else if cfg!(windows) {
            Os::Windows
        } else {
            std::fs::read_to_string("/etc/os-release")
                .map_or(Os::Other, |text| Os::from_os_release(&text))
        }
    }

    fn from_os_release(text: &str) -> Os {
        let ids: Vec<&str> = text
            .lines()
            .filter_map(|line| {
                line.strip_prefix("ID=")
                    .or_else(|| line.strip_prefix("ID_LIKE="))
            })
            .flat_map(|value| value.trim_matches(['"', '\'']).split_whitespace())
            .collect();
        let any = |names: &[&str]| ids.iter().any(|id| names.contains(id));
        if any(&["debian", "ubuntu"]) {
            Os::Debian
        } else if any(&["fedora", "rhel", "centos"]) {
            Os::Fedora
        } else if any(&["arch"]) {
            Os::Arch
        } else {
            Os::Other
        }
    }
}

/// What a hint is about.
pub struct Subject<'a> {
    pub tool: Tool,
    pub status: Status,
    /// The command the user would type (`python3`, `python`, `py -3`).
    pub program: &'a str,
    /// The manager that owns the tool's path, if any.
    pub manager: Option<Manager>,
    /// The Python version the tool belongs to, for version-specific packages (`python3.11-venv`).
    pub python: Option<&'a str>,
    /// The probe gave up waiting for it.
    pub timed_out: bool,
}

/// The fix for `subject` on `os`, or `None` when there is nothing to fix.
pub fn hint(subject: &Subject<'_>, os: Os) -> Option<String> {
    let fix = install(subject, os);
    match subject.status {
        Status::Ok => None,
        Status::Missing => Some(fix),
        Status::TooOld if subject.tool == Tool::Pip => Some(format!(
            "`{} -m pip install --upgrade pip`, inside a virtual environment if the system \
             Python is externally managed",
            subject.program
        )),
        Status::TooOld => Some(format!("upgrade: {fix}")),
        Status::Eol => Some(format!("install a maintained line: {fix}")),
        Status::Broken if subject.timed_out => Some(format!(
            "the check did not happen: `{program} --version` may be waiting on a prompt, a \
             network mount or a broken version-manager shim; run it by hand to see what it \
             waits for, or reinstall: {fix}",
            program = subject.program
        )),
        Status::Broken => Some(format!(
            "run `{}` by hand to see the error, or reinstall: {fix}",
            subject.program
        )),
    }
}

fn install(subject: &Subject<'_>, os: Os) -> String {
    let today = Day::today();
    let node = lifecycle::recommended(Runtime::Node, today);
    let python = lifecycle::recommended(Runtime::Python, today);
    // Distributions' own packages lag: Debian 12 ships Node.js 18 (past its end of life), so
    // the hints name sources that have a maintained line, with the line named.
    let text = match (subject.tool, subject.manager, os) {
        (Tool::Node, Some(Manager::Nvm), _) => "`nvm install --lts && nvm alias default 'lts/*'`",
        (Tool::Node, Some(Manager::Volta), _) => "`volta install node@lts`",
        (Tool::Node, Some(Manager::Fnm), _) => "`fnm install --lts && fnm default lts-latest`",
        (Tool::Node, _, Os::Debian) => {
            return format!(
                "`nvm install --lts` (https://github.com/nvm-sh/nvm), or Node.js {node} from \
                 NodeSource's repository (https://github.com/nodesource/distributions); \
                 Debian's own `nodejs` package is older"
            );
        }
        (Tool::Node, _, Os::Fedora) => {
            return format!("`sudo dnf install nodejs{node}`, or `nvm install --lts`");
        }
        // Arch's `nodejs` is the current release, which is maintained.
        (Tool::Node, _, Os::Arch) => "`sudo pacman -S nodejs npm`, or `nvm install --lts`",
        (Tool::Node, _, Os::Mac) => return format!("`brew install node@{node}`"),
        (Tool::Node | Tool::Npm, _, Os::Windows) => "`winget install OpenJS.NodeJS.LTS`",
        (Tool::Node, _, Os::Other) => {
            return format!(
                "install Node.js {node} (LTS) from https://nodejs.org, or `nvm install --lts`"
            );
        }
        (Tool::Npm, Some(Manager::Nvm), _) => "`nvm install-latest-npm`",
        (Tool::Npm, _, Os::Debian) => "`sudo apt install npm`",
        (Tool::Npm, _, Os::Fedora) => "`sudo dnf install npm`",
        (Tool::Npm, _, Os::Arch) => "`sudo pacman -S npm`",
        (Tool::Npm, _, Os::Mac) => "`brew install node` (npm comes with it)",
        (Tool::Npm, _, Os::Other) => {
            "reinstall Node.js from https://nodejs.org (npm comes with it)"
        }
        (Tool::Python, Some(Manager::Pyenv), _) => {
            return format!("`pyenv install {python} && pyenv global {python}`");
        }
        (Tool::Python, _, Os::Debian) => {
            return format!(
                "`uv python install {python}` (https://docs.astral.sh/uv/) or `pyenv install \
                 {python}`; Debian's own `python3` is as old as the Debian release"
            );
        }
        (Tool::Python, _, Os::Fedora) => {
            return format!("`sudo dnf install python{python}`, or `uv python install {python}`");
        }
        (Tool::Python, _, Os::Arch) => "`sudo pacman -S python python-pip`",
        (Tool::Python, _, Os::Mac) => return format!("`brew install python@{python}`"),
        (Tool::Python, _, Os::Windows) => {
            return format!("`winget install Python.Python.{python}`");
        }
        (Tool::Python, _, Os::Other) => {
            return format!(
                "install Python {python} from https://www.python.org, or `uv python install \
                 {python}`"
            );
        }
        (Tool::Pip, _, Os::Debian) => "`sudo apt install python3-pip`",
        (Tool::Pip, _, Os::Fedora) => "`sudo dnf install python3-pip`",
        (Tool::Pip, _, Os::Arch) => "`sudo pacman -S python-pip`",
        (Tool::Pip, _, _) => return format!("`{} -m ensurepip --upgrade`", subject.program),
        (Tool::Venv, _, Os::Debian) => {
            return match subject.python.and_then(major_minor) {
                Some(release) => format!("`sudo apt install python{release}-venv`"),
                None => "`sudo apt install python3-venv`".into(),
            };
        }
        (Tool::Venv, Some(Manager::Pyenv), _) => {
            return format!(
                "rebuild it with `ensurepip`: `pyenv install --force {}`",
                subject.python.unwrap_or("<version>")
            );
        }
        (Tool::Venv, _, _) => {
            let python = Subject {
                tool: Tool::Python,
                ..*subject
            };
            return format!(
                "reinstall Python with its `venv` and `ensurepip` modules: {}",
                install(&python, os)
            );
        }
        (Tool::Git, _, Os::Debian) => "`sudo apt install git`",
        (Tool::Git, _, Os::Fedora) => "`sudo dnf install git`",
        (Tool::Git, _, Os::Arch) => "`sudo pacman -S git`",
        (Tool::Git, _, Os::Mac) => "`brew install git`",
        (Tool::Git, _, Os::Windows) => "`winget install Git.Git`",
        (Tool::Git, _, Os::Other) => "install git from https://git-scm.com",
    };
    text.to_owned()
}

/// `3.11` from `3.11.7`.
fn major_minor(version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let major = parts
        .next()
        .filter(|part| part.chars().all(|c| c.is_ascii_digit()))?;
    let minor: String = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!major.is_empty() && !minor.is_empty()).then(|| format!("{major}.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(tool: Tool, status: Status) -> Subject<'static> {
        Subject {
            tool,
            status,
            program: "python3",
            manager: None,
            python: Some("3.11.7"),
            timed_out: false,
        }
    }

    /// Every version-looking word of `text` (`24`, `3.13`), without the URLs.
    fn versions(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map(|word| word.trim_matches('.'))
            .filter(|word| !word.is_empty() && word.starts_with(|c: char| c.is_ascii_digit()))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn hints_name_only_maintained_lines() {
        let today = Day::today();
        let managers = [
            None,
            Some(Manager::Nvm),
            Some(Manager::Fnm),
            Some(Manager::Volta),
            Some(Manager::Pyenv),
        ];
        let systems = [
            Os::Debian,
            Os::Fedora,
            Os::Arch,
            Os::Mac,
            Os::Windows,
            Os::Other,
        ];
        for (tool, runtime) in [(Tool::Node, Runtime::Node), (Tool::Python, Runtime::Python)] {
            let maintained = lifecycle::maintained(runtime, today);
            let recommended = lifecycle::recommended(runtime, today);
            assert!(maintained.contains(&recommended), "{recommended}");
            for status in [Status::Missing, Status::TooOld, Status::Eol] {
                for manager in managers {
                    for os in systems {
                        let subject = Subject {
                            manager,
                            ..subject(tool, status)
                        };
                        let hint = hint(&subject, os).unwrap();
                        for version in versions(&hint) {
                            let known = lifecycle::lines(runtime)
                                .iter()
                                .any(|line| line.line == version);
                            assert!(
                                !known || maintained.contains(&version.as_str()),
                                "{tool:?} on {os:?} ({manager:?}): the hint names {version}, \
                                 not a maintained line: {hint}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn os_release_families() {
        assert_eq!(Os::from_os_release("ID=debian\n"), Os::Debian);
        assert_eq!(
            Os::from_os_release("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n"),
            Os::Debian
        );
        assert_eq!(
            Os::from_os_release("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\""),
            Os::Fedora
        );
        assert_eq!(Os::from_os_release("ID=arch"), Os::Arch);
        assert_eq!(Os::from_os_release("ID=alpine"), Os::Other);
    }

    #[test]
    fn nothing_to_say_when_ok() {
        assert_eq!(hint(&subject(Tool::Node, Status::Ok), Os::Debian), None);
    }

    #[test]
    fn hints_follow_the_os_and_the_manager() {
        let node = subject(Tool::Node, Status::Missing);
        assert!(hint(&node, Os::Mac).unwrap().contains("brew install node"));
        assert!(hint(&node, Os::Windows).unwrap().contains("winget"));
        // Debian's own package is past its end of life: a source with a maintained line.
        let debian = hint(&node, Os::Debian).unwrap();
        assert!(
            debian.contains("nvm install --lts") && debian.contains("NodeSource"),
            "{debian}"
        );
        assert!(!debian.contains("apt install nodejs"), "{debian}");
        let nvm = Subject {
            manager: Some(Manager::Nvm),
            status: Status::TooOld,
            ..node
        };
        let text = hint(&nvm, Os::Debian).unwrap();
        assert!(text.starts_with("upgrade: `nvm install --lts"), "{text}");
        let pyenv = Subject {
            manager: Some(Manager::Pyenv),
            status: Status::Broken,
            ..subject(Tool::Python, Status::Broken)
        };
        let text = hint(&pyenv, Os::Debian).unwrap();
        assert!(
            text.contains("run `python3` by hand") && text.contains("pyenv install"),
            "{text}"
        );
    }

    #[test]
    fn debian_venv_hint_names_the_versioned_package() {
        let venv = subject(Tool::Venv, Status::Missing);
        assert_eq!(
            hint(&venv, Os::Debian).unwrap(),
            "`sudo apt install python3.11-venv`"
        );
        assert!(
            hint(&venv, Os::Mac)
                .unwrap()
                .contains("brew install python")
        );
        assert_eq!(major_minor("3.13.0rc1").as_deref(), Some("3.13"));
        assert_eq!(major_minor("x"), None);
    }

    #[test]
    fn pip_hints_use_the_interpreter_found() {
        let pip = subject(Tool::Pip, Status::Missing);
        assert_eq!(
            hint(&pip, Os::Mac).unwrap(),
            "`python3 -m ensurepip --upgrade`"
        );
        let old = subject(Tool::Pip, Status::TooOld);
        assert!(
            hint(&old, Os::Debian)
                .unwrap()
                .starts_with("`python3 -m pip install --upgrade pip`")
        );
    }
}
