//! The calamine-only floor of the benchmark (issue 8): the time to just read every
//! sheet of every workbook in a folder with calamine, files in parallel (rayon, as
//! eprscan does), and nothing else. Prints the files, sheets and non-empty cells read
//! on stderr, and the elapsed seconds on stdout.
//!
//! Usage: `cargo run --release --example floor -- DIR [--cells | --inflate | --tokenize]`:
//! by default each sheet is read whole by calamine (`worksheet_range`, what polars'
//! calamine engine does); `--cells` streams calamine's cells instead
//! (`worksheet_cells_reader`). The two lower floors of issue 23 measure the bytes
//! themselves: `--inflate` only inflates every worksheet part and the shared-string
//! table into memory, and `--tokenize` also runs quick-xml over each, borrowing the
//! inflated buffer (`Reader::from_reader(&buf[..])`, no copies), as eprscan's own
//! xlsx reader does, and counts the `<c>` elements.

use calamine::{open_workbook_auto, Data, DataRef, Reader, Xlsx};
use rayon::prelude::*;
use std::error::Error;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// (sheets, non-empty cells) of one workbook, read whole.
fn read_ranges(path: &Path) -> Result<(usize, usize)> {
    let mut workbook = open_workbook_auto(path)?;
    let mut cells = 0;
    let names = workbook.sheet_names();
    for name in &names {
        let range = workbook.worksheet_range(name)?;
        cells += range
            .used_cells()
            .filter(|(_, _, c)| **c != Data::Empty)
            .count();
    }
    Ok((names.len(), cells))
}

/// (sheets, non-empty cells) of one xlsx workbook, streamed cell by cell.
fn read_cells(path: &Path) -> Result<(usize, usize)> {
    let mut workbook: Xlsx<BufReader<File>> = calamine::open_workbook(path)?;
    let mut cells = 0;
    let names = workbook.sheet_names();
    for name in &names {
        let mut reader = workbook.worksheet_cells_reader(name)?;
        while let Some(cell) = reader.next_cell()? {
            if !matches!(cell.get_value(), DataRef::Empty) {
                cells += 1;
            }
        }
    }
    Ok((names.len(), cells))
}

/// The parts eprscan's reader tokenizes that hold the data: worksheets and the
/// shared-string table.
fn is_data_part(name: &str) -> bool {
    name.starts_with("xl/worksheets/") && name.ends_with(".xml") || name == "xl/sharedStrings.xml"
}

/// (parts, cells) of one package: every data part inflated, and with `tokenize`
/// also read as XML events (the cells counted are the `<c>` start tags).
fn inflate(path: &Path, tokenize: bool) -> Result<(usize, usize)> {
    use quick_xml::events::Event;
    use std::io::Read;
    let bytes = std::fs::read(path)?;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))?;
    let (mut parts, mut cells) = (0, 0);
    let mut buf = Vec::new();
    for index in 0..archive.len() {
        let mut part = archive.by_index(index)?;
        if !is_data_part(part.name()?.as_ref()) {
            continue;
        }
        buf.clear();
        part.read_to_end(&mut buf)?;
        parts += 1;
        if tokenize {
            let mut reader = quick_xml::Reader::from_reader(&buf[..]);
            reader.config_mut().expand_empty_elements = true;
            loop {
                match reader.read_event()? {
                    Event::Start(e) if e.local_name().as_ref() == "c" => cells += 1,
                    Event::Eof => break,
                    _ => {}
                }
            }
        }
    }
    Ok((parts, cells))
}

/// The floors this example can measure.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Ranges,
    Cells,
    Inflate,
    Tokenize,
}

fn main() -> Result<()> {
    let mut dir = None;
    let mut mode = Mode::Ranges;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--cells" => mode = Mode::Cells,
            "--inflate" => mode = Mode::Inflate,
            "--tokenize" => mode = Mode::Tokenize,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let dir = dir.ok_or("usage: floor DIR [--cells | --inflate | --tokenize]")?;
    let started = Instant::now();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    let counts = files
        .par_iter()
        .map(|path| match mode {
            Mode::Ranges => read_ranges(path),
            Mode::Cells => read_cells(path),
            Mode::Inflate => inflate(path, false),
            Mode::Tokenize => inflate(path, true),
        })
        .collect::<Result<Vec<_>>>()?;
    let elapsed = started.elapsed().as_secs_f64();
    let sheets: usize = counts.iter().map(|c| c.0).sum();
    let cells: usize = counts.iter().map(|c| c.1).sum();
    let what = match mode {
        Mode::Ranges => "non-empty cells (calamine, whole ranges)",
        Mode::Cells => "non-empty cells (calamine, cell reader)",
        Mode::Inflate => "(data parts inflated only)",
        Mode::Tokenize => "<c> elements (data parts inflated and tokenized by quick-xml)",
    };
    eprintln!(
        "floor: {} files, {sheets} sheets or parts, {cells} {what}",
        files.len()
    );
    println!("{elapsed:.4}");
    Ok(())
}
