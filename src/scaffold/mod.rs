//! Turning a [`Project`] into files, in memory: which files each stack has at each revision,
//! and what each holds.

mod render;
pub mod revisions;

use include_dir::{Dir, include_dir};

use crate::error::Error;
use crate::project::Project;
use crate::record;
use crate::stack::Stack;
pub use revisions::Revision;
use revisions::{FileSpec, Render};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The files of the revision `new` writes today.
fn current_files(stack: Stack) -> &'static [FileSpec] {
    &revisions::current(stack).files
}

/// A path as `stackgen list` shows it: `{module}` as `<module>`.
fn shown(spec: &'static FileSpec) -> String {
    spec.path.replace(revisions::MODULE, "<module>")
}

/// The paths a project of a stack holds with the defaults, relative to its root, in writing
/// order, each with the options that leave it out (`--no-agents`).
pub fn file_list(stack: Stack) -> impl Iterator<Item = (String, Vec<&'static str>)> {
    current_files(stack)
        .iter()
        .filter(|spec| spec.when.options().is_empty())
        .map(|spec| (shown(spec), spec.when.opt_outs()))
}

/// The files options add: (path, the options that add it, all of them needed, and the options
/// that leave it out all the same, such as `--no-update-bot`).
pub fn optional_files(
    stack: Stack,
) -> impl Iterator<Item = (String, Vec<&'static str>, Vec<&'static str>)> {
    current_files(stack).iter().filter_map(|spec| {
        let options = spec.when.options();
        (!options.is_empty()).then(|| (shown(spec), options, spec.when.opt_outs()))
    })
}

/// A file ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Path relative to the project root, `/`-separated; one of a revision's paths, with a
    /// Flask project's module name for `{module}`.
    pub path: String,
    /// The full contents.
    pub contents: Vec<u8>,
    /// Written executable: part of the file as much as its contents.
    pub executable: bool,
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
        .filter(|spec| spec.when.holds(project))
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
                path: spec.path_in(project),
                contents,
                executable: spec.executable,
            })
        })
        .collect()
}

/// Renders the project at the revision `new` writes today.
#[cfg(any(test, feature = "fuzzing"))]
pub fn plan(project: &Project) -> Result<Vec<PlannedFile>, Error> {
    render_revision(project, revisions::current(project.stack))
}

/// The runtime versions a project at `revision` declares it runs on: `engines.node` of its
/// `package.json`, `requires-python` of its `pyproject.toml`, read from the manifest template
/// `project` would get (its language and extras choose among variants). doctor and `new`
/// judge the runtime against it, so there is no second copy of a minimum to drift.
pub fn declared_runtime(project: &Project, revision: &Revision) -> Result<String, Error> {
    let stack = project.stack;
    let spec = revision
        .files
        .iter()
        .find(|spec| spec.render == Render::Manifest && spec.when.holds(project))
        .ok_or_else(|| {
            Error::Internal(format!(
                "{stack} revision {} has no manifest",
                revision.number
            ))
        })?;
    let from = spec.from.as_deref().unwrap_or_default();
    let text = template_text(from)?;
    let declared = match stack {
        Stack::Node => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|manifest| manifest["engines"]["node"].as_str().map(str::to_owned)),
        Stack::Flask => toml::from_str::<toml::Value>(text)
            .ok()
            .and_then(|manifest| {
                manifest
                    .get("project")?
                    .get("requires-python")?
                    .as_str()
                    .map(str::to_owned)
            }),
    };
    declared.ok_or_else(|| Error::Internal(format!("`templates/{from}` declares no runtime")))
}

fn template_text(path: &str) -> Result<&'static str, Error> {
    TEMPLATES
        .get_file(path)
        .and_then(|file| file.contents_utf8())
        .ok_or_else(|| Error::Internal(format!("template `{path}` is not embedded as UTF-8")))
}

#[cfg(test)]
pub(crate) mod tests;
