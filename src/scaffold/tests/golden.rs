//! Released revisions are frozen: rendered today, each must give exactly the files it gave when
//! it was released. `tests/golden/make.sh` recorded the hashes: revision 1's by running stackgen
//! 0.1.0 itself, later ones by the stackgen that released them, after their renders were checked
//! by hand. `.stackgen.toml` is left out, as later versions add their own keys to the record.

use sha2::{Digest, Sha256};

use crate::extras::{Ci, Extras, License};
use crate::name;
use crate::project::Project;
use crate::recommend::Answers;
use crate::scaffold::{render_revision, revisions};
use crate::stack::{Lang, Stack};
use crate::text::Author;

/// (stack, revision, case, hashes)
const GOLDEN: &[(Stack, u32, &str, &str)] = &[
    (
        Stack::Node,
        1,
        "plain",
        include_str!("../../../tests/golden/node-1-plain.sha256"),
    ),
    (
        Stack::Node,
        1,
        "extras",
        include_str!("../../../tests/golden/node-1-extras.sha256"),
    ),
    (
        Stack::Node,
        1,
        "apache",
        include_str!("../../../tests/golden/node-1-apache.sha256"),
    ),
    (
        Stack::Node,
        2,
        "plain",
        include_str!("../../../tests/golden/node-2-plain.sha256"),
    ),
    (
        Stack::Node,
        2,
        "extras",
        include_str!("../../../tests/golden/node-2-extras.sha256"),
    ),
    (
        Stack::Node,
        2,
        "apache",
        include_str!("../../../tests/golden/node-2-apache.sha256"),
    ),
    (
        Stack::Node,
        3,
        "plain",
        include_str!("../../../tests/golden/node-3-plain.sha256"),
    ),
    (
        Stack::Node,
        3,
        "extras",
        include_str!("../../../tests/golden/node-3-extras.sha256"),
    ),
    (
        Stack::Node,
        3,
        "apache",
        include_str!("../../../tests/golden/node-3-apache.sha256"),
    ),
    (
        Stack::Node,
        3,
        "no-agents",
        include_str!("../../../tests/golden/node-3-no-agents.sha256"),
    ),
    (
        Stack::Node,
        3,
        "ts",
        include_str!("../../../tests/golden/node-3-ts.sha256"),
    ),
    (
        Stack::Flask,
        1,
        "plain",
        include_str!("../../../tests/golden/flask-1-plain.sha256"),
    ),
    (
        Stack::Flask,
        1,
        "extras",
        include_str!("../../../tests/golden/flask-1-extras.sha256"),
    ),
    (
        Stack::Flask,
        1,
        "apache",
        include_str!("../../../tests/golden/flask-1-apache.sha256"),
    ),
    (
        Stack::Flask,
        2,
        "plain",
        include_str!("../../../tests/golden/flask-2-plain.sha256"),
    ),
    (
        Stack::Flask,
        2,
        "extras",
        include_str!("../../../tests/golden/flask-2-extras.sha256"),
    ),
    (
        Stack::Flask,
        2,
        "apache",
        include_str!("../../../tests/golden/flask-2-apache.sha256"),
    ),
    (
        Stack::Flask,
        3,
        "plain",
        include_str!("../../../tests/golden/flask-3-plain.sha256"),
    ),
    (
        Stack::Flask,
        3,
        "extras",
        include_str!("../../../tests/golden/flask-3-extras.sha256"),
    ),
    (
        Stack::Flask,
        3,
        "apache",
        include_str!("../../../tests/golden/flask-3-apache.sha256"),
    ),
    (
        Stack::Flask,
        3,
        "no-agents",
        include_str!("../../../tests/golden/flask-3-no-agents.sha256"),
    ),
];

/// The answers `make.sh` gave for `case`.
fn project(stack: Stack, case: &str) -> Project {
    let (license, ci, docker) = match case {
        "plain" | "no-agents" => (License::None, Ci::None, false),
        "extras" | "ts" => (License::Mit, Ci::Github, true),
        "apache" => (License::Apache2, Ci::None, false),
        other => panic!("unknown case {other}"),
    };
    Project {
        name: name::validate("demo", stack).unwrap(),
        stack,
        lang: if case == "ts" { Lang::Ts } else { Lang::Js },
        description: "A demo service".into(),
        author: Some(Author::parse("Jane Doe <jane@example.com>", true).unwrap()),
        port: stack.default_port(),
        git: false,
        answers: Answers::default(),
        extras: Extras {
            license,
            ci,
            docker,
            agents: case != "no-agents",
            update_bot: true,
            year: 2026,
        },
    }
}

#[test]
fn released_revisions_render_what_they_rendered_when_released() {
    for &(stack, number, case, golden) in GOLDEN {
        let revision = revisions::find(stack, number).unwrap();
        let mut rendered: Vec<String> = render_revision(&project(stack, case), revision)
            .unwrap()
            .into_iter()
            .filter(|file| file.path != ".stackgen.toml")
            .map(|file| {
                let hash: String = Sha256::digest(&file.contents)
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect();
                format!("{hash}  {}", file.path)
            })
            .collect();
        rendered.sort_by(|a, b| a[66..].cmp(&b[66..]));
        let expected: Vec<&str> = golden.lines().collect();
        assert_eq!(rendered, expected, "{stack} revision {number}, {case}");
    }
}

#[test]
fn every_revision_has_golden_hashes() {
    for stack in Stack::ALL {
        for revision in revisions::all(stack) {
            assert!(
                GOLDEN
                    .iter()
                    .any(|&(s, number, _, _)| s == stack && number == revision.number),
                "{stack} revision {} has no golden hashes (tests/golden/make.sh)",
                revision.number
            );
        }
    }
}
