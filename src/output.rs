//! Everything stackgen prints: colour decisions, escaping of user strings, the human reporter.
//!
//! Human messages go to stderr; stdout is reserved for `--json` documents and `list`.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};

use console::Style;
use serde::Serialize;

use crate::error::Error;
use crate::wrap;

/// When to use colour, as chosen with `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and neither `NO_COLOR` nor `TERM=dumb` is set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Decides colour once per stream, for the prompts and messages on stderr and for the tables
/// on stdout, from the flag and the environment.
pub fn configure_color(choice: ColorChoice) {
    let enabled = |is_terminal: bool| match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && is_terminal && !dumb_terminal()
        }
    };
    console::set_colors_enabled(enabled(io::stdout().is_terminal()));
    console::set_colors_enabled_stderr(enabled(io::stderr().is_terminal()));
}

/// `TERM=dumb`: a terminal that cannot move the cursor or show colour (Emacs' shell, some CI
/// log viewers). The one place that decides it, for colour, prompts and spinners.
pub fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|term| term == "dumb")
}

/// Whether stderr is a terminal that can redraw a line (a spinner, a prompt).
pub fn stderr_can_redraw() -> bool {
    io::stderr().is_terminal() && !dumb_terminal()
}

/// Whether stdout can show colour and symbols such as ✓: the same test as for colour, since
/// `TERM=dumb`, `NO_COLOR` and pipes rule out both.
pub fn stdout_is_rich() -> bool {
    console::colors_enabled()
}

/// How much to say on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Errors and warnings only.
    Quiet,
    /// The usual messages.
    #[default]
    Normal,
    /// Also what each step ran.
    Verbose,
}

/// Writes human messages to stderr, in cargo's shape (`     Created …`, `warning: …`).
pub struct Reporter {
    verbosity: Verbosity,
}

impl Reporter {
    /// A reporter at the given verbosity.
    pub fn new(verbosity: Verbosity) -> Self {
        Reporter { verbosity }
    }

    /// How much this reporter says.
    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// A progress line: a right-aligned green verb, then the message.
    pub fn status(&self, verb: &str, message: &str) -> Result<(), Error> {
        if self.verbosity == Verbosity::Quiet {
            return Ok(());
        }
        let verb = format!("{verb:>12}");
        write_stderr(&labelled(&verb, " ", Style::new().green().bold(), message))
    }

    /// Plain text for people, such as the next steps.
    pub fn info(&self, message: &str) -> Result<(), Error> {
        if self.verbosity == Verbosity::Quiet {
            return Ok(());
        }
        write_stderr(message)
    }

    /// A warning; shown even with `--quiet`.
    pub fn warn(&self, message: &str) -> Result<(), Error> {
        write_stderr(&labelled(
            "warning",
            ": ",
            Style::new().yellow().bold(),
            message,
        ))
    }

    /// A note: something stackgen decided not to do, and why.
    pub fn note(&self, message: &str) -> Result<(), Error> {
        if self.verbosity == Verbosity::Quiet {
            return Ok(());
        }
        write_stderr(&labelled("note", ": ", Style::new().cyan().bold(), message))
    }
}

/// `label: message` for stderr, the label styled, each line of the message wrapped at the
/// terminal's width, continuing under the message rather than under the label.
fn labelled(label: &str, separator: &str, style: Style, message: &str) -> String {
    let styled = style.for_stderr().apply_to(label);
    let indent = console::measure_text_width(label) + separator.len();
    let mut lines = message.lines();
    let first = format!("{styled}{separator}{}", lines.next().unwrap_or_default());
    std::iter::once(first)
        .chain(lines.map(str::to_owned))
        .map(|line| wrap::hanging(&line, indent, wrap::stderr_width()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints an error and its hint the way every command ends on failure.
pub fn print_error(error: &Error) {
    let mut message = labelled("error", ": ", Style::new().red().bold(), &error.to_string());
    if let Some(help) = error.help() {
        let help = labelled("help", ": ", Style::new().cyan().bold(), &help);
        let _ = write!(message, "\n{help}");
    }
    // Nothing sensible is left to do if stderr itself is gone.
    let _ = write_stderr(&message);
}

fn write_stderr(message: &str) -> Result<(), Error> {
    writeln!(io::stderr().lock(), "{message}").map_err(Error::Output)
}

/// Writes a line to stdout, mapping failure (a closed pipe, `/dev/full`) to an error.
pub fn write_stdout(text: &str) -> Result<(), Error> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .map_err(Error::Output)
}

/// Writes `value` to stdout as one pretty-printed JSON document, as every `--json` does.
pub fn write_json<T: Serialize + ?Sized>(value: &T) -> Result<(), Error> {
    write_stdout(
        &serde_json::to_string_pretty(value).map_err(|error| Error::Internal(error.to_string()))?,
    )
}

/// Writes bytes to stdout as they are, for text that brings its own final newline.
pub fn write_stdout_raw(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(Error::Output)
}
