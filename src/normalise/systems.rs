//! The `systems` table (SPEC 1.4): systems in use at each provider.

use crate::diag::Diagnostic;
use crate::ingest::Grid;
use crate::model::System;
use crate::normalise::header::HeaderMatch;
use crate::normalise::rows::read_rows;
use crate::normalise::suppliers::{SupplierLookup, SupplierTable};
use crate::normalise::values::remembered;
use crate::schema::{Field, Scope};
use rustc_hash::FxHashMap;

/// Read every systems row below the header. An unrecognised scope is a warning and
/// counts as "Other" (not as a core EPR), so that it is not mistaken for the EPR.
pub fn read_systems(
    grid: &Grid,
    header: &HeaderMatch,
    suppliers: &SupplierTable,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<System> {
    let mut suppliers = SupplierLookup::new(suppliers);
    let mut scopes = FxHashMap::default();
    read_rows(grid, header, file, diags, |r| {
        let scope = r.text_ref(Field::Scope).map(|text| {
            remembered(&mut scopes, &*text, Scope::parse).unwrap_or_else(|| {
                r.warn(
                    Field::Scope,
                    format!("unrecognised system scope \"{text}\": counted as Other"),
                );
                Scope::Other
            })
        });
        let (supplier, product) = r.supplier_and_product(&mut suppliers);
        Some(System {
            ods_code: r.ods_code(),
            supplier: supplier.and_then(|s| s.canonical()),
            product,
            scope,
            go_live: r.date(Field::GoLive),
            contract_expiry: r.date(Field::ContractExpiry),
            origin: r.origin(),
        })
    })
}
