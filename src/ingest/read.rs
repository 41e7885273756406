//! Reading one file into grids: what the file is (sniffed from its first bytes) and
//! the guards run before any reader sees it (zip parts' sizes, an `.xls` container and
//! its declared dimensions), then the reader for its format: eprscan's own for
//! `.xlsx`/`.xlsm` ([`super::xlsx`]), calamine for the other workbooks
//! ([`super::calamine`]), the csv crate for CSV ([`super::csv_file`]).

use super::calamine::read_workbook;
use super::csv_file::read_csv;
use super::{ActualFormat, Contents, InputFile, Limits, ReadError, TooLarge, Workbook, XlsxReader};
use crate::ingest::discover::plain_io_error;
use std::io::{Cursor, Read};

/// Deflate inflates at most about 1 032 bytes per compressed byte: a zip entry whose
/// compressed size times this cannot pass the limit need not be measured.
pub(super) const MAX_DEFLATE_RATIO: u64 = 1_100;

/// Read one file. The error says why, without the file name (the caller adds it).
pub fn read_file(input: &InputFile, limits: &Limits) -> Result<Workbook, ReadError> {
    let modified = std::fs::metadata(&input.path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Utc>::from(t).naive_utc());
    let bytes = std::fs::read(&input.path).map_err(|e| ReadError::Io {
        kind: e.kind(),
        message: plain_io_error(&e),
    })?;
    let Contents { sheets, notes } = read_bytes(bytes, &input.extension, limits)?;
    Ok(Workbook {
        input: input.clone(),
        sheets,
        notes,
        modified,
    })
}

/// The visible sheets of a file's contents, read as the format its extension names
/// (`xlsx`, `xls`, `ods`, `csv` ...). Also the entry point for fuzzing.
pub fn read_bytes(bytes: Vec<u8>, extension: &str, limits: &Limits) -> Result<Contents, ReadError> {
    read_bytes_with(bytes, extension, limits, XlsxReader::from_env())
}

/// [`read_bytes`] with `.xlsx`/`.xlsm` sheets read by the reader given (the
/// differential tests read every workbook with both).
pub fn read_bytes_with(
    bytes: Vec<u8>,
    extension: &str,
    limits: &Limits,
    xlsx_reader: XlsxReader,
) -> Result<Contents, ReadError> {
    sniff(&bytes, extension)?;
    if extension == "csv" {
        return read_csv(&bytes, limits);
    }
    if matches!(extension, "xlsx" | "xlsm" | "xlsb" | "ods") {
        check_zip(&bytes, limits)?;
    }
    if extension == "xls" {
        check_compound_file(&bytes, limits)?;
    }
    let sheets = match (extension, xlsx_reader) {
        ("xlsx" | "xlsm", XlsxReader::Own) => super::xlsx::read_xlsx(&bytes, limits)?,
        _ => read_workbook(&bytes, extension, limits)?,
    };
    Ok(Contents {
        sheets,
        notes: Vec::new(),
    })
}

/// The first bytes of an Excel 97-2003 (OLE compound) file.
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The first bytes of a zip package (xlsx, xlsm, xlsb, ods).
const ZIP: &[u8] = b"PK\x03\x04";

/// Recognise files that are not what their name says before calamine gives a
/// technical error about them.
fn sniff(bytes: &[u8], extension: &str) -> Result<(), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let wrong = |actual| {
        Err(ReadError::WrongFormat {
            extension: extension.to_string(),
            actual,
        })
    };
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
    {
        return wrong(ActualFormat::WebPage);
    }
    let is_ole = bytes.starts_with(OLE);
    let is_zip = bytes.starts_with(ZIP);
    match extension {
        "xlsx" | "xlsm" | "xlsb" if is_ole => {
            // An encrypted OOXML file is an OLE container holding EncryptionInfo.
            if contains(bytes, &utf16("EncryptionInfo")) {
                Err(ReadError::Encrypted)
            } else {
                wrong(ActualFormat::OldXls)
            }
        }
        "xlsx" | "xlsm" | "xlsb" | "ods" if !is_zip => wrong(ActualFormat::NotZip),
        "csv" if is_zip || is_ole => wrong(ActualFormat::Workbook),
        "xls" if !is_ole => {
            if bytes.iter().take(4096).all(|b| *b != 0) {
                wrong(ActualFormat::Text)
            } else {
                wrong(ActualFormat::NotXls)
            }
        }
        _ => Ok(()),
    }
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Refuse a zip package (xlsx, xlsb, ods) with a part that unzips past the limit
/// (a zip bomb) before any reader inflates it. The declared size is checked first;
/// a part that could inflate past the limit is also streamed into nothing, in
/// constant memory: the zip reader stops a part that inflates past its declared
/// size, so a bomb that lies about its size is caught there.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    // Every zip error is damage here, even an encrypted part's (the zip crate's
    // PASSWORD_REQUIRED), as users have always read it.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(ReadError::truncated)?;
    let limit = limits.max_unzipped_bytes;
    let too_big = |name: &str| {
        ReadError::from(TooLarge::ZipPart {
            part: name.to_string(),
            limit,
        })
    };
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(ReadError::truncated)?;
        let name = part.name().map_err(ReadError::truncated)?.to_string();
        if part.size() > limit {
            return Err(too_big(&name));
        }
        if part.compressed_size().saturating_mul(MAX_DEFLATE_RATIO) > limit {
            let inflated = std::io::copy(&mut (&mut part).take(limit + 1), &mut std::io::sink())
                .map_err(ReadError::truncated)?;
            if inflated > limit {
                return Err(too_big(&name));
            }
        }
    }
    Ok(())
}

/// Check an .xls container (an OLE compound file) before calamine opens it: a
/// sector chain that loops or points outside the file makes calamine's reader
/// allocate without bound or panic (both found by fuzzing). The cfb crate validates
/// the allocation table and directory, and the workbook stream is read through it,
/// bounded by the unzip limit.
fn check_compound_file(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let damaged = |e: std::io::Error| ReadError::XlsContainerDamaged {
        detail: e.to_string(),
    };
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|name| file.is_stream(name))
        .ok_or_else(|| ReadError::WrongFormat {
            extension: "xls".into(),
            actual: ActualFormat::NoWorkbookStream,
        })?;
    let mut reader = file.open_stream(stream).map_err(damaged)?;
    let mut workbook = Vec::new();
    (&mut reader)
        .take(limits.max_unzipped_bytes + 1)
        .read_to_end(&mut workbook)
        .map_err(damaged)?;
    if workbook.len() as u64 > limits.max_unzipped_bytes {
        return Err(TooLarge::XlsStream {
            limit: limits.max_unzipped_bytes,
        }
        .into());
    }
    check_declared_dimensions(&workbook, limits)
}

/// calamine reserves room for every cell a sheet's DIMENSIONS record declares, and
/// then lays the cells it finds out densely between the first and the last: refuse
/// a sheet whose declared size, or the box its cell records span, passes the cell
/// limit (a hostile file can declare 4 billion rows, or put one cell at row 65 535
/// and column 65 535), before calamine allocates it. The sheets are walked as
/// calamine walks them: from the offsets the BOUNDSHEET records give, skipping
/// nested substreams (embedded charts), to the sheet's EOF.
fn check_declared_dimensions(workbook: &[u8], limits: &Limits) -> Result<(), ReadError> {
    const BOF: u16 = 0x0809;
    const EOF: u16 = 0x000A;
    const BOUNDSHEET: u16 = 0x0085;
    const DIMENSIONS: u16 = 0x0200;
    // Records that start with the row and column of a cell (MULRK and MULBLANK end
    // with their last column).
    const CELLS: [u16; 10] = [
        0x0006, 0x00BD, 0x00BE, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E,
    ];
    let u16_at = |b: &[u8], i: usize| {
        b.get(i..i + 2)
            .map_or(0, |s| u64::from(u16::from_le_bytes([s[0], s[1]])))
    };
    let refuse = |rows: u64, cols: u64, declared: bool| -> Result<(), ReadError> {
        if rows.saturating_mul(cols) > limits.max_cells as u64 {
            return Err(TooLarge::XlsSheet {
                declared,
                rows,
                cols,
                limit: limits.max_cells,
            }
            .into());
        }
        Ok(())
    };
    let sheets: Vec<usize> = biff_records(workbook, 0)
        .take_while(|(kind, _)| *kind != EOF)
        .filter(|(kind, _)| *kind == BOUNDSHEET)
        .filter_map(|(_, data)| data.get(..4))
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    for start in sheets {
        // (first row, last row, first column, last column) of the sheet's cells.
        let mut span: Option<(u64, u64, u64, u64)> = None;
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (kind, data) in biff_records(workbook, start) {
            if depth > 0 {
                match kind {
                    BOF => depth += 1,
                    EOF => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match kind {
                BOF if seen_bof => depth += 1,
                BOF => seen_bof = true,
                EOF => break,
                DIMENSIONS => {
                    let (rows, cols) = declared_size(data);
                    refuse(rows, cols, true)?;
                }
                k if CELLS.contains(&k) && data.len() >= 4 => {
                    let row = u16_at(data, 0);
                    let first = u16_at(data, 2);
                    let last = if matches!(k, 0x00BD | 0x00BE) {
                        u16_at(data, data.len().saturating_sub(2)).max(first)
                    } else {
                        first
                    };
                    span = Some(match span {
                        None => (row, row, first, last),
                        Some((r0, r1, c0, c1)) => {
                            (r0.min(row), r1.max(row), c0.min(first), c1.max(last))
                        }
                    });
                }
                _ => {}
            }
        }
        if let Some((r0, r1, c0, c1)) = span {
            refuse(r1 - r0 + 1, c1 - c0 + 1, false)?;
        }
    }
    Ok(())
}

/// The BIFF records of a workbook stream from `start`: (type, data), until the
/// stream ends or a record runs past it.
fn biff_records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = start;
    std::iter::from_fn(move || {
        let header = stream.get(pos..pos + 4)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        Some((kind, data))
    })
}

/// The rows and columns a DIMENSIONS record makes calamine reserve, computed as
/// calamine 0.38 does (`parse_dimensions`, then `end - start + 1` in 32-bit
/// arithmetic that wraps when the last row comes before the first).
fn declared_size(data: &[u8]) -> (u64, u64) {
    let u16_at = |i: usize| {
        data.get(i..i + 2)
            .map_or(0, |s| u32::from(u16::from_le_bytes([s[0], s[1]])))
    };
    let u32_at = |i: usize| {
        data.get(i..i + 4)
            .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        // calamine refuses any other length.
        _ => return (0, 0),
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return (1, 1);
    }
    let span = |first: u32, last: u32| u64::from((last - 1).wrapping_sub(first)) + 1;
    (span(first_row, last_row), span(first_col, last_col))
}
