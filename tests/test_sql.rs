//! `eprscan sql`: queries over the committed fixtures with the exact rows
//! fixtures/README.md gives, `--schema`, bad queries, several statements, output
//! formats and CSV formula escaping.

mod common;

use common::*;

/// Run `eprscan sql QUERY ARGS -f csv`, require exit 0 and no stderr beyond the
/// warning count line (and the note that a file's rows name no ICS), and return the
/// CSV lines (header first).
fn sql_lines(query: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["sql", query];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "csv"]);
    let run = eprscan(&all);
    run.expect_code(0);
    assert!(
        run.stderr.lines().all(
            |l| l.contains(" warnings (each says what was done about it)")
                || l.contains(" no ICS (none in the row, and no cover sheet)")
        ),
        "`{}` wrote to stderr:\n{}",
        run.cmdline,
        run.stderr
    );
    run.stdout.lines().map(String::from).collect()
}

fn lines(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|l| l.to_string()).collect()
}

#[test]
fn providers_have_canonical_words_dates_numbers_and_provenance() {
    let got = sql_lines(
        "SELECT ods_code, sector, status, supplier, product, go_live, contract_expiry, \
         target_supplier, emram_stage, epr_group, ics_code, ics_name, region, source, sheet, row \
         FROM providers ORDER BY row",
        &["fixtures/canonical.xlsx"],
    );
    let cover = "QH8,Mid and South Essex,East of England,fixtures/canonical.xlsx,Providers";
    let expected: Vec<String> = [
        "RAJ,acute,live,Oracle Health,Millennium,2019-11-01,2029-10-31,,5,3",
        "R1L,mental health,live,The Access Group,RiO,2017-04-01,2027-03-31,,2,2",
        "RYC,ambulance,live,Cleric,,2021-05-10,2028-05-31,,,2",
        "RGT,acute,live,Epic,,2014-10-26,2031-03-31,,7,3",
        "RT1,mental health and community,live,TPP,SystmOne,2016-06-06,,,1,2",
        "RDE,acute,live,Epic,,2024-09-15,2034-08-31,,5,3",
        "RWR,mental health,live,The Access Group,RiO,2025-02-03,,,,3",
        "RGP,acute,implementing,System C,Medway,2026-11-01,2025-03-31,Epic,2,1",
        "RCX,acute,implementing,Dedalus,Lorenzo,2026-11-01,,Epic,1,1",
        "RY3,community,procuring,TPP,SystmOne,,2025-09-30,,,2",
        "GPX01,primary care,live,EMIS,EMIS Web,2012-01-09,,,,",
        "CHX01,social care,none,,,,,,,",
    ]
    .iter()
    .enumerate()
    .map(|(i, fields)| format!("{fields},{cover},{}", i + 2))
    .collect();
    assert_eq!(got[0], "ods_code,sector,status,supplier,product,go_live,contract_expiry,target_supplier,emram_stage,epr_group,ics_code,ics_name,region,source,sheet,row");
    assert_eq!(got[1..], expected[..]);
}

#[test]
fn the_same_answer_from_every_file_format() {
    let query = "SELECT ods_code, name, sector, status, supplier, product, go_live, \
                 contract_expiry, target_supplier, emram_stage, epr_group FROM providers ORDER BY ods_code";
    let xlsx = sql_lines(query, &["fixtures/canonical.xlsx"]);
    assert_eq!(xlsx.len(), 13);
    for other in ["canonical.xls", "canonical.ods", "canonical.csv"] {
        let path = format!("fixtures/{other}");
        assert_eq!(sql_lines(query, &[&path]), xlsx, "{other}");
    }
    // A CSV has no sheet, and its row is the line number.
    assert_eq!(
        sql_lines(
            "SELECT ods_code, sheet, row FROM providers WHERE ods_code IN ('RAJ', 'CHX01') ORDER BY row",
            &["fixtures/canonical.csv"]
        ),
        lines(&["ods_code,sheet,row", "RAJ,,2", "CHX01,,13"])
    );
}

#[test]
fn contracts_expiring_before_a_date() {
    let expected = lines(&[
        "ods_code,name,supplier,contract_expiry",
        "RGP,James Paget University Hospitals NHS Foundation Trust,System C,2025-03-31",
        "RY3,Norfolk Community Health and Care NHS Trust,TPP,2025-09-30",
        "R1L,Essex Partnership University NHS Foundation Trust,The Access Group,2027-03-31",
    ]);
    // A date literal, and a plain string (polars casts it; its deprecation notice about
    // that cast is not shown: sql_lines requires a quiet stderr).
    for date in ["DATE '2028-01-01'", "'2028-01-01'"] {
        let query = format!(
            "SELECT ods_code, name, supplier, contract_expiry FROM providers \
             WHERE contract_expiry < {date} ORDER BY contract_expiry"
        );
        assert_eq!(
            sql_lines(&query, &["fixtures/canonical.xlsx"]),
            expected,
            "{date}"
        );
    }
}

#[test]
fn systems_and_convergence_targets() {
    assert_eq!(
        sql_lines(
            "SELECT ods_code, supplier, product, scope, row FROM systems ORDER BY row",
            &["fixtures/convergence.xlsx"]
        ),
        lines(&[
            "ods_code,supplier,product,scope,row",
            "RRF,Dedalus,Lorenzo,PAS,2",
            "RRF,Nervecentre,,Maternity,3",
            "RRF,TPP,SystmOne,,4",
            "RMC,Oracle Health,Millennium,Core EPR,5",
            "RM3,Altera Digital Health,Sunrise,Core EPR,6",
            "RM3,Alcidion,,ePMA,7",
            "GPX02,TPP,SystmOne,Core EPR,8",
        ])
    );
    // Three trusts of Greater Manchester plan to converge on Epic (written three ways).
    assert_eq!(
        sql_lines(
            "SELECT ics_name, target_supplier, COUNT(*) AS trusts, \
             STRING_AGG(ods_code, ' ' ORDER BY ods_code) AS codes \
             FROM providers WHERE target_supplier IS NOT NULL \
             GROUP BY ics_name, target_supplier",
            &["fixtures/convergence.xlsx"]
        ),
        lines(&[
            "ics_name,target_supplier,trusts,codes",
            "Greater Manchester,Epic,3,RBV RM3 RMP",
        ])
    );
}

#[test]
fn missing_values_are_null_and_not_counted() {
    // CHX01 (a care home with no EPR) has no supplier: 12 rows, 11 suppliers given, 8
    // distinct (polars' n_unique would count the missing one as a ninth).
    assert_eq!(
        sql_lines(
            "SELECT COUNT(*) AS n, COUNT(supplier) AS given, COUNT(DISTINCT supplier) AS distinct_suppliers, \
             COUNT(*) FILTER (WHERE supplier IS NULL) AS missing FROM providers",
            &["fixtures/canonical.xlsx"]
        ),
        lines(&["n,given,distinct_suppliers,missing", "12,11,8,1"])
    );
}

#[test]
fn returns_and_diagnostics_tables() {
    let inputs = [
        "fixtures/canonical.xlsx",
        "fixtures/convergence.xlsx",
        "fixtures/bad_cells.xlsx",
    ];
    assert_eq!(
        sql_lines("SELECT * FROM returns", &inputs),
        lines(&[
            "source,format,ics_code,ics_name,region,submitted,provider_rows,systems_rows,funding_lines,warnings,errors",
            "fixtures/canonical.xlsx,xlsx,QH8,Mid and South Essex,East of England,2026-10-15,12,0,0,0,0",
            "fixtures/convergence.xlsx,xlsx,QOP,Greater Manchester,North West,2026-10-20,12,7,0,0,0",
            "fixtures/bad_cells.xlsx,xlsx,,,,,6,0,0,4,0",
        ])
    );
    assert_eq!(
        sql_lines(
            "SELECT file, sheet, cell, severity, message FROM diagnostics ORDER BY cell",
            &inputs
        ),
        lines(&[
            "file,sheet,cell,severity,message",
            r#"fixtures/bad_cells.xlsx,Providers,A2,warning,"ODS code ""R1"" is not 3 to 5 letters and digits: kept as written""#,
            r#"fixtures/bad_cells.xlsx,Providers,E3,warning,"unrecognised EPR status ""Maybe"": treated as missing (counted as not started)""#,
            r#"fixtures/bad_cells.xlsx,Providers,G6,warning,"go_live: unrecognised date ""next spring"": treated as missing""#,
            r#"fixtures/bad_cells.xlsx,Providers,H4,warning,"emram_stage: ""5a"" is not an EMRAM stage (0 to 7): treated as missing""#,
        ])
    );
}

#[test]
fn funding_sums_match_eprscan_funding() {
    // fixtures/README.md has no funding table; the example returns do (README: 76
    // lines, £1,736.4m cost, £867.0m national, £587.3m local; examples/gen_examples.rs
    // writes one ICS-wide line per return).
    let got = sql_lines(
        "SELECT COUNT(*) AS lines, SUM(total_cost) AS total_cost, \
         SUM(national_funding) AS national_funding, SUM(local_funding) AS local_funding, \
         COUNT(*) FILTER (WHERE ods_code IS NULL) AS ics_wide \
         FROM funding",
        &["examples/returns"],
    );
    assert_eq!(
        got,
        lines(&[
            "lines,total_cost,national_funding,local_funding,ics_wide",
            "76,1736400000,867000000,587300000,42",
        ])
    );
    let funding = eprscan(&[
        "funding",
        "examples/returns",
        "--by",
        "national",
        "-f",
        "csv",
    ]);
    funding.expect_code(0);
    let national = &funding.csv()[0];
    for column in ["lines", "total_cost", "national_funding", "local_funding"] {
        let sql: Vec<&str> = got[1].split(',').collect();
        let index = got[0].split(',').position(|c| c == column).unwrap();
        assert_eq!(sql[index], field(national, column), "{column}");
    }
}

#[test]
fn several_statements_print_the_last_result() {
    assert_eq!(
        sql_lines(
            "CREATE TABLE acute AS SELECT * FROM providers WHERE sector = 'acute'; \
             SELECT supplier, COUNT(*) AS trusts FROM acute GROUP BY supplier \
             ORDER BY trusts DESC, supplier;",
            &["fixtures/canonical.xlsx"]
        ),
        lines(&[
            "supplier,trusts",
            "Epic,2",
            "Dedalus,1",
            "Oracle Health,1",
            "System C,1",
        ])
    );
    // A `;` inside a string is not a separator.
    assert_eq!(
        sql_lines("SELECT 'a;b' AS text", &["fixtures/canonical.xlsx"]),
        lines(&["text", "a;b"])
    );
}

#[test]
fn a_bad_query_is_a_usage_error_naming_what_exists() {
    let run = eprscan(&["sql", "SELECT * FROM trusts", "fixtures/canonical.xlsx"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "eprscan: SQL: relation 'trusts' was not found\n  tables: providers, systems, funding, returns, diagnostics\n  \
         commands' results: coverage, convergence, funding_gaps, maturity, tracker, trend\n"
    );
    assert_eq!(run.stdout, "");

    let run = eprscan(&[
        "sql",
        "SELECT message FROM returns",
        "fixtures/canonical.xlsx",
    ]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "eprscan: SQL: not found: unable to find column \"message\"; valid columns: \
         [\"source\", \"format\", \"ics_code\", \"ics_name\", \"region\", \"submitted\", \
         \"provider_rows\", \"systems_rows\", \"funding_lines\", \"warnings\", \"errors\"]\n"
    );

    let run = eprscan(&[
        "sql",
        "SELECT p.ods_code, r.ics FROM providers p JOIN returns r ON p.source = r.source",
        "fixtures/canonical.xlsx",
    ]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "eprscan: SQL: no column named 'ics' found in table 'r'\n  \
         columns of providers: ods_code, name, sector, ics_code, ics_name, region, status, supplier, \
         product, go_live, contract_expiry, target_supplier, target_product, target_go_live, journey, \
         emram_stage, epr_group, is_trust, is_live, source, sheet, row\n  \
         columns of returns: source, format, ics_code, ics_name, region, submitted, provider_rows, \
         systems_rows, funding_lines, warnings, errors\n"
    );

    let run = eprscan(&["sql", "SELEKT 1", "fixtures/canonical.xlsx"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "eprscan: SQL syntax: sql parser error: Expected: an SQL statement, found: SELEKT at Line: 1, Column: 1\n"
    );

    // In a later statement: which one, and the tables it may use (including the new one).
    let run = eprscan(&[
        "sql",
        "CREATE TABLE live AS SELECT * FROM providers WHERE status = 'live'; SELECT * FROM alive",
        "fixtures/canonical.xlsx",
    ]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "eprscan: SQL: statement 2 of 2 (SELECT * FROM alive): relation 'alive' was not found\n  \
         tables: providers, systems, funding, returns, diagnostics, live\n  \
         commands' results: coverage, convergence, funding_gaps, maturity, tracker, trend\n"
    );
}

#[test]
fn a_query_is_checked_before_the_returns_are_read() {
    // A bad query is refused (exit 2) without looking at the inputs ...
    let run = eprscan(&["sql", "SELECT * FROM trusts", "no/such/folder"]);
    run.expect_code(2);
    assert!(!run.stderr.contains("no/such/folder"), "{}", run.stderr);
    // ... and a good query over bad inputs stops with exit 1 as every command does.
    let run = eprscan(&[
        "sql",
        "SELECT * FROM providers",
        "fixtures/missing_column.xlsx",
    ]);
    run.expect_code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr_errors().len(), 1, "{}", run.stderr);
    assert!(
        run.stderr.ends_with("eprscan: stopped: 1 error\n"),
        "{}",
        run.stderr
    );
}

/// Every table's columns and types, in order.
const SCHEMA: &[(&str, &str, &str)] = &[
    ("providers", "ods_code", "str"),
    ("providers", "name", "str"),
    ("providers", "sector", "str"),
    ("providers", "ics_code", "str"),
    ("providers", "ics_name", "str"),
    ("providers", "region", "str"),
    ("providers", "status", "str"),
    ("providers", "supplier", "str"),
    ("providers", "product", "str"),
    ("providers", "go_live", "date"),
    ("providers", "contract_expiry", "date"),
    ("providers", "target_supplier", "str"),
    ("providers", "target_product", "str"),
    ("providers", "target_go_live", "date"),
    ("providers", "journey", "str"),
    ("providers", "emram_stage", "i64"),
    ("providers", "epr_group", "i64"),
    ("providers", "is_trust", "bool"),
    ("providers", "is_live", "bool"),
    ("providers", "source", "str"),
    ("providers", "sheet", "str"),
    ("providers", "row", "i64"),
    ("systems", "ods_code", "str"),
    ("systems", "supplier", "str"),
    ("systems", "product", "str"),
    ("systems", "scope", "str"),
    ("systems", "go_live", "date"),
    ("systems", "contract_expiry", "date"),
    ("systems", "source", "str"),
    ("systems", "sheet", "str"),
    ("systems", "row", "i64"),
    ("funding", "ods_code", "str"),
    ("funding", "item", "str"),
    ("funding", "total_cost", "f64"),
    ("funding", "national_funding", "f64"),
    ("funding", "local_funding", "f64"),
    ("funding", "stated_gap", "f64"),
    ("funding", "fiscal_year", "str"),
    ("funding", "return_ics_code", "str"),
    ("funding", "return_ics_name", "str"),
    ("funding", "return_region", "str"),
    ("funding", "source", "str"),
    ("funding", "sheet", "str"),
    ("funding", "row", "i64"),
    ("returns", "source", "str"),
    ("returns", "format", "str"),
    ("returns", "ics_code", "str"),
    ("returns", "ics_name", "str"),
    ("returns", "region", "str"),
    ("returns", "submitted", "date"),
    ("returns", "provider_rows", "i64"),
    ("returns", "systems_rows", "i64"),
    ("returns", "funding_lines", "i64"),
    ("returns", "warnings", "i64"),
    ("returns", "errors", "i64"),
    ("diagnostics", "file", "str"),
    ("diagnostics", "sheet", "str"),
    ("diagnostics", "cell", "str"),
    ("diagnostics", "severity", "str"),
    ("diagnostics", "message", "str"),
];

#[test]
fn schema_lists_every_table_with_its_columns_and_types() {
    // No inputs needed (and none read: the folder has no returns).
    let empty = temp_dir();
    let run = eprscan_in(empty.path(), &["sql", "--schema", "-f", "csv"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "");
    let rows = run.csv();
    assert_eq!(
        csv_header(&run.stdout),
        ["table", "column", "type", "description"]
    );
    let listed: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (field(r, "table"), field(r, "column"), field(r, "type")))
        .collect();
    assert_eq!(listed, SCHEMA);
    assert!(rows.iter().all(|r| !field(r, "description").is_empty()));
    let status = &rows[6];
    assert_eq!(
        field(status, "description"),
        "EPR status: live, implementing, procuring, planning or none"
    );
}

#[test]
fn schema_with_paths_counts_the_values_present() {
    // The first argument after --schema is a path, not a query.
    let run = eprscan(&["sql", "--schema", "fixtures/canonical.xlsx", "-f", "csv"]);
    run.expect_code(0);
    let rows = run.csv();
    assert_eq!(rows.len(), SCHEMA.len());
    let count = |table: &str, column: &str| -> u64 {
        let row = rows
            .iter()
            .find(|r| field(r, "table") == table && field(r, "column") == column)
            .unwrap_or_else(|| panic!("no {table}.{column}"));
        field(row, "non_null").parse().expect("a count")
    };
    assert_eq!(count("providers", "ods_code"), 12);
    assert_eq!(count("providers", "go_live"), 10);
    assert_eq!(count("providers", "contract_expiry"), 7);
    assert_eq!(count("providers", "target_supplier"), 2);
    assert_eq!(count("providers", "emram_stage"), 7);
    assert_eq!(count("providers", "journey"), 0);
    assert_eq!(count("providers", "region"), 12);
    assert_eq!(count("systems", "ods_code"), 0);
    assert_eq!(count("returns", "submitted"), 1);
    assert_eq!(count("diagnostics", "file"), 0);
}

#[test]
fn json_keeps_types_and_the_terminal_table_shows_missing_as_a_dash() {
    let query =
        "SELECT ods_code, go_live, emram_stage, target_supplier, sector = 'acute' AS acute \
                 FROM providers WHERE ods_code IN ('RAJ', 'RY3') ORDER BY row";
    let run = eprscan(&["sql", query, "fixtures/canonical.xlsx", "-f", "json"]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!([
            {"ods_code": "RAJ", "go_live": "2019-11-01", "emram_stage": 5, "target_supplier": null, "acute": true},
            {"ods_code": "RY3", "go_live": null, "emram_stage": null, "target_supplier": null, "acute": false},
        ])
    );
    let run = eprscan(&["sql", query, "fixtures/canonical.xlsx", "-f", "ndjson"]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().count(), 2);
    let run = eprscan(&["sql", query, "fixtures/canonical.xlsx", "-f", "table"]);
    run.expect_code(0);
    let ry3 = run
        .stdout
        .lines()
        .find(|l| l.contains("RY3"))
        .expect("a RY3 line");
    let cells: Vec<&str> = ry3
        .trim_matches(|c| c == '│')
        .split('┆')
        .map(str::trim)
        .collect();
    assert_eq!(cells, ["RY3", "–", "–", "–", "no"]);
}

#[test]
fn output_file_by_extension_including_parquet() {
    let dir = temp_dir();
    let md = dir.path().join("sectors.md");
    let query =
        "SELECT sector, COUNT(*) AS providers FROM providers GROUP BY sector ORDER BY sector";
    let run = eprscan(&["sql", query, "fixtures/canonical.xlsx", "-o", arg(&md)]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        std::fs::read_to_string(&md).expect("the markdown file"),
        "| sector | providers |\n| --- | ---: |\n| acute | 5 |\n| ambulance | 1 |\n\
         | community | 1 |\n| mental health | 2 |\n| mental health and community | 1 |\n\
         | primary care | 1 |\n| social care | 1 |\n"
    );
    let parquet = dir.path().join("sectors.parquet");
    eprscan(&["sql", query, "fixtures/canonical.xlsx", "-o", arg(&parquet)]).expect_code(0);
    let frame = read_parquet(&parquet);
    assert_eq!(frame.shape(), (7, 2));
    let sectors: Vec<Option<&str>> = frame
        .column("sector")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(sectors[0], Some("acute"));
    assert_eq!(sectors[6], Some("social care"));
    // Parquet needs a file, and is not a format for the metric commands.
    eprscan(&["sql", query, "fixtures/canonical.xlsx", "-f", "parquet"]).expect_code(2);
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "-f", "parquet"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("Parquet is written by `eprscan export`"),
        "{}",
        run.stderr
    );
}

/// A return with formula-looking names (SPEC 2: a leading `'` in CSV).
fn formula_return(dir: &std::path::Path) -> std::path::PathBuf {
    write_file(
        dir,
        "formulas.csv",
        "ODS code,Organisation name,Sector,EPR status\n\
         RAJ,\"=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\",Acute,Live\n\
         RBV,+44 20 7946 0000,Acute,Live\n\
         RGT,@SUM(A1),Acute,Live\n\
         RDE,Plain Trust,Acute,Live\n",
    )
}

#[test]
fn formula_looking_text_is_escaped_in_csv() {
    let dir = temp_dir();
    let path = formula_return(dir.path());
    let query = "SELECT ods_code, name FROM providers ORDER BY row";
    assert_eq!(
        sql_lines(query, &[arg(&path)]),
        lines(&[
            "ods_code,name",
            r#"RAJ,"'=HYPERLINK(""http://example.com"",""x"")""#,
            "RBV,'+44 20 7946 0000",
            "RGT,'@SUM(A1)",
            "RDE,Plain Trust",
        ])
    );
    // Text a query makes is escaped too.
    assert_eq!(
        sql_lines("SELECT '-1+2' AS formula", &[arg(&path)]),
        lines(&["formula", "'-1+2"])
    );
    let run = eprscan(&[
        "sql",
        query,
        arg(&path),
        "-f",
        "csv",
        "--no-escape-formulas",
    ]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().nth(2), Some("RBV,+44 20 7946 0000"));
    // JSON is not a spreadsheet: written as it is.
    let run = eprscan(&["sql", query, arg(&path), "-f", "ndjson"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout.lines().nth(2),
        Some(r#"{"ods_code":"RGT","name":"@SUM(A1)"}"#)
    );
}

/// Read a Parquet file with polars.
fn read_parquet(path: &std::path::Path) -> polars::prelude::DataFrame {
    use polars_io::SerReader;
    let file = std::fs::File::open(path).expect("the Parquet file");
    polars_io::parquet::read::ParquetReader::new(file)
        .finish()
        .expect("readable Parquet")
}
