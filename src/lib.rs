//! stackgen: recommends a backend stack and scaffolds a tested Node.js or Flask project.

mod app;
mod cli;
mod doctor;
mod error;
mod git;
mod install;
mod name;
mod options;
mod output;
mod project;
mod scaffold;
mod signals;
mod stack;
mod target;
mod text;
mod toolchain;

use std::ffi::OsString;

use clap::Parser;

pub use error::exit_code;

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::output::{Reporter, Verbosity};

/// Runs stackgen with these arguments (the first is the program name) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout and errors to stderr.
            let _ = error.print();
            return error.exit_code();
        }
    };
    output::configure_color(cli.color);
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    match execute(cli.command, &Reporter::new(verbosity)) {
        Ok(()) => exit_code::OK,
        Err(error) => {
            output::print_error(&error);
            error.exit_code()
        }
    }
}

fn execute(command: Command, reporter: &Reporter) -> Result<(), Error> {
    match command {
        Command::New(args) => {
            signals::install();
            let options = options::NewOptions::from_args(&args)?;
            app::new_project(&options, reporter)
        }
        Command::List(args) => app::list(args.json),
        Command::Doctor(args) => doctor::doctor(&options::DoctorOptions::from_args(&args)),
    }
}
