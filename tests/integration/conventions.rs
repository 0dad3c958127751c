//! The conventions of a well-kept CLI: completions, manual pages, `--version`, examples in
//! `--help`, and how `--quiet`, `--color` and `NO_COLOR` shape the output.

use std::fs;
use std::process::Output;

use crate::support::{Sandbox, binary};

fn run(sandbox: &Sandbox, args: &[&str]) -> Output {
    sandbox.stackgen().args(args).output().unwrap()
}

fn stdout_of(sandbox: &Sandbox, args: &[&str]) -> String {
    let output = run(sandbox, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn completions_are_generated_for_every_shell() {
    let sandbox = Sandbox::new();
    for (shell, marker) in [
        ("bash", "complete -F _stackgen"),
        ("zsh", "#compdef stackgen"),
        ("fish", "complete -c stackgen"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[stackgen]"),
    ] {
        let script = stdout_of(&sandbox, &["completions", shell]);
        assert!(script.contains(marker), "{shell}:\n{script}");
        assert!(script.contains("require-toolchain"), "{shell}:\n{script}");
    }
}

#[test]
fn completions_for_an_unknown_shell_are_a_usage_error() {
    let sandbox = Sandbox::new();
    let output = run(&sandbox, &["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("powershell"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn the_bash_completion_sources_and_completes_commands_and_values() {
    let sandbox = Sandbox::new();
    let script = format!(
        "source <('{}' completions bash)
         complete -p stackgen
         COMP_WORDS=(stackgen ne); COMP_CWORD=1; _stackgen stackgen ne stackgen
         echo \"commands: ${{COMPREPLY[*]}}\"
         COMP_WORDS=(stackgen new --stack ''); COMP_CWORD=3; _stackgen stackgen '' --stack
         echo \"stacks: ${{COMPREPLY[*]}}\"",
        binary().display()
    );
    let output = sandbox
        .command("bash")
        .args(["-c", &script])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(output.status.success(), "{stdout}{}", stderr(&output));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    assert!(
        stdout.contains("-F _stackgen") && stdout.contains("stackgen\n"),
        "{stdout}"
    );
    assert!(stdout.contains("commands: new\n"), "{stdout}");
    assert!(stdout.contains("stacks: auto node flask\n"), "{stdout}");
}

#[cfg(unix)]
/// Runs stackgen with stdout on `/dev/full`, where every write fails.
fn run_into_full_disk(sandbox: &Sandbox, args: &[&str]) -> Output {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    sandbox.stackgen().args(args).stdout(full).output().unwrap()
}

#[test]
fn a_failed_stdout_write_is_exit_1_without_a_panic() {
    let sandbox = Sandbox::new();
    for command in [
        &["completions", "bash"][..],
        &["list", "--json"],
        &["rules"],
        &["man"],
        &["--version"],
        &["--help"],
        &["new", "--help"],
        &["update", "--help"],
        &["doctor", "--json", "--stack", "node"],
    ] {
        let output = run_into_full_disk(&sandbox, command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        let stderr = stderr(&output);
        assert!(
            stderr.contains("cannot write output") && !stderr.contains("panicked"),
            "{command:?}: {stderr}"
        );
    }
}

#[test]
fn a_failed_report_after_writing_keeps_the_project_and_says_so() {
    let sandbox = Sandbox::new();
    let output = run_into_full_disk(
        &sandbox,
        &[
            "new", "app", "--stack", "node", "--yes", "--no-git", "--json",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("cannot write output") && stderr.contains("`app` was written and kept"),
        "{stderr}"
    );
    let listed = stdout_of(&sandbox, &["list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let node = list["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|stack| stack["id"] == "node")
        .unwrap();
    for file in node["files"].as_array().unwrap() {
        assert!(
            sandbox.path("app").join(file.as_str().unwrap()).is_file(),
            "{file}"
        );
    }
}

#[test]
fn the_man_page_renders_and_names_every_command() {
    let sandbox = Sandbox::new();
    let page = stdout_of(&sandbox, &["man"]);
    assert!(page.contains("\n.TH stackgen 1 "), "{page}");
    for command in [
        "new",
        "list",
        "recommend",
        "rules",
        "doctor",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("stackgen\\-{command}(1)")),
            "{command}"
        );
        let own = stdout_of(&sandbox, &["man", command]);
        assert!(
            own.contains(&format!("\n.TH stackgen-{command} 1 ")),
            "{own}"
        );
    }
}

#[test]
fn the_man_page_of_an_unknown_command_is_a_usage_error() {
    let sandbox = Sandbox::new();
    let output = run(&sandbox, &["man", "build"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("`recommend`"),
        "{}",
        stderr(&output)
    );
}

/// The hash is expected exactly when the build's own checkout can tell it, as `build.rs` does.
#[test]
fn version_names_the_commit_when_built_from_git() {
    let sandbox = Sandbox::new();
    let manifest_dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(manifest_dir)
            .args(args)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8(output.stdout).unwrap().trim().to_owned())
    };
    let own_checkout = git(&["rev-parse", "--show-toplevel"]).is_some_and(|top| {
        fs::canonicalize(top).unwrap() == fs::canonicalize(manifest_dir).unwrap()
    });
    let package = env!("CARGO_PKG_VERSION");
    let expected = match git(&["rev-parse", "--short=9", "HEAD"]).filter(|_| own_checkout) {
        Some(hash) => format!("stackgen {package} ({hash})\n"),
        None => format!("stackgen {package}\n"),
    };
    assert_eq!(stdout_of(&sandbox, &["--version"]), expected);
}

#[test]
fn help_shows_ci_and_onboarding_examples() {
    let sandbox = Sandbox::new();
    let top = stdout_of(&sandbox, &["--help"]);
    for example in [
        "In CI",
        "stackgen doctor --stack node || exit",
        "stackgen new app --stack node --yes --no-git --json > stackgen.json",
        "In onboarding scripts",
        "stackgen new my-service --answers team.stackgen.toml --yes --require-toolchain --install",
        "stackgen completions bash >",
    ] {
        assert!(top.contains(example), "--help lacks {example:?}:\n{top}");
    }
    let new = stdout_of(&sandbox, &["new", "--help"]);
    for example in [
        "In CI",
        "stackgen new app --stack node --yes --no-git --json",
        "In onboarding scripts",
        "stackgen doctor --stack node || exit",
        "stackgen new my-service --stack node --yes --require-toolchain --install",
        "stackgen new other --answers my-service/.stackgen.toml --name other --yes",
    ] {
        assert!(
            new.contains(example),
            "new --help lacks {example:?}:\n{new}"
        );
    }
}

/// `new DIR` for Node.js without prompts or toolchain checks, then `extra`.
fn new_args<'a>(dir: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["new", dir, "--stack", "node", "--yes", "--skip-checks"];
    args.extend_from_slice(extra);
    args
}

#[test]
fn quiet_prints_nothing_on_success() {
    let sandbox = Sandbox::new();
    let normal = run(&sandbox, &new_args("app", &[]));
    assert!(normal.status.success());
    assert!(stderr(&normal).contains("Created"), "{}", stderr(&normal));

    let quiet = run(&sandbox, &new_args("quiet-app", &["--quiet"]));
    assert!(quiet.status.success(), "{}", stderr(&quiet));
    assert_eq!(stderr(&quiet), "");
    assert!(sandbox.path("quiet-app/package.json").is_file());
}

#[test]
fn quiet_still_prints_warnings_and_errors() {
    let sandbox = Sandbox::new();
    // No git identity: the repository is made without a commit, and a warning says why.
    let empty_home = sandbox.path("empty-home");
    fs::create_dir(&empty_home).unwrap();
    let warned = sandbox
        .stackgen()
        .env("HOME", &empty_home)
        .args(new_args("app", &["-q"]))
        .output()
        .unwrap();
    assert!(warned.status.success());
    let text = stderr(&warned);
    assert!(
        text.starts_with("warning: ") && text.contains("user.name"),
        "{text}"
    );
    assert!(!text.contains("Created"), "{text}");

    fs::write(sandbox.path("taken"), "").unwrap();
    let failed = run(&sandbox, &new_args("taken", &["--quiet"]));
    assert_eq!(failed.status.code(), Some(2));
    assert!(
        stderr(&failed).starts_with("error: destination"),
        "{}",
        stderr(&failed)
    );
}

#[test]
fn quiet_and_verbose_together_are_a_usage_error() {
    let sandbox = Sandbox::new();
    let output = run(&sandbox, &new_args("app", &["--quiet", "--verbose"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(!sandbox.path("app").exists());
}

#[test]
fn color_always_colours_a_pipe_and_auto_and_never_do_not() {
    let sandbox = Sandbox::new();
    for (dir, choice, coloured) in [
        ("always", "always", true),
        ("auto", "auto", false),
        ("never", "never", false),
    ] {
        let output = run(&sandbox, &new_args(dir, &["--no-git", "--color", choice]));
        assert!(output.status.success());
        let text = stderr(&output);
        assert!(text.contains("Created"), "{text}");
        assert_eq!(
            text.contains("\u{1b}["),
            coloured,
            "--color {choice}: {text:?}"
        );
    }
}

/// `auto` only colours a terminal, so `NO_COLOR` is tested on a pseudo-terminal.
#[cfg(unix)]
#[test]
fn no_color_even_empty_turns_colour_off_at_a_terminal_unless_forced() {
    use expectrl::{Eof, Expect, Session};

    let sandbox = Sandbox::new();
    let at_terminal = |dir: &str, no_color: Option<&str>, extra: &[&str]| {
        let mut command = sandbox.stackgen();
        command.args(new_args(dir, &[&["--no-git"], extra].concat()));
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let mut session = Session::spawn(command).unwrap();
        session.set_expect_timeout(Some(std::time::Duration::from_secs(30)));
        let text = String::from_utf8_lossy(session.expect(Eof).unwrap().as_bytes()).into_owned();
        assert!(text.contains("Created"), "{text}");
        text.contains("\u{1b}[")
    };
    assert!(
        at_terminal("plain", None, &[]),
        "a terminal is coloured by default"
    );
    assert!(!at_terminal("empty", Some(""), &[]));
    assert!(!at_terminal("set", Some("1"), &[]));
    assert!(at_terminal("forced", Some("1"), &["--color", "always"]));
}
