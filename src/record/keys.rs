//! The one table of answer keys. Answers files, `.stackgen.toml`, `update --set` and "which
//! answers changed" all go through it: adding a key is one entry here plus its field.

use clap::ValueEnum;
use serde_json::Value;

use crate::extras::{self, Ci, License};
use crate::inputs::Inputs;
use crate::project::Project;
use crate::recommend::Priority;
use crate::recommend::answers::value_name;
use crate::stack::{Lang, Stack, StackChoice};

/// What `update --set` may do with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    /// Change it.
    Allowed,
    /// Nothing: it is what the project is (`name`, `stack`); that takes a new project.
    Identity,
    /// Nothing: a list (`--answers` changes it), or stackgen's own bookkeeping.
    Refused,
}

/// One key of an answers file and of `.stackgen.toml`.
pub struct AnswerKey {
    pub name: &'static str,
    /// What `update --set` may do with it.
    pub set: Set,
    /// An answer about the project, compared by `update`; the revision and the version that
    /// wrote the record are bookkeeping.
    pub answer: bool,
    /// Takes the key's value into `inputs`, or says what was expected.
    read: fn(&mut Inputs, &Value) -> Result<(), String>,
    /// The value `.stackgen.toml` records for a project rendered at a revision; `None` leaves
    /// the key out.
    recorded: fn(&Project, u32) -> Option<Recorded>,
}

/// A recorded value, typed, so that records compare as values and not as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Text(String),
    Integer(i64),
    Boolean(bool),
    List(Vec<String>),
}

impl Recorded {
    pub fn to_toml(&self) -> toml_edit::Value {
        match self {
            Recorded::Text(text) => text.as_str().into(),
            Recorded::Integer(number) => (*number).into(),
            Recorded::Boolean(flag) => (*flag).into(),
            Recorded::List(items) => items.iter().map(String::as_str).collect(),
        }
    }
}

fn text(value: impl Into<String>) -> Option<Recorded> {
    Some(Recorded::Text(value.into()))
}

fn choice_text(value: impl ValueEnum) -> Option<Recorded> {
    text(value_name(value))
}

/// Every key, in the order `.stackgen.toml` writes them. There is no key for the output
/// directory: where to write is the operator's choice, never the file's.
pub const KEYS: &[AnswerKey] = &[
    AnswerKey {
        name: "name",
        set: Set::Identity,
        answer: true,
        read: |inputs, value| string(value).map(|name| inputs.name = Some(name)),
        recorded: |project, _| text(project.name.name.as_str()),
    },
    AnswerKey {
        name: "description",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| string(value).map(|text| inputs.description = Some(text)),
        recorded: |project, _| {
            (!project.description.is_empty()).then(|| Recorded::Text(project.description.clone()))
        },
    },
    AnswerKey {
        name: "author",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| string(value).map(|author| inputs.author = Some(author)),
        recorded: |project, _| {
            project
                .author
                .as_ref()
                .and_then(|author| text(author.to_string()))
        },
    },
    AnswerKey {
        name: "stack",
        set: Set::Identity,
        answer: true,
        read: |inputs, value| choice::<StackChoice>(value).map(|stack| inputs.stack = Some(stack)),
        recorded: |project, _| text(project.stack.id()),
    },
    AnswerKey {
        name: "lang",
        // JavaScript or TypeScript is a different project, as the stack is.
        set: Set::Identity,
        answer: true,
        read: |inputs, value| choice::<Lang>(value).map(|lang| inputs.lang = Some(lang)),
        // Recorded from revision 3, the first with a choice; a record without it is `js`.
        recorded: |project, revision| {
            (project.stack == Stack::Node && revision >= 3)
                .then(|| Recorded::Text(value_name(project.lang)))
        },
    },
    AnswerKey {
        name: "use_case",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| {
            choice(value).map(|use_case| inputs.answers.use_case = Some(use_case))
        },
        recorded: |project, _| project.answers.use_case.and_then(choice_text),
    },
    AnswerKey {
        name: "team",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| choice(value).map(|team| inputs.answers.team = Some(team)),
        recorded: |project, _| project.answers.team.and_then(choice_text),
    },
    AnswerKey {
        name: "priorities",
        // A list: `--set` takes one value, so priorities change through `--answers`.
        set: Set::Refused,
        answer: true,
        read: |inputs, value| match value {
            Value::Array(items) => items
                .iter()
                .map(choice)
                .collect::<Result<_, _>>()
                .map(|priorities| inputs.answers.priorities = priorities),
            other => Err(format!(
                "expected a list such as [\"learning\"], found {}; {}",
                type_name(other),
                choices_of::<Priority>()
            )),
        },
        recorded: |project, _| {
            let priorities = &project.answers.priorities;
            (!priorities.is_empty())
                .then(|| Recorded::List(priorities.iter().map(|p| value_name(*p)).collect()))
        },
    },
    AnswerKey {
        name: "load",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| choice(value).map(|load| inputs.answers.load = Some(load)),
        recorded: |project, _| project.answers.load.and_then(choice_text),
    },
    AnswerKey {
        name: "port",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| integer(value, 1..=65_535).map(|port| inputs.port = Some(port)),
        recorded: |project, _| Some(Recorded::Integer(project.port.into())),
    },
    AnswerKey {
        name: "git",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| boolean(value).map(|git| inputs.git = Some(git)),
        recorded: |project, _| Some(Recorded::Boolean(project.git)),
    },
    AnswerKey {
        name: "license",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| {
            choice::<License>(value).map(|license| inputs.license = Some(license))
        },
        recorded: |project, _| choice_text(project.extras.license),
    },
    AnswerKey {
        name: "ci",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| choice::<Ci>(value).map(|ci| inputs.ci = Some(ci)),
        recorded: |project, _| choice_text(project.extras.ci),
    },
    AnswerKey {
        name: "docker",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| boolean(value).map(|docker| inputs.docker = Some(docker)),
        recorded: |project, _| Some(Recorded::Boolean(project.extras.docker)),
    },
    AnswerKey {
        name: "agents",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| boolean(value).map(|agents| inputs.agents = Some(agents)),
        // Recorded from revision 3, the first with AGENTS.md; a record without it means `true`.
        recorded: |project, revision| {
            (revision >= 3).then_some(Recorded::Boolean(project.extras.agents))
        },
    },
    AnswerKey {
        name: "update_bot",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| boolean(value).map(|bot| inputs.update_bot = Some(bot)),
        // Recorded from revision 3, the first with the bot; a record without it means `true`.
        recorded: |project, revision| {
            (revision >= 3).then_some(Recorded::Boolean(project.extras.update_bot))
        },
    },
    AnswerKey {
        name: "year",
        set: Set::Allowed,
        answer: true,
        read: |inputs, value| integer(value, extras::YEARS).map(|year| inputs.year = Some(year)),
        recorded: |project, _| Some(Recorded::Integer(project.extras.year.into())),
    },
    AnswerKey {
        name: "template_revision",
        set: Set::Refused,
        answer: false,
        read: |inputs, value| {
            integer(value, 1..=u32::MAX).map(|revision| inputs.revision = Some(revision))
        },
        recorded: |_, revision| Some(Recorded::Integer(revision.into())),
    },
    AnswerKey {
        name: "stackgen_version",
        set: Set::Refused,
        answer: false,
        read: |inputs, value| {
            string(value).and_then(|version| {
                semver::Version::parse(&version)
                    .map(|_| inputs.written_by = Some(version))
                    .map_err(|_| "expected a version such as \"0.2.0\"".to_owned())
            })
        },
        recorded: |_, _| text(env!("CARGO_PKG_VERSION")),
    },
];

impl AnswerKey {
    /// The key called `name`, if there is one.
    pub fn find(name: &str) -> Option<&'static AnswerKey> {
        KEYS.iter().find(|key| key.name == name)
    }

    /// Takes `value` into `inputs`; the problem names the key.
    pub fn read(&self, inputs: &mut Inputs, value: &Value) -> Result<(), String> {
        (self.read)(inputs, value).map_err(|problem| format!("`{}`: {problem}", self.name))
    }

    /// Takes the text of `--set KEY=TEXT`: `true`, `false` and whole numbers as such, the
    /// rest as a string, so the checks of a file say what was expected. A key that wants a
    /// string takes the text as it is (a description `2026`).
    pub fn read_setting(&self, inputs: &mut Inputs, text: &str) -> Result<(), String> {
        let typed = match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => match text.parse::<i64>() {
                Ok(number) => Value::from(number),
                Err(_) => return self.read(inputs, &Value::String(text.to_owned())),
            },
        };
        self.read(inputs, &typed).or_else(|problem| {
            self.read(inputs, &Value::String(text.to_owned()))
                .map_err(|_| problem)
        })
    }

    /// The value recorded for `project` at `revision`.
    pub fn recorded(&self, project: &Project, revision: u32) -> Option<Recorded> {
        (self.recorded)(project, revision)
    }
}

/// The names of every key, in the record's order.
pub fn names() -> impl Iterator<Item = &'static str> {
    KEYS.iter().map(|key| key.name)
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

fn string(value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("expected a string, found {}", type_name(value)))
}

fn boolean(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("expected `true` or `false`, found {}", type_name(value)))
}

fn integer<T>(value: &Value, range: std::ops::RangeInclusive<T>) -> Result<T, String>
where
    T: TryFrom<i64> + Copy + PartialOrd + std::fmt::Display,
{
    let expected = format!(
        "expected a whole number from {} to {}",
        range.start(),
        range.end()
    );
    let number = value
        .as_i64()
        .ok_or_else(|| format!("{expected}, found {}", type_name(value)))?;
    T::try_from(number)
        .ok()
        .filter(|number| range.contains(number))
        .ok_or(expected)
}

fn choices_of<T: ValueEnum>() -> String {
    let names: Vec<String> = T::value_variants()
        .iter()
        .map(|value| value_name(value.clone()))
        .collect();
    format!("expected one of: {}", names.join(", "))
}

/// A value named by its command-line name. The refused value is not quoted: only the choices.
fn choice<T: ValueEnum + Clone>(value: &Value) -> Result<T, String> {
    let text = value
        .as_str()
        .ok_or_else(|| format!("{}, found {}", choices_of::<T>(), type_name(value)))?;
    T::from_str(text, false).map_err(|_| format!("not a valid choice; {}", choices_of::<T>()))
}
