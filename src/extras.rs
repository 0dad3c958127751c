//! The optional pieces a team adds to a project: a license, a CI workflow, a container, notes
//! for coding agents.

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
    /// Whether to add `AGENTS.md` (from template revision 3; on unless `--no-agents`).
    pub agents: bool,
    /// Whether `--ci github` also adds the update bot's workflow (from template revision 3; on
    /// unless `--no-update-bot`).
    pub update_bot: bool,
    /// The copyright year of the license, recorded so a rerun reproduces the same bytes.
    pub year: u16,
}

/// The earliest and latest copyright years accepted.
pub const YEARS: std::ops::RangeInclusive<u16> = 1970..=9999;

/// This year in UTC, from `SOURCE_DATE_EPOCH` when set, else the clock.
pub fn current_year() -> u16 {
    u16::try_from(crate::date::Day::today().civil().0).unwrap_or(u16::MAX)
}
