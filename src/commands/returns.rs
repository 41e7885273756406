//! `eprscan returns`: the submission tracker, and with `--trusts` the trusts no
//! return mentions.

use super::{report_diagnostic_list, write_table, Session};
use crate::cli::ReturnsArgs;
use crate::diag::{Counts, Severity};
use crate::metrics::returns::{tracker, trusts_in_no_return};
use crate::metrics::{today, GroupBy};
use crate::UsageError;
use anyhow::Result;
use std::process::ExitCode;

/// Run the command. The tracker is written even when files have errors (they are
/// what it reports); the exit status is then 1, as `validate`'s.
pub fn run(args: &ReturnsArgs, session: &Session) -> Result<ExitCode> {
    let by = session.group_by(args.by);
    if matches!(by, GroupBy::Sector | GroupBy::Supplier) {
        return Err(UsageError(
            "returns --by: ics, region or national (a return is an ICS's)".into(),
        )
        .into());
    }
    if args.trusts && args.by.is_some() {
        // The list is one row per organisation, under its ICB: nothing to group.
        return Err(UsageError(
            "returns --by groups the tracker; --trusts lists organisations one per row, each under its ICB".into(),
        )
        .into());
    }
    if args.as_of.is_some() && !args.trusts {
        // The tracker is of the returns read, whatever the date.
        return Err(UsageError(
            "returns --as-of applies with --trusts (the date at which an organisation must be open)".into(),
        )
        .into());
    }
    if args.trusts && session.global.ods.is_empty() {
        return Err(UsageError(
            "returns --trusts needs the ODS reference: --ods etr.csv (and --ods ect.csv for care trusts)".into(),
        )
        .into());
    }
    let dataset = session.load_all(&args.inputs.paths);
    // Problems are the tracker's content: list errors, count warnings, but go on.
    let errors: Vec<_> = dataset
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    let others: Vec<_> = dataset
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Error)
        .cloned()
        .collect();
    let _ = report_diagnostic_list(&others, super::ALL_TABLES, session);
    let colour = session.stderr_colour();
    for error in &errors {
        eprintln!("{}", error.render(colour));
    }
    let table = match (&dataset.reference, args.trusts) {
        (Some(reference), true) => {
            let date = args.as_of.unwrap_or_else(today);
            trusts_in_no_return(&dataset.providers, reference, date)
        }
        _ => tracker(&dataset.returns, &dataset.diagnostics, by),
    };
    write_table(&table, session)?;
    let counts = Counts::of(&dataset.diagnostics);
    Ok(if counts.fails(session.global.strict) {
        ExitCode::from(super::EXIT_INPUT_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}
