//! Integration tests: each drives the real `stackgen` binary in a temporary directory.

mod answers;
mod conventions;
mod doctor;
mod e2e;
mod extras;
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
