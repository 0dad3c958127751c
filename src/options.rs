//! The one validator: every value from every channel becomes a checked [`NewOptions`] here,
//! before anything touches the disk.

use std::path::PathBuf;

use crate::cli::{DoctorArgs, NewArgs, StackChoice};
use crate::error::Error;
use crate::name;
use crate::project::Project;
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
    /// What to do about the stack's toolchain.
    pub checks: Checks,
    /// Install the dependencies after writing.
    pub install: bool,
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

impl NewOptions {
    /// Validates the command line.
    pub fn from_args(args: &NewArgs) -> Result<NewOptions, Error> {
        let target = args.path.clone().ok_or(Error::MissingPath)?;
        let stack = match args.stack {
            StackChoice::Node => Stack::Node,
            StackChoice::Flask => Stack::Flask,
            StackChoice::Auto => {
                return Err(Error::Usage(
                    "`--stack auto` cannot recommend a stack yet: pass `--stack node` or `--stack flask`"
                        .into(),
                ));
            }
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
            checks: if args.skip_checks {
                Checks::Skip
            } else if args.require_toolchain || args.install {
                Checks::Require
            } else {
                Checks::Warn
            },
            install: args.install,
        })
    }
}

/// A validated `stackgen doctor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctorOptions {
    /// The stacks whose tools are checked.
    pub stacks: Vec<Stack>,
    /// Print a JSON document on stdout.
    pub json: bool,
}

impl DoctorOptions {
    /// Takes the command line; without `--stack`, every stack is checked.
    pub fn from_args(args: &DoctorArgs) -> DoctorOptions {
        DoctorOptions {
            stacks: args
                .stack
                .map_or_else(|| Stack::ALL.to_vec(), |stack| vec![stack]),
            json: args.json,
        }
    }
}
