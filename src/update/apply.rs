//! Applying an update all-or-nothing. Every new version is first written into a staging
//! directory inside the project; then each file is swapped in, its old version moved into the
//! staging directory. Any error or signal swaps every file back, so the project is exactly as
//! it was; only when all are in place is the staging directory removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{FileChange, Plan};
use crate::error::Error;
use crate::scaffold::write::{self, Transaction, write_error};
use crate::signals;

/// Held while an update runs, so two at once never both apply.
const LOCK: &str = ".stackgen-update.lock";

/// One step done, and how to undo it.
enum Done {
    /// The user's file moved aside to `backup`.
    MovedAside { path: PathBuf, backup: PathBuf },
    /// A new file put at `path`.
    Placed(PathBuf),
    /// A directory made for a new file.
    MadeDir(PathBuf),
}

/// Applies every change that writes. On error, nothing in `root` differs from before.
pub fn apply(root: &Path, plan: &Plan) -> Result<(), Error> {
    let lock = root.join(LOCK);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&lock)
        .map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => Error::UpdateLocked { path: lock.clone() },
            _ => Error::CannotCreate {
                path: lock.clone(),
                source,
            },
        })?;
    let result = apply_locked(root, plan);
    let _ = fs::remove_file(&lock);
    result
}

fn apply_locked(root: &Path, plan: &Plan) -> Result<(), Error> {
    let guard = signals::WritingGuard::begin()?;
    let staging =
        write::create_staging(root, ".stackgen-update-").map_err(|source| Error::CannotCreate {
            path: root.to_owned(),
            source,
        })?;
    let transaction = Transaction::new();
    let mut done = Vec::new();
    let result = swap_in(root, &staging, plan, &transaction, &mut done);
    match result {
        Ok(()) => {
            guard.written();
            let _ = fs::remove_dir_all(&staging);
            Ok(())
        }
        Err(error) => {
            let leftovers = undo(done);
            let _ = fs::remove_dir_all(&staging);
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

fn swap_in(
    root: &Path,
    staging: &Path,
    plan: &Plan,
    transaction: &Transaction,
    done: &mut Vec<Done>,
) -> Result<(), Error> {
    let writing: Vec<(usize, &FileChange)> = plan.written().enumerate().collect();
    // Every new version is on disk before the first user file is touched, so a full disk
    // fails here, with the project untouched.
    for (index, change) in &writing {
        if let Some(contents) = &change.contents {
            let staged = staging.join(format!("new-{index}"));
            fs::write(&staged, contents).map_err(write_error(&root.join(&change.path)))?;
        }
    }
    for (index, change) in writing {
        let path = root.join(&change.path);
        // The file must still be what the plan was made from.
        let now = match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.is_file() => {
                Some(fs::read(&path).map_err(write_error(&path))?)
            }
            Ok(_) => return Err(Error::ChangedDuringUpdate { path }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(source) => return Err(Error::Write { path, source }),
        };
        if now != change.current {
            return Err(Error::ChangedDuringUpdate { path });
        }
        if now.is_some() {
            let backup = staging.join(format!("old-{index}"));
            fs::rename(&path, &backup).map_err(write_error(&path))?;
            done.push(Done::MovedAside {
                path: path.clone(),
                backup,
            });
        }
        if change.contents.is_some() {
            make_parents(root, &change.path, done)?;
            let staged = staging.join(format!("new-{index}"));
            // `link` fails if anything appeared at the path meanwhile; `rename` would replace it.
            fs::hard_link(&staged, &path).map_err(write_error(&path))?;
            done.push(Done::Placed(path));
        }
        transaction.step()?;
    }
    Ok(())
}

fn make_parents(root: &Path, relative: &str, done: &mut Vec<Done>) -> Result<(), Error> {
    let mut dir = root.to_path_buf();
    let components: Vec<&str> = relative.split('/').collect();
    for component in &components[..components.len() - 1] {
        dir.push(component);
        match fs::symlink_metadata(&dir) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return Err(Error::ChangedDuringUpdate { path: dir }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&dir).map_err(write_error(&dir))?;
                done.push(Done::MadeDir(dir.clone()));
            }
            Err(source) => return Err(Error::Write { path: dir, source }),
        }
    }
    Ok(())
}

/// Undoes `done`, newest first; returns the paths that could not be restored.
fn undo(done: Vec<Done>) -> Vec<String> {
    let mut leftovers = Vec::new();
    for step in done.into_iter().rev() {
        let (path, result) = match step {
            Done::Placed(path) => {
                let result = fs::remove_file(&path);
                (path, result)
            }
            Done::MadeDir(path) => {
                let result = fs::remove_dir(&path);
                (path, result)
            }
            Done::MovedAside { path, backup } => {
                let result = fs::rename(&backup, &path);
                (path, result)
            }
        };
        if result.is_err() {
            leftovers.push(path.to_string_lossy().into_owned());
        }
    }
    leftovers
}
