//! Issue 23: eprscan's own xlsx reader held to calamine. Every committed `.xlsx` /
//! `.xlsm` (fixtures and example returns) is read with both readers, which must give
//! identical grids (sheets, positions, values and their types) or both refuse the
//! file; the commands must print the same whichever reader they use; and the
//! hand-written `reader/quirks.xlsx` must give the values fixtures/README.md works
//! out for it.

mod common;

use chrono::NaiveDate;
use common::*;
use eprscan::ingest::differential::{compare_xlsx_readers, Agreement};
use eprscan::ingest::{read_bytes_with, Cell, Contents, Limits, ReadError, XlsxReader};
use std::path::{Path, PathBuf};

/// Every `.xlsx` and `.xlsm` file under `dir`, in a stable order.
fn workbooks(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            workbooks(&path, found);
        } else if path.extension().is_some_and(|e| e == "xlsx" || e == "xlsm") {
            found.push(path);
        }
    }
}

fn read(path: &Path, reader: XlsxReader) -> Result<Contents, ReadError> {
    let bytes = std::fs::read(path).expect("workbook read");
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("xlsx");
    read_bytes_with(bytes, extension, &Limits::default(), reader)
}

#[test]
fn both_readers_give_identical_grids_for_every_committed_workbook() {
    let mut files = Vec::new();
    workbooks(&root().join("fixtures"), &mut files);
    workbooks(&root().join("examples"), &mut files);
    assert!(files.len() > 100, "only {} workbooks found", files.len());
    let mut read_alike = 0;
    let mut refused_alike = Vec::new();
    let mut documented = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("workbook read");
        let name = path.strip_prefix(root()).expect("under root").to_path_buf();
        match compare_xlsx_readers(&bytes, &Limits::default()) {
            Ok(Agreement::Read) => read_alike += 1,
            Ok(Agreement::Refused) => refused_alike.push(name),
            Ok(Agreement::Documented(what)) => documented.push((name, what)),
            Err(difference) => panic!("{}: {difference}", path.display()),
        }
    }
    assert!(read_alike > 100, "{read_alike} read alike");
    eprintln!("{read_alike} workbooks read alike; refused alike: {refused_alike:?}");
    assert!(
        refused_alike.contains(&PathBuf::from("fixtures/layouts/broken_shared_string.xlsx")),
        "{refused_alike:?}"
    );
    // The one committed input on which calamine fails and eprscan reads.
    assert_eq!(
        documented,
        [(
            PathBuf::from("fixtures/reader/huge_unique_count.xlsx"),
            "calamine reserves a shared-string count its table cannot hold (panic or abort)"
        )]
    );
}

/// Found by the randomized differential run (fixtures/README.md, reader/): style
/// lists that hide a stray `<cellXfs>` must be walked as calamine walks them.
#[test]
fn damage_inside_fills_and_borders_changes_no_cell() {
    for name in [
        "reader/styles_inside_fill.xlsx",
        "reader/bad_attribute_inside_border.xlsx",
        "reader/huge_unique_count.xlsx",
    ] {
        let contents =
            read(&fixture(name), XlsxReader::Own).unwrap_or_else(|e| panic!("{name}: {e}"));
        let sheet = &contents.sheets[0];
        // Serial 45000 under style 1 (dd/mm/yyyy) is 2023-03-15; B1 is entry 0.
        assert_eq!(sheet.get(0, 0), &date(2023, 3, 15), "{name}");
        assert_eq!(sheet.get(0, 1), &text("RAJ"), "{name}");
    }
    for name in [
        "reader/styles_inside_fill.xlsx",
        "reader/bad_attribute_inside_border.xlsx",
    ] {
        let bytes = std::fs::read(fixture(name)).expect("fixture read");
        assert_eq!(
            compare_xlsx_readers(&bytes, &Limits::default()),
            Ok(Agreement::Read),
            "{name}"
        );
    }
}

#[test]
fn a_damaged_shared_string_index_is_reported_alike_by_both_readers() {
    let path = fixture("layouts/broken_shared_string.xlsx");
    let ours = read(&path, XlsxReader::Own).expect_err("refused");
    let oracle = read(&path, XlsxReader::Calamine).expect_err("refused");
    assert_eq!(ours, oracle);
    assert_eq!(
        ours,
        ReadError::MissingSharedString {
            sheet: "Providers".into(),
            cell: "B3".into(),
            index: 999,
            entries: 14,
        }
    );
    assert!(
        ours.to_string()
            .starts_with("sheet Providers, cell B3: the cell refers to text number 999"),
        "{ours}"
    );
}

/// calamine's errors are sorted by their type: an unknown cell type named "zip"
/// is an unreadable cell, not a damaged zip package (sorting calamine's messages by
/// the words in them said "damaged or truncated").
#[test]
fn calamine_errors_are_told_apart_by_type_not_by_the_words_in_them() {
    let bytes = std::fs::read(fixture("reader/bad_cell_type.xlsx")).expect("fixture read");
    let bytes = rewrite_part(&bytes, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace("t=\"q\"", "t=\"zip\"")
    });
    let error = read_bytes_with(
        bytes.clone(),
        "xlsx",
        &Limits::default(),
        XlsxReader::Calamine,
    )
    .expect_err("refused");
    let ReadError::InSheet {
        sheet,
        error: inner,
    } = &error
    else {
        panic!("not a sheet's error: {error:?}");
    };
    assert_eq!(sheet, "Sheet1");
    assert!(
        matches!(**inner, ReadError::Unreadable { part: None, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "sheet Sheet1: cannot read the workbook (Unknown cell 't' attribute: \"zip\")"
    );
    // The own reader names the cell.
    let ours =
        read_bytes_with(bytes, "xlsx", &Limits::default(), XlsxReader::Own).expect_err("refused");
    assert!(
        matches!(&ours, ReadError::DamagedCell { sheet, cell, .. } if sheet == "Sheet1" && cell == "C2"),
        "{ours:?}"
    );
}

/// The package with one part's text rewritten (stored, not deflated).
fn rewrite_part(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a part");
        let part_name = part.name().expect("a part name").to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).expect("part read");
        if part_name == name {
            let text = String::from_utf8(data).expect("UTF-8 XML");
            data = edit(&text).into_bytes();
        }
        out.start_file(part_name, options).expect("part started");
        out.write_all(&data).expect("part written");
    }
    out.finish().expect("package written").into_inner()
}

#[test]
fn commands_print_the_same_with_either_reader() {
    let runs: [&[&str]; 7] = [
        &["coverage", "examples/returns", "-f", "csv"],
        &["convergence", "examples/returns", "-f", "csv"],
        &["funding", "examples/returns", "-f", "csv"],
        &["maturity", "examples/returns", "-f", "csv"],
        &["validate", "fixtures/layouts"],
        &["validate", "fixtures/reader/quirks.xlsx"],
        &["validate", "fixtures/epoch1904.xlsx"],
    ];
    for args in runs {
        let ours = eprscan_env(root(), args, &[(XlsxReader::ENV, "own")]);
        let oracle = eprscan_env(root(), args, &[(XlsxReader::ENV, "calamine")]);
        assert_eq!(ours.code, oracle.code, "{args:?}");
        assert_eq!(ours.stdout, oracle.stdout, "{args:?}");
        assert_eq!(ours.stderr, oracle.stderr, "{args:?}");
        assert!(
            !ours.stdout.is_empty() || ours.stderr.contains("1 file read"),
            "{args:?}: {}",
            ours.stderr
        );
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn date(y: i32, m: u32, d: u32) -> Cell {
    Cell::Date(NaiveDate::from_ymd_opt(y, m, d).expect("a date"))
}

/// The values worked out by hand in fixtures/README.md (reader/quirks.xlsx).
#[test]
fn the_quirks_workbook_gives_the_values_worked_out_by_hand() {
    let contents = read(&fixture("reader/quirks.xlsx"), XlsxReader::Own).expect("read");
    let names: Vec<_> = contents.sheets.iter().map(|g| g.sheet.clone()).collect();
    assert_eq!(
        names,
        [Some("Cells".to_string()), Some("Out of order".to_string())]
    );
    let cells = &contents.sheets[0];
    assert_eq!(cells.origin, (0, 0));
    let expected: [[Cell; 5]; 5] = [
        [
            text("ODS code"),
            text("EPR status"),
            text("Go-live date"),
            text("Costs & fees (£m)"),
            text("Line\rbreak"),
        ],
        [
            text("RAJ"),
            text("Live"),
            date(2023, 3, 15),
            Cell::Number(36.5),
            Cell::Bool(true),
        ],
        [
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ],
        [
            Cell::Error("#N/A".into()),
            date(2024, 3, 1),
            date(2024, 1, 1),
            Cell::Number(1.5),
            Cell::Empty,
        ],
        [
            text("n/a"),
            Cell::Empty,
            Cell::Number(2.25),
            text("In line"),
            text("Tokyo"),
        ],
    ];
    for (row, want) in expected.iter().enumerate() {
        for (col, want) in want.iter().enumerate() {
            assert_eq!(cells.get(row, col), want, "{}", cells.cell_ref(row, col));
        }
    }
    // Row 3 is absent and E4 is empty (its <f> follows its <v>): rows hold no
    // cells past their last value.
    assert_eq!(cells.height(), 5);
    assert!(cells.row(2).is_empty());
    assert_eq!(cells.row(3).len(), 4);
    let out_of_order = &contents.sheets[1];
    assert_eq!(out_of_order.origin, (1, 1));
    assert_eq!(out_of_order.get(0, 0), &Cell::Number(2.0));
    assert_eq!(out_of_order.get(1, 1), &Cell::Number(3.0));
}

/// A damaged cell is refused with the file, the sheet and the cell named (the
/// calamine reader named neither the cell nor, for most damage, the sheet).
#[test]
fn a_cell_of_an_unknown_type_is_an_error_naming_file_sheet_and_cell() {
    let run = eprscan(&["validate", "fixtures/reader/bad_cell_type.xlsx"]);
    run.expect_code(1);
    let errors = severity_lines(&run.stdout, "error");
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert!(
        errors[0].starts_with(
            "fixtures/reader/bad_cell_type.xlsx: error: cannot read: sheet Sheet1, cell C2: cannot read the cell (unknown cell type \"q\")"
        ),
        "{}",
        errors[0]
    );
}
