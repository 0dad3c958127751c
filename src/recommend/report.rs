//! How a recommendation reads to people: the full report of `stackgen recommend`, and the few
//! lines `stackgen new` shows before it writes anything.

use std::fmt::Write as _;

use crate::recommend::answers::value_name;
use crate::recommend::{Reason, Recommendation};
use crate::wrap;

/// Printed when no answer was given, so nobody mistakes the default for advice.
pub const DEFAULTS_NOTE: &str = "no answers were given, so this is based on the defaults; \
     describe the project with `--use-case`, `--team`, `--priority` and `--load`";

/// The whole explanation, for `stackgen recommend`, wrapped at `width` if given.
pub fn full(recommendation: &Recommendation, width: Option<usize>) -> String {
    let mut text = format!(
        "Recommended: {} (`{}`)\n",
        recommendation.stack.display_name(),
        recommendation.stack
    );
    let answers = answers_line(recommendation);
    if !answers.is_empty() {
        let _ = writeln!(text, "{}", labelled("For: ", &answers, width));
    }
    let scores = format!(
        "{} (a close call is a margin of {} or less)",
        scores_line(recommendation),
        recommendation.close_margin
    );
    let _ = writeln!(text, "{}", labelled("Scores: ", &scores, width));
    text.push_str("\nDeciding criteria, strongest first:\n");
    for reason in &recommendation.reasons {
        let _ = writeln!(text, "{}", reason_line(reason, width));
    }
    if let Some(tie_break) = &recommendation.tie_break {
        let tie_break = labelled("Tie-break: ", &tie_break.explanation, width);
        let _ = write!(text, "\n{tie_break}\n");
    }
    if recommendation.based_on_defaults {
        let _ = write!(text, "\n{}\n", labelled("Note: ", DEFAULTS_NOTE, width));
    }
    text.trim_end().to_owned()
}

/// The verdict, its scores and the `reasons` strongest reasons, for `stackgen new` and the
/// wizard, where the full report would drown the questions; wrapped at `width` if given.
pub fn summary(recommendation: &Recommendation, reasons: usize, width: Option<usize>) -> String {
    let verdict = format!(
        "{} ({})",
        recommendation.stack.display_name(),
        scores_line(recommendation)
    );
    let mut text = labelled("Recommended: ", &verdict, width);
    for reason in recommendation.reasons.iter().take(reasons) {
        let _ = write!(text, "\n{}", reason_line(reason, width));
    }
    if let Some(tie_break) = &recommendation.tie_break {
        let tie_break = labelled("Tie-break: ", &tie_break.explanation, width);
        let _ = write!(text, "\n{tie_break}");
    }
    text
}

/// "node 10, flask 2, margin 8, not close".
pub fn scores_line(recommendation: &Recommendation) -> String {
    format!(
        "node {}, flask {}, margin {}, {}",
        recommendation.scores.node,
        recommendation.scores.flask,
        recommendation.margin,
        if recommendation.close {
            "a close call"
        } else {
            "not close"
        },
    )
}

/// One award, indented: "  +3 node  use_cases        real-time web apps …". A long reason
/// continues under the reason's column, not under the points.
fn reason_line(reason: &Reason, width: Option<usize>) -> String {
    let columns = format!(
        "  +{} {:<5} {:<16} ",
        reason.points,
        reason.favours.id(),
        value_name(reason.criterion),
    );
    wrap::hanging(&format!("{columns}{}", reason.why), columns.len(), width)
}

/// "Label: text", continuing under the text.
fn labelled(label: &str, text: &str, width: Option<usize>) -> String {
    wrap::hanging(&format!("{label}{text}"), label.len(), width)
}

fn answers_line(recommendation: &Recommendation) -> String {
    let answers = &recommendation.answers;
    let mut parts = Vec::new();
    if let Some(use_case) = answers.use_case {
        parts.push(format!("use case `{}`", value_name(use_case)));
    }
    if let Some(team) = answers.team {
        parts.push(format!("team `{}`", value_name(team)));
    }
    if !answers.priorities.is_empty() {
        let priorities: Vec<String> = answers
            .priorities
            .iter()
            .map(|priority| format!("`{}`", value_name(*priority)))
            .collect();
        parts.push(format!("priorities {}", priorities.join(", ")));
    }
    if let Some(load) = answers.load {
        parts.push(format!("load `{}`", value_name(load)));
    }
    parts.join("; ")
}
