//! Reading files the user hands stackgen (rules now, answers files later): bounded in size,
//! UTF-8 only, and with byte offsets turned into the `LINE:COL` people look for.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// Larger files are refused before they are parsed: no honest config file is this big, and a
/// bounded read keeps memory bounded whatever the path points at (`/dev/zero`, a huge log).
pub const MAX_BYTES: u64 = 1024 * 1024;

/// Reads `path` as UTF-8 text of at most [`MAX_BYTES`], without a leading byte-order mark.
/// `what` names the file in errors ("rules file").
pub fn read(path: &Path, what: &'static str) -> Result<String, Error> {
    let refuse = |problem: String| Error::CannotRead {
        what,
        path: path.to_owned(),
        problem,
    };
    let file = File::open(path).map_err(|error| refuse(error.to_string()))?;
    if file.metadata().is_ok_and(|metadata| metadata.is_dir()) {
        return Err(refuse("it is a directory".into()));
    }
    let mut bytes = Vec::new();
    // One byte past the limit tells "exactly at the limit" from "over it".
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| refuse(error.to_string()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(refuse("it is larger than the 1 MiB limit".into()));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| refuse("it is not UTF-8 text; save it as UTF-8".into()))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// An [`Error::InvalidFile`] for the problem at byte `offset` of `text`. Multi-line messages
/// (as toml writes them) are folded onto one line, so an error stays one line.
pub fn invalid_at(
    what: &'static str,
    path: &Path,
    text: &str,
    offset: usize,
    problem: &str,
) -> Error {
    let (line, column) = line_col(text, offset);
    Error::InvalidFile {
        what,
        path: path.to_owned(),
        line,
        column,
        problem: problem
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_lines_and_columns() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // `=` on line 2 comes after a two-byte character: columns count characters.
        assert_eq!(line_col(text, 10), (2, 4));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn oversized_binary_and_missing_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; (MAX_BYTES + 1) as usize]).unwrap();
        assert!(
            read(&big, "rules file")
                .unwrap_err()
                .to_string()
                .contains("1 MiB")
        );

        let binary = dir.path().join("bin.toml");
        std::fs::write(&binary, [0xff, 0xfe, b'a', 0]).unwrap();
        assert!(
            read(&binary, "rules file")
                .unwrap_err()
                .to_string()
                .contains("UTF-8")
        );

        let error = read(dir.path(), "rules file").unwrap_err().to_string();
        assert!(error.contains("directory"), "{error}");
        assert!(read(&dir.path().join("missing.toml"), "rules file").is_err());

        let bom = dir.path().join("bom.toml");
        std::fs::write(&bom, "\u{feff}a = 1\n").unwrap();
        assert_eq!(read(&bom, "rules file").unwrap(), "a = 1\n");
    }
}
