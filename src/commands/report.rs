//! `eprscan report`: the monthly pack. One workbook (or markdown document) with the
//! national headline, every metric per ICS and every problem found. Each sheet is a
//! metric's own table; the headline is read from those tables, never recomputed.

use super::coverage::{coverage_options, map_areas};
use super::validate::diagnostics_table;
use super::{output_options, report_diagnostics, write_document, Session};
use crate::cli::ReportArgs;
use crate::diag::Counts;
use crate::geography::UNPLACED;
use crate::metrics::convergence::{convergence, Convergence, ConvergenceOptions};
use crate::metrics::coverage::{coverage, Coverage, CoverageOptions, CoverageRow};
use crate::metrics::funding::{funding, sent_no_funding, Funding, FundingOptions, FundingRow};
use crate::metrics::maturity::maturity;
use crate::metrics::returns::{
    tracker_rows, tracker_table, trusts_in_no_return, State, TrackerRow,
};
use crate::metrics::titles::{self, ALL_PROVIDERS, AS_RETURNED, FUNDING_LINES, NHS_TRUSTS};
use crate::metrics::today;
use crate::metrics::{GroupBy, UNKNOWN_GROUP};
use crate::model::Dataset;
use crate::money::Money;
use crate::output::{
    format_name, Chart, Document, Headline, PageFigures, Series, Sheet, Table, TablePlace, Value,
};
use crate::UsageError;
use anyhow::{bail, Result};
use std::process::ExitCode;

/// The report's sheets, in order.
pub const SHEETS: [&str; 7] = [
    "Summary",
    "Coverage",
    "Convergence",
    "Funding",
    "Maturity",
    "Data quality",
    "Returns",
];

/// The sheet added with `--ods`: trusts in no return, codes the reference does not know.
pub const TRUSTS_SHEET: &str = "Trusts in no return";

/// Run the command.
pub fn run(args: &ReportArgs, session: &Session) -> Result<ExitCode> {
    let format = output_options(session)?.format;
    if !format.holds_many_tables() {
        bail!(UsageError(format!(
            "a report has several tables and -f {} holds one: use -o FILE.xlsx, -o FILE.html, -o FILE.md or -f markdown",
            format_name(format)
        )));
    }
    let coverage_options = coverage_options(&args.judged, None, GroupBy::Ics, session);
    let dataset = session.load_as_of(&args.inputs.paths, coverage_options.as_of);
    if let Err(code) = report_diagnostics(dataset, super::ALL_TABLES, session) {
        return Ok(code);
    }
    let mut coverage_by_ics = coverage(&dataset.providers, &coverage_options);
    // The pack shows ICSs by coverage, highest first (ties by code), so that its chart
    // reads as a ranking; the headline reads totals, not positions.
    sort_by_coverage(&mut coverage_by_ics);
    let convergence_as_of = args.judged.as_of.unwrap_or_else(today);
    let convergence_by_ics = convergence(
        &dataset.providers,
        &dataset.systems,
        &ConvergenceOptions {
            by: GroupBy::Ics,
            all_systems: args.all_systems,
            list: true,
            population: None,
            as_of: convergence_as_of,
            live_at_date: args.judged.as_of.is_some(),
        },
    );
    let funding_by_ics = funding(
        &dataset.providers,
        &dataset.funding,
        &sent_no_funding(&dataset.returns, &dataset.providers, &dataset.funding),
        &FundingOptions {
            by: GroupBy::Ics,
            match_rate: args.match_rate,
        },
    );
    // Supplier shares: the coverage table by canonical supplier of the primary EPR
    // (trusts and live trusts per supplier), not a second count.
    let mut supplier_table = coverage(
        &dataset.providers,
        &CoverageOptions {
            by: GroupBy::Supplier,
            ..coverage_options.clone()
        },
    )
    .table();
    let live_basis = titles::live_basis(coverage_options.as_of);
    supplier_table.title = Some(format!(
        "{NHS_TRUSTS} by canonical supplier of their primary EPR (supplier shares), {live_basis}"
    ));
    let maturity_table = maturity(&dataset.providers, &dataset.returns, GroupBy::Ics).table();
    let tracker_rows = tracker_rows(&dataset.returns, &dataset.diagnostics);
    let tracker_table = tracker_table(&tracker_rows, GroupBy::Ics);
    let (headline, tiles) = headline(
        &coverage_by_ics,
        &convergence_by_ics,
        &funding_by_ics,
        &tracker_rows,
        dataset,
        &coverage_options,
    );
    let map = map_areas(&coverage_by_ics);
    let coverage_table = coverage_by_ics.table();
    let convergence_table = convergence_by_ics.table();
    let funding_table = funding_by_ics.table();
    let target = coverage_options.target;
    let mut sheets = vec![
        sheet(SHEETS[0], vec![headline, files_read(dataset)], Vec::new()),
        sheet(
            SHEETS[1],
            vec![coverage_table],
            vec![Chart {
                title: format!(
                    "Coverage of {NHS_TRUSTS} by ICS against the {target} target, {live_basis}, highest first"
                ),
                table: 0,
                categories: "ics_name".into(),
                bars: vec![series("Coverage", "coverage")],
                lines: vec![series(&format!("Target ({target})"), "target")],
                value_axis: "Trusts with an EPR live".into(),
                percent: true,
            }],
        ),
        sheet(
            SHEETS[2],
            vec![convergence_table, supplier_table],
            vec![
                Chart {
                    title: format!(
                        "Distinct EPRs of {ALL_PROVIDERS} by ICS, {} and planned",
                        titles::in_use_basis(convergence_as_of, args.judged.as_of.is_some())
                    ),
                    table: 0,
                    categories: "ics_name".into(),
                    bars: vec![
                        series("Now", "distinct_eprs"),
                        series("Planned", "distinct_eprs_planned"),
                    ],
                    lines: Vec::new(),
                    value_axis: "Distinct EPRs".into(),
                    percent: false,
                },
                Chart {
                    title: format!(
                        "{NHS_TRUSTS} by canonical supplier of their primary EPR, {live_basis}"
                    ),
                    table: 1,
                    categories: "supplier".into(),
                    bars: vec![series("NHS trusts", "trusts"), series("Live", "live")],
                    lines: Vec::new(),
                    value_axis: "NHS trusts".into(),
                    percent: false,
                },
            ],
        ),
        sheet(
            SHEETS[3],
            vec![funding_table],
            vec![Chart {
                title: format!("Funding secured and gap by ICS: {FUNDING_LINES}, {AS_RETURNED}"),
                table: 0,
                categories: "ics_name".into(),
                bars: vec![series("Secured", "secured"), series("Gap", "gap")],
                lines: Vec::new(),
                value_axis: "Funding (£)".into(),
                percent: false,
            }],
        ),
        sheet(SHEETS[4], vec![maturity_table], Vec::new()),
        sheet(
            SHEETS[5],
            vec![diagnostics_table(&dataset.diagnostics)],
            Vec::new(),
        ),
        sheet(SHEETS[6], vec![tracker_table], Vec::new()),
    ];
    if let Some(reference) = &dataset.reference {
        // The same list as `returns --trusts`.
        let date = args.judged.as_of.unwrap_or_else(today);
        sheets.push(sheet(
            TRUSTS_SHEET,
            vec![trusts_in_no_return(&dataset.providers, reference, date)],
            Vec::new(),
        ));
    }
    if !args.history.is_empty() {
        match super::report_history::sheets(
            &args.inputs.paths,
            dataset,
            &args.history,
            &coverage_options,
            session,
        )? {
            Ok(more) => sheets.extend(more),
            Err(code) => return Ok(code),
        }
    }
    // The tiles sit with the headline (Summary's first table), the map's figures are
    // the rows of the coverage table (Coverage's first).
    let document = Document {
        title: "EPR landscape report".to_string(),
        sheets,
        page: PageFigures {
            headline: Some((TablePlace::default(), tiles)),
            map: map.map(|areas| {
                let place = TablePlace { sheet: 1, table: 0 };
                (place, areas)
            }),
        },
    };
    write_document(&document, session)?;
    Ok(ExitCode::SUCCESS)
}

/// Rows by coverage, highest first; ties and rows with no coverage in code order
/// (the metric's own order, kept by a stable sort).
fn sort_by_coverage(result: &mut Coverage) {
    let share = |row: &CoverageRow| {
        row.coverage
            .filter(|r| r.is_finite())
            .unwrap_or(f64::NEG_INFINITY)
    };
    result.rows.sort_by(|a, b| share(b).total_cmp(&share(a)));
}

fn sheet(name: &str, tables: Vec<Table>, charts: Vec<Chart>) -> Sheet {
    Sheet {
        name: name.to_string(),
        tables,
        charts,
    }
}

fn series(name: &str, column: &str) -> Series {
    Series {
        name: name.to_string(),
        column: column.to_string(),
    }
}

/// The national headline, one figure per row, read by field from the metrics'
/// national figures (and the coverage of each ICS for the ICSs meeting the target,
/// and the tracker's rows for the returns); and the same figures, typed, for the web
/// page's tiles.
fn headline(
    coverage: &Coverage,
    convergence: &Convergence,
    funding: &Funding,
    tracker: &[TrackerRow],
    dataset: &Dataset,
    options: &CoverageOptions,
) -> (Table, Headline) {
    let count = |n: usize| Value::Int(n as i64);
    let number = |n: Option<u64>| n.map_or(Value::Null, |n| Value::Int(n as i64));
    let share = |r: Option<f64>| r.map_or(Value::Null, Value::Ratio);
    let yes_no = |b: Option<bool>| b.map_or(Value::Null, Value::Bool);
    let national = coverage.total.as_ref();
    let eprs = convergence.total.as_ref();
    // With no funding lines at all, the sums say nothing (not "£0 gap").
    let funded = funding.total.as_ref().filter(|t| t.lines > 0);
    let money = |amount: fn(&FundingRow) -> Option<Money>| {
        funded.and_then(amount).map_or(Value::Null, Value::Money)
    };
    let ics_rows: Vec<&CoverageRow> = coverage
        .rows
        .iter()
        .filter(|row| {
            !matches!(row.key.first(),
                Some(code) if code == UNKNOWN_GROUP || code == UNPLACED)
        })
        .collect();
    let meeting = ics_rows.iter().filter(|row| row.met == Some(true)).count();
    let counts = Counts::of(&dataset.diagnostics);
    // ICSs of the run's geography per state, read from the tracker's rows.
    let geography = crate::geography::current();
    let in_state = |s: State| {
        tracker
            .iter()
            .filter(|row| geography.icb(&row.ics_code).is_some())
            .filter(|row| row.state == s)
            .count()
    };
    let returned = geography.icbs.len() - in_state(State::Missing);
    let latest_submission = dataset.returns.iter().filter_map(|r| r.submitted).max();
    let received = crate::metrics::returns::received_label();
    let tiles = Headline {
        trusts: number(national.map(|t| t.trusts)),
        live: number(national.map(|t| t.live)),
        coverage: share(national.and_then(|t| t.coverage)),
        target: share(national.map(|_| coverage.target.as_f64())),
        shortfall: number(national.and_then(|t| t.shortfall)),
        icss: count(ics_rows.len()),
        icss_meeting: count(meeting),
        distinct_eprs: number(eprs.map(|t| t.distinct_eprs)),
        distinct_eprs_planned: number(eprs.map(|t| t.distinct_eprs_planned)),
        programme_cost: money(|t| t.total_cost),
        funding_gap: money(|t| t.gap),
        returns_received: count(returned),
        returns_expected: geography.icbs.len(),
        no_return: count(in_state(State::Missing)),
    };
    let mut rows: Vec<(&str, Value)> = vec![
        ("NHS trusts", tiles.trusts.clone()),
        ("Live", tiles.live.clone()),
        ("Implementing", number(national.map(|t| t.implementing))),
        ("Not started", number(national.map(|t| t.not_started))),
        ("Coverage", tiles.coverage.clone()),
        ("Target", tiles.target.clone()),
        ("Target met", yes_no(national.and_then(|t| t.met))),
        (
            "Shortfall (trusts still to go live)",
            tiles.shortfall.clone(),
        ),
        ("Deadline", Value::Date(options.deadline)),
        (
            "Live as of",
            options
                .as_of
                .map_or(Value::Text("reported status".into()), Value::Date),
        ),
        ("ICSs", tiles.icss.clone()),
        ("ICSs meeting the target", tiles.icss_meeting.clone()),
        (
            "Distinct EPRs in use (all providers)",
            tiles.distinct_eprs.clone(),
        ),
        (
            "Distinct EPRs planned (all providers)",
            tiles.distinct_eprs_planned.clone(),
        ),
        (
            "Funding lines",
            number(funding.total.as_ref().map(|t| t.lines)),
        ),
        ("Programme cost", tiles.programme_cost.clone()),
        ("Funding secured", money(|t| t.secured)),
        ("Funding gap", tiles.funding_gap.clone()),
        (&received, tiles.returns_received.clone()),
        ("ICSs with no return", tiles.no_return.clone()),
        (
            "ICSs whose return has errors",
            count(in_state(State::Errors)),
        ),
        ("ICSs with two returns", count(in_state(State::Duplicate))),
        (
            "ICSs with returns for only some of the ICBs they were formed from",
            count(in_state(State::Partial)),
        ),
        ("Files read", count(dataset.returns.len())),
        (
            "Latest return submitted",
            latest_submission.map_or(Value::Null, Value::Date),
        ),
        ("Warnings", count(counts.warnings)),
        ("Notes", count(counts.notes)),
    ];
    // Partial returns can only happen in a geography with ICBs formed by mergers.
    if geography.icbs.iter().all(|icb| icb.predecessors.is_empty()) {
        rows.retain(|(figure, _)| !figure.starts_with("ICSs with returns for only some"));
    }
    let table = Table {
        title: Some(format!(
            "National headline: {NHS_TRUSTS} in England, {}; distinct EPRs of {ALL_PROVIDERS}; funding: {FUNDING_LINES}, {AS_RETURNED}",
            titles::live_basis(options.as_of)
        )),
        columns: vec!["figure".to_string(), "value".to_string()],
        rows: rows
            .into_iter()
            .map(|(figure, value)| vec![Value::Text(figure.to_string()), value])
            .collect(),
        total: None,
    };
    (table, tiles)
}

/// The files the report was made from, with what each cover sheet says.
fn files_read(dataset: &Dataset) -> Table {
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Text);
    Table {
        title: Some("Files read, with what their cover sheets say".to_string()),
        // The file last: long paths in column A would widen the headline's labels.
        columns: [
            "ics_code",
            "ics_name",
            "region",
            "submitted",
            "provider_rows",
            "file",
        ]
        .map(String::from)
        .to_vec(),
        rows: dataset
            .returns
            .iter()
            .map(|r| {
                vec![
                    text(&r.ics_code),
                    text(&r.ics_name),
                    text(&r.region),
                    r.submitted.map_or(Value::Null, Value::Date),
                    Value::Int(r.provider_rows as i64),
                    Value::Text(r.source.clone()),
                ]
            })
            .collect(),
        total: None,
    }
}
