//! What the fuzz targets share: the bounds they read with, and the panic hook that
//! lets a panic inside calamine count as calamine refusing the file.

use eprscan::ingest::Limits;
use std::sync::Once;

/// Small bounds, so that one input never takes long or much memory.
pub fn limits() -> Limits {
    Limits {
        max_cells: 200_000,
        max_unzipped_bytes: 16_000_000,
    }
}

/// Let panics raised inside calamine unwind to `catch_reader_panic`, as they do for
/// users; any other panic still goes to libFuzzer's hook and is a crash.
pub fn tolerate_calamine_panics() {
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
