//! The terminal table (comfy-table), fitted to the terminal width.

use super::{display_header, total_row_display, Exporter, Table, Value};
use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Attribute, Cell, CellAlignment, Color, ContentArrangement,
};
use std::io::Write;

/// A table for people, with the total row last.
pub struct TextExporter {
    /// Colour yes/no cells (green/red) and embolden the total row.
    pub colour: bool,
}

impl Exporter for TextExporter {
    fn write(&self, table: &Table, out: &mut dyn Write) -> std::io::Result<()> {
        let mut grid = comfy_table::Table::new();
        grid.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(table.columns.iter().map(|c| Cell::new(display_header(c))));
        if self.colour {
            grid.enforce_styling();
        } else {
            grid.force_no_tty();
        }
        let rows = table.rows.iter().map(|r| (r, false));
        for (row, is_total) in rows.chain(table.total.iter().map(|r| (r, true))) {
            let shown = if is_total {
                total_row_display(row)
            } else {
                row.iter().map(Value::display).collect()
            };
            grid.add_row(
                row.iter()
                    .zip(shown)
                    .map(|(v, s)| self.cell(v, s, is_total)),
            );
        }
        if let Some(title) = &table.title {
            writeln!(out, "{title}")?;
        }
        writeln!(out, "{grid}")
    }
}

impl TextExporter {
    fn cell(&self, value: &Value, shown: String, is_total: bool) -> Cell {
        let mut cell = Cell::new(shown);
        if value.is_numeric() {
            cell = cell.set_alignment(CellAlignment::Right);
        }
        if !self.colour {
            return cell;
        }
        if let Value::Bool(yes) = value {
            cell = cell.fg(if *yes { Color::Green } else { Color::Red });
        }
        if is_total {
            cell = cell.add_attribute(Attribute::Bold);
        }
        cell
    }
}
