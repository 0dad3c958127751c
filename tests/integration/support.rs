//! The sandbox every test runs in, modelled on the bad-input catalogue's harness: a fresh
//! temporary directory, a known git identity, no TTY, and helpers to prove "nothing changed".

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, UNIX_EPOCH};

use assert_cmd::assert::{Assert, OutputAssertExt};

/// Environment variables that would leak the developer's setup into a test.
const SCRUBBED: &[&str] = &[
    "CI",
    "NO_COLOR",
    "CLICOLOR_FORCE",
    "XDG_CONFIG_HOME",
    "EMAIL",
    "GIT_DIR",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "STACKGEN_TEST_WRITE_DELAY_MS",
    "STACKGEN_TEST_PROBE_TIMEOUT_MS",
];

pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join(".home");
        fs::create_dir(&home).unwrap();
        fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = CI User\n\temail = ci@example.com\n",
        )
        .unwrap();
        Sandbox { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// `bin/`, where [`Sandbox::fake`] puts programs (the catalogue's FAKEBIN).
    pub fn bin(&self) -> PathBuf {
        self.path("bin")
    }

    /// Adds `bin/<name>`, a program running `body` under `/bin/sh`.
    pub fn fake(&self, name: &str, body: &str) -> &Sandbox {
        use std::os::unix::fs::PermissionsExt;
        fs::create_dir_all(self.bin()).unwrap();
        let path = self.bin().join(name);
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        self
    }

    pub fn home(&self) -> PathBuf {
        self.path(".home")
    }

    /// `stackgen` with the sandbox as working directory and home, stdin closed.
    pub fn stackgen(&self) -> Command {
        self.command(binary())
    }

    /// Any program, in the same environment as `stackgen`.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(self.root())
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(Stdio::null());
        for variable in SCRUBBED {
            command.env_remove(variable);
        }
        command
    }

    /// `git ARGS` in `dir` (relative to the sandbox), which must succeed; its stdout.
    pub fn git(&self, dir: impl AsRef<Path>, args: &[&str]) -> String {
        let output = self
            .command("git")
            .args(args)
            .current_dir(self.path(dir))
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    /// `stackgen new <args>`.
    pub fn new_project(&self, args: &[&str]) -> Assert {
        self.stackgen().arg("new").args(args).assert()
    }

    /// Every entry with its type, size and modification time: equal snapshots mean nothing was
    /// created, removed or touched.
    pub fn snap(&self) -> Vec<String> {
        let mut entries = Vec::new();
        walk(self.root(), self.root(), &mut entries, true);
        entries
    }

    /// Every entry with its type only.
    pub fn names(&self) -> Vec<String> {
        let mut entries = Vec::new();
        walk(self.root(), self.root(), &mut entries, false);
        entries
    }

    pub fn read(&self, relative: impl AsRef<Path>) -> String {
        fs::read_to_string(self.path(relative)).unwrap()
    }
}

fn walk(root: &Path, dir: &Path, into: &mut Vec<String>, detailed: bool) {
    let mut children: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    children.sort();
    for path in children {
        if path == root.join(".home") {
            continue;
        }
        let metadata = fs::symlink_metadata(&path).unwrap();
        let kind = if metadata.is_symlink() {
            "l"
        } else if metadata.is_dir() {
            "d"
        } else {
            "f"
        };
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if detailed {
            let mtime = metadata
                .modified()
                .unwrap()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            into.push(format!("{relative} {kind} {} {mtime}", metadata.len()));
        } else {
            into.push(format!("{relative} {kind}"));
        }
        if kind == "d" {
            walk(root, &path, into, detailed);
        }
    }
}

/// The stack flags most cases run with.
pub const NODE: [&str; 3] = ["--stack", "node", "--yes"];
pub const FLASK: [&str; 3] = ["--stack", "flask", "--yes"];

/// `extra` then the stack flags (so a `--` in `extra` must come last: use the flags first).
pub fn args<'a>(stack: [&'a str; 3], extra: &[&'a str]) -> Vec<&'a str> {
    extra.iter().copied().chain(stack).collect()
}

/// The generated `package.json` of the project in `dir`.
pub fn package_json(sandbox: &Sandbox, dir: &str) -> serde_json::Value {
    serde_json::from_str(&sandbox.read(format!("{dir}/package.json"))).unwrap()
}

/// The generated `pyproject.toml` of the project in `dir`.
pub fn pyproject(sandbox: &Sandbox, dir: &str) -> toml::Value {
    toml::from_str(&sandbox.read(format!("{dir}/pyproject.toml"))).unwrap()
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_stackgen"))
}

/// Runs a refusal and checks the catalogue's NOTHING: exit 2, stderr naming the problem, and
/// not even a modification time changed.
pub fn assert_nothing(sandbox: &Sandbox, args: &[&str], stderr_needle: &str) -> String {
    let before = sandbox.snap();
    let output = sandbox.new_project(args).code(2).get_output().clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(stderr_needle),
        "stderr of {args:?} lacks {stderr_needle:?}:\n{stderr}"
    );
    assert_eq!(sandbox.snap(), before, "{args:?} changed the sandbox");
    stderr
}

/// Runs a program to completion and fails the test with its output if it fails.
/// What a program printed, stdout then stderr, for assertions and failure messages.
pub fn transcript(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// This process's `PATH` with `dir` first.
pub fn path_with(dir: &Path) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest)))
        .unwrap()
}

pub fn run_ok(program: &str, args: &[&str], dir: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run `{program}` (it must be installed for these tests): {error}")
        });
    let text = transcript(&output);
    assert!(
        output.status.success(),
        "`{program} {args:?}` failed in {}:\n{text}",
        dir.display()
    );
    text
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process that is killed when the test ends, pass or fail.
pub struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts `command` with `PORT` set and waits until it listens.
    pub fn start(mut command: Command, port: u16) -> Server {
        command
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1");
        Server::listening_on(command, port)
    }

    /// Starts `command` as it is and waits until it listens on `port`.
    pub fn listening_on(mut command: Command, port: u16) -> Server {
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start the server");
        let server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the server did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// Sends SIGTERM and waits for the process to end.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        self.child.wait().unwrap()
    }

    /// One request on a fresh connection; returns the status, the headers (names lowercased)
    /// and the body as sent.
    pub fn request(&self, method: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .map(|line| {
                let (name, value) = line.split_once(':').expect("a header line");
                (name.trim().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        (status, headers, body.to_owned())
    }

    /// Checks every case of `tests/http_contract.json` against this server of `stack`, each on a
    /// fresh connection; fails the test naming every case that does not hold.
    pub fn assert_http_contract(&self, stack: &str) {
        let contract: serde_json::Value =
            serde_json::from_str(include_str!("../http_contract.json")).unwrap();
        let greeting = contract["greeting"][stack].as_str().unwrap();
        let cases = contract["cases"].as_array().unwrap();
        assert!(cases.len() >= 10, "the contract has its cases");
        let mut failures = Vec::new();
        for case in cases {
            let (request, expected) = (&case["request"], &case["response"]);
            let (method, path) = (
                request["method"].as_str().unwrap(),
                request["path"].as_str().unwrap(),
            );
            let (status, headers, body) = self.request(method, path);
            let header = |name: &str| {
                headers
                    .iter()
                    .find(|(header, _)| header == name)
                    .map(|(_, value)| value.as_str())
            };
            let mut problems = Vec::new();
            if u64::from(status) != expected["status"].as_u64().unwrap() {
                problems.push(format!("status {status}"));
            }
            if header("transfer-encoding").is_some() {
                problems.push("a chunked body (the contract wants Content-Length)".into());
            }
            for (name, value) in expected["headers"].as_object().into_iter().flatten() {
                if header(name) != value.as_str() {
                    problems.push(format!("{name}: {:?}", header(name)));
                }
            }
            for name in expected["absent_headers"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap();
                if let Some(value) = header(name) {
                    problems.push(format!("{name} sent: {value:?}"));
                }
            }
            let body_holds = match &expected["body"] {
                serde_json::Value::Null => body.is_empty(),
                wanted => match (wanted.get("text"), wanted.get("json")) {
                    (Some(text), _) => {
                        let text = text.as_str().unwrap();
                        body == if text == "$greeting" { greeting } else { text }
                    }
                    (_, Some(json)) => {
                        serde_json::from_str::<serde_json::Value>(&body)
                            .ok()
                            .as_ref()
                            == Some(json)
                    }
                    _ => panic!("a body is text, json or null: {wanted}"),
                },
            };
            if !body_holds {
                problems.push(format!("body {body:?}"));
            }
            if !problems.is_empty() {
                failures.push(format!("{method} {path}: {}", problems.join("; ")));
            }
        }
        assert!(
            failures.is_empty(),
            "{stack}: {} of {} contract cases fail:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    /// GET `path`; returns the status code, the headers (lowercased) and the body.
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_ascii_lowercase(), body.to_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The generated Node.js server (`NODE server.js`) of `project`, listening on `port`.
pub fn node_server(node: impl AsRef<std::ffi::OsStr>, project: &Path, port: u16) -> Server {
    let mut command = Command::new(node);
    let server = if project.join("server.ts").is_file() {
        "server.ts"
    } else {
        "server.js"
    };
    command.arg(server).current_dir(project);
    Server::start(command, port)
}

/// The Python package under `src/` (revision 3 on), if the Flask project has one.
pub fn flask_package(project: &Path) -> Option<String> {
    let src = fs::read_dir(project.join("src")).ok()?;
    src.filter_map(Result::ok)
        .find(|entry| entry.path().join("__init__.py").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
}

/// The generated Flask app of `project` on the system `python3`, listening on `port`:
/// `python3 -m MODULE` with `src` on the path for a package, else `python3 app.py`.
pub fn flask_server(project: &Path, port: u16) -> Server {
    let mut command = Command::new("python3");
    match flask_package(project) {
        Some(module) => command.args(["-m", &module]).env("PYTHONPATH", "src"),
        None => command.arg("app.py"),
    };
    command
        .current_dir(project)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    Server::start(command, port)
}

/// Runs the Flask project's own pytest suite on the system `python3` (with `src` on the path
/// for a package); fails the test unless every test passes.
pub fn assert_pytest_passes(project: &Path) {
    let output = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .current_dir(project)
        .env("PYTHONPATH", "src")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs");
    let text = transcript(&output);
    assert!(
        output.status.success() && text.contains("passed") && !text.contains("failed"),
        "{text}"
    );
}
