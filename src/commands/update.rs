//! `stackgen update`, `diff` and `check`: load the record, plan, then apply, print or judge.

use console::Style;
use serde_json::json;

use crate::cli::{CheckArgs, DiffArgs, UpdateArgs};
use crate::error::Error;
use crate::git;
use crate::output::{Reporter, Verbosity, write_json, write_stdout_raw};
use crate::record;
use crate::signals;
use crate::text::escape;
use crate::update::{Outcome, Plan, apply, planned};

/// `stackgen update`.
pub fn update(args: &UpdateArgs, reporter: &Reporter) -> Result<(), Error> {
    signals::install();
    let root = &record::locate(args.path.as_deref(), "update")?;
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
    let writes = !args.dry_run && !plan.is_up_to_date();
    let committer = if args.commit && writes && plan.conflicts().next().is_none() {
        Some(git::UpdateCommitter::prepare(root)?)
    } else {
        None
    };
    if writes {
        apply::apply(root, &plan)?;
    }
    let commit = if let Some(committer) = committer {
        let written = |removed: bool| -> Vec<&str> {
            plan.written()
                .filter(|file| (file.outcome == Outcome::Removed) == removed)
                .map(|file| file.path.as_str())
                .collect()
        };
        let message = format!("Update to stackgen {} revision {}", plan.stack, plan.to);
        Some(committer.commit(&written(false), &written(true), &message)?)
    } else {
        None
    };
    if args.json {
        print_json(&plan, args.dry_run, commit.as_ref())?;
    } else {
        print_plan(reporter, &plan, args.dry_run, commit.as_ref())?;
    }
    let conflicts: Vec<String> = plan.conflicts().map(|file| file.path.clone()).collect();
    if !conflicts.is_empty() && !args.dry_run {
        return Err(Error::Conflicts { files: conflicts });
    }
    Ok(())
}

fn print_json(plan: &Plan, dry_run: bool, commit: Option<&git::UpdateCommit>) -> Result<(), Error> {
    let changed: serde_json::Map<String, serde_json::Value> = plan
        .changed
        .iter()
        .map(|(key, value)| (key.clone(), json!(value)))
        .collect();
    let document = json!({
        "from": plan.from,
        "to": plan.to,
        "dry_run": dry_run,
        "up_to_date": plan.is_up_to_date(),
        "answers_changed": changed,
        "files": plan.files,
        "conflicts": plan.conflicts().count(),
        "commit": commit,
    });
    write_json(&document)
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
            old: file.current.as_deref(),
            new: match file.outcome {
                Outcome::Removed => None,
                _ => file.contents.as_deref(),
            },
        })
        .collect();
    let mut text = Vec::new();
    colour_diff(&git::patch(&files)?, &mut text);
    write_stdout_raw(&text)
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
    let root = record::locate(args.path.as_deref(), "check")?;
    let plan = planned(&root, &[], None)?;
    let changing: Vec<String> = plan.written().map(|file| file.path.clone()).collect();
    if args.json {
        write_json(&json!({
            "from": plan.from,
            "to": plan.to,
            "up_to_date": changing.is_empty(),
            "files": changing,
        }))?;
    } else if changing.is_empty() {
        reporter.status("Up to date", &format!("template revision {}", plan.to))?;
    } else {
        reporter.info(&format!(
            "An update is available: template revision {} → {}",
            plan.from, plan.to
        ))?;
    }
    if changing.is_empty() {
        Ok(())
    } else {
        Err(Error::UpdateAvailable { files: changing })
    }
}
