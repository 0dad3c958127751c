//! The prompt seam: the wizard asks through [`Prompter`], so its flow is unit-tested with a
//! scripted prompter while the real one (dialoguer) is tested through a pseudo-terminal.

use std::io::{self, IsTerminal};

use console::{Key, Term};
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
        PromptError::from(error)
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

impl DialoguerPrompter {
    /// Reads one line of keys: Enter ends it, Esc and Ctrl-D cancel, Backspace erases.
    /// (Ctrl-C never arrives here: the terminal layer raises SIGINT for it.)
    fn read_line(&mut self) -> Result<String, PromptError> {
        let mut typed = String::new();
        loop {
            match self.term.read_key()? {
                Key::Enter => return Ok(typed),
                Key::Escape | Key::Char('\u{4}') => return Err(PromptError::Cancelled),
                Key::Backspace => {
                    if let Some(erased) = typed.pop() {
                        let width = console::measure_text_width(erased.encode_utf8(&mut [0; 4]));
                        self.term.clear_chars(width)?;
                    }
                }
                Key::Char(c) if !c.is_control() => {
                    typed.push(c);
                    self.term.write_str(c.encode_utf8(&mut [0; 4]))?;
                }
                _ => {}
            }
        }
    }
}

impl From<io::Error> for PromptError {
    fn from(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::Interrupted | io::ErrorKind::UnexpectedEof => PromptError::Cancelled,
            _ => PromptError::Failed(error),
        }
    }
}

impl Prompter for DialoguerPrompter {
    /// dialoguer's `Input` ignores Esc and Ctrl-D, which must cancel here, so text is read
    /// with a small line editor drawn in dialoguer's theme.
    fn text(
        &mut self,
        prompt: &str,
        default: &str,
        validate: Validator,
    ) -> Result<String, PromptError> {
        let failed = |_| PromptError::Failed(io::Error::other("cannot format the prompt"));
        let default_shown = (!default.is_empty()).then_some(default);
        loop {
            let mut line = String::new();
            self.theme
                .format_input_prompt(&mut line, prompt, default_shown)
                .map_err(failed)?;
            self.term
                .write_str(&format!("{line} "))
                .map_err(PromptError::Failed)?;
            let typed = self.read_line()?;
            let answer = if typed.is_empty() {
                default.to_owned()
            } else {
                typed
            };
            self.term.clear_line().map_err(PromptError::Failed)?;
            match validate(&answer) {
                Ok(()) => {
                    let mut done = String::new();
                    self.theme
                        .format_input_prompt_selection(&mut done, prompt, &answer)
                        .map_err(failed)?;
                    self.term.write_line(&done).map_err(PromptError::Failed)?;
                    return Ok(answer);
                }
                Err(message) => {
                    let mut error = String::new();
                    self.theme
                        .format_error(&mut error, &message)
                        .map_err(failed)?;
                    self.term.write_line(&error).map_err(PromptError::Failed)?;
                }
            }
        }
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
