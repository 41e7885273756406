//! The xlsx pack printed for a board (issue 21): the coverage sheet ranked by coverage
//! with its chart's bars coloured met / not met, and the print setup (A4 landscape,
//! the Summary on one page, longer sheets one page wide with the header row repeated
//! and each further table and chart starting a page).

mod common;
mod xlsx_read;

use common::*;
use std::path::PathBuf;
use xlsx_read::*;

fn pack(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("pack.xlsx");
    eprscan(&["report", "examples/returns", "-o", arg(&path)]).expect_code(0);
    path
}

#[test]
fn coverage_ranked_and_bars_coloured_met_or_not() {
    let dir = temp_dir();
    let path = pack(dir.path());
    // The ICS rows (3-44) are in falling coverage, and they are the 42 that `eprscan
    // coverage` reports.
    let sheet = grid(&path, "Coverage");
    let shares: Vec<f64> = (2..44).map(|r| number(&sheet.at(r, 6))).collect();
    assert!(
        shares.windows(2).all(|w| w[0] >= w[1]),
        "not ranked: {shares:?}"
    );
    let rows = coverage_csv("examples/returns", &[]);
    let mut expected: Vec<String> = rows
        .iter()
        .map(|r| field(r, "ics_code").to_string())
        .filter(|c| !c.is_empty())
        .collect();
    let mut codes: Vec<String> = (2..44).map(|r| text(&sheet.at(r, 0))).collect();
    expected.sort();
    codes.sort();
    assert_eq!(codes, expected);
    // One coloured point per ICS: dark blue for each ICS meeting the target.
    let met = rows
        .iter()
        .filter(|r| !field(r, "ics_code").is_empty() && field(r, "met") == "true")
        .count();
    let chart = part(&path, "xl/charts/chart1.xml");
    assert_eq!(chart.matches("<c:dPt>").count(), 42);
    assert_eq!(chart.matches("srgbClr val=\"003087\"").count(), met);
    assert_eq!(chart.matches("srgbClr val=\"FFB81C\"").count(), 42 - met);
    // The first rows are the ones meeting it.
    assert!((2..2 + met as u32).all(|r| sheet.at(r, 8) == calamine::Data::Bool(true)));
}

#[test]
fn print_setup() {
    let dir = temp_dir();
    let path = pack(dir.path());
    for sheet in ["Summary", "Coverage", "Convergence", "Funding"] {
        let xml = sheet_part(&path, sheet);
        assert!(xml.contains("paperSize=\"9\""), "{sheet}: A4");
        assert!(xml.contains("orientation=\"landscape\""), "{sheet}");
        assert!(xml.contains("fitToPage=\"1\""), "{sheet}");
    }
    // The Summary fits one page (no fitToHeight="0": one page tall as well as wide).
    let summary = sheet_part(&path, "Summary");
    assert!(!summary.contains("fitToHeight=\"0\""), "{summary}");
    assert!(!summary.contains("<rowBreaks"));
    // Coverage: one page wide, the header row (row 2) repeated, the chart on its own
    // page after the 42 ICS rows and the national row (rows 3-45).
    let coverage = sheet_part(&path, "Coverage");
    assert!(coverage.contains("fitToHeight=\"0\""));
    assert!(coverage.contains("<brk id=\"46\""), "{coverage}");
    let workbook = part(&path, "xl/workbook.xml");
    assert!(
        workbook.contains(">Coverage!$2:$2</definedName>"),
        "{workbook}"
    );
    // Convergence: the supplier table and each of the two charts start a page.
    let convergence = sheet_part(&path, "Convergence");
    assert!(
        convergence.contains("<rowBreaks count=\"3\""),
        "{convergence}"
    );
}
