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

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    /// One answer profile and the verdict the comparison leads to.
    struct Profile {
        use_case: Option<UseCase>,
        team: Option<Team>,
        priorities: &'static [Priority],
        load: Option<Load>,
        stack: Stack,
        margin: u32,
        close: bool,
        /// What settled the call; `None` when it was not close.
        tie_break: Option<TieBreaker>,
    }

    const fn profile(
        use_case: Option<UseCase>,
        team: Option<Team>,
        priorities: &'static [Priority],
        load: Option<Load>,
        (stack, margin, close, tie_break): (Stack, u32, bool, Option<TieBreaker>),
    ) -> Profile {
        Profile {
            use_case,
            team,
            priorities,
            load,
            stack,
            margin,
            close,
            tie_break,
        }
    }

    use Priority as P;
    use Stack::{Flask, Node};
    use TieBreaker::{EaseOfLearning, Score, StackOrder, TeamLanguage};

    const NONE: &[Priority] = &[];

    /// Each profile cites the comparison's verdicts (criterion: leaning) that lead to it.
    const PROFILES: &[Profile] = &[
        // A realtime chat for a JavaScript team. use cases: real-time web is Node's;
        // architecture: event loop for many connections; ease of learning: Node for JS teams.
        profile(
            Some(UseCase::Realtime),
            Some(Team::Javascript),
            NONE,
            None,
            (Node, 9, false, None),
        ),
        // Machine learning for a Python team. use cases and libraries: ML is Python's, pip is
        // strongest for ML; ease of learning: the team's language.
        profile(
            Some(UseCase::Ml),
            Some(Team::Python),
            NONE,
            None,
            (Flask, 9, false, None),
        ),
        // Beginners building a data dashboard. use cases: data analysis and visualisation are
        // Python's; ease of learning: Python for readability and beginners.
        profile(
            Some(UseCase::DataScience),
            Some(Team::None),
            &[P::Learning],
            None,
            (Flask, 10, false, None),
        ),
        // Thousands of concurrent streaming connections. use cases: data streaming is Node's;
        // architecture and scalability: Node for many concurrent connections.
        profile(
            Some(UseCase::Streaming),
            None,
            NONE,
            Some(Load::HighConcurrency),
            (Node, 11, false, None),
        ),
        // A JSON API for a team that knows both languages, and no other signal. use cases: JSON
        // APIs lean Node, but only mildly: a close call, settled by the higher score.
        profile(
            Some(UseCase::Api),
            Some(Team::Both),
            NONE,
            None,
            (Node, 2, true, Some(Score)),
        ),
        // Nothing answered: speed (Node) and community (Python) cancel out, popularity is a tie;
        // the rules' fixed order breaks the exact tie.
        profile(None, None, NONE, None, (Node, 0, true, Some(StackOrder))),
        // Adversarial: realtime for a Python team. architecture and use cases (Node) outweigh the
        // team's language (ease of learning): not even close.
        profile(
            Some(UseCase::Realtime),
            Some(Team::Python),
            NONE,
            None,
            (Node, 3, false, None),
        ),
        // Adversarial: ML for a JavaScript team. use cases and libraries (Python) outweigh the
        // team's language.
        profile(
            Some(UseCase::Ml),
            Some(Team::Javascript),
            NONE,
            None,
            (Flask, 3, false, None),
        ),
        // Adversarial: image processing (a Python use case, without the ML library edge) for a
        // JavaScript team: an exact tie, settled by the team's language.
        profile(
            Some(UseCase::ImageProcessing),
            Some(Team::Javascript),
            NONE,
            None,
            (Node, 0, true, Some(TeamLanguage)),
        ),
        // Image processing for a Python team: use case and team agree.
        profile(
            Some(UseCase::ImageProcessing),
            Some(Team::Python),
            NONE,
            None,
            (Flask, 6, false, None),
        ),
        // Adversarial: a JSON API for a Python team. The mild Node use case loses the close call
        // to the team's language.
        profile(
            Some(UseCase::Api),
            Some(Team::Python),
            NONE,
            None,
            (Flask, 1, true, Some(TeamLanguage)),
        ),
        // Adversarial: a business app (Python use case) for a JavaScript team: close, and the
        // team's language decides.
        profile(
            Some(UseCase::Business),
            Some(Team::Javascript),
            NONE,
            None,
            (Node, 1, true, Some(TeamLanguage)),
        ),
        // A single-page-app backend, one language front to back. use cases: SPAs are Node's;
        // ease of learning: Node for full stack.
        profile(
            Some(UseCase::Spa),
            Some(Team::Both),
            &[P::FullStack],
            None,
            (Node, 5, false, None),
        ),
        // Adversarial: e-commerce for a JavaScript team that cares about hiring. community leans
        // Python for hiring, but use cases and the team's language lean Node.
        profile(
            Some(UseCase::Ecommerce),
            Some(Team::Javascript),
            &[P::Hiring],
            None,
            (Node, 3, false, None),
        ),
        // Data science wanting the data ecosystem. libraries: pip for data science.
        profile(
            Some(UseCase::DataScience),
            Some(Team::Both),
            &[P::DataEcosystem],
            None,
            (Flask, 9, false, None),
        ),
        // Adversarial: beginners building a game. use cases and architecture (Node) beat
        // readability (Python for beginners).
        profile(
            Some(UseCase::Gaming),
            Some(Team::None),
            NONE,
            None,
            (Node, 4, false, None),
        ),
        // A desktop companion built by beginners who want to learn. use cases: desktop apps are
        // Python's; ease of learning: Python for beginners.
        profile(
            Some(UseCase::Desktop),
            Some(Team::None),
            &[P::Learning],
            None,
            (Flask, 6, false, None),
        ),
        // A scripting companion, both languages known: a close call the higher score settles.
        profile(
            Some(UseCase::Scripting),
            Some(Team::Both),
            NONE,
            None,
            (Flask, 2, true, Some(Score)),
        ),
        // Adversarial: a JSON API built by beginners. The scores tie; beginners have no language,
        // so ease of learning (Python's readability) decides.
        profile(
            Some(UseCase::Api),
            Some(Team::None),
            NONE,
            None,
            (Flask, 0, true, Some(EaseOfLearning)),
        ),
        // Adversarial: ML with heavy CPU work for a Python team. speed leans Node for complex
        // calculations, but use cases, libraries and the team lean Python.
        profile(
            Some(UseCase::Ml),
            Some(Team::Python),
            NONE,
            Some(Load::CpuHeavy),
            (Flask, 7, false, None),
        ),
        // Image processing, heavy CPU work, both languages: speed (Node) nearly cancels the use
        // case (Python); the higher score stands.
        profile(
            Some(UseCase::ImageProcessing),
            Some(Team::Both),
            NONE,
            Some(Load::CpuHeavy),
            (Flask, 1, true, Some(Score)),
        ),
        // Adversarial: a JSON API for a Python team expecting thousands of concurrent
        // connections. architecture and scalability (Node) beat the team's language.
        profile(
            Some(UseCase::Api),
            Some(Team::Python),
            NONE,
            Some(Load::HighConcurrency),
            (Node, 4, false, None),
        ),
        // A business app where speed and concurrency matter most. speed, architecture and
        // scalability (Node) beat the use case (Python).
        profile(
            Some(UseCase::Business),
            Some(Team::Both),
            &[P::Performance, P::Concurrency],
            None,
            (Node, 3, false, None),
        ),
        // Adversarial: beginners who want to learn, building realtime. Close; no language to
        // fall back on, so ease of learning (Python's readability) decides.
        profile(
            Some(UseCase::Realtime),
            Some(Team::None),
            &[P::Learning],
            None,
            (Flask, 2, true, Some(EaseOfLearning)),
        ),
        // Adversarial: ML for a JavaScript team that wants one language front to back. ease of
        // learning twice for Node (JS team, full stack) ties use cases and libraries for Python;
        // the team's language settles it.
        profile(
            Some(UseCase::Ml),
            Some(Team::Javascript),
            &[P::FullStack],
            None,
            (Node, 0, true, Some(TeamLanguage)),
        ),
        // Binding C code, nothing else known. extensibility: Python where native integration
        // matters.
        profile(
            None,
            Some(Team::Both),
            &[P::NativeExtensions],
            None,
            (Flask, 3, false, None),
        ),
        // A JSON API for a few users by a JavaScript team: a low load changes nothing.
        profile(
            Some(UseCase::Api),
            Some(Team::Javascript),
            NONE,
            Some(Load::Low),
            (Node, 5, false, None),
        ),
        // A Python team that values hiring and readability. community and ease of learning lean
        // Python.
        profile(
            None,
            Some(Team::Python),
            &[P::Hiring, P::Learning],
            None,
            (Flask, 7, false, None),
        ),
        // Only the team is known: JavaScript. ease of learning: Node for JS teams.
        profile(
            None,
            Some(Team::Javascript),
            NONE,
            None,
            (Node, 3, false, None),
        ),
        // Only the team is known: Python.
        profile(
            None,
            Some(Team::Python),
            NONE,
            None,
            (Flask, 3, false, None),
        ),
        // Performance against the data ecosystem, both languages known: speed (Node) and
        // libraries (Python) nearly cancel; the higher score stands.
        profile(
            None,
            Some(Team::Both),
            &[P::Performance, P::DataEcosystem],
            None,
            (Flask, 1, true, Some(Score)),
        ),
    ];

    fn rules() -> Rules {
        Rules::embedded().unwrap()
    }

    #[test]
    fn profiles_get_the_stack_the_comparison_leads_to() {
        let rules = rules();
        assert!(PROFILES.len() >= 25);
        for (i, profile) in PROFILES.iter().enumerate() {
            let answers = Answers {
                use_case: profile.use_case,
                team: profile.team,
                priorities: profile.priorities.to_vec(),
                load: profile.load,
            };
            let got = recommend(&rules, &answers);
            let seen = (
                got.stack,
                got.margin,
                got.close,
                got.tie_break.as_ref().map(|tie_break| tie_break.by),
            );
            let expected = (
                profile.stack,
                profile.margin,
                profile.close,
                profile.tie_break,
            );
            assert_eq!(seen, expected, "profile {i}: {answers:?}\n{got:#?}");
        }
    }

    #[test]
    fn a_tie_break_explanation_names_what_settled_it() {
        let rules = rules();
        let api_for_python = Answers {
            use_case: Some(UseCase::Api),
            team: Some(Team::Python),
            ..Answers::default()
        };
        let explanation = recommend(&rules, &api_for_python)
            .tie_break
            .unwrap()
            .explanation;
        assert!(explanation.contains("team's language"), "{explanation}");
        assert!(
            explanation.contains("`python` points to flask"),
            "{explanation}"
        );

        let defaults = recommend(&rules, &Answers::default());
        assert!(defaults.based_on_defaults);
        let explanation = defaults.tie_break.unwrap().explanation;
        assert!(explanation.contains("`stack_order`"), "{explanation}");
    }

    /// Every answer set the command line accepts: 13 use cases (with none) × 5 teams × every
    /// priority subset of up to 3 × 4 loads.
    fn every_answer_set() -> Vec<Answers> {
        fn with_none<T: ValueEnum>() -> Vec<Option<T>> {
            std::iter::once(None)
                .chain(T::value_variants().iter().cloned().map(Some))
                .collect()
        }
        let all = Priority::value_variants();
        let subsets: Vec<Vec<Priority>> = (0u32..1 << all.len())
            .filter(|mask| mask.count_ones() <= 3)
            .map(|mask| {
                (0..all.len())
                    .filter(|bit| mask & (1 << bit) != 0)
                    .map(|bit| all[bit])
                    .collect()
            })
            .collect();
        let mut sets = Vec::new();
        for use_case in with_none::<UseCase>() {
            for team in with_none::<Team>() {
                for priorities in &subsets {
                    for load in with_none::<Load>() {
                        sets.push(Answers {
                            use_case,
                            team,
                            priorities: priorities.clone(),
                            load,
                        });
                    }
                }
            }
        }
        sets
    }

    #[test]
    fn every_answer_set_gets_a_consistent_explained_verdict() {
        let rules = rules();
        let sets = every_answer_set();
        assert_eq!(sets.len(), 13 * 5 * 64 * 4);
        for answers in &sets {
            let got = recommend(&rules, answers);
            assert!(!got.reasons.is_empty(), "{answers:?}");
            assert_eq!(got.scores, Scores::sum(&got.reasons), "{answers:?}");
            assert_eq!(got.margin, got.scores.node.abs_diff(got.scores.flask));
            assert_eq!(got.close, got.margin <= got.close_margin);
            assert_eq!(got.tie_break.is_some(), got.close, "{answers:?}");
            if !got.close {
                assert_eq!(Some(got.stack), got.scores.leader(), "{answers:?}");
            }
            assert!(
                got.reasons
                    .windows(2)
                    .all(|pair| pair[0].points >= pair[1].points),
                "{answers:?}"
            );
            assert_eq!(got.based_on_defaults, answers.is_empty());
            assert_eq!(&got.answers, answers);
            assert_eq!(got, recommend(&rules, answers), "{answers:?}");
        }
    }

    #[test]
    fn reasons_are_one_per_awarded_stack_in_a_fixed_order() {
        let got = recommend(&rules(), &Answers::default());
        let reasons: Vec<(Criterion, Stack, u32)> = got
            .reasons
            .iter()
            .map(|reason| (reason.criterion, reason.favours, reason.points))
            .collect();
        assert_eq!(
            reasons,
            [
                (Criterion::Speed, Node, 1),
                (Criterion::Community, Flask, 1),
                (Criterion::Popularity, Node, 1),
                (Criterion::Popularity, Flask, 1),
            ]
        );
    }
}
