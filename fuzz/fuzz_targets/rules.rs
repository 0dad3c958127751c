//! Arbitrary text as a rules file: loading and recommending never panic, and errors stay one
//! line (`fuzzing::rules` asserts it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The loader only ever sees UTF-8: `input_file::read` refuses anything else first.
    if let Ok(text) = std::str::from_utf8(data) {
        stackgen::fuzzing::rules(text);
    }
});
