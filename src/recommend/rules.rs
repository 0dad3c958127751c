//! The rules file: its types, loading, and the checks serde cannot express. The format itself
//! is documented at the top of `rules/default.toml`, the file users copy to start their own.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::Error;
use crate::input_file;
use crate::recommend::answers::{Answers, Load, Priority, Team, UseCase};
use crate::stack::Stack;
use crate::text;

/// The rules stackgen ships, printed by `stackgen rules`.
pub const EMBEDDED: &str = include_str!("../../rules/default.toml");

/// Points above this are refused: they would drown every other rule, and the cap keeps any
/// sum a 1 MiB file can produce far inside `u32`.
pub const MAX_POINTS: u32 = 100;

const WHAT: &str = "rules file";

/// One of the nine criteria of the comparison every rule must cite.
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
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Criterion {
    Architecture,
    Speed,
    Scalability,
    Extensibility,
    Libraries,
    UseCases,
    Community,
    Popularity,
    EaseOfLearning,
}

/// A validated rule set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub(super) settings: Settings,
    #[serde(rename = "rule", default)]
    pub(super) rules: Vec<Rule>,
}

/// How scores turn into a verdict.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Settings {
    /// A margin of at most this many points is a close call, settled by the tie-breakers.
    pub(super) close_margin: Points,
    /// The stack a team's language points to, the first tie-breaker.
    #[serde(default)]
    pub(super) team_language: BTreeMap<Team, Stack>,
    /// Every stack once: the last tie-breaker, for scores nothing else separates.
    pub(super) stack_order: Spanned<Vec<Stack>>,
}

/// One declarative rule: when the answers match, award points on a criterion, for a reason.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Rule {
    pub(super) criterion: Criterion,
    #[serde(default)]
    pub(super) when: Condition,
    pub(super) points: Spanned<BTreeMap<Stack, Points>>,
    pub(super) why: Why,
}

/// Which answers a rule applies to: every listed key must match (a key matches when the answer
/// is one of its values; `priority` when any priority is). No keys: the rule always applies.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Condition {
    use_case: Option<AnyOf<UseCase>>,
    team: Option<AnyOf<Team>>,
    priority: Option<AnyOf<Priority>>,
    load: Option<AnyOf<Load>>,
}

impl Condition {
    pub(super) fn matches(&self, answers: &Answers) -> bool {
        fn admits<T: PartialEq>(list: Option<&AnyOf<T>>, answer: Option<&T>) -> bool {
            list.is_none_or(|list| answer.is_some_and(|answer| list.0.contains(answer)))
        }
        admits(self.use_case.as_ref(), answers.use_case.as_ref())
            && admits(self.team.as_ref(), answers.team.as_ref())
            && admits(self.load.as_ref(), answers.load.as_ref())
            && self.priority.as_ref().is_none_or(|list| {
                answers
                    .priorities
                    .iter()
                    .any(|priority| list.0.contains(priority))
            })
    }
}

/// A non-empty list of answer values; an empty one would silently match nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "Vec<T>", bound = "T: Deserialize<'de>")]
struct AnyOf<T>(Vec<T>);

impl<T> TryFrom<Vec<T>> for AnyOf<T> {
    type Error = String;

    fn try_from(values: Vec<T>) -> Result<Self, String> {
        if values.is_empty() {
            Err("an empty list never matches; remove the key to match every answer".into())
        } else {
            Ok(AnyOf(values))
        }
    }
}

/// A whole number of points, 0 to [`MAX_POINTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub(super) struct Points(pub(super) u32);

impl TryFrom<i64> for Points {
    type Error = String;

    fn try_from(value: i64) -> Result<Self, String> {
        u32::try_from(value)
            .ok()
            .filter(|&points| points <= MAX_POINTS)
            .map(Points)
            .ok_or_else(|| {
                format!("found `{value}`, expected a whole number of points from 0 to {MAX_POINTS}")
            })
    }
}

/// The one-line reason shown to users; it is printed, so it is checked like any user text.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "String")]
pub(super) struct Why(pub(super) String);

impl TryFrom<String> for Why {
    type Error = String;

    fn try_from(why: String) -> Result<Self, String> {
        if why.trim().is_empty() {
            return Err(
                "`why` is empty; say in a few plain words why the rule awards its points".into(),
            );
        }
        text::check_line(&why).map_err(|problem| format!("`why` is not plain text: {problem}"))?;
        Ok(Why(why))
    }
}

impl Rules {
    /// The rules shipped in the binary.
    pub fn embedded() -> Result<Rules, Error> {
        Rules::parse(EMBEDDED, Path::new("rules/default.toml"))
            .map_err(|error| Error::Internal(format!("the embedded rules do not load: {error}")))
    }

    /// A user's rules file, in the embedded file's format, replacing the embedded rules.
    pub fn from_file(path: &Path) -> Result<Rules, Error> {
        Rules::parse(&input_file::read(path, WHAT)?, path)
    }

    /// The user's file when one is given, else the embedded rules.
    pub fn load(path: Option<&Path>) -> Result<Rules, Error> {
        path.map_or_else(Rules::embedded, Rules::from_file)
    }

    /// Parses and checks `text`; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Rules, Error> {
        let invalid = |offset: usize, problem: &str| {
            input_file::invalid_at(WHAT, path, text, offset, problem)
        };
        let rules: Rules = toml::from_str(text)
            .map_err(|error| invalid(error.span().map_or(0, |span| span.start), error.message()))?;
        rules
            .check()
            .map_err(|(offset, problem)| invalid(offset, &problem))?;
        Ok(rules)
    }

    /// The checks that need more than one value at a time; errors carry a byte offset.
    fn check(&self) -> Result<(), (usize, String)> {
        let order = &self.settings.stack_order;
        for stack in Stack::ALL {
            let count = order.get_ref().iter().filter(|&&s| s == stack).count();
            if count != 1 {
                return Err((
                    order.span().start,
                    format!(
                        "`stack_order` must name every stack once; it names `{stack}` {count} times"
                    ),
                ));
            }
        }
        if self.rules.is_empty() {
            return Err((0, "the file has no `[[rule]]`".into()));
        }
        for rule in &self.rules {
            if rule.points.get_ref().values().all(|points| points.0 == 0) {
                return Err((
                    rule.points.span().start,
                    "the rule awards no points; give at least one stack a point or remove the rule"
                        .into(),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;
    use crate::recommend::recommend;

    const SETTINGS: &str = "[settings]\nclose_margin = 1\nstack_order = [\"node\", \"flask\"]\n\n";

    /// A rules text: valid settings, then `rule` (which starts on line 5).
    fn with_rule(rule: &str) -> String {
        format!("{SETTINGS}{rule}")
    }

    fn error_for(text: &str) -> String {
        Rules::parse(text, Path::new("my.toml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn the_embedded_rules_load_and_cite_all_nine_criteria() {
        let rules = Rules::embedded().unwrap();
        for criterion in Criterion::value_variants() {
            assert!(
                rules.rules.iter().any(|rule| rule.criterion == *criterion),
                "no rule cites {criterion:?}"
            );
        }
    }

    #[test]
    fn a_valid_override_changes_the_verdict() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        std::fs::write(
            &path,
            with_rule(
                "[[rule]]\ncriterion = \"community\"\nwhen = { team = [\"javascript\"] }\n\
                 points = { flask = 5 }\nwhy = \"our company hires Python developers\"\n",
            ),
        )
        .unwrap();
        let answers = Answers {
            use_case: Some(UseCase::Realtime),
            team: Some(Team::Javascript),
            ..Answers::default()
        };
        let embedded = recommend(&Rules::embedded().unwrap(), &answers);
        let mine = recommend(&Rules::from_file(&path).unwrap(), &answers);
        assert_eq!(embedded.stack, Stack::Node);
        assert_eq!(mine.stack, Stack::Flask);
        assert_eq!(mine.reasons[0].why, "our company hires Python developers");
        assert_eq!(
            (mine.scores.node, mine.scores.flask, mine.margin),
            (0, 5, 5)
        );
    }

    /// Each malformed file is refused at `my.toml:LINE:COL` with words saying what is wrong.
    #[test]
    fn malformed_rules_are_refused_with_line_column_and_problem() {
        let rule = |body: &str| with_rule(&format!("[[rule]]\n{body}"));
        let valid = "criterion = \"speed\"\npoints = { node = 1 }\nwhy = \"fast\"\n";
        let cases: Vec<(String, &str, &str)> = vec![
            (
                "[settings\n".into(),
                "my.toml:1:",
                "unclosed table, expected `]`",
            ),
            (
                rule("critrion = \"speed\"\npoints = { node = 1 }\nwhy = \"fast\"\n"),
                "my.toml:6:1",
                "unknown field `critrion`",
            ),
            (
                rule("criterion = \"sped\"\npoints = { node = 1 }\nwhy = \"fast\"\n"),
                "my.toml:6:13",
                "unknown variant `sped`, expected one of `architecture`",
            ),
            (
                rule(&format!(
                    "{valid}when = {{ use_case = [\"ml\", \"realtim\"] }}\n"
                )),
                "my.toml:9:",
                "unknown variant `realtim`, expected one of `realtime`, `streaming`",
            ),
            (
                rule(&format!("{valid}when = {{ team = [\"rust\"] }}\n")),
                "my.toml:9:",
                "`javascript`, `python`, `both`, `none`",
            ),
            (
                rule(&format!("{valid}when = {{ load = [] }}\n")),
                "my.toml:9:",
                "an empty list never matches",
            ),
            (
                rule(&format!("{valid}when = {{ langauge = [\"rust\"] }}\n")),
                "my.toml:9:",
                "unknown field `langauge`",
            ),
            (
                rule("criterion = \"speed\"\npoints = { node = -2 }\nwhy = \"fast\"\n"),
                "my.toml:7:19",
                "found `-2`, expected a whole number of points from 0 to 100",
            ),
            (
                rule("criterion = \"speed\"\npoints = { node = 101 }\nwhy = \"fast\"\n"),
                "my.toml:7:19",
                "from 0 to 100",
            ),
            (
                rule("criterion = \"speed\"\npoints = { node = 1.5 }\nwhy = \"fast\"\n"),
                "my.toml:7:19",
                "invalid type: floating point `1.5`",
            ),
            (
                rule("criterion = \"speed\"\npoints = { django = 1 }\nwhy = \"fast\"\n"),
                "my.toml:7:",
                "unknown variant `django`, expected `node` or `flask`",
            ),
            (
                rule("criterion = \"speed\"\npoints = { node = 0 }\nwhy = \"fast\"\n"),
                "my.toml:7:10",
                "the rule awards no points",
            ),
            (
                rule("criterion = \"speed\"\npoints = { node = 1 }\nwhy = \"  \"\n"),
                "my.toml:8:7",
                "`why` is empty",
            ),
            (
                rule("criterion = \"speed\"\npoints = { node = 1 }\nwhy = \"a\\nb\"\n"),
                "my.toml:8:7",
                "it must be one line",
            ),
            (
                rule("criterion = \"speed\"\npoints = { node = 1 }\nwhy = \"\\u001b[31mred\"\n"),
                "my.toml:8:7",
                "control or invisible character",
            ),
            (
                rule("criterion = \"speed\"\npoints = { node = 1 }\n"),
                "my.toml:5:1",
                "missing field `why`",
            ),
            (
                rule("criterion = \"speed\"\ncriterion = \"speed\"\npoints = { node = 1 }\n"),
                "my.toml:7:1",
                "duplicate key",
            ),
            (
                rule("criterion = \"\\u001b[2J\"\npoints = { node = 1 }\nwhy = \"fast\"\n"),
                "my.toml:6:13",
                "unknown variant `\\u{1b}[2J`",
            ),
            (SETTINGS.into(), "my.toml:1:1", "the file has no `[[rule]]`"),
            (
                format!(
                    "[settings]\nclose_margin = 1\nstack_order = [\"node\", \"node\"]\n\n[[rule]]\n{valid}"
                ),
                "my.toml:3:15",
                "`stack_order` must name every stack once; it names `node` 2 times",
            ),
            (
                format!(
                    "[settings]\nclose_margin = 1\nclose_margn = 2\nstack_order = [\"node\", \"flask\"]\n[[rule]]\n{valid}"
                ),
                "my.toml:3:1",
                "unknown field `close_margn`",
            ),
            (
                format!(
                    "[settings]\nclose_margin = 1\nteam_language = {{ javascript = \"deno\" }}\nstack_order = [\"node\", \"flask\"]\n[[rule]]\n{valid}"
                ),
                "my.toml:3:",
                "unknown variant `deno`",
            ),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(text, location, problem)| {
                let error = error_for(text);
                let good = error.starts_with("invalid rules file `my.toml:")
                    && error.contains(location)
                    && error.contains(problem)
                    && !error.contains('\n');
                (!good).then(|| format!("want {location} {problem}\n got {error}\n for:\n{text}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    #[test]
    fn an_unreadable_rules_file_names_the_path() {
        let error = Rules::from_file(Path::new("/nonexistent/rules.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("cannot read rules file `/nonexistent/rules.toml`"),
            "{error}"
        );
    }
}
