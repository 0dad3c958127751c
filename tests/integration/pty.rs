//! A stackgen run on a pseudo-terminal, and the screen a terminal would show for it. CI has
//! no terminal of its own, so each run makes one and unsets `CI` for the child.

use std::io::ErrorKind;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Expect, Session};

use crate::support::{Sandbox, binary};

pub const DOWN: &str = "\x1b[B";
pub const ENTER: &str = "\r";
pub const CTRL_C: &str = "\x03";

/// How long any one wait may take before the test fails with what it saw.
const PATIENCE: Duration = Duration::from_secs(20);

/// Rows of every test terminal; the width is each test's choice.
const ROWS: u16 = 60;

/// A stackgen run on a pseudo-terminal that keeps everything it printed.
pub struct Pty {
    session: OsSession,
    transcript: Vec<u8>,
    columns: u16,
}

impl Pty {
    pub fn spawn(sandbox: &Sandbox, command: Command) -> Pty {
        Pty::spawn_sized(sandbox, command, 120)
    }

    /// A run on a terminal `columns` wide.
    pub fn spawn_sized(sandbox: &Sandbox, command: Command, columns: u16) -> Pty {
        let mut command = command;
        command
            .current_dir(sandbox.root())
            .env("HOME", sandbox.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("TERM", "xterm-256color")
            .env_remove("CI")
            .env_remove("NO_COLOR")
            .env_remove("STACKGEN_TEST_WRITE_DELAY_MS");
        // The terminal gets its size before the program starts: set from outside after the
        // spawn, a program that asks at once (`recommend`) may see the default on a busy host.
        let mut sized = Command::new("/bin/sh");
        sized
            .arg("-c")
            .arg(r#"/bin/stty cols "$1" rows "$2" && shift 2 && exec "$@""#)
            .arg("sh")
            .arg(columns.to_string())
            .arg(ROWS.to_string())
            .arg(command.get_program())
            .args(command.get_args());
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => sized.env(key, value),
                None => sized.env_remove(key),
            };
        }
        if let Some(dir) = command.get_current_dir() {
            sized.current_dir(dir);
        }
        let mut session = Session::spawn(sized).expect("a pseudo-terminal");
        session
            .get_process_mut()
            .set_window_size(columns, ROWS)
            .unwrap();
        session.set_expect_timeout(Some(PATIENCE));
        Pty {
            session,
            transcript: Vec::new(),
            columns,
        }
    }

    pub fn stackgen(sandbox: &Sandbox, args: &[&str]) -> Pty {
        Pty::stackgen_sized(sandbox, args, 120)
    }

    /// `stackgen new ARGS` on a terminal `columns` wide.
    pub fn stackgen_sized(sandbox: &Sandbox, args: &[&str], columns: u16) -> Pty {
        let mut command = Command::new(binary());
        command.arg("new").args(args);
        Pty::spawn_sized(sandbox, command, columns)
    }

    /// Waits for `text`, failing with everything seen so far.
    pub fn expect(&mut self, text: &str) {
        match self.session.expect(text) {
            // `as_bytes` is everything read up to the end of the match, `before` included.
            Ok(found) => self.transcript.extend_from_slice(found.as_bytes()),
            Err(error) => panic!(
                "waiting for {text:?}: {error}\nseen so far:\n{}",
                String::from_utf8_lossy(&self.transcript)
            ),
        }
    }

    /// Types keys, after the prompt they answer has shown.
    pub fn send(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
    }

    /// Answers a prompt: waits for it, then types.
    pub fn answer(&mut self, prompt: &str, keys: &str) {
        self.expect(prompt);
        self.send(keys);
    }

    /// Reads to the end and returns the exit code and the whole transcript.
    pub fn finish(mut self) -> (i32, String, Vec<u8>) {
        // Read until the terminal closes: at exit Linux reports EIO on the pty, not EOF.
        let mut chunk = [0u8; 4096];
        loop {
            match std::io::Read::read(&mut self.session, &mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(read) => self.transcript.extend_from_slice(&chunk[..read]),
            }
        }
        let code = match self.session.get_process().wait().unwrap() {
            WaitStatus::Exited(_, code) => code,
            WaitStatus::Signaled(_, signal, _) => 128 + signal as i32,
            other => panic!("unexpected status {other:?}"),
        };
        let text = String::from_utf8_lossy(&self.transcript).into_owned();
        (code, text, self.transcript)
    }

    /// The screen a terminal of this size shows after everything printed so far.
    pub fn screen(&self) -> vt100::Screen {
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("a terminal has a size");
        let mut parser = vt100::Parser::new(size(ROWS), size(self.columns), 0);
        parser.process(&self.transcript);
        parser.screen().clone()
    }

    /// Reads until the screen shows `text` and returns its rows, failing with the screen.
    pub fn screen_shows(&mut self, text: &str) -> Vec<String> {
        self.screen_until(&format!("the screen to show {text:?}"), |rows| {
            rows.iter().any(|row| row.contains(text))
        })
    }

    /// Reads until `done` holds for the screen's rows (trailing blanks trimmed).
    pub fn screen_until(&mut self, what: &str, done: impl Fn(&[String]) -> bool) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut chunk = [0u8; 4096];
        loop {
            let rows = screen_rows(&self.screen());
            if done(&rows) {
                return rows;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {what}; the screen shows:\n{}",
                rows.join("\n")
            );
            match self.session.try_read(&mut chunk) {
                Ok(0) => panic!("the program ended; the screen shows:\n{}", rows.join("\n")),
                Ok(read) => self.transcript.extend_from_slice(&chunk[..read]),
                Err(error) if error.kind() == ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(error) => panic!("reading the terminal: {error}"),
            }
        }
    }
}

/// A screen's rows as text, without trailing blanks.
pub fn screen_rows(screen: &vt100::Screen) -> Vec<String> {
    let (_, columns) = screen.size();
    screen
        .rows(0, columns.get())
        .map(|row| row.trim_end().to_owned())
        .collect()
}
