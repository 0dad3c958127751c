//! stackgen: recommends a backend stack and scaffolds a tested Node.js or Flask project.

mod answers_file;
mod app;
mod cli;
mod completions;
mod date;
mod doctor;
mod error;
mod extras;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod git;
mod input_file;
mod inputs;
mod install;
mod lifecycle;
mod line_editor;
mod manpage;
mod name;
mod options;
mod output;
mod project;
mod prompt;
mod recommend;
mod scaffold;
mod signals;
mod stack;
mod target;
mod terminal_mode;
mod text;
mod toolchain;
mod update;
mod watch;
mod wizard;
mod wrap;

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
    match execute(cli.command, &Reporter::new(verbosity)) {
        Ok(()) => exit_code::OK,
        // Cancelling goes through the same door as a signal, so it is reported exactly once.
        Err(Error::Cancelled) => signals::cancel_now(signal_hook::consts::SIGINT),
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
            let mut terminal;
            let prompter: Option<&mut dyn prompt::Prompter> =
                if prompt::interactive_allowed(args.yes, args.no_interactive) {
                    terminal = prompt::TerminalPrompter::new();
                    Some(&mut terminal)
                } else {
                    None
                };
            app::run_new(&args, reporter, prompter)
        }
        Command::Update(args) => {
            signals::install();
            update::command::update(&args, reporter)
        }
        Command::Diff(args) => update::command::diff(&args),
        Command::Check(args) => update::command::check(&args, reporter),
        Command::List(args) => app::list(args.json),
        Command::Recommend(args) => app::recommend(&options::RecommendOptions::from_args(&args)?),
        Command::Rules => app::print_rules(),
        Command::Doctor(args) => doctor::doctor(&options::DoctorOptions::from_args(&args)),
        Command::Completions(args) => completions::print(args.shell),
        Command::Man(args) => manpage::print(args.command.as_deref()),
    }
}
