//! `eprscan man`: the manual page in roff (clap_mangen), subcommands included.

use super::Session;
use crate::cli::Cli;
use crate::output::emit_bytes;
use anyhow::Result;
use clap::CommandFactory;
use std::process::ExitCode;

/// Run the command.
pub fn run(session: &Session) -> Result<ExitCode> {
    let command = Cli::command();
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    // Each command's own options and examples, as its `--help` gives them.
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = sub.get_name();
        page.extend_from_slice(format!(".SH \"EPRSCAN {}\"\n", name.to_uppercase()).as_bytes());
        let mut sub = sub.clone().bin_name(format!("eprscan {name}"));
        let help = sub.render_long_help().to_string();
        page.extend_from_slice(b".nf\n");
        for line in help.lines() {
            // Lines starting with a dot or quote would be roff requests.
            let line = line.replace('\\', "\\e");
            let line = if line.starts_with(['.', '\'']) {
                format!("\\&{line}")
            } else {
                line
            };
            page.extend_from_slice(line.as_bytes());
            page.push(b'\n');
        }
        page.extend_from_slice(b".fi\n");
    }
    man.render_version_section(&mut page)?;
    man.render_authors_section(&mut page)?;
    emit_bytes(&page, session.global.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
