//! The extras are valid for their tools: the workflow is YAML with the right steps, the
//! Dockerfile is well formed, the licenses are the real texts (issue 6).

use serde_json::Value;

use crate::support::{Sandbox, run_ok, transcript};

const EXTRAS: [&str; 9] = [
    "--license",
    "MIT",
    "--ci",
    "github",
    "--docker",
    "--year",
    "2031",
    "--yes",
    "--no-git",
];

/// Loads the workflow with PyYAML and prints it as JSON.
const YAML_TO_JSON: &str =
    "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";

fn workflow(sandbox: &Sandbox, dir: &str) -> Value {
    let json = run_ok(
        "python3",
        &["-c", YAML_TO_JSON, ".github/workflows/ci.yml"],
        &sandbox.path(dir),
    );
    serde_json::from_str(&json).unwrap()
}

fn steps(workflow: &Value) -> Vec<String> {
    workflow["jobs"]["test"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            step.get("uses")
                .or_else(|| step.get("run"))
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_workflows_install_the_toolchain_and_run_the_tests() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[&["web", "--stack", "node"][..], &EXTRAS].concat())
        .success();
    sandbox
        .new_project(&[&["api", "--stack", "flask"][..], &EXTRAS].concat())
        .success();
    sandbox
        .new_project(&[&["typed", "--stack", "node", "--lang", "ts"][..], &EXTRAS].concat())
        .success();

    let node = workflow(&sandbox, "web");
    // PyYAML reads the bare key `on` as the boolean true, as YAML 1.1 says.
    assert!(node.get("on").or_else(|| node.get("true")).is_some());
    assert_eq!(
        steps(&node),
        [
            "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
            "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020",
            "npm install --ignore-scripts",
            "npm test"
        ]
    );
    let typed = workflow(&sandbox, "typed");
    assert_eq!(
        steps(&typed),
        [
            "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
            "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020",
            "npm install --ignore-scripts",
            "npm run typecheck",
            "npm test"
        ]
    );
    assert_eq!(
        typed["jobs"]["test"]["strategy"], node["jobs"]["test"]["strategy"],
        "Node.js 22, 24 and 26 all run .ts files (22 from 22.18)"
    );
    assert!(
        node["jobs"]["test"]["strategy"]["matrix"]["node"]
            .as_array()
            .unwrap()
            == &[Value::from(22), Value::from(24), Value::from(26)]
    );

    let flask = workflow(&sandbox, "api");
    assert_eq!(
        steps(&flask),
        [
            "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
            "astral-sh/setup-uv@20cfd1bf945f4377ade1205e4dbc17946fc9a30d",
            "uv sync",
            "uv run ruff check .",
            "uv run ruff format --check .",
            "uv run pytest"
        ]
    );
    assert_eq!(
        flask["jobs"]["test"]["strategy"]["matrix"]["python"],
        serde_json::json!(["3.11", "3.12", "3.13", "3.14", "3.15"])
    );
}

/// The instructions a Dockerfile may use.
const INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// A Dockerfile's instructions, continuation lines joined: (instruction, arguments).
fn instructions(text: &str) -> Vec<(String, String)> {
    let mut logical = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(start) => current.push_str(start),
            None => {
                current.push_str(trimmed);
                logical.push(std::mem::take(&mut current));
            }
        }
    }
    assert!(current.is_empty(), "a continuation runs past the end");
    logical
        .into_iter()
        .map(|line| {
            let (instruction, arguments) =
                line.split_once(' ').expect("an instruction with arguments");
            (instruction.to_owned(), arguments.trim().to_owned())
        })
        .collect()
}

fn check_dockerfile(text: &str, base: &str, command: &[&str], port: &str) {
    let parsed = instructions(text);
    assert_eq!(parsed[0].0, "FROM");
    assert!(parsed[0].1.starts_with(base), "{}", parsed[0].1);
    for (instruction, _) in &parsed {
        assert!(
            INSTRUCTIONS.contains(&instruction.as_str()),
            "unknown instruction {instruction}"
        );
    }
    let (_, cmd) = parsed
        .iter()
        .find(|(instruction, _)| instruction == "CMD")
        .expect("a CMD");
    let cmd: Vec<String> = serde_json::from_str(cmd).expect("CMD in exec form is a JSON array");
    assert_eq!(cmd, command);
    assert!(
        parsed
            .iter()
            .any(|(instruction, arguments)| instruction == "EXPOSE" && arguments == port)
    );
    assert!(
        parsed
            .iter()
            .any(|(instruction, arguments)| instruction == "USER" && arguments != "root")
    );
    assert!(
        parsed
            .iter()
            .any(|(instruction, arguments)| instruction == "HEALTHCHECK"
                && arguments.contains("/health")),
        "a HEALTHCHECK on /health"
    );
}

#[test]
fn the_dockerfiles_are_well_formed() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[&["web", "--stack", "node", "--port", "8080"][..], &EXTRAS].concat())
        .success();
    sandbox
        .new_project(&[&["api", "--stack", "flask"][..], &EXTRAS].concat())
        .success();
    sandbox
        .new_project(&[&["typed", "--stack", "node", "--lang", "ts"][..], &EXTRAS].concat())
        .success();
    check_dockerfile(
        &sandbox.read("web/Dockerfile"),
        "node:26-slim",
        &["node", "server.js"],
        "8080",
    );
    check_dockerfile(
        &sandbox.read("typed/Dockerfile"),
        "node:26-slim",
        &["node", "server.ts"],
        "3000",
    );
    check_dockerfile(
        &sandbox.read("api/Dockerfile"),
        "python:3.14-slim",
        &["gunicorn", "--config", "gunicorn.conf.py"],
        "5000",
    );
    // Everything the image copies exists in the project.
    for (dir, dockerfile) in [
        ("web", sandbox.read("web/Dockerfile")),
        ("api", sandbox.read("api/Dockerfile")),
        ("typed", sandbox.read("typed/Dockerfile")),
    ] {
        for (_, arguments) in instructions(&dockerfile)
            .into_iter()
            .filter(|(instruction, _)| instruction == "COPY")
        {
            let mut parts: Vec<&str> = arguments
                .split_whitespace()
                .filter(|part| !part.starts_with("--"))
                .collect();
            parts.pop();
            for source in parts {
                assert!(
                    sandbox.path(dir).join(source).exists(),
                    "{dir}: COPY {source}"
                );
            }
        }
        assert!(
            sandbox
                .read(format!("{dir}/.dockerignore"))
                .contains(".git")
        );
    }
}

#[test]
fn licenses_are_the_real_texts_with_the_recorded_year() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "mit",
            "--stack",
            "node",
            "--license",
            "MIT",
            "--year",
            "2031",
            "--author",
            "Jane Doe <j@example.com>",
            "--yes",
            "--no-git",
        ])
        .success();
    let mit = sandbox.read("mit/LICENSE");
    assert!(
        mit.starts_with("MIT License\n\nCopyright (c) 2031 Jane Doe\n"),
        "{mit}"
    );
    assert!(mit.contains("THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND"));
    let manifest: Value = serde_json::from_str(&sandbox.read("mit/package.json")).unwrap();
    assert_eq!(manifest["license"], "MIT");

    sandbox
        .new_project(&[
            "apache",
            "--stack",
            "flask",
            "--license",
            "Apache-2.0",
            "--yes",
            "--no-git",
        ])
        .success();
    let apache = sandbox.read("apache/LICENSE");
    assert!(
        apache.contains("Apache License\n                           Version 2.0, January 2004")
    );
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
    assert_eq!(
        apache.lines().count(),
        202,
        "the full text, appendix included"
    );
    let pyproject: toml::Value = toml::from_str(&sandbox.read("apache/pyproject.toml")).unwrap();
    assert_eq!(pyproject["project"]["license"].as_str(), Some("Apache-2.0"));
    assert_eq!(
        pyproject["project"]["license-files"][0].as_str(),
        Some("LICENSE")
    );

    sandbox
        .new_project(&["none", "--stack", "node", "--yes", "--no-git"])
        .success();
    assert!(!sandbox.path("none/LICENSE").exists());
    let manifest: Value = serde_json::from_str(&sandbox.read("none/package.json")).unwrap();
    assert_eq!(manifest["license"], "UNLICENSED");
}

#[test]
fn the_list_names_optional_files_and_defaults() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .stackgen()
        .args(["list", "--json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let node = &json["stacks"][0];
    assert_eq!(node["defaults"]["license"], "none");
    assert_eq!(node["defaults"]["lang"], "js");
    assert_eq!(json["stacks"][1]["defaults"]["lang"], Value::Null);
    assert_eq!(node["defaults"]["agents"], true);
    let optional: Vec<&str> = node["optional_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap())
        .collect();
    for path in [
        "LICENSE",
        ".github/workflows/ci.yml",
        "Dockerfile",
        ".dockerignore",
    ] {
        assert!(optional.contains(&path), "{path}");
    }
}

/// Every revision 3 project with the CI workflow and the Dockerfile, MIT-licensed: Node.js
/// JavaScript and TypeScript, and Flask; the directories, in `sandbox`.
fn revision_3_projects(sandbox: &Sandbox) -> [&'static str; 3] {
    let projects = [
        ("node-js", "node", "js"),
        ("node-ts", "node", "ts"),
        ("flask-app", "flask", ""),
    ];
    for (dir, stack, lang) in projects {
        let mut args = vec![dir, "--stack", stack, "--skip-checks"];
        if !lang.is_empty() {
            args.extend(["--lang", lang]);
        }
        sandbox
            .new_project(&[&args[..], &EXTRAS].concat())
            .success();
    }
    projects.map(|(dir, _, _)| dir)
}

/// Runs a scanner in the sandbox; returns (success, stdout + stderr).
fn scan(sandbox: &Sandbox, program: &str, args: &[&str]) -> (bool, String) {
    let output = sandbox
        .command(program)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("`{program}` (installed by .ci/run): {error}"));
    (output.status.success(), transcript(&output))
}

/// zizmor, offline and with its pedantic persona, finds nothing in any generated revision 3
/// workflow or dependabot.yml.
#[test]
fn zizmor_finds_nothing_in_the_revision_3_workflows() {
    let sandbox = Sandbox::new();
    for dir in revision_3_projects(&sandbox) {
        let output = sandbox
            .command("zizmor")
            .args(["--offline", "--persona=pedantic", "--format=json", dir])
            .output()
            .expect("zizmor (installed by .ci/run)");
        let (stdout, stderr) = (
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        let findings: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("{dir}: zizmor's JSON: {error}\n{stdout}{stderr}"));
        assert!(
            output.status.success() && findings.as_array().is_some_and(Vec::is_empty),
            "{dir}: zizmor findings:\n{stdout}{stderr}"
        );
        // It audited both files (a finding there would have shown).
        for file in ["workflows/ci.yml", "dependabot.yml"] {
            assert!(
                stderr.contains(&format!("completed {dir}/.github/{file}")),
                "{dir}: {stderr}"
            );
        }
    }
    // The check can fail: an unpinned action that keeps credentials is found.
    let workflows = sandbox.path("bad/.github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::write(
        workflows.join("ci.yml"),
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
    )
    .unwrap();
    let (_, output) = scan(
        &sandbox,
        "zizmor",
        &["--offline", "--persona=pedantic", "--format=json", "bad"],
    );
    assert!(output.contains("artipacked"), "{output}");
}

/// hadolint finds nothing in any generated revision 3 Dockerfile (its default threshold
/// fails on any finding, style and info included).
#[test]
fn hadolint_finds_nothing_in_the_revision_3_dockerfiles() {
    let sandbox = Sandbox::new();
    for dir in revision_3_projects(&sandbox) {
        let dockerfile = format!("{dir}/Dockerfile");
        let (ok, output) = scan(
            &sandbox,
            "hadolint",
            &["--failure-threshold", "style", &dockerfile],
        );
        assert!(ok && output.trim().is_empty(), "{dir}: hadolint:\n{output}");
    }
    // The check can fail: hadolint does find things in a Dockerfile that asks for them.
    std::fs::write(
        sandbox.path("Bad.Dockerfile"),
        "FROM node\nRUN cd /tmp && ls\n",
    )
    .unwrap();
    let (ok, output) = scan(&sandbox, "hadolint", &["Bad.Dockerfile"]);
    assert!(!ok && output.contains("DL3006"), "{output}");
}

/// Revision 3's dependabot.yml is valid by the Dependabot schema.
#[test]
fn the_revision_3_dependabot_files_match_their_schema() {
    let sandbox = Sandbox::new();
    let files: Vec<String> = revision_3_projects(&sandbox)
        .iter()
        .map(|dir| format!("{dir}/.github/dependabot.yml"))
        .collect();
    let (ok, output) = scan(
        &sandbox,
        "python3",
        &[
            &[
                "-m",
                "check_jsonschema",
                "--builtin-schema",
                "vendor.dependabot",
            ][..],
            &files.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat(),
    );
    assert!(ok, "{output}");
    let node = sandbox.read("node-js/.github/dependabot.yml");
    for ecosystem in ["npm", "github-actions", "docker"] {
        assert!(
            node.contains(&format!("package-ecosystem: {ecosystem}\n")),
            "{ecosystem}:\n{node}"
        );
    }
}

/// The generated workflows of every revision, and stackgen's own, are valid GitHub workflows
/// by the schema GitHub's editors use (`check-jsonschema`'s vendored copy, so no network).
#[test]
fn the_workflows_match_the_github_workflow_schema() {
    let sandbox = Sandbox::new();
    let mut files = vec![
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".github/workflows/ci.yml")
            .to_string_lossy()
            .into_owned(),
    ];
    for dir in revision_3_projects(&sandbox) {
        files.push(format!("{dir}/.github/workflows/ci.yml"));
    }
    for stack in ["node", "flask"] {
        for revision in ["1", "2"] {
            let dir = format!("{stack}-{revision}");
            sandbox
                .new_project(&[
                    &dir,
                    "--stack",
                    stack,
                    "--yes",
                    "--no-git",
                    "--skip-checks",
                    "--ci",
                    "github",
                    "--template-revision",
                    revision,
                ])
                .success();
            files.push(format!("{dir}/.github/workflows/ci.yml"));
        }
    }
    let output = sandbox
        .command("python3")
        .args([
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
        ])
        .args(&files)
        .output()
        .expect("python3 with check-jsonschema (installed by .ci/run)");
    assert!(output.status.success(), "{}", transcript(&output));
}
