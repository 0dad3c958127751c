//! `check --all` and `update --all` over a monorepo of mixed projects (catalogue F01–F03).

use std::fs;

use assert_cmd::assert::OutputAssertExt;
use serde_json::Value;

use crate::support::Sandbox;

fn git(sandbox: &Sandbox, args: &[&str]) -> String {
    sandbox.git("mono", args)
}

fn project(sandbox: &Sandbox, dir: &str, stack: &str, revision: &str) {
    sandbox
        .new_project(&[
            &format!("mono/{dir}"),
            "--stack",
            stack,
            "--yes",
            "--skip-checks",
            "--template-revision",
            revision,
        ])
        .success();
}

/// A repository holding: a current project, two stale ones, one whose README conflicts, a
/// broken record, a `.stackgen.toml` that is a directory, and a stale project inside
/// `node_modules` and one in an ignored directory, which must never be visited.
fn monorepo(sandbox: &Sandbox) {
    fs::create_dir(sandbox.path("mono")).unwrap();
    git(sandbox, &["init", "-q", "-b", "main"]);
    project(sandbox, "services/current", "node", "3");
    project(sandbox, "services/stale-node", "node", "1");
    project(sandbox, "services/stale-flask", "flask", "1");
    project(sandbox, "services/conflicting", "node", "1");
    project(sandbox, "web/node_modules/dep", "node", "1");
    project(sandbox, "build/out", "node", "1");
    fs::write(sandbox.path("mono/.gitignore"), "/build/\n").unwrap();
    let readme = sandbox.path("mono/services/conflicting/package.json");
    let text = fs::read_to_string(&readme).unwrap();
    fs::write(&readme, text.replace("\">=18\"", "\">=16\"")).unwrap();
    fs::create_dir_all(sandbox.path("mono/broken")).unwrap();
    fs::write(sandbox.path("mono/broken/.stackgen.toml"), "name = \n").unwrap();
    fs::create_dir_all(sandbox.path("mono/odd/.stackgen.toml")).unwrap();
    fs::write(sandbox.path("mono/odd/.stackgen.toml/keep"), "").unwrap();
    git(sandbox, &["add", "-A", "-f"]);
    git(sandbox, &["commit", "-qm", "monorepo"]);
}

fn run(sandbox: &Sandbox, args: &[&str], code: i32) -> (Value, String) {
    let output = sandbox
        .stackgen()
        .args(args)
        .arg("--json")
        .current_dir(sandbox.path("mono"))
        .assert()
        .code(code)
        .get_output()
        .clone();
    let document = serde_json::from_slice(&output.stdout).unwrap();
    (
        document,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn statuses(document: &Value) -> Vec<(String, String)> {
    document["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["path"].as_str().unwrap().to_owned(),
                entry["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn check_all_reports_every_project_and_a_failure_outranks_drift() {
    let sandbox = Sandbox::new();
    monorepo(&sandbox);
    let (document, stderr) = run(&sandbox, &["check", "--all"], 1);
    assert_eq!(
        statuses(&document),
        [
            ("./broken".to_owned(), "failed".to_owned()),
            ("./odd".into(), "failed".into()),
            ("./services/conflicting".into(), "update_available".into()),
            ("./services/current".into(), "up_to_date".into()),
            ("./services/stale-flask".into(), "update_available".into()),
            ("./services/stale-node".into(), "update_available".into()),
        ],
        "{stderr}"
    );
    assert_eq!(document["summary"]["failed"], 2);
    assert_eq!(document["summary"]["needs_person"], 3);
    let stale = &document["projects"][5]["result"];
    assert_eq!(
        (stale["from"].as_u64(), stale["to"].as_u64()),
        (Some(1), Some(3))
    );
    // Without the broken ones, drift alone is exit 4; one line per project and a summary.
    fs::remove_dir_all(sandbox.path("mono/broken")).unwrap();
    fs::remove_dir_all(sandbox.path("mono/odd")).unwrap();
    let output = sandbox
        .stackgen()
        .args(["check", "--all", "mono"])
        .assert()
        .code(4)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("mono/services/current: up to date (revision 3)")
            && stderr.contains("mono/services/stale-node: update available: revision 1 → 3")
            && stderr.contains("4 projects: 1 ok, 3 with an update available, 0 failed"),
        "{stderr}"
    );
}

#[test]
fn update_all_updates_each_project_all_or_nothing_and_commits_once() {
    let sandbox = Sandbox::new();
    monorepo(&sandbox);
    fs::remove_dir_all(sandbox.path("mono/broken")).unwrap();
    fs::remove_dir_all(sandbox.path("mono/odd")).unwrap();
    git(&sandbox, &["commit", "-qam", "only projects"]);
    let commits = git(&sandbox, &["rev-list", "--count", "HEAD"]);
    let (document, stderr) = run(&sandbox, &["update", "--all", "--commit"], 4);
    assert_eq!(
        statuses(&document),
        [
            ("./services/conflicting".to_owned(), "conflict".to_owned()),
            ("./services/current".into(), "up_to_date".into()),
            ("./services/stale-flask".into(), "updated".into()),
            ("./services/stale-node".into(), "updated".into()),
        ],
        "{stderr}"
    );
    // One commit for the two clean projects of the one repository; conflicts never in it.
    let count = |text: &str| text.trim().parse::<u32>().unwrap();
    assert_eq!(
        count(&git(&sandbox, &["rev-list", "--count", "HEAD"])),
        count(&commits) + 1
    );
    assert_eq!(
        git(&sandbox, &["log", "-1", "--format=%s"]).trim(),
        "Update 2 projects to stackgen revision 3"
    );
    let committed = git(
        &sandbox,
        &["show", "--name-only", "--no-renames", "--format=", "HEAD"],
    );
    assert!(
        committed.contains("services/stale-node/package.json"),
        "{committed}"
    );
    for file in [
        "services/stale-flask/pyproject.toml",
        // Revision 3 moved the app into a package: the new file is committed, the old removed.
        "services/stale-flask/src/stale_flask/__init__.py",
        "services/stale-flask/app.py",
    ] {
        assert!(committed.contains(file), "{file} not in {committed}");
    }
    assert!(!committed.contains("conflicting"), "{committed}");
    assert!(
        fs::read_to_string(sandbox.path("mono/services/conflicting/package.json"))
            .unwrap()
            .contains("<<<<<<< yours")
    );
    // Never visited: inside node_modules, and what .gitignore ignores.
    for skipped in ["web/node_modules/dep", "build/out"] {
        assert!(
            fs::read_to_string(sandbox.path(format!("mono/{skipped}/.stackgen.toml")))
                .unwrap()
                .contains("template_revision = 1"),
            "{skipped}"
        );
    }
}

#[test]
fn nothing_to_find_is_exit_0_and_a_missing_directory_exit_2() {
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("empty")).unwrap();
    for command in ["check", "update"] {
        sandbox
            .stackgen()
            .args([command, "--all", "empty"])
            .assert()
            .success()
            .stderr(predicates::str::contains(
                "no stackgen projects under `empty`",
            ));
        sandbox
            .stackgen()
            .args([command, "--all", "missing"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("`missing`"));
    }
}
