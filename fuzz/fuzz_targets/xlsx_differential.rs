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

use eprscan::ingest::differential::compare_xlsx_readers;
use eprscan::ingest::Limits;
use libfuzzer_sys::fuzz_target;
use std::sync::Once;

/// Let panics raised inside calamine unwind to the reader guard, as they do for
/// users (they count as calamine refusing the file); any other panic is a crash.
fn tolerate_calamine_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let libfuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                libfuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    tolerate_calamine_panics();
    let limits = Limits {
        max_cells: 200_000,
        max_unzipped_bytes: 16_000_000,
    };
    if let Err(difference) = compare_xlsx_readers(data, &limits) {
        panic!("the readers differ: {difference}");
    }
});
