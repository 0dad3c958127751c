//! `stackgen new`: the flags become raw inputs and settings, the wizard fills the gaps, the one
//! validator checks everything, then the project is rendered, written and reported.

use std::path::Path;
use std::thread;

use serde_json::json;

use crate::cli::NewArgs;
use crate::error::Error;
use crate::git::{self, GitOutcome, GitPlan, GitStatus};
use crate::inputs::Inputs;
use crate::install;
use crate::options::{self, Checks, NewOptions, NewSettings};
use crate::output::{Reporter, write_json};
use crate::prompt::{self, Prompter, TerminalPrompter};
use crate::recommend::{Rules, report};
use crate::record;
use crate::scaffold;
use crate::signals;
use crate::stack::{Lang, Stack};
use crate::target;
use crate::text::{escape, shell_quote};
use crate::toolchain::{self, Report, Status, SystemProbe};
use crate::wizard;
use crate::wrap;
use crate::write;

/// Runs `stackgen new`, prompting only where a person can answer.
pub fn run(args: &NewArgs, reporter: &Reporter) -> Result<(), Error> {
    signals::install();
    let mut terminal;
    let prompter: Option<&mut dyn Prompter> =
        if prompt::interactive_allowed(args.yes, args.no_interactive) {
            terminal = TerminalPrompter::new();
            Some(&mut terminal)
        } else {
            None
        };
    run_new(args, reporter, prompter)
}

/// The values given as flags.
fn inputs_from(args: &NewArgs) -> Inputs {
    Inputs {
        path: args.path.clone(),
        name: args.name.clone(),
        stack: args.stack,
        lang: args.lang,
        description: args.description.clone(),
        author: args.author.clone(),
        port: args.port,
        git: args.no_git.then_some(false),
        answers: super::recommend::answers_from(&args.answers),
        license: args.license,
        ci: args.ci,
        docker: args.docker.then_some(true),
        agents: args.no_agents.then_some(false),
        update_bot: args.no_update_bot.then_some(false),
        year: args.year,
        revision: None,
        written_by: None,
    }
}

fn settings_from(args: &NewArgs) -> NewSettings {
    NewSettings {
        force: args.force,
        dry_run: args.dry_run,
        json: args.json,
        checks: if args.skip_checks {
            Checks::Skip
        } else if args.require_toolchain || args.install {
            Checks::Require
        } else {
            Checks::Warn
        },
        install: args.install,
        strict: args.strict,
        template_revision: args.template_revision,
    }
}

/// Gathers the answers (flags, then the wizard when there is a `prompter`), validates them
/// all, then creates the project.
fn run_new(
    args: &NewArgs,
    reporter: &Reporter,
    mut prompter: Option<&mut dyn Prompter>,
) -> Result<(), Error> {
    let mut inputs = inputs_from(args);
    if let Some(path) = &args.answers.answers_file {
        inputs.fill_from(record::read_answers(path)?);
    }
    NewOptions::check_early(&inputs)?;
    if let Some(stack) = inputs.explicit_stack() {
        options::check_lang_for(stack, args.lang)?;
    }
    // An earlier revision has no language choice: nothing to ask (a `--lang ts` given is
    // refused by the validator).
    if args
        .template_revision
        .is_some_and(|number| number < options::FIRST_TS_REVISION)
    {
        inputs.lang.get_or_insert(Lang::Js);
    }
    if let Some(path) = &inputs.path {
        // Refuse an unusable target before asking anything about the project; a PATH that
        // gives no name (`/`) is refused first, asking for `--name` (catalogue A71).
        if inputs.name.is_none() {
            target::name_from_path(path)?;
        }
        target::inspect(path, args.force)?;
    }
    // Parsing the rules is a good part of a run's work: skip it when nothing would use the
    // recommendation (a named stack, no answers, no JSON, no prompts, no rules file to check).
    let recommendation_used = prompter.is_some()
        || inputs.explicit_stack().is_none()
        || !inputs.answers.is_empty()
        || args.json
        || args.answers.rules.is_some();
    let rules = if recommendation_used {
        Some(Rules::load(args.answers.rules.as_deref())?)
    } else {
        None
    };
    let mut recommendation_shown = false;
    if let (Some(prompter), Some(rules)) = (prompter.as_deref_mut(), &rules) {
        recommendation_shown = inputs.stack.is_none();
        wizard::ask(
            &mut inputs,
            rules,
            git::default_author().as_deref(),
            args.force,
            prompter,
        )?;
    }
    let options = NewOptions::validate(&inputs, rules.as_ref(), &settings_from(args))?;
    // `--lang` with a stack the recommendation (or the wizard) chose.
    options::check_lang_for(options.project.stack, args.lang)?;
    new_project(&options, reporter, prompter, recommendation_shown)
}

/// Checks the target, renders in memory, confirms with the user when prompting, then writes
/// all-or-nothing.
fn new_project(
    options: &NewOptions,
    reporter: &Reporter,
    prompter: Option<&mut dyn Prompter>,
    recommendation_shown: bool,
) -> Result<(), Error> {
    let target = target::inspect(&options.target, options.force)?;
    let probe = SystemProbe::from_env();
    // The probes mostly wait for other programs, so they run while the templates render.
    let requirements = super::requirements(&options.project, options.revision)?;
    let checks = (options.checks != Checks::Skip).then(|| {
        let probe = probe.clone();
        let stack = options.project.stack;
        thread::spawn(move || toolchain::check(&probe, &[stack], false, &requirements))
    });
    let files = scaffold::render_revision(&options.project, options.revision);
    let report = checks.map(|checks| {
        checks
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let files = files?;
    if let Some(report) = &report {
        for warning in report.warnings() {
            reporter.warn(&warning)?;
        }
        if options.checks == Checks::Require
            && let Some(error) = report.not_ready(true, options.strict)
        {
            return Err(error);
        }
    }
    let project = &options.project;
    let shown_target = escape(&target.path.to_string_lossy());
    if !recommendation_shown {
        report_recommendation(reporter, options)?;
    }
    if let Some(prompter) = prompter {
        let paths: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
        if !wizard::confirm(options, &paths, prompter)? {
            return Err(Error::Cancelled);
        }
    }

    if options.dry_run {
        reporter.status(
            "Would create",
            &format!(
                "{} project `{}` in `{shown_target}`",
                project.stack.display_name(),
                project.name.name
            ),
        )?;
        for file in &files {
            reporter.info(&format!("{:>12} {}", "", file.path))?;
        }
        if options.json {
            let paths: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
            print_json(
                options,
                &target.path,
                &paths,
                &[],
                &[],
                None,
                report.as_ref(),
            )?;
        }
        return Ok(());
    }

    let git_plan = git::plan(&target.path, options.git);
    reporter.status(
        "Creating",
        &format!(
            "{} project `{}` in `{shown_target}`",
            project.stack.display_name(),
            project.name.name
        ),
    )?;
    let written = write::write_project(
        &target.path,
        target.layout,
        &files,
        |dir, paths, transaction| match &git_plan {
            GitPlan::Init => {
                let written: Vec<&scaffold::PlannedFile> = files
                    .iter()
                    .filter(|file| paths.contains(&file.path))
                    .collect();
                git::init_and_commit(dir, &target.path, &written, transaction)
            }
            GitPlan::Skip(outcome) => Ok(outcome.clone()),
        },
    )?;
    report_written(
        options,
        reporter,
        &target.path,
        &written,
        report.as_ref(),
        &probe,
    )
    .map_err(|error| match error {
        Error::Output(source) => Error::OutputAfterWriting {
            path: target.path.clone(),
            source,
        },
        other => other,
    })
}

/// Everything after the project is whole: the notes, the optional install, then the JSON
/// document or the next steps. A failure to print here leaves the project in place.
fn report_written(
    options: &NewOptions,
    reporter: &Reporter,
    path: &Path,
    written: &write::Written<GitOutcome>,
    report: Option<&Report>,
    probe: &SystemProbe,
) -> Result<(), Error> {
    let shown_target = escape(&path.to_string_lossy());
    if !written.cleaned.is_empty() {
        reporter.note(&format!(
            "removed {}",
            counted(
                &written.cleaned,
                "staging director",
                "left by a stackgen run that was killed"
            )
        ))?;
    }
    if !written.skipped.is_empty() {
        reporter.note(&format!(
            "kept {}",
            counted(&written.skipped, "existing entr", "untouched")
        ))?;
    }
    report_git(reporter, &written.finish)?;
    reporter.status(
        "Created",
        &format!("{} files in `{shown_target}`", written.files.len()),
    )?;
    stop_if_interrupted(path)?;
    if options.install
        && let Some(report) = report
    {
        // The install runs in the project directory, so the path as given still serves when
        // it cannot be made absolute (the working directory was removed, say).
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        install::install(
            options.project.stack,
            options.revision.number,
            &absolute,
            report,
            probe.search_path(),
            reporter,
        )?;
    }
    if options.json {
        print_json(
            options,
            path,
            &written.files.iter().map(String::as_str).collect::<Vec<_>>(),
            &written.skipped,
            &written.cleaned,
            Some(&written.finish),
            report,
        )?;
    } else {
        print_next_steps(reporter, path, options, report)?;
    }
    stop_if_interrupted(path)
}

/// `N <stem>y <what>: a` or `N <stem>ies <what>: a, b`, the names escaped.
fn counted(names: &[String], stem: &str, what: &str) -> String {
    let ending = if names.len() == 1 { "y" } else { "ies" };
    let listed: Vec<String> = names.iter().map(|name| escape(name)).collect();
    format!(
        "{} {stem}{ending} {what}: {}",
        names.len(),
        listed.join(", ")
    )
}

/// Once the project is whole a signal still ends the run, with its exit code, but saying that
/// the project was kept.
fn stop_if_interrupted(path: &Path) -> Result<(), Error> {
    match signals::pending() {
        Some(signal) => Err(Error::InterruptedAfterWriting {
            signal,
            path: path.to_owned(),
            retry: None,
        }),
        None => Ok(()),
    }
}

/// A few lines on the recommendation, so the user sees why this stack before files appear.
fn report_recommendation(reporter: &Reporter, options: &NewOptions) -> Result<(), Error> {
    let Some(recommendation) = &options.recommendation else {
        return Ok(());
    };
    // The user named the stack and described nothing: a verdict from defaults is only noise.
    if options.explicit_stack && recommendation.based_on_defaults {
        return Ok(());
    }
    reporter.info(&report::summary(recommendation, 3, wrap::stderr_width()))?;
    if recommendation.based_on_defaults {
        reporter.note(report::DEFAULTS_NOTE)?;
    }
    let stack = options.project.stack;
    if stack != recommendation.stack {
        reporter.note(&format!(
            "`--stack {stack}` goes against the recommendation (`{}`); using {} as asked",
            recommendation.stack,
            stack.display_name()
        ))?;
    }
    Ok(())
}

fn report_git(reporter: &Reporter, outcome: &GitOutcome) -> Result<(), Error> {
    match (outcome.status, &outcome.message) {
        (GitStatus::Committed, _) => {
            let commit = outcome.commit.as_deref().unwrap_or_default();
            reporter.status(
                "Committed",
                &format!(
                    "initial commit {} on `main`",
                    &commit[..commit.len().min(7)]
                ),
            )
        }
        (GitStatus::Skipped, Some(message)) => reporter.note(message),
        (GitStatus::Initialized | GitStatus::Failed, Some(message)) => reporter.warn(message),
        _ => Ok(()),
    }
}

fn print_json(
    options: &NewOptions,
    path: &Path,
    files: &[&str],
    skipped: &[String],
    cleaned: &[String],
    git: Option<&GitOutcome>,
    checks: Option<&Report>,
) -> Result<(), Error> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let document = json!({
        "path": absolute.to_string_lossy(),
        "name": options.project.name.name,
        "stack": options.project.stack,
        // Node.js only: `js` or `ts`.
        "lang": (options.project.stack == Stack::Node).then_some(options.project.lang),
        "template_revision": options.revision.number,
        "dry_run": options.dry_run,
        "files": files,
        "skipped": skipped,
        "cleaned": cleaned,
        "git": git,
        "recommendation": options.recommendation,
        "checks": checks,
        "installed": options.install && !options.dry_run,
    });
    write_json(&document)
}

fn print_next_steps(
    reporter: &Reporter,
    path: &Path,
    options: &NewOptions,
    checks: Option<&Report>,
) -> Result<(), Error> {
    let port = options.project.port;
    let cd = format!("cd {}", shell_quote(&path.to_string_lossy()));
    let steps: Vec<String> = match options.project.stack {
        Stack::Node if options.project.lang == Lang::Ts && !options.install => vec![
            cd,
            "npm install          # TypeScript's type checker, for `npm run typecheck`".into(),
            "npm test".into(),
            format!("npm start            # then open http://127.0.0.1:{port}/"),
        ],
        Stack::Node => vec![
            cd,
            "npm test".into(),
            format!("npm start            # then open http://127.0.0.1:{port}/"),
        ],
        Stack::Flask if options.revision.number >= 3 => {
            let module = options.project.name.module.as_deref().unwrap_or_default();
            let mut steps = vec![cd];
            if options.install {
                steps.push(". .venv/bin/activate".into());
            } else {
                steps.push(format!(
                    "{} -m venv .venv && . .venv/bin/activate",
                    python_command(checks)
                ));
                steps.push("pip install -U 'pip>=25.1' && pip install -e . --group dev".into());
            }
            steps.push("pytest".into());
            steps.push(format!(
                "python -m {module}   # then open http://127.0.0.1:{port}/"
            ));
            steps
        }
        Stack::Flask if options.install => vec![
            cd,
            ". .venv/bin/activate".into(),
            "pytest".into(),
            format!("python app.py        # then open http://127.0.0.1:{port}/"),
        ],
        Stack::Flask => vec![
            cd,
            format!(
                "{} -m venv .venv && . .venv/bin/activate",
                python_command(checks)
            ),
            "pip install -e '.[dev]'".into(),
            "pytest".into(),
            format!("python app.py        # then open http://127.0.0.1:{port}/"),
        ],
    };
    reporter.info("\nNext steps:")?;
    for step in steps {
        reporter.info(&format!("  {step}"))?;
    }
    Ok(())
}

/// The interpreter command the check found working (`python` where there is no `python3`).
fn python_command(checks: Option<&Report>) -> String {
    checks
        .and_then(|report| report.tool("python"))
        .filter(|python| python.status == Status::Ok)
        .and_then(|python| python.path.as_deref()?.file_stem())
        .map_or_else(
            || "python3".into(),
            |name| shell_quote(&name.to_string_lossy()),
        )
}
