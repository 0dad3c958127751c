//! Project-name rules: npm's for Node.js, PEP 508 plus a Python module name for Flask.
//!
//! Names are never rewritten: a name is accepted as given or refused with the rule it broke and,
//! for ASCII input, a suggestion that is itself valid.

use crate::stack::Stack;
use crate::text::forbidden_char;

/// npm refuses names longer than this; the same bound keeps Flask names sane.
const MAX_LEN: usize = 214;

/// `require('module').builtinModules` of Node 18–22 without the `node:` prefix, minus the ones
/// containing `/` (refused anyway) and those starting with `_` (refused by the leading-character
/// rule).
const NODE_CORE_MODULES: &[&str] = &[
    "assert",
    "async_hooks",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "constants",
    "crypto",
    "dgram",
    "diagnostics_channel",
    "dns",
    "domain",
    "events",
    "fs",
    "http",
    "http2",
    "https",
    "inspector",
    "module",
    "net",
    "os",
    "path",
    "perf_hooks",
    "process",
    "punycode",
    "querystring",
    "readline",
    "repl",
    "stream",
    "string_decoder",
    "sys",
    "timers",
    "tls",
    "trace_events",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "wasi",
    "worker_threads",
    "zlib",
];

/// npm refuses these outright.
const NPM_EXCLUDED: &[&str] = &["node_modules", "favicon.ico"];

/// `sys.stdlib_module_names` of Python 3.9–3.13 (3.9 from its docs), lowercased, without the
/// private `_` modules that the leading-character rule refuses anyway.
const PYTHON_STDLIB: &[&str] = &[
    "abc",
    "aifc",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "binhex",
    "bisect",
    "builtins",
    "bz2",
    "cprofile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "formatter",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "parser",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symbol",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    // The regression-test package: shipped with CPython though not in stdlib_module_names.
    "test",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

/// The generated project's own dependencies (runtime and dev, with theirs); a module with one of
/// these names would shadow them, or clash with them in site-packages.
const PYTHON_SHADOWED: &[&str] = &[
    "flask",
    "werkzeug",
    "jinja2",
    "click",
    "itsdangerous",
    "markupsafe",
    "blinker",
    "pytest",
    // Revision 3: gunicorn serves the app, and needs packaging.
    "gunicorn",
    "packaging",
    // Revision 3's dev group: pytest's own dependencies, and ruff.
    "iniconfig",
    "pluggy",
    "pygments",
    "ruff",
];

/// The generated project's test package.
const PYTHON_TESTS: &str = "tests";

/// Python's hard keywords (soft keywords such as `match` are valid module names).
pub(crate) const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// A name that passed the rules of its stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectName {
    /// The name exactly as given: the npm package name or the Python distribution name.
    pub name: String,
    /// The Python module name derived from it (`my-app` → `my_app`); Flask only.
    pub module: Option<String>,
}

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    /// The refused name.
    pub name: String,
    /// The rule it broke, in words.
    pub problem: String,
    /// A valid name close to it, when there is one.
    pub suggestion: Option<String>,
    /// The name holds characters no suggestion can fix (non-ASCII, control, format).
    pub needs_ascii: bool,
    /// Where the name came from, which decides how the fix is worded.
    pub source: NameSource,
}

/// Where a refused name came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NameSource {
    /// The last component of the target directory.
    #[default]
    Directory,
    /// `--name` or an answers file.
    Given,
    /// Typed at the wizard's name prompt.
    Typed,
}

impl NameError {
    fn new(name: &str, problem: impl Into<String>) -> Self {
        NameError {
            name: name.to_owned(),
            problem: problem.into(),
            suggestion: None,
            needs_ascii: false,
            source: NameSource::Directory,
        }
    }

    /// Says where the name came from, for the hint.
    pub fn with_source(self, source: NameSource) -> Self {
        NameError { source, ..self }
    }

    /// The hint line for this refusal.
    pub fn help(&self) -> Option<String> {
        if let Some(suggestion) = &self.suggestion {
            Some(format!("try `{suggestion}`"))
        } else if self.needs_ascii {
            Some(
                match self.source {
                    NameSource::Directory => {
                        "keep the directory if you like, and pass an ASCII project name with \
                         `--name`, e.g. `--name my-app`"
                    }
                    NameSource::Given => "pass an ASCII project name, e.g. `--name my-app`",
                    NameSource::Typed => "type an ASCII name, e.g. `my-app`",
                }
                .into(),
            )
        } else {
            None
        }
    }
}

/// Checks `name` against the rules of `stack`.
pub fn validate(name: &str, stack: Stack) -> Result<ProjectName, NameError> {
    check(name, stack).map_err(|mut error| {
        if !error.needs_ascii {
            error.suggestion = suggest(name, stack);
        }
        error
    })
}

/// Checks `name` for `stack`, or for every stack while none is chosen. Returns each stack it
/// fits with the names derived for it, or the first stack's refusal when it fits none.
pub fn validate_for(
    name: &str,
    stack: Option<Stack>,
) -> Result<Vec<(Stack, ProjectName)>, NameError> {
    let stacks: &[Stack] = match &stack {
        Some(stack) => std::slice::from_ref(stack),
        None => &Stack::ALL,
    };
    let mut valid = Vec::new();
    let mut first_error = None;
    for &stack in stacks {
        match validate(name, stack) {
            Ok(project_name) => valid.push((stack, project_name)),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) if valid.is_empty() => Err(error),
        _ => Ok(valid),
    }
}

fn check(name: &str, stack: Stack) -> Result<ProjectName, NameError> {
    check_common(name)?;
    match stack {
        Stack::Node => check_node(name).map(|()| ProjectName {
            name: name.to_owned(),
            module: None,
        }),
        Stack::Flask => check_flask(name).map(|module| ProjectName {
            name: name.to_owned(),
            module: Some(module),
        }),
    }
}

/// Rules both stacks share; the ones about characters come first so the message names the
/// worst problem.
fn check_common(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::new(name, "the name must not be empty"));
    }
    if let Some(c) = name.chars().find(|&c| forbidden_char(c)) {
        let mut error = NameError::new(
            name,
            format!(
                "the name contains the control or invisible character `{}`",
                c.escape_unicode()
            ),
        );
        error.needs_ascii = true;
        return Err(error);
    }
    if let Some(c) = name.chars().find(|c| !c.is_ascii()) {
        let mut error = NameError::new(name, format!("the name must be ASCII, `{c}` is not"));
        error.needs_ascii = true;
        return Err(error);
    }
    if name.len() > MAX_LEN {
        return Err(NameError::new(
            name,
            format!(
                "the name is {} characters long, the limit is {MAX_LEN}",
                name.len()
            ),
        ));
    }
    Ok(())
}

/// Rules for each `/`-free part of a name (the whole name, or each half of `@scope/name`).
fn check_part(name: &str, part: &str) -> Result<(), NameError> {
    if part.contains('/') || part.contains('\\') {
        return Err(NameError::new(name, "the name may not contain `/` or `\\`"));
    }
    if let Some(first) = part.chars().next().filter(|c| matches!(c, '.' | '_' | '-')) {
        return Err(NameError::new(
            name,
            format!("the name may not start with `{first}`"),
        ));
    }
    if is_windows_device(part) {
        return Err(NameError::new(
            name,
            format!("`{part}` is a reserved device name on Windows"),
        ));
    }
    Ok(())
}

fn is_windows_device(part: &str) -> bool {
    let stem = part.split('.').next().unwrap_or(part).to_ascii_lowercase();
    match stem.as_bytes() {
        b"con" | b"prn" | b"aux" | b"nul" => true,
        [b'c', b'o', b'm', digit] | [b'l', b'p', b't', digit] => digit.is_ascii_digit(),
        _ => false,
    }
}

fn check_node(name: &str) -> Result<(), NameError> {
    let unscoped = match name.strip_prefix('@').and_then(|rest| rest.split_once('/')) {
        Some((scope, bare)) => {
            if scope.is_empty() || bare.is_empty() {
                return Err(NameError::new(
                    name,
                    "a scoped name must look like `@scope/name`",
                ));
            }
            check_part(name, scope)?;
            check_npm_chars(name, scope)?;
            bare
        }
        None => name,
    };
    check_part(name, unscoped)?;
    check_npm_chars(name, unscoped)?;
    if unscoped == name {
        if NPM_EXCLUDED.contains(&name) {
            return Err(NameError::new(
                name,
                format!("npm does not allow the name `{name}`"),
            ));
        }
        if NODE_CORE_MODULES.contains(&name) {
            return Err(NameError::new(
                name,
                format!("`{name}` is a Node.js core module name"),
            ));
        }
    }
    Ok(())
}

/// npm's rule for new packages: `^[a-z0-9][a-z0-9._-]*$` (the first character was checked by
/// `check_part`).
fn check_npm_chars(name: &str, part: &str) -> Result<(), NameError> {
    if let Some(c) = part
        .chars()
        .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '-'))
    {
        let problem = if c.is_ascii_uppercase() {
            "npm package names must be lowercase".to_owned()
        } else {
            format!(
                "npm package names may only hold lowercase letters, digits, `-`, `.` and `_`, \
                 not `{}`",
                c.escape_default()
            )
        };
        return Err(NameError::new(name, problem));
    }
    Ok(())
}

/// Checks a PEP 508 distribution name and returns the module name derived from it.
fn check_flask(name: &str) -> Result<String, NameError> {
    check_part(name, name)?;
    if let Some(c) = name
        .chars()
        .find(|c| !matches!(c, 'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '_' | '-'))
    {
        return Err(NameError::new(
            name,
            format!(
                "Python project names may only hold letters, digits, `-`, `.` and `_`, not `{}`",
                c.escape_default()
            ),
        ));
    }
    if name.ends_with(['.', '_', '-']) {
        return Err(NameError::new(
            name,
            "Python project names must end with a letter or digit",
        ));
    }
    let module = name.replace('-', "_");
    if module.contains('.') {
        return Err(NameError::new(
            name,
            format!("the module name `{module}` would not be a Python identifier (it holds `.`)"),
        ));
    }
    if module.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(NameError::new(
            name,
            format!(
                "the module name `{module}` would not be a Python identifier (it starts with a digit)"
            ),
        ));
    }
    if PYTHON_KEYWORDS.contains(&module.as_str()) {
        return Err(NameError::new(
            name,
            format!("the module name `{module}` is a Python keyword"),
        ));
    }
    let lower = module.to_ascii_lowercase();
    if lower == PYTHON_TESTS {
        return Err(NameError::new(
            name,
            format!("the module name `{module}` would shadow the project's own `tests` package"),
        ));
    }
    if PYTHON_SHADOWED.contains(&lower.as_str()) {
        return Err(NameError::new(
            name,
            format!(
                "the module name `{module}` would shadow the `{lower}` module the project depends on"
            ),
        ));
    }
    if PYTHON_STDLIB.contains(&lower.as_str()) {
        return Err(NameError::new(
            name,
            format!(
                "the module name `{module}` would shadow the standard-library module `{lower}`"
            ),
        ));
    }
    Ok(module)
}

/// The suggestion for an ASCII name: lowercase, each run outside `[a-z0-9]` becomes one `-`,
/// no `-` at either end; offered only if valid for the stack and different from the input.
fn suggest(name: &str, stack: Stack) -> Option<String> {
    if !name.is_ascii() {
        return None;
    }
    // Case alone first, which keeps what else the name has (an npm scope, say).
    let lowercase = name.to_ascii_lowercase();
    if lowercase != name && check(&lowercase, stack).is_ok() {
        return Some(lowercase);
    }
    let mut suggestion = String::with_capacity(name.len());
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            suggestion.push(c);
        } else if !suggestion.ends_with('-') {
            suggestion.push('-');
        }
    }
    let suggestion = suggestion.trim_matches('-').to_owned();
    (suggestion != name && check(&suggestion, stack).is_ok()).then_some(suggestion)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(name: &str, stack: Stack) -> NameError {
        validate(name, stack).expect_err(name)
    }

    #[test]
    fn node_accepts_npm_names_verbatim() {
        for name in [
            "my_app",
            "my.app",
            "a--b",
            "123app",
            "class",
            "@acme/web",
            &"a".repeat(214),
        ] {
            assert_eq!(validate(name, Stack::Node).unwrap().name, name);
        }
    }

    #[test]
    fn flask_accepts_pep508_names_and_derives_the_module() {
        let name = validate("my-app", Stack::Flask).unwrap();
        assert_eq!(name.module.as_deref(), Some("my_app"));
        assert_eq!(
            validate("a--b", Stack::Flask).unwrap().module.as_deref(),
            Some("a__b")
        );
        assert_eq!(validate("MyApp", Stack::Flask).unwrap().name, "MyApp");
        assert!(
            validate("match", Stack::Flask).is_ok(),
            "soft keywords are fine"
        );
    }

    #[test]
    fn suggestions_follow_the_catalogue() {
        let cases = [
            ("My App", Stack::Flask, Some("my-app")),
            ("My App", Stack::Node, Some("my-app")),
            ("MyApp", Stack::Node, Some("myapp")),
            ("Hello, World!", Stack::Node, Some("hello-world")),
            ("  padded  ", Stack::Node, Some("padded")),
            ("my.app", Stack::Flask, Some("my-app")),
            ("http", Stack::Node, None),
            ("Café", Stack::Node, None),
            ("@Acme/Web", Stack::Node, Some("@acme/web")),
        ];
        for (name, stack, expected) in cases {
            assert_eq!(
                refused(name, stack).suggestion.as_deref(),
                expected,
                "{name} {stack}"
            );
        }
    }

    #[test]
    fn each_rule_is_named() {
        let cases = [
            ("", Stack::Node, "empty"),
            ("   ", Stack::Node, "lowercase letters"),
            ("../../x", Stack::Node, "`/` or `\\`"),
            ("a\\b", Stack::Flask, "`/` or `\\`"),
            (".hidden", Stack::Node, "start with `.`"),
            ("_private", Stack::Flask, "start with `_`"),
            ("-rf", Stack::Node, "start with `-`"),
            ("con", Stack::Node, "reserved"),
            ("lpt9.app", Stack::Node, "reserved"),
            ("Com1", Stack::Flask, "reserved"),
            ("NUL", Stack::Flask, "reserved"),
            ("http", Stack::Node, "core module"),
            ("node_modules", Stack::Node, "npm does not allow"),
            ("favicon.ico", Stack::Node, "npm does not allow"),
            (&"a".repeat(215), Stack::Node, "limit is 214"),
            ("class", Stack::Flask, "keyword"),
            ("None", Stack::Flask, "keyword"),
            ("123app", Stack::Flask, "digit"),
            (
                "Flask",
                Stack::Flask,
                "`flask` module the project depends on",
            ),
            (
                "Pytest",
                Stack::Flask,
                "`pytest` module the project depends on",
            ),
            ("email", Stack::Flask, "standard-library module `email`"),
            ("json", Stack::Flask, "standard-library module `json`"),
            ("test", Stack::Flask, "standard-library module `test`"),
            ("tests", Stack::Flask, "the project's own `tests` package"),
            ("Café", Stack::Node, "ASCII"),
            ("my\napp", Stack::Node, "\\u{a}"),
            ("my\u{200b}app", Stack::Flask, "\\u{200b}"),
            ("@Acme/web", Stack::Node, "lowercase"),
            ("@acme/web", Stack::Flask, "`/` or `\\`"),
            ("trailing\n", Stack::Flask, "\\u{a}"),
            ("app-", Stack::Flask, "end with"),
        ];
        for (name, stack, needle) in cases {
            let error = refused(name, stack);
            assert!(
                error.problem.contains(needle),
                "{name:?}: {}",
                error.problem
            );
        }
    }

    #[test]
    fn non_ascii_and_control_names_ask_for_an_ascii_name() {
        for name in ["Café", "my\tapp", "my\u{1b}[31mapp"] {
            let error = refused(name, Stack::Node);
            assert!(error.needs_ascii && error.suggestion.is_none());
            assert!(error.help().unwrap().contains("--name"));
        }
    }

    /// npm's published pattern for new package names, written out without the validator's code.
    fn npm_pattern(part: &str) -> bool {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    }

    /// PEP 508's name pattern, and the module name a Python identifier.
    fn pep508_pattern(name: &str) -> bool {
        let alnum = |c: char| c.is_ascii_alphanumeric();
        name.starts_with(alnum)
            && name.ends_with(alnum)
            && name.chars().all(|c| alnum(c) || "._-".contains(c))
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2000,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn accepted_names_follow_the_patterns_and_suggestions_are_valid(
            name in proptest::prop_oneof!["[ -~]{0,24}", "[a-zA-Z0-9._@/ -]{1,16}"]
        ) {
            for stack in Stack::ALL {
                match validate(&name, stack) {
                    Ok(valid) => {
                        proptest::prop_assert_eq!(&valid.name, &name);
                        match stack {
                            Stack::Node => {
                                let bare = name
                                    .strip_prefix('@')
                                    .and_then(|rest| rest.split_once('/'))
                                    .map_or(name.as_str(), |(scope, bare)| {
                                        assert!(npm_pattern(scope), "{name}");
                                        bare
                                    });
                                proptest::prop_assert!(npm_pattern(bare), "{}", name);
                            }
                            Stack::Flask => {
                                proptest::prop_assert!(pep508_pattern(&name), "{}", name);
                                let module = valid.module.unwrap();
                                proptest::prop_assert!(
                                    !module.starts_with(|c: char| c.is_ascii_digit())
                                        && module.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                                    "{}", module
                                );
                            }
                        }
                    }
                    Err(error) => {
                        if let Some(suggestion) = &error.suggestion {
                            proptest::prop_assert_ne!(suggestion, &name);
                            proptest::prop_assert!(validate(suggestion, stack).is_ok(), "{}", suggestion);
                        }
                    }
                }
            }
        }
    }
}
