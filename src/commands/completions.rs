//! `eprscan completions SHELL`: a shell completion script (clap_complete).

use super::Session;
use crate::cli::{command, CompletionsArgs};
use crate::output::emit_bytes;
use anyhow::Result;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &CompletionsArgs, session: &Session) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command(), "eprscan", &mut script);
    emit_bytes(&script, session.global.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
