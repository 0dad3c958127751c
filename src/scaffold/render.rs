//! Rendering templates and building manifests without ever splicing user text into code.
//!
//! Handlebars runs in strict mode with HTML escaping off. User values reach code only through
//! helpers that emit a complete literal for the target language (`json` for JavaScript, `py`
//! for Python), and reach Markdown through `text`. `package.json` and `pyproject.toml` are
//! built with serializers and parsed back before anything is written.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::extras::Ci;
use crate::project::Project;
use crate::stack::{Lang, Stack};

/// Renders the templates of one project.
pub struct Renderer<'a> {
    registry: Handlebars<'static>,
    context: Value,
    project: &'a Project,
}

impl<'a> Renderer<'a> {
    pub fn new(project: &'a Project) -> Result<Self, Error> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        registry.register_helper("json", Box::new(Literal::JavaScript));
        registry.register_helper("py", Box::new(Literal::Python));
        registry.register_helper("text", Box::new(Literal::Text));
        registry.register_helper("ident", Box::new(Literal::Identifier));
        let context = json!({
            "name": project.name.name,
            "module": project.name.module,
            "description": project.description,
            "port": project.port,
            "year": project.extras.year,
            "holder": copyright_holder(project),
            "has_license": project.extras.license.spdx().is_some(),
            "ts": project.lang == Lang::Ts,
            "docker": project.extras.docker,
            "ci_github": project.extras.ci == Ci::Github,
        });
        Ok(Renderer {
            registry,
            context,
            project,
        })
    }

    /// Renders a handlebars template.
    ///
    /// Compiling is most of `new`'s own work, and handlebars compiles every byte it is given,
    /// while most lines of a template are plain text. So only the lines that hold a mustache,
    /// and every line of a block (`{{#if}}` to `{{/if}}`), go through handlebars, in runs of
    /// whole lines; the other lines are copied. Whole lines keep handlebars' handling of
    /// standalone block tags exactly as if it saw the whole file.
    pub fn render(&self, path: &str, template: &str) -> Result<String, Error> {
        let mut rendered = String::with_capacity(template.len() + 256);
        let mut dynamic = String::new();
        let mut depth = 0usize;
        for line in template.split_inclusive('\n') {
            if depth == 0 && !line.contains("{{") {
                self.render_lines(path, &mut dynamic, &mut rendered)?;
                rendered.push_str(line);
                continue;
            }
            dynamic.push_str(line);
            depth =
                (depth + line.matches("{{#").count()).saturating_sub(line.matches("{{/").count());
        }
        self.render_lines(path, &mut dynamic, &mut rendered)?;
        Ok(rendered)
    }

    /// Renders the run of lines in `lines` (if any) onto `rendered`, and empties `lines`.
    fn render_lines(
        &self,
        path: &str,
        lines: &mut String,
        rendered: &mut String,
    ) -> Result<(), Error> {
        if lines.is_empty() {
            return Ok(());
        }
        let text = self
            .registry
            .render_template(lines, &self.context)
            .map_err(|error| {
                Error::Internal(format!("template `{path}` does not render: {error}"))
            })?;
        rendered.push_str(&text);
        lines.clear();
        Ok(())
    }

    /// Builds the stack's manifest from its fixed part and the user's values, then checks that
    /// it parses back to exactly those values.
    pub fn manifest(&self, path: &str, template: &str) -> Result<String, Error> {
        let broken = |what: String| Error::Internal(format!("manifest `{path}`: {what}"));
        match self.project.stack {
            Stack::Node => package_json(self.project, template).map_err(broken),
            Stack::Flask => pyproject_toml(self.project, template).map_err(broken),
        }
    }
}

/// The literal-emitting helpers. Each refuses values it cannot write exactly.
#[derive(Clone, Copy)]
enum Literal {
    /// A JSON value, which JavaScript reads back exactly.
    JavaScript,
    /// A string or integer literal; `serde_json`'s string escapes are valid Python too.
    Python,
    /// Plain text for Markdown, shown verbatim.
    Text,
    /// A bare Python identifier (an `import` needs a name, not a literal): anything else,
    /// keywords included, is refused.
    Identifier,
}

/// An ASCII Python identifier that is not a keyword (module names are ASCII: see `name`).
fn is_python_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first == '_' || first.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !crate::name::PYTHON_KEYWORDS.contains(&text)
}

impl HelperDef for Literal {
    fn call<'reg: 'rc, 'rc>(
        &self,
        helper: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = helper.name();
        let value = helper
            .param(0)
            .ok_or_else(|| RenderErrorReason::Other(format!("`{name}` needs a value")))?
            .value();
        let written = match (self, value) {
            (Literal::Text, Value::String(text)) => text.clone(),
            (Literal::Text, Value::Number(number)) => number.to_string(),
            (Literal::Identifier, Value::String(text)) if is_python_identifier(text) => {
                text.clone()
            }
            (Literal::JavaScript, _) | (Literal::Python, Value::String(_)) => {
                serde_json::to_string(value)
                    .map_err(|error| RenderErrorReason::Other(error.to_string()))?
            }
            (Literal::Python, Value::Number(number)) if number.is_u64() || number.is_i64() => {
                number.to_string()
            }
            _ => {
                return Err(RenderError::from(RenderErrorReason::Other(format!(
                    "`{name}` cannot write {value} as a literal"
                ))));
            }
        };
        out.write(&written)?;
        Ok(())
    }
}

/// Who the license names: the author, else the project's authors collectively.
fn copyright_holder(project: &Project) -> String {
    match project
        .author
        .as_ref()
        .and_then(|author| author.name.as_ref())
    {
        Some(name) => name.clone(),
        None => format!("the {} authors", project.name.name),
    }
}

fn author_json(project: &Project) -> Option<Value> {
    let author = project.author.as_ref()?;
    let mut object = Map::new();
    if let Some(name) = &author.name {
        object.insert("name".into(), Value::String(name.clone()));
    }
    if let Some(email) = &author.email {
        object.insert("email".into(), Value::String(email.clone()));
    }
    Some(Value::Object(object))
}

/// `package.json`: name, version, description and author first (npm's order), then the fixed
/// fields from the template.
fn package_json(project: &Project, template: &str) -> Result<String, String> {
    let fixed: Map<String, Value> =
        serde_json::from_str(template).map_err(|error| format!("template is not JSON: {error}"))?;
    let mut manifest = Map::new();
    manifest.insert("name".into(), Value::String(project.name.name.clone()));
    if let Some(version) = fixed.get("version") {
        manifest.insert("version".into(), version.clone());
    }
    if !project.description.is_empty() {
        manifest.insert(
            "description".into(),
            Value::String(project.description.clone()),
        );
    }
    if let Some(author) = author_json(project) {
        manifest.insert("author".into(), author);
    }
    if let Some(license) = project.extras.license.spdx() {
        manifest.insert("license".into(), Value::String(license.into()));
    }
    for (key, value) in fixed {
        manifest.entry(key).or_insert(value);
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(manifest))
        .map_err(|error| error.to_string())?;
    text.push('\n');

    let parsed: Value = serde_json::from_str(&text).map_err(|error| error.to_string())?;
    let description = parsed
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    if parsed["name"] != project.name.name.as_str()
        || description != project.description
        || parsed.get("author") != author_json(project).as_ref()
    {
        return Err("does not parse back to the project's values".into());
    }
    Ok(text)
}

/// The PEP 621 metadata stackgen sets and checks.
#[derive(serde::Deserialize, PartialEq, Debug)]
struct ParsedPyproject {
    project: ParsedProject,
}

#[derive(serde::Deserialize, PartialEq, Debug)]
struct ParsedProject {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    authors: Vec<ParsedAuthor>,
}

#[derive(serde::Deserialize, PartialEq, Debug)]
struct ParsedAuthor {
    name: Option<String>,
    email: Option<String>,
}

/// `pyproject.toml`: the `[project]` table gets name, version, description and authors first,
/// then the fixed fields from the template.
fn pyproject_toml(project: &Project, template: &str) -> Result<String, String> {
    use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};

    let mut document: DocumentMut = template
        .parse()
        .map_err(|error| format!("template is not TOML: {error}"))?;
    let fixed = document
        .get("project")
        .and_then(Item::as_table)
        .ok_or("template has no [project] table")?
        .clone();
    let mut table = Table::new();
    table.set_position(fixed.position());
    table.insert("name", value(project.name.name.as_str()));
    if let Some(version) = fixed.get("version") {
        table.insert("version", version.clone());
    }
    if !project.description.is_empty() {
        table.insert("description", value(project.description.as_str()));
    }
    if let Some(author) = &project.author {
        let mut entry = InlineTable::new();
        if let Some(name) = &author.name {
            entry.insert("name", name.as_str().into());
        }
        if let Some(email) = &author.email {
            entry.insert("email", email.as_str().into());
        }
        let mut authors = Array::new();
        authors.push(entry);
        table.insert("authors", value(authors));
    }
    if let Some(license) = project.extras.license.spdx() {
        table.insert("license", value(license));
        let mut files = Array::new();
        files.push("LICENSE");
        table.insert("license-files", value(files));
    }
    for (key, item) in fixed.iter() {
        if !table.contains_key(key) {
            table.insert(key, item.clone());
        }
    }
    document.insert("project", Item::Table(table));
    let text = document.to_string();

    let parsed: ParsedPyproject = toml::from_str(&text).map_err(|error| error.to_string())?;
    let expected = ParsedProject {
        name: project.name.name.clone(),
        description: project.description.clone(),
        authors: project
            .author
            .iter()
            .map(|author| ParsedAuthor {
                name: author.name.clone(),
                email: author.email.clone(),
            })
            .collect(),
    };
    if parsed.project != expected {
        return Err("does not parse back to the project's values".into());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::super::{plan, tests::project};
    use super::*;

    const HOSTILE: &str = r#"x", "scripts": {"postinstall": "touch PWNED"}, "y": "' \ ${x} {{author}} """ </script> &quot;"#;

    fn file(stack: Stack, description: &str, path: &str) -> String {
        let planned = plan(&project(stack, description)).unwrap();
        let file = planned.into_iter().find(|file| file.path == path).unwrap();
        String::from_utf8(file.contents).unwrap()
    }

    #[test]
    fn package_json_holds_hostile_text_exactly() {
        let text = file(Stack::Node, HOSTILE, "package.json");
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["description"], HOSTILE);
        assert_eq!(parsed["author"]["name"], "Jane \"JJ\" O'Neil");
        assert_eq!(parsed["scripts"]["test"], "node --test");
        assert!(parsed.get("y").is_none());
        let keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
        assert_eq!(keys[..4], ["name", "version", "description", "author"]);
    }

    #[test]
    fn pyproject_holds_hostile_text_exactly() {
        let text = file(Stack::Flask, HOSTILE, "pyproject.toml");
        let parsed: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(parsed["project"]["description"].as_str(), Some(HOSTILE));
        assert_eq!(parsed["project"]["name"].as_str(), Some("demo-app"));
        assert_eq!(
            parsed["project"]["authors"][0]["email"].as_str(),
            Some("jj@example.com")
        );
        assert!(text.starts_with("[project]\nname = "), "{text}");
    }

    #[test]
    fn empty_description_and_author_are_omitted() {
        let mut bare = project(Stack::Node, "");
        bare.author = None;
        let planned = plan(&bare).unwrap();
        let manifest: Value = serde_json::from_slice(&planned[0].contents).unwrap();
        assert!(manifest.get("description").is_none() && manifest.get("author").is_none());
    }

    #[test]
    fn code_templates_get_the_port_as_a_literal() {
        assert!(file(Stack::Node, "", "server.js").contains("export const DEFAULT_PORT = 3000;"));
        assert!(
            file(Stack::Flask, "", "src/demo_app/__init__.py").contains("DEFAULT_PORT = 5000\n")
        );
    }

    #[test]
    fn rendering_by_runs_of_lines_equals_rendering_whole_templates() {
        use super::super::revisions::{self, Render};
        use super::super::template_text;
        use crate::extras::{Ci, Extras, License};
        // Every `{{#if}}` both ways: rev 3 has `{{else}}` lines inside blocks.
        let cases = [
            ("", License::None, Lang::Js, false),
            ("", License::None, Lang::Ts, true),
            (HOSTILE, License::Mit, Lang::Ts, false),
            (HOSTILE, License::Mit, Lang::Js, true),
        ];
        for stack in Stack::ALL {
            for (description, license, lang, on) in cases {
                let mut project = project(stack, description);
                project.lang = lang;
                project.extras = Extras {
                    license,
                    ci: if on { Ci::Github } else { Ci::None },
                    docker: on,
                    agents: true,
                    update_bot: true,
                    year: 2030,
                };
                let renderer = Renderer::new(&project).unwrap();
                for spec in revisions::all(stack).iter().flat_map(|r| &r.files) {
                    let (Render::Template, Some(path)) = (spec.render, spec.from.as_deref()) else {
                        continue;
                    };
                    let template = template_text(path).unwrap();
                    let whole = renderer
                        .registry
                        .render_template(template, &renderer.context)
                        .unwrap();
                    assert_eq!(renderer.render(path, template).unwrap(), whole, "{path}");
                }
            }
        }
    }

    #[test]
    fn ident_writes_only_python_identifiers_bare() {
        let project = project(Stack::Flask, "");
        let renderer = Renderer::new(&project).unwrap();
        let render = |template: &str, value: Value| {
            renderer
                .registry
                .render_template(template, &json!({ "v": value }))
        };
        assert_eq!(
            render("{{ident v}}", json!("demo_app")).unwrap(),
            "demo_app"
        );
        assert_eq!(render("{{ident v}}", json!("_x9")).unwrap(), "_x9");
        for refused in [
            json!("class"),
            json!("None"),
            json!("9lives"),
            json!("a.b"),
            json!("a b"),
            json!(""),
            json!("os; import x"),
            json!(3),
        ] {
            assert!(render("{{ident v}}", refused.clone()).is_err(), "{refused}");
        }
        let test = file(Stack::Flask, "", "tests/test_app.py");
        assert!(test.contains("from demo_app import "), "{test}");
    }

    #[test]
    fn readme_shows_the_description_verbatim() {
        for stack in Stack::ALL {
            let readme = file(stack, HOSTILE, "README.md");
            assert!(readme.contains(HOSTILE), "{readme}");
        }
    }
}
