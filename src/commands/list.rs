//! `stackgen list`: the embedded stacks, their defaults and their files.

use serde_json::json;

use crate::cli::ListArgs;
use crate::error::Error;
use crate::output::{write_json, write_stdout};
use crate::scaffold;
use crate::stack::{Lang, Stack};

/// `stackgen list`: the embedded stacks, their defaults and their files.
pub fn run(args: &ListArgs) -> Result<(), Error> {
    if args.json {
        let stacks: Vec<_> = Stack::ALL
            .iter()
            .map(|&stack| {
                json!({
                    "id": stack.id(),
                    "name": stack.display_name(),
                    "default_port": stack.default_port(),
                    "default_host": "127.0.0.1",
                    "files": scaffold::file_list(stack)
                        .map(|(path, _)| path)
                        .collect::<Vec<_>>(),
                    "left_out_by": scaffold::file_list(stack)
                        .filter(|(_, opt_outs)| !opt_outs.is_empty())
                        .map(|(path, opt_outs)| json!({ "path": path, "with": opt_outs.join(" ") }))
                        .collect::<Vec<_>>(),
                    "optional_files": scaffold::optional_files(stack)
                        .map(|(path, options, opt_outs)| {
                            let mut file = json!({ "path": path, "with": options.join(" ") });
                            if !opt_outs.is_empty() {
                                file["not_with"] = opt_outs.join(" ").into();
                            }
                            file
                        })
                        .collect::<Vec<_>>(),
                    "defaults": {
                        "port": stack.default_port(),
                        "host": "127.0.0.1",
                        "license": "none",
                        "ci": "none",
                        "docker": false,
                        "git": true,
                        "agents": true,
                        // Node.js only.
                        "lang": (stack == Stack::Node).then_some(Lang::Js),
                        "update_bot": true,
                    },
                })
            })
            .collect();
        return write_json(&json!({ "stacks": stacks }));
    }
    let mut text = String::new();
    for stack in Stack::ALL {
        text.push_str(&format!(
            "{} ({}, default port {})\n",
            stack.id(),
            stack.display_name(),
            stack.default_port()
        ));
        let files: Vec<(String, Vec<&str>, Vec<&str>)> = scaffold::file_list(stack)
            .map(|(path, opt_outs)| (path, Vec::new(), opt_outs))
            .chain(scaffold::optional_files(stack))
            .collect();
        let width = files
            .iter()
            .map(|(path, _, _)| path.len())
            .max()
            .unwrap_or(0);
        for (file, options, opt_outs) in files {
            let mut conditions = Vec::new();
            if !options.is_empty() {
                conditions.push(format!("with {}", options.join(" ")));
            }
            if !opt_outs.is_empty() {
                conditions.push(format!("not with {}", opt_outs.join(" ")));
            }
            let line = format!("  {file:<width$}  {}", conditions.join(", "));
            text.push_str(line.trim_end());
            text.push('\n');
        }
    }
    write_stdout(text.trim_end())
}
