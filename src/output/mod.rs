//! The output layer every command uses: a [`Table`] of typed [`Value`]s written as a
//! terminal table, CSV, JSON, NDJSON, markdown or an Excel workbook. One exporter per
//! format, behind the [`Exporter`] trait. Numbers are rounded only for display (table,
//! markdown); CSV and JSON carry them unrounded; xlsx cells hold the typed value under
//! a number format. A [`Document`] (several tables on named sheets, with charts) is
//! written by [`emit_document`]: sheets in xlsx, sections in markdown and tables.

mod csv_out;
mod hexmap;
mod html;
mod json;
mod markdown;
mod text;
pub mod xlsx;

use crate::money::Money;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
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
    /// A change of a share in percentage points (`14.3` is 14.3 pp): `+14.3 pp` in
    /// tables, the number of points in CSV and JSON.
    Points(f64),
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
            // No sign on a change that rounds to nothing.
            Value::Points(p) if format!("{:.1}", p.abs()) == "0.0" => "0.0 pp".to_string(),
            Value::Points(p) => format!("{p:+.1} pp"),
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
            Value::Float(f) | Value::Ratio(f) | Value::Points(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Money(m) => m.pounds_text(),
        }
    }

    /// Whether the value is a number (right-aligned in tables).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Float(_) | Value::Ratio(_) | Value::Points(_) | Value::Money(_)
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

impl Table {
    /// The index of a column by its snake_case name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A row's value in the named column (`None` when the table has no such column).
    pub fn value<'a>(&self, row: &'a [Value], column: &str) -> Option<&'a Value> {
        self.column_index(column).and_then(|i| row.get(i))
    }

    /// The total row's value in the named column.
    pub fn total_value(&self, column: &str) -> Option<&Value> {
        self.total
            .as_deref()
            .and_then(|row| self.value(row, column))
    }
}

/// The national total row as tables, markdown and HTML show it: as
/// [`Value::display`], but blank for the key cells before its "England" label (null:
/// they do not apply, which "–" for a missing value would not say).
pub fn total_row_display(row: &[Value]) -> Vec<String> {
    let label = row.iter().position(|v| *v != Value::Null).unwrap_or(0);
    row.iter()
        .enumerate()
        .map(|(i, v)| {
            if i < label {
                String::new()
            } else {
                v.display()
            }
        })
        .collect()
}

/// A column name as people read it in terminal tables, HTML and xlsx headers:
/// `distinct_eprs` → `distinct eprs`. Markdown keeps the machine names (the columns
/// of CSV and JSON), so a pasted table can be matched to them.
pub fn display_header(column: &str) -> String {
    column.replace('_', " ")
}

/// A series of a [`Chart`]: one column of the chart's table, and its legend name.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The name in the legend.
    pub name: String,
    /// The table column (snake_case) holding the values.
    pub column: String,
}

/// A native chart over one table of a [`Sheet`] (drawn in xlsx; the other formats
/// carry the table alone). Categories are the table's data rows, never its total row.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The chart's title.
    pub title: String,
    /// Index of the charted table in [`Sheet::tables`].
    pub table: usize,
    /// The column whose values label the categories.
    pub categories: String,
    /// Series drawn as columns (vertical bars), side by side.
    pub bars: Vec<Series>,
    /// Series drawn as lines over the bars (a target).
    pub lines: Vec<Series>,
    /// Title of the value axis.
    pub value_axis: String,
    /// The values are shares: a 0–100% axis.
    pub percent: bool,
}

/// One named part of a [`Document`]: a sheet in xlsx, a section in markdown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The sheet name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// Its tables, top to bottom.
    pub tables: Vec<Table>,
    /// Charts of its tables.
    pub charts: Vec<Chart>,
}

/// Several tables on named sheets: what `eprscan report` and `eprscan diff` write.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The document title (markdown heading, workbook title).
    pub title: String,
    /// The sheets, in order.
    pub sheets: Vec<Sheet>,
    /// The typed figures of the web page's tiles and hex map (only HTML reads them;
    /// the page never looks for figures in the tables).
    pub page: PageFigures,
}

/// Where a table is in a [`Document`]: the index of its sheet, and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TablePlace {
    /// Index in [`Document::sheets`].
    pub sheet: usize,
    /// Index in [`Sheet::tables`].
    pub table: usize,
}

/// What the web page draws besides the tables, from typed figures the command fills
/// from its metric results. Empty (the default): a page of tables and charts alone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageFigures {
    /// The headline tiles, shown before the table at this place (the headline table).
    pub headline: Option<(TablePlace, Headline)>,
    /// The hex map's ICSs, in the order of the rows of the table at this place (the
    /// coverage table, whose title the map takes); the map is drawn beside the tiles
    /// when there are tiles, else above that table.
    pub map: Option<(TablePlace, Vec<MapArea>)>,
}

/// The national headline figures the page shows as tiles, each a typed value as the
/// headline table has it (`Null` shows as "–").
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// NHS trusts counted.
    pub trusts: Value,
    /// NHS trusts with an EPR live.
    pub live: Value,
    /// Live over trusts.
    pub coverage: Value,
    /// The target share.
    pub target: Value,
    /// Trusts still to go live to meet the target.
    pub shortfall: Value,
    /// ICSs counted.
    pub icss: Value,
    /// ICSs meeting the target.
    pub icss_meeting: Value,
    /// Distinct EPRs in use (all providers).
    pub distinct_eprs: Value,
    /// Distinct EPRs planned (all providers).
    pub distinct_eprs_planned: Value,
    /// Programme cost.
    pub programme_cost: Value,
    /// Funding gap.
    pub funding_gap: Value,
    /// Returns received.
    pub returns_received: Value,
    /// Returns expected: the ICSs of the run's geography.
    pub returns_expected: usize,
    /// ICSs with no return.
    pub no_return: Value,
}

/// One ICS's figures for the hex map (`None`: the figure is missing, shown as "–").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MapArea {
    /// The ICS (ICB) code.
    pub code: Option<String>,
    /// The ICS name.
    pub name: Option<String>,
    /// NHS trusts counted.
    pub trusts: Option<u64>,
    /// NHS trusts with an EPR live.
    pub live: Option<u64>,
    /// Live over trusts.
    pub coverage: Option<f64>,
    /// The target share.
    pub target: Option<f64>,
    /// Whether the target is met.
    pub met: Option<bool>,
    /// Trusts still to go live to meet the target.
    pub shortfall: Option<u64>,
    /// Not an ICS (the trusts of no known or no placed ICS): never named as off the map.
    pub unplaced: bool,
}

impl Document {
    /// Every table of every sheet, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sheets.iter().flat_map(|s| s.tables.iter())
    }
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
    /// An Excel workbook: real Excel tables with number formats (needs `-o FILE` or
    /// a redirected stdout).
    Xlsx,
    /// Parquet files: `eprscan export`, and `eprscan sql` with `-o`.
    Parquet,
    /// One self-contained web page: tables, and for `eprscan report` tiles, charts
    /// and the hex map of the ICSs.
    Html,
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
            "xlsx" => Format::Xlsx,
            "txt" => Format::Table,
            "parquet" => Format::Parquet,
            "html" | "htm" => Format::Html,
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
    /// Begin CSV with a UTF-8 byte-order mark (`--bom`), which Excel needs to read
    /// UTF-8 rather than the Windows code page.
    pub bom: bool,
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
            bom: options.bom,
        }),
        Format::Json => Box::new(json::JsonExporter {
            total: options.total,
            lines: false,
        }),
        Format::Ndjson => Box::new(json::JsonExporter {
            total: options.total,
            lines: true,
        }),
        Format::Xlsx => Box::new(xlsx::XlsxExporter),
        Format::Html => Box::new(html::HtmlExporter),
        Format::Parquet => return None,
    })
}

impl Format {
    /// Whether one output in this format can hold several tables (sections of a
    /// terminal or markdown document, sheets of a workbook). CSV and JSON hold one.
    pub fn holds_many_tables(self) -> bool {
        matches!(
            self,
            Format::Table | Format::Markdown | Format::Xlsx | Format::Html
        )
    }
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
                "cannot tell the output format from \"{}\": use a .csv, .json, .ndjson, .md, .xlsx, .html or .txt name, or give -f",
                path.display()
            ))),
        },
    }
}

/// Write a table to stdout or to the `-o` file.
pub fn emit(table: &Table, options: &OutputOptions, output: Option<&Path>) -> Result<()> {
    emit_with_map(table, None, options, output)
}

/// Write a table as [`emit`] does; a web page also draws the hex map of `map` (one
/// area per row of the table, in its order).
pub fn emit_with_map(
    table: &Table,
    map: Option<&[MapArea]>,
    options: &OutputOptions,
    output: Option<&Path>,
) -> Result<()> {
    if let (Format::Html, Some(map)) = (options.format, map) {
        return emit_bytes(html::table_page(table, Some(map))?.as_bytes(), output);
    }
    refuse_binary_to_terminal(options.format, output)?;
    let Some(exporter) = exporter(options) else {
        bail!(crate::UsageError(
            "Parquet is written by `eprscan export` and `eprscan sql -o FILE.parquet`: use -f table, csv, json, ndjson, markdown or xlsx here".into()
        ));
    };
    let mut buffer = Vec::new();
    exporter.write(table, &mut buffer)?;
    emit_bytes(&buffer, output)
}

/// Write a document to stdout or to the `-o` file: a workbook with one sheet per
/// [`Sheet`] (xlsx), or the sheets as headed sections of tables (markdown, terminal
/// tables). CSV, JSON and NDJSON hold one table: a document of one table is written
/// as that table; a larger one is a usage error (check [`Format::holds_many_tables`]
/// before doing the work).
pub fn emit_document(
    document: &Document,
    options: &OutputOptions,
    output: Option<&Path>,
) -> Result<()> {
    refuse_binary_to_terminal(options.format, output)?;
    let mut buffer = Vec::new();
    match options.format {
        Format::Xlsx => buffer = xlsx::workbook_bytes(document)?,
        Format::Html => buffer = html::page(document)?.into_bytes(),
        Format::Markdown => {
            writeln!(buffer, "# {}\n", document.title)?;
            for sheet in &document.sheets {
                writeln!(buffer, "## {}\n", sheet.name)?;
                for table in &sheet.tables {
                    markdown::MarkdownExporter.write(table, &mut buffer)?;
                    writeln!(buffer)?;
                }
            }
        }
        Format::Table => {
            writeln!(buffer, "{}\n", document.title)?;
            let text = text::TextExporter {
                colour: options.colour,
            };
            for sheet in &document.sheets {
                writeln!(
                    buffer,
                    "{}\n{}",
                    sheet.name,
                    "=".repeat(sheet.name.chars().count())
                )?;
                for table in &sheet.tables {
                    text.write(table, &mut buffer)?;
                    writeln!(buffer)?;
                }
            }
        }
        Format::Parquet => bail!(crate::UsageError(
            "Parquet is written by `eprscan export`: use -f table, -f markdown or -o FILE.xlsx"
                .into()
        )),
        Format::Csv | Format::Json | Format::Ndjson => {
            let mut tables = document.tables();
            match (tables.next(), exporter(options)) {
                (Some(table), Some(exporter)) if tables.next().is_none() => {
                    exporter.write(table, &mut buffer)?
                }
                _ => bail!(crate::UsageError(format!(
                    "{} holds one table and this output has several: use -f table, -f markdown or -o FILE.xlsx",
                    format_name(options.format)
                ))),
            }
        }
    }
    emit_bytes(&buffer, output)
}

/// The `-f` word for a format.
pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Ndjson => "ndjson",
        Format::Markdown => "markdown",
        Format::Xlsx => "xlsx",
        Format::Parquet => "parquet",
        Format::Html => "html",
    }
}

/// A workbook is binary: it goes to a file or a redirected stdout, not a terminal.
fn refuse_binary_to_terminal(format: Format, output: Option<&Path>) -> Result<()> {
    if format == Format::Xlsx && output.is_none() && std::io::stdout().is_terminal() {
        bail!(crate::UsageError(
            "an xlsx workbook is not for the terminal: give -o FILE.xlsx or redirect stdout".into()
        ));
    }
    Ok(())
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
