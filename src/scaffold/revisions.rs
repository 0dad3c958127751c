//! The template revisions of each stack, read from `templates/<stack>/revisions.toml`: which
//! files each revision has, where each comes from, and when it is part of a project.

use std::sync::OnceLock;

use serde::Deserialize;

use super::TEMPLATES;
use crate::extras::{Ci, Extras, License};
use crate::stack::Stack;

/// How a file's contents are made from its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Render {
    /// Rendered with handlebars; user values enter only through literal-emitting helpers.
    Template,
    /// Copied byte for byte.
    Verbatim,
    /// A JSON or TOML manifest: the template holds the fixed part, the user values are set
    /// with a serializer, never spliced in as text.
    Manifest,
    /// `.stackgen.toml`: the answers, serialized, so the project can be reproduced.
    Answers,
}

/// When a file is part of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// Every project has it.
    #[default]
    Always,
    /// `--license MIT`.
    LicenseMit,
    /// `--license Apache-2.0`.
    LicenseApache,
    /// `--ci github`.
    CiGithub,
    /// `--docker`.
    Docker,
}

impl Condition {
    pub fn holds(self, extras: &Extras) -> bool {
        match self {
            Condition::Always => true,
            Condition::LicenseMit => extras.license == License::Mit,
            Condition::LicenseApache => extras.license == License::Apache2,
            Condition::CiGithub => extras.ci == Ci::Github,
            Condition::Docker => extras.docker,
        }
    }

    /// The option that adds the file, for `stackgen list`.
    pub fn option(self) -> Option<&'static str> {
        match self {
            Condition::Always => None,
            Condition::LicenseMit => Some("--license MIT"),
            Condition::LicenseApache => Some("--license Apache-2.0"),
            Condition::CiGithub => Some("--ci github"),
            Condition::Docker => Some("--docker"),
        }
    }
}

/// One file of a revision: where it goes in the project, where it comes from, and when.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    pub path: String,
    pub render: Render,
    /// The template, relative to `templates/`; none for [`Render::Answers`].
    pub from: Option<String>,
    #[serde(default)]
    pub when: Condition,
    /// Whether the file is written executable (a script the project runs).
    #[serde(default)]
    pub executable: bool,
}

/// One revision of a stack's templates.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    pub number: u32,
    /// The day it was released, `YYYY-MM-DD`: what "maintained" is judged against.
    pub released: String,
    /// What changed and why, one line each, for people reviewing an update. Metadata: not
    /// part of what the revision renders.
    #[serde(default)]
    pub notes: Vec<String>,
    pub files: Vec<FileSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    revision: Vec<Revision>,
}

/// Every revision of `stack`, oldest first. The catalogues are embedded and checked by the
/// tests, so a malformed one is a bug caught before release.
pub fn all(stack: Stack) -> &'static [Revision] {
    static NODE: OnceLock<Vec<Revision>> = OnceLock::new();
    static FLASK: OnceLock<Vec<Revision>> = OnceLock::new();
    let cell = match stack {
        Stack::Node => &NODE,
        Stack::Flask => &FLASK,
    };
    cell.get_or_init(|| {
        let path = format!("{}/revisions.toml", stack.id());
        let text = TEMPLATES
            .get_file(&path)
            .and_then(|file| file.contents_utf8())
            .unwrap_or_else(|| panic!("`templates/{path}` is not embedded"));
        let catalogue: Catalogue = toml::from_str(text)
            .unwrap_or_else(|error| panic!("`templates/{path}` is invalid: {error}"));
        catalogue.revision
    })
}

/// The revision `new` writes today.
pub fn current(stack: Stack) -> &'static Revision {
    all(stack).last().expect("every stack has a revision")
}

/// The release notes of the revisions after `from` up to `to`, oldest first.
pub fn notes_between(stack: Stack, from: u32, to: u32) -> Vec<(u32, &'static [String])> {
    all(stack)
        .iter()
        .filter(|revision| revision.number > from && revision.number <= to)
        .map(|revision| (revision.number, revision.notes.as_slice()))
        .collect()
}

/// The revision with this number, if this stackgen knows it.
pub fn find(stack: Stack, number: u32) -> Option<&'static Revision> {
    all(stack).iter().find(|revision| revision.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_numbered_from_one_and_released_in_order() {
        for stack in Stack::ALL {
            let revisions = all(stack);
            for (index, revision) in revisions.iter().enumerate() {
                assert_eq!(revision.number as usize, index + 1, "{stack}");
                assert_eq!(revision.released.len(), 10, "{stack}: YYYY-MM-DD");
            }
            for pair in revisions.windows(2) {
                assert!(pair[0].released <= pair[1].released, "{stack}");
            }
        }
    }

    #[test]
    fn every_revision_says_what_changed() {
        for stack in Stack::ALL {
            for revision in all(stack) {
                assert!(!revision.notes.is_empty(), "{stack} {}", revision.number);
                for note in &revision.notes {
                    assert!(
                        !note.is_empty() && !note.contains('\n') && note.len() <= 160,
                        "{stack} {}: one line each: {note:?}",
                        revision.number
                    );
                }
            }
        }
        assert_eq!(notes_between(Stack::Node, 1, 1), []);
        assert_eq!(notes_between(Stack::Node, 0, 1).len(), 1);
    }

    #[test]
    fn every_file_but_the_answers_names_a_template() {
        for stack in Stack::ALL {
            for revision in all(stack) {
                for spec in &revision.files {
                    assert_eq!(
                        spec.from.is_none(),
                        spec.render == Render::Answers,
                        "{stack} {}: {}",
                        revision.number,
                        spec.path
                    );
                }
            }
        }
    }
}
