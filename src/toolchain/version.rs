//! Lenient version parsing for what toolchains print about themselves.
//!
//! Real outputs carry prefixes (`v20.20.2`, `Python 3.11.7`, `git version 2.47.3`), trailing
//! context (`pip 23.2.1 from … (python 3.11)`) and vendor or pre-release suffixes
//! (`2.45.1.windows.1`, `3.13.0rc1`, `21.0.0-nightly2023`), so a strict semver parse of the whole
//! text would refuse most of them.

use std::fmt;

/// A version found in a tool's output: the numeric part is compared, the text is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Major, minor and patch; missing parts are zero (`3.9` is `3.9.0`).
    release: semver::Version,
    /// The version as the tool printed it, without a leading `v`.
    text: String,
}

impl Version {
    /// The release line's numbers: major and minor.
    pub fn major_minor(&self) -> (u64, u64) {
        (self.release.major, self.release.minor)
    }

    /// Whether this version meets `requirement`. Pre-release and vendor suffixes are ignored:
    /// a nightly or a distributor's build of the minimum release has its features.
    pub fn meets(&self, requirement: &Requirement) -> bool {
        let release =
            semver::Version::new(self.release.major, self.release.minor, self.release.patch);
        requirement
            .alternatives
            .iter()
            .any(|alternative| alternative.matches(&release))
    }
}

/// The versions a project accepts, as its manifest declares them (`engines.node` in
/// `package.json`, `requires-python` in `pyproject.toml`): one or more `||` alternatives, each a
/// comma-separated list of comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    alternatives: Vec<semver::VersionReq>,
    /// `20` for `>=20`, `3.11` for `>=3.11`; anything else as declared.
    shown: String,
}

impl Requirement {
    /// `major.minor` or later.
    pub fn at_least(major: u64, minor: u64) -> Requirement {
        Requirement::declared(&format!(">={major}.{minor}")).expect("a plain minimum parses")
    }

    /// Parses a declared requirement. npm's ranges (`>=20`, `^22.18.0 || >=23.6.0`) are semver
    /// requirements; the PEP 440 specifiers a `requires-python` uses here (`>=3.11`,
    /// `>=3.11,<4`) read the same. Anything else is refused rather than guessed at.
    pub fn declared(text: &str) -> Result<Requirement, String> {
        let alternatives = text
            .split("||")
            .map(|alternative| {
                semver::VersionReq::parse(alternative.trim()).map_err(|error| {
                    format!("`{text}` is not a version requirement stackgen reads: {error}")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let shown = match text.trim().strip_prefix(">=") {
            Some(minimum) if !minimum.contains([',', '|', ' ', '<', '>', '=']) => {
                minimum.to_owned()
            }
            _ => text.trim().to_owned(),
        };
        Ok(Requirement {
            alternatives,
            shown,
        })
    }

    /// Whether it is a plain minimum (`>=X`), shown as that minimum.
    pub fn is_minimum(&self) -> bool {
        self.alternatives.len() == 1 && self.alternatives[0].comparators.len() == 1 && {
            let comparator = &self.alternatives[0].comparators[0];
            comparator.op == semver::Op::GreaterEq
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The first version-looking word of `output`: digits and dots with at least one dot (or a
/// `v` prefix), followed by an optional suffix of letters, digits, `-`, `+`, `.` or `_`.
/// Words such as `python` in `pip 23.2.1 from … (python 3.11)` come after the first version
/// and are never reached.
pub fn find(output: &str) -> Option<Version> {
    output
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | '"' | '\''))
        .find_map(parse_word)
}

fn parse_word(word: &str) -> Option<Version> {
    let (word, prefixed) = match word.strip_prefix(['v', 'V']) {
        Some(rest) => (rest, true),
        None => (word, false),
    };
    let numeric_end = word
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(word.len());
    let numeric = word[..numeric_end].trim_end_matches('.');
    let parts: Vec<&str> = numeric.split('.').collect();
    if parts.iter().any(|part| part.is_empty()) || parts.len() > 4 {
        return None;
    }
    // A bare number (`2023`, `12ab`) is not a version unless written `v18`.
    if parts.len() == 1 && !prefixed {
        return None;
    }
    let suffix = &word[numeric.len()..];
    if !suffix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | '_'))
    {
        return None;
    }
    let number = |index: usize| -> Option<u64> {
        parts.get(index).map_or(Some(0), |part| part.parse().ok())
    };
    let release = semver::Version::new(number(0)?, number(1)?, number(2)?);
    Some(Version {
        release,
        text: word.trim_end_matches(['.', '-', '+', '_']).to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(output: &str) -> (u64, u64, u64, String) {
        let version = find(output).unwrap_or_else(|| panic!("no version in {output:?}"));
        let release = &version.release;
        (release.major, release.minor, release.patch, version.text)
    }

    #[test]
    fn common_outputs_parse() {
        assert_eq!(parsed("v20.20.2\n"), (20, 20, 2, "20.20.2".into()));
        assert_eq!(parsed("Python 3.11.7"), (3, 11, 7, "3.11.7".into()));
        assert_eq!(
            parsed("pip 23.2.1 from /usr/lib/python3/dist-packages/pip (python 3.11)"),
            (23, 2, 1, "23.2.1".into())
        );
        assert_eq!(parsed("git version 2.47.3"), (2, 47, 3, "2.47.3".into()));
        assert_eq!(parsed("11.19.1"), (11, 19, 1, "11.19.1".into()));
    }

    #[test]
    fn vendor_and_prerelease_suffixes_are_kept_as_text() {
        assert_eq!(
            parsed("git version 2.45.1.windows.1"),
            (2, 45, 1, "2.45.1.windows.1".into())
        );
        assert_eq!(
            parsed("git version 2.39.3 (Apple Git-146)"),
            (2, 39, 3, "2.39.3".into())
        );
        assert_eq!(parsed("Python 3.13.0rc1"), (3, 13, 0, "3.13.0rc1".into()));
        assert_eq!(parsed("Python 3.11.2+"), (3, 11, 2, "3.11.2".into()));
        assert_eq!(
            parsed("v21.0.0-nightly20231010abcdef"),
            (21, 0, 0, "21.0.0-nightly20231010abcdef".into())
        );
        assert_eq!(parsed("v18"), (18, 0, 0, "18".into()));
        assert_eq!(parsed("Python 3.9"), (3, 9, 0, "3.9".into()));
    }

    #[test]
    fn noise_is_not_a_version() {
        assert!(find("").is_none());
        assert!(find("pyenv: python3: command not found").is_none());
        assert!(find("error 2023 happened").is_none());
        assert!(find("1.2.3.4.5").is_none());
        assert!(find("12ab").is_none());
        assert_eq!(
            parsed("WARNING: something\nv16.20.2"),
            (16, 20, 2, "16.20.2".into())
        );
    }

    #[test]
    fn comparison_ignores_suffixes() {
        let minimum = Requirement::declared(">=18").unwrap();
        assert!(!find("v16.20.2").unwrap().meets(&minimum));
        assert!(find("v18.0.0-rc.1").unwrap().meets(&minimum));
        assert!(find("v20.20.2").unwrap().meets(&minimum));
        let python = Requirement::declared(">=3.9").unwrap();
        assert!(!find("Python 3.8.18").unwrap().meets(&python));
        assert!(find("Python 3.9.0").unwrap().meets(&python));
        assert!(find("Python 3.10.1").unwrap().meets(&python));
    }

    #[test]
    fn declared_requirements_read_as_npm_and_pip_read_them() {
        let strips_types = Requirement::declared("^22.18.0 || >=23.6.0").unwrap();
        for (version, meets) in [
            ("v22.17.1", false),
            ("v22.18.0", true),
            ("v23.5.0", false),
            ("v23.6.0", true),
            ("v26.1.0", true),
            ("v20.20.2", false),
        ] {
            assert_eq!(
                find(version).unwrap().meets(&strips_types),
                meets,
                "{version}"
            );
        }
        assert_eq!(strips_types.to_string(), "^22.18.0 || >=23.6.0");
        assert!(!strips_types.is_minimum());
        let python = Requirement::declared(">=3.11").unwrap();
        assert_eq!(python.to_string(), "3.11");
        assert!(python.is_minimum());
        assert!(!find("Python 3.10.13").unwrap().meets(&python));
        let bounded = Requirement::declared(">=3.11,<4").unwrap();
        assert!(find("Python 3.13.0").unwrap().meets(&bounded));
        assert!(Requirement::declared("~=3.11").is_err());
        assert_eq!(Requirement::at_least(21, 3).to_string(), "21.3");
    }
}
