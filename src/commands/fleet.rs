//! `check --all` and `update --all`: every project under a directory, one line each and a
//! summary, or one JSON document with an entry per project. One project's failure never stops
//! the others. Exit 1 if any failed (a failure outranks drift), else 4 if any has drift
//! (`check`) or needs a person (`update`), else 0.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::thread;

use serde_json::json;

use super::update::{
    check_json, commit_message, drift_error, needs_person, needs_person_error, prepared,
    update_json, write_report, written_paths,
};
use crate::cli::{CheckArgs, UpdateArgs};
use crate::error::Error;
use crate::fleet::{self, Found};
use crate::git;
use crate::output::{Reporter, write_json};
use crate::text::escape;
use crate::update::{Plan, apply, planned, report};

/// How one project came out.
enum Verdict {
    /// Current (`check`), or updated or up to date (`update`).
    Done,
    /// Behind its templates (`check`), or left with conflicts (`update`).
    NeedsPerson,
    Failed,
}

/// One project's line, JSON entry and verdict.
struct Entry {
    path: PathBuf,
    verdict: Verdict,
    line: String,
    json: serde_json::Value,
}

impl Entry {
    fn failed(path: &Path, error: &Error) -> Entry {
        let mut message = error.to_string();
        if let Some(help) = error.help() {
            message.push_str(&format!(" ({help})"));
        }
        Entry {
            path: path.to_owned(),
            verdict: Verdict::Failed,
            line: format!("failed: {message}"),
            json: json!({ "path": path.to_string_lossy(), "status": "failed", "error": message }),
        }
    }
}

/// The directory `--all` searches: PATH, or the current directory.
fn search_root(path: Option<&Path>) -> PathBuf {
    path.map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// Plans every project, in parallel: reading and rendering are all a plan does, and one
/// project's files never depend on another's.
fn plan_all<T: Send>(
    found: &[Found],
    plan: impl Fn(&Path) -> Result<T, Error> + Sync,
) -> Vec<(PathBuf, Result<T, Error>)> {
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let chunk = found.len().div_ceil(workers).max(1);
    let plan = &plan;
    thread::scope(|scope| {
        let jobs: Vec<_> = found
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|found| {
                            let result = match found {
                                Found::Project(path) => plan(path),
                                Found::Unreadable { path, problem } => Err(Error::NotAProject {
                                    path: path.clone(),
                                    problem: format!("it cannot be searched: {problem}"),
                                }),
                            };
                            (found.path().to_owned(), result)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        jobs.into_iter()
            .flat_map(|job| {
                job.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// `stackgen check --all`.
pub fn check(args: &CheckArgs, reporter: &Reporter) -> Result<(), Error> {
    let root = search_root(args.path.as_deref());
    let found = fleet::find_projects(&root)?;
    let entries: Vec<Entry> = plan_all(&found, |path| planned(path, &[], None))
        .into_iter()
        .map(|(path, result)| match result {
            Err(error) => Entry::failed(&path, &error),
            Ok(plan) => {
                let json = json!({
                    "path": path.to_string_lossy(),
                    "status": if plan.is_up_to_date() { "up_to_date" } else { "update_available" },
                    "result": check_json(&plan),
                });
                let (verdict, line) = match drift_error(&plan) {
                    None => (Verdict::Done, format!("up to date (revision {})", plan.to)),
                    Some(_) => (
                        Verdict::NeedsPerson,
                        format!("update available: revision {} → {}", plan.from, plan.to),
                    ),
                };
                Entry {
                    path,
                    verdict,
                    line,
                    json,
                }
            }
        })
        .collect();
    report(&root, &entries, args.json, reporter, &CHECKED)
}

/// `stackgen update --all`.
pub fn update(args: &UpdateArgs, reporter: &Reporter) -> Result<(), Error> {
    let root = search_root(args.path.as_deref());
    let found = fleet::find_projects(&root)?;
    let planned = plan_all(&found, |path| prepared(path, args));
    let writes = |plan: &Plan| !args.dry_run && !plan.is_up_to_date();
    // Projects that will be committed, by repository, each repository checked before anything
    // is written: a commit that cannot be made fails its projects untouched.
    let mut groups: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    let mut committers: BTreeMap<PathBuf, Result<git::UpdateCommitter, String>> = BTreeMap::new();
    if args.commit {
        for (index, (path, result)) in planned.iter().enumerate() {
            let Ok(plan) = result else { continue };
            if !writes(plan) || needs_person(plan) {
                continue;
            }
            let Some(workdir) = git::workdir(path) else {
                continue;
            };
            committers.entry(workdir.clone()).or_insert_with(|| {
                git::UpdateCommitter::prepare(&workdir).map_err(|error| error.to_string())
            });
            groups.entry(workdir).or_default().push(index);
        }
    }
    let mut failures: BTreeMap<usize, Error> = BTreeMap::new();
    for (workdir, committer) in &committers {
        if let Err(problem) = committer {
            for &index in &groups[workdir] {
                failures.insert(
                    index,
                    Error::CannotCommit {
                        problem: problem.clone(),
                        help: "update without `--commit`, or fix the repository".into(),
                    },
                );
            }
        }
    }
    // Applied one after another: each is all-or-nothing under the one signal guard.
    for (index, (path, result)) in planned.iter().enumerate() {
        if let Ok(plan) = result
            && writes(plan)
            && !failures.contains_key(&index)
            && let Err(error) = apply::apply(path, plan)
        {
            failures.insert(index, error);
        }
    }
    let mut commits: BTreeMap<usize, git::UpdateCommit> = BTreeMap::new();
    for (workdir, committer) in committers {
        let Ok(committer) = committer else { continue };
        let members: Vec<usize> = groups[&workdir]
            .iter()
            .copied()
            .filter(|index| !failures.contains_key(index))
            .collect();
        let mut changed = Vec::new();
        let mut removed = Vec::new();
        let mut newest = 0;
        let mut single = None;
        for &index in &members {
            let (path, Ok(plan)) = &planned[index] else {
                continue;
            };
            let prefix = git::relative_to(&workdir, path).unwrap_or_default();
            let (written, gone) = written_paths(plan, &prefix);
            changed.extend(written);
            removed.extend(gone);
            newest = newest.max(plan.to);
            single = Some(plan);
        }
        if members.is_empty() {
            continue;
        }
        let message = match (members.len(), single) {
            (1, Some(plan)) => commit_message(plan),
            (count, _) => format!("Update {count} projects to stackgen revision {newest}"),
        };
        match committer.commit(&changed, &removed, &message) {
            Ok(commit) => {
                for index in members {
                    commits.insert(index, commit.clone());
                }
            }
            Err(error) => {
                for index in members {
                    failures.insert(
                        index,
                        Error::GitCommit {
                            message: error.to_string(),
                        },
                    );
                }
            }
        }
    }
    let reported: Vec<report::Updated> = planned
        .iter()
        .enumerate()
        .filter(|(index, _)| !failures.contains_key(index))
        .filter_map(|(_, (path, result))| {
            let plan = result.as_ref().ok()?;
            Some(report::Updated {
                path: path.clone(),
                plan,
            })
        })
        .collect();
    write_report(args.report.as_deref(), &reported)?;
    let entries: Vec<Entry> = planned
        .iter()
        .enumerate()
        .map(|(index, (path, result))| {
            let plan = match (result, failures.get(&index)) {
                (Err(error), _) | (Ok(_), Some(error)) => return Entry::failed(path, error),
                (Ok(plan), None) => plan,
            };
            let commit = commits.get(&index);
            let person = needs_person_error(plan).filter(|_| !args.dry_run);
            let (verdict, line) = match (&person, plan.is_up_to_date()) {
                (Some(error), _) => (Verdict::NeedsPerson, error.to_string()),
                (None, true) => (Verdict::Done, format!("up to date (revision {})", plan.to)),
                (None, false) if args.dry_run => (
                    Verdict::Done,
                    format!("would update: revision {} → {}", plan.from, plan.to),
                ),
                (None, false) => (
                    Verdict::Done,
                    format!(
                        "updated: revision {} → {}{}",
                        plan.from,
                        plan.to,
                        commit.map_or_else(String::new, |commit| format!(
                            ", committed {}",
                            &commit.commit[..commit.commit.len().min(7)]
                        ))
                    ),
                ),
            };
            let status = match (&verdict, plan.is_up_to_date()) {
                (Verdict::NeedsPerson, _) => "conflict",
                (_, true) => "up_to_date",
                _ if args.dry_run => "would_update",
                _ => "updated",
            };
            Entry {
                path: path.clone(),
                verdict,
                line,
                json: json!({
                    "path": path.to_string_lossy(),
                    "status": status,
                    "result": update_json(plan, args.dry_run, commit),
                }),
            }
        })
        .collect();
    report(&root, &entries, args.json, reporter, &UPDATED)
}

/// How a command's summary reads: `Checked 4 projects: 1 ok, 3 with an update available, …`.
struct Summary {
    verb: &'static str,
    needing: &'static str,
}

const CHECKED: Summary = Summary {
    verb: "Checked",
    needing: "with an update available",
};

const UPDATED: Summary = Summary {
    verb: "Updated",
    needing: "needing a person",
};

/// Prints the lines and the summary (or the JSON document), then gives the exit.
fn report(
    root: &Path,
    entries: &[Entry],
    json_output: bool,
    reporter: &Reporter,
    summary: &Summary,
) -> Result<(), Error> {
    let Summary { verb, needing } = summary;
    let count =
        |wanted: fn(&Verdict) -> bool| entries.iter().filter(|e| wanted(&e.verdict)).count();
    let failed = count(|verdict| matches!(verdict, Verdict::Failed));
    let waiting = count(|verdict| matches!(verdict, Verdict::NeedsPerson));
    if json_output {
        write_json(&json!({
            "projects": entries.iter().map(|entry| &entry.json).collect::<Vec<_>>(),
            "summary": {
                "projects": entries.len(),
                "ok": entries.len() - failed - waiting,
                "needs_person": waiting,
                "failed": failed,
            },
        }))?;
    } else if entries.is_empty() {
        reporter.status(
            "Found",
            &format!(
                "no stackgen projects under `{}`",
                escape(&root.to_string_lossy())
            ),
        )?;
    } else {
        for entry in entries {
            reporter.info(&format!(
                "{}: {}",
                escape(&entry.path.to_string_lossy()),
                entry.line
            ))?;
        }
        reporter.status(
            verb,
            &format!(
                "{} project{}: {} ok, {waiting} {needing}, {failed} failed",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" },
                entries.len() - failed - waiting
            ),
        )?;
    }
    let failed_paths = |wanted: fn(&Verdict) -> bool| -> Vec<String> {
        entries
            .iter()
            .filter(|entry| wanted(&entry.verdict))
            .map(|entry| entry.path.to_string_lossy().into_owned())
            .collect()
    };
    if failed > 0 {
        Err(Error::ProjectsFailed {
            projects: failed_paths(|verdict| matches!(verdict, Verdict::Failed)),
        })
    } else if waiting > 0 {
        Err(Error::ProjectsNeedAPerson {
            projects: failed_paths(|verdict| matches!(verdict, Verdict::NeedsPerson)),
        })
    } else {
        Ok(())
    }
}
