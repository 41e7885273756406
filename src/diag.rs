//! Diagnostics: every problem found in the input, with the place it was found
//! (`file: Sheet!C14: severity: message`, SPEC 2).

use crate::schema::TableKind;
use anstyle::AnsiColor;
use std::fmt;
use std::fmt::Write as _;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational: something the analyst should know (a skipped lock file, a
    /// merged duplicate); never changes the exit status.
    Note,
    /// A bad cell or questionable row: the value is treated as missing, the row kept.
    Warning,
    /// The input cannot be used (unreadable file, no providers table, missing column).
    Error,
}

impl Severity {
    /// Lower-case word used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The file as the user named it (or as found under a named directory).
    pub file: String,
    /// The worksheet, when the problem is inside one.
    pub sheet: Option<String>,
    /// The A1 cell reference, when the problem is one cell (or a row's first cell).
    pub cell: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
    /// The systems or funding table the problem is about, so that a command that
    /// does not use that table leaves it out (`None`: the file, its cover sheet or
    /// its providers table, which every command uses).
    pub table: Option<TableKind>,
}

impl Diagnostic {
    /// A problem with a whole file.
    pub fn file(severity: Severity, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.to_string(),
            sheet: None,
            cell: None,
            message: message.into(),
            table: None,
        }
    }

    /// A problem at a place inside a file.
    pub fn at(severity: Severity, loc: &Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: loc.file.clone(),
            sheet: loc.sheet.clone(),
            cell: loc.cell.clone(),
            message: message.into(),
            table: None,
        }
    }

    /// The same problem, marked as being about `table`.
    pub fn about(mut self, table: TableKind) -> Self {
        self.table = Some(table);
        self
    }

    /// Whether a command that reads `tables` should hear about this problem: errors
    /// always (they stop every command), others when they concern no particular
    /// table or one of `tables`.
    pub fn concerns(&self, tables: &[TableKind]) -> bool {
        self.severity == Severity::Error || self.table.is_none_or(|t| tables.contains(&t))
    }
}

/// Mark the diagnostics pushed since `start` as being about `table` (those not
/// already marked): what reading one table found.
pub fn mark_since(diags: &mut [Diagnostic], start: usize, table: TableKind) {
    for d in diags.iter_mut().skip(start) {
        d.table.get_or_insert(table);
    }
}

impl Diagnostic {
    /// Where the problem is.
    pub fn location(&self) -> Location {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            cell: self.cell.clone(),
        }
    }
}

impl Diagnostic {
    /// The one-line form, with the severity word coloured (red error, yellow
    /// warning, cyan note) when `colour` is on.
    pub fn render(&self, colour: bool) -> String {
        if !colour {
            return self.to_string();
        }
        let style = match self.severity {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
            Severity::Note => AnsiColor::Cyan.on_default(),
        };
        format!(
            "{}: {style}{}{style:#}: {}",
            self.location(),
            self.severity.name(),
            self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity.name(),
            self.message
        )
    }
}

/// A place in the input: file, optional sheet, optional A1 cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file as displayed to the user.
    pub file: String,
    /// The worksheet (none for CSV).
    pub sheet: Option<String>,
    /// The A1 cell reference.
    pub cell: Option<String>,
}

impl Location {
    /// The place inside the file: `Sheet!C14`, `Sheet`, `C14` (CSV), or nothing.
    pub fn place(&self) -> Option<String> {
        match (&self.sheet, &self.cell) {
            (Some(sheet), Some(cell)) => Some(format!("{sheet}!{cell}")),
            (Some(sheet), None) => Some(sheet.clone()),
            (None, Some(cell)) => Some(cell.clone()),
            (None, None) => None,
        }
    }
}

/// `file: Sheet!C14`, the form every message uses (SPEC 2).
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        match self.place() {
            Some(place) => write!(f, ": {place}"),
            None => Ok(()),
        }
    }
}

/// A1 reference for a zero-based absolute row and column (`(13, 2)` → `C14`).
pub fn cell_ref(row: u32, col: u32) -> String {
    // Every row read gets one, so it is built in one small string.
    let mut out = String::with_capacity(12);
    push_column_letters(&mut out, col);
    let _ = write!(out, "{}", u64::from(row) + 1);
    out
}

/// Spreadsheet column letters for a zero-based index (`0` → `A`, `26` → `AA`).
pub fn column_letters(col: u32) -> String {
    let mut out = String::with_capacity(3);
    push_column_letters(&mut out, col);
    out
}

fn push_column_letters(out: &mut String, col: u32) {
    let mut n = u64::from(col) + 1;
    // At most seven letters for a u32 index; written from the right.
    let mut letters = [0u8; 7];
    let mut start = letters.len();
    while n > 0 {
        start -= 1;
        letters[start] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.extend(letters[start..].iter().map(|&b| char::from(b)));
}

/// Counts of diagnostics by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of notes.
    pub notes: usize,
}

impl Counts {
    /// Count a list of diagnostics.
    pub fn of<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> Counts {
        let mut counts = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Note => counts.notes += 1,
            }
        }
        counts
    }

    /// Whether these problems stop a command: any error, or any warning under
    /// `--strict` (SPEC 2).
    pub fn fails(&self, strict: bool) -> bool {
        self.errors > 0 || (strict && self.warnings > 0)
    }
}

/// "1 warning", "3 warnings".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_roll_over() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
        assert_eq!(cell_ref(13, 2), "C14");
        assert_eq!(cell_ref(1_048_575, 16_383), "XFD1048576");
        assert_eq!(column_letters(u32::MAX), "MWLQKWV");
    }

    #[test]
    fn a_command_hears_about_the_tables_it_uses_and_every_error() {
        let funding =
            |severity| Diagnostic::file(severity, "a.xlsx", "m").about(TableKind::Funding);
        let coverage = [TableKind::Providers];
        assert!(!funding(Severity::Note).concerns(&coverage));
        assert!(!funding(Severity::Warning).concerns(&coverage));
        assert!(funding(Severity::Error).concerns(&coverage));
        assert!(funding(Severity::Warning).concerns(&TableKind::ALL));
        // Not about a table (the file, its cover sheet, its providers): everyone's.
        assert!(Diagnostic::file(Severity::Note, "a.xlsx", "m").concerns(&[]));
        // What reading one table found is marked as about it, unless already marked.
        let mut diags = vec![
            Diagnostic::file(Severity::Note, "a.xlsx", "before"),
            Diagnostic::file(Severity::Note, "a.xlsx", "read"),
            Diagnostic::file(Severity::Note, "a.xlsx", "read").about(TableKind::Providers),
        ];
        mark_since(&mut diags, 1, TableKind::Systems);
        let tables: Vec<Option<TableKind>> = diags.iter().map(|d| d.table).collect();
        assert_eq!(
            tables,
            [None, Some(TableKind::Systems), Some(TableKind::Providers)]
        );
    }

    #[test]
    fn display_matches_spec_format() {
        let loc = Location {
            file: "returns/qh8.xlsx".into(),
            sheet: Some("Providers".into()),
            cell: Some("D14".into()),
        };
        let d = Diagnostic::at(Severity::Warning, &loc, "unrecognised date \"soon\"");
        assert_eq!(
            d.to_string(),
            "returns/qh8.xlsx: Providers!D14: warning: unrecognised date \"soon\""
        );
    }
}
