//! The toolchain doctor: which programs a stack needs, whether they run, and how to fix them.
//!
//! Every probe runs in its own thread, so a full check costs about as long as the slowest
//! program takes to start, not the sum of all of them.

mod hint;
mod manager;
mod node;
mod probe;
mod python;
mod version;

use std::path::{Path, PathBuf};
use std::thread;

use serde::{Serialize, Serializer};

use crate::date::Day;
use crate::error::Error;
use crate::lifecycle::{self, Runtime, Support};
use crate::stack::Stack;
use crate::text::escape;

pub use probe::{Probe, SystemProbe};

use hint::{Os, Subject};
use manager::Manager;
use probe::RunError;
pub use version::Requirement;
use version::Version;

/// A program (or capability) a stack needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Node,
    Npm,
    Python,
    Pip,
    Venv,
    Git,
}

impl Tool {
    /// The name in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Node => "node",
            Tool::Npm => "npm",
            Tool::Python => "python",
            Tool::Pip => "pip",
            Tool::Venv => "venv",
            Tool::Git => "git",
        }
    }

    /// The versions accepted, when there is a requirement: the runtimes' come from the
    /// project's own manifest.
    fn requirement(self, requirements: &Requirements) -> Option<Requirement> {
        match self {
            Tool::Node => Some(requirements.node.clone()),
            Tool::Python => Some(requirements.python.clone()),
            // `pip install -e .` of a project with only a `pyproject.toml` needs PEP 660.
            Tool::Pip => Some(Requirement::at_least(21, 3)),
            Tool::Npm | Tool::Venv | Tool::Git => None,
        }
    }

    /// The runtime whose release lines have a life cycle, if the tool is one.
    fn runtime(self) -> Option<Runtime> {
        match self {
            Tool::Node => Some(Runtime::Node),
            Tool::Python => Some(Runtime::Python),
            _ => None,
        }
    }

    /// Whether the stack cannot work without it; stackgen itself uses libgit2, not `git`.
    fn required(self) -> bool {
        self != Tool::Git
    }
}

/// The verdict on one tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Found, runs, new enough.
    Ok,
    /// Found and runs, but older than the minimum.
    TooOld,
    /// Found, new enough to run the project, but its release line is past its end of life:
    /// a warning unless `--strict`.
    Eol,
    /// Not found.
    Missing,
    /// Found, but it exits with an error, times out or prints no version.
    Broken,
}

/// A version manager's stand-in that was followed to the real program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shim {
    /// The manager, when its directory layout gives it away.
    pub manager: Option<&'static str>,
    /// The program the shim runs, when the probe could tell.
    #[serde(serialize_with = "lossy_path")]
    pub target: Option<PathBuf>,
}

/// Everything known about one tool; this is also the JSON shape scripts rely on.
#[derive(Debug, Clone, Serialize)]
pub struct ToolReport {
    pub name: &'static str,
    pub found: bool,
    #[serde(serialize_with = "lossy_path")]
    pub path: Option<PathBuf>,
    pub version: Option<String>,
    pub minimum: Option<String>,
    pub status: Status,
    /// How to fix it on this OS.
    pub hint: Option<String>,
    pub required: bool,
    /// What stackgen ran or read to decide.
    pub probe: Option<String>,
    /// What is wrong, in one sentence.
    pub problem: Option<String>,
    /// The version manager that owns the path (`pyenv`, `nvm`, …).
    pub manager: Option<&'static str>,
    pub shim: Option<Shim>,
    /// PEP 668: pip refuses to install outside a virtual environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub externally_managed: Option<bool>,
    /// Node.js and Python: the end of life of the version's line and its support today.
    #[serde(flatten)]
    pub life_cycle: Option<LifeCycle>,
    /// The probe ran into its timeout: the check of this tool did not happen.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
    /// Something to know that is not a problem yet (an end of life within 90 days).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `eol` and `support` of a runtime's entry; both `null` for a line the data does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifeCycle {
    #[serde(serialize_with = "day_text")]
    pub eol: Option<Day>,
    pub support: Option<Support>,
}

fn day_text<S: Serializer>(day: &Option<Day>, serializer: S) -> Result<S::Ok, S::Error> {
    match day {
        Some(day) => serializer.serialize_str(&day.to_string()),
        None => serializer.serialize_none(),
    }
}

impl ToolReport {
    /// True when this tool stops its stack from working.
    pub fn is_problem(&self) -> bool {
        self.required && !matches!(self.status, Status::Ok | Status::Eol)
    }

    /// The same, with a line past its end of life counted as a problem (`--strict`).
    pub fn is_problem_strictly(&self) -> bool {
        self.is_problem() || self.status == Status::Eol
    }
}

/// The result of a check: `{"ok": …, "tools": […]}` in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Every required tool is ok.
    pub ok: bool,
    pub tools: Vec<ToolReport>,
    /// Set when the life-cycle data is over 18 months old.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_dates: Option<String>,
}

impl Report {
    /// The report for a tool, if it was checked.
    pub fn tool(&self, name: &str) -> Option<&ToolReport> {
        self.tools.iter().find(|tool| tool.name == name)
    }

    /// The error for a report with problems, if it has any.
    /// With `strict`, a runtime past its end of life is a problem too.
    pub fn not_ready(&self, nothing_written: bool, strict: bool) -> Option<Error> {
        let tools: Vec<&'static str> = self
            .tools
            .iter()
            .filter(|tool| {
                if strict {
                    tool.is_problem_strictly()
                } else {
                    tool.is_problem()
                }
            })
            .map(|tool| tool.name)
            .collect();
        (!tools.is_empty()).then_some(Error::ToolchainNotReady {
            tools,
            nothing_written,
        })
    }

    /// One warning per required tool that is not ok (a runtime past its end of life
    /// included), each with its fix.
    pub fn warnings(&self) -> impl Iterator<Item = String> {
        self.tools
            .iter()
            .filter(|tool| tool.is_problem_strictly())
            .map(|tool| {
                let mut message = tool.problem.clone().unwrap_or_default();
                if let Some(hint) = &tool.hint {
                    message.push_str("\n  help: ");
                    message.push_str(hint);
                }
                message
            })
    }

    /// The interpreter to build a virtual environment with: past any shim, since a pyenv
    /// shim picks its Python by the current directory.
    pub fn python(&self) -> Option<&Path> {
        let python = self.tool(Tool::Python.name())?;
        let target = python.shim.as_ref().and_then(|shim| shim.target.as_deref());
        target.or(python.path.as_deref())
    }
}

fn lossy_path<S: Serializer>(path: &Option<PathBuf>, serializer: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(path) => serializer.serialize_str(&path.to_string_lossy()),
        None => serializer.serialize_none(),
    }
}

/// The runtime versions the projects being checked declare (`engines.node`,
/// `requires-python`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirements {
    pub node: Requirement,
    pub python: Requirement,
}

/// Checks the tools `stacks` need, plus `git` when asked, all probes in parallel, against the
/// versions the projects declare.
pub fn check(
    probe: &dyn Probe,
    stacks: &[Stack],
    git: bool,
    requirements: &Requirements,
) -> Report {
    let context = Context {
        probe,
        os: Os::detect(),
        requirements,
    };
    let context = &context;
    let mut tools: Vec<ToolReport> = thread::scope(|scope| {
        let mut jobs = Vec::new();
        for stack in Stack::ALL
            .into_iter()
            .filter(|stack| stacks.contains(stack))
        {
            match stack {
                Stack::Node => {
                    jobs.push(scope.spawn(move || vec![node::check_node(context)]));
                    jobs.push(scope.spawn(move || vec![node::check_npm(context)]));
                }
                Stack::Flask => jobs.push(scope.spawn(move || python::check(context))),
            }
        }
        if git {
            jobs.push(scope.spawn(move || vec![check_git(context)]));
        }
        jobs.into_iter()
            .flat_map(|job| {
                job.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    node::npm_needs_node(&mut tools);
    Report {
        ok: !tools.iter().any(ToolReport::is_problem),
        tools,
        stale_dates: lifecycle::stale_note(Day::today()),
    }
}

/// What every check needs.
struct Context<'a> {
    probe: &'a dyn Probe,
    os: Os,
    requirements: &'a Requirements,
}

/// What a check found, before status, problem and hint are decided.
#[derive(Debug, Default)]
struct Finding {
    /// The command as a user would type it (`node`, `python3`, `py -3`).
    program: String,
    found: bool,
    path: Option<PathBuf>,
    version: Option<Version>,
    /// Why it does not run.
    broken: Option<String>,
    /// It ran into the probe timeout.
    timed_out: bool,
    /// Why it counts as missing although something was found (`venv` without `ensurepip`).
    missing: Option<String>,
    probe: Option<String>,
    manager: Option<Manager>,
    shim: Option<Shim>,
    /// The Python version this belongs to, for version-specific hints.
    python: Option<String>,
    externally_managed: Option<bool>,
}

impl Finding {
    /// A program located at `path`, about to be probed.
    fn located(program: &str, path: PathBuf) -> Finding {
        Finding {
            program: program.to_owned(),
            found: true,
            manager: Manager::of(&path),
            path: Some(path),
            ..Finding::default()
        }
    }

    /// Takes the version from a probe's output, or marks the tool broken.
    fn read_version(&mut self, result: Result<probe::Captured, RunError>) {
        match result {
            Ok(captured) => match version::find(captured.text()) {
                Some(version) => self.version = Some(version),
                None => {
                    self.broken = Some(format!(
                        "it printed no version number (`{}`)",
                        probe::first_line(captured.text())
                    ));
                }
            },
            Err(error) => {
                self.timed_out = matches!(error, RunError::Timeout(_));
                self.broken = Some(error.to_string());
            }
        }
    }

    fn status(&self, requirement: Option<&Requirement>) -> Status {
        if !self.found || self.missing.is_some() {
            return Status::Missing;
        }
        if self.broken.is_some() {
            return Status::Broken;
        }
        match (requirement, &self.version) {
            (Some(_), None) => Status::Broken,
            (Some(requirement), Some(version)) if !version.meets(requirement) => Status::TooOld,
            _ => Status::Ok,
        }
    }

    fn into_report(self, tool: Tool, context: &Context<'_>) -> ToolReport {
        let os = context.os;
        let minimum = tool.requirement(context.requirements);
        let mut status = self.status(minimum.as_ref());
        let today = Day::today();
        let runtime = tool.runtime();
        let standing = runtime
            .zip(self.version.as_ref())
            .and_then(|(runtime, version)| {
                let (major, minor) = version.major_minor();
                lifecycle::standing(runtime, major, minor, today)
            });
        let life_cycle = runtime.map(|_| LifeCycle {
            eol: standing.as_ref().map(|standing| standing.eol),
            support: standing.as_ref().map(|standing| standing.support),
        });
        if status == Status::Ok
            && standing
                .as_ref()
                .is_some_and(|standing| standing.support == Support::Eol)
        {
            status = Status::Eol;
        }
        let maintained = || {
            runtime.map_or_else(String::new, |runtime| {
                lifecycle::maintained(runtime, today).join(", ")
            })
        };
        let note = standing
            .as_ref()
            .filter(|standing| {
                status == Status::Ok && standing.eol.0 - today.0 <= lifecycle::NOTE_DAYS
            })
            .map(|standing| {
                format!(
                    "the {} line reaches its end of life on {} (in {} days); maintained \
                     lines: {}",
                    standing.line,
                    standing.eol,
                    standing.eol.0 - today.0,
                    maintained()
                )
            });
        // pip and venv belong to an interpreter: their hints use its command, their
        // problems their own name.
        let shown = match tool {
            Tool::Pip | Tool::Venv => format!("`{}`", tool.name()),
            _ => format!("`{}`", escape(&self.program)),
        };
        let version = escape(
            &self
                .version
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
        let problem = match status {
            Status::Ok => None,
            Status::Eol => standing.as_ref().map(|standing| {
                format!(
                    "{shown} {version} is past its end of life: the {} line was supported \
                     until {} and gets no security fixes; maintained lines: {}",
                    standing.line,
                    standing.eol,
                    maintained()
                )
            }),
            Status::Missing => Some(match (&self.missing, &minimum) {
                (Some(reason), _) => reason.clone(),
                (None, Some(minimum)) => {
                    format!("{shown} was not found on PATH; the minimum is {minimum}")
                }
                (None, None) => format!("{shown} was not found on PATH"),
            }),
            Status::Broken => Some(format!(
                "{shown} was found at `{}` but does not run: {}",
                escape(
                    &self
                        .path
                        .as_deref()
                        .unwrap_or(Path::new(""))
                        .to_string_lossy()
                ),
                self.broken
                    .as_deref()
                    .unwrap_or("it printed no version number")
            )),
            Status::TooOld => Some(match &minimum {
                Some(minimum) if minimum.is_minimum() => {
                    format!("{shown} {version} is older than the minimum {minimum}")
                }
                minimum => format!(
                    "{shown} {version} is not one the project accepts: it declares `{}`",
                    minimum
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                ),
            }),
        };
        let hint = hint::hint(
            &Subject {
                tool,
                status,
                program: &self.program,
                manager: self.manager,
                python: self.python.as_deref(),
                timed_out: self.timed_out,
            },
            os,
        );
        ToolReport {
            name: tool.name(),
            found: self.found,
            path: self.path,
            version: self.version.map(|version| version.to_string()),
            minimum: minimum.map(|minimum| minimum.to_string()),
            status,
            hint,
            required: tool.required(),
            probe: self.probe,
            problem,
            manager: self.manager.map(Manager::name),
            shim: self.shim,
            externally_managed: self.externally_managed,
            life_cycle,
            timed_out: self.timed_out,
            note,
        }
    }
}

/// The report for a program that is not on PATH.
fn missing(context: &Context<'_>, tool: Tool, program: &str) -> ToolReport {
    Finding {
        program: program.to_owned(),
        ..Finding::default()
    }
    .into_report(tool, context)
}

/// The usual check: run the program found at `path` with `args`, read the version it prints.
fn version_report(
    context: &Context<'_>,
    tool: Tool,
    program: &str,
    path: PathBuf,
    args: &[&str],
) -> ToolReport {
    let mut finding = Finding::located(program, path.clone());
    finding.probe = Some(describe_run(&path, args));
    finding.read_version(context.probe.run(&path, args));
    finding.into_report(tool, context)
}

fn check_git(context: &Context<'_>) -> ToolReport {
    match context.probe.locate("git") {
        Some(path) => version_report(context, Tool::Git, "git", path, &["--version"]),
        None => missing(context, Tool::Git, "git"),
    }
}

/// The command line that was run, for the `probe` field.
fn describe_run(path: &Path, args: &[&str]) -> String {
    let mut text = path.to_string_lossy().into_owned();
    for arg in args {
        text.push(' ');
        text.push_str(arg);
    }
    text
}

#[cfg(test)]
mod tests;
