//! `stackgen update`, `diff` and `check` on real projects: generated at template revision 1,
//! edited as a user would, then brought to the current revision.

use std::fs;
use std::process::Command;

use assert_cmd::assert::OutputAssertExt;

use crate::support::{Sandbox, assert_pytest_passes, flask_server, free_port, node_server, run_ok};

/// A committed project at revision 1 with extras, in `app/`.
fn old_project(sandbox: &Sandbox, stack: &str) {
    project_at(sandbox, stack, 1);
}

/// A committed project at `revision` with extras, in `app/`.
fn project_at(sandbox: &Sandbox, stack: &str, revision: u32) {
    sandbox
        .new_project(&[
            "app",
            "--stack",
            stack,
            "--yes",
            "--skip-checks",
            "--template-revision",
            &revision.to_string(),
            "--docker",
            "--ci",
            "github",
        ])
        .success();
    let record = sandbox.read("app/.stackgen.toml");
    assert!(record.contains(&format!("template_revision = {revision}\n")));
    assert!(
        !record.contains("agents") && !record.contains("lang"),
        "revisions 1 and 2 record neither: {record}"
    );
}

fn git(sandbox: &Sandbox, args: &[&str]) -> String {
    sandbox.git("app", args)
}

fn edit(sandbox: &Sandbox, file: &str, from: &str, to: &str) {
    let path = sandbox.path(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn update_json(sandbox: &Sandbox, args: &[&str], code: i32) -> serde_json::Value {
    let output = sandbox
        .stackgen()
        .arg("update")
        .arg("app")
        .arg("--json")
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .clone();
    serde_json::from_slice(&output.stdout).unwrap()
}

fn outcomes(document: &serde_json::Value) -> Vec<(String, String)> {
    document["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            (
                file["path"].as_str().unwrap().to_owned(),
                file["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn outcome_of<'a>(outcomes: &'a [(String, String)], path: &str) -> &'a str {
    &outcomes.iter().find(|(file, _)| file == path).unwrap().1
}

#[test]
fn node_user_edits_survive_the_update_and_the_project_still_works() {
    for revision in [1, 2] {
        let sandbox = Sandbox::new();
        project_at(&sandbox, "node", revision);
        // Change the greeting, delete the Dockerfile, add a file of their own, and a line to the
        // README away from the lines revision 3 edits.
        edit(
            &sandbox,
            "app/server.js",
            "Welcome to Node.js",
            "Welcome to my app",
        );
        fs::remove_file(sandbox.path("app/Dockerfile")).unwrap();
        fs::write(sandbox.path("app/NOTES.md"), "mine\n").unwrap();
        edit(
            &sandbox,
            "app/README.md",
            "## Test",
            "## Test\n\nRun before every push.",
        );
        git(&sandbox, &["add", "-A"]);
        git(&sandbox, &["commit", "-qm", "my edits"]);

        sandbox.stackgen().args(["check", "app"]).assert().code(4);
        let document = update_json(&sandbox, &[], 0);
        assert_eq!(
            (document["from"].as_u64(), document["to"].as_u64()),
            (Some(revision.into()), Some(3))
        );
        // A record without `lang` or `agents` is a JavaScript project with AGENTS.md.
        assert_eq!(
            document["answers_changed"],
            serde_json::json!({}),
            "{document}"
        );
        let outcomes = outcomes(&document);
        // Revision 3's JavaScript package.json is revision 2's.
        let manifest = if revision == 1 {
            "updated"
        } else {
            "unchanged"
        };
        assert_eq!(outcome_of(&outcomes, "package.json"), manifest);
        assert_eq!(outcome_of(&outcomes, "server.js"), "merged");
        assert_eq!(outcome_of(&outcomes, "test/server.test.js"), "updated");
        assert_eq!(outcome_of(&outcomes, "README.md"), "merged");
        assert_eq!(outcome_of(&outcomes, "AGENTS.md"), "added");
        assert_eq!(outcome_of(&outcomes, ".github/workflows/ci.yml"), "updated");
        assert_eq!(outcome_of(&outcomes, ".github/dependabot.yml"), "added");
        assert_eq!(outcome_of(&outcomes, "Dockerfile"), "kept-deleted");
        assert!(!outcomes.iter().any(|(path, _)| path.ends_with(".ts")));
        assert!(!sandbox.path("app/Dockerfile").exists());
        assert_eq!(sandbox.read("app/NOTES.md"), "mine\n");
        let readme = sandbox.read("app/README.md");
        assert!(
            readme.contains("Run before every push.") && readme.contains("npm run dev"),
            "{readme}"
        );
        let record = sandbox.read("app/.stackgen.toml");
        assert!(
            record.contains("template_revision = 3\n")
                && record.contains("\nlang = \"js\"\n")
                && record.contains("\nagents = true\n"),
            "{record}"
        );
        let server = sandbox.read("app/server.js");
        assert!(
            server.contains("Welcome to my app") && server.contains("export const ALLOW"),
            "{server}"
        );
        sandbox.stackgen().args(["check", "app"]).assert().success();

        let project = sandbox.path("app");
        run_ok("node", &["--test"], &project);
        let port = free_port();
        let server = node_server("node", &project, port);
        assert_eq!(server.get("/").2, "Hello World! Welcome to my app");
        assert_eq!(server.get("/health").0, 200);
    }
}

#[test]
fn a_route_added_where_revision_3_rewrote_the_handler_is_a_conflict() {
    let sandbox = Sandbox::new();
    project_at(&sandbox, "node", 2);
    edit(
        &sandbox,
        "app/server.js",
        "  } else if (readOnly && pathname === \"/health\") {",
        "  } else if (readOnly && pathname === \"/version\") {\n    sendJson(res, 200, { version: 1 });\n  } else if (readOnly && pathname === \"/health\") {",
    );
    git(&sandbox, &["commit", "-qam", "my route"]);
    let document = update_json(&sandbox, &[], 4);
    assert_eq!(outcome_of(&outcomes(&document), "server.js"), "conflict");
    let server = sandbox.read("app/server.js");
    assert!(
        server.contains("<<<<<<< yours\n")
            && server.contains("pathname === \"/version\"")
            && server.contains("  if (!ROUTES.has(pathname)) {\n>>>>>>> stackgen revision 3\n"),
        "{server}"
    );
}

#[test]
fn flask_update_moves_the_app_into_the_package_and_the_project_passes_its_tests() {
    for revision in [1, 2] {
        let sandbox = Sandbox::new();
        project_at(&sandbox, "flask", revision);
        // The user adds a test of their own and a README line; app.py is left as generated.
        let own_test = "\n\ndef test_mine():\n    assert 1 + 1 == 2\n";
        let tests = sandbox.read("app/tests/test_app.py");
        fs::write(
            sandbox.path("app/tests/test_app.py"),
            format!("{tests}{own_test}"),
        )
        .unwrap();
        edit(
            &sandbox,
            "app/README.md",
            "## Test",
            "## Test\n\nRun before every push.",
        );
        git(&sandbox, &["commit", "-qam", "my edits"]);
        let document = update_json(&sandbox, &[], 0);
        assert_eq!(
            document["answers_changed"],
            serde_json::json!({}),
            "{document}"
        );
        let files = document["files"].as_array().unwrap();
        let app = files.iter().find(|file| file["path"] == "app.py").unwrap();
        assert_eq!(app["outcome"], "removed");
        assert_eq!(app["reason"], "moved to `src/app/__init__.py`");
        let outcomes = outcomes(&document);
        assert_eq!(outcome_of(&outcomes, "pyproject.toml"), "updated");
        assert_eq!(outcome_of(&outcomes, "src/app/__init__.py"), "added");
        assert_eq!(outcome_of(&outcomes, "src/app/__main__.py"), "added");
        assert_eq!(outcome_of(&outcomes, "gunicorn.conf.py"), "added");
        assert_eq!(outcome_of(&outcomes, "tests/test_app.py"), "merged");
        assert_eq!(outcome_of(&outcomes, "README.md"), "merged");
        assert_eq!(outcome_of(&outcomes, "AGENTS.md"), "added");
        assert_eq!(outcome_of(&outcomes, "Dockerfile"), "updated");
        assert!(!sandbox.path("app/app.py").exists());
        let pyproject = sandbox.read("app/pyproject.toml");
        assert!(!pyproject.contains("py-modules"), "{pyproject}");
        assert!(
            sandbox
                .read("app/tests/test_app.py")
                .contains("def test_mine():")
        );
        let project = sandbox.path("app");
        assert_pytest_passes(&project);
        let server = flask_server(&project, free_port());
        assert_eq!(server.get("/").2, "Hello World! Welcome to Python");
    }
}

#[test]
fn an_edited_app_py_is_kept_and_the_update_says_where_the_app_went() {
    for revision in [1, 2] {
        let sandbox = Sandbox::new();
        project_at(&sandbox, "flask", revision);
        edit(
            &sandbox,
            "app/app.py",
            "Welcome to Python",
            "Welcome to my API",
        );
        git(&sandbox, &["commit", "-qam", "my greeting"]);
        let output = sandbox
            .stackgen()
            .args(["update", "app"])
            .assert()
            .success()
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(
                "kept app.py (moved to `src/app/__init__.py` by revision 3, but edited: left as \
                 it is; carry your changes over to `src/app/__init__.py`, then delete `app.py`)"
            ),
            "{stderr}"
        );
        assert!(sandbox.read("app/app.py").contains("Welcome to my API"));
        // The package is revision 3's; the user does what the line says, and all is well.
        edit(
            &sandbox,
            "app/src/app/__init__.py",
            "Welcome to Python",
            "Welcome to my API",
        );
        fs::remove_file(sandbox.path("app/app.py")).unwrap();
        let project = sandbox.path("app");
        assert_pytest_passes(&project);
        let server = flask_server(&project, free_port());
        assert_eq!(server.get("/").2, "Hello World! Welcome to my API");
    }
}

#[test]
fn a_conflict_leaves_both_sides_and_exits_4() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    edit(
        &sandbox,
        "app/.github/workflows/ci.yml",
        "node: [18, 20, 22]",
        "node: [20, 21]",
    );
    git(&sandbox, &["commit", "-qam", "my matrix"]);
    let document = update_json(&sandbox, &["--commit"], 4);
    assert_eq!(
        outcome_of(&outcomes(&document), ".github/workflows/ci.yml"),
        "conflict"
    );
    assert!(document["commit"].is_null(), "no commit with conflicts");
    let ci = sandbox.read("app/.github/workflows/ci.yml");
    assert!(
        ci.contains("<<<<<<< yours\n        node: [20, 21]\n=======\n        node: [22, 24, 26]\n>>>>>>> stackgen revision 3\n"),
        "{ci}"
    );
    assert_eq!(git(&sandbox, &["rev-list", "--count", "HEAD"]).trim(), "2");
}

#[test]
fn dirty_trees_are_refused_unless_allowed() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    edit(
        &sandbox,
        "app/README.md",
        "## Test",
        "## Test\n\nuncommitted",
    );
    let before = sandbox.snap();
    let output = sandbox
        .stackgen()
        .args(["update", "app"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`README.md`") && stderr.contains("--allow-dirty"),
        "{stderr}"
    );
    assert_eq!(sandbox.snap(), before);
    sandbox
        .stackgen()
        .args(["update", "app", "--allow-dirty"])
        .assert()
        .success();
    assert!(sandbox.read("app/README.md").contains("uncommitted"));
}

#[test]
fn dry_run_and_up_to_date_projects_touch_nothing() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "flask");
    let before = sandbox.snap();
    let document = update_json(&sandbox, &["--dry-run"], 0);
    assert_eq!(document["dry_run"], true);
    assert_eq!(sandbox.snap(), before, "--dry-run wrote something");
    sandbox
        .stackgen()
        .args(["update", "app"])
        .assert()
        .success();
    let updated = sandbox.snap();
    let output = sandbox
        .stackgen()
        .args(["update", "app"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("Up to date")
    );
    assert_eq!(
        sandbox.snap(),
        updated,
        "an up-to-date update touched files"
    );
    sandbox.stackgen().args(["check", "app"]).assert().success();
}

#[test]
fn set_agents_removes_and_adds_agents_md_and_lang_is_the_project_identity() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "app",
            "--stack",
            "node",
            "--lang",
            "ts",
            "--yes",
            "--skip-checks",
        ])
        .success();
    assert!(sandbox.path("app/AGENTS.md").is_file());
    let document = update_json(&sandbox, &["--set", "agents=false", "--commit"], 0);
    assert_eq!(document["answers_changed"]["agents"], "false");
    assert_eq!(outcome_of(&outcomes(&document), "AGENTS.md"), "removed");
    assert!(!sandbox.path("app/AGENTS.md").exists());
    assert!(
        sandbox
            .read("app/.stackgen.toml")
            .contains("\nagents = false\n")
    );
    let document = update_json(&sandbox, &["--set", "agents=true"], 0);
    assert_eq!(outcome_of(&outcomes(&document), "AGENTS.md"), "added");
    assert!(sandbox.read("app/AGENTS.md").contains("server.ts"));
    let before = sandbox.snap();
    sandbox
        .stackgen()
        .args(["update", "app", "--set", "lang=js", "--allow-dirty"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`lang` is the project's identity and cannot be updated",
        ))
        .stderr(predicates::str::contains("--lang NEW"));
    assert_eq!(sandbox.snap(), before);
}

#[test]
fn set_docker_adds_what_new_docker_writes() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "app",
            "--stack",
            "node",
            "--yes",
            "--skip-checks",
            "--year",
            "2026",
        ])
        .success();
    sandbox
        .new_project(&[
            "twin",
            "--stack",
            "node",
            "--yes",
            "--skip-checks",
            "--year",
            "2026",
            "--docker",
            "--no-git",
            "--name",
            "app",
        ])
        .success();
    let document = update_json(&sandbox, &["--set", "docker=true", "--commit"], 0);
    assert_eq!(document["answers_changed"]["docker"], "true");
    for file in ["Dockerfile", ".dockerignore"] {
        assert_eq!(
            sandbox.read(format!("app/{file}")),
            sandbox.read(format!("twin/{file}")),
            "{file}"
        );
    }
    assert!(document["commit"]["commit"].is_string(), "{document}");
    assert_eq!(
        git(&sandbox, &["log", "-1", "--format=%s"]).trim(),
        "Update to stackgen node revision 3"
    );
    assert_eq!(git(&sandbox, &["status", "--porcelain"]), "");
}

#[test]
fn bad_records_and_settings_are_refused_untouched() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    git(&sandbox, &["commit", "-qam", "x", "--allow-empty"]);
    let before = sandbox.snap();
    for (args, needle) in [
        (&["--set", "name=other"][..], "identity"),
        (&["--set", "stack=flask"], "identity"),
        (&["--set", "port=http"], "port"),
        (&["--set", "docker=maybe"], "docker"),
        (&["--set", "nokey=1"], "nokey"),
        (&["--set", "=1"], "cannot be set"),
        (&["--set", "docker"], "KEY=VALUE"),
        (&["--set", "description=two\nlines"], "description"),
    ] {
        let output = sandbox
            .stackgen()
            .args(["update", "app"])
            .args(args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert_eq!(sandbox.snap(), before, "{args:?}");
    }
    fs::create_dir(sandbox.path("empty")).unwrap();
    sandbox
        .stackgen()
        .args(["update", "empty"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(".stackgen.toml"));
    let record = sandbox.read("app/.stackgen.toml");
    fs::write(
        sandbox.path("app/.stackgen.toml"),
        record.replace("template_revision = 1", "template_revision = 9"),
    )
    .unwrap();
    let before = sandbox.snap();
    sandbox
        .stackgen()
        .args(["update", "app"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("upgrade stackgen"));
    sandbox.stackgen().args(["check", "app"]).assert().code(2);
    assert_eq!(sandbox.snap(), before);
}

#[test]
fn a_linked_file_is_kept_and_its_target_untouched() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    fs::write(sandbox.path("victim"), "precious\n").unwrap();
    fs::remove_file(sandbox.path("app/package.json")).unwrap();
    std::os::unix::fs::symlink(sandbox.path("victim"), sandbox.path("app/package.json")).unwrap();
    let document = update_json(&sandbox, &["--allow-dirty"], 0);
    assert_eq!(outcome_of(&outcomes(&document), "package.json"), "kept");
    assert_eq!(sandbox.read("victim"), "precious\n");
    assert!(
        fs::symlink_metadata(sandbox.path("app/package.json"))
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn diff_shows_what_update_would_change() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    let before = sandbox.snap();
    let output = sandbox
        .stackgen()
        .args(["diff", "app"])
        .assert()
        .success()
        .get_output()
        .clone();
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(diff.contains("--- a/.github/workflows/ci.yml"), "{diff}");
    assert!(
        diff.contains("-        node: [18, 20, 22]\n+        node: [22, 24, 26]\n"),
        "{diff}"
    );
    assert!(!diff.contains('\u{1b}'), "no colour in a pipe");
    assert_eq!(sandbox.snap(), before);
}

/// Every file under `dir` but `.git`, with its contents, to compare two copies of a project.
fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((relative, fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn diff_is_a_patch_git_apply_and_patch_take_to_what_update_writes() {
    // Node.js from revision 1; Flask from revision 2, whose app moves into `src/app/`.
    for (stack, revision) in [("node", 1), ("flask", 2)] {
        diff_applies_as_update_writes(stack, revision);
    }
}

fn diff_applies_as_update_writes(stack: &str, revision: u32) {
    let sandbox = Sandbox::new();
    project_at(&sandbox, stack, revision);
    // Modified (revision 3), deleted (no Docker) and added (a license) files at once.
    let settings = ["--set", "docker=false", "--set", "license=MIT"];
    let output = sandbox
        .stackgen()
        .args(["diff", "app"])
        .args(settings)
        .assert()
        .success()
        .get_output()
        .clone();
    let patch = sandbox.path("update.patch");
    fs::write(&patch, &output.stdout).unwrap();
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(diff.contains("new file mode 100644\n"), "{diff}");
    assert!(diff.contains("--- /dev/null\n+++ b/LICENSE\n"), "{diff}");
    assert!(diff.contains("deleted file mode 100644\n"), "{diff}");
    assert!(diff.contains("--- a/Dockerfile\n+++ /dev/null\n"), "{diff}");
    if stack == "flask" {
        assert!(diff.contains("--- a/app.py\n+++ /dev/null\n"), "{diff}");
        assert!(
            diff.contains("--- /dev/null\n+++ b/src/app/__init__.py\n"),
            "{diff}"
        );
    }
    for copy in ["by-git-apply", "by-patch"] {
        let status = Command::new("cp")
            .args(["-a"])
            .arg(sandbox.path("app"))
            .arg(sandbox.path(copy))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let git_apply = Command::new("git")
        .args(["apply", "--check"])
        .arg(&patch)
        .current_dir(sandbox.path("by-git-apply"))
        .status()
        .unwrap();
    assert!(git_apply.success(), "git apply --check refused the diff");
    let git_apply = Command::new("git")
        .arg("apply")
        .arg(&patch)
        .current_dir(sandbox.path("by-git-apply"))
        .status()
        .unwrap();
    assert!(git_apply.success());
    let patched = Command::new("patch")
        .args(["-p1", "--quiet", "-i"])
        .arg(&patch)
        .current_dir(sandbox.path("by-patch"))
        .status()
        .unwrap();
    assert!(patched.success());
    sandbox
        .stackgen()
        .args(["update", "app"])
        .args(settings)
        .assert()
        .success();
    let updated = tree(&sandbox.path("app"));
    assert!(updated.iter().any(|(path, _)| path == "LICENSE"));
    assert_eq!(tree(&sandbox.path("by-git-apply")), updated);
    assert_eq!(tree(&sandbox.path("by-patch")), updated);
}

#[test]
fn sigint_during_update_leaves_the_project_as_it_was() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    let before = sandbox.snap();
    let mut child = sandbox
        .stackgen()
        .args(["update", "app"])
        .env("STACKGEN_TEST_WRITE_DELAY_MS", "300")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    // Every entry as it was, to the modification time, directories included: the staging
    // directory came and went, and the project directory's time was put back.
    assert_eq!(
        sandbox.snap(),
        before,
        "an interrupted update changed the project"
    );
    sandbox.stackgen().args(["check", "app"]).assert().code(4);
}

#[test]
fn entries_that_appear_while_update_writes_end_it_with_everything_put_back() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    let before = sandbox.snap();
    let old_manifest = sandbox.read("app/package.json");
    let child = sandbox
        .stackgen()
        .args(["update", "app"])
        .env("STACKGEN_TEST_WRITE_DELAY_MS", "300")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first file is swapped in: the run is under way.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while sandbox.read("app/package.json") == old_manifest {
        assert!(
            std::time::Instant::now() < deadline,
            "the update never began"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    fs::write(sandbox.path("app/notes.txt"), "theirs").unwrap();
    fs::write(sandbox.path("app/.github/workflows/extra.yml"), "theirs").unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`.github/workflows/extra.yml`, `notes.txt` appeared in"),
        "{stderr}"
    );
    assert_eq!(sandbox.read("app/notes.txt"), "theirs");
    assert_eq!(sandbox.read("app/.github/workflows/extra.yml"), "theirs");
    fs::remove_file(sandbox.path("app/notes.txt")).unwrap();
    fs::remove_file(sandbox.path("app/.github/workflows/extra.yml")).unwrap();
    // Every file as it was, to the modification time.
    let files = |snap: Vec<String>| -> Vec<String> {
        snap.into_iter()
            .filter(|entry| !entry.contains(" d "))
            .collect()
    };
    assert_eq!(files(sandbox.snap()), files(before));
    sandbox.stackgen().args(["check", "app"]).assert().code(4);
}

/// `git status --porcelain` of the project, to compare before and after.
fn status(sandbox: &Sandbox) -> String {
    git(sandbox, &["status", "--porcelain", "--ignored"])
}

/// A tmpfs mounted over a directory for as long as it lives.
#[cfg(target_os = "linux")]
struct Tmpfs(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Tmpfs {
    /// Mounts one at `path`, or says why not (not root, or no right to mount here).
    fn mount(path: &std::path::Path, size: &str) -> Result<Tmpfs, String> {
        fs::create_dir_all(path).unwrap();
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .output()
            .map_err(|error| error.to_string())?;
        if output.status.success() {
            Ok(Tmpfs(path.to_owned()))
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

// tmpfs and `mount` are Linux's.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_ends_the_update_with_the_project_untouched() {
    // U09: the project on a small tmpfs, filled up by a file of the user's.
    let sandbox = Sandbox::new();
    let disk = match Tmpfs::mount(&sandbox.path("disk"), "2m") {
        Ok(disk) => disk,
        Err(why) => {
            assert!(
                !rustix::process::geteuid().is_root(),
                "root must be able to mount a tmpfs: {why}"
            );
            eprintln!("skipped: mounting a tmpfs needs root ({why})");
            return;
        }
    };
    sandbox
        .new_project(&[
            "disk/app",
            "--stack",
            "node",
            "--yes",
            "--skip-checks",
            "--template-revision",
            "1",
        ])
        .success();
    let filler = sandbox.path("disk/app/filler.bin");
    let mut file = fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut file, &block).is_ok() {}
    drop(file);
    let before = sandbox.snap();
    let output = sandbox
        .stackgen()
        .args(["update", "disk/app", "--allow-dirty"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_eq!(sandbox.snap(), before, "{stderr}");
    drop(disk);
}

// `setpriv` is util-linux's.
#[cfg(target_os = "linux")]
#[test]
fn a_project_the_user_cannot_write_is_refused_untouched() {
    // U10: root ignores mode bits, so the run drops to `nobody`, who may read but not write.
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    fs::set_permissions(sandbox.root(), fs::Permissions::from_mode(0o755)).unwrap();
    old_project(&sandbox, "node");
    let status_before = status(&sandbox);
    let before = sandbox.snap();
    let project = sandbox.path("app");
    let output = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "env",
            "HOME=/nonexistent",
            "GIT_CONFIG_NOSYSTEM=1",
        ])
        .arg(crate::support::binary())
        .args(["update", project.to_str().unwrap()])
        .current_dir("/")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("`{}", project.display()))
            && stderr.contains("Permission denied")
            && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(sandbox.snap(), before);
    assert_eq!(status(&sandbox), status_before);
}

#[test]
fn two_updates_at_once_never_both_apply() {
    // U11
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    let generated = git(&sandbox, &["rev-parse", "HEAD"]);
    sandbox
        .stackgen()
        .args(["update", "app"])
        .assert()
        .success();
    let clean: Vec<String> = ["package.json", "README.md", ".stackgen.toml"]
        .iter()
        .map(|file| sandbox.read(format!("app/{file}")))
        .collect();
    for _ in 0..20 {
        git(&sandbox, &["reset", "-q", "--hard", generated.trim()]);
        let start = || {
            sandbox
                .stackgen()
                .args(["update", "app", "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (start(), start());
        let runs = [
            first.wait_with_output().unwrap(),
            second.wait_with_output().unwrap(),
        ];
        let applied = runs
            .iter()
            .filter(|run| {
                run.status.success()
                    && serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap()
                        ["up_to_date"]
                        == false
            })
            .count();
        assert_eq!(applied, 1, "exactly one applies: {runs:?}");
        for run in &runs {
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(
                run.status.success()
                    || stderr.contains("another `stackgen update` is running")
                    || stderr.contains("uncommitted changes")
                    || stderr.contains("changed while the update ran"),
                "the loser says why: {stderr}"
            );
        }
        let now: Vec<String> = ["package.json", "README.md", ".stackgen.toml"]
            .iter()
            .map(|file| sandbox.read(format!("app/{file}")))
            .collect();
        assert_eq!(now, clean, "the project is one clean update");
        let leftovers: Vec<String> = fs::read_dir(sandbox.path("app"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".stackgen-update"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

#[test]
fn a_locked_git_index_stops_update_commit_before_it_writes() {
    // U13
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    fs::write(sandbox.path("app/.git/index.lock"), "").unwrap();
    let status_before = status(&sandbox);
    let before = sandbox.snap();
    let output = sandbox
        .stackgen()
        .args(["update", "app", "--commit"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(".git/index.lock") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(sandbox.snap(), before);
    fs::remove_file(sandbox.path("app/.git/index.lock")).unwrap();
    assert_eq!(status(&sandbox), status_before);
}

#[test]
fn without_a_git_identity_update_commit_is_refused_before_it_writes() {
    // U13
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    fs::remove_file(sandbox.home().join(".gitconfig")).unwrap();
    let status_before = status(&sandbox);
    let before = sandbox.snap();
    let output = sandbox
        .stackgen()
        .args(["update", "app", "--commit"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no valid user.name is set")
            && stderr.contains("git config --global user.name")
            && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert!(!stderr.contains("Committed"), "{stderr}");
    assert_eq!(sandbox.snap(), before);
    assert_eq!(status(&sandbox), status_before);
}

#[test]
fn untracked_files_as_stackgen_made_them_are_clean() {
    // A project made without a git identity has a repository but no commit.
    let sandbox = Sandbox::new();
    fs::remove_file(sandbox.home().join(".gitconfig")).unwrap();
    old_project(&sandbox, "node");
    assert!(git(&sandbox, &["status", "--porcelain"]).contains("?? "));
    edit(&sandbox, "app/README.md", "# ", "# Edited: ");
    sandbox
        .stackgen()
        .args(["update", "app"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`README.md`"));
    edit(&sandbox, "app/README.md", "# Edited: ", "# ");
    sandbox
        .stackgen()
        .args(["update", "app"])
        .assert()
        .success();
    assert!(
        sandbox
            .read("app/.stackgen.toml")
            .contains("template_revision = 3")
    );
}

#[test]
fn update_diff_and_check_find_the_project_from_inside_it() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    // No PATH: the nearest `.stackgen.toml` at or above the current directory.
    let output = sandbox
        .stackgen()
        .arg("check")
        .current_dir(sandbox.path("app/test"))
        .assert()
        .code(4)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("An update is available: template revision 1 → 3"),
        "{stderr}"
    );
    sandbox
        .stackgen()
        .arg("diff")
        .current_dir(sandbox.path("app/test"))
        .assert()
        .success()
        .stdout(predicates::str::contains("+++ b/package.json"));
    // A PATH inside a project names the project and how to run the command on it.
    let output = sandbox
        .stackgen()
        .args(["update", "app/test"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let project = sandbox.path("app");
    assert!(
        stderr.contains("`app/test` is inside the stackgen project")
            && stderr.contains(&format!("run `stackgen update {}`", project.display())),
        "{stderr}"
    );
    // Outside any project, with no PATH: the same refusal as for a PATH that is no project.
    sandbox
        .stackgen()
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "neither it nor any directory above it holds `.stackgen.toml`",
        ));
    sandbox
        .stackgen()
        .arg("update")
        .current_dir(sandbox.path("app/test"))
        .assert()
        .success();
    assert!(
        sandbox
            .read("app/.stackgen.toml")
            .contains("template_revision = 3")
    );
}

#[test]
fn after_a_commit_the_next_step_names_git_show() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    let output = sandbox
        .stackgen()
        .args(["update", "app", "--commit"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("review the commit (`git show`)"),
        "{stderr}"
    );
    assert!(!stderr.contains("git diff"), "{stderr}");
    let committed = stderr.find("Committed").unwrap();
    assert!(committed < stderr.find("Next steps").unwrap(), "{stderr}");
}

#[test]
fn the_path_default_is_said_once_in_help() {
    let sandbox = Sandbox::new();
    for command in ["update", "diff", "check"] {
        let output = sandbox
            .stackgen()
            .args([command, "--help"])
            .assert()
            .success()
            .get_output()
            .clone();
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(!help.contains("[default: .]"), "{help}");
        assert_eq!(
            help.matches("[default: the project holding the current directory]")
                .count(),
            1,
            "{help}"
        );
    }
}

#[test]
fn a_file_that_is_not_text_is_never_written_and_the_update_exits_4() {
    // U15: README.md changes from revision 1 to 2; the user saved it as UTF-16, and replaced
    // the Dockerfile (also changed) by a binary.
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            sandbox
                .read("app/README.md")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    fs::write(sandbox.path("app/README.md"), &utf16).unwrap();
    let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    fs::write(sandbox.path("app/Dockerfile"), &binary).unwrap();
    git(&sandbox, &["commit", "-qam", "UTF-16 and binary"]);
    let diff = sandbox
        .stackgen()
        .args(["diff", "app"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let diff = String::from_utf8(diff).unwrap();
    // diff shows the template's own change to each, to apply by hand.
    assert!(diff.contains("+++ b/README.md"), "{diff}");
    assert!(diff.contains("+++ b/Dockerfile"), "{diff}");
    let output = update_json(&sandbox, &[], 4);
    for path in ["README.md", "Dockerfile"] {
        let file = output["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|file| file["path"] == path)
            .unwrap();
        assert_eq!(file["outcome"], "kept", "{file}");
        assert!(
            file["reason"].as_str().unwrap().contains("not text"),
            "{file}"
        );
    }
    assert_eq!(fs::read(sandbox.path("app/README.md")).unwrap(), utf16);
    assert_eq!(fs::read(sandbox.path("app/Dockerfile")).unwrap(), binary);
    assert!(
        sandbox
            .read("app/.stackgen.toml")
            .contains("template_revision = 3"),
        "the record moves on, as with a conflict"
    );
}

#[test]
fn line_endings_a_missing_final_newline_and_a_bom_are_the_users_and_merge_cleanly() {
    // U16: each file the update changes, converted and edited on one line far from the
    // template's changes.
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    let readme = sandbox.read("app/README.md");
    let edited = readme.replacen('\n', "\nA line the team added.\n", 1);
    let crlf = edited.replace('\n', "\r\n");
    fs::write(sandbox.path("app/README.md"), &crlf).unwrap();
    let workflow = sandbox.read("app/.github/workflows/ci.yml");
    let no_final_newline = workflow
        .replacen('\n', "\n# Our note.\n", 1)
        .trim_end_matches('\n')
        .to_owned();
    fs::write(
        sandbox.path("app/.github/workflows/ci.yml"),
        &no_final_newline,
    )
    .unwrap();
    let package = sandbox.read("app/package.json");
    let bom = format!("\u{feff}{package}");
    fs::write(sandbox.path("app/package.json"), &bom).unwrap();
    git(&sandbox, &["commit", "-qam", "conventions"]);
    let output = update_json(&sandbox, &[], 0);
    for path in ["README.md", ".github/workflows/ci.yml", "package.json"] {
        let file = output["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|file| file["path"] == path)
            .unwrap();
        assert_eq!(file["outcome"], "merged", "{file}");
    }
    let readme = fs::read_to_string(sandbox.path("app/README.md")).unwrap();
    assert!(readme.contains("A line the team added.\r\n"), "{readme}");
    assert!(
        !readme.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF: {readme:?}"
    );
    let workflow = sandbox.read("app/.github/workflows/ci.yml");
    assert!(workflow.contains("# Our note.\n"), "{workflow}");
    assert!(workflow.contains("node: [22, 24, 26]"), "{workflow}");
    assert!(!workflow.ends_with('\n'), "still no final newline");
    let package = fs::read(sandbox.path("app/package.json")).unwrap();
    assert!(package.starts_with("\u{feff}".as_bytes()), "the BOM stays");
    assert!(String::from_utf8(package).unwrap().contains("\">=20\""));
}

#[test]
fn an_executable_bit_the_user_set_survives_the_update() {
    // U17: README.md edited and made executable (merged), package.json only made executable
    // (updated); both change from revision 1 to 2.
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    edit(&sandbox, "app/README.md", "\n", "\nOur line.\n");
    for path in ["app/README.md", "app/package.json"] {
        fs::set_permissions(sandbox.path(path), fs::Permissions::from_mode(0o755)).unwrap();
    }
    git(&sandbox, &["commit", "-qam", "executable"]);
    let document = update_json(&sandbox, &[], 0);
    let outcomes = outcomes(&document);
    assert_eq!(outcome_of(&outcomes, "README.md"), "merged");
    assert_eq!(outcome_of(&outcomes, "package.json"), "updated");
    for path in ["app/README.md", "app/package.json"] {
        let mode = fs::metadata(sandbox.path(path))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755, "{path}");
    }
    assert!(sandbox.read("app/README.md").contains("Our line."));
}

#[test]
fn check_and_update_say_what_the_revisions_crossed_changed_and_report_writes_it() {
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    edit(&sandbox, "app/package.json", "\">=18\"", "\">=16\"");
    git(&sandbox, &["commit", "-qam", "an edit that conflicts"]);
    sandbox
        .stackgen()
        .args(["check", "app"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains(
            "changed revision 2: CI tests the maintained Node.js lines 22, 24 and 26",
        ));
    let output = sandbox
        .stackgen()
        .args(["check", "app", "--json"])
        .assert()
        .code(4)
        .get_output()
        .clone();
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["notes"][0]["revision"], 2);
    assert!(document["notes"][0]["notes"].as_array().unwrap().len() >= 2);
    sandbox
        .stackgen()
        .args(["update", "app", "--report", "update.md"])
        .assert()
        .code(4);
    let report = sandbox.read("update.md");
    for expected in [
        "# Update to stackgen node template revision 3",
        "template revision 1 → 3",
        "- revision 2: CI tests the maintained Node.js lines 22, 24 and 26",
        "| `package.json` | conflict |",
        "- revision 3: One HTTP contract for both stacks",
        "| `README.md` | updated |",
        "| `Dockerfile` | updated |",
        "Needs a person: `package.json`",
        "cd app\nstackgen update",
    ] {
        assert!(
            report.contains(expected),
            "{expected:?} missing from:\n{report}"
        );
    }
}

#[test]
fn a_report_that_cannot_be_written_is_refused_before_any_project_is_touched() {
    // F04
    let sandbox = Sandbox::new();
    old_project(&sandbox, "node");
    fs::create_dir(sandbox.path("a-directory")).unwrap();
    let before = sandbox.snap();
    for (report, problem) in [
        ("missing/update.md", "does not exist"),
        ("a-directory", "it is a directory"),
    ] {
        for all in [false, true] {
            let mut command = sandbox.stackgen();
            command.args(["update", "app", "--report", report]);
            if all {
                command.arg("--all");
            }
            command
                .assert()
                .code(2)
                .stderr(predicates::str::contains(problem));
            assert_eq!(sandbox.snap(), before);
        }
    }
}
