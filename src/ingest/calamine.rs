//! Workbooks read by calamine 0.38: `.xls`, `.xlsb` and `.ods`, and `.xlsx`/`.xlsm`
//! when calamine is asked for as the oracle ([`super::XlsxReader::Calamine`]).

use super::error::{from_ods, from_xls, from_xlsb, from_xlsx};
use super::layout::{sparse_grid, PlacedCell};
use super::{Cell, Grid, Limits, ReadError, TooLarge};
use calamine::{
    open_workbook_from_rs, DataRef, DataType, Ods, Reader, SheetVisible, Xls, Xlsb, XlsbError,
    Xlsx, XlsxError,
};
use chrono::NaiveDate;
use std::io::{Cursor, Read, Seek};
use std::sync::Arc;

/// The visible sheets of a workbook in a format calamine reads.
pub(super) fn read_workbook(
    bytes: &[u8],
    extension: &str,
    limits: &Limits,
) -> Result<Vec<Grid>, ReadError> {
    let cursor = Cursor::new(bytes);
    match extension {
        "xlsx" | "xlsm" => xlsx_grids(open::<Xlsx<_>, _>(cursor, from_xlsx)?, limits, bytes),
        "xlsb" => xlsb_grids(open::<Xlsb<_>, _>(cursor, from_xlsb)?, limits),
        "xls" => grids(open::<Xls<_>, _>(cursor, from_xls)?, limits, from_xls),
        "ods" => grids(open::<Ods<_>, _>(cursor, from_ods)?, limits, from_ods),
        other => Err(ReadError::Unsupported {
            extension: other.to_string(),
        }),
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
) -> Result<Vec<Grid>, ReadError> {
    let mut out = Vec::new();
    for name in visible_sheets(&workbook) {
        let fail = |e: XlsxError| {
            if is_missing_shared_string(&e) {
                if let Some(bad) = bad_shared_string(package, &name) {
                    return ReadError::MissingSharedString {
                        sheet: name.clone(),
                        cell: bad.cell,
                        index: bad.index,
                        entries: bad.entries,
                    };
                }
            }
            from_xlsx(&e).in_sheet(&name)
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
) -> Result<Vec<Grid>, ReadError> {
    let mut out = Vec::new();
    for name in visible_sheets(&workbook) {
        let fail = |e: XlsbError| from_xlsb(&e).in_sheet(&name);
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(fail)?;
        let declared = reader.dimensions();
        let cells = calamine_cells(|| reader.next_cell().map_err(fail));
        out.push(sparse_grid(&name, limits, declared, cells)?);
    }
    Ok(out)
}

/// Whether calamine refused a sheet for a cell whose shared-string index is past
/// the table. calamine has no error variant of its own for it, only this message
/// in a general one, so the message is compared (exactly: a changed wording in a
/// new calamine fails `a_damaged_shared_string_index_is_reported_alike_by_both_readers`).
fn is_missing_shared_string(e: &XlsxError) -> bool {
    matches!(
        e,
        XlsxError::Unexpected("Cell string index not found in shared strings table")
    )
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

/// A calamine cell reader's cells as positions and our values. Cells showing the
/// same entry of the shared-string table share one copy of its text.
fn calamine_cells<'a>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, ReadError>,
) -> impl FnMut() -> Result<Option<PlacedCell>, ReadError> {
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

/// A workbook opened by calamine; `describe` puts its error in the user's words.
fn open<R, RS>(rs: RS, describe: fn(&R::Error) -> ReadError) -> Result<R, ReadError>
where
    RS: Read + Seek,
    R: Reader<RS>,
{
    open_workbook_from_rs::<R, RS>(rs).map_err(|e| describe(&e))
}

/// Sheets of formats calamine reads whole (xls, whose size the format bounds, and
/// ods): refused past the cell limit before they are copied.
fn grids<RS, R>(
    mut workbook: R,
    limits: &Limits,
    describe: fn(&R::Error) -> ReadError,
) -> Result<Vec<Grid>, ReadError>
where
    RS: Read + Seek,
    R: Reader<RS>,
{
    let visible = visible_sheets(&workbook);
    let mut out = Vec::with_capacity(visible.len());
    for name in visible {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| describe(&e).in_sheet(&name))?;
        let (height, width) = range.get_size();
        if height.saturating_mul(width) > limits.max_cells {
            return Err(TooLarge::SheetRange {
                sheet: name,
                rows: height,
                cols: width,
                limit: limits.max_cells,
            }
            .into());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::layout::RowLayout;
    use calamine::Dimensions;

    /// Lay out `cells` as if a workbook's cell reader gave them in this order.
    fn lay_out(cells: &[((u32, u32), &str)], max_cells: usize) -> Result<Grid, ReadError> {
        lay_out_declared(cells, max_cells, Dimensions::default())
    }

    /// [`lay_out`] for a sheet that declares its size as `declared`.
    fn lay_out_declared(
        cells: &[((u32, u32), &str)],
        max_cells: usize,
        declared: Dimensions,
    ) -> Result<Grid, ReadError> {
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
        assert!(err.to_string().contains("more than 10 cells"), "{err}");
        assert_eq!(
            err,
            ReadError::TooLarge(TooLarge::SheetCells {
                sheet: "S".into(),
                limit: 10
            })
        );
        let backwards = [((1, 9), "b"), ((0, 0), "a")];
        assert!(lay_out(&backwards, 10).is_err());
        assert!(lay_out(&backwards, 11).is_ok());
    }
}
