//! `eprscan report`: the monthly pack. One workbook (or markdown document) with the
//! national headline, every metric per ICS and every problem found. Each sheet is a
//! metric's own table; the headline is read from those tables, never recomputed.

use super::coverage::coverage_options;
use super::validate::diagnostics_table;
use super::{output_options, report_diagnostics, write_document, Session};
use crate::cli::ReportArgs;
use crate::diag::Counts;
use crate::geography::UNPLACED;
use crate::metrics::convergence::{convergence, ConvergenceOptions};
use crate::metrics::coverage::{coverage, CoverageOptions};
use crate::metrics::funding::{funding, sent_no_funding, FundingOptions};
use crate::metrics::maturity::maturity;
use crate::metrics::returns::{tracker, trusts_in_no_return, State};
use crate::metrics::today;
use crate::metrics::{GroupBy, UNKNOWN_GROUP};
use crate::model::Dataset;
use crate::output::{format_name, Chart, Document, Series, Sheet, Table, Value};
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
    let coverage_options = coverage_options(&args.judged, None, GroupBy::Ics, session)?;
    let dataset = session.load_as_of(&args.inputs.paths, coverage_options.as_of);
    if let Err(code) = report_diagnostics(dataset, session) {
        return Ok(code);
    }
    let mut coverage_table = coverage(&dataset.providers, &coverage_options)?;
    // The pack shows ICSs by coverage, highest first (ties by code), so that its chart
    // reads as a ranking; the headline reads totals, not positions.
    sort_by_coverage(&mut coverage_table);
    let convergence_table = convergence(
        &dataset.providers,
        &dataset.systems,
        &ConvergenceOptions {
            by: GroupBy::Ics,
            all_systems: args.all_systems,
            list: true,
            population: None,
            as_of: args.judged.as_of.unwrap_or_else(today),
            live_at_date: args.judged.as_of.is_some(),
        },
    );
    let funding_table = funding(
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
    )?;
    supplier_table.title =
        Some("NHS trusts by canonical supplier of their primary EPR (supplier shares)".into());
    let maturity_table = maturity(&dataset.providers, &dataset.returns, GroupBy::Ics);
    let tracker_table = tracker(&dataset.returns, &dataset.diagnostics, GroupBy::Ics);
    let headline = headline(
        &coverage_table,
        &convergence_table,
        &funding_table,
        &tracker_table,
        dataset,
        &coverage_options,
    );
    let target = coverage_options.target;
    let mut sheets = vec![
        sheet(SHEETS[0], vec![headline, files_read(dataset)], Vec::new()),
        sheet(
            SHEETS[1],
            vec![coverage_table],
            vec![Chart {
                title: format!(
                    "Coverage of NHS trusts by ICS against the {target} target, highest first"
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
                    title: "Distinct EPRs by ICS (all providers), in use and planned".into(),
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
                    title: "NHS trusts by canonical supplier of their primary EPR".into(),
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
                title: "Funding secured and gap by ICS".into(),
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
    let document = Document {
        title: "EPR landscape report".to_string(),
        sheets,
    };
    write_document(&document, session)?;
    Ok(ExitCode::SUCCESS)
}

/// Rows by coverage, highest first; ties and rows with no coverage in code order
/// (the metric's own order, kept by a stable sort).
fn sort_by_coverage(table: &mut Table) {
    let Some(index) = table.column_index("coverage") else {
        return;
    };
    let share = |row: &Vec<Value>| match row.get(index) {
        Some(Value::Ratio(r)) if r.is_finite() => *r,
        _ => f64::NEG_INFINITY,
    };
    table.rows.sort_by(|a, b| share(b).total_cmp(&share(a)));
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

/// The national headline, one figure per row, read from the metric tables' national
/// rows (and the ICS rows of the coverage table for the ICSs meeting the target).
fn headline(
    coverage: &Table,
    convergence: &Table,
    funding: &Table,
    tracker: &Table,
    dataset: &Dataset,
    options: &CoverageOptions,
) -> Table {
    let total =
        |table: &Table, column: &str| table.total_value(column).cloned().unwrap_or(Value::Null);
    // With no funding lines at all, the sums say nothing (not "£0 gap").
    let no_funding = total(funding, "lines") == Value::Int(0);
    let money = |column: &str| {
        if no_funding {
            Value::Null
        } else {
            total(funding, column)
        }
    };
    let ics_rows: Vec<&Vec<Value>> = coverage
        .rows
        .iter()
        .filter(|row| {
            !matches!(coverage.value(row, "ics_code"),
                Some(Value::Text(code)) if code == UNKNOWN_GROUP || code == UNPLACED)
        })
        .collect();
    let meeting = ics_rows
        .iter()
        .filter(|row| coverage.value(row, "met") == Some(&Value::Bool(true)))
        .count();
    let counts = Counts::of(&dataset.diagnostics);
    // ICSs of the run's geography per state, read from the tracker's rows.
    let geography = crate::geography::current();
    let in_state = |s: State| {
        tracker
            .rows
            .iter()
            .filter(|row| {
                let code = tracker.value(row, "ics_code").map(Value::raw);
                code.is_some_and(|code| geography.icb(&code).is_some())
            })
            .filter(|row| tracker.value(row, "state") == Some(&Value::Text(s.name().into())))
            .count()
    };
    let returned = geography.icbs.len() - in_state(State::Missing);
    let latest_submission = dataset.returns.iter().filter_map(|r| r.submitted).max();
    let count = |n: usize| Value::Int(n as i64);
    let received = crate::metrics::returns::received_label();
    let mut rows: Vec<(&str, Value)> = vec![
        ("NHS trusts", total(coverage, "trusts")),
        ("Live", total(coverage, "live")),
        ("Implementing", total(coverage, "implementing")),
        ("Not started", total(coverage, "not_started")),
        ("Coverage", total(coverage, "coverage")),
        ("Target", total(coverage, "target")),
        ("Target met", total(coverage, "met")),
        (
            "Shortfall (trusts still to go live)",
            total(coverage, "shortfall"),
        ),
        ("Deadline", Value::Date(options.deadline)),
        (
            "Live as of",
            options
                .as_of
                .map_or(Value::Text("reported status".into()), Value::Date),
        ),
        ("ICSs", count(ics_rows.len())),
        ("ICSs meeting the target", count(meeting)),
        (
            "Distinct EPRs in use (all providers)",
            total(convergence, "distinct_eprs"),
        ),
        (
            "Distinct EPRs planned (all providers)",
            total(convergence, "distinct_eprs_planned"),
        ),
        ("Funding lines", total(funding, "lines")),
        ("Programme cost", money("total_cost")),
        ("Funding secured", money("secured")),
        ("Funding gap", money("gap")),
        (&received, count(returned)),
        ("ICSs with no return", count(in_state(State::Missing))),
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
    Table {
        title: Some("National headline (NHS trusts in England)".to_string()),
        columns: vec!["figure".to_string(), "value".to_string()],
        rows: rows
            .into_iter()
            .map(|(figure, value)| vec![Value::Text(figure.to_string()), value])
            .collect(),
        total: None,
    }
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
