//! The directory to create: the project name it implies, and whether and how it can be written.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::write::Layout;

/// Most filesystems refuse longer names; checking up front turns a late ENAMETOOLONG into a
/// clear refusal.
const MAX_COMPONENT_BYTES: usize = 255;

/// How many entries of a non-empty target the error lists.
const LISTED_ENTRIES: usize = 5;

/// The project name implied by PATH: its last component, or for `.` and `..` the last
/// component of the absolute, lexically normalised path.
pub fn name_from_path(path: &Path) -> Result<String, Error> {
    let shown = path.to_string_lossy().into_owned();
    let last = match path.components().next_back() {
        Some(Component::Normal(last)) => last.to_owned(),
        Some(Component::CurDir | Component::ParentDir) => {
            let absolute = std::path::absolute(path).map_err(|_| Error::NameFromPath {
                path: shown.clone(),
                problem: "it cannot be made absolute",
            })?;
            match normalise(&absolute).file_name() {
                Some(name) => name.to_owned(),
                None => {
                    return Err(Error::NameFromPath {
                        path: shown,
                        problem: "it has no last component",
                    });
                }
            }
        }
        _ => {
            return Err(Error::NameFromPath {
                path: shown,
                problem: "it has no last component",
            });
        }
    };
    last.into_string().map_err(|_| Error::NameFromPath {
        path: shown,
        problem: "its last component is not UTF-8",
    })
}

/// Resolves `.` and `..` without touching the disk.
fn normalise(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

/// A checked target directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The path as given, without a trailing `/` (which would make `lstat` follow a symlink).
    pub path: PathBuf,
    /// How it will be written.
    pub layout: Layout,
}

/// Checks the target without changing anything: a symlink or a file is refused; a non-empty
/// directory is refused unless `force`.
pub fn inspect(path: &Path, force: bool) -> Result<Target, Error> {
    for component in path.components() {
        if let Component::Normal(name) = component
            && name.len() > MAX_COMPONENT_BYTES
        {
            return Err(too_long(name));
        }
    }
    let path: PathBuf = path.components().collect();
    let metadata = match fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(Target {
                path,
                layout: Layout::Staged,
            });
        }
        Err(source) => return Err(Error::CannotCreate { path, source }),
    };
    if metadata.file_type().is_symlink() {
        return Err(Error::TargetIsSymlink { path });
    }
    if !metadata.is_dir() {
        return Err(Error::TargetIsFile { path });
    }
    let mut entries: Vec<String> = fs::read_dir(&path)
        .and_then(|entries| {
            entries
                .map(|entry| entry.map(|entry| entry.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .map_err(|source| Error::CannotCreate {
            path: path.clone(),
            source,
        })?;
    entries.retain(|entry| entry != ".git");
    if entries.is_empty() || force {
        return Ok(Target {
            path,
            layout: Layout::InPlace,
        });
    }
    entries.sort();
    let more = entries.len().saturating_sub(LISTED_ENTRIES);
    entries.truncate(LISTED_ENTRIES);
    Err(Error::TargetNotEmpty {
        path,
        entries,
        more,
    })
}

fn too_long(name: &OsStr) -> Error {
    let shown: String = name.to_string_lossy().chars().take(24).collect();
    Error::InvalidValue {
        what: "path",
        value: format!("{shown}…"),
        problem: format!(
            "the name is too long ({} bytes; most filesystems allow {MAX_COMPONENT_BYTES})",
            name.len()
        ),
        help: Some("pick a shorter directory name".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_comes_from_the_last_component() {
        assert_eq!(name_from_path(Path::new("a/b")).unwrap(), "b");
        assert_eq!(name_from_path(Path::new("my-app/")).unwrap(), "my-app");
        let cwd = std::env::current_dir().unwrap();
        let expected = cwd.file_name().unwrap().to_str().unwrap();
        assert_eq!(name_from_path(Path::new(".")).unwrap(), expected);
        assert!(name_from_path(Path::new("/")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_non_utf8_last_component_asks_for_a_name() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(OsStr::from_bytes(b"\xff\xfe-app"));
        assert!(matches!(
            name_from_path(path),
            Err(Error::NameFromPath { .. })
        ));
    }

    #[test]
    fn targets_are_classified() {
        let root = tempfile::tempdir().unwrap();
        let missing = root.path().join("new");
        assert_eq!(inspect(&missing, false).unwrap().layout, Layout::Staged);
        assert_eq!(inspect(root.path(), false).unwrap().layout, Layout::InPlace);
        fs::write(root.path().join("notes.txt"), "x").unwrap();
        assert!(matches!(
            inspect(root.path(), false),
            Err(Error::TargetNotEmpty { .. })
        ));
        assert_eq!(inspect(root.path(), true).unwrap().layout, Layout::InPlace);
        assert!(matches!(
            inspect(&root.path().join("notes.txt"), true),
            Err(Error::TargetIsFile { .. })
        ));
        let long = root.path().join("d".repeat(300));
        assert!(matches!(
            inspect(&long, false),
            Err(Error::InvalidValue { .. })
        ));
    }
}
