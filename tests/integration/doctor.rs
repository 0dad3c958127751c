//! `stackgen doctor` and the toolchain checks of `stackgen new`, driven through the real
//! binary with fake toolchains: small `#!/bin/sh` scripts in a temp dir on PATH.
#![cfg(unix)]

use std::fs;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

use crate::support::Sandbox;

/// Where the system's own programs live, for cases that need a real `npm` or shell tools
/// beside the fakes (the catalogue's FAKEBIN convention).
const SYSTEM_PATH: &str = "/usr/bin:/bin";

/// PATH holding only the fakes.
fn only_fakes(sandbox: &Sandbox) -> String {
    sandbox.bin().to_string_lossy().into_owned()
}

/// PATH with the fakes first, then the system directories.
fn fakes_first(sandbox: &Sandbox) -> String {
    format!("{}:{SYSTEM_PATH}", only_fakes(sandbox))
}

/// The binary, run in the sandbox with the harness environment and this PATH.
fn stackgen(sandbox: &Sandbox, path: &str) -> Command {
    let mut command = Command::from_std(sandbox.stackgen());
    command.env("PATH", path).timeout(Duration::from_secs(60));
    command
}

/// A fake `python3` answering stackgen's probe script with this JSON (`printf` is a shell
/// builtin, so it works with only the fakes on PATH).
fn python_answer(json: &str) -> String {
    format!("printf '%s\\n' '{}'", json.replace('\'', r"'\''"))
}

/// Runs `doctor --json`, checks the exit code, returns the document.
fn doctor_json(command: &mut Command, args: &[&str], code: i32) -> Value {
    let output = command
        .arg("doctor")
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("{error}: {stdout}"))
}

fn tool<'a>(document: &'a Value, name: &str) -> &'a Value {
    document["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|tool| tool["name"] == name)
        .unwrap_or_else(|| panic!("no `{name}` in {document}"))
}

fn has_hint(tool: &Value) -> bool {
    tool["hint"].as_str().is_some_and(|hint| !hint.is_empty())
}

#[test]
fn doctor_reports_missing_node_with_a_hint_and_exit_3() {
    let sandbox = Sandbox::new();
    let document = doctor_json(
        &mut stackgen(&sandbox, &only_fakes(&sandbox)),
        &["--stack", "node"],
        3,
    );
    assert_eq!(document["ok"], false);
    let node = tool(&document, "node");
    assert_eq!(node["found"], false);
    assert_eq!(node["status"], "missing");
    assert_eq!(node["path"], Value::Null);
    assert_eq!(node["minimum"], "20");
    assert!(has_hint(node));
    for field in [
        "name", "found", "path", "version", "minimum", "status", "hint",
    ] {
        assert!(node.get(field).is_some(), "`{field}` missing from {node}");
    }
    let git = tool(&document, "git");
    assert_eq!(git["status"], "missing");
    assert_eq!(git["required"], false);
}

#[test]
fn an_npm_beside_a_node_that_hangs_is_broken_too() {
    // The real npm's version comes from its package.json; it would need the hung node to run.
    let sandbox = Sandbox::new();
    sandbox.fake("node", "sleep 30");
    let mut command = stackgen(&sandbox, &fakes_first(&sandbox));
    command.env("STACKGEN_TEST_PROBE_TIMEOUT_MS", "300");
    let document = doctor_json(&mut command, &["--stack", "node"], 3);
    assert_eq!(tool(&document, "node")["status"], "broken");
    let npm = tool(&document, "npm");
    assert_eq!(npm["status"], "broken", "{npm}");
    assert!(
        npm["problem"]
            .as_str()
            .unwrap()
            .ends_with("cannot run without a working `node`"),
        "{npm}"
    );
    assert_eq!(npm["hint"], tool(&document, "node")["hint"]);
}

#[test]
fn doctor_reports_node_16_as_too_old() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "echo v16.20.2")
        .fake("npm", "echo 8.19.4");
    let document = doctor_json(
        &mut stackgen(&sandbox, &only_fakes(&sandbox)),
        &["--stack", "node"],
        3,
    );
    let node = tool(&document, "node");
    assert_eq!(node["status"], "too_old");
    assert_eq!(node["found"], true);
    assert_eq!(node["version"], "16.20.2");
    assert_eq!(node["minimum"], "20");
    assert_eq!(
        node["path"],
        sandbox.bin().join("node").to_string_lossy().as_ref()
    );
    assert!(has_hint(node));
    assert_eq!(tool(&document, "npm")["status"], "ok");
}

#[test]
fn doctor_accepts_node_24_and_prints_an_ascii_table_off_a_terminal() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "echo v24.11.1")
        .fake("npm", "echo 10.2.4");
    let document = doctor_json(
        &mut stackgen(&sandbox, &only_fakes(&sandbox)),
        &["--stack", "node"],
        0,
    );
    assert_eq!(document["ok"], true);
    assert_eq!(tool(&document, "node")["status"], "ok");
    assert_eq!(tool(&document, "node")["hint"], Value::Null);
    assert_eq!(tool(&document, "npm")["version"], "10.2.4");

    let output = stackgen(&sandbox, &only_fakes(&sandbox))
        .args(["doctor", "--stack", "node"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        table.lines().any(|line| line.starts_with("ok node")),
        "{table}"
    );
    assert!(
        table.contains("24.11.1") && table.contains(">= 20"),
        "{table}"
    );
    assert!(!table.contains('✓') && !table.contains('\u{1b}'), "{table}");

    let forced = stackgen(&sandbox, &only_fakes(&sandbox))
        .args(["--color", "always", "doctor", "--stack", "node"])
        .output()
        .unwrap();
    assert!(String::from_utf8(forced.stdout).unwrap().contains('✓'));
}

#[test]
fn doctor_reports_python_3_8_as_too_old() {
    let sandbox = Sandbox::new();
    sandbox.fake(
        "python3",
        &python_answer(
            r#"{"version": "3.8.18", "executable": "/opt/py38/bin/python3", "pip": "23.0.1"}"#,
        ),
    );
    let document = doctor_json(
        &mut stackgen(&sandbox, &only_fakes(&sandbox)),
        &["--stack", "flask"],
        3,
    );
    let python = tool(&document, "python");
    assert_eq!(python["status"], "too_old");
    assert_eq!(python["version"], "3.8.18");
    assert_eq!(python["minimum"], "3.11");
    assert!(has_hint(python));
}

#[test]
fn doctor_reports_a_python_without_venv() {
    let sandbox = Sandbox::new();
    sandbox.fake(
        "python3",
        &python_answer(
            r#"{"version": "3.11.2", "executable": "/usr/bin/python3", "pip": "23.0.1", "venv_error": "ModuleNotFoundError: No module named 'ensurepip'", "externally_managed": true}"#,
        ),
    );
    let document = doctor_json(
        &mut stackgen(&sandbox, &only_fakes(&sandbox)),
        &["--stack", "flask"],
        3,
    );
    assert_eq!(tool(&document, "python")["status"], "ok");
    assert_eq!(tool(&document, "pip")["status"], "ok");
    assert_eq!(tool(&document, "pip")["externally_managed"], true);
    let venv = tool(&document, "venv");
    assert_eq!(venv["status"], "missing");
    assert!(venv["problem"].as_str().unwrap().contains("ensurepip"));
    assert!(has_hint(venv));
}

#[test]
fn doctor_kills_a_hanging_probe_and_reports_it_broken() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "exec /bin/sleep 30")
        .fake("npm", "echo 10.2.4");
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    command.env("STACKGEN_TEST_PROBE_TIMEOUT_MS", "300");
    let document = doctor_json(&mut command, &["--stack", "node"], 3);
    let node = tool(&document, "node");
    assert_eq!(node["status"], "broken");
    assert_eq!(node["found"], true);
    assert!(node["problem"].as_str().unwrap().contains("did not answer"));
    assert!(has_hint(node));
    assert_eq!(node["timed_out"], true);
    assert!(
        node["hint"]
            .as_str()
            .unwrap()
            .contains("waiting on a prompt"),
        "{node}"
    );
}

#[test]
fn new_reports_a_probe_that_timed_out() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "exec /bin/sleep 30")
        .fake("npm", "echo 10.2.4");
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    let output = command
        .env("STACKGEN_TEST_PROBE_TIMEOUT_MS", "300")
        .args([
            "new", "app", "--stack", "node", "--yes", "--no-git", "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "the files are still written");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("did not answer within 300 ms")
            && stderr.contains("the check did not happen"),
        "{stderr}"
    );
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        tool(&document["checks"], "node")["timed_out"],
        true,
        "{document}"
    );

    let before = sandbox.snap();
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    command
        .env("STACKGEN_TEST_PROBE_TIMEOUT_MS", "300")
        .args([
            "new",
            "strict",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--require-toolchain",
        ])
        .assert()
        .code(3);
    assert_eq!(sandbox.snap(), before);
}

#[test]
fn doctor_honours_the_default_timeout() {
    let sandbox = Sandbox::new();
    sandbox.fake("git", "exec /bin/sleep 60");
    // The command's own 60 s timeout would fail the test if the 5 s one were not honoured.
    let document = doctor_json(
        &mut stackgen(&sandbox, &only_fakes(&sandbox)),
        &["--stack", "node"],
        3,
    );
    let git = tool(&document, "git");
    assert_eq!(git["status"], "broken");
    assert!(git["problem"].as_str().unwrap().contains("5000 ms"));
}

#[test]
fn doctor_reports_failing_programs_as_broken() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "echo 'node: bad option' >&2; exit 9")
        .fake("npm", "echo 'hello'");
    let document = doctor_json(
        &mut stackgen(&sandbox, &only_fakes(&sandbox)),
        &["--stack", "node"],
        3,
    );
    let node = tool(&document, "node");
    assert_eq!(node["status"], "broken");
    assert!(
        node["problem"]
            .as_str()
            .unwrap()
            .contains("status 9: node: bad option")
    );
    assert_eq!(tool(&document, "npm")["status"], "broken");
}

#[test]
fn doctor_tolerates_odd_version_strings() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "echo 'v21.0.0-nightly20231010abcdef'")
        // Some builds print their version on stderr.
        .fake("npm", "echo '10.2.4-vendor.1' >&2")
        .fake("git", "echo 'git version 2.45.1.windows.1'")
        .fake(
            "python3",
            &python_answer(
                r#"{"version": "3.13.0rc1", "executable": "/opt/py/bin/python3", "pip": "24.0"}"#,
            ),
        );
    // A day when Node.js 21 was the current release.
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    command.env("SOURCE_DATE_EPOCH", "1698796800");
    let document = doctor_json(&mut command, &[], 0);
    assert_eq!(
        tool(&document, "node")["version"],
        "21.0.0-nightly20231010abcdef"
    );
    assert_eq!(tool(&document, "npm")["version"], "10.2.4-vendor.1");
    assert_eq!(tool(&document, "git")["version"], "2.45.1.windows.1");
    assert_eq!(tool(&document, "python")["version"], "3.13.0rc1");
    assert!(
        document["tools"]
            .as_array()
            .unwrap()
            .iter()
            .all(|tool| tool["status"] == "ok"),
        "{document}"
    );
}

#[test]
fn doctor_never_searches_relative_path_entries() {
    let sandbox = Sandbox::new();
    // A `node` in a relative directory must be neither found nor run.
    let marker = sandbox.root().join("ran");
    sandbox.fake(
        "node",
        &format!("echo v20.0.0; echo > '{}'", marker.display()),
    );
    let empty = sandbox.root().join("empty");
    fs::create_dir(&empty).unwrap();
    let path = format!("bin::.:./bin:{}", empty.display());
    let document = doctor_json(&mut stackgen(&sandbox, &path), &["--stack", "node"], 3);
    assert_eq!(tool(&document, "node")["status"], "missing");
    assert!(!marker.exists(), "the relative `node` was run");
}

#[test]
fn probes_get_the_cleaned_path() {
    let sandbox = Sandbox::new();
    let seen = sandbox.root().join("seen-path");
    sandbox.fake(
        "node",
        &format!("echo v20.0.0; echo \"$PATH\" > '{}'", seen.display()),
    );
    let path = format!("relative:{}:", only_fakes(&sandbox));
    doctor_json(&mut stackgen(&sandbox, &path), &["--stack", "node"], 3);
    let seen = fs::read_to_string(seen).unwrap();
    assert_eq!(seen.trim_end(), only_fakes(&sandbox));
}

/// The machine's own toolchain (node 20 and python 3.11 here and in CI) passes; node 20 is
/// past its end of life, which is a warning.
#[test]
fn doctor_passes_on_the_real_toolchain() {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("stackgen"));
    command.timeout(Duration::from_secs(60));
    let document = doctor_json(&mut command, &[], 0);
    assert_eq!(document["ok"], true, "{document}");
    for name in ["npm", "python", "pip", "venv"] {
        assert_eq!(tool(&document, name)["status"], "ok", "{document}");
    }
    let node = &tool(&document, "node")["status"];
    assert!(node == "ok" || node == "eol", "{document}");
    let python = tool(&document, "python");
    if python["path"].as_str().unwrap().contains("/.pyenv/shims/") {
        assert_eq!(python["shim"]["manager"], "pyenv", "{python}");
        assert!(python["shim"]["target"].is_string(), "{python}");
    }
}

/// A pyenv root in the sandbox: a shim that fails if it is run, and 3.12.1 installed with an
/// interpreter answering the probe. Returns PATH holding only the shims.
fn fake_pyenv(sandbox: &Sandbox) -> String {
    use std::os::unix::fs::PermissionsExt;
    let root = sandbox.path(".pyenv");
    let interpreter = root.join("versions/3.12.1/bin/python3");
    let answer = format!(
        r#"{{"version": "3.12.1", "executable": "{}", "pip": "24.0", "externally_managed": false}}"#,
        interpreter.display()
    );
    for (path, body) in [
        (
            root.join("shims/python3"),
            "echo 'the shim ran' >&2; exit 42".to_owned(),
        ),
        (interpreter, python_answer(&answer)),
    ] {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    root.join("shims").to_string_lossy().into_owned()
}

#[test]
fn a_pyenv_shim_is_followed_to_the_interpreter_it_would_run() {
    let sandbox = Sandbox::new();
    let path = fake_pyenv(&sandbox);
    let interpreter = sandbox.path(".pyenv/versions/3.12.1/bin/python3");
    let check = |document: &Value| {
        let python = tool(document, "python");
        assert_eq!(python["status"], "ok", "{python}");
        assert_eq!(python["version"], "3.12.1", "{python}");
        assert_eq!(python["path"], format!("{path}/python3"), "{python}");
        assert!(
            python["probe"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{} -c ", interpreter.display())),
            "{python}"
        );
        assert_eq!(python["shim"]["manager"], "pyenv", "{python}");
        assert_eq!(python["shim"]["target"], interpreter.to_str().unwrap());
    };
    let mut by_variable = stackgen(&sandbox, &path);
    by_variable
        .env("PYENV_VERSION", "3.12.1")
        .env_remove("PYENV_DIR");
    check(&doctor_json(&mut by_variable, &["--stack", "flask"], 0));

    // The working directory's `.python-version`, as pyenv reads it.
    fs::write(sandbox.path(".python-version"), "# pinned\n3.12.1\n").unwrap();
    let mut by_file = stackgen(&sandbox, &path);
    by_file.env_remove("PYENV_VERSION").env_remove("PYENV_DIR");
    check(&doctor_json(&mut by_file, &["--stack", "flask"], 0));
}

#[test]
fn a_pyenv_choice_made_at_run_time_is_left_to_the_shim() {
    let sandbox = Sandbox::new();
    let path = fake_pyenv(&sandbox);
    for version in ["system", "3.12"] {
        let mut command = stackgen(&sandbox, &path);
        command.env("PYENV_VERSION", version);
        let document = doctor_json(&mut command, &["--stack", "flask"], 3);
        let python = tool(&document, "python");
        assert_eq!(python["status"], "broken", "{version}: {python}");
        assert!(
            python["problem"].as_str().unwrap().contains("the shim ran"),
            "{version}: {python}"
        );
    }
}

#[test]
fn new_warns_when_node_is_missing_and_writes_anyway() {
    // A53
    let sandbox = Sandbox::new();
    stackgen(&sandbox, &only_fakes(&sandbox))
        .args(["new", "app", "--stack", "node", "--yes"])
        .assert()
        .code(0)
        .stderr(predicates::str::contains("`node` was not found"))
        .stderr(predicates::str::contains("the minimum is 20"));
    assert!(sandbox.root().join("app/package.json").exists());
}

#[test]
fn new_names_the_old_node_version_and_the_minimum() {
    // A54
    let sandbox = Sandbox::new();
    sandbox.fake("node", "echo v14.21.3");
    stackgen(&sandbox, &fakes_first(&sandbox))
        .args(["new", "app", "--stack", "node", "--yes"])
        .assert()
        .code(0)
        .stderr(predicates::str::contains(
            "`node` 14.21.3 is older than the minimum 20",
        ));
    assert!(sandbox.root().join("app/server.js").exists());
}

#[test]
fn new_reports_a_python3_that_cannot_run() {
    // A55
    let sandbox = Sandbox::new();
    sandbox.fake(
        "python3",
        "echo \"pyenv: python3: command not found\" >&2; exit 127",
    );
    let shim = sandbox.bin().join("python3");
    stackgen(&sandbox, &fakes_first(&sandbox))
        .args(["new", "app", "--stack", "flask", "--yes"])
        .assert()
        .code(0)
        .stderr(predicates::str::contains(format!(
            "`python3` was found at `{}` but does not run",
            shim.display()
        )));
    assert!(sandbox.root().join("app/src/app/__init__.py").exists());
}

#[test]
fn new_require_toolchain_writes_nothing_and_exits_3() {
    // A70
    let sandbox = Sandbox::new();
    let before = sandbox.names();
    stackgen(&sandbox, &only_fakes(&sandbox))
        .args([
            "new",
            "app",
            "--stack",
            "node",
            "--yes",
            "--require-toolchain",
        ])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("`node` was not found"))
        .stderr(predicates::str::contains("nothing was written"));
    assert_eq!(sandbox.names(), before);
}

#[test]
fn new_json_includes_the_checks_and_skip_checks_skips_them() {
    let sandbox = Sandbox::new();
    sandbox.fake("node", "echo v14.21.3");
    let output = stackgen(&sandbox, &only_fakes(&sandbox))
        .args([
            "new", "app", "--stack", "node", "--yes", "--no-git", "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["checks"]["ok"], false);
    assert_eq!(tool(&document["checks"], "node")["status"], "too_old");
    assert_eq!(tool(&document["checks"], "npm")["status"], "missing");

    let output = stackgen(&sandbox, &only_fakes(&sandbox))
        .args([
            "new",
            "other",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--json",
            "--skip-checks",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["checks"], Value::Null);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));
}

#[test]
fn new_install_keeps_the_project_when_the_tool_fails() {
    let sandbox = Sandbox::new();
    sandbox.fake("node", "echo v20.11.1").fake(
        "npm",
        "echo 10.2.4; case \"$1\" in install) echo 'npm ERR! boom' >&2; exit 1;; esac",
    );
    stackgen(&sandbox, &only_fakes(&sandbox))
        .args([
            "new",
            "app",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--install",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("npm ERR! boom"))
        .stderr(predicates::str::contains(format!(
            "cd {}/app && {}/npm install",
            sandbox.root().display(),
            sandbox.bin().display()
        )));
    assert!(sandbox.root().join("app/package.json").exists());
}

#[test]
fn new_install_refuses_before_writing_when_the_tool_is_missing() {
    let sandbox = Sandbox::new();
    let before = sandbox.names();
    stackgen(&sandbox, &only_fakes(&sandbox))
        .args(["new", "app", "--stack", "node", "--yes", "--install"])
        .assert()
        .code(3);
    assert_eq!(sandbox.names(), before);
}

/// `--install` end to end on the real toolchain, then the generated tests run in the
/// installed environment. Flask needs PyPI, which CI reaches.
#[test]
fn new_install_sets_up_both_stacks_for_real() {
    let sandbox = Sandbox::new();
    let path = std::env::var("PATH").unwrap();
    for stack in ["node", "flask"] {
        let dir = format!("{stack}-app");
        let mut command = stackgen(&sandbox, &path);
        // pyenv finds its version through HOME; keep the real one.
        if let Some(home) = std::env::var_os("HOME") {
            command.env("HOME", home);
        }
        command
            .args([
                "new",
                &dir,
                "--stack",
                stack,
                "--yes",
                "--no-git",
                "--install",
            ])
            .timeout(Duration::from_secs(300))
            .assert()
            .code(0);
    }
    let node = sandbox.root().join("node-app");
    assert!(node.join("package-lock.json").exists());
    std::process::Command::new("npm")
        .arg("test")
        .current_dir(&node)
        .status()
        .unwrap()
        .success()
        .then_some(())
        .expect("npm test passes in the installed Node.js project");
    let flask = sandbox.root().join("flask-app");
    std::process::Command::new(flask.join(".venv/bin/python"))
        .args(["-m", "pytest", "-q"])
        .current_dir(&flask)
        .status()
        .unwrap()
        .success()
        .then_some(())
        .expect("pytest passes in the installed Flask project");
}

/// 2026-12-05, for runs that must not depend on the clock.
const DECEMBER_2026: &str = "1796428800";

#[test]
fn a_runtime_past_its_end_of_life_is_a_warning_and_strict_makes_it_fail() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "echo v20.19.0")
        .fake("npm", "echo 10.8.2");
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    command.env("SOURCE_DATE_EPOCH", DECEMBER_2026);
    let document = doctor_json(&mut command, &["--stack", "node"], 0);
    let node = tool(&document, "node");
    assert_eq!(node["status"], "eol");
    assert_eq!(node["eol"], "2026-04-30");
    assert_eq!(node["support"], "eol");
    assert!(has_hint(node), "{node}");
    assert!(
        node["problem"]
            .as_str()
            .unwrap()
            .contains("supported until 2026-04-30"),
        "{node}"
    );
    assert_eq!(document["ok"], true, "a warning, not a failure");

    let mut strict = stackgen(&sandbox, &only_fakes(&sandbox));
    strict.env("SOURCE_DATE_EPOCH", DECEMBER_2026);
    let document = doctor_json(&mut strict, &["--stack", "node", "--strict"], 3);
    assert_eq!(document["ok"], false);

    // The same version, on a day its line was still maintained.
    let mut earlier = stackgen(&sandbox, &only_fakes(&sandbox));
    earlier.env("SOURCE_DATE_EPOCH", "1704067200"); // 2024-01-01
    let document = doctor_json(&mut earlier, &["--stack", "node", "--strict"], 0);
    assert_eq!(tool(&document, "node")["status"], "ok");
    assert_eq!(tool(&document, "node")["support"], "active");
}

#[test]
fn a_line_near_its_end_of_life_gets_a_note_and_json_says_its_support() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "echo v22.12.0")
        .fake("npm", "echo 10.9.0");
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    command.env("SOURCE_DATE_EPOCH", "1801180800"); // 2027-01-29, 91 days before 2027-04-30
    let output = command
        .args(["doctor", "--stack", "node"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(!table.contains("note:"), "{table}");
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    command.env("SOURCE_DATE_EPOCH", "1801267200"); // 2027-01-30, 90 days before
    let output = command
        .args(["doctor", "--stack", "node"])
        .output()
        .unwrap();
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        table.contains("reaches its end of life on 2027-04-30 (in 90 days)"),
        "{table}"
    );
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    command.env("SOURCE_DATE_EPOCH", DECEMBER_2026);
    let document = doctor_json(&mut command, &["--stack", "node"], 0);
    assert_eq!(tool(&document, "node")["support"], "maintenance");
    assert_eq!(tool(&document, "node")["eol"], "2027-04-30");
    assert!(tool(&document, "npm").get("support").is_none());
}

#[test]
fn old_life_cycle_data_is_noted() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "echo v26.1.0")
        .fake("npm", "echo 11.0.0");
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    command.env("SOURCE_DATE_EPOCH", "1861920000"); // 2029-01-01
    let document = doctor_json(&mut command, &["--stack", "node"], 0);
    assert!(
        document["stale_dates"]
            .as_str()
            .unwrap()
            .contains("may be stale"),
        "{document}"
    );
}

#[test]
fn new_warns_about_an_end_of_life_runtime_and_strict_refuses_it() {
    let sandbox = Sandbox::new();
    sandbox
        .fake("node", "echo v20.11.1")
        .fake("npm", "echo 10.2.4");
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    let output = command
        .env("SOURCE_DATE_EPOCH", DECEMBER_2026)
        .args([
            "new",
            "ok-app",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--require-toolchain",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr.matches("past its end of life").count(),
        1,
        "one warning: {stderr}"
    );
    assert!(stderr.contains("install a maintained line"), "{stderr}");

    let before = sandbox.snap();
    let mut command = stackgen(&sandbox, &only_fakes(&sandbox));
    let output = command
        .env("SOURCE_DATE_EPOCH", DECEMBER_2026)
        .args([
            "new",
            "strict-app",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--require-toolchain",
            "--strict",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(sandbox.snap(), before, "nothing written");
}

#[test]
fn a_program_that_leaves_a_child_holding_its_output_is_judged_at_once() {
    let sandbox = Sandbox::new();
    let marker = sandbox.path("grandchild-alive");
    sandbox
        .fake(
            "node",
            &format!("echo v24.1.0; (sleep 20; echo > '{}') &", marker.display()),
        )
        .fake("npm", "echo 11.0.0");
    let document = doctor_json(
        &mut stackgen(&sandbox, &fakes_first(&sandbox)),
        &["--stack", "node"],
        0,
    );
    // Waiting for the grandchild would have run into the probe timeout: `broken`.
    assert_eq!(tool(&document, "node")["status"], "ok", "{document}");
    assert_eq!(tool(&document, "node")["version"], "24.1.0");
    // The grandchild was killed with the program's process group.
    let pgrep = std::process::Command::new("pgrep")
        .args(["-f", &marker.display().to_string()])
        .output()
        .unwrap();
    assert!(!pgrep.status.success(), "the grandchild still runs");
}

/// A fake Python 3.10 with pip and venv, the line just below what the projects declare.
fn python_3_10(sandbox: &Sandbox) {
    sandbox.fake(
        "python3",
        &python_answer(
            r#"{"version": "3.10.13", "executable": "/opt/py310/bin/python3", "pip": "23.0.1", "venv": true}"#,
        ),
    );
}

#[test]
fn doctor_and_new_judge_by_what_the_templates_declare() {
    let sandbox = Sandbox::new();
    python_3_10(&sandbox);
    sandbox
        .fake("node", "echo v18.20.4")
        .fake("npm", "echo 10.8.2");
    // The newest revision declares `requires-python = ">=3.11"` and `engines.node ">=20"`.
    let document = doctor_json(&mut stackgen(&sandbox, &only_fakes(&sandbox)), &[], 3);
    for (name, minimum) in [("python", "3.11"), ("node", "20")] {
        let found = tool(&document, name);
        assert_eq!(found["status"], "too_old", "{found}");
        assert_eq!(found["minimum"], minimum, "{found}");
    }
    // `new --install` never starts an install the manifest would refuse: nothing is written.
    let output = stackgen(&sandbox, &only_fakes(&sandbox))
        .args([
            "new",
            "app",
            "--stack",
            "flask",
            "--yes",
            "--no-git",
            "--install",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("older than the minimum 3.11"), "{stderr}");
    assert!(!sandbox.path("app").exists());
    // A project made at revision 1 declares Node.js >= 18: inside it, doctor judges by that,
    // so Node.js 18 is past its end of life (a warning), not too old.
    sandbox
        .new_project(&[
            "old",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--skip-checks",
            "--template-revision",
            "1",
        ])
        .success();
    let mut inside = stackgen(&sandbox, &only_fakes(&sandbox));
    inside
        .current_dir(sandbox.path("old"))
        .env("SOURCE_DATE_EPOCH", DECEMBER_2026);
    let document = doctor_json(&mut inside, &["--stack", "node"], 0);
    assert_eq!(tool(&document, "node")["status"], "eol");
    assert_eq!(tool(&document, "node")["minimum"], "18");
}

#[test]
fn inside_a_typescript_project_node_must_strip_types() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "ts",
            "--stack",
            "node",
            "--lang",
            "ts",
            "--yes",
            "--no-git",
            "--skip-checks",
        ])
        .success();
    sandbox.fake("npm", "echo 10.9.0");
    for (version, status, code) in [("v22.17.1", "too_old", 3), ("v22.18.0", "ok", 0)] {
        sandbox.fake("node", &format!("echo {version}"));
        let mut inside = stackgen(&sandbox, &only_fakes(&sandbox));
        inside
            .current_dir(sandbox.path("ts"))
            .env("SOURCE_DATE_EPOCH", DECEMBER_2026);
        let document = doctor_json(&mut inside, &["--stack", "node"], code);
        let node = tool(&document, "node");
        assert_eq!(node["status"], status, "{version}: {node}");
        assert_eq!(node["minimum"], "^22.18.0 || >=23.6.0");
    }
    let output = stackgen(&sandbox, &only_fakes(&sandbox))
        .args(["doctor", "--stack", "node"])
        .current_dir(sandbox.path("ts"))
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.contains(" ^22.18.0 || >=23.6.0 ") && !table.contains(">= ^"),
        "{table}"
    );
}
