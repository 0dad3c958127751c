//! The validated values that shape a generated project.

use crate::extras::Extras;
use crate::name::ProjectName;
use crate::recommend::Answers;
use crate::stack::{Lang, Stack};
use crate::text::Author;

/// Everything the templates need, already validated: building one is the only way in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The package or distribution name, and for Flask the module name.
    pub name: ProjectName,
    /// The stack to generate.
    pub stack: Stack,
    /// The language of a Node.js project's code; always `Js` for Flask.
    pub lang: Lang,
    /// One line of description; empty when none was given.
    pub description: String,
    /// The author, when one is known.
    pub author: Option<Author>,
    /// The default port of the generated server.
    pub port: u16,
    /// Whether git is initialised; recorded so the answers reproduce the run.
    pub git: bool,
    /// The answers the recommendation was made from, recorded in `.stackgen.toml`.
    pub answers: Answers,
    /// License, CI workflow, container, AGENTS.md.
    pub extras: Extras,
}
