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

use crate::model::{Dataset, FieldRef, Provider};
use crate::money::Money;
use crate::output::{Table, Value};
use crate::schema::FieldKind;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use polars::prelude::{Column, DataFrame, DataType, PlSmallStr};

mod catalogue;
mod convert;
mod parquet;

use catalogue::*;
pub use convert::{frame_to_table, table_to_frame};
pub use parquet::write_parquet;

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
                Getter::Text(get) => text_column(column_name, rows.into_iter().map(get)),
                Getter::Int(get) => int_column(column_name, rows.into_iter().map(get)),
                Getter::Bool(get) => {
                    Column::new(column_name, rows.into_iter().map(get).collect::<Vec<_>>())
                }
                Getter::Date(get) => date_column(column_name, rows.into_iter().map(get))?,
                Getter::AsKind(kind, get) => {
                    // The kind says which of the value's forms the column holds.
                    let values = rows.into_iter().map(get);
                    match kind {
                        FieldKind::Text => {
                            text_column(column_name, values.map(|v| v.and_then(FieldRef::text)))
                        }
                        FieldKind::Number => {
                            int_column(column_name, values.map(|v| v.and_then(FieldRef::number)))
                        }
                        FieldKind::Money => {
                            money_column(column_name, values.map(|v| v.and_then(FieldRef::money)))
                        }
                        FieldKind::Date => {
                            date_column(column_name, values.map(|v| v.and_then(FieldRef::date)))?
                        }
                    }
                }
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

/// A `str` column.
fn text_column<'a>(name: PlSmallStr, values: impl Iterator<Item = Option<&'a str>>) -> Column {
    Column::new(name, values.collect::<Vec<_>>())
}

/// An `i64` column.
fn int_column(name: PlSmallStr, values: impl Iterator<Item = Option<i64>>) -> Column {
    Column::new(name, values.collect::<Vec<_>>())
}

/// An `f64` column of amounts in pounds.
fn money_column(name: PlSmallStr, values: impl Iterator<Item = Option<Money>>) -> Column {
    Column::new(
        name,
        values
            .map(|m| m.map(Money::as_pounds_f64))
            .collect::<Vec<_>>(),
    )
}

/// A `date` column.
fn date_column(
    name: PlSmallStr,
    values: impl Iterator<Item = Option<NaiveDate>>,
) -> polars::prelude::PolarsResult<Column> {
    Column::new(name, values.map(|d| d.map(polars_date)).collect::<Vec<_>>()).cast(&DataType::Date)
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

    /// Every field of each row table has its column, named by the schema, in the
    /// schema's order and of its kind's type.
    #[test]
    fn every_schema_field_has_a_column() {
        use crate::schema::TableKind;
        let frames = dataset_frames(&Dataset::default()).unwrap();
        for (table, kind) in [
            ("providers", TableKind::Providers),
            ("systems", TableKind::Systems),
            ("funding", TableKind::Funding),
        ] {
            let frame = &frames.iter().find(|f| f.name == table).unwrap().frame;
            let columns: Vec<&str> = frame
                .get_column_names()
                .iter()
                .map(|c| c.as_str())
                .collect();
            for field in kind.fields() {
                assert!(
                    columns.contains(&field.name()),
                    "{table}: no column {}",
                    field.name()
                );
            }
            // The fields come first, in the schema's order, each of its kind's type.
            assert!(columns.len() > kind.fields().len(), "{table}");
            for (column, field) in frame.columns().iter().zip(kind.fields()) {
                assert_eq!(column.name().as_str(), field.name(), "{table}");
                let dtype = match field.kind() {
                    FieldKind::Text => DataType::String,
                    FieldKind::Number => DataType::Int64,
                    FieldKind::Money => DataType::Float64,
                    FieldKind::Date => DataType::Date,
                };
                assert_eq!(column.dtype(), &dtype, "{table}.{field}");
            }
        }
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
