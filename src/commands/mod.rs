//! One file per subcommand: each turns its clap arguments into the domain's own types, calls
//! the core and prints the result. Nothing below this module sees clap's parser types.

mod completions;
mod doctor;
mod fleet;
mod list;
mod man;
mod new;
mod recommend;
mod rules;
mod update;

use crate::cli::Command;
use crate::error::Error;
use crate::inputs::Inputs;
use crate::name;
use crate::options;
use crate::output::Reporter;
use crate::project::Project;
use crate::scaffold::{self, Revision, revisions};
use crate::stack::Stack;
use crate::toolchain::{Requirement, Requirements};

/// Runs one subcommand.
pub fn execute(command: Command, reporter: &Reporter) -> Result<(), Error> {
    match command {
        Command::New(args) => new::run(&args, reporter),
        Command::Update(args) => update::update(&args, reporter),
        Command::Diff(args) => update::diff(&args),
        Command::Check(args) => update::check(&args, reporter),
        Command::List(args) => list::run(&args),
        Command::Recommend(args) => recommend::run(&args),
        Command::Rules => rules::run(),
        Command::Doctor(args) => doctor::run(&args),
        Command::Completions(args) => completions::print(args.shell),
        Command::Man(args) => man::print(args.command.as_deref()),
    }
}

/// What the runtimes must satisfy for `project` at `revision`: the versions its manifest
/// declares. The other stack's come from a project on defaults at its newest revision.
fn requirements(project: &Project, revision: &Revision) -> Result<Requirements, Error> {
    let declared = |of: Stack| -> Result<Requirement, Error> {
        let text = if of == project.stack {
            scaffold::declared_runtime(project, revision)?
        } else {
            scaffold::declared_runtime(&defaults(of)?, revisions::current(of))?
        };
        Requirement::declared(&text).map_err(Error::Internal)
    };
    Ok(Requirements {
        node: declared(Stack::Node)?,
        python: declared(Stack::Flask)?,
    })
}

/// A project of `stack` with every answer on its default, for what does not depend on one.
fn defaults(stack: Stack) -> Result<Project, Error> {
    let name = name::validate("app", stack).map_err(Error::from)?;
    options::project_from(&Inputs::default(), stack, name)
}
