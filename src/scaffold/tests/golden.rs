//! Revision 1 is frozen: rendered today, it must give exactly the files stackgen 0.1.0 wrote.
//! `tests/golden/make.sh` recorded their hashes by running 0.1.0 itself; `.stackgen.toml` is
//! left out, as later versions add the revision and their own version to the record.

use sha2::{Digest, Sha256};

use crate::extras::{Ci, Extras, License};
use crate::name;
use crate::project::Project;
use crate::recommend::Answers;
use crate::scaffold::{render_revision, revisions};
use crate::stack::Stack;
use crate::text::Author;

const GOLDEN: &[(Stack, &str, &str)] = &[
    (
        Stack::Node,
        "plain",
        include_str!("../../../tests/golden/node-1-plain.sha256"),
    ),
    (
        Stack::Node,
        "extras",
        include_str!("../../../tests/golden/node-1-extras.sha256"),
    ),
    (
        Stack::Node,
        "apache",
        include_str!("../../../tests/golden/node-1-apache.sha256"),
    ),
    (
        Stack::Flask,
        "plain",
        include_str!("../../../tests/golden/flask-1-plain.sha256"),
    ),
    (
        Stack::Flask,
        "extras",
        include_str!("../../../tests/golden/flask-1-extras.sha256"),
    ),
    (
        Stack::Flask,
        "apache",
        include_str!("../../../tests/golden/flask-1-apache.sha256"),
    ),
];

/// The answers `make.sh` gave 0.1.0 for `case`.
fn project(stack: Stack, case: &str) -> Project {
    let (license, ci, docker) = match case {
        "plain" => (License::None, Ci::None, false),
        "extras" => (License::Mit, Ci::Github, true),
        "apache" => (License::Apache2, Ci::None, false),
        other => panic!("unknown case {other}"),
    };
    Project {
        name: name::validate("demo", stack).unwrap(),
        stack,
        description: "A demo service".into(),
        author: Some(Author::parse("Jane Doe <jane@example.com>", true).unwrap()),
        port: stack.default_port(),
        git: false,
        answers: Answers::default(),
        extras: Extras {
            license,
            ci,
            docker,
            year: 2026,
        },
    }
}

#[test]
fn revision_1_renders_what_stackgen_0_1_0_wrote() {
    for &(stack, case, golden) in GOLDEN {
        let revision = revisions::find(stack, 1).unwrap();
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
        assert_eq!(rendered, expected, "{stack} revision 1, {case}");
    }
}
