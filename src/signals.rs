//! SIGINT and SIGTERM: before writing begins they end the process at once (nothing to undo);
//! while writing they set a flag the writer checks between steps, so it can roll back first.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::error::Error;

/// The signal that arrived, or 0.
static PENDING: AtomicI32 = AtomicI32::new(0);

/// Whether the main thread is writing. A mutex, not a flag, so that the signal thread and the
/// main thread never disagree about who cleans up: while the signal thread holds it and exits,
/// writing cannot begin.
static WRITING: Mutex<bool> = Mutex::new(false);

/// Starts the thread that receives SIGINT and SIGTERM. Without it they keep their default
/// action (which also leaves nothing behind, as nothing has been written yet).
pub fn install() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            PENDING.store(signal, Ordering::SeqCst);
            let writing = WRITING
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !*writing {
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
    let _exiting = CANCELLING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut stderr = std::io::stderr().lock();
    if stderr.is_terminal() {
        // Prompts hide the cursor; a cancelled prompt must not leave it hidden.
        let _ = write!(stderr, "\x1b[?25h");
    }
    let _ = writeln!(stderr, "\ncancelled, nothing written");
    let _ = stderr.flush();
    std::process::exit(128 + signal);
}

/// Fails with [`Error::Interrupted`] if a signal arrived.
pub fn check() -> Result<(), Error> {
    match PENDING.load(Ordering::SeqCst) {
        0 => Ok(()),
        signal => Err(Error::Interrupted { signal }),
    }
}

/// Marks the span in which signals are deferred to the writer's rollback.
pub struct WritingGuard(());

impl WritingGuard {
    /// Enters the writing phase, unless a signal already arrived.
    pub fn begin() -> Result<WritingGuard, Error> {
        let mut writing = WRITING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        check()?;
        *writing = true;
        Ok(WritingGuard(()))
    }
}

impl Drop for WritingGuard {
    fn drop(&mut self) {
        *WRITING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = false;
    }
}
