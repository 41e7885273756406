//! Ingest: find the input files and read each into plain grids of cells, in parallel.
//! Nothing here knows what the tables mean; that is [`crate::normalise`].

mod calamine;
mod csv_file;
pub mod differential;
pub mod discover;
mod error;
mod layout;
mod read;
mod xlsx;

pub use csv_file::{csv_reader, decode_text};
pub use discover::{discover, InputFile, SUPPORTED_EXTENSIONS};
pub use error::{ActualFormat, ReadError, TooLarge};
pub use read::{read_bytes, read_bytes_with, read_file};

/// Which reader reads `.xlsx` and `.xlsm` sheets (calamine reads the other workbook
/// formats either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum XlsxReader {
    /// eprscan's own reader on zip and quick-xml (`ingest/xlsx.rs`): the default.
    #[default]
    Own,
    /// calamine, kept as the oracle the own reader is tested against.
    Calamine,
}

impl XlsxReader {
    /// The environment variable that picks calamine (`calamine`) for a whole run,
    /// so that a command's output can be compared across readers.
    pub const ENV: &'static str = "EPRSCAN_XLSX_READER";

    /// The reader [`XlsxReader::ENV`] names, else the default.
    pub fn from_env() -> XlsxReader {
        match std::env::var(Self::ENV).as_deref() {
            Ok("calamine") => XlsxReader::Calamine,
            _ => XlsxReader::Own,
        }
    }
}

use chrono::NaiveDate;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One cell's value, independent of the file format it came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// No value.
    #[default]
    Empty,
    /// Text as written. Shared: every cell of a sheet that shows the same entry of
    /// a workbook's shared-string table holds the same text (a systems sheet repeats
    /// its few suppliers, scopes and ODS codes thousands of times).
    Text(Arc<str>),
    /// A number (not formatted as a date).
    Number(f64),
    /// A cell formatted as a date (1900 or 1904 epoch resolved).
    Date(NaiveDate),
    /// TRUE / FALSE.
    Bool(bool),
    /// A formula error such as `#REF!`.
    Error(Arc<str>),
}

impl Cell {
    /// The cell as text, for header matching and text fields. Numbers that are whole
    /// print without a decimal point (`5`, not `5.0`).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(s) => Some(s.to_string()),
            Cell::Number(n) => Some(format_number(*n)),
            Cell::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
            Cell::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
            Cell::Error(e) => Some(e.to_string()),
        }
    }
}

/// A whole number without a decimal point, other numbers as Rust prints them.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One worksheet (or a CSV file) as a grid of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    /// Sheet name; `None` for CSV.
    pub sheet: Option<String>,
    /// Absolute zero-based (row, column) of the grid's first cell: calamine ranges
    /// start at the first used cell, and cell references must count from A1.
    pub origin: (u32, u32),
    /// The cells, row after row (rows may differ in length), in one allocation per
    /// sheet rather than one per row: a national set has over a hundred thousand rows.
    cells: Vec<Cell>,
    /// Where each row starts in `cells`; a row ends where the next one starts.
    row_starts: Vec<usize>,
}

impl Grid {
    /// A grid of these rows (each as long as its last cell, or longer).
    pub fn from_rows<R>(sheet: Option<String>, origin: (u32, u32), rows: R) -> Grid
    where
        R: IntoIterator,
        R::Item: IntoIterator<Item = Cell>,
    {
        let mut grid = Grid {
            sheet,
            origin,
            cells: Vec::new(),
            row_starts: Vec::new(),
        };
        for row in rows {
            grid.row_starts.push(grid.cells.len());
            grid.cells.extend(row);
        }
        grid
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.row_starts.len()
    }

    /// The cells of a row given by zero-based index (empty past the last row).
    pub fn row(&self, row: usize) -> &[Cell] {
        let Some(&start) = self.row_starts.get(row) else {
            return &[];
        };
        let end = self
            .row_starts
            .get(row + 1)
            .copied()
            .unwrap_or(self.cells.len());
        &self.cells[start..end]
    }

    /// Every row, in order.
    pub fn rows(&self) -> impl Iterator<Item = &[Cell]> {
        (0..self.height()).map(|row| self.row(row))
    }

    /// The cell at a zero-based row and column index (empty outside the grid).
    pub fn get(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.row(row).get(col).unwrap_or(&EMPTY)
    }

    /// The A1 reference of a cell given by zero-based row and column index.
    pub fn cell_ref(&self, row: usize, col: usize) -> String {
        crate::diag::cell_ref(self.origin.0 + row as u32, self.origin.1 + col as u32)
    }

    /// The place of a cell given by zero-based index (or of the whole sheet), for
    /// messages about `file`.
    pub fn location(&self, file: &str, cell: Option<(usize, usize)>) -> crate::diag::Location {
        crate::diag::Location {
            file: file.to_string(),
            sheet: self.sheet.clone(),
            cell: cell.map(|(row, col)| self.cell_ref(row, col)),
        }
    }

    /// One-based sheet row number of a row index.
    pub fn row_number(&self, row: usize) -> u32 {
        self.origin.0 + row as u32 + 1
    }
}

/// A file read into grids: the visible sheets of a workbook, or one grid for a CSV.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// The file.
    pub input: InputFile,
    /// Visible sheets in workbook order (hidden and very hidden sheets are left out).
    pub sheets: Vec<Grid>,
    /// What reading had to decide (a CSV file's encoding or separator), told to the
    /// user as notes.
    pub notes: Vec<String>,
    /// File modification time.
    pub modified: Option<chrono::NaiveDateTime>,
}

/// A file's contents as read: its visible sheets, and what the reader had to decide
/// to read them (see [`Workbook::notes`]).
#[derive(Debug, Clone, Default)]
pub struct Contents {
    /// Visible sheets in workbook order, or the one grid of a CSV file.
    pub sheets: Vec<Grid>,
    /// Notes for the user about how the file was read.
    pub notes: Vec<String>,
}

/// Bounds on what one file may make eprscan hold, so that a hostile or broken file
/// is refused instead of exhausting the machine (SPEC 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most cells a sheet may hold or span (rows only as long as their last cell).
    pub max_cells: usize,
    /// Most bytes one part of a zip package (xlsx, ods) may unzip to.
    pub max_unzipped_bytes: u64,
}

impl Default for Limits {
    /// 10 million cells (about 320 MB at most; a national list of 25 000 providers
    /// is under a million) and 512 MB per zip part.
    fn default() -> Self {
        Limits {
            max_cells: 10_000_000,
            max_unzipped_bytes: 512_000_000,
        }
    }
}

/// Run a reader, turning a panic inside it (calamine panics on some malformed
/// files) into the file's error.
pub fn catch_reader_panic<T>(read: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|payload| {
        Err(ReadError::ReaderStopped {
            panic: crate::panics::message(&*payload),
        })
    })
}

/// Read every file in parallel and hand each result to `then` on the same worker,
/// keeping input order. A file that cannot be read gives its error instead;
/// a panic inside a reader becomes that file's error and never aborts the run. Panics
/// on the worker are kept off stderr while it reads and runs `then` (which catches
/// its own: see [`crate::panics`]).
/// Each workbook's grids are dropped as soon as `then` is done with them, so that
/// only a few workbooks are held at once, and whatever `then` does (normalising the
/// rows) runs in parallel too. `file_done` is called as each file finishes (for a
/// progress bar).
///
/// The largest files are started first, each worker taking the next file as it
/// finishes one: in name order, a large return that came last kept one worker busy
/// while the others had nothing left (measured: 6-12% of the run's time on the
/// synthetic national set with one ICS's return ten times the others').
pub fn read_all_then<T: Send>(
    inputs: &[InputFile],
    limits: &Limits,
    file_done: &(dyn Fn() + Sync),
    then: impl Fn(&InputFile, Result<Workbook, ReadError>) -> T + Sync,
) -> Vec<T> {
    let order = largest_first(inputs);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(inputs.len()));
    let work = || {
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let input = &inputs[i];
            // A caught panic is reported as the file's error; the hook would also
            // print it and a backtrace notice, which is noise for the user. The guard
            // puts the hook back however this closure ends.
            let _quiet = crate::panics::QuietPanics::enter();
            let result = catch_reader_panic(|| read_file(input, limits));
            file_done();
            let value = then(input, result);
            done.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((i, value));
        }
    };
    rayon::scope(|scope| {
        for _ in 0..rayon::current_num_threads().min(inputs.len()) {
            scope.spawn(|_| work());
        }
    });
    let mut done = done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, value)| value).collect()
}

/// Indexes of the inputs, largest file first (a file whose size cannot be read
/// last; its read says why), in input order among equals.
fn largest_first(inputs: &[InputFile]) -> Vec<usize> {
    let sizes: Vec<u64> = inputs
        .iter()
        .map(|input| std::fs::metadata(&input.path).map_or(0, |m| m.len()))
        .collect();
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(dir: &std::path::Path, name: &str, bytes: usize) -> InputFile {
        let path = dir.join(name);
        std::fs::write(&path, vec![b'x'; bytes]).expect("write");
        InputFile {
            path,
            display: name.to_string(),
            extension: "csv".to_string(),
        }
    }

    /// The largest file is started first; equal sizes keep input order, and a file
    /// that is not there (its read says why) comes last.
    #[test]
    fn files_are_started_largest_first() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut inputs = vec![
            input(dir.path(), "a.csv", 10),
            input(dir.path(), "b.csv", 300),
            input(dir.path(), "c.csv", 20),
            input(dir.path(), "d.csv", 300),
        ];
        inputs.insert(
            1,
            InputFile {
                path: dir.path().join("gone.csv"),
                display: "gone.csv".to_string(),
                extension: "csv".to_string(),
            },
        );
        assert_eq!(largest_first(&inputs), vec![2, 4, 3, 0, 1]);
    }

    /// Whatever order the workers take the files in, the results come back in input
    /// order, one for each file.
    #[test]
    fn results_keep_input_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sizes = [5, 900, 1, 40, 700, 3, 3, 250];
        let inputs: Vec<InputFile> = (sizes.iter().enumerate())
            .map(|(i, &n)| input(dir.path(), &format!("{i}.csv"), n))
            .collect();
        let names = read_all_then(&inputs, &Limits::default(), &|| {}, |input, _| {
            input.display.clone()
        });
        let expected: Vec<String> = (0..sizes.len()).map(|i| format!("{i}.csv")).collect();
        assert_eq!(names, expected);
    }
}
