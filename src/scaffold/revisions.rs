//! The template revisions of each stack, read from `templates/<stack>/revisions.toml`: which
//! files each revision has, where each comes from, and when it is part of a project.

use std::sync::OnceLock;

use serde::Deserialize;

use super::TEMPLATES;
use crate::extras::{Ci, License};
use crate::project::Project;
use crate::stack::{Lang, Stack};

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

/// One condition on a file being part of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// Every project has it (revisions 1 and 2 spell it out; the same as no condition).
    Always,
    /// `--license MIT`.
    LicenseMit,
    /// `--license Apache-2.0`.
    LicenseApache,
    /// `--ci github`.
    CiGithub,
    /// `--docker`.
    Docker,
    /// `--lang js`, the default (Node.js).
    LangJs,
    /// `--lang ts` (Node.js).
    LangTs,
    /// AGENTS.md, on unless `--no-agents`.
    Agents,
    /// The update bot's workflow, on (with `--ci github`) unless `--no-update-bot`.
    UpdateBot,
}

impl Condition {
    pub fn holds(self, project: &Project) -> bool {
        let extras = &project.extras;
        match self {
            Condition::Always => true,
            Condition::LicenseMit => extras.license == License::Mit,
            Condition::LicenseApache => extras.license == License::Apache2,
            Condition::CiGithub => extras.ci == Ci::Github,
            Condition::Docker => extras.docker,
            Condition::LangJs => project.lang == Lang::Js,
            Condition::LangTs => project.lang == Lang::Ts,
            Condition::Agents => extras.agents,
            Condition::UpdateBot => extras.update_bot,
        }
    }

    /// The option that adds the file, for `stackgen list`; `None` when the defaults do.
    pub fn option(self) -> Option<&'static str> {
        match self {
            Condition::Always | Condition::LangJs | Condition::Agents | Condition::UpdateBot => {
                None
            }
            Condition::LicenseMit => Some("--license MIT"),
            Condition::LicenseApache => Some("--license Apache-2.0"),
            Condition::CiGithub => Some("--ci github"),
            Condition::Docker => Some("--docker"),
            Condition::LangTs => Some("--lang ts"),
        }
    }

    /// The option that leaves out a file the defaults add, for `stackgen list`.
    pub fn opt_out(self) -> Option<&'static str> {
        match self {
            Condition::LangJs => Some("--lang ts"),
            Condition::Agents => Some("--no-agents"),
            Condition::UpdateBot => Some("--no-update-bot"),
            _ => None,
        }
    }
}

/// When a file is part of the project: every condition holds (none: always). Revisions 1 and
/// 2 name one condition as a string; later ones a list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct When(pub Vec<Condition>);

impl When {
    pub fn holds(&self, project: &Project) -> bool {
        self.0.iter().all(|condition| condition.holds(project))
    }

    /// The options that add the file, in the order of the list; empty when the defaults do.
    pub fn options(&self) -> Vec<&'static str> {
        self.0
            .iter()
            .filter_map(|condition| condition.option())
            .collect()
    }

    /// The options that leave out a file the defaults add.
    pub fn opt_outs(&self) -> Vec<&'static str> {
        self.0
            .iter()
            .filter_map(|condition| condition.opt_out())
            .collect()
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            One(Condition),
            All(Vec<Condition>),
        }
        Ok(match Written::deserialize(deserializer)? {
            Written::One(condition) => When(vec![condition]),
            Written::All(conditions) => When(conditions),
        })
    }
}

/// One file of a revision: where it goes in the project, where it comes from, and when.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// The path in the project; `{module}` stands for a Flask project's module name.
    pub path: String,
    pub render: Render,
    /// The template, relative to `templates/`; none for [`Render::Answers`].
    pub from: Option<String>,
    #[serde(default)]
    pub when: When,
    /// Whether the file is written executable (a script the project runs).
    #[serde(default)]
    pub executable: bool,
    /// A file of an earlier revision this one takes the place of (Flask's `app.py`, which
    /// revision 3 moved into the package): `update` says where its code went.
    pub replaces: Option<String>,
}

impl FileSpec {
    /// The path in `project`.
    pub fn path_in(&self, project: &Project) -> String {
        match &project.name.module {
            Some(module) => self.path.replace(MODULE, module),
            None => self.path.clone(),
        }
    }
}

/// What a path holds in place of a Flask project's module name.
pub const MODULE: &str = "{module}";

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
    fn when_is_one_condition_or_a_list_of_them() {
        let parse = |text: &str| {
            toml::from_str::<FileSpec>(&format!(
                "path = \"x\"\nrender = \"verbatim\"\nfrom = \"y\"\n{text}"
            ))
        };
        assert_eq!(parse("").unwrap().when, When(vec![]));
        assert_eq!(
            parse("when = \"docker\"").unwrap().when,
            When(vec![Condition::Docker])
        );
        assert_eq!(
            parse("when = [\"ci-github\", \"lang-ts\"]").unwrap().when,
            When(vec![Condition::CiGithub, Condition::LangTs])
        );
        assert!(parse("when = \"lang-rust\"").is_err());
        assert!(parse("when = [\"docker\", 3]").is_err());
        let when = parse("when = [\"ci-github\", \"lang-ts\", \"agents\"]")
            .unwrap()
            .when;
        assert_eq!(when.options(), ["--ci github", "--lang ts"]);
        assert_eq!(when.opt_outs(), ["--no-agents"]);
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
