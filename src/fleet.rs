//! Many projects at once: finding every project under a directory, for `check --all` and
//! `update --all`. The walk is the `ignore` crate's (ripgrep's): what git ignores is not
//! visited, nor are `.git`, `node_modules` and `.venv`, and links are never followed, so a link
//! loop ends.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::record::RECORD;

/// Directories never searched: a dependency or a repository's insides are no one's project.
const SKIPPED: &[&str] = &[".git", "node_modules", ".venv"];

/// What the search found at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A directory holding a `.stackgen.toml` (which may still turn out broken).
    Project(PathBuf),
    /// A directory that could not be searched, so a project in it may have been missed.
    Unreadable { path: PathBuf, problem: String },
}

impl Found {
    pub fn path(&self) -> &Path {
        match self {
            Found::Project(path) | Found::Unreadable { path, .. } => path,
        }
    }
}

/// Every project under `dir` (itself included), in path order; a missing or non-directory
/// `dir` is a usage error.
pub fn find_projects(dir: &Path) -> Result<Vec<Found>, Error> {
    match std::fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => {}
        Ok(_) => {
            return Err(Error::NotAProject {
                path: dir.to_owned(),
                problem: "it is not a directory to search for projects".into(),
            });
        }
        Err(error) => {
            return Err(Error::NotAProject {
                path: dir.to_owned(),
                problem: format!("it cannot be searched for projects: {error}"),
            });
        }
    }
    let walker = ignore::WalkBuilder::new(dir)
        // `.stackgen.toml` is a dotfile, and `.github` may hold nothing but is no reason to
        // skip a directory: hidden entries are searched like any other.
        .hidden(false)
        .parents(true)
        // A `.gitignore` counts even where there is no repository (a fresh monorepo).
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            !(entry.file_type().is_some_and(|kind| kind.is_dir())
                && SKIPPED.iter().any(|name| entry.file_name() == *name))
        })
        .build();
    let mut found = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_name() == RECORD => {
                let project = entry.path().parent().unwrap_or(dir).to_owned();
                found.push(Found::Project(project));
            }
            Ok(_) => {}
            Err(error) => {
                let path = error_path(&error).unwrap_or_else(|| dir.to_owned());
                found.push(Found::Unreadable {
                    path,
                    problem: error.to_string(),
                });
            }
        }
    }
    found.sort_by(|a, b| a.path().cmp(b.path()));
    found.dedup();
    Ok(found)
}

/// The path an error of the walk is about, if it names one.
fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn project(root: &Path, dir: &str) {
        fs::create_dir_all(root.join(dir)).unwrap();
        fs::write(root.join(dir).join(RECORD), "").unwrap();
    }

    #[test]
    fn projects_are_found_where_people_keep_them_and_nowhere_else() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        project(root, "services/api");
        project(root, "services/web");
        project(root, "web/node_modules/some-dep");
        project(root, "api/.venv/lib");
        project(root, ".git/stackgen");
        project(root, "build/out");
        fs::write(root.join(".gitignore"), "/build/\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("services/loop")).unwrap();
        let found = find_projects(root).unwrap();
        assert_eq!(
            found,
            [
                Found::Project(root.join("services/api")),
                Found::Project(root.join("services/web")),
            ]
        );
    }

    #[test]
    fn the_directory_itself_may_be_a_project_and_a_record_may_be_a_directory() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        project(root, ".");
        fs::create_dir_all(root.join("odd").join(RECORD)).unwrap();
        let found = find_projects(root).unwrap();
        assert_eq!(
            found,
            [
                Found::Project(root.to_path_buf()),
                Found::Project(root.join("odd"))
            ]
        );
        assert!(matches!(
            find_projects(&root.join("missing")),
            Err(Error::NotAProject { .. })
        ));
    }
}
