//! Reading one file into grids: workbooks through calamine, CSV through the csv crate.

use super::{Cell, Grid, InputFile, Workbook};
use crate::ingest::discover::plain_io_error;
use calamine::{open_workbook_from_rs, Data, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};
use chrono::NaiveDate;
use std::io::{BufReader, Cursor, Read, Seek};

/// Read one file. The error is a plain reason, without the file name (the caller
/// adds it).
pub fn read_file(input: &InputFile) -> Result<Workbook, String> {
    let modified = std::fs::metadata(&input.path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Utc>::from(t).naive_utc());
    let bytes = std::fs::read(&input.path).map_err(|e| plain_io_error(&e))?;
    let sheets = if input.extension == "csv" {
        vec![read_csv(&bytes)?]
    } else {
        sniff(&bytes, &input.extension)?;
        read_workbook(bytes, &input.extension)?
    };
    Ok(Workbook {
        input: input.clone(),
        sheets,
        modified,
    })
}

/// Recognise files that are not what their name says before calamine gives a
/// technical error about them.
fn sniff(bytes: &[u8], extension: &str) -> Result<(), String> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    const ZIP: &[u8] = b"PK\x03\x04";
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
    {
        return Err(format!(
            "this is a web page (HTML) saved with a .{extension} name, not a workbook: open it in Excel and save it as .xlsx"
        ));
    }
    let is_ole = bytes.starts_with(OLE);
    let is_zip = bytes.starts_with(ZIP);
    match extension {
        "xlsx" | "xlsm" | "xlsb" if is_ole => {
            // An encrypted OOXML file is an OLE container holding EncryptionInfo.
            if contains(bytes, &utf16("EncryptionInfo")) {
                Err("the workbook is password-protected: save it without a password".into())
            } else {
                Err(format!(
                    "this is an old-style .xls workbook saved with a .{extension} name: rename it to .xls"
                ))
            }
        }
        "xlsx" | "xlsm" | "xlsb" | "ods" if !is_zip => Err(format!(
            "not a .{extension} workbook (the file is not a zip package): it may be truncated or another format renamed"
        )),
        "xls" if !is_ole => {
            if bytes.iter().take(4096).all(|b| *b != 0) {
                Err("this is a text file (probably CSV) saved with a .xls name: rename it to .csv".into())
            } else {
                Err("not a .xls workbook: the file is not in Excel 97-2003 format".into())
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

fn read_workbook(bytes: Vec<u8>, extension: &str) -> Result<Vec<Grid>, String> {
    let cursor = Cursor::new(bytes);
    match extension {
        "xlsx" | "xlsm" => grids(open::<Xlsx<_>, _>(cursor)?),
        "xlsb" => grids(open::<Xlsb<_>, _>(cursor)?),
        "xls" => grids(open::<Xls<_>, _>(cursor)?),
        "ods" => grids(open::<Ods<_>, _>(cursor)?),
        other => Err(format!("unsupported file type .{other}")),
    }
}

fn open<R, RS>(rs: RS) -> Result<R, String>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    open_workbook_from_rs::<R, RS>(rs).map_err(|e| describe_calamine_error(&e.to_string()))
}

/// calamine's messages, in words an analyst can act on where we recognise them.
fn describe_calamine_error(message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        "the workbook is password-protected: save it without a password".into()
    } else if lower.contains("zip") || lower.contains("eof") || lower.contains("end of file") {
        format!("the workbook is damaged or truncated ({message})")
    } else {
        format!("cannot read the workbook ({message})")
    }
}

fn grids<RS, R>(mut workbook: R) -> Result<Vec<Grid>, String>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let visible: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut out = Vec::with_capacity(visible.len());
    for name in visible {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| format!("sheet {name}: {}", describe_calamine_error(&e.to_string())))?;
        let origin = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .map(|row| row.iter().map(convert).collect())
            .collect();
        out.push(Grid {
            sheet: Some(name),
            origin,
            rows,
        });
    }
    Ok(out)
}

/// calamine's value to ours. Date-formatted cells become dates, honouring the
/// workbook's 1900 or 1904 epoch (a date cell must never print as its serial).
fn convert(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(dt) => Cell::Date(dt.date()),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => iso_date(s).map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("#{e:?}")),
    }
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// One CSV file is one grid. Rows may have different lengths; bytes that are not
/// UTF-8 (a CSV saved by Excel in Windows-1252) are decoded lossily.
fn read_csv(bytes: &[u8]) -> Result<Grid, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::new(bytes));
    let mut rows = Vec::new();
    for (i, record) in reader.byte_records().enumerate() {
        let record = record.map_err(|e| format!("line {}: malformed CSV ({e})", i + 1))?;
        rows.push(
            record
                .iter()
                .map(|field| {
                    let text = String::from_utf8_lossy(field);
                    if text.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(text.into_owned())
                    }
                })
                .collect(),
        );
    }
    Ok(Grid {
        sheet: None,
        origin: (0, 0),
        rows,
    })
}
