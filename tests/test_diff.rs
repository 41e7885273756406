//! `eprscan diff OLD NEW`: the exact changes between the two snapshots of
//! fixtures/diff/ (fixtures/README.md, "Diff fixtures"), per provider and per ICS.

mod common;
mod xlsx_read;

use common::*;

const OLD: &str = "fixtures/diff/old";
const NEW: &str = "fixtures/diff/new";

fn diff_csv(args: &[&str]) -> Vec<Row> {
    let mut all = vec!["diff", OLD, NEW];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "csv"]);
    let run = eprscan(&all);
    run.expect_code(0);
    assert!(
        run.stderr.is_empty(),
        "`{}` printed on stderr:\n{}",
        run.cmdline,
        run.stderr
    );
    run.csv()
}

#[test]
fn every_kind_of_provider_change() {
    let rows = diff_csv(&["--per", "provider"]);
    let got: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [
                field(r, "ics_code"),
                field(r, "ods_code"),
                field(r, "change"),
                field(r, "old"),
                field(r, "new"),
            ]
        })
        .collect();
    let expected: Vec<[&str; 5]> = vec![
        ["QH8", "RAJ", "plan change", "", "Epic by 2028-03-31"],
        ["QH8", "RCX", "go-live change", "2027-03-31", "2027-09-30"],
        ["QH8", "RGP", "went live", "implementing", "live"],
        ["QH8", "RQ8", "added", "", "implementing, Epic"],
        ["QH8", "RQW", "removed", "planning", ""],
        [
            "QH8",
            "RWR",
            "supplier change",
            "Civica Paris",
            "The Access Group RiO",
        ],
        ["QH8", "RY3", "status change", "procuring", "implementing"],
        // Devon returned in November only: one row for the ICS, not RH8 and RK9 added.
        ["QJK", "", "returned only in NEW", "", "2 providers"],
        [
            "QOP",
            "RM3",
            "plan change",
            "Epic by 2027-03-31",
            "Epic by 2027-06-30",
        ],
        ["QOP", "RY2", "status change", "none", "procuring"],
    ];
    assert_eq!(got, expected);
    // Names and ICS names come with every row; a removed provider keeps its old ICS.
    let rgp = row_where(&rows, "ods_code", "RGP");
    assert_eq!(
        field(rgp, "name"),
        "James Paget University Hospitals NHS Foundation Trust"
    );
    assert_eq!(field(rgp, "ics_name"), "Mid and South Essex");
    assert_eq!(
        field(row_where(&rows, "ods_code", "RQW"), "ics_name"),
        "Mid and South Essex"
    );
    let devon = row_where(&rows, "ics_code", "QJK");
    assert_eq!(
        (field(devon, "ics_name"), field(devon, "name")),
        ("Devon", "")
    );
    // Respellings of the same EPR (R1L, RMC, RXV) are not changes.
    for same in ["R1L", "RMC", "RXV"] {
        assert!(
            rows.iter().all(|r| field(r, "ods_code") != same),
            "{same} reported as changed: {rows:#?}"
        );
    }
}

/// One ICS row of the per-ICS diff: the ICB code, the count columns as CSV text
/// (blank where the ICS did not return), and coverage old and new as fractions.
type IcsExpected = (&'static str, [&'static str; 7], Option<(f64, f64)>);

#[test]
fn per_ics_coverage_and_distinct_eprs() {
    let rows = diff_csv(&["--per", "ics", "--total"]);
    assert_eq!(
        common::csv_header(&eprscan(&["diff", OLD, NEW, "--per", "ics", "-f", "csv"]).stdout),
        [
            "ics_code",
            "ics_name",
            "trusts_old",
            "trusts_new",
            "live_old",
            "live_new",
            "coverage_old",
            "coverage_new",
            "coverage_change_pp",
            "distinct_eprs_old",
            "distinct_eprs_new",
            "distinct_eprs_change",
        ]
    );
    assert_eq!(rows.len(), 4, "QH8, QJK, QOP and the total: {rows:#?}");
    let ints = |row: &Row, columns: &[&str]| -> Vec<String> {
        columns.iter().map(|c| field(row, c).to_string()).collect()
    };
    let counts = [
        "trusts_old",
        "trusts_new",
        "live_old",
        "live_new",
        "distinct_eprs_old",
        "distinct_eprs_new",
        "distinct_eprs_change",
    ];
    let expected: [IcsExpected; 4] = [
        (
            "QH8",
            ["7", "7", "3", "4", "3", "3", "0"],
            Some((3.0 / 7.0, 4.0 / 7.0)),
        ),
        ("QJK", ["", "2", "", "1", "", "1", ""], None),
        (
            "QOP",
            ["4", "4", "3", "3", "3", "3", "0"],
            Some((0.75, 0.75)),
        ),
        // England compares QH8 and QOP, the ICSs that returned both months (Devon's
        // first return is not a change): 11 trusts, live 3 + 3 → 4 + 3.
        (
            "",
            ["11", "11", "6", "7", "5", "5", "0"],
            Some((6.0 / 11.0, 7.0 / 11.0)),
        ),
    ];
    for (row, (code, expected_counts, coverage)) in rows.iter().zip(expected) {
        assert_eq!(field(row, "ics_code"), code, "{row:?}");
        assert_eq!(ints(row, &counts), expected_counts, "{code}: {row:?}");
        match coverage {
            Some((old, new)) => {
                assert_close(float(row, "coverage_old"), old, code);
                assert_close(float(row, "coverage_new"), new, code);
                // In percentage points.
                let pp = float(row, "coverage_change_pp");
                assert!((pp - (new - old) * 100.0).abs() < 1e-9, "{code}: {pp}");
            }
            None => {
                assert_eq!(field(row, "coverage_old"), "", "{code}");
                assert_close(float(row, "coverage_new"), 0.5, code);
                assert_eq!(field(row, "coverage_change_pp"), "", "{code}");
            }
        }
    }
    assert_eq!(field(&rows[3], "ics_name"), "England (2 ICSs in both)");
}

#[test]
fn both_tables_by_default_and_in_markdown() {
    let run = eprscan(&["diff", OLD, NEW]);
    run.expect_code(0);
    assert!(run.stdout.contains("Provider changes"), "{}", run.stdout);
    assert!(run.stdout.contains("ICS changes"), "{}", run.stdout);
    let md = eprscan(&["diff", OLD, NEW, "-f", "markdown"]);
    md.expect_code(0);
    let provider_section = md
        .stdout
        .find("## Provider changes")
        .expect("a provider section");
    let ics_section = md.stdout.find("## ICS changes").expect("an ICS section");
    assert!(provider_section < ics_section, "{}", md.stdout);
    assert!(
        md.stdout
            .contains("| RGP | James Paget University Hospitals NHS Foundation Trust | QH8 | Mid and South Essex | went live | implementing | live |"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains(
            "| QH8 | Mid and South Essex | 7 | 7 | 3 | 4 | 42.9% | 57.1% | +14.3 pp | 3 | 3 | 0 |"
        ),
        "{}",
        md.stdout
    );
}

#[test]
fn a_snapshot_against_itself_has_no_changes() {
    let run = eprscan(&["diff", NEW, NEW, "--per", "provider", "-f", "csv"]);
    run.expect_code(0);
    assert!(run.csv().is_empty(), "{}", run.stdout);
    let rows = diff_csv(&["--per", "ics"]);
    assert_eq!(rows.len(), 3);
}

#[test]
fn csv_needs_one_table_and_input_errors_exit_1() {
    let run = eprscan(&["diff", OLD, NEW, "-f", "csv"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--per provider"), "{}", run.stderr);
    let run = eprscan(&["diff", "fixtures/missing_column.xlsx", NEW]);
    run.expect_code(1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("missing_column.xlsx"), "{}", run.stderr);
    let help = eprscan(&["diff", "--help"]);
    help.expect_code(0);
    assert!(help
        .stdout
        .contains("eprscan diff returns/2026-10 returns/2026-11"));
}

#[test]
fn xlsx_holds_both_tables_as_sheets() {
    let dir = temp_dir();
    let path = dir.path().join("changes.xlsx");
    eprscan(&["diff", OLD, NEW, "-o", arg(&path)]).expect_code(0);
    assert_eq!(
        xlsx_read::sheet_names(&path),
        ["Provider changes", "ICS changes"]
    );
    let providers = xlsx_read::grid(&path, "Provider changes");
    assert_eq!(
        providers.row_text(1),
        ["ods code", "name", "ics code", "ics name", "change", "old", "new"]
    );
    assert_eq!(
        providers.row_text(2),
        [
            "RAJ",
            "Mid and South Essex NHS Foundation Trust",
            "QH8",
            "Mid and South Essex",
            "plan change",
            "",
            "Epic by 2028-03-31"
        ]
    );
    // The coverage change is a number of percentage points (QH8: +1/7 = 14.29 pp).
    let ics = xlsx_read::grid(&path, "ICS changes");
    let header = ics.row_text(1);
    let column = header
        .iter()
        .position(|h| h == "coverage change pp")
        .unwrap_or_else(|| panic!("no coverage change pp column: {header:?}"));
    assert_eq!(xlsx_read::text(&ics.at(2, 0)), "QH8");
    let pp = xlsx_read::number(&ics.at(2, column as u32));
    assert!((pp - 100.0 / 7.0).abs() < 1e-9, "{pp}");
    // The go-live dates are date cells.
    assert!(matches!(providers.cell("F4"), calamine::Data::DateTime(_)));
    assert_eq!(xlsx_read::text(&providers.cell("G4")), "2027-09-30");
}

/// Issue 17, point 6: the snapshots swapped, Devon (QJK) returned in the OLD one only:
/// one row for it, not its two providers removed; England still compares QH8 and QOP.
#[test]
fn an_ics_in_one_snapshot_only_is_one_row_and_not_in_the_england_change() {
    let run = eprscan(&["diff", NEW, OLD, "--per", "provider", "-f", "csv"]);
    run.expect_code(0);
    let rows = run.csv();
    let qjk: Vec<&Row> = rows
        .iter()
        .filter(|r| field(r, "ics_code") == "QJK")
        .collect();
    assert_eq!(qjk.len(), 1, "{rows:#?}");
    assert_eq!(
        [
            field(qjk[0], "ods_code"),
            field(qjk[0], "change"),
            field(qjk[0], "old"),
            field(qjk[0], "new"),
        ],
        ["", "returned only in OLD", "2 providers", ""]
    );
    assert!(
        rows.iter()
            .all(|r| field(r, "change") != "removed" || field(r, "ods_code") == "RQ8"),
        "only RQ8 is removed (it left QH8's return): {rows:#?}"
    );
    let ics = eprscan(&["diff", NEW, OLD, "--per", "ics", "-f", "csv", "--total"]);
    ics.expect_code(0);
    let rows = ics.csv();
    let england = total_row_named(&rows);
    assert_eq!(
        ["trusts_old", "trusts_new", "live_old", "live_new"].map(|c| field(england, c)),
        ["11", "11", "7", "6"]
    );
    let pp = float(england, "coverage_change_pp");
    assert!(
        (pp - (6.0 / 11.0 - 7.0 / 11.0) * 100.0).abs() < 1e-9,
        "{pp}"
    );
}

/// The England row of a per-ICS diff, which names how many ICSs it compares.
fn total_row_named(rows: &[Row]) -> &Row {
    let row = rows.last().expect("rows");
    assert_eq!(field(row, "ics_code"), "", "{row:?}");
    assert_eq!(
        field(row, "ics_name"),
        "England (2 ICSs in both)",
        "{row:?}"
    );
    row
}

/// Tables label a change of coverage in percentage points, and the title says what
/// the England row compares.
#[test]
fn coverage_changes_are_percentage_points_labelled_pp() {
    let run = eprscan(&["diff", OLD, NEW, "--per", "ics", "-f", "table"]);
    run.expect_code(0);
    assert!(run.stdout.contains("coverage change pp"), "{}", run.stdout);
    // QH8: 3/7 → 4/7 is +14.3 pp; QOP: no change; England: 6/11 → 7/11 is +9.1 pp.
    for label in ["+14.3 pp", "0.0 pp", "+9.1 pp"] {
        assert!(run.stdout.contains(label), "{label}:\n{}", run.stdout);
    }
    assert!(
        run.stdout
            .contains("England compares the 2 ICSs that returned in both"),
        "{}",
        run.stdout
    );
}

/// `--changed`: ICS rows where nothing changed (QOP) are left out; the England row
/// stays.
#[test]
fn changed_shows_only_ics_rows_that_changed() {
    let rows = diff_csv(&["--per", "ics", "--changed", "--total"]);
    let codes: Vec<&str> = rows.iter().map(|r| field(r, "ics_code")).collect();
    assert_eq!(codes, ["QH8", "QJK", ""], "{rows:#?}");
    let run = eprscan(&["diff", NEW, NEW, "--per", "ics", "--changed", "-f", "csv"]);
    run.expect_code(0);
    assert!(run.csv().is_empty(), "nothing changed: {}", run.stdout);
}
