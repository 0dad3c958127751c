//! A user's copy of a generated file, read as text in its own conventions and written back in
//! them. The templates are UTF-8 with LF line ends and a final newline; the user's copy may
//! carry a BOM, use CRLF or lack the final newline. The merge runs on the normalised text, so
//! none of those alone is a change, and the result is written the way the user's file was.
//! Anything else is not merged: content with NUL bytes (binary, or UTF-16, which a user's
//! tools may read differently than a decoder would) or not valid UTF-8 stays byte for byte.

/// How a user's file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conventions {
    encoding: Encoding,
    crlf: bool,
    final_newline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf8Bom,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of `bytes` with LF line ends and a final newline, and how the file was written;
/// or why it is not text, as the update reports it.
pub fn read(bytes: &[u8]) -> Result<(String, Conventions), &'static str> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        (utf8(rest)?, Encoding::Utf8Bom)
    } else {
        (utf8(bytes)?, Encoding::Utf8)
    };
    let crlf_ends = text.matches("\r\n").count();
    let lf_ends = text.matches('\n').count() - crlf_ends;
    let mut normalised = text.replace("\r\n", "\n");
    let final_newline = normalised.is_empty() || normalised.ends_with('\n');
    if !final_newline {
        normalised.push('\n');
    }
    Ok((
        normalised,
        Conventions {
            encoding,
            // A file that mixes them takes the majority's.
            crlf: crlf_ends > lf_ends,
            final_newline,
        },
    ))
}

fn utf8(bytes: &[u8]) -> Result<String, &'static str> {
    if bytes.contains(&0) {
        return Err("not merged: not text (it holds NUL bytes)");
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| "not merged: not text (not valid UTF-8)")
}

/// `text` (LF line ends, as [`read`] gives and the merge returns) written in `conventions`.
pub fn write(text: &str, conventions: Conventions) -> Vec<u8> {
    let mut text = text.to_owned();
    if !conventions.final_newline && text.ends_with('\n') {
        text.pop();
    }
    if conventions.crlf {
        text = text.replace('\n', "\r\n");
    }
    match conventions.encoding {
        Encoding::Utf8 => text.into_bytes(),
        Encoding::Utf8Bom => [UTF8_BOM, text.as_bytes()].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(bytes: &[u8]) -> String {
        let (text, conventions) = read(bytes).unwrap();
        assert_eq!(write(&text, conventions), bytes, "{bytes:?}");
        text
    }

    #[test]
    fn conventions_are_read_and_written_back() {
        assert_eq!(round_trip(b"a\nb\n"), "a\nb\n");
        assert_eq!(round_trip(b"a\r\nb\r\n"), "a\nb\n");
        assert_eq!(round_trip(b"a\nb"), "a\nb\n");
        assert_eq!(round_trip(b"a\r\nb"), "a\nb\n");
        assert_eq!(round_trip(b"\xEF\xBB\xBFa\n"), "a\n");
        assert_eq!(round_trip(b""), "");
        assert_eq!(round_trip("h\u{e9}\r\n".as_bytes()), "h\u{e9}\n");
    }

    #[test]
    fn a_mixed_file_takes_the_majority() {
        let (_, conventions) = read(b"a\r\nb\r\nc\n").unwrap();
        assert_eq!(write("a\nb\nc\n", conventions), b"a\r\nb\r\nc\r\n");
        let (_, conventions) = read(b"a\nb\nc\r\n").unwrap();
        assert_eq!(write("a\nb\nc\n", conventions), b"a\nb\nc\n");
    }

    #[test]
    fn what_is_not_text_says_why() {
        assert!(read(b"a\0b").unwrap_err().contains("NUL"));
        assert!(read(b"\xC3\x28").unwrap_err().contains("UTF-8"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("# app\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(read(&utf16).unwrap_err().contains("NUL"));
    }
}
