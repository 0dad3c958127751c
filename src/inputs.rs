//! The raw answers to `stackgen new`, gathered from every channel before validation: flags
//! first, then (for what is still missing) the wizard. Nothing here is checked yet; the one
//! validator in `options` checks it all at once.

use std::path::PathBuf;

use crate::cli::{NewArgs, StackChoice};
use crate::recommend::Answers;
use crate::stack::Stack;

/// Every answer `stackgen new` knows, each `None` until some channel gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// The directory to create.
    pub path: Option<PathBuf>,
    /// The project name, when it is not the directory's.
    pub name: Option<String>,
    /// The stack, or `auto` for the recommendation.
    pub stack: Option<StackChoice>,
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
}

impl Inputs {
    /// The values given as flags.
    pub fn from_args(args: &NewArgs) -> Inputs {
        Inputs {
            path: args.path.clone(),
            name: args.name.clone(),
            stack: args.stack,
            description: args.description.clone(),
            author: args.author.clone(),
            port: args.port,
            git: args.no_git.then_some(false),
            answers: Answers {
                use_case: args.answers.use_case,
                team: args.answers.team,
                priorities: args.answers.priorities.clone(),
                load: args.answers.load,
            },
        }
    }

    /// The stack named explicitly, if any (`auto` names none).
    pub fn explicit_stack(&self) -> Option<Stack> {
        match self.stack? {
            StackChoice::Node => Some(Stack::Node),
            StackChoice::Flask => Some(Stack::Flask),
            StackChoice::Auto => None,
        }
    }
}
