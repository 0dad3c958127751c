//! The prompt seam: the wizard asks through [`Prompter`], so its flow is unit-tested with a
//! scripted prompter while the real one (drawn in dialoguer's theme) is tested through a
//! pseudo-terminal.

use std::io::{self, IsTerminal};

use console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};

use crate::line_editor::{self, LineEditor, Outcome};
use crate::terminal_mode;
use crate::wrap;

/// Why a prompt did not produce an answer.
#[derive(Debug)]
pub enum PromptError {
    /// Ctrl-C, Esc or end of input: the user wants out.
    Cancelled,
    /// The terminal failed.
    Failed(io::Error),
}

/// Checks an answer as it is typed. `Ok` may hold a note on what the answer gives (shown under
/// the prompt); `Err` holds why it is refused and what to type instead.
pub type Validator<'a> = &'a dyn Fn(&str) -> Result<Option<String>, String>;

/// Asks questions. Every method returns the answer or why there is none.
pub trait Prompter {
    /// A line of text, checked by `validate` as it is typed; an empty line means `default`.
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
    /// The width that shown text should wrap at, if any.
    fn width(&self) -> Option<usize>;
}

/// Whether stackgen may ask at all. Decided before dialoguer is touched, because dialoguer
/// reads keys from `/dev/tty` even when stdin is a pipe.
pub fn interactive_allowed(yes: bool, no_interactive: bool) -> bool {
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    !yes && !no_interactive
        && !ci
        && io::stdin().is_terminal()
        && crate::output::stderr_can_redraw()
}

/// The real prompter, on stderr, in dialoguer's themes.
pub struct TerminalPrompter {
    term: Term,
    theme: Box<dyn Theme>,
    /// How many rows below the top of the text prompt being drawn the cursor is.
    cursor_row: usize,
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
            cursor_row: 0,
        }
    }
}

/// Where a long menu item continues: under the item's text, past the theme's pointer.
const MENU_ITEM_INDENT: usize = 4;

/// Where a long answered question, or the line under a text prompt, continues: past the
/// theme's mark.
const ANSWER_INDENT: usize = 2;

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
            let lines = self.fitted(&lines, MENU_ITEM_INDENT);
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
        self.term
            .write_line(&self.fitted(&[done], ANSWER_INDENT).join("\n"))?;
        Ok(chosen)
    }

    /// How many terminal rows `lines` take, wrapped at the terminal's width.
    fn rows(&self, lines: &[String]) -> usize {
        let width = self.width_now().max(1);
        lines
            .iter()
            .map(|line| console::measure_text_width(line).div_ceil(width).max(1))
            .sum()
    }

    /// `lines` wrapped to the terminal's width, one row per entry, continuing `indent`
    /// columns in.
    fn fitted(&self, lines: &[String], indent: usize) -> Vec<String> {
        let width = Some(self.width_now());
        lines
            .iter()
            .flat_map(|line| {
                wrap::hanging(line, indent, width)
                    .lines()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn width_now(&self) -> usize {
        usize::from(self.term.size().1)
    }

    /// The line under a text prompt: a refusal in the theme's error style, or a dimmed note.
    fn hint_rows(&self, hint: &Hint) -> Result<Vec<String>, PromptError> {
        let line = match hint {
            Hint::Refusal(message) => formatted(|f| self.theme.format_error(f, message))?,
            Hint::Note(note) => format!("  {}", console::style(note).for_stderr().dim()),
        };
        Ok(self.fitted(&[line], ANSWER_INDENT))
    }

    /// Draws a text prompt over its previous drawing, as one write so it never flickers:
    /// the question and the line, then `hint` under them, then the cursor where the editor
    /// has it (or after the text, when `cursor_at_end`).
    fn draw_text_prompt(
        &mut self,
        question: &str,
        editor: &LineEditor,
        hint: Option<&Hint>,
        cursor_at_end: bool,
    ) -> Result<(), PromptError> {
        let width = self.width_now();
        let (text, cursor) = line_editor::shown(editor.text(), editor.cursor());
        let prefix_width = console::measure_text_width(question);
        let layout = line_editor::place(prefix_width, &text, cursor, width);
        let (row, column) = if cursor_at_end {
            line_editor::place(prefix_width, &text, text.len(), width).cursor
        } else {
            layout.cursor
        };
        let mut frame = self.erase_sequence();
        frame.push_str(question);
        frame.push_str(&text);
        // `\r` ends a pending wrap at the edge; the empty row after text that fills its last
        // row exactly is made by a real newline, so the screen scrolls if it must.
        frame.push('\r');
        let mut at_row = layout.rows - 1;
        if layout.ends_at_edge {
            frame.push('\n');
        }
        if let Some(hint) = hint {
            for line in self.hint_rows(hint)? {
                frame.push_str("\r\n");
                frame.push_str(&line);
                at_row += 1;
            }
            frame.push('\r');
        }
        if at_row > row {
            frame.push_str(&format!("\x1b[{}A", at_row - row));
        }
        if column > 0 {
            frame.push_str(&format!("\x1b[{column}C"));
        }
        self.cursor_row = row;
        Ok(self.term.write_str(&frame)?)
    }

    /// Moves to the top of the text prompt drawn last and clears from there down.
    fn erase_sequence(&mut self) -> String {
        let mut sequence = String::from("\r");
        if self.cursor_row > 0 {
            sequence.push_str(&format!("\x1b[{}A", self.cursor_row));
        }
        sequence.push_str("\x1b[J");
        self.cursor_row = 0;
        sequence
    }
}

/// What shows under a text prompt.
enum Hint {
    Refusal(String),
    Note(String),
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
    /// dialoguer's `Input` ignores Esc and Ctrl-D, knows no readline keys and checks only on
    /// Enter, so the prompt is drawn in dialoguer's theme by a small editor of our own. The
    /// check runs on every key; a refusal shows once something is typed (or Enter was
    /// pressed), so an empty prompt does not open with an error.
    fn text(
        &mut self,
        prompt: &str,
        default: &str,
        validate: Validator,
    ) -> Result<String, PromptError> {
        let default_shown = (!default.is_empty()).then_some(default);
        // The theme's question ends with the space the answer starts after.
        let question = formatted(|f| self.theme.format_input_prompt(f, prompt, default_shown))?;
        let _unbuffered = terminal_mode::hold();
        let mut editor = LineEditor::default();
        let mut submitted = false;
        self.cursor_row = 0;
        loop {
            let answer = match editor.text() {
                "" => default,
                typed => typed,
            }
            .to_owned();
            let verdict = validate(&answer);
            let hint = match &verdict {
                Ok(note) => note.clone().map(Hint::Note),
                Err(refusal) if submitted || !editor.text().is_empty() => {
                    Some(Hint::Refusal(refusal.clone()))
                }
                Err(_) => None,
            };
            self.draw_text_prompt(&question, &editor, hint.as_ref(), false)?;
            let outcome = match self.term.read_key_raw() {
                Ok(key) => editor.apply(&key),
                Err(error) => {
                    self.draw_text_prompt(&question, &editor, None, true)?;
                    return Err(error.into());
                }
            };
            match outcome {
                Outcome::Edited => {}
                Outcome::Submit if verdict.is_ok() => {
                    let erase = self.erase_sequence();
                    let done = formatted(|f| {
                        self.theme.format_input_prompt_selection(f, prompt, &answer)
                    })?;
                    self.term.write_str(&erase)?;
                    self.term
                        .write_line(&self.fitted(&[done], ANSWER_INDENT).join("\n"))?;
                    return Ok(answer);
                }
                Outcome::Submit => submitted = true,
                Outcome::Cancel => {
                    // Leave the line as typed, without its hint, with the cursor after it,
                    // so the cancel message starts on a row of its own.
                    self.draw_text_prompt(&question, &editor, None, true)?;
                    return Err(PromptError::Cancelled);
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
        // `y` and `n` choose and show the choice; only Enter answers, so an Enter typed after
        // `y` (as in a shell's prompts) never answers the next question too.
        let mut chosen: Option<bool> = None;
        let mut drawn = question.clone();
        self.term.write_str(&drawn)?;
        let answer = loop {
            let choice = match self.term.read_key() {
                Ok(Key::Char('y' | 'Y')) => Some(true),
                Ok(Key::Char('n' | 'N')) => Some(false),
                Ok(Key::Backspace | Key::Del) => None,
                Ok(Key::Enter) => break Ok(chosen.unwrap_or(default)),
                Ok(key) if cancels(&key) => break Err(PromptError::Cancelled),
                Ok(_) => continue,
                Err(error) => break Err(PromptError::from(error)),
            };
            chosen = choice;
            self.term.clear_line()?;
            self.term
                .clear_last_lines(self.rows(std::slice::from_ref(&drawn)) - 1)?;
            drawn = match chosen {
                Some(true) => format!("{question}y"),
                Some(false) => format!("{question}n"),
                None => question.clone(),
            };
            self.term.write_str(&drawn)?;
        };
        // A question wider than the terminal took more than one row: clear them all.
        self.term.clear_line()?;
        self.term
            .clear_last_lines(self.rows(std::slice::from_ref(&drawn)) - 1)?;
        let answer = answer?;
        let done = formatted(|f| {
            self.theme
                .format_confirm_prompt_selection(f, prompt, Some(answer))
        })?;
        self.term
            .write_line(&self.fitted(&[done], ANSWER_INDENT).join("\n"))?;
        Ok(answer)
    }

    fn show(&mut self, text: &str) -> Result<(), PromptError> {
        Ok(self.term.write_line(text)?)
    }

    fn width(&self) -> Option<usize> {
        wrap::stderr_width()
    }
}
