//! Version managers (pyenv, nvm, asdf, …): recognising their paths and their shims, and
//! following a pyenv shim to its interpreter.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// A version manager that put a program on PATH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    Pyenv,
    Nvm,
    Asdf,
    Volta,
    Nodenv,
    Fnm,
    Mise,
}

impl Manager {
    /// The manager whose directory holds `path`, judged by the directory names each uses.
    pub fn of(path: &Path) -> Option<Manager> {
        path.components().find_map(|component| {
            let Component::Normal(name) = component else {
                return None;
            };
            match name.to_str()? {
                ".pyenv" | "pyenv-win" => Some(Manager::Pyenv),
                ".nvm" | "nvm" => Some(Manager::Nvm),
                ".asdf" => Some(Manager::Asdf),
                ".volta" | "Volta" => Some(Manager::Volta),
                ".nodenv" => Some(Manager::Nodenv),
                ".fnm" | "fnm" | "fnm_multishells" => Some(Manager::Fnm),
                "mise" | ".mise" => Some(Manager::Mise),
                _ => None,
            }
        })
    }

    /// The name shown to people and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Manager::Pyenv => "pyenv",
            Manager::Nvm => "nvm",
            Manager::Asdf => "asdf",
            Manager::Volta => "volta",
            Manager::Nodenv => "nodenv",
            Manager::Fnm => "fnm",
            Manager::Mise => "mise",
        }
    }
}

/// Whether `path` is a manager's shim: a stand-in that picks the real program at run time,
/// per directory, so the path on PATH is not the program that runs.
pub fn is_shim_path(path: &Path) -> bool {
    let parent = path.parent().and_then(Path::file_name);
    parent.is_some_and(|name| name == "shims")
        || (Manager::of(path) == Some(Manager::Volta) && parent.is_some_and(|name| name == "bin"))
}

/// What a pyenv shim picks its version from, besides the files under pyenv's root.
#[derive(Debug, Clone, Default)]
pub struct PyenvSelection {
    /// `PYENV_VERSION`, when set and not empty.
    pub version: Option<String>,
    /// Where the search for `.python-version` starts: `PYENV_DIR`, or the current directory.
    pub dir: PathBuf,
}

impl PyenvSelection {
    pub fn from_env() -> PyenvSelection {
        let variable = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        let cwd = std::env::current_dir().unwrap_or_default();
        PyenvSelection {
            version: variable("PYENV_VERSION").map(|value| value.to_string_lossy().into_owned()),
            // pyenv changes into `PYENV_DIR`, so a relative one is taken from here, and the
            // search goes on up to `/` from there.
            dir: variable("PYENV_DIR").map_or_else(|| cwd.clone(), |dir| cwd.join(dir)),
        }
    }
}

/// A version file bigger than this is not a list of version names.
const VERSION_FILE_LIMIT: u64 = 64 * 1024;

/// The interpreter a pyenv shim would run, found the way pyenv finds it: the versions named by
/// `PYENV_VERSION`, else by the nearest `.python-version`, else by the root's `version` file;
/// the first of them installed with this program wins. A pyenv shim is a shell script that
/// starts pyenv, which costs more than the interpreter itself takes to answer.
///
/// Whatever pyenv settles at run time is left to the shim (`None`): `system`, a version that
/// is not installed (or a prefix such as `3.12`, which pyenv may complete), a name that is not
/// a plain directory name, or no version named at all.
pub fn pyenv_target(shim: &Path, selection: &PyenvSelection) -> Option<PathBuf> {
    if Manager::of(shim) != Some(Manager::Pyenv) || !is_shim_path(shim) {
        return None;
    }
    let program = shim.file_name()?;
    let root = shim.parent()?.parent()?;
    let versions = match &selection.version {
        Some(list) => list.split(':').map(str::to_owned).collect(),
        None => read_version_file(&version_file(root, &selection.dir)?)?,
    };
    for version in versions {
        if version == "system" || !is_plain_name(&version) {
            return None;
        }
        let installed = root.join("versions").join(&version);
        if !installed.is_dir() {
            return None;
        }
        let interpreter = installed.join("bin").join(program);
        if interpreter.is_file() {
            return Some(interpreter);
        }
    }
    None
}

/// The nearest `.python-version` from `dir` up, else the root's global `version` file.
fn version_file(root: &Path, dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|dir| dir.join(".python-version"))
        .chain([root.join("version")])
        .find(|file| file.is_file())
}

/// The first word of each line, skipping blank lines and comments, as pyenv reads a version
/// file. Names pyenv skips as unsafe (`..`, anything with a `/`) are skipped here too.
fn read_version_file(file: &Path) -> Option<Vec<String>> {
    if std::fs::metadata(file).ok()?.len() > VERSION_FILE_LIMIT {
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    let versions: Vec<String> = text
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|word| !word.starts_with('#') && *word != ".." && !word.contains('/'))
        .map(str::to_owned)
        .collect();
    (!versions.is_empty()).then_some(versions)
}

/// A name that is one directory under `versions/`, not a path.
fn is_plain_name(name: &str) -> bool {
    let mut components = Path::new(name).components();
    matches!(
        (components.next(), components.next()),
        (Some(Component::Normal(only)), None) if only == OsStr::new(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_are_recognised_by_their_directories() {
        let shim = Path::new("/root/.pyenv/shims/python3");
        assert_eq!(Manager::of(shim), Some(Manager::Pyenv));
        assert!(is_shim_path(shim));
        let nvm = Path::new("/home/u/.nvm/versions/node/v20.11.0/bin/node");
        assert_eq!(Manager::of(nvm), Some(Manager::Nvm));
        assert!(!is_shim_path(nvm));
        assert!(is_shim_path(Path::new("/home/u/.asdf/shims/node")));
        assert!(is_shim_path(Path::new("/home/u/.volta/bin/node")));
        assert_eq!(Manager::of(Path::new("/usr/bin/node")), None);
        assert!(!is_shim_path(Path::new("/usr/bin/node")));
    }

    /// A pyenv root in a temp dir with these versions installed (each with `bin/python3`).
    fn pyenv(versions: &[&str]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(".pyenv");
        std::fs::create_dir_all(root.join("shims")).unwrap();
        std::fs::write(root.join("shims/python3"), "#!/bin/sh\n").unwrap();
        for version in versions {
            let bin = root.join("versions").join(version).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            std::fs::write(bin.join("python3"), "").unwrap();
        }
        (dir, root)
    }

    fn selection(version: Option<&str>, dir: &Path) -> PyenvSelection {
        PyenvSelection {
            version: version.map(str::to_owned),
            dir: dir.to_owned(),
        }
    }

    #[test]
    fn pyenv_version_picks_the_first_installed_version_with_the_program() {
        let (dir, root) = pyenv(&["3.12.1", "3.11.7"]);
        std::fs::create_dir_all(root.join("versions/3.13.0/bin")).unwrap();
        let shim = root.join("shims/python3");
        let target = |version| pyenv_target(&shim, &selection(Some(version), dir.path()));
        let installed =
            |version: &str| Some(root.join("versions").join(version).join("bin/python3"));
        assert_eq!(target("3.11.7"), installed("3.11.7"));
        assert_eq!(target("3.13.0:3.12.1"), installed("3.12.1"));
        // What pyenv settles itself is left to the shim.
        for version in ["system", "3.12", "3.11.7/../3.12.1", "..", "3.10.0:3.11.7"] {
            assert_eq!(target(version), None, "{version}");
        }
    }

    #[test]
    fn the_nearest_version_file_wins_over_the_global_one() {
        let (dir, root) = pyenv(&["3.12.1", "3.11.7"]);
        let shim = root.join("shims/python3");
        let project = dir.path().join("work/project");
        std::fs::create_dir_all(&project).unwrap();
        let from = |dir: &Path| pyenv_target(&shim, &selection(None, dir));
        assert_eq!(from(&project), None, "no version named anywhere: `system`");
        std::fs::write(root.join("version"), "3.11.7\n").unwrap();
        assert_eq!(
            from(&project),
            Some(root.join("versions/3.11.7/bin/python3"))
        );
        std::fs::write(
            dir.path().join("work/.python-version"),
            "# pinned\n\n  3.12.1 extra words\n3.11.7\n",
        )
        .unwrap();
        assert_eq!(
            from(&project),
            Some(root.join("versions/3.12.1/bin/python3"))
        );
        std::fs::write(project.join(".python-version"), "../escape\n# none\n").unwrap();
        assert_eq!(from(&project), None, "only skipped names: `system`");
    }

    #[test]
    fn only_pyenv_shims_are_followed() {
        let (dir, root) = pyenv(&["3.11.7"]);
        let direct = root.join("versions/3.11.7/bin/python3");
        assert_eq!(
            pyenv_target(&direct, &selection(Some("3.11.7"), dir.path())),
            None
        );
        let asdf = Path::new("/home/u/.asdf/shims/python3");
        assert_eq!(
            pyenv_target(asdf, &selection(Some("3.11.7"), dir.path())),
            None
        );
    }
}
