//! Integration tests: each drives the real `stackgen` binary in a temporary directory.
//! They use Unix's terminals, modes and signals throughout; on Windows the unit tests run.
#![cfg(unix)]

mod answers;
mod bot;
mod conventions;
mod doctor;
mod e2e;
mod extras;
mod fleet;
mod hardening;
mod interactive;
mod line_editing;
mod new;
mod pty;
mod readme;
mod recommend;
mod snapshots;
mod support;
mod update;
