//! `stackgen new` without a terminal: what it writes, what it refuses, and what it never loses.
//! Case ids (A01 …) refer to the bad-input catalogue.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::process::Command;

use assert_cmd::assert::OutputAssertExt;
use serde_json::Value;

use crate::support::{
    FLASK, NODE, Sandbox, args, assert_nothing, binary, package_json, pyproject, run_ok,
};

fn stdout_json(assert: assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&assert.get_output().stdout).expect("stdout is one JSON document")
}

#[test]
fn invalid_names_are_refused_with_a_suggestion() {
    // A01, A02, A03
    let sandbox = Sandbox::new();
    assert_nothing(&sandbox, &args(FLASK, &["My App"]), "try `my-app`");
    assert_nothing(&sandbox, &args(NODE, &["My App"]), "try `my-app`");
    assert_nothing(&sandbox, &args(NODE, &["MyApp"]), "try `myapp`");
    assert_nothing(
        &sandbox,
        &args(NODE, &["Hello, World!"]),
        "try `hello-world`",
    );
    assert_nothing(&sandbox, &args(NODE, &["  padded  "]), "try `padded`");
    assert_nothing(&sandbox, &args(FLASK, &["my.app"]), "try `my-app`");

    sandbox
        .new_project(&args(FLASK, &["My App", "--name", "my-app"]))
        .success();
    assert_eq!(
        pyproject(&sandbox, "My App")["project"]["name"].as_str(),
        Some("my-app")
    );
    sandbox
        .new_project(&args(NODE, &["Other App", "--name", "my-app"]))
        .success();
    assert_eq!(package_json(&sandbox, "Other App")["name"], "my-app");
}

#[test]
fn valid_names_are_kept_verbatim() {
    // A03, A10, A11, A13, A16
    let sandbox = Sandbox::new();
    let long = "a".repeat(214);
    for name in ["my_app", "my.app", "a--b", "class", "123app", long.as_str()] {
        sandbox
            .new_project(&args(NODE, &[name, "--no-git"]))
            .success();
        assert_eq!(package_json(&sandbox, name)["name"], name);
    }
    for name in ["my_app2", "a--b2"] {
        sandbox
            .new_project(&args(FLASK, &[name, "--no-git"]))
            .success();
        assert_eq!(
            pyproject(&sandbox, name)["project"]["name"].as_str(),
            Some(name)
        );
    }
    sandbox
        .new_project(&args(NODE, &["web", "--name", "@acme/web", "--no-git"]))
        .success();
    assert_eq!(package_json(&sandbox, "web")["name"], "@acme/web");
}

#[test]
fn names_breaking_a_rule_say_which_rule() {
    // A04–A09, A11–A14, A16
    let sandbox = Sandbox::new();
    let long = "a".repeat(215);
    let cases: &[(&[&str], [&str; 3], &str)] = &[
        (&[""], NODE, "PATH"),
        (&["   "], NODE, "invalid project name"),
        (&["app", "--name", ""], NODE, "empty"),
        (&["app", "--name", "../../x"], NODE, "`/` or `\\`"),
        (&["app", "--name", "a/b"], NODE, "`/` or `\\`"),
        (&["app", "--name", "a\\b"], NODE, "`/` or `\\`"),
        (&[".hidden"], NODE, "start with `.`"),
        (&["_private"], NODE, "start with `_`"),
        (&["--", "-rf"], NODE, "start with `-`"),
        (&["con"], NODE, "reserved"),
        (&["aux"], NODE, "reserved"),
        (&["nul"], NODE, "reserved"),
        (&["com0"], NODE, "reserved"),
        (&["lpt9"], NODE, "reserved"),
        (&["NUL"], FLASK, "reserved"),
        (&["Com1"], FLASK, "reserved"),
        (&["prn"], FLASK, "reserved"),
        (&["http"], NODE, "core module"),
        (&["fs"], NODE, "core module"),
        (&["events"], NODE, "core module"),
        (
            &["web", "--name", "node_modules"],
            NODE,
            "npm does not allow",
        ),
        (
            &["web", "--name", "favicon.ico"],
            NODE,
            "npm does not allow",
        ),
        (&[long.as_str()], NODE, "limit is 214"),
        (&["class"], FLASK, "keyword"),
        (&["123app"], FLASK, "digit"),
        (&["Café"], NODE, "--name"),
        (&["web", "--name", "@Acme/web"], NODE, "lowercase"),
        (&["web", "--name", "@acme/web"], FLASK, "`/` or `\\`"),
    ];
    for (extra, stack, needle) in cases {
        // `--` must come after the options, so the stack flags go first here.
        let all: Vec<&str> = stack.iter().copied().chain(extra.iter().copied()).collect();
        assert_nothing(&sandbox, &all, needle);
    }
    assert!(!sandbox.path("app").exists() && !sandbox.path("x").exists());
}

#[test]
fn flask_names_that_shadow_a_module_name_it() {
    // A12
    let sandbox = Sandbox::new();
    for name in [
        "flask",
        "werkzeug",
        "jinja2",
        "click",
        "itsdangerous",
        "markupsafe",
        "blinker",
        "pytest",
        "email",
        "json",
        "typing",
        "logging",
        "Flask",
        "Pytest",
    ] {
        let module = format!("`{}`", name.to_ascii_lowercase());
        assert_nothing(&sandbox, &args(FLASK, &[name]), &module);
    }
}

#[test]
fn control_characters_are_escaped_in_messages() {
    // A15
    let sandbox = Sandbox::new();
    for name in ["my\napp", "my\tapp", "my\u{1b}[31mapp"] {
        for (way, from_directory) in [(vec![name], true), (vec!["app", "--name", name], false)] {
            let stderr = assert_nothing(&sandbox, &args(NODE, &way), "\\u{");
            assert!(!stderr.contains('\u{1b}'), "raw escape in {stderr:?}");
            // Only a name taken from the directory suggests keeping the directory.
            assert_eq!(
                stderr.contains("keep the directory"),
                from_directory,
                "{stderr}"
            );
            assert!(stderr.contains("--name my-app"), "{stderr}");
        }
    }
}

/// Parses the module file argv[2]: some string constant equals argv[1], and no call to `open`
/// exists.
const PYTHON_LITERAL_CHECK: &str = r#"
import ast, sys
tree = ast.parse(open(sys.argv[2], encoding="utf-8").read())
constants = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
assert sys.argv[1] in constants, "description literal not found"
calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "open"]
assert not calls, "a call to open() was injected"
"#;

/// Imports `server.js` (which does not start the server when imported) and compares.
const NODE_LITERAL_CHECK: &str = r#"
const { pathToFileURL } = await import("node:url");
const server = await import(pathToFileURL("server.js").href);
if (server.PROJECT.description !== process.argv[1]) {
  console.error(JSON.stringify(server.PROJECT.description));
  process.exit(1);
}
"#;

#[test]
fn hostile_descriptions_are_reproduced_exactly() {
    // A17–A23, A27
    let sandbox = Sandbox::new();
    let descriptions = [
        r#"He said "hi" & left <now>"#,
        "It's a=b `tick`",
        r"C:\Users\new\",
        r#"x", "scripts": {"postinstall": "touch PWNED"}, "y": ""#,
        r#""); open("PWNED","w"); (""#,
        r#"${require("fs").writeFileSync("PWNED","")}"#,
        "{{author}} {{#each x}}{{/each}} {{{raw}}} {{> p}}",
        "Ünïcödé ☕ 🚀 👩\u{200d}💻 日本語",
        r#"""" triple """ </script>"#,
    ];
    for (index, description) in descriptions.iter().enumerate() {
        let node = format!("node{index}");
        let flask = format!("flask{index}");
        sandbox
            .new_project(&args(
                NODE,
                &[&node, "--no-git", "--description", description],
            ))
            .success();
        sandbox
            .new_project(&args(
                FLASK,
                &[&flask, "--no-git", "--description", description],
            ))
            .success();

        let manifest = package_json(&sandbox, &node);
        assert_eq!(manifest["description"], *description);
        assert!(manifest["scripts"].get("postinstall").is_none() && manifest.get("y").is_none());
        assert_eq!(
            pyproject(&sandbox, &flask)["project"]["description"].as_str(),
            Some(*description)
        );
        for dir in [&node, &flask] {
            assert!(
                sandbox
                    .read(format!("{dir}/README.md"))
                    .contains(description),
                "{dir}"
            );
        }
        run_ok("node", &["--check", "server.js"], &sandbox.path(&node));
        let module = format!("src/{flask}/__init__.py");
        run_ok(
            "python3",
            &["-B", "-m", "py_compile", &module],
            &sandbox.path(&flask),
        );
        // The code literals evaluate back to exactly the input, and nothing else runs.
        run_ok(
            "python3",
            &["-c", PYTHON_LITERAL_CHECK, description, &module],
            &sandbox.path(&flask),
        );
        run_ok(
            "node",
            &["--input-type=module", "-e", NODE_LITERAL_CHECK, description],
            &sandbox.path(&node),
        );
    }
    let escaped = Command::new("grep")
        .args(["-rlE", "&(quot|amp|lt|gt|#x27|#x3D|#x60);", "."])
        .current_dir(sandbox.root())
        .output()
        .unwrap();
    assert!(
        escaped.stdout.is_empty(),
        "HTML entities in {}",
        String::from_utf8_lossy(&escaped.stdout)
    );
    assert!(sandbox.names().iter().all(|entry| !entry.contains("PWNED")));
}

#[test]
fn bad_descriptions_are_refused() {
    // A24, A25
    let sandbox = Sandbox::new();
    assert_nothing(
        &sandbox,
        &args(NODE, &["app", "--description", "line1\nline2"]),
        "one line",
    );
    let too_long = "d".repeat(513);
    assert_nothing(
        &sandbox,
        &args(NODE, &["app", "--description", &too_long]),
        "512",
    );
    assert_nothing(
        &sandbox,
        &args(FLASK, &["app", "--description", "a\u{202e}b"]),
        "\\u{202e}",
    );
    let longest = "d".repeat(512);
    sandbox
        .new_project(&args(NODE, &["app", "--no-git", "--description", &longest]))
        .success();
}

#[test]
fn an_empty_description_and_no_author_leave_no_placeholder() {
    // A26, A32
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&args(NODE, &["web", "--description", ""]))
        .success();
    sandbox
        .new_project(&args(FLASK, &["api", "--description", ""]))
        .success();
    let manifest = package_json(&sandbox, "web");
    assert!(manifest.get("description").is_none() && manifest.get("author").is_none());
    let project = &pyproject(&sandbox, "api")["project"];
    assert!(project.get("description").is_none() && project.get("authors").is_none());
    for file in [
        "web/package.json",
        "web/README.md",
        "api/pyproject.toml",
        "api/README.md",
    ] {
        let text = sandbox.read(file);
        for placeholder in ["undefined", "null", "None", "Your Name", "TODO"] {
            assert!(!text.contains(placeholder), "{file} holds {placeholder}");
        }
    }
}

#[test]
fn authors_are_parsed_into_fields() {
    // A28, A29
    let sandbox = Sandbox::new();
    let author = "Jane \"JJ\" O'Neil <jj@example.com>";
    sandbox
        .new_project(&args(NODE, &["web", "--no-git", "--author", author]))
        .success();
    sandbox
        .new_project(&args(FLASK, &["api", "--no-git", "--author", author]))
        .success();
    assert_eq!(
        package_json(&sandbox, "web")["author"],
        serde_json::json!({"name": "Jane \"JJ\" O'Neil", "email": "jj@example.com"})
    );
    let authors = &pyproject(&sandbox, "api")["project"]["authors"];
    assert_eq!(authors[0]["name"].as_str(), Some("Jane \"JJ\" O'Neil"));
    assert_eq!(authors[0]["email"].as_str(), Some("jj@example.com"));
}

#[test]
fn malformed_authors_are_refused() {
    // A30, A31
    let sandbox = Sandbox::new();
    for author in [
        "Jane <jane@example.com",
        "Jane <jane@example.com> extra",
        "Jane <>",
        "<a@b@c>",
        "Jane\nDoe <j@example.com>",
    ] {
        assert_nothing(
            &sandbox,
            &args(NODE, &["app", "--author", author]),
            "invalid author",
        );
    }
    assert_nothing(
        &sandbox,
        &args(FLASK, &["app", "--author", "Doe, Jane"]),
        "`,`",
    );
}

#[test]
fn a_target_that_is_a_file_is_refused_and_kept() {
    // A33
    let sandbox = Sandbox::new();
    fs::write(sandbox.path("my-app"), "mine").unwrap();
    assert_nothing(&sandbox, &args(NODE, &["my-app"]), "not a directory");
    assert_eq!(sandbox.read("my-app"), "mine");
}

#[test]
fn a_non_empty_target_is_refused_and_its_contents_listed() {
    // A34
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("my-app")).unwrap();
    fs::write(sandbox.path("my-app/notes.txt"), "x").unwrap();
    let stderr = assert_nothing(&sandbox, &args(NODE, &["my-app"]), "notes.txt");
    assert!(stderr.contains("--force"), "{stderr}");
}

#[test]
fn an_empty_target_is_filled_in_place() {
    // A35
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("my-app")).unwrap();
    sandbox.new_project(&args(NODE, &["my-app"])).success();
    assert!(sandbox.path("my-app/server.js").is_file());
    assert!(sandbox.path("my-app/.git").is_dir());
}

#[test]
fn a_target_holding_only_git_keeps_its_repository_untouched() {
    // A36
    let sandbox = Sandbox::new();
    run_ok("git", &["init", "-q", "my-app"], sandbox.root());
    let head = sandbox.read("my-app/.git/HEAD");
    let stderr = sandbox
        .new_project(&args(NODE, &["my-app"]))
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&stderr).contains("skipped"));
    assert_eq!(sandbox.read("my-app/.git/HEAD"), head);
    assert!(!sandbox.path("my-app/.git/index").exists());
    let revisions = run_ok(
        "git",
        &["-C", "my-app", "rev-list", "--all"],
        sandbox.root(),
    );
    assert!(revisions.trim().is_empty());
    assert!(sandbox.path("my-app/package.json").is_file());
}

#[test]
fn symlinks_in_parents_are_followed_but_not_as_the_target() {
    // A37, A38
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("real")).unwrap();
    symlink(sandbox.path("real"), sandbox.path("link")).unwrap();
    sandbox
        .new_project(&args(NODE, &["link/app", "--no-git"]))
        .success();
    assert!(sandbox.path("real/app/package.json").is_file());

    fs::create_dir(sandbox.path("real2")).unwrap();
    symlink(sandbox.path("real2"), sandbox.path("my-app")).unwrap();
    assert_nothing(&sandbox, &args(NODE, &["my-app"]), "symbolic link");
    assert_nothing(
        &sandbox,
        &args(NODE, &["my-app", "--force"]),
        "symbolic link",
    );
    assert_nothing(&sandbox, &args(NODE, &["my-app/"]), "symbolic link");
    assert_eq!(fs::read_dir(sandbox.path("real2")).unwrap().count(), 0);

    symlink(sandbox.path("nowhere"), sandbox.path("my-app2")).unwrap();
    assert_nothing(&sandbox, &args(NODE, &["my-app2"]), "symbolic link");
    assert!(!sandbox.path("nowhere").exists());
}

#[test]
fn odd_paths_work_and_the_cd_line_is_safe_to_paste() {
    // A39, A40, A06
    let sandbox = Sandbox::new();
    let target = sandbox.path("my dir/ünï code/it's $(x)/app");
    let target_text = target.to_str().unwrap();
    let output = sandbox
        .new_project(&args(NODE, &[target_text, "--no-git"]))
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let cd = stderr
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("cd "))
        .expect("a cd line");
    let pwd = run_ok("sh", &["-c", &format!("{cd} && pwd")], sandbox.root());
    assert_eq!(pwd.trim_end(), target_text);

    let sibling = format!("../sib-{}", std::process::id());
    sandbox
        .new_project(&args(NODE, &[&sibling, "--no-git"]))
        .success();
    let made = sandbox.path(&sibling);
    assert!(made.join("package.json").is_file());
    fs::remove_dir_all(made).unwrap();

    sandbox
        .new_project(&args(NODE, &["a/b", "--no-git"]))
        .success();
    assert_eq!(package_json(&sandbox, "a/b")["name"], "b");
}

#[test]
fn an_unwritable_parent_is_refused_naming_it() {
    // A41: root ignores mode bits, so the run drops to `nobody`.
    let sandbox = Sandbox::new();
    fs::set_permissions(sandbox.root(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::create_dir(sandbox.path("ro")).unwrap();
    fs::set_permissions(sandbox.path("ro"), fs::Permissions::from_mode(0o555)).unwrap();
    let target = sandbox.path("ro/app");
    let before = sandbox.snap();
    let output = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "env",
            "HOME=/nonexistent",
        ])
        .arg(binary())
        .args(["new", target.to_str().unwrap(), "--stack", "node", "--yes"])
        .current_dir("/")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_lowercase();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let named = format!("cannot create `{}`", sandbox.path("ro").display()).to_lowercase();
    assert!(
        stderr.contains("permission denied") && stderr.contains(&named),
        "{stderr}"
    );
    assert!(!stderr.contains("staging"), "no internal name: {stderr}");
    assert_eq!(sandbox.snap(), before);
}

#[test]
fn an_over_long_component_is_refused() {
    // A42
    let sandbox = Sandbox::new();
    let long = sandbox.path("d".repeat(300));
    assert_nothing(
        &sandbox,
        &args(NODE, &[long.to_str().unwrap(), "--name", "app"]),
        "too long",
    );
}

#[test]
fn a_non_utf8_path_needs_a_name() {
    // A43
    use std::os::unix::ffi::OsStrExt;
    let sandbox = Sandbox::new();
    let raw = sandbox
        .root()
        .join(std::ffi::OsStr::from_bytes(b"\xff\xfe-app"));
    let before = sandbox.snap();
    let output = sandbox
        .stackgen()
        .arg("new")
        .arg(&raw)
        .args(NODE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    assert!(stderr.contains("--name"), "{stderr}");
    assert_eq!(sandbox.snap(), before);

    let output = sandbox
        .stackgen()
        .arg("new")
        .arg(&raw)
        .args(NODE)
        .args(["--name", "app"])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("stdout is UTF-8");
    String::from_utf8(output.stderr).expect("stderr is UTF-8");
    assert!(raw.join("package.json").is_file());
}

#[test]
fn without_a_tty_every_value_given_finishes_plainly() {
    // A44
    let sandbox = Sandbox::new();
    let output = sandbox
        .new_project(&args(
            NODE,
            &[
                "app",
                "--description",
                "Demo",
                "--author",
                "Jane Doe <jane@example.com>",
            ],
        ))
        .success()
        .get_output()
        .clone();
    let all = [output.stdout, output.stderr].concat();
    assert!(!all.contains(&0x1b), "no ANSI escapes without a terminal");
    assert!(String::from_utf8_lossy(&all).contains("app"));
}

#[test]
fn without_a_tty_a_missing_path_is_an_error_naming_it() {
    // A45
    let sandbox = Sandbox::new();
    for extra in [&["--stack", "node"][..], &[][..]] {
        let stderr = assert_nothing(&sandbox, extra, "PATH");
        assert!(stderr.contains("stackgen new my-app"), "{stderr}");
    }
}

#[test]
fn git_commits_exactly_the_written_files_with_the_configured_identity() {
    // A50
    let sandbox = Sandbox::new();
    sandbox.new_project(&args(NODE, &["app"])).success();
    let dir = sandbox.path("app");
    let log = run_ok("git", &["log", "--format=%an <%ae>|%cn <%ce>|%D"], &dir);
    assert_eq!(
        log.trim(),
        "CI User <ci@example.com>|CI User <ci@example.com>|HEAD -> main"
    );
    assert!(
        run_ok("git", &["status", "--porcelain"], &dir)
            .trim()
            .is_empty()
    );
    let mut tracked: Vec<String> = run_ok("git", &["ls-files"], &dir)
        .lines()
        .map(String::from)
        .collect();
    tracked.sort();
    let mut expected = vec![
        ".editorconfig",
        ".gitignore",
        ".stackgen.toml",
        "AGENTS.md",
        "README.md",
        "package.json",
        "server.js",
        "test/server.test.js",
    ];
    expected.sort_unstable();
    assert_eq!(tracked, expected);
    run_ok("git", &["fsck", "--strict", "--no-dangling"], &dir);
    // All objects (eight blobs, two trees, one commit) are in a single pack, none loose.
    let counts = run_ok("git", &["count-objects", "-v"], &dir);
    for expected in ["count: 0", "in-pack: 11", "packs: 1"] {
        assert!(counts.lines().any(|line| line == expected), "{counts}");
    }

    // Modes are what the umask gives anything made here, for the project directory and for
    // the repository's config (which libgit2's filesystem probe would leave executable).
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode();
    fs::create_dir(sandbox.path("plain-dir")).unwrap();
    fs::write(sandbox.path("plain-file"), "").unwrap();
    assert_eq!(mode(&dir), mode(&sandbox.path("plain-dir")));
    assert_eq!(
        mode(&dir.join(".git/config")),
        mode(&sandbox.path("plain-file"))
    );
}

#[test]
fn environment_identity_beats_config_like_git() {
    let sandbox = Sandbox::new();
    sandbox
        .stackgen()
        .args(["new", "app"])
        .args(NODE)
        .env("GIT_AUTHOR_NAME", "Env Author")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .assert()
        .success();
    let log = run_ok(
        "git",
        &["log", "--format=%an <%ae>|%cn <%ce>"],
        &sandbox.path("app"),
    );
    assert_eq!(
        log.trim(),
        "Env Author <ci@example.com>|CI User <committer@example.com>"
    );
}

#[test]
fn no_identity_means_a_repository_without_a_commit() {
    // A49, A69
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("empty")).unwrap();
    let output = sandbox
        .stackgen()
        .args(["new", "app", "--json"])
        .args(NODE)
        .env("HOME", sandbox.path("empty"))
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("user.name") || stderr.contains("user.email"),
        "{stderr}"
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["git"]["status"], "initialized");
    let dir = sandbox.path("app");
    assert!(dir.join(".git").is_dir());
    let head = Command::new("git")
        .args(["rev-parse", "-q", "--verify", "HEAD"])
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(!head.success(), "no commit was made");
    run_ok("git", &["fsck"], &dir);
}

#[test]
fn home_unset_still_works() {
    // A48
    let sandbox = Sandbox::new();
    sandbox
        .stackgen()
        .args(["new", "app"])
        .args(NODE)
        .env_remove("HOME")
        .assert()
        .success();
    assert!(sandbox.path("app/package.json").is_file());
}

#[test]
fn no_git_and_inside_a_repository_skip_init() {
    // A51, A52
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&args(NODE, &["plain", "--no-git"]))
        .success();
    assert!(!sandbox.path("plain/.git").exists());

    run_ok("git", &["init", "-q", "outer"], sandbox.root());
    let output = sandbox
        .stackgen()
        .current_dir(sandbox.path("outer"))
        .args(["new", "app"])
        .args(NODE)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&output.get_output().stderr).into_owned();
    assert!(stderr.contains("git init skipped"), "{stderr}");
    assert!(!sandbox.path("outer/app/.git").exists());
}

#[test]
fn force_keeps_every_existing_file_byte_for_byte() {
    // A67
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("f")).unwrap();
    fs::write(sandbox.path("f/README.md"), "mine\n").unwrap();
    fs::write(sandbox.path("f/notes.txt"), "x\n").unwrap();
    fs::create_dir(sandbox.path("f/test")).unwrap();
    symlink(sandbox.path("nowhere"), sandbox.path("f/.gitignore")).unwrap();
    let json = stdout_json(
        sandbox
            .new_project(&args(NODE, &["f", "--force", "--json"]))
            .success(),
    );
    assert_eq!(sandbox.read("f/README.md"), "mine\n");
    assert_eq!(sandbox.read("f/notes.txt"), "x\n");
    assert!(sandbox.path("f/server.js").is_file());
    assert!(
        !sandbox.path("nowhere").exists(),
        "a dangling symlink is never written through"
    );
    assert!(
        !sandbox.path("f/test/server.test.js").exists(),
        "an existing directory is never opened"
    );
    assert_eq!(
        json["skipped"],
        serde_json::json!(["test", "README.md", ".gitignore"])
    );
    let tracked = run_ok("git", &["ls-files"], &sandbox.path("f"));
    assert!(
        !tracked.contains("notes.txt")
            && !tracked.contains("README.md")
            && tracked.contains("server.js")
    );
}

#[test]
fn dry_run_lists_files_and_writes_nothing() {
    // A68
    let sandbox = Sandbox::new();
    let before = sandbox.snap();
    let output = sandbox
        .new_project(&args(FLASK, &["dry", "--dry-run", "--json"]))
        .success()
        .get_output()
        .clone();
    assert_eq!(sandbox.snap(), before);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|file| file == "src/dry/__init__.py")
    );
    assert_eq!(json["dry_run"], true);
    assert!(String::from_utf8_lossy(&output.stderr).contains("src/dry/__init__.py"));
    assert_nothing(
        &sandbox,
        &args(FLASK, &["My App", "--dry-run"]),
        "try `my-app`",
    );
}

#[test]
fn json_output_is_one_document_with_the_documented_fields() {
    // A69
    let sandbox = Sandbox::new();
    let json = stdout_json(
        sandbox
            .new_project(&args(NODE, &["js", "--json"]))
            .success(),
    );
    for field in ["path", "name", "stack", "files", "git", "skipped"] {
        assert!(json.get(field).is_some(), "missing `{field}`");
    }
    assert_eq!(json["name"], "js");
    assert_eq!(json["stack"], "node");
    assert_eq!(json["lang"], "js");
    assert_eq!(json["template_revision"], 3);
    assert_eq!(json["git"]["status"], "committed");
    assert_eq!(json["git"]["branch"], "main");
    assert_eq!(json["path"], sandbox.path("js").to_str().unwrap());
}

#[test]
fn path_forms_give_the_expected_names() {
    // A71
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&args(NODE, &["my-app/", "--no-git"]))
        .success();
    assert_eq!(package_json(&sandbox, "my-app")["name"], "my-app");
    fs::create_dir(sandbox.path("shop")).unwrap();
    sandbox
        .stackgen()
        .current_dir(sandbox.path("shop"))
        .args(["new", ".", "--no-git"])
        .args(NODE)
        .assert()
        .success();
    assert_eq!(package_json(&sandbox, "shop")["name"], "shop");
    assert_nothing(&sandbox, &args(NODE, &["/"]), "--name");
}

#[test]
fn ports_are_checked() {
    // A72
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&args(NODE, &["web", "--no-git", "--port", "8080"]))
        .success();
    sandbox
        .new_project(&args(FLASK, &["api", "--no-git", "--port", "8080"]))
        .success();
    assert!(
        sandbox
            .read("web/server.js")
            .contains("DEFAULT_PORT = 8080;")
    );
    assert!(
        sandbox
            .read("api/src/api/__init__.py")
            .contains("DEFAULT_PORT = 8080\n")
    );
    assert!(sandbox.read("web/README.md").contains("8080"));
    for port in ["0", "65536", "-1", "http"] {
        assert_nothing(&sandbox, &args(NODE, &["app", "--port", port]), "--port");
    }
}

#[test]
fn a_full_disk_rolls_back_everything() {
    // A66: needs root to mount a tiny tmpfs, as CI has.
    let sandbox = Sandbox::new();
    let small = sandbox.path("small");
    fs::create_dir(&small).unwrap();
    run_ok(
        "mount",
        &[
            "-t",
            "tmpfs",
            "-o",
            "size=8k",
            "tmpfs",
            small.to_str().unwrap(),
        ],
        sandbox.root(),
    );
    let output = sandbox
        .stackgen()
        .args([
            "new",
            small.join("app").to_str().unwrap(),
            "--description",
            "Demo",
        ])
        .args(NODE)
        .output()
        .unwrap();
    let left = fs::read_dir(&small).unwrap().count();
    run_ok("umount", &[small.to_str().unwrap()], sandbox.root());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_eq!(left, 0, "nothing may be left on the full disk");
}

#[test]
fn sigint_while_writing_rolls_back() {
    // A57, A58
    let sandbox = Sandbox::new();
    for existing in [false, true] {
        if existing {
            fs::create_dir(sandbox.path("app")).unwrap();
        }
        let before = sandbox.names();
        let child = Command::new(binary())
            .args(["new", "app", "--no-git"])
            .args(NODE)
            .current_dir(sandbox.root())
            .env("HOME", sandbox.home())
            .env("STACKGEN_TEST_WRITE_DELAY_MS", "300")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until writing has visibly begun, then interrupt.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while sandbox.names() == before {
            assert!(std::time::Instant::now() < deadline, "writing never began");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        run_ok("kill", &["-INT", &child.id().to_string()], sandbox.root());
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(130),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            sandbox.names(),
            before,
            "rolled back (existing target: {existing})"
        );
    }
}

#[test]
fn list_names_every_file_of_each_stack() {
    let sandbox = Sandbox::new();
    let json = stdout_json(
        sandbox
            .stackgen()
            .args(["list", "--json"])
            .assert()
            .success(),
    );
    let stacks = json["stacks"].as_array().unwrap();
    assert_eq!(stacks.len(), 2);
    // With the defaults, a project holds exactly the listed files (`<module>` being its
    // module); `--no-agents` leaves out what `left_out_by` says it does.
    let files_of = |dir: &str| {
        let mut files: Vec<String> = sandbox
            .names()
            .into_iter()
            .filter_map(|entry| {
                let path = entry.strip_prefix(&format!("{dir}/"))?.to_owned();
                Some(path.strip_suffix(" f")?.to_owned())
            })
            .collect();
        files.sort();
        files
    };
    for stack in stacks {
        let id = stack["id"].as_str().unwrap();
        let dir = format!("proj-{id}");
        sandbox
            .new_project(&[&dir, "--stack", id, "--yes", "--no-git"])
            .success();
        let listed = |without: &[&str]| {
            let mut listed: Vec<String> = stack["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|file| {
                    file.as_str()
                        .unwrap()
                        .replace("<module>", &format!("proj_{id}"))
                })
                .filter(|file| !without.contains(&file.as_str()))
                .collect();
            listed.sort();
            listed
        };
        assert_eq!(files_of(&dir), listed(&[]), "{id}");
        let agents: Vec<&Value> = stack["left_out_by"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|file| file["with"] == "--no-agents")
            .collect();
        assert_eq!(
            agents,
            [&serde_json::json!({ "path": "AGENTS.md", "with": "--no-agents" })],
            "{id}"
        );
        let bare = format!("bare-{id}");
        sandbox
            .new_project(&[
                &bare,
                "--name",
                &dir,
                "--stack",
                id,
                "--yes",
                "--no-git",
                "--no-agents",
            ])
            .success();
        assert_eq!(files_of(&bare), listed(&["AGENTS.md"]), "{id}");
    }
    let optional: Vec<(&str, &str)> = stacks[0]["optional_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            (
                file["path"].as_str().unwrap(),
                file["with"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        optional.contains(&("server.ts", "--lang ts")),
        "{optional:?}"
    );
    assert!(
        optional.contains(&(".github/workflows/ci.yml", "--ci github --lang ts")),
        "{optional:?}"
    );
    let bot = stacks[0]["optional_files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|file| file["path"] == ".github/workflows/stackgen-update.yml")
        .unwrap();
    assert_eq!(bot["not_with"], "--no-update-bot");
    // The table says the same, each condition after the path.
    let text = String::from_utf8(
        sandbox
            .stackgen()
            .arg("list")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    for line in [
        "  AGENTS.md                              not with --no-agents\n",
        "  .github/workflows/ci.yml               with --ci github, not with --lang ts\n",
        "  .github/workflows/ci.yml               with --ci github --lang ts\n",
        "  src/<module>/__init__.py\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert_eq!(stacks[0]["default_port"], 3000);
    assert_eq!(stacks[1]["default_port"], 5000);
}

#[test]
fn lang_is_for_node_and_revision_3_on() {
    let sandbox = Sandbox::new();
    let stderr = assert_nothing(
        &sandbox,
        &["api", "--stack", "flask", "--lang", "ts", "--yes"],
        "invalid --lang `ts`: only Node.js projects choose a language",
    );
    assert!(stderr.contains("use `--stack node`"), "{stderr}");
    assert_nothing(
        &sandbox,
        &["api", "--stack", "flask", "--lang", "js", "--yes"],
        "invalid --lang `js`",
    );
    // Taken from the recommendation (a data-science team gets Flask): refused all the same.
    assert_nothing(
        &sandbox,
        &[
            "api",
            "--use-case",
            "data-science",
            "--team",
            "python",
            "--lang",
            "ts",
            "--yes",
        ],
        "only Node.js projects choose a language",
    );
    assert_nothing(
        &sandbox,
        &[
            "web",
            "--stack",
            "node",
            "--lang",
            "ts",
            "--template-revision",
            "2",
            "--yes",
        ],
        "`--lang ts` needs template revision 3 or later",
    );
    sandbox
        .new_project(&[
            "web", "--stack", "node", "--lang", "ts", "--yes", "--no-git",
        ])
        .success();
    for file in [
        "server.ts",
        "test/server.test.ts",
        "tsconfig.json",
        "AGENTS.md",
    ] {
        assert!(sandbox.path("web").join(file).is_file(), "{file}");
    }
    assert!(!sandbox.path("web/server.js").exists());
    let manifest: Value = serde_json::from_str(&sandbox.read("web/package.json")).unwrap();
    assert_eq!(manifest["main"], "server.ts");
    assert!(
        sandbox
            .read("web/.stackgen.toml")
            .contains("\nlang = \"ts\"\n")
    );
    // Another project from its record is TypeScript too.
    sandbox
        .new_project(&[
            "again",
            "--answers",
            "web/.stackgen.toml",
            "--yes",
            "--no-git",
        ])
        .success();
    assert!(sandbox.path("again/server.ts").is_file());
    // A Flask project records no `lang`, and one made from a Node.js record is Python.
    sandbox
        .new_project(&[
            "api",
            "--stack",
            "flask",
            "--yes",
            "--no-git",
            "--no-agents",
        ])
        .success();
    let record = sandbox.read("api/.stackgen.toml");
    assert!(
        !record.contains("lang") && record.contains("\nagents = false\n"),
        "{record}"
    );
    assert!(!sandbox.path("api/AGENTS.md").exists());
    sandbox
        .new_project(&[
            "py",
            "--answers",
            "web/.stackgen.toml",
            "--name",
            "py",
            "--stack",
            "flask",
            "--yes",
            "--no-git",
        ])
        .success();
    assert!(sandbox.path("py/src/py/__init__.py").is_file());
}

#[test]
fn next_steps_follow_the_revision_3_projects() {
    let sandbox = Sandbox::new();
    let stderr = |args: &[&str]| {
        let output = sandbox.new_project(args).success().get_output().clone();
        String::from_utf8(output.stderr).unwrap()
    };
    let flask = stderr(&[
        "api",
        "--stack",
        "flask",
        "--yes",
        "--no-git",
        "--skip-checks",
    ]);
    assert!(
        flask.contains("pip install -U 'pip>=25.1' && pip install -e . --group dev")
            && flask.contains("python -m api ")
            && !flask.contains("app.py"),
        "{flask}"
    );
    let ts = stderr(&[
        "web", "--stack", "node", "--lang", "ts", "--yes", "--no-git",
    ]);
    assert!(
        ts.contains("npm install ") && ts.contains("npm test"),
        "{ts}"
    );
    let old = stderr(&[
        "old",
        "--stack",
        "flask",
        "--yes",
        "--no-git",
        "--skip-checks",
        "--template-revision",
        "2",
    ]);
    assert!(
        old.contains("pip install -e '.[dev]'") && old.contains("python app.py"),
        "{old}"
    );
}
