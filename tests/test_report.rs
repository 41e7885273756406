//! `eprscan report`: the monthly pack as xlsx (sheets, real Excel tables, typed
//! values under number formats, frozen headers, native charts, formula-like text kept
//! as text) and as markdown; and any table written with `-o FILE.xlsx`.

mod common;
mod xlsx_read;

use calamine::Data;
use common::*;
use std::path::{Path, PathBuf};
use xlsx_read::*;

const SHEETS: [&str; 7] = [
    "Summary",
    "Coverage",
    "Convergence",
    "Funding",
    "Maturity",
    "Data quality",
    "Returns",
];

fn report(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", arg(&path)]);
    let run = eprscan(&all);
    run.expect_code(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    path
}

/// The headline value of a figure on the Summary sheet (column B of its row).
fn headline(path: &Path, figure: &str) -> Data {
    let summary = grid(path, "Summary");
    summary.at(summary.find_row(figure), 1)
}

#[test]
fn canonical_report_sheets_tables_and_figures() {
    let dir = temp_dir();
    let path = report(dir.path(), "pack.xlsx", &["fixtures/canonical.xlsx"]);
    assert_eq!(sheet_names(&path), SHEETS);

    // Summary: the national headline, read from the metric tables.
    for (figure, expected) in [
        ("NHS trusts", 10.0),
        ("Live", 7.0),
        ("Implementing", 2.0),
        ("Not started", 1.0),
        ("Coverage", 0.7),
        ("Target", 0.9),
        ("Shortfall (trusts still to go live)", 2.0),
        ("ICSs", 1.0),
        ("ICSs meeting the target", 0.0),
        // Every provider's EPRs in use (the 7 live trusts and live GPX01): Oracle
        // Health Millennium, RiO, Cleric, Epic, SystmOne, EMIS Web; planned adds
        // nothing new (RGP, RCX -> Epic; RY3 names SystmOne). fixtures/README.md.
        ("Distinct EPRs in use (all providers)", 6.0),
        ("Distinct EPRs planned (all providers)", 6.0),
        ("Funding lines", 0.0),
        ("Files read", 1.0),
        ("Warnings", 0.0),
    ] {
        assert_close(number(&headline(&path, figure)), expected, figure);
    }
    assert_eq!(headline(&path, "Target met"), Data::Bool(false));
    assert_eq!(text(&headline(&path, "Deadline")), "2023-12-31");
    assert_eq!(text(&headline(&path, "Live as of")), "reported status");
    assert_eq!(
        text(&headline(&path, "Latest return submitted")),
        "2026-10-15"
    );
    // No funding table: no amounts rather than a £0 gap.
    assert_eq!(headline(&path, "Funding gap"), Data::Empty);
    // The files read, under the headline.
    let summary = grid(&path, "Summary");
    let files = summary.find_row("Files read, with what their cover sheets say") + 1;
    assert_eq!(
        summary.row_text(files),
        [
            "ics code",
            "ics name",
            "region",
            "submitted",
            "provider rows",
            "file"
        ]
    );
    assert_eq!(
        summary.row_text(files + 1),
        [
            "QH8",
            "Mid and South Essex",
            "East of England",
            "2026-10-15",
            "12",
            "fixtures/canonical.xlsx"
        ]
    );

    // Coverage: title, header, the ICS row and the national row, typed.
    let coverage = grid(&path, "Coverage");
    assert!(
        text(&coverage.cell("A1")).starts_with("EPR coverage of NHS trusts against the 90% target")
    );
    assert_eq!(
        coverage.row_text(1),
        [
            "ics code",
            "ics name",
            "trusts",
            "live",
            "implementing",
            "not started",
            "coverage",
            "target",
            "met",
            "shortfall",
            "rest implementing"
        ]
    );
    assert_eq!(text(&coverage.cell("A3")), "QH8");
    assert_eq!(text(&coverage.cell("B3")), "Mid and South Essex");
    let numbers: Vec<f64> = ["C3", "D3", "E3", "F3", "G3", "H3", "J3"]
        .iter()
        .map(|c| number(&coverage.cell(c)))
        .collect();
    assert_eq!(numbers, [10.0, 7.0, 2.0, 1.0, 0.7, 0.9, 2.0]);
    assert_eq!(coverage.cell("I3"), Data::Bool(false));
    assert_eq!(text(&coverage.cell("B4")), "England");
    assert_close(number(&coverage.cell("G4")), 0.7, "national coverage");

    // Real Excel tables with the same headers; the total row sits below the table.
    assert_eq!(
        tables_in_sheet(&path, "Coverage"),
        [("Coverage".to_string(), coverage.row_text(1))]
    );
    // Coverage's table (the third of the workbook) spans its header and data row.
    assert!(part(&path, "xl/tables/table3.xml").contains("ref=\"A2:K3\""));
    for sheet in SHEETS {
        assert!(
            !tables_in_sheet(&path, sheet).is_empty(),
            "no Excel table on {sheet}"
        );
        assert!(
            sheet_part(&path, sheet).contains("state=\"frozen\""),
            "header of {sheet} not frozen"
        );
    }

    // Convergence (every provider): distinct EPRs in use 6, planned 6, and the EPRs named.
    let convergence = grid(&path, "Convergence");
    assert_eq!(number(&convergence.cell("D3")), 6.0);
    assert_eq!(number(&convergence.cell("E3")), 6.0);
    assert!(text(&convergence.cell("I3")).starts_with("Epic (2); "));

    // Number formats: percent for shares, £ for money. canonical.xlsx has no funding
    // table, so its funding amounts are empty: the £ format is checked on a return
    // that has one.
    let styles = part(&path, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.0%\""), "{styles}");
    let funded = report(dir.path(), "funded.xlsx", &["fixtures/funding.xlsx"]);
    let styles = part(&funded, "xl/styles.xml");
    assert!(styles.contains("£#,##0"), "{styles}");
}

#[test]
fn native_charts_coverage_with_target_line_and_eprs_now_and_planned() {
    let dir = temp_dir();
    let path = report(dir.path(), "pack.xlsx", &["examples/returns"]);
    let parts = parts(&path);
    assert!(
        parts.iter().any(|p| p == "xl/charts/chart1.xml"),
        "{parts:?}"
    );
    assert!(
        parts.iter().any(|p| p == "xl/charts/chart2.xml"),
        "{parts:?}"
    );
    // 42 ICSs in rows 3-44 of the data sheets.
    let coverage_chart = part(&path, "xl/charts/chart1.xml");
    assert!(coverage_chart.contains("<c:barChart>"), "{coverage_chart}");
    assert!(coverage_chart.contains("<c:lineChart>"), "{coverage_chart}");
    assert!(coverage_chart.contains("<c:f>Coverage!$B$3:$B$44</c:f>"));
    assert!(coverage_chart.contains("<c:f>Coverage!$G$3:$G$44</c:f>"));
    assert!(coverage_chart.contains("<c:f>Coverage!$H$3:$H$44</c:f>"));
    assert!(coverage_chart.contains("Target (90%)"));
    let eprs_chart = part(&path, "xl/charts/chart2.xml");
    assert!(eprs_chart.contains("<c:f>Convergence!$D$3:$D$44</c:f>"));
    assert!(eprs_chart.contains("<c:f>Convergence!$E$3:$E$44</c:f>"));
    assert!(eprs_chart.contains("<c:v>Planned</c:v>"));
    assert!(sheet_part(&path, "Coverage").contains("<drawing "));
    assert!(sheet_part(&path, "Convergence").contains("<drawing "));
}

#[test]
fn figures_agree_with_the_metric_commands() {
    let dir = temp_dir();
    let path = report(dir.path(), "pack.xlsx", &["examples/returns"]);
    let run = eprscan(&[
        "funding",
        "examples/returns",
        "--by",
        "national",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    let england = &run.csv()[0];
    // Money is written as pounds (exact here: whole pounds).
    for (figure, column) in [
        ("Programme cost", "total_cost"),
        ("Funding secured", "secured"),
        ("Funding gap", "gap"),
    ] {
        assert_eq!(
            number(&headline(&path, figure)),
            float(england, column),
            "{figure}"
        );
    }
    assert_eq!(number(&headline(&path, "Funding gap")), 282_100_000.0);
    let funding = grid(&path, "Funding");
    let national = (0..funding.height())
        .find(|&r| text(&funding.at(r, 1)) == "England")
        .expect("a national row on Funding");
    assert_eq!(number(&funding.at(national, 3)), 1_736_400_000.0);

    let rows = coverage_csv("examples/returns", &[]);
    let meeting = rows
        .iter()
        .filter(|r| !field(r, "ics_code").is_empty() && field(r, "met") == "true")
        .count();
    assert_eq!(
        number(&headline(&path, "ICSs meeting the target")),
        meeting as f64
    );
    assert_eq!(number(&headline(&path, "ICSs")), 42.0);
    let national = total_row(&rows, &["ics_code", "ics_name"]);
    assert_eq!(
        number(&headline(&path, "NHS trusts")),
        float(national, "trusts")
    );
    assert_eq!(number(&headline(&path, "Live")), float(national, "live"));
}

#[test]
fn data_quality_lists_every_diagnostic() {
    let dir = temp_dir();
    let run = eprscan(&[
        "report",
        "fixtures/bad_cells.xlsx",
        "-o",
        arg(&dir.path().join("pack.xlsx")),
    ]);
    run.expect_code(0);
    assert!(run.stderr.contains("4 warnings"), "{}", run.stderr);
    let path = dir.path().join("pack.xlsx");
    let quality = grid(&path, "Data quality");
    assert_eq!(
        quality.row_text(1),
        ["file", "sheet", "cell", "severity", "message"]
    );
    let rows: Vec<Vec<String>> = (2..quality.height()).map(|r| quality.row_text(r)).collect();
    let cells: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        cells,
        [
            ("Providers", "A2", "warning"),
            ("Providers", "E3", "warning"),
            ("Providers", "H4", "warning"),
            ("Providers", "G6", "warning"),
        ]
    );
    assert!(rows.iter().all(|r| r[0] == "fixtures/bad_cells.xlsx"));
    assert!(rows[3][4].contains("next spring"), "{:?}", rows[3]);
    assert_eq!(number(&headline(&path, "Warnings")), 4.0);
}

#[test]
fn formula_like_text_is_written_as_text() {
    let dir = temp_dir();
    // A return whose ICS name and provider name look like formulas.
    let input = dir.path().join("mischief.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let cover = workbook.add_worksheet();
    cover.set_name("Cover").expect("a name");
    cover.write_string(0, 0, "ICS name").expect("a cell");
    cover
        .write_string(0, 1, "=HYPERLINK(\"http://example.com\",\"x\")")
        .expect("a cell");
    let providers = workbook.add_worksheet();
    providers.set_name("Providers").expect("a name");
    for (col, header) in [
        "ODS code",
        "Organisation name",
        "Sector",
        "EPR status",
        "Supplier",
    ]
    .iter()
    .enumerate()
    {
        providers
            .write_string(0, col as u16, *header)
            .expect("a cell");
    }
    for (col, value) in ["RAJ", "+1-2", "Acute", "Live", "@SUM(A1:A2)"]
        .iter()
        .enumerate()
    {
        providers
            .write_string(1, col as u16, *value)
            .expect("a cell");
    }
    workbook.save(&input).expect("the input saves");

    let path = report(dir.path(), "pack.xlsx", &[arg(&input)]);
    let coverage = grid(&path, "Coverage");
    assert_eq!(
        coverage.cell("B3"),
        Data::String("=HYPERLINK(\"http://example.com\",\"x\")".into())
    );
    let convergence = grid(&path, "Convergence");
    assert_eq!(
        text(&convergence.cell("I3")),
        "@SUM(A1:A2) (1)",
        "an unknown supplier is kept as written"
    );
    // No worksheet of the report holds a formula.
    for sheet in SHEETS {
        let xml = sheet_part(&path, sheet);
        assert!(!xml.contains("<f>"), "{sheet} has a formula: {xml}");
    }
}

#[test]
fn markdown_has_the_same_sections() {
    let dir = temp_dir();
    let path = dir.path().join("pack.md");
    let run = eprscan(&[
        "report",
        "fixtures/canonical.xlsx",
        "--as-of",
        "2024-06-30",
        "-o",
        arg(&path),
    ]);
    run.expect_code(0);
    let md = std::fs::read_to_string(&path).expect("the markdown report");
    assert!(md.starts_with("# EPR landscape report\n"), "{md}");
    let mut last = 0;
    for sheet in SHEETS {
        let at = md
            .find(&format!("\n## {sheet}\n"))
            .unwrap_or_else(|| panic!("no section {sheet} in {md}"));
        assert!(at > last, "{sheet} out of order");
        last = at;
    }
    // As of mid-2024, RDE and RWR had not gone live: 5 of 10.
    assert!(md.contains("| Live as of | 2024-06-30 |"), "{md}");
    assert!(md.contains("| Coverage | 50.0% |"), "{md}");
    assert!(
        md.contains("| QH8 | Mid and South Essex | 10 | 5 | 2 | 3 | 50.0% | 90.0% | no | 4 | no |"),
        "{md}"
    );
}

#[test]
fn options_usage_and_input_errors() {
    let dir = temp_dir();
    let run = eprscan(&["report", "fixtures/canonical.xlsx", "-f", "csv"]);
    run.expect_code(2);
    assert!(run.stderr.contains("-o FILE.xlsx"), "{}", run.stderr);
    let path = dir.path().join("pack.xlsx");
    let run = eprscan(&[
        "report",
        "fixtures/canonical.xlsx",
        "fixtures/missing_column.xlsx",
        "-o",
        arg(&path),
    ]);
    run.expect_code(1);
    assert!(!path.exists(), "a report was written despite input errors");
    // --target moves the target line and the figures.
    let path = report(
        dir.path(),
        "pack70.xlsx",
        &["fixtures/canonical.xlsx", "--target", "70%"],
    );
    assert_eq!(headline(&path, "Target met"), Data::Bool(true));
    assert!(part(&path, "xl/charts/chart1.xml").contains("Target (70%)"));
    let help = eprscan(&["report", "--help"]);
    help.expect_code(0);
    assert!(help
        .stdout
        .contains("eprscan report returns/2026-11 -o pack.xlsx"));
}

#[test]
fn any_table_can_be_written_as_xlsx() {
    let dir = temp_dir();
    let path = dir.path().join("coverage.xlsx");
    eprscan(&[
        "coverage",
        "fixtures/canonical.xlsx",
        "--by",
        "sector",
        "-o",
        arg(&path),
    ])
    .expect_code(0);
    assert_eq!(sheet_names(&path), ["Results"]);
    let sheet = grid(&path, "Results");
    assert_eq!(sheet.row_text(1)[..3], ["sector", "trusts", "live"]);
    assert_eq!(sheet.row_text(2)[..3], ["acute", "5", "3"]);
    assert_close(number(&sheet.cell("F3")), 0.6, "acute coverage");
    let total = sheet.find_row("England");
    assert_eq!(number(&sheet.at(total, 1)), 10.0);
}

/// The populations and date bases a table title may name (README, "Table titles").
const POPULATIONS: [&str; 3] = [
    "NHS trusts",
    "all providers (every sector)",
    "all funding lines (any sector, and ICS-wide)",
];
const BASES: [&str; 5] = [
    "by reported status",
    "live by ",
    "in use now (",
    "in use by ",
    "as returned",
];

/// The bold table titles of a markdown report, less the lists that count no
/// population (files read, problems, the returns tracker).
fn counted_titles(markdown: &str) -> Vec<&str> {
    markdown
        .lines()
        .filter_map(|l| l.strip_prefix("**")?.strip_suffix("**"))
        .filter(|t| {
            !["Files read", "Problems found", "Returns received"]
                .iter()
                .any(|list| t.starts_with(list))
        })
        .collect()
}

#[test]
fn every_table_title_names_its_population_and_date_basis() {
    for as_of in [None, Some(("2024-01-01", "01/01/2024"))] {
        let mut args = vec!["report", "fixtures/funding.xlsx", "-f", "markdown"];
        if let Some((date, _)) = as_of {
            args.extend(["--as-of", date]);
        }
        let run = eprscan(&args);
        run.expect_code(0);
        let titles = counted_titles(&run.stdout);
        // Headline, coverage, convergence, supplier shares, funding, maturity.
        assert_eq!(titles.len(), 6, "{}", run.stdout);
        for title in &titles {
            assert!(
                POPULATIONS.iter().any(|p| title.contains(p)),
                "no population in \"{title}\""
            );
            assert!(
                BASES.iter().any(|b| title.contains(b)),
                "no date basis in \"{title}\""
            );
        }
        if let Some((_, uk)) = as_of {
            // The live count and the EPRs in use are both judged at --as-of, in the
            // UK form, and the deadline too.
            let coverage = titles
                .iter()
                .find(|t| t.starts_with("EPR coverage of NHS trusts"))
                .expect("coverage title");
            assert!(coverage.contains("(deadline 31/12/2023)"), "{coverage}");
            assert!(coverage.ends_with(&format!("live by {uk}")), "{coverage}");
            assert!(
                titles.iter().any(|t| t.starts_with(&format!(
                    "Distinct EPRs of all providers (every sector), in use by {uk}"
                ))),
                "{titles:?}"
            );
        }
        // Each command's title is the report's table title, word for word.
        for command in ["coverage", "convergence", "funding", "maturity"] {
            let mut args = vec![command, "fixtures/funding.xlsx", "-f", "table"];
            if let Some((date, _)) = as_of {
                if command != "funding" && command != "maturity" {
                    args.extend(["--as-of", date]);
                }
            }
            let alone = eprscan(&args);
            alone.expect_code(0);
            let first = alone.stdout.lines().next().unwrap_or_default();
            assert!(
                titles.contains(&first),
                "{command}: \"{first}\" not in {titles:?}"
            );
        }
    }
}
