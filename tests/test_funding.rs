//! `eprscan funding`: the exact numbers of fixtures/README.md ("Funding and maturity
//! fixtures"), every money form and header unit, attribution of ICS-wide and
//! cross-workbook lines, the warnings, `--match-rate`, the output formats, and the
//! national totals of the example returns.
//!
//! Money in CSV is exact pounds: whole pounds without decimals (`36000000`), otherwise
//! up to two decimals with trailing zeros trimmed (`1234.5`, `0.01`), so money columns
//! are compared as strings. `funded_pct` is a share and is compared as a float.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};

use common::*;

const ICS: &[&str] = &["ics_code", "ics_name"];

/// The funding columns of one group row, as the CSV prints them.
#[derive(Debug, Clone, Copy)]
struct Funding {
    lines: u64,
    total: &'static str,
    national: &'static str,
    local: &'static str,
    secured: &'static str,
    gap: &'static str,
    /// secured / total_cost as f64.
    funded: f64,
    missing: u64,
}

/// Shorthand in README column order: lines, total_cost, national_funding,
/// local_funding, secured, gap, funded_pct, missing_amounts.
#[allow(clippy::too_many_arguments)]
const fn fu(
    lines: u64,
    total: &'static str,
    national: &'static str,
    local: &'static str,
    secured: &'static str,
    gap: &'static str,
    funded: f64,
    missing: u64,
) -> Funding {
    Funding {
        lines,
        total,
        national,
        local,
        secured,
        gap,
        funded,
        missing,
    }
}

/// Assert every funding column of a CSV row.
fn assert_funding(row: &Row, e: &Funding, context: &str) {
    let got = (
        field(row, "lines"),
        field(row, "total_cost"),
        field(row, "national_funding"),
        field(row, "local_funding"),
        field(row, "secured"),
        field(row, "gap"),
        field(row, "missing_amounts"),
    );
    let lines = e.lines.to_string();
    let missing = e.missing.to_string();
    let want = (
        lines.as_str(),
        e.total,
        e.national,
        e.local,
        e.secured,
        e.gap,
        missing.as_str(),
    );
    assert_eq!(
        got, want,
        "{context}: (lines, total_cost, national_funding, local_funding, secured, gap, \
         missing_amounts)\n     row {row:?}"
    );
    assert_close(
        float(row, "funded_pct"),
        e.funded,
        &format!("{context}: funded_pct"),
    );
}

/// Assert `local_required` and `local_shortfall` of a `--match-rate` row.
fn assert_match(row: &Row, required: &str, shortfall: &str, context: &str) {
    assert_eq!(
        (field(row, "local_required"), field(row, "local_shortfall")),
        (required, shortfall),
        "{context}: (local_required, local_shortfall) in {row:?}"
    );
}

/// Run `eprscan funding ARGS -f csv`, require exit 0 and return the rows.
fn funding_csv(args: &[&str]) -> Vec<Row> {
    let mut all = vec!["funding"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "csv"]);
    let run = eprscan(&all);
    run.expect_code(0);
    let rows = run.csv();
    assert!(!rows.is_empty(), "`{}` printed no rows", run.cmdline);
    rows
}

/// The warning lines of `run` that start with `FILE: CELL: warning: `, one per cell.
fn assert_warnings_at(run: &Run, file: &str, cells: &[(&str, Option<&str>)]) {
    let warnings = run.stderr_warnings();
    assert_eq!(
        warnings.len(),
        cells.len(),
        "`{}`: exactly {} warnings:\n{}",
        run.cmdline,
        cells.len(),
        run.stderr
    );
    for (cell, quoted) in cells {
        let prefix = format!("{file}: {cell}: warning: ");
        let line = warnings
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no warning at {file}: {cell}:\n{}", run.stderr));
        if let Some(text) = quoted {
            assert!(line.contains(text), "{cell} should quote {text:?}: {line}");
        }
    }
}

// ---------------------------------------------------------------------------------
// funding.xlsx (also .xls and .ods): West Yorkshire, merged "Funding (£m)" label

/// All nine lines of funding.xlsx: the QWO group, the national total, `--by national`.
const WEST_YORKSHIRE: Funding = fu(
    9,
    "93500000",
    "53000000",
    "13500000",
    "66500000",
    "27000000",
    133.0 / 187.0,
    3,
);

/// funding.xlsx `--by sector`: the ICS-wide line is its own group; the ambulance
/// trust and the GP practice have no lines.
#[rustfmt::skip]
const WEST_YORKSHIRE_BY_SECTOR: [(&str, Funding); 5] = [
    ("(ICS-wide)",                  fu(1, "12500000", "5000000",  "4000000", "9000000",  "3500000",  0.72,      0)),
    ("acute",                       fu(5, "68000000", "42000000", "9000000", "51000000", "17000000", 0.75,      1)),
    ("community",                   fu(1, "2000000",  "2000000",  "0",       "2000000",  "0",        1.0,       0)),
    ("mental health",               fu(1, "8000000",  "4000000",  "0",       "4000000",  "4000000",  0.5,       1)),
    ("mental health and community", fu(1, "3000000",  "0",        "500000",  "500000",   "2500000",  1.0 / 6.0, 1)),
];

/// funding.xlsx `--by supplier`: RXF is the only Epic trust, so its line (the £36m
/// programme with £27m national and no local funding: a £9m gap) is a group alone.
#[rustfmt::skip]
const WEST_YORKSHIRE_BY_SUPPLIER: [(&str, Funding); 8] = [
    ("(ICS-wide)",       fu(1, "12500000", "5000000",  "4000000", "9000000",  "3500000", 0.72,        0)),
    ("Advanced",         fu(1, "3000000",  "0",        "500000",  "500000",   "2500000", 1.0 / 6.0,   1)),
    ("Epic",             fu(1, "36000000", "27000000", "0",       "27000000", "9000000", 0.75,        0)),
    ("Meditech",         fu(1, "6000000",  "3000000",  "1000000", "4000000",  "2000000", 2.0 / 3.0,   0)),
    ("Oracle Health",    fu(2, "21500000", "10000000", "6500000", "16500000", "5000000", 33.0 / 43.0, 1)),
    ("System C",         fu(1, "4500000",  "2000000",  "1500000", "3500000",  "1000000", 7.0 / 9.0,   0)),
    ("TPP",              fu(1, "2000000",  "2000000",  "0",       "2000000",  "0",       1.0,         0)),
    ("The Access Group", fu(1, "8000000",  "4000000",  "0",       "4000000",  "4000000", 0.5,         1)),
];

/// Every warning of funding.xlsx: `lots` (D12), the stated gap £1m off (F10), and the
/// three bad maturity cells.
const WEST_YORKSHIRE_WARNINGS: [(&str, Option<&str>); 5] = [
    ("Funding!D12", Some("lots")),
    ("Funding!F10", None),
    ("Providers!G4", Some("5a")),
    ("Providers!H7", Some("Group 4")),
    ("Providers!G10", Some("8")),
];

fn check_funding_by_ics(ext: &str) {
    let path = format!("fixtures/funding.{ext}");
    let rows = funding_csv(&[&path, "--total"]);
    assert_eq!(rows.len(), 2, "{path}: one ICS and the total: {rows:#?}");
    let qwo = row_where(&rows, "ics_code", "QWO");
    assert_eq!(field(qwo, "ics_name"), "West Yorkshire");
    assert_funding(qwo, &WEST_YORKSHIRE, &format!("{path} QWO"));
    let total = total_row(&rows, ICS);
    assert_funding(total, &WEST_YORKSHIRE, &format!("{path} total"));
}

fn check_funding_by_sector(ext: &str) {
    let path = format!("fixtures/funding.{ext}");
    let rows = funding_csv(&[&path, "--by", "sector", "--total"]);
    assert_eq!(
        rows.len(),
        WEST_YORKSHIRE_BY_SECTOR.len() + 1,
        "{path}: five groups and the total: {rows:#?}"
    );
    for (sector, expected) in &WEST_YORKSHIRE_BY_SECTOR {
        let row = row_where(&rows, "sector", sector);
        assert_funding(row, expected, &format!("{path} --by sector {sector}"));
    }
    let total = total_row(&rows, &["sector"]);
    assert_funding(total, &WEST_YORKSHIRE, &format!("{path} --by sector total"));
}

fn check_funding_warnings(ext: &str) {
    let path = format!("fixtures/funding.{ext}");
    let run = eprscan(&["funding", &path, "-v", "-f", "csv"]);
    run.expect_code(0);
    assert_warnings_at(&run, &path, &WEST_YORKSHIRE_WARNINGS);
    // TBC (D7), `-` (E8), `nil` (E9), `£4.5m` (C6) and the stated gap 50p off (F11)
    // are not problems.
    for quiet in [
        "Funding!F11",
        "Funding!D7",
        "Funding!E8",
        "Funding!E9",
        "Funding!C6",
    ] {
        assert!(
            !run.stderr.contains(quiet),
            "{path}: no diagnostic at {quiet}:\n{}",
            run.stderr
        );
    }
    // Every row is kept.
    assert_funding(&run.csv()[0], &WEST_YORKSHIRE, &format!("{path} -v"));
}

each_format! {
    funding_by_ics_with_total: check_funding_by_ics;
    funding_by_sector: check_funding_by_sector;
    funding_warnings_name_their_cells: check_funding_warnings;
}

/// LibreOffice's .xls and .ods of funding.xlsx give the very same CSV.
#[test]
fn funding_xls_and_ods_print_the_same_csv_as_xlsx() {
    for args in [
        &["--total"][..],
        &["--by", "sector", "--total"],
        &["--by", "supplier", "--match-rate", "0.5", "--total"],
    ] {
        let output = |ext: &str| {
            let path = format!("fixtures/funding.{ext}");
            let mut all = vec!["funding", path.as_str()];
            all.extend_from_slice(args);
            all.extend_from_slice(&["-f", "csv"]);
            let run = eprscan(&all);
            run.expect_code(0);
            run.stdout
        };
        let xlsx = output("xlsx");
        assert_eq!(output("xls"), xlsx, ".xls vs .xlsx, {args:?}");
        assert_eq!(output("ods"), xlsx, ".ods vs .xlsx, {args:?}");
    }
}

#[test]
fn funding_xlsx_by_national_and_region() {
    let rows = funding_csv(&["fixtures/funding.xlsx", "--by", "national"]);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(field(&rows[0], "area"), "England");
    assert_funding(&rows[0], &WEST_YORKSHIRE, "--by national");

    let rows = funding_csv(&["fixtures/funding.xlsx", "--by", "region"]);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(field(&rows[0], "region"), "North East and Yorkshire");
    assert_funding(&rows[0], &WEST_YORKSHIRE, "--by region");
}

/// The canonical case: a £36m programme with £27m national and no local funding has a
/// £9m gap (the Epic row).
#[test]
fn funding_xlsx_by_supplier_isolates_the_36m_programme_with_a_9m_gap() {
    let rows = funding_csv(&["fixtures/funding.xlsx", "--by", "supplier", "--total"]);
    assert_eq!(
        rows.len(),
        WEST_YORKSHIRE_BY_SUPPLIER.len() + 1,
        "{rows:#?}"
    );
    for (supplier, expected) in &WEST_YORKSHIRE_BY_SUPPLIER {
        let row = row_where(&rows, "supplier", supplier);
        assert_funding(row, expected, &format!("--by supplier {supplier}"));
    }
    let total = total_row(&rows, &["supplier"]);
    assert_funding(total, &WEST_YORKSHIRE, "--by supplier total");
}

#[test]
fn csv_columns_and_total_only_with_the_flag() {
    let run = eprscan(&["funding", "fixtures/funding.xlsx", "-f", "csv"]);
    run.expect_code(0);
    assert_eq!(
        csv_header(&run.stdout),
        [
            "ics_code",
            "ics_name",
            "lines",
            "total_cost",
            "national_funding",
            "local_funding",
            "secured",
            "gap",
            "funded_pct",
            "missing_amounts"
        ]
    );
    let rows = run.csv();
    assert_eq!(rows.len(), 1, "no total row without --total: {rows:#?}");
    assert_eq!(field(&rows[0], "ics_code"), "QWO");

    let run = eprscan(&[
        "funding",
        "fixtures/funding.xlsx",
        "--match-rate",
        "0.5",
        "--by",
        "national",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    assert_eq!(
        csv_header(&run.stdout),
        [
            "area",
            "lines",
            "total_cost",
            "national_funding",
            "local_funding",
            "secured",
            "gap",
            "funded_pct",
            "missing_amounts",
            "local_required",
            "local_shortfall"
        ]
    );
    assert_match(&run.csv()[0], "46750000", "33250000", "--by national");
}

// ---------------------------------------------------------------------------------
// --match-rate

#[test]
fn match_rate_half_as_a_share_and_as_a_percentage() {
    #[rustfmt::skip]
    let expected = [
        ("(ICS-wide)",                  "6250000",  "2250000"),
        ("acute",                       "34000000", "25000000"),
        ("community",                   "1000000",  "1000000"),
        ("mental health",               "4000000",  "4000000"),
        ("mental health and community", "1500000",  "1000000"),
    ];
    for rate in ["0.5", "50%"] {
        let rows = funding_csv(&[
            "fixtures/funding.xlsx",
            "--by",
            "sector",
            "--match-rate",
            rate,
            "--total",
        ]);
        for (sector, required, shortfall) in expected {
            let row = row_where(&rows, "sector", sector);
            let context = format!("--match-rate {rate} {sector}");
            assert_match(row, required, shortfall, &context);
        }
        let total = total_row(&rows, &["sector"]);
        let context = format!("--match-rate {rate} total");
        assert_match(total, "46750000", "33250000", &context);
        // The other columns do not change.
        assert_funding(total, &WEST_YORKSHIRE, &context);
    }
}

/// The shortfall is never negative (the ICS-wide group has more local funding than a
/// 25% share needs), and the national row applies the formula to the national sums
/// (9 875 000), not the sum of the group shortfalls (10 750 000).
#[test]
fn match_rate_shortfall_is_counted_per_line_and_the_national_row_adds_up() {
    let rows = funding_csv(&[
        "fixtures/funding.xlsx",
        "--by",
        "sector",
        "--match-rate",
        "75%",
        "--total",
    ]);
    #[rustfmt::skip]
    let expected = [
        ("(ICS-wide)",                  "3125000",  "0"),
        ("acute",                       "17000000", "9500000"),
        ("community",                   "500000",   "500000"),
        ("mental health",               "2000000",  "2000000"),
        ("mental health and community", "750000",   "250000"),
    ];
    for (sector, required, shortfall) in expected {
        let row = row_where(&rows, "sector", sector);
        assert_match(row, required, shortfall, &format!("75% {sector}"));
    }
    // Per line: RCF's and RAE's spare local funding does not pay for RXF's scheme;
    // the England row is the sum of the rows (fixtures/README.md).
    let total = total_row(&rows, &["sector"]);
    assert_match(total, "23375000", "12250000", "75% total");
}

/// local_required is rounded to the penny: 1 250 350 500 × 0.876544 = 1 095 987 228.672.
#[test]
fn match_rate_local_required_is_rounded_to_the_penny() {
    let rows = funding_csv(&[
        "fixtures/funding_units.xlsx",
        "--by",
        "sector",
        "--match-rate",
        "0.123456",
        "--total",
    ]);
    #[rustfmt::skip]
    let expected = [
        ("(ICS-wide)", "8765878.27", "8764643.77"),
        ("acute",      "1086695424", "1018702568"),
        ("community",  "525926.4",   "225927.41"),
    ];
    for (sector, required, shortfall) in expected {
        let row = row_where(&rows, "sector", sector);
        assert_match(row, required, shortfall, &format!("0.123456 {sector}"));
    }
    let total = total_row(&rows, &["sector"]);
    assert_match(total, "1095987228.67", "1027693139.18", "0.123456 total");
}

#[test]
fn match_rate_out_of_range_or_not_a_number_is_a_usage_error() {
    for rate in ["1.5", "abc", "-0.1", "150%", "fifty"] {
        // `--match-rate=R`, so that `-0.1` reaches the value check rather than being
        // read as a flag.
        let option = format!("--match-rate={rate}");
        let run = eprscan(&["funding", "fixtures/funding.xlsx", &option]);
        run.expect_code(2);
        assert_eq!(run.stdout, "", "{option}: nothing on stdout");
        assert!(
            run.stderr.contains(rate),
            "{option}: the message quotes the value:\n{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------------
// Warnings: count, -v, --strict

#[test]
fn funding_xlsx_warnings_are_counted_in_one_line_without_verbose() {
    let run = eprscan(&["funding", "fixtures/funding.xlsx", "-f", "csv"]);
    run.expect_code(0);
    assert!(
        run.stderr_warnings().is_empty(),
        "warnings not listed without -v:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("eprscan: 5 warnings"),
        "one-line count:\n{}",
        run.stderr
    );
    assert_funding(&run.csv()[0], &WEST_YORKSHIRE, "funding.xlsx");
}

#[test]
fn funding_xlsx_strict_lists_the_warnings_and_exits_1() {
    let run = eprscan(&["funding", "fixtures/funding.xlsx", "--strict", "-f", "csv"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "", "no results when stopped");
    assert_warnings_at(&run, "fixtures/funding.xlsx", &WEST_YORKSHIRE_WARNINGS);
    assert!(run.stderr.contains("stopped"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------
// funding_units.xlsx: every unit and text form, on a sheet named "Costs"

const CAMBRIDGESHIRE: Funding = fu(
    7,
    "1250350500",
    "37800000",
    "72300233.49",
    "110100233.49",
    "1140250266.51",
    110_100_233.49 / 1_250_350_500.0,
    2,
);

#[test]
fn funding_units_by_ics_national_and_region() {
    let rows = funding_csv(&["fixtures/funding_units.xlsx", "--total"]);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let que = row_where(&rows, "ics_code", "QUE");
    assert_eq!(field(que, "ics_name"), "Cambridgeshire and Peterborough");
    assert_funding(que, &CAMBRIDGESHIRE, "QUE");
    assert_funding(total_row(&rows, ICS), &CAMBRIDGESHIRE, "total");

    let rows = funding_csv(&["fixtures/funding_units.xlsx", "--by", "national"]);
    assert_eq!(field(&rows[0], "area"), "England");
    assert_funding(&rows[0], &CAMBRIDGESHIRE, "--by national");

    let rows = funding_csv(&["fixtures/funding_units.xlsx", "--by", "region"]);
    let east = row_where(&rows, "region", "East of England");
    assert_funding(east, &CAMBRIDGESHIRE, "--by region");
}

#[test]
fn funding_units_by_sector_keeps_the_pennies() {
    let rows = funding_csv(&["fixtures/funding_units.xlsx", "--by", "sector", "--total"]);
    assert_eq!(rows.len(), 4, "{rows:#?}");
    #[rustfmt::skip]
    let expected = [
        ("(ICS-wide)", fu(1, "10000500",   "0",        "1234.5",    "1234.5",    "9999265.5",  1234.5 / 10_000_500.0,       1)),
        ("acute",      fu(4, "1239750000", "37500000", "71999000",  "109499000", "1130251000", 109_499.0 / 1_239_750.0,     1)),
        ("community",  fu(2, "600000",     "300000",   "299998.99", "599998.99", "1.01",       59_999_899.0 / 60_000_000.0, 0)),
    ];
    for (sector, funding) in &expected {
        let row = row_where(&rows, "sector", sector);
        assert_funding(row, funding, &format!("funding_units.xlsx {sector}"));
    }
    let total = total_row(&rows, &["sector"]);
    assert_funding(total, &CAMBRIDGESHIRE, "funding_units.xlsx total");
}

/// Costs!F6 is exactly £1 off (not a warning); Costs!F8 is £1.01 off (a warning).
/// N/A, Unknown and TBA are missing without a warning. Providers!G3 `high` is a warning.
#[test]
fn funding_units_a_stated_gap_exactly_one_pound_off_is_not_a_warning() {
    let run = eprscan(&["funding", "fixtures/funding_units.xlsx", "-v", "-f", "csv"]);
    run.expect_code(0);
    assert_warnings_at(
        &run,
        "fixtures/funding_units.xlsx",
        &[("Costs!F8", None), ("Providers!G3", Some("high"))],
    );
    for quiet in ["Costs!F6", "Costs!D6", "Costs!E6", "Costs!D7"] {
        assert!(
            !run.stderr.contains(quiet),
            "no diagnostic at {quiet}:\n{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------------
// Each money form, one line at a time, in generated workbooks

/// One value in a generated workbook.
#[derive(Clone, Copy, Debug)]
enum V {
    T(&'static str),
    N(f64),
    B,
}

fn write_value(ws: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, value: V) {
    match value {
        V::T(text) => {
            ws.write_string(row, col, text).expect("write text");
        }
        V::N(number) => {
            ws.write_number(row, col, number).expect("write number");
        }
        V::B => {}
    }
}

/// Adds a `Providers` sheet with one trust, RAA (acute, QOP, live, Epic).
fn add_one_trust(wb: &mut rust_xlsxwriter::Workbook) {
    let ws = wb.add_worksheet();
    ws.set_name("Providers").expect("sheet name");
    let cells = [
        ("ODS code", "RAA"),
        ("Organisation name", "Alpha Hospitals NHS Trust"),
        ("Sector", "Acute"),
        ("ICB code", "QOP"),
        ("EPR status", "Live"),
        ("Supplier", "Epic"),
    ];
    for (col, (header, value)) in cells.into_iter().enumerate() {
        ws.write_string(0, col as u16, header).expect("header");
        ws.write_string(1, col as u16, value).expect("value");
    }
}

/// A workbook with trust RAA and a `Funding` sheet: `ODS code`, `Item` and `headers`
/// in row 1, then one line for RAA per entry of `lines`.
fn funding_workbook(dir: &Path, name: &str, headers: &[&str], lines: &[Vec<V>]) -> PathBuf {
    let mut wb = rust_xlsxwriter::Workbook::new();
    add_one_trust(&mut wb);
    let ws = wb.add_worksheet();
    ws.set_name("Funding").expect("sheet name");
    ws.write_string(0, 0, "ODS code").expect("header");
    ws.write_string(0, 1, "Item").expect("header");
    for (col, header) in headers.iter().enumerate() {
        ws.write_string(0, col as u16 + 2, *header).expect("header");
    }
    for (i, line) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, "RAA").expect("code");
        ws.write_string(row, 1, "EPR line").expect("item");
        for (col, value) in line.iter().enumerate() {
            write_value(ws, row, col as u16 + 2, *value);
        }
    }
    let path = dir.join(name);
    wb.save(&path).expect("save the workbook");
    path
}

/// What one total-cost cell must give.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// These pounds (as the CSV prints them); not missing.
    Pounds(&'static str),
    /// Missing without a warning: counted as 0, `missing_amounts` 1.
    Missing,
    /// A warning at Funding!C2; treated as missing.
    Warning,
}

/// Every money form of SPEC 1.5 under every header unit, alone in a workbook:
/// `Total cost{unit}` holds the cell; national and local are 0.
#[test]
fn each_money_form_parses_to_exact_pounds() {
    use Expect::{Missing, Pounds, Warning};
    use V::{B, N, T};
    #[rustfmt::skip]
    let cases: &[(&str, V, Expect)] = &[
        // No unit: pounds.
        ("", T("£36m"), Pounds("36000000")),
        ("", T("£36.5 m"), Pounds("36500000")),
        ("", T("36m"), Pounds("36000000")),
        ("", T("£1.2bn"), Pounds("1200000000")),
        ("", T("£250k"), Pounds("250000")),
        ("", T("£250K"), Pounds("250000")),
        ("", T("36,000,000"), Pounds("36000000")),
        ("", T("£36,000,000.00"), Pounds("36000000")),
        ("", T("(1,000)"), Pounds("-1000")),
        ("", N(36_000_000.0), Pounds("36000000")),
        ("", N(1234.5), Pounds("1234.5")),
        ("", N(0.01), Pounds("0.01")),
        ("", T("nil"), Pounds("0")),
        // (£m): numbers and plain text are scaled; text with its own suffix is not.
        (" (£m)", N(36.0), Pounds("36000000")),
        (" (£m)", N(1.2345), Pounds("1234500")),
        (" (£m)", T("36"), Pounds("36000000")),
        (" (£m)", T("£36m"), Pounds("36000000")),
        (" (£m)", T("£250k"), Pounds("250000")),
        (" (£m)", T("£1.2bn"), Pounds("1200000000")),
        (" (£m)", T("(1.5)"), Pounds("-1500000")),
        // (£k) and (£000s): thousands.
        (" (£k)", N(250.0), Pounds("250000")),
        (" (£k)", T("1,250"), Pounds("1250000")),
        (" (£k)", T("£36.5 m"), Pounds("36500000")),
        (" (£000s)", N(36_000.0), Pounds("36000000")),
        (" (£000s)", T("£250K"), Pounds("250000")),
        // (£): pounds.
        (" (£)", N(36_000_000.0), Pounds("36000000")),
        (" (£)", T("(1,000)"), Pounds("-1000")),
        (" (£)", T("£36,000,000.00"), Pounds("36000000")),
        // Missing, no warning.
        ("", T("TBC"), Missing),
        ("", T("TBA"), Missing),
        ("", T("-"), Missing),
        ("", T("N/A"), Missing),
        ("", T("Unknown"), Missing),
        ("", B, Missing),
        (" (£m)", T("TBC"), Missing),
        // Anything else: a warning naming the cell, and missing.
        ("", T("lots"), Warning),
        ("", T("£12m approx"), Warning),
        (" (£m)", T("about 3"), Warning),
    ];
    let dir = temp_dir();
    let mut failures = Vec::new();
    for (i, &(unit, cell, expect)) in cases.iter().enumerate() {
        let header = format!("Total cost{unit}");
        let path = funding_workbook(
            dir.path(),
            &format!("case{i:02}.xlsx"),
            &[&header, "National funding", "Local funding"],
            &[vec![cell, N(0.0), N(0.0)]],
        );
        let run = eprscan(&["funding", arg(&path), "--by", "national", "-v", "-f", "csv"]);
        let case = format!("{header} = {cell:?}");
        if run.code != 0 {
            failures.push(format!("{case}: exit {}\n{}", run.code, run.stderr));
            continue;
        }
        let rows = run.csv();
        let row = &rows[0];
        let got = (field(row, "total_cost"), field(row, "missing_amounts"));
        let (want, warn) = match expect {
            Pounds(pounds) => ((pounds, "0"), false),
            Missing => (("0", "1"), false),
            Warning => (("0", "1"), true),
        };
        if got != want {
            failures.push(format!(
                "{case}: (total_cost, missing_amounts) = {got:?}, expected {want:?}"
            ));
        }
        let warnings = run.stderr_warnings();
        if warn {
            if !(warnings.len() == 1 && warnings[0].contains(": Funding!C2: warning: ")) {
                failures.push(format!(
                    "{case}: expected one warning at Funding!C2:\n{}",
                    run.stderr
                ));
            }
        } else if !warnings.is_empty() {
            failures.push(format!("{case}: unexpected warnings:\n{}", run.stderr));
        }
        // funded_pct is empty when the total cost is 0.
        if want.0 == "0" && !field(row, "funded_pct").is_empty() {
            failures.push(format!(
                "{case}: funded_pct {:?}, expected empty (total cost 0)",
                field(row, "funded_pct")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} money cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A merged group label's unit applies to children without a unit of their own; a
/// child's own unit wins: 36 (£m) − 27 000 (£k) − 10 000 000 (£) = −1 000 000.
#[test]
fn merged_group_label_unit_applies_only_to_children_without_one() {
    let dir = temp_dir();
    let mut wb = rust_xlsxwriter::Workbook::new();
    add_one_trust(&mut wb);
    let ws = wb.add_worksheet();
    ws.set_name("Funding").expect("sheet name");
    ws.write_string(0, 0, "EPR funding").expect("title");
    let plain = rust_xlsxwriter::Format::new();
    ws.merge_range(1, 2, 1, 4, "Funding (£m)", &plain)
        .expect("merge");
    let headers = [
        "ODS code",
        "Item",
        "Total cost",
        "National (£k)",
        "Local (£)",
    ];
    for (col, header) in headers.into_iter().enumerate() {
        ws.write_string(2, col as u16, header).expect("header");
    }
    ws.write_string(3, 0, "RAA").expect("code");
    ws.write_string(3, 1, "EPR").expect("item");
    ws.write_number(3, 2, 36.0).expect("total");
    ws.write_number(3, 3, 27_000.0).expect("national");
    ws.write_number(3, 4, 10_000_000.0).expect("local");
    let path = dir.path().join("merged.xlsx");
    wb.save(&path).expect("save");

    let run = eprscan(&["funding", arg(&path), "--by", "national", "-f", "csv"]);
    run.expect_code(0);
    let surplus = fu(
        1,
        "36000000",
        "27000000",
        "10000000",
        "37000000",
        "-1000000",
        37.0 / 36.0,
        0,
    );
    assert_funding(
        &run.csv()[0],
        &surplus,
        "Funding (£m) over unit-less Total cost",
    );
    // A surplus is a negative gap, shown as such in the table.
    let run = eprscan(&["funding", arg(&path), "--by", "national"]);
    run.expect_code(0);
    assert!(run.stdout.contains("-£1.0m"), "{}", run.stdout);
}

/// With only a total-cost column, every line counts in missing_amounts.
#[test]
fn missing_amounts_counts_lines_of_a_table_without_funding_columns() {
    let dir = temp_dir();
    let path = funding_workbook(
        dir.path(),
        "cost_only.xlsx",
        &["Total cost (£m)"],
        &[vec![V::N(10.0)], vec![V::N(5.0)]],
    );
    let run = eprscan(&["funding", arg(&path), "--by", "national", "-f", "csv"]);
    run.expect_code(0);
    let expected = fu(2, "15000000", "0", "0", "0", "15000000", 0.0, 2);
    assert_funding(&run.csv()[0], &expected, "cost column only");
}

// ---------------------------------------------------------------------------------
// Attribution: ICS-wide lines and lines for another ICS's trust

#[test]
fn ics_wide_line_counts_for_the_cover_ics() {
    // funding.xlsx: the blank-code line (row 5) is its own group by sector.
    let rows = funding_csv(&["fixtures/funding.xlsx", "--by", "sector"]);
    let ics_wide = row_where(&rows, "sector", "(ICS-wide)");
    assert_funding(ics_wide, &WEST_YORKSHIRE_BY_SECTOR[0].1, "(ICS-wide)");
    // funding_units.xlsx: the ICS-wide line (row 7) by supplier.
    let rows = funding_csv(&["fixtures/funding_units.xlsx", "--by", "supplier"]);
    let ics_wide = row_where(&rows, "supplier", "(ICS-wide)");
    assert_eq!(field(ics_wide, "total_cost"), "10000500");
    assert_eq!(field(ics_wide, "local_funding"), "1234.5");
}

/// South Yorkshire's own line (RHQ), its ICS-wide line and the line for RZZ (in no
/// providers table) count under QF7.
const SOUTH_YORKSHIRE: Funding = fu(
    3,
    "29000000",
    "15000000",
    "9000000",
    "24000000",
    "5000000",
    24.0 / 29.0,
    0,
);

/// b.xlsx's line for `rx1`, the trust Nottingham lists in a.xlsx.
const NOTTINGHAM: Funding = fu(
    1,
    "7000000",
    "3000000",
    "1000000",
    "4000000",
    "3000000",
    4.0 / 7.0,
    0,
);

const CROSS_ENGLAND: Funding = fu(
    4,
    "36000000",
    "18000000",
    "10000000",
    "28000000",
    "8000000",
    7.0 / 9.0,
    0,
);

#[test]
fn cross_workbook_lines_count_where_the_provider_is() {
    let rows = funding_csv(&["fixtures/funding_cross", "--total"]);
    assert_eq!(rows.len(), 3, "two ICSs and the total: {rows:#?}");
    let qf7 = row_where(&rows, "ics_code", "QF7");
    assert_eq!(field(qf7, "ics_name"), "South Yorkshire");
    assert_funding(qf7, &SOUTH_YORKSHIRE, "QF7");
    let qt1 = row_where(&rows, "ics_code", "QT1");
    assert_eq!(field(qt1, "ics_name"), "Nottingham and Nottinghamshire");
    assert_funding(qt1, &NOTTINGHAM, "QT1 (rx1's line in b.xlsx)");
    assert_funding(total_row(&rows, ICS), &CROSS_ENGLAND, "total");

    let rows = funding_csv(&["fixtures/funding_cross", "--by", "region"]);
    assert_funding(
        row_where(&rows, "region", "Midlands"),
        &NOTTINGHAM,
        "Midlands",
    );
    let north_east = row_where(&rows, "region", "North East and Yorkshire");
    assert_funding(north_east, &SOUTH_YORKSHIRE, "North East and Yorkshire");

    let rows = funding_csv(&["fixtures/funding_cross", "--by", "national"]);
    assert_funding(&rows[0], &CROSS_ENGLAND, "--by national");

    // By sector: RHQ and RX1 are acute wherever their lines are written.
    let rows = funding_csv(&["fixtures/funding_cross", "--by", "sector"]);
    #[rustfmt::skip]
    let expected = [
        ("acute",      fu(2, "12000000", "5000000",  "3000000", "8000000",  "4000000", 2.0 / 3.0, 0)),
        ("(ICS-wide)", fu(1, "20000000", "12000000", "6000000", "18000000", "2000000", 0.9,       0)),
    ];
    for (sector, funding) in &expected {
        let row = row_where(&rows, "sector", sector);
        assert_funding(row, funding, &format!("funding_cross {sector}"));
    }
}

#[test]
fn cross_workbook_match_rate_per_ics() {
    let rows = funding_csv(&["fixtures/funding_cross", "--match-rate", "0.5", "--total"]);
    let qf7 = row_where(&rows, "ics_code", "QF7");
    assert_match(qf7, "14500000", "5500000", "QF7");
    let qt1 = row_where(&rows, "ics_code", "QT1");
    assert_match(qt1, "3500000", "2500000", "QT1");
    assert_match(total_row(&rows, ICS), "18000000", "8000000", "total");
}

#[test]
fn cross_workbook_code_in_no_providers_table_is_a_warning() {
    let run = eprscan(&["funding", "fixtures/funding_cross", "-v", "-f", "csv"]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 1, "exactly one warning:\n{}", run.stderr);
    assert!(
        warnings[0].contains("b.xlsx: Capital plan!A8: warning: ") && warnings[0].contains("RZZ"),
        "{}",
        warnings[0]
    );

    let run = eprscan(&["funding", "fixtures/funding_cross", "-f", "csv"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("eprscan: 1 warning"),
        "one-line count:\n{}",
        run.stderr
    );

    let run = eprscan(&["funding", "fixtures/funding_cross", "--strict"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "");
}

// ---------------------------------------------------------------------------------
// Other output formats

#[test]
fn table_shows_millions_with_one_decimal_and_thousands_separators() {
    let run = eprscan(&["funding", "fixtures/funding.xlsx", "--by", "supplier", "-q"]);
    run.expect_code(0);
    let line = |needle: &str| -> &str {
        run.stdout
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle} row:\n{}", run.stdout))
    };
    let epic = line("Epic");
    for shown in ["£36.0m", "£27.0m", "£9.0m", "75.0%"] {
        assert!(epic.contains(shown), "Epic row should show {shown}: {epic}");
    }
    let england = line("England");
    for shown in ["£93.5m", "£53.0m", "£13.5m", "£66.5m", "£27.0m", "71.1%"] {
        assert!(
            england.contains(shown),
            "England should show {shown}: {england}"
        );
    }
    let advanced = line("Advanced");
    for shown in ["£3.0m", "£500,000", "£2.5m", "16.7%"] {
        assert!(
            advanced.contains(shown),
            "Advanced should show {shown}: {advanced}"
        );
    }
    assert!(
        !run.stdout.contains("93500000") && !run.stdout.contains("0.711"),
        "unrounded numbers in the table:\n{}",
        run.stdout
    );
}

#[test]
fn json_gives_numbers() {
    let run = eprscan(&["funding", "fixtures/funding.xlsx", "-f", "json", "--total"]);
    run.expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let array = value.as_array().expect("a JSON array");
    assert_eq!(array.len(), 2, "{value}");
    assert_eq!(array[0]["ics_code"], "QWO");
    assert_eq!(array[1]["ics_name"], "England");
    assert_eq!(array[1]["ics_code"], serde_json::Value::Null);
    for object in array {
        let number = |k: &str| {
            object[k]
                .as_f64()
                .unwrap_or_else(|| panic!("{k} is not a number in {object}"))
        };
        assert_eq!(object["lines"].as_u64(), Some(9), "{object}");
        assert_eq!(number("total_cost"), 93_500_000.0);
        assert_eq!(number("national_funding"), 53_000_000.0);
        assert_eq!(number("local_funding"), 13_500_000.0);
        assert_eq!(number("secured"), 66_500_000.0);
        assert_eq!(number("gap"), 27_000_000.0);
        assert_close(number("funded_pct"), 133.0 / 187.0, "funded_pct");
        assert_eq!(object["missing_amounts"].as_u64(), Some(3), "{object}");
    }

    let run = eprscan(&[
        "funding",
        "fixtures/funding_units.xlsx",
        "-f",
        "json",
        "--by",
        "national",
    ]);
    run.expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let england = &value[0];
    assert_eq!(england["area"], "England");
    let local = england["local_funding"].as_f64().expect("a number");
    assert!(
        (local - 72_300_233.49).abs() < 0.005,
        "local_funding {local}"
    );
    let gap = england["gap"].as_f64().expect("a number");
    assert!((gap - 1_140_250_266.51).abs() < 0.005, "gap {gap}");
}

// ---------------------------------------------------------------------------------
// The example returns (examples/returns, 42 synthetic workbooks)

const EXAMPLES_ENGLAND: Funding = fu(
    76,
    "1736400000",
    "867000000",
    "587300000",
    "1454300000",
    "282100000",
    1_454_300_000.0 / 1_736_400_000.0,
    0,
);

#[test]
fn examples_national_totals() {
    let rows = funding_csv(&[
        "examples/returns",
        "--by",
        "national",
        "--match-rate",
        "0.5",
    ]);
    assert_eq!(rows.len(), 1);
    assert_eq!(field(&rows[0], "area"), "England");
    assert_funding(&rows[0], &EXAMPLES_ENGLAND, "examples --by national");
    // The lines' own truth: half of each line's cost, less its local funding.
    let lines = eprscan(&[
        "sql",
        "SELECT total_cost, local_funding FROM funding",
        "examples/returns",
        "-f",
        "csv",
    ]);
    lines.expect_code(0);
    let pence = |row: &Row, column: &str| -> i64 {
        let text = field(row, column);
        let pounds: f64 = if text.is_empty() {
            0.0
        } else {
            float(row, column)
        };
        (pounds * 100.0).round() as i64
    };
    let (required, shortfall) = lines.csv().iter().fold((0, 0), |(r, s), line| {
        let need = pence(line, "total_cost") / 2;
        (r + need, s + (need - pence(line, "local_funding")).max(0))
    });
    assert_match(
        &rows[0],
        &(required / 100).to_string(),
        &(shortfall / 100).to_string(),
        "examples --match-rate 0.5",
    );
    // And the England row is the sum of the ICS rows.
    let by_ics = funding_csv(&["examples/returns", "--match-rate", "0.5", "--total"]);
    let (england, ics_rows) = by_ics.split_last().expect("rows");
    assert_eq!(ics_rows.len(), 42);
    let sum = |column: &str| ics_rows.iter().map(|r| pence(r, column)).sum::<i64>();
    for column in ["total_cost", "local_required", "local_shortfall"] {
        assert_eq!(sum(column), pence(england, column), "{column}");
    }

    let run = eprscan(&["funding", "examples/returns", "--by", "national", "-q"]);
    run.expect_code(0);
    let england = run
        .stdout
        .lines()
        .find(|l| l.contains("England"))
        .unwrap_or_else(|| panic!("no England row:\n{}", run.stdout));
    for shown in [
        "£1,736.4m",
        "£867.0m",
        "£587.3m",
        "£1,454.3m",
        "£282.1m",
        "83.8%",
    ] {
        assert!(england.contains(shown), "{shown} in {england}");
    }
}

/// The per-region sums, in pounds: (region, lines, total, national, local); secured,
/// gap and funded_pct follow from them.
#[rustfmt::skip]
const EXAMPLES_BY_REGION: [(&str, u64, u64, u64, u64); 7] = [
    ("East of England",          9,  139_400_000, 67_700_000,  59_300_000),
    ("London",                   9,  196_000_000, 110_200_000, 62_700_000),
    ("Midlands",                 18, 347_000_000, 179_400_000, 124_500_000),
    ("North East and Yorkshire", 10, 330_600_000, 152_200_000, 124_000_000),
    ("North West",               8,  262_600_000, 133_100_000, 73_000_000),
    ("South East",               13, 354_800_000, 180_100_000, 110_100_000),
    ("South West",               9,  106_000_000, 44_300_000,  33_700_000),
];

#[test]
fn examples_by_region() {
    let rows = funding_csv(&["examples/returns", "--by", "region", "--total"]);
    assert_eq!(rows.len(), EXAMPLES_BY_REGION.len() + 1, "{rows:#?}");
    for (region, lines, total, national, local) in EXAMPLES_BY_REGION {
        let row = row_where(&rows, "region", region);
        let secured = national + local;
        let got = [
            "lines",
            "total_cost",
            "national_funding",
            "local_funding",
            "secured",
            "gap",
            "missing_amounts",
        ]
        .map(|c| field(row, c).to_string());
        let want =
            [lines, total, national, local, secured, total - secured, 0].map(|n| n.to_string());
        assert_eq!(got, want, "{region}: {row:?}");
        let share = secured as f64 / total as f64;
        assert_close(float(row, "funded_pct"), share, region);
    }
    assert_funding(total_row(&rows, &["region"]), &EXAMPLES_ENGLAND, "total");
}

#[test]
fn examples_by_ics_some_groups() {
    let rows = funding_csv(&["examples/returns", "--total"]);
    assert_eq!(rows.len(), 43, "42 ICSs and the total");
    #[rustfmt::skip]
    let expected = [
        ("QOQ", fu(3, "118600000", "57900000", "48700000", "106600000", "12000000", 106_600_000.0 / 118_600_000.0, 0)),
        ("QH8", fu(1, "12500000",  "6700000",  "2100000",  "8800000",   "3700000",  0.704,                         0)),
        ("QHG", fu(1, "12900000",  "6400000",  "6500000",  "12900000",  "0",        1.0,                           0)),
        ("QUA", fu(2, "60500000",  "23300000", "9300000",  "32600000",  "27900000", 32_600_000.0 / 60_500_000.0,   0)),
    ];
    for (code, funding) in &expected {
        assert_funding(row_where(&rows, "ics_code", code), funding, code);
    }
    assert_funding(total_row(&rows, ICS), &EXAMPLES_ENGLAND, "total");
}

// ---------------------------------------------------------------------------------
// An ICS that sent no funding table (fixtures/README.md, nothing_to_judge.xlsx)

#[test]
fn an_ics_whose_return_has_no_funding_table_has_an_empty_row_and_a_note() {
    let run = eprscan(&[
        "funding",
        "fixtures/funding.xlsx",
        "fixtures/nothing_to_judge.xlsx",
        "--match-rate",
        "75%",
        "-f",
        "csv",
        "--total",
    ]);
    run.expect_code(0);
    let rows = run.csv();
    assert_eq!(rows.len(), 3, "QSL, QWO and England: {rows:?}");
    let somerset = row_where(&rows, "ics_code", "QSL");
    assert_eq!(field(somerset, "ics_name"), "Somerset");
    assert_eq!(field(somerset, "lines"), "0");
    for column in [
        "total_cost",
        "national_funding",
        "local_funding",
        "secured",
        "gap",
        "funded_pct",
        "local_required",
        "local_shortfall",
    ] {
        assert_eq!(field(somerset, column), "", "{column} empty, not 0");
    }
    // West Yorkshire as funding.xlsx alone; England is the sum of the two rows.
    let west_yorkshire = row_where(&rows, "ics_code", "QWO");
    assert_funding(west_yorkshire, &WEST_YORKSHIRE, "QWO");
    assert_match(west_yorkshire, "23375000", "12250000", "QWO 75%");
    let england = total_row(&rows, ICS);
    assert_funding(england, &WEST_YORKSHIRE, "England");
    assert_match(england, "23375000", "12250000", "England 75%");
    let notes = run.stderr_notes();
    assert!(
        notes.iter().any(|n| n.starts_with(
            "eprscan: note: QSL Somerset sent no funding lines \
             (fixtures/nothing_to_judge.xlsx has no funding table"
        )),
        "{}",
        run.stderr
    );
    // A table shows the dash.
    let run = eprscan(&[
        "funding",
        "fixtures/funding.xlsx",
        "fixtures/nothing_to_judge.xlsx",
    ]);
    run.expect_code(0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("Somerset"))
        .unwrap_or_else(|| panic!("no Somerset row:\n{}", run.stdout));
    let cells: Vec<&str> = line.trim_matches('│').split('┆').map(str::trim).collect();
    assert_eq!(
        cells[2..],
        ["0", "–", "–", "–", "–", "–", "–", "0"],
        "{line}"
    );
}
