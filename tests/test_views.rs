//! Issue 22: every command's result is a SQL table (`eprscan sql` over coverage,
//! convergence, funding_gaps, maturity and tracker), `providers.is_trust` and
//! `is_live` agree with coverage, `--sort` / `--where` on every result table in every
//! format, and `--bom` for Excel. All on the 42 example returns (examples/returns).

mod common;
mod xlsx_read;

use common::*;
use xlsx_read::*;

const RETURNS: &str = "examples/returns";

/// stdout of `eprscan ARGS -q`, after checking it exited 0.
fn stdout_of(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.push("-q");
    let run = eprscan(&all);
    run.expect_code(0);
    run.stdout
}

/// Each view is its command's result: the same CSV, byte for byte, for the same
/// options (the view is the command's own table converted, so any difference is a
/// lost option or a converter that changes a value).
#[test]
fn each_view_equals_its_commands_csv_for_the_same_options() {
    let cases: [(&[&str], &str, &[&str]); 8] = [
        (&["coverage"], "coverage", &[]),
        (
            &[
                "coverage",
                "--by",
                "region",
                "--as-of",
                "2023-06-30",
                "--target",
                "95%",
                "--sectors",
                "acute,ambulance",
            ],
            "coverage",
            &[
                "--by",
                "region",
                "--as-of",
                "2023-06-30",
                "--target",
                "95%",
                "--sectors",
                "acute,ambulance",
            ],
        ),
        (&["convergence", "--list"], "convergence", &["--list"]),
        (
            &[
                "convergence",
                "--by",
                "region",
                "--all-systems",
                "--sectors",
                "trusts",
                "--as-of",
                "2024-01-01",
            ],
            "convergence",
            &[
                "--by",
                "region",
                "--all-systems",
                "--sectors",
                "trusts",
                "--as-of",
                "2024-01-01",
            ],
        ),
        (
            &["funding", "--match-rate", "50%"],
            "funding_gaps",
            &["--match-rate", "50%"],
        ),
        (&["maturity"], "maturity", &[]),
        (
            &["maturity", "--by", "sector"],
            "maturity",
            &["--by", "sector"],
        ),
        (
            &["returns", "--by", "region"],
            "tracker",
            &["--by", "region"],
        ),
    ];
    for (command, view, options) in cases {
        let mut direct = command.to_vec();
        direct.extend([RETURNS, "-f", "csv"]);
        let expected = stdout_of(&direct);
        let query = format!("SELECT * FROM {view}");
        let mut via_sql = vec!["sql", query.as_str(), RETURNS, "-f", "csv"];
        via_sql.extend(options);
        let actual = stdout_of(&via_sql);
        assert!(expected.lines().count() > 1, "{command:?} gave no rows");
        assert_eq!(actual, expected, "view {view} with {options:?}");
    }
}

/// The question of the issue, in one line: the ICSs below target, lowest first.
#[test]
fn below_target_icss_in_one_query() {
    let coverage = parse_csv(&stdout_of(&["coverage", RETURNS, "-f", "csv"]));
    let mut expected: Vec<(String, f64)> = coverage
        .iter()
        .filter(|r| field(r, "met") == "false")
        .map(|r| (field(r, "ics_name").to_string(), float(r, "coverage")))
        .collect();
    expected.sort_by(|a, b| a.1.total_cmp(&b.1));
    let rows = parse_csv(&stdout_of(&[
        "sql",
        "SELECT ics_name, coverage FROM coverage WHERE NOT met ORDER BY coverage",
        RETURNS,
        "-f",
        "csv",
    ]));
    let got: Vec<f64> = rows.iter().map(|r| float(r, "coverage")).collect();
    let want: Vec<f64> = expected.iter().map(|(_, c)| *c).collect();
    assert_eq!(got, want);
    assert!(!rows.is_empty() && rows.len() < coverage.len());
}

/// A hand-written GROUP BY over providers, using is_trust and is_live, gives the
/// trusts and live counts of coverage for every ICS (without is_trust, Nottingham
/// counts its non-trust provider and shows 60% against coverage's 75%).
#[test]
fn providers_trust_flags_agree_with_coverage_for_every_ics() {
    for as_of in [None, Some("2023-06-30")] {
        let mut coverage_args = vec!["coverage", RETURNS, "-f", "csv"];
        let mut sql_args = vec![
            "sql",
            "SELECT ics_code, COUNT(*) AS trusts, SUM(CAST(is_live AS INT)) AS live \
             FROM providers WHERE is_trust GROUP BY ics_code ORDER BY ics_code",
            RETURNS,
            "-f",
            "csv",
        ];
        if let Some(date) = as_of {
            coverage_args.extend(["--as-of", date]);
            sql_args.extend(["--as-of", date]);
        }
        let coverage = parse_csv(&stdout_of(&coverage_args));
        let grouped = parse_csv(&stdout_of(&sql_args));
        assert_eq!(coverage.len(), 42, "one row per example ICS");
        assert_eq!(grouped.len(), coverage.len(), "as of {as_of:?}");
        for row in &coverage {
            let code = field(row, "ics_code");
            let mine = row_where(&grouped, "ics_code", code);
            assert_eq!(
                field(mine, "trusts"),
                field(row, "trusts"),
                "{code} {as_of:?}"
            );
            assert_eq!(field(mine, "live"), field(row, "live"), "{code} {as_of:?}");
        }
    }
    // --as-of changes is_live: fewer trusts were live by mid-2023 (the example
    // returns have go-lives after it).
    let live = |as_of: &[&str]| -> u64 {
        let mut args = vec![
            "sql",
            "SELECT SUM(CAST(is_live AS INT)) AS live FROM providers WHERE is_trust",
            RETURNS,
            "-f",
            "csv",
        ];
        args.extend(as_of);
        field(&parse_csv(&stdout_of(&args))[0], "live")
            .parse()
            .expect("a count")
    };
    assert!(live(&["--as-of", "2023-06-30"]) < live(&[]));
    // Nottingham and Nottinghamshire (QT1): 3 of its 4 trusts live; counting every
    // provider instead gives 3 of 5.
    let qt1 = |filter: &str| -> String {
        let query = format!(
            "SELECT SUM(CAST(is_live AS INT)) AS live, COUNT(*) AS n FROM providers \
             WHERE ics_code = 'QT1' {filter}"
        );
        let rows = parse_csv(&stdout_of(&["sql", &query, RETURNS, "-f", "csv"]));
        format!("{}/{}", field(&rows[0], "live"), field(&rows[0], "n"))
    };
    assert_eq!(qt1("AND is_trust"), "3/4");
    assert_eq!(qt1(""), "3/5");
}

/// The ICS codes coverage would show for `--where "NOT met" --sort coverage:desc`,
/// worked out from the unfiltered CSV: the unmet rows, largest coverage first, ties
/// in coverage's own order.
fn unmet_by_coverage_desc() -> Vec<String> {
    let coverage = parse_csv(&stdout_of(&["coverage", RETURNS, "-f", "csv"]));
    let mut unmet: Vec<&Row> = coverage
        .iter()
        .filter(|r| field(r, "met") == "false")
        .collect();
    unmet.sort_by(|a, b| float(b, "coverage").total_cmp(&float(a, "coverage")));
    unmet
        .iter()
        .map(|r| field(r, "ics_code").to_string())
        .collect()
}

const REFINE: [&str; 4] = ["--where", "NOT met", "--sort", "coverage:desc"];

fn coverage_refined(format: &[&str]) -> String {
    let mut args = vec!["coverage", RETURNS];
    args.extend(REFINE);
    args.extend(format);
    stdout_of(&args)
}

#[test]
fn sort_and_where_in_csv_json_and_ndjson() {
    let expected = unmet_by_coverage_desc();
    assert!(expected.len() > 5, "{expected:?}");

    let rows = parse_csv(&coverage_refined(&["-f", "csv", "--total"]));
    let codes: Vec<&str> = rows.iter().map(|r| field(r, "ics_code")).collect();
    // The national row stays last, unfiltered: England's 210 trusts.
    let (england, groups) = codes.split_last().expect("rows");
    assert_eq!(groups, expected);
    assert_eq!(*england, "");
    assert_eq!(field(rows.last().expect("a total"), "ics_name"), "England");

    let json: serde_json::Value =
        serde_json::from_str(&coverage_refined(&["-f", "json"])).expect("JSON");
    let codes: Vec<&str> = json
        .as_array()
        .expect("an array")
        .iter()
        .map(|o| o["ics_code"].as_str().expect("a code"))
        .collect();
    assert_eq!(codes, expected);

    let ndjson = coverage_refined(&["-f", "ndjson"]);
    let codes: Vec<String> = ndjson
        .lines()
        .map(|l| {
            let o: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            o["ics_code"].as_str().expect("a code").to_string()
        })
        .collect();
    assert_eq!(codes, expected);
}

#[test]
fn sort_and_where_in_table_markdown_and_xlsx() {
    let expected = unmet_by_coverage_desc();
    // The terminal table: rows in order, England last, and the title says the
    // national row is for all groups.
    let table = coverage_refined(&["-f", "table"]);
    assert!(
        table.contains("filtered by --where \"NOT met\": the national row is for all groups"),
        "{table}"
    );
    let codes: Vec<&str> = table
        .lines()
        .filter(|l| l.contains('┆'))
        .skip(1) // the header
        .filter_map(|l| l.trim_start_matches('│').split('┆').next())
        .map(str::trim)
        .collect();
    let (england, groups) = codes.split_last().expect("rows");
    assert_eq!(groups, expected);
    assert_eq!(*england, "");

    let markdown = coverage_refined(&["-f", "markdown"]);
    let codes: Vec<&str> = markdown
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(2) // header and rule
        .filter_map(|l| l.split('|').nth(1))
        .map(str::trim)
        .collect();
    let (england, groups) = codes.split_last().expect("rows");
    assert_eq!(groups, expected);
    assert!(
        england.is_empty() || england.contains("England"),
        "{england}"
    );

    let dir = temp_dir();
    let path = dir.path().join("unmet.xlsx");
    let mut args = vec!["coverage", RETURNS, "-o", arg(&path)];
    args.extend(REFINE);
    eprscan(&args).expect_code(0);
    let sheet = &sheet_names(&path)[0];
    let grid = grid(&path, sheet);
    let header = grid.find_row("ics code");
    let codes: Vec<String> = (header + 1..grid.height())
        .map(|r| text(&grid.at(r, 0)))
        .collect();
    let names_last = text(&grid.at(grid.height() - 1, 1));
    let (_, groups) = codes.split_last().expect("rows");
    assert_eq!(groups, expected);
    assert_eq!(names_last, "England");
}

/// --sort and --where are the output path's, so every table command has them:
/// funding's largest gaps first, the tracker by region, a SQL result re-sorted.
#[test]
fn sort_and_where_on_other_commands() {
    let funding = parse_csv(&stdout_of(&["funding", RETURNS, "-f", "csv"]));
    let mut gaps: Vec<f64> = funding.iter().map(|r| float(r, "gap")).collect();
    gaps.sort_by(|a, b| b.total_cmp(a));
    let top = parse_csv(&stdout_of(&[
        "funding", RETURNS, "-f", "csv", "--sort", "gap:desc", "--where", "gap > 0",
    ]));
    let got: Vec<f64> = top.iter().map(|r| float(r, "gap")).collect();
    let want: Vec<f64> = gaps.into_iter().filter(|g| *g > 0.0).collect();
    assert_eq!(got, want);

    // Dates compare with text written as a date, as in `eprscan sql`, and quietly.
    let tracker = parse_csv(&stdout_of(&["returns", RETURNS, "-f", "csv"]));
    let mut early: Vec<&str> = tracker
        .iter()
        .filter(|r| field(r, "submitted") < "2026-10-05")
        .map(|r| field(r, "ics_code"))
        .collect();
    early.sort_unstable();
    let run = eprscan(&[
        "returns",
        RETURNS,
        "-f",
        "csv",
        "--where",
        "submitted < '2026-10-05'",
    ]);
    run.expect_code(0);
    assert!(!run.stderr.contains("eprecat"), "{}", run.stderr);
    let rows = run.csv();
    let got: Vec<&str> = rows.iter().map(|r| field(r, "ics_code")).collect();
    assert_eq!(got, early);
    assert!(!early.is_empty() && early.len() < tracker.len());

    let sql = parse_csv(&stdout_of(&[
        "sql",
        "SELECT ods_code, name FROM providers WHERE ics_code = 'QT1'",
        RETURNS,
        "-f",
        "csv",
        "--sort",
        "ods_code:desc",
    ]));
    let codes: Vec<&str> = sql.iter().map(|r| field(r, "ods_code")).collect();
    let mut sorted = codes.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(codes, sorted);
    assert_eq!(codes.len(), 5);
}

#[test]
fn an_unknown_column_is_a_usage_error_listing_the_columns() {
    let columns = "ics_code, ics_name, trusts, live, implementing, not_started, coverage, \
                   target, met, shortfall, rest_implementing";
    let run = eprscan(&["coverage", RETURNS, "--sort", "coverag"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&format!(
            "--sort: no column \"coverag\" in this table; columns: {columns}"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");

    let run = eprscan(&["coverage", RETURNS, "--where", "coverag < 0.9"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        format!(
            "eprscan: --where \"coverag < 0.9\": not found: unable to find column \"coverag\" \
             (did you mean \"coverage\"?); columns: {columns}\n"
        )
    );

    let run = eprscan(&["coverage", RETURNS, "--sort", "coverage:down"]);
    run.expect_code(2);
    assert!(run.stderr.contains("COLUMN:desc"), "{}", run.stderr);

    // A document of several tables has no one set of columns.
    let run = eprscan(&[
        "diff",
        "fixtures/canonical.xlsx",
        "fixtures/canonical.xlsx",
        "--sort",
        "ics_code",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("--sort and --where apply to one result table"),
        "{}",
        run.stderr
    );
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[test]
fn bom_only_when_asked() {
    let bytes = |args: &[&str]| -> Vec<u8> {
        let output = assert_cmd::Command::cargo_bin("eprscan")
            .expect("the binary")
            .current_dir(root())
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        output.stdout
    };
    let with = bytes(&["coverage", RETURNS, "-f", "csv", "--bom", "-q"]);
    let without = bytes(&["coverage", RETURNS, "-f", "csv", "-q"]);
    assert_eq!(&with[..3], BOM);
    assert_eq!(&with[3..], &without[..], "the mark and nothing else");
    assert!(without.starts_with(b"ics_code,"));
    // Not in other formats: with -f json, --bom is refused rather than ignored (issue
    // 26.3), and JSON starts as JSON.
    let run = eprscan(&["coverage", RETURNS, "-f", "json", "--bom", "-q"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("--bom applies to CSV output"),
        "{}",
        run.stderr
    );
    let json = bytes(&["coverage", RETURNS, "-f", "json", "-q"]);
    assert!(json.starts_with(b"["));

    // -o FILE.csv: no mark unless asked (see README, "CSV for Excel").
    let dir = temp_dir();
    let plain = dir.path().join("plain.csv");
    let marked = dir.path().join("marked.csv");
    eprscan(&["coverage", RETURNS, "-o", arg(&plain)]).expect_code(0);
    eprscan(&["coverage", RETURNS, "-o", arg(&marked), "--bom"]).expect_code(0);
    let plain = std::fs::read(plain).expect("written");
    let marked = std::fs::read(marked).expect("written");
    assert!(plain.starts_with(b"ics_code,"));
    assert_eq!(&marked[..3], BOM);

    // export writes every CSV with the mark under --bom.
    let to = dir.path().join("tables");
    eprscan(&[
        "export",
        "fixtures/canonical.xlsx",
        "--to",
        arg(&to),
        "--bom",
    ])
    .expect_code(0);
    for table in ["providers", "systems", "funding", "returns", "diagnostics"] {
        let file = std::fs::read(to.join(format!("{table}.csv"))).expect("exported");
        assert_eq!(&file[..3], BOM, "{table}");
    }
}

/// The trend view (issue 22 with issue 20) is `eprscan trend`'s long CSV for the same
/// snapshots, byte for byte: computed by the trend command's own code.
#[test]
fn trend_view_equals_the_trend_commands_csv() {
    for by in [&[][..], &["--by", "region"][..]] {
        let mut command = vec!["trend", "fixtures/trend", "-f", "csv"];
        command.extend_from_slice(by);
        let mut query = vec![
            "sql",
            "SELECT * FROM trend",
            "--trend",
            "fixtures/trend",
            "fixtures/trend/2026-11",
            "-f",
            "csv",
        ];
        query.extend_from_slice(by);
        assert_eq!(stdout_of(&query), stdout_of(&command), "trend {by:?}");
    }
    let run = eprscan(&["sql", "SELECT * FROM trend", RETURNS]);
    run.expect_code(2);
    assert!(run.stderr.contains("--trend SNAPSHOT"), "{}", run.stderr);
}
