//! Reading the workbooks eprscan writes (report, diff, template, `-o FILE.xlsx`) back
//! in tests: cells through calamine, package parts (charts, data validations,
//! styles) through zip. Shared by test_report, test_diff and test_template.
#![allow(dead_code)]

use calamine::{open_workbook, Data, Range, Reader, SheetVisible, Xlsx};
use std::io::{BufReader, Read};
use std::path::Path;

/// An opened workbook.
pub type Book = Xlsx<BufReader<std::fs::File>>;

/// Open an xlsx file with calamine.
pub fn open(path: &Path) -> Book {
    open_workbook(path).unwrap_or_else(|e| panic!("opening {}: {e}", path.display()))
}

/// The sheet names, in order.
pub fn sheet_names(path: &Path) -> Vec<String> {
    open(path).sheet_names().to_vec()
}

/// Names of the sheets that are not visible.
pub fn hidden_sheets(path: &Path) -> Vec<String> {
    open(path)
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect()
}

/// One sheet's cells, addressed from A1 (calamine ranges start at the first used cell).
pub struct Grid {
    range: Range<Data>,
}

impl Grid {
    /// The cell at a zero-based (row, column) from A1; `Data::Empty` outside the range.
    pub fn at(&self, row: u32, col: u32) -> Data {
        self.range
            .get_value((row, col))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    /// The cell at an A1 reference such as `B3`.
    pub fn cell(&self, a1: &str) -> Data {
        let (row, col) = parse_a1(a1);
        self.at(row, col)
    }

    /// The text of a row from column A up to the last non-empty cell.
    pub fn row_text(&self, row: u32) -> Vec<String> {
        let width = self.range.end().map_or(0, |(_, c)| c + 1);
        let mut cells: Vec<String> = (0..width).map(|c| text(&self.at(row, c))).collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        cells
    }

    /// Zero-based index of the first row whose column A holds `label`.
    pub fn find_row(&self, label: &str) -> u32 {
        let height = self.range.end().map_or(0, |(r, _)| r + 1);
        (0..height)
            .find(|&r| text(&self.at(r, 0)) == label)
            .unwrap_or_else(|| panic!("no row labelled {label:?} in column A"))
    }

    /// Rows used (from row 1).
    pub fn height(&self) -> u32 {
        self.range.end().map_or(0, |(r, _)| r + 1)
    }
}

/// A cell as text: strings as they are, numbers as Rust prints them, booleans as
/// `true`/`false`, empty as "".
pub fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map_or_else(|| d.to_string(), |dt| dt.date().to_string()),
        other => other.to_string(),
    }
}

/// A numeric cell's value (panics on anything else).
pub fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("{other:?} is not a number"),
    }
}

fn parse_a1(a1: &str) -> (u32, u32) {
    let split = a1
        .find(|c: char| c.is_ascii_digit())
        .expect("an A1 reference");
    let (letters, digits) = a1.split_at(split);
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1))
        - 1;
    let row: u32 = digits.parse().expect("a row number");
    (row - 1, col)
}

/// A worksheet's cells.
pub fn grid(path: &Path, sheet: &str) -> Grid {
    let mut book = open(path);
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("sheet {sheet:?} of {}: {e}", path.display()));
    // Re-base on A1 so that addresses are absolute.
    let start = range.start().unwrap_or((0, 0));
    let end = range.end().unwrap_or((0, 0));
    let mut absolute = Range::new((0, 0), end);
    for (row, col, value) in range.used_cells() {
        absolute.set_value((row as u32 + start.0, col as u32 + start.1), value.clone());
    }
    Grid { range: absolute }
}

/// The Excel tables (worksheet tables) of a sheet, as (name, column headers).
pub fn tables_in_sheet(path: &Path, sheet: &str) -> Vec<(String, Vec<String>)> {
    let mut book = open(path);
    book.load_tables().expect("tables load");
    let names: Vec<String> = book
        .table_names_in_sheet(sheet)
        .into_iter()
        .cloned()
        .collect();
    names
        .into_iter()
        .map(|name| {
            let table = book.table_by_name(&name).expect("a table");
            (name, table.columns().to_vec())
        })
        .collect()
}

/// The names of the parts of the xlsx package (zip entries).
pub fn parts(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).expect("the workbook opens");
    let archive = zip::ZipArchive::new(file).expect("an xlsx is a zip");
    archive
        .file_names()
        .map(|name| name.expect("a readable entry name").to_string())
        .collect()
}

/// One part of the package as text (`xl/charts/chart1.xml`).
pub fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("the workbook opens");
    let mut archive = zip::ZipArchive::new(file).expect("an xlsx is a zip");
    let mut entry = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("no part {name} in {}: {e}", path.display()));
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("a UTF-8 part");
    text
}

/// The worksheet part of a sheet (`xl/worksheets/sheetN.xml`), by the sheet's
/// position (eprscan writes sheet N as sheetN.xml).
pub fn sheet_part(path: &Path, sheet: &str) -> String {
    let index = sheet_names(path)
        .iter()
        .position(|s| s == sheet)
        .unwrap_or_else(|| panic!("no sheet {sheet:?}"));
    part(path, &format!("xl/worksheets/sheet{}.xml", index + 1))
}
