//! Reading the data rows of a located table, one cell at a time, with every problem
//! reported at its cell. Shared by every table reader.

use crate::diag::{Diagnostic, Location, Severity};
use crate::ingest::{Cell, Grid};
use crate::model::{OdsCode, Origin, SharedText};
use crate::money::Money;
use crate::normalise::header::HeaderMatch;
use crate::normalise::suppliers::{SupplierLookup, SupplierName};
use crate::normalise::values::{
    cell_text_ref, has_text, parse_date_cell, parse_money, parse_ods_code,
};
use crate::schema::Field;
use chrono::NaiveDate;
use std::borrow::Cow;

/// Read every data row of a table with `read`, keeping what it gives: the row loop
/// each table reader shares. Data rows are the rows below the header with a value
/// in a matched column (blank rows are passed over), in sheet order, each read
/// through a [`RowReader`] whose origin names `file` and the grid's sheet.
pub fn read_rows<T>(
    grid: &Grid,
    header: &HeaderMatch,
    file: &str,
    diags: &mut Vec<Diagnostic>,
    mut read: impl FnMut(&mut RowReader<'_>) -> Option<T>,
) -> Vec<T> {
    let sheet_origin = Origin::of_sheet(file, grid);
    // Sized once: a systems sheet can hold tens of thousands of rows.
    let mut out = Vec::with_capacity(grid.height().saturating_sub(header.row + 1));
    let header_width = grid
        .row(header.row)
        .iter()
        .rposition(has_text)
        .map_or(0, |last| last + 1);
    let is_csv = grid.sheet.is_none();
    for row in data_rows(grid, header) {
        if is_csv {
            warn_fields_past_header(grid, row, header_width, file, diags);
        }
        let mut reader = RowReader {
            grid,
            header,
            row,
            sheet_origin: &sheet_origin,
            diags,
        };
        out.extend(read(&mut reader));
    }
    out
}

/// A CSV line with values past the header's last column has more fields than the
/// header: most often a value with an unquoted comma (`£200,000` read as `£200` and
/// `000`), so the values it shifted are wrong. A warning at the first such field; the
/// values under the header are read as they are. (Cells right of a workbook's table
/// are usually comments, and are not reported.)
fn warn_fields_past_header(
    grid: &Grid,
    row: usize,
    header_width: usize,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let cells = grid.row(row);
    let Some(extra) = cells.iter().skip(header_width).position(has_text) else {
        return;
    };
    let fields = cells.iter().rposition(has_text).map_or(0, |last| last + 1);
    diags.push(Diagnostic::at(
        Severity::Warning,
        &grid.location(file, Some((row, header_width + extra))),
        format!(
            "line has {fields} fields, the header {header_width}: an unquoted comma in a value (such as £200,000) splits it and shifts the fields after it, so check this line; fields past the header are not read"
        ),
    ));
}

/// Indexes of the rows below the header that have a value in a matched column
/// (blank rows are not data).
pub fn data_rows<'a>(grid: &'a Grid, header: &'a HeaderMatch) -> impl Iterator<Item = usize> + 'a {
    (header.row + 1..grid.height()).filter(move |&row| {
        header
            .columns
            .values()
            .any(|c| has_text(grid.get(row, c.index)))
    })
}

/// Reads the cells of one row, reporting problems at their cell.
pub struct RowReader<'a> {
    /// The sheet.
    pub grid: &'a Grid,
    /// Its header.
    pub header: &'a HeaderMatch,
    /// Zero-based row index into the grid.
    pub row: usize,
    /// The file and sheet every row of this sheet comes from ([`Origin::of_sheet`]),
    /// also named in messages.
    pub sheet_origin: &'a Origin,
    /// Where problems go.
    pub diags: &'a mut Vec<Diagnostic>,
}

impl<'a> RowReader<'a> {
    /// The place of this row's cell for a field.
    pub fn location(&self, field: Field) -> Location {
        let col = self.header.index(field).unwrap_or(0);
        self.grid
            .location(&self.sheet_origin.source, Some((self.row, col)))
    }

    /// Report a warning at this row's cell for a field.
    pub fn warn(&mut self, field: Field, message: String) {
        let loc = self.location(field);
        self.diags
            .push(Diagnostic::at(Severity::Warning, &loc, message));
    }

    /// The cleaned text of this row's cell for a field.
    pub fn text(&self, field: Field) -> Option<String> {
        self.text_ref(field).map(Cow::into_owned)
    }

    /// [`RowReader::text`] borrowed from the sheet where the cell is already clean,
    /// for a cell that is only looked up.
    pub fn text_ref(&self, field: Field) -> Option<Cow<'a, str>> {
        let grid: &'a Grid = self.grid;
        self.header
            .index(field)
            .and_then(|col| cell_text_ref(grid.get(self.row, col)))
    }

    /// A date cell, with a warning for text that is not a date.
    pub fn date(&mut self, field: Field) -> Option<NaiveDate> {
        let col = self.header.index(field)?;
        match parse_date_cell(self.grid.get(self.row, col)) {
            Ok(date) => date,
            Err(text) => {
                self.warn(
                    field,
                    format!("{field}: unrecognised date \"{text}\": treated as missing"),
                );
                None
            }
        }
    }

    /// A cell through a parser, with a warning naming what was expected.
    pub fn parsed<T>(
        &mut self,
        field: Field,
        parse: impl Fn(&Cell) -> Result<Option<T>, String>,
        what: &str,
    ) -> Option<T> {
        let col = self.header.index(field)?;
        match parse(self.grid.get(self.row, col)) {
            Ok(value) => value,
            Err(text) => {
                self.warn(
                    field,
                    format!("{field}: \"{text}\" is not {what}: treated as missing"),
                );
                None
            }
        }
    }
}

impl RowReader<'_> {
    /// The row's ODS code, upper-cased; a malformed code is kept (it still identifies
    /// the row) with a warning, a blank one is a warning.
    pub fn ods_code(&mut self) -> Option<OdsCode> {
        let code = self.ods_code_if_given();
        if code.is_none() {
            self.warn(
                Field::OdsCode,
                "ODS code is blank: the row is kept, matched to no other row".into(),
            );
        }
        code
    }

    /// The row's ODS code where a blank code is allowed (an ICS-wide funding line).
    pub fn ods_code_if_given(&mut self) -> Option<OdsCode> {
        match self.text_ref(Field::OdsCode).as_deref().map(parse_ods_code) {
            Some(Ok(code)) => code,
            Some(Err(code)) => {
                self.warn(
                    Field::OdsCode,
                    format!(
                        "ODS code \"{code}\" is not 3 to 5 letters and digits: kept as written"
                    ),
                );
                Some(code)
            }
            None => None,
        }
    }

    /// An amount of money, scaled by its column's unit (SPEC 1.5).
    pub fn money(&mut self, field: Field) -> Option<Money> {
        let column = self.header.columns.get(&field)?;
        let unit = column.unit.clone();
        self.parsed(
            field,
            |cell| parse_money(cell, unit.as_deref()),
            "an amount of money",
        )
    }

    /// The supplier cell canonicalised, and the product: the product column if it has
    /// one, else a product named inside the supplier cell ("System C Medway").
    /// An unknown supplier is kept as written, with a warning.
    pub fn supplier_and_product(
        &mut self,
        suppliers: &mut SupplierLookup<'_>,
    ) -> (Option<SupplierName>, Option<SharedText>) {
        let cell = self.text_ref(Field::Supplier);
        let product = self
            .text_ref(Field::Product)
            .map(|p| suppliers.product(&p))
            .or_else(|| {
                cell.as_deref()
                    .and_then(|s| suppliers.product_in_supplier_cell(s))
            });
        let supplier = self.supplier(Field::Supplier, cell.as_deref(), suppliers);
        (supplier, product)
    }

    /// A supplier cell's text canonicalised; an unknown supplier is a warning (it is
    /// kept as written, so that a misspelling shows instead of hiding an EPR).
    pub fn supplier(
        &mut self,
        field: Field,
        text: Option<&str>,
        suppliers: &mut SupplierLookup<'_>,
    ) -> Option<SupplierName> {
        let name = suppliers.supplier(text?);
        if let SupplierName::Unknown(kept) = &name {
            self.warn(
                field,
                format!("unknown supplier \"{kept}\": kept as written (add an alias in eprscan.toml if it is a known supplier)"),
            );
        }
        Some(name)
    }

    /// Where this row is.
    pub fn origin(&self) -> Origin {
        let col = self.header.index(Field::OdsCode).unwrap_or(0);
        Origin {
            row: self.grid.row_number(self.row),
            column: self.grid.origin.1 + col as u32,
            ..self.sheet_origin.clone()
        }
    }
}
