//! `eprscan funding`: cost, funding secured and the gap, per group.

use super::{report_diagnostics, write_table, Session};
use crate::cli::FundingArgs;
use crate::metrics::funding::{funding, FundingOptions};
use anyhow::Result;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &FundingArgs, session: &Session) -> Result<ExitCode> {
    let options = FundingOptions {
        by: session.group_by(args.by)?,
        match_rate: args.match_rate,
    };
    let dataset = session.load(&args.inputs.paths);
    if let Err(code) = report_diagnostics(dataset, session) {
        return Ok(code);
    }
    let table = funding(&dataset.providers, &dataset.funding, &options);
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
