//! `eprscan man`: the manual page in roff (clap_mangen). On stdout (or `-o FILE`) one
//! page with every subcommand's section in it; with `--dir DIR`, `eprscan.1` and one
//! page per subcommand (`eprscan-coverage.1`, ...), as `man eprscan-coverage` expects.

use super::Session;
use crate::cli::ManArgs;
use crate::output::emit_bytes;
use crate::UsageError;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &ManArgs, session: &Session) -> Result<ExitCode> {
    // The `help` subcommand is clap's, with no page of its own to refer to.
    let mut command = crate::cli::command().disable_help_subcommand(true);
    command.build();
    match &args.dir {
        Some(dir) => {
            if session.global.output.is_some() {
                bail!(UsageError(
                    "man --dir writes one file per page into DIR; -o does not apply".into()
                ));
            }
            let written = write_pages(&command, dir)?;
            if !session.global.quiet {
                eprintln!(
                    "eprscan: wrote {} pages to {}: {}",
                    written.len(),
                    dir.display(),
                    written.join(", ")
                );
            }
        }
        None => emit_bytes(&single_page(&command)?, session.global.output.as_deref())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The subcommands that get a page (clap's hidden ones do not).
fn subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command.get_subcommands().filter(|s| !s.is_hide_set())
}

/// One page: the main page with each command's own options and examples, as its
/// `--help` gives them, in a section of its own. Its command list names those
/// sections, not pages that this output does not write.
fn single_page(command: &clap::Command) -> Result<Vec<u8>> {
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH SUBCOMMANDS\n");
    for sub in subcommands(command) {
        let name = sub.get_name();
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        page.extend_from_slice(
            format!(
                ".TP\n\\fBeprscan {name}\\fR\n{}\nSee the section EPRSCAN {} below.\n",
                roff_text(&about),
                name.to_uppercase()
            )
            .as_bytes(),
        );
    }
    for sub in subcommands(command) {
        let name = sub.get_name();
        page.extend_from_slice(format!(".SH \"EPRSCAN {}\"\n", name.to_uppercase()).as_bytes());
        let mut sub = sub.clone().bin_name(format!("eprscan {name}"));
        let help = sub.render_long_help().to_string();
        page.extend_from_slice(b".nf\n");
        for line in help.lines() {
            page.extend_from_slice(roff_text(line).as_bytes());
            page.push(b'\n');
        }
        page.extend_from_slice(b".fi\n");
    }
    man.render_version_section(&mut page)?;
    man.render_authors_section(&mut page)?;
    Ok(page)
}

/// Text as a roff line: backslashes escaped, and a leading dot or quote (which would
/// make it a request) neutralised.
fn roff_text(line: &str) -> String {
    let line = line.replace('\\', "\\e");
    if line.starts_with(['.', '\'']) {
        format!("\\&{line}")
    } else {
        line
    }
}

/// Write `eprscan.1` and one page per subcommand to `dir` (created if missing): the
/// main page lists `eprscan-NAME(1)` for each, and each page's SEE ALSO names
/// `eprscan(1)`. Returns the file names written, main page first.
fn write_pages(command: &clap::Command, dir: &Path) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut written = Vec::new();
    let main = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    main.render(&mut page)?;
    let pages: Vec<String> = subcommands(command)
        .map(|sub| format!("\\fBeprscan\\-{}\\fR(1)", sub.get_name()))
        .collect();
    page.extend_from_slice(format!(".SH \"SEE ALSO\"\n{}\n", pages.join(",\n")).as_bytes());
    written.push(write_page(dir, &main.get_filename(), &page)?);
    for sub in subcommands(command) {
        // The page's footer names the program and its version, not the subcommand.
        let man = clap_mangen::Man::new(sub.clone())
            .source(format!("eprscan {}", env!("CARGO_PKG_VERSION")));
        let mut page = Vec::new();
        man.render(&mut page)?;
        page.extend_from_slice(b".SH \"SEE ALSO\"\n\\fBeprscan\\fR(1)\n");
        written.push(write_page(dir, &man.get_filename(), &page)?);
    }
    Ok(written)
}

/// Write one page; returns its file name.
fn write_page(dir: &Path, name: &str, page: &[u8]) -> Result<String> {
    let path = dir.join(name);
    std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
    Ok(name.to_string())
}
