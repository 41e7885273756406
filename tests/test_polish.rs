//! Issue 26 (polish), points 3, 4, 6 and 8: options a command does not use are
//! refused, one man page per subcommand, the national row's key columns are null in
//! JSON, and dates in workbooks read dd/mm/yyyy.

mod common;
mod xlsx_read;

use common::*;
use serde_json::Value as Json;
use std::path::Path;

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

// ---- 26.8: dates in workbooks read dd/mm/yyyy ---------------------------------------

/// A1 reference of a zero-based (row, column).
fn a1(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        letters.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// The value of an XML attribute in `element` (`s="3"` gives `3`).
fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = element[start..].find('"')?;
    Some(&element[start..start + len])
}

/// The number format code of a cell, read from the package: the cell's style index
/// (`s`) in the sheet, that style's `numFmtId` in styles.xml's `cellXfs`, and that
/// id's `formatCode` (eprscan's own formats have ids from 164).
fn number_format(path: &Path, sheet: &str, cell: &str) -> String {
    let xml = xlsx_read::sheet_part(path, sheet);
    let at = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell} in {sheet}"));
    let element = &xml[at..at + xml[at..].find('>').expect("a closed tag")];
    let style: usize = attribute(element, "s")
        .unwrap_or_else(|| panic!("{sheet}!{cell} has no style: {element}"))
        .parse()
        .expect("a style index");
    let styles = xlsx_read::part(path, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let xf = xfs.split("<xf ").nth(style + 1).expect("the cell's style");
    let id = attribute(&format!(" {xf}"), "numFmtId")
        .expect("a numFmtId")
        .to_string();
    let code = styles
        .split("<numFmt ")
        .skip(1)
        .find(|f| attribute(&format!(" {f}"), "numFmtId") == Some(id.as_str()))
        .and_then(|f| attribute(&format!(" {f}"), "formatCode").map(str::to_string));
    code.unwrap_or_else(|| panic!("{sheet}!{cell}: built-in number format {id}"))
}

/// The Excel serial number of a date (days since 1899-12-30), computed here.
fn serial(y: i32, m: u32, d: u32) -> f64 {
    let date = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");
    (date - epoch).num_days() as f64
}

/// The cell of a table in `sheet` in the row whose column A is `row_label` and the
/// column headed `header` (as the workbook shows headers: underscores as spaces).
fn find_cell(path: &Path, sheet: &str, row_label: &str, header: &str) -> (String, calamine::Data) {
    let grid = xlsx_read::grid(path, sheet);
    let row = grid.find_row(row_label);
    let header_row = (0..row)
        .rev()
        .find(|&r| grid.row_text(r).iter().any(|t| t == header))
        .unwrap_or_else(|| panic!("no header {header:?} above row {row} of {sheet}"));
    let col = grid
        .row_text(header_row)
        .iter()
        .position(|t| t == header)
        .expect("the header") as u32;
    (a1(row, col), grid.at(row, col))
}

/// fixtures/nothing_to_judge.xlsx was submitted 2026-11-03 (fixtures/README.md): the
/// pack's Returns sheet and a tracker written with -o FILE.xlsx hold that date as a
/// real date (its serial number) shown dd/mm/yyyy; CSV keeps it ISO.
#[test]
fn workbook_dates_are_real_dates_shown_day_first() {
    let dir = temp_dir();
    let pack = dir.path().join("pack.xlsx");
    eprscan(&["report", "fixtures/nothing_to_judge.xlsx", "-o", arg(&pack)]).expect_code(0);
    let tracker = dir.path().join("tracker.xlsx");
    eprscan(&[
        "returns",
        "fixtures/nothing_to_judge.xlsx",
        "-o",
        arg(&tracker),
    ])
    .expect_code(0);
    for (path, sheet) in [(&pack, "Returns"), (&tracker, "Results")] {
        let (cell, value) = find_cell(path, sheet, "QSL", "submitted");
        match value {
            calamine::Data::DateTime(date) => {
                assert_eq!(date.as_f64(), serial(2026, 11, 3), "{sheet}!{cell}")
            }
            other => panic!("{sheet}!{cell} is not a date: {other:?}"),
        }
        assert_eq!(
            number_format(path, sheet, &cell),
            "dd/mm/yyyy",
            "{sheet}!{cell}"
        );
        let styles = xlsx_read::part(path, "xl/styles.xml");
        assert!(!styles.contains("yyyy-mm-dd"), "no ISO date format left");
    }
    let run = eprscan(&["returns", "fixtures/nothing_to_judge.xlsx", "-f", "csv"]);
    assert_eq!(
        field(row_where(&run.csv(), "ics_code", "QSL"), "submitted"),
        "2026-11-03"
    );
    let run = eprscan(&["returns", "fixtures/nothing_to_judge.xlsx", "-f", "json"]);
    assert!(
        run.stdout.contains("\"submitted\": \"2026-11-03\""),
        "{}",
        run.stdout
    );
}

/// The template's date cells (the cover sheet's submitted date) take a date shown
/// dd/mm/yyyy, as the pack's.
#[test]
fn template_dates_are_shown_day_first() {
    let dir = temp_dir();
    let path = dir.path().join("return.xlsx");
    eprscan(&["template", "-o", arg(&path)]).expect_code(0);
    let grid = xlsx_read::grid(&path, "Cover");
    let row = (0..grid.height())
        .find(|&r| xlsx_read::text(&grid.at(r, 0)).starts_with("Submitted"))
        .expect("a Submitted row");
    assert_eq!(number_format(&path, "Cover", &a1(row, 1)), "dd/mm/yyyy");
}

// ---- 26.3: no option silently ignored ----------------------------------------------

/// A global option a command does not use is a usage error (exit 2) that names the
/// command, the option and why; nothing is written. Each row: the arguments (with
/// `OUT` for a file in a temporary folder) and what the message must say.
#[test]
fn options_a_command_does_not_use_are_refused() {
    const CASES: &[(&[&str], &str)] = &[
        // The issue's own example.
        (
            &["template", "-f", "csv", "-o", "OUT"],
            "`eprscan template` does not use -f/--format: it writes an .xlsx workbook",
        ),
        (
            &["template", "--ods", "fixtures/ods/etr.csv", "-o", "OUT"],
            "`eprscan template` does not use --ods: it reads no returns",
        ),
        (
            &["template", "--total", "-o", "OUT"],
            "`eprscan template` does not use --total",
        ),
        (
            &["template", "--color", "always", "-o", "OUT"],
            "`eprscan template` does not use --color",
        ),
        (
            &["template", "--max-cells", "5", "-o", "OUT"],
            "`eprscan template` does not use --max-cells",
        ),
        (
            &["man", "-f", "json", "-o", "OUT"],
            "`eprscan man` does not use -f/--format: it writes the manual page in roff",
        ),
        (
            &["man", "--sort", "x", "-o", "OUT"],
            "`eprscan man` does not use --sort",
        ),
        (
            &["completions", "bash", "-v", "-o", "OUT"],
            "`eprscan completions` does not use -v/--verbose: it reads no returns",
        ),
        (
            &["man", "--geography", "2022", "-o", "OUT"],
            "`eprscan man` does not use --geography",
        ),
        (
            &["completions", "bash", "-f", "csv", "-o", "OUT"],
            "`eprscan completions` does not use -f/--format: it writes a shell script",
        ),
        (
            &["config", "--show", "--keep-going", "-o", "OUT"],
            "`eprscan config` does not use --keep-going: it shows the settings and reads no returns",
        ),
        (
            &["config", "--show", "--total", "-o", "OUT"],
            "`eprscan config` does not use --total",
        ),
        (
            &["validate", "fixtures/canonical.xlsx", "--keep-going", "-o", "OUT"],
            "`eprscan validate` does not use --keep-going: it lists every problem of every file",
        ),
        (
            &["validate", "fixtures/canonical.xlsx", "--total", "-o", "OUT"],
            "`eprscan validate` does not use --total",
        ),
        (
            &["returns", "fixtures/canonical.xlsx", "--keep-going", "-o", "OUT"],
            "`eprscan returns` does not use --keep-going: it reports the files with errors",
        ),
        (
            &["sql", "SELECT * FROM providers", "fixtures/canonical.xlsx", "--total", "-o", "OUT"],
            "`eprscan sql` does not use --total",
        ),
        (
            &["export", "fixtures/canonical.xlsx", "--to", "OUT", "--sort", "name"],
            "`eprscan export` does not use --sort: it writes every table whole",
        ),
        (
            &["export", "fixtures/canonical.xlsx", "--to", "OUT", "--total"],
            "`eprscan export` does not use --total",
        ),
        (
            &["report", "fixtures/canonical.xlsx", "--total", "-o", "OUT.xlsx"],
            "`eprscan report` does not use --total: the pack always shows the national rows",
        ),
        (
            &["report", "fixtures/canonical.xlsx", "--bom", "-o", "OUT.md"],
            "`eprscan report` does not use --bom",
        ),
        (
            &["sql", "--schema", "--ods", "fixtures/ods/etr.csv", "-o", "OUT"],
            "`eprscan sql` does not use --ods: sql --schema without PATHS reads no returns",
        ),
        // A command's own option that would be ignored.
        (
            &["returns", "fixtures/canonical.xlsx", "--as-of", "2026-01-01", "-o", "OUT"],
            "returns --as-of applies with --trusts",
        ),
        (
            &["trend", "fixtures/trend", "--metric", "live", "-f", "csv", "-o", "OUT"],
            "--metric picks the figure of the table for people",
        ),
        (
            &["sql", "SELECT * FROM providers", "fixtures/canonical.xlsx", "--list", "-o", "OUT.csv"],
            "--list is for the convergence view, which the query does not read",
        ),
        (
            &["sql", "SELECT * FROM coverage", "fixtures/canonical.xlsx", "--match-rate", "50%", "-o", "OUT.csv"],
            "--match-rate is for the funding_gaps view, which the query does not read",
        ),
        (
            &["sql", "--schema", "--by", "region", "-o", "OUT.csv"],
            "--by is for the coverage, convergence, funding_gaps, maturity, tracker, trend views, which --schema does not read",
        ),
        (
            &["returns", "fixtures/canonical.xlsx", "--trusts", "--ods", "fixtures/ods/etr.csv", "--by", "region", "-o", "OUT"],
            "returns --by groups the tracker; --trusts lists organisations one per row",
        ),
        (
            &["diff", "fixtures/diff/old", "fixtures/diff/new", "--per", "provider", "--changed", "-o", "OUT.csv"],
            "--changed applies to the ICS table",
        ),
        // Options that mean nothing with the format or the other options given.
        (
            &["coverage", "fixtures/canonical.xlsx", "-f", "json", "--bom", "-o", "OUT"],
            "--bom applies to CSV output, and this output is json",
        ),
        (
            &["coverage", "fixtures/canonical.xlsx", "--no-escape-formulas", "-o", "OUT.md"],
            "--no-escape-formulas applies to CSV output, and this output is markdown",
        ),
        (
            &["export", "fixtures/canonical.xlsx", "--to", "OUT", "-f", "parquet", "--bom"],
            "--bom applies to CSV output, and this output is parquet",
        ),
        (
            &["validate", "fixtures/canonical.xlsx", "--bom"],
            "--bom applies to CSV output, and this output is table",
        ),
        (
            &["coverage", "fixtures/canonical.xlsx", "--include-closed", "-o", "OUT"],
            "--include-closed applies with --ods",
        ),
        (
            &["convergence", "fixtures/canonical.xlsx", "--exclude-closed", "-o", "OUT"],
            "--exclude-closed applies with --ods",
        ),
    ];
    for (args, said) in CASES {
        let dir = temp_dir();
        let out = dir.path().join("out");
        let out_text = arg(&out).to_string();
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replacen("OUT", &out_text, 1))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = eprscan(&args);
        run.expect_code(2);
        assert!(run.stderr.contains(said), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        let written: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert!(written.is_empty(), "{args:?} wrote {written:?}");
    }
}

/// Every command still takes the global options it uses (exit 0), and honours them.
#[test]
fn options_a_command_uses_are_taken() {
    let dir = temp_dir();
    let path = |name: &str| arg(&dir.path().join(name)).to_string();
    let (template, page, script) = (path("t.xlsx"), path("eprscan.1"), path("eprscan.bash"));
    let (exported, pack) = (path("tables"), path("pack.md"));
    let cases: Vec<Vec<&str>> = vec![
        vec!["template", "-o", &template, "-q", "--geography", "2022"],
        vec!["config", "--show", "--geography", "2022"],
        vec!["man", "-o", &page, "-q"],
        vec!["completions", "bash", "-o", &script],
        vec![
            "coverage",
            "fixtures/canonical.xlsx",
            "-f",
            "csv",
            "--total",
            "--bom",
            "--no-escape-formulas",
            "--sort",
            "coverage:desc",
            "--where",
            "trusts > 0",
            "--strict",
            "-v",
            "--max-cells",
            "1000000",
            "--max-unzipped-mb",
            "100",
            "--color",
            "never",
            "--keep-going",
        ],
        vec![
            "coverage",
            "fixtures/closed_orgs.xlsx",
            "--ods",
            "fixtures/ods/merged_trusts.csv",
            "--include-closed",
        ],
        vec![
            "sql",
            "--schema",
            "fixtures/canonical.xlsx",
            "--keep-going",
            "-f",
            "csv",
        ],
        vec![
            "sql",
            "SELECT * FROM convergence JOIN funding_gaps USING (ics_code)",
            "fixtures/canonical.xlsx",
            "--list",
            "--all-systems",
            "--match-rate",
            "50%",
            "--by",
            "ics",
        ],
        vec![
            "trend",
            "fixtures/trend",
            "--metric",
            "live",
            "-f",
            "markdown",
        ],
        vec![
            "config",
            "--show",
            "--map",
            "supplier=trust_epr",
            "-f",
            "csv",
            "--bom",
        ],
        vec![
            "validate",
            "fixtures/canonical.xlsx",
            "-f",
            "csv",
            "--bom",
            "--sort",
            "cell",
        ],
        vec![
            "returns",
            "fixtures/canonical.xlsx",
            "-f",
            "json",
            "--total",
        ],
        vec![
            "sql",
            "SELECT ods_code FROM providers",
            "fixtures/canonical.xlsx",
            "-f",
            "csv",
            "--bom",
            "--sort",
            "ods_code:desc",
            "--keep-going",
        ],
        vec![
            "export",
            "fixtures/canonical.xlsx",
            "--to",
            &exported,
            "--bom",
            "--keep-going",
            "--strict",
        ],
        vec![
            "report",
            "fixtures/canonical.xlsx",
            "-o",
            &pack,
            "--keep-going",
            "--strict",
        ],
    ];
    for args in &cases {
        eprscan(args).expect_code(0);
    }
    // template honours --config: the settings file's geography (2022) has QJG, an
    // ICB of 2022 that the 2026 default does not list.
    let settings = write_file(dir.path(), "settings.toml", "geography = \"2022\"\n");
    // (Run as given: the harness would add --geography 2022 to a template run.)
    let with = ["template", "--ics", "QJG", "-o", &template];
    eprscan_default_geography(root(), &with).expect_code(2);
    let mut with = with.to_vec();
    with.extend(["--config", arg(&settings)]);
    eprscan_default_geography(root(), &with).expect_code(0);

    // config --show honours --map: the mapping is a setting it lists.
    let run = eprscan(&[
        "config",
        "--show",
        "--map",
        "supplier=trust_epr",
        "-f",
        "csv",
    ]);
    let setting = row_where(&run.csv(), "setting", "headers.providers.supplier").clone();
    assert_eq!(field(&setting, "value"), "trust_epr");
}

/// validate honours --sort and --where: with them it writes its table of problems
/// (not one line per problem), sorted and filtered. fixtures/bad_cells.xlsx has
/// warnings at several cells (fixtures/README.md).
#[test]
fn validate_sorts_and_filters_its_table_of_problems() {
    let all = eprscan(&["validate", "fixtures/bad_cells.xlsx", "-f", "csv"]);
    let mut cells: Vec<String> = all
        .csv()
        .iter()
        .map(|r| field(r, "cell").to_string())
        .collect();
    assert!(cells.len() > 2, "{}", all.stdout);
    let run = eprscan(&[
        "validate",
        "fixtures/bad_cells.xlsx",
        "--sort",
        "cell:desc",
        "-f",
        "csv",
    ]);
    let sorted: Vec<String> = run
        .csv()
        .iter()
        .map(|r| field(r, "cell").to_string())
        .collect();
    cells.sort_by(|a, b| b.cmp(a));
    assert_eq!(sorted, cells);
    // Without -f: a table for people, not lines, and only the rows kept.
    let run = eprscan(&[
        "validate",
        "fixtures/bad_cells.xlsx",
        "--where",
        "severity = 'error'",
    ]);
    assert!(run.stdout.starts_with("Problems found"), "{}", run.stdout);
    assert!(!run.stdout.contains("warning"), "{}", run.stdout);
}

/// A command's help (and so its man page) lists the global options it uses and
/// leaves out those it refuses whatever its own options.
#[test]
fn help_lists_only_the_options_a_command_uses() {
    let run = eprscan(&["template", "--help"]);
    run.expect_code(0);
    for used in ["--ics", "--output", "--quiet"] {
        assert!(run.stdout.contains(used), "{used}: {}", run.stdout);
    }
    for refused in [
        "--format",
        "--ods",
        "--total",
        "--bom",
        "--color",
        "--keep-going",
    ] {
        assert!(!run.stdout.contains(refused), "{refused}: {}", run.stdout);
    }
    let run = eprscan(&["export", "--help"]);
    assert!(run.stdout.contains("--bom") && run.stdout.contains("--keep-going"));
    assert!(!run.stdout.contains("--output") && !run.stdout.contains("--where"));
    let run = eprscan(&["coverage", "--help"]);
    for used in [
        "--format",
        "--ods",
        "--total",
        "--bom",
        "--where",
        "--keep-going",
    ] {
        assert!(run.stdout.contains(used), "{used}: {}", run.stdout);
    }

    let dir = temp_dir();
    eprscan(&["man", "--dir", arg(dir.path())]).expect_code(0);
    let page = std::fs::read_to_string(dir.path().join("eprscan-template.1")).expect("page");
    assert!(
        page.contains("\\-\\-ics") && !page.contains("\\-\\-ods"),
        "{page}"
    );
}
