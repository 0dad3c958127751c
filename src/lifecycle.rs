//! The runtimes' release lines and their life cycles (`data/runtimes.toml`, embedded): which
//! phase of support a Node.js or Python version is in on a given day.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::date::Day;

const DATA: &str = include_str!("../data/runtimes.toml");

/// How many days before its end of life a line gets a note.
pub const NOTE_DAYS: i64 = 90;
/// How long after `as_of` the dates are trusted before doctor says they may be stale.
const STALE_AFTER_DAYS: i64 = 548;

/// A runtime with a life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    Node,
    Python,
}

/// The phase of support a line is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    /// Node.js Current or Active LTS; Python bugfix releases.
    Active,
    /// Node.js Maintenance LTS: critical fixes only.
    Maintenance,
    /// Python security fixes only.
    Security,
    /// No fixes at all.
    Eol,
}

/// One release line, as in the data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// `22`, `3.12`.
    pub line: String,
    pub released: String,
    /// Node.js: when the line became Active LTS.
    pub lts: Option<String>,
    /// Node.js: when it moved to Maintenance LTS.
    pub maintenance: Option<String>,
    /// Python: when bugfix releases ended.
    pub security: Option<String>,
    pub eol: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Data {
    pub as_of: String,
    pub node: Vec<Line>,
    pub python: Vec<Line>,
}

/// The embedded data; the tests check it parses and is consistent.
pub fn data() -> &'static Data {
    static DATA_PARSED: OnceLock<Data> = OnceLock::new();
    DATA_PARSED.get_or_init(|| {
        toml::from_str(DATA).unwrap_or_else(|error| panic!("data/runtimes.toml: {error}"))
    })
}

fn day(text: &str) -> Day {
    Day::parse(text).unwrap_or_else(|| panic!("data/runtimes.toml: bad date `{text}`"))
}

/// Where one version stands on `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub line: &'static str,
    pub support: Support,
    pub eol: Day,
}

impl Line {
    fn support_on(&self, today: Day) -> Support {
        let reached =
            |date: &Option<String>| date.as_deref().is_some_and(|date| day(date) <= today);
        if day(&self.eol) <= today {
            Support::Eol
        } else if reached(&self.maintenance) {
            Support::Maintenance
        } else if reached(&self.security) {
            Support::Security
        } else {
            Support::Active
        }
    }
}

/// The line of `runtime` that `major.minor` belongs to, if the data knows it.
pub fn line(runtime: Runtime, major: u64, minor: u64) -> Option<&'static Line> {
    let name = match runtime {
        Runtime::Node => major.to_string(),
        Runtime::Python => format!("{major}.{minor}"),
    };
    lines(runtime).iter().find(|line| line.line == name)
}

pub fn lines(runtime: Runtime) -> &'static [Line] {
    match runtime {
        Runtime::Node => &data().node,
        Runtime::Python => &data().python,
    }
}

/// Where `major.minor` of `runtime` stands on `today`; `None` for a line the data does not
/// know (newer than the data, or older than any line listed).
pub fn standing(runtime: Runtime, major: u64, minor: u64, today: Day) -> Option<Standing> {
    let line = line(runtime, major, minor)?;
    Some(Standing {
        line: &line.line,
        support: line.support_on(today),
        eol: day(&line.eol),
    })
}

/// The lines maintained on `today`, oldest first: what to tell a user to install.
pub fn maintained(runtime: Runtime, today: Day) -> Vec<&'static str> {
    lines(runtime)
        .iter()
        .filter(|line| day(&line.released) <= today && line.support_on(today) != Support::Eol)
        // Odd Node.js lines before 27 are short-lived Current releases, never LTS.
        .filter(|line| runtime != Runtime::Node || line.lts.is_some())
        .map(|line| line.line.as_str())
        .collect()
}

/// The line to tell a user to install on `today`: the newest in active support (for
/// Node.js, the newest Active LTS), so a hint never leads to a line nearing its end.
pub fn recommended(runtime: Runtime, today: Day) -> &'static str {
    lines(runtime)
        .iter()
        .filter(|line| day(&line.released) <= today && line.support_on(today) == Support::Active)
        .filter(|line| {
            runtime != Runtime::Node || line.lts.as_deref().is_some_and(|lts| day(lts) <= today)
        })
        .map(|line| line.line.as_str())
        .next_back()
        .or_else(|| maintained(runtime, today).last().copied())
        .unwrap_or("the newest")
}

/// A note when the data is more than 18 months old on `today`.
pub fn stale_note(today: Day) -> Option<String> {
    let as_of = day(&data().as_of);
    (today.0 - as_of.0 > STALE_AFTER_DAYS).then(|| {
        format!(
            "the end-of-life dates stackgen knows are from {as_of}; they may be stale: \
             upgrade stackgen for newer ones"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn the_data_parses_and_its_dates_are_in_order() {
        for runtime in [Runtime::Node, Runtime::Python] {
            for line in lines(runtime) {
                let mut dates = vec![day(&line.released)];
                dates.extend(line.lts.as_deref().map(day));
                dates.extend(line.security.as_deref().map(day));
                dates.extend(line.maintenance.as_deref().map(day));
                dates.push(day(&line.eol));
                assert!(
                    dates.windows(2).all(|pair| pair[0] < pair[1]),
                    "{}",
                    line.line
                );
            }
        }
        day(&data().as_of);
    }

    #[test]
    fn support_before_on_and_after_end_of_life() {
        let node = |date| standing(Runtime::Node, 18, 20, on(date)).unwrap().support;
        assert_eq!(node("2023-10-17"), Support::Active);
        assert_eq!(node("2023-10-18"), Support::Maintenance);
        assert_eq!(node("2025-04-29"), Support::Maintenance);
        assert_eq!(node("2025-04-30"), Support::Eol);
        assert_eq!(node("2026-12-05"), Support::Eol);
        let python = |date| standing(Runtime::Python, 3, 10, on(date)).unwrap().support;
        assert_eq!(python("2023-04-04"), Support::Active);
        assert_eq!(python("2023-04-05"), Support::Security);
        assert_eq!(python("2026-10-30"), Support::Security);
        assert_eq!(python("2026-10-31"), Support::Eol);
        let twenty = standing(Runtime::Node, 20, 0, on("2026-12-05")).unwrap();
        assert_eq!(
            (twenty.support, twenty.eol),
            (Support::Eol, on("2026-04-30"))
        );
        assert_eq!(standing(Runtime::Node, 99, 0, on("2026-12-05")), None);
    }

    #[test]
    fn maintained_lines_today() {
        assert_eq!(
            maintained(Runtime::Node, on("2026-12-05")),
            ["22", "24", "26"]
        );
        assert_eq!(
            maintained(Runtime::Python, on("2026-12-05")),
            ["3.11", "3.12", "3.13", "3.14", "3.15"]
        );
    }

    #[test]
    fn old_data_gets_a_note() {
        assert_eq!(stale_note(on("2027-06-01")), None);
        assert!(
            stale_note(on("2028-12-01"))
                .unwrap()
                .contains("may be stale")
        );
    }
}
