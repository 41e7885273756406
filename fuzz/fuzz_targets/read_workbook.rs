//! Arbitrary bytes through the workbook and CSV readers, as each format: they must
//! return a grid or an error, never hang or allocate without bound. A panic inside a
//! third-party reader is caught exactly as `ingest::read_all_then` catches it for users
//! (calamine 0.38 panics on some malformed .xls files); a panic in eprscan's own
//! code outside that guard still fails the run.
#![no_main]

use eprscan::ingest::{catch_reader_panic, read_bytes, Limits};
use libfuzzer_sys::fuzz_target;
use std::sync::Once;

const FORMATS: [&str; 6] = ["xlsx", "xlsb", "xls", "ods", "csv", "xlsm"];

/// Let panics raised inside calamine unwind to `catch_reader_panic`, as they do for
/// users; any other panic still goes to libFuzzer's hook and is a crash.
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
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let extension = FORMATS[usize::from(selector) % FORMATS.len()];
    let limits = Limits {
        max_cells: 200_000,
        max_unzipped_bytes: 16_000_000,
    };
    let _ = catch_reader_panic(|| read_bytes(bytes.to_vec(), extension, &limits));
});
