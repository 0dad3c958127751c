//! The parts of the bad-input catalogue that `new.rs` and `doctor.rs` leave open, and signals at
//! every phase of `new` after prompting: writing, git, and installing. Case ids (A01 …) refer
//! to the catalogue.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::assert::OutputAssertExt;
use serde_json::Value;

use crate::support::{
    FLASK, NODE, Sandbox, Server, args, assert_nothing, free_port, package_json, run_ok,
};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under the sandbox (but `HOME`) whose name or contents holds `needle`.
fn anywhere(sandbox: &Sandbox, needle: &str) -> Vec<String> {
    let output = Command::new("grep")
        .args(["-rlF", "--exclude-dir=.home", "--", needle, "."])
        .current_dir(sandbox.root())
        .output()
        .unwrap();
    let mut hits: Vec<String> = text(&output.stdout).lines().map(String::from).collect();
    hits.extend(
        sandbox
            .names()
            .into_iter()
            .filter(|entry| entry.contains(needle)),
    );
    hits
}

/// The catalogue's NOESC probe over the whole sandbox.
fn assert_no_html_entities(sandbox: &Sandbox) {
    let output = Command::new("grep")
        .args(["-rlE", "&(quot|amp|lt|gt|#x27|#x3D|#x60);", "."])
        .current_dir(sandbox.root())
        .output()
        .unwrap();
    assert!(
        output.stdout.is_empty(),
        "HTML entities in {}",
        text(&output.stdout)
    );
}

#[test]
fn node_refuses_my_app_and_accepts_it_with_a_name() {
    // A02, exactly as the catalogue runs it
    let sandbox = Sandbox::new();
    assert_nothing(&sandbox, &args(NODE, &["My App"]), "try `my-app`");
    sandbox
        .new_project(&args(NODE, &["My App", "--name", "my-app"]))
        .success();
    assert_eq!(package_json(&sandbox, "My App")["name"], "my-app");
}

#[test]
fn a_non_ascii_directory_takes_an_ascii_name() {
    // A14
    let sandbox = Sandbox::new();
    assert_nothing(&sandbox, &args(NODE, &["Café"]), "--name");
    sandbox
        .new_project(&args(NODE, &["Café", "--name", "cafe"]))
        .success();
    assert_eq!(package_json(&sandbox, "Café")["name"], "cafe");
}

#[test]
fn control_characters_never_reach_either_stream_raw() {
    // A15: NOANSI on stdout as well as stderr, for both stacks.
    let sandbox = Sandbox::new();
    for stack in [NODE, FLASK] {
        for name in ["my\napp", "my\tapp", "my\u{1b}[31mapp"] {
            for way in [vec![name], vec!["app", "--name", name]] {
                let output = sandbox.new_project(&args(stack, &way)).code(2);
                let output = output.get_output();
                let all = [&output.stdout[..], &output.stderr[..]].concat();
                assert!(!all.contains(&0x1b), "raw ESC for {name:?}");
                assert!(text(&output.stderr).contains("\\u{"), "{name:?}");
            }
        }
    }
}

/// Starts the generated Node.js server and checks `/` answers 200.
fn assert_node_serves(dir: &Path) {
    let mut command = Command::new("node");
    command.arg("server.js").current_dir(dir);
    let server = Server::start(command, free_port());
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn node_servers_with_hostile_descriptions_run_and_inject_nothing() {
    // A19, A22: JSCHK (the server started and queried), no PWNED, JSON exact.
    let sandbox = Sandbox::new();
    for (dir, description) in [
        ("backslash", r"C:\Users\new\"),
        ("template", r#"${require("fs").writeFileSync("PWNED","")}"#),
    ] {
        sandbox
            .new_project(&args(
                NODE,
                &[dir, "--no-git", "--description", description],
            ))
            .success();
        assert_eq!(package_json(&sandbox, dir)["description"], description);
        let project = sandbox.path(dir);
        run_ok("node", &["--check", "server.js"], &project);
        assert_node_serves(&project);
    }
    // The description itself sits in the files that show it, as data; nothing ran it.
    assert!(sandbox.names().iter().all(|entry| !entry.contains("PWNED")));
}

#[test]
fn importing_a_flask_app_with_a_python_breakout_runs_nothing() {
    // A21: after importing the app (Flask installed), no PWNED anywhere.
    let sandbox = Sandbox::new();
    let description = r#""); open("PWNED","w"); (""#;
    sandbox
        .new_project(&args(
            FLASK,
            &["api", "--no-git", "--description", description],
        ))
        .success();
    let project = sandbox.path("api");
    let value = run_ok(
        "python3",
        &[
            "-B",
            "-c",
            "import api, sys; sys.stdout.write(api.PROJECT_DESCRIPTION)",
        ],
        &project.join("src"),
    );
    assert_eq!(value, description);
    assert!(
        sandbox.names().iter().all(|entry| !entry.contains("PWNED")),
        "{:?}",
        sandbox.names()
    );
}

/// Prints `server.js`'s `PROJECT.description` as JSON.
const NODE_DESCRIPTION: &str = r#"
const { pathToFileURL } = await import("node:url");
const server = await import(pathToFileURL("server.js").href);
process.stdout.write(JSON.stringify(server.PROJECT.description));
"#;

#[test]
fn an_empty_description_is_empty_in_the_code_too() {
    // A26: `undefined`, `null`, `None` appear nowhere as a description.
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&args(NODE, &["web", "--no-git", "--description", ""]))
        .success();
    sandbox
        .new_project(&args(FLASK, &["api", "--no-git", "--description", ""]))
        .success();
    let node = run_ok(
        "node",
        &["--input-type=module", "-e", NODE_DESCRIPTION],
        &sandbox.path("web"),
    );
    assert_eq!(node, "\"\"");
    let python = run_ok(
        "python3",
        &[
            "-c",
            "import ast; t = ast.parse(open('src/api/__init__.py').read()); \
             print([ast.literal_eval(n.value) for n in t.body if isinstance(n, ast.Assign) \
             and n.targets[0].id == 'PROJECT_DESCRIPTION'])",
        ],
        &sandbox.path("api"),
    );
    assert_eq!(python.trim(), "['']");
}

#[test]
fn unicode_is_written_as_raw_utf8() {
    // A27: the manifests hold the characters themselves, not `\u` escapes.
    let sandbox = Sandbox::new();
    let description = "Ünïcödé ☕ 🚀 👩\u{200d}💻 日本語";
    sandbox
        .new_project(&args(
            NODE,
            &["web", "--no-git", "--description", description],
        ))
        .success();
    sandbox
        .new_project(&args(
            FLASK,
            &["api", "--no-git", "--description", description],
        ))
        .success();
    for file in [
        "web/package.json",
        "web/README.md",
        "web/server.js",
        "api/pyproject.toml",
        "api/README.md",
        "api/src/api/__init__.py",
    ] {
        assert!(sandbox.read(file).contains(description), "{file}");
    }
}

#[test]
fn quoted_authors_are_never_html_escaped() {
    // A29: NOESC over every generated file.
    let sandbox = Sandbox::new();
    let author = "Jane \"JJ\" O'Neil <jj@example.com>";
    sandbox
        .new_project(&args(NODE, &["web", "--author", author]))
        .success();
    sandbox
        .new_project(&args(FLASK, &["api", "--author", author]))
        .success();
    assert_no_html_entities(&sandbox);
    assert!(sandbox.read("api/pyproject.toml").contains("Jane"));
}

#[test]
fn without_a_tty_a_missing_path_fails_at_once_without_prompting() {
    // A45: a hang would be the bug, so the run is bounded; no prompt text on either stream.
    let sandbox = Sandbox::new();
    for extra in [&["--stack", "node"][..], &[][..]] {
        let mut command = sandbox.stackgen();
        command.arg("new").args(extra);
        let output = assert_cmd::Command::from_std(command)
            .timeout(Duration::from_secs(10))
            .assert()
            .code(2)
            .get_output()
            .clone();
        let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
        assert!(all.contains("PATH"), "{all}");
        assert!(!all.contains("Project name"), "{all}");
    }
}

/// Asserts a repository exists in `dir` without any commit.
fn assert_repository_without_commit(dir: &Path) {
    assert!(dir.join(".git").is_dir());
    let head = Command::new("git")
        .args(["rev-parse", "-q", "--verify", "HEAD"])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(!head.success(), "no commit was made");
    run_ok("git", &["fsck"], dir);
}

#[test]
fn without_home_or_identity_no_author_is_invented() {
    // A48 (HOME unset: git as in A49), A49 (no invented author anywhere)
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("empty")).unwrap();
    for (dir, home) in [("unset", None), ("empty-home", Some(sandbox.path("empty")))] {
        let mut command = sandbox.stackgen();
        command.args(["new", dir]).args(NODE);
        match home {
            Some(home) => command.env("HOME", home),
            None => command.env_remove("HOME"),
        };
        let output = command.assert().success().get_output().clone();
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("user.name") || stderr.contains("user.email"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_repository_without_commit(&sandbox.path(dir));
        assert!(package_json(&sandbox, dir).get("author").is_none());
    }
    for invented in ["Your Name", "TODO", "you@example.com", "CI User"] {
        assert_eq!(
            anywhere(&sandbox, invented),
            Vec::<String>::new(),
            "{invented}"
        );
    }
}

#[test]
fn force_lists_the_skipped_files_on_stderr_too() {
    // A67
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("f")).unwrap();
    fs::write(sandbox.path("f/README.md"), "mine\n").unwrap();
    fs::write(sandbox.path("f/notes.txt"), "x\n").unwrap();
    let output = sandbox
        .new_project(&args(NODE, &["f", "--force", "--json"]))
        .success()
        .get_output()
        .clone();
    let stderr = text(&output.stderr);
    assert!(stderr.contains("README.md"), "{stderr}");
    assert!(
        !text(&output.stdout).contains("kept"),
        "stdout is JSON only"
    );
    assert_eq!(sandbox.read("f/README.md"), "mine\n");
    let untracked = run_ok(
        "git",
        &["status", "--porcelain", "--untracked-files=all"],
        &sandbox.path("f"),
    );
    assert!(untracked.contains("?? notes.txt"), "{untracked}");
    assert!(untracked.contains("README.md"), "{untracked}");
}

#[test]
fn require_toolchain_touches_nothing_not_even_mtimes() {
    // A70: the catalogue's NOTHING-grade snapshot, modification times included.
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("emptybin")).unwrap();
    let before = sandbox.snap();
    let output = sandbox
        .stackgen()
        .args(["new", "app", "--require-toolchain"])
        .args(NODE)
        .env("PATH", sandbox.path("emptybin"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert_eq!(sandbox.snap(), before);
}

#[test]
fn the_port_is_the_default_in_every_file_that_shows_it() {
    // A72: Flask's README too, and the Flask app listens there without PORT.
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&args(FLASK, &["api", "--no-git", "--port", "8080"]))
        .success();
    assert!(sandbox.read("api/README.md").contains("127.0.0.1:8080/"));
    let port = run_ok(
        "python3",
        &["-B", "-c", "import api; print(api.listen_address({})[1])"],
        &sandbox.path("api/src"),
    );
    assert_eq!(port.trim(), "8080");
}

// --- Signals -------------------------------------------------------------------------------

/// Runs `new` with the test delay, waits until `ready` holds, sends `signal`, and returns the
/// finished run. `path` replaces PATH when given.
fn interrupt_when(
    sandbox: &Sandbox,
    new_args: &[&str],
    path: Option<&Path>,
    signal: &str,
    ready: impl Fn() -> bool,
) -> Output {
    let mut command = sandbox.stackgen();
    command
        .arg("new")
        .args(new_args)
        .env("STACKGEN_TEST_WRITE_DELAY_MS", "300")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let mut child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the run never reached the point to interrupt");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    run_ok(
        "kill",
        &[&format!("-{signal}"), &child.id().to_string()],
        sandbox.root(),
    );
    child.wait_with_output().unwrap()
}

fn expected_code(signal: &str) -> i32 {
    if signal == "TERM" { 143 } else { 130 }
}

/// The staging directory beside `app`, if it exists yet.
fn staging_dir(sandbox: &Sandbox) -> Option<std::path::PathBuf> {
    fs::read_dir(sandbox.root())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with(".stackgen-staging-"))
        })
}

#[test]
fn sigterm_while_writing_rolls_back_with_143() {
    // A57 and A58 with SIGTERM
    let sandbox = Sandbox::new();
    for existing in [false, true] {
        if existing {
            fs::create_dir(sandbox.path("app")).unwrap();
        }
        let before = sandbox.names();
        let output = interrupt_when(
            &sandbox,
            &args(NODE, &["app", "--no-git"]),
            None,
            "TERM",
            || sandbox.names() != before,
        );
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(143), "{stderr}");
        assert!(stderr.contains("SIGTERM"), "{stderr}");
        assert_eq!(sandbox.names(), before, "existing target: {existing}");
    }
}

#[test]
fn a_signal_during_the_git_step_rolls_back_the_repository_too() {
    // R4 for the git step: `.git` exists (init done, commit pending) when the signal lands.
    for signal in ["INT", "TERM"] {
        for existing in [false, true] {
            let sandbox = Sandbox::new();
            if existing {
                fs::create_dir(sandbox.path("app")).unwrap();
            }
            let before = sandbox.names();
            let output = interrupt_when(&sandbox, &args(NODE, &["app"]), None, signal, || {
                let dir = if existing {
                    Some(sandbox.path("app"))
                } else {
                    staging_dir(&sandbox)
                };
                dir.is_some_and(|dir| dir.join(".git/HEAD").is_file())
            });
            let stderr = text(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(expected_code(signal)),
                "{signal}: {stderr}"
            );
            assert!(stderr.contains("nothing written"), "{stderr}");
            assert_eq!(
                sandbox.names(),
                before,
                "{signal}, existing target: {existing}"
            );
        }
    }
}

/// A fake toolchain: `node` 20 and an `npm` whose `install` starts a child of its own (its
/// process id in `marker.child`), writes its own process id to `marker` (`exec` keeps it for
/// `sleep`), then hangs.
fn hanging_npm(sandbox: &Sandbox, marker: &Path) -> std::path::PathBuf {
    let marker = marker.display();
    sandbox.fake("node", "echo v20.11.1").fake(
        "npm",
        &format!(
            "case \"$1\" in install) /bin/sleep 30 & echo $! > '{marker}.child'; \
             echo $$ > '{marker}.tmp'; /bin/mv '{marker}.tmp' '{marker}'; \
             exec /bin/sleep 30;; *) echo 10.2.4;; esac"
        ),
    );
    sandbox.bin()
}

#[test]
fn a_signal_during_install_keeps_the_written_project_and_says_so() {
    // The project was whole before `npm install` began: it stays, the message says so instead
    // of "nothing written", and the hung install is stopped rather than left running.
    for signal in ["INT", "TERM"] {
        let sandbox = Sandbox::new();
        let marker = sandbox.path("install-started");
        let bin = hanging_npm(&sandbox, &marker);
        let output = interrupt_when(
            &sandbox,
            &args(NODE, &["app", "--no-git", "--install"]),
            Some(&bin),
            signal,
            || marker.exists(),
        );
        let pid = fs::read_to_string(&marker).unwrap().trim().to_owned();
        let child_marker = format!("{}.child", marker.display());
        let child = fs::read_to_string(child_marker).unwrap().trim().to_owned();
        // A killed process stays in /proc as a zombie until reaped; count only live ones.
        let alive = |pid: &str| {
            fs::read_to_string(Path::new("/proc").join(pid).join("stat"))
                .is_ok_and(|stat| !stat.contains(") Z "))
        };
        let (still_running, child_running) = (alive(&pid), alive(&child));
        for leftover in [&pid, &child] {
            let _ = Command::new("kill").args(["-KILL", leftover]).status();
        }
        let stderr = text(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(expected_code(signal)),
            "{signal}: {stderr}"
        );
        assert!(stderr.contains("was kept"), "{stderr}");
        assert!(!stderr.contains("nothing written"), "{stderr}");
        assert!(
            stderr.contains("npm install"),
            "the retry command: {stderr}"
        );
        for file in ["package.json", "server.js", "test/server.test.js"] {
            assert!(sandbox.path("app").join(file).is_file(), "{file}");
        }
        assert!(!still_running, "the install (pid {pid}) was left running");
        assert!(
            !child_running,
            "what the install started (pid {child}) was left running"
        );
    }
}

#[test]
fn a_dot_git_that_is_not_a_repository_is_never_removed() {
    // R3/R4: a `.git` this run did not create is the user's, whatever it holds; git is skipped
    // with a warning and the project is written.
    let sandbox = Sandbox::new();
    fs::create_dir_all(sandbox.path("app/.git")).unwrap();
    fs::write(sandbox.path("app/.git/notes"), "mine\n").unwrap();
    let output = sandbox
        .new_project(&args(NODE, &["app", "--json"]))
        .success()
        .get_output()
        .clone();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["git"]["status"], "failed", "{json}");
    assert!(
        text(&output.stderr).contains("git"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(sandbox.read("app/.git/notes"), "mine\n");
    assert_eq!(fs::read_dir(sandbox.path("app/.git")).unwrap().count(), 1);
    assert!(sandbox.path("app/package.json").is_file());
}

/// Staging directories in the sandbox root.
fn staging_dirs(sandbox: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(sandbox.root())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".stackgen-staging-"))
        .collect();
    names.sort();
    names
}

#[test]
fn staging_left_by_a_killed_run_is_removed_by_the_next_and_nothing_else_is() {
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .stackgen()
        .args([
            "new",
            "killed",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--skip-checks",
        ])
        .env("STACKGEN_TEST_WRITE_DELAY_MS", "200")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while staging_dirs(&sandbox).is_empty() {
        assert!(Instant::now() < deadline, "no staging directory appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let left = staging_dirs(&sandbox);
    assert_eq!(left.len(), 1, "{left:?}");
    // A look-alike without a marker is not stackgen's to remove.
    fs::create_dir(sandbox.path(".stackgen-staging-usersown")).unwrap();
    fs::write(sandbox.path(".stackgen-staging-usersown/keep"), "mine").unwrap();

    let output = sandbox
        .stackgen()
        .args([
            "new",
            "next",
            "--stack",
            "node",
            "--yes",
            "--no-git",
            "--skip-checks",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("removed 1 staging directory left by a stackgen run that was killed"),
        "{stderr}"
    );
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["cleaned"], serde_json::json!(left));
    assert_eq!(staging_dirs(&sandbox), [".stackgen-staging-usersown"]);
    assert_eq!(sandbox.read(".stackgen-staging-usersown/keep"), "mine");
    assert!(
        !sandbox.path("next/.stackgen-staging").exists(),
        "the marker stays out"
    );
}

/// Starts `new app` with the test delay and waits until `app/package.json`, its first file, is
/// written.
fn new_app_paused_after_first_file(sandbox: &Sandbox) -> std::process::Child {
    let child = sandbox
        .stackgen()
        .arg("new")
        .args(args(NODE, &["app", "--no-git"]))
        .env("STACKGEN_TEST_WRITE_DELAY_MS", "300")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !sandbox.path("app/package.json").exists() {
        assert!(
            Instant::now() < deadline,
            "the first file was never written"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

#[test]
fn entries_that_appear_while_new_writes_in_place_end_the_run_and_stay_as_they_were() {
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("app")).unwrap();
    fs::create_dir(sandbox.path("outside")).unwrap();
    fs::write(sandbox.path("outside/README.md"), "theirs").unwrap();
    let child = new_app_paused_after_first_file(&sandbox);
    // A file, a link where a planned directory goes and one where a planned file goes.
    fs::write(sandbox.path("app/intruder.txt"), "theirs").unwrap();
    std::os::unix::fs::symlink(sandbox.path("outside"), sandbox.path("app/test")).unwrap();
    std::os::unix::fs::symlink(
        sandbox.path("outside/README.md"),
        sandbox.path("app/README.md"),
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("appeared in"), "{stderr}");
    for name in ["`intruder.txt`", "`test`", "`README.md`"] {
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
    assert!(
        stderr.contains("left those entries as they are"),
        "{stderr}"
    );
    let mut left: Vec<String> = fs::read_dir(sandbox.path("app"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["README.md", "intruder.txt", "test"], "only theirs");
    assert_eq!(sandbox.read("app/intruder.txt"), "theirs");
    assert_eq!(
        fs::read_link(sandbox.path("app/test")).unwrap(),
        sandbox.path("outside")
    );
    let mut outside: Vec<String> = fs::read_dir(sandbox.path("outside"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    outside.sort();
    assert_eq!(outside, ["README.md"], "nothing written through a link");
    assert_eq!(sandbox.read("outside/README.md"), "theirs");
}

#[test]
fn a_target_made_while_new_stages_ends_the_run_and_stays_as_it_was() {
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .stackgen()
        .arg("new")
        .args(args(NODE, &["app", "--no-git"]))
        .env("STACKGEN_TEST_WRITE_DELAY_MS", "100")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while staging_dir(&sandbox).is_none() {
        assert!(Instant::now() < deadline, "no staging directory appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
    fs::create_dir(sandbox.path("app")).unwrap();
    fs::write(sandbox.path("app/notes.txt"), "theirs").unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`app` appeared in"), "{stderr}");
    assert_eq!(sandbox.names(), ["app d", "app/notes.txt f"]);
    assert_eq!(sandbox.read("app/notes.txt"), "theirs");
}
