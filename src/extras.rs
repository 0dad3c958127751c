//! The optional pieces a team adds to a project: a license, a CI workflow, a container.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The license to ship with the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize, Deserialize)]
pub enum License {
    /// The MIT license.
    #[value(name = "MIT")]
    #[serde(rename = "MIT")]
    Mit,
    /// The Apache License 2.0.
    #[value(name = "Apache-2.0")]
    #[serde(rename = "Apache-2.0")]
    Apache2,
    /// No license file; the package is marked `UNLICENSED`.
    #[default]
    #[value(name = "none")]
    #[serde(rename = "none")]
    None,
}

impl License {
    /// The SPDX identifier, when there is a license.
    pub fn spdx(self) -> Option<&'static str> {
        match self {
            License::Mit => Some("MIT"),
            License::Apache2 => Some("Apache-2.0"),
            License::None => None,
        }
    }
}

/// The CI service to generate a workflow for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ci {
    /// A GitHub Actions workflow that installs the toolchain and runs the tests.
    Github,
    /// No CI workflow.
    #[default]
    None,
}

/// The extras chosen for one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extras {
    /// The license file and manifest field.
    pub license: License,
    /// The CI workflow.
    pub ci: Ci,
    /// Whether to add a production `Dockerfile` and `.dockerignore`.
    pub docker: bool,
    /// The copyright year of the license, recorded so a rerun reproduces the same bytes.
    pub year: u16,
}

/// The earliest and latest copyright years accepted.
pub const YEARS: std::ops::RangeInclusive<u16> = 1970..=9999;

/// This year in UTC, from `SOURCE_DATE_EPOCH` when set (reproducible builds' convention),
/// else the clock.
pub fn current_year() -> u16 {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|value| value.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs())
        });
    year_of_day(seconds / 86_400)
}

/// The Gregorian year of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn year_of_day(days: u64) -> u16 {
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let year = year_of_era + era * 400 + u64::from(month_index >= 10);
    u16::try_from(year).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_of_known_days() {
        assert_eq!(year_of_day(0), 1970);
        assert_eq!(year_of_day(365), 1971);
        // 2024-12-31 and 2025-01-01.
        assert_eq!(year_of_day(20_088), 2024);
        assert_eq!(year_of_day(20_089), 2025);
        // 2000-02-29, a leap day in a century year.
        assert_eq!(year_of_day(11_016), 2000);
    }
}
