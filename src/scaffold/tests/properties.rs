//! Property tests of rendering: any value the validator accepts comes out exactly, in every
//! file, valid for its type. Each case is checked in Rust (`fuzzing::render` parses the
//! manifests and decodes the literals); then all accepted cases of a run are checked once more
//! by one real `python3` and one real `node`, since starting an interpreter per case is slow.

use std::fs;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

use crate::fuzzing::{self, RawValues, Rendered};
use crate::text;

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        // Failures are kept as named regression tests, not in a cache file.
        failure_persistence: None,
        ..Config::default()
    })
}

/// Pieces that break naive escaping in one of the target languages or in handlebars, plus
/// characters the validator must refuse.
const FRAGMENTS: &[&str] = &[
    "\"",
    "'",
    "\\",
    "\\\\",
    "`",
    "${x}",
    "{{",
    "}}",
    "{{{raw}}}",
    "{{> p}}",
    "\"\"\"",
    "'''",
    "</script>",
    "%s",
    "{0}",
    "&amp;",
    "<",
    ">",
    "=",
    "#",
    "\\u0041",
    "\\n",
    "\n",
    "\r",
    "\t",
    "\0",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{200b}",
    "\u{200d}",
    "\u{202e}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{e0041}",
    "\u{fffd}",
    "👩\u{200d}💻",
    "🚀",
    "日本語",
    "Ünï",
    " ",
    "a",
    "Z",
    "9",
    ",",
    "@",
    "x@y",
    "*/",
    "/*",
    "--",
    "\u{d7ff}",
    "\u{10ffff}",
];

/// Free text: fragments glued together, printable Unicode, or anything at all.
fn free_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(FRAGMENTS), 0..12)
            .prop_map(|parts| parts.concat()),
        2 => "\\PC{0,60}",
        1 => any::<String>(),
        1 => "d{500,520}",
    ]
}

/// Authors: mostly `name <email>` shapes, sometimes free text.
fn author() -> impl Strategy<Value = Option<String>> {
    let email = prop_oneof!["[a-z0-9.+_-]{1,12}@[a-z0-9.-]{1,12}", free_text(),];
    prop_oneof![
        1 => Just(None),
        3 => (free_text(), email).prop_map(|(name, email)| Some(format!("{name} <{email}>"))),
        1 => free_text().prop_map(Some),
        1 => "[a-z0-9.]{1,8}@[a-z]{1,8}".prop_map(|email| Some(format!("<{email}>"))),
    ]
}

/// What the interpreters are told to expect for one case.
fn expected(rendered: &Rendered) -> serde_json::Value {
    json!({
        "stack": rendered.stack,
        "name": rendered.name,
        "description": rendered.description,
        "author_name": rendered.author_name,
        "author_email": rendered.author_email,
        "port": rendered.port,
    })
}

/// For each case directory: the package's `__init__.py` compiles and its literals evaluate to the
/// expected values, `pyproject.toml` loads with `tomllib` and holds them, and the other
/// rendered Python (`gunicorn.conf.py`, the tests importing the module) compiles.
const PYTHON_CHECK: &str = r#"
import ast, json, os, sys, tomllib
for case in sorted(os.listdir(sys.argv[1])):
    d = os.path.join(sys.argv[1], case)
    want = json.load(open(os.path.join(d, "expected.json"), encoding="utf-8"))
    if want["stack"] != "flask":
        continue
    source = open(os.path.join(d, "__init__.py"), encoding="utf-8").read()
    tree = ast.parse(source)
    compile(source, "__init__.py", "exec")
    for other in ("gunicorn.conf.py", "test_app.py"):
        compile(open(os.path.join(d, other), encoding="utf-8").read(), other, "exec")
    wanted = ("PROJECT_NAME", "PROJECT_DESCRIPTION", "DEFAULT_PORT")
    consts = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body
              if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") in wanted}
    got = (consts["PROJECT_NAME"], consts["PROJECT_DESCRIPTION"], consts["DEFAULT_PORT"])
    assert got == (want["name"], want["description"], want["port"]), (case, got)
    project = tomllib.load(open(os.path.join(d, "pyproject.toml"), "rb"))["project"]
    assert project["name"] == want["name"], case
    assert project.get("description", "") == want["description"], case
    author = (project.get("authors") or [{}])[0]
    assert (author.get("name"), author.get("email")) == (want["author_name"], want["author_email"]), case
print("checked")
"#;

/// For each case directory: `package.json` parses and holds the expected values, and importing
/// `server.js` gives `PROJECT` and `DEFAULT_PORT` equal to them.
const NODE_CHECK: &str = r#"
const fs = await import("node:fs");
const path = await import("node:path");
const { pathToFileURL } = await import("node:url");
const root = process.argv[1];
for (const name of fs.readdirSync(root).sort()) {
  const dir = path.join(root, name);
  const want = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
  if (want.stack !== "node") continue;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const author = manifest.author ?? {};
  const got = [manifest.name, manifest.description ?? "", author.name ?? null, author.email ?? null];
  const expected = [want.name, want.description, want.author_name, want.author_email];
  if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${name}: ${JSON.stringify(got)}`);
  const server = await import(pathToFileURL(path.join(dir, "server.mjs")).href);
  const code = [server.PROJECT.name, server.PROJECT.description, server.DEFAULT_PORT];
  if (JSON.stringify(code) !== JSON.stringify([want.name, want.description, want.port]))
    throw new Error(`${name}: ${JSON.stringify(code)}`);
}
console.log("checked");
"#;

/// Writes every case to its own directory and runs both interpreter checks once.
fn check_with_interpreters(cases: &[Rendered]) {
    let dir = tempfile::tempdir().unwrap();
    for (index, rendered) in cases.iter().enumerate() {
        let case = dir.path().join(format!("case{index:05}"));
        fs::create_dir(&case).unwrap();
        for (path, text) in &rendered.files {
            // `server.js` is an ES module only beside its `package.json`; `.mjs` says so alone.
            let file = if path == "server.js" {
                "server.mjs"
            } else {
                path.rsplit('/').next().unwrap()
            };
            fs::write(case.join(file), text).unwrap();
        }
        fs::write(case.join("expected.json"), expected(rendered).to_string()).unwrap();
    }
    interpreter("python3", &["-c", PYTHON_CHECK], dir.path());
    interpreter(
        "node",
        &["--input-type=module", "-e", NODE_CHECK],
        dir.path(),
    );
}

fn interpreter(program: &str, args: &[&str], root: &Path) {
    let output = Command::new(program)
        .args(args)
        .arg(root)
        .output()
        .unwrap_or_else(|error| panic!("`{program}` is needed for these tests: {error}"));
    assert!(
        output.status.success() && output.stdout.starts_with(b"checked"),
        "{program}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `strategy` through `render`, collecting every accepted case; at least `min_accepted`
/// must be accepted, or the strategy is testing nothing.
fn collect<S: Strategy>(
    cases: u32,
    strategy: S,
    min_accepted: usize,
    values: impl Fn(&S::Value) -> Vec<RawValues<'_>>,
    on_refusal: impl Fn(&RawValues<'_>),
) -> Vec<Rendered> {
    let accepted = std::cell::RefCell::new(Vec::new());
    runner(cases)
        .run(&strategy, |input| {
            for raw in values(&input) {
                match fuzzing::render(&raw) {
                    Some(rendered) => accepted.borrow_mut().push(rendered),
                    None => on_refusal(&raw),
                }
            }
            Ok(())
        })
        .unwrap();
    let accepted = accepted.into_inner();
    assert!(
        accepted.len() >= min_accepted,
        "only {} cases were accepted",
        accepted.len()
    );
    accepted
}

fn name_candidates() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9][a-z0-9._-]{0,30}",
        "@[a-z0-9][a-z0-9._-]{0,8}/[a-z0-9][a-z0-9._-]{0,8}",
        "[A-Za-z][A-Za-z0-9_-]{0,30}[A-Za-z0-9]",
        "[a-z]{1,4}[0-9]?",
        "[ -~]{1,20}",
        "a{210,216}",
    ]
}

#[test]
fn every_accepted_name_renders_into_valid_files() {
    let accepted = collect(
        400,
        name_candidates(),
        300,
        |name| {
            [false, true]
                .map(|flask| RawValues {
                    flask,
                    name,
                    ..RawValues::default()
                })
                .to_vec()
        },
        |_| {},
    );
    check_with_interpreters(&accepted);
}

#[test]
fn any_description_and_author_is_refused_or_reproduced_exactly() {
    let strategy = (free_text(), author(), any::<bool>(), 1..=u16::MAX, 0..3u8);
    let accepted = collect(
        600,
        strategy,
        150,
        |(description, author, flask, port, license)| {
            vec![RawValues {
                flask: *flask,
                description,
                author: author.as_deref(),
                port: *port,
                license: *license,
                docker: true,
                ..RawValues::default()
            }]
        },
        |raw| {
            // A refusal must have a reason the catalogue names.
            let description_bad = raw.description.contains(['\n', '\r'])
                || raw.description.chars().any(text::forbidden_char)
                || raw.description.chars().count() > text::MAX_DESCRIPTION_CHARS;
            assert!(
                description_bad || raw.author.is_some(),
                "refused a valid description without an author: {:?}",
                raw.description
            );
        },
    );
    check_with_interpreters(&accepted);
}
