//! The prompt seam: the wizard asks through [`Prompter`], so its flow is unit-tested with a
//! scripted prompter while the real one (drawn in dialoguer's theme) is tested through a
//! pseudo-terminal.

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

/// The real prompter, on stderr, in dialoguer's themes.
pub struct TerminalPrompter {
    term: Term,
    theme: Box<dyn Theme>,
}

impl TerminalPrompter {
    /// A prompter whose theme follows the colour decision: the colourful theme only uses bold,
    /// green, red, cyan and yellow, readable on light and dark backgrounds alike.
    pub fn new() -> Self {
        let theme: Box<dyn Theme> = if console::colors_enabled_stderr() {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        TerminalPrompter {
            term: Term::stderr(),
            theme,
        }
    }
}

/// Esc and Ctrl-D end a prompt without an answer (Ctrl-C raises SIGINT before it gets here).
fn cancels(key: &Key) -> bool {
    matches!(key, Key::Escape | Key::Char('\u{4}'))
}

/// Runs one of the theme's formatters into a string.
fn formatted(write: impl FnOnce(&mut String) -> std::fmt::Result) -> Result<String, PromptError> {
    let mut text = String::new();
    write(&mut text)
        .map_err(|_| PromptError::Failed(io::Error::other("cannot format the prompt")))?;
    Ok(text)
}

impl TerminalPrompter {
    /// A menu of `items` drawn in dialoguer's theme: one pick (`pick_many` is `None`) or up to
    /// `max` (`Some(max)`, space toggles). Arrows or `j`/`k` move, Enter accepts, Esc, `q` and
    /// Ctrl-D cancel. dialoguer's own menus ignore Ctrl-D, hence this.
    fn menu(
        &mut self,
        prompt: &str,
        items: &[String],
        start: usize,
        pick_many: Option<usize>,
    ) -> Result<Vec<usize>, PromptError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let header = match pick_many {
            None => formatted(|f| self.theme.format_select_prompt(f, prompt))?,
            Some(max) => formatted(|f| {
                let hint = format!("{prompt} (space to toggle, enter to accept, up to {max})");
                self.theme.format_multi_select_prompt(f, &hint)
            })?,
        };
        let mut cursor = start.min(items.len() - 1);
        let mut picked = vec![false; items.len()];
        let mut problem: Option<String> = None;
        self.term.hide_cursor()?;
        let result = loop {
            let mut lines = vec![header.clone()];
            for (index, item) in items.iter().enumerate() {
                lines.push(formatted(|f| match pick_many {
                    None => self
                        .theme
                        .format_select_prompt_item(f, item, index == cursor),
                    Some(_) => self.theme.format_multi_select_prompt_item(
                        f,
                        item,
                        picked[index],
                        index == cursor,
                    ),
                })?);
            }
            if let Some(problem) = &problem {
                lines.push(formatted(|f| self.theme.format_error(f, problem))?);
            }
            self.term.write_str(&format!("{}\n", lines.join("\n")))?;
            let key = self.term.read_key();
            self.term.clear_last_lines(self.rows(&lines))?;
            match key {
                Ok(Key::ArrowUp | Key::BackTab | Key::Char('k')) => {
                    cursor = (cursor + items.len() - 1) % items.len()
                }
                Ok(Key::ArrowDown | Key::Tab | Key::Char('j')) => {
                    cursor = (cursor + 1) % items.len()
                }
                Ok(Key::Char(' ')) if pick_many.is_some() => picked[cursor] = !picked[cursor],
                Ok(Key::Enter) => {
                    let Some(max) = pick_many else {
                        break Ok(vec![cursor]);
                    };
                    let chosen: Vec<usize> =
                        (0..items.len()).filter(|&index| picked[index]).collect();
                    if chosen.len() <= max {
                        break Ok(chosen);
                    }
                    problem = Some(format!("pick at most {max}, you picked {}", chosen.len()));
                }
                Ok(key) if cancels(&key) || key == Key::Char('q') => {
                    break Err(PromptError::Cancelled);
                }
                Ok(_) => {}
                Err(error) => break Err(PromptError::from(error)),
            }
        };
        self.term.show_cursor()?;
        let chosen = result?;
        let names: Vec<&str> = chosen.iter().map(|&index| items[index].as_str()).collect();
        let done = formatted(|f| match pick_many {
            None => self
                .theme
                .format_select_prompt_selection(f, prompt, names[0]),
            Some(_) => self
                .theme
                .format_multi_select_prompt_selection(f, prompt, &names),
        })?;
        self.term.write_line(&done)?;
        Ok(chosen)
    }

    /// How many terminal rows `lines` take, wrapped at the terminal's width.
    fn rows(&self, lines: &[String]) -> usize {
        let width = usize::from(self.term.size().1).max(1);
        lines
            .iter()
            .map(|line| console::measure_text_width(line).div_ceil(width).max(1))
            .sum()
    }

    /// Reads one line of keys: Enter ends it, Esc and Ctrl-D cancel, Backspace erases.
    /// (Ctrl-C never arrives here: the terminal layer raises SIGINT for it.)
    fn read_line(&mut self) -> Result<String, PromptError> {
        let mut typed = String::new();
        loop {
            match self.term.read_key()? {
                Key::Enter => return Ok(typed),
                key if cancels(&key) => return Err(PromptError::Cancelled),
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

impl Prompter for TerminalPrompter {
    /// dialoguer's prompts ignore Ctrl-D (and `Input` ignores Esc), which must cancel here, so
    /// the prompts are drawn with dialoguer's theme by a small editor and menu of our own.
    fn text(
        &mut self,
        prompt: &str,
        default: &str,
        validate: Validator,
    ) -> Result<String, PromptError> {
        let default_shown = (!default.is_empty()).then_some(default);
        loop {
            let question = formatted(|f| self.theme.format_input_prompt(f, prompt, default_shown))?;
            self.term.write_str(&format!("{question} "))?;
            let typed = self.read_line()?;
            // A long question or answer wraps: clear every row it took, not just the last.
            let rows = self.rows(&[format!("{question} {typed}")]);
            self.term.clear_line()?;
            self.term.clear_last_lines(rows - 1)?;
            let answer = if typed.is_empty() {
                default.to_owned()
            } else {
                typed
            };
            match validate(&answer) {
                Ok(()) => {
                    let done = formatted(|f| {
                        self.theme.format_input_prompt_selection(f, prompt, &answer)
                    })?;
                    self.term.write_line(&done)?;
                    return Ok(answer);
                }
                Err(message) => {
                    let error = formatted(|f| self.theme.format_error(f, &message))?;
                    self.term.write_line(&error)?;
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
        let chosen = self.menu(prompt, items, default, None)?;
        chosen.first().copied().ok_or(PromptError::Cancelled)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        max: usize,
    ) -> Result<Vec<usize>, PromptError> {
        self.menu(prompt, items, 0, Some(max))
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, PromptError> {
        let question = formatted(|f| self.theme.format_confirm_prompt(f, prompt, Some(default)))?;
        self.term.write_str(&question)?;
        let answer = loop {
            match self.term.read_key() {
                Ok(Key::Char('y' | 'Y')) => break Ok(true),
                Ok(Key::Char('n' | 'N')) => break Ok(false),
                Ok(Key::Enter) => break Ok(default),
                Ok(key) if cancels(&key) => break Err(PromptError::Cancelled),
                Ok(_) => {}
                Err(error) => break Err(PromptError::from(error)),
            }
        };
        self.term.clear_line()?;
        let answer = answer?;
        let done = formatted(|f| {
            self.theme
                .format_confirm_prompt_selection(f, prompt, Some(answer))
        })?;
        self.term.write_line(&done)?;
        Ok(answer)
    }

    fn show(&mut self, text: &str) -> Result<(), PromptError> {
        Ok(self.term.write_line(text)?)
    }
}
