//! Deadline day (issue 19): `eprscan returns` (the submission tracker and `--trusts`),
//! `--keep-going`, and the tracker in `validate` and the report. Expected rows and
//! figures are worked out by hand in fixtures/README.md ("deadline/").

mod common;

use common::*;

const DEADLINE: &str = "fixtures/deadline";
const ETR: &str = "fixtures/ods/etr.csv";

fn columns<'a>(row: &'a Row, names: &[&str]) -> Vec<&'a str> {
    names.iter().map(|c| field(row, c)).collect()
}

/// Every ICS of the reference list has a row, returned or not; a file whose ICS
/// cannot be told has its own; the national row counts ICSs per state.
#[test]
fn tracker_rows_and_states() {
    let run = eprscan(&["returns", DEADLINE, "-f", "csv", "--total"]);
    // Two files have errors: the tracker is written, and the run is not clean.
    run.expect_code(1);
    assert_eq!(run.stderr_errors().len(), 2, "{}", run.stderr);
    let rows = run.csv();
    assert_eq!(rows.len(), 42 + 1 + 1, "42 ICSs, 1 unplaced file, England");
    let cols = [
        "state",
        "files",
        "submitted",
        "providers",
        "errors",
        "warnings",
    ];
    let expected: [(&str, [&str; 6]); 4] = [
        (
            "QH8",
            [
                "ok",
                "fixtures/deadline/qh8_mid_and_south_essex.xlsx",
                "2026-11-10",
                "3",
                "0",
                "0",
            ],
        ),
        (
            "QJK",
            [
                "duplicate",
                "fixtures/deadline/qjk_devon.xlsx; fixtures/deadline/qjk_devon_resubmitted.xlsx",
                "2026-11-14",
                "4",
                "0",
                "0",
            ],
        ),
        (
            "QOP",
            [
                "warnings",
                "fixtures/deadline/qop_greater_manchester.xlsx",
                "2026-11-12",
                "2",
                "0",
                "1",
            ],
        ),
        (
            "QWE",
            [
                "errors",
                "fixtures/deadline/qwe_south_west_london.xlsx",
                "2026-11-13",
                "0",
                "1",
                "0",
            ],
        ),
    ];
    for (code, want) in expected {
        assert_eq!(
            columns(row_where(&rows, "ics_code", code), &cols),
            want,
            "{code}"
        );
    }
    // Every other ICS, South East London included (its file cannot be read, so
    // nothing says it is South East London's), is missing.
    let missing: Vec<&str> = rows
        .iter()
        .filter(|r| field(r, "state") == "missing")
        .map(|r| field(r, "ics_code"))
        .collect();
    assert_eq!(missing.len(), 38, "{missing:?}");
    assert!(missing.contains(&"QKK"));
    // Sorted by ICB code, then the unplaced file.
    let codes: Vec<&str> = rows[..42].iter().map(|r| field(r, "ics_code")).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted);
    assert_eq!(
        columns(&rows[42], &["ics_code", "state", "files", "errors"]),
        [
            "(unknown)",
            "errors",
            "fixtures/deadline/qkk_south_east_london.xlsx",
            "1"
        ]
    );
    let england = &rows[43];
    assert_eq!(field(england, "ics_name"), "England");
    assert_eq!(
        field(england, "state"),
        "1 ok, 1 warnings, 1 errors, 1 duplicate, 38 missing; 1 file whose ICS cannot be told"
    );
    assert_eq!(
        columns(england, &["files", "providers", "errors", "warnings"]),
        ["6 files", "9", "2", "1"]
    );
}

#[test]
fn tracker_by_region() {
    let run = eprscan(&[
        "returns", DEADLINE, "--by", "region", "-f", "csv", "--total",
    ]);
    run.expect_code(1);
    let rows = run.csv();
    let cols = [
        "icss",
        "icss_ok",
        "icss_warnings",
        "icss_errors",
        "icss_duplicate",
        "icss_missing",
        "unplaced_files",
        "files",
    ];
    for (region, want) in [
        ("East of England", ["6", "1", "0", "0", "0", "5", "0", "1"]),
        ("London", ["5", "0", "0", "1", "0", "4", "0", "1"]),
        ("North West", ["3", "0", "1", "0", "0", "2", "0", "1"]),
        ("South West", ["7", "0", "0", "0", "1", "6", "0", "2"]),
        ("(unknown)", ["0", "0", "0", "0", "0", "0", "1", "1"]),
        ("England", ["42", "1", "1", "1", "1", "38", "1", "6"]),
    ] {
        assert_eq!(
            columns(row_where(&rows, "region", region), &cols),
            want,
            "{region}"
        );
    }
    let run = eprscan(&["returns", DEADLINE, "--by", "sector"]);
    run.expect_code(2);
}

/// `--keep-going`: the unreadable file and the one without a providers table are
/// left out (and named), the figures come from the other four, exit 1. QH8 3 trusts
/// (2 live, 1 implementing), QOP 2 live, QJK 2 (1 live, 1 implementing): 7 trusts,
/// 5 live, 2 implementing, 5/7, ⌈6.3⌉ − 5 = 2 short, the rest implementing.
#[test]
fn keep_going_computes_from_the_readable_files() {
    let stopped = eprscan(&["coverage", DEADLINE, "--by", "national", "-f", "csv"]);
    stopped.expect_code(1);
    assert!(stopped.stdout.is_empty(), "{}", stopped.stdout);

    let run = eprscan(&[
        "coverage",
        DEADLINE,
        "--by",
        "national",
        "-f",
        "csv",
        "--keep-going",
    ]);
    run.expect_code(1);
    assert_eq!(run.stderr_errors().len(), 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--keep-going: 2 errors"),
        "{}",
        run.stderr
    );
    assert_metrics(
        &run.csv()[0],
        &m(7, 5, 2, 0, 5.0 / 7.0, false, 2, true),
        "coverage --keep-going",
    );

    let table = eprscan(&["coverage", DEADLINE, "--keep-going"]);
    table.expect_code(1);
    let title = table.stdout.lines().next().unwrap_or_default();
    assert!(
        title.contains("left out (--keep-going, files with errors): 2 files")
            && title.contains("qkk_south_east_london.xlsx")
            && title.contains("qwe_south_west_london.xlsx")
            && title.contains("ICSs QWE")
            && title.contains("1 file whose ICS cannot be told"),
        "{title}"
    );
}

/// The report under `--keep-going`: written, its Summary says what was left out and
/// counts the returns; exit 1.
#[test]
fn keep_going_report_says_what_was_left_out() {
    let dir = temp_dir();
    let path = dir.path().join("pack.md");
    let run = eprscan(&["report", DEADLINE, "--keep-going", "-o", arg(&path)]);
    run.expect_code(1);
    let md = std::fs::read_to_string(&path).expect("the report is written");
    let summary = &md[md.find("## Summary").expect("a Summary section")..];
    let summary = &summary[..summary[3..].find("\n## ").map_or(summary.len(), |i| i + 3)];
    assert!(summary.contains("left out (--keep-going"), "{summary}");
    for (figure, value) in [
        ("NHS trusts", "7"),
        ("Live", "5"),
        ("Returns received (of the 42 ICSs)", "4"),
        ("ICSs with no return", "38"),
        ("ICSs whose return has errors", "1"),
        ("ICSs with two returns", "1"),
    ] {
        assert!(
            summary.contains(&format!("| {figure} | {value} |")),
            "{figure} = {value} in\n{summary}"
        );
    }
    assert!(md.contains("## Returns"), "a Returns section");
    assert!(md.contains("## Data quality"));
}

/// `--trusts` with the etr-format fixture: the 9 open trusts no return mentions
/// (RLN is closed), by ICB, then the 5 NHS-trust codes in returns that the reference
/// does not know.
#[test]
fn trusts_in_no_return_and_codes_the_reference_does_not_know() {
    let run = eprscan(&["returns", DEADLINE, "--trusts", "--ods", ETR, "-f", "csv"]);
    run.expect_code(1);
    let rows = run.csv();
    let listed: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                field(r, "finding"),
                field(r, "ics_code"),
                field(r, "ods_code"),
            )
        })
        .collect();
    let open = "open in the reference, in no return";
    let unknown = "in a return, not in the reference";
    assert_eq!(
        listed,
        [
            (open, "QE1", "RW5"),
            (open, "QE1", "RXL"),
            (open, "QE1", "RXN"),
            (open, "QHM", "RE9"),
            (open, "QHM", "RR7"),
            (open, "QHM", "RTD"),
            (open, "QHM", "RX6"),
            (open, "QOP", "RX7"),
            (open, "QOP", "RXV"),
            (unknown, "QH8", "RAJ"),
            (unknown, "QH8", "RDE"),
            (unknown, "QH8", "RGP"),
            (unknown, "QJK", "RH8"),
            (unknown, "QJK", "RK9"),
        ]
    );
    let run = eprscan(&["returns", DEADLINE, "--trusts"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--ods"), "{}", run.stderr);
}

/// `validate --ods` and the report list the same trusts.
#[test]
fn validate_and_report_list_the_trusts_in_no_return() {
    let run = eprscan(&["validate", DEADLINE, "--ods", ETR]);
    let noted: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("no return lists it"))
        .map(|l| l.split(": note: ").nth(1).unwrap_or_default())
        .map(|rest| rest.split(' ').next().unwrap_or_default())
        .collect();
    assert_eq!(
        noted,
        ["RE9", "RR7", "RTD", "RW5", "RX6", "RX7", "RXL", "RXN", "RXV"],
        "{}",
        run.stdout
    );
    let dir = temp_dir();
    let path = dir.path().join("pack.md");
    eprscan(&[
        "report",
        DEADLINE,
        "--keep-going",
        "--ods",
        ETR,
        "-o",
        arg(&path),
    ])
    .expect_code(1);
    let md = std::fs::read_to_string(&path).expect("the report is written");
    let section = &md[md.find("## Trusts in no return").expect("the section")..];
    for code in ["RW5", "RXN", "RE9", "RXV", "RAJ", "RK9"] {
        assert!(
            section.contains(&format!("| {code} |")),
            "{code} in\n{section}"
        );
    }
}
