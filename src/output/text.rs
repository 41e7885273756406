//! The terminal table (comfy-table), fitted to the terminal width.

use super::{Exporter, Table};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ContentArrangement};
use std::io::Write;

/// A table for people, with the total row last.
pub struct TextExporter;

impl Exporter for TextExporter {
    fn write(&self, table: &Table, out: &mut dyn Write) -> std::io::Result<()> {
        let mut grid = comfy_table::Table::new();
        grid.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(table.columns.iter().map(|c| Cell::new(c.replace('_', " "))));
        for row in table.rows.iter().chain(table.total.iter()) {
            grid.add_row(row.iter().map(|v| {
                let cell = Cell::new(v.display());
                if v.is_numeric() {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            }));
        }
        if let Some(title) = &table.title {
            writeln!(out, "{title}")?;
        }
        writeln!(out, "{grid}")
    }
}
