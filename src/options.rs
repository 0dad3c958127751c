//! The one validator: every value from every channel becomes a checked [`NewOptions`] here,
//! before anything touches the disk.

use std::path::PathBuf;

use crate::cli::{AnswerArgs, NewArgs, RecommendArgs, StackChoice};
use crate::error::Error;
use crate::name;
use crate::project::Project;
use crate::recommend::{self, Answers, Recommendation, Rules};
use crate::stack::Stack;
use crate::target;
use crate::text::{self, Author};

/// A fully validated `stackgen new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOptions {
    /// The directory to create, as given.
    pub target: PathBuf,
    /// What goes into the files.
    pub project: Project,
    /// Whether to initialise git.
    pub git: bool,
    /// Write into a non-empty directory, skipping existing entries.
    pub force: bool,
    /// Show the plan, write nothing.
    pub dry_run: bool,
    /// Print a JSON document on stdout.
    pub json: bool,
    /// The recommendation, made whether or not `--stack` overrides it, so outputs can show both.
    pub recommendation: Recommendation,
    /// True when `--stack` named the stack instead of taking the recommendation.
    pub explicit_stack: bool,
}

/// A validated `stackgen recommend`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendOptions {
    /// The verdict to print.
    pub recommendation: Recommendation,
    /// Print it as JSON.
    pub json: bool,
}

impl RecommendOptions {
    /// Validates the command line and makes the recommendation.
    pub fn from_args(args: &RecommendArgs) -> Result<RecommendOptions, Error> {
        Ok(RecommendOptions {
            recommendation: recommendation_from(&args.answers)?,
            json: args.json,
        })
    }
}

/// Checks the answers, loads the rules and recommends; shared by `recommend` and `new`.
fn recommendation_from(args: &AnswerArgs) -> Result<Recommendation, Error> {
    let answers = Answers {
        use_case: args.use_case,
        team: args.team,
        priorities: args.priorities.clone(),
        load: args.load,
    };
    answers.validate()?;
    let rules = Rules::load(args.rules.as_deref())?;
    Ok(recommend::recommend(&rules, &answers))
}

impl NewOptions {
    /// Validates the command line.
    pub fn from_args(args: &NewArgs) -> Result<NewOptions, Error> {
        let target = args.path.clone().ok_or(Error::MissingPath)?;
        let recommendation = recommendation_from(&args.answers)?;
        // Names are validated per stack, so the stack must be settled before the name.
        let stack = match args.stack {
            StackChoice::Node => Stack::Node,
            StackChoice::Flask => Stack::Flask,
            StackChoice::Auto => recommendation.stack,
        };
        let raw_name = match &args.name {
            Some(name) => name.clone(),
            None => target::name_from_path(&target)?,
        };
        let name = name::validate(&raw_name, stack)?;
        let description = args.description.clone().unwrap_or_default();
        text::check_description(&description).map_err(|problem| Error::InvalidValue {
            what: "description",
            value: description.clone(),
            problem,
            help: None,
        })?;
        let author = args
            .author
            .as_deref()
            .map(|author| {
                Author::parse(author, stack != Stack::Flask).map_err(|problem| {
                    Error::InvalidValue {
                        what: "author",
                        value: author.to_owned(),
                        problem,
                        help: Some("use `Name`, `Name <email>` or `<email>`".into()),
                    }
                })
            })
            .transpose()?;
        Ok(NewOptions {
            target,
            project: Project {
                name,
                stack,
                description,
                author,
                port: args.port.unwrap_or(stack.default_port()),
            },
            git: !args.no_git,
            force: args.force,
            dry_run: args.dry_run,
            json: args.json,
            recommendation,
            explicit_stack: args.stack != StackChoice::Auto,
        })
    }
}
