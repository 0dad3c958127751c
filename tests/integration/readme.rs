//! The README's "Use in CI", "Use in onboarding scripts" and "Updating a project" examples,
//! run as written: each `sh` block under those sections, with `sh -e`, in a fresh sandbox where
//! `stackgen` is the binary under test, once with a git identity and once with none (an empty
//! HOME, as on a CI runner or a fresh laptop).
#![cfg(unix)]

use std::fs;

use crate::support::{Sandbox, binary, path_with};

const README: &str = include_str!("../../README.md");
const SECTIONS: &[&str] = &[
    "Use in CI",
    "Use in onboarding scripts",
    "Updating a project",
];

/// The `sh` blocks of the `## section` (its subsections included), in order.
fn sh_blocks(readme: &str, section: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut in_section = false;
    let mut block: Option<String> = None;
    for line in readme.lines() {
        if let Some(text) = block.as_mut() {
            if line.trim_start() == "```" {
                blocks.push(block.take().unwrap());
            } else {
                text.push_str(line);
                text.push('\n');
            }
        } else if let Some(heading) = line.strip_prefix("## ") {
            in_section = heading.trim() == section;
        } else if in_section && line.trim_start() == "```sh" {
            block = Some(String::new());
        }
    }
    assert!(block.is_none(), "an unclosed code block in {section:?}");
    blocks
}

#[test]
fn the_extractor_takes_only_sh_blocks_of_the_section() {
    let readme = "## Other\n```sh\nno\n```\n## Use in CI\n```sh\none\n```\n```json\n{}\n```\n\
                  ### Sub\n```sh\ntwo\nlines\n```\n## Next\n```sh\nno\n```\n";
    assert_eq!(sh_blocks(readme, "Use in CI"), ["one\n", "two\nlines\n"]);
}

#[test]
fn the_readme_ci_and_onboarding_examples_run() {
    for section in SECTIONS {
        let blocks = sh_blocks(README, section);
        assert!(!blocks.is_empty(), "no sh block under `## {section}`");
        for script in blocks {
            run(&script, true);
            run(&script, false);
        }
    }
}

fn run(script: &str, identity: bool) {
    let sandbox = Sandbox::new();
    if !identity {
        fs::remove_file(sandbox.home().join(".gitconfig")).unwrap();
    }
    let bin = sandbox.path(".bin");
    fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(binary(), bin.join("stackgen")).unwrap();
    let work = sandbox.path("work");
    fs::create_dir(&work).unwrap();
    let output = sandbox
        .command("sh")
        .args(["-e", "-c", script])
        .current_dir(&work)
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "this README example failed ({}, {}):\n{script}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        if identity {
            "with a git identity"
        } else {
            "with no git identity"
        },
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The README's first command makes a project inside the checkout; its second packages the
/// crate, which refuses files git does not ignore. So the checkout ignores what the first makes.
#[test]
fn the_main_job_leaves_nothing_the_tests_would_refuse() {
    let command = README
        .lines()
        .find(|line| line.starts_with("cargo run --release -- new "))
        .expect("the README's main job");
    let directory = command
        .split_whitespace()
        .nth(5)
        .expect("the directory `new` makes");
    let ignored = format!("/{directory}/");
    assert!(
        include_str!("../../.gitignore")
            .lines()
            .any(|line| line == ignored),
        "`.gitignore` does not ignore `{directory}/`, which `{command}` makes"
    );
}
