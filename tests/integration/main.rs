//! Integration tests: each drives the real `stackgen` binary in a temporary directory.

mod e2e;
mod new;
mod snapshots;
mod support;
