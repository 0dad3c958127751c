//! Git: decide whether to initialise, find the identity as the git CLI would, init on `main`
//! and make one commit of exactly the files this run wrote.

use std::io::Write;
use std::path::{Path, PathBuf};

use git2::{
    Config, ErrorCode, IndexEntry, IndexTime, Odb, Oid, Repository, RepositoryInitOptions,
    Signature,
};

use crate::error::Error;
use crate::scaffold::PlannedFile;
use crate::text::escape;
use crate::transaction::Transaction;

/// Whether this run should initialise a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitPlan {
    /// Initialise and, with a valid identity, commit.
    Init,
    /// Leave git alone, with this outcome: `--no-git`, a target already inside a work tree
    /// (like `cargo new`), or a discovery error such as a repository owned by another user.
    Skip(GitOutcome),
}

/// Decides from the target, or its nearest existing ancestor when it does not exist yet.
pub fn plan(target: &Path, enabled: bool) -> GitPlan {
    if !enabled {
        return GitPlan::Skip(GitOutcome::without_repository(GitStatus::Disabled, None));
    }
    let start = target
        .ancestors()
        .find(|dir| dir.is_dir())
        .unwrap_or(Path::new("."));
    let (status, message) = match Repository::discover(start) {
        Err(error) if error.code() == ErrorCode::NotFound => return GitPlan::Init,
        Ok(repository) => (
            GitStatus::Skipped,
            format!(
                "git init skipped: the target is already inside the repository at `{}`",
                repository.workdir().unwrap_or(repository.path()).display()
            ),
        ),
        Err(error) => (
            GitStatus::Failed,
            format!(
                "git init skipped: cannot tell whether the target is inside a repository ({})",
                error.message()
            ),
        ),
    };
    GitPlan::Skip(GitOutcome::without_repository(status, Some(message)))
}

/// What happened to git, as reported in the output and in `--json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GitOutcome {
    /// `committed`, `initialized` (no identity), `skipped`, `disabled` or `failed`.
    pub status: GitStatus,
    /// The commit id, when a commit was made.
    pub commit: Option<String>,
    /// The branch, when a repository was initialised.
    pub branch: Option<&'static str>,
    /// Why git was skipped or did not commit, for people.
    pub message: Option<String>,
}

/// See [`GitOutcome::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitStatus {
    Committed,
    Initialized,
    Skipped,
    Disabled,
    Failed,
}

impl GitOutcome {
    fn without_repository(status: GitStatus, message: Option<String>) -> Self {
        GitOutcome {
            status,
            commit: None,
            branch: None,
            message,
        }
    }
}

const BRANCH: &str = "main";
const COMMIT_MESSAGE: &str = "Initial commit from stackgen";

/// Initialises `dir` on `main` and commits `files`, which were just written there. Git is optional: a git failure removes the
/// `.git` this run made and is reported in the outcome; only an interruption is an error (the
/// whole run then rolls back, `.git` included).
/// `dir` is where the project is being written (a staging directory, for a new target) and
/// `project` where it ends up: messages name the latter.
pub fn init_and_commit(
    dir: &Path,
    project: &Path,
    files: &[&PlannedFile],
    transaction: &mut Transaction,
) -> Result<GitOutcome, Error> {
    let git_dir = dir.join(".git");
    let shown = |text: &str| {
        escape(&text.replace(
            dir.to_string_lossy().as_ref(),
            project.to_string_lossy().as_ref(),
        ))
    };
    // Creating `.git` is what makes it this run's to remove: one that is already there (not a
    // repository, or discovery would have skipped git) is the user's and is never touched.
    if let Err(error) = transaction.create_tree(&git_dir) {
        return Ok(GitOutcome::without_repository(
            GitStatus::Failed,
            Some(format!(
                "git init skipped, the project was kept without git: cannot create `{}`: {error}",
                shown(&git_dir.to_string_lossy())
            )),
        ));
    }
    match try_init_and_commit(dir, files, transaction) {
        Ok(outcome) => Ok(outcome),
        Err(StepError::Interrupted(error)) => Err(error),
        Err(StepError::Git(error)) => {
            transaction.forget_tree(&git_dir);
            let cleanup = std::fs::remove_dir_all(&git_dir);
            let mut message = format!(
                "git init failed, the project was kept without git: {}",
                shown(error.message())
            );
            if cleanup.is_err() && git_dir.exists() {
                message.push_str(&format!(
                    "; remove `{}` by hand",
                    shown(&git_dir.to_string_lossy())
                ));
            }
            Ok(GitOutcome::without_repository(
                GitStatus::Failed,
                Some(message),
            ))
        }
    }
}

fn try_init_and_commit(
    dir: &Path,
    files: &[&PlannedFile],
    transaction: &Transaction,
) -> Result<GitOutcome, StepError> {
    let mut options = RepositoryInitOptions::new();
    options
        .initial_head(BRANCH)
        .no_reinit(true)
        .mkdir(false)
        // No template: libgit2's built-in one adds `description`, `hooks/README.sample` and
        // `info/exclude`, three files (each a new inode) that nothing needs.
        .template_path(Path::new(""));
    let config_path = dir.join(".git").join("config");
    let config_mode = seed_config(&config_path).map_err(io_error)?;
    let repository = Repository::init_opts(dir, &options)?;
    restore_mode(&config_path, config_mode);
    transaction.step().map_err(StepError::Interrupted)?;

    let config = repository.config()?;
    let identity = match Identity::resolve(&config, &|name| std::env::var(name).ok()) {
        Ok(identity) => identity,
        Err(missing) => {
            return Ok(GitOutcome {
                status: GitStatus::Initialized,
                commit: None,
                branch: Some(BRANCH),
                message: Some(format!(
                    "the project is not committed: git has no identity (no valid {missing}); \
                     set one with `git config --global user.name \"Your Name\"` and `git \
                     config --global user.email you@example.com`, then `git add -A && git \
                     commit -m \"Initial commit\"`"
                )),
            });
        }
    };

    // Objects go to memory first and reach the disk as one pack: loose objects would cost a
    // directory and a file each. While they are written, the repository sees an object
    // database holding only that memory: with the on-disk backends too, libgit2 would look for
    // each new object on disk (a timestamp update and a rescan of the pack directory per
    // object) before writing it. The blobs come from the contents in memory, since reading
    // the files back would cost a path resolution, an attributes lookup and a read per file
    // for the same bytes. The entries carry no stat data, so git re-hashes each file once to
    // see it is unchanged.
    let on_disk = repository.odb()?;
    let in_memory = Odb::new()?;
    // The only backend, so its priority does not matter.
    in_memory.add_new_mempack_backend(1)?;
    repository.set_odb(&in_memory)?;
    let mut index = repository.index()?;
    for file in files {
        let entry = index_entry(
            &file.path,
            file.executable,
            file.contents.len(),
            Oid::ZERO_SHA1,
        );
        index.add_frombuffer(&entry, &file.contents)?;
    }
    index.write()?;
    let tree = repository.find_tree(index.write_tree()?)?;
    transaction.step().map_err(StepError::Interrupted)?;
    let author = Signature::now(&identity.author.0, &identity.author.1)?;
    let committer = Signature::now(&identity.committer.0, &identity.committer.1)?;
    let commit = repository.commit(
        Some("HEAD"),
        &author,
        &committer,
        COMMIT_MESSAGE,
        &tree,
        &[],
    )?;
    // Built here rather than by the memory backend's own dump, which asks for a delta-search
    // thread per CPU: ten small objects are not worth starting threads for. The builder reads
    // each object back twice, and by default libgit2 re-hashes every read to verify it: over
    // half a million instructions for objects hashed moments ago and held in memory. The check
    // is process-wide, so it is off only while the pack is built.
    let mut builder = repository.packbuilder()?;
    builder.set_threads(1);
    builder.insert_commit(commit)?;
    let mut pack = git2::Buf::new();
    git2::opts::strict_hash_verification(false);
    let built = builder.write_buf(&mut pack);
    git2::opts::strict_hash_verification(true);
    built?;
    let mut writer = on_disk.packwriter()?;
    writer.write_all(&pack).map_err(io_error)?;
    writer.commit()?;
    repository.set_odb(&on_disk)?;
    transaction.step().map_err(StepError::Interrupted)?;
    Ok(GitOutcome {
        status: GitStatus::Committed,
        commit: Some(commit.to_string()),
        branch: Some(BRANCH),
        message: None,
    })
}

fn io_error(error: std::io::Error) -> StepError {
    StepError::Git(git2::Error::from_str(&error.to_string()))
}

/// What libgit2 writes to a new repository's config on Linux.
const SEED_CONFIG: &str = "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n";

/// libgit2 sets each key of a new repository's config with its own lock-and-rename, and on ext4
/// every rename over the previous file forces a data flush (`auto_da_alloc`): that made `git
/// init` cost milliseconds. A config already holding the values it is about to set lets it skip
/// them; a value that differs on another platform is still written by libgit2.
/// Returns the file's mode as created.
fn seed_config(path: &Path) -> std::io::Result<std::fs::Permissions> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(SEED_CONFIG.as_bytes())?;
    Ok(file.metadata()?.permissions())
}

/// libgit2 tells whether the filesystem keeps modes by flipping the config's owner-execute bit,
/// and relies on rewriting the file afterwards to undo it; seeded, the file is not rewritten.
/// Best effort, as libgit2's own probe is: a filesystem that refuses the chmod also refused
/// the flip.
fn restore_mode(path: &Path, mode: std::fs::Permissions) {
    if std::fs::metadata(path).is_ok_and(|now| now.permissions() != mode) {
        let _ = std::fs::set_permissions(path, mode);
    }
}

/// A failed git step: a libgit2 error drops git; an interruption rolls the whole run back.
enum StepError {
    Git(git2::Error),
    Interrupted(Error),
}

impl From<git2::Error> for StepError {
    fn from(error: git2::Error) -> Self {
        StepError::Git(error)
    }
}

/// Author and committer, each a (name, email) pair.
#[derive(Debug, PartialEq, Eq)]
struct Identity {
    author: (String, String),
    committer: (String, String),
}

impl Identity {
    /// Resolves the identity with git's precedence: `GIT_AUTHOR_*` / `GIT_COMMITTER_*`, then
    /// `author.*` / `committer.*`, then `user.*` config, then `EMAIL` for the address. Returns
    /// the config key to set when something is missing or invalid.
    fn resolve(
        config: &Config,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Identity, &'static str> {
        Ok(Identity {
            author: role_identity("author", config, env)?,
            committer: role_identity("committer", config, env)?,
        })
    }
}

/// The (name, email) git would record for `role` (`author` or `committer`).
fn role_identity(
    role: &str,
    config: &Config,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, String), &'static str> {
    let from_config = |key: &str| config.get_string(key).ok();
    let upper = role.to_ascii_uppercase();
    let name = env(&format!("GIT_{upper}_NAME"))
        .or_else(|| from_config(&format!("{role}.name")))
        .or_else(|| from_config("user.name"));
    let email = env(&format!("GIT_{upper}_EMAIL"))
        .or_else(|| from_config(&format!("{role}.email")))
        .or_else(|| from_config("user.email"))
        .or_else(|| env("EMAIL"));
    let name = name
        .filter(|name| valid_identity_part(name))
        .ok_or("user.name")?;
    let email = email
        .filter(|email| valid_identity_part(email))
        .ok_or("user.email")?;
    Ok((name, email))
}

/// The author git would record, as `Name <email>`: the wizard's default for the author.
pub fn default_author() -> Option<String> {
    let config = Config::open_default().ok()?;
    let (name, email) = role_identity("author", &config, &|key| std::env::var(key).ok()).ok()?;
    Some(format!("{name} <{email}>"))
}

fn valid_identity_part(text: &str) -> bool {
    !text.trim().is_empty() && !text.chars().any(|c| c.is_control() || c == '<' || c == '>')
}

/// The paths among `paths` (relative to `root`) that have uncommitted changes in the git work
/// tree holding `root`; none when `root` is in no work tree. An untracked file for which
/// `generated` holds is not a change.
pub fn uncommitted(root: &Path, paths: &[&str], generated: impl Fn(&str) -> bool) -> Vec<String> {
    let Ok(repository) = Repository::discover(root) else {
        return Vec::new();
    };
    let (Some(workdir), Ok(root)) = (repository.workdir(), root.canonicalize()) else {
        return Vec::new();
    };
    let Ok(workdir) = workdir.canonicalize() else {
        return Vec::new();
    };
    paths
        .iter()
        .filter(|path| {
            let Ok(relative) = root.join(path).strip_prefix(&workdir).map(Path::to_owned) else {
                return false;
            };
            match repository.status_file(&relative) {
                // Never committed but exactly as stackgen made it (a project made without a
                // git identity): nothing of the user's to lose.
                Ok(status) if status == git2::Status::WT_NEW => !generated(path),
                Ok(status) => !(status.is_empty() || status.contains(git2::Status::IGNORED)),
                Err(_) => false,
            }
        })
        .map(|path| (*path).to_owned())
        .collect()
}

/// The work tree of the repository holding `path`, canonical, if there is one.
pub fn workdir(path: &Path) -> Option<PathBuf> {
    Repository::discover(path)
        .ok()?
        .workdir()?
        .canonicalize()
        .ok()
}

/// `path` relative to `workdir` (both resolved), for paths in a commit.
pub fn relative_to(workdir: &Path, path: &Path) -> Option<PathBuf> {
    path.canonicalize()
        .ok()?
        .strip_prefix(workdir)
        .ok()
        .map(Path::to_owned)
}

/// The commit `update --commit` made, or why it made none.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UpdateCommit {
    pub commit: String,
    pub message: String,
}

impl UpdateCommit {
    pub fn summary(&self) -> String {
        format!(
            "{} {}",
            &self.commit[..self.commit.len().min(7)],
            self.message
        )
    }
}

/// A repository checked for `update --commit` before the update writes anything, so that a
/// commit that cannot be made stops the update instead of leaving it applied but uncommitted.
pub struct UpdateCommitter {
    repository: Repository,
    workdir: PathBuf,
    root: PathBuf,
    identity: Identity,
}

impl UpdateCommitter {
    /// Finds the repository holding `root` and checks that its index can be written.
    pub fn prepare(root: &Path) -> Result<UpdateCommitter, Error> {
        let cannot = |problem: String, help: &str| Error::CannotCommit {
            problem,
            help: help.to_owned(),
        };
        let repository = Repository::discover(root).map_err(|_| {
            cannot(
                "the project is not in a git repository".into(),
                "run `git init` and commit the project first, or update without `--commit`",
            )
        })?;
        let workdir = repository
            .workdir()
            .and_then(|dir| dir.canonicalize().ok())
            .ok_or_else(|| {
                cannot(
                    "the repository has no work tree".into(),
                    "update without `--commit`",
                )
            })?;
        // libgit2 would only find the lock when writing the index, after the update.
        let lock = repository.path().join("index.lock");
        if lock.symlink_metadata().is_ok() {
            return Err(cannot(
                format!(
                    "`{}` exists: another git process is using the repository, or one crashed",
                    lock.display()
                ),
                "if no git command is running, remove that file and run the update again",
            ));
        }
        let root = root.canonicalize().map_err(|error| {
            cannot(
                format!("cannot resolve `{}`: {error}", root.display()),
                "check the path",
            )
        })?;
        let config = repository.config().map_err(|error| {
            cannot(
                format!("cannot read git's configuration: {}", error.message()),
                "fix the configuration git reports",
            )
        })?;
        let identity = Identity::resolve(&config, &|name| std::env::var(name).ok())
            .map_err(|missing| Error::CommitWithoutIdentity { missing })?;
        Ok(UpdateCommitter {
            repository,
            workdir,
            root,
            identity,
        })
    }

    /// Commits exactly `changed` (relative to the project; `removed` ones as deletions) on the
    /// current branch, with git's identity rules.
    pub fn commit(
        self,
        changed: &[String],
        removed: &[String],
        message: &str,
    ) -> Result<UpdateCommit, Error> {
        let failed = |error: git2::Error| Error::GitCommit {
            message: error.message().to_owned(),
        };
        let identity = &self.identity;
        let relative = |path: &str| {
            self.root
                .join(path)
                .strip_prefix(&self.workdir)
                .map(Path::to_owned)
                .map_err(|_| Error::GitCommit {
                    message: format!("`{path}` is outside the work tree"),
                })
        };
        let repository = &self.repository;
        let mut index = repository.index().map_err(failed)?;
        for path in changed {
            index.add_path(&relative(path)?).map_err(failed)?;
        }
        for path in removed {
            index.remove_path(&relative(path)?).map_err(failed)?;
        }
        index.write().map_err(failed)?;
        let tree = repository
            .find_tree(index.write_tree().map_err(failed)?)
            .map_err(failed)?;
        let parent = repository
            .head()
            .ok()
            .and_then(|head| head.peel_to_commit().ok());
        let author = Signature::now(&identity.author.0, &identity.author.1).map_err(failed)?;
        let committer =
            Signature::now(&identity.committer.0, &identity.committer.1).map_err(failed)?;
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let commit = repository
            .commit(Some("HEAD"), &author, &committer, message, &tree, &parents)
            .map_err(failed)?;
        Ok(UpdateCommit {
            commit: commit.to_string(),
            message: message.to_owned(),
        })
    }
}

/// One file of a patch: its path, its contents before and after (`None`: absent), and
/// whether each side is executable.
pub struct PatchFile<'a> {
    pub path: &'a str,
    pub old: Option<(&'a [u8], bool)>,
    pub new: Option<(&'a [u8], bool)>,
}

/// An index entry for a file made in memory: no stat data (git re-hashes the file once to see
/// it is unchanged), the mode git records for it, and its blob (or none yet: `Oid::ZERO_SHA1`).
fn index_entry(path: &str, executable: bool, size: usize, id: Oid) -> IndexEntry {
    IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: if executable { 0o100_755 } else { 0o100_644 },
        uid: 0,
        gid: 0,
        file_size: u32::try_from(size).unwrap_or(u32::MAX),
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// The patch from each file's old contents to its new, as `git diff` writes it, so that `git
/// apply` and `patch -p1` take it: an added file has `new file mode` and `/dev/null` as its old
/// side, a deleted one the reverse. libgit2 diffs two trees built in an in-memory object
/// database; nothing touches the disk.
pub fn patch(files: &[PatchFile]) -> Result<Vec<u8>, Error> {
    let failed = |error: git2::Error| Error::Internal(error.message().to_owned());
    let odb = Odb::new().map_err(failed)?;
    odb.add_new_mempack_backend(1).map_err(failed)?;
    let repository = Repository::from_odb(odb).map_err(failed)?;
    let tree = |new_side: bool| -> Result<git2::Tree, Error> {
        let mut index = git2::Index::new().map_err(failed)?;
        for file in files {
            if let Some((contents, executable)) = if new_side { file.new } else { file.old } {
                let id = repository.blob(contents).map_err(failed)?;
                index
                    .add(&index_entry(file.path, executable, contents.len(), id))
                    .map_err(failed)?;
            }
        }
        let id = index.write_tree_to(&repository).map_err(failed)?;
        repository.find_tree(id).map_err(failed)
    };
    let (old, new) = (tree(false)?, tree(true)?);
    let diff = repository
        .diff_tree_to_tree(Some(&old), Some(&new), None)
        .map_err(failed)?;
    let mut text = Vec::new();
    diff.print(git2::DiffFormat::Patch, |_, _, line| {
        // Content lines come without their `+`, `-` or ` `; headers come whole.
        if matches!(line.origin(), '+' | '-' | ' ') {
            text.push(line.origin() as u8);
        }
        text.extend_from_slice(line.content());
        true
    })
    .map_err(failed)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(entries: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::open(&dir.path().join("config")).unwrap();
        for (key, value) in entries {
            config.set_str(key, value).unwrap();
        }
        (dir, config)
    }

    #[test]
    fn environment_beats_config_for_each_role_separately() {
        let (_dir, config) = config(&[("user.name", "Config"), ("user.email", "c@example.com")]);
        let env = |key: &str| (key == "GIT_AUTHOR_NAME").then(|| "Env Author".to_owned());
        let identity = Identity::resolve(&config, &env).unwrap();
        assert_eq!(
            identity.author,
            ("Env Author".into(), "c@example.com".into())
        );
        assert_eq!(
            identity.committer,
            ("Config".into(), "c@example.com".into())
        );
    }

    #[test]
    fn invalid_or_missing_identities_name_the_key() {
        let (_dir, empty) = config(&[]);
        assert_eq!(Identity::resolve(&empty, &|_| None), Err("user.name"));
        let (_dir, bad) = config(&[("user.name", "A <b>"), ("user.email", "a@b")]);
        assert_eq!(Identity::resolve(&bad, &|_| None), Err("user.name"));
        let (_dir, no_email) = config(&[("user.name", "A")]);
        assert_eq!(Identity::resolve(&no_email, &|_| None), Err("user.email"));
        assert!(
            Identity::resolve(&no_email, &|key: &str| (key == "EMAIL")
                .then(|| "a@b".into()))
            .is_ok()
        );
    }
}
