//! `eprscan maturity`: EMRAM stage and EPR group counts of NHS trusts, against the
//! expected values in fixtures/README.md ("Funding and maturity fixtures", and the
//! maturity notes of canonical.xlsx, bad_cells.xlsx and the example returns).

#[macro_use]
mod common;

use common::*;

/// The count columns after the key columns, in order.
const COUNTS: [&str; 17] = [
    "trusts",
    "stage_0",
    "stage_1",
    "stage_2",
    "stage_3",
    "stage_4",
    "stage_5",
    "stage_6",
    "stage_7",
    "stage_unknown",
    "below_stage_5",
    "at_or_above_5",
    "group_0",
    "group_1",
    "group_2",
    "group_3",
    "group_unknown",
];

/// Counts in `COUNTS` order: trusts, stage_0..stage_7, stage_unknown, below_stage_5,
/// at_or_above_5, group_0..group_3, group_unknown.
type Counts = [u64; 17];

fn assert_counts(row: &Row, expected: &Counts, context: &str) {
    let got: Vec<u64> = COUNTS
        .iter()
        .map(|c| {
            let text = field(row, c);
            text.parse()
                .unwrap_or_else(|_| panic!("{context}: {c} = {text:?} is not a count in {row:?}"))
        })
        .collect();
    if got != expected {
        let diff: Vec<String> = COUNTS
            .iter()
            .zip(got.iter().zip(expected))
            .filter(|(_, (g, e))| g != e)
            .map(|(c, (g, e))| format!("{c}: got {g}, expected {e}"))
            .collect();
        panic!("{context}: {}\n     row {row:?}", diff.join("; "));
    }
}

/// Run `eprscan maturity ARGS -f csv`, require exit 0 and return the rows.
fn maturity_csv(args: &[&str]) -> Vec<Row> {
    let mut all = vec!["maturity"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "csv"]);
    let run = eprscan(&all);
    run.expect_code(0);
    let rows = run.csv();
    assert!(!rows.is_empty(), "`{}` printed no rows", run.cmdline);
    rows
}

/// `--by national`: one row, area England.
fn national(args: &[&str]) -> Row {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--by", "national"]);
    let rows = maturity_csv(&all);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(field(&rows[0], "area"), "England");
    rows.into_iter().next().expect("one row")
}

/// `--by sector --total`: exactly `expected` (in any order) and the total.
fn assert_by_sector(path: &str, expected: &[(&str, Counts)], total: &Counts) {
    let rows = maturity_csv(&[path, "--by", "sector", "--total"]);
    assert_eq!(
        rows.len(),
        expected.len() + 1,
        "{path}: sectors and the total: {rows:#?}"
    );
    for (sector, counts) in expected {
        let row = row_where(&rows, "sector", sector);
        assert_counts(row, counts, &format!("{path} {sector}"));
    }
    let row = total_row(&rows, &["sector"]);
    assert_counts(row, total, &format!("{path} --by sector total"));
}

// ---------------------------------------------------------------------------------
// funding.xlsx (also .xls, .ods): West Yorkshire, 9 trusts and a GP practice

#[rustfmt::skip]
const WEST_YORKSHIRE: Counts =
//   trusts  0  1  2  3  4  5  6  7  unk below at>=5 g0 g1 g2 g3 gunk
    [9,      1, 0, 0, 0, 1, 1, 2, 1, 3,  2,    4,    4, 1, 1, 1, 2];

#[rustfmt::skip]
const WEST_YORKSHIRE_BY_SECTOR: [(&str, Counts); 5] = [
    ("acute",                       [5, 0, 0, 0, 0, 0, 0, 2, 1, 2, 0, 3, 2, 0, 1, 1, 1]),
    ("ambulance",                   [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]),
    ("community",                   [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0]),
    ("mental health",               [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
    ("mental health and community", [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]),
];

fn check_national(ext: &str) {
    let path = format!("fixtures/funding.{ext}");
    assert_counts(&national(&[&path]), &WEST_YORKSHIRE, &path);
}

fn check_by_ics(ext: &str) {
    let path = format!("fixtures/funding.{ext}");
    let rows = maturity_csv(&[&path, "--total"]);
    assert_eq!(rows.len(), 2, "{path}: one ICS and the total: {rows:#?}");
    let qwo = row_where(&rows, "ics_code", "QWO");
    assert_eq!(field(qwo, "ics_name"), "West Yorkshire");
    assert_counts(qwo, &WEST_YORKSHIRE, &format!("{path} QWO"));
    let total = total_row(&rows, &["ics_code", "ics_name"]);
    assert_counts(total, &WEST_YORKSHIRE, &format!("{path} total"));
}

fn check_by_sector(ext: &str) {
    // No `primary care` row: the GP practice (EMRAM 7, group 3) is not a trust.
    assert_by_sector(
        &format!("fixtures/funding.{ext}"),
        &WEST_YORKSHIRE_BY_SECTOR,
        &WEST_YORKSHIRE,
    );
}

/// The three bad maturity cells are warnings at their cells; whatever the funding
/// sheet adds is on the `Funding` sheet.
fn check_warnings(ext: &str) {
    let path = format!("fixtures/funding.{ext}");
    let run = eprscan(&["maturity", &path, "-v", "-f", "csv"]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    for (cell, text) in [
        ("Providers!G4", "5a"),
        ("Providers!H7", "Group 4"),
        ("Providers!G10", "8"),
    ] {
        let prefix = format!("{path}: {cell}: warning: ");
        let line = warnings
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no warning at {cell}:\n{}", run.stderr));
        assert!(line.contains(text), "{cell} should quote {text:?}: {line}");
    }
    let providers: Vec<&&str> = warnings
        .iter()
        .filter(|l| !l.starts_with(&format!("{path}: Funding!")))
        .collect();
    assert_eq!(
        providers.len(),
        3,
        "only the three maturity cells outside the funding sheet:\n{}",
        run.stderr
    );
    assert_counts(&run.csv()[0], &WEST_YORKSHIRE, &format!("{path} -v"));
}

each_format! {
    funding_fixture_national: check_national;
    funding_fixture_by_ics: check_by_ics;
    funding_fixture_by_sector: check_by_sector;
    funding_fixture_warnings: check_warnings;
}

#[test]
fn csv_columns() {
    let run = eprscan(&[
        "maturity",
        "fixtures/funding.xlsx",
        "--by",
        "national",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    let mut expected = vec!["area"];
    expected.extend(COUNTS);
    assert_eq!(csv_header(&run.stdout), expected);

    let run = eprscan(&["maturity", "fixtures/funding.xlsx", "-f", "csv"]);
    run.expect_code(0);
    let mut expected = vec!["ics_code", "ics_name"];
    expected.extend(COUNTS);
    assert_eq!(csv_header(&run.stdout), expected);
    assert_eq!(run.csv().len(), 1, "no total row without --total");
}

#[test]
fn strict_turns_the_maturity_warnings_into_exit_1() {
    let run = eprscan(&["maturity", "fixtures/funding.xlsx", "--strict", "-f", "csv"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("Providers!G4: warning: "),
        "{}",
        run.stderr
    );
}

#[test]
fn table_has_the_national_row() {
    let run = eprscan(&["maturity", "fixtures/funding.xlsx", "--by", "sector", "-q"]);
    run.expect_code(0);
    let england = run
        .stdout
        .lines()
        .find(|l| l.contains("England"))
        .unwrap_or_else(|| panic!("no England row:\n{}", run.stdout));
    let numbers: Vec<&str> = england
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let expected: Vec<String> = WEST_YORKSHIRE.iter().map(u64::to_string).collect();
    assert_eq!(numbers, expected, "England row: {england}");
    assert!(
        !run.stdout.contains("primary care"),
        "the GP practice is not a trust:\n{}",
        run.stdout
    );
}

#[test]
fn json_gives_integers() {
    let run = eprscan(&["maturity", "fixtures/funding.xlsx", "-f", "json", "--total"]);
    run.expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let array = value.as_array().expect("a JSON array");
    assert_eq!(array.len(), 2, "{value}");
    assert_eq!(array[0]["ics_code"], "QWO");
    assert_eq!(array[1]["ics_name"], "England");
    for object in array {
        let got: Vec<u64> = COUNTS
            .iter()
            .map(|c| {
                object[*c]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{c} is not an integer in {object}"))
            })
            .collect();
        assert_eq!(got, WEST_YORKSHIRE, "{object}");
    }
}

// ---------------------------------------------------------------------------------
// funding_units.xlsx and funding_cross/

#[test]
fn funding_units_header_synonyms_and_a_bad_stage() {
    // `Digital maturity (EMRAM)` and `Group`; RQQ's `high` (G3) is unknown.
    #[rustfmt::skip]
    let expected: Counts = [3, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0];
    assert_counts(
        &national(&["fixtures/funding_units.xlsx"]),
        &expected,
        "funding_units.xlsx",
    );
    #[rustfmt::skip]
    let sectors = [
        ("acute",     [2, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0]),
        ("community", [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]),
    ];
    assert_by_sector("fixtures/funding_units.xlsx", &sectors, &expected);

    let run = eprscan(&["maturity", "fixtures/funding_units.xlsx", "-v", "-f", "csv"]);
    run.expect_code(0);
    let prefix = "fixtures/funding_units.xlsx: Providers!G3: warning: ";
    let line = run
        .stderr_warnings()
        .into_iter()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no warning at Providers!G3:\n{}", run.stderr));
    assert!(line.contains("high"), "{line}");
}

#[rustfmt::skip]
const NOTTINGHAM: Counts = [3, 0, 1, 0, 1, 0, 0, 1, 0, 0, 2, 1, 1, 0, 1, 1, 0];
#[rustfmt::skip]
const SOUTH_YORKSHIRE: Counts = [3, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 2, 0, 1, 1, 1, 0];
#[rustfmt::skip]
const CROSS_ENGLAND: Counts = [6, 0, 1, 1, 1, 0, 1, 1, 1, 0, 3, 3, 1, 1, 2, 2, 0];

#[test]
fn funding_cross_by_ics_region_and_national() {
    let rows = maturity_csv(&["fixtures/funding_cross", "--total"]);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert_counts(row_where(&rows, "ics_code", "QT1"), &NOTTINGHAM, "QT1");
    assert_counts(row_where(&rows, "ics_code", "QF7"), &SOUTH_YORKSHIRE, "QF7");
    let total = total_row(&rows, &["ics_code", "ics_name"]);
    assert_counts(total, &CROSS_ENGLAND, "total");

    let rows = maturity_csv(&["fixtures/funding_cross", "--by", "region"]);
    let midlands = row_where(&rows, "region", "Midlands");
    assert_counts(midlands, &NOTTINGHAM, "Midlands");
    let north_east = row_where(&rows, "region", "North East and Yorkshire");
    assert_counts(north_east, &SOUTH_YORKSHIRE, "North East and Yorkshire");

    assert_counts(
        &national(&["fixtures/funding_cross"]),
        &CROSS_ENGLAND,
        "funding_cross",
    );
}

// ---------------------------------------------------------------------------------
// Earlier fixtures: canonical (all four formats) and bad_cells

#[rustfmt::skip]
const CANONICAL: Counts = [10, 0, 2, 2, 0, 0, 2, 0, 1, 3, 4, 3, 0, 2, 4, 4, 0];

#[test]
fn canonical_in_every_format() {
    for ext in ["xlsx", "xls", "ods", "csv"] {
        let path = format!("fixtures/canonical.{ext}");
        let rows = maturity_csv(&[&path, "--total"]);
        assert_eq!(rows.len(), 2, "{path}: {rows:#?}");
        let qh8 = row_where(&rows, "ics_code", "QH8");
        assert_counts(qh8, &CANONICAL, &path);
        let total = total_row(&rows, &["ics_code", "ics_name"]);
        assert_counts(total, &CANONICAL, &format!("{path} total"));
    }
}

#[test]
fn bad_cells_5a_is_unknown() {
    #[rustfmt::skip]
    let expected: Counts = [6, 0, 0, 0, 0, 0, 1, 2, 0, 3, 0, 3, 0, 2, 3, 1, 0];
    let rows = maturity_csv(&["fixtures/bad_cells.xlsx", "--total"]);
    assert_counts(
        row_where(&rows, "ics_code", "QNX"),
        &expected,
        "bad_cells.xlsx",
    );
    assert_counts(
        total_row(&rows, &["ics_code", "ics_name"]),
        &expected,
        "bad_cells.xlsx total",
    );
}

// ---------------------------------------------------------------------------------
// Every stage and group form, and the group-0 derivation, in generated CSV files

const PROVIDERS_HEADER: &str =
    "ODS code,Organisation name,Sector,ICB code,EPR status,Supplier,EMRAM stage,EPR group\n";

#[test]
fn stage_and_group_forms() {
    let dir = temp_dir();
    let mut csv = String::from(PROVIDERS_HEADER);
    #[rustfmt::skip]
    let rows = [
        // line 2
        ("RB0", "0", "1"),
        ("RB1", "1", "Group 1"),
        ("RB2", "Stage 2", "2"),
        ("RB3", "Stage 3", "Group 2"),
        ("RB4", "4", "3"),
        ("RB5", "Stage 5", "Group 3"),
        ("RB6", "6", "x"),          // H8: warning
        ("RB7", "7", "Group 4"),    // H9: warning
        ("RB8", "5a", "0"),         // G10: warning
        ("RB9", "8", "Group 0"),    // G11: warning
        ("RC0", "high", ""),        // G12: warning; blank group, live: unknown
        ("RC1", "", "2"),
        ("RC2", "Stage 7", "1"),
    ];
    for (code, stage, group) in rows {
        csv.push_str(&format!(
            "{code},Trust {code},Acute,QOP,Live,Epic,{stage},{group}\n"
        ));
    }
    write_file(dir.path(), "providers.csv", csv);
    let run = eprscan_in(
        dir.path(),
        &[
            "maturity",
            "providers.csv",
            "--by",
            "national",
            "-v",
            "-f",
            "csv",
        ],
    );
    run.expect_code(0);
    #[rustfmt::skip]
    let expected: Counts =
    //   trusts  0  1  2  3  4  5  6  7  unk below at>=5 g0 g1 g2 g3 gunk
        [13,     1, 1, 1, 1, 1, 1, 1, 2, 4,  5,    4,    2, 3, 3, 2, 3];
    assert_counts(&run.csv()[0], &expected, "stage and group forms");
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 5, "five warnings:\n{}", run.stderr);
    for (cell, text) in [
        ("H8", "x"),
        ("H9", "Group 4"),
        ("G10", "5a"),
        ("G11", "8"),
        ("G12", "high"),
    ] {
        let prefix = format!("providers.csv: {cell}: warning: ");
        let line = warnings
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no warning at {cell}:\n{}", run.stderr));
        assert!(line.contains(text), "{cell} should quote {text:?}: {line}");
    }
}

/// A blank group is group 0 ("no live EPR") when the status is known and not live,
/// and unknown when the status is live or unknown; a group that is given is kept.
#[test]
fn blank_group_is_derived_from_the_status() {
    let dir = temp_dir();
    let mut csv = String::from(PROVIDERS_HEADER);
    #[rustfmt::skip]
    let rows = [
        // (code, status, group): line 2 onwards
        ("RA1", "Live", ""),             // unknown
        ("RA2", "Implementing", ""),     // 0
        ("RA3", "Procuring", ""),        // 0
        ("RA4", "Business case", ""),    // planning: 0
        ("RA5", "None", ""),             // 0
        ("RA6", "Maybe", ""),            // status unknown (warning E7): unknown
        ("RA7", "Live", "Group 0"),      // 0 as given
        ("RA8", "Live", "3"),            // 3
        ("RA9", "None", "2"),            // 2 as given
    ];
    for (code, status, group) in rows {
        csv.push_str(&format!(
            "{code},Trust {code},Acute,QOP,{status},Epic,,{group}\n"
        ));
    }
    csv.push_str("GPX09,Example Practice,GP practice,QOP,None,,,\n");
    write_file(dir.path(), "providers.csv", csv);
    let run = eprscan_in(
        dir.path(),
        &[
            "maturity",
            "providers.csv",
            "--by",
            "national",
            "-v",
            "-f",
            "csv",
        ],
    );
    run.expect_code(0);
    #[rustfmt::skip]
    let expected: Counts =
    //   trusts  0  1  2  3  4  5  6  7  unk below at>=5 g0 g1 g2 g3 gunk
        [9,      0, 0, 0, 0, 0, 0, 0, 0, 9,  0,    0,    5, 0, 1, 1, 2];
    assert_counts(&run.csv()[0], &expected, "derived group 0");
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 1, "one warning (E7):\n{}", run.stderr);
    assert!(
        warnings[0].starts_with("providers.csv: E7: warning: "),
        "{}",
        warnings[0]
    );
}

// ---------------------------------------------------------------------------------
// The example returns (examples/returns, 42 synthetic workbooks, 210 NHS trusts)

#[rustfmt::skip]
const EXAMPLES_ENGLAND: Counts =
//   trusts  0   1   2   3   4   5   6   7   unk below at>=5 g0  g1  g2  g3  gunk
    [210,    27, 22, 37, 29, 10, 26, 14, 11, 34, 125,  51,   23, 29, 41, 35, 82];

#[test]
fn examples_national() {
    assert_counts(
        &national(&["examples/returns"]),
        &EXAMPLES_ENGLAND,
        "examples --by national",
    );
}

#[test]
fn examples_by_sector() {
    #[rustfmt::skip]
    let sectors = [
        ("acute",                       [138, 20, 10, 26, 14, 8, 22, 14, 11, 13, 78, 47, 14, 19, 28, 25, 52]),
        ("ambulance",                   [7,   1,  1,  2,  2,  0, 0,  0,  0,  1,  6,  0,  0,  2,  0,  0,  5]),
        ("community",                   [14,  3,  3,  0,  1,  0, 0,  0,  0,  7,  7,  0,  4,  1,  2,  1,  6]),
        ("mental health",               [29,  2,  5,  5,  5,  1, 4,  0,  0,  7,  18, 4,  5,  4,  8,  4,  8]),
        ("mental health and community", [22,  1,  3,  4,  7,  1, 0,  0,  0,  6,  16, 0,  0,  3,  3,  5,  11]),
    ];
    assert_by_sector("examples/returns", &sectors, &EXAMPLES_ENGLAND);
}

#[test]
fn examples_by_region() {
    #[rustfmt::skip]
    let regions = [
        ("East of England",          [25, 5, 1, 3, 4, 1, 4, 2, 1, 4, 14, 7,  1, 4, 3,  2,  15]),
        ("London",                   [33, 5, 4, 6, 1, 2, 6, 1, 2, 6, 18, 9,  3, 7, 10, 10, 3]),
        ("Midlands",                 [42, 4, 1, 9, 6, 4, 2, 4, 4, 8, 24, 10, 4, 4, 10, 9,  15]),
        ("North East and Yorkshire", [28, 5, 5, 2, 3, 0, 6, 2, 1, 4, 15, 9,  6, 2, 3,  1,  16]),
        ("North West",               [22, 3, 0, 4, 3, 1, 3, 0, 2, 6, 11, 5,  5, 2, 4,  3,  8]),
        ("South East",               [33, 2, 6, 5, 8, 2, 4, 3, 1, 2, 23, 8,  3, 6, 7,  5,  12]),
        ("South West",               [27, 3, 5, 8, 4, 0, 1, 2, 0, 4, 20, 3,  1, 4, 4,  5,  13]),
    ];
    let rows = maturity_csv(&["examples/returns", "--by", "region", "--total"]);
    assert_eq!(rows.len(), regions.len() + 1, "{rows:#?}");
    for (region, counts) in &regions {
        assert_counts(row_where(&rows, "region", region), counts, region);
    }
    let total = total_row(&rows, &["region"]);
    assert_counts(total, &EXAMPLES_ENGLAND, "examples --by region total");
}

/// Issue 17.1: national_list.csv has no EMRAM stage or EPR group column. A note at
/// its header row and the table title say the figures are unknown because the
/// columns are absent; a fixture with the columns gets neither.
#[test]
fn absent_maturity_columns_are_said_not_shown_as_plain_unknown() {
    let run = eprscan(&[
        "maturity",
        arg(&fixture("national_list.csv")),
        "--by",
        "national",
    ]);
    run.expect_code(0);
    let notes = run.stderr_notes();
    let note = notes
        .iter()
        .find(|n| n.contains("no EMRAM stage or EPR group column"))
        .unwrap_or_else(|| panic!("a note about the absent columns: {}", run.stderr));
    assert!(
        note.starts_with("national_list.csv: A1: note:")
            || note.contains("national_list.csv: A1: note:"),
        "{note}"
    );
    assert!(
        note.contains("unknown because the columns are absent"),
        "{note}"
    );
    assert!(
        run.stdout
            .contains("1 of 1 returns have no EMRAM stage or EPR group column"),
        "{}",
        run.stdout
    );
    let run = eprscan(&[
        "maturity",
        arg(&fixture("canonical.xlsx")),
        "--by",
        "national",
    ]);
    run.expect_code(0);
    assert!(!run.stderr.contains("columns are absent"), "{}", run.stderr);
    assert!(
        !run.stdout.contains("returns have no EMRAM"),
        "{}",
        run.stdout
    );
}
