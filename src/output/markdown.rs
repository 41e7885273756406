//! Markdown tables, for email and wikis: display values, total row last.

use super::{total_row_display, Exporter, Table, Value};
use std::io::Write;

/// A GitHub-flavoured markdown table.
pub struct MarkdownExporter;

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

impl Exporter for MarkdownExporter {
    fn write(&self, table: &Table, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(title) = &table.title {
            writeln!(out, "**{}**\n", escape(title))?;
        }
        writeln!(out, "| {} |", table.columns.join(" | "))?;
        // A column is right-aligned when its first known value is a number (a blank
        // first row, as in a diff's new ICS, does not decide).
        let rule: Vec<&str> = (0..table.columns.len())
            .map(|i| {
                let first_known = table
                    .rows
                    .iter()
                    .chain(table.total.iter())
                    .filter_map(|r| r.get(i))
                    .find(|v| **v != Value::Null);
                match first_known {
                    Some(v) if v.is_numeric() => "---:",
                    _ => "---",
                }
            })
            .collect();
        writeln!(out, "| {} |", rule.join(" | "))?;
        for row in table.rows.iter() {
            let cells: Vec<String> = row.iter().map(|v| escape(&v.display())).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        if let Some(total) = &table.total {
            let cells: Vec<String> = total_row_display(total)
                .into_iter()
                .map(|s| match s {
                    s if s.is_empty() => s,
                    s => format!("**{}**", escape(&s)),
                })
                .collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        Ok(())
    }
}
