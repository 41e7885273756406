//! The normalised [`Dataset`] as polars tables, for `eprscan sql` and `eprscan export`,
//! and polars results back into the output layer's [`Table`].
//!
//! Five tables, each with a fixed set of typed columns (the same for any input, so a
//! query can be checked before the returns are read):
//!
//! - `providers`, `systems`, `funding`: one row per normalised row, columns named by
//!   [`Field::name`], then where the row was read (`source`, `sheet`, `row`);
//! - `returns`: one row per file read, with its cover sheet and its counts;
//! - `diagnostics`: every problem found.
//!
//! Text is `str`, counts and stages `i64`, dates `date`, and amounts of money `f64`
//! pounds: SQL arithmetic (`SUM`, ratios, `AVG`) works on it without casts, and every
//! amount a cell may hold (below [`Money::LIMIT`], whole pence) has at most 15
//! significant digits, so it round-trips exactly through `f64` and prints as written.
//! Exact sums in pence are what `eprscan funding` is for.

use crate::diag::{Diagnostic, Severity};
use crate::model::{Dataset, FundingLine, Origin, Provider, Return, System};
use crate::money::Money;
use crate::output::{Table, Value};
use crate::schema::Field;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use polars::prelude::{AnyValue, Column, DataFrame, DataType};
use std::collections::HashMap;
use std::path::Path;

/// The tables, in the order they are listed and exported.
pub const TABLE_NAMES: [&str; 5] = ["providers", "systems", "funding", "returns", "diagnostics"];

/// One table: its name, its rows as a polars frame, and what each column means.
#[derive(Debug, Clone)]
pub struct NamedFrame {
    /// The table name (one of [`TABLE_NAMES`]).
    pub name: &'static str,
    /// The rows.
    pub frame: DataFrame,
    /// One description per column of `frame`, in column order.
    pub descriptions: Vec<&'static str>,
}

/// Every table of a dataset, in [`TABLE_NAMES`] order.
pub fn dataset_frames(dataset: &Dataset) -> Result<Vec<NamedFrame>> {
    dataset_frames_as_of(dataset, None)
}

/// Every table of a dataset, with `providers.is_live` decided as of `as_of` (as
/// `eprscan coverage --as-of` decides it).
pub fn dataset_frames_as_of(
    dataset: &Dataset,
    as_of: Option<NaiveDate>,
) -> Result<Vec<NamedFrame>> {
    let returns = return_rows(dataset);
    let mut providers = build("providers", &dataset.providers, &provider_columns())?;
    add_is_live(&mut providers, &dataset.providers, as_of)?;
    Ok(vec![
        providers,
        build("systems", &dataset.systems, &system_columns())?,
        build("funding", &dataset.funding, &funding_columns())?,
        build("returns", &returns, &return_columns())?,
        build("diagnostics", &dataset.diagnostics, &diagnostic_columns())?,
    ])
}

/// Add `is_live` before the provenance columns of `providers`: computed by
/// [`crate::metrics::coverage::is_live`] (the one definition), as of a date no
/// column getter can hold.
fn add_is_live<'a>(
    table: &mut NamedFrame,
    providers: impl IntoIterator<Item = &'a Provider>,
    as_of: Option<NaiveDate>,
) -> Result<()> {
    let live: Vec<bool> = providers
        .into_iter()
        .map(|p| crate::metrics::coverage::is_live(p, as_of))
        .collect();
    let at = table.frame.width().saturating_sub(3);
    table
        .frame
        .insert_column(at, Column::new("is_live".into(), live))
        .context("building the providers table")?;
    table.descriptions.insert(
        at,
        "whether it counts as live in coverage (status live and, with --as-of, gone live by then)",
    );
    Ok(())
}

/// How to read one column's value from a row of type `R`.
enum Getter<R> {
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
struct ColumnDef<R> {
    name: &'static str,
    description: &'static str,
    get: Getter<R>,
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

fn provider_columns() -> Vec<ColumnDef<Provider>> {
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

fn system_columns() -> Vec<ColumnDef<System>> {
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

fn funding_columns() -> Vec<ColumnDef<FundingLine>> {
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
struct ReturnRow<'a> {
    file: &'a Return,
    systems_rows: i64,
    funding_lines: i64,
    warnings: i64,
    errors: i64,
}

fn return_rows(dataset: &Dataset) -> Vec<ReturnRow<'_>> {
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

fn return_columns<'a>() -> Vec<ColumnDef<ReturnRow<'a>>> {
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

fn diagnostic_columns() -> Vec<ColumnDef<Diagnostic>> {
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

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01, polars' day 0.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// A date as polars stores it: days since 1970-01-01.
fn polars_date(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE
}

/// A polars date (days since 1970-01-01) as a calendar date.
fn calendar_date(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(UNIX_EPOCH_DAYS_FROM_CE)?)
}

/// Build one table from its rows and column definitions.
fn build<'a, R: 'a>(
    name: &'static str,
    rows: impl IntoIterator<Item = &'a R> + Copy,
    columns: &[ColumnDef<R>],
) -> Result<NamedFrame> {
    let height = rows.into_iter().count();
    let built = columns
        .iter()
        .map(|def| {
            let column_name = def.name.into();
            Ok(match def.get {
                Getter::Text(get) => {
                    Column::new(column_name, rows.into_iter().map(get).collect::<Vec<_>>())
                }
                Getter::Int(get) => {
                    Column::new(column_name, rows.into_iter().map(get).collect::<Vec<_>>())
                }
                Getter::Bool(get) => {
                    Column::new(column_name, rows.into_iter().map(get).collect::<Vec<_>>())
                }
                Getter::Money(get) => Column::new(
                    column_name,
                    rows.into_iter()
                        .map(|r| get(r).map(Money::as_pounds_f64))
                        .collect::<Vec<_>>(),
                ),
                Getter::Date(get) => Column::new(
                    column_name,
                    rows.into_iter()
                        .map(|r| get(r).map(polars_date))
                        .collect::<Vec<_>>(),
                )
                .cast(&DataType::Date)?,
            })
        })
        .collect::<polars::prelude::PolarsResult<Vec<Column>>>()
        .and_then(|built| DataFrame::new(height, built))
        .with_context(|| format!("building the {name} table"))?;
    Ok(NamedFrame {
        name,
        frame: built,
        descriptions: columns.iter().map(|def| def.description).collect(),
    })
}

/// A polars frame (a query result, or a table to export) as an output [`Table`]:
/// integers, floats, text, dates and booleans keep their type; other polars types
/// become text (a list as `[a, b]`, a datetime as `2024-01-01 00:00:00`, a duration as
/// `61d`).
pub fn frame_to_table(frame: &DataFrame) -> Result<Table> {
    let columns: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|name| name.to_string())
        .collect();
    let mut rows = vec![Vec::with_capacity(columns.len()); frame.height()];
    for column in frame.columns() {
        let series = column.as_materialized_series();
        for (i, row) in rows.iter_mut().enumerate() {
            let value = series
                .get(i)
                .with_context(|| format!("reading row {i} of column {}", column.name()))?;
            row.push(output_value(&value));
        }
    }
    Ok(Table {
        title: None,
        columns,
        rows,
        total: None,
    })
}

/// What one column of a [`Table`] holds, for its polars type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Only nulls so far.
    Unknown,
    Text,
    Int,
    /// Floats, shares, points and money (pounds); integers mixed with them too.
    Float,
    Bool,
    Date,
}

impl Kind {
    fn of(value: &Value) -> Kind {
        match value {
            Value::Null => Kind::Unknown,
            Value::Text(_) => Kind::Text,
            Value::Int(_) => Kind::Int,
            Value::Float(_) | Value::Ratio(_) | Value::Points(_) | Value::Money(_) => Kind::Float,
            Value::Bool(_) => Kind::Bool,
            Value::Date(_) => Kind::Date,
        }
    }

    /// The kind of a column holding values of both kinds: numbers stay numbers,
    /// anything else mixed becomes text.
    fn join(self, other: Kind) -> Kind {
        match (self, other) {
            (a, b) if a == b => a,
            (Kind::Unknown, b) => b,
            (a, Kind::Unknown) => a,
            (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
            _ => Kind::Text,
        }
    }
}

/// An output [`Table`]'s data rows (not its total row) as a polars frame with typed
/// columns: the one converter behind the SQL views of the commands' results and
/// `--sort` / `--where`. Text, integers, booleans and dates keep their type; floats,
/// shares (0-1), points and money (pounds) are `f64`; a column of only nulls is text;
/// a column mixing text with other values is text as CSV writes it.
pub fn table_to_frame(table: &Table) -> Result<DataFrame> {
    let columns = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let cells = table
                .rows
                .iter()
                .map(move |row| row.get(i).unwrap_or(&Value::Null));
            let kind = cells.clone().map(Kind::of).fold(Kind::Unknown, Kind::join);
            let name = name.as_str().into();
            Ok(match kind {
                Kind::Unknown | Kind::Text => Column::new(
                    name,
                    cells
                        .map(|v| (!matches!(v, Value::Null)).then(|| v.raw()))
                        .collect::<Vec<_>>(),
                ),
                Kind::Int => Column::new(
                    name,
                    cells
                        .map(|v| match v {
                            Value::Int(i) => Some(*i),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ),
                Kind::Float => Column::new(
                    name,
                    cells
                        .map(|v| match v {
                            Value::Int(i) => Some(*i as f64),
                            Value::Float(f) | Value::Ratio(f) | Value::Points(f) => Some(*f),
                            Value::Money(m) => Some(m.as_pounds_f64()),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ),
                Kind::Bool => Column::new(
                    name,
                    cells
                        .map(|v| match v {
                            Value::Bool(b) => Some(*b),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ),
                Kind::Date => Column::new(
                    name,
                    cells
                        .map(|v| match v {
                            Value::Date(d) => Some(polars_date(*d)),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                )
                .cast(&DataType::Date)?,
            })
        })
        .collect::<polars::prelude::PolarsResult<Vec<Column>>>()
        .and_then(|columns| DataFrame::new(table.rows.len(), columns))
        .context("converting a result table to a polars frame")?;
    Ok(columns)
}

/// One polars value as an output value.
fn output_value(value: &AnyValue) -> Value {
    match value {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(*b),
        AnyValue::String(s) => Value::Text((*s).to_string()),
        AnyValue::StringOwned(s) => Value::Text(s.to_string()),
        AnyValue::Int8(i) => Value::Int(i64::from(*i)),
        AnyValue::Int16(i) => Value::Int(i64::from(*i)),
        AnyValue::Int32(i) => Value::Int(i64::from(*i)),
        AnyValue::Int64(i) => Value::Int(*i),
        AnyValue::UInt8(i) => Value::Int(i64::from(*i)),
        AnyValue::UInt16(i) => Value::Int(i64::from(*i)),
        AnyValue::UInt32(i) => Value::Int(i64::from(*i)),
        AnyValue::UInt64(i) => i64::try_from(*i).map_or(Value::Float(*i as f64), Value::Int),
        AnyValue::Float32(f) => Value::Float(f64::from(*f)),
        AnyValue::Float64(f) => Value::Float(*f),
        AnyValue::Date(days) => calendar_date(*days).map_or(Value::Null, Value::Date),
        // Every item (polars' own display shortens long lists with "…").
        AnyValue::List(items) => {
            let items: Vec<String> = (0..items.len())
                .map(|i| {
                    items
                        .get(i)
                        .map_or_else(|_| String::new(), |v| output_value(&v).raw())
                })
                .collect();
            Value::Text(format!("[{}]", items.join(", ")))
        }
        other => Value::Text(other.to_string()),
    }
}

/// The tables' columns and types (`eprscan sql --schema`), with what each column
/// means and, when `counts` is set, how many rows of the inputs have a value in it.
pub fn schema_table(frames: &[NamedFrame], counts: bool) -> Table {
    let mut columns = vec!["table", "column", "type", "description"];
    if counts {
        columns.push("non_null");
    }
    let mut rows = Vec::new();
    for table in frames {
        for (column, description) in table.frame.columns().iter().zip(&table.descriptions) {
            let mut row = vec![
                Value::Text(table.name.to_string()),
                Value::Text(column.name().to_string()),
                Value::Text(column.dtype().to_string()),
                Value::Text((*description).to_string()),
            ];
            if counts {
                let present = column.len() - column.null_count();
                row.push(Value::Int(i64::try_from(present).unwrap_or(i64::MAX)));
            }
            rows.push(row);
        }
    }
    Table {
        title: Some("Tables for eprscan sql".into()),
        columns: columns.into_iter().map(String::from).collect(),
        rows,
        total: None,
    }
}

/// Write a frame to a Parquet file (Snappy-compressed, the codec every reader has).
pub fn write_parquet(frame: &mut DataFrame, path: &Path) -> Result<()> {
    use polars_io::parquet::write::{ParquetCompression, ParquetWriter};
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    ParquetWriter::new(std::io::BufWriter::new(file))
        .with_compression(ParquetCompression::Snappy)
        .finish(frame)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_polars_days() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(polars_date(epoch), 0);
        let date = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        assert_eq!(polars_date(date), 19_722);
        assert_eq!(calendar_date(19_722), Some(date));
        assert_eq!(calendar_date(i32::MAX), None);
    }

    #[test]
    fn an_empty_dataset_has_every_table_and_typed_columns() {
        let frames = dataset_frames(&Dataset::default()).unwrap();
        let names: Vec<&str> = frames.iter().map(|f| f.name).collect();
        assert_eq!(names, TABLE_NAMES);
        let providers = &frames[0].frame;
        assert_eq!(providers.height(), 0);
        let dtype = |frame: &DataFrame, name: &str| frame.column(name).unwrap().dtype().clone();
        // 17 fields, is_trust and is_live, source, sheet and row.
        assert_eq!(providers.width(), 22);
        assert_eq!(dtype(providers, "is_live"), DataType::Boolean);
        assert_eq!(dtype(providers, "go_live"), DataType::Date);
        assert_eq!(dtype(providers, "emram_stage"), DataType::Int64);
        assert_eq!(dtype(providers, "status"), DataType::String);
        assert_eq!(dtype(&frames[2].frame, "total_cost"), DataType::Float64);
        for table in &frames {
            assert_eq!(
                table.descriptions.len(),
                table.frame.width(),
                "{}",
                table.name
            );
        }
    }

    #[test]
    fn descriptions_name_every_canonical_word() {
        use crate::schema::{Scope, Sector, Status};
        let described = |table: &str, column: &str| -> &'static str {
            let frames = dataset_frames(&Dataset::default()).unwrap();
            let table = frames.into_iter().find(|f| f.name == table).unwrap();
            let index = table.frame.get_column_index(column).unwrap();
            table.descriptions[index]
        };
        let sectors = described("providers", "sector");
        assert!(
            Sector::ALL.iter().all(|s| sectors.contains(s.name())),
            "{sectors}"
        );
        let statuses = described("providers", "status");
        assert!(
            Status::ALL.iter().all(|s| statuses.contains(s.name())),
            "{statuses}"
        );
        let scopes = described("systems", "scope");
        assert!(
            Scope::ALL.iter().all(|s| scopes.contains(s.name())),
            "{scopes}"
        );
    }

    #[test]
    fn query_results_keep_their_types() {
        use polars::prelude::{IntoLazy, NamedFrom, Series};
        let frame = DataFrame::new(
            1,
            vec![
                Column::new("n".into(), [3u32]),
                Column::new("share".into(), [0.5f64]),
                Column::new("yes".into(), [true]),
                Column::new("text".into(), [Some("x")]),
                Column::new("none".into(), [None::<i64>]),
                Column::new("day".into(), [19_722i32])
                    .cast(&DataType::Date)
                    .unwrap(),
            ],
        )
        .unwrap();
        let words = Series::new(
            "words".into(),
            ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"],
        );
        let frame = frame
            .lazy()
            .with_column(polars::prelude::lit(words).implode(true).alias("words"))
            .collect()
            .unwrap();
        let table = frame_to_table(&frame).unwrap();
        assert_eq!(
            table.columns,
            ["n", "share", "yes", "text", "none", "day", "words"]
        );
        assert_eq!(
            table.rows,
            [vec![
                Value::Int(3),
                Value::Float(0.5),
                Value::Bool(true),
                Value::Text("x".into()),
                Value::Null,
                Value::Date(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
                Value::Text("[a, b, c, d, e, f, g, h, i, j, k]".into()),
            ]]
        );
    }

    #[test]
    fn result_tables_become_typed_frames() {
        let date = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        let table = Table {
            title: None,
            columns: ["name", "n", "share", "gap", "met", "day", "mixed", "empty"]
                .map(String::from)
                .to_vec(),
            rows: vec![
                vec![
                    Value::Text("a".into()),
                    Value::Int(3),
                    Value::Ratio(0.5),
                    Value::Money(Money::from_pence(150)),
                    Value::Bool(true),
                    Value::Date(date),
                    Value::Int(1),
                    Value::Null,
                ],
                vec![
                    Value::Null,
                    Value::Null,
                    Value::Int(1),
                    Value::Null,
                    Value::Bool(false),
                    Value::Null,
                    Value::Text("x".into()),
                    Value::Null,
                ],
            ],
            total: Some(vec![Value::Null; 8]),
        };
        let frame = table_to_frame(&table).unwrap();
        assert_eq!(frame.height(), 2, "data rows only, not the total");
        let types: Vec<String> = frame.dtypes().iter().map(ToString::to_string).collect();
        assert_eq!(
            types,
            ["str", "i64", "f64", "f64", "bool", "date", "str", "str"]
        );
        assert_eq!(
            frame_to_table(&frame).unwrap().rows[0][3],
            Value::Float(1.5)
        );
        assert_eq!(
            frame_to_table(&frame).unwrap().rows[1][6],
            Value::Text("x".into())
        );
    }

    #[test]
    fn money_is_pounds_and_round_trips_through_f64() {
        for pence in [1, 5, 10, 123_456, 3_600_000_000, Money::LIMIT.pence() - 1] {
            let pounds = Money::from_pence(pence).as_pounds_f64();
            assert_eq!(pounds.to_string(), Money::from_pence(pence).pounds_text());
        }
    }
}
