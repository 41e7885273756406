//! Provider rows: from a located header to normalised [`Provider`] records (SPEC 1.4,
//! 1.5). Every bad cell is a warning at its cell and is treated as missing; the row
//! is kept.

use crate::diag::{Diagnostic, Location, Severity};
use crate::ingest::Grid;
use crate::model::{Origin, Provider};
use crate::normalise::cover::complete_ics;
use crate::normalise::header::HeaderMatch;
use crate::normalise::suppliers::{SupplierName, SupplierTable};
use crate::normalise::values::{
    cell_text, parse_date_cell, parse_emram, parse_epr_group, parse_ods_code,
};
use crate::schema::{canonical_region, Field, Sector, Status};
use chrono::NaiveDate;

/// Reads the cells of one row, reporting problems at their cell.
struct RowReader<'a> {
    grid: &'a Grid,
    header: &'a HeaderMatch,
    row: usize,
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl RowReader<'_> {
    fn location(&self, field: Field) -> Location {
        let col = self.header.index(field).unwrap_or(0);
        Location {
            file: self.file.to_string(),
            sheet: self.grid.sheet.clone(),
            cell: Some(self.grid.cell_ref(self.row, col)),
        }
    }

    fn warn(&mut self, field: Field, message: String) {
        let loc = self.location(field);
        self.diags
            .push(Diagnostic::at(Severity::Warning, &loc, message));
    }

    fn text(&self, field: Field) -> Option<String> {
        self.header
            .index(field)
            .and_then(|col| cell_text(self.grid.get(self.row, col)))
    }

    fn date(&mut self, field: Field) -> Option<NaiveDate> {
        let col = self.header.index(field)?;
        match parse_date_cell(self.grid.get(self.row, col)) {
            Ok(date) => date,
            Err(text) => {
                self.warn(field, format!("{field}: unrecognised date \"{text}\""));
                None
            }
        }
    }

    fn parsed<T>(
        &mut self,
        field: Field,
        parse: impl Fn(&crate::ingest::Cell) -> Result<Option<T>, String>,
        what: &str,
    ) -> Option<T> {
        let col = self.header.index(field)?;
        match parse(self.grid.get(self.row, col)) {
            Ok(value) => value,
            Err(text) => {
                self.warn(field, format!("{field}: \"{text}\" is not {what}"));
                None
            }
        }
    }
}

/// Read every provider row below the header. Blank rows are passed over; a row with
/// neither an ODS code nor a name is reported and not counted (it is a note or a
/// total line, not a provider).
pub fn read_providers(
    grid: &Grid,
    header: &HeaderMatch,
    suppliers: &SupplierTable,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Provider> {
    let mut out = Vec::new();
    for row in header.row + 1..grid.rows.len() {
        let any_value = header
            .columns
            .values()
            .any(|c| cell_text(grid.get(row, c.index)).is_some());
        if !any_value {
            continue;
        }
        let mut reader = RowReader {
            grid,
            header,
            row,
            file,
            diags,
        };
        if let Some(provider) = read_row(&mut reader, suppliers) {
            out.push(provider);
        }
    }
    out
}

fn read_row(r: &mut RowReader<'_>, suppliers: &SupplierTable) -> Option<Provider> {
    let raw_code = r.text(Field::OdsCode);
    let name = r.text(Field::Name);
    if raw_code.is_none() && name.is_none() {
        let loc = Location {
            file: r.file.to_string(),
            sheet: r.grid.sheet.clone(),
            cell: Some(r.grid.cell_ref(r.row, 0)),
        };
        r.diags.push(Diagnostic::at(
            Severity::Warning,
            &loc,
            format!(
                "row {} has values but no ODS code or organisation name: not counted as a provider",
                r.grid.row_number(r.row)
            ),
        ));
        return None;
    }
    let ods_code = match raw_code.as_deref().map(parse_ods_code) {
        Some(Ok(code)) => code,
        Some(Err(code)) => {
            r.warn(
                Field::OdsCode,
                format!("ODS code \"{code}\" is not 3 to 5 letters and digits"),
            );
            Some(code)
        }
        None => {
            r.warn(Field::OdsCode, "ODS code is blank".into());
            None
        }
    };

    let sector = r.text(Field::Sector).and_then(|text| {
        let parsed = Sector::parse(&text);
        if parsed.is_none() {
            r.warn(Field::Sector, format!("unrecognised sector \"{text}\""));
        }
        parsed
    });

    let supplier_cell = r.text(Field::Supplier);
    let supplier_name = supplier_cell.as_deref().map(|s| suppliers.supplier(s));
    let status = match r.header.index(Field::Status) {
        Some(_) => r.text(Field::Status).and_then(|text| {
            let parsed = Status::parse(&text);
            if parsed.is_none() {
                r.warn(Field::Status, format!("unrecognised EPR status \"{text}\""));
            }
            parsed
        }),
        // No status column: the supplier cell tells (SPEC 1.5).
        None => match &supplier_name {
            Some(SupplierName::NoEpr) => Some(Status::None),
            Some(_) => Some(Status::Live),
            None => {
                r.warn(
                    Field::Supplier,
                    "no status column and the supplier is blank: EPR status unknown".into(),
                );
                None
            }
        },
    };
    let product = r
        .text(Field::Product)
        .map(|p| suppliers.product(&p).0)
        .or_else(|| {
            supplier_cell
                .as_deref()
                .and_then(|s| suppliers.product_in_supplier_cell(s))
        });
    let target_supplier = r
        .text(Field::TargetSupplier)
        .and_then(|s| suppliers.supplier(&s).canonical());
    let target_product = r
        .text(Field::TargetProduct)
        .map(|p| suppliers.product(&p).0);

    let mut ics_code = r.text(Field::IcsCode).map(|c| c.to_uppercase());
    let mut ics_name = r.text(Field::IcsName);
    let mut region = r
        .text(Field::Region)
        .map(|t| canonical_region(&t).map_or(t, str::to_string));
    complete_ics(&mut ics_code, &mut ics_name, &mut region);

    Some(Provider {
        ods_code,
        name,
        sector,
        ics_code,
        ics_name,
        region,
        status,
        supplier: supplier_name.and_then(|s| s.canonical()),
        product,
        go_live: r.date(Field::GoLive),
        contract_expiry: r.date(Field::ContractExpiry),
        target_supplier,
        target_product,
        target_go_live: r.date(Field::TargetGoLive),
        journey: r.text(Field::Journey),
        emram_stage: r.parsed(Field::EmramStage, parse_emram, "an EMRAM stage (0 to 7)"),
        epr_group: r.parsed(Field::EprGroup, parse_epr_group, "an EPR group (0 to 3)"),
        origin: Origin {
            source: r.file.to_string(),
            sheet: r.grid.sheet.clone(),
            row: r.grid.row_number(r.row),
            cell: r.location(Field::OdsCode).cell.unwrap_or_default(),
        },
    })
}
