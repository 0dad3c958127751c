//! Finding and running toolchain programs safely: absolute PATH entries only, stdin closed,
//! a timeout, and a cap on what is read back.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::output::escape;

/// How long one probe may run before it is killed.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// Test hook: the probe timeout in milliseconds, so a test of a hanging program does not wait
/// the full five seconds. Hidden from `--help`; values outside 1..=60000 are ignored.
const TIMEOUT_VARIABLE: &str = "STACKGEN_TEST_PROBE_TIMEOUT_MS";
/// Bytes kept per stream; the rest is read and dropped so the child never blocks on a full pipe.
const CAPTURE_LIMIT: u64 = 64 * 1024;

/// Locating and running programs; the seam that lets tests use a fake toolchain.
pub trait Probe: Sync {
    /// The program's full path, looked up on PATH.
    fn locate(&self, program: &str) -> Option<PathBuf>;
    /// Runs a program found by `locate`, or the interpreter a pyenv shim it found would run,
    /// with fixed arguments (never user data).
    fn run(&self, program: &Path, args: &[&str]) -> Result<Captured, RunError>;
}

/// What a successful run printed, lossily decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    pub stdout: String,
    pub stderr: String,
}

impl Captured {
    /// Stdout, or stderr when stdout is blank: some tools print their version on stderr.
    pub fn text(&self) -> &str {
        if self.stdout.trim().is_empty() {
            &self.stderr
        } else {
            &self.stdout
        }
    }
}

/// Why a program found on PATH is not runnable.
#[derive(Debug)]
pub enum RunError {
    /// It could not be started (not executable, bad interpreter line, …).
    Spawn(io::Error),
    /// It ran and exited unsuccessfully; `message` is the first line of its explanation.
    Exit { status: String, message: String },
    /// It did not finish in time and was killed.
    Timeout(Duration),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Spawn(error) => write!(f, "it cannot be started: {error}"),
            RunError::Exit { status, message } if message.is_empty() => {
                write!(f, "it exited with {status}")
            }
            RunError::Exit { status, message } => write!(f, "it exited with {status}: {message}"),
            RunError::Timeout(limit) => {
                write!(f, "it did not answer within {} ms", limit.as_millis())
            }
        }
    }
}

/// The real toolchain: PATH from the environment, with relative and empty entries removed.
#[derive(Debug, Clone)]
pub struct SystemProbe {
    search_path: OsString,
    timeout: Duration,
}

impl SystemProbe {
    /// Reads PATH and the test timeout hook from the environment.
    pub fn from_env() -> SystemProbe {
        let timeout = std::env::var(TIMEOUT_VARIABLE)
            .ok()
            .and_then(|value| value.trim().parse::<u64>().ok())
            .filter(|ms| (1..=60_000).contains(ms))
            .map_or(DEFAULT_TIMEOUT, Duration::from_millis);
        SystemProbe {
            search_path: absolute_entries(&std::env::var_os("PATH").unwrap_or_default()),
            timeout,
        }
    }

    /// The cleaned PATH, which every child gets too: a `#!/usr/bin/env node` script searches
    /// PATH again, and must not find a `node` in the current directory either.
    pub fn search_path(&self) -> &OsStr {
        &self.search_path
    }
}

/// PATH without empty or relative entries: on Unix the `which` crate (like a shell) searches
/// them relative to the current directory, which would run whatever a checkout holds.
fn absolute_entries(path: &OsStr) -> OsString {
    let kept: Vec<PathBuf> = std::env::split_paths(path)
        .filter(|entry| entry.is_absolute())
        .collect();
    // Entries came out of `split_paths`, so they hold no separator and joining cannot fail.
    std::env::join_paths(kept).unwrap_or_default()
}

impl Probe for SystemProbe {
    fn locate(&self, program: &str) -> Option<PathBuf> {
        if self.search_path.is_empty() {
            // `which` would treat an empty PATH as one empty entry: the current directory.
            return None;
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        which::which_in(program, Some(&self.search_path), cwd).ok()
    }

    fn run(&self, program: &Path, args: &[&str]) -> Result<Captured, RunError> {
        let child = Command::new(program)
            .args(args)
            .env("PATH", &self.search_path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(RunError::Spawn)?;
        wait_with_limits(child, self.timeout)
    }
}

enum Stream {
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
}

fn wait_with_limits(mut child: Child, timeout: Duration) -> Result<Captured, RunError> {
    let deadline = Instant::now() + timeout;
    let (sender, receiver) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        spawn_reader(stdout, Stream::Stdout, sender.clone());
    }
    if let Some(stderr) = child.stderr.take() {
        spawn_reader(stderr, Stream::Stderr, sender);
    }
    let mut captured = Captured::default();
    // Both streams reach end-of-file when the child exits, so waiting for them first
    // avoids polling in the usual case.
    for _ in 0..2 {
        match receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Stream::Stdout(bytes)) => captured.stdout = String::from_utf8_lossy(&bytes).into(),
            Ok(Stream::Stderr(bytes)) => captured.stderr = String::from_utf8_lossy(&bytes).into(),
            Err(_) => return Err(kill(child, timeout)),
        }
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(2)),
            Ok(None) => return Err(kill(child, timeout)),
            Err(error) => return Err(RunError::Spawn(error)),
        }
    };
    if status.success() {
        Ok(captured)
    } else {
        // A failing tool explains itself on stderr, if anywhere.
        let explanation = if captured.stderr.trim().is_empty() {
            &captured.stdout
        } else {
            &captured.stderr
        };
        Err(RunError::Exit {
            status: status
                .code()
                .map_or_else(|| status.to_string(), |code| format!("status {code}")),
            message: first_line(explanation),
        })
    }
}

/// Kills and reaps a child that ran out of time. A grandchild still holding the pipes keeps
/// its reader thread alive, detached, until it exits; stackgen never waits for it.
fn kill(mut child: Child, timeout: Duration) -> RunError {
    let _ = child.kill();
    let _ = child.wait();
    RunError::Timeout(timeout)
}

trait Pipe: Read + Send + 'static {}
impl Pipe for ChildStdout {}
impl Pipe for ChildStderr {}

fn spawn_reader<P: Pipe>(pipe: P, wrap: fn(Vec<u8>) -> Stream, sender: mpsc::Sender<Stream>) {
    thread::spawn(move || {
        let mut pipe = pipe;
        let mut kept = Vec::new();
        let _ = (&mut pipe).take(CAPTURE_LIMIT).read_to_end(&mut kept);
        let _ = io::copy(&mut pipe, &mut io::sink());
        let _ = sender.send(wrap(kept));
    });
}

/// The first non-blank line of `text`, trimmed, shortened and escaped for one-line messages:
/// it is a program's output, which may hold anything.
pub fn first_line(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|line| !line.is_empty());
    let line = line.unwrap_or_default();
    match line.char_indices().nth(200) {
        Some((end, _)) => format!("{}…", escape(&line[..end])),
        None => escape(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn relative_and_empty_path_entries_are_dropped() {
        let cleaned = absolute_entries(OsStr::new(":bin:./node_modules/.bin:/usr/bin::/bin:"));
        assert_eq!(cleaned, OsString::from("/usr/bin:/bin"));
    }

    #[test]
    fn an_empty_search_path_finds_nothing() {
        let probe = SystemProbe {
            search_path: OsString::new(),
            timeout: DEFAULT_TIMEOUT,
        };
        assert_eq!(probe.locate("sh"), None);
    }

    #[test]
    fn first_line_skips_blank_lines_and_shortens() {
        assert_eq!(first_line("\n  \n  hello \nworld"), "hello");
        assert_eq!(first_line(&"x".repeat(300)).chars().count(), 201);
        assert_eq!(first_line(""), "");
        assert_eq!(first_line("\u{1b}[31mred"), "\\u{1b}[31mred");
    }

    #[test]
    fn text_falls_back_to_stderr() {
        let captured = Captured {
            stdout: " \n".into(),
            stderr: "Python 2.7.18".into(),
        };
        assert_eq!(captured.text(), "Python 2.7.18");
    }
}
