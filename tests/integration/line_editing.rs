//! Text prompts at a real terminal (issue 15): readline's editing keys, wide characters,
//! checks shown as the answer is typed, and output that fits the terminal's width. Each test
//! reads the screen a terminal would show (vt100), not just the bytes printed.

use std::process::Command;

use crate::interactive::assert_cancelled;
use crate::pty::{CTRL_C, DOWN, ENTER, Pty, screen_rows};
use crate::support::{Sandbox, binary};

const ESC: &str = "\x1b";
const LEFT: &str = "\x1b[D";
const RIGHT: &str = "\x1b[C";
const HOME: &str = "\x1b[H";
const END: &str = "\x1b[F";
const DELETE: &str = "\x1b[3~";
const BACKSPACE: &str = "\x7f";
const CTRL_A: &str = "\x01";
const CTRL_B: &str = "\x02";
const CTRL_D: &str = "\x04";
const CTRL_E: &str = "\x05";
const CTRL_F: &str = "\x06";
const CTRL_K: &str = "\x0b";
const CTRL_U: &str = "\x15";
const CTRL_W: &str = "\x17";
const ALT_B: &str = "\x1bb";
const ALT_F: &str = "\x1bf";

/// The row the directory prompt's note takes once `name` is the whole answer.
fn names_of(name: &str) -> String {
    format!("package {name} · module {}", name.replace('-', "_"))
}

/// Types `keys` (sent one at a time, as a person types) at the directory prompt and waits
/// until the prompt's line is exactly `expected` with its names under it.
fn directory_after(key: &str, keys: &[&str], expected: &str) -> (Pty, Sandbox) {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(&sandbox, &[]);
    pty.screen_shows("Project directory");
    for key in keys {
        pty.send(key);
    }
    let note = names_of(expected);
    pty.screen_until(&format!("{key}: `{expected}` and its names"), |rows| {
        let line = rows
            .iter()
            .position(|row| row.contains("Project directory"));
        line.is_some_and(|line| {
            rows[line].ends_with(&format!(" {expected}"))
                && rows.get(line + 1).is_some_and(|row| row.trim() == note)
        })
    });
    (pty, sandbox)
}

#[test]
fn each_editing_key_edits_the_line_where_the_cursor_is() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("Left", &["chat-servr", LEFT, "e"], "chat-server"),
        ("Ctrl-B", &["ct", CTRL_B, "ha"], "chat"),
        ("Right", &["pp", HOME, "a", RIGHT, RIGHT, "-1"], "app-1"),
        (
            "Ctrl-F",
            &["at", CTRL_A, "ch", CTRL_F, CTRL_F, "-x"],
            "chat-x",
        ),
        ("Home", &["server", HOME, "chat-"], "chat-server"),
        ("Ctrl-A", &["server", CTRL_A, "chat-"], "chat-server"),
        ("End", &["chat", HOME, END, "-api"], "chat-api"),
        ("Ctrl-E", &["chat", CTRL_A, CTRL_E, "-api"], "chat-api"),
        ("Backspace", &["chat-apix", BACKSPACE], "chat-api"),
        ("Delete", &["xchat", HOME, DELETE], "chat"),
        ("Ctrl-U", &["My App", CTRL_U, "chat-server"], "chat-server"),
        (
            "Ctrl-U keeps what is after the cursor",
            &["old-chat", LEFT, LEFT, LEFT, LEFT, CTRL_U, "new-"],
            "new-chat",
        ),
        (
            "Ctrl-K",
            &["chat-api-old", CTRL_B, CTRL_B, CTRL_B, CTRL_B, CTRL_K],
            "chat-api",
        ),
        (
            "Ctrl-W",
            &["bad name", CTRL_W, BACKSPACE, "-api"],
            "bad-api",
        ),
        (
            "Alt-B",
            &["chat server", ALT_B, BACKSPACE, "-"],
            "chat-server",
        ),
        (
            "Alt-F",
            &["chat server", CTRL_A, ALT_F, DELETE, "-"],
            "chat-server",
        ),
    ];
    for (key, keys, expected) in cases {
        let (mut pty, sandbox) = directory_after(key, keys, expected);
        let before = sandbox.snap();
        pty.send(ESC);
        assert_cancelled(pty, &sandbox, &before);
    }
}

#[test]
fn a_pasted_line_is_taken_whole() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(&sandbox, &["--stack", "node"]);
    pty.screen_shows("Project directory");
    pty.send(&format!("pasted-app{ENTER}"));
    pty.screen_shows("Description");
    pty.send(CTRL_C);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 130, "{text}");
    assert!(text.contains("package pasted-app"), "{text}");
}

/// Every question but the description and the Dockerfile, as flags.
const ALL_BUT_DESCRIPTION: &[&str] = &[
    "web",
    "--stack",
    "node",
    "--lang",
    "js",
    "--author",
    "A <a@b.c>",
    "--use-case",
    "api",
    "--team",
    "both",
    "--priority",
    "hiring",
    "--load",
    "low",
    "--license",
    "none",
    "--ci",
    "none",
];

#[test]
fn wide_characters_longer_than_a_line_are_edited_whole() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen_sized(&sandbox, ALL_BUT_DESCRIPTION, 60);
    pty.screen_shows("Description");
    // 24 wide characters and an emoji: more than the 60 columns left of the question.
    let typed = format!("{}👍🏽", "日本語の説明".repeat(4));
    pty.send(&typed);
    // Erase the emoji (one grapheme of two code points), then the first character.
    pty.send(BACKSPACE);
    pty.send(HOME);
    pty.send(DELETE);
    pty.send(END);
    pty.send("!");
    let expected = format!("{}!", &"日本語の説明".repeat(4)["日".len()..]);
    let rows = pty.screen_until("the edited description", |rows| {
        let start = rows.iter().position(|row| row.contains("Description"));
        start.is_some_and(|start| {
            rows[start..].concat().ends_with(&expected)
                && rows[start..].iter().all(|row| !row.contains('👍'))
        })
    });
    let screen = pty.screen();
    let start = rows
        .iter()
        .position(|row| row.contains("Description"))
        .unwrap();
    assert!(
        rows[start + 1].starts_with(|c: char| !c.is_ascii()),
        "the line is longer than the terminal and wraps whole characters: {rows:#?}"
    );
    let (cursor_row, cursor_column) = screen.cursor_position();
    let last = start + rows[start..].iter().filter(|row| !row.is_empty()).count() - 1;
    assert_eq!(
        usize::from(cursor_row),
        last,
        "the cursor is on the line's last row: {rows:#?}"
    );
    let last_row_width: usize = rows[last]
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum();
    assert_eq!(
        usize::from(cursor_column),
        last_row_width,
        "the cursor sits after the `!`: {rows:#?}"
    );
    pty.send(ENTER);
    pty.answer("Dockerfile", ENTER);
    pty.answer("Create the project?", ENTER);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 0, "{text}");
    let manifest: serde_json::Value =
        serde_json::from_str(&sandbox.read("web/package.json")).unwrap();
    assert_eq!(manifest["description"], expected.as_str());
}

#[test]
fn the_directory_is_checked_as_it_is_typed_and_no_refusal_outlives_its_answer() {
    let sandbox = Sandbox::new();
    std::fs::create_dir(sandbox.path("taken")).unwrap();
    std::fs::write(sandbox.path("taken/notes.txt"), "mine").unwrap();
    let mut pty = Pty::stackgen(&sandbox, &[]);
    pty.screen_shows("Project directory");
    let opening = screen_rows(&pty.screen());
    assert!(
        !opening.iter().any(|row| row.contains('✘')),
        "an empty prompt opens without a refusal: {opening:#?}"
    );
    pty.send(ENTER);
    pty.screen_shows("a directory is needed");

    pty.send("tak");
    pty.screen_shows(&names_of("tak"));
    pty.send("en");
    let refused = pty.screen_shows("already exists and is not empty");
    assert!(
        !refused.iter().any(|row| row.contains("package tak")),
        "the note gives way to the refusal: {refused:#?}"
    );
    pty.send(ENTER);
    // Enter on a refused answer keeps the answer, the refusal and the prompt.
    let kept = pty.screen_until("the refusal to stay after Enter", |rows| {
        rows.iter().filter(|row| row.contains("notes.txt")).count() == 1
            && rows.iter().any(|row| row.ends_with(" taken"))
    });
    assert_eq!(
        kept.iter()
            .filter(|row| row.contains("Project directory"))
            .count(),
        1,
        "{kept:#?}"
    );

    pty.send(CTRL_U);
    pty.send("My App");
    pty.screen_shows("try `my-app`");
    pty.send(CTRL_U);
    pty.send("fresh");
    pty.screen_shows(&names_of("fresh"));
    pty.send(ENTER);
    let rows = pty.screen_shows("Description");
    assert!(
        rows.iter()
            .any(|row| row.contains("Project directory · fresh")),
        "{rows:#?}"
    );
    for stale in [
        "✘",
        "already exists",
        "try `my-app`",
        "a directory is needed",
    ] {
        assert!(
            !rows.iter().any(|row| row.contains(stale)),
            "{stale:?} is still on the screen: {rows:#?}"
        );
    }
    pty.send(CTRL_C);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 130, "{text}");
    assert_eq!(sandbox.read("taken/notes.txt"), "mine");
}

#[test]
fn a_refused_author_shows_why_before_enter() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(&sandbox, &["web", "--stack", "node", "--description", ""]);
    pty.screen_shows("Author");
    pty.send(CTRL_U);
    pty.send("Jane <jane@");
    let refused = pty.screen_until("the author to be refused", |rows| {
        rows.iter().any(|row| row.contains('✘'))
    });
    pty.send("example.com>");
    pty.screen_until("the refusal to go", |rows| {
        !rows.iter().any(|row| row.contains('✘'))
            && rows
                .iter()
                .any(|row| row.ends_with("Jane <jane@example.com>"))
    });
    pty.send(CTRL_C);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 130, "{text}\n{refused:#?}");
}

#[test]
fn cancel_keys_cancel_a_prompt_with_text_and_a_refusal_on_it() {
    for key in [ESC, CTRL_D, CTRL_C] {
        let sandbox = Sandbox::new();
        let before = sandbox.snap();
        let mut pty = Pty::stackgen_sized(&sandbox, &[], 60);
        pty.screen_shows("Project directory");
        pty.send(&format!("{} x", "long-name-".repeat(6)));
        pty.screen_shows("✘");
        pty.send(key);
        let text = assert_cancelled(pty, &sandbox, &before);
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(60).unwrap(),
            std::num::NonZeroU16::new(60).unwrap(),
            0,
        );
        parser.process(text.as_bytes());
        let rows = screen_rows(parser.screen());
        assert!(
            rows.iter().any(|row| row == "cancelled, nothing written"),
            "the message has a row of its own ({key:?}): {rows:#?}"
        );
        assert!(
            !rows.iter().any(|row| row.contains('✘')),
            "the refusal is cleared on cancel ({key:?}): {rows:#?}"
        );
    }
}

/// Runs the wizard to the summary with a long description, on a terminal `columns` wide,
/// and returns the screen's rows there (cancelling at the confirmation).
fn wizard_up_to_the_summary(columns: u16) -> (Vec<String>, vt100::Screen) {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen_sized(&sandbox, &["chat-app", "--author", "A <a@b.c>"], columns);
    pty.answer(
        "Description",
        &format!("A chat service for the support team, with rooms, history and presence{ENTER}"),
    );
    // Real-time use, a JavaScript team: the reasons are long ones.
    pty.answer("What are you building?", &format!("{DOWN}{ENTER}"));
    pty.answer("What does the team know?", &format!("{DOWN}{ENTER}"));
    pty.answer("What matters most?", ENTER);
    pty.answer("What load do you expect?", ENTER);
    pty.answer("Stack", ENTER);
    pty.answer("Language", ENTER);
    pty.answer("License", ENTER);
    pty.answer("GitHub Actions", ENTER);
    pty.answer("Dockerfile", ENTER);
    let rows = pty.screen_shows("Create the project?");
    let screen = pty.screen();
    pty.send(ESC);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 130, "{text}");
    (rows, screen)
}

/// No row from `first` on was broken by the terminal itself (which cuts words).
fn assert_no_row_wrapped_by_the_terminal(rows: &[String], screen: &vt100::Screen, first: usize) {
    for (index, row) in rows.iter().enumerate().skip(first) {
        assert!(
            !screen.row_wrapped(index as u16),
            "row {index} ran into the edge: {row:?}\n{rows:#?}"
        );
    }
}

#[test]
fn at_60_columns_reasons_and_the_summary_wrap_between_words_under_their_column() {
    let (rows, screen) = wizard_up_to_the_summary(60);
    let verdict = rows
        .iter()
        .position(|row| row.starts_with("Recommended: Node.js"))
        .expect("the recommendation is on the screen");
    assert_no_row_wrapped_by_the_terminal(&rows, &screen, verdict);
    let first_reason = verdict
        + 1
        + rows[verdict + 1..]
            .iter()
            .position(|row| row.starts_with("  +"))
            .unwrap();
    let why_column = "  +3 node  use_cases        ".len();
    assert!(
        rows[first_reason + 1].starts_with(&" ".repeat(why_column))
            && !rows[first_reason + 1][why_column..].starts_with(' '),
        "a long reason continues under its own column: {rows:#?}"
    );
    let description = rows
        .iter()
        .position(|row| row.starts_with("  Description  "))
        .expect("the summary names the description");
    assert!(
        rows[description + 1].starts_with(&" ".repeat(15))
            && rows[description + 1]
                .trim_start()
                .starts_with(char::is_alphabetic),
        "the description continues under the values: {rows:#?}"
    );
    let joined = format!(
        "{} {}",
        rows[description].trim_end(),
        rows[description + 1].trim()
    );
    assert!(
        joined.contains("A chat service for the support team, with rooms,"),
        "words are whole: {rows:#?}"
    );
}

#[test]
fn at_120_columns_lines_that_fit_are_not_broken() {
    let (rows, screen) = wizard_up_to_the_summary(120);
    let verdict = rows
        .iter()
        .position(|row| row.starts_with("Recommended: Node.js"))
        .expect("the recommendation is on the screen");
    assert_no_row_wrapped_by_the_terminal(&rows, &screen, verdict);
    assert!(
        rows.iter().any(|row| row
            == "  Description  A chat service for the support team, with rooms, history and presence"),
        "{rows:#?}"
    );
    let reasons: Vec<&String> = rows[verdict..]
        .iter()
        .take_while(|row| !row.starts_with('?') && !row.contains("Stack"))
        .filter(|row| row.starts_with("  +"))
        .collect();
    assert_eq!(reasons.len(), 3, "{rows:#?}");
}

#[test]
fn doctor_wraps_problems_under_the_tool_at_60_columns_and_not_in_a_pipe() {
    let sandbox = Sandbox::new();
    let empty = sandbox.path("empty-path");
    std::fs::create_dir(&empty).unwrap();
    let mut command = Command::new(binary());
    command.arg("doctor").env("PATH", &empty);
    let mut pty = Pty::spawn_sized(&sandbox, command, 60);
    let rows = pty.screen_until("the whole report", |rows| {
        rows.iter().any(|row| row.contains("git"))
            && rows.iter().filter(|row| row.contains("help:")).count() >= 6
    });
    let screen = pty.screen();
    let help = rows
        .iter()
        .position(|row| row.contains("help: `nvm install --lts`"))
        .expect("node's help");
    assert!(
        rows[help + 1].starts_with(&" ".repeat(11)),
        "help continues under itself: {rows:#?}"
    );
    for (index, row) in rows.iter().enumerate() {
        assert!(
            !screen.row_wrapped(index as u16),
            "{row:?} ran into the edge"
        );
    }
    let (code, _, _) = pty.finish();
    assert_eq!(code, 3);

    let piped = sandbox
        .stackgen()
        .arg("doctor")
        .env("PATH", &empty)
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&piped.stdout);
    assert!(
        stdout.lines().any(|line| line.starts_with(
            "     help: `nvm install --lts` (https://github.com/nvm-sh/nvm), or Node.js "
        ) && line.ends_with("Debian's own `nodejs` package is older")),
        "a pipe gets whole lines:\n{stdout}"
    );
}

#[test]
fn an_invisible_character_is_drawn_visibly_and_refused() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(&sandbox, ALL_BUT_DESCRIPTION);
    pty.screen_shows("Description");
    pty.send("safe\u{202e}txt");
    pty.screen_shows("invisible character");
    pty.send(BACKSPACE);
    pty.send(BACKSPACE);
    pty.send(BACKSPACE);
    pty.send(BACKSPACE);
    pty.screen_until("the refusal to go", |rows| {
        !rows.iter().any(|row| row.contains('✘')) && rows.iter().any(|row| row.ends_with(" safe"))
    });
    pty.send(CTRL_C);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 130, "{text}");
    // (vt100 draws no glyph for `\u{fffd}`, so this reads the bytes.)
    assert!(
        text.contains("safe\u{fffd}txt") && !text.contains('\u{202e}'),
        "the override is drawn as `\u{fffd}`, never sent to the terminal: {text:?}"
    );
}

#[test]
fn recommend_wraps_its_report_at_60_columns() {
    let sandbox = Sandbox::new();
    let mut command = Command::new(binary());
    command.args([
        "recommend",
        "--use-case",
        "realtime",
        "--team",
        "javascript",
    ]);
    let mut pty = Pty::spawn_sized(&sandbox, command, 60);
    pty.screen_shows("Deciding criteria");
    let (code, text, _) = pty.finish();
    assert_eq!(code, 0, "{text}");
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(60).unwrap(),
        std::num::NonZeroU16::new(60).unwrap(),
        0,
    );
    parser.process(text.as_bytes());
    let rows = screen_rows(parser.screen());
    assert_no_row_wrapped_by_the_terminal(&rows, parser.screen(), 0);
    let first = rows
        .iter()
        .position(|row| row.starts_with("  +3 node  use_cases"))
        .expect("the strongest reason");
    assert_eq!(
        rows[first + 1].trim_start(),
        rows[first + 1][28..].to_owned(),
        "{rows:#?}"
    );
    assert!(rows[first + 1].starts_with(&" ".repeat(28)), "{rows:#?}");
}
