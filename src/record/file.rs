//! Reading answers files (`--answers FILE`, TOML or JSON) and `.stackgen.toml`, the record of a
//! run in the same format. Every key is checked by hand against the table of keys so that errors
//! can say `FILE:LINE:COL`, the key and what was expected, without ever quoting the file's text:
//! answers files come from CI and may hold secrets.

use std::path::Path;

use serde_json::Value;

use super::keys::{self, AnswerKey};
use crate::error::Error;
use crate::input_file;
use crate::inputs::Inputs;

const WHAT: &str = "answers file";

/// One `key = value` of the file, with where its key starts.
struct Entry {
    key: String,
    value: Value,
    offset: usize,
}

/// Reads and checks an answers file. Values are then validated like flags by the caller.
pub fn load(path: &Path) -> Result<Inputs, Error> {
    parse(path, &input_file::read(path, WHAT)?)
}

/// Checks the text of an answers file; `path` decides the format by extension and names the
/// file in errors.
pub fn parse(path: &Path, text: &str) -> Result<Inputs, Error> {
    let entries = if is_json(path, text) {
        json_entries(path, text)?
    } else {
        toml_entries(path, text)?
    };
    let mut inputs = Inputs::default();
    for entry in entries {
        apply(&mut inputs, &entry).map_err(|problem| at(path, text, entry.offset, problem))?;
    }
    Ok(inputs)
}

fn at(path: &Path, text: &str, offset: usize, problem: String) -> Error {
    input_file::invalid_at(WHAT, path, text, offset, &problem)
}

/// `.json` and `.toml` decide by extension; anything else is JSON if it starts like an object.
fn is_json(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|extension| extension.to_str()) {
        Some(extension) if extension.eq_ignore_ascii_case("json") => true,
        Some(extension) if extension.eq_ignore_ascii_case("toml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

fn toml_entries(path: &Path, text: &str) -> Result<Vec<Entry>, Error> {
    let document = toml_edit::Document::parse(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        at(
            path,
            text,
            offset,
            format!("this is not valid TOML: {}", error.message().trim()),
        )
    })?;
    let mut entries = Vec::new();
    for (key, item) in document.as_table().iter() {
        let offset = document
            .as_table()
            .key(key)
            .and_then(toml_edit::Key::span)
            .or_else(|| item.span())
            .map_or(0, |span| span.start);
        let value = toml_value(item).ok_or_else(|| {
            at(
                path,
                text,
                offset,
                format!("`{key}` must be a plain value, not a table"),
            )
        })?;
        entries.push(Entry {
            key: key.to_owned(),
            value,
            offset,
        });
    }
    Ok(entries)
}

/// The TOML value as JSON, which the checks below read; `None` for tables.
fn toml_value(item: &toml_edit::Item) -> Option<Value> {
    fn convert(value: &toml_edit::Value) -> Value {
        match value {
            toml_edit::Value::String(text) => Value::String(text.value().clone()),
            toml_edit::Value::Integer(number) => Value::from(*number.value()),
            toml_edit::Value::Boolean(flag) => Value::Bool(*flag.value()),
            toml_edit::Value::Array(array) => Value::Array(array.iter().map(convert).collect()),
            // Floats, dates and tables are never valid answers; an object makes the type
            // check below say what was expected.
            _ => Value::Object(serde_json::Map::new()),
        }
    }
    item.as_value().map(convert)
}

fn json_entries(path: &Path, text: &str) -> Result<Vec<Entry>, Error> {
    let document: Value = serde_json::from_str(text).map_err(|error| {
        let (line, column) = (error.line().max(1), error.column().max(1));
        let problem = match error.classify() {
            serde_json::error::Category::Eof => "the JSON ends too early".to_owned(),
            // A syntax error says what was expected ("expected `:`", "trailing comma") and
            // never quotes the file; the position is given apart.
            serde_json::error::Category::Syntax => {
                let message = error.to_string();
                let position = format!(" at line {} column {}", error.line(), error.column());
                format!(
                    "this is not valid JSON: {}",
                    message.strip_suffix(&position).unwrap_or(&message)
                )
            }
            _ => "this is not valid JSON".to_owned(),
        };
        Error::InvalidFile {
            what: WHAT,
            path: path.to_owned(),
            line,
            column,
            problem,
        }
    })?;
    let Value::Object(mut object) = document else {
        return Err(at(
            path,
            text,
            0,
            "the file must hold one JSON object".into(),
        ));
    };
    let mut entries = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (key, offset) in top_level_keys(text) {
        if seen.contains(&key) {
            return Err(at(
                path,
                text,
                offset,
                format!("`{}` is given twice", key.escape_debug()),
            ));
        }
        let value = object.remove(&key).unwrap_or(Value::Null);
        seen.push(key.clone());
        entries.push(Entry { key, value, offset });
    }
    Ok(entries)
}

/// The keys of the top-level object of a valid JSON text, with their byte offsets, duplicates
/// included (serde_json keeps only the last of a repeated key, so they are found here).
fn top_level_keys(text: &str) -> Vec<(String, usize)> {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut expect_key = false;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'{' => {
                depth += 1;
                expect_key = depth == 1;
            }
            b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            b'"' => {
                let start = index;
                index += 1;
                while index < bytes.len() && bytes[index] != b'"' {
                    index += if bytes[index] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 && expect_key {
                    let key = serde_json::from_str(&text[start..=index.min(bytes.len() - 1)])
                        .unwrap_or_default();
                    keys.push((key, start));
                    expect_key = false;
                }
            }
            _ => {}
        }
        index += 1;
    }
    keys
}

fn apply(inputs: &mut Inputs, entry: &Entry) -> Result<(), String> {
    match AnswerKey::find(&entry.key) {
        Some(key) => key.read(inputs, &entry.value),
        None => Err(unknown_key(&entry.key)),
    }
}

/// Words of the keys people reach for to choose the output directory (`dir`, `output_dir`,
/// `targetPath`…), which only the command line names.
const DIRECTORY_WORDS: &[&str] = &["dir", "path", "folder", "target", "output", "dest"];

fn is_directory_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key == "out" || DIRECTORY_WORDS.iter().any(|word| key.contains(word))
}

fn unknown_key(key: &str) -> String {
    let mut problem = format!("unknown key `{}`", crate::text::escape(key));
    if is_directory_key(key) {
        problem.push_str(
            " (an answers file cannot choose the output directory: give it on the command \
             line, as in `stackgen new PATH --answers FILE`)",
        );
    } else if let Some(close) = closest_key(key) {
        problem.push_str(&format!(" (did you mean `{close}`?)"));
    }
    let keys: Vec<&str> = keys::names().collect();
    problem.push_str(&format!("; the keys are: {}", keys.join(", ")));
    problem
}

/// The known key one or two edits away from a misspelt one.
/// The key `unknown` is most likely a typo of: within an edit (a swap of two neighbours counts
/// as one) for every three characters, so that short words are not matched to unrelated short
/// keys (`dir` to `ci`).
fn closest_key(unknown: &str) -> Option<&'static str> {
    let unknown = unknown.to_lowercase();
    let allowed = (unknown.chars().count() / 3).max(1);
    keys::names()
        .map(|key| (strsim::osa_distance(&unknown, key), key))
        .filter(|(distance, _)| *distance <= allowed)
        .min()
        .map(|(_, key)| key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extras::License;

    fn load_text(name: &str, text: &str) -> Result<Inputs, Error> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        load(&path)
    }

    fn problem(name: &str, text: &str) -> (usize, usize, String) {
        match load_text(name, text) {
            Err(Error::InvalidFile {
                line,
                column,
                problem,
                ..
            }) => (line, column, problem),
            other => panic!("expected an invalid-file error, got {other:?}"),
        }
    }

    #[test]
    fn toml_and_json_give_the_same_inputs() {
        let toml = load_text(
            "a.toml",
            "name = \"my-app\"\nstack = \"node\"\npriorities = [\"learning\"]\nport = 8080\ngit = false\nlicense = \"MIT\"\nyear = 2030\n",
        )
        .unwrap();
        let json = load_text(
            "a.json",
            r#"{"name": "my-app", "stack": "node", "priorities": ["learning"], "port": 8080, "git": false, "license": "MIT", "year": 2030}"#,
        )
        .unwrap();
        assert_eq!(toml, json);
        assert_eq!(toml.port, Some(8080));
        assert_eq!(toml.license, Some(License::Mit));
    }

    #[test]
    fn errors_give_the_position_and_never_the_value() {
        let (line, column, text) = problem("a.toml", "stack = \"node\"\nnmae = \"secret-value\"\n");
        assert_eq!((line, column), (2, 1));
        assert!(
            text.contains("`nmae`") && text.contains("did you mean `name`"),
            "{text}"
        );
        assert!(!text.contains("secret-value"));

        let (line, _, text) = problem("a.toml", "git = \"yes-secret\"\n");
        assert_eq!(line, 1);
        assert!(
            text.contains("`git`") && text.contains("true` or `false"),
            "{text}"
        );
        assert!(!text.contains("yes-secret"));

        let (_, _, text) = problem("a.toml", "stack = \"django\"\n");
        assert!(
            text.contains("node, flask") && !text.contains("django"),
            "{text}"
        );

        let (line, _, text) = problem("a.json", "{\"name\": 5}");
        assert_eq!(line, 1);
        assert!(text.contains("expected a string"), "{text}");
    }

    #[test]
    fn syntax_errors_point_at_the_line() {
        let (line, _, text) = problem("a.toml", "name = \"unterminated\n");
        assert_eq!(line, 1);
        assert!(!text.contains("unterminated"), "{text}");
        let (line, _, _) = problem("a.json", "{\"name\":\"a\",}");
        assert_eq!(line, 1);
        let (line, _, _) = problem("a.json", "{\n  \"name\": \"a\",\n  \"name\": \"b\"\n}");
        assert_eq!(line, 3, "duplicate JSON keys are refused");
        let (line, _, text) = problem("a.toml", "name = \"a\"\nname = \"b\"\n");
        assert_eq!(line, 2, "{text}");
    }

    #[test]
    fn files_without_an_extension_are_sniffed() {
        assert_eq!(
            load_text("answers", "{\"port\": 1234}").unwrap().port,
            Some(1234)
        );
        assert_eq!(
            load_text("answers", "port = 1234").unwrap().port,
            Some(1234)
        );
        assert!(load_text("a.yaml", "name: x\n").is_err());
    }

    #[test]
    fn there_is_no_key_for_the_directory() {
        let (_, _, text) = problem("a.toml", "dir = \"/tmp/elsewhere\"\n");
        assert!(
            text.contains("unknown key `dir`")
                && text.contains("cannot choose the output directory")
                && !text.contains("did you mean")
                && !text.contains("/tmp/elsewhere"),
            "{text}"
        );
    }

    #[test]
    fn json_syntax_errors_say_what_was_expected() {
        for (text, column, expected) in [
            (r#"{"name":"a",}"#, 13, "trailing comma"),
            (r#"{"name" "a"}"#, 9, "expected `:`"),
        ] {
            let (line, at, problem) = problem("a.json", text);
            assert_eq!((line, at), (1, column), "{text}");
            assert!(
                problem.ends_with(&format!("not valid JSON: {expected}")),
                "{problem}"
            );
        }
    }

    #[test]
    fn keys_that_choose_a_directory_are_recognised() {
        for key in [
            "dir",
            "output_dir",
            "targetPath",
            "out",
            "Folder",
            "destination",
        ] {
            assert!(is_directory_key(key), "{key}");
        }
        for key in keys::names().chain(["nmae", "colour"]) {
            assert!(!is_directory_key(key), "{key}");
        }
    }

    #[test]
    fn only_near_misses_get_a_suggestion() {
        for (typo, key) in [
            ("nmae", "name"),
            ("licence", "license"),
            ("priorites", "priorities"),
            ("usecase", "use_case"),
            ("stak", "stack"),
            ("prot", "port"),
            ("NAME", "name"),
            ("Licence", "license"),
        ] {
            assert_eq!(closest_key(typo), Some(key), "{typo}");
        }
        for unrelated in ["x", "ab", "dry", "colour", "verbose"] {
            assert_eq!(closest_key(unrelated), None, "{unrelated}");
        }
    }

    #[test]
    fn numbers_are_range_checked() {
        for bad in [
            "port = 0",
            "port = 65536",
            "port = -1",
            "port = 1.5",
            "year = 1969",
        ] {
            assert!(load_text("a.toml", bad).is_err(), "{bad}");
        }
    }
}
