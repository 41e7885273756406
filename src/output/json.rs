//! JSON (an array of objects) and NDJSON (one object per line), unrounded.

use super::{machine_rows, Exporter, Table, Value};
use serde_json::{Map, Number, Value as Json};
use std::io::Write;

/// JSON or NDJSON.
pub struct JsonExporter {
    /// Include the total row.
    pub total: bool,
    /// One object per line instead of one array.
    pub lines: bool,
}

fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Text(s) => Json::String(s.clone()),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Float(f) | Value::Ratio(f) | Value::Points(f) => {
            Number::from_f64(*f).map_or(Json::Null, Json::Number)
        }
        Value::Bool(b) => Json::Bool(*b),
        Value::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
        // Whole pounds as integers; pence through the exact decimal text.
        Value::Money(m) if m.pence() % 100 == 0 => Json::Number((m.pence() / 100).into()),
        Value::Money(m) => m
            .pounds_text()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Json::Null, Json::Number),
    }
}

impl Exporter for JsonExporter {
    fn write(&self, table: &Table, out: &mut dyn Write) -> std::io::Result<()> {
        let objects: Vec<Json> = machine_rows(table, self.total)
            .map(|row| {
                let map: Map<String, Json> = table
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(name, value)| (name.clone(), to_json(value)))
                    .collect();
                Json::Object(map)
            })
            .collect();
        if self.lines {
            for object in objects {
                serde_json::to_writer(&mut *out, &object)?;
                writeln!(out)?;
            }
        } else {
            serde_json::to_writer_pretty(&mut *out, &Json::Array(objects))?;
            writeln!(out)?;
        }
        Ok(())
    }
}
