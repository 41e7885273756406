//! Between polars frames and the output layer's [`Table`]: query results into tables,
//! and tables into frames (the SQL views of the commands' results, `--sort`,
//! `--where`).

use super::{calendar_date, polars_date};
use crate::output::{Table, Value};
use anyhow::{Context, Result};
use polars::prelude::{AnyValue, Column, DataFrame, DataType};

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
