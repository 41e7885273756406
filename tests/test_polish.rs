//! Issue 26 (polish), points 3, 4, 6 and 8: options a command does not use are
//! refused, one man page per subcommand, the national row's key columns are null in
//! JSON, and dates in workbooks read dd/mm/yyyy.

mod common;

use common::*;
use serde_json::Value as Json;

/// The JSON objects of a run's stdout (an array, or one object per line).
fn json_objects(run: &Run) -> Vec<Json> {
    run.expect_code(0);
    match serde_json::from_str::<Json>(&run.stdout) {
        Ok(Json::Array(objects)) => objects,
        _ => run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
            .collect(),
    }
}

// ---- 26.6: the national row's key columns -----------------------------------------

/// Every table with an ICS key (ics_code, ics_name): its England row, the one whose
/// ics_name starts with "England", has ics_code null in JSON and NDJSON, and empty in
/// CSV; the other rows have their code (a text). fixtures/tracker.xlsx has four ICSs,
/// fixtures/funding.xlsx one with funding lines.
#[test]
fn national_row_key_columns_are_null_in_json_and_empty_in_csv() {
    let commands: [&[&str]; 5] = [
        &["coverage", "fixtures/tracker.xlsx"],
        &["convergence", "fixtures/tracker.xlsx"],
        &["funding", "fixtures/funding.xlsx"],
        &["maturity", "fixtures/tracker.xlsx"],
        &["returns", "fixtures/tracker.xlsx"],
    ];
    for command in commands {
        for format in ["json", "ndjson"] {
            let mut args = command.to_vec();
            args.extend(["-f", format, "--total"]);
            let objects = json_objects(&eprscan(&args));
            let (national, groups): (Vec<&Json>, Vec<&Json>) = objects
                .iter()
                .partition(|o| o["ics_name"].as_str().is_some_and(|n| n == "England"));
            assert_eq!(national.len(), 1, "{args:?}: one England row: {objects:?}");
            assert_eq!(
                national[0]["ics_code"],
                Json::Null,
                "{args:?}: {:?}",
                national[0]
            );
            assert!(!groups.is_empty(), "{args:?}");
            for group in groups {
                assert!(group["ics_code"].is_string(), "{args:?}: {group}");
            }
        }
        let mut args = command.to_vec();
        args.extend(["-f", "csv", "--total"]);
        let run = eprscan(&args);
        run.expect_code(0);
        let rows = run.csv();
        let england = row_where(&rows, "ics_name", "England");
        assert_eq!(field(england, "ics_code"), "", "{args:?}");
    }
}

/// The tracker's national row has no region either: null.
#[test]
fn tracker_national_row_has_null_region() {
    let objects = json_objects(&eprscan(&[
        "returns",
        "fixtures/tracker.xlsx",
        "-f",
        "json",
        "--total",
    ]));
    let england = objects
        .iter()
        .find(|o| o["ics_name"] == "England")
        .expect("an England row");
    assert_eq!(england["region"], Json::Null, "{england}");
}

/// Tables that carry England's rows among the data rows (trend's long table, the
/// trajectory's monthly series) give them null key columns too.
#[test]
fn national_rows_in_long_tables_have_null_codes() {
    let trend = json_objects(&eprscan(&[
        "trend",
        "fixtures/trend",
        "-f",
        "json",
        "--total",
    ]));
    let national: Vec<&Json> = trend
        .iter()
        .filter(|o| o["ics_name"] == "England")
        .collect();
    assert_eq!(national.len(), 3, "one per snapshot (2026-09, -10, -11)");
    assert!(
        national.iter().all(|o| o["ics_code"] == Json::Null),
        "{national:?}"
    );

    let monthly = json_objects(&eprscan(&[
        "trajectory",
        "fixtures/trajectory/2026-11-15",
        "--deadline",
        "2027-03-31",
        "--monthly",
        "--total",
        "-f",
        "ndjson",
    ]));
    let national: Vec<&Json> = monthly
        .iter()
        .filter(|o| o["ics_name"] == "England")
        .collect();
    assert!(!national.is_empty());
    assert!(
        national.iter().all(|o| o["ics_code"] == Json::Null),
        "{national:?}"
    );
}

/// Tables for people keep the England row's code cell blank (not the "–" of a
/// missing value).
#[test]
fn national_row_code_is_blank_in_tables() {
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "-f", "markdown"]);
    run.expect_code(0);
    let england = run
        .stdout
        .lines()
        .find(|l| l.contains("England"))
        .expect("an England row");
    assert!(england.starts_with("|  | **England** |"), "{england}");
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx"]);
    let england = run
        .stdout
        .lines()
        .find(|l| l.contains("England"))
        .expect("an England row");
    assert!(!england.contains('–'), "{england}");
}

// ---- 26.4: one man page per subcommand --------------------------------------------

/// Every subcommand of `eprscan --help`, but clap's `help`.
const COMMANDS: [&str; 16] = [
    "coverage",
    "convergence",
    "funding",
    "maturity",
    "returns",
    "validate",
    "report",
    "diff",
    "trend",
    "trajectory",
    "template",
    "sql",
    "export",
    "config",
    "completions",
    "man",
];

/// The pages a roff text refers to: `eprscan\-NAME(1)` gives `eprscan-NAME`.
fn page_references(roff: &str) -> Vec<String> {
    let mut refs = Vec::new();
    let plain = roff.replace("\\fB", "").replace("\\fR", "");
    for (at, _) in plain.match_indices("eprscan\\-") {
        let rest = &plain[at + "eprscan\\-".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if rest[name.len()..].starts_with("(1)") {
            refs.push(format!("eprscan-{name}"));
        }
    }
    refs
}

#[test]
fn man_dir_writes_every_page_the_main_page_refers_to() {
    let dir = temp_dir();
    let out = dir.path().join("man1");
    let run = eprscan(&["man", "--dir", arg(&out)]);
    run.expect_code(0);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("the folder is created")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut want: Vec<String> = COMMANDS.iter().map(|c| format!("eprscan-{c}.1")).collect();
    want.push("eprscan.1".into());
    want.sort();
    assert_eq!(files, want, "{}", run.stderr);

    let main = std::fs::read_to_string(out.join("eprscan.1")).expect("eprscan.1");
    assert!(main.contains(".TH eprscan 1"), "{}", &main[..200]);
    let mut refs = page_references(&main);
    refs.sort();
    refs.dedup();
    let mut pages: Vec<String> = COMMANDS.iter().map(|c| format!("eprscan-{c}")).collect();
    pages.sort();
    assert_eq!(
        refs, pages,
        "the main page refers to exactly the pages written"
    );
    assert!(main.contains(".SH \"SEE ALSO\""));

    for command in COMMANDS {
        let page = std::fs::read_to_string(out.join(format!("eprscan-{command}.1")))
            .expect("the page is written");
        assert!(
            page.contains(&format!(".TH eprscan-{command} 1")),
            "{command}: {}",
            &page[..200]
        );
        // Its own options and examples are there, and it points back to eprscan(1).
        assert!(page.contains(".SH OPTIONS"), "{command}");
        assert!(page.contains("Examples:"), "{command}");
        assert!(page.contains("\\fBeprscan\\fR(1)"), "{command}");
        assert!(page_references(&page).is_empty(), "{command}");
    }
    let coverage = std::fs::read_to_string(out.join("eprscan-coverage.1")).expect("page");
    assert!(coverage.contains("\\-\\-sectors"), "coverage's own option");
}

/// The single page on stdout has every command's section in it, and refers to no
/// page that it does not come with.
#[test]
fn man_on_stdout_refers_to_no_other_page() {
    let run = eprscan(&["man"]);
    run.expect_code(0);
    assert_eq!(page_references(&run.stdout), Vec::<String>::new());
    for command in COMMANDS {
        let section = format!(".SH \"EPRSCAN {}\"", command.to_uppercase());
        assert!(run.stdout.contains(&section), "no {section}");
        assert!(
            run.stdout.contains(&format!(
                "See the section EPRSCAN {}",
                command.to_uppercase()
            )),
            "{command} is listed with its section"
        );
    }
    // -o and --dir are two places for one output.
    let dir = temp_dir();
    let run = eprscan(&["man", "--dir", arg(dir.path()), "-o", "x.1"]);
    run.expect_code(2);
    assert!(run.stderr.contains("-o does not apply"), "{}", run.stderr);
}
