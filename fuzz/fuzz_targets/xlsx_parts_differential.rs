//! Structure-aware companion of `xlsx_differential` (issue 23): the input is not a
//! zip but the XML parts of a workbook, separated by NUL bytes — `workbook.xml`,
//! two worksheets, the shared-string table and the styles — which this target
//! packages (stored, not deflated, so every mutation reaches the XML) with fixed
//! relationships (`rId1`, `rId2` → the worksheets, `rId3` → styles, `rId4` →
//! shared strings) and reads with eprscan's own reader and with calamine. The run
//! fails on any difference other than those the README documents
//! (`eprscan::ingest::differential`). Seed it with `python3 seed_parts.py`, which
//! splits the committed fixtures into such inputs:
//!
//! ```sh
//! python3 seed_parts.py corpus/xlsx_parts_differential
//! RUSTC_BOOTSTRAP=1 cargo fuzz run -O xlsx_parts_differential corpus/xlsx_parts_differential -- -max_total_time=600
//! ```
#![no_main]

#[path = "common.rs"]
mod common;

use common::{limits, tolerate_calamine_panics};
use eprscan::ingest::differential::compare_xlsx_readers;
use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// The parts the input supplies, in order.
const PARTS: [&str; 5] = [
    "xl/workbook.xml",
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
];

/// The package for one input: fixed content types and relationships, the input's
/// parts (an absent trailing part is left out of the package).
fn package(data: &[u8]) -> Option<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let fixed = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
    ];
    let given = PARTS.iter().copied().zip(data.split(|&b| b == 0));
    for (name, bytes) in fixed.into_iter().chain(given) {
        zip.start_file(name, stored).ok()?;
        zip.write_all(bytes).ok()?;
    }
    Some(zip.finish().ok()?.into_inner())
}

fuzz_target!(|data: &[u8]| {
    tolerate_calamine_panics();
    let Some(bytes) = package(data) else { return };
    let limits = limits();
    if let Err(difference) = compare_xlsx_readers(&bytes, &limits) {
        panic!("the readers differ: {difference}");
    }
});
