//! `stackgen recommend`, `stackgen rules` and the recommendation inside `stackgen new`.

use std::collections::BTreeSet;
use std::fs;

use serde_json::Value;

use crate::support::{Sandbox, assert_nothing};

const CRITERIA: [&str; 9] = [
    "architecture",
    "speed",
    "scalability",
    "extensibility",
    "libraries",
    "use_cases",
    "community",
    "popularity",
    "ease_of_learning",
];
const USE_CASES: [&str; 12] = [
    "realtime",
    "streaming",
    "api",
    "spa",
    "ecommerce",
    "gaming",
    "data-science",
    "ml",
    "image-processing",
    "business",
    "desktop",
    "scripting",
];
const TEAMS: [&str; 4] = ["javascript", "python", "both", "none"];
const PRIORITIES: [&str; 7] = [
    "performance",
    "concurrency",
    "learning",
    "data-ecosystem",
    "full-stack",
    "hiring",
    "native-extensions",
];
const LOADS: [&str; 3] = ["low", "high-concurrency", "cpu-heavy"];

fn recommend_json(sandbox: &Sandbox, args: &[&str]) -> Value {
    let output = sandbox
        .stackgen()
        .arg("recommend")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

fn keys(object: &Value) -> BTreeSet<&str> {
    object
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn count(value: &Value) -> u64 {
    value.as_u64().expect("a non-negative integer")
}

fn one_of_or_null(value: &Value, valid: &[&str]) {
    assert!(
        value.is_null() || valid.contains(&value.as_str().expect("a string or null")),
        "{value}"
    );
}

/// Checks the documented `recommend --json` schema, field by field and type by type.
fn assert_schema(document: &Value) {
    assert_eq!(
        keys(document),
        BTreeSet::from([
            "stack",
            "scores",
            "margin",
            "close",
            "reasons",
            "answers",
            "close_margin",
            "tie_break",
            "based_on_defaults",
        ])
    );
    let stack = document["stack"].as_str().unwrap();
    assert!(["node", "flask"].contains(&stack));
    assert_eq!(keys(&document["scores"]), BTreeSet::from(["node", "flask"]));
    let (node, flask) = (
        count(&document["scores"]["node"]),
        count(&document["scores"]["flask"]),
    );
    assert_eq!(count(&document["margin"]), node.abs_diff(flask));
    let close = document["close"].as_bool().unwrap();
    assert_eq!(
        close,
        count(&document["margin"]) <= count(&document["close_margin"])
    );

    let reasons = document["reasons"].as_array().unwrap();
    assert!(!reasons.is_empty());
    let mut sums = (0, 0);
    let mut previous = u64::MAX;
    for reason in reasons {
        assert_eq!(
            keys(reason),
            BTreeSet::from(["criterion", "favours", "points", "why"])
        );
        assert!(CRITERIA.contains(&reason["criterion"].as_str().unwrap()));
        let points = count(&reason["points"]);
        assert!(
            points > 0 && points <= previous,
            "strongest first: {reasons:?}"
        );
        previous = points;
        match reason["favours"].as_str().unwrap() {
            "node" => sums.0 += points,
            "flask" => sums.1 += points,
            other => panic!("favours `{other}`"),
        }
        assert!(!reason["why"].as_str().unwrap().trim().is_empty());
    }
    assert_eq!(sums, (node, flask), "scores are the sums of the reasons");

    let answers = &document["answers"];
    assert_eq!(
        keys(answers),
        BTreeSet::from(["use_case", "team", "priorities", "load"])
    );
    one_of_or_null(&answers["use_case"], &USE_CASES);
    one_of_or_null(&answers["team"], &TEAMS);
    one_of_or_null(&answers["load"], &LOADS);
    for priority in answers["priorities"].as_array().unwrap() {
        assert!(PRIORITIES.contains(&priority.as_str().unwrap()));
    }

    let tie_break = &document["tie_break"];
    assert_eq!(tie_break.is_null(), !close);
    if !tie_break.is_null() {
        assert_eq!(keys(tie_break), BTreeSet::from(["by", "explanation"]));
        assert!(
            ["team_language", "ease_of_learning", "score", "stack_order"]
                .contains(&tie_break["by"].as_str().unwrap())
        );
        assert!(!tie_break["explanation"].as_str().unwrap().is_empty());
    }
    let answered = answers["use_case"].is_null()
        && answers["team"].is_null()
        && answers["load"].is_null()
        && answers["priorities"].as_array().unwrap().is_empty();
    assert_eq!(document["based_on_defaults"].as_bool().unwrap(), answered);
}

#[test]
fn recommend_json_follows_its_documented_schema() {
    let sandbox = Sandbox::new();
    let profiles: [&[&str]; 5] = [
        &[],
        &["--use-case", "realtime", "--team", "javascript"],
        &["--use-case", "api", "--team", "both"],
        &[
            "--use-case",
            "data-science",
            "--team",
            "none",
            "--priority",
            "learning",
            "--priority",
            "hiring",
            "--load",
            "low",
        ],
        &[
            "--use-case",
            "ml",
            "--team",
            "python",
            "--load",
            "cpu-heavy",
        ],
    ];
    for args in profiles {
        assert_schema(&recommend_json(&sandbox, args));
    }
}

#[test]
fn recommend_names_the_stack_and_the_answers_it_was_given() {
    let sandbox = Sandbox::new();
    let chat = recommend_json(
        &sandbox,
        &["--use-case", "realtime", "--team", "javascript"],
    );
    assert_eq!(chat["stack"], "node");
    assert_eq!(chat["close"], false);
    assert_eq!(chat["answers"]["use_case"], "realtime");
    assert_eq!(chat["answers"]["team"], "javascript");

    let dashboard = recommend_json(
        &sandbox,
        &[
            "--use-case",
            "data-science",
            "--team",
            "none",
            "--priority",
            "learning",
        ],
    );
    assert_eq!(dashboard["stack"], "flask");
    assert_eq!(
        dashboard["answers"]["priorities"],
        serde_json::json!(["learning"])
    );

    let api = recommend_json(&sandbox, &["--use-case", "api", "--team", "both"]);
    assert_eq!(api["close"], true);
    assert_eq!(api["tie_break"]["by"], "score");

    let defaults = recommend_json(&sandbox, &[]);
    assert_eq!(defaults["based_on_defaults"], true);
}

#[test]
fn recommend_prints_the_verdict_and_its_reasons_for_people_on_stdout() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .stackgen()
        .args(["recommend", "--use-case", "api", "--team", "python"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(output.stderr.is_empty());
    let stdout = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "Recommended: Python/Flask (`flask`)",
        "Scores: node 4, flask 5, margin 1, a close call (a close call is a margin of 2 or less)",
        "Deciding criteria, strongest first:",
        "+3 flask ease_of_learning",
        "Tie-break: ",
        "`python` points to flask",
    ] {
        assert!(stdout.contains(needle), "lacks {needle:?}:\n{stdout}");
    }
    assert!(!stdout.contains("based on the defaults"));

    let output = sandbox.stackgen().arg("recommend").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("based on the defaults"), "{stdout}");
}

#[test]
fn unknown_answer_values_are_refused_with_the_valid_ones() {
    let sandbox = Sandbox::new();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--use-case", "blockchain"],
            "realtime, streaming, api, spa, ecommerce, gaming, data-science, ml, image-processing, business, desktop, scripting",
        ),
        (&["--team", "rust"], "javascript, python, both, none"),
        (
            &["--priority", "speed"],
            "performance, concurrency, learning, data-ecosystem, full-stack, hiring, native-extensions",
        ),
        (&["--load", "huge"], "low, high-concurrency, cpu-heavy"),
    ];
    for (args, valid) in cases {
        for command in [&["recommend"][..], &["new", "app", "--yes"][..]] {
            let output = sandbox
                .stackgen()
                .args(command)
                .args(args)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{args:?}");
            let stderr = String::from_utf8(output.stderr).unwrap();
            assert!(stderr.contains(args[1]), "{stderr}");
            assert!(stderr.contains(valid), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn repeated_or_too_many_priorities_are_refused() {
    let sandbox = Sandbox::new();
    let cases: [(&[&str], &str); 2] = [
        (
            &["--priority", "hiring", "--priority", "hiring"],
            "`hiring` is given more than once",
        ),
        (
            &[
                "--priority",
                "hiring",
                "--priority",
                "learning",
                "--priority",
                "performance",
                "--priority",
                "concurrency",
            ],
            "at most 3",
        ),
    ];
    for (args, needle) in cases {
        let output = sandbox
            .stackgen()
            .arg("recommend")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(needle), "{stderr}");
        assert_nothing(&sandbox, &[&["app", "--yes"][..], args].concat(), needle);
    }
}

#[test]
fn the_embedded_rules_print_verbatim_and_load_back() {
    let sandbox = Sandbox::new();
    let output = sandbox.stackgen().arg("rules").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text, include_str!("../../rules/default.toml"));

    fs::write(sandbox.path("copy.toml"), &text).unwrap();
    let args = ["--use-case", "image-processing", "--team", "javascript"];
    let embedded = recommend_json(&sandbox, &args);
    let copied = recommend_json(&sandbox, &[&args[..], &["--rules", "copy.toml"]].concat());
    assert_eq!(embedded, copied);
}

#[test]
fn a_rules_file_replaces_the_embedded_rules() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path("python-shop.toml"),
        "[settings]\nclose_margin = 0\nstack_order = [\"flask\", \"node\"]\n\n\
         [[rule]]\ncriterion = \"community\"\npoints = { flask = 4 }\n\
         why = \"we hire Python developers\"\n",
    )
    .unwrap();
    let args = ["--use-case", "realtime", "--team", "javascript"];
    assert_eq!(recommend_json(&sandbox, &args)["stack"], "node");
    let mine = recommend_json(
        &sandbox,
        &[&args[..], &["--rules", "python-shop.toml"]].concat(),
    );
    assert_eq!(mine["stack"], "flask");
    assert_eq!(mine["scores"], serde_json::json!({"node": 0, "flask": 4}));
    assert_eq!(mine["reasons"][0]["why"], "we hire Python developers");
    assert_schema(&mine);
}

#[test]
fn a_bad_rules_file_is_refused_with_file_and_line() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path("bad.toml"),
        "[settings]\nclose_margin = 2\nstack_order = [\"node\", \"flask\"]\n\n\
         [[rule]]\ncriterion = \"speed\"\npoints = { node = -1 }\nwhy = \"fast\"\n",
    )
    .unwrap();
    let output = sandbox
        .stackgen()
        .args(["recommend", "--rules", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("bad.toml:7:19"), "{stderr}");
    assert!(stderr.contains("found `-1`"), "{stderr}");

    // `new` refuses it before touching the disk, even when `--stack` makes it moot.
    assert_nothing(
        &sandbox,
        &["app", "--yes", "--rules", "bad.toml"],
        "bad.toml:7:",
    );
    assert_nothing(
        &sandbox,
        &["app", "--stack", "node", "--yes", "--rules", "bad.toml"],
        "bad.toml:7:",
    );
    assert_nothing(
        &sandbox,
        &["app", "--yes", "--rules", "missing.toml"],
        "cannot read rules file `missing.toml`",
    );
}

fn new_json(sandbox: &Sandbox, args: &[&str]) -> (Value, String) {
    let output = sandbox
        .stackgen()
        .arg("new")
        .args(args)
        .args(["--yes", "--no-git", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{args:?}: {stderr}");
    let document = serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    (document, stderr)
}

#[test]
fn new_takes_the_recommendation_by_default_and_reports_it() {
    let sandbox = Sandbox::new();
    let chat = ["--use-case", "realtime", "--team", "javascript"];
    let (document, stderr) = new_json(&sandbox, &[&["chat"][..], &chat].concat());
    assert_eq!(document["stack"], "node");
    assert!(sandbox.path("chat/package.json").is_file());
    assert_eq!(document["recommendation"], recommend_json(&sandbox, &chat));
    assert_schema(&document["recommendation"]);
    assert!(stderr.contains("Recommended: Node.js"), "{stderr}");
    assert_eq!(
        stderr.matches("+3 node").count(),
        3,
        "the top 3 reasons: {stderr}"
    );

    let (document, stderr) = new_json(
        &sandbox,
        &[
            "dashboard",
            "--use-case",
            "data-science",
            "--team",
            "python",
        ],
    );
    assert_eq!(document["stack"], "flask");
    assert!(sandbox.path("dashboard/pyproject.toml").is_file());
    assert!(!stderr.contains("goes against"), "{stderr}");
}

#[test]
fn new_without_answers_says_the_stack_comes_from_defaults() {
    let sandbox = Sandbox::new();
    let (document, stderr) = new_json(&sandbox, &["plain", "--dry-run"]);
    assert_eq!(document["recommendation"]["based_on_defaults"], true);
    assert_eq!(document["stack"], document["recommendation"]["stack"]);
    assert!(stderr.contains("based on the defaults"), "{stderr}");
}

#[test]
fn an_explicit_stack_wins_and_says_it_goes_against_the_recommendation() {
    let sandbox = Sandbox::new();
    let (document, stderr) = new_json(
        &sandbox,
        &[
            "chat",
            "--stack",
            "flask",
            "--use-case",
            "realtime",
            "--team",
            "javascript",
        ],
    );
    assert_eq!(document["stack"], "flask");
    assert_eq!(document["recommendation"]["stack"], "node");
    assert!(sandbox.path("chat/pyproject.toml").is_file());
    assert!(
        stderr.contains("`--stack flask` goes against the recommendation (`node`)"),
        "{stderr}"
    );

    let (_, stderr) = new_json(
        &sandbox,
        &[
            "api",
            "--stack",
            "node",
            "--use-case",
            "realtime",
            "--dry-run",
        ],
    );
    assert!(!stderr.contains("goes against"), "{stderr}");
}

#[test]
fn names_are_checked_for_the_recommended_stack() {
    let sandbox = Sandbox::new();
    // `class` is a Python keyword, so it is refused only when the recommendation is Flask.
    assert_nothing(
        &sandbox,
        &["class", "--yes", "--use-case", "ml", "--team", "python"],
        "keyword",
    );
    let (document, _) = new_json(
        &sandbox,
        &[
            "class",
            "--use-case",
            "realtime",
            "--team",
            "javascript",
            "--dry-run",
        ],
    );
    assert_eq!(document["stack"], "node");
}
