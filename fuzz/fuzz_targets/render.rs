//! Arbitrary name, description, author, port and extras: validation and rendering never panic, and
//! whatever is accepted comes out exactly in manifests that parse (`fuzzing::render` asserts it).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use stackgen::fuzzing::{self, RawValues};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    flask: bool,
    name: &'a str,
    description: &'a str,
    author: Option<&'a str>,
    port: u16,
    license: u8,
    ci: bool,
    docker: bool,
    year: u16,
}

fuzz_target!(|input: Input<'_>| {
    fuzzing::render(&RawValues {
        flask: input.flask,
        name: input.name,
        description: input.description,
        author: input.author,
        port: input.port,
        license: input.license,
        ci: input.ci,
        docker: input.docker,
        year: input.year,
    });
});
