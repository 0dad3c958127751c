//! The scaffold's tests and their support: golden hashes of frozen revisions, the
//! maintained-runtime rules of the templates, and property tests of rendering.

mod golden;
mod maintained;
mod properties;

use super::*;
use crate::extras::{Ci, Extras, License};
use crate::name;
use crate::text::Author;

pub(crate) fn project(stack: Stack, description: &str) -> Project {
    Project {
        name: name::validate("demo-app", stack).unwrap(),
        stack,
        lang: crate::stack::Lang::Js,
        description: description.to_owned(),
        author: Some(Author::parse("Jane \"JJ\" O'Neil <jj@example.com>", true).unwrap()),
        port: stack.default_port(),
        git: true,
        answers: crate::recommend::Answers::default(),
        extras: Extras {
            license: License::None,
            ci: Ci::None,
            docker: false,
            agents: true,
            update_bot: true,
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
    let helpers = ["json ", "py ", "text ", "ident ", "#if ", "/if", "else"];
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
            agents: true,
            update_bot: true,
            year: 2030,
        };
        let planned = plan(&full).unwrap();
        let paths: Vec<&str> = planned.iter().map(|file| file.path.as_str()).collect();
        for extra in [
            "LICENSE",
            ".github/workflows/ci.yml",
            "Dockerfile",
            ".dockerignore",
        ] {
            assert!(paths.contains(&extra), "{stack}: {extra}");
        }
        // Of the optional files, one LICENSE of two, and none of the TypeScript ones.
        let optional = optional_files(stack)
            .filter(|(_, options, _)| !options.contains(&"--lang ts"))
            .count();
        assert_eq!(paths.len(), file_list(stack).count() + optional - 1);
    }
}

#[test]
fn plans_hold_the_listed_files_in_order() {
    for stack in Stack::ALL {
        let planned = plan(&project(stack, "x")).unwrap();
        let paths: Vec<String> = planned.into_iter().map(|file| file.path).collect();
        let listed: Vec<String> = file_list(stack)
            .map(|(path, _)| path.replace("<module>", "demo_app"))
            .collect();
        assert_eq!(paths, listed);
    }
}

/// For every combination of answers at every revision: each path is written once, `{module}`
/// is expanded (and only Flask uses it), and every file of a revision 3 project is one the
/// options name in `stackgen list`.
#[test]
fn every_combination_writes_each_path_once_with_the_module_expanded() {
    use crate::stack::Lang;
    for stack in Stack::ALL {
        for revision in revisions::all(stack) {
            for bits in 0..128u32 {
                let mut project = project(stack, "x");
                project.lang = if bits & 1 == 0 { Lang::Js } else { Lang::Ts };
                project.extras = Extras {
                    license: [License::None, License::Mit, License::Apache2]
                        [(bits >> 1) as usize % 3],
                    ci: if bits & 8 == 0 { Ci::None } else { Ci::Github },
                    docker: bits & 16 != 0,
                    agents: bits & 32 != 0,
                    update_bot: bits & 64 != 0,
                    year: 2026,
                };
                if stack == Stack::Flask && project.lang == Lang::Ts {
                    continue;
                }
                let planned = render_revision(&project, revision).unwrap();
                let mut paths: Vec<&str> = planned.iter().map(|file| file.path.as_str()).collect();
                assert!(
                    paths.iter().all(|path| !path.contains('{')),
                    "{stack} {}: {paths:?}",
                    revision.number
                );
                let count = paths.len();
                paths.sort_unstable();
                paths.dedup();
                assert_eq!(
                    paths.len(),
                    count,
                    "{stack} {} bits {bits}",
                    revision.number
                );
                assert_eq!(
                    paths.contains(&"AGENTS.md"),
                    project.extras.agents && revision.number >= 3,
                    "{stack} {}",
                    revision.number
                );
            }
            for spec in &revision.files {
                assert_eq!(
                    spec.path.contains(revisions::MODULE),
                    stack == Stack::Flask && spec.path.starts_with("src/"),
                    "{stack} {}: {}",
                    revision.number,
                    spec.path
                );
            }
        }
    }
    let package: Vec<String> = plan(&project(Stack::Flask, "x"))
        .unwrap()
        .into_iter()
        .map(|file| file.path)
        .filter(|path| path.starts_with("src/"))
        .collect();
    assert_eq!(
        package,
        ["src/demo_app/__init__.py", "src/demo_app/__main__.py"]
    );
}

/// `replaces` names a file an earlier revision of the same stack wrote.
#[test]
fn a_replaced_file_is_one_an_earlier_revision_wrote() {
    for stack in Stack::ALL {
        for revision in revisions::all(stack) {
            for spec in &revision.files {
                let Some(replaced) = &spec.replaces else {
                    continue;
                };
                assert!(
                    revisions::all(stack)
                        .iter()
                        .filter(|earlier| earlier.number < revision.number)
                        .any(|earlier| earlier.files.iter().any(|old| &old.path == replaced)),
                    "{stack} {}: `{replaced}`",
                    revision.number
                );
                assert!(
                    !revision.files.iter().any(|new| &new.path == replaced),
                    "{stack} {}: `{replaced}` is still written",
                    revision.number
                );
            }
        }
    }
}
