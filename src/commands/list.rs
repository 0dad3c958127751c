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
                        .map(|(path, options)| json!({ "path": path, "with": options.join(" ") }))
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
        for (file, opt_outs) in scaffold::file_list(stack) {
            if opt_outs.is_empty() {
                text.push_str(&format!("  {file}\n"));
            } else {
                text.push_str(&format!("  {file:<26} not with {}\n", opt_outs.join(" ")));
            }
        }
        for (file, options) in scaffold::optional_files(stack) {
            text.push_str(&format!("  {file:<26} with {}\n", options.join(" ")));
        }
    }
    write_stdout(text.trim_end())
}
