//! Turning a [`Project`] into files: which files each stack has, rendering them in memory,
//! and writing them to disk all-or-nothing.

#[cfg(test)]
mod golden;
#[cfg(test)]
mod maintained;
#[cfg(test)]
mod properties;
mod render;
pub mod revisions;

use include_dir::{Dir, include_dir};

use crate::error::Error;
use crate::project::Project;
use crate::record;
use crate::stack::Stack;
pub use revisions::Revision;
use revisions::{Condition, FileSpec, Render};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The files of the revision `new` writes today.
fn current_files(stack: Stack) -> &'static [FileSpec] {
    &revisions::current(stack).files
}

/// The paths every project of a stack holds, relative to its root, in writing order.
pub fn file_list(stack: Stack) -> impl Iterator<Item = &'static str> {
    current_files(stack)
        .iter()
        .filter(|spec| spec.when == Condition::Always)
        .map(|spec| spec.path.as_str())
}

/// The files an option adds: (path, the option that adds it).
pub fn optional_files(stack: Stack) -> impl Iterator<Item = (&'static str, &'static str)> {
    current_files(stack)
        .iter()
        .filter_map(|spec| Some((spec.path.as_str(), spec.when.option()?)))
}

/// A file ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Path relative to the project root, `/`-separated; always one of a revision's paths.
    pub path: &'static str,
    /// The full contents.
    pub contents: Vec<u8>,
}

/// Renders every file of the project at `revision` in memory; nothing touches the disk. This is
/// the one way a project's files are made: `new`, `--dry-run`, `update`, `diff` and `check`
/// all start from it.
pub fn render_revision(
    project: &Project,
    revision: &'static Revision,
) -> Result<Vec<PlannedFile>, Error> {
    let renderer = render::Renderer::new(project)?;
    revision
        .files
        .iter()
        .filter(|spec| spec.when.holds(&project.extras))
        .map(|spec| {
            let contents = match (spec.render, spec.from.as_deref()) {
                (Render::Answers, _) => record::render(project, revision.number).into_bytes(),
                (_, None) => {
                    return Err(Error::Internal(format!(
                        "`{}` names no template",
                        spec.path
                    )));
                }
                (Render::Template, Some(from)) => {
                    renderer.render(from, template_text(from)?)?.into_bytes()
                }
                (Render::Verbatim, Some(from)) => template_text(from)?.as_bytes().to_vec(),
                (Render::Manifest, Some(from)) => {
                    renderer.manifest(from, template_text(from)?)?.into_bytes()
                }
            };
            Ok(PlannedFile {
                path: spec.path.as_str(),
                contents,
            })
        })
        .collect()
}

/// Renders the project at the revision `new` writes today.
#[cfg(any(test, feature = "fuzzing"))]
pub fn plan(project: &Project) -> Result<Vec<PlannedFile>, Error> {
    render_revision(project, revisions::current(project.stack))
}

fn template_text(path: &str) -> Result<&'static str, Error> {
    TEMPLATES
        .get_file(path)
        .and_then(|file| file.contents_utf8())
        .ok_or_else(|| Error::Internal(format!("template `{path}` is not embedded as UTF-8")))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::extras::{Ci, Extras, License};
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
        let catalogues: Vec<String> = Stack::ALL
            .iter()
            .map(|stack| format!("{stack}/revisions.toml"))
            .collect();
        let used: Vec<&str> = Stack::ALL
            .iter()
            .flat_map(|&stack| revisions::all(stack))
            .flat_map(|revision| &revision.files)
            .filter_map(|spec| spec.from.as_deref())
            .chain(catalogues.iter().map(String::as_str))
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
            for spec in revisions::all(stack).iter().flat_map(|r| &r.files) {
                let (Render::Template, Some(path)) = (spec.render, spec.from.as_deref()) else {
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
