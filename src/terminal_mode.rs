//! Holds the terminal out of line mode for as long as a text prompt is open.
//!
//! console switches the terminal to raw mode only while it reads one key. Keys that arrive
//! between two reads (a paste, a fast typist) would meanwhile be echoed by the terminal at
//! the wrong place, and Ctrl-U or Ctrl-W would be eaten by the line discipline before the
//! prompt sees them. So a text prompt turns off canonical input, echo, the extended control
//! keys and signal keys for its whole length. Ctrl-C then always arrives as a key, which the
//! prompt takes as cancel after clearing what it drew, rather than as a signal that could
//! land between two reads and leave a half-drawn prompt behind.

/// While alive, the terminal on stdin delivers keys unechoed, one by one. Dropped, it puts
/// the terminal back as it found it.
pub struct KeysUnbuffered(());

impl Drop for KeysUnbuffered {
    fn drop(&mut self) {
        restore();
    }
}

#[cfg(unix)]
mod unix {
    use std::sync::{Mutex, PoisonError};

    use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex, Termios};

    /// The mode found before the prompt, kept where the signal path can reach it: a signal
    /// that ends the process mid-prompt (SIGTERM) must not leave the shell without echo.
    static SAVED: Mutex<Option<Termios>> = Mutex::new(None);

    pub fn hold() -> std::io::Result<()> {
        let stdin = std::io::stdin();
        let original = termios::tcgetattr(&stdin)?;
        let mut unbuffered = original.clone();
        unbuffered
            .local_modes
            .remove(LocalModes::ICANON | LocalModes::ECHO | LocalModes::IEXTEN | LocalModes::ISIG);
        unbuffered.special_codes[SpecialCodeIndex::VMIN] = 1;
        unbuffered.special_codes[SpecialCodeIndex::VTIME] = 0;
        let mut saved = SAVED.lock().unwrap_or_else(PoisonError::into_inner);
        termios::tcsetattr(&stdin, OptionalActions::Now, &unbuffered)?;
        saved.get_or_insert(original);
        Ok(())
    }

    pub fn restore() {
        let saved = SAVED.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(original) = saved {
            // Nothing better can be done if the terminal is gone.
            let _ = termios::tcsetattr(std::io::stdin(), OptionalActions::Now, &original);
        }
    }
}

/// Takes the terminal out of line mode until the returned guard is dropped. Where that is
/// not possible (not a terminal, not unix) the prompt still works, one key read at a time.
pub fn hold() -> KeysUnbuffered {
    #[cfg(unix)]
    let _ = unix::hold();
    KeysUnbuffered(())
}

/// Puts back the mode found by [`hold`], if a prompt holds it; for paths that end the
/// process without unwinding.
pub fn restore() {
    #[cfg(unix)]
    unix::restore();
}
