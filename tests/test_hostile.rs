//! Hostile and broken input (SPEC 2): every broken file is an error naming it while
//! the others are still read; absurd sheets and zip bombs are refused within bounded
//! memory; `validate` lists columns nobody reads. The workbooks are written here, by
//! code, so they can be regenerated.

mod common;

use common::*;
use rust_xlsxwriter::Workbook;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// A small valid return: three acute trusts, two live.
fn small_return(
    dir: &Path,
    name: &str,
    extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet),
) -> PathBuf {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Providers").expect("sheet name");
    let rows = [
        [
            "ODS code",
            "Organisation name",
            "Sector",
            "EPR status",
            "Supplier",
        ],
        [
            "RAJ",
            "Mid and South Essex",
            "Acute",
            "Live",
            "Oracle Health",
        ],
        ["RQW", "Princess Alexandra", "Acute", "Live", "Epic"],
        ["RDE", "East Suffolk", "Acute", "Procuring", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet
                    .write_string(r as u32, c as u16, *text)
                    .expect("cell written");
            }
        }
    }
    extra(sheet);
    let path = dir.join(name);
    book.save(&path).expect("workbook saved");
    path
}

fn national(run: &Run) -> Row {
    run.expect_code(0);
    run.csv().into_iter().next().expect("one national row")
}

#[test]
fn one_cell_at_xfd1048576_is_read_without_a_dense_grid() {
    let dir = temp_dir();
    let path = small_return(dir.path(), "far.xlsx", |sheet| {
        sheet
            .write_string(1_048_575, 16_383, "stray")
            .expect("far cell written");
    });
    // A dense grid would be 17 billion cells; even a 100 000-cell limit is enough.
    let run = eprscan(&[
        "coverage",
        arg(&path),
        "--by",
        "national",
        "-f",
        "csv",
        "--max-cells",
        "100000",
    ]);
    let row = national(&run);
    assert_eq!((row["trusts"].as_str(), row["live"].as_str()), ("3", "2"));
}

#[test]
fn a_sheet_spanning_too_many_cells_is_refused_with_a_clear_error() {
    let dir = temp_dir();
    small_return(dir.path(), "wide.xlsx", |sheet| {
        for row in 10..20 {
            sheet
                .write_string(row, 16_383, "far right")
                .expect("cell written");
        }
    });
    let good = copy_fixture("canonical.xlsx", dir.path(), "good.xlsx");
    let run = eprscan(&[
        "coverage",
        arg(dir.path()),
        "-f",
        "csv",
        "--max-cells",
        "100000",
    ]);
    let error = run.the_only_error();
    assert!(error.contains("wide.xlsx"), "{}", error);
    assert!(
        error.contains("sheet Providers holds or spans more than 100000 cells"),
        "{}",
        error
    );
    assert!(!run.stderr.contains(arg(&good)), "{}", run.stderr);
}

/// A zip package whose worksheet part is `inflated` bytes of spaces.
fn zip_bomb(path: &Path, inflated: usize) {
    let file = std::fs::File::create(path).expect("bomb created");
    let mut zip = zip::ZipWriter::new(file);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", deflated)
        .expect("part started");
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>")
        .expect("part written");
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .expect("part started");
    let block = vec![b' '; 1 << 20];
    for _ in 0..inflated / block.len() {
        zip.write_all(&block).expect("part written");
    }
    zip.finish().expect("bomb finished");
}

/// Found by the cargo-fuzz target `xlsx_parts_differential`: one cell four billion
/// rows down made the layout allocate a row start for every blank row above it (about
/// 32 GB; the process aborted). Now the sheet is refused in bounded memory, with
/// either xlsx reader, and the other files are still read.
#[test]
fn a_cell_billions_of_rows_down_is_refused_not_allocated() {
    use std::io::Read;
    let dir = temp_dir();
    let source = include_bytes!("../fixtures/canonical.xlsx");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&source[..])).expect("zip");
    let path = dir.path().join("far_down.xlsx");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&path).expect("created"));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("part");
        let name = part.name().expect("name").to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).expect("read");
        if name == "xl/worksheets/sheet2.xml" {
            let far = "<row r=\"4000000000\"><c r=\"A4000000000\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>";
            data = String::from_utf8(data)
                .expect("UTF-8")
                .replace("</sheetData>", far)
                .into_bytes();
        }
        out.start_file(name, SimpleFileOptions::default())
            .expect("part started");
        out.write_all(&data).expect("part written");
    }
    out.finish().expect("finished");
    let good = copy_fixture("canonical.xlsx", dir.path(), "good.xlsx");
    for reader in ["own", "calamine"] {
        let run = eprscan_env(
            dir.path(),
            &["coverage", arg(dir.path()), "--by", "national", "-f", "csv"],
            &[("EPRSCAN_XLSX_READER", reader)],
        );
        let error = run.the_only_error();
        assert!(error.contains("far_down.xlsx"), "{reader}: {error}");
        assert!(
            error.contains("holds or spans more than 10000000 cells"),
            "{reader}: {error}"
        );
        assert!(!run.stderr.contains(arg(&good)), "{reader}: {}", run.stderr);
    }
}

/// Overwrite every declared uncompressed size of the package (local headers and
/// central directory) with `size`: a bomb that lies about what it holds.
fn lie_about_sizes(path: &Path, size: u32) {
    let mut bytes = std::fs::read(path).expect("bomb read");
    let patch = |bytes: &mut Vec<u8>, signature: &[u8], offset: usize| {
        let starts: Vec<usize> = bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == signature)
            .map(|(i, _)| i)
            .collect();
        for start in starts {
            bytes[start + offset..start + offset + 4].copy_from_slice(&size.to_le_bytes());
        }
    };
    patch(&mut bytes, b"PK\x03\x04", 22);
    patch(&mut bytes, b"PK\x01\x02", 24);
    std::fs::write(path, bytes).expect("bomb rewritten");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let dir = temp_dir();
    let bomb = dir.path().join("bomb.xlsx");
    zip_bomb(&bomb, 8 << 20);
    copy_fixture("canonical.xlsx", dir.path(), "good.xlsx");
    let run = eprscan(&["validate", arg(dir.path()), "--max-unzipped-mb", "2"]);
    run.expect_code(1);
    let errors = severity_lines(&run.stdout, "error");
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert!(
        errors[0].contains("bomb.xlsx")
            && errors[0].contains("part xl/worksheets/sheet1.xml unzips to more than 2 MB")
            && errors[0].contains("zip bomb"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_zip_bomb_that_lies_about_its_size_is_measured_and_refused() {
    let dir = temp_dir();
    let bomb = dir.path().join("liar.xlsx");
    zip_bomb(&bomb, 8 << 20);
    lie_about_sizes(&bomb, 1_000);
    let run = eprscan(&["coverage", arg(&bomb), "--max-unzipped-mb", "2"]);
    let error = run.the_only_error();
    // The zip reader stops at the declared size: the lie is caught, not inflated.
    assert!(
        error.contains("liar.xlsx")
            && error.contains(
                "damaged or truncated (File is larger than its declared uncompressed size)"
            ),
        "{}",
        error
    );
}

#[test]
fn the_default_limits_read_every_example_return() {
    let run = eprscan(&["validate", "examples/returns"]);
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("42 files read, 214 provider rows, 0 errors"),
        "{}",
        run.stderr
    );
}

/// An OLE container holding an `EncryptionInfo` stream: what Excel writes for a
/// workbook saved with a password.
fn encrypted_bytes() -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(
        "EncryptionInfo"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    bytes.resize(4096, 0);
    bytes
}

#[test]
fn six_broken_files_and_one_good_one_report_all_six() {
    let dir = temp_dir();
    copy_fixture("canonical.xlsx", dir.path(), "good.xlsx");
    write_file(dir.path(), "random.xlsx", junk_bytes(4096, 7));
    let canonical = std::fs::read(fixture("canonical.xlsx")).expect("fixture read");
    write_file(
        dir.path(),
        "truncated.xlsx",
        &canonical[..canonical.len() / 2],
    );
    write_file(
        dir.path(),
        "portal.xlsx",
        "<!DOCTYPE html><html><body><table><tr><td>RAJ</td></tr></table></body></html>",
    );
    write_file(dir.path(), "locked.xlsx", encrypted_bytes());
    write_file(
        dir.path(),
        "export.xls",
        "ODS code,Organisation name\nRAJ,Mid and South Essex\n",
    );
    let mut notes_only = Workbook::new();
    notes_only
        .add_worksheet()
        .set_name("Notes")
        .expect("sheet name")
        .write_string(0, 0, "Please see the attached letter.")
        .expect("cell written");
    notes_only
        .save(dir.path().join("no_table.xlsx"))
        .expect("workbook saved");

    let run = eprscan_in(dir.path(), &["coverage", ".", "-f", "csv"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "", "no results when stopped");
    let errors = run.stderr_errors();
    let expect = [
        ("random.xlsx", "not a .xlsx workbook"),
        ("truncated.xlsx", "damaged or truncated"),
        ("portal.xlsx", "web page (HTML)"),
        (
            "locked.xlsx",
            "password-protected: save it without a password",
        ),
        ("export.xls", "probably CSV"),
        ("no_table.xlsx", "no providers table"),
    ];
    for (file, reason) in expect {
        let line = errors
            .iter()
            .find(|l| l.starts_with(&format!("./{file}")) || l.starts_with(file))
            .unwrap_or_else(|| panic!("no error for {file}:\n{}", run.stderr));
        assert!(line.contains(reason), "{file}: {line}");
    }
    assert_eq!(errors.len(), expect.len(), "{}", run.stderr);
    assert!(!run.stderr.contains("good.xlsx"), "{}", run.stderr);
    assert!(run.stderr.contains("stopped: 6 errors"), "{}", run.stderr);
}

#[test]
fn validate_lists_columns_nobody_reads() {
    let dir = temp_dir();
    let path = small_return(dir.path(), "extra.xlsx", |sheet| {
        sheet
            .write_string(0, 5, "Favourite colour")
            .expect("cell written");
        sheet.write_string(1, 5, "Teal").expect("cell written");
    });
    let run = eprscan(&["validate", arg(&path)]);
    run.expect_code(0);
    // Besides the note that its rows name no ICS (it has no cover sheet).
    let notes: Vec<&str> = severity_lines(&run.stdout, "note")
        .into_iter()
        .filter(|l| !l.contains("name no ICS"))
        .collect();
    assert_eq!(notes.len(), 1, "{}", run.stdout);
    assert!(
        notes[0].ends_with(
            "extra.xlsx: Providers: note: providers table: columns not used: Favourite colour"
        ),
        "{}",
        notes[0]
    );
    // Other commands keep quiet about it unless -v.
    let quiet = eprscan(&["coverage", arg(&path)]);
    assert!(!quiet.stderr.contains("Favourite"), "{}", quiet.stderr);
    let verbose = eprscan(&["coverage", arg(&path), "-v"]);
    assert!(verbose
        .stderr
        .contains("columns not used: Favourite colour"));
}

/// Found by fuzzing: calamine 0.38 panics (slice index out of range in its compound
/// file reader) on an .xls cut short inside a sector, and allocates without bound on
/// one whose sector chain loops. The container is now checked first: the file is
/// reported as damaged; the other files are still read.
#[test]
fn an_xls_cut_inside_a_sector_is_damaged_not_a_crash() {
    let dir = temp_dir();
    let xls = std::fs::read(fixture("canonical.xls")).expect("fixture read");
    write_file(dir.path(), "cut.xls", &xls[..8300]);
    copy_fixture("canonical.xlsx", dir.path(), "good.xlsx");
    let run = eprscan_in(dir.path(), &["validate", "."]);
    run.expect_code(1);
    let errors = severity_lines(&run.stdout, "error");
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert!(
        errors[0].contains("cut.xls") && errors[0].contains("the .xls workbook is damaged"),
        "{}",
        errors[0]
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// An .xls whose allocation table sends the workbook stream round in a loop is
/// refused as damaged by the container check, before calamine walks it (a looping
/// directory chain found by fuzzing made calamine allocate until memory ran out).
#[test]
fn an_xls_whose_sector_chain_loops_is_refused() {
    let error = error_on_patched_xls("loop.xls", |xls| {
        let sector = 1usize << u16::from_le_bytes([xls[0x1E], xls[0x1F]]);
        let first_fat = u32::from_le_bytes([xls[0x4C], xls[0x4D], xls[0x4E], xls[0x4F]]) as usize;
        let fat = 512 + first_fat * sector;
        // The first link of a chain (sector i followed by i + 1) now points at itself:
        // the chain through it never ends.
        let entry = |xls: &[u8], i: usize| {
            u32::from_le_bytes([
                xls[fat + 4 * i],
                xls[fat + 4 * i + 1],
                xls[fat + 4 * i + 2],
                xls[fat + 4 * i + 3],
            ])
        };
        let link = (0..sector / 4)
            .find(|&i| entry(xls, i) as usize == i + 1)
            .expect("a chain of consecutive sectors");
        xls[fat + 4 * link..fat + 4 * link + 4].copy_from_slice(&(link as u32).to_le_bytes());
    });
    assert!(error.contains("the .xls workbook is damaged"), "{}", error);
}

/// A BIFF8 DIMENSIONS record: its type and length.
const DIMENSIONS: (u16, u16) = (0x0200, 14);

/// The offset of the first BIFF record header (type, then length, little-endian) of
/// this kind in an .xls file.
fn first_biff_record(xls: &[u8], (kind, len): (u16, u16)) -> usize {
    let header = [kind.to_le_bytes(), len.to_le_bytes()].concat();
    xls.windows(4)
        .position(|w| w == header)
        .unwrap_or_else(|| panic!("no record of type {kind:#06x} and length {len}"))
}

/// The one error of `eprscan coverage` on the canonical .xls fixture changed by
/// `patch` and saved as `name` (the run must exit 1 with exactly that error).
fn error_on_patched_xls(name: &str, patch: impl FnOnce(&mut [u8])) -> String {
    let dir = temp_dir();
    let mut xls = std::fs::read(fixture("canonical.xls")).expect("fixture read");
    patch(&mut xls);
    write_file(dir.path(), name, &xls);
    eprscan_in(dir.path(), &["coverage", name])
        .the_only_error()
        .to_string()
}

/// Found by fuzzing: calamine reserves memory for every cell an .xls sheet's
/// DIMENSIONS record declares. A sheet declaring 100 million rows is refused before
/// calamine reads it.
#[test]
fn an_xls_declaring_absurd_dimensions_is_refused() {
    let error = error_on_patched_xls("huge.xls", |xls| {
        // BIFF8 DIMENSIONS: type 0x0200, length 14, then first row, last row + 1 (u32).
        let record = first_biff_record(xls, DIMENSIONS);
        xls[record + 8..record + 12].copy_from_slice(&100_000_000u32.to_le_bytes());
    });
    assert!(
        error.contains("a sheet declares 100000000 rows by")
            && error.contains("more than 10000000 cells: refused"),
        "{}",
        error
    );
}

/// Found by fuzzing: calamine lays an .xls sheet's cells out densely between the
/// first and the last. One cell moved to row 60 001, column 201 makes the sheet span
/// 12 million cells: refused before calamine allocates them.
#[test]
fn an_xls_cell_far_away_is_refused_before_a_dense_grid() {
    let error = error_on_patched_xls("far.xls", |xls| {
        // LABELSST: type 0x00FD, length 10, then row and column (u16).
        let record = first_biff_record(xls, (0x00FD, 10));
        xls[record + 4..record + 6].copy_from_slice(&60_000u16.to_le_bytes());
        xls[record + 6..record + 8].copy_from_slice(&200u16.to_le_bytes());
    });
    assert!(
        error.contains("a sheet spans 60001 rows by")
            && error.contains("more than 10000000 cells: refused"),
        "{}",
        error
    );
}

/// An OpenDocument sheet with one cell at column XFD of row 1 048 576 (as LibreOffice
/// writes it: repeated empty rows and cells between): refused with a clear error,
/// within bounded memory, not laid out as 17 billion cells.
#[test]
fn an_ods_cell_at_xfd1048576_is_refused_not_allocated() {
    let dir = temp_dir();
    let text = |t: &str| {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>")
    };
    let content = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" ",
            "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" ",
            "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">",
            "<office:body><office:spreadsheet><table:table table:name=\"Providers\">",
            "<table:table-row>{}{}</table:table-row>",
            "<table:table-row>{}{}</table:table-row>",
            "<table:table-row table:number-rows-repeated=\"1048573\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>",
            "<table:table-row><table:table-cell table:number-columns-repeated=\"16383\"/>{}</table:table-row>",
            "</table:table></office:spreadsheet></office:body></office:document-content>"
        ),
        text("ODS code"),
        text("Organisation name"),
        text("RAJ"),
        text("Mid and South Essex"),
        text("stray")
    );
    let manifest = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">",
        "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>",
        "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>",
        "</manifest:manifest>"
    );
    let path = dir.path().join("far.ods");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("ods created"));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body, options) in [
        (
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            stored,
        ),
        ("META-INF/manifest.xml", manifest, deflated),
        ("content.xml", content.as_str(), deflated),
    ] {
        zip.start_file(name, options).expect("part started");
        zip.write_all(body.as_bytes()).expect("part written");
    }
    zip.finish().expect("ods finished");

    let run = eprscan(&["coverage", arg(&path)]);
    let error = run.the_only_error();
    assert!(
        error.contains("far.ods")
            && error.contains("a sheet spans more cells than can be read safely: refused"),
        "{}",
        error
    );
}

/// Found by fuzzing: a DIMENSIONS record whose last row comes before its first. In
/// calamine's 32-bit arithmetic that wraps to 4 billion rows to reserve; it is
/// refused like any absurd size.
#[test]
fn an_xls_with_backwards_dimensions_is_refused() {
    let error = error_on_patched_xls("backwards.xls", |xls| {
        let record = first_biff_record(xls, DIMENSIONS);
        xls[record + 4..record + 8].copy_from_slice(&100u32.to_le_bytes());
        xls[record + 8..record + 12].copy_from_slice(&50u32.to_le_bytes());
    });
    assert!(
        error.contains("a sheet declares 4294967246 rows by"),
        "{}",
        error
    );
}
