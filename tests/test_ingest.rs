//! Reading the inputs (through `eprscan coverage`): discovery, sheets, header rows,
//! cell warnings with their exact cells, `--ods`, duplicates across returns, errors
//! for unreadable input, and formula escaping of input text in CSV output.

mod common;

use common::*;
use std::time::{Duration, SystemTime};

const ICS: &[&str] = &["ics_code", "ics_name"];

/// `eprscan validate .` in a fresh directory holding these files (name, contents),
/// required to exit 0; the lines of `severity` it lists (on stdout).
fn validate_listing(files: &[(&str, &str)], severity: &str) -> Vec<String> {
    let dir = temp_dir();
    for (name, contents) in files {
        write_file(dir.path(), name, contents);
    }
    let run = eprscan_in(dir.path(), &["validate", "."]);
    run.expect_code(0);
    severity_lines(&run.stdout, severity)
        .into_iter()
        .map(String::from)
        .collect()
}

// ---------------------------------------------------------------------------------
// Discovery

#[test]
fn discovery_skips_lock_hidden_and_non_spreadsheet_files_with_notes() {
    let run = eprscan(&["coverage", "fixtures/discovery/", "-f", "csv", "--total"]);
    run.expect_code(0);
    let notes = run.stderr_notes();
    let note_for = |name: &str| {
        notes
            .iter()
            .find(|l| l.starts_with("fixtures/discovery/") && l.contains(name))
            .unwrap_or_else(|| panic!("no note for {name}:\n{}", run.stderr))
    };
    assert!(
        note_for("~$good.xlsx").contains("lock"),
        "lock file note names the reason"
    );
    assert!(
        note_for(".hidden.xlsx").contains("hidden"),
        "hidden file note names the reason"
    );
    note_for("notes.txt");
    assert!(
        run.stderr_warnings().is_empty() && run.stderr_errors().is_empty(),
        "no warnings or errors:\n{}",
        run.stderr
    );
    assert!(
        !notes
            .iter()
            .any(|l| l.contains("good.xlsx") && !l.contains("~$")),
        "good.xlsx is read, not skipped:\n{}",
        run.stderr
    );
    let rows = run.csv();
    assert_eq!(field(&rows[0], "ics_code"), "QSL");
    assert_metrics(
        total_row(&rows, ICS),
        &m(3, 2, 1, 0, 2.0 / 3.0, false, 1, true),
        "only good.xlsx counted",
    );
}

#[test]
fn discovery_quiet_hides_notes() {
    let run = eprscan(&["coverage", "fixtures/discovery/", "-q", "-f", "csv"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "", "-q prints nothing but errors");
    assert_eq!(field(&run.csv()[0], "trusts"), "3");
}

#[test]
fn lock_file_named_directly_is_skipped_not_an_error() {
    // The same lock file passed by name is still a lock file.
    let run = eprscan(&[
        "coverage",
        "fixtures/discovery/good.xlsx",
        "fixtures/discovery/~$good.xlsx",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    assert!(
        run.stderr_notes().iter().any(|l| l.contains("~$good.xlsx")),
        "{}",
        run.stderr
    );
    assert_eq!(field(&run.csv()[0], "trusts"), "3");
}

// ---------------------------------------------------------------------------------
// Sheets

#[test]
fn tracker_hidden_and_very_hidden_sheets_are_ignored() {
    let run = eprscan(&[
        "coverage",
        "fixtures/tracker.xlsx",
        "-v",
        "-f",
        "csv",
        "--total",
    ]);
    run.expect_code(0);
    let rows = run.csv();
    assert!(
        rows.iter().all(|r| field(r, "ics_code") != "QYG"),
        "no QYG group from the hidden sheets: {rows:#?}"
    );
    // RXN stays planning: QE1 has one live trust (RXL) of five.
    assert_metrics(
        row_where(&rows, "ics_code", "QE1"),
        &m(5, 1, 1, 3, 0.2, false, 4, false),
        "QE1",
    );
    assert_eq!(
        field(total_row(&rows, ICS), "trusts"),
        "13",
        "RBT RJN RWW REM RVY not read"
    );
    assert!(
        run.stderr_warnings().is_empty(),
        "no duplicate warning for RXN:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("RXN"),
        "no duplicate note for RXN:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("tracker.xlsx: Trusts")
            && !run.stderr.contains("tracker.xlsx: Providers"),
        "hidden sheets not read:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tracker.xlsx: Trust list"),
        "the table is found on `Trust list` by scanning headers:\n{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------
// Cell warnings

fn assert_one_titled_warning(ext: &str) {
    let path = format!("fixtures/titled_merged.{ext}");
    let run = eprscan(&["coverage", &path, "-v", "-f", "csv"]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 1, "exactly one warning:\n{}", run.stderr);
    let expected = format!("{path}: Providers!H25: warning: ");
    assert!(
        warnings[0].starts_with(&expected),
        "{:?} should start with {expected:?}",
        warnings[0]
    );
    assert!(warnings[0].contains("sometime soon"), "{}", warnings[0]);
    // RY9 is kept and stays live.
    assert_eq!(field(&run.csv()[0], "live"), "19");
}

#[test]
fn titled_merged_xlsx_warns_at_h25() {
    assert_one_titled_warning("xlsx");
}

#[test]
fn titled_merged_ods_warns_at_h25() {
    assert_one_titled_warning("ods");
}

#[test]
fn warnings_are_counted_not_listed_without_verbose() {
    let run = eprscan(&["coverage", "fixtures/titled_merged.xlsx", "-f", "csv"]);
    run.expect_code(0);
    assert!(
        run.stderr_warnings().is_empty(),
        "warnings not listed without -v:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("eprscan: 1 warning"),
        "one-line count:\n{}",
        run.stderr
    );
    let run = eprscan(&["coverage", "fixtures/titled_merged.xlsx", "-q", "-f", "csv"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "", "-q hides the count");
}

#[test]
fn titled_merged_header_is_row_6_not_the_merged_labels() {
    let run = eprscan(&["coverage", "fixtures/titled_merged.xlsx", "-v", "-f", "csv"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("header row 6"),
        "the header row chosen is reported with -v:\n{}",
        run.stderr
    );
    assert_eq!(field(&run.csv()[0], "trusts"), "23");
}

#[test]
fn a_second_column_for_one_field_is_a_warning_at_its_cell_naming_the_one_used() {
    // "Supplier" ranks above "EPR supplier" (SPEC 1.4), though it comes second. Which
    // column is read decides every value, so it is a warning (issue 18), not a note.
    let csv = "ODS code,Organisation name,Sector,EPR status,EPR supplier,Supplier\n\
               RAJ,Mid and South Essex,Acute,Live,Cerner,Epic\n";
    assert_eq!(
        validate_listing(&[("p.csv", csv)], "warning"),
        ["./p.csv: E1: warning: providers table: column \"EPR supplier\" also matches supplier: not read; F1 (\"Supplier\") is used"],
    );
    let dir = temp_dir();
    write_file(dir.path(), "p.csv", csv);
    let suppliers = eprscan_in(
        dir.path(),
        &["sql", "SELECT supplier FROM providers", ".", "-f", "csv"],
    );
    suppliers.expect_code(0);
    assert_eq!(field(&suppliers.csv()[0], "supplier"), "Epic");
}

#[test]
fn a_second_providers_sheet_is_a_warning_counting_its_rows() {
    let run = eprscan(&["coverage", "fixtures/split_providers.xlsx", "-f", "csv"]);
    run.expect_code(0);
    // Only "Acute trusts" is counted: RM1 live, RCX and RGP implementing.
    assert_metrics(
        row_where(&run.csv(), "ics_code", "QMM"),
        &m(3, 1, 2, 0, 1.0 / 3.0, false, 2, true),
        "the sheet read",
    );
    assert!(
        run.stderr
            .contains("eprscan: 1 warning (each says what was done about it)"),
        "{}",
        run.stderr
    );
    let validate = eprscan(&["validate", "fixtures/split_providers.xlsx"]);
    assert_eq!(
        severity_lines(&validate.stdout, "warning"),
        [
            "fixtures/split_providers.xlsx: Community and mental health!A3: warning: this sheet has a providers header row too, but a workbook's providers table is read from one sheet, \"Acute trusts\": 2 rows here not counted"
        ],
        "the systems sheet, read as systems, is not warned about:\n{}",
        validate.stdout
    );
    let strict = eprscan(&["coverage", "fixtures/split_providers.xlsx", "--strict"]);
    strict.expect_code(1);
}

#[test]
fn dupes_within_one_return_keep_the_later_row_and_say_so() {
    let csv = "ODS code,Organisation name,Sector,EPR status,Supplier\n\
               RAJ,Mid and South Essex,Acute,Implementing,Epic\n\
               RAJ,Mid and South Essex,Acute,Live,Epic\n";
    assert_eq!(
        validate_listing(&[("p.csv", csv)], "warning"),
        [
            "./p.csv: A3: warning: RAJ is also in ./p.csv, A2 with different values: \
          status live kept over implementing (the later row in the same return)"
        ],
    );
}

#[test]
fn bad_cells_four_warnings_at_exact_cells() {
    let run = eprscan(&["coverage", "fixtures/bad_cells.xlsx", "-v", "-f", "csv"]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 4, "exactly four warnings:\n{}", run.stderr);
    for (cell, text) in [
        ("A2", "R1"),
        ("E3", "Maybe"),
        ("H4", "5a"),
        ("G6", "next spring"),
    ] {
        let prefix = format!("fixtures/bad_cells.xlsx: Providers!{cell}: warning: ");
        let line = warnings
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no warning at {cell}:\n{}", run.stderr));
        assert!(line.contains(text), "{cell} should quote {text:?}: {line}");
    }
    // All six rows kept.
    assert_metrics(
        &run.csv()[0],
        &m(6, 3, 1, 2, 0.5, false, 3, false),
        "bad_cells",
    );
}

#[test]
fn bad_cells_strict_lists_warnings_and_exits_1() {
    let run = eprscan(&[
        "coverage",
        "fixtures/bad_cells.xlsx",
        "--strict",
        "-f",
        "csv",
    ]);
    run.expect_code(1);
    assert_eq!(run.stdout, "", "no results when stopped");
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 4, "{}", run.stderr);
    for cell in ["A2", "E3", "H4", "G6"] {
        assert!(
            warnings
                .iter()
                .any(|l| l.contains(&format!("Providers!{cell}: warning: "))),
            "{cell} listed under --strict:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("stopped"), "{}", run.stderr);
}

#[test]
fn national_list_blank_supplier_warns_at_d11() {
    let run = eprscan(&["coverage", "fixtures/national_list.csv", "-v", "-f", "csv"]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    assert_eq!(
        warnings.len(),
        1,
        "one warning; `No EPR` spellings are not unknown suppliers:\n{}",
        run.stderr
    );
    assert!(
        warnings[0].starts_with("fixtures/national_list.csv: D11: warning: "),
        "{}",
        warnings[0]
    );
    // BOM: the header still matched, so ods codes were found (12 trusts).
    assert_eq!(field(&run.csv()[0], "trusts"), "12");
}

#[test]
fn ods_reference_warns_for_unknown_and_closed_codes() {
    let run = eprscan(&[
        "coverage",
        "fixtures/national_list.csv",
        "--ods",
        "fixtures/ods/etr.csv",
        "-v",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 3, "three warnings:\n{}", run.stderr);
    let find = |prefix: &str| {
        *warnings
            .iter()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no warning starting {prefix:?}:\n{}", run.stderr))
    };
    find("fixtures/national_list.csv: D11: warning: ");
    let closed = find("fixtures/national_list.csv: A12: warning: ");
    // No cover sheet and no --as-of: no date is known, so RLN is still counted.
    assert!(
        closed.contains("RLN")
            && closed.contains("closed")
            && closed.contains("2019-03-31")
            && closed.contains("still counted"),
        "{closed}"
    );
    let unknown = find("fixtures/national_list.csv: A13: warning: ");
    assert!(
        unknown.contains("RWD") && unknown.contains("still counted"),
        "{unknown}"
    );
}

#[test]
fn ods_reference_does_not_add_providers() {
    // RE9 is in etr.csv but not in the list: no row for it.
    let rows = coverage_csv(
        "fixtures/national_list.csv",
        &["--ods", "fixtures/ods/etr.csv"],
    );
    assert_eq!(field(total_row(&rows, ICS), "trusts"), "12");
    assert_eq!(field(row_where(&rows, "ics_code", "QHM"), "trusts"), "4");
}

// ---------------------------------------------------------------------------------
// Duplicates across returns

#[test]
fn dupes_identical_rows_merged_with_a_note() {
    let run = eprscan(&["coverage", "fixtures/dupes/", "-f", "csv"]);
    run.expect_code(0);
    let notes = run.stderr_notes();
    let rde: Vec<&&str> = notes.iter().filter(|l| l.contains("RDE")).collect();
    assert_eq!(rde.len(), 1, "one note for RDE:\n{}", run.stderr);
    assert!(
        rde[0].contains("a_newer.xlsx") && rde[0].contains("b_older.xlsx"),
        "{}",
        rde[0]
    );
    assert!(run.stderr.contains("eprscan: 1 warning"), "{}", run.stderr);
}

#[test]
fn dupes_conflict_warns_naming_both_files_and_newer_wins() {
    let run = eprscan(&["coverage", "fixtures/dupes/", "-v", "-f", "csv"]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 1, "exactly one warning:\n{}", run.stderr);
    let w = warnings[0];
    assert!(w.contains("RGR"), "{w}");
    assert!(
        w.contains("a_newer.xlsx") && w.contains("b_older.xlsx"),
        "{w}"
    );
    assert!(w.contains("Providers!A3"), "{w}");
    // Newer (a_newer: Live) wins over older (b_older: Implementing).
    assert_metrics(&run.csv()[0], &m(4, 3, 1, 0, 0.75, false, 1, true), "dupes");
}

#[test]
fn dupes_conflict_warning_locates_both_rows_as_cells() {
    let run = eprscan(&["coverage", "fixtures/dupes/", "-v", "-f", "csv"]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    let w = warnings[0];
    let a = w
        .find("a_newer.xlsx")
        .and_then(|i| w[i..].find("Providers!A3"));
    let b = w
        .find("b_older.xlsx")
        .and_then(|i| w[i..].find("Providers!A3"));
    assert!(
        a.is_some() && b.is_some(),
        "both sources located as Providers!A3: {w}"
    );
}

#[test]
fn dupes_cover_date_decides_not_file_order_or_mtime() {
    // Newest return named so it is read last, and with the oldest mtime.
    let dir = temp_dir();
    let newer = copy_fixture("dupes/a_newer.xlsx", dir.path(), "z_newer.xlsx");
    let older = copy_fixture("dupes/b_older.xlsx", dir.path(), "a_older.xlsx");
    let old_time = SystemTime::UNIX_EPOCH + Duration::from_secs(946_684_800); // 2000-01-01
    std::fs::File::options()
        .write(true)
        .open(&newer)
        .and_then(|f| f.set_modified(old_time))
        .expect("set mtime");
    std::fs::File::options()
        .write(true)
        .open(&older)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .expect("set mtime");
    let run = eprscan_in(dir.path(), &["coverage", ".", "-v", "-f", "csv"]);
    run.expect_code(0);
    assert_metrics(
        &run.csv()[0],
        &m(4, 3, 1, 0, 0.75, false, 1, true),
        "newer cover date wins (RGR live)",
    );
    assert_eq!(run.stderr_warnings().len(), 1, "{}", run.stderr);
}

/// `fixtures/dupes_blank/`: the newer return leaves cells blank that the older one
/// filled; the merged row keeps the older values (fixtures/README.md, dupes_blank/).
#[test]
fn dupes_blank_cells_in_the_newer_return_keep_the_older_values() {
    let run = eprscan(&[
        "sql",
        "SELECT ods_code, status, supplier, product, go_live, emram_stage \
         FROM providers ORDER BY ods_code",
        "fixtures/dupes_blank/",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    let rows = run.csv();
    let values = |code: &str| {
        let row = row_where(&rows, "ods_code", code);
        ["status", "supplier", "product", "go_live", "emram_stage"].map(|c| field(row, c))
    };
    // RCX: status from the newer return, go-live and EMRAM from the older.
    assert_eq!(values("RCX"), ["live", "Epic", "", "2025-06-30", "5"]);
    // RGP: supplier and product blank in the newer return, from the older.
    assert_eq!(
        values("RGP"),
        ["live", "Oracle Health", "Millennium", "2020-01-20", "5"]
    );
    assert_eq!(rows.len(), 3, "one row per ODS code");
}

#[test]
fn dupes_blank_cells_change_the_figures_as_the_older_values_say() {
    // RCX went live on 2025-06-30 (the older return's date): not live on 2025-01-01.
    let rows = coverage_csv("fixtures/dupes_blank/", &["--as-of", "2025-01-01"]);
    assert_metrics(
        &rows[0],
        &m(3, 2, 0, 1, 2.0 / 3.0, false, 1, false),
        "dupes_blank --as-of 2025-01-01",
    );
    // EMRAM 5 for RCX comes from the older return: all three at stage 5 or above.
    let run = eprscan(&[
        "maturity",
        "fixtures/dupes_blank/",
        "--by",
        "national",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    let row = &run.csv()[0];
    for (column, expected) in [
        ("stage_5", "2"),
        ("stage_6", "1"),
        ("stage_unknown", "0"),
        ("at_or_above_5", "3"),
    ] {
        assert_eq!(field(row, column), expected, "{column}: {row:?}");
    }
}

#[test]
fn dupes_blank_warning_names_each_field_the_value_kept_and_why() {
    let run = eprscan(&["coverage", "fixtures/dupes_blank/", "-v", "-f", "csv"]);
    run.expect_code(0);
    assert_eq!(
        run.stderr_warnings(),
        [
            "fixtures/dupes_blank/a_newer.xlsx: Providers!A2: warning: RCX is also in \
             fixtures/dupes_blank/b_older.xlsx, Providers!A2 with different values: \
             status live kept over implementing (the more recently submitted return); \
             go_live 2025-06-30 taken from there (blank here); \
             emram_stage 5 taken from there (blank here)",
            "fixtures/dupes_blank/a_newer.xlsx: Providers!A4: warning: RGP is also in \
             fixtures/dupes_blank/b_older.xlsx, Providers!A4 with different values: \
             supplier Oracle Health taken from there (blank here); \
             product Millennium taken from there (blank here)",
        ]
    );
    let notes = run.stderr_notes();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("RM1 is also in") && n.contains("identical rows merged")),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------
// Errors

#[test]
fn missing_column_is_an_error_with_did_you_mean() {
    let run = eprscan(&["coverage", "fixtures/missing_column.xlsx"]);
    let e = run.the_only_error();
    assert_eq!(run.stdout, "", "nothing on stdout");
    assert!(
        e.starts_with("fixtures/missing_column.xlsx: Providers"),
        "{e}"
    );
    assert!(e.contains("header row 3"), "names the header row: {e}");
    assert!(
        e.contains("Organisation name") || e.contains(" name "),
        "names the missing field: {e}"
    );
    assert!(e.contains("did you mean"), "{e}");
    assert!(e.contains("\"Organsation nme\""), "{e}");
}

#[test]
fn missing_column_with_a_good_file_still_exits_1() {
    let run = eprscan(&[
        "coverage",
        "fixtures/canonical.xlsx",
        "fixtures/missing_column.xlsx",
        "-f",
        "csv",
    ]);
    run.expect_code(1);
    assert_eq!(run.stdout, "", "no partial results");
    assert_eq!(run.stderr_errors().len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("missing_column.xlsx"), "{}", run.stderr);
}

#[test]
fn folder_with_broken_files_lists_every_error() {
    let dir = temp_dir();
    copy_fixture("canonical.xlsx", dir.path(), "good.xlsx");
    write_file(dir.path(), "broken.xlsx", junk_bytes(2048, 42));
    write_file(
        dir.path(),
        "page.xlsx",
        "<!DOCTYPE html>\n<html><head><title>EPR return</title></head>\n\
         <body><table><tr><td>ODS code</td><td>Organisation name</td></tr>\n\
         <tr><td>RAJ</td><td>Mid and South Essex</td></tr></table></body></html>\n",
    );
    let run = eprscan_in(dir.path(), &["coverage", ".", "-f", "csv"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "", "no results when stopped");
    let errors = run.stderr_errors();
    assert_eq!(
        errors.len(),
        2,
        "both broken files reported:\n{}",
        run.stderr
    );
    assert!(
        errors.iter().any(|l| l.contains("broken.xlsx")),
        "{}",
        run.stderr
    );
    let page = errors
        .iter()
        .find(|l| l.contains("page.xlsx"))
        .unwrap_or_else(|| panic!("no error for page.xlsx:\n{}", run.stderr));
    assert!(
        page.to_lowercase().contains("html"),
        "the reason says it is HTML: {page}"
    );
    assert!(
        !errors.iter().any(|l| l.contains("good.xlsx")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("stopped: 2 errors"), "{}", run.stderr);
}

#[test]
fn nonexistent_path_is_an_error_naming_it() {
    let run = eprscan(&["coverage", "fixtures/no_such_return.xlsx", "-f", "csv"]);
    let error = run.the_only_error();
    assert_eq!(run.stdout, "");
    assert!(error.contains("fixtures/no_such_return.xlsx"), "{error}");
}

// ---------------------------------------------------------------------------------
// CSV files as Excel saves them in other settings than "CSV UTF-8" with commas
// (fixtures/csv_exports: South East London as three CSV files).

const CSV_EXPORTS: &str = "fixtures/csv_exports";

#[test]
fn csv_exports_each_encoding_and_separator_is_read_and_noted() {
    let run = eprscan(&["coverage", CSV_EXPORTS, "-f", "csv"]);
    run.expect_code(0);
    let rows = run.csv();
    assert_metrics(
        row_where(&rows, "ics_code", "QKK"),
        &m(5, 4, 1, 0, 0.8, false, 1, true),
        "the Windows-1252 providers file",
    );
    assert_eq!(
        field(row_where(&rows, "ics_code", "QKK"), "ics_name"),
        "South East London"
    );
    let notes = run.stderr_notes();
    let notes_for = |file: &str| -> Vec<&str> {
        notes
            .iter()
            .copied()
            .filter(|l| l.starts_with(&format!("{CSV_EXPORTS}/{file}: note: ")))
            .collect()
    };
    let ansi = notes_for("providers_ansi.csv");
    assert_eq!(ansi.len(), 1, "{}", run.stderr);
    assert!(
        ansi[0].contains("not UTF-8: read as Windows-1252"),
        "{}",
        ansi[0]
    );
    let semicolons = notes_for("funding_semicolons.csv");
    assert_eq!(
        semicolons.len(),
        1,
        "a UTF-8 byte-order mark needs no note:\n{}",
        run.stderr
    );
    assert!(
        semicolons[0].contains("separated by semicolons"),
        "{}",
        semicolons[0]
    );
    let unicode = notes_for("systems_unicode.csv");
    assert_eq!(unicode.len(), 2, "{}", run.stderr);
    assert!(unicode[0].contains("read as UTF-16LE"), "{}", unicode[0]);
    assert!(unicode[1].contains("separated by tabs"), "{}", unicode[1]);
    assert_eq!(notes.len(), 4, "{}", run.stderr);
}

#[test]
fn csv_exports_windows_1252_names_arrive_as_written() {
    let run = eprscan(&[
        "sql",
        "SELECT ods_code, name FROM providers WHERE name LIKE '%\u{2019}%' ORDER BY ods_code",
        CSV_EXPORTS,
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    let rows = run.csv();
    let names: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (field(r, "ods_code"), field(r, "name")))
        .collect();
    assert_eq!(
        names,
        [
            (
                "RJ1",
                "Guy\u{2019}s and St Thomas\u{2019} NHS Foundation Trust"
            ),
            ("RJZ", "King\u{2019}s College Hospital NHS Foundation Trust"),
        ]
    );
    assert!(
        !run.stdout.contains('\u{FFFD}'),
        "no replacement characters:\n{}",
        run.stdout
    );
}

#[test]
fn csv_exports_funding_csv_needs_no_providers_table() {
    let run = eprscan(&["funding", CSV_EXPORTS, "-f", "csv"]);
    run.expect_code(0);
    let rows = run.csv();
    let qkk = row_where(&rows, "ics_code", "QKK");
    // RJ1 £1,200,000 − £800k − £0.2m and RJZ £2.5m − £1.5m − £1m, placed in QKK by the
    // providers file.
    for (column, pounds) in [
        ("lines", "2"),
        ("total_cost", "3700000"),
        ("national_funding", "2300000"),
        ("local_funding", "1200000"),
        ("secured", "3500000"),
        ("gap", "200000"),
        ("missing_amounts", "0"),
    ] {
        assert_eq!(field(qkk, column), pounds, "QKK {column}");
    }
    let unknown = row_where(&rows, "ics_code", "(unknown)");
    for (column, pounds) in [
        ("lines", "1"),
        ("total_cost", "300000"),
        ("national_funding", "0"),
        ("local_funding", "100000"),
        ("gap", "200000"),
    ] {
        assert_eq!(field(unknown, column), pounds, "ICS-wide line {column}");
    }
    // validate lists every problem on stdout.
    let validate = eprscan(&["validate", CSV_EXPORTS]);
    validate.expect_code(0);
    let warnings = severity_lines(&validate.stdout, "warning");
    assert_eq!(warnings.len(), 1, "{}", validate.stdout);
    assert!(
        warnings[0].starts_with(&format!(
            "{CSV_EXPORTS}/funding_semicolons.csv: B4: warning: ICS-wide funding line"
        )) && warnings[0].ends_with("counted under (unknown)"),
        "{}",
        warnings[0]
    );
    assert!(
        severity_lines(&validate.stdout, "error").is_empty(),
        "{}",
        validate.stdout
    );
}

#[test]
fn csv_exports_utf16_tab_systems_count_in_convergence() {
    let distinct = |extra: &[&str]| {
        let mut args = vec!["convergence", CSV_EXPORTS, "-f", "csv"];
        args.extend_from_slice(extra);
        let run = eprscan(&args);
        run.expect_code(0);
        let rows = run.csv();
        let qkk = row_where(&rows, "ics_code", "QKK");
        (
            field(qkk, "distinct_eprs").to_string(),
            field(qkk, "distinct_eprs_planned").to_string(),
        )
    };
    // In use: Epic and The Access Group RiO (live trusts); planned adds implementing
    // RJ2's Oracle Health Millennium and System C Medway from its PAS row in the
    // UTF-16 systems file; RV5's TPP SystmOne (Community) only with --all-systems.
    assert_eq!(distinct(&[]), ("2".into(), "4".into()));
    assert_eq!(distinct(&["--all-systems"]), ("3".into(), "5".into()));
}

#[test]
fn excel_separator_hint_line_is_followed_and_line_numbers_kept() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "p.csv",
        "sep=;\r\nODS code;Organisation name;Sector;ICB code;EPR status;Supplier\r\n\
         RAJ;Mid and South Essex NHS Foundation Trust;Acute;QH8;Live;Epic\r\n\
         RQ8;Mid Essex, Basildon and Southend;Acute;QH8;Maybe;Epic\r\n",
    );
    let run = eprscan_in(dir.path(), &["coverage", ".", "-f", "csv", "-v"]);
    run.expect_code(0);
    let qh8 = row_where(&run.csv(), "ics_code", "QH8").clone();
    assert_eq!((field(&qh8, "trusts"), field(&qh8, "live")), ("2", "1"));
    // The status cell of the file's fourth line.
    assert_eq!(
        run.stderr_warnings(),
        ["./p.csv: E4: warning: unrecognised EPR status \"Maybe\": treated as missing (counted as not started)"],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr_notes()
            .iter()
            .any(|n| n.contains("separated by semicolons")),
        "{}",
        run.stderr
    );
}

#[test]
fn csv_line_with_more_fields_than_its_header_is_a_warning_at_the_first_extra() {
    let providers = "ODS code,Organisation name,Sector,ICB code,EPR status,Supplier\n\
                     RAJ,Mid and South Essex NHS Foundation Trust,Acute,QH8,Live,Epic\n\
                     RQ8,\"Mid Essex, Basildon and Southend\",Acute,QH8,Live,Epic\n";
    let funding = "ODS code,Item,Total cost,National funding,Local funding\n\
                   RAJ,EPR,\"£1,200,000\",£800k,\"£200,000\"\n\
                   RQ8,EPR,£1.2m,£800k,£200,000\n";
    // Only the unquoted line.
    assert_eq!(
        validate_listing(&[("providers.csv", providers), ("funding.csv", funding)], "warning"),
        ["./funding.csv: F3: warning: line has 6 fields, the header 5: an unquoted comma in a value (such as £200,000) splits it and shifts the fields after it, so check this line; fields past the header are not read"],
    );
}

#[test]
fn funding_csv_line_for_an_unknown_provider_is_counted_under_unknown_and_says_so() {
    let funding = "ODS code,Item,Total cost\nRXX,EPR,£1m\n";
    assert_eq!(
        validate_listing(&[("funding.csv", funding)], "warning"),
        ["./funding.csv: A2: warning: funding line for RXX, which is in no providers table: counted under (unknown), as this return names no ICS"],
    );
}

#[test]
fn workbook_saved_with_a_csv_name_is_an_error_saying_so() {
    let dir = temp_dir();
    copy_fixture("canonical.xlsx", dir.path(), "xlsx_inside.csv");
    copy_fixture("canonical.xls", dir.path(), "xls_inside.csv");
    let run = eprscan_in(dir.path(), &["coverage", ".", "-f", "csv"]);
    run.expect_code(1);
    let errors = run.stderr_errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    for (line, file) in errors.iter().zip(["xls_inside.csv", "xlsx_inside.csv"]) {
        assert!(
            line.starts_with(&format!(
                "./{file}: error: cannot read: this is a workbook saved with a .csv name"
            )),
            "{line}"
        );
    }
}

#[test]
fn empty_csv_is_an_error_saying_so() {
    let dir = temp_dir();
    write_file(dir.path(), "nothing.csv", "");
    write_file(dir.path(), "only_a_mark.csv", "\u{feff}\r\n");
    let run = eprscan_in(dir.path(), &["coverage", "."]);
    run.expect_code(1);
    let errors = run.stderr_errors();
    assert_eq!(
        errors,
        [
            "./nothing.csv: error: cannot read: the file is empty",
            "./only_a_mark.csv: error: cannot read: the file is empty",
        ],
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------
// Formula-looking input text in CSV output (SPEC 2).
//
// The provider (organisation) name itself is in no coverage output column; the
// provider-supplied texts that do reach it are the ICS name (`--by ics`) and an
// unknown supplier, kept as written (`--by supplier`).

const FORMULA_CSV: &str = "\
ODS code,Organisation name,Sector,ICS name,EPR status,Supplier
RAJ,=HYPERLINK(\"http://example.com\"),Acute,=1+2,Live,=HYPERLINK(\"http://example.com\")
RGT,@SUM(A1),Acute,-Region,Implementing,Epic
";

fn formula_run(by: &str, extra: &[&str]) -> Vec<Row> {
    let dir = temp_dir();
    write_file(dir.path(), "formulas.csv", FORMULA_CSV);
    let mut args = vec!["coverage", "formulas.csv", "--by", by, "-f", "csv", "-q"];
    args.extend_from_slice(extra);
    let run = eprscan_in(dir.path(), &args);
    run.expect_code(0);
    run.csv()
}

#[test]
fn formula_text_in_supplier_is_escaped_in_csv() {
    let rows = formula_run("supplier", &[]);
    let suppliers: Vec<&str> = rows.iter().map(|r| field(r, "supplier")).collect();
    assert!(
        suppliers.contains(&"'=HYPERLINK(\"http://example.com\")"),
        "{suppliers:?}"
    );
    assert!(
        suppliers
            .iter()
            .all(|s| !s.starts_with(['=', '+', '-', '@'])),
        "{suppliers:?}"
    );
    let escaped = row_where(&rows, "supplier", "'=HYPERLINK(\"http://example.com\")");
    assert_metrics(escaped, &m(1, 1, 0, 0, 1.0, true, 0, true), "RAJ's group");
}

#[test]
fn formula_text_in_ics_name_is_escaped_in_csv() {
    let rows = formula_run("ics", &[]);
    let names: Vec<&str> = rows.iter().map(|r| field(r, "ics_name")).collect();
    assert!(names.contains(&"'=1+2"), "{names:?}");
    assert!(names.contains(&"'-Region"), "{names:?}");
}

#[test]
fn no_escape_formulas_writes_text_as_is() {
    let rows = formula_run("supplier", &["--no-escape-formulas"]);
    let suppliers: Vec<&str> = rows.iter().map(|r| field(r, "supplier")).collect();
    assert!(
        suppliers.contains(&"=HYPERLINK(\"http://example.com\")"),
        "{suppliers:?}"
    );
    let rows = formula_run("ics", &["--no-escape-formulas"]);
    let names: Vec<&str> = rows.iter().map(|r| field(r, "ics_name")).collect();
    assert!(names.contains(&"=1+2"), "{names:?}");
}

// ---------------------------------------------------------------------------------
// A return given twice (issue 26.7): notes that help, not drown

/// The ODS codes of `fixtures/copied/`, each in both files (fixtures/README.md).
const COPIED_CODES: [&str; 6] = ["RH8", "RA9", "RK9", "RWV", "RBZ", "RYF"];

#[test]
fn copied_return_identical_rows_are_one_note_per_pair_of_files() {
    let run = eprscan(&["coverage", "fixtures/copied/", "-f", "csv"]);
    run.expect_code(0);
    let notes = run.stderr_notes();
    assert_eq!(
        notes,
        [format!(
            "fixtures/copied/qjk_devon_copy.xlsx: Providers: note: {} provider rows identical \
             to those in fixtures/copied/qjk_devon.xlsx: Providers: merged (-v lists each)",
            COPIED_CODES.len()
        )],
        "{}",
        run.stderr
    );
    // Merged, not counted twice: 6 trusts, RA9 implementing, the rest live.
    let rows = run.csv();
    let devon = row_where(&rows, "ics_code", "QJK");
    assert_eq!(field(devon, "trusts"), "6");
    assert_eq!(field(devon, "live"), "5");
    assert_eq!(field(devon, "implementing"), "1");
}

#[test]
fn copied_return_verbose_lists_every_identical_row() {
    let run = eprscan(&["coverage", "fixtures/copied/", "-f", "csv", "-v"]);
    run.expect_code(0);
    let merged: Vec<&str> = run
        .stderr_notes()
        .into_iter()
        .filter(|n| n.contains("identical"))
        .collect();
    assert_eq!(merged.len(), COPIED_CODES.len(), "{}", run.stderr);
    for (row, code) in COPIED_CODES.iter().enumerate() {
        let cell = format!("A{}", row + 2);
        assert!(
            merged.contains(
                &format!(
                    "fixtures/copied/qjk_devon_copy.xlsx: Providers!{cell}: note: {code} is also in \
                     fixtures/copied/qjk_devon.xlsx, Providers!{cell}: identical rows merged"
                )
                .as_str()
            ),
            "no note for {code}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn coverage_says_nothing_about_the_funding_table() {
    // The funding table's total-row notes, its stated-gap warnings and the note that
    // the older copy's lines are not counted are about a table coverage does not use.
    for verbose in [false, true] {
        let mut args = vec!["coverage", "fixtures/copied/", "-f", "csv"];
        if verbose {
            args.push("-v");
        }
        let run = eprscan(&args);
        run.expect_code(0);
        assert!(
            !run.stderr.contains("unding") && !run.stderr.contains("warning"),
            "coverage reports funding problems:\n{}",
            run.stderr
        );
    }
    // --strict: the funding warnings do not stop coverage either.
    eprscan(&["coverage", "fixtures/copied/", "-f", "csv", "--strict"]).expect_code(0);
}

#[test]
fn funding_and_validate_report_the_funding_table() {
    let funding = eprscan(&["funding", "fixtures/copied/", "-f", "csv"]);
    funding.expect_code(0);
    let notes = funding.stderr_notes();
    // Each file's total row, and the older copy's lines not counted.
    for file in ["qjk_devon.xlsx", "qjk_devon_copy.xlsx"] {
        assert!(
            notes.contains(
                &format!(
                    "fixtures/copied/{file}: Funding!A4: note: funding row \"Total\" looks like \
                     a total of the lines above: not counted"
                )
                .as_str()
            ),
            "{}",
            funding.stderr
        );
    }
    assert!(
        notes.iter().any(|n| n.starts_with(
            "fixtures/copied/qjk_devon.xlsx: note: 2 funding lines for QJK not counted"
        )),
        "{}",
        funding.stderr
    );
    // The stated gap at F3 is £1m off, in both files.
    assert!(
        funding.stderr.contains("eprscan: 2 warnings"),
        "{}",
        funding.stderr
    );
    let rows = funding.csv();
    let devon = row_where(&rows, "ics_code", "QJK");
    assert_eq!(field(devon, "lines"), "2");
    assert_eq!(field(devon, "total_cost"), "24000000");
    assert_eq!(field(devon, "gap"), "4000000");
    // funding --strict stops on them.
    eprscan(&["funding", "fixtures/copied/", "-f", "csv", "--strict"]).expect_code(1);

    // validate lists everything: both warnings, the funding notes and the one note
    // for the six identical rows.
    let validate = eprscan(&["validate", "fixtures/copied/"]);
    validate.expect_code(0);
    let lines: Vec<&str> = validate.stdout.lines().collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("Funding!F3: warning: stated gap"))
            .count(),
        2,
        "{}",
        validate.stdout
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("identical rows merged") || l.contains("rows identical"))
            .count(),
        1,
        "{}",
        validate.stdout
    );
    assert!(
        validate
            .stderr
            .contains("2 files read, 12 provider rows, 0 errors, 2 warnings, 4 notes"),
        "{}",
        validate.stderr
    );
}

/// A sheet named for the systems table whose header has no ODS code or supplier
/// column is not read, and says so (as a funding sheet did already): its rows are
/// never lost without a word (fixtures/README.md, systems_unread.xlsx).
#[test]
fn a_systems_sheet_with_no_usable_header_is_a_warning() {
    let run = eprscan(&["validate", "fixtures/systems_unread.xlsx"]);
    run.expect_code(0);
    let warnings = severity_lines(&run.stdout, "warning");
    assert_eq!(warnings.len(), 1, "{}", run.stdout);
    assert!(
        warnings[0].starts_with(
            "fixtures/systems_unread.xlsx: Systems!A1: warning: sheet is named for systems but no header row has ods_code (ODS code"
        ) && warnings[0].ends_with(": not read"),
        "{}",
        warnings[0]
    );
    // The two trusts are read all the same.
    let rows = eprscan(&["coverage", "fixtures/systems_unread.xlsx", "-f", "csv"]).csv();
    assert_eq!(field(&rows[0], "trusts"), "2");
    assert_eq!(field(&rows[0], "live"), "2");
}
