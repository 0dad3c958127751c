//! Text that fits the terminal: long lines break at word boundaries and continue under the
//! column they belong to. Output that is not a terminal is never wrapped, so pipes and logs
//! keep one line per item.

use std::io::IsTerminal;

use console::Term;

/// The width to wrap stdout at, or `None` when stdout is not a terminal.
pub fn stdout_width() -> Option<usize> {
    width_of(&Term::stdout(), std::io::stdout().is_terminal())
}

/// The width to wrap stderr at, or `None` when stderr is not a terminal.
pub fn stderr_width() -> Option<usize> {
    width_of(&Term::stderr(), std::io::stderr().is_terminal())
}

fn width_of(term: &Term, is_terminal: bool) -> Option<usize> {
    let (_, columns) = term.size_checked().filter(|_| is_terminal)?;
    Some(usize::from(columns))
}

/// `line` broken to fit `width` columns, each continuation indented by `indent` spaces so
/// it sits under the text it continues. A word longer than a row is left whole: cutting a
/// path, a URL or a hyphenated name would make it wrong to copy. With no width the line is left as it is.
pub fn hanging(line: &str, indent: usize, width: Option<usize>) -> String {
    let Some(width) = width else {
        return line.to_owned();
    };
    // Writing into the last column leaves some terminals waiting to wrap: stop one short.
    let usable = width.saturating_sub(1);
    if console::measure_text_width(line) <= usable || usable <= indent {
        return line.to_owned();
    }
    let continuation = " ".repeat(indent);
    let options = textwrap::Options::new(usable)
        .subsequent_indent(&continuation)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(line, options).join("\n")
}

/// Every line of `text` wrapped with [`hanging`], each indented by what `indent_of` says of it.
pub fn lines_hanging(
    text: &str,
    width: Option<usize>,
    indent_of: impl Fn(&str) -> usize,
) -> String {
    text.lines()
        .map(|line| hanging(line, indent_of(line), width))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_breaks_between_words_under_its_column() {
        let line = "  +3 node  use_cases        real-time web apps are among Node.js use cases";
        let wrapped = hanging(line, 29, Some(60));
        let rows: Vec<&str> = wrapped.lines().collect();
        assert_eq!(rows.len(), 2, "{wrapped}");
        assert!(rows.iter().all(|row| row.len() < 60), "{wrapped}");
        assert_eq!(
            rows[0],
            "  +3 node  use_cases        real-time web apps are among"
        );
        assert_eq!(rows[1], format!("{}Node.js use cases", " ".repeat(29)));
    }

    #[test]
    fn nothing_wraps_without_a_width_or_when_it_fits() {
        let line = "a ".repeat(100);
        assert_eq!(hanging(&line, 4, None), line);
        assert_eq!(hanging("short line", 4, Some(80)), "short line");
    }

    #[test]
    fn a_word_longer_than_a_row_is_not_cut() {
        let path = format!("/{}", "very-long-directory/".repeat(6));
        let wrapped = hanging(&format!("     note: see {path}"), 11, Some(40));
        assert!(wrapped.lines().any(|row| row.trim() == path), "{wrapped}");
    }

    #[test]
    fn colour_codes_take_no_columns() {
        let styled = format!("{} {}", console::style("✘").red(), "word ".repeat(10));
        let wrapped = hanging(styled.trim_end(), 2, Some(30));
        assert!(
            wrapped
                .lines()
                .all(|row| console::measure_text_width(row) < 30),
            "{wrapped:?}"
        );
    }

    #[test]
    fn each_line_gets_its_own_indent() {
        let text = format!("first {}\nsecond {}", "x ".repeat(20), "y ".repeat(20));
        let wrapped = lines_hanging(&text, Some(20), |line| {
            if line.starts_with("first") { 2 } else { 4 }
        });
        assert!(wrapped.contains("\n  x"), "{wrapped}");
        assert!(wrapped.contains("\n    y"), "{wrapped}");
    }
}
