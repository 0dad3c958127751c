//! Rules for free-text values (descriptions, authors), the characters no value may hold, and
//! how a value is shown safely (escaped for a terminal, quoted for a shell).

use std::fmt::Write as _;

/// Descriptions longer than this are refused: they are meant for one line of a manifest.
pub const MAX_DESCRIPTION_CHARS: usize = 512;

/// Unicode general category Cf (format characters: zero-width, bidi controls, BOM, tags …),
/// as of Unicode 15. Kept as a table because the set is small and stable.
const FORMAT_CHARS: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// True for characters that no user value may hold: controls (C0, DEL, C1), format characters
/// other than the zero-width joiner that emoji sequences need, and the Unicode line and
/// paragraph separators. They either break a file's syntax or hide what the text says.
pub fn forbidden_char(c: char) -> bool {
    if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
        return true;
    }
    if c == ZERO_WIDTH_JOINER {
        return false;
    }
    let code = u32::from(c);
    FORMAT_CHARS
        .iter()
        .any(|&(low, high)| (low..=high).contains(&code))
}

/// A user string made safe to print: control, format and line-separator characters are shown
/// as escapes (`\u{1b}`), so a value can never move the cursor or recolour the terminal.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if forbidden_char(c) {
            let _ = write!(escaped, "{}", c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Quotes `text` for a POSIX shell with single quotes, so a pasted command runs nothing else.
pub fn shell_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./,:@+=%".contains(&b));
    if safe {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Checks free text: one line, no forbidden characters. Returns the problem in words.
pub fn check_line(text: &str) -> Result<(), String> {
    if text.contains(['\n', '\r']) {
        return Err("it must be one line".into());
    }
    match text.chars().find(|&c| forbidden_char(c)) {
        Some(c) => Err(format!(
            "it contains the control or invisible character `{}`",
            c.escape_unicode()
        )),
        None => Ok(()),
    }
}

/// Checks a project description.
pub fn check_description(text: &str) -> Result<(), String> {
    check_line(text)?;
    let length = text.chars().count();
    if length > MAX_DESCRIPTION_CHARS {
        return Err(format!(
            "it is {length} characters long, the limit is {MAX_DESCRIPTION_CHARS}"
        ));
    }
    Ok(())
}

/// A project author: `Name`, `Name <email>` or `<email>`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Author {
    /// The person's name, if given.
    pub name: Option<String>,
    /// The e-mail address, if given.
    pub email: Option<String>,
}

impl Author {
    /// Parses and checks an author. `allow_comma` is false for Flask, whose core metadata
    /// splits author names on commas.
    pub fn parse(text: &str, allow_comma: bool) -> Result<Author, String> {
        check_line(text)?;
        let (name, email) = match text.find('<') {
            None => (text, None),
            Some(open) => {
                let Some(inner) = text[open + 1..].strip_suffix('>') else {
                    return Err(
                        "expected `Name <email>`: the address must end the text with `>`".into(),
                    );
                };
                (&text[..open], Some(inner))
            }
        };
        let name = name.trim();
        let name = if name.is_empty() {
            if email.is_none() {
                return Err("the author must not be blank".into());
            }
            None
        } else {
            if name.contains(['<', '>']) {
                return Err("the name may not contain `<` or `>`".into());
            }
            if !allow_comma && name.contains(',') {
                return Err("a Python project's author name may not contain `,`".into());
            }
            Some(name.to_owned())
        };
        let email = email.map(check_email).transpose()?;
        Ok(Author { name, email })
    }
}

impl std::fmt::Display for Author {
    /// The `Name <email>` form it was parsed from.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.name, &self.email) {
            (Some(name), Some(email)) => write!(f, "{name} <{email}>"),
            (Some(name), None) => f.write_str(name),
            (None, Some(email)) => write!(f, "<{email}>"),
            (None, None) => Ok(()),
        }
    }
}

fn check_email(email: &str) -> Result<String, String> {
    let valid = email.is_ascii()
        && !email.contains(|c: char| c.is_ascii_whitespace() || matches!(c, '<' | '>' | ','))
        && matches!(email.split_once('@'), Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if valid {
        Ok(email.to_owned())
    } else {
        Err(format!(
            "`{}` is not an e-mail address of the form `local@domain`",
            email.escape_debug()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_shows_controls_and_keeps_the_rest() {
        assert_eq!(escape("my\u{1b}[31mapp"), "my\\u{1b}[31mapp");
        assert_eq!(escape("a\nb"), "a\\u{a}b");
        assert_eq!(escape("café 👩\u{200d}💻"), "café 👩\u{200d}💻");
    }

    #[test]
    fn shell_quote_neutralises_metacharacters() {
        assert_eq!(shell_quote("my-app"), "my-app");
        assert_eq!(shell_quote("my dir/ünï"), "'my dir/ünï'");
        assert_eq!(shell_quote("it's $(rm -rf)"), r"'it'\''s $(rm -rf)'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn descriptions_allow_anything_printable_on_one_line() {
        for ok in [
            "",
            "He said \"hi\" & left <now>",
            "C:\\Users\\new\\",
            "{{author}} ${x} \"\"\" </script>",
            "Ünïcödé ☕ 🚀 👩\u{200d}💻 日本語",
            &"d".repeat(512),
        ] {
            assert_eq!(check_description(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn descriptions_refuse_lines_controls_and_invisibles() {
        for (bad, needle) in [
            ("line1\nline2", "one line"),
            ("a\rb", "one line"),
            ("a\u{1b}[31m", "\\u{1b}"),
            ("a\u{202e}b", "\\u{202e}"),
            ("a\u{2028}b", "\\u{2028}"),
            ("\u{feff}a", "\\u{feff}"),
            ("a\u{85}", "\\u{85}"),
            (&"d".repeat(513), "limit is 512"),
        ] {
            assert!(
                check_description(bad).unwrap_err().contains(needle),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn authors_take_the_three_forms() {
        let full = Author::parse("Jane Doe <jane@example.com>", true).unwrap();
        assert_eq!(
            (full.name.as_deref(), full.email.as_deref()),
            (Some("Jane Doe"), Some("jane@example.com"))
        );
        assert_eq!(
            Author::parse("Jane \"JJ\" O'Neil", true)
                .unwrap()
                .name
                .as_deref(),
            Some("Jane \"JJ\" O'Neil")
        );
        assert_eq!(Author::parse("<a@b>", true).unwrap().name, None);
        for form in ["Jane Doe <jane@example.com>", "Jane", "<a@b>"] {
            assert_eq!(Author::parse(form, true).unwrap().to_string(), form);
        }
    }

    #[test]
    fn malformed_authors_are_refused() {
        for bad in [
            "Jane <jane@example.com",
            "Jane <jane@example.com> extra",
            "Jane <>",
            "<a@b@c>",
            "Jane\nDoe <j@example.com>",
            "   ",
            "Jane > Doe",
            "<jane doe@example.com>",
        ] {
            assert!(Author::parse(bad, true).is_err(), "{bad:?}");
        }
        assert!(Author::parse("Doe, Jane", false).is_err());
        assert!(Author::parse("Doe, Jane", true).is_ok());
    }
}
