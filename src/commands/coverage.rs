//! `eprscan coverage`: NHS trusts with a live EPR against the target, per group.

use super::{report_diagnostics, write_table_with_map, Session};
use crate::cli::{CoverageArgs, TargetArgs};
use crate::metrics::coverage::{
    coverage, in_population, Coverage, CoverageOptions, DEFAULT_DEADLINE, DEFAULT_TARGET,
};
use crate::metrics::GroupBy;
use crate::metrics::Share;
use crate::output::MapArea;
use crate::schema::Sector;
use anyhow::Result;
use chrono::NaiveDate;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &CoverageArgs, session: &Session) -> Result<ExitCode> {
    let options = coverage_options(
        &args.judged,
        args.sectors.clone(),
        session.group_by(args.by),
        session,
    );
    let dataset = session.load_as_of(&args.inputs.paths, options.as_of);
    if let Err(code) = report_diagnostics(dataset, super::PROVIDERS, session) {
        return Ok(code);
    }
    let result = coverage(&dataset.providers, &options);
    let table = result.table();
    let population = dataset
        .providers
        .iter()
        .filter(|p| in_population(p, options.sectors.as_deref()))
        .count();
    if population == 0 && !session.global.quiet {
        // An empty return (a blank template) has nothing to judge: say so rather
        // than let an empty row pass for a result.
        eprintln!(
            "eprscan: note: 0 trusts in the population ({} read): met and shortfall are empty, there is nothing to judge",
            crate::diag::plural(dataset.providers.len(), "provider")
        );
    }
    write_table_with_map(&table, map_areas(&result).as_deref(), session)?;
    Ok(ExitCode::SUCCESS)
}

/// The hex map's figures of a coverage result by ICS, one per row in the rows' order
/// (`None` for any other grouping: no map).
pub fn map_areas(result: &Coverage) -> Option<Vec<MapArea>> {
    (result.by == GroupBy::Ics).then(|| {
        result
            .rows
            .iter()
            .map(|row| MapArea {
                code: key_part(&row.key, 0),
                name: key_part(&row.key, 1),
                trusts: Some(row.trusts),
                live: Some(row.live),
                coverage: row.coverage,
                target: Some(result.target.as_f64()),
                met: row.met,
                shortfall: row.shortfall,
                unplaced: unplaced(&row.key),
            })
            .collect()
    })
}

/// A part of a group key as its table cell has it: blank is missing.
pub fn key_part(key: &[String], index: usize) -> Option<String> {
    key.get(index).filter(|k| !k.is_empty()).cloned()
}

/// Whether an ICS key is no ICS: the trusts of an unknown or unplaced ICS.
pub fn unplaced(key: &[String]) -> bool {
    matches!(key.first(),
        Some(code) if code == crate::metrics::UNKNOWN_GROUP || code == crate::geography::UNPLACED)
}

/// The coverage options from the command line, falling back on the settings file
/// and then the national defaults (all checked when they were read).
pub fn coverage_options(
    judged: &TargetArgs,
    sectors: Option<Vec<Sector>>,
    by: GroupBy,
    session: &Session,
) -> CoverageOptions {
    CoverageOptions {
        as_of: judged.as_of,
        target: judged.target.unwrap_or_else(|| configured_target(session)),
        deadline: judged
            .deadline
            .unwrap_or_else(|| configured_deadline(session)),
        sectors,
        by,
    }
}

/// The target: the settings file's, else the national 90%.
pub fn configured_target(session: &Session) -> Share {
    session.config.target.unwrap_or(DEFAULT_TARGET)
}

/// The deadline: the settings file's, else 31 December 2023.
pub fn configured_deadline(session: &Session) -> NaiveDate {
    session.config.deadline.unwrap_or(DEFAULT_DEADLINE)
}
