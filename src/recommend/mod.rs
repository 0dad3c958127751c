//! The recommendation engine: answers and rules in, a verdict with every reason out. Pure: no
//! I/O and no printing, so every output (human, JSON, `new`) shows the same explained result.

pub mod answers;
pub mod report;
pub mod rules;

use std::cmp::{Ordering, Reverse};

use serde::Serialize;

pub use answers::{Answers, Load, Priority, Team, UseCase};
pub use rules::{Criterion, Rules};

use crate::stack::Stack;

/// The verdict and everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    /// The recommended stack.
    pub stack: Stack,
    /// Each stack's score: exactly the sum of its reasons' points.
    pub scores: Scores,
    /// The difference between the two scores.
    pub margin: u32,
    /// Whether the margin is within the rules' `close_margin`.
    pub close: bool,
    /// Every award, strongest first; ties keep the rules' order, then the stacks' order.
    pub reasons: Vec<Reason>,
    /// The answers the verdict was made from.
    pub answers: Answers,
    /// The rules' `close_margin`, so "close" can be explained.
    pub close_margin: u32,
    /// How a close call was settled; `None` when the call was not close.
    pub tie_break: Option<TieBreak>,
    /// True when no answer was given and only the always-applying rules spoke.
    pub based_on_defaults: bool,
}

/// Points per stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Scores {
    pub node: u32,
    pub flask: u32,
}

impl Scores {
    /// The score of one stack.
    pub fn of(&self, stack: Stack) -> u32 {
        match stack {
            Stack::Node => self.node,
            Stack::Flask => self.flask,
        }
    }

    fn add(&mut self, stack: Stack, points: u32) {
        match stack {
            Stack::Node => self.node += points,
            Stack::Flask => self.flask += points,
        }
    }

    /// Adds up the points of these reasons per stack.
    fn sum<'a>(reasons: impl IntoIterator<Item = &'a Reason>) -> Scores {
        let mut scores = Scores::default();
        for reason in reasons {
            scores.add(reason.favours, reason.points);
        }
        scores
    }

    /// The stack with more points, if either has more.
    fn leader(&self) -> Option<Stack> {
        match self.node.cmp(&self.flask) {
            Ordering::Greater => Some(Stack::Node),
            Ordering::Less => Some(Stack::Flask),
            Ordering::Equal => None,
        }
    }
}

/// One rule's award to one stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The criterion the rule comes from.
    pub criterion: Criterion,
    /// The stack awarded.
    pub favours: Stack,
    /// How many points.
    pub points: u32,
    /// Why, in plain words.
    pub why: String,
}

/// What settled a close call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreaker {
    /// The stack the team's language points to.
    TeamLanguage,
    /// The stack with more `ease_of_learning` points.
    EaseOfLearning,
    /// Nothing else separated the stacks, so the higher score stood.
    Score,
    /// The scores were equal, so the rules' `stack_order` decided.
    StackOrder,
}

/// A settled close call, with the explanation shown to users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TieBreak {
    pub by: TieBreaker,
    pub explanation: String,
}

/// Evaluates every rule against the answers and returns the explained verdict.
pub fn recommend(rules: &Rules, answers: &Answers) -> Recommendation {
    let mut reasons: Vec<Reason> = rules
        .rules
        .iter()
        .filter(|rule| rule.when.matches(answers))
        .flat_map(|rule| {
            rule.points
                .get_ref()
                .iter()
                .filter(|(_, points)| points.0 > 0)
                .map(|(&stack, points)| Reason {
                    criterion: rule.criterion,
                    favours: stack,
                    points: points.0,
                    why: rule.why.0.clone(),
                })
        })
        .collect();
    // A stable sort keeps equal awards in the rules' order, so the output is deterministic.
    reasons.sort_by_key(|reason| Reverse(reason.points));

    let scores = Scores::sum(&reasons);
    let margin = scores.node.abs_diff(scores.flask);
    let close_margin = rules.settings.close_margin.0;
    let close = margin <= close_margin;
    let (stack, tie_break) = match scores.leader() {
        Some(leader) if !close => (leader, None),
        _ => {
            let (stack, tie_break) = settle(rules, answers, &reasons, scores, close_margin);
            (stack, Some(tie_break))
        }
    };
    Recommendation {
        stack,
        scores,
        margin,
        close,
        reasons,
        answers: answers.clone(),
        close_margin,
        tie_break,
        based_on_defaults: answers.is_empty(),
    }
}

/// Settles a close call: the team's language, then ease of learning, then the score, then the
/// rules' stack order.
fn settle(
    rules: &Rules,
    answers: &Answers,
    reasons: &[Reason],
    scores: Scores,
    close_margin: u32,
) -> (Stack, TieBreak) {
    let within = format!("the scores are within {close_margin} points of each other");
    let settled =
        |stack: Stack, by: TieBreaker, explanation: String| (stack, TieBreak { by, explanation });
    let team_stack = answers
        .team
        .and_then(|team| Some((team, *rules.settings.team_language.get(&team)?)));
    if let Some((team, stack)) = team_stack {
        return settled(
            stack,
            TieBreaker::TeamLanguage,
            format!(
                "{within}, so the team's language decides: `{}` points to {stack}",
                answers::value_name(team)
            ),
        );
    }
    let team_says = match answers.team {
        Some(team) => format!(
            "the team's answer `{}` points to no stack",
            answers::value_name(team)
        ),
        None => "the team's language is not known".into(),
    };
    let ease = Scores::sum(
        reasons
            .iter()
            .filter(|reason| reason.criterion == Criterion::EaseOfLearning),
    );
    if let Some(stack) = ease.leader() {
        return settled(
            stack,
            TieBreaker::EaseOfLearning,
            format!(
                "{within} and {team_says}, so ease of learning decides: {stack} has {} \
                 ease_of_learning points, {} has {}",
                ease.of(stack),
                other(stack),
                ease.of(other(stack))
            ),
        );
    }
    if let Some(stack) = scores.leader() {
        return settled(
            stack,
            TieBreaker::Score,
            format!(
                "{within}, but {team_says} and ease of learning is even, so the higher score \
                 stands"
            ),
        );
    }
    // `Rules::parse` checked that `stack_order` names every stack, so it has a first one.
    let first = rules.settings.stack_order.get_ref()[0];
    settled(
        first,
        TieBreaker::StackOrder,
        format!(
            "the scores are equal, {team_says} and ease of learning is even, so the rules' \
             `stack_order` puts {first} first"
        ),
    )
}

fn other(stack: Stack) -> Stack {
    match stack {
        Stack::Node => Stack::Flask,
        Stack::Flask => Stack::Node,
    }
}
