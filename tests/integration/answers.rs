//! Answers files and reproducibility (catalogue A59–A65, issue 6).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use assert_cmd::assert::OutputAssertExt;
use serde_json::Value;

use crate::support::{Sandbox, assert_nothing};

/// Every file of a tree (outside `.git`) with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                into.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (left, right) = (tree(a), tree(b));
    assert_eq!(
        left.keys().collect::<Vec<_>>(),
        right.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &left {
        assert!(
            bytes == &right[path],
            "`{path}` differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn an_answers_file_equals_the_same_flags() {
    // A59
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path("answers.toml"),
        "name = \"my-app\"\nstack = \"node\"\ndescription = \"Demo\"\nauthor = \"Jane Doe <jane@example.com>\"\ngit = false\n",
    )
    .unwrap();
    sandbox
        .new_project(&["one", "--answers", "answers.toml", "--yes"])
        .success();
    sandbox
        .new_project(&[
            "two",
            "--name",
            "my-app",
            "--stack",
            "node",
            "--description",
            "Demo",
            "--author",
            "Jane Doe <jane@example.com>",
            "--no-git",
            "--yes",
        ])
        .success();
    assert_same_tree(&sandbox.path("one"), &sandbox.path("two"));
    assert!(!sandbox.path("one/.git").exists());
}

#[test]
fn json_answers_equal_toml_answers() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path("a.toml"),
        "name = \"svc\"\nstack = \"flask\"\nuse_case = \"ml\"\npriorities = [\"learning\", \"hiring\"]\nport = 8000\nlicense = \"Apache-2.0\"\nci = \"github\"\ndocker = true\nyear = 2031\ngit = false\n",
    )
    .unwrap();
    fs::write(
        sandbox.path("a.json"),
        r#"{"name": "svc", "stack": "flask", "use_case": "ml", "priorities": ["learning", "hiring"], "port": 8000,
            "license": "Apache-2.0", "ci": "github", "docker": true, "year": 2031, "git": false}"#,
    )
    .unwrap();
    sandbox.new_project(&["t", "--answers", "a.toml"]).success();
    sandbox.new_project(&["j", "--answers", "a.json"]).success();
    assert_same_tree(&sandbox.path("t"), &sandbox.path("j"));
    assert!(
        sandbox
            .read("t/src/svc/__init__.py")
            .contains("DEFAULT_PORT = 8000\n")
    );
    assert!(sandbox.path("t/Dockerfile").is_file() && sandbox.path("t/LICENSE").is_file());
}

#[test]
fn the_recorded_answers_reproduce_the_project_byte_for_byte() {
    let sandbox = Sandbox::new();
    sandbox
        .new_project(&[
            "orig",
            "--stack",
            "flask",
            "--yes",
            "--no-git",
            "--description",
            "Orders \"API\" {{x}}",
            "--author",
            "Jane <jane@example.com>",
            "--use-case",
            "api",
            "--team",
            "python",
            "--priority",
            "hiring",
            "--load",
            "low",
            "--license",
            "MIT",
            "--ci",
            "github",
            "--docker",
            "--port",
            "8081",
        ])
        .success();
    // Same answers, same stackgen: the same bytes, twice.
    sandbox
        .new_project(&["copy", "--answers", "orig/.stackgen.toml"])
        .success();
    assert_same_tree(&sandbox.path("orig"), &sandbox.path("copy"));
    sandbox
        .new_project(&["again", "--answers", "orig/.stackgen.toml"])
        .success();
    assert_same_tree(&sandbox.path("copy"), &sandbox.path("again"));

    // Another name: everything else carries over.
    sandbox
        .new_project(&[
            "other",
            "--answers",
            "orig/.stackgen.toml",
            "--name",
            "other",
        ])
        .success();
    let recorded: toml::Value = toml::from_str(&sandbox.read("other/.stackgen.toml")).unwrap();
    assert_eq!(recorded["name"].as_str(), Some("other"));
    assert_eq!(recorded["license"].as_str(), Some("MIT"));
    assert_eq!(recorded["priorities"].as_array().unwrap().len(), 1);
    assert!(
        sandbox
            .read("other/src/other/__init__.py")
            .contains("DEFAULT_PORT = 8081\n")
    );
}

#[test]
fn malformed_files_point_at_the_line() {
    // A60
    let sandbox = Sandbox::new();
    fs::write(sandbox.path("a.toml"), "name = \"unterminated\n").unwrap();
    let stderr = assert_nothing(
        &sandbox,
        &["app", "--answers", "a.toml", "--yes"],
        "a.toml:1:",
    );
    assert!(
        !stderr.contains("unterminated"),
        "the source text is never quoted: {stderr}"
    );
    fs::write(sandbox.path("a.json"), "{\"name\":\"a\",}").unwrap();
    assert_nothing(
        &sandbox,
        &["app", "--answers", "a.json", "--yes"],
        "a.json:1:",
    );
}

#[test]
fn unknown_keys_are_named_with_a_suggestion() {
    // A61, A63
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path("a.toml"),
        "stack = \"node\"\nnmae = \"b-secret\"\n",
    )
    .unwrap();
    let stderr = assert_nothing(&sandbox, &["app", "--answers", "a.toml", "--yes"], "`nmae`");
    assert!(
        stderr.contains("`name`") && !stderr.contains("b-secret"),
        "{stderr}"
    );
    fs::write(sandbox.path("d.toml"), "dir = \"/tmp/elsewhere\"\n").unwrap();
    assert_nothing(
        &sandbox,
        &["app", "--answers", "d.toml", "--yes"],
        "unknown key `dir`",
    );
}

#[test]
fn wrong_types_and_values_name_the_key_and_the_choices() {
    // A62
    let sandbox = Sandbox::new();
    let cases = [
        ("a.toml", "git = \"yes\"\n", "`git`"),
        ("b.json", "{\"name\": 5}", "`name`: expected a string"),
        ("c.toml", "stack = \"django\"\n", "node, flask"),
        ("d.toml", "license = \"GPL\"\n", "MIT, Apache-2.0, none"),
        ("e.toml", "port = 0\n", "1 to 65535"),
        ("f.toml", "priorities = \"learning\"\n", "expected a list"),
    ];
    for (file, text, needle) in cases {
        fs::write(sandbox.path(file), text).unwrap();
        assert_nothing(&sandbox, &["app", "--answers", file, "--yes"], needle);
    }
}

#[test]
fn values_from_a_file_pass_the_same_validator() {
    // A63
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path("a.toml"),
        "name = \"../../x\"\nstack = \"node\"\n",
    )
    .unwrap();
    let from_file = assert_nothing(
        &sandbox,
        &["app", "--answers", "a.toml", "--yes"],
        "`/` or `\\`",
    );
    let from_flag = assert_nothing(
        &sandbox,
        &["app", "--name", "../../x", "--stack", "node", "--yes"],
        "`/` or `\\`",
    );
    assert_eq!(from_file, from_flag);
    fs::write(sandbox.path("b.toml"), "description = \"two\\nlines\"\n").unwrap();
    assert_nothing(
        &sandbox,
        &["app", "--answers", "b.toml", "--stack", "node", "--yes"],
        "one line",
    );
}

#[test]
fn flags_override_the_file() {
    // A64
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path("a.toml"),
        "name = \"from-file\"\ndescription = \"file\"\nstack = \"node\"\n",
    )
    .unwrap();
    sandbox
        .new_project(&[
            "out",
            "--answers",
            "a.toml",
            "--description",
            "FromFlag",
            "--yes",
            "--no-git",
        ])
        .success();
    let manifest: Value = serde_json::from_str(&sandbox.read("out/package.json")).unwrap();
    assert_eq!(manifest["name"], "from-file");
    assert_eq!(manifest["description"], "FromFlag");
}

#[test]
fn huge_missing_and_odd_files_are_refused() {
    // A65
    let sandbox = Sandbox::new();
    let big = fs::File::create(sandbox.path("big.toml")).unwrap();
    big.set_len(50_000_000).unwrap();
    assert_nothing(
        &sandbox,
        &["app", "--answers", "big.toml", "--yes"],
        "1 MiB",
    );
    assert_nothing(
        &sandbox,
        &["app", "--answers", "missing.toml", "--yes"],
        "missing.toml",
    );
    assert_nothing(&sandbox, &["app", "--answers", ".", "--yes"], "directory");
    fs::write(sandbox.path("a.yaml"), "name: x\n").unwrap();
    assert_nothing(
        &sandbox,
        &["app", "--answers", "a.yaml", "--yes"],
        "a.yaml:1:",
    );
    fs::write(sandbox.path("utf16.toml"), b"\xff\xfen\x00a\x00").unwrap();
    assert_nothing(
        &sandbox,
        &["app", "--answers", "utf16.toml", "--yes"],
        "UTF-8",
    );
}

#[test]
fn recommend_reads_the_answers_too() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path("a.toml"),
        "use_case = \"ml\"\nteam = \"python\"\nname = \"ignored\"\n",
    )
    .unwrap();
    let output = sandbox
        .stackgen()
        .args(["recommend", "--answers", "a.toml", "--json"])
        .assert()
        .success();
    let json: Value = serde_json::from_slice(&output.get_output().stdout).unwrap();
    assert_eq!(json["stack"], "flask");
    assert_eq!(json["answers"]["use_case"], "ml");
    let output = sandbox
        .stackgen()
        .args([
            "recommend",
            "--answers",
            "a.toml",
            "--use-case",
            "realtime",
            "--json",
        ])
        .assert()
        .success();
    let json: Value = serde_json::from_slice(&output.get_output().stdout).unwrap();
    assert_eq!(
        json["answers"]["use_case"], "realtime",
        "flags override the file"
    );
}
