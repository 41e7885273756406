//! The `ics` cover sheet (SPEC 1.4): label in one column, value in the next.

use crate::diag::{Diagnostic, Location, Severity};
use crate::geography::{canonical_region, known_icb, known_icb_by_name};
use crate::ingest::{Grid, Workbook};
use crate::normalise::values::{cell_text, parse_date_cell};
use crate::schema::{normalise_label, sheet_role, CoverField, SheetRole, HEADER_SCAN_ROWS};
use chrono::NaiveDate;

/// What a cover sheet says about the return.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cover {
    /// ICS name (canonical when recognised).
    pub ics_name: Option<String>,
    /// ICB code (upper case).
    pub ics_code: Option<String>,
    /// Region name.
    pub region: Option<String>,
    /// Submission date.
    pub submitted: Option<NaiveDate>,
    /// Contact.
    pub contact: Option<String>,
}

/// Read the cover sheet of a workbook, if it has one: a sheet named ICS / Cover /
/// Summary, or else a visible sheet (other than `skip`, the providers sheet) with at
/// least two cover labels in its first rows.
pub fn read_cover(
    workbook: &Workbook,
    skip: Option<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Cover> {
    let role = |g: &Grid| g.sheet.as_deref().map(sheet_role);
    let sheet = workbook
        .sheets
        .iter()
        .find(|g| role(g) == Some(Some(SheetRole::Cover)))
        .or_else(|| {
            // Found by content: an unnamed-for-anything sheet with two or more labels.
            workbook.sheets.iter().enumerate().find_map(|(i, g)| {
                (Some(i) != skip && role(g) == Some(None) && cover_labels(g).len() >= 2)
                    .then_some(g)
            })
        })?;
    Some(parse_cover(sheet, &workbook.input.display, diags))
}

/// (field, row, value column) of each cover label found.
fn cover_labels(grid: &Grid) -> Vec<(CoverField, usize, usize)> {
    let mut found = Vec::new();
    for row in 0..grid.height().min(HEADER_SCAN_ROWS) {
        let cells = grid.row(row);
        for (col, cell) in cells.iter().enumerate() {
            let Some(text) = cell_text(cell) else {
                continue;
            };
            let norm = normalise_label(&text).0;
            let Some(field) = CoverField::ALL
                .iter()
                .copied()
                .find(|f| f.labels().iter().any(|l| normalise_label(l).0 == norm))
            else {
                continue;
            };
            if found.iter().any(|(f, _, _)| *f == field) {
                continue;
            }
            // The value is the next non-empty cell to the right.
            if let Some(offset) = cells[col + 1..].iter().position(|c| cell_text(c).is_some()) {
                found.push((field, row, col + 1 + offset));
            }
            break;
        }
    }
    found
}

fn parse_cover(grid: &Grid, file: &str, diags: &mut Vec<Diagnostic>) -> Cover {
    let mut cover = Cover::default();
    for (field, row, col) in cover_labels(grid) {
        let cell = grid.get(row, col);
        let loc = Location {
            file: file.to_string(),
            sheet: grid.sheet.clone(),
            cell: Some(grid.cell_ref(row, col)),
        };
        if let crate::ingest::Cell::Error(e) = cell {
            diags.push(Diagnostic::at(
                Severity::Warning,
                &loc,
                format!(
                    "cover sheet {}: the formula's result is an error value ({e}): treated as missing",
                    field.labels()[0]
                ),
            ));
            continue;
        }
        match field {
            CoverField::IcsName => cover.ics_name = cell_text(cell),
            CoverField::IcsCode => cover.ics_code = cell_text(cell).map(|c| c.to_uppercase()),
            CoverField::Region => {
                cover.region =
                    cell_text(cell).map(|r| canonical_region(&r).map_or(r, str::to_string))
            }
            CoverField::Contact => cover.contact = cell_text(cell),
            CoverField::Submitted => match parse_date_cell(cell) {
                Ok(date) => cover.submitted = date,
                Err(problem) => diags.push(Diagnostic::at(
                    Severity::Warning,
                    &loc,
                    format!("submission date: {problem} (the file's modification time dates the return)"),
                )),
            },
        }
    }
    complete_ics(&mut cover.ics_code, &mut cover.ics_name, &mut cover.region);
    cover
}

/// Fill an ICS's name, code and region from each other through the known ICB lists
/// (see [`known_icb`]), and put a recognised name in its canonical spelling.
pub fn complete_ics<T>(code: &mut Option<T>, name: &mut Option<T>, region: &mut Option<T>)
where
    T: AsRef<str> + for<'a> From<&'a str>,
{
    fn text<T: AsRef<str>>(v: &Option<T>) -> Option<&str> {
        v.as_ref().map(AsRef::as_ref)
    }
    let known = text(code)
        .and_then(known_icb)
        .or_else(|| text(name).and_then(known_icb_by_name));
    if let Some(icb) = known {
        if code.is_none() {
            *code = Some(T::from(&icb.code));
        }
        // Keep a name that names another ICS than the code: that is the caller's
        // conflict to report, not ours to hide.
        if text(name)
            .and_then(known_icb_by_name)
            .is_none_or(|other| other.code == icb.code)
        {
            *name = Some(T::from(&icb.name));
        }
        if region.is_none() {
            *region = Some(T::from(&icb.region));
        }
    }
}
