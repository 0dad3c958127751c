//! `stackgen update`, `diff` and `check`: re-render the base a project was made from (its
//! recorded revision and answers), render the new (the current revision with the answers plus
//! `--set`), and decide each file's fate from what the user's copy holds.

pub mod apply;

use std::fs;
use std::io;
use std::path::Path;

use git2::{MergeFileInput, MergeFileOptions};

use crate::error::Error;
use crate::record::{self, Record};
use crate::scaffold::{self, PlannedFile, revisions};
use crate::stack::Stack;

/// What `update` does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to do: the user's copy already is the new version.
    Unchanged,
    /// The user left it as generated: replaced by the new version.
    Updated,
    /// Both sides changed it: merged without conflict.
    Merged,
    /// Both sides changed the same lines: written with conflict markers.
    Conflict,
    /// New in this revision or from a changed answer.
    Added,
    /// Gone from the new revision, and the user had left it unchanged.
    Removed,
    /// Left as it is: gone from the new revision but edited, or not a regular file.
    Kept,
    /// The user deleted it: it stays deleted.
    KeptDeleted,
}

impl Outcome {
    /// The name people and `--json` see.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Unchanged => "unchanged",
            Outcome::Updated => "updated",
            Outcome::Merged => "merged",
            Outcome::Conflict => "conflict",
            Outcome::Added => "added",
            Outcome::Removed => "removed",
            Outcome::Kept => "kept",
            Outcome::KeptDeleted => "kept-deleted",
        }
    }

    /// Whether the outcome changes the disk.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Outcome::Updated
                | Outcome::Merged
                | Outcome::Conflict
                | Outcome::Added
                | Outcome::Removed
        )
    }
}

impl serde::Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One file of the plan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileChange {
    pub path: String,
    pub outcome: Outcome,
    /// The user's bytes today; `None` when there is no regular file.
    #[serde(skip)]
    pub current: Option<Vec<u8>>,
    /// What the file will hold; `None` when it is removed or left alone.
    #[serde(skip)]
    pub contents: Option<Vec<u8>>,
    /// The user's bytes are exactly what the recorded revision rendered: stackgen's own.
    #[serde(skip)]
    pub as_generated: bool,
    /// Why a file is kept, or where a removed one moved, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Everything `update` would do.
#[derive(Debug)]
pub struct Plan {
    pub stack: Stack,
    pub from: u32,
    pub to: u32,
    /// The answers `--set` changed: (key, value as recorded).
    pub changed: Vec<(String, String)>,
    pub files: Vec<FileChange>,
}

impl Plan {
    /// The files applying it writes or removes.
    pub fn written(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|file| file.outcome.writes())
    }

    /// Whether applying it would change nothing.
    pub fn is_up_to_date(&self) -> bool {
        self.written().next().is_none()
    }

    pub fn conflicts(&self) -> impl Iterator<Item = &FileChange> {
        self.files
            .iter()
            .filter(|file| file.outcome == Outcome::Conflict)
    }
}

/// What is at a project path today.
enum OnDisk {
    Missing,
    File(Vec<u8>),
    /// A link, a directory or anything else that is not a regular file: never followed.
    Other,
}

fn on_disk(root: &Path, relative: &str) -> Result<OnDisk, Error> {
    let path = root.join(relative);
    // Every component is checked, so a linked directory on the way is never followed.
    let mut walked = root.to_path_buf();
    for component in relative.split('/') {
        walked.push(component);
        match fs::symlink_metadata(&walked) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
            Err(source) => return Err(Error::Write { path, source }),
            Ok(metadata) if metadata.file_type().is_symlink() => return Ok(OnDisk::Other),
            Ok(metadata) if walked == path && !metadata.is_file() => return Ok(OnDisk::Other),
            Ok(_) => {}
        }
    }
    fs::read(&path)
        .map(OnDisk::File)
        .map_err(|source| Error::CannotRead {
            what: "project file",
            path,
            problem: source.to_string(),
        })
}

/// Plans the update of the project at `root` from `record` to the current revision with
/// Loads the project at `root` and plans its update with `settings` (and an answers file).
pub fn planned(root: &Path, settings: &[String], answers: Option<&Path>) -> Result<Plan, Error> {
    let record = record::load(root)?;
    let mut changed = record.clone();
    if let Some(path) = answers {
        let file = record::read_answers(path)?;
        // A `lang` equal to the project's is no change (a record copied from another project).
        let other_lang = file.lang.is_some_and(|lang| lang != record.project.lang);
        if file.name.is_some() || file.stack.is_some() || other_lang {
            return Err(Error::InvalidValue {
                what: "answers file",
                value: path.to_string_lossy().into_owned(),
                problem: "it sets `name`, `stack` or another `lang`, the project's identity".into(),
                help: Some("make a new project with `stackgen new` instead".into()),
            });
        }
        changed.inputs.fill_over(file);
    }
    let new = changed.with_settings(settings)?;
    plan(root, &record, &new)
}

/// `new_record`'s answers. Reads the project; writes nothing.
pub fn plan(root: &Path, record: &Record, new_record: &Record) -> Result<Plan, Error> {
    let base = scaffold::render_revision(&record.project, record.revision)?;
    let to = revisions::current(new_record.project.stack);
    let new = scaffold::render_revision(&new_record.project, to)?;
    let mut paths: Vec<&str> = new.iter().map(|file| file.path.as_str()).collect();
    for file in &base {
        if !paths.contains(&file.path.as_str()) {
            paths.push(&file.path);
        }
    }
    let find = |files: &[PlannedFile], path: &str| {
        files
            .iter()
            .find(|file| file.path == path)
            .map(|file| file.contents.clone())
    };
    let label = format!("stackgen revision {}", to.number);
    // Files the new revision moved: (old path, new path).
    let moves: Vec<(&str, String)> = to
        .files
        .iter()
        .filter(|spec| spec.when.holds(&new_record.project))
        .filter_map(|spec| Some((spec.replaces.as_deref()?, spec.path_in(&new_record.project))))
        .collect();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let (base, new) = (find(&base, path), find(&new, path));
        let disk = on_disk(root, path)?;
        let (outcome, contents, reason) = decide(path, base.as_deref(), new, &disk, &label)?;
        let moved_to = moves
            .iter()
            .find(|(old, _)| *old == path)
            .map(|(_, new)| new.as_str());
        let reason = match (outcome, moved_to) {
            (Outcome::Removed, Some(new)) => Some(format!("moved to `{new}`")),
            (Outcome::Kept, Some(new)) if base.is_some() && matches!(disk, OnDisk::File(_)) => {
                Some(format!(
                    "moved to `{new}` by revision {}, but edited: left as it is; carry your \
                     changes over to `{new}`, then delete `{path}`",
                    to.number
                ))
            }
            _ => reason.map(str::to_owned),
        };
        let as_generated =
            matches!((&disk, &base), (OnDisk::File(bytes), Some(base)) if bytes == base);
        files.push(FileChange {
            path: path.to_owned(),
            outcome,
            as_generated,
            current: match disk {
                OnDisk::File(bytes) => Some(bytes),
                _ => None,
            },
            contents,
            reason,
        });
    }
    Ok(Plan {
        stack: new_record.project.stack,
        from: record.revision.number,
        to: to.number,
        changed: record.changed_answers(new_record),
        files,
    })
}

type Decision = (Outcome, Option<Vec<u8>>, Option<&'static str>);

fn decide(
    path: &str,
    base: Option<&[u8]>,
    new: Option<Vec<u8>>,
    disk: &OnDisk,
    label: &str,
) -> Result<Decision, Error> {
    let user = match disk {
        OnDisk::Other => {
            return Ok((
                Outcome::Kept,
                None,
                Some("not a regular file (a link or a directory): left as it is"),
            ));
        }
        OnDisk::Missing => None,
        OnDisk::File(bytes) => Some(bytes.as_slice()),
    };
    // The record is stackgen's own: always the new answers.
    if path == ".stackgen.toml" {
        return Ok(match (user, new) {
            (Some(user), Some(new)) if user == new.as_slice() => (Outcome::Unchanged, None, None),
            (Some(_), new) => (Outcome::Updated, new, None),
            (None, new) => (Outcome::Added, new, None),
        });
    }
    Ok(match (base, new, user) {
        (_, Some(new), Some(user)) if user == new.as_slice() => (Outcome::Unchanged, None, None),
        // The templates did not change this file: the user's version stands, edits and all.
        (Some(base), Some(new), Some(_)) if base == new.as_slice() => {
            (Outcome::Unchanged, None, None)
        }
        (Some(base), Some(new), Some(user)) if user == base => (Outcome::Updated, Some(new), None),
        (Some(base), Some(new), Some(user)) => merge(path, base, user, &new, label)?,
        (Some(_), Some(_), None) => (Outcome::KeptDeleted, None, None),
        (None, Some(new), None) => (Outcome::Added, Some(new), None),
        // A file of the user's own where the new revision adds one: both sides are kept.
        (None, Some(new), Some(user)) => merge(path, b"", user, &new, label)?,
        (Some(base), None, Some(user)) if user == base => (Outcome::Removed, None, None),
        (Some(_), None, Some(_)) => (
            Outcome::Kept,
            None,
            Some("no longer generated, but edited: left as it is"),
        ),
        (None, None, _) | (Some(_), None, None) => (Outcome::Unchanged, None, None),
    })
}

/// A 3-way merge by libgit2's xdiff: the user's side against the new revision's.
fn merge(path: &str, base: &[u8], user: &[u8], new: &[u8], label: &str) -> Result<Decision, Error> {
    // `git2::merge_file` does not initialise libgit2 (its allocator among others), as most of
    // git2's entry points do; creating a buffer does.
    drop(git2::Buf::new());
    let input = |contents| {
        let mut input = MergeFileInput::new();
        input
            .content(contents)
            .path(path)
            .mode(Some(git2::FileMode::Blob));
        input
    };
    let mut options = MergeFileOptions::new();
    options
        .ancestor_label("generated")
        .our_label("yours")
        .their_label(label);
    let result = git2::merge_file(&input(base), &input(user), &input(new), Some(&mut options))
        .map_err(|error| Error::Internal(format!("merging `{path}`: {}", error.message())))?;
    let outcome = if result.is_automergeable() {
        Outcome::Merged
    } else {
        Outcome::Conflict
    };
    Ok((outcome, Some(result.content().to_vec()), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(base: Option<&str>, new: Option<&str>, user: Option<&str>) -> (Outcome, String) {
        let disk = user.map_or(OnDisk::Missing, |user| OnDisk::File(user.into()));
        let (outcome, contents, _) = decide(
            "f",
            base.map(str::as_bytes),
            new.map(|new| new.as_bytes().to_vec()),
            &disk,
            "stackgen revision 2",
        )
        .unwrap();
        (
            outcome,
            String::from_utf8(contents.unwrap_or_default()).unwrap(),
        )
    }

    #[test]
    fn hostile_settings_never_panic() {
        for settings in [
            &["docker=true", "ci=github", "license=MIT"][..],
            &["port=0"],
            &["port=99999999999999999999"],
            &["description=\u{1b}[31m"],
            &["description=two\nlines"],
            &["=", "==", "name"],
            &["author=<a@b>", "year=1969"],
            &["use_case=ml", "team=python", "load=cpu-heavy"],
        ] {
            let settings: Vec<String> = settings.iter().map(|s| (*s).to_owned()).collect();
            crate::fuzzing::update_settings(&settings);
        }
    }

    #[test]
    fn each_case_has_its_outcome() {
        let (base, new) = (Some("a\nb\nc\n"), Some("a\nB\nc\n"));
        assert_eq!(outcome(base, new, base).0, Outcome::Updated);
        assert_eq!(outcome(base, new, new).0, Outcome::Unchanged);
        assert_eq!(outcome(base, new, None).0, Outcome::KeptDeleted);
        assert_eq!(outcome(None, new, None).0, Outcome::Added);
        assert_eq!(outcome(base, None, base).0, Outcome::Removed);
        assert_eq!(outcome(base, None, Some("mine\n")).0, Outcome::Kept);
        let (merged, text) = outcome(
            Some("1\n2\n3\n4\n5\n6\n"),
            Some("1\nTWO\n3\n4\n5\n6\n"),
            Some("1\n2\n3\n4\n5\nsix\n"),
        );
        assert_eq!(
            (merged, text.as_str()),
            (Outcome::Merged, "1\nTWO\n3\n4\n5\nsix\n")
        );
        let (conflict, text) = outcome(base, new, Some("a\nmine\nc\n"));
        assert_eq!(conflict, Outcome::Conflict);
        assert!(
            text.contains("<<<<<<< yours\nmine\n=======\nB\n>>>>>>> stackgen revision 2\n"),
            "{text}"
        );
    }

    /// The old-side lines a template change touches, each widened by one: a user line
    /// inserted next to a changed line is a real conflict for any 3-way merge.
    fn touched_lines(base: &[u8], new: &[u8]) -> Vec<usize> {
        let mut options = git2::DiffOptions::new();
        options.context_lines(0);
        let patch = git2::Patch::from_buffers(base, None, new, None, Some(&mut options)).unwrap();
        let mut touched = Vec::new();
        for hunk in 0..patch.num_hunks() {
            let (hunk, _) = patch.hunk(hunk).unwrap();
            let start = hunk.old_start() as usize;
            let end = start + hunk.old_lines() as usize;
            touched.extend(start.saturating_sub(1)..=end + 1);
        }
        touched
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 48,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Random answers and user lines inserted away from every line the templates change:
        /// the update merges without a conflict and keeps every user line.
        #[test]
        fn user_edits_away_from_template_changes_always_merge(
            flask in proptest::bool::ANY,
            description in "[a-zA-Z0-9 ,.'-]{0,40}",
            port in 1024u16..65535,
            license in 0usize..3,
            ci in proptest::bool::ANY,
            docker in proptest::bool::ANY,
            seeds in proptest::collection::vec(0usize..10_000, 1..6),
        ) {
            use crate::extras::{Ci, Extras, License};
            let stack = if flask { Stack::Flask } else { Stack::Node };
            let mut project = crate::scaffold::tests::project(stack, &description);
            project.port = port;
            project.extras = Extras {
                license: [License::None, License::Mit, License::Apache2][license],
                ci: if ci { Ci::Github } else { Ci::None },
                docker,
                agents: true,
                year: 2026,
            };
            let base = scaffold::render_revision(&project, revisions::find(stack, 1).unwrap()).unwrap();
            let new = scaffold::render_revision(&project, revisions::current(stack)).unwrap();
            for file in base.iter().filter(|file| file.path != ".stackgen.toml") {
                let Some(new_file) = new.iter().find(|candidate| candidate.path == file.path) else {
                    continue;
                };
                let text = String::from_utf8(file.contents.clone()).unwrap();
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                let touched = touched_lines(&file.contents, &new_file.contents);
                // 1-based line numbers before which a user line may go.
                let free: Vec<usize> = (1..=lines.len() + 1)
                    .filter(|line| !touched.contains(line) && !touched.contains(&(line - 1)))
                    .collect();
                if free.is_empty() {
                    continue;
                }
                let mut positions: Vec<usize> =
                    seeds.iter().map(|seed| free[seed % free.len()]).collect();
                positions.sort_unstable();
                positions.dedup();
                let mut user = String::new();
                let mut added = Vec::new();
                for (index, line) in lines.iter().enumerate() {
                    if positions.contains(&(index + 1)) {
                        let own = format!("user line {index} of {}\n", file.path);
                        user.push_str(&own);
                        added.push(own);
                    }
                    user.push_str(line);
                }
                if positions.contains(&(lines.len() + 1)) {
                    let own = format!("user line at the end of {}\n", file.path);
                    user.push_str(&own);
                    added.push(own);
                }
                let disk = OnDisk::File(user.clone().into_bytes());
                let (outcome, contents, _) = decide(
                    &file.path,
                    Some(&file.contents),
                    Some(new_file.contents.clone()),
                    &disk,
                    "stackgen revision 2",
                )
                .unwrap();
                proptest::prop_assert_ne!(outcome, Outcome::Conflict, "{}", file.path);
                let result = String::from_utf8(contents.unwrap_or(user.into_bytes())).unwrap();
                for own in &added {
                    proptest::prop_assert!(result.contains(own.as_str()), "{} lost {own}", file.path);
                }
                if file.contents != new_file.contents {
                    proptest::prop_assert_eq!(outcome, Outcome::Merged, "{}", file.path);
                }
            }
        }
    }
}
