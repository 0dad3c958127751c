//! One file per subcommand: each turns its clap arguments into the domain's own types, calls
//! the core and prints the result. Nothing below this module sees clap's parser types.

mod completions;
mod doctor;
mod list;
mod man;
mod new;
mod recommend;
mod rules;
mod update;

use crate::cli::Command;
use crate::error::Error;
use crate::output::Reporter;

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
