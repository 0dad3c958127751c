//! Turning a [`Project`] into files: which files each stack has, rendering them in memory,
//! and writing them to disk all-or-nothing.

#[cfg(test)]
mod properties;
mod render;
pub mod write;

use include_dir::{Dir, include_dir};

use crate::error::Error;
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
}

impl Source {
    fn template_path(self) -> &'static str {
        match self {
            Source::Template(path) | Source::Verbatim(path) | Source::Manifest(path) => path,
        }
    }
}

/// One file of a stack: where it goes in the project and where it comes from.
#[derive(Debug, Clone, Copy)]
struct FileSpec {
    output: &'static str,
    source: Source,
}

const fn file(output: &'static str, source: Source) -> FileSpec {
    FileSpec { output, source }
}

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
    file(".editorconfig", Source::Verbatim("common/editorconfig")),
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
    file(".editorconfig", Source::Verbatim("common/editorconfig")),
];

fn files_of(stack: Stack) -> &'static [FileSpec] {
    match stack {
        Stack::Node => NODE_FILES,
        Stack::Flask => FLASK_FILES,
    }
}

/// The paths a stack's project holds, relative to its root, in writing order.
pub fn file_list(stack: Stack) -> impl Iterator<Item = &'static str> {
    files_of(stack).iter().map(|spec| spec.output)
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
        .map(|spec| {
            let template = template_text(spec.source.template_path())?;
            let contents = match spec.source {
                Source::Template(path) => renderer.render(path, template)?.into_bytes(),
                Source::Verbatim(_) => template.as_bytes().to_vec(),
                Source::Manifest(path) => renderer.manifest(path, template)?.into_bytes(),
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
                    .map(|spec| spec.source.template_path())
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
    fn plans_hold_the_listed_files_in_order() {
        for stack in Stack::ALL {
            let planned = plan(&project(stack, "x")).unwrap();
            let paths: Vec<&str> = planned.iter().map(|file| file.path).collect();
            assert_eq!(paths, file_list(stack).collect::<Vec<_>>());
        }
    }
}
