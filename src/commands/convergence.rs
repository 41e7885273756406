//! `eprscan convergence`: distinct EPRs per group, now and after the plans.

use super::{report_diagnostics, write_table, Session};
use crate::cli::{ConvergenceArgs, SectorChoice};
use crate::metrics::convergence::{convergence, ConvergenceOptions};
use crate::metrics::today;
use anyhow::Result;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &ConvergenceArgs, session: &Session) -> Result<ExitCode> {
    let by = session.group_by(args.by);
    // With --ods, organisations closed by --as-of are left out (by the returns'
    // submitted dates without it), as coverage leaves them out.
    let dataset = session.load_as_of(&args.inputs.paths, args.as_of);
    if let Err(code) = report_diagnostics(dataset, super::PROVIDERS_AND_SYSTEMS, session) {
        return Ok(code);
    }
    let options = ConvergenceOptions {
        by,
        all_systems: args.all_systems,
        list: args.list,
        population: SectorChoice::population(args.sectors.as_deref()),
        as_of: args.as_of.unwrap_or_else(today),
        live_at_date: args.as_of.is_some(),
    };
    let table = convergence(&dataset.providers, &dataset.systems, &options).table();
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
