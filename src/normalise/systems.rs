//! The `systems` table (SPEC 1.4): systems in use at each provider.

use crate::diag::Diagnostic;
use crate::ingest::Grid;
use crate::model::System;
use crate::normalise::header::HeaderMatch;
use crate::normalise::rows::{data_rows, RowReader};
use crate::normalise::suppliers::SupplierTable;
use crate::schema::{Field, Scope};

/// Read every systems row below the header. An unrecognised scope is a warning and
/// counts as "Other" (not as a core EPR), so that it is not mistaken for the EPR.
pub fn read_systems(
    grid: &Grid,
    header: &HeaderMatch,
    suppliers: &SupplierTable,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<System> {
    data_rows(grid, header)
        .map(|row| {
            let mut r = RowReader {
                grid,
                header,
                row,
                file,
                diags,
            };
            let scope = r.text(Field::Scope).map(|text| {
                Scope::parse(&text).unwrap_or_else(|| {
                    r.warn(
                        Field::Scope,
                        format!("unrecognised system scope \"{text}\": counted as Other"),
                    );
                    Scope::Other
                })
            });
            let supplier_cell = r.text(Field::Supplier);
            System {
                ods_code: r.ods_code(),
                supplier: supplier_cell
                    .as_deref()
                    .and_then(|s| suppliers.supplier(s).canonical()),
                product: r
                    .text(Field::Product)
                    .map(|p| suppliers.product(&p).0)
                    .or_else(|| {
                        supplier_cell
                            .as_deref()
                            .and_then(|s| suppliers.product_in_supplier_cell(s))
                    }),
                scope,
                go_live: r.date(Field::GoLive),
                contract_expiry: r.date(Field::ContractExpiry),
                origin: r.origin(),
            }
        })
        .collect()
}
