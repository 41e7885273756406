//! Arbitrary bytes through the workbook and CSV readers, as each format: they must
//! return a grid or an error, never hang or allocate without bound. A panic inside a
//! third-party reader is caught exactly as `ingest::read_all_then` catches it for users
//! (calamine 0.38 panics on some malformed .xls files); a panic in eprscan's own
//! code outside that guard still fails the run.
#![no_main]

#[path = "common.rs"]
mod common;

use common::{limits, tolerate_calamine_panics};
use eprscan::ingest::{catch_reader_panic, read_bytes};
use libfuzzer_sys::fuzz_target;

const FORMATS: [&str; 6] = ["xlsx", "xlsb", "xls", "ods", "csv", "xlsm"];

fuzz_target!(|data: &[u8]| {
    tolerate_calamine_panics();
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let extension = FORMATS[usize::from(selector) % FORMATS.len()];
    let limits = limits();
    let _ = catch_reader_panic(|| read_bytes(bytes.to_vec(), extension, &limits));
});
