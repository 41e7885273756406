//! `eprscan trend`: coverage, distinct EPRs and funding gap per group across
//! snapshots of returns, read in parallel.

use super::coverage::coverage_options;
use super::coverage::{key_part, unplaced};
use super::{report_diagnostic_list, write_table_with_map, Session};
use crate::cli::{TargetArgs, TrendArgs, TrendMetric};
use crate::metrics::group::sorted_keys;
use crate::metrics::trend::{
    code_changes, cover_icss, long_table, snapshot_figures, wide_table, SnapshotFigures,
    TrendFigures, TrendOptions,
};
use crate::metrics::GroupBy;
use crate::model::Dataset;
use crate::output::Format;
use crate::output::MapArea;
use crate::UsageError;
use anyhow::Result;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &TrendArgs, session: &Session) -> Result<ExitCode> {
    let by = session.group_by(args.by);
    let format = super::output_options(session)?.format;
    let wide = matches!(format, Format::Table | Format::Markdown);
    if !wide && args.metric != TrendMetric::Coverage {
        // The long table carries every figure: --metric would be ignored.
        return Err(UsageError(format!(
            "--metric picks the figure of the table for people (-f table or markdown); -f {} carries every figure, one column each",
            crate::output::format_name(format)
        ))
        .into());
    }
    let figures = match snapshots_figures(args, session)? {
        Ok(figures) => figures,
        Err(code) => return Ok(code),
    };
    let (table, map) = match format {
        _ if wide => (wide_table(&figures, by, args.metric.index()), None),
        _ => (
            long_table(&figures, by, session.global.total),
            map_areas(&figures, by, session.global.total),
        ),
    };
    // One area per row of the long table, or no map.
    let map = map.filter(|areas| areas.len() == table.rows.len());
    write_table_with_map(&table, map.as_deref(), session)?;
    Ok(ExitCode::SUCCESS)
}

/// The hex map's figures of the long table by ICS, one per row in its order (every
/// snapshot's groups, then with `total` its England row): the map draws each ICS's
/// first, as it is in the table. No target or shortfall (the trend has none).
fn map_areas(snapshots: &[SnapshotFigures], by: GroupBy, total: bool) -> Option<Vec<MapArea>> {
    if by != GroupBy::Ics {
        return None;
    }
    let keys = sorted_keys(snapshots.iter().flat_map(|s| s.groups.keys()));
    let area = |key: &[String], figures: Option<&TrendFigures>| MapArea {
        code: key_part(key, 0),
        name: key_part(key, 1),
        trusts: figures.and_then(|f| f.trusts),
        live: figures.and_then(|f| f.live),
        coverage: figures.and_then(|f| f.coverage),
        target: None,
        met: figures.and_then(|f| f.met),
        shortfall: None,
        unplaced: unplaced(key),
    };
    let mut areas = Vec::new();
    for snapshot in snapshots {
        areas.extend(keys.iter().map(|key| area(key, snapshot.groups.get(key))));
        if let (true, Some(key), Some(figures)) = (total, by.total_key(), &snapshot.total) {
            areas.push(area(&key, Some(figures)));
        }
    }
    Some(areas)
}

/// Every snapshot's figures, in date order (what `trend` prints, and `eprscan sql`'s
/// `trend` view holds): `Err(code)` when the returns' errors stop the run.
pub fn snapshots_figures(
    args: &TrendArgs,
    session: &Session,
) -> Result<std::result::Result<Vec<SnapshotFigures>, ExitCode>> {
    let by = session.group_by(args.by);
    let coverage = coverage_options(
        &TargetArgs {
            as_of: None,
            target: args.target,
            deadline: None,
        },
        None,
        by,
        session,
    );
    let snapshots = snapshot_paths(&args.snapshots)?;
    if let Some(dates) = &args.dates {
        if dates.len() != snapshots.len() {
            return Err(UsageError(format!(
                "--dates gives {} dates for {} snapshots ({}): give one per snapshot, in order",
                dates.len(),
                snapshots.len(),
                names(&snapshots)
            ))
            .into());
        }
    }
    // Dates known before reading (--dates, the name) also decide, with --ods, which
    // organisations were closed by then.
    let known: Vec<Option<(String, NaiveDate)>> = snapshots
        .iter()
        .enumerate()
        .map(|(i, path)| match &args.dates {
            Some(dates) => Some((dates[i].to_string(), dates[i])),
            None => date_from_name(path),
        })
        .collect();
    let to_load: Vec<(Vec<PathBuf>, Option<NaiveDate>)> = snapshots
        .iter()
        .zip(&known)
        .map(|(path, known)| (vec![path.clone()], known.as_ref().map(|k| k.1)))
        .collect();
    let options = TrendOptions { coverage };
    // Each snapshot is summarised as soon as it is read, and its rows dropped: the
    // date (known, else its cover sheets'), its figures, the ICSs its covers name.
    let summaries = session.summarise_snapshots(&to_load, |i, dataset| {
        let (label, date) = known[i].clone().or_else(|| date_from_cover(dataset))?;
        let figures = snapshot_figures(&label, date, dataset, &options);
        Some((label, date, figures, cover_icss(dataset)))
    });
    let diagnostics: Vec<crate::diag::Diagnostic> = summaries
        .iter()
        .flat_map(|(d, _)| d.iter().cloned())
        .collect();
    if let Err(code) = report_diagnostic_list(&diagnostics, super::ALL_TABLES, session) {
        return Ok(Err(code));
    }
    let mut dated = Vec::new();
    for (path, (_, summary)) in snapshots.iter().zip(summaries) {
        let Some((label, date, figures, icss)) = summary else {
            return Err(UsageError(format!(
                "cannot tell the date of snapshot {}: its name has no date (2026-11, 2026-11-15) \
                 and no cover sheet gives a submitted date; give --dates, one per snapshot in order",
                path.display()
            ))
            .into());
        };
        dated.push((label, date, path.as_path(), figures?, icss));
    }
    dated.sort_by_key(|d| d.1);
    for pair in dated.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(UsageError(format!(
                "snapshots {} and {} have the same date {}: give --dates, one per snapshot in order",
                pair[0].2.display(),
                pair[1].2.display(),
                pair[0].0
            ))
            .into());
        }
    }
    if !session.global.quiet {
        let labelled: Vec<(String, Vec<(String, String)>)> =
            dated.iter().map(|d| (d.0.clone(), d.4.clone())).collect();
        for change in code_changes(&labelled) {
            eprintln!("eprscan: note: {change}");
        }
    }
    Ok(Ok(dated.into_iter().map(|d| d.3).collect()))
}

/// The snapshots the arguments name: each argument, or the sub-folders of a single
/// folder argument that has any (in name order).
fn snapshot_paths(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let [single] = args else {
        return Ok(args.to_vec());
    };
    if !single.is_dir() {
        return Ok(args.to_vec());
    }
    let entries =
        std::fs::read_dir(single).map_err(|e| UsageError(format!("{}: {e}", single.display())))?;
    let mut subs: Vec<PathBuf> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        if path.is_dir() {
            subs.push(path);
        } else {
            files.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    if subs.is_empty() {
        return Ok(args.to_vec());
    }
    subs.sort();
    if !files.is_empty() {
        files.sort();
        eprintln!(
            "eprscan: warning: {}: the snapshots are its sub-folders; files directly in it are left out: {}",
            single.display(),
            files.join(", ")
        );
    }
    Ok(subs)
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A snapshot's date from its folder or file name: `2026-11-15` is that day;
/// `2026-11` the month's last day (a month's returns describe it at its end). The
/// label is the date as the name gives it.
pub fn date_from_name(path: &Path) -> Option<(String, NaiveDate)> {
    let name = path.file_stem()?.to_string_lossy().into_owned();
    let bytes = name.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = bytes.get(from..from + n)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    // The last date in the name (`returns-2026-11`, `2026-11-15_v2`).
    let mut found = None;
    for start in 0..bytes.len() {
        // A year not glued to more digits before it.
        if start > 0 && bytes[start - 1].is_ascii_digit() {
            continue;
        }
        let (Some(year), Some(b'-'), Some(month)) =
            (digits(start, 4), bytes.get(start + 4), digits(start + 5, 2))
        else {
            continue;
        };
        if bytes.get(start + 7).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let day = match (bytes.get(start + 7), digits(start + 8, 2)) {
            (Some(b'-'), Some(day)) if !bytes.get(start + 10).is_some_and(u8::is_ascii_digit) => {
                Some(day)
            }
            _ => None,
        };
        let year = year as i32;
        let date = match day {
            Some(day) => NaiveDate::from_ymd_opt(year, month, day)
                .map(|d| (d.format("%Y-%m-%d").to_string(), d)),
            None => last_day(year, month).map(|d| (d.format("%Y-%m").to_string(), d)),
        };
        if date.is_some() {
            found = date;
        }
    }
    found
}

/// The last day of a month.
fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)?;
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// A snapshot's date from its returns: the latest cover-sheet submitted date.
pub fn date_from_cover(dataset: &Dataset) -> Option<(String, NaiveDate)> {
    let date = dataset.returns.iter().filter_map(|r| r.submitted).max()?;
    Some((date.format("%Y-%m-%d").to_string(), date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(name: &str) -> Option<String> {
        date_from_name(Path::new(name)).map(|d| format!("{} {}", d.0, d.1))
    }

    #[test]
    fn dates_from_names() {
        assert_eq!(dated("2026-11").as_deref(), Some("2026-11 2026-11-30"));
        assert_eq!(
            dated("2026-11-15").as_deref(),
            Some("2026-11-15 2026-11-15")
        );
        assert_eq!(
            dated("returns-2026-02").as_deref(),
            Some("2026-02 2026-02-28")
        );
        assert_eq!(
            dated("x/returns-2026-12.xlsx").as_deref(),
            Some("2026-12 2026-12-31")
        );
        assert_eq!(dated("2026-13"), None);
        assert_eq!(dated("12026-11"), None);
        assert_eq!(dated("october"), None);
    }
}
