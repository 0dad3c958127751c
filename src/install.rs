//! `new --install`: installing the written project's dependencies with the toolchain the check
//! found, showing a spinner, and keeping the tool's last words for the error when it fails.

use std::collections::VecDeque;
use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Error;
use crate::output::{Reporter, Verbosity};
use crate::signals;
use crate::stack::Stack;
use crate::text::{escape, shell_quote};
use crate::toolchain::Report;

/// Lines of the tool's output kept for the error message.
const TAIL_LINES: usize = 15;

/// How often a quiet install looks for a signal.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// One command of an install.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    program: PathBuf,
    args: &'static [&'static str],
}

impl Step {
    /// The command as a user pastes it (from the project directory).
    fn shown(&self, dir: &Path) -> String {
        let program = self.program.strip_prefix(dir).unwrap_or(&self.program);
        let mut text = shell_quote(&program.to_string_lossy());
        for arg in self.args {
            text.push(' ');
            text.push_str(&shell_quote(arg));
        }
        text
    }
}

/// The commands that install `stack`'s dependencies in `dir`, at template `revision`, with the
/// programs the check found. `None` when the check found no usable tool (the caller refuses
/// earlier).
fn steps(stack: Stack, revision: u32, dir: &Path, report: &Report) -> Option<Vec<Step>> {
    match stack {
        Stack::Node => Some(vec![Step {
            program: report.tool("npm")?.path.clone()?,
            args: &["install"],
        }]),
        Stack::Flask => Some(flask_steps(revision, report.python()?, dir)),
    }
}

/// A venv in `dir` made by `python`, and the project installed in it with its dev tools.
fn flask_steps(revision: u32, python: &Path, dir: &Path) -> Vec<Step> {
    let venv_python = if cfg!(windows) {
        dir.join(".venv").join("Scripts").join("python.exe")
    } else {
        dir.join(".venv").join("bin").join("python")
    };
    let venv = Step {
        program: python.to_owned(),
        args: &["-m", "venv", ".venv"],
    };
    if revision < 3 {
        vec![
            venv,
            Step {
                program: venv_python,
                args: &["-m", "pip", "install", "-e", ".[dev]"],
            },
        ]
    } else {
        // From revision 3 the dev tools are a PEP 735 group, which pip reads from 25.1; a
        // venv's own pip is often older.
        vec![
            venv,
            Step {
                program: venv_python.clone(),
                args: &["-m", "pip", "install", "--upgrade", "pip>=25.1"],
            },
            Step {
                program: venv_python,
                args: &["-m", "pip", "install", "-e", ".", "--group", "dev"],
            },
        ]
    }
}

/// Runs the install in `dir` (an absolute path) with `search_path` as the children's PATH.
pub fn install(
    stack: Stack,
    revision: u32,
    dir: &Path,
    report: &Report,
    search_path: &OsStr,
    reporter: &Reporter,
) -> Result<(), Error> {
    let Some(steps) = steps(stack, revision, dir, report) else {
        return Err(Error::Internal(
            "`--install` ran without a checked toolchain".into(),
        ));
    };
    let shown: Vec<String> = steps.iter().map(|step| step.shown(dir)).collect();
    let retry = format!(
        "cd {} && {}",
        shell_quote(&dir.to_string_lossy()),
        shown.join(" && ")
    );
    for (step, shown) in steps.iter().zip(&shown) {
        reporter.status("Installing", &format!("`{shown}`"))?;
        run_step(step, dir, search_path, reporter.verbosity()).map_err(
            |failure| match failure {
                StepFailure::Failed(message) => Error::Install {
                    command: shown.clone(),
                    message,
                    retry: retry.clone(),
                },
                StepFailure::Interrupted(signal) => Error::InterruptedAfterWriting {
                    signal,
                    path: dir.to_owned(),
                    retry: Some(retry.clone()),
                },
            },
        )?;
    }
    reporter.status("Installed", "the project's dependencies")
}

/// Why a command of the install did not succeed.
enum StepFailure {
    /// The tool failed; its error as shown to the user.
    Failed(String),
    /// A signal arrived; the tool was stopped.
    Interrupted(i32),
}

/// Runs one command.
fn run_step(
    step: &Step,
    dir: &Path,
    search_path: &OsStr,
    verbosity: Verbosity,
) -> Result<(), StepFailure> {
    let mut command = Command::new(&step.program);
    // Its own process group, so that stopping it also stops whatever it started (pip's build
    // backends, npm's scripts).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .args(step.args)
        .current_dir(dir)
        .env("PATH", search_path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| {
            StepFailure::Failed(format!(
                "cannot start `{}`: {error}",
                escape(&step.program.to_string_lossy())
            ))
        })?;
    let spinner = spinner(&step.shown(dir), verbosity);
    let (sender, receiver) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        forward_lines(stdout, sender.clone());
    }
    if let Some(stderr) = child.stderr.take() {
        forward_lines(stderr, sender);
    }
    let mut tail = VecDeque::with_capacity(TAIL_LINES);
    // Ends when both pipes close, that is when the tool (and anything it started) is done. The
    // timeout lets a signal stop the tool even while it prints nothing.
    loop {
        let line = match receiver.recv_timeout(SIGNAL_POLL) {
            Ok(line) => line,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(signal) = signals::pending() {
                    stop(&mut child);
                    spinner.finish_and_clear();
                    return Err(StepFailure::Interrupted(signal));
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        if verbosity == Verbosity::Verbose {
            spinner.suspend(|| {
                let _ = writeln!(io::stderr().lock(), "{}", escape(&line));
            });
        }
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line);
    }
    let status = child.wait();
    spinner.finish_and_clear();
    if let Some(signal) = signals::pending() {
        return Err(StepFailure::Interrupted(signal));
    }
    let status = status.map_err(|error| StepFailure::Failed(error.to_string()))?;
    if status.success() {
        return Ok(());
    }
    let mut message = status.to_string();
    for line in tail.iter().filter(|line| !line.trim().is_empty()) {
        message.push_str("\n  | ");
        message.push_str(&escape(line));
    }
    Err(StepFailure::Failed(message))
}

/// How long an interrupted tool gets to exit on SIGTERM before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Stops the tool and its process group: SIGTERM first, so npm and pip can clean up after
/// themselves, then SIGKILL for whatever lingers.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    {
        use rustix::process::{Pid, Signal, kill_process_group};
        let group = Pid::from_child(child);
        let _ = kill_process_group(group, Signal::TERM);
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
            thread::sleep(Duration::from_millis(20));
        }
        // The group outlives its leader while children remain: this reaches them too.
        let _ = kill_process_group(group, Signal::KILL);
    }
    #[cfg(not(unix))]
    let _ = child.kill();
    let _ = child.wait();
}

fn forward_lines(pipe: impl Read + Send + 'static, sender: mpsc::Sender<String>) {
    thread::spawn(move || {
        for line in BufReader::new(pipe).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line).trim_end().to_owned();
            if sender.send(line).is_err() {
                break;
            }
        }
    });
}

/// A spinner on stderr when it is a terminal that can redraw a line; hidden otherwise.
fn spinner(message: &str, verbosity: Verbosity) -> ProgressBar {
    let can_draw = crate::output::stderr_can_redraw() && verbosity != Verbosity::Quiet;
    if !can_draw {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        spinner.set_style(style);
    }
    spinner.set_message(message.to_owned());
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flask_installs_its_dev_tools_as_its_revision_declares_them() {
        let dir = Path::new("/work/api");
        let shown = |revision| -> Vec<String> {
            flask_steps(revision, Path::new("/usr/bin/python3"), dir)
                .iter()
                .map(|step| step.shown(dir))
                .collect()
        };
        assert_eq!(
            shown(2),
            [
                "/usr/bin/python3 -m venv .venv",
                ".venv/bin/python -m pip install -e '.[dev]'"
            ]
        );
        assert_eq!(
            shown(3),
            [
                "/usr/bin/python3 -m venv .venv",
                ".venv/bin/python -m pip install --upgrade 'pip>=25.1'",
                ".venv/bin/python -m pip install -e . --group dev"
            ]
        );
    }

    #[test]
    fn shown_commands_are_relative_to_the_project_and_quoted() {
        let dir = Path::new("/work/my app");
        let step = Step {
            program: dir.join(".venv/bin/python"),
            args: &["-m", "pip", "install", "-e", ".[dev]"],
        };
        assert_eq!(
            step.shown(dir),
            ".venv/bin/python -m pip install -e '.[dev]'"
        );
        let npm = Step {
            program: PathBuf::from("/usr/bin/npm"),
            args: &["install"],
        };
        assert_eq!(npm.shown(dir), "/usr/bin/npm install");
    }
}
