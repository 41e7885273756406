//! The `funding` table (SPEC 1.4): funding lines of an ICS's EPR programme, with
//! amounts in pounds scaled by their header units (SPEC 1.5).

use crate::diag::{Diagnostic, Severity};
use crate::ingest::Grid;
use crate::metrics::UNKNOWN_GROUP;
use crate::model::FundingLine;
use crate::money::Money;
use crate::normalise::header::HeaderMatch;
use crate::normalise::rows::{read_rows, RowReader};
use crate::normalise::values::cell_text;
use crate::schema::{normalise_label, Field};

/// The ICS a return is for, given to every funding line it holds.
#[derive(Debug, Clone, Default)]
pub struct ReturnIcs {
    /// ICB code.
    pub ics_code: Option<String>,
    /// ICS name.
    pub ics_name: Option<String>,
    /// NHS England region.
    pub region: Option<String>,
}

/// A stated gap may differ from the computed one by this much (rounding in the
/// return) before it is reported (SPEC 3: more than £1).
const GAP_TOLERANCE: Money = Money::from_pounds(1);

/// Read every funding line below the header. A line without an ODS code is ICS-wide
/// (a warning when the return names no ICS to count it for).
/// A total line (no code, "Total" as its first text) is reported and not counted, so
/// that it is not added to the lines it sums.
pub fn read_funding(
    grid: &Grid,
    header: &HeaderMatch,
    ics: &ReturnIcs,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<FundingLine> {
    read_rows(grid, header, file, diags, |r| {
        if r.text_ref(Field::OdsCode).is_none() {
            if let Some(label) = total_label(grid, r.row) {
                let loc = grid.location(file, Some((r.row, 0)));
                r.diags.push(Diagnostic::at(
                    Severity::Note,
                    &loc,
                    format!("funding row \"{label}\" looks like a total of the lines above: not counted"),
                ));
                return None;
            }
        }
        let line = FundingLine {
            ods_code: r.ods_code_if_given(),
            item: r.text(Field::Item),
            total_cost: r.money(Field::TotalCost),
            national_funding: r.money(Field::NationalFunding),
            local_funding: r.money(Field::LocalFunding),
            stated_gap: r.money(Field::StatedGap),
            fiscal_year: r.text(Field::FiscalYear),
            return_ics_code: ics.ics_code.clone(),
            return_ics_name: ics.ics_name.clone(),
            return_region: ics.region.clone(),
            origin: r.origin(),
        };
        check_stated_gap(r, &line);
        if line.ods_code.is_none() && ics.ics_code.is_none() && ics.ics_name.is_none() {
            r.warn(
                Field::Item,
                format!("ICS-wide funding line (no ODS code) in a return that names no ICS (no cover sheet, and its providers do not share one): counted under {UNKNOWN_GROUP}"),
            );
        }
        Some(line)
    })
}

/// The first text of a row, if it reads as a total ("Total", "Grand total",
/// "Sub-total ...").
fn total_label(grid: &Grid, row: usize) -> Option<String> {
    let first = grid.row(row).iter().find_map(cell_text)?;
    let norm = normalise_label(&first).0;
    ["total", "totals", "grand total", "sub total", "subtotal"]
        .iter()
        .any(|t| norm == *t || norm.starts_with(&format!("{t} ")))
        .then_some(first)
}

/// A stated gap more than £1 away from total − national − local is a warning at the
/// stated gap's cell.
fn check_stated_gap(r: &mut RowReader<'_>, line: &FundingLine) {
    let Some(stated) = line.stated_gap else {
        return;
    };
    let computed = line.computed_gap();
    let difference = (stated - computed).abs();
    if difference > GAP_TOLERANCE {
        let caveat = if line.has_missing_amount() {
            " (missing amounts counted as 0)"
        } else {
            ""
        };
        r.warn(
            Field::StatedGap,
            format!(
                "stated gap {stated:#} differs from the computed gap {computed:#} (total cost − national − local{caveat}) by {difference:#}: the computed gap is used"
            ),
        );
    }
}
