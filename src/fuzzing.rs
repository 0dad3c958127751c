//! Entry points for the fuzz targets in `fuzz/` and for the property tests: thin wrappers over
//! private modules, so the rest of the crate stays private. Not an API; hidden from the docs.

use std::path::Path;

use serde_json::Value;

use crate::extras::{self, Ci, Extras, License};
use crate::name;
use crate::project::Project;
use crate::recommend::{self, Answers, Rules};
use crate::record;
use crate::scaffold;
use crate::stack::Stack;
use crate::text::{self, Author};

/// Values as `new` receives them, before validation.
#[derive(Debug, Clone)]
pub struct RawValues<'a> {
    pub flask: bool,
    pub name: &'a str,
    pub description: &'a str,
    /// `None`: no `--author`.
    pub author: Option<&'a str>,
    pub port: u16,
    /// 0: no license, 1: MIT, 2: Apache-2.0 (others are taken modulo 3).
    pub license: u8,
    pub ci: bool,
    pub docker: bool,
    pub year: u16,
}

impl Default for RawValues<'_> {
    /// A valid Node.js project named `demo` with nothing optional.
    fn default() -> Self {
        RawValues {
            flask: false,
            name: "demo",
            description: "",
            author: None,
            port: 3000,
            license: 0,
            ci: false,
            docker: false,
            year: 2026,
        }
    }
}

/// A project the validator accepted, rendered in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `node` or `flask`.
    pub stack: &'static str,
    /// The accepted name, description and author fields, exactly as they must reappear.
    pub name: String,
    pub description: String,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub port: u16,
    /// Every planned file: path inside the project and contents.
    pub files: Vec<(String, String)>,
}

impl Rendered {
    /// The contents of the planned file at `path`.
    pub fn file(&self, path: &str) -> &str {
        self.files
            .iter()
            .find(|(planned, _)| *planned == path)
            .map_or_else(|| panic!("`{path}` was not planned"), |(_, text)| text)
    }
}

/// Validates the values as `new` does; when all are accepted, renders the project and checks
/// that every file holds them exactly: the manifests parse back to them, the code literals
/// decode to them, the README shows them. Returns `None` for a refusal. Panics on a rendering
/// failure or a value that does not round-trip, which are bugs.
pub fn render(values: &RawValues<'_>) -> Option<Rendered> {
    let stack = if values.flask {
        Stack::Flask
    } else {
        Stack::Node
    };
    let name = name::validate(values.name, stack).ok()?;
    text::check_description(values.description).ok()?;
    let author = match values.author {
        Some(author) => Some(Author::parse(author, stack != Stack::Flask).ok()?),
        None => None,
    };
    // clap refuses port 0 and years outside the range before anything else sees them.
    if values.port == 0 || !extras::YEARS.contains(&values.year) {
        return None;
    }
    let project = Project {
        name,
        stack,
        lang: crate::stack::Lang::Js,
        description: values.description.to_owned(),
        author,
        port: values.port,
        git: false,
        answers: Answers::default(),
        extras: Extras {
            license: [License::None, License::Mit, License::Apache2]
                [usize::from(values.license % 3)],
            ci: if values.ci { Ci::Github } else { Ci::None },
            docker: values.docker,
            agents: true,
            update_bot: true,
            year: values.year,
        },
    };
    let planned = scaffold::plan(&project)
        .unwrap_or_else(|error| panic!("accepted values do not render: {error}"));
    let files = planned
        .into_iter()
        .map(|file| {
            let text = String::from_utf8(file.contents)
                .unwrap_or_else(|_| panic!("`{}` is not UTF-8", file.path));
            (file.path, text)
        })
        .collect();
    let rendered = Rendered {
        stack: stack.id(),
        name: project.name.name,
        description: project.description,
        author_name: project.author.as_ref().and_then(|a| a.name.clone()),
        author_email: project.author.as_ref().and_then(|a| a.email.clone()),
        port: project.port,
        files,
    };
    match stack {
        Stack::Node => check_node(&rendered),
        Stack::Flask => check_flask(&rendered),
    }
    let readme = rendered.file("README.md");
    assert!(readme.contains(&rendered.description), "README description");
    assert!(readme.contains(&rendered.name), "README name");
    if project.extras.license == License::Mit {
        let holder = rendered.author_name.as_deref().unwrap_or(&rendered.name);
        assert!(rendered.file("LICENSE").contains(holder), "LICENSE holder");
    }
    check_answers_record(&rendered, project.author.as_ref());
    Some(rendered)
}

/// `.stackgen.toml` loads as an answers file and gives back the same values.
fn check_answers_record(rendered: &Rendered, author: Option<&Author>) {
    let record =
        record::parse_answers(Path::new(".stackgen.toml"), rendered.file(".stackgen.toml"))
            .unwrap_or_else(|error| panic!(".stackgen.toml does not load: {error}"));
    assert_eq!(
        record.name.as_deref(),
        Some(rendered.name.as_str()),
        "record name"
    );
    assert_eq!(
        record.description.unwrap_or_default(),
        rendered.description,
        "record description"
    );
    assert_eq!(
        record.author,
        author.map(ToString::to_string),
        "record author"
    );
    assert_eq!(record.port, Some(rendered.port), "record port");
}

fn check_node(rendered: &Rendered) {
    let manifest: Value =
        serde_json::from_str(rendered.file("package.json")).expect("package.json parses");
    assert_eq!(
        manifest["name"],
        rendered.name.as_str(),
        "package.json name"
    );
    assert_eq!(
        manifest.get("description").and_then(Value::as_str),
        (!rendered.description.is_empty()).then_some(rendered.description.as_str()),
        "package.json description"
    );
    let author = manifest.get("author");
    assert_eq!(
        author.and_then(|a| a.get("name")).and_then(Value::as_str),
        rendered.author_name.as_deref(),
        "package.json author name"
    );
    assert_eq!(
        author.and_then(|a| a.get("email")).and_then(Value::as_str),
        rendered.author_email.as_deref(),
        "package.json author email"
    );
    let server = rendered.file("server.js");
    let project = literal_after(server, "export const PROJECT = { name: ");
    assert_eq!(project, rendered.name, "server.js PROJECT.name");
    let description = literal_after(server, ", description: ");
    assert_eq!(
        description, rendered.description,
        "server.js PROJECT.description"
    );
}

fn check_flask(rendered: &Rendered) {
    let manifest: toml::Table =
        toml::from_str(rendered.file("pyproject.toml")).expect("pyproject.toml parses");
    let project = manifest["project"].as_table().expect("[project]");
    assert_eq!(
        project["name"].as_str(),
        Some(rendered.name.as_str()),
        "pyproject name"
    );
    assert_eq!(
        project.get("description").and_then(toml::Value::as_str),
        (!rendered.description.is_empty()).then_some(rendered.description.as_str()),
        "pyproject description"
    );
    let author = project
        .get("authors")
        .and_then(|authors| authors.as_array()?.first()?.as_table().cloned());
    let field = |key: &str| {
        author
            .as_ref()
            .and_then(|a| a.get(key)?.as_str().map(str::to_owned))
    };
    assert_eq!(field("name"), rendered.author_name, "pyproject author name");
    assert_eq!(
        field("email"),
        rendered.author_email,
        "pyproject author email"
    );
    let module = rendered.name.replace('-', "_");
    let app = rendered.file(&format!("src/{module}/__init__.py"));
    assert_eq!(
        literal_after(app, "\nPROJECT_NAME = "),
        rendered.name,
        "app.py PROJECT_NAME"
    );
    assert_eq!(
        literal_after(app, "\nPROJECT_DESCRIPTION = "),
        rendered.description,
        "app.py PROJECT_DESCRIPTION"
    );
}

/// The string literal right after `marker`. The templates write user text as JSON string
/// literals, which Python and JavaScript read exactly as JSON does, so decoding the literal as
/// JSON gives what the interpreter will see.
fn literal_after(code: &str, marker: &str) -> String {
    let at = code
        .find(marker)
        .unwrap_or_else(|| panic!("`{marker}` is missing"));
    let mut values = serde_json::Deserializer::from_str(&code[at + marker.len()..]).into_iter();
    match values.next() {
        Some(Ok(Value::String(text))) => text,
        other => panic!("no string literal after `{marker}`: {other:?}"),
    }
}

/// Parses a rules file and, when it loads, recommends from it for a spread of answers. Neither
/// may panic, whatever the text; errors must render as one line.
pub fn rules(text: &str) {
    match Rules::parse(text, Path::new("fuzz.toml")) {
        Ok(rules) => {
            for answers in sample_answers() {
                let recommendation = recommend::recommend(&rules, &answers);
                let total: u32 = recommendation.reasons.iter().map(|r| r.points).sum();
                assert_eq!(
                    total,
                    recommendation.scores.node + recommendation.scores.flask,
                    "scores are the sum of the reasons"
                );
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(!message.contains('\n'), "a multi-line error: {message}");
        }
    }
}

/// Parses arbitrary text as an answers file, as TOML and as JSON. Neither may panic, and an
/// error stays one line.
pub fn answers(text: &str) {
    for path in ["fuzz.toml", "fuzz.json"] {
        if let Err(error) = record::parse_answers(Path::new(path), text) {
            let message = error.to_string();
            assert!(!message.contains('\n'), "a multi-line error: {message}");
        }
    }
}

/// Applies arbitrary `--set KEY=VALUE` settings to a valid project record, then plans nothing
/// but the new render: no panic, errors one line, and whatever is accepted renders.
pub fn update_settings(settings: &[String]) {
    const RECORD: &str = "name = \"demo\"\nstack = \"node\"\nport = 3000\ngit = true\n\
        license = \"none\"\nci = \"none\"\ndocker = false\nyear = 2026\ntemplate_revision = 1\n";
    let record = crate::record::from_text(Path::new(".stackgen.toml"), RECORD)
        .unwrap_or_else(|error| panic!("the fixed record does not load: {error}"));
    match record.with_settings(settings) {
        Ok(updated) => {
            scaffold::plan(&updated.project)
                .unwrap_or_else(|error| panic!("accepted settings do not render: {error}"));
        }
        Err(error) => {
            let message = error.to_string();
            assert!(!message.contains('\n'), "a multi-line error: {message}");
        }
    }
}

/// No answers, and each value of each question alone plus all priorities at once.
fn sample_answers() -> Vec<Answers> {
    use clap::ValueEnum;
    let mut all = vec![Answers::default()];
    all.extend(
        recommend::UseCase::value_variants()
            .iter()
            .map(|&v| Answers {
                use_case: Some(v),
                ..Answers::default()
            }),
    );
    all.extend(recommend::Team::value_variants().iter().map(|&v| Answers {
        team: Some(v),
        ..Answers::default()
    }));
    all.extend(recommend::Load::value_variants().iter().map(|&v| Answers {
        load: Some(v),
        ..Answers::default()
    }));
    all.push(Answers {
        priorities: recommend::Priority::value_variants().to_vec(),
        ..Answers::default()
    });
    all
}
