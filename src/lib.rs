//! stackgen: recommends a backend stack and scaffolds a tested Node.js or Flask project.

mod cli;
mod commands;
mod date;
mod error;
mod extras;
mod fleet;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod git;
mod input_file;
mod inputs;
mod install;
mod lifecycle;
mod line_editor;
mod name;
mod options;
mod output;
mod project;
mod prompt;
mod recommend;
mod record;
mod scaffold;
mod signals;
mod stack;
mod target;
mod terminal_mode;
mod text;
mod toolchain;
mod transaction;
mod update;
mod wizard;
mod wrap;
mod write;

use std::ffi::OsString;

use clap::Parser;

pub use error::exit_code;

use crate::cli::Cli;
use crate::error::Error;
use crate::output::{Reporter, Verbosity};

/// Runs stackgen with these arguments (the first is the program name) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout and errors to stderr; output that never
            // arrived must not exit 0.
            let printed = error
                .print()
                .and_then(|()| std::io::Write::flush(&mut std::io::stdout()));
            return match printed {
                Ok(()) => error.exit_code(),
                Err(source) => {
                    output::print_error(&Error::Output(source));
                    exit_code::FAILURE
                }
            };
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
    match commands::execute(cli.command, &Reporter::new(verbosity)) {
        Ok(()) => exit_code::OK,
        // Cancelling goes through the same door as a signal, so it is reported exactly once.
        Err(Error::Cancelled) => signals::cancel_now(signal_hook::consts::SIGINT),
        Err(error) => {
            output::print_error(&error);
            error.exit_code()
        }
    }
}
