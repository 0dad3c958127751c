//! SIGINT and SIGTERM, by phase of `new`. Before writing they end the process at once (there is
//! nothing to undo). While writing they set a flag the writer checks between steps, so it can
//! roll back first. Once the project is whole (installing, printing the next steps) they set the
//! same flag: the installer stops its child and the run ends saying the project was kept.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

#[cfg(unix)]
use signal_hook::consts::{SIGINT, SIGTERM};
#[cfg(unix)]
use signal_hook::iterator::Signals;

use crate::error::Error;

/// The signal that arrived, or 0.
static PENDING: AtomicI32 = AtomicI32::new(0);

/// Where the main thread is. A mutex, not a flag, so that the signal thread and the main thread
/// never disagree about who reports and cleans up: while the signal thread holds it and exits,
/// writing cannot begin.
static PHASE: Mutex<Phase> = Mutex::new(Phase::Before);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing is on disk yet: a signal ends the process at once.
    Before,
    /// Files are being created: the writer rolls back, then reports.
    Writing,
    /// The project is whole and stays: the main thread stops what it runs, then reports.
    Written,
}

fn phase() -> MutexGuard<'static, Phase> {
    PHASE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Starts the thread that receives SIGINT and SIGTERM. Without it they keep their default
/// action (which also leaves nothing behind, as nothing has been written yet). signal-hook's
/// iterator is Unix-only: on Windows, Ctrl-C keeps its default action, ending the process
/// without a rollback (the README's "Platforms" says so).
#[cfg(not(unix))]
pub fn install() {}

/// Starts the thread that receives SIGINT and SIGTERM (see the Windows variant above).
#[cfg(unix)]
pub fn install() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            PENDING.store(signal, Ordering::SeqCst);
            let phase = phase();
            if *phase == Phase::Before {
                cancel_now(signal);
            }
        }
    });
}

/// Held by whoever is ending the process, so a Ctrl-C seen both as a signal and as a prompt
/// error is reported once.
static CANCELLING: Mutex<()> = Mutex::new(());

/// Ends the process for a signal, or a cancelled prompt, while nothing was being written.
pub fn cancel_now(signal: i32) -> ! {
    let _exiting = CANCELLING.lock().unwrap_or_else(PoisonError::into_inner);
    // A text prompt may hold the terminal without echo; exiting skips its guard.
    crate::terminal_mode::restore();
    let mut stderr = std::io::stderr().lock();
    if stderr.is_terminal() {
        // Prompts hide the cursor; a cancelled prompt must not leave it hidden.
        let _ = write!(stderr, "\x1b[?25h");
    }
    let _ = writeln!(stderr, "\ncancelled, nothing written");
    let _ = stderr.flush();
    std::process::exit(128 + signal);
}

/// The signal that arrived, if any.
pub fn pending() -> Option<i32> {
    match PENDING.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// Fails with [`Error::Interrupted`] if a signal arrived.
pub fn check() -> Result<(), Error> {
    pending().map_or(Ok(()), |signal| Err(Error::Interrupted { signal }))
}

/// Marks the span in which signals are deferred to the writer's rollback. Dropped, it returns
/// to the phase before writing (everything was rolled back); [`WritingGuard::written`] moves
/// on to the phase after it instead.
pub struct WritingGuard {
    done: bool,
}

impl WritingGuard {
    /// Enters the writing phase, unless a signal already arrived.
    pub fn begin() -> Result<WritingGuard, Error> {
        let mut phase = phase();
        check()?;
        *phase = Phase::Writing;
        Ok(WritingGuard { done: false })
    }

    /// The project is whole: from now on a signal keeps it. Switching phases under one lock
    /// leaves no instant in which a signal would be reported as "nothing written".
    pub fn written(mut self) {
        *phase() = Phase::Written;
        self.done = true;
    }
}

impl Drop for WritingGuard {
    fn drop(&mut self) {
        if !self.done {
            *phase() = Phase::Before;
        }
    }
}
