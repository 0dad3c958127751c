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
use crate::extras::Extras;
use crate::output::Reporter;
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

/// What the runtimes must satisfy for a project of `stack` at `revision` with `extras`: the
/// versions its manifest declares. The other stack's come from its newest revision.
fn requirements(stack: Stack, revision: &Revision, extras: &Extras) -> Result<Requirements, Error> {
    let declared = |of: Stack| -> Result<Requirement, Error> {
        let text = if of == stack {
            scaffold::declared_runtime(of, revision, extras)?
        } else {
            scaffold::declared_runtime(of, revisions::current(of), &Extras::defaults())?
        };
        Requirement::declared(&text).map_err(Error::Internal)
    };
    Ok(Requirements {
        node: declared(Stack::Node)?,
        python: declared(Stack::Flask)?,
    })
}
