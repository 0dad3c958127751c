//! The wizard through a real pseudo-terminal (issue 5; catalogue A46, A47, A56). CI has no
//! terminal of its own, so each test makes one and unsets `CI` for the child.

use std::process::Command;

use crate::pty::{CTRL_C, DOWN, ENTER, Pty};
use crate::support::{Sandbox, binary};

const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const HIDE_CURSOR: &[u8] = b"\x1b[?25l";

/// Every answer but `--docker` given as flags, so the wizard only asks about the Dockerfile.
const ALL_BUT_DOCKER: &[&str] = &[
    "web",
    "--stack",
    "node",
    "--lang",
    "js",
    "--description",
    "d",
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

/// Ends a run that must have been cancelled: exit 130, the message, nothing on disk, and the
/// cursor visible again. Returns the transcript.
pub fn assert_cancelled(pty: Pty, sandbox: &Sandbox, before: &[String]) -> String {
    let (code, text, bytes) = pty.finish();
    assert_eq!(code, 130, "{text}");
    assert!(text.contains("cancelled, nothing written"), "{text}");
    assert_eq!(sandbox.snap(), before, "nothing may be written");
    assert_cursor_shown_last(&bytes, &text);
    text
}

/// The catalogue's check: a cursor show sequence comes after the last hide, so the terminal
/// is not left with an invisible cursor.
fn assert_cursor_shown_last(bytes: &[u8], text: &str) {
    let position = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .rposition(|window| window == needle)
    };
    let (last_hide, last_show) = (position(HIDE_CURSOR), position(SHOW_CURSOR));
    assert!(
        last_show.is_some(),
        "the cursor is shown at the end:\n{text}"
    );
    assert!(last_hide < last_show, "the cursor is left hidden:\n{text}");
}

/// Answers every question after the name the same way: no description, the git author,
/// `realtime` by a JavaScript team, no priorities, no load answer.
fn answer_the_middle(pty: &mut Pty) {
    pty.answer("Description", ENTER);
    pty.answer("Author", ENTER);
    // Single choices start on "not sure"; one step down wraps to the first value.
    pty.answer("What are you building?", &format!("{DOWN}{ENTER}"));
    pty.answer("What does the team know?", &format!("{DOWN}{ENTER}"));
    pty.answer("What matters most?", ENTER);
    pty.answer("What load do you expect?", ENTER);
    pty.expect("Recommended: Node.js");
}

fn answer_the_extras_and_confirm(pty: &mut Pty) {
    pty.answer("License", ENTER);
    pty.answer("GitHub Actions", ENTER);
    pty.answer("Dockerfile", ENTER);
    pty.answer("Create the project?", ENTER);
}

#[test]
fn a_full_run_takes_the_recommendation() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(&sandbox, &[]);
    pty.answer("Project directory", &format!("chat-app{ENTER}"));
    pty.expect("package chat-app · module chat_app");
    answer_the_middle(&mut pty);
    pty.answer("Stack", ENTER);
    // Node.js: the language is asked once the stack is settled.
    pty.answer("Language", &format!("{DOWN}{ENTER}"));
    answer_the_extras_and_confirm(&mut pty);
    pty.expect("Next steps");
    let (code, text, _) = pty.finish();
    assert_eq!(code, 0, "{text}");
    let manifest: serde_json::Value =
        serde_json::from_str(&sandbox.read("chat-app/package.json")).unwrap();
    assert_eq!(
        manifest["author"]["name"], "CI User",
        "the author defaults to git's"
    );
    let recorded = sandbox.read("chat-app/.stackgen.toml");
    assert!(
        recorded.contains("use_case = \"realtime\"")
            && recorded.contains("team = \"javascript\"")
            && recorded.contains("lang = \"ts\""),
        "{recorded}"
    );
    assert!(sandbox.path("chat-app/server.ts").is_file());
}

#[test]
fn the_recommendation_can_be_overruled() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(&sandbox, &[]);
    pty.answer("Project directory", &format!("chat-app{ENTER}"));
    answer_the_middle(&mut pty);
    pty.answer("Stack", &format!("{DOWN}{ENTER}"));
    answer_the_extras_and_confirm(&mut pty);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 0, "{text}");
    assert!(
        !text.contains("Language"),
        "Flask has no language question:\n{text}"
    );
    assert!(sandbox.path("chat-app/src/chat_app/__init__.py").is_file());
    assert!(
        sandbox
            .read("chat-app/.stackgen.toml")
            .contains("stack = \"flask\"")
    );
}

#[test]
fn an_invalid_name_is_refused_inline_then_corrected() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(&sandbox, &["--stack", "node"]);
    pty.answer("Project directory", &format!("My App{ENTER}"));
    pty.expect("try `my-app`");
    // The refused answer stays on the line to be edited: Ctrl-U clears it.
    pty.send(&format!("\x15my-app{ENTER}"));
    pty.expect("package my-app");
    pty.answer("Description", ENTER);
    pty.answer("Author", ENTER);
    // The stack is named: no answer about the project could change it, so none is asked.
    pty.answer("Language", ENTER);
    answer_the_extras_and_confirm(&mut pty);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 0, "{text}");
    for question in ["What are you building?", "What matters most?"] {
        assert!(!text.contains(question), "asked {question:?} with --stack");
    }
    assert!(sandbox.path("my-app/package.json").is_file());
    assert!(!sandbox.path("My App").exists());
}

#[test]
fn an_earlier_revision_asks_no_language() {
    let sandbox = Sandbox::new();
    let args = [
        &ALL_BUT_DOCKER[..3],
        &ALL_BUT_DOCKER[5..],
        &["--template-revision", "2"],
    ]
    .concat();
    let mut pty = Pty::stackgen(&sandbox, &args);
    pty.answer("Dockerfile", ENTER);
    pty.answer("Create the project?", ENTER);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("Language"), "{text}");
    assert!(sandbox.path("web/server.js").is_file());
}

#[test]
fn flags_are_not_asked_again() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(&sandbox, &[ALL_BUT_DOCKER, &["--docker"]].concat());
    pty.answer("Create the project?", ENTER);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 0, "{text}");
    for question in [
        "Project directory",
        "Description (one line",
        "Author (",
        "What are you building?",
        "License",
    ] {
        assert!(
            !text.contains(question),
            "asked {question:?} again:\n{text}"
        );
    }
    assert!(sandbox.path("web/Dockerfile").is_file());
}

#[test]
fn ctrl_c_at_the_third_question_leaves_nothing_and_shows_the_cursor() {
    // A56
    let sandbox = Sandbox::new();
    let before = sandbox.snap();
    let mut pty = Pty::stackgen(&sandbox, &[]);
    pty.answer("Project directory", &format!("my-app{ENTER}"));
    pty.answer("Description", &format!("A demo{ENTER}"));
    pty.answer("Author", CTRL_C);
    assert_cancelled(pty, &sandbox, &before);
}

#[test]
fn ctrl_c_in_a_menu_restores_the_cursor() {
    let sandbox = Sandbox::new();
    let before = sandbox.snap();
    let mut pty = Pty::stackgen(&sandbox, &["app", "--description", "", "--author", "A"]);
    pty.answer("What are you building?", CTRL_C);
    let text = assert_cancelled(pty, &sandbox, &before);
    assert!(
        text.contains("\x1b[?25l"),
        "menus hide the cursor, so the check means something"
    );
}

#[test]
fn declining_the_summary_writes_nothing() {
    let sandbox = Sandbox::new();
    let before = sandbox.snap();
    let mut pty = Pty::stackgen(&sandbox, &[ALL_BUT_DOCKER, &["--docker"]].concat());
    pty.answer("Create the project?", &format!("n{ENTER}"));
    assert_cancelled(pty, &sandbox, &before);
}

#[test]
fn piped_stdin_never_prompts_even_with_a_terminal_on_stderr() {
    // A46
    let sandbox = Sandbox::new();
    let mut command = Command::new("sh");
    command.args([
        "-c",
        "echo my-app | exec \"$0\" new --stack node",
        binary().to_str().unwrap(),
    ]);
    let (code, text, _) = Pty::spawn(&sandbox, command).finish();
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("PATH") && !text.contains("Project directory"),
        "{text}"
    );
}

/// True if `bytes` hold an SGR sequence (`ESC [ digits ; … m`), the codes that colour text.
fn has_colour(bytes: &[u8]) -> bool {
    bytes.windows(2).enumerate().any(|(at, window)| {
        let parameters = &bytes[at + 2..];
        let length = parameters
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        window == b"\x1b[" && length > 0 && parameters.get(length) == Some(&b'm')
    })
}

#[test]
fn an_empty_no_color_turns_colour_off_on_a_terminal() {
    // A47
    let sandbox = Sandbox::new();
    let mut coloured = Command::new(binary());
    coloured.args(["new", "app1", "--stack", "node", "--yes"]);
    let (code, text, bytes) = Pty::spawn(&sandbox, coloured).finish();
    assert_eq!(code, 0, "{text}");
    assert!(
        has_colour(&bytes),
        "a terminal gets colour by default, so the check below means something"
    );

    let mut plain = Command::new("env");
    plain.args([
        "NO_COLOR=",
        binary().to_str().unwrap(),
        "new",
        "app2",
        "--stack",
        "node",
        "--yes",
    ]);
    let (code, text, bytes) = Pty::spawn(&sandbox, plain).finish();
    assert_eq!(code, 0, "{text}");
    assert!(
        !has_colour(&bytes),
        "colour codes despite NO_COLOR:\n{text:?}"
    );
}

#[test]
fn without_a_terminal_new_finishes_without_waiting() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .stackgen()
        .args(["new", "x", "--stack", "node"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("Project directory") && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
    assert!(sandbox.path("x/package.json").is_file());
}

#[test]
fn esc_and_ctrl_d_cancel_like_ctrl_c() {
    const ESC: &str = "\x1b";
    const CTRL_D: &str = "\x04";
    let cases = [
        ("Project directory", ESC),
        ("Description", CTRL_D),
        ("What are you building?", ESC),
        ("What are you building?", CTRL_D),
        ("What matters most?", CTRL_D),
    ];
    for (prompt, keys) in cases {
        let sandbox = Sandbox::new();
        let before = sandbox.snap();
        let mut pty = Pty::stackgen(&sandbox, &[]);
        if prompt != "Project directory" {
            pty.answer("Project directory", &format!("my-app{ENTER}"));
        }
        if prompt.starts_with("What") {
            pty.answer("Description", ENTER);
            pty.answer("Author", ENTER);
        }
        if prompt == "What matters most?" {
            pty.answer("What are you building?", ENTER);
            pty.answer("What does the team know?", ENTER);
        }
        pty.answer(prompt, keys);
        assert_cancelled(pty, &sandbox, &before);
    }
}

#[test]
fn a_confirmation_is_cancelled_by_esc_too() {
    let sandbox = Sandbox::new();
    let before = sandbox.snap();
    let mut pty = Pty::stackgen(&sandbox, ALL_BUT_DOCKER);
    pty.answer("Dockerfile", "\x1b");
    assert_cancelled(pty, &sandbox, &before);
}

#[test]
fn more_than_three_priorities_are_refused_in_the_menu() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(
        &sandbox,
        &[
            "web",
            "--description",
            "",
            "--author",
            "A",
            "--use-case",
            "api",
            "--team",
            "both",
        ],
    );
    pty.expect("What matters most?");
    pty.send(&format!(" {DOWN} {DOWN} {DOWN} {ENTER}"));
    pty.expect("pick at most 3, you picked 4");
    pty.send(&format!(" {ENTER}"));
    pty.answer("What load do you expect?", CTRL_C);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 130, "{text}");
}

#[test]
fn a_directory_that_cannot_be_used_is_refused_as_it_is_typed() {
    let sandbox = Sandbox::new();
    std::fs::create_dir(sandbox.path("taken")).unwrap();
    std::fs::write(sandbox.path("taken/notes.txt"), "mine").unwrap();
    let mut pty = Pty::stackgen(&sandbox, &["--stack", "node"]);
    pty.answer("Project directory", &format!("taken{ENTER}"));
    pty.expect("already exists and is not empty");
    pty.expect("notes.txt");
    pty.send(&format!("\x15fresh{ENTER}"));
    pty.answer("Description", CTRL_C);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 130, "{text}");
    assert_eq!(sandbox.read("taken/notes.txt"), "mine");
}

#[test]
fn a_name_given_that_no_stack_accepts_is_refused_before_any_prompt() {
    // No directory typed at the prompt could make `--name Café` valid, so nothing is asked.
    let sandbox = Sandbox::new();
    let before = sandbox.snap();
    let pty = Pty::stackgen(&sandbox, &["--name", "Café"]);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("invalid project name `Café`")
            && text.contains("pass an ASCII project name")
            && !text.contains("Project directory")
            && !text.contains("keep the directory"),
        "{text}"
    );
    assert_eq!(sandbox.snap(), before);
}

#[test]
fn y_then_enter_answers_one_yes_no_question() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::stackgen(
        &sandbox,
        &[
            "app",
            "--stack",
            "node",
            "--description",
            "",
            "--author",
            "A",
            "--lang",
            "js",
        ],
    );
    pty.answer("License", ENTER);
    pty.answer("GitHub Actions", "y");
    // The choice shows on the question's line, and only Enter answers it.
    let rows = pty.screen_until("the `y` to show", |rows| {
        rows.iter()
            .any(|row| row.contains("GitHub Actions") && row.trim_end().ends_with('y'))
    });
    assert!(
        !rows.iter().any(|row| row.contains("Dockerfile")),
        "{rows:?}"
    );
    pty.send(ENTER);
    // The next question is still asked: the Enter did not answer it.
    pty.answer("Add a production Dockerfile?", "n");
    pty.send(&format!("\x7fy\x7f{ENTER}"));
    pty.answer("Create the project?", ENTER);
    let (code, text, _) = pty.finish();
    assert_eq!(code, 0, "{text}");
    assert!(sandbox.path("app/.github/workflows/ci.yml").is_file());
    // Backspace took the `y` back, and Enter took the default: no Dockerfile.
    assert!(!sandbox.path("app/Dockerfile").exists());
}
