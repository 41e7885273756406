//! Arbitrary text through every cell-value parser and label normaliser.
#![no_main]

use eprscan::ingest::Cell;
use eprscan::normalise::suppliers::SupplierTable;
use eprscan::normalise::values::{
    parse_date, parse_emram, parse_epr_group, parse_money, parse_ods_code,
};
use eprscan::schema::{normalise_label, Scope, Sector, Status};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cell = Cell::Text(text.into());
    let _ = parse_date(text);
    let _ = parse_ods_code(text);
    let _ = parse_emram(&cell);
    let _ = parse_epr_group(&cell);
    for unit in [None, Some("£m"), Some("£000s"), Some(text)] {
        let _ = parse_money(&cell, unit);
    }
    let _ = normalise_label(text);
    let _ = Status::parse(text);
    let _ = Sector::parse(text);
    let _ = Scope::parse(text);
    let suppliers = SupplierTable::builtin();
    let _ = suppliers.supplier(text);
    let _ = suppliers.product(text);
    let _ = suppliers.product_in_supplier_cell(text);
});
