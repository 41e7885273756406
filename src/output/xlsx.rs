//! Excel workbooks (rust_xlsxwriter): the one place that knows how a [`Table`] becomes
//! a sheet. Each table is a real Excel table (header style, filter buttons) under its
//! title, with its total row in bold just below; cells keep their types under number
//! formats (percent for shares, £ for money written as pounds, dates as real dates
//! shown dd/mm/yyyy); the first header row is frozen; columns are autofitted. Text is
//! always written as a string, never as a formula, whatever it starts with (SPEC 2).
//! Charts are native Excel charts over the table's cells.

use super::{display_header, Chart, Document, Exporter, Sheet, Table, Value};
use crate::money::Money;
use rust_xlsxwriter::{
    Chart as XlChart, ChartFont, ChartFormat, ChartLegendPosition, ChartPoint, ChartSolidFill,
    ChartType, DocProperties, ExcelDateTime, Format, FormatBorder, Table as XlTable, TableColumn,
    TableStyle, Workbook, Worksheet, XlsxError,
};
use std::io::Write;

/// The widest a column is autofitted to, in pixels: long text (EPR lists, messages)
/// runs out of view instead of making the sheet unreadable.
const MAX_AUTOFIT_PIXELS: u32 = 480;

/// Excel's number format for money: whole pounds with separators, negatives in red.
const MONEY_FORMAT: &str = "£#,##0;[Red]-£#,##0";
/// Shares as percentages with one decimal, as in tables.
const PERCENT_FORMAT: &str = "0.0%";
/// A change of a share in percentage points, signed and labelled.
const POINTS_FORMAT: &str = "+0.0\" pp\";-0.0\" pp\";0.0\" pp\"";
/// Plain numbers (an HHI) with two decimals, as in tables.
const FLOAT_FORMAT: &str = "0.00";
/// Dates in every workbook eprscan writes (the pack, `-o FILE.xlsx`, the template):
/// day first, as UK readers expect; the cell holds a real date, so sorting and
/// filtering work. CSV and JSON keep ISO dates (2023-12-31), for scripts.
pub const DATE_FORMAT: &str = "dd/mm/yyyy";

/// Sheets of at most this many rows, without charts, print on one page (the Summary).
const ONE_PAGE_ROWS: u32 = 80;

/// Excel's paper size code for A4.
const PAPER_A4: u8 = 9;

/// Sheet name used when a single table is written as a workbook (`-o FILE.xlsx`).
const SINGLE_SHEET: &str = "Results";

/// Bars of rows meeting the target (NHS Dark Blue) and not (NHS Warm Yellow).
const MET_COLOUR: &str = "#003087";
const NOT_MET_COLOUR: &str = "#FFB81C";

/// Pixels per chart category, and the bounds of a chart's size.
const CHART_PIXELS_PER_CATEGORY: u32 = 22;
const CHART_MIN_WIDTH: u32 = 560;
const CHART_MAX_WIDTH: u32 = 1600;
/// Tall enough for long category names (ICS names) written at an angle below the bars.
const CHART_HEIGHT: u32 = 600;
/// Rows a chart covers (20-pixel rows), plus a gap, when charts are stacked.
const CHART_ROWS: u32 = CHART_HEIGHT / 20 + 2;

/// One table as a one-sheet workbook (`eprscan coverage -o coverage.xlsx`).
pub struct XlsxExporter;

impl Exporter for XlsxExporter {
    fn write(&self, table: &Table, out: &mut dyn Write) -> std::io::Result<()> {
        let document = Document {
            title: table.title.clone().unwrap_or_default(),
            sheets: vec![Sheet {
                name: SINGLE_SHEET.to_string(),
                tables: vec![table.clone()],
                charts: Vec::new(),
            }],
            page: Default::default(),
        };
        let bytes = workbook_bytes(&document).map_err(std::io::Error::other)?;
        out.write_all(&bytes)
    }
}

/// The document as an xlsx workbook, one worksheet per sheet.
pub fn workbook_bytes(document: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&document.title)
            .set_author("eprscan"),
    );
    let formats = CellFormats::new();
    let mut table_names = TableNames::default();
    for sheet in &document.sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name)?;
        write_sheet(worksheet, sheet, &formats, &mut table_names)?;
    }
    workbook.save_to_buffer()
}

/// Where a table landed on its sheet (zero-based rows).
struct Placed {
    header_row: u32,
    /// Data rows written (the Excel table has at least one, blank if need be).
    data_rows: u32,
}

impl Placed {
    fn first_data_row(&self) -> u32 {
        self.header_row + 1
    }
}

fn write_sheet(
    worksheet: &mut Worksheet,
    sheet: &Sheet,
    formats: &CellFormats,
    table_names: &mut TableNames,
) -> Result<(), XlsxError> {
    let mut row = 0u32;
    let mut titles = Vec::new();
    let mut placed = Vec::new();
    let mut table_starts = Vec::new();
    for table in &sheet.tables {
        table_starts.push(row);
        if let Some(title) = &table.title {
            titles.push((row, title.as_str()));
            row += 1;
        }
        let header_row = row;
        for (offset, values) in table.rows.iter().enumerate() {
            write_row(
                worksheet,
                header_row + 1 + offset as u32,
                values,
                &formats.plain,
            )?;
        }
        let data_rows = table.rows.len() as u32;
        // An Excel table has at least one data row: an empty table gets a blank one.
        let last_row = header_row + data_rows.max(1);
        if let Some(last_col) = table.columns.len().checked_sub(1) {
            let columns: Vec<TableColumn> = table
                .columns
                .iter()
                .map(|c| {
                    TableColumn::new()
                        .set_header(display_header(c))
                        .set_header_format(&formats.header)
                })
                .collect();
            let excel_table = XlTable::new()
                .set_name(table_names.next(&sheet.name))
                .set_style(TableStyle::Medium2)
                .set_columns(&columns);
            worksheet.add_table(header_row, 0, last_row, column(last_col), &excel_table)?;
        }
        row = last_row + 1;
        if let Some(total) = &table.total {
            write_row(worksheet, row, total, &formats.total)?;
            row += 1;
        }
        placed.push(Placed {
            header_row,
            data_rows,
        });
        row += 1;
    }
    if let Some(first) = placed.first() {
        worksheet.set_freeze_panes(first.header_row + 1, 0)?;
    }
    // Printed (or saved as PDF) for a board: landscape A4. A short sheet without charts
    // (the Summary) fits on one page; a longer one is one page wide, each table after
    // the first and each chart starting a new page, the first table's header repeated
    // on every page.
    worksheet.set_paper_size(PAPER_A4).set_landscape();
    let one_page = sheet.charts.is_empty() && row <= ONE_PAGE_ROWS;
    if one_page {
        worksheet.set_print_fit_to_pages(1, 1);
    } else {
        worksheet.set_print_fit_to_pages(1, 0);
        if let Some(first) = placed.first() {
            worksheet.set_repeat_rows(first.header_row, first.header_row)?;
        }
    }
    worksheet.set_autofit_max_width(MAX_AUTOFIT_PIXELS);
    worksheet.autofit();
    widen_money_columns(worksheet, &sheet.tables)?;
    // Titles go in after the autofit, so that a long title does not widen column A:
    // it runs across the empty cells to its right.
    for (title_row, title) in titles {
        worksheet.write_string_with_format(title_row, 0, title, &formats.title)?;
    }
    // Charts go below the tables, each on its own printed page: beside a 42-row table
    // they squeezed it to a fraction of the page.
    let mut breaks: Vec<u32> = if one_page {
        Vec::new()
    } else {
        table_starts.iter().skip(1).copied().collect()
    };
    let mut chart_row = row;
    for chart in &sheet.charts {
        let Some((table, place)) = sheet.tables.get(chart.table).zip(placed.get(chart.table))
        else {
            continue;
        };
        if let Some(excel_chart) = build_chart(chart, &sheet.name, table, place) {
            worksheet.insert_chart(chart_row, 0, &excel_chart)?;
            breaks.push(chart_row);
            chart_row += CHART_ROWS;
        }
    }
    if !breaks.is_empty() {
        worksheet.set_page_breaks(&breaks)?;
    }
    Ok(())
}

/// A native chart over a placed table: columns for the bars, a line for each target,
/// categories from the data rows. `None` when the table has no data rows or lacks a
/// named column.
fn build_chart(spec: &Chart, sheet: &str, table: &Table, place: &Placed) -> Option<XlChart> {
    if place.data_rows == 0 {
        return None;
    }
    let first = place.first_data_row();
    let last = first + place.data_rows - 1;
    let range = |name: &str| {
        table
            .column_index(name)
            .map(|c| (sheet, first, column(c), last, column(c)))
    };
    let categories = range(&spec.categories)?;
    // A chart of lines alone (a series over time) is a line chart; bars take the
    // primary chart otherwise, with lines drawn over them.
    let lines_only = spec.bars.is_empty();
    let mut chart = XlChart::new(if lines_only {
        ChartType::Line
    } else {
        ChartType::Column
    });
    if spec.percent && table.column_index("met").is_some() {
        chart
            .title()
            .set_name(&format!("{} (dark blue: met; yellow: not met)", spec.title));
    } else {
        chart.title().set_name(&spec.title);
    }
    if lines_only {
        for series in &spec.lines {
            chart
                .add_series()
                .set_name(&series.name)
                .set_categories(categories)
                .set_values(range(&series.column)?);
        }
    }
    // A share against a target: each bar dark blue where the row meets it, yellow
    // where not (NHS palette, apart in greyscale).
    let met_points: Vec<ChartPoint> = match table.column_index("met") {
        Some(met) if spec.percent => table
            .rows
            .iter()
            .map(|row| {
                let colour = if row.get(met) == Some(&Value::Bool(true)) {
                    MET_COLOUR
                } else {
                    NOT_MET_COLOUR
                };
                ChartPoint::new().set_format(
                    ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    for series in &spec.bars {
        let added = chart
            .add_series()
            .set_name(&series.name)
            .set_categories(categories)
            .set_values(range(&series.column)?);
        if !met_points.is_empty() {
            added.set_points(&met_points);
        }
    }
    if !lines_only && !spec.lines.is_empty() {
        let mut line = XlChart::new(ChartType::Line);
        for series in &spec.lines {
            line.add_series()
                .set_name(&series.name)
                .set_categories(categories)
                .set_values(range(&series.column)?);
        }
        chart.combine(&line);
    }
    chart.y_axis().set_name(&spec.value_axis);
    chart
        .x_axis()
        .set_font(ChartFont::new().set_rotation(-45).set_size(8));
    chart.legend().set_position(ChartLegendPosition::Top);
    if spec.percent {
        chart.y_axis().set_num_format("0%").set_min(0).set_max(1);
    }
    let width = (CHART_MIN_WIDTH + CHART_PIXELS_PER_CATEGORY * place.data_rows)
        .clamp(CHART_MIN_WIDTH, CHART_MAX_WIDTH);
    chart.set_width(width).set_height(CHART_HEIGHT);
    Some(chart)
}

/// A zero-based column index as rust_xlsxwriter's column number (tables are far
/// narrower than Excel's 16 384 columns).
fn column(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

fn write_row(
    worksheet: &mut Worksheet,
    row: u32,
    values: &[Value],
    formats: &ValueFormats,
) -> Result<(), XlsxError> {
    for (index, value) in values.iter().enumerate() {
        write_value(worksheet, row, column(index), value, formats)?;
    }
    Ok(())
}

/// One typed cell. Text is always a string cell, never a formula.
fn write_value(
    worksheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    formats: &ValueFormats,
) -> Result<(), XlsxError> {
    match value {
        Value::Null => {
            worksheet.write_blank(row, col, &formats.text)?;
        }
        Value::Text(text) => {
            worksheet.write_string_with_format(row, col, text, &formats.text)?;
        }
        Value::Int(n) => {
            worksheet.write_number_with_format(row, col, *n as f64, &formats.integer)?;
        }
        Value::Float(f) | Value::Ratio(f) | Value::Points(f) if !f.is_finite() => {
            worksheet.write_blank(row, col, &formats.text)?;
        }
        Value::Float(f) => {
            worksheet.write_number_with_format(row, col, *f, &formats.float)?;
        }
        Value::Ratio(r) => {
            worksheet.write_number_with_format(row, col, *r, &formats.percent)?;
        }
        Value::Points(p) => {
            worksheet.write_number_with_format(row, col, *p, &formats.points)?;
        }
        Value::Bool(b) => {
            worksheet.write_boolean_with_format(row, col, *b, &formats.boolean)?;
        }
        Value::Date(d) => match excel_date(*d) {
            Some(date) => {
                worksheet.write_datetime_with_format(row, col, date, &formats.date)?;
            }
            None => {
                worksheet.write_string_with_format(row, col, d.to_string(), &formats.text)?;
            }
        },
        Value::Money(m) => {
            worksheet.write_number_with_format(row, col, m.as_pounds_f64(), &formats.money)?;
        }
    }
    Ok(())
}

/// A date as an Excel date (`None` outside Excel's years).
fn excel_date(date: chrono::NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

/// The autofit reads a money cell as its bare number, narrower than its £ format
/// shows it (`1736400000` against `£1,736,400,000`): size money columns from the
/// formatted text instead.
fn widen_money_columns(worksheet: &mut Worksheet, tables: &[Table]) -> Result<(), XlsxError> {
    let widest = tables.iter().map(|t| t.columns.len()).max().unwrap_or(0);
    for index in 0..widest {
        let cells = tables.iter().flat_map(|t| {
            t.rows
                .iter()
                .chain(t.total.iter())
                .filter_map(move |row| row.get(index))
        });
        let mut has_money = false;
        let mut chars = 0usize;
        for value in cells {
            let width = match value {
                Value::Money(m) => {
                    has_money = true;
                    money_text_len(*m)
                }
                other => other.display().chars().count(),
            };
            chars = chars.max(width);
        }
        if !has_money {
            continue;
        }
        // Header text plus room for the filter button.
        let header = tables
            .iter()
            .filter_map(|t| t.columns.get(index))
            .map(|c| c.chars().count() + 3)
            .max()
            .unwrap_or(0);
        worksheet.set_column_width(column(index), (chars.max(header) + 2) as f64)?;
    }
    Ok(())
}

/// Characters of [`MONEY_FORMAT`]'s rendering (`-£1,736,400,000`): the amount in
/// whole pounds through the one money formatter.
fn money_text_len(m: Money) -> usize {
    let pence = m.pence();
    let whole_pounds = Money::from_pence(pence - pence % 100);
    format!("{whole_pounds:#}").chars().count()
}

/// Excel table names: unique in the workbook, letters, digits and underscores,
/// derived from the sheet name (`Data quality` → `Data_quality`, `Summary_2`).
#[derive(Default)]
struct TableNames {
    used: std::collections::HashSet<String>,
}

impl TableNames {
    fn next(&mut self, sheet: &str) -> String {
        let mut base: String = sheet
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base.insert_str(0, "Table_");
        }
        let mut name = base.clone();
        let mut n = 1;
        while self.used.contains(&name.to_ascii_lowercase()) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.used.insert(name.to_ascii_lowercase());
        name
    }
}

/// Number formats for each kind of value, in one style (plain or total row).
struct ValueFormats {
    text: Format,
    integer: Format,
    float: Format,
    percent: Format,
    points: Format,
    money: Format,
    date: Format,
    boolean: Format,
}

impl ValueFormats {
    fn new(base: &Format) -> ValueFormats {
        ValueFormats {
            text: base.clone(),
            integer: base.clone(),
            float: base.clone().set_num_format(FLOAT_FORMAT),
            percent: base.clone().set_num_format(PERCENT_FORMAT),
            points: base.clone().set_num_format(POINTS_FORMAT),
            money: base.clone().set_num_format(MONEY_FORMAT),
            date: base.clone().set_num_format(DATE_FORMAT),
            boolean: base.clone(),
        }
    }
}

/// Every format a sheet uses.
struct CellFormats {
    title: Format,
    header: Format,
    plain: ValueFormats,
    /// The national total row: bold, with a rule above.
    total: ValueFormats,
}

impl CellFormats {
    fn new() -> CellFormats {
        CellFormats {
            title: Format::new().set_bold().set_font_size(13),
            header: Format::new().set_bold().set_text_wrap(),
            plain: ValueFormats::new(&Format::new()),
            total: ValueFormats::new(&Format::new().set_bold().set_border_top(FormatBorder::Thin)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_widths_follow_the_pound_format() {
        assert_eq!(money_text_len(Money::from_pounds(1_736_400_000)), 14); // £1,736,400,000
        assert_eq!(money_text_len(Money::from_pounds(-9_000)), 7); // -£9,000
        assert_eq!(money_text_len(Money::ZERO), 2); // £0
    }

    #[test]
    fn table_names_are_unique_identifiers() {
        let mut names = TableNames::default();
        assert_eq!(names.next("Data quality"), "Data_quality");
        assert_eq!(names.next("Summary"), "Summary");
        assert_eq!(names.next("Summary"), "Summary_2");
        assert_eq!(names.next("2026"), "Table_2026");
    }
}
