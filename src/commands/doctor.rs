//! `stackgen doctor`: the toolchain report as a table or one JSON document on stdout.

use console::Style;

use crate::cli::DoctorArgs;
use crate::error::Error;
use crate::output::{stdout_is_rich, write_json, write_stdout};
use crate::record;
use crate::scaffold::revisions;
use crate::stack::Stack;
use crate::text::escape;
use crate::toolchain::{self, Report, Requirements, Status, SystemProbe, ToolReport};
use crate::wrap;

/// Checks the toolchains (every stack's without `--stack`), prints the report, and fails with
/// exit code 3 when a required tool is not ok.
pub fn run(args: &DoctorArgs) -> Result<(), Error> {
    let stacks = args
        .stack
        .map_or_else(|| Stack::ALL.to_vec(), |stack| vec![stack]);
    let mut report = toolchain::check(
        &SystemProbe::from_env(),
        &stacks,
        true,
        &requirements_here()?,
    );
    if args.strict {
        report.ok = !report.tools.iter().any(ToolReport::is_problem_strictly);
    }
    if args.json {
        write_json(&report)?;
    } else {
        write_stdout(&table(&report, stdout_is_rich(), wrap::stdout_width()))?;
    }
    report.not_ready(false, args.strict).map_or(Ok(()), Err)
}

/// Inside a project, what its own revision declares; elsewhere, what a new project would.
fn requirements_here() -> Result<Requirements, Error> {
    // A record that cannot be read is `update`'s to report; doctor judges against the newest.
    let project = record::enclosing_project().and_then(|root| record::load(&root).ok());
    match project {
        Some(record) => super::requirements(&record.project, record.revision),
        None => super::requirements(
            &super::defaults(Stack::Node)?,
            revisions::current(Stack::Node),
        ),
    }
}

/// The compact table: one row per tool, then the problem and the fix under each bad row.
/// `rich` allows colour and the ✓/✗ symbols; otherwise it is plain ASCII.
/// The report for people; lines too long for `width` continue under their own column.
fn table(report: &Report, rich: bool, width: Option<usize>) -> String {
    let rows: Vec<[String; 5]> = report
        .tools
        .iter()
        .map(|tool| {
            [
                tool.name.to_owned(),
                status_label(tool).to_owned(),
                tool.version.clone().unwrap_or_else(|| "-".into()),
                tool.minimum.as_ref().map_or_else(String::new, |minimum| {
                    // A plain minimum is shown as its version; a range as declared.
                    if minimum.starts_with(|c: char| c.is_ascii_digit()) {
                        format!(">= {minimum}")
                    } else {
                        minimum.clone()
                    }
                }),
                location(tool, rich),
            ]
        })
        .collect();
    let header = ["tool", "status", "version", "minimum", "path"].map(str::to_owned);
    let mut widths = [0; 4];
    for row in rows.iter().chain([&header]) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let path_column = 3 + widths.iter().map(|width| width + 2).sum::<usize>();
    let line = |mark: &str, row: &[String; 5]| {
        let mut text = format!("{mark} ");
        for (cell, width) in row.iter().zip(widths) {
            text.push_str(&format!("{cell:<width$}  "));
        }
        text.push_str(&row[4]);
        wrap::hanging(text.trim_end(), path_column, width)
    };
    // Problems sit under the tool's name; a label's text continues under itself.
    let detail = |label: &str, text: &str| {
        let indent = DETAIL_INDENT.len() + label.len();
        wrap::hanging(&format!("{DETAIL_INDENT}{label}{text}"), indent, width)
    };
    let mut lines = vec![line("  ", &header)];
    for (tool, row) in report.tools.iter().zip(&rows) {
        lines.push(line(&mark(tool, rich), row));
        if tool.status != Status::Ok {
            if let Some(problem) = &tool.problem {
                lines.push(detail("", problem));
            }
            if let Some(hint) = &tool.hint {
                lines.push(detail("help: ", hint));
            }
        }
        if let Some(note) = &tool.note {
            lines.push(detail("note: ", note));
        }
        if tool.externally_managed == Some(true) {
            lines.push(detail(
                "note: ",
                "this Python is externally managed (PEP 668): pip installs only into a \
                 virtual environment such as the project's `.venv`",
            ));
        }
    }
    if let Some(note) = &report.stale_dates {
        lines.push(wrap::hanging(&format!("note: {note}"), 6, width));
    }
    lines.join("\n")
}

/// Where a tool's problem, help and notes start: under its name.
const DETAIL_INDENT: &str = "     ";

fn status_label(tool: &ToolReport) -> &'static str {
    match (tool.status, tool.required) {
        (Status::Ok, _) => "ok",
        (Status::TooOld, _) => "too old",
        (Status::Eol, _) => "end of life",
        (Status::Missing, true) => "missing",
        (Status::Missing, false) => "missing (optional)",
        (Status::Broken, _) => "broken",
    }
}

/// Two columns wide in both forms, so rows line up.
fn mark(tool: &ToolReport, rich: bool) -> String {
    let (symbol, ascii, style) = match (tool.status, tool.required) {
        (Status::Ok, _) => ("✓", "ok", Style::new().green()),
        (Status::Eol, _) => ("!", "!", Style::new().yellow().bold()),
        (_, true) => ("✗", "x", Style::new().red().bold()),
        (_, false) => ("-", "-", Style::new().yellow()),
    };
    if rich {
        format!("{} ", style.force_styling(true).apply_to(symbol))
    } else {
        format!("{ascii:<2}")
    }
}

fn location(tool: &ToolReport, rich: bool) -> String {
    let Some(path) = &tool.path else {
        return String::new();
    };
    let mut text = escape(&path.to_string_lossy());
    if let Some(shim) = &tool.shim {
        let arrow = if rich { "→" } else { "->" };
        let manager = shim.manager.unwrap_or("version manager");
        match &shim.target {
            Some(target) => text.push_str(&format!(
                " ({manager} shim {arrow} {})",
                escape(&target.to_string_lossy())
            )),
            None => text.push_str(&format!(" ({manager} shim)")),
        }
    }
    text
}
