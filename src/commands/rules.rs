//! `stackgen rules`: the embedded recommendation rules, to copy and edit for `--rules`.

use crate::error::Error;
use crate::output::write_stdout;
use crate::recommend::rules;

/// `stackgen rules`: the embedded rules file, byte for byte, to start a `--rules` file from.
pub fn run() -> Result<(), Error> {
    // `write_stdout` ends the text with the newline the file already ends with.
    write_stdout(
        rules::EMBEDDED
            .strip_suffix('\n')
            .unwrap_or(rules::EMBEDDED),
    )
}
