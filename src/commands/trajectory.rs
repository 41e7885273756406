//! `eprscan trajectory`: projected coverage to the deadline from the forecast go-live
//! dates of trusts not yet live.

use super::coverage::coverage_options;
use super::trend::{date_from_cover, date_from_name};
use super::{report_diagnostics, write_table, Session};
use crate::cli::TrajectoryArgs;
use crate::metrics::trajectory::{at_risk, monthly, trajectory};
use crate::UsageError;
use anyhow::Result;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &TrajectoryArgs, session: &Session) -> Result<ExitCode> {
    let options = coverage_options(&args.judged, None, session.group_by(args.by), session);
    let paths = &args.inputs.paths;
    // The snapshot's date: --as-of, else its name's, else its cover sheets'.
    let named = match (options.as_of, paths.as_slice()) {
        (Some(date), _) => Some(date),
        (None, [single]) => date_from_name(single).map(|d| d.1),
        _ => None,
    };
    let dataset = session.load_as_of(paths, named);
    if let Err(code) = report_diagnostics(dataset, super::PROVIDERS, session) {
        return Ok(code);
    }
    let Some(as_of) = named.or_else(|| date_from_cover(dataset).map(|d| d.1)) else {
        return Err(UsageError(
            "cannot tell the date of the snapshot: its name has no date (2026-11, 2026-11-15) \
             and no cover sheet gives a submitted date; give --as-of"
                .to_string(),
        )
        .into());
    };
    let table = if args.list {
        at_risk(&dataset.providers, &options, as_of)
    } else if args.monthly {
        monthly(&dataset.providers, &options, as_of, session.global.total)
    } else {
        trajectory(&dataset.providers, &options, as_of)
    };
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
