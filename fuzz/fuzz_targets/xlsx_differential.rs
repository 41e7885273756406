//! Arbitrary bytes read as an `.xlsx` by eprscan's own reader and by calamine (issue
//! 23): the run fails on any difference between them (grids, or one reading what the
//! other refuses) other than those the README documents
//! (`eprscan::ingest::differential`). Seed the corpus with the committed fixtures,
//! whose XML parts the fuzzer then mutates inside their zip packages:
//!
//! ```sh
//! mkdir -p corpus/xlsx_differential && cp ../fixtures/*.xlsx ../fixtures/*/*.xlsx corpus/xlsx_differential/
//! RUSTC_BOOTSTRAP=1 cargo fuzz run -O xlsx_differential corpus/xlsx_differential -- -max_total_time=600
//! ```
#![no_main]

#[path = "common.rs"]
mod common;

use common::{limits, tolerate_calamine_panics};
use eprscan::ingest::differential::compare_xlsx_readers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tolerate_calamine_panics();
    let limits = limits();
    if let Err(difference) = compare_xlsx_readers(data, &limits) {
        panic!("the readers differ: {difference}");
    }
});
