//! The interactive wizard: asks, through a [`Prompter`], for whatever no flag gave, in the
//! order a person thinks about a project, and shows the recommendation before the stack is
//! chosen. Every answer is checked as it is typed with the same rules the flags obey.

use std::path::Path;

use clap::ValueEnum;

use crate::extras::{Ci, License};
use crate::inputs::Inputs;
use crate::name;
use crate::options::NewOptions;
use crate::prompt::{PromptError, Prompter};
use crate::recommend::answers::MAX_PRIORITIES;
use crate::recommend::{self, Rules, report};
use crate::stack::{Lang, Stack, StackChoice};
use crate::target;
use crate::text::{self, Author, escape};
use crate::wrap;

/// The last entry of each single-choice question: leave it unanswered.
const NOT_SURE: &str = "not sure / skip";

/// How many reasons the wizard shows with the recommendation.
const SHOWN_REASONS: usize = 3;

/// Where the values start in the summary before writing (`  Description  …`).
const SUMMARY_VALUE_COLUMN: usize = 15;

/// Asks for every missing answer. `default_author` is offered for the author (from git).
/// `force` is `--force`: with it a non-empty directory is accepted as the answer.
pub fn ask(
    inputs: &mut Inputs,
    rules: &Rules,
    default_author: Option<&str>,
    force: bool,
    prompter: &mut dyn Prompter,
) -> Result<(), PromptError> {
    let fixed_stack = inputs.explicit_stack();
    if inputs.path.is_none() {
        let given_name = inputs.name.clone();
        let directory = prompter.text("Project directory", "", &|text| {
            let names = check_directory(text, given_name.as_deref(), fixed_stack)?;
            // Say now, not after every question, that the directory cannot be used.
            target::inspect(Path::new(text), force)
                .map(|_| Some(names))
                .map_err(|error| match error.help() {
                    Some(help) => format!("{error}; {help}"),
                    None => error.to_string(),
                })
        })?;
        let derived = check_directory(&directory, given_name.as_deref(), fixed_stack)
            .map_err(|_| PromptError::Cancelled)?;
        prompter.show(&derived)?;
        inputs.path = Some(directory.into());
    }
    if inputs.description.is_none() {
        let description = prompter.text("Description (one line, optional)", "", &|text| {
            text::check_description(text).map(|()| None)
        })?;
        inputs.description = Some(description);
    }
    if inputs.author.is_none() {
        let allow_comma = fixed_stack != Some(Stack::Flask);
        let author = prompter.text(
            "Author (`Name <email>`, optional)",
            default_author.unwrap_or(""),
            &|text| {
                if text.trim().is_empty() {
                    Ok(None)
                } else {
                    Author::parse(text, allow_comma).map(|_| None)
                }
            },
        )?;
        inputs.author = (!author.trim().is_empty()).then_some(author);
    }
    // With the stack named, no answer about the project could change it: nothing to ask.
    if fixed_stack.is_none() {
        ask_recommendation_answers(inputs, prompter)?;
    }
    if inputs.stack.is_none() {
        let recommendation = recommend::recommend(rules, &inputs.answers);
        let width = prompter.width();
        prompter.show(&report::summary(&recommendation, SHOWN_REASONS, width))?;
        let recommended = recommendation.stack;
        let items = [
            format!("{} (recommended)", recommended.display_name()),
            recommended_other(recommended).display_name().to_owned(),
        ];
        let picked = prompter.select("Stack", &items, 0)?;
        let stack = if picked == 0 {
            recommended
        } else {
            recommended_other(recommended)
        };
        inputs.stack = Some(match stack {
            Stack::Node => StackChoice::Node,
            Stack::Flask => StackChoice::Flask,
        });
    }
    ensure_name_fits_stack(inputs, prompter)?;
    if inputs.explicit_stack() == Some(Stack::Node) && inputs.lang.is_none() {
        let values = Lang::value_variants();
        let items: Vec<String> = values.iter().map(describe).collect();
        let picked = prompter.select("Language", &items, 0)?;
        inputs.lang = Some(values[picked]);
    }
    ask_extras(inputs, prompter)
}

/// License, CI workflow and container, each offered unless a flag or the file settled it.
fn ask_extras(inputs: &mut Inputs, prompter: &mut dyn Prompter) -> Result<(), PromptError> {
    if inputs.license.is_none() {
        let values = License::value_variants();
        let items: Vec<String> = values.iter().map(describe).collect();
        let none = values
            .iter()
            .position(|license| *license == License::None)
            .unwrap_or(0);
        let picked = prompter.select("License", &items, none)?;
        inputs.license = Some(values[picked]);
    }
    if inputs.ci.is_none() {
        let github =
            prompter.confirm("Add a GitHub Actions workflow that runs the tests?", false)?;
        inputs.ci = Some(if github { Ci::Github } else { Ci::None });
    }
    if inputs.docker.is_none() {
        inputs.docker = Some(prompter.confirm("Add a production Dockerfile?", false)?);
    }
    Ok(())
}

fn recommended_other(stack: Stack) -> Stack {
    match stack {
        Stack::Node => Stack::Flask,
        Stack::Flask => Stack::Node,
    }
}

fn ask_recommendation_answers(
    inputs: &mut Inputs,
    prompter: &mut dyn Prompter,
) -> Result<(), PromptError> {
    let answers = &mut inputs.answers;
    if answers.use_case.is_none() {
        answers.use_case = select_optional(prompter, "What are you building?")?;
    }
    if answers.team.is_none() {
        answers.team = select_optional(prompter, "What does the team know?")?;
    }
    if answers.priorities.is_empty() {
        let values = recommend::answers::Priority::value_variants();
        let items: Vec<String> = values.iter().map(describe).collect();
        let picked = prompter.multi_select("What matters most?", &items, MAX_PRIORITIES)?;
        answers.priorities = picked.into_iter().map(|index| values[index]).collect();
    }
    if answers.load.is_none() {
        answers.load = select_optional(prompter, "What load do you expect?")?;
    }
    Ok(())
}

/// `name — help` for a value, as its `--help` shows it.
fn describe<T: ValueEnum>(value: &T) -> String {
    let possible = value.to_possible_value().expect("no value is hidden");
    match possible.get_help() {
        Some(help) => format!("{} — {help}", possible.get_name()),
        None => possible.get_name().to_owned(),
    }
}

fn select_optional<T: ValueEnum + Copy>(
    prompter: &mut dyn Prompter,
    prompt: &str,
) -> Result<Option<T>, PromptError> {
    let values = T::value_variants();
    let mut items: Vec<String> = values.iter().map(describe).collect();
    items.push(NOT_SURE.into());
    let picked = prompter.select(prompt, &items, items.len() - 1)?;
    Ok(values.get(picked).copied())
}

/// Checks a typed directory: the project name it implies (or the `--name` given) must be
/// valid for the chosen stack, or for at least one stack while none is chosen. Returns the
/// names derived from it, as [`derived_names`] puts them.
fn check_directory(
    text: &str,
    given_name: Option<&str>,
    stack: Option<Stack>,
) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("a directory is needed".into());
    }
    let name = match given_name {
        Some(name) => name.to_owned(),
        None => target::name_from_path(Path::new(text)).map_err(|error| error.to_string())?,
    };
    match name::validate_for(&name, stack) {
        Ok(valid) => Ok(derived_names(&valid, stack.is_none())),
        Err(error) => {
            let mut message = error.problem.clone();
            if let Some(help) = error.help() {
                message.push_str(&format!("; {help}"));
            }
            Err(message)
        }
    }
}

/// `package chat-server · module chat_server`: the names a project name gives on the stacks
/// that accept it. `any_stack` is true while no stack is chosen; a name only one of them
/// accepts then says so.
fn derived_names(valid: &[(Stack, name::ProjectName)], any_stack: bool) -> String {
    let Some((_, first)) = valid.first() else {
        return String::new();
    };
    let mut names = format!("package {}", first.name);
    if let Some(module) = valid.iter().find_map(|(_, name)| name.module.as_ref()) {
        names.push_str(&format!(" · module {module}"));
    }
    if let [(only, _)] = valid
        && any_stack
    {
        names.push_str(&format!(" ({} only)", only.display_name()));
    }
    names
}

/// A directory name fine for one stack may break the other's rules (`class` is a fine npm
/// name but a Python keyword): once the stack is settled, ask for a name that fits it.
fn ensure_name_fits_stack(
    inputs: &mut Inputs,
    prompter: &mut dyn Prompter,
) -> Result<(), PromptError> {
    let (Some(stack), Some(path)) = (inputs.explicit_stack(), inputs.path.as_deref()) else {
        return Ok(());
    };
    let current = match &inputs.name {
        Some(name) => name.clone(),
        None => target::name_from_path(path).unwrap_or_default(),
    };
    let Err(error) = name::validate(&current, stack) else {
        return Ok(());
    };
    prompter.show(&format!(
        "`{}` cannot be a {} project name: {}",
        escape(&current),
        stack.display_name(),
        error.problem
    ))?;
    let suggestion = error.suggestion.unwrap_or_default();
    let name = prompter.text("Project name", &suggestion, &|text| {
        let valid = name::validate(text, stack);
        valid
            .map(|valid| Some(derived_names(&[(stack, valid)], false)))
            .map_err(|error| {
                let error = error.with_source(name::NameSource::Typed);
                error.help().map_or(error.problem.clone(), |help| {
                    format!("{}; {help}", error.problem)
                })
            })
    })?;
    inputs.name = Some(name);
    Ok(())
}

/// Shows what will be written and asks for the go-ahead (default yes).
pub fn confirm(
    options: &NewOptions,
    files: &[&str],
    prompter: &mut dyn Prompter,
) -> Result<bool, PromptError> {
    let project = &options.project;
    let mut summary = vec![
        String::new(),
        match project.stack {
            Stack::Node => format!(
                "  Stack        {} ({})",
                project.stack.display_name(),
                match project.lang {
                    Lang::Js => "JavaScript",
                    Lang::Ts => "TypeScript",
                }
            ),
            Stack::Flask => format!("  Stack        {}", project.stack.display_name()),
        },
        format!("  Name         {}", project.name.name),
        format!(
            "  Directory    {}",
            escape(&options.target.to_string_lossy())
        ),
    ];
    if !project.description.is_empty() {
        summary.push(format!("  Description  {}", project.description));
    }
    if let Some(author) = &project.author {
        summary.push(format!("  Author       {author}"));
    }
    summary.push(format!("  Port         {}", project.port));
    summary.push(format!(
        "  Git          {}",
        if options.git { "init and commit" } else { "no" }
    ));
    summary.push(format!("  Files        {}", files.join(", ")));
    summary.push(String::new());
    let summary = wrap::lines_hanging(&summary.join("\n"), prompter.width(), |_| {
        SUMMARY_VALUE_COLUMN
    });
    prompter.show(&summary)?;
    prompter.confirm("Create the project?", true)
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    /// The wizard from no answers, on the embedded rules, with no author known.
    fn ask_on_defaults(prompter: &mut ScriptedPrompter) -> Inputs {
        let mut inputs = Inputs::default();
        ask(
            &mut inputs,
            &Rules::embedded().unwrap(),
            None,
            false,
            prompter,
        )
        .unwrap();
        inputs
    }

    use super::*;
    use crate::recommend::answers::{Load, Priority, Team, UseCase};

    /// Answers prompts from a script. A typed answer that fails validation is recorded as
    /// rejected and the next scripted answer is tried, as a person would retype.
    #[derive(Default)]
    struct ScriptedPrompter {
        texts: VecDeque<&'static str>,
        selects: VecDeque<usize>,
        multi: VecDeque<Vec<usize>>,
        confirms: VecDeque<bool>,
        asked: Vec<String>,
        rejected: Vec<String>,
        /// The note under each accepted answer, if it had one.
        notes: Vec<String>,
        shown: Vec<String>,
        width: Option<usize>,
    }

    impl Prompter for ScriptedPrompter {
        fn text(
            &mut self,
            prompt: &str,
            default: &str,
            validate: crate::prompt::Validator,
        ) -> Result<String, PromptError> {
            self.asked.push(prompt.to_owned());
            loop {
                let typed = self.texts.pop_front().ok_or(PromptError::Cancelled)?;
                let answer = if typed.is_empty() { default } else { typed };
                match validate(answer) {
                    Ok(note) => {
                        self.notes.extend(note);
                        return Ok(answer.to_owned());
                    }
                    Err(message) => self.rejected.push(message),
                }
            }
        }

        fn select(
            &mut self,
            prompt: &str,
            items: &[String],
            _: usize,
        ) -> Result<usize, PromptError> {
            self.asked.push(prompt.to_owned());
            let index = self.selects.pop_front().ok_or(PromptError::Cancelled)?;
            assert!(index < items.len());
            Ok(index)
        }

        fn multi_select(
            &mut self,
            prompt: &str,
            _: &[String],
            max: usize,
        ) -> Result<Vec<usize>, PromptError> {
            self.asked.push(prompt.to_owned());
            let picked = self.multi.pop_front().ok_or(PromptError::Cancelled)?;
            assert!(picked.len() <= max);
            Ok(picked)
        }

        fn confirm(&mut self, prompt: &str, _: bool) -> Result<bool, PromptError> {
            self.asked.push(prompt.to_owned());
            self.confirms.pop_front().ok_or(PromptError::Cancelled)
        }

        fn show(&mut self, text: &str) -> Result<(), PromptError> {
            self.shown.push(text.to_owned());
            Ok(())
        }

        fn width(&self) -> Option<usize> {
            self.width
        }
    }

    fn index_of<T: ValueEnum + PartialEq>(value: T) -> usize {
        T::value_variants()
            .iter()
            .position(|candidate| *candidate == value)
            .unwrap()
    }

    #[test]
    fn a_full_run_asks_everything_in_order_and_takes_the_recommendation() {
        let mut prompter = ScriptedPrompter {
            texts: ["chat-app", "Realtime chat", ""].into(),
            selects: [
                index_of(UseCase::Realtime),
                index_of(Team::Javascript),
                index_of(Load::HighConcurrency),
                0,
                index_of(Lang::Ts),
                index_of(License::Mit),
            ]
            .into(),
            multi: [vec![index_of(Priority::Concurrency)]].into(),
            confirms: [true, false].into(),
            ..ScriptedPrompter::default()
        };
        let mut inputs = Inputs::default();
        ask(
            &mut inputs,
            &Rules::embedded().unwrap(),
            Some("Jane <jane@example.com>"),
            false,
            &mut prompter,
        )
        .unwrap();
        assert_eq!(
            prompter.asked,
            [
                "Project directory",
                "Description (one line, optional)",
                "Author (`Name <email>`, optional)",
                "What are you building?",
                "What does the team know?",
                "What matters most?",
                "What load do you expect?",
                "Stack",
                "Language",
                "License",
                "Add a GitHub Actions workflow that runs the tests?",
                "Add a production Dockerfile?",
            ]
        );
        assert_eq!(
            (inputs.lang, inputs.license, inputs.ci, inputs.docker),
            (
                Some(Lang::Ts),
                Some(License::Mit),
                Some(Ci::Github),
                Some(false)
            )
        );
        assert_eq!(inputs.path.as_deref(), Some(Path::new("chat-app")));
        assert_eq!(
            inputs.author.as_deref(),
            Some("Jane <jane@example.com>"),
            "the git default is taken"
        );
        assert_eq!(inputs.stack, Some(StackChoice::Node));
        assert_eq!(inputs.answers.priorities, [Priority::Concurrency]);
        assert!(
            prompter
                .shown
                .iter()
                .any(|text| text == "package chat-app · module chat_app")
        );
        assert_eq!(
            prompter.notes,
            ["package chat-app · module chat_app"],
            "the directory's names show under it as it is typed"
        );
        assert!(
            prompter
                .shown
                .iter()
                .any(|text| text.contains("Recommended")),
            "{:?}",
            prompter.shown
        );
    }

    #[test]
    fn flags_are_not_asked_again() {
        let mut prompter = ScriptedPrompter {
            selects: [1].into(),
            ..ScriptedPrompter::default()
        };
        let mut inputs = Inputs {
            path: Some("web".into()),
            description: Some(String::new()),
            author: Some("A".into()),
            license: Some(License::None),
            ci: Some(Ci::None),
            docker: Some(false),
            answers: recommend::Answers {
                use_case: Some(UseCase::Api),
                team: Some(Team::Both),
                priorities: vec![Priority::Hiring],
                load: Some(Load::Low),
            },
            ..Inputs::default()
        };
        ask(
            &mut inputs,
            &Rules::embedded().unwrap(),
            None,
            false,
            &mut prompter,
        )
        .unwrap();
        assert_eq!(prompter.asked, ["Stack"]);
    }

    #[test]
    fn an_invalid_name_is_rejected_inline_then_corrected() {
        let mut prompter = ScriptedPrompter {
            texts: ["My App", "my-app", "", ""].into(),
            selects: [12, 4, 3, 1, 2].into(),
            multi: [vec![]].into(),
            confirms: [false, false].into(),
            ..ScriptedPrompter::default()
        };
        let inputs = ask_on_defaults(&mut prompter);
        assert_eq!(prompter.rejected.len(), 1);
        assert!(
            prompter.rejected[0].contains("try `my-app`"),
            "{:?}",
            prompter.rejected
        );
        assert_eq!(inputs.path.as_deref(), Some(Path::new("my-app")));
        assert_eq!(inputs.author, None, "an empty author stays absent");
    }

    #[test]
    fn overruling_the_recommendation_re_asks_a_name_the_new_stack_refuses() {
        // `class` is a fine npm name but a Python keyword.
        let mut prompter = ScriptedPrompter {
            texts: ["class", "", "", "class-app"].into(),
            confirms: [false, false].into(),
            selects: [
                index_of(UseCase::Realtime),
                index_of(Team::Javascript),
                3,
                1,
                2,
            ]
            .into(),
            multi: [vec![]].into(),
            ..ScriptedPrompter::default()
        };
        let inputs = ask_on_defaults(&mut prompter);
        assert_eq!(inputs.stack, Some(StackChoice::Flask));
        assert_eq!(inputs.name.as_deref(), Some("class-app"));
        assert!(prompter.shown.iter().any(|text| text.contains("keyword")));
        assert_eq!(
            prompter.notes,
            [
                "package class (Node.js only)",
                "package class-app · module class_app"
            ]
        );
    }

    #[test]
    fn cancelling_stops_at_once() {
        let mut prompter = ScriptedPrompter {
            texts: ["app"].into(),
            ..ScriptedPrompter::default()
        };
        let result = ask(
            &mut Inputs::default(),
            &Rules::embedded().unwrap(),
            None,
            false,
            &mut prompter,
        );
        assert!(matches!(result, Err(PromptError::Cancelled)));
        assert_eq!(prompter.asked.len(), 2);
    }
}
