//! The one validator: every value from every channel becomes a checked [`NewOptions`] here,
//! before anything touches the disk.

use std::path::PathBuf;

use crate::error::Error;
use crate::extras::{self, Extras};
use crate::inputs::Inputs;
use crate::name;
use crate::project::Project;
use crate::recommend::{self, Recommendation, Rules};
use crate::scaffold::{Revision, revisions};
use crate::stack::{Lang, Stack};
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
    /// The recommendation, made whether or not `--stack` overrides it, so outputs can show
    /// both; `None` when nothing would show it (see `app::run_new`).
    pub recommendation: Option<Recommendation>,
    /// True when `--stack` named the stack instead of taking the recommendation.
    pub explicit_stack: bool,
    /// What to do about the stack's toolchain.
    pub checks: Checks,
    /// Install the dependencies after writing.
    pub install: bool,
    /// The template revision to render.
    pub revision: &'static Revision,
    /// With `Checks::Require`, a runtime past its end of life stops the run too.
    pub strict: bool,
}

/// How `new` treats the toolchain check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// `--skip-checks`: do not look.
    Skip,
    /// The default: report problems as warnings, write anyway.
    Warn,
    /// `--require-toolchain` (or `--install`): a problem stops the run before writing.
    Require,
}

/// The choices of `stackgen new` that are not answers about the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewSettings {
    pub force: bool,
    pub dry_run: bool,
    pub json: bool,
    pub checks: Checks,
    pub install: bool,
    pub strict: bool,
    /// The revision to render instead of the current one.
    pub template_revision: Option<u32>,
}

/// The first Node.js template revision with TypeScript.
pub const FIRST_TS_REVISION: u32 = 3;

/// Refuses `--lang` for a stack without a language choice.
pub fn check_lang_for(stack: Stack, lang: Option<Lang>) -> Result<(), Error> {
    match (stack, lang) {
        (Stack::Flask, Some(lang)) => Err(Error::InvalidValue {
            what: "--lang",
            value: crate::recommend::answers::value_name(lang),
            problem: "only Node.js projects choose a language; Flask projects are Python".into(),
            help: Some("leave out `--lang`, or use `--stack node`".into()),
        }),
        _ => Ok(()),
    }
}

/// Checks a description, from any channel.
pub fn check_description(description: &str) -> Result<(), Error> {
    text::check_description(description).map_err(|problem| Error::InvalidValue {
        what: "description",
        value: description.to_owned(),
        problem,
        help: None,
    })
}

/// Parses an author, from any channel; `stack` decides whether a comma is allowed.
pub fn parse_author(author: &str, stack: Option<Stack>) -> Result<Author, Error> {
    Author::parse(author, stack != Some(Stack::Flask)).map_err(|problem| Error::InvalidValue {
        what: "author",
        value: author.to_owned(),
        problem,
        help: Some("use `Name`, `Name <email>` or `<email>`".into()),
    })
}

impl NewOptions {
    /// Checks the values that do not depend on the stack before anything is asked, so nobody
    /// answers a wizard only to be told a flag was wrong.
    pub fn check_early(inputs: &Inputs) -> Result<(), Error> {
        inputs.answers.validate()?;
        // A given name no stack accepts is refused before any prompt: no directory typed
        // could fix it.
        if let Some(name) = &inputs.name {
            name::validate_for(name, inputs.explicit_stack())
                .map_err(|error| error.with_source(name::NameSource::Given))?;
        }
        if let Some(description) = &inputs.description {
            check_description(description)?;
        }
        if let Some(author) = &inputs.author {
            parse_author(author, inputs.explicit_stack())?;
        }
        Ok(())
    }

    /// Validates everything gathered; with `rules`, also makes the recommendation, which a
    /// stack that was not named comes from.
    pub fn validate(
        inputs: &Inputs,
        rules: Option<&Rules>,
        settings: &NewSettings,
    ) -> Result<NewOptions, Error> {
        let target = inputs.path.clone().ok_or(Error::MissingPath)?;
        inputs.answers.validate()?;
        let recommendation = rules.map(|rules| recommend::recommend(rules, &inputs.answers));
        // Names are validated per stack, so the stack must be settled before the name.
        let stack = match (inputs.explicit_stack(), &recommendation) {
            (Some(stack), _) => stack,
            (None, Some(recommendation)) => recommendation.stack,
            (None, None) => {
                return Err(Error::Internal("no rules to recommend a stack from".into()));
            }
        };
        let name = match &inputs.name {
            Some(given) => name::validate(given, stack)
                .map_err(|error| error.with_source(name::NameSource::Given))?,
            None => name::validate(&target::name_from_path(&target)?, stack)?,
        };
        let project = project_from(inputs, stack, name)?;
        let revision = match settings.template_revision {
            None => revisions::current(stack),
            Some(number) => revisions::find(stack, number).ok_or_else(|| Error::InvalidValue {
                what: "template revision",
                value: number.to_string(),
                problem: format!(
                    "this stackgen has {} revisions 1 to {}",
                    stack.display_name(),
                    revisions::current(stack).number
                ),
                help: None,
            })?,
        };
        if project.lang == Lang::Ts && revision.number < FIRST_TS_REVISION {
            return Err(Error::InvalidValue {
                what: "template revision",
                value: revision.number.to_string(),
                problem: format!(
                    "`--lang ts` needs template revision {FIRST_TS_REVISION} or later"
                ),
                help: Some("leave out `--template-revision`, or use `--lang js`".into()),
            });
        }
        Ok(NewOptions {
            target,
            project,
            git: inputs.git.unwrap_or(true),
            force: settings.force,
            dry_run: settings.dry_run,
            json: settings.json,
            recommendation,
            explicit_stack: inputs.explicit_stack().is_some(),
            checks: settings.checks,
            install: settings.install,
            strict: settings.strict,
            revision,
        })
    }
}

/// Checks the answers that shape the files, for a stack and name already settled: `new` and
/// `update` build their projects here.
pub fn project_from(
    inputs: &Inputs,
    stack: Stack,
    name: name::ProjectName,
) -> Result<Project, Error> {
    let description = inputs.description.clone().unwrap_or_default();
    check_description(&description)?;
    let author = inputs
        .author
        .as_deref()
        .map(|author| parse_author(author, Some(stack)))
        .transpose()?;
    Ok(Project {
        name,
        stack,
        // Only Node.js has a language choice; a Flask project given one by an answers file
        // made for Node.js is Python all the same (`--lang` itself is refused in `new`).
        lang: match stack {
            Stack::Node => inputs.lang.unwrap_or_default(),
            Stack::Flask => Lang::Js,
        },
        description,
        author,
        port: inputs.port.unwrap_or(stack.default_port()),
        git: inputs.git.unwrap_or(true),
        answers: inputs.answers.clone(),
        extras: Extras {
            license: inputs.license.unwrap_or_default(),
            ci: inputs.ci.unwrap_or_default(),
            docker: inputs.docker.unwrap_or(false),
            // On by default, also for a record written before `agents` existed: updating it
            // to a revision that has AGENTS.md adds the file.
            agents: inputs.agents.unwrap_or(true),
            update_bot: inputs.update_bot.unwrap_or(true),
            year: inputs.year.unwrap_or_else(extras::current_year),
        },
    })
}
