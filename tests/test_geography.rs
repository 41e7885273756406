//! Issue 24: the NHS geography as data, and returns regrouped across the ICB mergers of
//! 1 April 2026. Expected figures: the mergers as the issue lists them (written out
//! here, not read from the built-in data), and fixtures/README.md, `geography/`.

mod common;
use common::*;
use std::collections::HashMap;

const EXAMPLES: &str = "examples/returns";

/// The 2026 ICBs formed by mergers and the 2022 ICBs whose rows they add up, when no
/// ODS reference places the trusts of the two split ICBs (QJG, QNQ): those are
/// counted under "(unplaced)".
const MERGED: [(&str, &[&str]); 7] = [
    ("S1Y5D", &["QHG", "QUE", "QM7"]),
    ("Z9B2Z", &["QMJ", "QRV"]),
    ("S9B9J", &["QXU", "QNX"]),
    ("D7T5G", &["QH8"]),
    ("T6Y0W", &["QMM"]),
    ("S0E4D", &["QU9"]),
    ("(unplaced)", &["QJG", "QNQ"]),
];

/// Rows of a by-ICS CSV keyed by ICB code (the total row under "England").
fn by_code(rows: &[Row]) -> HashMap<String, Row> {
    rows.iter()
        .map(|r| {
            let code = match field(r, "ics_code") {
                "" => "England".to_string(),
                code => code.to_string(),
            };
            (code, r.clone())
        })
        .collect()
}

fn csv_rows(args: &[&str]) -> Vec<Row> {
    let run = eprscan(args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.csv()
}

/// Every 2026 row of `command` equals the sum of its predecessors' 2022 rows in
/// `columns`; unchanged ICBs are equal; England is unchanged.
fn sums_of_predecessors(command: &str, columns: &[&str]) {
    let old = by_code(&csv_rows(&[
        command,
        EXAMPLES,
        "--geography",
        "2022",
        "-f",
        "csv",
        "--total",
    ]));
    let new = by_code(&csv_rows(&[
        command,
        EXAMPLES,
        "--geography",
        "2026",
        "-f",
        "csv",
        "--total",
    ]));
    assert_eq!(old.len(), 43, "42 ICSs and England");
    // 36 ICBs, the unplaced trusts of QJG and QNQ, and England.
    assert_eq!(new.len(), 38, "{:?}", new.keys());
    let merged_away: Vec<&str> = MERGED
        .iter()
        .flat_map(|(_, from)| from.iter().copied())
        .collect();
    for column in columns {
        let value = |rows: &HashMap<String, Row>, code: &str| -> f64 {
            float(
                rows.get(code).unwrap_or_else(|| panic!("no row {code}")),
                column,
            )
        };
        for (code, from) in MERGED {
            let sum: f64 = from.iter().map(|c| value(&old, c)).sum();
            assert_close(
                value(&new, code),
                sum,
                &format!("{command} {code} {column}"),
            );
        }
        for code in old.keys().filter(|c| !merged_away.contains(&c.as_str())) {
            assert_close(
                value(&new, code),
                value(&old, code),
                &format!("{command} {code} {column}"),
            );
        }
    }
}

#[test]
fn examples_by_2026_icbs_sum_their_predecessors() {
    sums_of_predecessors(
        "coverage",
        &["trusts", "live", "implementing", "not_started"],
    );
    sums_of_predecessors("funding", &["lines", "total_cost", "secured", "gap"]);
}

#[test]
fn the_default_geography_is_2026() {
    let run = eprscan_default_geography(root(), &["coverage", EXAMPLES, "-f", "csv"]);
    run.expect_code(0);
    let rows = run.csv();
    let codes: Vec<&str> = rows.iter().map(|r| field(r, "ics_code")).collect();
    assert!(
        codes.contains(&"S1Y5D") && !codes.contains(&"QHG"),
        "{codes:?}"
    );
    assert_eq!(
        row_where(&rows, "ics_code", "S1Y5D")["ics_name"],
        "Central East"
    );
    // 36 ICBs and the unplaced trusts of the two split ICBs.
    assert_eq!(rows.len(), 37);
    // Each unplaced trust is warned, naming the successors it may be in.
    let validate = eprscan_default_geography(root(), &["validate", EXAMPLES]);
    let qjg_trusts = severity_lines(&validate.stdout, "warning")
        .iter()
        .filter(|w| w.contains("is in QJG (Suffolk and North East Essex), split between"))
        .count();
    assert_eq!(qjg_trusts, 4, "{}", validate.stdout);
}

/// fixtures/README.md, `geography/`: with the ODS file, RZ1 goes to Essex and RZ2 to
/// Norfolk and Suffolk; RZ3 (the reference still says QJG) and RZ4 (not in it) are
/// unplaced, each with a warning.
#[test]
fn a_split_icb_is_placed_trust_by_trust_from_the_ods_reference() {
    let run = eprscan(&[
        "coverage",
        "fixtures/geography/returns",
        "--geography",
        "2026",
        "--ods",
        "fixtures/geography/etr.csv",
        "-f",
        "csv",
        "--total",
    ]);
    run.expect_code(0);
    let rows = by_code(&run.csv());
    let figures = |code: &str| {
        let r = &rows[code];
        ["trusts", "live", "implementing", "not_started"].map(|c| field(r, c).to_string())
    };
    assert_eq!(figures("D7T5G"), ["3", "2", "0", "1"]);
    assert_eq!(figures("T6Y0W"), ["1", "0", "1", "0"]);
    assert_eq!(figures("(unplaced)"), ["2", "2", "0", "0"]);
    assert_eq!(figures("England"), ["6", "4", "1", "1"]);
    assert_eq!(rows.len(), 4);
    let validate = eprscan(&[
        "validate",
        "fixtures/geography/returns",
        "--geography",
        "2026",
        "--ods",
        "fixtures/geography/etr.csv",
    ]);
    let all = validate.stdout.clone();
    assert!(
        all.contains("qjg.xlsx: Providers!A4: warning: RZ3 Stourside Community NHS Trust (synthetic) is in QJG (Suffolk and North East Essex), split between D7T5G Essex and T6Y0W Norfolk and Suffolk on 2026-04-01; the ODS reference puts it in ICB QJG, which is neither: counted under (unplaced)"),
        "{all}"
    );
    assert!(
        all.contains("qjg.xlsx: Providers!A5: warning: RZ4 Orwell Vale NHS Foundation Trust (synthetic) is in QJG")
            && all.contains("cannot be told without an ODS reference naming its ICB"),
        "{all}"
    );
    assert!(
        all.contains("etr.csv: note: QJG (Suffolk and North East Essex), split between D7T5G Essex and T6Y0W Norfolk and Suffolk on 2026-04-01: 2 providers placed by this ODS reference's ICB column"),
        "{all}"
    );
}

#[test]
fn without_a_reference_a_split_icbs_trusts_are_all_unplaced_never_guessed() {
    let rows = by_code(&csv_rows(&[
        "coverage",
        "fixtures/geography/returns",
        "--geography",
        "2026",
        "-f",
        "csv",
    ]));
    let figures = |code: &str| {
        let r = &rows[code];
        ["trusts", "live", "implementing", "not_started"].map(|c| field(r, c).to_string())
    };
    // QH8 merged whole into Essex; QJG's four trusts are not split between successors.
    assert_eq!(figures("D7T5G"), ["2", "1", "0", "1"]);
    assert_eq!(figures("(unplaced)"), ["4", "3", "1", "0"]);
    assert!(!rows.contains_key("T6Y0W"));
    // By region nothing is unplaced: both successors are in the East of England.
    let region = csv_rows(&[
        "coverage",
        "fixtures/geography/returns",
        "--geography",
        "2026",
        "--by",
        "region",
        "-f",
        "csv",
    ]);
    assert_eq!(region.len(), 1);
    assert_eq!(field(&region[0], "region"), "East of England");
    assert_eq!(field(&region[0], "trusts"), "6");
}

#[test]
fn a_geography_file_on_the_command_line_and_in_the_settings_file() {
    let rows = by_code(&csv_rows(&[
        "coverage",
        "fixtures/geography/returns",
        "--geography",
        "fixtures/geography/custom.csv",
        "-f",
        "csv",
    ]));
    assert_eq!(rows["E01"]["ics_name"], "East Coast");
    assert_eq!(rows["E01"]["trusts"], "2");
    assert_eq!(rows["N01"]["ics_name"], "Broads and Heaths");
    assert_eq!(rows["N01"]["trusts"], "4");
    assert_eq!(rows["N01"]["live"], "3");
    assert_eq!(rows.len(), 2);
    // In the settings file, a file named relative to the settings file.
    let dir = temp_dir();
    std::fs::create_dir_all(dir.path().join("settings")).expect("mkdir");
    copy_fixture(
        "geography/custom.csv",
        &dir.path().join("settings"),
        "icbs.csv",
    );
    write_file(
        &dir.path().join("settings"),
        "eprscan.toml",
        "geography = \"icbs.csv\"\n",
    );
    let returns = root().join("fixtures/geography/returns");
    let run = eprscan_default_geography(
        dir.path(),
        &[
            "coverage",
            arg(&returns),
            "--config",
            "settings/eprscan.toml",
            "-f",
            "csv",
        ],
    );
    run.expect_code(0);
    let codes: Vec<String> = run
        .csv()
        .iter()
        .map(|r| field(r, "ics_code").to_string())
        .collect();
    assert_eq!(codes, ["E01", "N01"]);
}

#[test]
fn a_bad_geography_is_a_usage_error_naming_the_line() {
    let dir = temp_dir();
    let bad = write_file(
        dir.path(),
        "bad.csv",
        "icb_code,icb_name,region\nQE1,Lancashire,North West\nQE1,Again,North West\n",
    );
    let run = eprscan(&["coverage", EXAMPLES, "--geography", arg(&bad)]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("bad.csv: line 3: ICB code QE1 is listed twice"),
        "{}",
        run.stderr
    );
    let run = eprscan(&["coverage", EXAMPLES, "--geography", "2031"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("not a built-in geography (2022, 2026) nor an existing file"),
        "{}",
        run.stderr
    );
}

/// The tracker expects the 36 ICBs of 2026: an ICB formed from three returns that
/// only one of them came for is "partial", naming the missing ones.
#[test]
fn the_tracker_expects_the_icbs_of_the_geography() {
    let dir = temp_dir();
    for name in [
        "qhg_bedfordshire_luton_and_milton_keynes.xlsx",
        "qmj_north_central_london.xlsx",
        "qrv_north_west_london.xlsx",
    ] {
        std::fs::copy(root().join(EXAMPLES).join(name), dir.path().join(name)).expect("copy");
    }
    let run = eprscan(&[
        "returns",
        arg(dir.path()),
        "--geography",
        "2026",
        "-f",
        "csv",
    ]);
    let rows = run.csv();
    assert_eq!(rows.len(), 36, "{}", run.stdout);
    let s1y5d = row_where(&rows, "ics_code", "S1Y5D");
    assert_eq!(field(s1y5d, "state"), "partial");
    assert!(
        field(s1y5d, "files").ends_with("; none for QUE, QM7"),
        "{s1y5d:?}"
    );
    assert_eq!(field(row_where(&rows, "ics_code", "Z9B2Z"), "state"), "ok");
    assert_eq!(
        field(row_where(&rows, "ics_code", "QE1"), "state"),
        "missing"
    );
    let table = eprscan(&["returns", arg(dir.path()), "--geography", "2026"]);
    assert!(
        table.stdout.contains("Returns received: 2 of 36 ICSs (2026 geography (36 ICBs); 1 ok, 0 warnings, 0 errors, 0 duplicate, 1 partial, 34 missing)"),
        "{}",
        table.stdout
    );
}

#[test]
fn trend_groups_every_snapshot_by_one_geography() {
    let rows = csv_rows(&[
        "trend",
        "examples/snapshots",
        "--geography",
        "2026",
        "-f",
        "csv",
    ]);
    let codes: Vec<&str> = rows.iter().map(|r| field(r, "ics_code")).collect();
    // The snapshots hold QU9 (merged into Thames Valley, S0E4D) and QNQ (split: its
    // trusts unplaced without an ODS reference), in every one of the six months.
    let count = |code: &str| codes.iter().filter(|c| **c == code).count();
    assert_eq!(count("S0E4D"), 6, "{codes:?}");
    assert_eq!(count("(unplaced)"), 6, "{codes:?}");
    assert_eq!(count("QU9") + count("QNQ"), 0, "{codes:?}");
}

#[test]
fn the_hex_map_draws_a_2022_area_with_its_2026_icbs_figures() {
    let dir = temp_dir();
    let page = dir.path().join("pack.html");
    eprscan(&["report", EXAMPLES, "--geography", "2026", "-o", arg(&page)]);
    let html = std::fs::read_to_string(&page).expect("page written");
    assert_eq!(html.matches("<g class=\"hex\"").count(), 42);
    // The three areas of Central East carry its code and figures.
    assert_eq!(
        html.matches("<g class=\"hex\" data-ics=\"S1Y5D\">").count(),
        3
    );
    assert!(
        html.contains("S1Y5D Central East (area of QHG): coverage"),
        "hexmap"
    );
    assert!(html.contains("QJG: split between D7T5G Essex and T6Y0W Norfolk and Suffolk"));
    // The returns tile counts the 36 ICBs expected (every one had a return).
    assert!(
        html.contains(
            "<span class=\"v\">36</span><span class=\"l\">returns received of the 36 ICSs</span>"
        ),
        "returns tile"
    );
}
