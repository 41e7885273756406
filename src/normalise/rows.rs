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
use crate::schema::{Field, FieldKind};
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
    warn_layout(grid, header, file, diags);
    // The matched columns in sheet order, so that a row's warnings come left to right.
    let mut columns: Vec<(usize, Field)> =
        header.columns.iter().map(|(f, c)| (c.index, *f)).collect();
    columns.sort_unstable();
    for row in data_rows(grid, header) {
        if is_csv {
            warn_fields_past_header(grid, row, header_width, file, diags);
        }
        let cells = grid.row(row);
        warn_unfit_cells(grid, row, cells, &columns, file, diags);
        let mut reader = RowReader {
            grid,
            header,
            row,
            cells,
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

/// Whether a cell of this kind cannot hold a value of the field: a formula's error
/// value (`#DIV/0!`, `#N/A`, `#REF!`) and a TRUE/FALSE cell never can, and a date
/// cell only in a date column (or a financial year's). Such a cell is read as
/// missing, through [`RowReader::value`].
fn unfit(cell: &Cell, field: Field) -> bool {
    match cell {
        Cell::Error(_) | Cell::Bool(_) => true,
        Cell::Date(_) => !(field.kind() == FieldKind::Date || field == Field::FiscalYear),
        _ => false,
    }
}

/// A warning at each cell of a data row that cannot hold a value of its field (see
/// [`unfit`]), saying what it holds and that it is treated as missing.
fn warn_unfit_cells(
    grid: &Grid,
    row: usize,
    cells: &[Cell],
    columns: &[(usize, Field)],
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for &(col, field) in columns {
        let Some(cell) = cells.get(col) else {
            continue;
        };
        if !unfit(cell, field) {
            continue;
        }
        let what = match cell {
            Cell::Error(e) => format!("the formula's result is an error value ({e})"),
            Cell::Date(d) => format!(
                "a date cell ({}), not {}",
                d.format("%Y-%m-%d"),
                field.kind().expected()
            ),
            Cell::Bool(b) => format!(
                "a TRUE/FALSE cell ({}), not {}",
                if *b { "TRUE" } else { "FALSE" },
                field.kind().expected()
            ),
            _ => continue,
        };
        diags.push(Diagnostic::at(
            Severity::Warning,
            &grid.location(file, Some((row, col))),
            format!("{field}: {what}: treated as missing"),
        ));
    }
}

/// Indexes of the rows below the header that have a value in a matched column
/// (blank rows are not data, nor a repeat of the header).
pub fn data_rows<'a>(grid: &'a Grid, header: &'a HeaderMatch) -> impl Iterator<Item = usize> + 'a {
    let mut repeats = header.repeats.iter().map(|r| r.row).peekable();
    (header.row + 1..grid.height()).filter(move |&row| {
        // Repeats are in row order, as the rows are walked.
        if repeats.next_if(|&r| r <= row) == Some(row) {
            return false;
        }
        let cells = grid.row(row);
        (header.columns.values()).any(|c| cells.get(c.index).is_some_and(has_text))
    })
}

/// What the header's place in the sheet leaves out, said: a repeat of the header
/// below it is skipped (a note; a warning when it has columns the header lacks, whose
/// values are then not read), and rows above it that look like the table's data are
/// not read (a warning naming them).
fn warn_layout(grid: &Grid, header: &HeaderMatch, file: &str, diags: &mut Vec<Diagnostic>) {
    let header_row = grid.row_number(header.row);
    for repeat in &header.repeats {
        let (severity, message) = if repeat.differs.is_empty() {
            (
                Severity::Note,
                format!(
                    "the header row is repeated here: this row is skipped, and the rows below it are read under the header in row {header_row}"
                ),
            )
        } else {
            let columns: Vec<String> = (repeat.differs.iter())
                .map(|(col, text)| format!("{} (\"{text}\")", grid.cell_ref(repeat.row, *col)))
                .collect();
            (
                Severity::Warning,
                format!(
                    "the header row is repeated here with columns the header in row {header_row} does not have in these places: {}; this row is skipped, the rows below it are read under the header in row {header_row}, and the values under those columns are not read",
                    columns.join(", ")
                ),
            )
        };
        diags.push(Diagnostic::at(
            severity,
            &grid.location(file, Some((repeat.row, 0))),
            message,
        ));
    }
    if let Some(&first) = header.data_above.first() {
        let rows: Vec<String> = (header.data_above.iter())
            .map(|r| grid.row_number(*r).to_string())
            .collect();
        let col = header.index(Field::OdsCode).unwrap_or(0);
        diags.push(Diagnostic::at(
            Severity::Warning,
            &grid.location(file, Some((first, col))),
            format!(
                "{} above the header row {header_row} look like rows of this table (an ODS code in column {}): not read (row{} {}); move them under the header",
                crate::diag::plural(header.data_above.len(), "row"),
                crate::diag::column_letters(grid.origin.1 + col as u32),
                if rows.len() == 1 { "" } else { "s" },
                rows.join(", ")
            ),
        ));
    }
}

/// Reads the cells of one row, reporting problems at their cell.
pub struct RowReader<'a> {
    /// The sheet.
    pub grid: &'a Grid,
    /// Its header.
    pub header: &'a HeaderMatch,
    /// Zero-based row index into the grid.
    pub row: usize,
    /// The row's cells (`grid.row(row)`), looked up once for all its fields.
    pub cells: &'a [Cell],
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

    /// This row's cell for a field as a value: a cell that cannot hold one (a
    /// formula's error value; a TRUE/FALSE cell; a date outside a date column) is
    /// empty here, having been
    /// warned about when the row was read (see [`unfit`]).
    pub fn value(&self, field: Field) -> Option<&'a Cell> {
        static EMPTY: Cell = Cell::Empty;
        let cell = self.cells.get(self.header.index(field)?).unwrap_or(&EMPTY);
        Some(if unfit(cell, field) { &EMPTY } else { cell })
    }

    /// [`RowReader::text`] borrowed from the sheet where the cell is already clean,
    /// for a cell that is only looked up.
    pub fn text_ref(&self, field: Field) -> Option<Cow<'a, str>> {
        self.value(field).and_then(cell_text_ref)
    }

    /// A date cell, with a warning for text that is not a date or a date outside
    /// the years a return may name.
    pub fn date(&mut self, field: Field) -> Option<NaiveDate> {
        match parse_date_cell(self.value(field)?) {
            Ok(date) => date,
            Err(problem) => {
                self.warn(field, format!("{field}: {problem}"));
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
        match parse(self.value(field)?) {
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
