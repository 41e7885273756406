//! The calamine-only floor of the benchmark (issue 8): the time to just read every
//! sheet of every workbook in a folder with calamine, files in parallel (rayon, as
//! eprscan does), and nothing else. Prints the files, sheets and non-empty cells read
//! on stderr, and the elapsed seconds on stdout.
//!
//! Usage: `cargo run --release --example floor -- DIR [--cells]`: by default each
//! sheet is read whole (`worksheet_range`, what polars' calamine engine does);
//! `--cells` streams cells instead (`worksheet_cells_reader`, what eprscan does).

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

fn main() -> Result<()> {
    let mut dir = None;
    let mut cells_mode = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--cells" => cells_mode = true,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let dir = dir.ok_or("usage: floor DIR [--cells]")?;
    let started = Instant::now();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    let counts = files
        .par_iter()
        .map(|path| {
            if cells_mode {
                read_cells(path)
            } else {
                read_ranges(path)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let elapsed = started.elapsed().as_secs_f64();
    let sheets: usize = counts.iter().map(|c| c.0).sum();
    let cells: usize = counts.iter().map(|c| c.1).sum();
    eprintln!(
        "floor: {} files, {sheets} sheets, {cells} non-empty cells ({})",
        files.len(),
        if cells_mode {
            "cell reader"
        } else {
            "whole ranges"
        }
    );
    println!("{elapsed:.4}");
    Ok(())
}
