//! The command-line surface: clap derive types only. Scripts depend on these names.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::extras::{Ci, License};
use crate::output::ColorChoice;
use crate::recommend::{Load, Priority, Team, UseCase};
use crate::stack::{Lang, Stack, StackChoice};

const EXIT_CODES: &str = "\
Exit codes:
  0    done (warnings allowed)
  1    failure after writing began (rolled back), or output could not be written
  2    bad usage or bad input (nothing written)
  3    toolchain requirement not met (nothing written)
  4    the project needs a person: `check` found an update, `update` wrote conflicts
  130  interrupted by SIGINT / Ctrl-C (rolled back)
  143  terminated by SIGTERM (rolled back)";

const TOP_EXAMPLES: &str = "\
Examples:
  stackgen new my-app                          ask what you are building, then scaffold
  stackgen recommend --use-case api --team python

In CI (never prompts without a terminal; --json output goes to stdout):
  stackgen doctor --stack node || exit
  stackgen new app --stack node --yes --no-git --json > stackgen.json

In onboarding scripts (one committed answers file gives every laptop the same project):
  stackgen doctor --stack flask || exit
  stackgen new my-service --answers team.stackgen.toml --yes --require-toolchain --install

Shell completions and manual:
  stackgen completions bash > ~/.local/share/bash-completion/completions/stackgen
  stackgen man > stackgen.1";

const NEW_EXAMPLES: &str = "\
Examples:
  stackgen new my-app --stack node --yes
  stackgen new services/api --stack flask --name api --description 'Orders API' --port 8080
  stackgen new my-app --stack node --dry-run --json
  stackgen new chat --use-case realtime --team javascript --yes

In CI: no prompts, no repository, one JSON document on stdout:
  stackgen new app --stack node --yes --no-git --json > stackgen.json

In onboarding scripts: refuse to write anything unless the toolchain is ready, then install:
  stackgen doctor --stack node || exit
  stackgen new my-service --stack node --yes --require-toolchain --install

Another project like it, from the answers it recorded:
  stackgen new other --answers my-service/.stackgen.toml --name other --yes";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  stackgen completions bash > ~/.local/share/bash-completion/completions/stackgen
  stackgen completions zsh > ~/.zfunc/_stackgen
  stackgen completions fish > ~/.config/fish/completions/stackgen.fish
  stackgen completions powershell >> $PROFILE";

const MAN_EXAMPLES: &str = "\
Examples:
  stackgen man | man -l -
  stackgen man > stackgen.1 && stackgen man new > stackgen-new.1";

const RECOMMEND_EXAMPLES: &str = "\
Examples:
  stackgen recommend --use-case realtime --team javascript
  stackgen recommend --use-case data-science --team none --priority learning --json
  stackgen rules > my-rules.toml && stackgen recommend --use-case api --rules my-rules.toml";

const UPDATE_EXAMPLES: &str = "\
Examples:
  stackgen check || stackgen diff
  stackgen update
  stackgen update --set docker=true --set ci=github
  stackgen update path/to/project --dry-run --json";

const DOCTOR_EXAMPLES: &str = "\
Examples:
  stackgen doctor
  stackgen doctor --stack flask --json";

/// Recommends a backend stack (Node.js or Python/Flask) and scaffolds a tested project.
#[derive(Debug, Parser)]
#[command(
    name = "stackgen",
    version = env!("STACKGEN_VERSION"),
    about,
    after_help = format!("{TOP_EXAMPLES}\n\n{EXIT_CODES}")
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to use colour.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print only warnings and errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more about each step.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project.
    #[command(after_help = format!("{NEW_EXAMPLES}\n\n{EXIT_CODES}"))]
    New(NewArgs),
    /// Bring a project up to the current templates, keeping your edits (3-way merge).
    #[command(after_help = format!("{UPDATE_EXAMPLES}\n\n{EXIT_CODES}"))]
    Update(UpdateArgs),
    /// Show the unified diff `update` would apply.
    #[command(after_help = EXIT_CODES)]
    Diff(DiffArgs),
    /// Exit 4 when an update is available (for CI), 0 when the project is current.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// List the embedded stacks and their files.
    List(ListArgs),
    /// Recommend a stack for what you are building, and say why.
    #[command(after_help = format!("{RECOMMEND_EXAMPLES}\n\n{EXIT_CODES}"))]
    Recommend(RecommendArgs),
    /// Print the embedded recommendation rules, to copy and edit for `--rules`.
    Rules,
    /// Check that the toolchain a stack needs is installed, runs and is new enough.
    #[command(after_help = format!("{DOCTOR_EXAMPLES}\n\n{EXIT_CODES}"))]
    Doctor(DoctorArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print the manual page of stackgen, or of one of its commands, as roff.
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The directory to create; its last component is the project name unless `--name` is given.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// The project name (npm package name for Node.js, distribution name for Flask).
    #[arg(long)]
    pub name: Option<String>,

    /// The stack to generate [default: auto].
    #[arg(long, value_enum)]
    pub stack: Option<StackChoice>,

    /// The language of a Node.js project [default: js]; TypeScript runs as is on Node.js
    /// 22.18 or later. Not for Flask.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,

    /// Ask nothing: take defaults for everything not given.
    #[arg(long, short)]
    pub yes: bool,

    /// Never prompt, even at a terminal.
    #[arg(long)]
    pub no_interactive: bool,

    /// A one-line description of the project (at most 512 characters).
    #[arg(long)]
    pub description: Option<String>,

    /// The author: `Name`, `Name <email>` or `<email>`.
    #[arg(long)]
    pub author: Option<String>,

    /// The port the server listens on by default [default: 3000 for Node.js, 5000 for Flask].
    #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,

    /// Do not initialise a git repository.
    #[arg(long)]
    pub no_git: bool,

    /// Write into an existing non-empty directory, skipping every file that already exists.
    #[arg(long)]
    pub force: bool,

    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Print one JSON document describing the result on stdout.
    #[arg(long)]
    pub json: bool,

    /// Fail with exit code 3, writing nothing, if the stack's toolchain is not ready.
    #[arg(long, conflicts_with = "skip_checks")]
    pub require_toolchain: bool,

    /// Do not check the stack's toolchain.
    #[arg(long)]
    pub skip_checks: bool,

    /// With `--require-toolchain`, a runtime past its end of life fails too (exit 3).
    #[arg(long, requires = "require_toolchain")]
    pub strict: bool,

    /// Install the dependencies once the project is written: `npm install` for Node.js, a
    /// `.venv` with the project installed in it for Flask. Implies `--require-toolchain`.
    #[arg(long, conflicts_with_all = ["skip_checks", "dry_run"])]
    pub install: bool,

    /// Render this template revision instead of the current one (to reproduce a project made
    /// by an earlier stackgen; `stackgen update` brings it up to date later).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub template_revision: Option<u32>,

    /// The license to add [default: none].
    #[arg(long, value_enum, help_heading = "Extras")]
    pub license: Option<License>,

    /// Add a CI workflow that installs the toolchain and runs the tests [default: none].
    #[arg(long, value_enum, help_heading = "Extras")]
    pub ci: Option<Ci>,

    /// Add a small production `Dockerfile` and `.dockerignore`.
    #[arg(long, help_heading = "Extras")]
    pub docker: bool,

    /// Leave out `AGENTS.md`, the notes for coding agents.
    #[arg(long, help_heading = "Extras")]
    pub no_agents: bool,

    /// With `--ci github`, leave out the weekly update bot (`.github/workflows/stackgen-update.yml`).
    #[arg(long, help_heading = "Extras")]
    pub no_update_bot: bool,

    /// The copyright year of the license [default: this year].
    #[arg(long, help_heading = "Extras", value_parser = clap::value_parser!(u16).range(1970..=9999))]
    pub year: Option<u16>,

    #[command(flatten)]
    pub answers: AnswerArgs,
}

/// The answers a recommendation is made from, shared by `recommend` and `new`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Recommendation")]
pub struct AnswerArgs {
    /// What you are building.
    #[arg(long, value_enum)]
    pub use_case: Option<UseCase>,

    /// What the team already knows.
    #[arg(long, value_enum)]
    pub team: Option<Team>,

    /// What matters most; repeat for up to 3 different priorities.
    #[arg(long = "priority", value_enum, value_name = "PRIORITY")]
    pub priorities: Vec<Priority>,

    /// The expected load.
    #[arg(long, value_enum)]
    pub load: Option<Load>,

    /// Use the rules in FILE instead of the embedded ones (`stackgen rules` prints those).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Read answers from a TOML or JSON file (such as a project's `.stackgen.toml`); flags
    /// override it.
    #[arg(long = "answers", value_name = "FILE")]
    pub answers_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub answers: AnswerArgs,

    /// Print one JSON document describing the recommendation on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The project directory [default: the project holding the current directory].
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Change an answer (`docker=true`, `license=MIT`, `ci=github`, `agents=false`,
    /// `description=…`, `port=…`);
    /// repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub settings: Vec<String>,

    /// Read answers to change from a TOML or JSON answers file; `--set` overrides it.
    #[arg(long = "answers", value_name = "FILE")]
    pub answers_file: Option<PathBuf>,

    /// Print the plan, and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Print one JSON document describing the update on stdout.
    #[arg(long)]
    pub json: bool,

    /// Update even when the files it touches have uncommitted changes.
    #[arg(long)]
    pub allow_dirty: bool,

    /// Commit the update (only when it has no conflicts).
    #[arg(long, conflicts_with = "dry_run")]
    pub commit: bool,

    /// Write a Markdown summary of the update to FILE (for a pull request's body): the
    /// revisions crossed and their notes, each file's outcome, conflicts and how to resolve them.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Update every project under PATH (default `.`): one line each and a summary; each
    /// project all-or-nothing; with `--commit`, one commit per repository.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The project directory [default: the project holding the current directory].
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Change an answer, as with `update --set`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub settings: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The project directory [default: the project holding the current directory].
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,

    /// Check every project under PATH (default `.`): one line each and a summary.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check only this stack's tools [default: every stack].
    #[arg(long, value_enum)]
    pub stack: Option<Stack>,

    /// Print one JSON document on stdout instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Fail (exit 3) when a runtime is past its end of life, not only warn.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, such as `new` [default: the page of stackgen itself].
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every answer `.stackgen.toml` records can also be given to `new` as a flag, so a key
    /// added to the record's table without one fails here.
    #[test]
    fn every_recorded_answer_has_a_flag_on_new() {
        let cli = Cli::command();
        let new = cli.find_subcommand("new").unwrap();
        let flags: Vec<&str> = new
            .get_arguments()
            .filter_map(|arg| arg.get_long())
            .collect();
        for key in crate::record::key_names() {
            if key == "stackgen_version" {
                continue; // written by stackgen, never given
            }
            let flag = key.replace('_', "-");
            let candidates = [
                flag.clone(),
                format!("no-{flag}"),
                flag.trim_end_matches("ies").to_owned() + "y",
            ];
            assert!(
                candidates
                    .iter()
                    .any(|candidate| flags.contains(&candidate.as_str())),
                "`{key}` is recorded but `new` has no flag for it (looked for {candidates:?})"
            );
        }
    }
}
