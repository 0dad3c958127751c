//! The one write journal. Every entry a run creates, every file it places and every file it
//! moves aside is recorded; on any error or signal the journal is undone newest first, and
//! only what is still this run's own is removed or put back (entries are known by identity,
//! see [`ownership`]). `new`, `update` and `git init` all write through it.

mod ownership;
pub mod staging;

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use ownership::{Identity, Made, Snapshot};

use crate::error::Error;
use crate::signals;

/// Test hook: sleep this many milliseconds after each file and each git step, so tests can
/// interrupt a run mid-write. Honoured by release builds; values above 10 s are ignored.
const DELAY_VARIABLE: &str = "STACKGEN_TEST_WRITE_DELAY_MS";
const MAX_DELAY_MS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    /// A directory this run made and filled by other means (`.git`): removed recursively.
    Tree,
    /// A file of the user's that was at `made`'s path, moved to `backup` so a new version
    /// could take its place; undone by putting it back.
    MovedAside {
        backup: PathBuf,
    },
}

#[derive(Debug)]
struct Created {
    made: Made,
    kind: Kind,
}

impl Created {
    /// Made by this run, as opposed to a user's file it moved aside.
    fn is_made(&self) -> bool {
        !matches!(self.kind, Kind::MovedAside { .. })
    }
}

/// The journal of what this run created or moved, and the rollback that undoes it.
#[derive(Debug, Default)]
pub struct Transaction {
    created: Vec<Created>,
    delay: Option<Duration>,
}

impl Transaction {
    pub fn new() -> Self {
        let delay = std::env::var(DELAY_VARIABLE)
            .ok()
            .and_then(|value| value.trim().parse::<u64>().ok())
            .filter(|&ms| ms > 0 && ms <= MAX_DELAY_MS)
            .map(Duration::from_millis);
        Transaction {
            created: Vec::new(),
            delay,
        }
    }

    /// Ends a step: honours the test delay, then fails if a signal arrived.
    pub fn step(&self) -> Result<(), Error> {
        if let Some(delay) = self.delay {
            // Sleep in slices so a signal is acted on promptly.
            let slice = Duration::from_millis(10);
            let mut left = delay;
            while !left.is_zero() {
                signals::check()?;
                let now = left.min(slice);
                std::thread::sleep(now);
                left -= now;
            }
        }
        signals::check()
    }

    fn create_dir_as(&mut self, path: &Path, kind: Kind) -> io::Result<()> {
        fs::create_dir(path)?;
        self.created.push(Created {
            made: Made::at(path)?,
            kind,
        });
        Ok(())
    }

    pub fn create_dir(&mut self, path: &Path) -> io::Result<()> {
        self.create_dir_as(path, Kind::Dir)
    }

    /// Creates a file that must not exist yet, executable or not (the umask applies, as to
    /// any new file).
    pub fn create_file(
        &mut self,
        path: &Path,
        contents: &[u8],
        executable: bool,
    ) -> io::Result<()> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(
            &mut options,
            if executable { 0o777 } else { 0o666 },
        );
        #[cfg(not(unix))]
        let _ = executable;
        let mut file = options.open(path)?;
        self.created.push(Created {
            made: Made::new(path.to_owned(), Identity::of_metadata(&file.metadata()?)),
            kind: Kind::File,
        });
        file.write_all(contents)?;
        file.flush()
    }

    /// Records a file the caller put in place itself (by a link that never replaces).
    pub fn placed(&mut self, made: Made) {
        self.created.push(Created {
            made,
            kind: Kind::File,
        });
    }

    /// Records a directory the caller made itself.
    pub fn made_dir(&mut self, made: Made) {
        self.created.push(Created {
            made,
            kind: Kind::Dir,
        });
    }

    /// Moves the file at `path` to `backup`, recording it so a rollback puts it back.
    pub fn move_aside(&mut self, path: &Path, backup: PathBuf) -> io::Result<()> {
        let made = Made::at(path)?;
        fs::rename(path, &backup)?;
        self.created.push(Created {
            made,
            kind: Kind::MovedAside { backup },
        });
        Ok(())
    }

    /// Creates a directory the caller fills by other means (such as `.git`).
    pub fn create_tree(&mut self, path: &Path) -> io::Result<()> {
        self.create_dir_as(path, Kind::Tree)
    }

    /// Forgets a tree the caller has removed itself.
    pub fn forget_tree(&mut self, path: &Path) {
        self.created
            .retain(|entry| !(entry.kind == Kind::Tree && entry.made.path == path));
    }

    /// True while `path` is an entry this run created.
    pub fn owns(&self, path: &Path) -> bool {
        self.created
            .iter()
            .any(|entry| entry.is_made() && entry.made.path == path && entry.made.is_ours())
    }

    /// What others made or replaced in `target` since `snapshot` was taken.
    pub fn intruders(&self, target: &Path, snapshot: &Snapshot) -> Vec<String> {
        let made: Vec<&Made> = self
            .created
            .iter()
            .filter(|entry| entry.is_made())
            .map(|entry| &entry.made)
            .collect();
        snapshot.intruders(target, &made)
    }

    /// The work is whole and stays: nothing is undone from here on.
    pub fn commit(&mut self) {
        self.created.clear();
    }

    /// True while nothing has been created, so an error still means "nothing written".
    pub fn is_empty(&self) -> bool {
        self.created.is_empty()
    }

    /// Removes everything this run created and still owns, and puts back what it moved aside,
    /// newest first; an entry another process put in place of this run's is left alone, and a
    /// file moved aside whose name another process took stays where it was moved. Returns
    /// what could not be removed or put back.
    pub fn rollback(&mut self) -> Vec<String> {
        let mut leftovers = Vec::new();
        while let Some(entry) = self.created.pop() {
            let path = &entry.made.path;
            let result = match &entry.kind {
                Kind::MovedAside { backup } => {
                    // A link, unlike a rename, never replaces what is at `path` now.
                    match fs::hard_link(backup, path) {
                        Ok(()) => {
                            let _ = fs::remove_file(backup);
                        }
                        Err(_) => leftovers.push(format!(
                            "{} (its previous version is in {})",
                            path.to_string_lossy(),
                            backup.to_string_lossy()
                        )),
                    }
                    continue;
                }
                _ if !entry.made.is_ours() => continue,
                Kind::File => fs::remove_file(path),
                Kind::Dir => fs::remove_dir(path),
                Kind::Tree => fs::remove_dir_all(path),
            };
            // Once this run's own entries are gone, a directory that is not empty holds someone
            // else's, and is theirs to keep.
            let kept = [io::ErrorKind::NotFound, io::ErrorKind::DirectoryNotEmpty];
            if let Err(error) = result
                && !kept.contains(&error.kind())
            {
                leftovers.push(path.to_string_lossy().into_owned());
            }
        }
        leftovers
    }
}

pub fn write_error(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_owned(),
        source,
    }
}

/// Makes the staging directory in `parent` under a fresh random name, with mode 0777 less the
/// umask: the mode the project directory would have had if it were made directly. Errors are
/// the plain cause, with no path: the caller names `parent`, as the user never chose this name.
pub fn create_staging(parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    const ATTEMPTS: usize = 16;
    // Absolute, so libgit2 does not resolve the repository's path again at every step.
    let parent = std::path::absolute(parent)?;
    for _ in 0..ATTEMPTS {
        let suffix: String = std::iter::repeat_with(fastrand::alphanumeric)
            .take(8)
            .collect();
        let staging = parent.join(format!("{prefix}{suffix}"));
        match fs::create_dir(&staging) {
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            result => return result.map(|()| staging),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{ATTEMPTS} random staging names were all taken"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollback_never_replaces_or_removes_what_another_process_put_in_place() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("package.json");
        let backup = root.path().join("old-0");
        let placed = root.path().join("README.md");
        fs::write(&path, "previous").unwrap();
        let mut transaction = Transaction::new();
        transaction.move_aside(&path, backup.clone()).unwrap();
        transaction.create_file(&placed, b"ours", false).unwrap();
        // Another process took both names after this run moved one aside and placed the other.
        fs::write(&path, "theirs").unwrap();
        fs::remove_file(&placed).unwrap();
        fs::write(&placed, "theirs too").unwrap();
        let leftovers = transaction.rollback();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
        assert!(leftovers[0].contains("old-0"), "{leftovers:?}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "theirs");
        assert_eq!(fs::read_to_string(&placed).unwrap(), "theirs too");
        assert_eq!(fs::read_to_string(&backup).unwrap(), "previous");
    }

    #[test]
    fn rollback_puts_back_what_was_moved_and_removes_what_was_made_newest_first() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("server.js");
        fs::write(&path, "the user's").unwrap();
        let mut transaction = Transaction::new();
        transaction
            .move_aside(&path, root.path().join("old-0"))
            .unwrap();
        let dir = root.path().join("test");
        transaction.create_dir(&dir).unwrap();
        transaction
            .create_file(&dir.join("a.js"), b"new", false)
            .unwrap();
        assert!(transaction.owns(&dir));
        assert!(!transaction.owns(&path));
        assert!(transaction.rollback().is_empty());
        assert_eq!(fs::read_to_string(&path).unwrap(), "the user's");
        let names: Vec<_> = fs::read_dir(root.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["server.js"]);
    }
}
