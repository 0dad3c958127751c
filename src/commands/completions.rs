//! `stackgen completions SHELL`: the completion script `clap_complete` derives from the CLI.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::Error;
use crate::output::write_stdout_raw;

/// Prints the completion script for `shell` on stdout.
pub fn print(shell: Shell) -> Result<(), Error> {
    write_stdout_raw(&script(shell))
}

fn script(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "stackgen", &mut script);
    script
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    #[test]
    fn every_shell_completes_every_command() {
        for &shell in Shell::value_variants() {
            let script = String::from_utf8(script(shell)).unwrap();
            for command in Cli::command().get_subcommands() {
                assert!(
                    script.contains(command.get_name()),
                    "{shell}: no `{}`",
                    command.get_name()
                );
            }
        }
    }
}
