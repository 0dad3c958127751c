//! What the user tells stackgen about the project: the same names on the command line, in JSON
//! and in answers files, because every one of these enums is both a clap value and serde data.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// At most this many priorities count: past three, "what matters most" stops meaning anything.
pub const MAX_PRIORITIES: usize = 3;

/// What is being built.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum UseCase {
    /// Real-time web: chat, live dashboards, notifications.
    Realtime,
    /// Data streaming.
    Streaming,
    /// A JSON API.
    Api,
    /// The backend of a single-page app.
    Spa,
    /// An e-commerce backend.
    Ecommerce,
    /// A gaming backend.
    Gaming,
    /// Data science, analysis and visualisation.
    DataScience,
    /// Machine learning and neural networks.
    Ml,
    /// Image processing.
    ImageProcessing,
    /// A business or CRUD application.
    Business,
    /// A desktop application's backend.
    Desktop,
    /// A scripting companion.
    Scripting,
}

/// The language the team already knows.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Team {
    /// JavaScript or TypeScript.
    Javascript,
    /// Python.
    Python,
    /// Both JavaScript and Python.
    Both,
    /// Neither: beginners.
    None,
}

/// What matters most.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    /// Raw speed.
    Performance,
    /// Many concurrent connections.
    Concurrency,
    /// Ease of learning and readability.
    Learning,
    /// The data and machine-learning ecosystem.
    DataEcosystem,
    /// One language from front end to back end.
    FullStack,
    /// Hiring.
    Hiring,
    /// Binding C or C++ code.
    NativeExtensions,
}

/// The expected load.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Load {
    /// A few users.
    Low,
    /// Thousands of concurrent connections.
    HighConcurrency,
    /// Heavy CPU work per request.
    CpuHeavy,
}

/// Every answer the rules can look at; all optional, so a recommendation always exists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// What is being built.
    pub use_case: Option<UseCase>,
    /// What the team knows.
    pub team: Option<Team>,
    /// What matters most: at most [`MAX_PRIORITIES`], each once.
    #[serde(default)]
    pub priorities: Vec<Priority>,
    /// The expected load.
    pub load: Option<Load>,
}

impl Answers {
    /// True when nothing was answered, so the recommendation rests on the rules' defaults alone.
    pub fn is_empty(&self) -> bool {
        self.use_case.is_none()
            && self.team.is_none()
            && self.priorities.is_empty()
            && self.load.is_none()
    }

    /// Takes from `other` every answer these lack: flags beat an answers file.
    pub fn fill_from(&mut self, other: Answers) {
        self.use_case = self.use_case.or(other.use_case);
        self.team = self.team.or(other.team);
        self.load = self.load.or(other.load);
        if self.priorities.is_empty() {
            self.priorities = other.priorities;
        }
    }

    /// Refuses repeated priorities and more than [`MAX_PRIORITIES`]: both mean the user did not
    /// say what they meant, and silently dropping one would change the verdict behind their back.
    pub fn validate(&self) -> Result<(), Error> {
        let problem = if let Some(repeated) = self
            .priorities
            .iter()
            .enumerate()
            .find_map(|(i, p)| self.priorities[..i].contains(p).then_some(p))
        {
            format!("`{}` is given more than once", value_name(*repeated))
        } else if self.priorities.len() > MAX_PRIORITIES {
            format!(
                "{} priorities are given, at most {MAX_PRIORITIES} are allowed",
                self.priorities.len()
            )
        } else {
            return Ok(());
        };
        Err(Error::InvalidValue {
            what: "priorities",
            value: self
                .priorities
                .iter()
                .map(|p| value_name(*p))
                .collect::<Vec<_>>()
                .join(", "),
            problem,
            help: Some(format!(
                "pick up to {MAX_PRIORITIES} different values for `--priority`"
            )),
        })
    }
}

/// The name a value has on the command line and in files.
pub fn value_name(value: impl clap::ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|possible| possible.get_name().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    /// Flags and files must spell every value the same way, or an answers file written from
    /// `--help` would be refused.
    fn assert_names_agree<T: ValueEnum + Serialize>() {
        for value in T::value_variants() {
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(json.as_str(), Some(value_name(value.clone()).as_str()));
        }
    }

    #[test]
    fn clap_and_serde_spell_every_value_alike() {
        assert_names_agree::<UseCase>();
        assert_names_agree::<Team>();
        assert_names_agree::<Priority>();
        assert_names_agree::<Load>();
        assert_eq!(value_name(UseCase::DataScience), "data-science");
        assert_eq!(value_name(Load::HighConcurrency), "high-concurrency");
        assert_eq!(value_name(Priority::NativeExtensions), "native-extensions");
    }

    #[test]
    fn repeated_or_too_many_priorities_are_refused() {
        let repeated = Answers {
            priorities: vec![Priority::Learning, Priority::Hiring, Priority::Learning],
            ..Answers::default()
        };
        let error = repeated.validate().unwrap_err().to_string();
        assert!(
            error.contains("`learning` is given more than once"),
            "{error}"
        );

        let four = Answers {
            priorities: vec![
                Priority::Performance,
                Priority::Concurrency,
                Priority::Learning,
                Priority::Hiring,
            ],
            ..Answers::default()
        };
        let error = four.validate().unwrap_err().to_string();
        assert!(error.contains("at most 3"), "{error}");

        let three = Answers {
            priorities: four.priorities[..3].to_vec(),
            ..Answers::default()
        };
        assert!(three.validate().is_ok());
    }

    #[test]
    fn an_answers_document_with_an_unknown_key_is_refused() {
        let parsed: Result<Answers, _> = toml::from_str("use_case = \"ml\"\nteem = \"python\"\n");
        assert!(
            parsed
                .unwrap_err()
                .message()
                .contains("unknown field `teem`")
        );
        let parsed: Answers =
            toml::from_str("use_case = \"data-science\"\npriorities = [\"learning\"]\n").unwrap();
        assert_eq!(parsed.use_case, Some(UseCase::DataScience));
        assert_eq!(parsed.priorities, vec![Priority::Learning]);
    }
}
