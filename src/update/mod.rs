//! `stackgen update`, `diff` and `check`: re-render the base a project was made from (its
//! recorded revision and answers), render the new (the current revision with the answers plus
//! `--set`), and decide each file's fate from what the user's copy holds.

pub mod apply;
pub mod report;
mod text;

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
    /// Whether the file is (and stays) executable: the user's file's mode is kept; a new file
    /// gets the template's.
    #[serde(skip)]
    pub executable: bool,
    /// The user's bytes are exactly what the recorded revision rendered: stackgen's own.
    #[serde(skip)]
    pub as_generated: bool,
    /// Why a file is kept, or where a removed one moved, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a file the update could not merge (not text), the template's own change to it,
    /// `(before, after)`, for the user to apply by hand.
    #[serde(skip)]
    pub unmerged: Option<(Vec<u8>, Vec<u8>)>,
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

    /// The files the template changed that the update left as they are because it cannot
    /// merge them: the project does not fully reach the revision until a person does.
    pub fn unmerged(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|file| file.unmerged.is_some())
    }
}

/// The contents of the file at `path` among `files`, if it is one of them.
fn contents_of<'a>(files: &'a [PlannedFile], path: &str) -> Option<&'a [u8]> {
    files
        .iter()
        .find(|file| file.path == path)
        .map(|file| file.contents.as_slice())
}

/// Whether a file has an execute bit (never, where there are no modes).
fn is_executable(metadata: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
}

/// What is at a project path today.
enum OnDisk {
    Missing,
    /// A regular file: its bytes, and whether it is executable.
    File(Vec<u8>, bool),
    /// A link, a directory or anything else that is not a regular file: never followed.
    Other,
}

fn on_disk(root: &Path, relative: &str) -> Result<OnDisk, Error> {
    let path = root.join(relative);
    // Every component is checked, so a linked directory on the way is never followed.
    let mut walked = root.to_path_buf();
    let mut executable = false;
    for component in relative.split('/') {
        walked.push(component);
        match fs::symlink_metadata(&walked) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
            Err(source) => return Err(Error::Write { path, source }),
            Ok(metadata) if metadata.file_type().is_symlink() => return Ok(OnDisk::Other),
            Ok(metadata) if walked == path && !metadata.is_file() => return Ok(OnDisk::Other),
            Ok(metadata) => executable = is_executable(&metadata),
        }
    }
    fs::read(&path)
        .map(|bytes| OnDisk::File(bytes, executable))
        .map_err(|source| Error::CannotRead {
            what: "project file",
            path,
            problem: source.to_string(),
        })
}

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

/// Plans the update of the project at `root` from `record` to the current revision with
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
    let template_executable =
        |path: &str| new.iter().any(|file| file.path == path && file.executable);
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
        let (base, new) = (contents_of(&base, path), contents_of(&new, path));
        let disk = on_disk(root, path)?;
        let (outcome, contents, reason) =
            decide(path, base, new.map(<[u8]>::to_vec), &disk, &label)?;
        let moved_to = moves
            .iter()
            .find(|(old, _)| *old == path)
            .map(|(_, new)| new.as_str());
        let reason = match (outcome, moved_to) {
            (Outcome::Removed, Some(new)) => Some(format!("moved to `{new}`")),
            (Outcome::Kept, Some(new)) if base.is_some() && matches!(disk, OnDisk::File(..)) => {
                Some(format!(
                    "moved to `{new}` by revision {}, but edited: left as it is; carry your \
                     changes over to `{new}`, then delete `{path}`",
                    to.number
                ))
            }
            _ => reason.map(str::to_owned),
        };
        let as_generated =
            matches!((&disk, base), (OnDisk::File(bytes, _), Some(base)) if bytes == base);
        let executable = match disk {
            OnDisk::File(_, executable) => executable,
            _ => template_executable(path),
        };
        // The template's own change, kept only for a file it cannot merge.
        let unmerged = (outcome == Outcome::Kept
            && reason
                .as_deref()
                .is_some_and(|why| why.starts_with(NOT_MERGED)))
        .then(|| {
            let side = |contents: Option<&[u8]>| contents.unwrap_or_default().to_vec();
            (side(base), side(new))
        });
        files.push(FileChange {
            path: path.to_owned(),
            outcome,
            executable,
            as_generated,
            current: match disk {
                OnDisk::File(bytes, _) => Some(bytes),
                _ => None,
            },
            contents,
            reason,
            unmerged,
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
        OnDisk::File(bytes, _) => Some(bytes.as_slice()),
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

/// How the reasons of files kept unmerged begin; the rest says why.
const NOT_MERGED: &str = "not merged: ";

/// A 3-way merge by libgit2's xdiff: the user's side against the new revision's, on the user's
/// text normalised to the templates' conventions (LF, final newline), the result written back
/// in the user's. A file that is not text is never merged, and a result that would hold less
/// than the user's file without a conflict region to show why is never written.
fn merge(path: &str, base: &[u8], user: &[u8], new: &[u8], label: &str) -> Result<Decision, Error> {
    let kept = |reason: &'static str| Ok((Outcome::Kept, None, Some(reason)));
    let (user_text, conventions) = match text::read(user) {
        Ok(read) => read,
        Err(why) => return kept(why),
    };
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
    let result = git2::merge_file(
        &input(base),
        &input(user_text.as_bytes()),
        &input(new),
        Some(&mut options),
    )
    .map_err(|error| Error::Internal(format!("merging `{path}`: {}", error.message())))?;
    let clean = result.is_automergeable();
    let Ok(merged) = std::str::from_utf8(result.content()) else {
        return kept("not merged: the merge did not give text");
    };
    if !clean && !merged.contains("<<<<<<< yours") {
        return kept("not merged: the merge gave no conflict region to resolve");
    }
    if merged.is_empty() && !user_text.is_empty() {
        return kept("not merged: the merge gave an empty file");
    }
    let written = text::write(merged, conventions);
    if written == user {
        return Ok((Outcome::Unchanged, None, None));
    }
    let outcome = if clean {
        Outcome::Merged
    } else {
        Outcome::Conflict
    };
    Ok((outcome, Some(written), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(base: Option<&str>, new: Option<&str>, user: Option<&str>) -> (Outcome, String) {
        let disk = user.map_or(OnDisk::Missing, |user| OnDisk::File(user.into(), false));
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
                update_bot: true,
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
                let disk = OnDisk::File(user.clone().into_bytes(), false);
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

    /// A user's copy as a user might leave it: lines added among the generated ones, then
    /// saved in some convention, or replaced by something that is not text.
    #[derive(Debug, Clone)]
    enum Saved {
        Text {
            crlf: bool,
            final_newline: bool,
            bom: bool,
        },
        Binary(Vec<u8>),
        NotUtf8,
    }

    fn saved() -> impl proptest::strategy::Strategy<Value = Saved> {
        use proptest::prelude::*;
        prop_oneof![
            6 => (any::<bool>(), any::<bool>(), any::<bool>())
                .prop_map(|(crlf, final_newline, bom)| Saved::Text { crlf, final_newline, bom }),
            1 => proptest::collection::vec(any::<u8>(), 1..200).prop_map(|mut bytes| {
                bytes.push(0);
                Saved::Binary(bytes)
            }),
            1 => Just(Saved::NotUtf8),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 256,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Whatever the user did to a file the templates change, nothing they wrote is lost:
        /// text is merged in their conventions with every line of theirs kept (merged, or in
        /// a conflict region), lines neither side touched stay, a non-empty file never comes
        /// out empty; what is not text is never written.
        #[test]
        fn no_user_edit_is_ever_lost(
            lines in 3usize..40,
            template_changes in proptest::collection::vec(0usize..1000, 1..4),
            user_lines in proptest::collection::vec((0usize..1000, "[a-z ]{1,30}", proptest::bool::ANY), 1..5),
            saved in saved(),
        ) {
            let base_lines: Vec<String> = (0..lines).map(|i| format!("generated line {i}\n")).collect();
            let mut new_lines = base_lines.clone();
            let changed: Vec<usize> = template_changes.iter().map(|seed| seed % lines).collect();
            for &line in &changed {
                new_lines[line] = format!("revision 2 line {line}\n");
            }
            let mut user_lines_all = base_lines.clone();
            let mut added = Vec::new();
            for (index, (seed, text, long)) in user_lines.iter().enumerate() {
                let text = if *long { text.repeat(200) } else { text.clone() };
                let own = format!("user {index}: {text}\n");
                user_lines_all.insert(seed % (user_lines_all.len() + 1), own.clone());
                added.push(own);
            }
            let (base, new) = (base_lines.concat(), new_lines.concat());
            let user_text = user_lines_all.concat();
            let user: Vec<u8> = match &saved {
                Saved::Text { crlf, final_newline, bom } => {
                    let mut text = user_text.clone();
                    if !final_newline {
                        text.pop();
                    }
                    if *crlf {
                        text = text.replace('\n', "\r\n");
                    }
                    let prefix: &[u8] = if *bom { b"\xEF\xBB\xBF" } else { b"" };
                    [prefix, text.as_bytes()].concat()
                }
                Saved::Binary(bytes) => bytes.clone(),
                Saved::NotUtf8 => [user_text.as_bytes(), b"\xFF\xFE trailing"].concat(),
            };
            let (outcome, contents, reason) = decide(
                "f",
                Some(base.as_bytes()),
                Some(new.clone().into_bytes()),
                &OnDisk::File(user.clone(), false),
                "stackgen revision 2",
            )
            .unwrap();
            let Saved::Text { crlf, final_newline, bom } = saved else {
                proptest::prop_assert_eq!(outcome, Outcome::Kept);
                proptest::prop_assert!(contents.is_none(), "not text is never written");
                proptest::prop_assert!(reason.unwrap().contains("not text"));
                return Ok(());
            };
            let written = contents.unwrap_or(user.clone());
            proptest::prop_assert!(!written.is_empty(), "a non-empty file came out empty");
            proptest::prop_assert_eq!(written.starts_with(b"\xEF\xBB\xBF"), bom);
            let text = String::from_utf8(written).unwrap();
            if crlf {
                proptest::prop_assert!(!text.replace("\r\n", "").contains('\n'), "an LF line in a CRLF file");
            } else {
                proptest::prop_assert!(!text.contains('\r'), "a CRLF line in an LF file");
            }
            proptest::prop_assert_eq!(text.ends_with('\n'), final_newline);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let normalised = format!("{}\n", text.replace("\r\n", "\n").trim_end_matches('\n'));
            let result_lines: Vec<&str> = normalised.split_inclusive('\n').collect();
            for own in &added {
                proptest::prop_assert!(result_lines.contains(&own.as_str()), "lost {own:?}");
            }
            for (index, line) in base_lines.iter().enumerate() {
                if !changed.contains(&index) {
                    proptest::prop_assert!(result_lines.contains(&line.as_str()), "lost {line:?}");
                }
            }
            if outcome == Outcome::Conflict {
                proptest::prop_assert!(normalised.contains("<<<<<<< yours"));
            }
        }
    }
}
