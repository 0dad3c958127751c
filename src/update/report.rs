//! `update --report FILE`: a Markdown summary of an update, fit for a pull request's body: the
//! revisions crossed and what each changed, every file's outcome, and for conflicts the commands
//! to resolve them locally.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Outcome, Plan};
use crate::scaffold::revisions;
use crate::text::shell_quote;

/// One project's part of the report: where it is and what its update did.
pub struct Updated<'a> {
    pub path: PathBuf,
    pub plan: &'a Plan,
}

/// The report for one or more projects' updates.
pub fn markdown(projects: &[Updated<'_>]) -> String {
    let mut text = String::new();
    let newest = projects
        .iter()
        .map(|project| project.plan.to)
        .max()
        .unwrap_or(0);
    let _ = match projects {
        [only] => writeln!(
            text,
            "# Update to stackgen {} template revision {}\n",
            only.plan.stack, only.plan.to
        ),
        _ => writeln!(
            text,
            "# Update {} projects to stackgen template revision {newest}\n",
            projects.len()
        ),
    };
    for project in projects {
        let plan = project.plan;
        if projects.len() > 1 {
            let _ = writeln!(text, "## `{}`\n", project.path.display());
        }
        let _ = writeln!(
            text,
            "{} project, template revision {} → {}.\n",
            plan.stack.display_name(),
            plan.from,
            plan.to
        );
        let notes = revisions::notes_between(plan.stack, plan.from, plan.to);
        if !notes.is_empty() {
            let _ = writeln!(text, "What changed:\n");
            for (number, notes) in notes {
                for note in notes {
                    let _ = writeln!(text, "- revision {number}: {note}");
                }
            }
            text.push('\n');
        }
        if !plan.changed.is_empty() {
            let _ = writeln!(text, "Answers changed:\n");
            for (key, value) in &plan.changed {
                let _ = writeln!(text, "- `{key} = {value}`");
            }
            text.push('\n');
        }
        let _ = writeln!(text, "| file | outcome |\n|---|---|");
        for file in plan
            .files
            .iter()
            .filter(|file| file.outcome != Outcome::Unchanged)
        {
            let reason = file
                .reason
                .as_ref()
                .map_or_else(String::new, |why| format!(" ({why})"));
            let _ = writeln!(
                text,
                "| `{}` | {}{reason} |",
                file.path.replace('|', "\\|"),
                file.outcome.name()
            );
        }
        text.push('\n');
        let conflicts: Vec<&str> = plan
            .conflicts()
            .chain(plan.unmerged())
            .map(|file| file.path.as_str())
            .collect();
        if !conflicts.is_empty() {
            let dir = shell_quote(&project.path.to_string_lossy());
            let _ = writeln!(
                text,
                "Needs a person: {}. To resolve locally:\n\n```sh\ncd {dir}\nstackgen update   \
                 # writes the same merge, with conflict markers\n# edit the files marked \
                 `conflict` (yours first, then stackgen's) and apply any change to files left \
                 as they were\ngit add -A && git commit -m \"Update to stackgen revision {}\"\n```\n",
                conflicts
                    .iter()
                    .map(|path| format!("`{path}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                plan.to
            );
        }
    }
    text
}

/// Where `--report` may write: a file in an existing directory, not a directory itself.
pub fn check_destination(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err("it is a directory".into());
    }
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(format!(
            "its directory `{}` does not exist",
            parent.display()
        ));
    }
    Ok(())
}
