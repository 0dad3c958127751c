//! `stackgen man [COMMAND]`: roff manual pages rendered by `clap_mangen` from the CLI itself, so
//! they never drift from `--help`.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::Error;
use crate::output::write_stdout_raw;

/// Prints the page of stackgen (`command` is `None`) or of one of its commands, on stdout.
pub fn print(command: Option<&str>) -> Result<(), Error> {
    write_stdout_raw(&render(command)?)
}

fn render(command: Option<&str>) -> Result<Vec<u8>, Error> {
    // There is no page for `help`; without this the list of commands would point to one.
    let mut cli = Cli::command().disable_help_subcommand(true);
    // Building names each command `stackgen-new` and so on, as its page is titled.
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => cli
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| unknown_command(&cli, name))?,
    };
    let mut roff = Vec::new();
    // clap_mangen puts a command's own version in the footer, and commands have none.
    clap_mangen::Man::new(page)
        .source(format!("stackgen {}", env!("STACKGEN_VERSION")))
        .render(&mut roff)
        .map_err(|error| Error::Internal(format!("cannot render the manual page: {error}")))?;
    Ok(roff)
}

fn unknown_command(cli: &clap::Command, name: &str) -> Error {
    let names: Vec<String> = cli
        .get_subcommands()
        .map(|command| format!("`{}`", command.get_name()))
        .collect();
    Error::InvalidValue {
        what: "command",
        value: name.to_owned(),
        problem: "stackgen has no such command".to_owned(),
        help: Some(format!(
            "pass one of {}, or nothing for the page of stackgen itself",
            names.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(command: Option<&str>) -> String {
        String::from_utf8(render(command).unwrap()).unwrap()
    }

    #[test]
    fn the_main_page_lists_every_command_and_no_help_page() {
        let page = page(None);
        assert!(page.contains("\n.TH stackgen 1 "), "{page}");
        for command in Cli::command().get_subcommands() {
            assert!(
                page.contains(&format!("stackgen\\-{}(1)", command.get_name())),
                "{}",
                command.get_name()
            );
        }
        assert!(!page.contains("stackgen\\-help"), "{page}");
    }

    #[test]
    fn each_command_has_its_own_page_with_its_options() {
        let new = page(Some("new"));
        assert!(new.contains("\n.TH stackgen-new 1 "), "{new}");
        assert!(new.contains(env!("STACKGEN_VERSION")), "{new}");
        assert!(new.contains("\\-\\-require\\-toolchain"), "{new}");
        let completions = page(Some("completions"));
        assert!(completions.contains("powershell"), "{completions}");
    }

    #[test]
    fn an_unknown_command_is_refused_naming_the_choices() {
        let error = render(Some("nwe")).unwrap_err();
        assert_eq!(error.exit_code(), crate::error::exit_code::USAGE);
        assert!(error.help().unwrap().contains("`new`"));
    }
}
