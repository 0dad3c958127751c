//! The error type every command returns, its help hints and its exit codes.

use std::io;
use std::path::PathBuf;

use crate::text::escape;

/// Exit codes, documented in `--help` and the README. Scripts depend on them.
pub mod exit_code {
    /// Done; warnings on stderr are allowed.
    pub const OK: i32 = 0;
    /// Failure after writing began (rolled back), or writing to stdout/stderr failed.
    pub const FAILURE: i32 = 1;
    /// Bad usage or bad input; nothing was written.
    pub const USAGE: i32 = 2;
    /// A required toolchain is missing or too old; nothing was written.
    pub const TOOLCHAIN: i32 = 3;
    /// The project needs a person: `check` found an update, or `update` wrote conflicts.
    pub const NEEDS_PERSON: i32 = 4;
    /// Interrupted by SIGINT, Ctrl-C, Esc or EOF at a prompt; rolled back.
    pub const SIGINT: i32 = 130;
    /// Terminated by SIGTERM; rolled back.
    pub const SIGTERM: i32 = 143;
}

/// Everything that can stop a command. Messages follow cargo's style: lowercase, values in
/// backticks, no trailing period; `help` adds the hint line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value given on the command line (or, later, an answers file or a prompt) was refused.
    #[error("invalid {what} `{}`: {problem}", escape(value))]
    InvalidValue {
        /// What the value is: "project name", "description", "author", …
        what: &'static str,
        /// The value as given.
        value: String,
        /// Which rule it broke.
        problem: String,
        /// How to fix it, when there is something to say.
        help: Option<String>,
    },

    /// The project name cannot be taken from PATH.
    #[error("cannot take a project name from `{}`: {problem}", escape(path))]
    NameFromPath { path: String, problem: &'static str },

    /// No PATH was given and there is nobody to ask.
    #[error("missing the project directory `PATH`")]
    MissingPath,

    /// A file the user named (rules, answers) cannot be read: missing, a directory, too big,
    /// not UTF-8.
    #[error("cannot read {what} `{}`: {problem}", escape(&path.to_string_lossy()))]
    CannotRead {
        /// What the file is for: "rules file", …
        what: &'static str,
        path: PathBuf,
        problem: String,
    },

    /// A file the user named was read but says something invalid, at this line and column.
    // The problem can quote a value from the file, which may hold control characters.
    #[error(
        "invalid {what} `{}:{line}:{column}`: {}",
        escape(&path.to_string_lossy()),
        escape(problem)
    )]
    InvalidFile {
        /// What the file is for: "rules file", …
        what: &'static str,
        path: PathBuf,
        line: usize,
        column: usize,
        /// What is wrong there, in words.
        problem: String,
    },

    /// The target exists and is not an empty directory.
    #[error("destination `{}` already exists and is not empty", escape(&path.to_string_lossy()))]
    TargetNotEmpty {
        path: PathBuf,
        /// A few of its entries, to show the user what is there.
        entries: Vec<String>,
        /// How many entries were not listed.
        more: usize,
    },

    /// The target is a file (or something else that is not a directory).
    #[error("destination `{}` exists and is not a directory", escape(&path.to_string_lossy()))]
    TargetIsFile { path: PathBuf },

    /// The target itself is a symbolic link; following it could write anywhere.
    #[error("destination `{}` is a symbolic link", escape(&path.to_string_lossy()))]
    TargetIsSymlink { path: PathBuf },

    /// A filesystem error before anything was created (permission denied, name too long, …).
    #[error("cannot create `{}`: {source}", escape(&path.to_string_lossy()))]
    CannotCreate { path: PathBuf, source: io::Error },

    /// A filesystem error after writing began; everything this run created was removed.
    #[error("failed to write `{}`: {source}", escape(&path.to_string_lossy()))]
    Write { path: PathBuf, source: io::Error },

    /// Rolling back failed too: the paths listed were left behind.
    #[error("{original}; rolling back also failed, these paths were left behind: {}", leftovers.join(", "))]
    RollbackFailed {
        original: Box<Error>,
        leftovers: Vec<String>,
    },

    /// A signal arrived while writing; everything this run created was removed.
    #[error("interrupted by {}, nothing written", signal_name(*signal))]
    Interrupted { signal: i32 },

    /// A signal arrived once the project was whole (while installing, say); it was kept.
    #[error(
        "interrupted by {}; the project in `{}` was kept, fully written",
        signal_name(*signal),
        escape(&path.to_string_lossy())
    )]
    InterruptedAfterWriting {
        signal: i32,
        path: PathBuf,
        /// The install command to paste, when the install was cut short.
        retry: Option<String>,
    },

    /// The user cancelled a prompt (Ctrl-C, Esc, end of input) or declined the summary.
    #[error("cancelled, nothing written")]
    Cancelled,

    /// The terminal failed while prompting.
    #[error("cannot prompt: {0}")]
    Prompt(io::Error),
    /// A required tool is missing, too old or broken (`doctor`, `new --require-toolchain`).
    #[error("toolchain requirement not met: {}", tools.iter().map(|tool| format!("`{tool}`")).collect::<Vec<_>>().join(", "))]
    ToolchainNotReady {
        /// The tools that are not ok.
        tools: Vec<&'static str>,
        /// Whether `new` stopped before writing.
        nothing_written: bool,
    },

    /// `--install` ran a tool that failed; the project is kept.
    #[error("`{command}` failed: {message}")]
    Install {
        /// The command as shown to the user.
        command: String,
        /// The tool's own error, or why it could not start.
        message: String,
        /// The command to paste to try again.
        retry: String,
    },

    /// Writing to stdout or stderr failed (a closed pipe, `/dev/full`).
    #[error("cannot write output: {0}")]
    Output(io::Error),

    /// The same, once the project was whole: it stays.
    #[error(
        "cannot write output: {source}; the project in `{}` was written and kept",
        escape(&path.to_string_lossy())
    )]
    OutputAfterWriting { path: PathBuf, source: io::Error },

    /// `update`, `diff`, `check`: PATH is not a project stackgen made.
    #[error("`{}` is not a stackgen project: {problem}", escape(&path.to_string_lossy()))]
    NotAProject { path: PathBuf, problem: String },

    /// `update`, `diff`, `check`: PATH is a directory inside a project, not the project.
    #[error(
        "`{}` is inside the stackgen project `{}`, not a project itself",
        escape(&path.to_string_lossy()),
        escape(&project.to_string_lossy())
    )]
    InsideProject {
        path: PathBuf,
        project: PathBuf,
        command: &'static str,
    },

    /// `.stackgen.toml` parses but does not describe a project.
    #[error("invalid project record `{}`: {problem}", escape(&path.to_string_lossy()))]
    InvalidRecord { path: PathBuf, problem: String },

    /// `.stackgen.toml` names a template revision this stackgen does not have.
    #[error(
        "`{}` was made at template revision {revision}{}, and this stackgen knows revisions up to {newest}",
        escape(&path.to_string_lossy()),
        written_by.as_ref().map(|version| format!(" by stackgen {}", escape(version))).unwrap_or_default()
    )]
    UnknownRevision {
        path: PathBuf,
        revision: u32,
        written_by: Option<String>,
        newest: u32,
    },

    /// The files `update` would touch have uncommitted changes.
    #[error("uncommitted changes to files the update would touch: {}", files.iter().map(|file| format!("`{}`", escape(file))).collect::<Vec<_>>().join(", "))]
    DirtyTree { files: Vec<String> },

    /// `update` cannot write in the project at all (read-only, not the owner, disk full…).
    #[error("cannot write in the project: `{}`: {source}", escape(&path.to_string_lossy()))]
    ProjectNotWritable { path: PathBuf, source: io::Error },

    /// Another `update` holds the project's lock.
    #[error("another `stackgen update` is running in this project (`{}` exists)", escape(&path.to_string_lossy()))]
    UpdateLocked { path: PathBuf },

    /// A file changed between planning and applying; everything was put back.
    #[error("`{}` changed while the update ran; the project was left as it was", escape(&path.to_string_lossy()))]
    ChangedDuringUpdate { path: PathBuf },

    /// Another process made or replaced entries where this run was writing. This run undid
    /// what it had done and left those entries alone.
    #[error("{} appeared in `{}` while stackgen was writing", entries.iter().map(|entry| format!("`{}`", escape(entry))).collect::<Vec<_>>().join(", "), escape(&directory.to_string_lossy()))]
    EntriesAppeared {
        directory: PathBuf,
        /// Relative to `directory`.
        entries: Vec<String>,
    },

    /// `update --commit` cannot commit in this repository; found before anything is written.
    #[error("`update --commit` cannot commit here: {}", escape(problem))]
    CannotCommit { problem: String, help: String },

    /// `update --commit` without a git identity; found before anything is written.
    #[error("`update --commit` cannot commit: no valid {missing} is set")]
    CommitWithoutIdentity { missing: &'static str },

    /// `update --commit` could not commit; the files were updated.
    #[error("the update was applied but not committed: {}", escape(message))]
    GitCommit { message: String },

    /// `check`: the project is behind the current revision or its answers.
    #[error("an update is available: {}", files.join(", "))]
    UpdateAvailable { files: Vec<String> },

    /// `update` wrote conflict markers into `files`, or left `unmerged` files it could not
    /// merge (not text) as they were.
    #[error("{}", needs_person(files, unmerged))]
    Conflicts {
        files: Vec<String>,
        unmerged: Vec<String>,
    },

    /// `--all`: these projects failed; every other one was still checked or updated.
    #[error("{} failed: {}", counted(projects.len()), list(projects))]
    ProjectsFailed { projects: Vec<String> },

    /// `--all`: these projects have an update available (`check`) or conflicts (`update`).
    #[error("{} need a person: {}", counted(projects.len()), list(projects))]
    ProjectsNeedAPerson { projects: Vec<String> },

    /// A bug in stackgen (a template that does not render, a manifest that does not parse back).
    #[error("internal error, this is a bug in stackgen: {0}")]
    Internal(String),
}

fn signal_name(signal: i32) -> &'static str {
    if signal == signal_hook::consts::SIGTERM {
        "SIGTERM"
    } else {
        "SIGINT"
    }
}

/// `1 project` or `N projects`.
fn counted(count: usize) -> String {
    if count == 1 {
        "1 project".into()
    } else {
        format!("{count} projects")
    }
}

/// `` `a`, `b` ``, escaped.
fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{}`", escape(item)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `the update left conflicts in: `a`; it could not merge (not text): `b``.
fn needs_person(conflicts: &[String], unmerged: &[String]) -> String {
    let list = |files: &[String]| {
        files
            .iter()
            .map(|file| format!("`{}`", escape(file)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !conflicts.is_empty() {
        parts.push(format!("the update left conflicts in: {}", list(conflicts)));
    }
    if !unmerged.is_empty() {
        parts.push(format!(
            "the update could not merge, and left as they were: {}",
            list(unmerged)
        ));
    }
    parts.join("; ")
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InvalidValue { .. }
            | Error::NameFromPath { .. }
            | Error::MissingPath
            | Error::CannotRead { .. }
            | Error::InvalidFile { .. }
            | Error::TargetNotEmpty { .. }
            | Error::TargetIsFile { .. }
            | Error::TargetIsSymlink { .. }
            | Error::CannotCreate { .. }
            | Error::NotAProject { .. }
            | Error::InsideProject { .. }
            | Error::InvalidRecord { .. }
            | Error::UnknownRevision { .. }
            | Error::DirtyTree { .. }
            | Error::UpdateLocked { .. }
            | Error::CommitWithoutIdentity { .. } => exit_code::USAGE,
            Error::UpdateAvailable { .. }
            | Error::Conflicts { .. }
            | Error::ProjectsNeedAPerson { .. } => exit_code::NEEDS_PERSON,
            Error::ProjectsFailed { .. } => exit_code::FAILURE,
            Error::ChangedDuringUpdate { .. }
            | Error::EntriesAppeared { .. }
            | Error::CannotCommit { .. }
            | Error::ProjectNotWritable { .. }
            | Error::GitCommit { .. } => exit_code::FAILURE,
            Error::ToolchainNotReady { .. } => exit_code::TOOLCHAIN,
            Error::Interrupted { signal } | Error::InterruptedAfterWriting { signal, .. } => {
                128 + signal
            }
            Error::Cancelled => exit_code::SIGINT,
            Error::RollbackFailed { original, .. } => original.exit_code(),
            Error::Write { .. }
            | Error::Prompt(_)
            | Error::Install { .. }
            | Error::Output(_)
            | Error::OutputAfterWriting { .. }
            | Error::Internal(_) => exit_code::FAILURE,
        }
    }

    /// The hint printed after the error, when there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            Error::InvalidValue { help, .. } => help.clone(),
            Error::NameFromPath { .. } => {
                Some("keep the directory and pass the project name with `--name <NAME>`".into())
            }
            Error::MissingPath => Some(
                "pass the directory to create, e.g. `stackgen new my-app --stack node --yes`"
                    .into(),
            ),
            Error::TargetNotEmpty { entries, more, .. } => {
                let mut listed = entries.join(", ");
                if *more > 0 {
                    listed.push_str(&format!(" and {more} more"));
                }
                Some(format!(
                    "it holds {listed}; pick another directory, or pass `--force` to add the \
                     missing files without touching the ones that are there"
                ))
            }
            Error::TargetIsFile { .. } => Some("pick another directory name".into()),
            Error::NotAProject { .. } => Some(
                "pass the directory of a project made by `stackgen new` (it holds \
                 `.stackgen.toml`)"
                    .into(),
            ),
            Error::InsideProject {
                project, command, ..
            } => Some(format!(
                "run `stackgen {command} {}`, or `stackgen {command}` with no PATH from anywhere \
                 inside the project",
                crate::text::shell_quote(&project.to_string_lossy())
            )),
            Error::InvalidRecord { .. } => Some(
                "restore `.stackgen.toml` from git, or fix the value it names; nothing was written"
                    .into(),
            ),
            Error::UnknownRevision { .. } => Some(
                "upgrade stackgen (`cargo install --locked stackgen`) and run it again; \
                 nothing was written"
                    .into(),
            ),
            Error::DirtyTree { .. } => Some(
                "commit or stash them first, so the update can be reviewed on its own, or pass \
                 `--allow-dirty`; nothing was written"
                    .into(),
            ),
            Error::UpdateLocked { .. } => Some(
                "wait for it to finish; if none is running, remove the lock file and try again"
                    .into(),
            ),
            Error::CannotCommit { help, .. } => Some(format!("{help}; nothing was written")),
            Error::CommitWithoutIdentity { missing } => Some(format!(
                "set it with `git config --global {missing} …` (in CI, the `GIT_AUTHOR_*` and \
                 `GIT_COMMITTER_*` variables), or update without `--commit`; nothing was written"
            )),
            Error::ProjectNotWritable { source, .. }
                if source.kind() == io::ErrorKind::PermissionDenied =>
            {
                Some(
                    "run as the project's owner, or make it writable (`chmod -R u+w`); \
                     nothing was written"
                        .into(),
                )
            }
            Error::ProjectNotWritable { .. } => Some("nothing was written".into()),
            Error::ChangedDuringUpdate { .. } => Some("run the update again".into()),
            Error::EntriesAppeared { .. } => Some(
                "stackgen undid only what it had done and left those entries as they are; stop \
                 whatever else writes there, then run again"
                    .into(),
            ),
            Error::UpdateAvailable { .. } => {
                Some("run `stackgen update` to apply it, or `stackgen diff` to see it".into())
            }
            Error::Conflicts { files, unmerged } => Some(
                [
                    (!files.is_empty())
                        .then_some("resolve the `<<<<<<<` markers (yours first, then stackgen's)"),
                    (!unmerged.is_empty()).then_some(
                        "apply the template's change shown above to the files left as they \
                         were, by hand",
                    ),
                    Some("then run the project's tests"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; "),
            ),
            Error::TargetIsSymlink { .. } => {
                Some("pass the directory the link points to, or pick another directory name".into())
            }
            Error::CannotCreate { source, .. }
                if source.kind() == io::ErrorKind::PermissionDenied =>
            {
                Some("permission denied: pick a directory you can write to".into())
            }
            Error::ToolchainNotReady {
                nothing_written, ..
            } => Some(format!(
                "fix the tools listed above, then check again with `stackgen doctor`{}",
                if *nothing_written {
                    "; nothing was written"
                } else {
                    ""
                }
            )),
            Error::Install { retry, .. } => {
                Some(format!("the project was kept; to try again, run `{retry}`"))
            }
            Error::InterruptedAfterWriting {
                retry: Some(retry), ..
            } => Some(format!(
                "its dependencies were not installed; to install them, run `{retry}`"
            )),
            Error::Interrupted { .. } | Error::Write { .. } => {
                Some("everything this run created was removed".into())
            }
            _ => None,
        }
    }
}

impl From<crate::prompt::PromptError> for Error {
    fn from(error: crate::prompt::PromptError) -> Self {
        match error {
            crate::prompt::PromptError::Cancelled => Error::Cancelled,
            crate::prompt::PromptError::Failed(error) => Error::Prompt(error),
        }
    }
}

impl From<crate::name::NameError> for Error {
    fn from(error: crate::name::NameError) -> Self {
        Error::InvalidValue {
            what: "project name",
            value: error.name.clone(),
            problem: error.problem.clone(),
            help: error.help(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_map_to_shell_exit_codes() {
        let sigint = Error::Interrupted {
            signal: signal_hook::consts::SIGINT,
        };
        let sigterm = Error::Interrupted {
            signal: signal_hook::consts::SIGTERM,
        };
        assert_eq!(sigint.exit_code(), exit_code::SIGINT);
        assert_eq!(sigterm.exit_code(), exit_code::SIGTERM);
        let kept = Error::InterruptedAfterWriting {
            signal: signal_hook::consts::SIGTERM,
            path: "app".into(),
            retry: None,
        };
        assert_eq!(kept.exit_code(), exit_code::SIGTERM);
        assert!(kept.to_string().contains("was kept"));
        assert!(!kept.to_string().contains("nothing written"));
    }

    #[test]
    fn refusals_before_writing_are_usage_errors() {
        let error = Error::TargetIsFile { path: "x".into() };
        assert_eq!(error.exit_code(), exit_code::USAGE);
    }
}
