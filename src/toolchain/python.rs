//! Python: an interpreter new enough, `pip` for it, and a `venv` that can install pip.
//!
//! One run of the interpreter answers all three (see `python_probe.py`): starting Python, and
//! pip above all, costs far more than the questions.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::manager::{self, Manager, PyenvSelection};
use super::probe::{Captured, first_line};
use super::{Context, Finding, Shim, Status, Tool, ToolReport, version};

const SCRIPT: &str = include_str!("python_probe.py");

/// An interpreter command to try, in order.
struct Candidate {
    /// As a user types it.
    program: &'static str,
    /// The file to look up on PATH.
    file: &'static str,
    /// Arguments before `-c`.
    args: &'static [&'static str],
}

const CANDIDATES: &[Candidate] = &[
    Candidate {
        program: "python3",
        file: "python3",
        args: &[],
    },
    Candidate {
        program: "python",
        file: "python",
        args: &[],
    },
    #[cfg(windows)]
    Candidate {
        program: "py -3",
        file: "py",
        args: &["-3"],
    },
];

/// What `python_probe.py` prints.
#[derive(Debug, Default, Deserialize)]
struct Answer {
    version: String,
    executable: Option<PathBuf>,
    pip: Option<String>,
    pip_location: Option<PathBuf>,
    pip_error: Option<String>,
    venv_error: Option<String>,
    externally_managed: Option<bool>,
}

/// Checks the interpreter, pip and venv. The first candidate that is ok wins; when none is,
/// the first one found is reported, since that is the one a user's `python3` runs.
pub fn check(context: &Context<'_>) -> Vec<ToolReport> {
    let minimum = Tool::Python.requirement(context.requirements);
    let pyenv = PyenvSelection::from_env();
    let mut first = None;
    for candidate in CANDIDATES {
        let Some(path) = context.probe.locate(candidate.file) else {
            continue;
        };
        let (finding, answer) = probe(context, &pyenv, candidate, path);
        if finding.status(minimum.as_ref()) == Status::Ok {
            return reports(context, finding, answer);
        }
        first.get_or_insert((finding, answer));
    }
    match first {
        Some((finding, answer)) => reports(context, finding, answer),
        None => reports(
            context,
            Finding {
                program: "python3".into(),
                ..Finding::default()
            },
            None,
        ),
    }
}

fn probe(
    context: &Context<'_>,
    pyenv: &PyenvSelection,
    candidate: &Candidate,
    path: PathBuf,
) -> (Finding, Option<Answer>) {
    let mut finding = Finding::located(candidate.program, path.clone());
    // A pyenv shim starts pyenv (a shell program) to choose the interpreter: running the one
    // it would choose saves most of the probe's time. The report still names the shim, which
    // is what PATH holds, and the interpreter as its target.
    let interpreter = manager::pyenv_target(&path, pyenv).unwrap_or_else(|| path.clone());
    finding.probe = Some(format!(
        "{} {}-c <script: version, pip, venv, EXTERNALLY-MANAGED>",
        interpreter.to_string_lossy(),
        candidate
            .args
            .iter()
            .map(|arg| format!("{arg} "))
            .collect::<String>()
    ));
    let mut args = candidate.args.to_vec();
    args.extend(["-c", SCRIPT]);
    let result = context.probe.run(&interpreter, &args);
    let answer = result.as_ref().ok().and_then(parse_answer);
    match (answer, result) {
        (Some(answer), _) => {
            finding.version = version::find(&answer.version);
            if finding.version.is_none() {
                finding.broken = Some(format!(
                    "it reports no version number (`{}`)",
                    first_line(&answer.version)
                ));
            }
            finding.shim = shim(&path, finding.manager, answer.executable.as_deref());
            finding.python = Some(answer.version.clone());
            (finding, Some(answer))
        }
        // Something that is not CPython (or a stub) may still print a version.
        (None, result) => {
            finding.read_version(result);
            (finding, None)
        }
    }
}

/// The probe's JSON: all of stdout, or else its last JSON line, since a `sitecustomize` may
/// print before it.
fn parse_answer(captured: &Captured) -> Option<Answer> {
    if let Ok(answer) = serde_json::from_str(&captured.stdout) {
        return Some(answer);
    }
    captured
        .stdout
        .lines()
        .rev()
        .filter(|line| line.trim_start().starts_with('{'))
        .find_map(|line| serde_json::from_str(line).ok())
}

/// A shim is a path in a manager's shim directory, or one whose interpreter reports another
/// executable than the file found (symlinks such as `/usr/bin/python3` aside).
fn shim(path: &Path, manager: Option<Manager>, executable: Option<&Path>) -> Option<Shim> {
    let executable = executable.filter(|executable| !executable.as_os_str().is_empty());
    let same_file = |executable: &Path| {
        let real = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_owned());
        real(executable) == real(path)
    };
    let elsewhere = executable.is_some_and(|executable| !same_file(executable));
    (elsewhere || manager::is_shim_path(path)).then(|| Shim {
        manager: manager.map(Manager::name),
        target: executable.filter(|_| elsewhere).map(Path::to_owned),
    })
}

fn reports(context: &Context<'_>, python: Finding, answer: Option<Answer>) -> Vec<ToolReport> {
    let usable = python.found && python.broken.is_none();
    let program = python.program.clone();
    let helper = |found: bool| Finding {
        program: program.clone(),
        found,
        manager: python.manager,
        probe: python.probe.clone(),
        python: python.python.clone(),
        ..Finding::default()
    };
    let (pip, venv) = match answer.filter(|_| usable) {
        Some(answer) => {
            let mut pip = helper(answer.pip.is_some());
            pip.path = answer.pip_location;
            pip.version = answer.pip.as_deref().and_then(version::find);
            pip.externally_managed = answer.externally_managed;
            if pip.version.is_none() {
                pip.missing = Some(format!(
                    "`pip` is not installed for `{program}` ({})",
                    first_line(answer.pip_error.as_deref().unwrap_or("no version found"))
                ));
            }
            let mut venv = helper(answer.venv_error.is_none());
            venv.path = python.path.clone();
            if let Some(error) = answer.venv_error {
                venv.missing = Some(format!(
                    "`{program}` cannot create virtual environments: {}",
                    first_line(&error)
                ));
            }
            (pip, venv)
        }
        None => {
            let reason = if usable {
                format!("`{program}` did not answer stackgen's probe script")
            } else {
                "no working Python interpreter to ask".to_owned()
            };
            let mut pip = helper(false);
            pip.missing = Some(format!("`pip` was not checked: {reason}"));
            let mut venv = helper(false);
            venv.missing = Some(format!("`venv` was not checked: {reason}"));
            (pip, venv)
        }
    };
    vec![
        python.into_report(Tool::Python, context),
        pip.into_report(Tool::Pip, context),
        venv.into_report(Tool::Venv, context),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_the_last_json_line() {
        let captured = Captured {
            stdout: "hello from sitecustomize\n{\"version\": \"3.12.1\", \"pip\": \"24.0\"}\n"
                .into(),
            stderr: String::new(),
        };
        let answer = parse_answer(&captured).unwrap();
        assert_eq!(answer.version, "3.12.1");
        assert_eq!(answer.pip.as_deref(), Some("24.0"));
        assert!(parse_answer(&Captured::default()).is_none());
    }

    #[test]
    fn a_pyenv_shim_is_reported_with_its_interpreter() {
        let path = Path::new("/home/u/.pyenv/shims/python3");
        let real = Path::new("/home/u/.pyenv/versions/3.11.7/bin/python3");
        let shim = shim(path, Manager::of(path), Some(real)).unwrap();
        assert_eq!(shim.manager, Some("pyenv"));
        assert_eq!(shim.target.as_deref(), Some(real));
    }

    #[test]
    fn an_interpreter_reporting_its_own_path_is_no_shim() {
        let path = Path::new("/usr/bin/python3");
        assert_eq!(shim(path, None, Some(path)), None);
        assert_eq!(shim(path, None, None), None);
    }
}
