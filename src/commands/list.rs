//! `stackgen list`: the embedded stacks, their defaults and their files.

use serde_json::json;

use crate::cli::ListArgs;
use crate::error::Error;
use crate::output::{write_json, write_stdout};
use crate::scaffold;
use crate::stack::Stack;

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
                    "files": scaffold::file_list(stack).collect::<Vec<_>>(),
                    "optional_files": scaffold::optional_files(stack)
                        .map(|(path, option)| json!({ "path": path, "with": option }))
                        .collect::<Vec<_>>(),
                    "defaults": {
                        "port": stack.default_port(),
                        "host": "127.0.0.1",
                        "license": "none",
                        "ci": "none",
                        "docker": false,
                        "git": true,
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
        for file in scaffold::file_list(stack) {
            text.push_str(&format!("  {file}\n"));
        }
        for (file, option) in scaffold::optional_files(stack) {
            text.push_str(&format!("  {file:<26} with {option}\n"));
        }
    }
    write_stdout(text.trim_end())
}
