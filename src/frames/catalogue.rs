//! The column catalogue: every table's columns, with what each means and how to read
//! it from a row.

use crate::diag::{Diagnostic, Severity};
use crate::model::{Dataset, FundingLine, Origin, Provider, Return, System};
use crate::money::Money;
use crate::schema::Field;
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
    /// An amount of money, as pounds (`f64`).
    Money(fn(&R) -> Option<Money>),
    /// A date (`date`).
    Date(fn(&R) -> Option<NaiveDate>),
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

pub(super) fn provider_columns() -> Vec<ColumnDef<Provider>> {
    use Field::*;
    use Getter::*;
    let mut columns = vec![
        field(
            OdsCode,
            "ODS code, upper case",
            Text(|p: &Provider| p.ods_code.as_deref()),
        ),
        field(Name, "organisation name", Text(|p: &Provider| p.name.as_deref())),
        field(
            Sector,
            "acute, mental health, community, mental health and community, ambulance, primary care, social care or other",
            Text(|p: &Provider| p.sector.map(crate::schema::Sector::name)),
        ),
        field(IcsCode, "ICB code", Text(|p: &Provider| p.ics_code.as_deref())),
        field(IcsName, "ICS name", Text(|p: &Provider| p.ics_name.as_deref())),
        field(Region, "NHS region", Text(|p: &Provider| p.region.as_deref())),
        field(
            Status,
            "EPR status: live, implementing, procuring, planning or none",
            Text(|p: &Provider| p.status.map(crate::schema::Status::name)),
        ),
        field(
            Supplier,
            "canonical supplier of the primary EPR",
            Text(|p: &Provider| p.supplier.as_deref()),
        ),
        field(
            Product,
            "canonical product of the primary EPR",
            Text(|p: &Provider| p.product.as_deref()),
        ),
        field(
            GoLive,
            "go-live date as written: when the EPR went live, or the forecast (on a 2.x ladder status, the next EPR's)",
            Date(|p: &Provider| p.go_live),
        ),
        field(
            ContractExpiry,
            "contract expiry of the primary EPR",
            Date(|p: &Provider| p.contract_expiry),
        ),
        field(
            TargetSupplier,
            "supplier the provider plans to converge on",
            Text(|p: &Provider| p.target_supplier.as_deref()),
        ),
        field(
            TargetProduct,
            "product it plans to converge on",
            Text(|p: &Provider| p.target_product.as_deref()),
        ),
        field(
            TargetGoLive,
            "planned go-live of the target EPR",
            Date(|p: &Provider| p.target_go_live),
        ),
        field(
            Journey,
            "stage of journey / convergence approach, as written",
            Text(|p: &Provider| p.journey.as_deref()),
        ),
        field(
            EmramStage,
            "HIMSS EMRAM stage, 0-7",
            Int(|p: &Provider| p.emram_stage.map(i64::from)),
        ),
        field(
            EprGroup,
            "EPR group, 0-3",
            Int(|p: &Provider| p.epr_group.map(i64::from)),
        ),
        column(
            "is_trust",
            "whether it is an NHS trust, the population coverage counts (blank sector counts as one)",
            Bool(|p: &Provider| Some(p.is_nhs_trust())),
        ),
    ];
    columns.extend(provenance_columns());
    columns
}

pub(super) fn system_columns() -> Vec<ColumnDef<System>> {
    use Field::*;
    use Getter::*;
    let mut columns = vec![
        field(
            OdsCode,
            "ODS code of the provider using the system",
            Text(|s: &System| s.ods_code.as_deref()),
        ),
        field(
            Supplier,
            "canonical supplier",
            Text(|s: &System| s.supplier.as_deref()),
        ),
        field(
            Product,
            "canonical product",
            Text(|s: &System| s.product.as_deref()),
        ),
        field(
            Scope,
            "what it is for: Core EPR, PAS, Maternity, ED, Theatres, ePMA, Community, Mental health or Other",
            Text(|s: &System| s.scope.map(crate::schema::Scope::name)),
        ),
        field(GoLive, "go-live date", Date(|s: &System| s.go_live)),
        field(
            ContractExpiry,
            "contract expiry",
            Date(|s: &System| s.contract_expiry),
        ),
    ];
    columns.extend(provenance_columns());
    columns
}

pub(super) fn funding_columns() -> Vec<ColumnDef<FundingLine>> {
    use Field::*;
    use Getter::*;
    let mut columns = vec![
        field(
            OdsCode,
            "ODS code of the provider funded (null for an ICS-wide line)",
            Text(|f: &FundingLine| f.ods_code.as_deref()),
        ),
        field(
            Item,
            "what is funded",
            Text(|f: &FundingLine| f.item.as_deref()),
        ),
        field(
            TotalCost,
            "total cost, pounds",
            Money(|f: &FundingLine| f.total_cost),
        ),
        field(
            NationalFunding,
            "national funding, pounds",
            Money(|f: &FundingLine| f.national_funding),
        ),
        field(
            LocalFunding,
            "local funding, pounds",
            Money(|f: &FundingLine| f.local_funding),
        ),
        field(
            StatedGap,
            "the funding gap as the return states it, pounds",
            Money(|f: &FundingLine| f.stated_gap),
        ),
        field(
            FiscalYear,
            "financial year, as written",
            Text(|f: &FundingLine| f.fiscal_year.as_deref()),
        ),
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
    ];
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
