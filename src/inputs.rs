//! The raw answers to `stackgen new`, gathered from every channel before validation: flags
//! first, then (for what is still missing) the wizard. Nothing here is checked yet; the one
//! validator in `options` checks it all at once.

use std::path::PathBuf;

use crate::extras::{Ci, License};
use crate::recommend::Answers;
use crate::stack::{Lang, Stack, StackChoice};

/// Every answer `stackgen new` knows, each `None` until some channel gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// The directory to create.
    pub path: Option<PathBuf>,
    /// The project name, when it is not the directory's.
    pub name: Option<String>,
    /// The stack, or `auto` for the recommendation.
    pub stack: Option<StackChoice>,
    /// The language of a Node.js project's code.
    pub lang: Option<Lang>,
    /// One line of description.
    pub description: Option<String>,
    /// `Name`, `Name <email>` or `<email>`.
    pub author: Option<String>,
    /// The server's default port.
    pub port: Option<u16>,
    /// Whether to initialise git.
    pub git: Option<bool>,
    /// The answers the recommendation is made from.
    pub answers: Answers,
    /// The license.
    pub license: Option<License>,
    /// The CI workflow.
    pub ci: Option<Ci>,
    /// Whether to add a Dockerfile.
    pub docker: Option<bool>,
    /// Whether to add `AGENTS.md`.
    pub agents: Option<bool>,
    /// Whether `--ci github` adds the update bot.
    pub update_bot: Option<bool>,
    /// The copyright year.
    pub year: Option<u16>,
    /// The template revision a `.stackgen.toml` records (`new` always writes the current one).
    pub revision: Option<u32>,
    /// The stackgen version a `.stackgen.toml` records.
    pub written_by: Option<String>,
}

impl Inputs {
    /// Takes from `file` every value these inputs lack: flags beat the answers file.
    pub fn fill_from(&mut self, file: Inputs) {
        fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
            if slot.is_none() {
                *slot = value;
            }
        }
        fill(&mut self.path, file.path);
        fill(&mut self.name, file.name);
        fill(&mut self.stack, file.stack);
        fill(&mut self.lang, file.lang);
        fill(&mut self.description, file.description);
        fill(&mut self.author, file.author);
        fill(&mut self.port, file.port);
        fill(&mut self.git, file.git);
        self.answers.fill_from(file.answers);
        fill(&mut self.license, file.license);
        fill(&mut self.ci, file.ci);
        fill(&mut self.docker, file.docker);
        fill(&mut self.agents, file.agents);
        fill(&mut self.update_bot, file.update_bot);
        fill(&mut self.year, file.year);
    }

    /// Takes every value `other` gives, keeping these inputs' values only where it gives none.
    pub fn fill_over(&mut self, other: Inputs) {
        let mut merged = other;
        merged.fill_from(std::mem::take(self));
        *self = merged;
    }

    /// The stack named explicitly, if any (`auto` names none).
    pub fn explicit_stack(&self) -> Option<Stack> {
        self.stack?.stack()
    }
}
