//! `eprscan maturity`: NHS trusts by EMRAM stage and EPR group, per group.

use super::{report_diagnostics, write_table, Session};
use crate::cli::MaturityArgs;
use crate::diag::{Diagnostic, Location, Severity};
use crate::metrics::maturity::{maturity, without_maturity_columns};
use anyhow::Result;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &MaturityArgs, session: &Session) -> Result<ExitCode> {
    let by = session.group_by(args.by);
    let dataset = session.load(&args.inputs.paths);
    if let Err(code) = report_diagnostics(dataset, super::PROVIDERS, session) {
        return Ok(code);
    }
    if !session.global.quiet {
        for ret in without_maturity_columns(&dataset.returns) {
            let place = ret.providers_sheet.as_ref();
            let location = Location {
                file: ret.source.clone(),
                sheet: place
                    .map(|(sheet, _)| sheet.clone())
                    .filter(|_| ret.format != "csv"),
                cell: place.map(|(_, row)| format!("A{row}")),
            };
            let note = Diagnostic::at(
                Severity::Note,
                &location,
                "the providers table has no EMRAM stage or EPR group column: its trusts' maturity is unknown because the columns are absent (map one with --map emram_stage=HEADER or --map epr_group=HEADER)",
            );
            eprintln!("{}", note.render(session.stderr_colour()));
        }
    }
    let table = maturity(&dataset.providers, &dataset.returns, by).table();
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
