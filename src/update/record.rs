//! A project's `.stackgen.toml`, read back as the answers and revision it was made from, and
//! `--set KEY=VALUE` applied to it.

use std::fs;
use std::io;
use std::path::Path;

use crate::answers_file;
use crate::error::Error;
use crate::inputs::Inputs;
use crate::name;
use crate::options;
use crate::project::Project;
use crate::scaffold::{Revision, revisions};

pub const RECORD: &str = ".stackgen.toml";

/// The keys `--set` may change: none of them changes what the project is.
const SETTABLE: &[&str] = &[
    "description",
    "author",
    "port",
    "git",
    "license",
    "ci",
    "docker",
    "year",
    "use_case",
    "team",
    "load",
];

/// A project as its record describes it.
#[derive(Debug, Clone)]
pub struct Record {
    pub inputs: Inputs,
    pub project: Project,
    pub revision: &'static Revision,
}

/// Reads and checks `root/.stackgen.toml`.
pub fn load(root: &Path) -> Result<Record, Error> {
    let path = root.join(RECORD);
    let not_a_project = |problem: String| Error::NotAProject {
        path: root.to_owned(),
        problem,
    };
    match fs::symlink_metadata(root) {
        Ok(metadata) if metadata.is_dir() => {}
        Ok(_) => return Err(not_a_project("it is not a directory".into())),
        Err(error) => return Err(not_a_project(error.to_string())),
    }
    match fs::symlink_metadata(&path) {
        Ok(metadata) if metadata.is_file() => {}
        Ok(_) => return Err(not_a_project(format!("`{RECORD}` is not a regular file"))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(not_a_project(format!("it has no `{RECORD}`")));
        }
        Err(error) => return Err(not_a_project(error.to_string())),
    }
    from_text(&path, &crate::input_file::read(&path, "answers file")?)
}

/// The record in `text`, read from `path` (named in errors).
pub fn from_text(path: &Path, text: &str) -> Result<Record, Error> {
    let inputs = answers_file::parse(path, text)?;
    let invalid = |problem: String| Error::InvalidRecord {
        path: path.to_owned(),
        problem,
    };
    let stack = inputs
        .stack
        .and_then(|choice| choice.stack())
        .ok_or_else(|| invalid("`stack` must be `node` or `flask`".into()))?;
    let given = inputs
        .name
        .as_deref()
        .ok_or_else(|| invalid("it has no `name`".into()))?;
    let name = name::validate(given, stack).map_err(Error::from)?;
    // A record without a revision was written by stackgen 0.1.0: revision 1.
    let number = inputs.revision.unwrap_or(1);
    let revision = revisions::find(stack, number).ok_or_else(|| Error::UnknownRevision {
        path: path.to_owned(),
        revision: number,
        written_by: inputs.written_by.clone(),
        newest: revisions::current(stack).number,
    })?;
    if inputs.year.is_none() {
        return Err(invalid("it has no `year`".into()));
    }
    inputs.answers.validate()?;
    let project = options::project_from(&inputs, stack, name)?;
    Ok(Record {
        inputs,
        project,
        revision,
    })
}

impl Record {
    /// The record with `--set KEY=VALUE` applied, checked as `new` checks its answers, at
    /// the current revision.
    pub fn with_settings(&self, settings: &[String]) -> Result<Record, Error> {
        let mut inputs = self.inputs.clone();
        for setting in settings {
            apply_setting(&mut inputs, setting)?;
        }
        let stack = self.project.stack;
        inputs.revision = Some(revisions::current(stack).number);
        let name = self.project.name.clone();
        inputs.answers.validate()?;
        Ok(Record {
            project: options::project_from(&inputs, stack, name)?,
            inputs,
            revision: revisions::current(stack),
        })
    }

    /// The answers that differ from `other`'s, as `.stackgen.toml` lines would show them.
    pub fn changed_answers(&self, other: &Record) -> Vec<(String, String)> {
        let lines = |record: &Record| -> Vec<(String, String)> {
            let text = answers_file::render(&record.project, 0);
            text.lines()
                .filter(|line| !line.starts_with('#'))
                .filter_map(|line| line.split_once(" = "))
                .filter(|(key, _)| !["template_revision", "stackgen_version"].contains(key))
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect()
        };
        let before = lines(self);
        lines(other)
            .into_iter()
            .filter(|pair| !before.contains(pair))
            .collect()
    }
}

fn apply_setting(inputs: &mut Inputs, setting: &str) -> Result<(), Error> {
    let refuse = |problem: String, help: &str| Error::InvalidValue {
        what: "--set",
        value: setting.to_owned(),
        problem,
        help: Some(help.to_owned()),
    };
    let settable = format!("the keys are: {}", SETTABLE.join(", "));
    let Some((key, value)) = setting.split_once('=') else {
        return Err(refuse("expected KEY=VALUE".into(), &settable));
    };
    match key {
        "name" | "stack" => {
            return Err(refuse(
                format!("`{key}` is the project's identity and cannot be updated"),
                &format!(
                    "make a new project with `stackgen new OTHER-DIR --answers {RECORD} --{key} \
                     NEW` and move your code into it"
                ),
            ));
        }
        _ if !SETTABLE.contains(&key) => {
            return Err(refuse(format!("`{key}` cannot be set"), &settable));
        }
        _ => {}
    }
    // The value as an answers-file line, so it is checked by the same code as a file.
    let literal = match key {
        "port" | "year" | "git" | "docker" => value.to_owned(),
        _ => toml_edit::Value::from(value).to_string(),
    };
    let parsed = answers_file::parse(Path::new("--set"), &format!("{key} = {literal}\n")).map_err(
        |error| match error {
            Error::InvalidFile { problem, .. } => refuse(problem, &settable),
            other => other,
        },
    )?;
    inputs.fill_over(parsed);
    Ok(())
}
