//! CSV: unrounded values, snake_case header, formula-looking text escaped (SPEC 2).

use super::{machine_rows, Exporter, Table, Value};
use std::io::Write;

/// CSV with an optional total row.
pub struct CsvExporter {
    /// Include the total row.
    pub total: bool,
    /// Prefix text that a spreadsheet would run as a formula with `'`.
    pub escape_formulas: bool,
    /// Begin with a UTF-8 byte-order mark.
    pub bom: bool,
}

/// The UTF-8 byte-order mark: without it Excel reads a CSV in the Windows code page
/// and shows `£` as `Â£`.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Text starting with `=`, `+`, `-`, `@`, tab or carriage return would run as a
/// formula when the CSV is opened in a spreadsheet: prefix it with `'`.
pub fn escape_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

impl Exporter for CsvExporter {
    fn write(&self, table: &Table, out: &mut dyn Write) -> std::io::Result<()> {
        if self.bom {
            out.write_all(BOM)?;
        }
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(&table.columns)?;
        for row in machine_rows(table, self.total) {
            writer.write_record(row.iter().map(|v| match v {
                Value::Text(s) if self.escape_formulas => escape_formula(s),
                other => other.raw(),
            }))?;
        }
        writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_escaped() {
        assert_eq!(escape_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(escape_formula("-1+2"), "'-1+2");
        assert_eq!(escape_formula("@SUM"), "'@SUM");
        assert_eq!(escape_formula("\tx"), "'\tx");
        assert_eq!(escape_formula("Royal Free"), "Royal Free");
    }
}
