//! The output layer every command uses: a [`Table`] of typed [`Value`]s written as a
//! terminal table, CSV, JSON, NDJSON or markdown. One exporter per format, behind
//! the [`Exporter`] trait. Numbers are rounded only for display (table, markdown);
//! CSV and JSON carry them unrounded.

mod csv_out;
mod json;
mod markdown;
mod text;

use crate::money::Money;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::ValueEnum;
use std::io::Write;
use std::path::Path;

/// One typed value of a result table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Missing.
    Null,
    /// Text.
    Text(String),
    /// A count or other integer.
    Int(i64),
    /// A plain number.
    Float(f64),
    /// A share (0–1), shown as a percentage with one decimal in tables.
    Ratio(f64),
    /// Yes / no.
    Bool(bool),
    /// A date.
    Date(NaiveDate),
    /// An amount of money: `£1,736.4m` in tables, exact pounds in CSV/JSON.
    Money(Money),
}

impl Value {
    /// The value for display (tables, markdown): rounded, percentages, yes/no.
    pub fn display(&self) -> String {
        match self {
            Value::Null => "–".to_string(),
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f:.2}"),
            Value::Ratio(r) => format!("{:.1}%", r * 100.0),
            Value::Bool(true) => "yes".to_string(),
            Value::Bool(false) => "no".to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Money(m) => m.to_string(),
        }
    }

    /// The value for machine-readable text (CSV): unrounded, `true`/`false`, empty
    /// for missing.
    pub fn raw(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) | Value::Ratio(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Money(m) => m.pounds_text(),
        }
    }

    /// Whether the value is a number (right-aligned in tables).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Float(_) | Value::Ratio(_) | Value::Money(_)
        )
    }
}

/// A result: named columns (snake_case), rows sorted by the command, and an optional
/// national total row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// A one-line description shown above human-readable tables.
    pub title: Option<String>,
    /// Column names.
    pub columns: Vec<String>,
    /// Data rows.
    pub rows: Vec<Vec<Value>>,
    /// The national total row: always shown in tables and markdown, in CSV/JSON only
    /// with `--total`.
    pub total: Option<Vec<Value>>,
}

/// Output format (`-f`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// Comma-separated values.
    Csv,
    /// A JSON array of objects.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// A markdown table.
    Markdown,
    /// Parquet files: `eprscan export`, and `eprscan sql` with `-o`.
    Parquet,
}

impl Format {
    /// The format a file name's extension implies.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "json" => Format::Json,
            "ndjson" | "jsonl" => Format::Ndjson,
            "md" | "markdown" => Format::Markdown,
            "txt" => Format::Table,
            "parquet" => Format::Parquet,
            _ => return None,
        })
    }
}

/// How to write a table.
#[derive(Debug, Clone, Copy)]
pub struct OutputOptions {
    /// The format.
    pub format: Format,
    /// Include the total row in CSV/JSON/NDJSON.
    pub total: bool,
    /// Prefix formula-looking text with `'` in CSV (SPEC 2).
    pub escape_formulas: bool,
    /// Colour the terminal table (never used by the machine-readable formats).
    pub colour: bool,
}

/// When to colour output (`--color`), as fd does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always colour the table and the diagnostics.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal.
    pub fn colour(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Writes a table in one format.
pub trait Exporter {
    /// Write the table.
    fn write(&self, table: &Table, out: &mut dyn Write) -> std::io::Result<()>;
}

/// The exporter for a text format; `None` for Parquet, which is written from polars
/// frames (see [`crate::frames::write_parquet`]), not from tables.
fn exporter(options: &OutputOptions) -> Option<Box<dyn Exporter>> {
    Some(match options.format {
        Format::Table => Box::new(text::TextExporter {
            colour: options.colour,
        }),
        Format::Markdown => Box::new(markdown::MarkdownExporter),
        Format::Csv => Box::new(csv_out::CsvExporter {
            total: options.total,
            escape_formulas: options.escape_formulas,
        }),
        Format::Json => Box::new(json::JsonExporter {
            total: options.total,
            lines: false,
        }),
        Format::Ndjson => Box::new(json::JsonExporter {
            total: options.total,
            lines: true,
        }),
        Format::Parquet => return None,
    })
}

/// Decide the format: `-f` if given, else from the `-o` file's extension, else a table.
pub fn choose_format(format: Option<Format>, output: Option<&Path>) -> Result<Format> {
    if let Some(format) = format {
        return Ok(format);
    }
    match output {
        None => Ok(Format::Table),
        Some(path) => match Format::from_extension(path) {
            Some(format) => Ok(format),
            None => bail!(crate::UsageError(format!(
                "cannot tell the output format from \"{}\": use a .csv, .json, .ndjson, .md or .txt name, or give -f",
                path.display()
            ))),
        },
    }
}

/// Write a table to stdout or to the `-o` file.
pub fn emit(table: &Table, options: &OutputOptions, output: Option<&Path>) -> Result<()> {
    let Some(exporter) = exporter(options) else {
        bail!(crate::UsageError(
            "Parquet is written by `eprscan export` and `eprscan sql -o FILE.parquet`: use -f table, csv, json, ndjson or markdown here".into()
        ));
    };
    let mut buffer = Vec::new();
    exporter.write(table, &mut buffer)?;
    emit_bytes(&buffer, output)
}

/// Write finished output (a table, a completion script, a man page) to stdout or to
/// the `-o` file. A closed stdout comes back as a `BrokenPipe` error, which the
/// binary treats as success.
pub fn emit_bytes(bytes: &[u8], output: Option<&Path>) -> Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
        }
        None => {
            let mut lock = std::io::stdout().lock();
            lock.write_all(bytes)?;
            lock.flush()?;
            Ok(())
        }
    }
}

/// Rows to write in a machine-readable format: the data rows, and the total row
/// when asked for.
fn machine_rows(table: &Table, total: bool) -> impl Iterator<Item = &Vec<Value>> {
    table
        .rows
        .iter()
        .chain(table.total.iter().filter(move |_| total))
}
