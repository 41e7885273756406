//! The column catalogue: every table's columns, with what each means and how to read
//! it from a row.

use crate::diag::{Diagnostic, Severity};
use crate::model::{Dataset, FieldRef, FieldValue, FundingLine, Origin, Provider, Return, System};
use crate::schema::{Field, FieldKind};
use chrono::NaiveDate;
use std::collections::HashMap;

/// How to read one column's value from a row of type `R`.
pub(super) enum Getter<R> {
    /// Yes / no (`bool`).
    Bool(fn(&R) -> Option<bool>),
    /// Text (`str`).
    Text(fn(&R) -> Option<&str>),
    /// An integer (`i64`).
    Int(fn(&R) -> Option<i64>),
    /// A date (`date`).
    Date(fn(&R) -> Option<NaiveDate>),
    /// A field's value, of the field's kind (`str`, `date`, `f64` pounds or `i64`).
    AsKind(FieldKind, fn(&R) -> Option<FieldRef<'_>>),
}

/// One column of a table.
pub(super) struct ColumnDef<R> {
    pub(super) name: &'static str,
    pub(super) description: &'static str,
    pub(super) get: Getter<R>,
}

fn column<R>(name: &'static str, description: &'static str, get: Getter<R>) -> ColumnDef<R> {
    ColumnDef {
        name,
        description,
        get,
    }
}

/// A field column, named by [`Field::name`].
fn field<R>(field: Field, description: &'static str, get: Getter<R>) -> ColumnDef<R> {
    column(field.name(), description, get)
}

/// Rows that remember where they were read.
trait Provenance {
    fn origin(&self) -> &Origin;
}

impl Provenance for Provider {
    fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl Provenance for System {
    fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl Provenance for FundingLine {
    fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// The `source`, `sheet` and `row` columns every row table ends with.
fn provenance_columns<R: Provenance>() -> [ColumnDef<R>; 3] {
    [
        column(
            "source",
            "the file the row was read from",
            Getter::Text(|r: &R| Some(&*r.origin().source)),
        ),
        column(
            "sheet",
            "the worksheet it was read from (null for CSV)",
            Getter::Text(|r: &R| r.origin().sheet.as_deref()),
        ),
        column(
            "row",
            "its row number in the sheet (1-based; for CSV the line)",
            Getter::Int(|r: &R| Some(i64::from(r.origin().row))),
        ),
    ]
}

/// The columns of a table declaration's fields (`schema::providers_table!` ...), in
/// order, for rows of type `$row`: each named by [`Field::name`], described by its
/// entry, typed by [`Field::kind`].
macro_rules! field_columns {
    ($row:ident [$($(#[$doc:meta])* $variant:ident => $member:ident: Option<$ty:ty>, $desc:literal;)+]) => {
        vec![$(
            field(
                Field::$variant,
                $desc,
                Getter::AsKind(Field::$variant.kind(), |r: &$row| {
                    r.$member.as_ref().map(FieldValue::field_ref)
                }),
            ),
        )+]
    };
}

pub(super) fn provider_columns() -> Vec<ColumnDef<Provider>> {
    let mut columns = crate::schema::providers_table!(field_columns! Provider);
    columns.push(column(
        "is_trust",
        "whether it is an NHS trust, the population coverage counts (blank sector counts as one)",
        Getter::Bool(|p: &Provider| Some(p.is_nhs_trust())),
    ));
    columns.extend(provenance_columns());
    columns
}

pub(super) fn system_columns() -> Vec<ColumnDef<System>> {
    let mut columns = crate::schema::systems_table!(field_columns! System);
    columns.extend(provenance_columns());
    columns
}

pub(super) fn funding_columns() -> Vec<ColumnDef<FundingLine>> {
    use Getter::*;
    let mut columns = crate::schema::funding_table!(field_columns! FundingLine);
    columns.extend([
        column(
            "return_ics_code",
            "ICB code of the return the line is in (where an ICS-wide line counts)",
            Text(|f: &FundingLine| f.return_ics_code.as_deref()),
        ),
        column(
            "return_ics_name",
            "ICS name of the return the line is in",
            Text(|f: &FundingLine| f.return_ics_name.as_deref()),
        ),
        column(
            "return_region",
            "NHS region of the return the line is in",
            Text(|f: &FundingLine| f.return_region.as_deref()),
        ),
    ]);
    columns.extend(provenance_columns());
    columns
}

/// A file read, with what came from it.
pub(super) struct ReturnRow<'a> {
    file: &'a Return,
    systems_rows: i64,
    funding_lines: i64,
    warnings: i64,
    errors: i64,
}

pub(super) fn return_rows(dataset: &Dataset) -> Vec<ReturnRow<'_>> {
    /// How many items each file has.
    fn per_file<'a>(files: impl Iterator<Item = &'a str>) -> HashMap<&'a str, i64> {
        let mut counts = HashMap::new();
        for file in files {
            *counts.entry(file).or_insert(0) += 1;
        }
        counts
    }
    let systems = per_file(dataset.systems.iter().map(|s| &*s.origin.source));
    let funding = per_file(dataset.funding.iter().map(|f| &*f.origin.source));
    let with_severity = |severity: Severity| {
        per_file(
            dataset
                .diagnostics
                .iter()
                .filter(move |d| d.severity == severity)
                .map(|d| d.file.as_str()),
        )
    };
    let warnings = with_severity(Severity::Warning);
    let errors = with_severity(Severity::Error);
    let of = |counts: &HashMap<&str, i64>, file: &Return| {
        counts.get(file.source.as_str()).copied().unwrap_or(0)
    };
    dataset
        .returns
        .iter()
        .map(|file| ReturnRow {
            file,
            systems_rows: of(&systems, file),
            funding_lines: of(&funding, file),
            warnings: of(&warnings, file),
            errors: of(&errors, file),
        })
        .collect()
}

pub(super) fn return_columns<'a>() -> Vec<ColumnDef<ReturnRow<'a>>> {
    use Getter::*;
    vec![
        column(
            "source",
            "the file",
            Text(|r: &ReturnRow| Some(r.file.source.as_str())),
        ),
        column(
            "format",
            "its format: xlsx, xlsm, xlsb, xls, ods or csv",
            Text(|r: &ReturnRow| Some(r.file.format.as_str())),
        ),
        field(
            Field::IcsCode,
            "ICB code on the cover sheet",
            Text(|r: &ReturnRow| r.file.ics_code.as_deref()),
        ),
        field(
            Field::IcsName,
            "ICS name on the cover sheet",
            Text(|r: &ReturnRow| r.file.ics_name.as_deref()),
        ),
        field(
            Field::Region,
            "region on the cover sheet",
            Text(|r: &ReturnRow| r.file.region.as_deref()),
        ),
        column(
            "submitted",
            "submission date on the cover sheet",
            Date(|r: &ReturnRow| r.file.submitted),
        ),
        column(
            "provider_rows",
            "provider rows read from the file (before merging returns)",
            Int(|r: &ReturnRow| Some(i64::try_from(r.file.provider_rows).unwrap_or(i64::MAX))),
        ),
        column(
            "systems_rows",
            "systems rows read from the file",
            Int(|r: &ReturnRow| Some(r.systems_rows)),
        ),
        column(
            "funding_lines",
            "funding lines of the file that count (0 when a newer return for its ICS supersedes it)",
            Int(|r: &ReturnRow| Some(r.funding_lines)),
        ),
        column(
            "warnings",
            "warnings about the file",
            Int(|r: &ReturnRow| Some(r.warnings)),
        ),
        column(
            "errors",
            "errors about the file",
            Int(|r: &ReturnRow| Some(r.errors)),
        ),
    ]
}

pub(super) fn diagnostic_columns() -> Vec<ColumnDef<Diagnostic>> {
    use Getter::*;
    vec![
        column(
            "file",
            "the file the problem is in",
            Text(|d: &Diagnostic| Some(d.file.as_str())),
        ),
        column(
            "sheet",
            "the worksheet (null for a whole file or a CSV)",
            Text(|d: &Diagnostic| d.sheet.as_deref()),
        ),
        column(
            "cell",
            "the A1 cell reference (null for a whole sheet or file)",
            Text(|d: &Diagnostic| d.cell.as_deref()),
        ),
        column(
            "severity",
            "error, warning or note",
            Text(|d: &Diagnostic| Some(d.severity.name())),
        ),
        column(
            "message",
            "what is wrong",
            Text(|d: &Diagnostic| Some(d.message.as_str())),
        ),
    ]
}
