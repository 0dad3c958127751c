//! Arbitrary `stackgen update --set KEY=VALUE` settings on a valid record: validation never
//! panics, refusals are one line, and accepted settings render (`fuzzing::update_settings`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stackgen::fuzzing;

fuzz_target!(|settings: Vec<String>| {
    fuzzing::update_settings(&settings);
});
