//! `stackgen update`, `diff` and `check`: load the record, plan, then apply, print or judge.

use std::path::Path;

use console::Style;
use serde_json::json;

use crate::cli::{CheckArgs, DiffArgs, UpdateArgs};
use crate::error::Error;
use crate::git;
use crate::output::{Reporter, Verbosity, write_json, write_stdout_raw};
use crate::record;
use crate::scaffold::revisions;
use crate::signals;
use crate::text::escape;
use crate::update::{FileChange, Outcome, Plan, apply, planned, report};

/// `stackgen update`.
pub fn update(args: &UpdateArgs, reporter: &Reporter) -> Result<(), Error> {
    signals::install();
    if let Some(path) = &args.report {
        report::check_destination(path).map_err(|problem| Error::InvalidValue {
            what: "--report",
            value: path.to_string_lossy().into_owned(),
            problem,
            help: Some("name a file in an existing directory".into()),
        })?;
    }
    if args.all {
        return super::fleet::update(args, reporter);
    }
    let root = &record::locate(args.path.as_deref(), "update")?;
    let plan = prepared(root, args)?;
    let writes = !args.dry_run && !plan.is_up_to_date();
    let committer = if args.commit && writes && !needs_person(&plan) {
        Some(git::UpdateCommitter::prepare(root)?)
    } else {
        None
    };
    if writes {
        apply::apply(root, &plan)?;
    }
    let commit = match committer {
        Some(committer) => {
            let message = commit_message(&plan);
            let (changed, removed) = written_paths(&plan, Path::new(""));
            Some(committer.commit(&changed, &removed, &message)?)
        }
        None => None,
    };
    write_report(
        args.report.as_deref(),
        &[report::Updated {
            path: root.clone(),
            plan: &plan,
        }],
    )?;
    if args.json {
        write_json(&update_json(&plan, args.dry_run, commit.as_ref()))?;
    } else {
        print_plan(reporter, &plan, args.dry_run, commit.as_ref())?;
    }
    if args.dry_run {
        return Ok(());
    }
    needs_person_error(&plan).map_or(Ok(()), Err)
}

/// The message of the commit of one project's update.
pub(super) fn commit_message(plan: &Plan) -> String {
    format!("Update to stackgen {} revision {}", plan.stack, plan.to)
}

/// Writes the `--report` file, if one was asked for.
pub(super) fn write_report(
    path: Option<&Path>,
    projects: &[report::Updated<'_>],
) -> Result<(), Error> {
    let Some(path) = path else { return Ok(()) };
    std::fs::write(path, report::markdown(projects)).map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })
}

/// The release notes of the revisions a plan crosses, for JSON.
fn notes_json(plan: &Plan) -> serde_json::Value {
    revisions::notes_between(plan.stack, plan.from, plan.to)
        .into_iter()
        .map(|(revision, notes)| json!({ "revision": revision, "notes": notes }))
        .collect()
}

/// The release notes of the revisions a plan crosses, for people.
fn print_notes(reporter: &Reporter, plan: &Plan) -> Result<(), Error> {
    for (revision, notes) in revisions::notes_between(plan.stack, plan.from, plan.to) {
        for note in notes {
            reporter.info(&format!("{:>12} revision {revision}: {note}", "changed"))?;
        }
    }
    Ok(())
}

/// The plan for the project at `root`, refused when files it would touch have uncommitted
/// changes (unless `--allow-dirty`).
pub(super) fn prepared(root: &Path, args: &UpdateArgs) -> Result<Plan, Error> {
    let plan = planned(root, &args.settings, args.answers_file.as_deref())?;
    if !args.allow_dirty && !plan.is_up_to_date() {
        let touched: Vec<&str> = plan.written().map(|file| file.path.as_str()).collect();
        let dirty = git::uncommitted(root, &touched, |path| {
            plan.files
                .iter()
                .any(|file| file.path == path && file.as_generated)
        });
        if !dirty.is_empty() {
            return Err(Error::DirtyTree { files: dirty });
        }
    }
    Ok(plan)
}

/// Conflicts written, or files left unmerged: the project needs a person, and is not
/// committed.
pub(super) fn needs_person(plan: &Plan) -> bool {
    plan.conflicts().next().is_some() || plan.unmerged().next().is_some()
}

/// The exit-4 error for a plan that needs a person, if it does.
pub(super) fn needs_person_error(plan: &Plan) -> Option<Error> {
    needs_person(plan).then(|| Error::Conflicts {
        files: plan.conflicts().map(|file| file.path.clone()).collect(),
        unmerged: plan.unmerged().map(|file| file.path.clone()).collect(),
    })
}

/// The files applying `plan` wrote and removed, under `prefix` (a project's place in its
/// repository), for a commit.
pub(super) fn written_paths(plan: &Plan, prefix: &Path) -> (Vec<String>, Vec<String>) {
    let paths = |removed: bool| -> Vec<String> {
        plan.written()
            .filter(|file| (file.outcome == Outcome::Removed) == removed)
            .map(|file| prefix.join(&file.path).to_string_lossy().into_owned())
            .collect()
    };
    (paths(false), paths(true))
}

/// The document `update --json` prints for one project.
pub(super) fn update_json(
    plan: &Plan,
    dry_run: bool,
    commit: Option<&git::UpdateCommit>,
) -> serde_json::Value {
    let changed: serde_json::Map<String, serde_json::Value> = plan
        .changed
        .iter()
        .map(|(key, value)| (key.clone(), json!(value)))
        .collect();
    json!({
        "from": plan.from,
        "to": plan.to,
        "dry_run": dry_run,
        "up_to_date": plan.is_up_to_date(),
        "answers_changed": changed,
        "files": plan.files,
        "conflicts": plan.conflicts().count(),
        "commit": commit,
        "notes": notes_json(plan),
    })
}

fn print_plan(
    reporter: &Reporter,
    plan: &Plan,
    dry_run: bool,
    commit: Option<&git::UpdateCommit>,
) -> Result<(), Error> {
    if plan.is_up_to_date() {
        return reporter.status(
            "Up to date",
            &format!("template revision {} with the recorded answers", plan.to),
        );
    }
    let verb = if dry_run { "Would update" } else { "Updating" };
    reporter.status(
        verb,
        &format!("template revision {} to {}", plan.from, plan.to),
    )?;
    print_notes(reporter, plan)?;
    for (key, value) in &plan.changed {
        reporter.info(&format!("{:>12} {key} = {}", "answer", escape(value)))?;
    }
    for file in &plan.files {
        if file.outcome == Outcome::Unchanged && reporter.verbosity() != Verbosity::Verbose {
            continue;
        }
        let name = file.outcome.name();
        let style = match file.outcome {
            Outcome::Conflict => Style::new().red().bold(),
            Outcome::Kept | Outcome::KeptDeleted => Style::new().yellow(),
            _ => Style::new().green(),
        };
        let mut line = format!(
            "{:>12} {}",
            style.for_stderr().apply_to(name),
            escape(&file.path)
        );
        if let Some(reason) = &file.reason {
            line.push_str(&format!(" ({reason})"));
        }
        reporter.info(&line)?;
    }
    if dry_run {
        return reporter.note("dry run: nothing was written");
    }
    if let Some(commit) = commit {
        reporter.status("Committed", &commit.summary())?;
    }
    reporter.info("\nNext steps:")?;
    if plan.conflicts().next().is_some() {
        reporter.info("  resolve the conflict markers in the files marked `conflict`")?;
    }
    for change in plan.unmerged().filter_map(template_change) {
        reporter.info(&format!(
            "  apply the template's change to `{}` by hand (it was left as it was):",
            escape(change.path)
        ))?;
        let patch = git::patch(&[change])?;
        reporter.info(String::from_utf8_lossy(&patch).trim_end())?;
    }
    if commit.is_some() {
        reporter.info("  review the commit (`git show`), then run the project's tests")
    } else {
        reporter.info("  review the changes (`git diff`), then run the project's tests")
    }
}

/// `stackgen diff`: the unified diff of every file `update` would write.
pub fn diff(args: &DiffArgs) -> Result<(), Error> {
    let root = record::locate(args.path.as_deref(), "diff")?;
    let plan = planned(&root, &args.settings, None)?;
    let files: Vec<git::PatchFile> = plan
        .written()
        .map(|file| git::PatchFile {
            path: &file.path,
            old: file
                .current
                .as_deref()
                .map(|current| (current, file.executable)),
            new: match file.outcome {
                Outcome::Removed => None,
                _ => file
                    .contents
                    .as_deref()
                    .map(|contents| (contents, file.executable)),
            },
        })
        // A file the update cannot merge: the template's own change, to apply by hand.
        .chain(plan.unmerged().filter_map(template_change))
        .collect();
    let mut text = Vec::new();
    colour_diff(&git::patch(&files)?, &mut text);
    write_stdout_raw(&text)
}

/// The template's change to a file the update could not merge: from the recorded revision's
/// version to the new one.
fn template_change(file: &FileChange) -> Option<git::PatchFile<'_>> {
    let (before, after) = file.unmerged.as_ref()?;
    Some(git::PatchFile {
        path: &file.path,
        old: Some((before, file.executable)),
        new: Some((after, file.executable)),
    })
}

/// Colours a unified diff's lines when stdout shows colour, as `git diff` does.
fn colour_diff(diff: &[u8], into: &mut Vec<u8>) {
    let colours = console::colors_enabled();
    for line in diff.split_inclusive(|&byte| byte == b'\n') {
        let style = match line.first() {
            _ if !colours => None,
            Some(b'+') if !line.starts_with(b"+++") => Some(Style::new().green()),
            Some(b'-') if !line.starts_with(b"---") => Some(Style::new().red()),
            Some(b'@') => Some(Style::new().cyan()),
            _ if line.starts_with(b"diff ") => Some(Style::new().bold()),
            _ => None,
        };
        match style {
            Some(style) => {
                let text = String::from_utf8_lossy(line);
                let (body, newline) = match text.strip_suffix('\n') {
                    Some(body) => (body, "\n"),
                    None => (text.as_ref(), ""),
                };
                into.extend_from_slice(format!("{}{newline}", style.apply_to(body)).as_bytes());
            }
            None => into.extend_from_slice(line),
        }
    }
}

/// `stackgen check`: exit 0 when current, 4 (with what would change) when an update exists.
pub fn check(args: &CheckArgs, reporter: &Reporter) -> Result<(), Error> {
    if args.all {
        return super::fleet::check(args, reporter);
    }
    let root = record::locate(args.path.as_deref(), "check")?;
    let plan = planned(&root, &[], None)?;
    if args.json {
        write_json(&check_json(&plan))?;
    } else if plan.is_up_to_date() {
        reporter.status("Up to date", &format!("template revision {}", plan.to))?;
    } else {
        reporter.info(&format!(
            "An update is available: template revision {} → {}",
            plan.from, plan.to
        ))?;
        print_notes(reporter, &plan)?;
    }
    drift_error(&plan).map_or(Ok(()), Err)
}

/// The document `check --json` prints for one project.
pub(super) fn check_json(plan: &Plan) -> serde_json::Value {
    let changing: Vec<&str> = plan.written().map(|file| file.path.as_str()).collect();
    json!({
        "from": plan.from,
        "to": plan.to,
        "up_to_date": changing.is_empty(),
        "files": changing,
        "notes": notes_json(plan),
    })
}

/// The exit-4 error for a project behind its templates, if it is.
pub(super) fn drift_error(plan: &Plan) -> Option<Error> {
    (!plan.is_up_to_date()).then(|| Error::UpdateAvailable {
        files: plan.written().map(|file| file.path.clone()).collect(),
    })
}
