//! `stackgen recommend`: the verdict for the answers given, for people or as one JSON
//! document.

use crate::cli::{AnswerArgs, RecommendArgs};
use crate::error::Error;
use crate::output::{write_json, write_stdout};
use crate::recommend::{self, Answers, Recommendation, Rules, report};
use crate::record;
use crate::wrap;

pub fn run(args: &RecommendArgs) -> Result<(), Error> {
    let recommendation = recommendation_from(&args.answers)?;
    if args.json {
        write_json(&recommendation)
    } else {
        write_stdout(&report::full(&recommendation, wrap::stdout_width()))
    }
}

/// Checks the answers (flags over the answers file), loads the rules and recommends.
fn recommendation_from(args: &AnswerArgs) -> Result<Recommendation, Error> {
    let mut answers = answers_from(args);
    if let Some(path) = &args.answers_file {
        answers.fill_from(record::read_answers(path)?.answers);
    }
    answers.validate()?;
    let rules = Rules::load(args.rules.as_deref())?;
    Ok(recommend::recommend(&rules, &answers))
}

/// The recommendation's answers as flags give them, for `recommend` and `new`.
pub fn answers_from(args: &AnswerArgs) -> Answers {
    Answers {
        use_case: args.use_case,
        team: args.team,
        priorities: args.priorities.clone(),
        load: args.load,
    }
}
