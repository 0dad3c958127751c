//! Turning a [`Project`] into files: which files each stack has, rendering them in memory,
//! and writing them to disk all-or-nothing.

#[cfg(test)]
mod properties;
mod render;
pub mod write;

use include_dir::{Dir, include_dir};

use crate::answers_file;
use crate::error::Error;
use crate::extras::{Ci, Extras, License};
use crate::project::Project;
use crate::stack::Stack;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// How a file's contents are made from its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Rendered with handlebars; user values enter only through literal-emitting helpers.
    Template(&'static str),
    /// Copied byte for byte.
    Verbatim(&'static str),
    /// A JSON or TOML manifest: the template holds the fixed part, the user values are set
    /// with a serializer, never spliced in as text.
    Manifest(&'static str),
    /// `.stackgen.toml`: the answers, serialized, so the project can be reproduced.
    Answers,
}

impl Source {
    #[cfg(test)]
    fn template_path(self) -> Option<&'static str> {
        match self {
            Source::Template(path) | Source::Verbatim(path) | Source::Manifest(path) => Some(path),
            Source::Answers => None,
        }
    }
}

/// When a file is part of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Condition {
    /// Every project has it.
    Always,
    /// `--license MIT`.
    Mit,
    /// `--license Apache-2.0`.
    Apache,
    /// `--ci github`.
    GithubCi,
    /// `--docker`.
    Docker,
}

impl Condition {
    fn holds(self, extras: &Extras) -> bool {
        match self {
            Condition::Always => true,
            Condition::Mit => extras.license == License::Mit,
            Condition::Apache => extras.license == License::Apache2,
            Condition::GithubCi => extras.ci == Ci::Github,
            Condition::Docker => extras.docker,
        }
    }

    /// The option that adds the file, for `stackgen list`.
    fn option(self) -> Option<&'static str> {
        match self {
            Condition::Always => None,
            Condition::Mit => Some("--license MIT"),
            Condition::Apache => Some("--license Apache-2.0"),
            Condition::GithubCi => Some("--ci github"),
            Condition::Docker => Some("--docker"),
        }
    }
}

/// One file of a stack: where it goes in the project, where it comes from, and when.
#[derive(Debug, Clone, Copy)]
struct FileSpec {
    output: &'static str,
    source: Source,
    when: Condition,
}

const fn file(output: &'static str, source: Source) -> FileSpec {
    FileSpec {
        output,
        source,
        when: Condition::Always,
    }
}

const fn only(when: Condition, output: &'static str, source: Source) -> FileSpec {
    FileSpec {
        output,
        source,
        when,
    }
}

const MIT: FileSpec = only(
    Condition::Mit,
    "LICENSE",
    Source::Template("licenses/MIT.hbs"),
);
const APACHE: FileSpec = only(
    Condition::Apache,
    "LICENSE",
    Source::Verbatim("licenses/Apache-2.0"),
);
const ANSWERS: FileSpec = file(".stackgen.toml", Source::Answers);
const EDITORCONFIG: FileSpec = file(".editorconfig", Source::Verbatim("common/editorconfig"));

// Dotfiles are stored under neutral names so they do not act on this repository.
const NODE_FILES: &[FileSpec] = &[
    file("package.json", Source::Manifest("node/package.json")),
    file("server.js", Source::Template("node/server.js.hbs")),
    file(
        "test/server.test.js",
        Source::Verbatim("node/test/server.test.js"),
    ),
    file("README.md", Source::Template("node/README.md.hbs")),
    file(".gitignore", Source::Verbatim("node/gitignore")),
    EDITORCONFIG,
    ANSWERS,
    MIT,
    APACHE,
    only(
        Condition::GithubCi,
        ".github/workflows/ci.yml",
        Source::Verbatim("node/github-ci.yml"),
    ),
    only(
        Condition::Docker,
        "Dockerfile",
        Source::Template("node/Dockerfile.hbs"),
    ),
    only(
        Condition::Docker,
        ".dockerignore",
        Source::Verbatim("node/dockerignore"),
    ),
];

const FLASK_FILES: &[FileSpec] = &[
    file("pyproject.toml", Source::Manifest("flask/pyproject.toml")),
    file("app.py", Source::Template("flask/app.py.hbs")),
    file(
        "tests/test_app.py",
        Source::Verbatim("flask/tests/test_app.py"),
    ),
    file("README.md", Source::Template("flask/README.md.hbs")),
    file(".gitignore", Source::Verbatim("flask/gitignore")),
    EDITORCONFIG,
    ANSWERS,
    MIT,
    APACHE,
    only(
        Condition::GithubCi,
        ".github/workflows/ci.yml",
        Source::Verbatim("flask/github-ci.yml"),
    ),
    only(
        Condition::Docker,
        "Dockerfile",
        Source::Template("flask/Dockerfile.hbs"),
    ),
    only(
        Condition::Docker,
        ".dockerignore",
        Source::Verbatim("flask/dockerignore"),
    ),
];

fn files_of(stack: Stack) -> &'static [FileSpec] {
    match stack {
        Stack::Node => NODE_FILES,
        Stack::Flask => FLASK_FILES,
    }
}

/// The paths every project of a stack holds, relative to its root, in writing order.
pub fn file_list(stack: Stack) -> impl Iterator<Item = &'static str> {
    files_of(stack)
        .iter()
        .filter(|spec| spec.when == Condition::Always)
        .map(|spec| spec.output)
}

/// The files an option adds: (path, the option that adds it).
pub fn optional_files(stack: Stack) -> impl Iterator<Item = (&'static str, &'static str)> {
    files_of(stack)
        .iter()
        .filter_map(|spec| Some((spec.output, spec.when.option()?)))
}

/// A file ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Path relative to the project root, `/`-separated; always one of the constants above.
    pub path: &'static str,
    /// The full contents.
    pub contents: Vec<u8>,
}

/// Renders every file of the project in memory; nothing touches the disk.
pub fn plan(project: &Project) -> Result<Vec<PlannedFile>, Error> {
    let renderer = render::Renderer::new(project)?;
    files_of(project.stack)
        .iter()
        .filter(|spec| spec.when.holds(&project.extras))
        .map(|spec| {
            let contents = match spec.source {
                Source::Template(path) => renderer.render(path, template_text(path)?)?.into_bytes(),
                Source::Verbatim(path) => template_text(path)?.as_bytes().to_vec(),
                Source::Manifest(path) => {
                    renderer.manifest(path, template_text(path)?)?.into_bytes()
                }
                Source::Answers => answers_file::render(project).into_bytes(),
            };
            Ok(PlannedFile {
                path: spec.output,
                contents,
            })
        })
        .collect()
}

fn template_text(path: &str) -> Result<&'static str, Error> {
    TEMPLATES
        .get_file(path)
        .and_then(|file| file.contents_utf8())
        .ok_or_else(|| Error::Internal(format!("template `{path}` is not embedded as UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name;
    use crate::text::Author;

    pub(crate) fn project(stack: Stack, description: &str) -> Project {
        Project {
            name: name::validate("demo-app", stack).unwrap(),
            stack,
            description: description.to_owned(),
            author: Some(Author::parse("Jane \"JJ\" O'Neil <jj@example.com>", true).unwrap()),
            port: stack.default_port(),
            git: true,
            answers: crate::recommend::Answers::default(),
            extras: Extras {
                license: License::None,
                ci: Ci::None,
                docker: false,
                year: 2026,
            },
        }
    }

    fn all_embedded(dir: &'static Dir<'static>, into: &mut Vec<String>) {
        for file in dir.files() {
            into.push(file.path().to_string_lossy().into_owned());
        }
        for sub in dir.dirs() {
            all_embedded(sub, into);
        }
    }

    #[test]
    fn every_embedded_template_is_used_and_every_used_one_exists() {
        let mut embedded = Vec::new();
        all_embedded(&TEMPLATES, &mut embedded);
        let used: Vec<&str> = Stack::ALL
            .iter()
            .flat_map(|&stack| {
                files_of(stack)
                    .iter()
                    .filter_map(|spec| spec.source.template_path())
            })
            .collect();
        for path in &embedded {
            assert!(
                used.contains(&path.as_str()),
                "`{path}` is embedded but never used"
            );
        }
        for path in used {
            assert!(
                template_text(path).is_ok(),
                "`{path}` is used but not embedded"
            );
        }
    }

    #[test]
    fn every_mustache_in_a_template_goes_through_a_helper() {
        let helpers = ["json ", "py ", "text ", "#if ", "/if", "else"];
        for stack in Stack::ALL {
            for spec in files_of(stack) {
                let Source::Template(path) = spec.source else {
                    continue;
                };
                let text = template_text(path).unwrap();
                for (at, _) in text.match_indices("{{") {
                    let inner = &text[at + 2..];
                    assert!(
                        helpers.iter().any(|helper| inner.starts_with(helper)),
                        "`{path}` has a bare mustache: {}",
                        &inner[..inner.len().min(30)]
                    );
                }
            }
        }
    }

    #[test]
    fn extras_add_their_files() {
        for stack in Stack::ALL {
            let mut full = project(stack, "x");
            full.extras = Extras {
                license: License::Apache2,
                ci: Ci::Github,
                docker: true,
                year: 2030,
            };
            let planned = plan(&full).unwrap();
            let paths: Vec<&str> = planned.iter().map(|file| file.path).collect();
            for extra in [
                "LICENSE",
                ".github/workflows/ci.yml",
                "Dockerfile",
                ".dockerignore",
            ] {
                assert!(paths.contains(&extra), "{stack}: {extra}");
            }
            let optional: Vec<&str> = optional_files(stack).map(|(path, _)| path).collect();
            assert_eq!(
                paths.len(),
                file_list(stack).count() + optional.len() - 1,
                "one LICENSE of two"
            );
        }
    }

    #[test]
    fn plans_hold_the_listed_files_in_order() {
        for stack in Stack::ALL {
            let planned = plan(&project(stack, "x")).unwrap();
            let paths: Vec<&str> = planned.iter().map(|file| file.path).collect();
            assert_eq!(paths, file_list(stack).collect::<Vec<_>>());
        }
    }
}
