//! Reading one file into grids: workbooks through calamine, CSV through the csv crate.

use super::{Cell, Contents, Grid, InputFile, Limits, Workbook, XlsxReader};
use crate::ingest::discover::plain_io_error;
use calamine::{
    open_workbook_from_rs, DataRef, DataType, Dimensions, Ods, Reader, SheetVisible, Xls, Xlsb,
    XlsbError, Xlsx, XlsxError,
};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::io::{Cursor, Read, Seek};
use std::sync::Arc;

/// Deflate inflates at most about 1 032 bytes per compressed byte: a zip entry whose
/// compressed size times this cannot pass the limit need not be measured.
const MAX_DEFLATE_RATIO: u64 = 1_100;

/// Read one file. The error is a plain reason, without the file name (the caller
/// adds it).
pub fn read_file(input: &InputFile, limits: &Limits) -> Result<Workbook, String> {
    let modified = std::fs::metadata(&input.path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Utc>::from(t).naive_utc());
    let bytes = std::fs::read(&input.path).map_err(|e| plain_io_error(&e))?;
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
pub fn read_bytes(bytes: Vec<u8>, extension: &str, limits: &Limits) -> Result<Contents, String> {
    read_bytes_with(bytes, extension, limits, XlsxReader::from_env())
}

/// [`read_bytes`] with `.xlsx`/`.xlsm` sheets read by the reader given (the
/// differential tests read every workbook with both).
pub fn read_bytes_with(
    bytes: Vec<u8>,
    extension: &str,
    limits: &Limits,
    xlsx_reader: XlsxReader,
) -> Result<Contents, String> {
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
fn sniff(bytes: &[u8], extension: &str) -> Result<(), String> {
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
        "csv" if is_zip || is_ole => Err(
            "this is a workbook saved with a .csv name, not a CSV file: rename it to .xlsx (or .xls or .ods, whichever Excel opens it as)".into(),
        ),
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

/// Refuse a zip package (xlsx, xlsb, ods) with a part that unzips past the limit
/// (a zip bomb) before any reader inflates it. The declared size is checked first;
/// a part that could inflate past the limit is also streamed into nothing, in
/// constant memory: the zip reader stops a part that inflates past its declared
/// size, so a bomb that lies about its size is caught there.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let damaged = |e: zip::result::ZipError| format!("the workbook is damaged or truncated ({e})");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    let limit = limits.max_unzipped_bytes;
    let too_big = |name: &str| {
        format!(
            "part {name} unzips to more than {} MB: refused as a possible zip bomb (raise --max-unzipped-mb if the file is genuine)",
            limit / 1_000_000
        )
    };
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(damaged)?;
        let name = part.name().map_err(damaged)?.to_string();
        if part.size() > limit {
            return Err(too_big(&name));
        }
        if part.compressed_size().saturating_mul(MAX_DEFLATE_RATIO) > limit {
            let inflated = std::io::copy(&mut (&mut part).take(limit + 1), &mut std::io::sink())
                .map_err(|e| format!("the workbook is damaged or truncated ({e})"))?;
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
fn check_compound_file(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let damaged = |e: std::io::Error| {
        format!("the .xls workbook is damaged ({e}): open it in Excel and save it again")
    };
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|name| file.is_stream(name))
        .ok_or("no workbook stream in this .xls file: it is not an Excel workbook")?;
    let mut reader = file.open_stream(stream).map_err(damaged)?;
    let mut workbook = Vec::new();
    (&mut reader)
        .take(limits.max_unzipped_bytes + 1)
        .read_to_end(&mut workbook)
        .map_err(damaged)?;
    if workbook.len() as u64 > limits.max_unzipped_bytes {
        return Err(format!(
            "the workbook stream is over {} MB: refused (raise --max-unzipped-mb if the file is genuine)",
            limits.max_unzipped_bytes / 1_000_000
        ));
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
fn check_declared_dimensions(workbook: &[u8], limits: &Limits) -> Result<(), String> {
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
    let refuse = |rows: u64, cols: u64, what: &str| -> Result<(), String> {
        if rows.saturating_mul(cols) > limits.max_cells as u64 {
            return Err(format!(
                "a sheet {what} {rows} rows by {cols} columns, more than {} cells: refused (raise --max-cells if the file is genuine)",
                limits.max_cells
            ));
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
                    refuse(rows, cols, "declares")?;
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
            refuse(r1 - r0 + 1, c1 - c0 + 1, "spans")?;
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

fn read_workbook(bytes: &[u8], extension: &str, limits: &Limits) -> Result<Vec<Grid>, String> {
    let cursor = Cursor::new(bytes);
    match extension {
        "xlsx" | "xlsm" => xlsx_grids(open::<Xlsx<_>, _>(cursor)?, limits, bytes),
        "xlsb" => xlsb_grids(open::<Xlsb<_>, _>(cursor)?, limits),
        "xls" => grids(open::<Xls<_>, _>(cursor)?, limits),
        "ods" => grids(open::<Ods<_>, _>(cursor)?, limits),
        other => Err(format!("unsupported file type .{other}")),
    }
}

/// Names of the visible sheets, in workbook order.
fn visible_sheets<RS: Read + Seek, R: Reader<RS>>(workbook: &R) -> Vec<String> {
    workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect()
}

/// xlsx sheets read cell by cell, so that one stray cell at XFD1048576 costs one
/// cell, not a dense 17-billion-cell range. `package` is the file, to find the cell
/// that a damaged sheet's error is about where calamine does not say.
fn xlsx_grids<RS: Read + Seek>(
    mut workbook: Xlsx<RS>,
    limits: &Limits,
    package: &[u8],
) -> Result<Vec<Grid>, String> {
    let mut out = Vec::new();
    for name in visible_sheets(&workbook) {
        let fail = |e: XlsxError| {
            let message = e.to_string();
            if message.contains("shared strings") {
                if let Some(bad) = bad_shared_string(package, &name) {
                    return format!(
                        "sheet {name}, cell {}: the cell refers to text number {} of the workbook's shared-string table, which has only {} (numbered from 0): the file is damaged, and nothing in it is read; open it in Excel and save it again",
                        bad.cell, bad.index, bad.entries
                    );
                }
            }
            format!("sheet {name}: {}", describe_calamine_error(&message))
        };
        let mut reader = match workbook.worksheet_cells_reader(&name) {
            Ok(reader) => reader,
            // A chart sheet holds no cells.
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(fail(e)),
        };
        let declared = reader.dimensions();
        let cells = calamine_cells(|| reader.next_cell().map_err(fail));
        out.push(sparse_grid(&name, limits, declared, cells)?);
    }
    Ok(out)
}

/// xlsb sheets, cell by cell as for xlsx.
fn xlsb_grids<RS: Read + Seek>(
    mut workbook: Xlsb<RS>,
    limits: &Limits,
) -> Result<Vec<Grid>, String> {
    let mut out = Vec::new();
    for name in visible_sheets(&workbook) {
        let fail =
            |e: XlsbError| format!("sheet {name}: {}", describe_calamine_error(&e.to_string()));
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(fail)?;
        let declared = reader.dimensions();
        let cells = calamine_cells(|| reader.next_cell().map_err(fail));
        out.push(sparse_grid(&name, limits, declared, cells)?);
    }
    Ok(out)
}

/// A text cell whose shared-string index is past the end of the table.
struct BadSharedString {
    /// A1 reference of the cell.
    cell: String,
    /// The index it holds.
    index: usize,
    /// Entries in the table.
    entries: usize,
}

/// The first text cell of the xlsx sheet `sheet` whose shared-string index is past
/// the table (calamine refuses the sheet without saying which cell): the sheet's
/// part is found through the workbook's sheet list and relationships, read as plain
/// text. Only called for a sheet calamine has refused; the package's parts were
/// checked against the unzip limit before.
fn bad_shared_string(package: &[u8], sheet: &str) -> Option<BadSharedString> {
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).ok()?;
    let mut part = |name: &str| -> Option<String> {
        let mut text = String::new();
        archive.by_name(name).ok()?.read_to_string(&mut text).ok()?;
        Some(text)
    };
    let strings = part("xl/sharedStrings.xml").unwrap_or_default();
    let entries = strings.matches("<si>").count() + strings.matches("<si ").count();
    let workbook = part("xl/workbook.xml")?;
    let id = elements(&workbook, "sheet")
        .find(|el| xml_attr(el, "name").as_deref() == Some(sheet))
        .and_then(|el| xml_attr(el, "r:id"))?;
    let rels = part("xl/_rels/workbook.xml.rels")?;
    let target = elements(&rels, "Relationship")
        .find(|el| xml_attr(el, "Id").as_deref() == Some(id.as_str()))
        .and_then(|el| xml_attr(el, "Target"))?;
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let xml = part(&path)?;
    xml.split("<c ").skip(1).find_map(|cell| {
        let head = &cell[..cell.find('>')?];
        if xml_attr(head, "t").as_deref() != Some("s") {
            return None;
        }
        let value = cell.split("<v>").nth(1)?.split("</v>").next()?;
        let index: usize = value.trim().parse().ok()?;
        (index >= entries).then(|| BadSharedString {
            cell: xml_attr(head, "r").unwrap_or_else(|| "?".into()),
            index,
            entries,
        })
    })
}

/// The attribute text of each `<name ...>` element of an XML document.
fn elements<'a>(xml: &'a str, name: &str) -> impl Iterator<Item = &'a str> {
    let open = format!("<{name} ");
    xml.split(open.as_str())
        .skip(1)
        .filter_map(|rest| rest.find('>').map(|end| &rest[..end]))
        .collect::<Vec<_>>()
        .into_iter()
}

/// One attribute's value in an element's attribute text, with the five XML
/// entities decoded.
fn xml_attr(attributes: &str, name: &str) -> Option<String> {
    let spaced = format!(" {attributes}");
    let key = format!(" {name}=\"");
    let start = spaced.find(&key)? + key.len();
    let value = &spaced[start..start + spaced[start..].find('"')?];
    Some(
        value
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// A cell and its zero-based (row, column) in the sheet.
pub(super) type PlacedCell = ((u32, u32), Cell);

/// A calamine cell reader's cells as positions and our values. Cells showing the
/// same entry of the shared-string table share one copy of its text.
fn calamine_cells<'a>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, String>,
) -> impl FnMut() -> Result<Option<PlacedCell>, String> {
    // Keyed by where the entry's text lives: the table is borrowed, unchanged, for
    // the whole sheet, so each entry has one address (and hashing it is cheaper
    // than hashing the text).
    let mut shared: rustc_hash::FxHashMap<(usize, usize), Arc<str>> = Default::default();
    move || {
        let Some(cell) = next()? else {
            return Ok(None);
        };
        let value = match cell.get_value() {
            DataRef::SharedString(text) => Cell::Text(
                shared
                    .entry((text.as_ptr() as usize, text.len()))
                    .or_insert_with(|| Arc::from(*text))
                    .clone(),
            ),
            other => convert(other),
        };
        Ok(Some((cell.get_position(), value)))
    }
}

/// Collect the non-empty cells a reader yields into a grid whose rows are only as
/// long as their last cell, refusing a sheet past the cell limit. Cells are laid out
/// as they arrive, which is row by row in every workbook seen so far; a cell out of
/// that order is set aside and the grid rebuilt from sorted cells at the end. Where
/// two cells share a position the later one wins. The sheet's `declared` size
/// only sizes the grid's memory up front (within a bound: it may be wrong).
pub(super) fn sparse_grid(
    name: &str,
    limits: &Limits,
    declared: Dimensions,
    mut next_cell: impl FnMut() -> Result<Option<PlacedCell>, String>,
) -> Result<Grid, String> {
    let too_big = || {
        format!(
            "sheet {name} holds or spans more than {} cells: refused (raise --max-cells if the sheet is genuine)",
            limits.max_cells
        )
    };
    let mut layout = RowLayout::sized_for(declared, limits);
    let mut origin: Option<(u32, u32)> = None;
    let mut out_of_order: Vec<((u32, u32), Cell)> = Vec::new();
    let mut count = 0usize;
    while let Some(((r, c), value)) = next_cell()? {
        if matches!(value, Cell::Empty) {
            continue;
        }
        count += 1;
        if count > limits.max_cells {
            return Err(too_big());
        }
        let (r0, c0) = *origin.get_or_insert((r, c));
        let in_order = r >= r0 && c >= c0 && (r - r0) as usize + 1 >= layout.height();
        if in_order {
            layout
                .place((r - r0) as usize, (c - c0) as usize, value, limits)
                .map_err(|()| too_big())?;
        } else {
            out_of_order.push(((r, c), value));
        }
    }
    let Some(origin) = origin else {
        return Ok(layout.into_grid(name, (0, 0)));
    };
    if out_of_order.is_empty() {
        return Ok(layout.into_grid(name, origin));
    }
    // Rare: rebuild from every cell in position order. The cells already laid out
    // came before any set aside at the same position, and the sort is stable.
    let mut cells: Vec<((u32, u32), Cell)> = Vec::with_capacity(count);
    for (i, row) in layout.grid.rows().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            if *cell != Cell::Empty {
                cells.push(((origin.0 + i as u32, origin.1 + j as u32), cell.clone()));
            }
        }
    }
    cells.append(&mut out_of_order);
    cells.sort_by_key(|(pos, _)| *pos);
    let first_row = cells.first().map_or(0, |((r, _), _)| *r);
    let first_col = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let mut layout = RowLayout::default();
    for ((r, c), cell) in cells {
        layout
            .place(
                (r - first_row) as usize,
                (c - first_col) as usize,
                cell,
                limits,
            )
            .map_err(|()| too_big())?;
    }
    Ok(layout.into_grid(name, (first_row, first_col)))
}

/// Rows of cells being laid out row after row, with the cells they hold (blanks
/// included) counted against the limit as they grow, so that a sheet that spans too
/// much is refused before it is allocated.
#[derive(Default)]
struct RowLayout {
    grid: Grid,
}

impl RowLayout {
    /// Room for a sheet of the size it declares, up to a bound: growing one vector
    /// by doubling costs more than the row-by-row vectors it replaces.
    fn sized_for(declared: Dimensions, limits: &Limits) -> RowLayout {
        const MAX_RESERVED_CELLS: usize = 1 << 20;
        let span = |from: u32, to: u32| to.checked_sub(from).map_or(0, |d| d as usize + 1);
        let rows = span(declared.start.0, declared.end.0);
        let cells = rows
            .saturating_mul(span(declared.start.1, declared.end.1))
            .min(limits.max_cells)
            .min(MAX_RESERVED_CELLS);
        let mut layout = RowLayout::default();
        layout.grid.cells.reserve(cells);
        layout.grid.row_starts.reserve(rows.min(cells));
        layout
    }

    /// Number of rows laid out so far.
    fn height(&self) -> usize {
        self.grid.row_starts.len()
    }

    /// Put a cell at a row and column relative to the grid's origin. Cells come row
    /// by row: `row` is the last row laid out or a later one.
    fn place(&mut self, row: usize, col: usize, cell: Cell, limits: &Limits) -> Result<(), ()> {
        debug_assert!(row + 1 >= self.height(), "cells laid out row by row");
        let grid = &mut self.grid;
        while grid.row_starts.len() <= row {
            grid.row_starts.push(grid.cells.len());
        }
        let start = grid.row_starts[grid.row_starts.len() - 1];
        let len = grid.cells.len() - start;
        if col < len {
            grid.cells[start + col] = cell;
            return Ok(());
        }
        if grid.cells.len() + (col + 1 - len) > limits.max_cells {
            return Err(());
        }
        grid.cells.resize(start + col, Cell::Empty);
        grid.cells.push(cell);
        Ok(())
    }

    /// The grid laid out, for a sheet whose first cell is at `origin`.
    fn into_grid(self, sheet: &str, origin: (u32, u32)) -> Grid {
        Grid {
            sheet: Some(sheet.to_string()),
            origin,
            ..self.grid
        }
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
    if lower.contains("cell limit exceeded") {
        format!("a sheet spans more cells than can be read safely: refused ({message})")
    } else if lower.contains("password") || lower.contains("encrypt") {
        "the workbook is password-protected: save it without a password".into()
    } else if lower.contains("zip") || lower.contains("eof") || lower.contains("end of file") {
        format!("the workbook is damaged or truncated ({message})")
    } else {
        format!("cannot read the workbook ({message})")
    }
}

/// Sheets of formats calamine reads whole (xls, whose size the format bounds, and
/// ods): refused past the cell limit before they are copied.
fn grids<RS, R>(mut workbook: R, limits: &Limits) -> Result<Vec<Grid>, String>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let visible = visible_sheets(&workbook);
    let mut out = Vec::with_capacity(visible.len());
    for name in visible {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| format!("sheet {name}: {}", describe_calamine_error(&e.to_string())))?;
        let (height, width) = range.get_size();
        if height.saturating_mul(width) > limits.max_cells {
            return Err(format!(
                "sheet {name} spans {height} rows by {width} columns, more than {} cells: refused (raise --max-cells if the sheet is genuine)",
                limits.max_cells
            ));
        }
        let origin = range.start().unwrap_or((0, 0));
        let rows = range.rows().map(|row| row.iter().map(convert));
        out.push(Grid::from_rows(Some(name), origin, rows));
    }
    Ok(out)
}

/// calamine's value to ours, for a whole range's [`Data`] and a streamed cell's
/// [`DataRef`] alike (text is copied into the cell; [`sparse_grid`] shares one copy
/// of each shared-string entry before calling this). Date-formatted cells become
/// dates, honouring the workbook's 1900 or 1904 epoch (a date cell must never print
/// as its serial).
pub(super) fn convert<D: DataType>(data: &D) -> Cell {
    if let Some(text) = data.get_string() {
        Cell::Text(text.into())
    } else if let Some(n) = data.get_float() {
        Cell::Number(n)
    } else if let Some(i) = data.get_int() {
        Cell::Number(i as f64)
    } else if let Some(b) = data.get_bool() {
        Cell::Bool(b)
    } else if let Some(dt) = data.get_datetime() {
        match dt.as_datetime().filter(|_| dt.is_datetime()) {
            Some(dt) => Cell::Date(dt.date()),
            None => Cell::Number(dt.as_f64()),
        }
    } else if let Some(iso) = data.get_datetime_iso() {
        iso_date(iso).map_or_else(|| Cell::Text(iso.into()), Cell::Date)
    } else if let Some(iso) = data.get_duration_iso() {
        Cell::Text(iso.into())
    } else if let Some(e) = data.get_error() {
        // calamine writes the error as Excel shows it (`#REF!`).
        Cell::Error(e.to_string().into())
    } else {
        Cell::Empty
    }
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// One CSV file is one grid. The encoding is UTF-8 unless a byte-order mark says
/// otherwise or the bytes are not UTF-8 (then Windows-1252, see [`decode_text`]); the
/// separator is the one of comma, semicolon and tab that splits the first rows most
/// evenly (see [`csv_separator`]). Any other choice than UTF-8 and commas is told in a
/// note.
fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Contents, String> {
    let (text, encoding_note) = decode_text(bytes);
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let separator = csv_separator(&text);
    let mut notes: Vec<String> = encoding_note.into_iter().collect();
    if let Some(name) = separator.name() {
        notes.push(format!(
            "fields are separated by {name}, not commas: read as such"
        ));
    }
    let mut reader = csv_reader(separator.byte(), &text);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut cells = 0usize;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {}: malformed CSV ({e})", i + 1))?;
        cells += record.len();
        if cells > limits.max_cells {
            return Err(format!(
                "more than {} cells: refused (raise --max-cells if the file is genuine)",
                limits.max_cells
            ));
        }
        rows.push(
            record
                .iter()
                .map(|field| {
                    if field.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(field.into())
                    }
                })
                .collect(),
        );
    }
    Ok(Contents {
        sheets: vec![Grid::from_rows(None, (0, 0), rows)],
        notes,
    })
}

/// A text file's contents as text, and a note saying how they were decoded when that
/// is not plain UTF-8. A byte-order mark names the encoding (UTF-8 or UTF-16, the
/// latter from Excel's "Unicode Text"); bytes that are not UTF-8 are Windows-1252,
/// the encoding Excel on Windows writes "CSV (Comma delimited)" in, so that `£`, `–`
/// and `’` arrive as written instead of as replacement characters.
pub fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        let note = (encoding != encoding_rs::UTF_8).then(|| {
            format!(
                "read as {} (the file starts with its byte-order mark)",
                encoding.name()
            )
        });
        return (text, note);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            let note = "the file is not UTF-8: read as Windows-1252, the encoding of Excel's \"CSV (Comma delimited)\"";
            (text, Some(note.to_string()))
        }
    }
}

/// The field separators a CSV file may use: Excel writes commas, or semicolons where
/// the decimal mark is a comma; tab-separated text is sometimes saved as .csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Comma,
    Semicolon,
    Tab,
}

impl Separator {
    const ALL: [Separator; 3] = [Separator::Comma, Separator::Semicolon, Separator::Tab];

    fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
            Separator::Tab => b'\t',
        }
    }

    /// How a note names the separator; none for commas, which need no note.
    fn name(self) -> Option<&'static str> {
        match self {
            Separator::Comma => None,
            Separator::Semicolon => Some("semicolons"),
            Separator::Tab => Some("tabs"),
        }
    }
}

/// A CSV reader over decoded text: no header row (the header is found by content),
/// rows of any length. The one CSV reader setup, also for the NHS ODS files.
pub fn csv_reader(separator: u8, text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes())
}

/// The separator that splits the file's first rows (as many as a header is looked
/// for in) most consistently: the one for which the most rows have the same number of
/// fields (more than one), then the one giving more fields; commas on a tie. A real
/// separator splits every row of a table alike, while a comma inside a quoted field or
/// a decimal comma in a semicolon-separated file splits rows unevenly. A first line
/// `sep=;` (Excel's own hint, which some exports write) decides it outright; the line
/// stays in the grid as a row above the header, so line numbers stay those of the file.
fn csv_separator(text: &str) -> Separator {
    if let Some(hint) = text.strip_prefix("sep=") {
        let mut chars = hint.chars();
        let stated = chars.next();
        if matches!(chars.next(), None | Some('\r' | '\n')) {
            if let Some(separator) = Separator::ALL
                .into_iter()
                .find(|s| Some(char::from(s.byte())) == stated)
            {
                return separator;
            }
        }
    }
    let fit = |separator: Separator| -> (usize, usize) {
        let mut rows_by_width = std::collections::BTreeMap::<usize, usize>::new();
        let records = csv_reader(separator.byte(), text).into_records();
        for record in records
            .take(crate::schema::HEADER_SCAN_ROWS)
            .map_while(Result::ok)
        {
            if record.len() > 1 {
                *rows_by_width.entry(record.len()).or_default() += 1;
            }
        }
        rows_by_width
            .into_iter()
            .map(|(width, rows)| (rows, width))
            .max()
            .unwrap_or((0, 0))
    };
    let mut best = (Separator::Comma, fit(Separator::Comma));
    for separator in &Separator::ALL[1..] {
        let candidate = fit(*separator);
        if candidate > best.1 {
            best = (*separator, candidate);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lay out `cells` as if a workbook's cell reader gave them in this order.
    fn lay_out(cells: &[((u32, u32), &str)], max_cells: usize) -> Result<Grid, String> {
        lay_out_declared(cells, max_cells, Dimensions::default())
    }

    /// [`lay_out`] for a sheet that declares its size as `declared`.
    fn lay_out_declared(
        cells: &[((u32, u32), &str)],
        max_cells: usize,
        declared: Dimensions,
    ) -> Result<Grid, String> {
        let limits = Limits {
            max_cells,
            ..Limits::default()
        };
        let mut given = cells
            .iter()
            .map(|(pos, text)| calamine::Cell::new(*pos, DataRef::SharedString(text)));
        sparse_grid("S", &limits, declared, calamine_cells(|| Ok(given.next())))
    }

    fn text(grid: &Grid) -> Vec<Vec<String>> {
        grid.rows()
            .map(|row| {
                row.iter()
                    .map(|c| c.as_text().unwrap_or_default())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn ranges_and_streamed_cells_convert_alike() {
        use calamine::{CellErrorType, Data};
        let cases = [
            (Data::Empty, DataRef::Empty, Cell::Empty),
            (
                Data::String("Epic".into()),
                DataRef::SharedString("Epic"),
                Cell::Text("Epic".into()),
            ),
            (Data::Int(7), DataRef::Int(7), Cell::Number(7.0)),
            (Data::Float(2.5), DataRef::Float(2.5), Cell::Number(2.5)),
            (Data::Bool(true), DataRef::Bool(true), Cell::Bool(true)),
            (
                Data::DateTimeIso("2023-12-31T00:00:00".into()),
                DataRef::DateTimeIso("2023-12-31T00:00:00".into()),
                Cell::Date(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
            ),
            (
                Data::DurationIso("PT1H".into()),
                DataRef::DurationIso("PT1H".into()),
                Cell::Text("PT1H".into()),
            ),
            (
                Data::Error(CellErrorType::Ref),
                DataRef::Error(CellErrorType::Ref),
                Cell::Error("#REF!".into()),
            ),
        ];
        for (data, data_ref, expected) in cases {
            assert_eq!(convert(&data), expected, "{data:?}");
            assert_eq!(convert(&data_ref), expected, "{data_ref:?}");
        }
    }

    #[test]
    fn cells_in_row_order_are_laid_out_from_the_first() {
        let grid = lay_out(&[((2, 1), "a"), ((2, 3), "b"), ((4, 1), "c")], 100).unwrap();
        assert_eq!(grid.origin, (2, 1));
        assert_eq!(text(&grid), [vec!["a", "", "b"], vec![], vec!["c"]]);
    }

    #[test]
    fn cells_out_of_order_give_the_same_grid_and_the_later_cell_wins() {
        let in_order = lay_out(&[((0, 1), "t"), ((1, 0), "x"), ((1, 2), "y")], 100).unwrap();
        let shuffled = lay_out(
            &[((1, 2), "old"), ((1, 0), "x"), ((0, 1), "t"), ((1, 2), "y")],
            100,
        )
        .unwrap();
        assert_eq!(shuffled, in_order);
        assert_eq!(in_order.origin, (0, 0));
        assert_eq!(text(&in_order), [vec!["", "t"], vec!["x", "", "y"]]);
    }

    #[test]
    fn cells_showing_one_shared_string_share_its_text() {
        // Two entries of the shared-string table with the same text, and one other.
        let table = ["Epic".to_string(), "Epic".to_string(), "Cerner".to_string()];
        let cells = [
            ((0, 0), table[0].as_str()),
            ((0, 1), table[2].as_str()),
            ((1, 0), table[0].as_str()),
            ((1, 1), table[1].as_str()),
        ];
        let grid = lay_out(&cells, 100).unwrap();
        assert_eq!(text(&grid), [vec!["Epic", "Cerner"], vec!["Epic", "Epic"]]);
        let shared = |row, col| match grid.get(row, col) {
            Cell::Text(text) => text.clone(),
            other => panic!("not text: {other:?}"),
        };
        assert!(Arc::ptr_eq(&shared(0, 0), &shared(1, 0)));
        assert!(!Arc::ptr_eq(&shared(0, 0), &shared(1, 1)));
    }

    #[test]
    fn a_wrong_declared_size_only_changes_the_memory_set_aside() {
        let cells = [((0, 0), "a"), ((1, 2), "b"), ((3, 1), "c")];
        let expected = lay_out(&cells, 100).unwrap();
        let limits = Limits {
            max_cells: 100,
            ..Limits::default()
        };
        for declared in [
            Dimensions::new((0, 0), (3, 2)),
            Dimensions::new((5, 5), (0, 0)),
            Dimensions::new((0, 0), (u32::MAX, 16_383)),
        ] {
            let layout = RowLayout::sized_for(declared, &limits);
            assert!(layout.grid.cells.capacity() <= 100, "{declared:?}");
            let grid = lay_out_declared(&cells, 100, declared).unwrap();
            assert_eq!(text(&grid), text(&expected), "{declared:?}");
        }
    }

    #[test]
    fn grid_rows_are_as_long_as_given_and_empty_beyond() {
        let grid = Grid::from_rows(
            None,
            (0, 0),
            [
                vec![Cell::Text("a".into())],
                vec![],
                vec![Cell::Empty, Cell::Number(2.0)],
            ],
        );
        assert_eq!(grid.height(), 3);
        assert_eq!(
            grid.rows().map(<[Cell]>::len).collect::<Vec<_>>(),
            [1, 0, 2]
        );
        assert_eq!(grid.get(2, 1), &Cell::Number(2.0));
        assert_eq!(grid.get(1, 0), &Cell::Empty);
        assert_eq!(grid.get(9, 9), &Cell::Empty);
        assert!(grid.row(3).is_empty());
    }

    #[test]
    fn a_sheet_spanning_past_the_limit_is_refused_in_either_order() {
        let far = [((0, 0), "a"), ((1, 9), "b")];
        assert!(lay_out(&far, 11).is_ok());
        let err = lay_out(&far, 10).unwrap_err();
        assert!(err.contains("more than 10 cells"), "{err}");
        let backwards = [((1, 9), "b"), ((0, 0), "a")];
        assert!(lay_out(&backwards, 10).is_err());
        assert!(lay_out(&backwards, 11).is_ok());
    }

    #[test]
    fn decode_text_takes_utf8_as_is_and_other_bytes_as_windows_1252() {
        let (text, note) = decode_text("Guy\u{2019}s, £1.2m".as_bytes());
        assert!(matches!(text, Cow::Borrowed("Guy\u{2019}s, £1.2m")));
        assert_eq!(note, None);
        // Excel's UTF-8 byte-order mark is dropped without a note.
        let (text, note) = decode_text(b"\xEF\xBB\xBFODS code");
        assert_eq!((text.as_ref(), note), ("ODS code", None));
        // £, en dash and right single quote in Windows-1252.
        let (text, note) = decode_text(b"\xA31.2m \x96 Guy\x92s");
        assert_eq!(text, "£1.2m \u{2013} Guy\u{2019}s");
        assert!(note.is_some_and(|n| n.contains("Windows-1252")));
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("RJ1\t£".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (text, note) = decode_text(&utf16le);
        assert_eq!(text, "RJ1\t£");
        assert!(note.is_some_and(|n| n.contains("UTF-16LE")));
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("RJ1".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(&utf16be).0, "RJ1");
    }

    #[test]
    fn csv_separator_is_the_one_that_splits_rows_alike() {
        let cases = [
            (
                "ODS code,Name,Supplier\nRAJ,\"A; B\",Epic\n",
                Separator::Comma,
            ),
            // Excel pads every row to the table's width.
            (
                "ODS code;Name;Supplier\nRAJ;A, B and C;\n;;\n",
                Separator::Semicolon,
            ),
            // Decimal commas in a semicolon-separated file do not decide it.
            (
                "ODS code;Total cost;Local\nRAJ;1,5;2,25\n",
                Separator::Semicolon,
            ),
            (
                "ODS code;Total cost\nRAJ;£1,200,000\n",
                Separator::Semicolon,
            ),
            (
                "ODS code\tName\tSupplier\nRAJ\tA, B\tEpic\n",
                Separator::Tab,
            ),
            // A title line above the header.
            (
                "EPR return\n\nODS code;Name;Supplier\n",
                Separator::Semicolon,
            ),
            // One column: nothing to choose between, commas.
            ("ODS code\nRAJ\n", Separator::Comma),
            // A tie: commas.
            ("a,b;c\n", Separator::Comma),
            // Excel's hint line decides, whatever the rows look like.
            ("sep=;\r\nODS code,Name\r\nRAJ,A\r\n", Separator::Semicolon),
            ("sep=\t\nODS code\tName\n", Separator::Tab),
            ("sep=|\nODS code,Name\nRAJ,A\n", Separator::Comma),
        ];
        for (text, want) in cases {
            assert_eq!(csv_separator(text), want, "{text:?}");
        }
    }

    #[test]
    fn read_csv_splits_on_the_separator_it_found_and_says_so() {
        let contents =
            read_csv(b"ODS code;Name\r\nRAJ;Guy\x92s\r\n", &Limits::default()).expect("a CSV file");
        let grid = &contents.sheets[0];
        assert_eq!(grid.height(), 2);
        assert_eq!(grid.get(1, 1), &Cell::Text("Guy\u{2019}s".into()));
        assert_eq!(contents.notes.len(), 2, "{:?}", contents.notes);
        assert!(
            contents.notes[1].contains("semicolons"),
            "{:?}",
            contents.notes
        );
        let plain = read_csv(b"ODS code,Name\nRAJ,A\n", &Limits::default()).expect("a CSV file");
        assert!(plain.notes.is_empty(), "{:?}", plain.notes);
        assert_eq!(
            read_csv(b" \r\n", &Limits::default()).map(|c| c.sheets.len()),
            Err("the file is empty".to_string())
        );
    }
}
