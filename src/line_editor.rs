//! The editing half of a text prompt, apart from the terminal: which key does what to the
//! line (rustyline's [`LineBuffer`] does the grapheme- and word-aware editing), and where
//! the line and its cursor land on a screen of a given width. Both are pure, so every key
//! and every wrap is unit-tested here; `prompt` draws the result.

use console::Key;
use rustyline::line_buffer::{ChangeListener, DeleteListener, Direction, LineBuffer};
use rustyline::{At, Word};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::text::forbidden_char;

/// The longest answer accepted, in bytes; every checked answer's own limit is far below it.
const CAPACITY: usize = 4096;

/// What a key asks the prompt to do, once the line has taken it.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The line (or the cursor) may have changed: draw it again.
    Edited,
    /// Enter: check the answer.
    Submit,
    /// Esc, Ctrl-C or Ctrl-D: leave without an answer.
    Cancel,
}

/// A line being typed, with readline's emacs-mode keys.
pub struct LineEditor {
    buffer: LineBuffer,
}

/// The prompt keeps no undo or kill ring, so nobody listens to the buffer's changes.
struct Unheard;

impl DeleteListener for Unheard {
    fn delete(&mut self, _: usize, _: &str, _: Direction) {}
}

impl ChangeListener for Unheard {
    fn insert_char(&mut self, _: usize, _: char) {}
    fn insert_str(&mut self, _: usize, _: &str) {}
    fn replace(&mut self, _: usize, _: &str, _: &str) {}
}

impl Default for LineEditor {
    fn default() -> Self {
        LineEditor {
            buffer: LineBuffer::with_capacity(CAPACITY),
        }
    }
}

impl LineEditor {
    /// The text typed so far.
    pub fn text(&self) -> &str {
        self.buffer.as_str()
    }

    /// The cursor, as a byte offset into [`LineEditor::text`].
    pub fn cursor(&self) -> usize {
        self.buffer.pos()
    }

    /// Applies one key. console's reader already turns Ctrl-A/E into Home/End and Ctrl-H
    /// into Backspace, and gives Alt-<letter> as an escape sequence of that letter.
    pub fn apply(&mut self, key: &Key) -> Outcome {
        let line = &mut self.buffer;
        match key {
            Key::Enter => return Outcome::Submit,
            Key::Escape | Key::CtrlC | Key::Char('\u{4}') => return Outcome::Cancel,
            Key::ArrowLeft | Key::Char('\u{2}') => drop(line.move_backward(1)),
            Key::ArrowRight | Key::Char('\u{6}') => drop(line.move_forward(1)),
            Key::Home => drop(line.move_buffer_start()),
            Key::End => drop(line.move_buffer_end()),
            Key::Backspace => drop(line.backspace(1, &mut Unheard)),
            Key::Del => drop(line.delete(1, &mut Unheard)),
            Key::Char('\u{15}') => drop(line.discard_buffer(&mut Unheard)),
            Key::Char('\u{b}') => drop(line.kill_buffer(&mut Unheard)),
            // Ctrl-W erases back to whitespace, as readline's unix-word-rubout does.
            Key::Char('\u{17}') => drop(line.delete_prev_word(Word::Big, 1, &mut Unheard)),
            Key::UnknownEscSeq(sequence) => match sequence.as_slice() {
                ['b'] => drop(line.move_to_prev_word(Word::Emacs, 1)),
                ['f'] => drop(line.move_to_next_word(At::AfterEnd, Word::Emacs, 1)),
                ['d'] => drop(line.delete_word(At::AfterEnd, Word::Emacs, 1, &mut Unheard)),
                ['\u{7f}'] => drop(line.delete_prev_word(Word::Emacs, 1, &mut Unheard)),
                _ => {}
            },
            Key::Char(c) if !c.is_control() => drop(line.insert(*c, 1, &mut Unheard)),
            _ => {}
        }
        Outcome::Edited
    }
}

/// The line as it is drawn, and the cursor in it: characters no answer may hold (format and
/// bidi controls) are kept in the line, so the check can name them, but drawn as `�` so they
/// cannot reorder or hide what is on the screen.
pub fn shown(text: &str, cursor: usize) -> (String, usize) {
    let mut drawn = String::with_capacity(text.len());
    let mut drawn_cursor = None;
    for (offset, c) in text.char_indices() {
        if offset == cursor {
            drawn_cursor = Some(drawn.len());
        }
        drawn.push(if forbidden_char(c) {
            char::REPLACEMENT_CHARACTER
        } else {
            c
        });
    }
    let drawn_cursor = drawn_cursor.unwrap_or(drawn.len());
    (drawn, drawn_cursor)
}

/// Where a prompt's line lands on the screen: the question (`prefix_width` columns) then
/// the text, wrapped at `width` columns the way a terminal wraps it.
#[derive(Debug, PartialEq, Eq)]
pub struct Placement {
    /// Rows the question and text take, counting an empty last row when the text ends
    /// exactly at the edge (the cursor then sits at the start of the next row).
    pub rows: usize,
    /// Whether the text ends exactly at the edge, which leaves that empty last row.
    pub ends_at_edge: bool,
    /// The cursor's row (from the question's row) and column.
    pub cursor: (usize, usize),
}

/// Lays out `text` after a question `prefix_width` columns wide, with the cursor at byte
/// `cursor`. A wide character that would straddle the edge moves whole to the next row, as
/// terminals draw it.
pub fn place(prefix_width: usize, text: &str, cursor: usize, width: usize) -> Placement {
    let width = width.max(2);
    let (mut row, mut column) = (prefix_width / width, prefix_width % width);
    // A column equal to `width` is a terminal's pending wrap: the next character, or the
    // cursor, goes to the next row.
    let settle = |row: usize, column: usize| {
        if column >= width {
            (row + 1, 0)
        } else {
            (row, column)
        }
    };
    let mut at_cursor = None;
    for (offset, grapheme) in text.grapheme_indices(true) {
        let grapheme_width = grapheme.width();
        if column + grapheme_width > width {
            (row, column) = (row + 1, 0);
        }
        if offset == cursor {
            at_cursor = Some(settle(row, column));
        }
        column += grapheme_width;
    }
    let end = settle(row, column);
    Placement {
        rows: end.0 + 1,
        ends_at_edge: column >= width,
        cursor: at_cursor.unwrap_or(end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> LineEditor {
        let mut editor = LineEditor::default();
        for c in text.chars() {
            editor.apply(&Key::Char(c));
        }
        editor
    }

    fn keys(editor: &mut LineEditor, keys: &[Key]) {
        for key in keys {
            assert_eq!(editor.apply(key), Outcome::Edited, "{key:?}");
        }
    }

    #[test]
    fn moving_and_inserting_edits_in_the_middle() {
        let mut editor = typed("chat");
        keys(
            &mut editor,
            &[Key::Home, Key::Char('a'), Key::End, Key::Char('z')],
        );
        assert_eq!(editor.text(), "achatz");
        keys(
            &mut editor,
            &[
                Key::ArrowLeft,
                Key::Char('\u{2}'),
                Key::Char('-'),
                Key::Char('\u{6}'),
                Key::ArrowRight,
                Key::Char('!'),
            ],
        );
        assert_eq!(editor.text(), "acha-tz!");
    }

    #[test]
    fn deleting_keys_erase_a_character_a_word_or_a_side() {
        let mut editor = typed("my cool app");
        keys(&mut editor, &[Key::Char('\u{17}')]);
        assert_eq!(editor.text(), "my cool ");
        keys(&mut editor, &[Key::Backspace, Key::Home, Key::Del]);
        assert_eq!(editor.text(), "y cool");
        keys(&mut editor, &[Key::ArrowRight, Key::Char('\u{b}')]);
        assert_eq!(editor.text(), "y");
        keys(&mut editor, &[Key::End, Key::Char('\u{15}')]);
        assert_eq!(editor.text(), "");
        let mut editor = typed("keep the end");
        keys(
            &mut editor,
            &[Key::UnknownEscSeq(vec!['b']), Key::Char('\u{15}')],
        );
        assert_eq!(editor.text(), "end", "Ctrl-U erases to the start only");
        assert_eq!(editor.cursor(), 0);
    }

    #[test]
    fn alt_keys_move_and_erase_by_word() {
        let mut editor = typed("one two-three");
        keys(&mut editor, &[Key::UnknownEscSeq(vec!['b'])]);
        assert_eq!(&editor.text()[editor.cursor()..], "three");
        keys(
            &mut editor,
            &[Key::UnknownEscSeq(vec!['b']), Key::UnknownEscSeq(vec!['b'])],
        );
        assert_eq!(editor.cursor(), 0);
        keys(&mut editor, &[Key::UnknownEscSeq(vec!['f'])]);
        assert_eq!(editor.cursor(), 3);
        keys(&mut editor, &[Key::UnknownEscSeq(vec!['d'])]);
        assert_eq!(editor.text(), "one-three");
        keys(&mut editor, &[Key::End, Key::UnknownEscSeq(vec!['\u{7f}'])]);
        assert_eq!(editor.text(), "one-");
    }

    #[test]
    fn wide_characters_are_edited_whole() {
        let mut editor = typed("日本語👍🏽");
        keys(&mut editor, &[Key::Backspace]);
        assert_eq!(
            editor.text(),
            "日本語",
            "a skin-toned emoji is one grapheme"
        );
        keys(
            &mut editor,
            &[Key::ArrowLeft, Key::Backspace, Key::Char('x')],
        );
        assert_eq!(editor.text(), "日x語");
    }

    #[test]
    fn enter_submits_and_esc_or_ctrl_d_cancel_and_controls_are_not_typed() {
        let mut editor = typed("a\u{7}\t");
        assert_eq!(editor.text(), "a");
        assert_eq!(editor.apply(&Key::Enter), Outcome::Submit);
        assert_eq!(editor.apply(&Key::Escape), Outcome::Cancel);
        assert_eq!(editor.apply(&Key::CtrlC), Outcome::Cancel);
        assert_eq!(editor.apply(&Key::Char('\u{4}')), Outcome::Cancel);
        assert_eq!(editor.text(), "a", "Ctrl-D cancels even with text typed");
    }

    #[test]
    fn invisible_characters_are_drawn_visibly_and_the_cursor_follows() {
        let text = "a\u{202e}\u{ad}b";
        let (drawn, cursor) = shown(text, text.find('b').unwrap());
        assert_eq!(drawn, "a\u{fffd}\u{fffd}b");
        assert_eq!(&drawn[cursor..], "b");
        assert_eq!(shown("日本", 6), ("日本".to_owned(), 6));
        let family = "👨\u{200d}👩";
        assert_eq!(shown(family, 0).0, family, "emoji keep their joiner");
    }

    #[test]
    fn placement_wraps_like_a_terminal() {
        assert_eq!(
            place(4, "abc", 3, 10),
            Placement {
                rows: 1,
                ends_at_edge: false,
                cursor: (0, 7)
            }
        );
        assert_eq!(
            place(4, "abcdef", 6, 10),
            Placement {
                rows: 2,
                ends_at_edge: true,
                cursor: (1, 0)
            },
            "text that ends at the edge puts the cursor on the next row"
        );
        assert_eq!(
            place(4, "abcdefgh", 1, 10),
            Placement {
                rows: 2,
                ends_at_edge: false,
                cursor: (0, 5)
            }
        );
        assert_eq!(
            place(4, "abcdefgh", 6, 10),
            Placement {
                rows: 2,
                ends_at_edge: false,
                cursor: (1, 0)
            }
        );
    }

    #[test]
    fn a_wide_character_that_does_not_fit_moves_to_the_next_row() {
        let text = "abcde日本";
        assert_eq!(
            place(4, text, text.find('日').unwrap(), 10),
            Placement {
                rows: 2,
                ends_at_edge: false,
                cursor: (1, 0)
            },
            "日 would take columns 9 and 10 of 10: it starts the next row"
        );
        assert_eq!(place(4, text, text.find('本').unwrap(), 10).cursor, (1, 2));
        assert_eq!(place(4, text, text.len(), 10).cursor, (1, 4));
        assert_eq!(place(25, "", 0, 10).cursor, (2, 5), "a long question wraps");
    }
}
