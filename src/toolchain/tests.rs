//! Status, problem and hint logic over a fake toolchain.

use std::collections::HashMap;
use std::time::Duration;

use super::probe::Captured;
use super::*;

/// The requirements the checks are tested against (what revision 1 declared): the numbers in
/// the messages below are these, not today's templates'.
fn requirements() -> Requirements {
    Requirements {
        node: Requirement::declared(">=18").unwrap(),
        python: Requirement::declared(">=3.9").unwrap(),
    }
}

/// A toolchain in memory: each program has a path and what running it gives.
#[derive(Default)]
struct FakeProbe {
    programs: HashMap<&'static str, (PathBuf, Answer)>,
}

#[derive(Clone)]
enum Answer {
    Prints(&'static str),
    Exits(&'static str),
    Hangs,
}

impl FakeProbe {
    fn with(mut self, program: &'static str, answer: Answer) -> Self {
        let path = PathBuf::from(format!("/fake/bin/{program}"));
        self.programs.insert(program, (path, answer));
        self
    }
}

impl FakeProbe {
    /// `program` at `path`, a real file (such as an npm launcher beside its manifest).
    fn at(mut self, program: &'static str, path: PathBuf, answer: Answer) -> Self {
        self.programs.insert(program, (path, answer));
        self
    }
}

impl Probe for FakeProbe {
    fn locate(&self, program: &str) -> Option<PathBuf> {
        self.programs.get(program).map(|(path, _)| path.clone())
    }

    fn run(&self, program: &Path, _args: &[&str]) -> Result<Captured, RunError> {
        let (_, answer) = self
            .programs
            .values()
            .find(|(path, _)| path == program)
            .expect("only located programs are run");
        match answer.clone() {
            Answer::Prints(text) => Ok(Captured {
                stdout: text.into(),
                stderr: String::new(),
            }),
            Answer::Exits(message) => Err(RunError::Exit {
                status: "status 127".into(),
                message: message.into(),
            }),
            Answer::Hangs => Err(RunError::Timeout(Duration::from_millis(5000))),
        }
    }
}

const GOOD_PYTHON: &str = r#"{"version": "3.11.7", "executable": "/fake/bin/python3", "pip": "23.2.1", "pip_location": "/fake/lib/pip", "externally_managed": false}"#;

fn statuses(report: &Report) -> Vec<(&str, Status)> {
    report
        .tools
        .iter()
        .map(|tool| (tool.name, tool.status))
        .collect()
}

#[test]
fn a_complete_toolchain_is_ok() {
    let probe = FakeProbe::default()
        .with("node", Answer::Prints("v24.11.1\n"))
        .with("npm", Answer::Prints("10.8.2\n"))
        .with("python3", Answer::Prints(GOOD_PYTHON))
        .with("git", Answer::Prints("git version 2.47.3\n"));
    let report = check(&probe, &Stack::ALL, true, &requirements());
    assert!(report.ok);
    assert_eq!(
        statuses(&report),
        [
            ("node", Status::Ok),
            ("npm", Status::Ok),
            ("python", Status::Ok),
            ("pip", Status::Ok),
            ("venv", Status::Ok),
            ("git", Status::Ok),
        ]
    );
    assert!(report.tools.iter().all(|tool| tool.hint.is_none()));
    assert_eq!(
        report.tool("pip").unwrap().version.as_deref(),
        Some("23.2.1")
    );
}

#[test]
fn missing_git_is_reported_but_optional() {
    let probe = FakeProbe::default()
        .with("node", Answer::Prints("v20.0.0"))
        .with("npm", Answer::Prints("9.6.4"));
    let report = check(&probe, &[Stack::Node], true, &requirements());
    assert!(report.ok);
    let git = report.tool("git").unwrap();
    assert_eq!(git.status, Status::Missing);
    assert!(!git.required && !git.is_problem());
    assert!(git.hint.is_some());
}

#[test]
fn old_node_is_too_old_with_the_versions_in_the_problem() {
    let probe = FakeProbe::default()
        .with("node", Answer::Prints("v14.21.3"))
        .with("npm", Answer::Prints("6.14.18"));
    let report = check(&probe, &[Stack::Node], false, &requirements());
    assert!(!report.ok);
    let node = report.tool("node").unwrap();
    assert_eq!(node.status, Status::TooOld);
    assert_eq!(
        node.problem.as_deref(),
        Some("`node` 14.21.3 is older than the minimum 18")
    );
    assert!(node.hint.as_deref().unwrap().starts_with("upgrade: "));
}

#[test]
fn missing_node_names_the_minimum() {
    let report = check(
        &FakeProbe::default(),
        &[Stack::Node],
        false,
        &requirements(),
    );
    let node = report.tool("node").unwrap();
    assert!(!node.found);
    assert_eq!(node.status, Status::Missing);
    assert_eq!(
        node.problem.as_deref(),
        Some("`node` was not found on PATH; the minimum is 18")
    );
}

#[test]
fn a_failing_or_hanging_program_is_broken_never_ok() {
    let probe = FakeProbe::default()
        .with("node", Answer::Hangs)
        .with("npm", Answer::Exits("npm ERR! cannot find module"))
        .with(
            "python3",
            Answer::Exits("pyenv: python3: command not found"),
        );
    let report = check(&probe, &Stack::ALL, false, &requirements());
    let node = report.tool("node").unwrap();
    assert_eq!(node.status, Status::Broken);
    assert!(
        node.problem
            .as_deref()
            .unwrap()
            .contains("did not answer within 5000 ms")
    );
    assert_eq!(report.tool("npm").unwrap().status, Status::Broken);
    let python = report.tool("python").unwrap();
    assert_eq!(python.status, Status::Broken);
    assert!(python.found);
    assert_eq!(
        python.problem.as_deref(),
        Some(
            "`python3` was found at `/fake/bin/python3` but does not run: it exited with \
             status 127: pyenv: python3: command not found"
        )
    );
    assert_eq!(report.tool("pip").unwrap().status, Status::Missing);
}

#[test]
fn npm_read_from_its_manifest_is_broken_without_a_working_node() {
    let dir = tempfile::tempdir().unwrap();
    let launcher = node::install_fake_npm(dir.path());
    let npm = |probe: FakeProbe| probe.at("npm", launcher.clone(), Answer::Hangs);

    let hung_node = npm(FakeProbe::default().with("node", Answer::Hangs));
    let report = check(&hung_node, &[Stack::Node], false, &requirements());
    let npm_report = report.tool("npm").unwrap();
    assert_eq!(npm_report.status, Status::Broken);
    assert!(
        npm_report
            .problem
            .as_deref()
            .unwrap()
            .ends_with("cannot run without a working `node`"),
        "{npm_report:?}"
    );
    assert_eq!(npm_report.hint, report.tool("node").unwrap().hint);
    assert!(!report.ok);

    let no_node = npm(FakeProbe::default());
    let report = check(&no_node, &[Stack::Node], false, &requirements());
    assert_eq!(report.tool("npm").unwrap().status, Status::Broken);

    let good_node = npm(FakeProbe::default().with("node", Answer::Prints("v20.20.2\n")));
    let report = check(&good_node, &[Stack::Node], false, &requirements());
    assert_eq!(report.tool("npm").unwrap().status, Status::Ok);
    assert_eq!(
        report.tool("npm").unwrap().version.as_deref(),
        Some("10.8.2")
    );
}

#[test]
fn output_without_a_version_is_broken() {
    let probe = FakeProbe::default()
        .with("node", Answer::Prints("hello"))
        .with("npm", Answer::Prints(""));
    let report = check(&probe, &[Stack::Node], false, &requirements());
    assert_eq!(report.tool("node").unwrap().status, Status::Broken);
    assert_eq!(report.tool("npm").unwrap().status, Status::Broken);
}

#[test]
fn a_good_python_is_preferred_over_an_old_python3() {
    let probe = FakeProbe::default()
        .with("python3", Answer::Prints(r#"{"version": "3.8.18"}"#))
        .with("python", Answer::Prints(GOOD_PYTHON));
    let report = check(&probe, &[Stack::Flask], false, &requirements());
    let python = report.tool("python").unwrap();
    assert_eq!(python.status, Status::Ok);
    assert_eq!(python.path.as_deref(), Some(Path::new("/fake/bin/python")));
}

#[test]
fn an_old_python_alone_is_too_old() {
    let probe = FakeProbe::default().with(
        "python3",
        Answer::Prints(r#"{"version": "3.8.18", "pip": "20.0.2", "venv_error": "x"}"#),
    );
    let report = check(&probe, &[Stack::Flask], false, &requirements());
    assert_eq!(
        statuses(&report),
        [
            ("python", Status::TooOld),
            ("pip", Status::TooOld),
            ("venv", Status::Missing),
        ]
    );
}

#[test]
fn python_without_ensurepip_has_no_venv() {
    let probe = FakeProbe::default().with(
        "python3",
        Answer::Prints(
            r#"{"version": "3.11.2", "executable": "/fake/bin/python3", "pip": "23.0.1",
            "venv_error": "ModuleNotFoundError: No module named 'ensurepip'", "externally_managed": true}"#,
        ),
    );
    let report = check(&probe, &[Stack::Flask], false, &requirements());
    assert!(!report.ok);
    let venv = report.tool("venv").unwrap();
    assert_eq!(venv.status, Status::Missing);
    assert!(
        venv.problem
            .as_deref()
            .unwrap()
            .contains("No module named 'ensurepip'")
    );
    assert!(venv.hint.is_some());
    assert_eq!(report.tool("pip").unwrap().externally_managed, Some(true));
}

#[test]
fn a_python_that_only_prints_its_version_leaves_pip_unchecked() {
    let probe = FakeProbe::default().with("python3", Answer::Prints("Python 3.12.1"));
    let report = check(&probe, &[Stack::Flask], false, &requirements());
    assert_eq!(report.tool("python").unwrap().status, Status::Ok);
    let pip = report.tool("pip").unwrap();
    assert_eq!(pip.status, Status::Missing);
    assert!(pip.problem.as_deref().unwrap().contains("did not answer"));
}

#[test]
fn json_has_the_documented_fields() {
    let report = check(
        &FakeProbe::default(),
        &[Stack::Node],
        false,
        &requirements(),
    );
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(value["ok"], false);
    let tool = &value["tools"][0];
    for field in [
        "name", "found", "path", "version", "minimum", "status", "hint",
    ] {
        assert!(tool.get(field).is_some(), "missing `{field}`");
    }
    assert_eq!(tool["status"], "missing");
    assert_eq!(tool["minimum"], "18");
}
