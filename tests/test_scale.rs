//! The national full-landscape set at scale 0.01 (issue 8): 42 workbooks written by
//! `examples/synth.rs`, committed under `fixtures/scale/`, with the aggregates the
//! generator computed from its own data in `fixtures/scale.expected.csv`. eprscan's
//! coverage, convergence and funding must find exactly those. No timing here: timing
//! lives in the benchmark (`benches/bench.py`).

mod common;

use common::{eprscan, parse_csv, root, Row};
use std::collections::HashMap;

const SET: &str = "fixtures/scale";

/// The generator's aggregates, by ICB code ("" for the national row).
fn expected() -> HashMap<String, Row> {
    let path = root().join("fixtures").join("scale.expected.csv");
    let text = std::fs::read_to_string(&path).expect("fixtures/scale.expected.csv is committed");
    parse_csv(&text)
        .into_iter()
        .map(|row| (row["ics_code"].clone(), row))
        .collect()
}

/// eprscan's CSV output (with the national row) by ICB code ("" for the total).
fn run(command: &[&str]) -> HashMap<String, Row> {
    let mut args = command.to_vec();
    args.extend([SET, "-f", "csv", "--total"]);
    let run = eprscan(&args);
    run.expect_code(0);
    assert!(
        run.stderr_warnings().is_empty() && run.stderr_errors().is_empty(),
        "the synthetic set is clean, but `eprscan {command:?}` said:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("warning"),
        "no warnings expected:\n{}",
        run.stderr
    );
    run.csv()
        .into_iter()
        .map(|row| (row["ics_code"].clone(), row))
        .collect()
}

/// Compare the columns of every ICS and of the national row.
fn assert_columns(command: &[&str], columns: &[&str]) {
    let expected = expected();
    let got = run(command);
    assert_eq!(got.len(), 43, "42 ICSs and the national row: {got:?}");
    for (code, want) in &expected {
        let row = got
            .get(code)
            .unwrap_or_else(|| panic!("{command:?}: no row for ICS {code:?}"));
        if !code.is_empty() {
            assert_eq!(row["ics_name"], want["ics_name"], "{command:?} {code}");
        }
        for column in columns {
            let have: f64 = row[*column]
                .parse()
                .unwrap_or_else(|_| panic!("{command:?} {code} {column}: {:?}", row[*column]));
            let want: f64 = want[*column].parse().expect("a number in expected.csv");
            assert_eq!(have, want, "{command:?}, ICS {code:?}, column {column}");
        }
    }
}

#[test]
fn scale_set_is_42_workbooks_with_a_national_row() {
    let expected = expected();
    assert_eq!(expected.len(), 43);
    assert_eq!(expected[""]["ics_name"], "England");
    let files = std::fs::read_dir(root().join(SET))
        .expect("fixtures/scale exists")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "xlsx"))
        })
        .count();
    assert_eq!(files, 42);
}

#[test]
fn coverage_matches_the_generator() {
    assert_columns(&["coverage"], &["trusts", "live", "implementing"]);
}

#[test]
fn convergence_matches_the_generator() {
    // The generator's figures are over NHS trusts.
    assert_columns(
        &["convergence", "--sectors", "trusts"],
        &["providers", "distinct_eprs", "distinct_eprs_planned"],
    );
}

#[test]
fn funding_matches_the_generator() {
    assert_columns(
        &["funding"],
        &["total_cost", "national_funding", "local_funding"],
    );
}

#[test]
fn every_provider_is_read() {
    // Coverage of every sector's providers counts every row of every Providers sheet.
    let run = eprscan(&[
        "coverage",
        SET,
        "--by",
        "national",
        "--sectors",
        "acute,mental-health,community,mental-health-and-community,ambulance,primary-care,social-care",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    let rows = run.csv();
    assert_eq!(rows.len(), 1, "{}", run.stdout);
    assert_eq!(rows[0]["trusts"], expected()[""]["all_providers"]);
}
