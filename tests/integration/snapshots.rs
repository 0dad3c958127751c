//! Snapshots of both generated trees: every file, byte for byte. Review changes with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test` and read the diff).

use std::fs;
use std::path::Path;

use crate::support::Sandbox;

fn tree(root: &Path) -> String {
    let mut files = Vec::new();
    collect(root, root, &mut files);
    files.sort();
    files
        .iter()
        .map(|relative| {
            format!(
                "==> {relative} <==\n{}",
                fs::read_to_string(root.join(relative)).unwrap()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn collect(root: &Path, dir: &Path, into: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, into);
        } else {
            into.push(
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
}

fn generate(stack: &str, extras: &[&str]) -> String {
    let sandbox = Sandbox::new();
    let mut args = vec![
        "demo",
        "--stack",
        stack,
        "--yes",
        "--no-git",
        "--description",
        "A demo service",
        "--author",
        "Jane Doe <jane@example.com>",
        "--year",
        "2026",
        "--skip-checks",
    ];
    args.extend_from_slice(extras);
    sandbox.new_project(&args).success();
    tree(&sandbox.path("demo"))
}

const EXTRAS: &[&str] = &["--license", "MIT", "--ci", "github", "--docker"];

#[test]
fn node_tree() {
    insta::assert_snapshot!(generate("node", &[]));
}

#[test]
fn flask_tree() {
    insta::assert_snapshot!(generate("flask", &[]));
}

#[test]
fn node_tree_with_extras() {
    insta::assert_snapshot!(generate("node", EXTRAS));
}

#[test]
fn flask_tree_with_extras() {
    insta::assert_snapshot!(generate("flask", EXTRAS));
}

#[test]
fn node_ts_tree_with_extras() {
    insta::assert_snapshot!(generate("node", &[EXTRAS, &["--lang", "ts"]].concat()));
}
