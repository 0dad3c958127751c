//! The prompt seam: the wizard asks through [`Prompter`], so its flow is unit-tested with a
//! scripted prompter while the real one (dialoguer) is tested through a pseudo-terminal.

use std::io::{self, IsTerminal};

use console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};

/// Why a prompt did not produce an answer.
#[derive(Debug)]
pub enum PromptError {
    /// Ctrl-C, Esc or end of input: the user wants out.
    Cancelled,
    /// The terminal failed.
    Failed(io::Error),
}

impl From<dialoguer::Error> for PromptError {
    fn from(error: dialoguer::Error) -> Self {
        let dialoguer::Error::IO(error) = error;
        match error.kind() {
            io::ErrorKind::Interrupted | io::ErrorKind::UnexpectedEof => PromptError::Cancelled,
            _ => PromptError::Failed(error),
        }
    }
}

/// Checks a typed answer; `Err` holds the message shown under the prompt.
pub type Validator<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// Asks questions. Every method returns the answer or why there is none.
pub trait Prompter {
    /// A line of text, checked by `validate` as it is entered.
    fn text(
        &mut self,
        prompt: &str,
        default: &str,
        validate: Validator,
    ) -> Result<String, PromptError>;
    /// One of `items`; returns its index.
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, PromptError>;
    /// Up to `max` of `items`; returns their indices.
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        max: usize,
    ) -> Result<Vec<usize>, PromptError>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, PromptError>;
    /// Shows text between questions (the recommendation, the summary).
    fn show(&mut self, text: &str) -> Result<(), PromptError>;
}

/// Whether stackgen may ask at all. Decided before dialoguer is touched, because dialoguer
/// reads keys from `/dev/tty` even when stdin is a pipe.
pub fn interactive_allowed(yes: bool, no_interactive: bool) -> bool {
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
    !yes && !no_interactive
        && !ci
        && !dumb
        && io::stdin().is_terminal()
        && io::stderr().is_terminal()
}

/// The real prompter: dialoguer on stderr.
pub struct DialoguerPrompter {
    term: Term,
    theme: Box<dyn Theme>,
}

impl DialoguerPrompter {
    /// A prompter whose theme follows the colour decision: the colourful theme only uses bold,
    /// green, red, cyan and yellow, readable on light and dark backgrounds alike.
    pub fn new() -> Self {
        let theme: Box<dyn Theme> = if console::colors_enabled_stderr() {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        DialoguerPrompter {
            term: Term::stderr(),
            theme,
        }
    }
}

impl Prompter for DialoguerPrompter {
    fn text(
        &mut self,
        prompt: &str,
        default: &str,
        validate: Validator,
    ) -> Result<String, PromptError> {
        let mut input = dialoguer::Input::<String>::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .allow_empty(true)
            .validate_with(|value: &String| validate(value));
        if !default.is_empty() {
            input = input.default(default.to_owned());
        }
        Ok(input.interact_text_on(&self.term)?)
    }

    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, PromptError> {
        dialoguer::Select::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on_opt(&self.term)?
            .ok_or(PromptError::Cancelled)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        max: usize,
    ) -> Result<Vec<usize>, PromptError> {
        loop {
            let chosen = dialoguer::MultiSelect::with_theme(self.theme.as_ref())
                .with_prompt(format!(
                    "{prompt} (space to toggle, enter to accept, up to {max})"
                ))
                .items(items)
                .interact_on_opt(&self.term)?
                .ok_or(PromptError::Cancelled)?;
            if chosen.len() <= max {
                return Ok(chosen);
            }
            self.show(&format!("pick at most {max}, you picked {}", chosen.len()))?;
        }
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, PromptError> {
        dialoguer::Confirm::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .interact_on_opt(&self.term)?
            .ok_or(PromptError::Cancelled)
    }

    fn show(&mut self, text: &str) -> Result<(), PromptError> {
        self.term.write_line(text).map_err(PromptError::Failed)
    }
}
