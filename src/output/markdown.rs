//! Markdown tables, for email and wikis: display values, total row last.

use super::{Exporter, Table};
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
        let first = table.rows.first().or(table.total.as_ref());
        let rule: Vec<&str> = (0..table.columns.len())
            .map(|i| match first.and_then(|r| r.get(i)) {
                Some(v) if v.is_numeric() => "---:",
                _ => "---",
            })
            .collect();
        writeln!(out, "| {} |", rule.join(" | "))?;
        for row in table.rows.iter() {
            let cells: Vec<String> = row.iter().map(|v| escape(&v.display())).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        if let Some(total) = &table.total {
            let cells: Vec<String> = total
                .iter()
                .map(|v| match v.display() {
                    s if s.is_empty() => s,
                    s => format!("**{}**", escape(&s)),
                })
                .collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        Ok(())
    }
}
