//! The project record, `.stackgen.toml`, and the answers files written in its format: reading
//! them, writing the record, `update --set`, and which answers changed between two records, all
//! driven by the one table of keys in [`keys`].

mod file;
mod keys;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use file::load as read_answers;
#[cfg(any(test, feature = "fuzzing"))]
pub use file::parse as parse_answers;
#[cfg(test)]
pub use keys::names as key_names;
use keys::{AnswerKey, KEYS, Set};

use crate::error::Error;
use crate::inputs::Inputs;
use crate::name;
use crate::options;
use crate::project::Project;
use crate::scaffold::{Revision, revisions};

pub const RECORD: &str = ".stackgen.toml";

/// A project as its record describes it.
#[derive(Debug, Clone)]
pub struct Record {
    pub inputs: Inputs,
    pub project: Project,
    pub revision: &'static Revision,
}

/// The project `update`, `diff` or `check` (`command`) works on: `path` itself, or with no
/// path the nearest directory at or above the current one that holds a record, as cargo and
/// git find their manifests. A `path` inside a project is refused, naming the project.
pub fn locate(path: Option<&Path>, command: &'static str) -> Result<PathBuf, Error> {
    let Some(path) = path else {
        return enclosing_project().ok_or_else(|| Error::NotAProject {
            path: ".".into(),
            problem: format!("neither it nor any directory above it holds `{RECORD}`"),
        });
    };
    if !holds_record(path)
        && let Ok(absolute) = std::path::absolute(path)
        && let Some(project) = absolute.ancestors().skip(1).find(|dir| holds_record(dir))
    {
        return Err(Error::InsideProject {
            path: path.to_owned(),
            project: project.to_owned(),
            command,
        });
    }
    Ok(path.to_owned())
}

/// The nearest directory at or above the current one that holds a record, relative to the
/// current directory (`.`, `..`, `../..`), if any.
pub fn enclosing_project() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    let up = here.ancestors().position(holds_record)?;
    Some(match up {
        0 => PathBuf::from("."),
        _ => std::iter::repeat_n("..", up).collect(),
    })
}

fn holds_record(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(RECORD)).is_ok_and(|metadata| metadata.is_file())
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
    let inputs = file::parse(path, text)?;
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

    /// The answers that `other` gives differently, each with its new value as `.stackgen.toml`
    /// writes it; an answer `other` leaves out is not listed. Both are compared as `other`'s
    /// revision records them, so a key a later revision adds (`lang`, `agents`) is a change
    /// only when its value is not the one an older record means by leaving it out.
    pub fn changed_answers(&self, other: &Record) -> Vec<(String, String)> {
        let revision = other.revision.number;
        KEYS.iter()
            .filter(|key| key.answer)
            .filter_map(|key| {
                let new = key.recorded(&other.project, revision)?;
                (key.recorded(&self.project, revision).as_ref() != Some(&new))
                    .then(|| (key.name.to_owned(), new.to_toml().to_string()))
            })
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
    let settable: Vec<&str> = KEYS
        .iter()
        .filter(|key| key.set == Set::Allowed)
        .map(|key| key.name)
        .collect();
    let settable = format!("the keys are: {}", settable.join(", "));
    let Some((name, text)) = setting.split_once('=') else {
        return Err(refuse("expected KEY=VALUE".into(), &settable));
    };
    let key = match AnswerKey::find(name) {
        Some(key) if key.set == Set::Allowed => key,
        Some(key) if key.set == Set::Identity => {
            return Err(refuse(
                format!("`{name}` is the project's identity and cannot be updated"),
                &format!(
                    "make a new project with `stackgen new OTHER-DIR --answers {RECORD} --{name} \
                     NEW` and move your code into it"
                ),
            ));
        }
        _ => return Err(refuse(format!("`{name}` cannot be set"), &settable)),
    };
    key.read_setting(inputs, text)
        .map_err(|problem| refuse(problem, &settable))
}

/// `.stackgen.toml`: every answer of this run, so `--answers` reproduces the project, then the
/// template revision it was rendered at and the stackgen that wrote it, so `update` can
/// re-create that base.
pub fn render(project: &Project, revision: u32) -> String {
    let mut document = toml_edit::DocumentMut::new();
    for key in KEYS {
        if let Some(value) = key.recorded(project, revision) {
            document.insert(key.name, toml_edit::value(value.to_toml()));
        }
    }
    format!(
        "# The answers stackgen generated this project from. To make another one like it:\n\
         #   stackgen new OTHER-DIR --answers .stackgen.toml --name OTHER-NAME\n{document}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORDED: &str = "name = \"demo\"\nstack = \"node\"\ndescription = \"A demo\"\n\
        priorities = [\"learning\"]\nport = 3000\ngit = true\nlicense = \"none\"\nci = \"none\"\n\
        docker = false\nyear = 2026\ntemplate_revision = 1\n";

    fn record() -> Record {
        from_text(Path::new(RECORD), RECORDED).unwrap()
    }

    fn refusal(setting: &str) -> String {
        match record().with_settings(&[setting.to_owned()]) {
            Err(Error::InvalidValue { problem, .. }) => problem,
            other => panic!("`{setting}` was not refused: {other:?}"),
        }
    }

    #[test]
    fn changed_answers_compare_values_not_text() {
        let before = record();
        let after = before
            .with_settings(&["docker=true".into(), "port=3000".into(), "ci=github".into()])
            .unwrap();
        assert_eq!(
            before.changed_answers(&after),
            [
                ("ci".to_owned(), "\"github\"".to_owned()),
                ("docker".to_owned(), "true".to_owned())
            ]
        );
        assert!(after.changed_answers(&after).is_empty());
    }

    #[test]
    fn settings_take_text_as_the_key_wants_it() {
        let record = record();
        let set = |setting: &str| record.with_settings(&[setting.to_owned()]).unwrap();
        assert_eq!(set("description=2026").project.description, "2026");
        assert_eq!(set("description=true").project.description, "true");
        assert_eq!(set("port=8080").project.port, 8080);
        assert!(set("docker=true").project.extras.docker);
        assert!(refusal("port=http").starts_with("`port`: expected a whole number"));
        assert!(refusal("port=0").starts_with("`port`: expected a whole number from 1"));
        assert!(refusal("docker=maybe").contains("`docker`: expected `true` or `false`"));
        assert!(refusal("license=GPL").contains("`license`: not a valid choice"));
    }

    #[test]
    fn only_answers_can_be_set() {
        assert!(refusal("name=other").contains("identity"));
        assert!(refusal("stack=flask").contains("identity"));
        for key in [
            "priorities=learning",
            "template_revision=2",
            "nokey=1",
            "=1",
        ] {
            assert!(refusal(key).contains("cannot be set"), "{key}");
        }
        assert_eq!(refusal("docker"), "expected KEY=VALUE");
    }

    #[test]
    fn the_record_writes_every_recorded_key_in_the_table_order() {
        let record = record();
        let text = render(&record.project, 1);
        let written: Vec<&str> = text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split_once(" = ").map(|(key, _)| key))
            .collect();
        // `lang`, `agents` and `update_bot` are recorded from revision 3.
        let from_3 = ["lang", "agents", "update_bot"];
        let expected: Vec<&str> = keys::names()
            .filter(|key| !["author", "use_case", "team", "load"].contains(key))
            .filter(|key| !from_3.contains(key))
            .collect();
        assert_eq!(written, expected);
        assert_eq!(
            from_text(Path::new(RECORD), &text).unwrap().project,
            record.project
        );
        let text = render(&record.project, 3);
        assert!(text.contains("\nlang = \"js\"\n") && text.contains("\nagents = true\n"));
        assert!(text.contains("\nupdate_bot = true\n"));
    }

    #[test]
    fn a_record_without_lang_or_agents_means_js_with_agents() {
        let record = record();
        assert_eq!(record.project.lang, crate::stack::Lang::Js);
        assert!(record.project.extras.agents);
        let updated = record.with_settings(&[]).unwrap();
        assert!(record.changed_answers(&updated).is_empty());
        let without = record.with_settings(&["agents=false".into()]).unwrap();
        assert!(!without.project.extras.agents);
        assert_eq!(
            record.changed_answers(&without),
            [("agents".to_owned(), "false".to_owned())]
        );
        assert!(refusal("lang=ts").contains("identity"));
    }
}
