//! `eprscan coverage`: NHS trusts with a live EPR against the target, per group.

use super::{load, report_diagnostics, write_table};
use crate::cli::{CoverageArgs, GlobalArgs};
use crate::metrics::coverage::{coverage, CoverageOptions};
use anyhow::Result;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &CoverageArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let dataset = load(&args.inputs.paths, global);
    if let Err(code) = report_diagnostics(&dataset, global) {
        return Ok(code);
    }
    let options = CoverageOptions {
        as_of: args.as_of,
        target: args.target,
        deadline: args.deadline,
        sectors: args.sectors.clone(),
        by: args.by,
    };
    let table = coverage(&dataset.providers, &options)?;
    write_table(&table, global)?;
    Ok(ExitCode::SUCCESS)
}
