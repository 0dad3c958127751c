//! Arbitrary text as an answers file, read as TOML and as JSON: never a panic, and errors stay
//! one line (`fuzzing::answers` asserts it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `input_file::read` refuses anything that is not UTF-8 before the parser sees it.
    if let Ok(text) = std::str::from_utf8(data) {
        stackgen::fuzzing::answers(text);
    }
});
