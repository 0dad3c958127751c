//! Finding and running toolchain programs safely: absolute PATH entries only, stdin closed,
//! a timeout, and a cap on what is read back.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::text::escape;

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
        let mut command = Command::new(program);
        command
            .args(args)
            .env("PATH", &self.search_path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Its own process group, so that whatever it starts can be stopped with it.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().map_err(RunError::Spawn)?;
        wait_with_limits(child, self.timeout)
    }
}

/// How long a probed program's streams may stay open once it has exited: a descendant it
/// left behind (a shim's background helper) can hold them for ever, and what the program
/// itself printed is already in the pipe.
const EXIT_GRACE: Duration = Duration::from_millis(100);

/// What one stream has delivered so far, filled by its reader thread.
#[derive(Default)]
struct Delivered {
    bytes: Vec<u8>,
    closed: bool,
}

type Shared = Arc<Mutex<Delivered>>;

fn wait_with_limits(mut child: Child, timeout: Duration) -> Result<Captured, RunError> {
    let deadline = Instant::now() + timeout;
    let stdout = Shared::default();
    let stderr = Shared::default();
    if let Some(pipe) = child.stdout.take() {
        spawn_reader(pipe, Arc::clone(&stdout));
    }
    if let Some(pipe) = child.stderr.take() {
        spawn_reader(pipe, Arc::clone(&stderr));
    }
    let closed = || lock(&stdout).closed && lock(&stderr).closed;
    let mut exited_at = None;
    let status = loop {
        if exited_at.is_none() {
            match child.try_wait() {
                Ok(Some(status)) => exited_at = Some((status, Instant::now())),
                Ok(None) => {}
                Err(error) => return Err(RunError::Spawn(error)),
            }
        }
        match exited_at {
            // Exited, and its streams are done or had their grace period: judge what it printed.
            Some((status, at)) if closed() || at.elapsed() >= EXIT_GRACE => break status,
            None if Instant::now() >= deadline => return Err(kill(&mut child, timeout)),
            _ => thread::sleep(Duration::from_millis(2)),
        }
    };
    // Whatever it left running goes with it.
    kill_group(&child);
    let text = |shared: &Shared| String::from_utf8_lossy(&lock(shared).bytes).into_owned();
    let captured = Captured {
        stdout: text(&stdout),
        stderr: text(&stderr),
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

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Delivered> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Kills the program's process group (it leads one: see `run`), descendants included.
fn kill_group(child: &Child) {
    #[cfg(unix)]
    {
        use rustix::process::{Pid, Signal, kill_process_group};
        let _ = kill_process_group(Pid::from_child(child), Signal::KILL);
    }
}

/// Kills and reaps a program that ran out of time, with everything it started. A reader
/// thread of a pipe still held by something outside the group stays detached; stackgen never
/// waits for it.
fn kill(child: &mut Child, timeout: Duration) -> RunError {
    kill_group(child);
    let _ = child.kill();
    let _ = child.wait();
    RunError::Timeout(timeout)
}

trait Pipe: Read + Send + 'static {}
impl Pipe for ChildStdout {}
impl Pipe for ChildStderr {}

/// Reads `pipe` into `shared` as it arrives (keeping at most `CAPTURE_LIMIT` bytes, dropping
/// the rest so the writer never blocks on a full pipe) until end-of-file.
fn spawn_reader<P: Pipe>(pipe: P, shared: Shared) {
    thread::spawn(move || {
        let mut pipe = pipe;
        let mut buffer = [0u8; 4096];
        loop {
            match pipe.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => {
                    let mut delivered = lock(&shared);
                    let room = (CAPTURE_LIMIT as usize).saturating_sub(delivered.bytes.len());
                    delivered.bytes.extend_from_slice(&buffer[..read.min(room)]);
                }
            }
        }
        lock(&shared).closed = true;
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
