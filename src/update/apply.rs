//! Applying an update all-or-nothing. Every new version is first written into a staging
//! directory inside the project; then each file is swapped in, its old version moved into the
//! staging directory. Any error or signal swaps every file back, so the project is exactly as
//! it was; only when all are in place is the staging directory removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{FileChange, Plan};
use crate::error::Error;
use crate::signals;
use crate::transaction::{Identity, Made, Snapshot, Transaction, create_staging, write_error};

/// Held while an update runs, so two at once never both apply.
const LOCK: &str = ".stackgen-update.lock";

/// Applies every change that writes. On error, nothing in `root` differs from before.
pub fn apply(root: &Path, plan: &Plan) -> Result<(), Error> {
    let times = DirectoryTimes::record(&watched_directories(root, plan));
    // Signals are deferred from before the lock exists until it is gone again, so no signal
    // can end the process with the lock or the staging directory left behind.
    let guard = signals::WritingGuard::begin()?;
    let lock = root.join(LOCK);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&lock)
        .map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => Error::UpdateLocked { path: lock.clone() },
            _ => Error::ProjectNotWritable {
                path: lock.clone(),
                source,
            },
        })?;
    let result = apply_locked(root, plan);
    let _ = fs::remove_file(&lock);
    match result {
        Ok(()) => {
            guard.written();
            Ok(())
        }
        Err(error) => {
            // Only this run touched the directories, and all of it is undone.
            if !matches!(
                error,
                Error::EntriesAppeared { .. } | Error::RollbackFailed { .. }
            ) {
                times.restore();
            }
            Err(error)
        }
    }
}

/// The directories' times before the update. The lock, the staging directory and the files
/// moved aside and back leave no entry behind, but they move the directories' modification
/// times; an update that was undone puts those back too, so tools that compare times (make,
/// rsync, backups) see the project exactly as it was.
struct DirectoryTimes(Vec<(PathBuf, fs::FileTimes)>);

impl DirectoryTimes {
    fn record(directories: &[PathBuf]) -> DirectoryTimes {
        let times = directories
            .iter()
            .filter_map(|directory| {
                let metadata = fs::symlink_metadata(directory).ok()?;
                let times = fs::FileTimes::new()
                    .set_accessed(metadata.accessed().ok()?)
                    .set_modified(metadata.modified().ok()?);
                metadata.is_dir().then(|| (directory.clone(), times))
            })
            .collect();
        DirectoryTimes(times)
    }

    fn restore(self) {
        for (directory, times) in self.0 {
            // Best effort: the files are already as they were, which is what matters.
            let _ = fs::File::open(&directory).and_then(|handle| handle.set_times(times));
        }
    }
}

fn apply_locked(root: &Path, plan: &Plan) -> Result<(), Error> {
    let staging =
        create_staging(root, ".stackgen-update-").map_err(|source| Error::ProjectNotWritable {
            path: root.to_owned(),
            source,
        })?;
    let mut transaction = Transaction::new();
    // The lock and the staging directory are in the listing, so only others' entries differ.
    let result = Snapshot::take(watched_directories(root, plan))
        .map_err(write_error(root))
        .and_then(|mut snapshot| {
            swap_in(root, &staging, plan, &mut transaction, &mut snapshot)?;
            let entries = transaction.intruders(root, &snapshot);
            if entries.is_empty() {
                Ok(())
            } else {
                Err(Error::EntriesAppeared {
                    directory: root.to_owned(),
                    entries,
                })
            }
        });
    match result {
        Ok(()) => {
            let _ = fs::remove_dir_all(&staging);
            Ok(())
        }
        Err(error) => {
            let leftovers = transaction.rollback();
            if leftovers.is_empty() {
                let _ = fs::remove_dir_all(&staging);
                Err(error)
            } else {
                // A previous version that could not go back stays where the leftovers say.
                Err(Error::RollbackFailed {
                    original: Box::new(error),
                    leftovers,
                })
            }
        }
    }
}

/// The permissions of `path` with an execute bit wherever it has a read bit.
fn executable(path: &Path) -> io::Result<fs::Permissions> {
    let mut permissions = fs::metadata(path)?.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = permissions.mode();
        permissions.set_mode(mode | ((mode & 0o444) >> 2));
    }
    Ok(permissions)
}

/// The directories the update writes into: the project's own and every file's parent.
fn watched_directories(root: &Path, plan: &Plan) -> Vec<PathBuf> {
    let mut directories = vec![root.to_owned()];
    for change in plan.written() {
        let mut parent = root.join(&change.path);
        while parent.pop() && parent.starts_with(root) && parent != root {
            directories.push(parent.clone());
        }
    }
    directories
}

fn swap_in(
    root: &Path,
    staging: &Path,
    plan: &Plan,
    transaction: &mut Transaction,
    snapshot: &mut Snapshot,
) -> Result<(), Error> {
    let writing: Vec<(usize, &FileChange)> = plan.written().enumerate().collect();
    // Every new version is on disk before the first user file is touched, so a full disk
    // fails here, with the project untouched.
    for (index, change) in &writing {
        if let Some(contents) = &change.contents {
            let staged = staging.join(format!("new-{index}"));
            let path = root.join(&change.path);
            fs::write(&staged, contents).map_err(write_error(&path))?;
            // The new version takes the user's file's mode (an execute bit they set stays),
            // or for a new file the template's.
            let mode = match fs::symlink_metadata(&path) {
                Ok(metadata) if metadata.is_file() => Some(metadata.permissions()),
                _ if change.executable => Some(executable(&staged).map_err(write_error(&path))?),
                _ => None,
            };
            if let Some(mode) = mode {
                fs::set_permissions(&staged, mode).map_err(write_error(&path))?;
            }
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
            transaction
                .move_aside(&path, backup)
                .map_err(write_error(&path))?;
        }
        if change.contents.is_some() {
            make_parents(root, &change.path, snapshot, transaction)?;
            let staged = staging.join(format!("new-{index}"));
            let identity = Identity::of(&staged).map_err(write_error(&path))?;
            // `link` fails if anything appeared at the path meanwhile; `rename` would replace it.
            fs::hard_link(&staged, &path).map_err(|source| match source.kind() {
                io::ErrorKind::AlreadyExists => Error::ChangedDuringUpdate { path: path.clone() },
                _ => write_error(&path)(source),
            })?;
            transaction.placed(Made::new(path, identity));
        }
        transaction.step()?;
    }
    Ok(())
}

fn make_parents(
    root: &Path,
    relative: &str,
    snapshot: &mut Snapshot,
    transaction: &mut Transaction,
) -> Result<(), Error> {
    let mut dir = root.to_path_buf();
    let components: Vec<&str> = relative.split('/').collect();
    for component in &components[..components.len() - 1] {
        dir.push(component);
        match fs::symlink_metadata(&dir) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return Err(Error::ChangedDuringUpdate { path: dir }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&dir).map_err(|source| match source.kind() {
                    io::ErrorKind::AlreadyExists => {
                        Error::ChangedDuringUpdate { path: dir.clone() }
                    }
                    _ => write_error(&dir)(source),
                })?;
                transaction.made_dir(Made::at(&dir).map_err(write_error(&dir))?);
                snapshot.watch_new(&dir);
            }
            Err(source) => return Err(Error::Write { path: dir, source }),
        }
    }
    Ok(())
}
