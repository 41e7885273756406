//! Nothing lost, whatever the layout (issue 18): header rows repeated or with data
//! above them, two columns for one field, folder links, impossible dates, plain
//! headers and "did you mean", and errors from inside a workbook. Each on a committed
//! fixture of `fixtures/layouts/` (fixtures/README.md, "layouts/") except the folder
//! links, built in a temporary directory.

mod common;

use common::*;

/// The providers' ODS codes read from a file, sorted (through `eprscan sql`).
fn codes_read(file: &str) -> Vec<String> {
    let run = eprscan(&[
        "sql",
        "SELECT ods_code FROM providers ORDER BY ods_code",
        file,
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    run.csv()
        .iter()
        .map(|row| field(row, "ods_code").to_string())
        .collect()
}

/// Every row of a table's column, by ODS code, through `eprscan sql`.
fn column_by_code(file: &str, column: &str) -> Vec<(String, String)> {
    let query = format!("SELECT ods_code, {column} FROM providers ORDER BY ods_code");
    let run = eprscan(&["sql", &query, file, "-f", "csv"]);
    run.expect_code(0);
    run.csv()
        .iter()
        .map(|row| {
            (
                field(row, "ods_code").to_string(),
                field(row, column).to_string(),
            )
        })
        .collect()
}

/// The lines of a severity `eprscan validate` listed (on stdout).
fn listed<'a>(run: &'a Run, severity: &str) -> Vec<&'a str> {
    severity_lines(&run.stdout, severity)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

// --- 1. Header rows ---------------------------------------------------------

#[test]
fn a_repeated_header_is_skipped_and_every_block_is_read() {
    let file = "fixtures/layouts/repeated_header.xlsx";
    // Rows 4-5, 8-9 and 12 (README): five trusts, under the first header (row 3),
    // though row 11 matches more columns.
    assert_eq!(codes_read(file), ["RHW", "RNU", "RTH", "RWX", "RXQ"]);
    let run = eprscan(&["coverage", file, "-f", "csv"]);
    run.expect_code(0);
    let row = &run.csv()[0];
    assert_eq!(field(row, "trusts"), "5");
    assert_eq!(field(row, "live"), "3");
    let run = eprscan(&["validate", file]);
    run.expect_code(0);
    // Row 7 repeats the header exactly: a note. Row 11 adds a column: a warning that
    // names it and says its values are not read.
    let notes = listed(&run, "note");
    assert!(
        notes.iter().any(|n| n.contains("Providers!A7: note: the header row is repeated here: this row is skipped, and the rows below it are read under the header in row 3")),
        "{}",
        run.stdout
    );
    let warnings = listed(&run, "warning");
    assert_eq!(warnings.len(), 1, "{}", run.stdout);
    assert!(warnings[0].contains("Providers!A11: warning: the header row is repeated here"));
    assert!(
        warnings[0].contains("F11 (\"Go-live date\")"),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("the values under those columns are not read"));
}

#[test]
fn rows_above_the_header_that_look_like_data_are_a_warning_naming_them() {
    let file = "fixtures/layouts/data_above_header.xlsx";
    // Only the rows under the header (5-6) are read ...
    assert_eq!(codes_read(file), ["RHW", "RXQ"]);
    // ... and rows 1-2 (RTH, RNU) are named, with how many.
    let run = eprscan(&["validate", file]);
    run.expect_code(0);
    let warnings = listed(&run, "warning");
    assert_eq!(
        warnings,
        ["fixtures/layouts/data_above_header.xlsx: Providers!A1: warning: 2 rows above the header row 4 look like rows of this table (an ODS code in column A): not read (rows 1, 2); move them under the header"],
    );
    eprscan(&["validate", "--strict", file]).expect_code(1);
}

#[test]
fn two_columns_for_one_field_are_a_warning_naming_both_and_the_one_used() {
    let file = "fixtures/layouts/two_code_columns.xlsx";
    // Column A holds the trusts' own codes; D the host trust's (RTH) on both rows.
    assert_eq!(codes_read(file), ["RHW", "RXQ"]);
    let run = eprscan(&["validate", file]);
    run.expect_code(0);
    assert_eq!(
        listed(&run, "warning"),
        ["fixtures/layouts/two_code_columns.xlsx: Providers!D1: warning: providers table: column \"ODS code\" also matches ods_code: not read; A1 (\"ODS code\") is used"],
    );
}

// --- 2. The folder walk -----------------------------------------------------

#[cfg(unix)]
#[test]
fn folder_links_are_followed_but_each_folder_and_file_is_read_once() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir();
    let returns = dir.path().join("returns");
    std::fs::create_dir_all(returns.join("sub")).expect("a folder");
    copy_fixture("canonical.xlsx", &returns, "canonical.xlsx");
    // A link to the folder itself, one to its parent from below, and a second path
    // to the same workbook.
    symlink(".", returns.join("self")).expect("a link");
    symlink("..", returns.join("sub").join("up")).expect("a link");
    symlink("../canonical.xlsx", returns.join("sub").join("same.xlsx")).expect("a link");
    // A link to a folder outside is followed.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("a folder");
    copy_fixture("missing_column.xlsx", &elsewhere, "other.xlsx");
    symlink(&elsewhere, returns.join("linked")).expect("a link");

    let run = eprscan_in(dir.path(), &["validate", "returns"]);
    let summary = &run.stderr;
    // The linked folder's workbook is read (its missing column is its one error);
    // canonical.xlsx's 12 provider rows (README) are read once.
    run.expect_code(1);
    assert!(
        summary.contains("2 files read, 12 provider rows, 1 error, 0 warnings"),
        "{summary}"
    );
    let errors = listed(&run, "error");
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert!(errors[0].starts_with("returns/linked/other.xlsx: Providers!A3: error:"));
    let notes = listed(&run, "note");
    for (path, says) in [
        (
            "returns/self",
            "skipped: the same folder as returns, already read",
        ),
        (
            "returns/sub/up",
            "skipped: the same folder as returns, already read",
        ),
        (
            "returns/sub/same.xlsx",
            "skipped: the same file as returns/canonical.xlsx, which is read once",
        ),
    ] {
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with(&format!("{path}: note: {says}"))),
            "no note for {path}:\n{}",
            run.stdout
        );
    }
    assert!(
        !run.stdout.contains("identical rows merged"),
        "{}",
        run.stdout
    );
}

// --- 3. Impossible dates ----------------------------------------------------

#[test]
fn dates_outside_1950_to_2100_are_warnings_at_the_cell_and_missing() {
    let file = "fixtures/layouts/impossible_dates.xlsx";
    let run = eprscan(&["validate", file]);
    run.expect_code(0);
    let outside = ": treated as missing";
    let at = |cell: &str, what: &str| {
        format!(
            "fixtures/layouts/impossible_dates.xlsx: Providers!{cell}: warning: go_live: {what}"
        )
    };
    assert_eq!(
        listed(&run, "warning"),
        [
            at(
                "F2",
                &format!("date 82900-01-06 is outside 1950-01-01 to 2100-12-31{outside}")
            ),
            at(
                "F3",
                &format!("date 1900-01-01 is outside 1950-01-01 to 2100-12-31{outside}")
            ),
            at(
                "F4",
                &format!(
                    "date 1900-04-09 (serial 100) is outside 1950-01-01 to 2100-12-31{outside}"
                )
            ),
            at(
                "F5",
                &format!("date \"01/01/1899\" is outside 1950-01-01 to 2100-12-31{outside}")
            ),
            at("F6", "unrecognised date \"31/02/2024\": treated as missing"),
        ]
    );
    // Every row kept; only RDU's go-live (F7, 1 May 2022) is a date.
    assert_eq!(
        column_by_code(file, "go_live"),
        pairs(&[
            ("RDU", "2022-05-01"),
            ("RHW", ""),
            ("RNU", ""),
            ("RTH", ""),
            ("RWX", ""),
            ("RXQ", ""),
        ])
    );
}

// --- 4. Plain headers and "did you mean" ------------------------------------

#[test]
fn plain_code_and_name_headers_are_recognised() {
    let file = "fixtures/layouts/plain_headers.xlsx";
    let run = eprscan(&["coverage", file, "-f", "csv"]);
    run.expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // Three trusts (README): RHW and RWX live, RXQ implementing.
    let row = &run.csv()[0];
    assert_eq!(field(row, "trusts"), "3");
    assert_eq!(field(row, "live"), "2");
    assert_eq!(
        column_by_code(file, "supplier"),
        pairs(&[("RHW", "Epic"), ("RWX", "TPP"), ("RXQ", "Oracle Health")])
    );
}

#[test]
fn did_you_mean_lists_each_candidate_once_closest_first() {
    let run = eprscan(&["coverage", "fixtures/layouts/unmatched_headers.xlsx"]);
    let error = run.the_only_error();
    // "Code" is an accepted header itself (1.0), "Providers" is one letter from
    // "Provider", "Trusts" one from "Trust"; "validation_notes" and "alt_names" are
    // like nothing required.
    assert!(
        error.contains("did you mean \"Code\" or \"Providers\" or \"Trusts\"?"),
        "{error}"
    );
    assert_eq!(error.matches("\"Providers\"").count(), 1, "{error}");
    assert!(
        !error.contains("alt_names") && !error.contains("validation_notes"),
        "{error}"
    );
    // The bare "Code" is not taken beside "ICB code", and the message says why.
    assert!(
        error.contains("a column headed just \"Code\" is read as the ODS code only when no other column names a code"),
        "{error}"
    );
}

// --- 5. Errors from inside a workbook ---------------------------------------

#[test]
fn formula_error_values_and_cells_of_the_wrong_type_are_warnings_at_the_cell() {
    let file = "fixtures/layouts/formula_errors.xlsx";
    let run = eprscan(&["validate", file]);
    run.expect_code(0);
    let at = |place: &str, what: &str| {
        format!(
            "fixtures/layouts/formula_errors.xlsx: {place}: warning: {what}: treated as missing"
        )
    };
    assert_eq!(
        listed(&run, "warning"),
        [
            at(
                "Cover!B1",
                "cover sheet ICS name: the formula's result is an error value (#N/A)"
            ),
            at(
                "Providers!D2",
                "status: the formula's result is an error value (#DIV/0!)"
            ),
            at(
                "Providers!E3",
                "supplier: the formula's result is an error value (#N/A)"
            ),
            at(
                "Providers!G3",
                "emram_stage: a TRUE/FALSE cell (TRUE), not a number"
            ),
            at(
                "Providers!F4",
                "go_live: the formula's result is an error value (#REF!)"
            ),
            at(
                "Providers!G4",
                "emram_stage: a date cell (2023-05-05), not a number"
            ),
            at(
                "Providers!E5",
                "supplier: a date cell (2024-01-01), not text"
            ),
        ]
    );
    assert_eq!(
        column_by_code(file, "emram_stage"),
        pairs(&[("RHW", ""), ("RNU", ""), ("RTH", "6"), ("RXQ", "2")])
    );
    // Every row kept, the bad cells missing (not "#N/A" as a supplier).
    assert_eq!(
        column_by_code(file, "supplier"),
        pairs(&[
            ("RHW", "Epic"),
            ("RNU", ""),
            ("RTH", "Oracle Health"),
            ("RXQ", "")
        ])
    );
    assert_eq!(
        column_by_code(file, "status"),
        pairs(&[
            ("RHW", "live"),
            ("RNU", "live"),
            ("RTH", ""),
            ("RXQ", "implementing")
        ])
    );
}

#[test]
fn a_shared_string_index_past_the_table_names_file_sheet_and_cell() {
    let run = eprscan(&["coverage", "fixtures/layouts/broken_shared_string.xlsx"]);
    let error = run.the_only_error();
    assert!(
        error.starts_with("fixtures/layouts/broken_shared_string.xlsx: error: cannot read: sheet Providers, cell B3: the cell refers to text number 999 of the workbook's shared-string table"),
        "{error}"
    );
    assert!(error.contains("nothing in it is read"), "{error}");
}
