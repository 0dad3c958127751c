//! All-or-nothing writing. Every path this run creates goes into a manifest; on any error or
//! signal the manifest is removed in reverse order, and nothing else is ever removed.
//!
//! A new target is built in a staging directory beside it and renamed into place; an existing
//! target (empty, holding only `.git`, or any target with `--force`) is written in place with
//! `create_new`, skipping every entry that already exists.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::scaffold::PlannedFile;
use crate::signals;
use crate::transaction::{Made, Snapshot, Transaction, create_staging, staging, write_error};

/// How the target is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The target does not exist: build beside it, then rename into place.
    Staged,
    /// The target is an existing directory: write into it, never touching what is there.
    InPlace,
}

/// What writing produced.
#[derive(Debug)]
pub struct Written<T> {
    /// Files written, relative to the target.
    pub files: Vec<String>,
    /// Entries that already existed and were left alone, relative to the target.
    pub skipped: Vec<String>,
    /// Staging directories of runs that were killed, removed from beside the target.
    pub cleaned: Vec<String>,
    /// What the finishing step (git) returned.
    pub finish: T,
}

/// The step that makes the written directory a project (git), given the directory, the files
/// written and the journal to record what it creates in.
pub trait Finish<T>: FnOnce(&Path, &[String], &mut Transaction) -> Result<T, Error> {}

impl<T, F> Finish<T> for F where F: FnOnce(&Path, &[String], &mut Transaction) -> Result<T, Error> {}

/// Writes `files` into `target`, then runs `finish` on the directory that will become the
/// project (the staging directory for a new target) with the list of files written. Any error
/// or signal rolls back everything this run created.
pub fn write_project<T>(
    target: &Path,
    layout: Layout,
    files: &[PlannedFile],
    finish: impl Finish<T>,
) -> Result<Written<T>, Error> {
    let guard = signals::WritingGuard::begin()?;
    let mut transaction = Transaction::new();
    let result = match layout {
        Layout::Staged => write_staged(target, files, finish, &mut transaction),
        Layout::InPlace => write_in_place(target, files, finish, &mut transaction),
    };
    match result {
        Ok(written) => {
            guard.written();
            Ok(written)
        }
        Err(error) => {
            let error = if transaction.is_empty() {
                error.into_nothing_written()
            } else {
                error
            };
            let leftovers = transaction.rollback();
            if leftovers.is_empty() {
                Err(error)
            } else {
                Err(Error::RollbackFailed {
                    original: Box::new(error),
                    leftovers,
                })
            }
        }
    }
}

impl Error {
    /// An I/O failure before anything was created is a refusal (exit 2), not a rollback.
    fn into_nothing_written(self) -> Error {
        match self {
            Error::Write { path, source } => Error::CannotCreate { path, source },
            other => other,
        }
    }
}

/// Creates the missing ancestors of `target`, outermost first, recording each.
fn create_parents(target: &Path, transaction: &mut Transaction) -> Result<PathBuf, Error> {
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut missing = Vec::new();
    let mut cursor = parent.as_path();
    while fs::symlink_metadata(cursor).is_err() {
        missing.push(cursor.to_owned());
        match cursor.parent() {
            Some(up) if !up.as_os_str().is_empty() => cursor = up,
            _ => break,
        }
    }
    for dir in missing.iter().rev() {
        transaction.create_dir(dir).map_err(write_error(dir))?;
    }
    Ok(parent)
}

fn write_staged<T>(
    target: &Path,
    files: &[PlannedFile],
    finish: impl Finish<T>,
    transaction: &mut Transaction,
) -> Result<Written<T>, Error> {
    let parent = create_parents(target, transaction)?;
    let cleaned = staging::clean_abandoned(&parent);
    let staging = create_staging(&parent, staging::PREFIX).map_err(write_error(&parent))?;
    transaction.made_dir(Made::at(&staging).map_err(write_error(&parent))?);
    // Says whose directory this is, should this run be killed before it can clean up.
    let marker = staging.join(staging::MARKER);
    transaction
        .create_file(&marker, staging::marker_text().as_bytes(), false)
        .map_err(write_error(&parent))?;

    let mut written = Vec::with_capacity(files.len());
    for file in files {
        let path = staging.join(&file.path);
        // Output paths are `/`-separated constants; create each missing directory on the way.
        let components: Vec<&str> = file.path.split('/').collect();
        let mut dir = staging.clone();
        for component in &components[..components.len() - 1] {
            dir.push(component);
            if !dir.exists() {
                // Errors name the path the project will have, not the staging directory.
                let shown = target.join(dir.strip_prefix(&staging).unwrap_or(&dir));
                transaction.create_dir(&dir).map_err(write_error(&shown))?;
            }
        }
        transaction
            .create_file(&path, &file.contents, file.executable)
            .map_err(write_error(&target.join(&file.path)))?;
        written.push(file.path.clone());
        transaction.step()?;
    }
    let finish = finish(&staging, &written, transaction)?;
    transaction.step()?;

    // The marker must not become part of the project.
    fs::remove_file(&marker).map_err(write_error(&parent))?;
    match move_into_place(&staging, target, transaction) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(Error::EntriesAppeared {
                directory: parent,
                entries: vec![
                    target
                        .file_name()
                        .unwrap_or(target.as_os_str())
                        .to_string_lossy()
                        .into_owned(),
                ],
            });
        }
        Err(error) => return Err(write_error(target)(error)),
    }
    // The staging directory and everything in it now live at the target: the project is whole.
    transaction.commit();
    Ok(Written {
        files: written,
        skipped: Vec::new(),
        cleaned,
        finish,
    })
}

/// Renames the finished staging directory to `target`, failing with `AlreadyExists` if
/// anything appeared there meanwhile: a plain `rename(2)` would silently replace an empty
/// directory.
fn move_into_place(staging: &Path, target: &Path, transaction: &mut Transaction) -> io::Result<()> {
    // `renameat2(RENAME_NOREPLACE)` on Linux, `renameatx_np(RENAME_EXCL)` on Apple systems.
    #[cfg(any(target_os = "linux", target_vendor = "apple"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        // A filesystem or kernel without the flag (some network and FUSE filesystems): claim
        // instead. `ENOTSUP` and `EOPNOTSUPP` are one value on Linux, two on Apple systems.
        let unsupported = [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP, Errno::OPNOTSUPP];
        match renameat_with(CWD, staging, CWD, target, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(errno) if unsupported.contains(&errno) => {}
            Err(errno) => return Err(errno.into()),
        }
    }
    claim_and_rename(staging, target, transaction)
}

/// Claims the name with a directory of our own, which the rename may then replace.
fn claim_and_rename(
    staging: &Path,
    target: &Path,
    transaction: &mut Transaction,
) -> io::Result<()> {
    transaction.create_dir(target)?;
    fs::rename(staging, target)
}

fn write_in_place<T>(
    target: &Path,
    files: &[PlannedFile],
    finish: impl Finish<T>,
    transaction: &mut Transaction,
) -> Result<Written<T>, Error> {
    // What is in the target now is the user's and is never opened; anything else that turns up
    // while this run writes is another process's, and ends the run.
    let mut snapshot = Snapshot::take([target.to_owned()]).map_err(write_error(target))?;
    let mut written = Vec::with_capacity(files.len());
    let mut skipped = Vec::new();
    'files: for file in files {
        // Walk the path one component at a time: an existing entry of any kind on the way
        // (file, directory, symlink, dangling or not) means the file is skipped, never opened.
        let mut relative = PathBuf::new();
        let components: Vec<&str> = file.path.split('/').collect();
        for (index, component) in components.iter().enumerate() {
            relative.push(component);
            let path = target.join(&relative);
            let is_directory = index + 1 < components.len();
            if snapshot.existed(&path) {
                let shown = relative.to_string_lossy().into_owned();
                if !skipped.contains(&shown) {
                    skipped.push(shown);
                }
                continue 'files;
            }
            if is_directory && transaction.owns(&path) {
                continue;
            }
            let created = if is_directory {
                transaction
                    .create_dir(&path)
                    .map(|()| snapshot.watch_new(&path))
            } else {
                transaction.create_file(&path, &file.contents, file.executable)
            };
            match created {
                Ok(()) => {}
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    let mut entries = transaction.intruders(target, &snapshot);
                    if entries.is_empty() {
                        // Gone again already, but it was there when this run came to write.
                        entries.push(relative.to_string_lossy().into_owned());
                    }
                    return Err(Error::EntriesAppeared {
                        directory: target.to_owned(),
                        entries,
                    });
                }
                Err(error) => return Err(write_error(&path)(error)),
            }
        }
        written.push(file.path.clone());
        transaction.step()?;
    }
    let finish = finish(target, &written, transaction)?;
    transaction.step()?;
    let entries = transaction.intruders(target, &snapshot);
    if !entries.is_empty() {
        return Err(Error::EntriesAppeared {
            directory: target.to_owned(),
            entries,
        });
    }
    transaction.commit();
    Ok(Written {
        files: written,
        skipped,
        cleaned: Vec::new(),
        finish,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned() -> Vec<PlannedFile> {
        vec![
            PlannedFile {
                path: "a.txt".into(),
                contents: b"a".to_vec(),
                executable: false,
            },
            PlannedFile {
                path: "sub/b.txt".into(),
                contents: b"b".to_vec(),
                executable: false,
            },
            PlannedFile {
                path: "deep/er/c.txt".into(),
                contents: b"c".to_vec(),
                executable: false,
            },
        ]
    }

    fn no_finish(_: &Path, _: &[String], _: &mut Transaction) -> Result<(), Error> {
        Ok(())
    }

    #[test]
    fn staged_write_creates_parents_and_leaves_no_staging() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("x/y/app");
        let written = write_project(&target, Layout::Staged, &planned(), no_finish).unwrap();
        assert_eq!(written.files, ["a.txt", "sub/b.txt", "deep/er/c.txt"]);
        assert_eq!(fs::read(target.join("deep/er/c.txt")).unwrap(), b"c");
        assert_eq!(fs::read(target.join("sub/b.txt")).unwrap(), b"b");
        let siblings: Vec<_> = fs::read_dir(root.path().join("x/y")).unwrap().collect();
        assert_eq!(
            siblings.len(),
            1,
            "only the project is left beside the staging area"
        );
    }

    #[test]
    fn a_failing_finish_rolls_back_everything_including_parents() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("x/app");
        let error = write_project(
            &target,
            Layout::Staged,
            &planned(),
            |_, _, _| -> Result<(), Error> { Err(Error::Internal("boom".into())) },
        )
        .unwrap_err();
        assert!(matches!(error, Error::Internal(_)));
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_staging_name_already_taken_is_skipped() {
        let root = tempfile::tempdir().unwrap();
        fastrand::seed(7);
        let first = create_staging(root.path(), super::staging::PREFIX).unwrap();
        fastrand::seed(7);
        let second = create_staging(root.path(), super::staging::PREFIX).unwrap();
        assert_ne!(
            first, second,
            "the second draw met the first name and tried again"
        );
        assert!(first.is_dir() && second.is_dir());
        assert!(
            second
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".stackgen-staging-")
        );
    }

    #[test]
    fn a_target_that_appears_while_writing_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("app");
        let error = write_project(&target, Layout::Staged, &planned(), |_, _, _| {
            fs::create_dir(&target).unwrap();
            Ok(())
        })
        .unwrap_err();
        assert!(
            matches!(&error, Error::EntriesAppeared { entries, .. } if entries == &["app"]),
            "{error:?}"
        );
        assert_eq!(fs::read_dir(&target).unwrap().count(), 0, "still empty");
        assert_eq!(
            fs::read_dir(root.path()).unwrap().count(),
            1,
            "no staging directory is left"
        );
    }

    #[test]
    fn the_claim_fallback_also_refuses_an_existing_target() {
        let root = tempfile::tempdir().unwrap();
        let staging = root.path().join("staging");
        let target = root.path().join("app");
        fs::create_dir(&staging).unwrap();
        fs::create_dir(&target).unwrap();
        let mut transaction = Transaction::new();
        let error = claim_and_rename(&staging, &target, &mut transaction).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert!(transaction.is_empty(), "the user's directory is not ours");
        assert!(staging.is_dir() && target.is_dir());

        fs::remove_dir(&target).unwrap();
        claim_and_rename(&staging, &target, &mut transaction).unwrap();
        assert!(target.is_dir() && !staging.exists());
    }

    #[test]
    fn in_place_write_skips_every_existing_entry() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("a.txt"), "mine").unwrap();
        fs::create_dir(root.path().join("sub")).unwrap();
        let written = write_project(root.path(), Layout::InPlace, &planned(), no_finish).unwrap();
        assert_eq!(
            written.files,
            ["deep/er/c.txt"],
            "missing directories are created"
        );
        assert_eq!(written.skipped, ["a.txt", "sub"]);
        assert_eq!(
            fs::read_to_string(root.path().join("a.txt")).unwrap(),
            "mine"
        );
        assert!(!root.path().join("sub/b.txt").exists());
    }

    #[test]
    fn in_place_rollback_keeps_what_was_there() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("mine.txt"), "mine").unwrap();
        write_project(
            root.path(),
            Layout::InPlace,
            &planned(),
            |_, _, _| -> Result<(), Error> { Err(Error::Internal("boom".into())) },
        )
        .unwrap_err();
        let left: Vec<_> = fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["mine.txt"]);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn entries_that_appear_in_place_end_the_run_and_stay() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("mine.txt"), "mine").unwrap();
        let error = write_project(root.path(), Layout::InPlace, &planned(), |dir, _, _| {
            fs::write(dir.join("theirs.txt"), "theirs").unwrap();
            fs::write(dir.join("sub/theirs.txt"), "theirs").unwrap();
            Ok(())
        })
        .unwrap_err();
        assert!(
            matches!(&error, Error::EntriesAppeared { entries, .. }
                if entries == &["sub/theirs.txt", "theirs.txt"]),
            "{error:?}"
        );
        assert_eq!(error.exit_code(), 1);
        // `sub` holds their file, so it stays; everything else of ours is gone.
        assert_eq!(names(root.path()), ["mine.txt", "sub", "theirs.txt"]);
        assert_eq!(names(&root.path().join("sub")), ["theirs.txt"]);
    }

    #[test]
    fn a_file_of_ours_replaced_by_theirs_is_named_and_kept() {
        let root = tempfile::tempdir().unwrap();
        let error = write_project(root.path(), Layout::InPlace, &planned(), |dir, _, _| {
            fs::remove_file(dir.join("a.txt")).unwrap();
            fs::write(dir.join("a.txt"), "theirs").unwrap();
            Ok(())
        })
        .unwrap_err();
        assert!(
            matches!(&error, Error::EntriesAppeared { entries, .. } if entries == &["a.txt"]),
            "{error:?}"
        );
        assert_eq!(names(root.path()), ["a.txt"]);
        assert_eq!(
            fs::read_to_string(root.path().join("a.txt")).unwrap(),
            "theirs"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_taking_a_planned_name_first_is_never_followed() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let mut transaction = Transaction::new();
        let snapshot = Snapshot::take([root.path().to_owned()]).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("sub")).unwrap();
        let error = transaction
            .create_dir(&root.path().join("sub"))
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(transaction.intruders(root.path(), &snapshot), ["sub"]);
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}
