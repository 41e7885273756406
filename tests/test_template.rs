//! `eprscan template`: the blank questionnaire's sheets, canonical headers, drop-down
//! lists and formats; a blank template reads cleanly; a template filled in (with
//! rust_xlsxwriter, as a user would type) reads back to exactly the typed figures.

mod common;
mod xlsx_read;

use common::*;
use eprscan::template::questionnaire;
use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet};
use std::path::Path;
use xlsx_read::*;

const PROVIDER_HEADERS: [&str; 17] = [
    "ODS code",
    "Organisation name",
    "Trust Type (Primary)",
    "ICB code",
    "ICS name",
    "NHS region",
    "Current EPR Status",
    "Supplier (Primary EPR)",
    "EPR product",
    "Go-live date",
    "Contract Expiry (Primary EPR)",
    "New Supplier Name",
    "Target product",
    "Target go-live",
    "Stage of Journey",
    "EMRAM stage",
    "EPR Group",
];
const SYSTEM_HEADERS: [&str; 6] = [
    "ODS code",
    "Supplier",
    "EPR product",
    "Scope",
    "Go-live date",
    "Contract expiry",
];
const FUNDING_HEADERS: [&str; 7] = [
    "ODS code",
    "Item",
    "Total cost",
    "National funding",
    "Local funding",
    "Funding gap",
    "Financial year",
];

fn write_template(dir: &Path, args: &[&str]) -> std::path::PathBuf {
    let path = dir.join("return.xlsx");
    let mut all = vec!["template", "-o", arg(&path)];
    all.extend_from_slice(args);
    eprscan(&all).expect_code(0);
    path
}

#[test]
fn sheets_headers_lists_and_formats() {
    let dir = temp_dir();
    let path = write_template(dir.path(), &[]);
    assert_eq!(
        sheet_names(&path),
        [
            "Instructions",
            "Cover",
            "Providers",
            "Systems",
            "Funding",
            "Lists"
        ]
    );
    assert_eq!(hidden_sheets(&path), ["Lists"]);
    assert_eq!(grid(&path, "Providers").row_text(0), PROVIDER_HEADERS);
    assert_eq!(grid(&path, "Systems").row_text(0), SYSTEM_HEADERS);
    assert_eq!(grid(&path, "Funding").row_text(0), FUNDING_HEADERS);
    let cover = grid(&path, "Cover");
    let labels: Vec<String> = (0..5).map(|r| text(&cover.at(r, 0))).collect();
    assert_eq!(
        labels,
        ["ICS name", "ICB code", "Region", "Submitted", "Contact"]
    );
    // Blank: nothing below the headers, no values on the cover.
    assert_eq!(grid(&path, "Providers").height(), 1);
    assert!((0..5).all(|r| text(&cover.at(r, 1)).is_empty()));

    // Drop-down lists from the hidden Lists sheet: sector (C), status (G), supplier
    // (H) and target supplier (L) on Providers, scope (D) on Systems.
    let lists = grid(&path, "Lists");
    assert_eq!(
        lists.row_text(0),
        [
            "Sector",
            "EPR status",
            "Supplier",
            "Scope",
            "Region",
            "ICB code",
            "ICS name"
        ]
    );
    let column = |col: u32| -> Vec<String> {
        (1..lists.height())
            .map(|r| text(&lists.at(r, col)))
            .filter(|t| !t.is_empty())
            .collect()
    };
    assert_eq!(column(0)[0], "Acute");
    assert_eq!(column(0).len(), 8);
    assert_eq!(
        column(1),
        ["Live", "Implementing", "Procuring", "Planning", "None"]
    );
    let suppliers = column(2);
    assert_eq!(suppliers.len(), 24, "{suppliers:?}");
    for name in [
        "Oracle Health",
        "Epic",
        "Dedalus",
        "System C",
        "TPP",
        "In-house",
    ] {
        assert!(
            suppliers.iter().any(|s| s == name),
            "{name} in {suppliers:?}"
        );
    }
    assert_eq!(column(3).len(), 9);
    assert_eq!(column(5).len(), 42);

    let providers = sheet_part(&path, "Providers");
    for (range, list) in [
        ("C2:C1001", "Lists!$A$2:$A$9"),
        ("G2:G1001", "Lists!$B$2:$B$6"),
        ("H2:H1001", "Lists!$C$2:$C$25"),
        ("L2:L1001", "Lists!$C$2:$C$25"),
    ] {
        let validation = providers
            .split("<dataValidation ")
            .find(|v| v.contains(&format!("sqref=\"{range}\"")))
            .unwrap_or_else(|| panic!("no data validation on {range}"));
        assert!(validation.contains("type=\"list\""), "{validation}");
        assert!(validation.contains(list), "{range}: {validation}");
    }
    assert!(providers.contains("state=\"frozen\""));
    let systems = sheet_part(&path, "Systems");
    assert!(systems.contains("sqref=\"D2:D1001\"") && systems.contains("Lists!$D$2:$D$10"));
    // Date and £ formats.
    let styles = part(&path, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"dd/mm/yyyy\""), "{styles}");
    assert!(styles.contains("£#,##0.00"), "{styles}");

    // The instructions explain every column.
    let instructions = grid(&path, "Instructions");
    let lines: Vec<String> = (0..instructions.height())
        .map(|r| text(&instructions.at(r, 0)))
        .collect();
    for header in PROVIDER_HEADERS.iter().chain(&FUNDING_HEADERS) {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{header}: "))),
            "no instruction for {header}"
        );
    }
}

#[test]
fn a_blank_template_reads_cleanly() {
    let dir = temp_dir();
    let path = write_template(dir.path(), &[]);
    let run = eprscan(&["validate", arg(&path)]);
    run.expect_code(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

/// An empty return has nothing to judge: 0 trusts, and `met` and `shortfall` empty
/// rather than a "yes" no trust earned.
#[test]
fn a_blank_template_read_back_has_0_trusts_and_meets_nothing() {
    let dir = temp_dir();
    let path = write_template(dir.path(), &["--ics", "QH8"]);
    let rows = coverage_csv(arg(&path), &[]);
    let total = rows.last().expect("the England row");
    let run = eprscan(&["coverage", arg(&path)]);
    run.expect_code(0);
    assert!(
        run.stderr.contains(
            "note: 0 trusts in the population (0 providers read): met and shortfall are empty"
        ),
        "{}",
        run.stderr
    );
    for (column, expected) in [
        ("ics_name", "England"),
        ("trusts", "0"),
        ("live", "0"),
        ("met", ""),
        ("shortfall", ""),
    ] {
        assert_eq!(field(total, column), expected, "{column}: {total:?}");
    }
    let markdown = dir.path().join("pack.md");
    eprscan(&["report", arg(&path), "-o", arg(&markdown)]).expect_code(0);
    let pack = std::fs::read_to_string(&markdown).expect("pack.md");
    for (figure, value) in [
        ("NHS trusts", "0"),
        ("Target met", "–"),
        ("Shortfall (trusts still to go live)", "–"),
    ] {
        let line = format!("| {figure} | {value} |");
        assert!(pack.contains(&line), "no {line:?} in\n{pack}");
    }
}

#[test]
fn ics_option_fills_the_cover() {
    let dir = temp_dir();
    let path = write_template(dir.path(), &["--ics", "qh8"]);
    let cover = grid(&path, "Cover");
    assert_eq!(text(&cover.cell("B1")), "Mid and South Essex");
    assert_eq!(text(&cover.cell("B2")), "QH8");
    assert_eq!(text(&cover.cell("B3")), "East of England");
    let by_name = write_template(dir.path(), &["--ics", "NHS Devon ICB"]);
    assert_eq!(text(&grid(&by_name, "Cover").cell("B2")), "QJK");
}

#[test]
fn usage_errors() {
    let dir = temp_dir();
    let run = eprscan(&["template"]);
    run.expect_code(2);
    assert!(run.stderr.contains("-o FILE.xlsx"), "{}", run.stderr);
    let csv = dir.path().join("return.csv");
    eprscan(&["template", "-o", arg(&csv)]).expect_code(2);
    assert!(!csv.exists());
    let run = eprscan(&[
        "template",
        "--ics",
        "Atlantis",
        "-o",
        arg(&dir.path().join("x.xlsx")),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("unknown ICS \"Atlantis\""),
        "{}",
        run.stderr
    );
    let help = eprscan(&["template", "--help"]);
    help.expect_code(0);
    assert!(help.stdout.contains("eprscan template -o return.xlsx"));
}

/// What a user types into one cell.
enum Typed {
    Text(&'static str),
    Number(f64),
    Date(u16, u8, u8),
}
use Typed::{Date, Number, Text};

/// Type `cells` (header, value) into `row` of a sheet whose header row is `headers`,
/// dates and amounts in the formats the template gives their columns.
fn type_row(ws: &mut Worksheet, headers: &[&str], row: u32, cells: &[(&str, Typed)]) {
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let money = Format::new().set_num_format("£#,##0.00");
    for (header, value) in cells {
        let col = headers
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("no column {header}")) as u16;
        match value {
            Text(t) => ws.write_string(row, col, *t).map(|_| ()),
            Number(n)
                if header.contains("cost")
                    || header.contains("funding")
                    || header.contains("gap") =>
            {
                ws.write_number_with_format(row, col, *n, &money)
                    .map(|_| ())
            }
            Number(n) => ws.write_number(row, col, *n).map(|_| ()),
            Date(y, m, d) => ws
                .write_datetime_with_format(
                    row,
                    col,
                    ExcelDateTime::from_ymd(*y, *m, *d).expect("a date"),
                    &date,
                )
                .map(|_| ()),
        }
        .expect("typing a cell");
    }
}

/// The template filled in for Devon: 5 trusts, 2 systems, 3 funding lines.
fn filled_template(dir: &Path) -> std::path::PathBuf {
    let mut workbook = questionnaire(None).expect("the template builds");
    let cover = workbook
        .worksheet_from_name("Cover")
        .expect("a Cover sheet");
    cover.write_string(0, 1, "Devon").expect("typing");
    cover.write_string(1, 1, "QJK").expect("typing");
    cover.write_string(2, 1, "South West").expect("typing");
    cover
        .write_datetime_with_format(
            3,
            1,
            ExcelDateTime::from_ymd(2026, 11, 20).expect("a date"),
            &Format::new().set_num_format("dd/mm/yyyy"),
        )
        .expect("typing");
    cover
        .write_string(4, 1, "epr.returns@example.nhs.uk")
        .expect("typing");

    let providers = workbook
        .worksheet_from_name("Providers")
        .expect("a Providers sheet");
    #[rustfmt::skip]
    let rows: Vec<Vec<(&str, Typed)>> = vec![
        vec![("ODS code", Text("RH8")), ("Organisation name", Text("Royal Devon University Healthcare NHS Foundation Trust")), ("Trust Type (Primary)", Text("Acute")), ("Current EPR Status", Text("Live")), ("Supplier (Primary EPR)", Text("Epic")), ("Go-live date", Date(2020, 10, 1)), ("EMRAM stage", Number(6.0)), ("EPR Group", Number(3.0))],
        vec![("ODS code", Text("RK9")), ("Organisation name", Text("University Hospitals Plymouth NHS Trust")), ("Trust Type (Primary)", Text("Acute")), ("Current EPR Status", Text("Implementing")), ("Supplier (Primary EPR)", Text("Epic")), ("Go-live date", Date(2027, 4, 30)), ("EMRAM stage", Number(2.0)), ("EPR Group", Number(1.0))],
        vec![("ODS code", Text("RA9")), ("Organisation name", Text("Torbay and South Devon NHS Foundation Trust")), ("Trust Type (Primary)", Text("Acute")), ("Current EPR Status", Text("Live")), ("Supplier (Primary EPR)", Text("Oracle Health")), ("EPR product", Text("Millennium")), ("Go-live date", Date(2018, 3, 1)), ("Contract Expiry (Primary EPR)", Date(2028, 3, 31)), ("New Supplier Name", Text("Epic")), ("Target go-live", Date(2028, 3, 31)), ("Stage of Journey", Text("Join the Devon Epic instance")), ("EMRAM stage", Number(5.0)), ("EPR Group", Number(2.0))],
        vec![("ODS code", Text("RWV")), ("Organisation name", Text("Devon Partnership NHS Trust")), ("Trust Type (Primary)", Text("Mental health")), ("Current EPR Status", Text("Live")), ("Supplier (Primary EPR)", Text("The Access Group")), ("EPR product", Text("RiO")), ("EMRAM stage", Number(3.0)), ("EPR Group", Number(2.0))],
        vec![("ODS code", Text("RYF")), ("Organisation name", Text("South Western Ambulance Service NHS Foundation Trust")), ("Trust Type (Primary)", Text("Ambulance")), ("Current EPR Status", Text("Live")), ("Supplier (Primary EPR)", Text("Cleric"))],
    ];
    for (i, cells) in rows.iter().enumerate() {
        type_row(providers, &PROVIDER_HEADERS, i as u32 + 1, cells);
    }

    let systems = workbook
        .worksheet_from_name("Systems")
        .expect("a Systems sheet");
    type_row(
        systems,
        &SYSTEM_HEADERS,
        1,
        &[
            ("ODS code", Text("RWV")),
            ("Supplier", Text("TPP")),
            ("EPR product", Text("SystmOne")),
            ("Scope", Text("Community")),
        ],
    );
    type_row(
        systems,
        &SYSTEM_HEADERS,
        2,
        &[
            ("ODS code", Text("RA9")),
            ("Supplier", Text("Nervecentre")),
            ("Scope", Text("ePMA")),
        ],
    );

    let funding = workbook
        .worksheet_from_name("Funding")
        .expect("a Funding sheet");
    #[rustfmt::skip]
    let lines: Vec<Vec<(&str, Typed)>> = vec![
        vec![("ODS code", Text("RA9")), ("Item", Text("Epic implementation")), ("Total cost", Number(36_000_000.0)), ("National funding", Number(27_000_000.0)), ("Funding gap", Number(9_000_000.0)), ("Financial year", Text("2026/27"))],
        vec![("Item", Text("ICS shared EPR team")), ("Total cost", Number(1_234_567.89)), ("National funding", Number(500_000.0)), ("Local funding", Number(734_567.89)), ("Funding gap", Number(0.0)), ("Financial year", Text("2026/27"))],
        vec![("ODS code", Text("RK9")), ("Item", Text("Epic go-live support")), ("Total cost", Text("£2.5m")), ("National funding", Text("£1m")), ("Local funding", Number(250_000.0)), ("Financial year", Text("2027/28"))],
    ];
    for (i, cells) in lines.iter().enumerate() {
        type_row(funding, &FUNDING_HEADERS, i as u32 + 1, cells);
    }
    let path = dir.join("devon_return.xlsx");
    workbook.save(&path).expect("the filled template saves");
    path
}

fn csv_of(args: &[&str]) -> Vec<Row> {
    let run = eprscan(args);
    run.expect_code(0);
    assert!(
        !run.stderr.contains("warning"),
        "`{}` warned:\n{}",
        run.cmdline,
        run.stderr
    );
    run.csv()
}

#[test]
fn a_filled_template_reads_back_exactly() {
    let dir = temp_dir();
    let path = filled_template(dir.path());
    let file = arg(&path);

    let validate = eprscan(&["validate", file]);
    validate.expect_code(0);
    assert!(
        validate
            .stderr
            .contains("5 provider rows, 0 errors, 0 warnings"),
        "{}",
        validate.stderr
    );

    // Coverage: 5 trusts, 4 live, RK9 implementing; the cover names the ICS.
    let rows = coverage_csv(file, &[]);
    let qjk = row_where(&rows, "ics_code", "QJK");
    assert_eq!(field(qjk, "ics_name"), "Devon");
    assert_metrics(qjk, &m(5, 4, 1, 0, 0.8, false, 1, true), "filled template");
    // The typed go-live dates: by the end of 2019 only RA9 (2018) and the two live
    // trusts without a date count.
    let rows = coverage_csv(file, &["--as-of", "2019-12-31"]);
    assert_metrics(
        row_where(&rows, "ics_code", "QJK"),
        &m(5, 3, 1, 1, 0.6, false, 2, false),
        "filled template --as-of 2019-12-31",
    );

    // Funding: the typed amounts to the penny, text amounts included.
    let rows = csv_of(&["funding", file, "--by", "national", "-f", "csv"]);
    let england = &rows[0];
    for (column, expected) in [
        ("lines", "3"),
        ("total_cost", "39734567.89"),
        ("national_funding", "28500000"),
        ("local_funding", "984567.89"),
        ("secured", "29484567.89"),
        ("gap", "10250000"),
        ("missing_amounts", "1"),
    ] {
        assert_eq!(field(england, column), expected, "{column} in {england:?}");
    }

    // Convergence: Epic, Oracle Health Millennium, RiO and Cleric in use at the 4 live
    // trusts (RK9's Epic is not live yet; the Community and ePMA systems are not
    // counted by default); RA9's plan leaves 3.
    let rows = csv_of(&["convergence", file, "-f", "csv"]);
    let qjk = row_where(&rows, "ics_code", "QJK");
    assert_eq!(field(qjk, "providers"), "4");
    assert_eq!(field(qjk, "distinct_eprs"), "4");
    assert_eq!(field(qjk, "distinct_eprs_planned"), "3");
    let rows = csv_of(&["convergence", file, "--all-systems", "-f", "csv"]);
    let qjk = row_where(&rows, "ics_code", "QJK");
    assert_eq!(field(qjk, "distinct_eprs"), "6");
    assert_eq!(field(qjk, "distinct_eprs_planned"), "4");

    // Maturity: the typed stages and groups.
    let rows = csv_of(&["maturity", file, "-f", "csv"]);
    let qjk = row_where(&rows, "ics_code", "QJK");
    for (column, expected) in [
        ("stage_2", "1"),
        ("stage_3", "1"),
        ("stage_5", "1"),
        ("stage_6", "1"),
        ("stage_unknown", "1"),
        ("below_stage_5", "2"),
        ("at_or_above_5", "2"),
        ("group_1", "1"),
        ("group_2", "2"),
        ("group_3", "1"),
        ("group_unknown", "1"),
    ] {
        assert_eq!(field(qjk, column), expected, "{column} in {qjk:?}");
    }
}

/// Issue 24: the cover's ICS and its drop-down lists come from the chosen geography.
#[test]
fn the_cover_offers_the_icbs_of_the_geography() {
    let dir = temp_dir();
    let path = write_template(
        dir.path(),
        &["--geography", "2026", "--ics", "Central East"],
    );
    let cover = grid(&path, "Cover");
    assert_eq!(text(&cover.cell("B1")), "Central East");
    assert_eq!(text(&cover.cell("B2")), "S1Y5D");
    assert_eq!(text(&cover.cell("B3")), "East of England");
    // A code that merged away is not an ICB of 2026.
    let run = eprscan(&[
        "template",
        "--geography",
        "2026",
        "--ics",
        "QHG",
        "-o",
        arg(&dir.path().join("x.xlsx")),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "unknown ICS \"QHG\": give one of the 36 ICB codes or ICS names of the 2026 geography"
        ),
        "{}",
        run.stderr
    );
}
