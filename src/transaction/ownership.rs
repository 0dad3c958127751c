//! Telling this run's entries from anyone else's. Another process may create, replace or
//! remove entries in a directory while stackgen writes into it; stackgen must then never
//! write through, replace or delete what that process made. An entry is this run's only
//! while its identity is the one it had when this run created it, and a directory's
//! entries are judged against a listing taken before the run began.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};

/// What stays the same for one filesystem object whatever its name, and changes when the name
/// is given to another object: device and inode where the platform has them, and the birth
/// time, since a file made just after one was removed often gets its inode number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    device: u64,
    object: u64,
    born: Option<std::time::SystemTime>,
}

impl Identity {
    pub fn of_metadata(metadata: &Metadata) -> Identity {
        let born = metadata.created().ok();
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Identity {
                device: metadata.dev(),
                object: metadata.ino(),
                born,
            }
        }
        #[cfg(not(unix))]
        {
            Identity {
                device: 0,
                object: u64::from(metadata.is_dir()),
                born,
            }
        }
    }

    /// The identity of the entry at `path` itself (a link is not followed).
    pub fn of(path: &Path) -> io::Result<Identity> {
        fs::symlink_metadata(path).map(|metadata| Identity::of_metadata(&metadata))
    }

    /// True while `path` names this very object.
    pub fn is_at(&self, path: &Path) -> bool {
        Identity::of(path).is_ok_and(|now| now == *self)
    }
}

/// An entry a run made, and which object it was.
#[derive(Debug)]
pub struct Made {
    pub path: PathBuf,
    identity: Identity,
}

impl Made {
    pub fn new(path: PathBuf, identity: Identity) -> Made {
        Made { path, identity }
    }

    /// Records the entry now at `path`.
    pub fn at(path: &Path) -> io::Result<Made> {
        Ok(Made::new(path.to_owned(), Identity::of(path)?))
    }

    /// True while the entry at its path is still the one this run made.
    pub fn is_ours(&self) -> bool {
        self.identity.is_at(&self.path)
    }

    /// True if something else now has its name.
    fn is_replaced(&self) -> bool {
        Identity::of(&self.path).is_ok_and(|now| now != self.identity)
    }
}

/// The entries of the directories a run writes into, as they were before it wrote anything.
#[derive(Debug, Default)]
pub struct Snapshot {
    directories: BTreeMap<PathBuf, BTreeSet<OsString>>,
}

impl Snapshot {
    /// Lists each directory in `directories`; one that does not exist lists as empty.
    pub fn take(directories: impl IntoIterator<Item = PathBuf>) -> io::Result<Snapshot> {
        let mut snapshot = Snapshot::default();
        for directory in directories {
            if snapshot.directories.contains_key(&directory) {
                continue;
            }
            let names = match names_in(&directory) {
                Err(error) if error.kind() == io::ErrorKind::NotFound => BTreeSet::new(),
                names => names?,
            };
            snapshot.directories.insert(directory, names);
        }
        Ok(snapshot)
    }

    /// Watches a directory this run has just made: everything in it must be this run's.
    pub fn watch_new(&mut self, directory: &Path) {
        self.directories.entry(directory.to_owned()).or_default();
    }

    /// True if `path` was in its (watched) directory before the run.
    pub fn existed(&self, path: &Path) -> bool {
        match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => self
                .directories
                .get(parent)
                .is_some_and(|names| names.contains(name)),
            _ => false,
        }
    }

    /// The entries now in the watched directories that were there neither before the run nor
    /// made by it (`ours`), sorted. A watched directory that is gone is skipped: its parent's
    /// listing tells whether something else took its name.
    fn appeared(&self, ours: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
        let mut appeared = Vec::new();
        for (directory, before) in &self.directories {
            let Ok(now) = names_in(directory) else {
                continue;
            };
            for name in now.difference(before) {
                let path = directory.join(name);
                if !ours(&path) {
                    appeared.push(path);
                }
            }
        }
        appeared.sort();
        appeared
    }

    /// What others made in the watched directories, or put in place of what this run `made`,
    /// as paths relative to `root`, sorted.
    pub fn intruders(&self, root: &Path, made: &[&Made]) -> Vec<String> {
        let ours = |path: &Path| {
            made.iter()
                .any(|entry| entry.path == path && entry.is_ours())
        };
        let mut entries: Vec<String> = self
            .appeared(ours)
            .iter()
            .map(PathBuf::as_path)
            .chain(
                made.iter()
                    .filter(|entry| entry.is_replaced())
                    .map(|entry| entry.path.as_path()),
            )
            .map(|path| {
                path.strip_prefix(root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        entries.sort();
        entries.dedup();
        entries
    }
}

fn names_in(directory: &Path) -> io::Result<BTreeSet<OsString>> {
    fs::read_dir(directory)?
        .map(|entry| entry.map(|entry| entry.file_name()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_follows_the_object_not_the_name() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("a");
        fs::write(&path, "ours").unwrap();
        let ours = Identity::of(&path).unwrap();
        assert!(ours.is_at(&path));
        fs::rename(&path, root.path().join("moved")).unwrap();
        fs::write(&path, "theirs").unwrap();
        assert!(!ours.is_at(&path), "same name, another file");
        assert!(ours.is_at(&root.path().join("moved")));
    }

    #[test]
    fn appeared_lists_new_names_that_are_not_ours() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("before"), "").unwrap();
        let made = root.path().join("made");
        let mut snapshot =
            Snapshot::take([root.path().to_owned(), root.path().join("missing")]).unwrap();
        fs::create_dir(&made).unwrap();
        snapshot.watch_new(&made);
        fs::write(made.join("theirs"), "").unwrap();
        fs::write(root.path().join("intruder"), "").unwrap();
        assert!(snapshot.existed(&root.path().join("before")));
        assert!(!snapshot.existed(&made));
        assert_eq!(
            snapshot.appeared(|path| path == made),
            [root.path().join("intruder"), made.join("theirs")]
        );
    }
}
