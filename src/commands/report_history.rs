//! `eprscan report --history`: the Trend and Trajectory sheets appended to the pack.
//! The figures are `eprscan trend`'s and `eprscan trajectory`'s (the same functions).

use super::trend::{date_from_cover, date_from_name};
use super::{report_diagnostic_list, Session};
use crate::cli::TrendMetric;
use crate::metrics::coverage::CoverageOptions;
use crate::metrics::trajectory::{monthly, trajectory};
use crate::metrics::trend::{
    snapshot_figures, wide_table, SnapshotFigures, TrendFigures, TrendOptions,
};
use crate::metrics::{titles, today, GroupBy, NATIONAL};
use crate::model::Dataset;
use crate::output::{Chart, Series, Sheet, Table, Value};
use crate::UsageError;
use anyhow::Result;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

/// The sheet names, after the report's own.
pub const SHEETS: [&str; 2] = ["Trend", "Trajectory"];

/// The Trend and Trajectory sheets for the current snapshot (`current`, read from
/// `paths`) and the earlier ones (`history`). `Err(code)` when the history's inputs
/// have errors (already reported).
pub fn sheets(
    paths: &[PathBuf],
    current: &'static Dataset,
    history: &[PathBuf],
    options: &CoverageOptions,
    session: &Session,
) -> Result<Result<Vec<Sheet>, ExitCode>> {
    let to_load: Vec<(Vec<PathBuf>, Option<NaiveDate>)> = history
        .iter()
        .map(|p| (vec![p.clone()], date_from_name(p).map(|d| d.1)))
        .collect();
    let datasets = session.load_snapshots(&to_load);
    let diagnostics: Vec<_> = datasets
        .iter()
        .flat_map(|d| d.diagnostics.iter().cloned())
        .collect();
    if let Err(code) = report_diagnostic_list(&diagnostics, super::ALL_TABLES, session) {
        return Ok(Err(code));
    }
    let named = |paths: &[PathBuf]| match paths {
        [single] => date_from_name(single),
        _ => None,
    };
    let mut snapshots: Vec<(String, NaiveDate, &Dataset)> = Vec::new();
    for (path, dataset) in history.iter().zip(&datasets) {
        let Some((label, date)) =
            named(std::slice::from_ref(path)).or_else(|| date_from_cover(dataset))
        else {
            return Err(UsageError(format!(
                "cannot tell the date of --history snapshot {}: its name has no date \
                 (2026-11, 2026-11-15) and no cover sheet gives a submitted date",
                path.display()
            ))
            .into());
        };
        snapshots.push((label, date, *dataset));
    }
    let (label, as_of) = match options.as_of {
        Some(d) => (d.to_string(), d),
        None => named(paths)
            .or_else(|| date_from_cover(current))
            .unwrap_or_else(|| (today().to_string(), today())),
    };
    snapshots.push((label, as_of, current));
    snapshots.sort_by_key(|s| s.1);
    let figures = |by: GroupBy| {
        let trend = TrendOptions {
            coverage: CoverageOptions {
                by,
                as_of: None,
                ..options.clone()
            },
        };
        snapshots
            .iter()
            .map(|(label, date, dataset)| snapshot_figures(label, *date, dataset, &trend))
            .collect::<Result<Vec<_>>>()
    };
    let by_region = figures(GroupBy::Region)?;
    let by_ics = figures(GroupBy::Ics)?;
    let (over_time, regions) = coverage_over_time(&by_region, options);
    let mut lines = vec![series(NATIONAL, "england")];
    lines.extend(regions.iter().map(|(name, column)| series(name, column)));
    lines.push(series(&format!("Target ({})", options.target), "target"));
    let trend = Sheet {
        name: SHEETS[0].to_string(),
        tables: vec![
            over_time,
            wide_table(&by_ics, GroupBy::Ics, TrendMetric::Coverage.index()),
        ],
        charts: vec![Chart {
            title: format!(
                "Coverage of {} over time, England and regions, against the {} target, {}",
                titles::NHS_TRUSTS,
                options.target,
                titles::live_basis(None)
            ),
            table: 0,
            categories: "snapshot".into(),
            bars: Vec::new(),
            lines,
            value_axis: "Trusts with an EPR live".into(),
            percent: true,
        }],
    };
    let national = CoverageOptions {
        by: GroupBy::National,
        ..options.clone()
    };
    let trajectory = Sheet {
        name: SHEETS[1].to_string(),
        tables: vec![
            monthly(&current.providers, &national, as_of, false),
            trajectory(&current.providers, options, as_of),
        ],
        charts: vec![Chart {
            title: format!(
                "Projected coverage of {} to the {} deadline from forecast go-live dates, as of {}",
                titles::NHS_TRUSTS,
                titles::date(options.deadline),
                titles::date(as_of)
            ),
            table: 0,
            categories: "month".into(),
            bars: Vec::new(),
            lines: vec![
                series("Projected coverage", "projected_coverage"),
                series(&format!("Target ({})", options.target), "target"),
            ],
            value_axis: "Trusts with an EPR live".into(),
            percent: true,
        }],
    };
    Ok(Ok(vec![trend, trajectory]))
}

/// Coverage per snapshot (rows) for England and each region (columns), with the
/// target: the Trend chart's table. Also the regions' names and columns.
fn coverage_over_time(
    snapshots: &[SnapshotFigures],
    options: &CoverageOptions,
) -> (Table, Vec<(String, String)>) {
    let mut regions: Vec<&Vec<String>> = snapshots.iter().flat_map(|s| s.groups.keys()).collect();
    regions.sort();
    regions.dedup();
    let named: Vec<(String, String)> = regions
        .iter()
        .map(|key| {
            let name = key.join(" ");
            let column = name
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            (name, column)
        })
        .collect();
    let mut columns = vec![
        "snapshot".to_string(),
        "date".to_string(),
        "england".to_string(),
    ];
    columns.extend(named.iter().map(|n| n.1.clone()));
    columns.push("target".to_string());
    let rows = snapshots
        .iter()
        .map(|s| {
            let mut row = vec![Value::Text(s.label.clone()), Value::Date(s.date)];
            let coverage = |figures: Option<&TrendFigures>| {
                figures
                    .and_then(|f| f.coverage)
                    .map_or(Value::Null, Value::Ratio)
            };
            row.push(coverage(s.total.as_ref()));
            row.extend(regions.iter().map(|key| coverage(s.groups.get(*key))));
            row.push(Value::Ratio(options.target.as_f64()));
            row
        })
        .collect();
    (
        Table {
            title: Some(format!(
                "Coverage of {} per snapshot, England and regions, {} (– = no return from the region)",
                titles::NHS_TRUSTS,
                titles::live_basis(None)
            )),
            columns,
            rows,
            total: None,
        },
        named,
    )
}

fn series(name: &str, column: &str) -> Series {
    Series {
        name: name.to_string(),
        column: column.to_string(),
    }
}
