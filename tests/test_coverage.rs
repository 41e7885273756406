//! `eprscan coverage`: the numbers of every invocation table in fixtures/README.md,
//! the output formats and the exit codes.

mod common;

use common::*;

const ICS: &[&str] = &["ics_code", "ics_name"];

/// Single-group fixtures: the group row and the national total (with `--total`) both
/// carry `expected`.
fn assert_single_group(path: &str, args: &[&str], code: &str, name: &str, expected: &Metrics) {
    let rows = coverage_csv(path, args);
    let context = format!("coverage {path} {}", args.join(" "));
    assert_eq!(
        rows.len(),
        2,
        "{context}: one group and the total: {rows:#?}"
    );
    assert_eq!(field(&rows[0], "ics_code"), code, "{context}");
    assert_eq!(field(&rows[0], "ics_name"), name, "{context}");
    assert_metrics(&rows[0], expected, &format!("{context}: {code}"));
    let total = total_row(&rows, ICS);
    assert_metrics(total, expected, &format!("{context}: national total"));
}

/// `--by sector`: rows in README (alphabetical) order, then the total.
fn assert_by_sector(path: &str, args: &[&str], expected: &[(&str, Metrics)], total: &Metrics) {
    let mut all = vec!["--by", "sector"];
    all.extend_from_slice(args);
    let rows = coverage_csv(path, &all);
    let context = format!("coverage {path} {}", all.join(" "));
    let sectors: Vec<&str> = rows.iter().map(|r| field(r, "sector")).collect();
    let mut want: Vec<&str> = expected.iter().map(|(s, _)| *s).collect();
    want.push("England");
    assert_eq!(sectors, want, "{context}: sector rows");
    for (row, (sector, metrics)) in rows.iter().zip(expected) {
        assert_metrics(row, metrics, &format!("{context}: {sector}"));
    }
    assert_metrics(
        total_row(&rows, &["sector"]),
        total,
        &format!("{context}: total"),
    );
}

// ---------------------------------------------------------------------------------
// canonical.xlsx / .xls / .ods / .csv: every invocation of the README table, each on
// all four files.

fn check_canonical(ext: &str, args: &[&str], expected: Metrics) {
    assert_single_group(
        &format!("fixtures/canonical.{ext}"),
        args,
        "QH8",
        "Mid and South Essex",
        &expected,
    );
}

macro_rules! canonical_cases {
    ($($name:ident: [$($arg:literal),*] => $expected:expr;)*) => {$(
        mod $name {
            use super::*;
            #[test]
            fn xlsx() { check_canonical("xlsx", &[$($arg),*], $expected) }
            #[test]
            fn xls() { check_canonical("xls", &[$($arg),*], $expected) }
            #[test]
            fn ods() { check_canonical("ods", &[$($arg),*], $expected) }
            #[test]
            fn csv() { check_canonical("csv", &[$($arg),*], $expected) }
        }
    )*};
}

canonical_cases! {
    canonical_default: [] => m(10, 7, 2, 1, 0.7, false, 2, false);
    canonical_as_of_2024_06_30: ["--as-of", "2024-06-30"] => m(10, 5, 2, 3, 0.5, false, 4, false);
    canonical_as_of_2024_09_14: ["--as-of", "2024-09-14"] => m(10, 5, 2, 3, 0.5, false, 4, false);
    canonical_as_of_rde_go_live_day: ["--as-of", "2024-09-15"] => m(10, 6, 2, 2, 0.6, false, 3, false);
    canonical_as_of_rwr_go_live_day: ["--as-of", "2025-02-03"] => m(10, 7, 2, 1, 0.7, false, 2, false);
    canonical_target_0_75: ["--target", "0.75"] => m(10, 7, 2, 1, 0.7, false, 1, false);
    canonical_target_0_7: ["--target", "0.7"] => m(10, 7, 2, 1, 0.7, true, 0, false);
    canonical_as_of_and_target_0_5: ["--as-of", "2024-06-30", "--target", "0.5"] => m(10, 5, 2, 3, 0.5, true, 0, false);
    canonical_target_as_percentage: ["--target", "75%"] => m(10, 7, 2, 1, 0.7, false, 1, false);
}

fn check_canonical_by_sector(ext: &str) {
    assert_by_sector(
        &format!("fixtures/canonical.{ext}"),
        &[],
        &[
            ("acute", m(5, 3, 2, 0, 0.6, false, 2, true)),
            ("ambulance", m(1, 1, 0, 0, 1.0, true, 0, true)),
            ("community", m(1, 0, 0, 1, 0.0, false, 1, false)),
            ("mental health", m(2, 2, 0, 0, 1.0, true, 0, true)),
            (
                "mental health and community",
                m(1, 1, 0, 0, 1.0, true, 0, true),
            ),
        ],
        &m(10, 7, 2, 1, 0.7, false, 2, false),
    );
}

#[test]
fn canonical_xlsx_by_sector() {
    check_canonical_by_sector("xlsx");
}

#[test]
fn canonical_xls_by_sector() {
    check_canonical_by_sector("xls");
}

#[test]
fn canonical_ods_by_sector() {
    check_canonical_by_sector("ods");
}

#[test]
fn canonical_csv_by_sector() {
    check_canonical_by_sector("csv");
}

#[test]
fn canonical_target_column_carries_the_target() {
    for (target, expected) in [("0.75", 0.75), ("75%", 0.75), ("0.7", 0.7), ("90%", 0.9)] {
        let rows = coverage_csv("fixtures/canonical.xlsx", &["--target", target]);
        for row in &rows {
            assert_close(
                float(row, "target"),
                expected,
                &format!("--target {target}"),
            );
        }
    }
    let rows = coverage_csv("fixtures/canonical.xlsx", &[]);
    assert_close(float(&rows[0], "target"), 0.9, "default target");
}

#[test]
fn canonical_inputs_give_no_warnings_even_under_strict() {
    for ext in ["xlsx", "xls", "ods", "csv"] {
        let path = format!("fixtures/canonical.{ext}");
        let run = eprscan(&["coverage", &path, "--strict", "-v", "-f", "csv"]);
        run.expect_code(0);
        assert!(
            run.stderr_warnings().is_empty() && run.stderr_errors().is_empty(),
            "{path}: {}",
            run.stderr
        );
    }
}

#[test]
fn canonical_by_region() {
    let rows = coverage_csv("fixtures/canonical.xlsx", &["--by", "region"]);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert!(
        field(&rows[0], "region").contains("East of England"),
        "region of QH8 is East of England (Y61): {rows:#?}"
    );
    let expected = m(10, 7, 2, 1, 0.7, false, 2, false);
    assert_metrics(&rows[0], &expected, "canonical --by region");
    assert_metrics(
        total_row(&rows, &["region"]),
        &expected,
        "canonical --by region total",
    );
}

#[test]
fn canonical_by_national_is_one_row_even_with_total() {
    let rows = coverage_csv("fixtures/canonical.xlsx", &["--by", "national"]);
    assert_eq!(rows.len(), 1, "no duplicated total row: {rows:#?}");
    assert_eq!(field(&rows[0], "area"), "England");
    assert_metrics(
        &rows[0],
        &m(10, 7, 2, 1, 0.7, false, 2, false),
        "canonical --by national",
    );
}

#[test]
fn canonical_sectors_acute_and_ambulance() {
    // From the --by sector table: acute 5/3/2/0 + ambulance 1/1/0/0.
    let expected = m(6, 4, 2, 0, 4.0 / 6.0, false, 2, true);
    let rows = coverage_csv("fixtures/canonical.xlsx", &["--sectors", "acute,ambulance"]);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_eq!(field(&rows[0], "ics_code"), "QH8");
    assert_metrics(&rows[0], &expected, "--sectors acute,ambulance: QH8");
    assert_metrics(
        total_row(&rows, ICS),
        &expected,
        "--sectors acute,ambulance: total",
    );

    let rows = coverage_csv(
        "fixtures/canonical.xlsx",
        &["--sectors", "acute,ambulance", "--by", "sector"],
    );
    let sectors: Vec<&str> = rows.iter().map(|r| field(r, "sector")).collect();
    assert_eq!(sectors, ["acute", "ambulance", "England"]);
    assert_metrics(&rows[0], &m(5, 3, 2, 0, 0.6, false, 2, true), "acute");
    assert_metrics(&rows[1], &m(1, 1, 0, 0, 1.0, true, 0, true), "ambulance");
}

#[test]
fn sectors_can_widen_the_population_beyond_trusts() {
    // GPX01 (GP practice, live) joins when primary care is asked for.
    let rows = coverage_csv(
        "fixtures/canonical.xlsx",
        &["--sectors", "acute,primary care", "--by", "sector"],
    );
    let sectors: Vec<&str> = rows.iter().map(|r| field(r, "sector")).collect();
    assert_eq!(sectors, ["acute", "primary care", "England"]);
    assert_metrics(&rows[1], &m(1, 1, 0, 0, 1.0, true, 0, true), "primary care");
    assert_metrics(
        &rows[2],
        &m(6, 4, 2, 0, 4.0 / 6.0, false, 2, true),
        "acute + primary care total",
    );
}

// ---------------------------------------------------------------------------------
// titled_merged.xlsx / .ods

fn check_titled(ext: &str, args: &[&str], expected: Metrics) {
    assert_single_group(
        &format!("fixtures/titled_merged.{ext}"),
        args,
        "QKK",
        "South East London",
        &expected,
    );
}

macro_rules! titled_cases {
    ($($name:ident: [$($arg:literal),*] => $expected:expr;)*) => {$(
        mod $name {
            use super::*;
            #[test]
            fn xlsx() { check_titled("xlsx", &[$($arg),*], $expected) }
            #[test]
            fn ods() { check_titled("ods", &[$($arg),*], $expected) }
        }
    )*};
}

titled_cases! {
    titled_default: [] => m(23, 19, 2, 2, 19.0 / 23.0, false, 2, false);
    titled_as_of_2025_03_30: ["--as-of", "2025-03-30"] => m(23, 5, 2, 16, 5.0 / 23.0, false, 16, false);
    titled_as_of_2025_03_31: ["--as-of", "2025-03-31"] => m(23, 16, 2, 5, 16.0 / 23.0, false, 5, false);
    titled_as_of_2025_04_01: ["--as-of", "2025-04-01"] => m(23, 18, 2, 3, 18.0 / 23.0, false, 3, false);
    titled_as_of_2025_06_29: ["--as-of", "2025-06-29"] => m(23, 18, 2, 3, 18.0 / 23.0, false, 3, false);
    titled_as_of_2025_06_30: ["--as-of", "2025-06-30"] => m(23, 19, 2, 2, 19.0 / 23.0, false, 2, false);
}

#[test]
fn titled_coverage_matches_readme_decimals() {
    // The README also gives the shortest f64 decimals; they must parse to the same
    // values as the fractions.
    let rows = coverage_csv("fixtures/titled_merged.xlsx", &["--as-of", "2025-04-01"]);
    assert_close(float(&rows[0], "coverage"), 0.782608695652174, "18/23");
    let rows = coverage_csv("fixtures/titled_merged.xlsx", &[]);
    assert_close(float(&rows[0], "coverage"), 0.8260869565217391, "19/23");
}

fn check_titled_by_sector(ext: &str) {
    assert_by_sector(
        &format!("fixtures/titled_merged.{ext}"),
        &[],
        &[
            ("acute", m(15, 12, 2, 1, 0.8, false, 2, false)),
            ("ambulance", m(1, 1, 0, 0, 1.0, true, 0, true)),
            ("community", m(2, 2, 0, 0, 1.0, true, 0, true)),
            ("mental health", m(3, 3, 0, 0, 1.0, true, 0, true)),
            (
                "mental health and community",
                m(2, 1, 0, 1, 0.5, false, 1, false),
            ),
        ],
        &m(23, 19, 2, 2, 19.0 / 23.0, false, 2, false),
    );
}

#[test]
fn titled_merged_xlsx_by_sector() {
    check_titled_by_sector("xlsx");
}

#[test]
fn titled_merged_ods_by_sector() {
    check_titled_by_sector("ods");
}

#[test]
fn titled_merged_by_region() {
    let rows = coverage_csv("fixtures/titled_merged.xlsx", &["--by", "region"]);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert!(
        field(&rows[0], "region").contains("London"),
        "QKK is in London (Y56): {rows:#?}"
    );
    assert_metrics(
        &rows[0],
        &m(23, 19, 2, 2, 19.0 / 23.0, false, 2, false),
        "titled_merged --by region",
    );
}

// ---------------------------------------------------------------------------------
// tracker.xlsx

#[test]
fn tracker_by_ics_with_total() {
    let rows = coverage_csv("fixtures/tracker.xlsx", &[]);
    let keys: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (field(r, "ics_code"), field(r, "ics_name")))
        .collect();
    assert_eq!(
        keys,
        [
            ("QE1", "Lancashire and South Cumbria"),
            ("QHM", "North East and North Cumbria"),
            ("QOP", "Greater Manchester"),
            ("QRL", "Hampshire and Isle of Wight"),
            ("", "England"),
        ],
        "groups in ICB-code order, no QYG (hidden sheets)"
    );
    assert_metrics(&rows[0], &m(5, 1, 1, 3, 0.2, false, 4, false), "QE1");
    assert_metrics(&rows[1], &m(2, 2, 0, 0, 1.0, true, 0, true), "QHM");
    assert_metrics(&rows[2], &m(5, 5, 0, 0, 1.0, true, 0, true), "QOP");
    assert_metrics(&rows[3], &m(1, 0, 1, 0, 0.0, false, 1, true), "QRL");
    assert_metrics(
        total_row(&rows, ICS),
        &m(13, 8, 2, 3, 8.0 / 13.0, false, 4, false),
        "tracker national total",
    );
    assert_close(
        float(&rows[4], "coverage"),
        0.6153846153846154,
        "README decimal",
    );
}

#[test]
fn tracker_by_sector() {
    assert_by_sector(
        "fixtures/tracker.xlsx",
        &[],
        &[
            ("acute", m(7, 4, 0, 3, 4.0 / 7.0, false, 3, false)),
            ("ambulance", m(2, 2, 0, 0, 1.0, true, 0, true)),
            ("community", m(1, 0, 1, 0, 0.0, false, 1, true)),
            (
                "mental health and community",
                m(3, 2, 1, 0, 2.0 / 3.0, false, 1, true),
            ),
        ],
        &m(13, 8, 2, 3, 8.0 / 13.0, false, 4, false),
    );
}

#[test]
fn tracker_by_national() {
    let rows = coverage_csv("fixtures/tracker.xlsx", &["--by", "national"]);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(field(&rows[0], "area"), "England");
    assert_metrics(
        &rows[0],
        &m(13, 8, 2, 3, 8.0 / 13.0, false, 4, false),
        "tracker --by national",
    );
}

#[test]
fn tracker_sectors_acute_matches_the_acute_row() {
    let rows = coverage_csv("fixtures/tracker.xlsx", &["--sectors", "acute"]);
    assert_metrics(
        total_row(&rows, ICS),
        &m(7, 4, 0, 3, 4.0 / 7.0, false, 3, false),
        "tracker --sectors acute total",
    );
    assert!(
        rows.iter().all(|r| field(r, "ics_code") != "QRL"),
        "QRL has no acute trust: {rows:#?}"
    );
}

// ---------------------------------------------------------------------------------
// national_list.csv (with and without --ods)

#[test]
fn national_list_without_ods_is_one_group_with_no_ics() {
    let rows = coverage_csv("fixtures/national_list.csv", &[]);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_eq!(field(&rows[0], "ics_code"), "(unknown)");
    assert_eq!(field(&rows[0], "ics_name"), "(unknown)");
    let expected = m(12, 8, 0, 4, 8.0 / 12.0, false, 3, false);
    assert_metrics(&rows[0], &expected, "national_list: no-ICS group");
    assert_metrics(
        total_row(&rows, ICS),
        &expected,
        "national_list: national total",
    );
}

#[test]
fn national_list_with_ods_by_ics() {
    let rows = coverage_csv(
        "fixtures/national_list.csv",
        &["--ods", "fixtures/ods/etr.csv"],
    );
    let keys: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (field(r, "ics_code"), field(r, "ics_name")))
        .collect();
    assert_eq!(
        keys,
        [
            ("QE1", "Lancashire and South Cumbria"),
            ("QHM", "North East and North Cumbria"),
            ("QOP", "Greater Manchester"),
            ("(unknown)", "(unknown)"),
            ("", "England"),
        ],
        "known groups in ICB-code order, the no-ICS group (RWD) last; RE9 adds nothing"
    );
    assert_metrics(&rows[0], &m(3, 2, 0, 1, 2.0 / 3.0, false, 1, false), "QE1");
    assert_metrics(&rows[1], &m(4, 3, 0, 1, 0.75, false, 1, false), "QHM");
    assert_metrics(&rows[2], &m(4, 2, 0, 2, 0.5, false, 2, false), "QOP");
    assert_metrics(&rows[3], &m(1, 1, 0, 0, 1.0, true, 0, true), "no ICS (RWD)");
    assert_metrics(
        total_row(&rows, ICS),
        &m(12, 8, 0, 4, 8.0 / 12.0, false, 3, false),
        "national total (RLN kept)",
    );
}

#[test]
fn national_list_with_ods_by_region() {
    let rows = coverage_csv(
        "fixtures/national_list.csv",
        &["--ods", "fixtures/ods/etr.csv", "--by", "region"],
    );
    assert_eq!(rows.len(), 4, "three groups and the total: {rows:#?}");
    let find = |label: &str| {
        rows.iter()
            .find(|r| field(r, "region").contains(label))
            .unwrap_or_else(|| panic!("no region row matching {label:?}: {rows:#?}"))
    };
    assert_metrics(
        find("North West"),
        &m(7, 4, 0, 3, 4.0 / 7.0, false, 3, false),
        "Y62 North West",
    );
    assert_metrics(
        find("North East and Yorkshire"),
        &m(4, 3, 0, 1, 0.75, false, 1, false),
        "Y63 North East and Yorkshire",
    );
    let unknown = row_where(&rows, "region", "(unknown)");
    assert_metrics(
        unknown,
        &m(1, 1, 0, 0, 1.0, true, 0, true),
        "no region (RWD)",
    );
    assert_metrics(
        total_row(&rows, &["region"]),
        &m(12, 8, 0, 4, 8.0 / 12.0, false, 3, false),
        "national total by region",
    );
}

// ---------------------------------------------------------------------------------
// dupes/, discovery/, bad_cells.xlsx, epoch1904.xlsx

#[test]
fn dupes_default_newer_submission_wins() {
    assert_single_group(
        "fixtures/dupes/",
        &[],
        "QJG",
        "Suffolk and North East Essex",
        &m(4, 3, 1, 0, 0.75, false, 1, true),
    );
}

#[test]
fn dupes_as_of_2024_06_30() {
    assert_single_group(
        "fixtures/dupes/",
        &["--as-of", "2024-06-30"],
        "QJG",
        "Suffolk and North East Essex",
        &m(4, 2, 1, 1, 0.5, false, 2, false),
    );
}

#[test]
fn discovery_reads_good_xlsx_only() {
    assert_single_group(
        "fixtures/discovery/",
        &[],
        "QSL",
        "Somerset",
        &m(3, 2, 1, 0, 2.0 / 3.0, false, 1, true),
    );
}

#[test]
fn bad_cells_rows_are_kept() {
    assert_single_group(
        "fixtures/bad_cells.xlsx",
        &[],
        "QNX",
        "Sussex",
        &m(6, 3, 1, 2, 0.5, false, 3, false),
    );
}

const QU9: &str = "Buckinghamshire, Oxfordshire and Berkshire West";

#[test]
fn epoch1904_default() {
    assert_single_group(
        "fixtures/epoch1904.xlsx",
        &[],
        "QU9",
        QU9,
        &m(1, 1, 0, 0, 1.0, true, 0, true),
    );
}

#[test]
fn epoch1904_as_of_go_live_day() {
    assert_single_group(
        "fixtures/epoch1904.xlsx",
        &["--as-of", "2024-06-30"],
        "QU9",
        QU9,
        &m(1, 1, 0, 0, 1.0, true, 0, true),
    );
}

#[test]
fn epoch1904_as_of_day_before() {
    assert_single_group(
        "fixtures/epoch1904.xlsx",
        &["--as-of", "2024-06-29"],
        "QU9",
        QU9,
        &m(1, 0, 0, 1, 0.0, false, 1, false),
    );
}

// ---------------------------------------------------------------------------------
// CSV shape

#[test]
fn csv_columns_and_total_only_with_flag() {
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "-f", "csv"]);
    run.expect_code(0);
    assert_eq!(
        csv_header(&run.stdout),
        [
            "ics_code",
            "ics_name",
            "trusts",
            "live",
            "implementing",
            "not_started",
            "coverage",
            "target",
            "met",
            "shortfall",
            "rest_implementing"
        ]
    );
    let rows = run.csv();
    assert_eq!(rows.len(), 1, "no total row without --total: {rows:#?}");
    assert_eq!(field(&rows[0], "ics_code"), "QH8");

    let run = eprscan(&[
        "coverage",
        "fixtures/tracker.xlsx",
        "--by",
        "supplier",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    assert_eq!(csv_header(&run.stdout)[0], "supplier");
    assert!(run.csv().iter().all(|r| field(r, "supplier") != "England"));
}

// ---------------------------------------------------------------------------------
// Other output formats

#[test]
fn table_output_has_total_row_and_percentages() {
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx"]);
    run.expect_code(0);
    let england: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("England"))
        .collect();
    assert_eq!(england.len(), 1, "one total row:\n{}", run.stdout);
    assert!(england[0].contains("70.0%"), "{}", england[0]);
    assert!(england[0].contains("90.0%"), "{}", england[0]);
    let qh8 = run
        .stdout
        .lines()
        .find(|l| l.contains("QH8"))
        .unwrap_or_else(|| panic!("no QH8 row:\n{}", run.stdout));
    assert!(qh8.contains("Mid and South Essex") && qh8.contains("70.0%"));
}

#[test]
fn table_output_rounds_repeating_shares() {
    let run = eprscan(&["coverage", "fixtures/titled_merged.xlsx", "-q"]);
    run.expect_code(0);
    assert!(run.stdout.contains("82.6%"), "19/23:\n{}", run.stdout);
    assert!(
        !run.stdout.contains("0.826"),
        "unrounded share in the table:\n{}",
        run.stdout
    );
}

fn json_metrics(object: &serde_json::Value) -> Metrics {
    let int = |k: &str| {
        object[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} is not an integer in {object}"))
    };
    let boolean = |k: &str| {
        object[k]
            .as_bool()
            .unwrap_or_else(|| panic!("{k} is not a boolean in {object}"))
    };
    Metrics {
        trusts: int("trusts"),
        live: int("live"),
        implementing: int("implementing"),
        not_started: int("not_started"),
        coverage: object["coverage"]
            .as_f64()
            .unwrap_or_else(|| panic!("coverage is not a number in {object}")),
        met: boolean("met"),
        shortfall: int("shortfall"),
        rest_implementing: boolean("rest_implementing"),
    }
}

#[test]
fn json_is_an_array_of_objects_with_numbers() {
    let run = eprscan(&["coverage", "fixtures/tracker.xlsx", "-f", "json", "--total"]);
    run.expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let array = value.as_array().expect("a JSON array");
    assert_eq!(array.len(), 5, "4 groups and the total");
    assert_eq!(array[0]["ics_code"], "QE1");
    assert_eq!(array[0]["ics_name"], "Lancashire and South Cumbria");
    let qe1 = json_metrics(&array[0]);
    assert_eq!(qe1.trusts, 5);
    assert_eq!(qe1.live, 1);
    assert_eq!(qe1.shortfall, 4);
    assert_close(qe1.coverage, 0.2, "QE1 coverage");
    assert!(array[0]["target"].is_number());
    assert_eq!(array[4]["ics_name"], "England");
    assert_eq!(array[4]["ics_code"], serde_json::Value::Null);
    let total = json_metrics(&array[4]);
    assert_eq!(
        (
            total.trusts,
            total.live,
            total.implementing,
            total.not_started
        ),
        (13, 8, 2, 3)
    );
    assert_close(total.coverage, 8.0 / 13.0, "total coverage");
    assert!(!total.met && !total.rest_implementing);

    let run = eprscan(&["coverage", "fixtures/tracker.xlsx", "-f", "json"]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(
        value.as_array().map(Vec::len),
        Some(4),
        "no total without --total"
    );
}

#[test]
fn ndjson_is_one_object_per_line() {
    let run = eprscan(&[
        "coverage",
        "fixtures/canonical.xlsx",
        "-f",
        "ndjson",
        "--total",
    ]);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    let objects: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect();
    assert!(objects.iter().all(serde_json::Value::is_object));
    assert_eq!(objects[0]["ics_code"], "QH8");
    assert_eq!(objects[1]["ics_name"], "England");
    for object in &objects {
        assert_eq!(
            json_metrics(object),
            m(10, 7, 2, 1, 0.7, false, 2, false),
            "{object}"
        );
    }
}

#[test]
fn markdown_is_a_pipe_table_with_total() {
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "-f", "markdown"]);
    run.expect_code(0);
    let table: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(
        table.len(),
        4,
        "header, rule, QH8, England:\n{}",
        run.stdout
    );
    assert!(table.iter().all(|l| l.ends_with('|')), "{}", run.stdout);
    assert!(table[0].contains("ics_code") && table[0].contains("coverage"));
    assert!(table[1].contains("---"), "rule line: {}", table[1]);
    assert!(table[2].contains("QH8") && table[2].contains("70.0%"));
    assert!(table[3].contains("England") && table[3].contains("70.0%"));
    let cells = table[0].matches('|').count();
    assert!(
        table.iter().all(|l| l.matches('|').count() == cells),
        "same number of cells on every line:\n{}",
        run.stdout
    );
}

#[test]
fn output_file_csv_writes_file_and_nothing_on_stdout() {
    let dir = temp_dir();
    let out = dir.path().join("out.csv");
    let run = eprscan(&[
        "coverage",
        "fixtures/canonical.xlsx",
        "--total",
        "-o",
        arg(&out),
    ]);
    run.expect_code(0);
    assert_eq!(run.stdout, "", "nothing on stdout with -o");
    let text = std::fs::read_to_string(&out).expect("out.csv written");
    let rows = parse_csv(&text);
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!(field(&rows[0], "ics_code"), "QH8");
    assert_metrics(
        &rows[0],
        &m(10, 7, 2, 1, 0.7, false, 2, false),
        "out.csv QH8",
    );
    assert_eq!(field(&rows[1], "ics_name"), "England");
}

#[test]
fn output_file_format_follows_extension() {
    let dir = temp_dir();
    let json = dir.path().join("out.json");
    let md = dir.path().join("out.md");
    eprscan(&["coverage", "fixtures/canonical.xlsx", "-o", arg(&json)]).expect_code(0);
    eprscan(&["coverage", "fixtures/canonical.xlsx", "-o", arg(&md)]).expect_code(0);
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("out.json")).expect("JSON");
    assert_eq!(value[0]["live"], 7);
    let text = std::fs::read_to_string(&md).expect("out.md");
    assert!(
        text.lines()
            .any(|l| l.starts_with('|') && l.contains("QH8")),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_on_success() {
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "-f", "csv"]);
    run.expect_code(0);
    assert_eq!(run.csv().len(), 1);
}

#[test]
fn exit_1_on_input_error_with_nothing_on_stdout() {
    let run = eprscan(&["coverage", "fixtures/missing_column.xlsx", "-f", "csv"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("stopped: 1 error"), "{}", run.stderr);
}

#[test]
fn exit_1_on_warnings_under_strict() {
    let run = eprscan(&["coverage", "fixtures/bad_cells.xlsx", "--strict"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr_warnings().len(), 4, "{}", run.stderr);
}

#[test]
fn exit_2_on_target_out_of_range() {
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "--target", "1.5"]);
    run.expect_code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("1.5"), "{}", run.stderr);
}

#[test]
fn exit_2_on_bad_date() {
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "--as-of", "notadate"]);
    run.expect_code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("notadate"), "{}", run.stderr);
}

#[test]
fn exit_2_on_unknown_output_extension() {
    let dir = temp_dir();
    let out = dir.path().join("out.xyz");
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "-o", arg(&out)]);
    run.expect_code(2);
    assert!(run.stderr.contains("out.xyz"), "{}", run.stderr);
    assert!(!out.exists(), "no out.xyz written");
}

#[test]
fn exit_2_on_unknown_flag() {
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "--bogus"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--bogus"), "{}", run.stderr);
}

#[test]
fn exit_2_on_unknown_sector() {
    let run = eprscan(&[
        "coverage",
        "fixtures/canonical.xlsx",
        "--sectors",
        "dentistry",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("dentistry"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Issue 17.1: no usable EPR column is an error, not a 0% headline
// ---------------------------------------------------------------------------

/// `trust_epr.csv` (fixtures/README.md): the supplier is under `trust_epr`, which no
/// accepted header matches, and there is no status column. One error at the header
/// row, naming the closest header and both ways to map it; no coverage printed.
#[test]
fn no_status_or_supplier_column_is_one_error_with_a_suggestion() {
    let run = eprscan(&["coverage", arg(&fixture("trust_epr.csv")), "-f", "csv"]);
    let error = run.the_only_error();
    assert!(error.contains("trust_epr.csv: A1: error:"), "{error}");
    assert!(error.contains("header row 1"), "{error}");
    assert!(
        error.contains("neither an EPR status column") && error.contains("nor a supplier column"),
        "{error}"
    );
    assert!(error.contains("did you mean \"trust_epr\"?"), "{error}");
    assert!(
        !error.contains("trust_mrc"),
        "only close headers suggested: {error}"
    );
    assert!(error.contains("--map supplier=\"trust_epr\""), "{error}");
    assert!(error.contains("[headers.providers]"), "{error}");
    assert!(run.stdout.is_empty(), "no table: {}", run.stdout);
    assert!(
        run.stderr_warnings().is_empty(),
        "no per-row 'supplier is blank' warnings: {}",
        run.stderr
    );
}

/// With the column mapped (`--map`, or the same synonym in a settings file), the
/// list reads: 10 trusts, 8 name a supplier (live), 2 say "No EPR" (none):
/// 80%, ⌈0.9 × 10⌉ − 8 = 1 short.
#[test]
fn a_mapped_supplier_column_is_read() {
    let expected = m(10, 8, 0, 2, 0.8, false, 1, false);
    let path = fixture("trust_epr.csv");
    for mapping in ["supplier=trust_epr", "providers.supplier=\"trust_epr\""] {
        let rows = coverage_csv(arg(&path), &["--by", "national", "--map", mapping]);
        assert_metrics(&rows[0], &expected, &format!("--map {mapping}"));
    }
    let dir = temp_dir();
    write_file(
        dir.path(),
        "eprscan.toml",
        "[headers.providers]\nsupplier = [\"trust_epr\"]\n",
    );
    let run = eprscan_in(
        dir.path(),
        &["coverage", arg(&path), "--by", "national", "-f", "csv"],
    );
    run.expect_code(0);
    assert_metrics(&run.csv()[0], &expected, "settings file synonym");
}

/// An unknown field in `--map` is a usage error listing the fields.
#[test]
fn map_with_an_unknown_field_is_a_usage_error() {
    let run = eprscan(&[
        "coverage",
        arg(&fixture("trust_epr.csv")),
        "--map",
        "suppler=trust_epr",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("unknown field \"suppler\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("providers: ods_code, name,")
            && run.stderr.contains("funding: ods_code"),
        "{}",
        run.stderr
    );
    let run = eprscan(&[
        "coverage",
        arg(&fixture("trust_epr.csv")),
        "--map",
        "supplier",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("expected FIELD=HEADER"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------
// ladder_dates.xlsx: what a go-live date means on each rung of NHS England's ladder
// (issue 17, point 5). Figures by hand in fixtures/README.md.

/// A `2.x` row's go-live is the next EPR's forecast: at any `--as-of` the trust is
/// live on its first EPR. `1.3`, `3.0` and plain `Live` rows are live from their
/// go-live date on; the implementing row stays implementing.
#[test]
fn ladder_dates_second_generation_rows_are_live_at_any_as_of() {
    let cases: [(Option<&str>, Metrics); 6] = [
        (None, m(6, 5, 1, 0, 5.0 / 6.0, false, 1, true)),
        // RM3 and R0A (2.x, forecasts 2025-11-20 and 2027-03-31) only.
        (
            Some("2023-12-30"),
            m(6, 2, 1, 3, 2.0 / 6.0, false, 4, false),
        ),
        // ... and RT2 (3.0) on its go-live day.
        (Some("2023-12-31"), m(6, 3, 1, 2, 0.5, false, 3, false)),
        (Some("2024-05-31"), m(6, 3, 1, 2, 0.5, false, 3, false)),
        // ... and RXL (1.3) on its go-live day.
        (
            Some("2024-06-01"),
            m(6, 4, 1, 1, 4.0 / 6.0, false, 2, false),
        ),
        // ... and RX7 (plain Live) on its go-live day.
        (Some("2025-01-15"), m(6, 5, 1, 0, 5.0 / 6.0, false, 1, true)),
    ];
    for (as_of, expected) in cases {
        let args: Vec<&str> = as_of.map(|d| vec!["--as-of", d]).unwrap_or_default();
        assert_single_group(
            "fixtures/ladder_dates.xlsx",
            &args,
            "QOP",
            "Greater Manchester",
            &expected,
        );
    }
}

/// The report's headline agrees with coverage at the deadline.
#[test]
fn ladder_dates_report_counts_second_generation_rows_live_at_the_deadline() {
    let run = eprscan(&[
        "report",
        "fixtures/ladder_dates.xlsx",
        "--as-of",
        "2023-12-31",
        "-f",
        "markdown",
    ]);
    run.expect_code(0);
    assert!(run.stdout.contains("| Live | 3 |"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------
// closed_orgs.xlsx / .csv with ods/merged_trusts.csv: the ODS reference decides who
// was open at the date the figures describe (issue 17, point 4). Figures by hand in
// fixtures/README.md.

const MERGED_TRUSTS: &str = "fixtures/ods/merged_trusts.csv";

/// Run coverage with `--ods merged_trusts.csv` and `-v`, require exit 0, and return
/// the CSV rows and the warning lines.
fn closed_orgs_run(path: &str, args: &[&str]) -> (Vec<Row>, Vec<String>, String) {
    let mut all = vec!["coverage", path, "--ods", MERGED_TRUSTS, "-v"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "csv", "--total"]);
    let run = eprscan(&all);
    run.expect_code(0);
    let warnings = run
        .stderr_warnings()
        .iter()
        .map(|w| w.to_string())
        .collect();
    (run.csv(), warnings, run.stderr.clone())
}

/// The one warning about `code`, at `cell`.
fn warning_for<'a>(warnings: &'a [String], cell: &str, code: &str) -> &'a str {
    let hits: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains(&format!("ODS code {code} ")))
        .collect();
    assert_eq!(hits.len(), 1, "one warning for {code}: {warnings:#?}");
    assert!(hits[0].contains(cell), "{code} at {cell}: {}", hits[0]);
    hits[0]
}

#[test]
fn closed_orgs_closed_by_the_submitted_date_are_left_out() {
    let (rows, warnings, stderr) = closed_orgs_run("fixtures/closed_orgs.xlsx", &[]);
    // 15 rows − RW3, RM2, RW6 (closed on or before 2024-03-31, the cover's date).
    let expected = m(12, 11, 1, 0, 11.0 / 12.0, true, 0, true);
    assert_metrics(&rows[0], &expected, "QOP");
    assert_metrics(total_row(&rows, ICS), &expected, "national total");
    assert_eq!(warnings.len(), 4, "{stderr}");
    for (cell, code, closed) in [
        ("Providers!A12", "RW3", "2017-09-30"),
        ("Providers!A13", "RM2", "2017-09-30"),
        ("Providers!A14", "RW6", "2024-03-31"),
    ] {
        let w = warning_for(&warnings, cell, code);
        assert!(
            w.starts_with("fixtures/closed_orgs.xlsx: ")
                && w.contains(closed)
                && w.contains("2024-03-31 (the return's submitted date)")
                && w.contains("left out of the population")
                && w.contains("--include-closed keeps it"),
            "{w}"
        );
    }
    let unknown = warning_for(&warnings, "Providers!A16", "R9Z");
    assert!(unknown.contains("still counted"), "{unknown}");
    // RWJ closes after the submitted date: open then, counted, a note not a warning.
    let note = stderr
        .lines()
        .find(|l| l.contains("RWJ"))
        .unwrap_or_else(|| panic!("a note about RWJ:\n{stderr}"));
    assert!(
        note.contains("note:") && note.contains("still counted, as it was open then"),
        "{note}"
    );
}

#[test]
fn closed_orgs_include_closed_keeps_them() {
    let (rows, warnings, stderr) =
        closed_orgs_run("fixtures/closed_orgs.xlsx", &["--include-closed"]);
    assert_metrics(
        total_row(&rows, ICS),
        &m(15, 11, 1, 3, 11.0 / 15.0, false, 3, false),
        "all 15 rows",
    );
    assert_eq!(warnings.len(), 5, "{stderr}");
    for (cell, code) in [
        ("A12", "RW3"),
        ("A13", "RM2"),
        ("A14", "RW6"),
        ("A15", "RWJ"),
    ] {
        let w = warning_for(&warnings, cell, code);
        assert!(w.contains("still counted (--include-closed)"), "{w}");
    }
}

#[test]
fn closed_orgs_as_of_decides_instead_of_the_submitted_date() {
    // RWJ (closed 2025-03-31) is left out too.
    let (rows, warnings, stderr) =
        closed_orgs_run("fixtures/closed_orgs.xlsx", &["--as-of", "2025-06-30"]);
    assert_metrics(
        total_row(&rows, ICS),
        &m(11, 10, 1, 0, 10.0 / 11.0, true, 0, true),
        "RW3, RM2, RW6 and RWJ left out",
    );
    assert_eq!(warnings.len(), 5, "{stderr}");
    let w = warning_for(&warnings, "Providers!A15", "RWJ");
    assert!(
        w.contains("2025-06-30 (--as-of)") && w.contains("left out of the population"),
        "{w}"
    );
}

#[test]
fn closed_orgs_with_no_known_date_are_still_counted_and_say_how_to_leave_them_out() {
    let (rows, warnings, stderr) = closed_orgs_run("fixtures/closed_orgs.csv", &[]);
    assert_metrics(
        total_row(&rows, ICS),
        &m(15, 11, 1, 3, 11.0 / 15.0, false, 3, false),
        "no cover sheet, no --as-of: all 15 counted",
    );
    assert_eq!(warnings.len(), 5, "{stderr}");
    for (cell, code) in [
        ("A12", "RW3"),
        ("A13", "RM2"),
        ("A14", "RW6"),
        ("A15", "RWJ"),
    ] {
        let w = warning_for(&warnings, cell, code);
        assert!(
            w.contains("still counted")
                && w.contains("--as-of D")
                && w.contains("--exclude-closed"),
            "{w}"
        );
    }
    let unknown = warning_for(&warnings, "A16", "R9Z");
    assert!(unknown.contains("still counted"), "{unknown}");
}

#[test]
fn closed_orgs_exclude_closed_with_no_known_date() {
    let (rows, warnings, _) = closed_orgs_run("fixtures/closed_orgs.csv", &["--exclude-closed"]);
    assert_metrics(
        total_row(&rows, ICS),
        &m(11, 10, 1, 0, 10.0 / 11.0, true, 0, true),
        "every closed code left out",
    );
    let w = warning_for(&warnings, "A15", "RWJ");
    assert!(
        w.contains("left out of the population") && w.contains("(--exclude-closed)"),
        "{w}"
    );
}

#[test]
fn closed_orgs_csv_as_of_gives_the_same_figures_as_the_dated_return() {
    let (rows, _, _) = closed_orgs_run("fixtures/closed_orgs.csv", &["--as-of", "2024-03-31"]);
    assert_metrics(
        total_row(&rows, ICS),
        &m(12, 11, 1, 0, 11.0 / 12.0, true, 0, true),
        "as the xlsx dated 2024-03-31",
    );
}

/// Every command counts the same providers: maturity, the report and `sql`.
#[test]
fn closed_orgs_left_out_of_every_command() {
    let xlsx = "fixtures/closed_orgs.xlsx";
    let maturity = eprscan(&[
        "maturity",
        xlsx,
        "--ods",
        MERGED_TRUSTS,
        "--by",
        "national",
        "-f",
        "csv",
    ]);
    maturity.expect_code(0);
    assert_eq!(
        field(&maturity.csv()[0], "trusts"),
        "12",
        "{}",
        maturity.stdout
    );
    let sql = eprscan(&[
        "sql",
        "SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE ods_code IN ('RW3', 'RM2', 'RW6')) AS closed FROM providers",
        xlsx,
        "--ods",
        MERGED_TRUSTS,
        "-f",
        "csv",
    ]);
    sql.expect_code(0);
    let row = &sql.csv()[0];
    assert_eq!(
        (field(row, "n"), field(row, "closed")),
        ("12", "0"),
        "{}",
        sql.stdout
    );
    // convergence: providers with an EPR in use. At the submitted date, the nine open
    // live trusts, RWJ and R9Z (RMC's Epic is not live; RW3, RM2, RW6 are out and have
    // none); with --as-of 2025-06-30, RWJ (closed 2025-03-31) is left out too.
    for (as_of, providers) in [(None, "11"), (Some("2025-06-30"), "10")] {
        let mut args = vec![
            "convergence",
            xlsx,
            "--ods",
            MERGED_TRUSTS,
            "--by",
            "national",
            "-f",
            "csv",
        ];
        args.extend(as_of.map(|d| ["--as-of", d]).into_iter().flatten());
        let run = eprscan(&args);
        run.expect_code(0);
        assert_eq!(
            field(&run.csv()[0], "providers"),
            providers,
            "{as_of:?}: {}",
            run.stdout
        );
    }
    let report = eprscan(&["report", xlsx, "--ods", MERGED_TRUSTS, "-f", "markdown"]);
    report.expect_code(0);
    assert!(
        report.stdout.contains("| NHS trusts | 12 |"),
        "{}",
        report.stdout
    );
}

#[test]
fn include_closed_and_exclude_closed_together_are_a_usage_error() {
    let run = eprscan(&[
        "coverage",
        "fixtures/closed_orgs.csv",
        "--ods",
        MERGED_TRUSTS,
        "--include-closed",
        "--exclude-closed",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("--exclude-closed"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------
// Groups with nothing to judge (fixtures/README.md, nothing_to_judge.xlsx)

/// The cells of the table line (`│ a ┆ b │`) with a cell reading `key`.
fn table_cells(stdout: &str, key: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            line.trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.iter().any(|c| c == key))
        .unwrap_or_else(|| panic!("no row {key:?}:\n{stdout}"))
}

#[test]
fn no_epr_supplier_group_has_no_target_shortfall() {
    let rows = coverage_csv("fixtures/nothing_to_judge.xlsx", &["--by", "supplier"]);
    let no_epr = row_where(&rows, "supplier", "(no EPR)");
    // RA4 procuring, RBA implementing, neither with a supplier: nothing to meet.
    for (column, expected) in [
        ("trusts", "2"),
        ("live", "0"),
        ("implementing", "1"),
        ("not_started", "1"),
        ("coverage", "0"),
        ("met", ""),
        ("shortfall", ""),
        ("rest_implementing", "false"),
    ] {
        assert_eq!(field(no_epr, column), expected, "(no EPR) {column}");
    }
    // Epic is judged as any group; England (3 trusts, 1 live) needs ⌈2.7⌉ − 1 = 2.
    let epic = row_where(&rows, "supplier", "Epic");
    assert_eq!(
        [field(epic, "met"), field(epic, "shortfall")],
        ["true", "0"]
    );
    let total = row_where(&rows, "supplier", "England");
    assert_metrics(
        total,
        &m(3, 1, 1, 1, 1.0 / 3.0, false, 2, false),
        "nothing_to_judge --by supplier",
    );
    // Tables show the dash.
    let run = eprscan(&[
        "coverage",
        "fixtures/nothing_to_judge.xlsx",
        "--by",
        "supplier",
    ]);
    run.expect_code(0);
    let cells = table_cells(&run.stdout, "(no EPR)");
    // supplier, trusts, live, implementing, not started, coverage, target, met, shortfall
    assert_eq!(cells[7..9], ["–", "–"], "met, shortfall: {cells:?}");
}

#[test]
fn a_group_of_no_trusts_has_met_and_shortfall_empty_in_every_format() {
    // No ambulance trust in the fixture: 0 trusts, nothing to judge.
    let args = ["--sectors", "ambulance"];
    let rows = coverage_csv("fixtures/nothing_to_judge.xlsx", &args);
    assert_eq!(rows.len(), 1, "only the England row: {rows:?}");
    for (column, expected) in [
        ("trusts", "0"),
        ("coverage", ""),
        ("met", ""),
        ("shortfall", ""),
        ("rest_implementing", ""),
    ] {
        assert_eq!(field(&rows[0], column), expected, "{column}");
    }
    let run = eprscan(&[
        "coverage",
        "fixtures/nothing_to_judge.xlsx",
        "--sectors",
        "ambulance",
        "-f",
        "json",
        "--total",
    ]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let england = &json[0];
    assert_eq!(england["trusts"], 0, "{england}");
    for column in ["met", "shortfall", "rest_implementing"] {
        assert!(england[column].is_null(), "{column}: {england}");
    }
    let run = eprscan(&[
        "coverage",
        "fixtures/nothing_to_judge.xlsx",
        "--sectors",
        "ambulance",
    ]);
    run.expect_code(0);
    let cells = table_cells(&run.stdout, "England");
    // ics code, ics name, trusts, live, implementing, not started, coverage, target, ...
    assert_eq!(cells[2], "0", "{cells:?}");
    assert_eq!(
        cells[8..],
        ["–", "–", "–"],
        "met, shortfall, rest: {cells:?}"
    );
    assert!(!run.stdout.contains("yes"), "{}", run.stdout);
}
