//! `eprscan validate`: every diagnostic on stdout, a summary on stderr, exit codes.

mod common;

use common::*;

const BAD_CELLS: [(&str, &str); 4] = [
    ("A2", "R1"),
    ("E3", "Maybe"),
    ("H4", "5a"),
    ("G6", "next spring"),
];

#[test]
fn bad_cells_lists_four_warnings_one_per_line() {
    let run = eprscan(&["validate", "fixtures/bad_cells.xlsx"]);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "one line per warning:\n{}", run.stdout);
    for (cell, text) in BAD_CELLS {
        let prefix = format!("fixtures/bad_cells.xlsx: Providers!{cell}: warning: ");
        let line = lines
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?}:\n{}", run.stdout));
        assert!(
            line.len() > prefix.len(),
            "a message after the prefix: {line}"
        );
        assert!(line.contains(text), "{cell} quotes {text:?}: {line}");
    }
    assert!(
        run.stderr.contains("6 provider rows")
            && run.stderr.contains("0 errors")
            && run.stderr.contains("4 warnings"),
        "summary on stderr: {}",
        run.stderr
    );
}

#[test]
fn bad_cells_strict_exits_1() {
    let run = eprscan(&["validate", "fixtures/bad_cells.xlsx", "--strict"]);
    run.expect_code(1);
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    assert!(run.stderr.contains("4 warnings"), "{}", run.stderr);
}

#[test]
fn missing_column_exits_1_listing_the_error() {
    let run = eprscan(&["validate", "fixtures/missing_column.xlsx"]);
    run.expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        lines[0].starts_with("fixtures/missing_column.xlsx: Providers"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(": error: "), "{}", lines[0]);
    assert!(lines[0].contains("header row 3"), "{}", lines[0]);
    assert!(lines[0].contains("Organsation nme"), "{}", lines[0]);
    assert!(run.stderr.contains("1 error"), "{}", run.stderr);
}

#[test]
fn json_records_have_the_diagnostic_keys() {
    let run = eprscan(&["validate", "fixtures/bad_cells.xlsx", "-f", "json"]);
    run.expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let records = value.as_array().expect("a JSON array");
    assert_eq!(records.len(), 4, "{}", run.stdout);
    for record in records {
        let object = record.as_object().expect("an object");
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["cell", "file", "message", "severity", "sheet"]);
        assert_eq!(object["file"], "fixtures/bad_cells.xlsx");
        assert_eq!(object["sheet"], "Providers");
        assert_eq!(object["severity"], "warning");
        assert!(object["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let mut cells: Vec<&str> = records.iter().filter_map(|r| r["cell"].as_str()).collect();
    cells.sort_unstable();
    assert_eq!(cells, ["A2", "E3", "G6", "H4"]);
    for (cell, text) in BAD_CELLS {
        let record = records
            .iter()
            .find(|r| r["cell"] == cell)
            .unwrap_or_else(|| panic!("no record for {cell}"));
        assert!(
            record["message"].as_str().is_some_and(|m| m.contains(text)),
            "{record}"
        );
    }
}

#[test]
fn json_records_for_csv_input_have_no_sheet() {
    let run = eprscan(&[
        "validate",
        "fixtures/national_list.csv",
        "--ods",
        "fixtures/ods/etr.csv",
        "-f",
        "json",
    ]);
    run.expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let records = value.as_array().expect("a JSON array");
    // Three warnings, and (issue 19) a note for RE9: open in etr.csv, in no return.
    assert_eq!(records.len(), 4, "{}", run.stdout);
    let mut cells: Vec<&str> = records.iter().filter_map(|r| r["cell"].as_str()).collect();
    cells.sort_unstable();
    assert_eq!(cells, ["A12", "A13", "D11"]);
    assert!(
        records.iter().any(|r| r["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("RE9 ") && m.contains("no return lists it"))),
        "{}",
        run.stdout
    );
    assert!(
        records.iter().all(|r| r["sheet"].is_null()),
        "{}",
        run.stdout
    );
    assert!(
        records
            .iter()
            .all(|r| r["file"] == "fixtures/national_list.csv"
                || (r["file"] == "fixtures/ods/etr.csv" && r["severity"] == "note")),
        "{}",
        run.stdout
    );
}

#[test]
fn ndjson_records_one_per_line() {
    let run = eprscan(&["validate", "fixtures/titled_merged.ods", "-f", "ndjson"]);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let record: serde_json::Value = serde_json::from_str(lines[0]).expect("JSON object");
    assert_eq!(record["sheet"], "Providers");
    assert_eq!(record["cell"], "H25");
    assert_eq!(record["severity"], "warning");
    assert!(record["message"]
        .as_str()
        .is_some_and(|m| m.contains("sometime soon")));
}

#[test]
fn clean_inputs_list_nothing() {
    for path in [
        "fixtures/canonical.xlsx",
        "fixtures/canonical.xls",
        "fixtures/canonical.ods",
        "fixtures/canonical.csv",
        "fixtures/tracker.xlsx",
        "fixtures/epoch1904.xlsx",
    ] {
        let run = eprscan(&["validate", path, "--strict"]);
        run.expect_code(0);
        assert_eq!(run.stdout, "", "{path}: no diagnostics");
        assert!(
            run.stderr.contains("0 errors, 0 warnings"),
            "{path}: {}",
            run.stderr
        );
    }
}

#[test]
fn titled_merged_lists_one_warning() {
    let run = eprscan(&["validate", "fixtures/titled_merged.xlsx"]);
    run.expect_code(0);
    let warnings = severity_lines(&run.stdout, "warning");
    assert_eq!(warnings.len(), 1, "{}", run.stdout);
    assert!(
        warnings[0].starts_with("fixtures/titled_merged.xlsx: Providers!H25: warning: "),
        "{}",
        warnings[0]
    );
}

#[test]
fn dupes_lists_the_note_and_the_warning() {
    let run = eprscan(&["validate", "fixtures/dupes/"]);
    run.expect_code(0);
    let notes = severity_lines(&run.stdout, "note");
    let warnings = severity_lines(&run.stdout, "warning");
    assert!(
        notes
            .iter()
            .any(|l| l.contains("RDE") && l.contains("b_older.xlsx")),
        "{}",
        run.stdout
    );
    assert_eq!(warnings.len(), 1, "{}", run.stdout);
    assert!(
        warnings[0].starts_with("fixtures/dupes/a_newer.xlsx: Providers!A3: warning: "),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("b_older.xlsx"), "{}", warnings[0]);
    assert!(run.stderr.contains("2 files read"), "{}", run.stderr);
}

#[test]
fn discovery_notes_are_listed() {
    let run = eprscan(&["validate", "fixtures/discovery/"]);
    run.expect_code(0);
    let notes = severity_lines(&run.stdout, "note");
    for name in ["~$good.xlsx", ".hidden.xlsx", "notes.txt"] {
        assert!(
            notes.iter().any(|l| l.contains(name)),
            "note for {name}:\n{}",
            run.stdout
        );
    }
    assert!(run.stderr.contains("1 file read"), "{}", run.stderr);
}

#[test]
fn folder_with_broken_files_exits_1_listing_both() {
    let dir = temp_dir();
    copy_fixture("bad_cells.xlsx", dir.path(), "good.xlsx");
    write_file(dir.path(), "broken.xlsx", junk_bytes(1024, 7));
    write_file(
        dir.path(),
        "page.xlsx",
        "<html><body><p>Session expired</p></body></html>\n",
    );
    let run = eprscan_in(dir.path(), &["validate", "."]);
    run.expect_code(1);
    let errors = severity_lines(&run.stdout, "error");
    assert_eq!(errors.len(), 2, "{}", run.stdout);
    assert!(errors.iter().any(|l| l.contains("broken.xlsx")));
    assert!(errors.iter().any(|l| l.contains("page.xlsx")));
    assert_eq!(
        severity_lines(&run.stdout, "warning").len(),
        4,
        "the good file is still examined:\n{}",
        run.stdout
    );
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

/// Problems found after all files are read (duplicates across returns) are listed
/// with their file's other problems, not at the end.
#[test]
fn validate_groups_problems_by_file() {
    let dir = temp_dir();
    copy_fixture("bad_cells.xlsx", dir.path(), "a.xlsx");
    let older = copy_fixture("bad_cells.xlsx", dir.path(), "b.xlsx");
    // b.xlsx older: a.xlsx wins the duplicates, so their notes name a.xlsx, whose
    // cell warnings were listed before b.xlsx's.
    std::fs::File::options()
        .write(true)
        .open(&older)
        .and_then(|f| {
            f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(86_400))
        })
        .expect("mtime set");
    let run = eprscan_in(dir.path(), &["validate", "."]);
    run.expect_code(0);
    let files: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split(": ").next().unwrap_or_default())
        .collect();
    // Four bad cells in each file, and the duplicate rows noted against a.xlsx (one
    // note for the pair of files, issue 26.7).
    assert!(
        run.stdout
            .contains("a.xlsx: Providers: note: 6 provider rows identical to those in ./b.xlsx"),
        "{}",
        run.stdout
    );
    assert!(files.len() > 8, "{}", run.stdout);
    let mut seen: Vec<&str> = Vec::new();
    for file in &files {
        if seen.last() != Some(file) {
            assert!(
                !seen.contains(file),
                "{file} listed in two places:\n{}",
                run.stdout
            );
            seen.push(file);
        }
    }
    assert_eq!(seen.len(), 2, "{}", run.stdout);
}

// ---------------------------------------------------------------------------------
// Every warning says what was done (issue 17 point 9)

/// The words that say what was done with a cell or row, one of which every warning
/// carries (README, "Diagnostics").
const WHAT_WAS_DONE: [&str; 11] = [
    "treated as missing",
    "counted as",
    "still counted",
    "not counted",
    "counted for",
    "counted under",
    "kept",
    "taken from",
    "not read",
    "skipped",
    "is used",
];

#[test]
fn every_warning_on_the_bad_input_fixtures_says_what_was_done() {
    let inputs = [
        "fixtures/bad_cells.xlsx",
        "fixtures/every_warning.xlsx",
        "fixtures/titled_merged.xlsx",
        "fixtures/titled_merged.ods",
        "fixtures/funding.xlsx",
        "fixtures/funding_units.xlsx",
        "fixtures/funding_cross/",
        "fixtures/split_providers.xlsx",
        "fixtures/csv_exports/",
        "fixtures/dupes/",
        "fixtures/dupes_blank/",
        "fixtures/national_list.csv",
        "fixtures/tracker.xlsx",
        "fixtures/convergence.xlsx",
        "examples/returns",
    ];
    let mut seen = 0;
    for input in inputs {
        let run = eprscan(&["validate", input]);
        run.expect_code(0);
        for warning in severity_lines(&run.stdout, "warning") {
            seen += 1;
            assert!(
                WHAT_WAS_DONE.iter().any(|done| warning.contains(done)),
                "{input}: this warning does not say what was done:\n{warning}"
            );
        }
    }
    // bad_cells 4, every_warning 12, funding 5, funding_units 2, and the others.
    assert!(seen >= 30, "only {seen} warnings looked at");
}

/// `fixtures/every_warning.xlsx`: one warning of each kind the other fixtures leave
/// out, each at its cell and saying what was done (fixtures/README.md).
#[test]
fn every_warning_fixture_lists_each_kind_at_its_cell() {
    let run = eprscan(&["validate", "fixtures/every_warning.xlsx"]);
    run.expect_code(0);
    let warnings = severity_lines(&run.stdout, "warning");
    let expected = [
        (
            "Cover!B4",
            "submission date: unrecognised date \"last Tuesday\": treated as missing",
        ),
        (
            "Providers!C2",
            "unrecognised sector \"Hospice\": treated as missing (still counted as an NHS trust",
        ),
        ("Providers!A3", "ODS code is blank: the row is kept"),
        (
            "Providers!E3",
            "unknown supplier \"Acme Records\": kept as written",
        ),
        (
            "Providers!D4",
            "unrecognised EPR status \"Soon-ish\": treated as missing (counted as not started)",
        ),
        (
            "Providers!F4",
            "go_live: unrecognised date \"whenever\": treated as missing",
        ),
        (
            "Providers!G4",
            "emram_stage: \"5a\" is not an EMRAM stage (0 to 7): treated as missing",
        ),
        (
            "Providers!A5",
            "row 5 has values but no ODS code or organisation name: not counted as a provider",
        ),
        (
            "Systems!D2",
            "unrecognised system scope \"Pharmacy robot\": counted as Other",
        ),
        (
            "Systems!A3",
            "system for RZZ9, which is in no providers table: not counted in convergence",
        ),
        ("Funding!A1", "sheet is named for funding but no header row"),
        ("Old list!A1", "1 row here not counted"),
    ];
    assert_eq!(warnings.len(), expected.len(), "{}", run.stdout);
    for (cell, text) in expected {
        let prefix = format!("fixtures/every_warning.xlsx: {cell}: warning: ");
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(&prefix) && w.contains(text)),
            "no warning at {cell} saying {text:?}:\n{}",
            run.stdout
        );
    }
    // RBD (sector unrecognised) is still a trust; the row without a code or name is not.
    let rows = coverage_csv("fixtures/every_warning.xlsx", &[]);
    assert_eq!(field(&rows[0], "trusts"), "3", "{rows:?}");
}

#[test]
fn a_national_list_without_ods_comes_with_one_note_suggesting_ods() {
    let run = eprscan(&["coverage", "fixtures/national_list.csv", "-f", "csv"]);
    run.expect_code(0);
    let notes: Vec<&str> = run
        .stderr_notes()
        .into_iter()
        .filter(|n| n.contains("--ods"))
        .collect();
    assert_eq!(
        notes,
        [
            "fixtures/national_list.csv: note: 12 provider rows name no ICS (none in the row, \
          and no cover sheet): grouped under (unknown) by ICS and region; \
          --ods etr.csv (NHS England's ODS trust file) places each one"
        ],
        "{}",
        run.stderr
    );
    // With the reference, the rows are placed, and there is no such note.
    let run = eprscan(&[
        "coverage",
        "fixtures/national_list.csv",
        "--ods",
        "fixtures/ods/etr.csv",
        "-f",
        "csv",
    ]);
    assert!(!run.stderr.contains("name no ICS"), "{}", run.stderr);
    // A return whose cover sheet names its ICS has none either.
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "-f", "csv"]);
    run.expect_code(0);
    assert!(!run.stderr.contains("no ICS"), "{}", run.stderr);
}
