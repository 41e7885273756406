//! Arbitrary bytes through the workbook and CSV readers, as each format: they must
//! return a grid or an error, never panic, hang or allocate without bound.
#![no_main]

use eprscan::ingest::{read_bytes, Limits};
use libfuzzer_sys::fuzz_target;

const FORMATS: [&str; 6] = ["xlsx", "xlsb", "xls", "ods", "csv", "xlsm"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let extension = FORMATS[usize::from(selector) % FORMATS.len()];
    let limits = Limits {
        max_cells: 200_000,
        max_unzipped_bytes: 16_000_000,
    };
    let _ = read_bytes(bytes.to_vec(), extension, &limits);
});
