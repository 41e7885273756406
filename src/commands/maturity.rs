//! `eprscan maturity`: NHS trusts by EMRAM stage and EPR group, per group.

use super::{report_diagnostics, write_table, Session};
use crate::cli::MaturityArgs;
use crate::metrics::maturity::maturity;
use anyhow::Result;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &MaturityArgs, session: &Session) -> Result<ExitCode> {
    let by = session.group_by(args.by)?;
    let dataset = session.load(&args.inputs.paths);
    if let Err(code) = report_diagnostics(dataset, session) {
        return Ok(code);
    }
    let table = maturity(&dataset.providers, by);
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
