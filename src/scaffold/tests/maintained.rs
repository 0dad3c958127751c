//! The versions the templates name, held to the runtimes' life cycles (`data/runtimes.toml`):
//! from revision 2 on, every line a CI matrix or a Docker base names is maintained on the day
//! the revision is released, and the declared minimums (which doctor judges by) are lines the
//! data knows. Revision 1 predates the data and is frozen as it was.

use crate::date::Day;
use crate::lifecycle::{self, Runtime, Support};
use crate::scaffold;
use crate::scaffold::revisions::{self, Render, Revision};
use crate::scaffold::template_text;
use crate::stack::Stack;
use crate::toolchain::Requirement;

fn runtime(stack: Stack) -> Runtime {
    match stack {
        Stack::Node => Runtime::Node,
        Stack::Flask => Runtime::Python,
    }
}

fn template(revision: &Revision, path: &str) -> &'static str {
    let spec = revision
        .files
        .iter()
        .find(|spec| spec.path == path && spec.render != Render::Answers)
        .unwrap_or_else(|| panic!("revision {} has no {path}", revision.number));
    template_text(spec.from.as_deref().unwrap()).unwrap()
}

/// The lines of the workflow's matrix: `node: [22, 24]` or `python: ["3.11", "3.12"]`.
fn matrix(workflow: &str, key: &str) -> Vec<String> {
    let line = workflow
        .lines()
        .find_map(|line| line.trim().strip_prefix(&format!("{key}: [")))
        .unwrap_or_else(|| panic!("no `{key}:` matrix"));
    line.trim_end_matches(']')
        .split(',')
        .map(|item| item.trim().trim_matches('"').to_owned())
        .collect()
}

/// `FROM node:26-slim` → `26`; `FROM python:3.14-slim` → `3.14`.
fn docker_line(dockerfile: &str) -> String {
    let from = dockerfile
        .lines()
        .find_map(|line| line.strip_prefix("FROM "))
        .expect("a FROM line");
    let tag = from.split(':').nth(1).expect("a tagged base");
    tag.split('-').next().unwrap().to_owned()
}

fn numbers(line: &str) -> (u64, u64) {
    let mut parts = line.split('.').map(|part| part.parse::<u64>().unwrap());
    (parts.next().unwrap(), parts.next().unwrap_or(0))
}

fn support(stack: Stack, line: &str, day: Day) -> Support {
    let (major, minor) = numbers(line);
    lifecycle::standing(runtime(stack), major, minor, day)
        .unwrap_or_else(|| panic!("{stack}: line {line} is not in data/runtimes.toml"))
        .support
}

#[test]
fn templates_name_only_maintained_lines_at_their_release() {
    for stack in Stack::ALL {
        for revision in &revisions::all(stack)[1..] {
            let released = Day::parse(&revision.released).unwrap();
            let key = match stack {
                Stack::Node => "node",
                Stack::Flask => "python",
            };
            let lines = matrix(template(revision, ".github/workflows/ci.yml"), key);
            for line in &lines {
                assert_ne!(
                    support(stack, line, released),
                    Support::Eol,
                    "{stack} revision {}: the CI matrix names {line}, past its end of life",
                    revision.number
                );
            }
            // Every maintained line released by then is tested.
            for line in lifecycle::maintained(runtime(stack), released) {
                assert!(
                    lines.iter().any(|named| named == line),
                    "{stack} revision {}: the CI matrix lacks the maintained line {line}",
                    revision.number
                );
            }
            let base = docker_line(template(revision, "Dockerfile"));
            assert_ne!(
                support(stack, &base, released),
                Support::Eol,
                "{stack} revision {}: the Docker base {base} is past its end of life",
                revision.number
            );
            if stack == Stack::Node {
                let line = lifecycle::line(Runtime::Node, numbers(&base).0, 0).unwrap();
                let lts = line.lts.as_deref().and_then(Day::parse);
                assert!(
                    lts.is_some_and(|lts| lts <= released),
                    "node revision {}: the Docker base {base} is not an LTS line",
                    revision.number
                );
            }
            // doctor and `new` judge the runtime by this very text (one source): it must
            // read as a requirement whose minimum is a line the data knows.
            let project = crate::scaffold::tests::project(stack, "");
            let text = scaffold::declared_runtime(&project, revision).unwrap();
            let requirement = Requirement::declared(&text).unwrap();
            assert!(
                requirement.is_minimum(),
                "{stack} revision {}: `{text}` is not a plain minimum",
                revision.number
            );
            let declared = requirement.to_string();
            support(stack, &declared, released);
            let oldest_tested = lines.iter().map(|line| numbers(line)).min().unwrap();
            assert!(
                numbers(&declared) <= oldest_tested,
                "{stack} revision {}: the declared minimum {declared} is newer than the CI tests",
                revision.number
            );
        }
    }
}
