//! Writes the test fixtures that eprscan's integration tests read.
//!
//! Output (into the directory given as the first argument, default `fixtures`):
//! `canonical.xlsx`, `canonical.csv`, `titled_merged.xlsx`, `tracker.xlsx`,
//! `national_list.csv`, `ods/etr.csv`, `dupes/a_newer.xlsx`, `dupes/b_older.xlsx`,
//! `dupes_blank/{a_newer.xlsx,b_older.xlsx}` (a resubmission with blank cells),
//! `nothing_to_judge.xlsx` (a no-EPR group and no ambulance trust), `every_warning.xlsx`
//! (one warning of each kind),
//! `discovery/{good.xlsx,~$good.xlsx,.hidden.xlsx,notes.txt}`, `missing_column.xlsx`,
//! `bad_cells.xlsx`, `epoch1904.xlsx` (a genuine 1904-date-system workbook, written
//! part by part with the zip crate because rust_xlsxwriter has no public 1904 switch), and the
//! convergence fixtures `convergence.xlsx` and `convergence_national.csv`, and the funding
//! and maturity fixtures `funding.xlsx`, `funding_units.xlsx` and
//! `funding_cross/{a.xlsx,b.xlsx}`, `split_providers.xlsx`, and `csv_exports/` (CSV files as Excel saves them in
//! other encodings and with other separators), and `layouts/` (header rows, dates,
//! plain headers and errors inside a workbook; one patched in its zip package).
//! `fixtures/README.md` describes every file and the exact results tests must assert.
//!
//! Regenerate with:
//!
//! ```text
//! cargo run --example gen_fixtures -- fixtures
//! bash fixtures/convert.sh      # LibreOffice: canonical.xls/.ods, titled_merged.ods, funding.xls/.ods
//! ```
//!
//! The output is deterministic (fixed document creation date), except for the
//! LibreOffice conversions, which embed their own timestamps.

use std::error::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

type Res = Result<(), Box<dyn Error>>;

/// One cell of a fixture table.
#[derive(Clone, Copy)]
enum Cell {
    /// A text cell (always written as a string, even if it looks like a number or date).
    T(&'static str),
    /// A numeric cell.
    N(f64),
    /// An Excel date cell (a serial number with a date format), year-month-day.
    D(u16, u8, u8),
    /// Nothing written.
    B,
}
use Cell::{B, D, N, T};

fn main() -> Res {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fixtures".into()));
    for sub in [
        "",
        "ods",
        "dupes",
        "dupes_blank",
        "discovery",
        "funding_cross",
        "csv_exports",
    ] {
        fs::create_dir_all(out.join(sub))?;
    }
    canonical_xlsx(&out)?;
    canonical_csv(&out)?;
    titled_merged_xlsx(&out)?;
    tracker_xlsx(&out)?;
    national_list_csv(&out)?;
    ods_etr_csv(&out)?;
    dupes(&out)?;
    dupes_blank_cells(&out)?;
    nothing_to_judge_xlsx(&out)?;
    every_warning_xlsx(&out)?;
    discovery(&out)?;
    missing_column_xlsx(&out)?;
    bad_cells_xlsx(&out)?;
    epoch1904_xlsx(&out)?;
    convergence_xlsx(&out)?;
    convergence_national_csv(&out)?;
    funding_xlsx(&out)?;
    funding_units_xlsx(&out)?;
    funding_cross(&out)?;
    diff_snapshots(&out)?;
    csv_exports(&out)?;
    split_providers_xlsx(&out)?;
    trust_epr_csv(&out)?;
    convergence_now_xlsx(&out)?;
    ladder_dates_xlsx(&out)?;
    closed_orgs(&out)?;
    issue18_layouts(&out)?;
    deadline_day(&out)?;
    html_hostile_xlsx(&out)?;
    issue20_trend_snapshots(&out)?;
    issue20_trajectory(&out)?;
    issue24_geography(&out)?;
    issue26_copied_return(&out)?;
    systems_sheet_unread(&out)?;
    issue23_reader_quirks(&out)?;
    issue23_reader_regressions(&out)?;
    eprintln!("fixtures written to {}", out.display());
    Ok(())
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A new workbook with fixed document properties, so the output is reproducible.
fn new_workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_author("eprscan fixtures")
            .set_creation_datetime(&created),
    );
    Ok(wb)
}

fn date_format() -> Format {
    Format::new().set_num_format("dd/mm/yyyy")
}

/// Writes text cells across one row, starting at column A.
fn write_text_row(ws: &mut Worksheet, row: u32, cells: &[&str]) -> Result<(), XlsxError> {
    for (col, text) in cells.iter().enumerate() {
        ws.write_string(row, col as u16, *text)?;
    }
    Ok(())
}

/// Writes typed rows starting at `first_row` (0-based), column A.
fn write_rows(ws: &mut Worksheet, first_row: u32, rows: &[Vec<Cell>]) -> Result<(), XlsxError> {
    let date = date_format();
    for (r, cells) in rows.iter().enumerate() {
        let row = first_row + r as u32;
        for (c, cell) in cells.iter().enumerate() {
            let col = c as u16;
            match *cell {
                T(text) => {
                    ws.write_string(row, col, text)?;
                }
                N(number) => {
                    ws.write_number(row, col, number)?;
                }
                D(y, m, d) => {
                    ws.write_datetime_with_format(
                        row,
                        col,
                        ExcelDateTime::from_ymd(y, m, d)?,
                        &date,
                    )?;
                }
                B => {}
            }
        }
    }
    Ok(())
}

/// Adds a cover sheet: label in column A, value in column B.
fn add_cover(
    wb: &mut Workbook,
    ics_name: &str,
    icb_code: &str,
    region: &str,
    submitted: (u16, u8, u8),
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Cover")?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 30)?;
    write_text_row(ws, 0, &["ICS name", ics_name])?;
    write_text_row(ws, 1, &["ICB code", icb_code])?;
    write_text_row(ws, 2, &["Region", region])?;
    ws.write_string(3, 0, "Submitted")?;
    let (y, m, d) = submitted;
    ws.write_datetime_with_format(3, 1, ExcelDateTime::from_ymd(y, m, d)?, &date_format())?;
    write_text_row(ws, 4, &["Contact", "epr.returns@example.nhs.uk"])?;
    Ok(())
}

/// Adds a sheet with a header row (row 1) and typed rows below it.
fn add_table_sheet(
    wb: &mut Workbook,
    name: &str,
    headers: &[&str],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    write_text_row(ws, 0, headers)?;
    write_rows(ws, 1, rows)?;
    Ok(())
}

/// Renders a cell for CSV: dates as dd/mm/yyyy, whole numbers without a decimal point.
fn csv_field(cell: Cell) -> String {
    match cell {
        T(text) => text.to_string(),
        N(number) => format!("{number}"),
        D(y, m, d) => format!("{d:02}/{m:02}/{y:04}"),
        B => String::new(),
    }
}

/// How a CSV fixture is laid out on disk.
#[derive(Clone, Copy)]
struct CsvStyle {
    /// A byte-order mark first, as Excel's "CSV UTF-8" and "Unicode Text" write.
    bom: bool,
    /// CRLF line ends (Excel, NHS ODS) rather than LF.
    crlf: bool,
    /// Quote every field, as NHS ODS files are published.
    quote_all: bool,
    /// The text encoding.
    encoding: CsvEncoding,
    /// The field separator.
    separator: u8,
}

impl CsvStyle {
    /// UTF-8 without a byte-order mark, LF line ends, commas, quotes only where needed.
    const PLAIN: CsvStyle = CsvStyle {
        bom: false,
        crlf: false,
        quote_all: false,
        encoding: CsvEncoding::Utf8,
        separator: b',',
    };
}

/// The text encodings Excel saves CSV and text files in.
#[derive(Clone, Copy, PartialEq)]
enum CsvEncoding {
    /// "CSV UTF-8".
    Utf8,
    /// "CSV (Comma delimited)" on Windows: the ANSI code page, Windows-1252.
    Windows1252,
    /// "Unicode Text": UTF-16, little-endian.
    Utf16Le,
}

/// Writes records as CSV with the csv crate, then encodes them as `style` says.
fn write_csv<R, F>(path: &Path, style: CsvStyle, records: R) -> Res
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new()
        .delimiter(style.separator)
        .terminator(if style.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .quote_style(if style.quote_all {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(Vec::new());
    for record in records {
        writer.write_record(record)?;
    }
    let text = String::from_utf8(writer.into_inner()?)?;
    let text = if style.bom {
        format!("\u{feff}{text}")
    } else {
        text
    };
    let bytes = match style.encoding {
        CsvEncoding::Utf8 => text.into_bytes(),
        CsvEncoding::Windows1252 => {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
            if unmappable {
                return Err(format!("{}: text not in Windows-1252", path.display()).into());
            }
            bytes.into_owned()
        }
        CsvEncoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
    };
    fs::write(path, bytes)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (a) canonical.xlsx and (l) canonical.csv
// ---------------------------------------------------------------------------

const CANONICAL_HEADERS: [&str; 11] = [
    "ODS code",
    "Organisation name",
    "Sector",
    "EPR status",
    "Supplier",
    "Product",
    "Go-live date",
    "Contract expiry",
    "Target supplier",
    "EMRAM stage",
    "EPR group",
];

/// Mid and South Essex (QH8): 10 trusts (7 Live, 2 Implementing, 1 Procuring),
/// one GP practice and one care home. RDE and RWR go live after 2024-06-30.
fn canonical_rows() -> Vec<Vec<Cell>> {
    #[rustfmt::skip]
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RAJ"), T("Mid and South Essex NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Health"), T("Millennium"), D(2019, 11, 1), D(2029, 10, 31), B, N(5.0), N(3.0)],
        vec![T("R1L"), T("Essex Partnership University NHS Foundation Trust"), T("Mental health"), T("Live"), T("Servelec"), T("RiO"), D(2017, 4, 1), D(2027, 3, 31), B, N(2.0), N(2.0)],
        vec![T("RYC"), T("East of England Ambulance Service NHS Trust"), T("Ambulance"), T("Live"), T("Cleric"), B, D(2021, 5, 10), D(2028, 5, 31), B, B, N(2.0)],
        vec![T("RGT"), T("Cambridge University Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), B, D(2014, 10, 26), D(2031, 3, 31), B, N(7.0), N(3.0)],
        vec![T("RT1"), T("Cambridgeshire and Peterborough NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("TPP"), T("SystmOne"), D(2016, 6, 6), B, B, N(1.0), N(2.0)],
        vec![T("RDE"), T("East Suffolk and North Essex NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), B, D(2024, 9, 15), D(2034, 8, 31), B, N(5.0), N(3.0)],
        vec![T("RWR"), T("Hertfordshire Partnership University NHS Foundation Trust"), T("Mental health"), T("Live"), T("Servelec"), T("RiO"), D(2025, 2, 3), B, B, B, N(3.0)],
        vec![T("RGP"), T("James Paget University Hospitals NHS Foundation Trust"), T("Acute"), T("Implementing"), T("System C"), T("Medway"), D(2026, 11, 1), D(2025, 3, 31), T("Epic"), N(2.0), N(1.0)],
        vec![T("RCX"), T("The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust"), T("Acute"), T("Implementing"), T("Dedalus"), T("Lorenzo"), D(2026, 11, 1), B, T("Epic"), N(1.0), N(1.0)],
        vec![T("RY3"), T("Norfolk Community Health and Care NHS Trust"), T("Community"), T("Procuring"), T("TPP"), T("SystmOne"), B, D(2025, 9, 30), B, B, N(2.0)],
        vec![T("GPX01"), T("Example Medical Practice"), T("GP practice"), T("Live"), T("EMIS"), T("EMIS Web"), D(2012, 1, 9), B, B, B, B],
        vec![T("CHX01"), T("Example Care Home"), T("Care home"), T("None"), B, B, B, B, B, B, B],
    ];
    rows
}

fn canonical_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Mid and South Essex",
        "QH8",
        "East of England",
        (2026, 10, 15),
    )?;
    add_table_sheet(&mut wb, "Providers", &CANONICAL_HEADERS, &canonical_rows())?;
    wb.save(out.join("canonical.xlsx"))?;
    Ok(())
}

/// The same providers as canonical.xlsx, plus an `ICB code` column (after Sector)
/// filled with QH8, since a CSV has no cover sheet.
fn canonical_csv(out: &Path) -> Res {
    let mut headers: Vec<String> = CANONICAL_HEADERS.map(String::from).to_vec();
    headers.insert(3, "ICB code".into());
    let rows = canonical_rows().into_iter().map(|row| {
        let mut fields: Vec<String> = row.into_iter().map(csv_field).collect();
        fields.insert(3, "QH8".into());
        fields
    });
    let style = CsvStyle::PLAIN;
    write_csv(
        &out.join("canonical.csv"),
        style,
        std::iter::once(headers).chain(rows),
    )
}

// ---------------------------------------------------------------------------
// (b) titled_merged.xlsx
// ---------------------------------------------------------------------------

/// South East London (QKK), ICB code in a column, no cover sheet. Three title rows and
/// a blank row, a merged group-label row (row 5), synonym headers (row 6), data from
/// row 7. Go-live is TEXT in every date form of SPEC 1.5; H25 is unparseable.
fn titled_merged_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Providers")?;
    let title = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(0, 0, "EPR landscape return: South East London ICS", &title)?;
    ws.write_string(1, 0, "Instructions: complete one row per provider. Give go-live dates in any form (e.g. 31/03/2025, Mar-25, Q4 2024/25).")?;
    ws.write_string(
        2,
        0,
        "Version 2.1. Please do not change the column headings.",
    )?;
    // Row 4 (index 3) is left blank.
    let group = Format::new()
        .set_bold()
        .set_align(rust_xlsxwriter::FormatAlign::Center);
    ws.merge_range(4, 0, 4, 3, "Organisation", &group)?;
    ws.merge_range(4, 4, 4, 7, "Current EPR", &group)?;
    write_text_row(
        ws,
        5,
        &[
            "Trust code",
            "Trust name",
            "Provider type",
            "ICB code",
            "Status",
            "Current supplier",
            "EPR product",
            "Go live",
        ],
    )?;
    #[rustfmt::skip]
    let rows: Vec<Vec<Cell>> = vec![
        // row 7
        vec![T("RJ1"), T("Guy's and St Thomas' NHS Foundation Trust"), T("Acute Large"), T("QKK"), T("Live"), T("Epic"), B, T("2025-03-31")],
        vec![T("RJZ"), T("King's College Hospital NHS Foundation Trust"), T("Acute Large"), T("QKK"), T("Live"), T("Epic"), B, T("31/03/2025")],
        vec![T("RJ2"), T("Lewisham and Greenwich NHS Trust"), T("Acute Medium"), T("QKK"), T("Live"), T("Oracle Cerner"), T("Millennium"), T("31.03.2025")],
        // row 10
        vec![T("RV5"), T("South London and Maudsley NHS Foundation Trust"), T("Mental health"), T("QKK"), T("Live"), T("Epic"), B, T("01/04/2025")],
        vec![T("RPG"), T("Oxleas NHS Foundation Trust"), T("Mental health and community"), T("QKK"), T("Live"), T("CSE Servelec"), T("RiO"), T("01.04.2025")],
        vec![T("RRU"), T("London Ambulance Service NHS Trust"), T("Ambulance"), T("QKK"), T("Live"), T("Cleric"), B, T("Mar-25")],
        vec![T("RAX"), T("Kingston and Richmond NHS Foundation Trust"), T("Acute Small"), T("QKK"), T("Live"), T("Cerner"), T("Millennium"), T("Mar 2025")],
        vec![T("RVR"), T("Epsom and St Helier University Hospitals NHS Trust"), T("Acute Medium"), T("QKK"), T("Live"), T("Oracle Health"), T("Millennium"), T("March 2025")],
        // row 15
        vec![T("RJ7"), T("St George's University Hospitals NHS Foundation Trust"), T("Acute Large"), T("QKK"), T("Live"), T("Oracle Health"), T("Millennium"), T("03/2025")],
        vec![T("RQM"), T("Chelsea and Westminster Hospital NHS Foundation Trust"), T("Acute Large"), T("QKK"), T("Live"), T("Oracle Cerner"), T("Millennium"), T("Q4 2024/25")],
        vec![T("RAS"), T("The Hillingdon Hospitals NHS Foundation Trust"), T("Acute Small"), T("QKK"), T("Live"), T("Oracle Health"), B, T("Q1 2025/26")],
        vec![T("RAL"), T("Royal Free London NHS Foundation Trust"), T("Acute Large"), T("QKK"), T("Live"), T("Oracle Cerner"), B, T("2024/25")],
        vec![T("RKE"), T("Whittington Health NHS Trust"), T("Acute Small"), T("QKK"), T("Live"), T("Oracle Cerner"), B, T("FY2024/25")],
        // row 20
        vec![T("RP4"), T("Great Ormond Street Hospital for Children NHS Foundation Trust"), T("Acute"), T("QKK"), T("Live"), T("Epic"), B, T("FY25")],
        vec![T("RAP"), T("North Middlesex University Hospital NHS Trust"), T("Acute Medium"), T("QKK"), T("Live"), T("Oracle Cerner"), B, T("TBC")],
        vec![T("RRP"), T("North London NHS Foundation Trust"), T("Mental health"), T("QKK"), T("Live"), T("Servelec"), T("RiO"), T("N/A")],
        vec![T("RKL"), T("West London NHS Trust"), T("Mental health"), T("QKK"), T("Live"), T("Servelec"), T("RiO"), T("-")],
        vec![T("RYX"), T("Central London Community Healthcare NHS Trust"), T("Community"), T("QKK"), T("Live"), T("TPP"), T("SystmOne"), B],
        // row 25: the one unparseable go-live (Providers!H25)
        vec![T("RY9"), T("Hounslow and Richmond Community Healthcare NHS Trust"), T("Community"), T("QKK"), T("Live"), T("TPP"), T("SystmOne"), T("sometime soon")],
        vec![T("RQX"), T("Homerton Healthcare NHS Foundation Trust"), T("Acute Medium"), T("QKK"), T("Implementing"), T("Oracle Cerner"), T("Millennium"), T("Oct-26")],
        vec![T("RF4"), T("Barking, Havering and Redbridge University Hospitals NHS Trust"), T("Acute Large"), T("QKK"), T("Implementing"), T("Oracle Cerner"), T("Millennium"), T("Q3 2026/27")],
        vec![T("R1H"), T("Barts Health NHS Trust"), T("Acute Large"), T("QKK"), T("Procuring"), T("Oracle Cerner"), T("Millennium"), T("TBA")],
        vec![T("RAT"), T("North East London NHS Foundation Trust"), T("Mental health and community"), T("QKK"), T("Business case"), B, B, B],
        // row 30: not a trust
        vec![T("DCX01"), T("Example Home Care Ltd"), T("Domiciliary care"), T("QKK"), T("None"), B, B, B],
    ];
    write_rows(ws, 6, &rows)?;
    wb.save(out.join("titled_merged.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (c) tracker.xlsx
// ---------------------------------------------------------------------------

const TRACKER_HEADERS: [&str; 9] = [
    "Organisation Code",
    "Organisation",
    "Trust Type (Primary)",
    "ICB code",
    "Current EPR Status",
    "Supplier (Primary EPR)",
    "Contract Expiry (Primary EPR)",
    "Current Forecast Go-Live",
    "New Supplier Name",
];

/// NHS England tracker layout: visible sheets "Notes" (prose) and "Trust list" (title
/// row 1, headers row 2, 13 trusts in rows 3-15), plus a hidden "Trusts" and a very
/// hidden "Providers" sheet holding providers tables that must be ignored.
fn tracker_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;

    let notes = wb.add_worksheet();
    notes.set_name("Notes")?;
    notes.write_string(0, 0, "About this tracker")?;
    notes.write_string(1, 0, "One row per NHS trust. Status follows the NHS England EPR ladder (0.x planning, 1.x procuring to live, 2.x second generation, 3.0 meets minimum criteria).")?;
    notes.write_string(2, 0, "Figures are provisional and subject to validation.")?;

    let list = wb.add_worksheet();
    list.set_name("Trust list")?;
    list.write_string(
        0,
        0,
        "NHS England EPR tracker: position at 30 September 2026 (OFFICIAL)",
    )?;
    write_text_row(list, 1, &TRACKER_HEADERS)?;
    #[rustfmt::skip]
    let rows: Vec<Vec<Cell>> = vec![
        // row 3
        vec![T("RXN"), T("Lancashire Teaching Hospitals NHS Foundation Trust"), T("Acute - Teaching"), T("QE1"), T("0.1 Developing business case"), B, B, T("TBC"), B],
        vec![T("RXR"), T("East Lancashire Hospitals NHS Trust"), T("Acute - Large"), T("QE1"), T("1.1 Procuring EPR"), T("System C"), D(2025, 3, 31), B, B],
        vec![T("RTX"), T("University Hospitals of Morecambe Bay NHS Foundation Trust"), T("Acute - Large"), T("QE1"), T("1.2 Procured - Awaiting contracts"), T("Dedalus"), D(2026, 3, 31), T("Q2 2027/28"), T("Oracle Health")],
        vec![T("RW5"), T("Lancashire & South Cumbria NHS Foundation Trust"), T("Mental Health and Community (Combined)"), T("QE1"), T("1.2 Implementing EPR"), T("CSE Servelec"), D(2025, 9, 30), T("Q3 2026/27"), T("The Access Group")],
        // row 7
        vec![T("RXL"), T("Blackpool Teaching Hospitals NHS Foundation Trust"), T("Acute - Teaching"), T("QE1"), T("1.3 Live with EPR"), T("Oracle Cerner"), D(2030, 3, 31), D(2019, 6, 1), B],
        vec![T("RM3"), T("Northern Care Alliance NHS Foundation Trust"), T("Acute - Teaching"), T("QOP"), T("2.1 Procuring second-generation EPR"), T("Allscripts"), D(2026, 3, 31), D(2018, 10, 1), T("Epic")],
        vec![T("R0A"), T("Manchester University NHS Foundation Trust"), T("Acute - Teaching"), T("QOP"), T("2.2 Implementing second-generation EPR"), T("Epic"), D(2032, 9, 30), D(2022, 9, 24), B],
        vec![T("RXV"), T("Greater Manchester Mental Health NHS Foundation Trust"), T("Mental Health & Community"), T("QOP"), T("2.3 Extending and optimising EPR"), T("CSE Servelec"), B, D(2017, 11, 6), B],
        // row 11
        vec![T("RT2"), T("Pennine Care NHS Foundation Trust"), T("Mental Health & Community"), T("QOP"), T("3.0 Meets Minimum Criteria"), T("The Access Group"), B, D(2016, 4, 4), B],
        vec![T("RX7"), T("North West Ambulance Service NHS Trust"), T("Ambulance"), T("QOP"), T("1.3 Live with EPR"), T("Ortivus"), D(2027, 6, 30), D(2020, 2, 1), B],
        vec![T("RR7"), T("Gateshead Health NHS Foundation Trust"), T("Acute - Medium"), T("QHM"), T("1.3 Live with EPR"), T("Oracle Cerner"), B, D(2021, 3, 14), B],
        vec![T("RX6"), T("North East Ambulance Service NHS Foundation Trust"), T("Ambulance"), T("QHM"), T("2.3 Optimising EPR"), T("Cleric"), B, D(2019, 5, 1), B],
        // row 15
        vec![T("R1F"), T("Isle of Wight NHS Trust"), T("Community & Ambulance"), T("QRL"), T("1.2 Implementing EPR"), T("System C"), D(2025, 3, 31), T("Q4 2026/27"), T("Oracle Health")],
    ];
    write_rows(list, 2, &rows)?;
    list.set_active(true);

    // Hidden sheet with a standard providers sheet name and three extra trusts (QYG).
    #[rustfmt::skip]
    let hidden: Vec<Vec<Cell>> = vec![
        vec![T("RBT"), T("Mid Cheshire Hospitals NHS Foundation Trust"), T("Acute - Large"), T("QYG"), T("1.3 Live with EPR"), T("Oracle Cerner"), B, D(2019, 1, 1), B],
        vec![T("RJN"), T("East Cheshire NHS Trust"), T("Acute - Small"), T("QYG"), T("1.3 Live with EPR"), T("Oracle Cerner"), B, D(2020, 1, 1), B],
        vec![T("RWW"), T("Warrington and Halton Teaching Hospitals NHS Foundation Trust"), T("Acute - Medium"), T("QYG"), T("1.3 Live with EPR"), T("Oracle Cerner"), B, D(2021, 1, 1), B],
    ];
    add_table_sheet(&mut wb, "Trusts", &TRACKER_HEADERS, &hidden)?;
    wb.worksheet_from_name("Trusts")?.set_hidden(true);

    // Very hidden sheet named "Providers" (the first name a reader looks for), with two
    // extra trusts and a contradicting row for RXN.
    #[rustfmt::skip]
    let very_hidden: Vec<Vec<Cell>> = vec![
        vec![T("REM"), T("Liverpool University Hospitals NHS Foundation Trust"), T("Acute"), T("QYG"), T("Live"), T("Oracle Health")],
        vec![T("RVY"), T("Southport and Ormskirk Hospital NHS Trust"), T("Acute"), T("QYG"), T("Live"), T("Oracle Health")],
        vec![T("RXN"), T("Lancashire Teaching Hospitals NHS Foundation Trust"), T("Acute"), T("QE1"), T("Live"), T("Oracle Health")],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "ICB code",
            "EPR status",
            "Supplier",
        ],
        &very_hidden,
    )?;
    wb.worksheet_from_name("Providers")?.set_very_hidden(true);

    wb.save(out.join("tracker.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (d) national_list.csv and (e) ods/etr.csv
// ---------------------------------------------------------------------------

/// NHS England's national trust list: no status column, no ICS column. Written as
/// Excel's "CSV UTF-8" does: a UTF-8 byte-order mark and CRLF line ends.
fn national_list_csv(out: &Path) -> Res {
    #[rustfmt::skip]
    let rows: [[&str; 4]; 13] = [
        ["Organisation Code", "Organisation", "Trust Type (Primary)", "Supplier (Primary EPR)"],
        ["RXN", "Lancashire Teaching Hospitals NHS Foundation Trust", "Acute - Teaching", "Oracle Cerner"],
        ["RXL", "Blackpool Teaching Hospitals NHS Foundation Trust", "Acute - Large", "Oracle Cerner"],
        ["RW5", "Lancashire & South Cumbria NHS Foundation Trust", "Mental Health and Community (Combined)", "No EPR"],
        ["RM3", "Northern Care Alliance NHS Foundation Trust", "Acute - Teaching", "Allscripts"],
        ["R0A", "Manchester University NHS Foundation Trust", "Acute - Teaching", "Epic Systems Corporation"],
        ["RXV", "Greater Manchester Mental Health NHS Foundation Trust", "Mental Health", "No  EPR  "],
        ["RX7", "North West Ambulance Service NHS Trust", "Ambulance", "NO EPR - paper based"],
        ["RR7", "Gateshead Health NHS Foundation Trust", "Acute - Medium", "\u{a0}Oracle  Health\u{a0}"],
        ["RX6", "North East Ambulance Service NHS Foundation Trust", "Ambulance", "Cleric"],
        ["RTD", "The Newcastle upon Tyne Hospitals NHS Foundation Trust", "Acute - Teaching", ""],
        ["RLN", "City Hospitals Sunderland NHS Foundation Trust", "Acute - Large", "Meditech"],
        ["RWD", "United Lincolnshire Hospitals NHS Trust", "Acute - Large", "System C"],
    ];
    let style = CsvStyle {
        bom: true,
        crlf: true,
        ..CsvStyle::PLAIN
    };
    write_csv(&out.join("national_list.csv"), style, rows)
}

/// NHS ODS trust file layout: no header, 27 quoted columns. Covers every code in
/// national_list.csv except RWD; RLN is closed (20190331); RE9 is an extra open trust.
fn ods_etr_csv(out: &Path) -> Res {
    // code, name, region, ICB, address line 1, town, postcode, open, close
    #[rustfmt::skip]
    let orgs: [[&str; 9]; 12] = [
        ["RXN", "LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST", "Y62", "QE1", "ROYAL PRESTON HOSPITAL", "PRESTON", "PR2 9HT", "20050401", ""],
        ["RXL", "BLACKPOOL TEACHING HOSPITALS NHS FOUNDATION TRUST", "Y62", "QE1", "VICTORIA HOSPITAL", "BLACKPOOL", "FY3 8NR", "20021201", ""],
        ["RW5", "LANCASHIRE & SOUTH CUMBRIA NHS FOUNDATION TRUST", "Y62", "QE1", "THE LODGE", "PRESTON", "PR5 6AW", "20020401", ""],
        ["RM3", "NORTHERN CARE ALLIANCE NHS FOUNDATION TRUST", "Y62", "QOP", "MAYO BUILDING", "SALFORD", "M6 8HD", "19930401", ""],
        ["R0A", "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST", "Y62", "QOP", "COBBETT HOUSE", "MANCHESTER", "M13 9WL", "20171001", ""],
        ["RXV", "GREATER MANCHESTER MENTAL HEALTH NHS FOUNDATION TRUST", "Y62", "QOP", "PRESTWICH HOSPITAL", "MANCHESTER", "M25 3BL", "20020401", ""],
        ["RX7", "NORTH WEST AMBULANCE SERVICE NHS TRUST", "Y62", "QOP", "LADYBRIDGE HALL", "BOLTON", "BL1 5DD", "20060701", ""],
        ["RR7", "GATESHEAD HEALTH NHS FOUNDATION TRUST", "Y63", "QHM", "QUEEN ELIZABETH HOSPITAL", "GATESHEAD", "NE9 6SX", "19940401", ""],
        ["RX6", "NORTH EAST AMBULANCE SERVICE NHS FOUNDATION TRUST", "Y63", "QHM", "BERNICIA HOUSE", "NEWCASTLE UPON TYNE", "NE15 8NY", "20060701", ""],
        ["RTD", "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST", "Y63", "QHM", "FREEMAN HOSPITAL", "NEWCASTLE UPON TYNE", "NE7 7DN", "19980401", ""],
        ["RLN", "CITY HOSPITALS SUNDERLAND NHS FOUNDATION TRUST", "Y63", "QHM", "SUNDERLAND ROYAL HOSPITAL", "SUNDERLAND", "SR4 7TP", "19940401", "20190331"],
        ["RE9", "SOUTH TYNESIDE AND SUNDERLAND NHS FOUNDATION TRUST", "Y63", "QHM", "SUNDERLAND ROYAL HOSPITAL", "SUNDERLAND", "SR4 7TP", "19990401", ""],
    ];
    let mut lines = Vec::new();
    for [code, name, region, icb, addr, town, postcode, open, close] in orgs {
        let mut cols = [""; 27];
        cols[0] = code;
        cols[1] = name;
        cols[2] = region;
        cols[3] = icb;
        cols[4] = addr;
        cols[7] = town;
        cols[9] = postcode;
        cols[10] = open;
        cols[11] = close;
        cols[21] = "0";
        lines.push(cols);
    }
    let style = CsvStyle {
        crlf: true,
        quote_all: true,
        ..CsvStyle::PLAIN
    };
    write_csv(&out.join("ods").join("etr.csv"), style, lines)
}

// ---------------------------------------------------------------------------
// (f) dupes/
// ---------------------------------------------------------------------------

const DUPES_HEADERS: [&str; 7] = [
    "ODS code",
    "Organisation name",
    "Sector",
    "EPR status",
    "Supplier",
    "Product",
    "Go-live date",
];

/// Two returns from Suffolk and North East Essex (QJG). The NEWER one sorts first, so
/// "last file read wins" gives the wrong answer: only the cover dates decide.
fn dupes(out: &Path) -> Res {
    let rde = || -> Vec<Cell> {
        vec![
            T("RDE"),
            T("East Suffolk and North Essex NHS Foundation Trust"),
            T("Acute"),
            T("Live"),
            T("Epic"),
            B,
            D(2024, 9, 15),
        ]
    };
    let rgr = |status: &'static str| -> Vec<Cell> {
        vec![
            T("RGR"),
            T("West Suffolk NHS Foundation Trust"),
            T("Acute"),
            T(status),
            T("Oracle Health"),
            T("Millennium"),
            B,
        ]
    };

    let mut newer = new_workbook()?;
    add_cover(
        &mut newer,
        "Suffolk and North East Essex",
        "QJG",
        "East of England",
        (2026, 10, 1),
    )?;
    #[rustfmt::skip]
    let newer_rows = vec![
        rde(),
        rgr("Live"),
        vec![T("RYC"), T("East of England Ambulance Service NHS Trust"), T("Ambulance"), T("Live"), T("Cleric"), B, D(2021, 5, 10)],
    ];
    add_table_sheet(&mut newer, "Providers", &DUPES_HEADERS, &newer_rows)?;
    newer.save(out.join("dupes").join("a_newer.xlsx"))?;

    let mut older = new_workbook()?;
    add_cover(
        &mut older,
        "Suffolk and North East Essex",
        "QJG",
        "East of England",
        (2026, 9, 1),
    )?;
    #[rustfmt::skip]
    let older_rows = vec![
        rde(),
        rgr("Implementing"),
        vec![T("RMY"), T("Norfolk and Suffolk NHS Foundation Trust"), T("Mental health"), T("Implementing"), T("Servelec"), T("RiO"), B],
    ];
    add_table_sheet(&mut older, "Providers", &DUPES_HEADERS, &older_rows)?;
    older.save(out.join("dupes").join("b_older.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// dupes_blank/: a resubmission with blank cells, merged field by field
// ---------------------------------------------------------------------------

const DUPES_BLANK_HEADERS: [&str; 8] = [
    "ODS code",
    "Organisation name",
    "Sector",
    "EPR status",
    "Supplier",
    "Product",
    "Go-live date",
    "EMRAM stage",
];

/// Two returns from Norfolk and Waveney (QMM): the newer one (read first) leaves
/// cells blank that the older one filled. A blank must not erase the older value.
fn dupes_blank_cells(out: &Path) -> Res {
    const RCX: &str = "The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust";
    const RM1: &str = "Norfolk and Norwich University Hospitals NHS Foundation Trust";
    const RGP: &str = "James Paget University Hospitals NHS Foundation Trust";
    let rm1 = || -> Vec<Cell> {
        vec![
            T("RM1"),
            T(RM1),
            T("Acute"),
            T("Live"),
            T("Oracle Health"),
            T("Millennium"),
            D(2019, 5, 1),
            N(6.0),
        ]
    };
    let mut newer = new_workbook()?;
    add_cover(
        &mut newer,
        "Norfolk and Waveney",
        "QMM",
        "East of England",
        (2026, 11, 2),
    )?;
    #[rustfmt::skip]
    let newer_rows = vec![
        vec![T("RCX"), T(RCX), T("Acute"), T("Live"), T("Epic"), B, B, B],
        rm1(),
        vec![T("RGP"), T(RGP), T("Acute"), T("Live"), B, B, D(2020, 1, 20), N(5.0)],
    ];
    add_table_sheet(&mut newer, "Providers", &DUPES_BLANK_HEADERS, &newer_rows)?;
    newer.save(out.join("dupes_blank").join("a_newer.xlsx"))?;

    let mut older = new_workbook()?;
    add_cover(
        &mut older,
        "Norfolk and Waveney",
        "QMM",
        "East of England",
        (2026, 10, 5),
    )?;
    #[rustfmt::skip]
    let older_rows = vec![
        vec![T("RCX"), T(RCX), T("Acute"), T("Implementing"), T("Epic"), B, D(2025, 6, 30), N(5.0)],
        rm1(),
        vec![T("RGP"), T(RGP), T("Acute"), T("Live"), T("Oracle Health"), T("Millennium"), D(2020, 1, 20), N(5.0)],
    ];
    add_table_sheet(&mut older, "Providers", &DUPES_BLANK_HEADERS, &older_rows)?;
    older.save(out.join("dupes_blank").join("b_older.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// nothing_to_judge.xlsx: groups the target cannot judge
// ---------------------------------------------------------------------------

/// Somerset (QSL): one live trust on Epic and two trusts with no EPR yet (supplier
/// blank), so `--by supplier` has a "(no EPR)" group; no ambulance trust, so
/// `--sectors ambulance` has 0 trusts.
fn nothing_to_judge_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(&mut wb, "Somerset", "QSL", "South West", (2026, 11, 3))?;
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RH5"), T("Somerset NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic")],
        vec![T("RA4"), T("Yeovil District Hospital NHS Foundation Trust"), T("Acute"), T("Procuring"), B],
        vec![T("RBA"), T("Taunton and Somerset NHS Foundation Trust"), T("Acute"), T("Implementing"), B],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "EPR status",
            "Supplier",
        ],
        &rows,
    )?;
    wb.save(out.join("nothing_to_judge.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// every_warning.xlsx: one of each kind of warning a return can earn
// ---------------------------------------------------------------------------

/// Dorset (QVV): a bad cell or row of each kind the fixtures above leave out, so a
/// test can check that every warning says what was done about it.
fn every_warning_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    let cover = wb.add_worksheet();
    cover.set_name("Cover")?;
    write_text_row(cover, 0, &["ICS name", "Dorset"])?;
    write_text_row(cover, 1, &["ICB code", "QVV"])?;
    write_text_row(cover, 2, &["Region", "South West"])?;
    // Not a date: the return's recency falls back on the file's time.
    write_text_row(cover, 3, &["Submitted", "last Tuesday"])?;
    #[rustfmt::skip]
    let providers = vec![
        // Unrecognised sector.
        vec![T("RBD"), T("Dorset County Hospital NHS Foundation Trust"), T("Hospice"), T("Live"), T("Epic"), D(2020, 1, 1), N(5.0)],
        // Blank ODS code; unknown supplier.
        vec![B, T("Dorset HealthCare University NHS Foundation Trust"), T("Mental health"), T("Live"), T("Acme Records"), B, B],
        // Unrecognised status, date and EMRAM stage.
        vec![T("R0D"), T("University Hospitals Dorset NHS Foundation Trust"), T("Acute"), T("Soon-ish"), T("Oracle Health"), T("whenever"), T("5a")],
        // Neither ODS code nor name.
        vec![B, B, T("Acute"), T("Live"), B, B, B],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "EPR status",
            "Supplier",
            "Go-live date",
            "EMRAM stage",
        ],
        &providers,
    )?;
    #[rustfmt::skip]
    let systems = vec![
        // Unrecognised scope.
        vec![T("RBD"), T("Epic"), B, T("Pharmacy robot")],
        // A provider in no providers table.
        vec![T("RZZ9"), T("TPP"), T("SystmOne"), T("Core EPR")],
    ];
    add_table_sheet(
        &mut wb,
        "Systems",
        &["ODS code", "Supplier", "Product", "Scope"],
        &systems,
    )?;
    // Named for funding, but no funding header row.
    let funding = wb.add_worksheet();
    funding.set_name("Funding")?;
    write_text_row(funding, 0, &["Item", "Notes"])?;
    write_text_row(funding, 1, &["EPR business case", "to follow"])?;
    // A second providers table: not read.
    add_table_sheet(
        &mut wb,
        "Old list",
        &["ODS code", "Organisation name"],
        &[vec![
            T("RBD"),
            T("Dorset County Hospital NHS Foundation Trust"),
        ]],
    )?;
    wb.save(out.join("every_warning.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (g) discovery/
// ---------------------------------------------------------------------------

/// One good workbook plus an Excel lock file, a hidden file and a text file.
fn discovery(out: &Path) -> Res {
    let dir = out.join("discovery");
    let mut wb = new_workbook()?;
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RH5"), T("Somerset NHS Foundation Trust"), T("Acute"), T("QSL"), T("Live"), T("Epic"), D(2023, 3, 1)],
        vec![T("RYF"), T("South Western Ambulance Service NHS Foundation Trust"), T("Ambulance"), T("QSL"), T("Live"), T("Cleric"), D(2020, 7, 1)],
        vec![T("RA4"), T("Yeovil District Hospital NHS Foundation Trust"), T("Acute"), T("QSL"), T("Implementing"), T("Epic"), T("Q2 2026/27")],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "ICB code",
            "EPR status",
            "Supplier",
            "Go-live date",
        ],
        &rows,
    )?;
    wb.save(dir.join("good.xlsx"))?;

    // An Excel owner file: a length byte, the user name, padding. Not a zip.
    let mut lock = vec![10u8];
    lock.extend_from_slice(b"Jane Smith");
    lock.resize(54, b' ');
    fs::write(dir.join("~$good.xlsx"), lock)?;
    fs::write(dir.join(".hidden.xlsx"), b"this is not a zip file\n")?;
    fs::write(
        dir.join("notes.txt"),
        "Returns received so far. Not a spreadsheet.\n",
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (h) missing_column.xlsx and (i) bad_cells.xlsx
// ---------------------------------------------------------------------------

/// Header in row 3 of "Providers" has a typo'd name column: `Organsation nme`.
fn missing_column_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Providers")?;
    ws.write_string(0, 0, "EPR landscape return: providers")?;
    write_text_row(
        ws,
        2,
        &[
            "ODS code",
            "Organsation nme",
            "Sector",
            "Status",
            "Supplier",
        ],
    )?;
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RTH"), T("Oxford University Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Health")],
        vec![T("RNU"), T("Oxford Health NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("Advanced")],
        vec![T("RHW"), T("Royal Berkshire NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic")],
    ];
    write_rows(ws, 3, &rows)?;
    wb.save(out.join("missing_column.xlsx"))?;
    Ok(())
}

/// Sussex (QNX) providers with one bad cell of each kind; every row must be kept.
/// Warnings: A2 (ODS code `R1`), E3 (status `Maybe`), H4 (EMRAM `5a`), G6 (date).
fn bad_cells_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    let headers = [
        "ODS code",
        "Organisation name",
        "Sector",
        "ICB code",
        "EPR status",
        "Supplier",
        "Go-live date",
        "EMRAM stage",
        "EPR group",
    ];
    #[rustfmt::skip]
    let rows = vec![
        vec![T("R1"), T("Surrey and Sussex Healthcare NHS Trust"), T("Acute"), T("QNX"), T("Live"), T("Epic"), D(2022, 5, 1), N(6.0), N(3.0)],
        vec![T("RYR"), T("University Hospitals Sussex NHS Foundation Trust"), T("Acute"), T("QNX"), T("Maybe"), T("Oracle Health"), B, N(5.0), N(2.0)],
        vec![T("RPC"), T("Queen Victoria Hospital NHS Foundation Trust"), T("Acute"), T("QNX"), T("Live"), T("System C"), D(2018, 3, 1), T("5a"), N(2.0)],
        vec![T("RX2"), T("Sussex Partnership NHS Foundation Trust"), T("Mental health"), T("QNX"), T("Live"), T("Servelec"), D(2015, 6, 1), T("Stage 6"), T("Group 2")],
        vec![T("RYD"), T("South East Coast Ambulance Service NHS Foundation Trust"), T("Ambulance"), T("QNX"), T("Implementing"), T("Cleric"), T("next spring"), B, N(1.0)],
        vec![T("RDR"), T("Sussex Community NHS Foundation Trust"), T("Community"), T("QNX"), T("Procuring"), T("TPP"), B, B, N(1.0)],
    ];
    add_table_sheet(&mut wb, "Providers", &headers, &rows)?;
    wb.save(out.join("bad_cells.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (k) convergence.xlsx and convergence_national.csv
// ---------------------------------------------------------------------------

/// Greater Manchester (QOP) return for `eprscan convergence`: cover sheet, a providers
/// sheet with current and target supplier/product, and a systems sheet. Rows 2-4 are
/// three spellings of Oracle Health / Millennium (one EPR); row 5 is Oracle Health with
/// no product (a different identity); rows 6-7 are System C with two products (two
/// EPRs); rows 5-7 all target Epic; rows 9-10 are in-house (two EPRs); row 12 has no
/// EPR and row 13 is a GP practice. Systems rows: RRF has a PAS row from another
/// supplier, a Maternity row (only with --all-systems) and a blank-scope row; RMC
/// repeats its primary EPR; RM3 (which has a target) has a Core EPR and an ePMA row;
/// the GP practice's row is not a trust's.
fn convergence_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Greater Manchester",
        "QOP",
        "North West",
        (2026, 10, 20),
    )?;
    #[rustfmt::skip]
    let providers: Vec<Vec<Cell>> = vec![
        // row 2
        vec![T("RMC"), T("Bolton NHS Foundation Trust"), T("Acute"), T("Live"), T("Cerner"), T("Millennium"), B, B],
        vec![T("RRF"), T("Wrightington, Wigan and Leigh Teaching Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Health"), T("Millennium"), B, B],
        vec![T("RWJ"), T("Stockport NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Cerner Corporation"), T("Millennium"), B, B],
        // row 5: no product, so identity "Oracle Health" alone (not Oracle Health Millennium)
        vec![T("RMP"), T("Tameside and Glossop Integrated Care NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Cerner"), B, T("Epic"), B],
        vec![T("RM3"), T("Northern Care Alliance NHS Foundation Trust"), T("Acute"), T("Live"), T("System C Healthcare Ltd"), T("Medway"), T("Epic Systems Corporation"), B],
        vec![T("RBV"), T("The Christie NHS Foundation Trust"), T("Acute"), T("Live"), T("System C"), T("CareFlow"), T("EPIC"), B],
        vec![T("R0A"), T("Manchester University NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic Systems Corporation"), B, B, B],
        // row 9
        vec![T("RXV"), T("Greater Manchester Mental Health NHS Foundation Trust"), T("Mental health"), T("Live"), T("Generic or In House EPR Provider"), B, B, B],
        vec![T("RT2"), T("Pennine Care NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("In house"), B, B, B],
        vec![T("RX7"), T("North West Ambulance Service NHS Trust"), T("Ambulance"), T("Live"), T("Ortivus UK Ltd"), B, B, B],
        // row 12: no EPR; row 13: not a trust
        vec![T("RY2"), T("Bridgewater Community Healthcare NHS Foundation Trust"), T("Community"), T("None"), T("No EPR"), B, B, B],
        vec![T("GPX02"), T("Example Medical Practice"), T("GP practice"), T("Live"), T("EMIS"), T("EMIS Web"), B, B],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "EPR status",
            "Supplier",
            "Product",
            "Target supplier",
            "Target product",
        ],
        &providers,
    )?;
    #[rustfmt::skip]
    let systems: Vec<Vec<Cell>> = vec![
        // row 2
        vec![T("RRF"), T("DXC Technology"), T("Lorenzo"), T("PAS")],
        vec![T("RRF"), T("Nervecentre Software Ltd"), B, T("Maternity")],
        vec![T("RRF"), T("TPP"), T("SystmOne"), B],
        // row 5
        vec![T("RMC"), T("Cerner Corporation"), T("Millennium"), T("Core EPR")],
        vec![T("RM3"), T("Allscripts"), T("Sunrise"), T("Core EPR")],
        vec![T("RM3"), T("Alcidion"), B, T("ePMA")],
        // row 8
        vec![T("GPX02"), T("TPP"), T("SystmOne"), T("Core EPR")],
    ];
    add_table_sheet(
        &mut wb,
        "Systems",
        &["ODS code", "Supplier", "Product", "Scope"],
        &systems,
    )?;
    wb.save(out.join("convergence.xlsx"))?;
    Ok(())
}

/// NHS England's national list layout (supplier only, no product, no status, no ICS)
/// over 11 of the 12 codes in ods/etr.csv (not the closed RLN), so that with
/// `--ods fixtures/ods/etr.csv` the trusts fall into QE1, QOP and QHM. Aliases, one
/// "No EPR", and two in-house systems in the same ICS. CRLF line ends, no BOM.
fn convergence_national_csv(out: &Path) -> Res {
    #[rustfmt::skip]
    let rows: [[&str; 4]; 12] = [
        ["Organisation Code", "Organisation", "Trust Type (Primary)", "Supplier (Primary EPR)"],
        ["RXN", "Lancashire Teaching Hospitals NHS Foundation Trust", "Acute - Teaching", "Cerner Corporation"],
        ["RXL", "Blackpool Teaching Hospitals NHS Foundation Trust", "Acute - Large", "Oracle Cerner"],
        ["RW5", "Lancashire & South Cumbria NHS Foundation Trust", "Mental Health and Community (Combined)", "No EPR"],
        ["RM3", "Northern Care Alliance NHS Foundation Trust", "Acute - Teaching", "Allscripts"],
        ["R0A", "Manchester University NHS Foundation Trust", "Acute - Teaching", "Epic Systems Corporation"],
        ["RXV", "Greater Manchester Mental Health NHS Foundation Trust", "Mental Health", "Generic or In House EPR Provider"],
        ["RX7", "North West Ambulance Service NHS Trust", "Ambulance", "In house"],
        ["RR7", "Gateshead Health NHS Foundation Trust", "Acute - Medium", "Oracle Health"],
        ["RX6", "North East Ambulance Service NHS Foundation Trust", "Ambulance", "Cleric Computer Services Ltd"],
        ["RTD", "The Newcastle upon Tyne Hospitals NHS Foundation Trust", "Acute - Teaching", "EPIC"],
        ["RE9", "South Tyneside and Sunderland NHS Foundation Trust", "Acute - Large", "Epic Systems Corporation"],
    ];
    let style = CsvStyle {
        crlf: true,
        ..CsvStyle::PLAIN
    };
    write_csv(&out.join("convergence_national.csv"), style, rows)
}

// ---------------------------------------------------------------------------
// (j) epoch1904.xlsx: written by hand, since rust_xlsxwriter cannot set date1904
// ---------------------------------------------------------------------------

/// A genuine 1904-date-system workbook: `<workbookPr date1904="1"/>`, with RTH's
/// go-live 2024-06-30 stored as the 1904 serial 44011 (1900 serial 45473 - 1462)
/// under a date number format. Read with the 1900 epoch it would be 2020-06-29.
fn epoch1904_xlsx(out: &Path) -> Res {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";

    let content_types = format!(
        r#"{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/></Types>"#
    );
    let root_rels = format!(
        r#"{XML}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="1"/><bookViews><workbookView/></bookViews><sheets><sheet name="Providers" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"{XML}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/></Relationships>"#
    );
    let styles = format!(
        r#"{XML}<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
    );
    let text = |cell: &str, value: &str| {
        format!(r#"<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>"#)
    };
    let header: String = [
        "ODS code",
        "Organisation name",
        "Sector",
        "ICB code",
        "EPR status",
        "Go-live date",
    ]
    .iter()
    .zip(["A1", "B1", "C1", "D1", "E1", "F1"])
    .map(|(value, cell)| text(cell, value))
    .collect();
    let data = [
        text("A2", "RTH"),
        text("B2", "Oxford University Hospitals NHS Foundation Trust"),
        text("C2", "Acute"),
        text("D2", "QU9"),
        text("E2", "Live"),
        r#"<c r="F2" s="1"><v>44011</v></c>"#.to_string(),
    ]
    .concat();
    let sheet = format!(
        r#"{XML}<worksheet xmlns="{MAIN}"><dimension ref="A1:F2"/><sheetData><row r="1">{header}</row><row r="2">{data}</row></sheetData></worksheet>"#
    );

    // Stored entries dated 1980-01-01, so regenerating gives the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(fs::File::create(out.join("epoch1904.xlsx"))?);
    for (name, part) in [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", styles),
        ("xl/worksheets/sheet1.xml", sheet),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(part.as_bytes())?;
    }
    zip.finish()?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (m) funding and maturity: funding.xlsx, funding_units.xlsx, funding_cross/
// ---------------------------------------------------------------------------

/// Providers headers shared by the funding fixtures (EMRAM stage and EPR group last).
const FUNDING_PROVIDER_HEADERS: [&str; 8] = [
    "ODS code",
    "Organisation name",
    "Sector",
    "EPR status",
    "Supplier",
    "Product",
    "EMRAM stage",
    "EPR group",
];

/// West Yorkshire (QWO) return for `eprscan funding` and `eprscan maturity`.
///
/// `Providers`: 9 NHS trusts in five sectors and one GP practice (not a trust), EMRAM
/// stages as numbers, `Stage N` text, blank and three bad values (G4 `5a`, G10 `8`),
/// EPR groups as numbers, `Group N` text, blank (derived 0 when the status is not
/// live, unknown when live) and one bad value (H7 `Group 4`).
///
/// `Funding`: a title row, a merged `Funding (£m)` label over C2:E2 whose unit applies
/// to the unit-less child headers `Total cost | National | Local` in row 3, then
/// `Funding gap (£m)` and `FY`. Lines: the £36m / £27m / £0 → £9m case (row 4), an
/// ICS-wide line (blank code, row 5), a text amount with its own suffix (`£4.5m`, C6),
/// `TBC` (D7), `-` (E8), `nil` (E9), a stated gap £1m off (F10: warning), a stated gap
/// 50p off (F11: no warning) and an unparseable amount (`lots`, D12: warning).
fn funding_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "West Yorkshire",
        "QWO",
        "North East and Yorkshire",
        (2026, 10, 22),
    )?;
    #[rustfmt::skip]
    let providers: Vec<Vec<Cell>> = vec![
        // row 2
        vec![T("RR8"), T("Leeds Teaching Hospitals NHS Trust"), T("Acute"), T("Live"), T("Oracle Health"), T("Millennium"), N(6.0), N(3.0)],
        vec![T("RAE"), T("Bradford Teaching Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Cerner"), T("Millennium"), T("Stage 6"), T("Group 2")],
        // row 4: G4 `5a` is a warning; blank group, implementing -> group 0
        vec![T("RXF"), T("Mid Yorkshire Teaching NHS Trust"), T("Acute"), T("Implementing"), T("Epic"), B, T("5a"), B],
        // row 5: blank group, live -> unknown
        vec![T("RWY"), T("Calderdale and Huddersfield NHS Foundation Trust"), T("Acute"), T("Live"), T("Meditech"), T("Expanse"), N(7.0), B],
        // row 6: blank stage -> unknown; blank group, procuring -> group 0
        vec![T("RCF"), T("Airedale NHS Foundation Trust"), T("Acute"), T("Procuring"), T("System C"), T("Medway"), B, B],
        // row 7: H7 `Group 4` is a warning -> unknown
        vec![T("RGD"), T("Leeds and York Partnership NHS Foundation Trust"), T("Mental health"), T("Live"), T("Servelec"), T("RiO"), N(4.0), T("Group 4")],
        // row 8: business case -> planning; blank group -> group 0
        vec![T("RXG"), T("South West Yorkshire Partnership NHS Foundation Trust"), T("Mental health and community"), T("Business case"), T("Advanced Health and Care Limited"), T("CareNotes"), N(0.0), B],
        vec![T("RY6"), T("Leeds Community Healthcare NHS Trust"), T("Community"), T("Live"), T("TPP"), T("SystmOne"), T("Stage 5"), N(1.0)],
        // row 10: G10 `8` is a warning; explicit group 0
        vec![T("RX8"), T("Yorkshire Ambulance Service NHS Trust"), T("Ambulance"), T("None"), B, B, T("8"), N(0.0)],
        // row 11: not a trust (would add a stage 7 and a group 3)
        vec![T("GPX03"), T("Example Medical Practice"), T("GP practice"), T("Live"), T("EMIS"), T("EMIS Web"), N(7.0), N(3.0)],
    ];
    add_table_sheet(&mut wb, "Providers", &FUNDING_PROVIDER_HEADERS, &providers)?;

    let ws = wb.add_worksheet();
    ws.set_name("Funding")?;
    let title = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(0, 0, "West Yorkshire ICS: EPR funding lines", &title)?;
    let group = Format::new()
        .set_bold()
        .set_align(rust_xlsxwriter::FormatAlign::Center);
    ws.merge_range(1, 2, 1, 4, "Funding (£m)", &group)?;
    write_text_row(
        ws,
        2,
        &[
            "ODS code",
            "Item",
            "Total cost",
            "National",
            "Local",
            "Funding gap (£m)",
            "FY",
        ],
    )?;
    #[rustfmt::skip]
    let lines: Vec<Vec<Cell>> = vec![
        // row 4: £36m programme, £27m national, no local funding: £9m gap
        vec![T("RXF"), T("EPR implementation (Epic)"), N(36.0), N(27.0), N(0.0), N(9.0), T("2025/26")],
        // row 5: ICS-wide (blank code)
        vec![B, T("West Yorkshire shared care record and EPR convergence"), N(12.5), N(5.0), N(4.0), N(3.5), T("2026/27")],
        // row 6: text with its own unit, not scaled again
        vec![T("RCF"), T("EPR procurement"), T("£4.5m"), N(2.0), N(1.5), N(1.0), T("2025/26")],
        // row 7: TBC national (missing, no warning), no stated gap
        vec![T("RXG"), T("EPR business case"), N(3.0), T("TBC"), N(0.5), B, T("2026/27")],
        // row 8: `-` local (missing, no warning)
        vec![T("RGD"), T("Second-generation EPR"), N(8.0), N(4.0), T("-"), N(4.0), T("2026/27")],
        // row 9: `nil` local = 0 (not missing)
        vec![T("RY6"), T("Community EPR optimisation"), N(2.0), N(2.0), T("nil"), N(0.0), T("2025/26")],
        // row 10: stated gap 5 (£m) but computed 20 - 10 - 6 = 4: warning at F10
        vec![T("RAE"), T("Second-generation EPR"), N(20.0), N(10.0), N(6.0), N(5.0), T("2027/28")],
        // row 11: stated gap 2.0000005 (£m) = £2,000,000.50, computed £2,000,000: 50p, no warning
        vec![T("RWY"), T("EPR optimisation"), N(6.0), N(3.0), N(1.0), N(2.0000005), T("2025/26")],
        // row 12: `lots` is a warning at D12 (missing)
        vec![T("RR8"), T("Theatres and ePMA modules"), N(1.5), T("lots"), N(0.5), B, T("2026/27")],
    ];
    write_rows(ws, 3, &lines)?;
    wb.save(out.join("funding.xlsx"))?;
    Ok(())
}

/// Cambridgeshire and Peterborough (QUE): every money form and header unit of SPEC 1.5,
/// on a sheet named `Costs` with header synonyms: `Whole life cost (£k)`,
/// `DHSC funding (£000s)`, `Trust funding (£)` and `Shortfall` (no unit: pounds).
/// Plain numbers and plain text numbers are scaled by the unit; text with its own
/// m / bn / k suffix is taken as written. Row 6 has a stated gap exactly £1 off (no
/// warning), row 8 one £1.01 off (warning at F8). Providers: EMRAM `high` (G3) is a
/// warning; headers `Digital maturity (EMRAM)` and `Group`.
fn funding_units_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Cambridgeshire and Peterborough",
        "QUE",
        "East of England",
        (2026, 10, 23),
    )?;
    #[rustfmt::skip]
    let providers: Vec<Vec<Cell>> = vec![
        vec![T("RGN"), T("North West Anglia NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), B, N(5.0), N(2.0)],
        // row 3: G3 `high` is a warning
        vec![T("RQQ"), T("Royal Papworth Hospital NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Cerner"), T("Millennium"), T("high"), T("Group 3")],
        // row 4: blank group, implementing -> group 0
        vec![T("RYV"), T("Cambridgeshire Community Services NHS Trust"), T("Community"), T("Implementing"), T("TPP"), T("SystmOne"), N(1.0), B],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "EPR status",
            "Supplier",
            "Product",
            "Digital maturity (EMRAM)",
            "Group",
        ],
        &providers,
    )?;
    #[rustfmt::skip]
    let lines: Vec<Vec<Cell>> = vec![
        // row 2: 36,500,000 - 500,000 - 36,000,000 = 0
        vec![T("EPR implementation phase 1"), T("RGN"), T("£36.5 m"), N(500.0), T("36,000,000"), N(0.0), T("2025/26")],
        // row 3: 1,200,000,000 - 36,000,000 - 36,000,000 = 1,128,000,000
        vec![T("Second-generation EPR"), T("RQQ"), T("£1.2bn"), T("36m"), T("£36,000,000.00"), N(1_128_000_000.0), T("2026/27")],
        // row 4: 500,000 - 250,000 - 250,000 = 0
        vec![T("Community EPR"), T("RYV"), N(500.0), T("£250k"), T("£250K"), N(0.0), T("2025/26")],
        // row 5: text "1,250" in a (£k) column is scaled: 1,250,000 - 1,000,000 - (-1,000) = 251,000
        vec![T("ED system (after a £1,000 clawback)"), T("RGN"), T("1,250"), N(1000.0), T("(1,000)"), T("251,000"), T("2025/26")],
        // row 6: N/A and Unknown are missing (no warning); stated 2,000,001 vs 2,000,000: exactly £1, no warning
        vec![T("Theatres system"), T("RQQ"), N(2000.0), T("N/A"), T("Unknown"), N(2_000_001.0), T("2026/27")],
        // row 7: ICS-wide; TBA missing; 10,000,500 and £1,234.50
        vec![T("ICS digital programme"), B, N(10000.5), T("TBA"), N(1234.5), B, T("2026/27")],
        // row 8: 100,000 - 50,000 - 49,998.99 = 1.01, stated 0: warning at F8
        vec![T("Community EPR stage 2"), T("RYV"), N(100.0), N(50.0), N(49998.99), N(0.0), T("2027/28")],
    ];
    add_table_sheet(
        &mut wb,
        "Costs",
        &[
            "Scheme",
            "ODS code",
            "Whole life cost (£k)",
            "DHSC funding (£000s)",
            "Trust funding (£)",
            "Shortfall",
            "Financial year",
        ],
        &lines,
    )?;
    wb.save(out.join("funding_units.xlsx"))?;
    Ok(())
}

/// Two returns: `a.xlsx` (Nottingham and Nottinghamshire, QT1, Midlands) lists RX1 and
/// has no funding sheet; `b.xlsx` (South Yorkshire, QF7, North East and Yorkshire) has a
/// funding table on a sheet named `Capital plan` (found by scanning headers; title and
/// note rows above, header in row 4, synonyms) with a line for its own trust RHQ, a
/// line for `rx1` (lower case: A's trust, so counted under QT1), an ICS-wide line, and
/// a line for RZZ, which no providers table lists (warning at A8, grouped under QF7).
fn funding_cross(out: &Path) -> Res {
    let dir = out.join("funding_cross");

    let mut a = new_workbook()?;
    add_cover(
        &mut a,
        "Nottingham and Nottinghamshire",
        "QT1",
        "Midlands",
        (2026, 10, 12),
    )?;
    #[rustfmt::skip]
    let a_providers: Vec<Vec<Cell>> = vec![
        vec![T("RX1"), T("Nottingham University Hospitals NHS Trust"), T("Acute"), T("Live"), T("System C"), T("Medway"), N(6.0), N(3.0)],
        vec![T("RK5"), T("Sherwood Forest Hospitals NHS Foundation Trust"), T("Acute"), T("Implementing"), T("Epic"), B, N(1.0), B],
        vec![T("RHA"), T("Nottinghamshire Healthcare NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("Servelec"), T("RiO"), N(3.0), N(2.0)],
    ];
    add_table_sheet(&mut a, "Providers", &FUNDING_PROVIDER_HEADERS, &a_providers)?;
    a.save(dir.join("a.xlsx"))?;

    let mut b = new_workbook()?;
    add_cover(
        &mut b,
        "South Yorkshire",
        "QF7",
        "North East and Yorkshire",
        (2026, 10, 14),
    )?;
    #[rustfmt::skip]
    let b_providers: Vec<Vec<Cell>> = vec![
        vec![T("RHQ"), T("Sheffield Teaching Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Dedalus"), T("Lorenzo"), N(5.0), N(2.0)],
        vec![T("RFR"), T("The Rotherham NHS Foundation Trust"), T("Acute"), T("Live"), T("Meditech"), T("Expanse"), N(7.0), N(3.0)],
        vec![T("RXE"), T("Rotherham Doncaster and South Humber NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("Servelec"), T("RiO"), N(2.0), N(1.0)],
    ];
    add_table_sheet(&mut b, "Providers", &FUNDING_PROVIDER_HEADERS, &b_providers)?;
    let ws = b.add_worksheet();
    ws.set_name("Capital plan")?;
    ws.write_string(0, 0, "South Yorkshire ICS: EPR capital plan 2025-28")?;
    ws.write_string(
        1,
        0,
        "Amounts in £ millions. Leave the provider code blank for ICS-wide schemes.",
    )?;
    // Row 3 (index 2) is left blank.
    write_text_row(
        ws,
        3,
        &[
            "Provider code",
            "Description",
            "Cost (£m)",
            "Central funding (£m)",
            "Local contribution (£m)",
            "Gap (£m)",
            "Financial year",
        ],
    )?;
    #[rustfmt::skip]
    let lines: Vec<Vec<Cell>> = vec![
        // row 5
        vec![T("RHQ"), T("EPR optimisation"), N(5.0), N(2.0), N(2.0), N(1.0), T("2025/26")],
        // row 6: QT1's trust, listed only in a.xlsx (written in lower case)
        vec![T("rx1"), T("Regional EPR hosting at Nottingham University Hospitals"), N(7.0), N(3.0), N(1.0), N(3.0), T("2026/27")],
        // row 7: ICS-wide
        vec![B, T("South Yorkshire shared EPR platform"), N(20.0), N(12.0), N(6.0), N(2.0), T("2026/27")],
        // row 8: RZZ is in no providers table: warning at A8, grouped under QF7
        vec![T("RZZ"), T("Legacy PAS replacement"), N(4.0), N(1.0), N(1.0), N(2.0), T("2027/28")],
    ];
    write_rows(ws, 4, &lines)?;
    b.save(dir.join("b.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (n) diff/old/ and diff/new/: two monthly snapshots for `eprscan diff`
// ---------------------------------------------------------------------------

/// Providers headers of the diff snapshots (A–J).
const DIFF_HEADERS: [&str; 10] = [
    "ODS code",
    "Organisation name",
    "Sector",
    "EPR status",
    "Supplier",
    "Product",
    "Go-live date",
    "Target supplier",
    "Target product",
    "Target go-live",
];

/// One snapshot return: a cover sheet and a providers sheet.
fn diff_return(
    path: &Path,
    (ics_name, icb_code, region): (&str, &str, &str),
    submitted: (u16, u8, u8),
    rows: &[Vec<Cell>],
) -> Res {
    let mut wb = new_workbook()?;
    add_cover(&mut wb, ics_name, icb_code, region, submitted)?;
    add_table_sheet(&mut wb, "Providers", &DIFF_HEADERS, rows)?;
    wb.save(path)?;
    Ok(())
}

/// October (`diff/old/`) and November (`diff/new/`) returns. Mid and South Essex
/// (QH8) and Greater Manchester (QOP) return both months; Devon (QJK) returns for
/// the first time in November. Between them, one change of every kind: RGP goes
/// live, RY3 and RY2 change status, RWR changes EPR, RAJ gains a plan and RM3's plan
/// slips, RCX's go-live slips, RQW is gone, RQ8, RH8 and RK9 are new. R1L, RMC and
/// RXV are spelt differently (`Servelec` / `The Access Group`, `Cerner` /
/// `Oracle Health`, `In house` / `Generic or In House EPR Provider`) but are the
/// same EPR: no change.
fn diff_snapshots(out: &Path) -> Res {
    let (old, new) = (out.join("diff").join("old"), out.join("diff").join("new"));
    fs::create_dir_all(&old)?;
    fs::create_dir_all(&new)?;
    let qh8 = ("Mid and South Essex", "QH8", "East of England");
    let qop = ("Greater Manchester", "QOP", "North West");
    let qjk = ("Devon", "QJK", "South West");

    #[rustfmt::skip]
    let qh8_old: Vec<Vec<Cell>> = vec![
        // row 2
        vec![T("RAJ"), T("Mid and South Essex NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Health"), T("Millennium"), D(2019, 11, 1), B, B, B],
        vec![T("RGP"), T("James Paget University Hospitals NHS Foundation Trust"), T("Acute"), T("Implementing"), T("Epic"), B, D(2026, 11, 1), B, B, B],
        vec![T("RCX"), T("The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust"), T("Acute"), T("Implementing"), T("Epic"), B, D(2027, 3, 31), B, B, B],
        vec![T("RY3"), T("Norfolk Community Health and Care NHS Trust"), T("Community"), T("Procuring"), B, B, B, B, B, B],
        // row 6
        vec![T("R1L"), T("Essex Partnership University NHS Foundation Trust"), T("Mental health"), T("Live"), T("Servelec"), T("RiO"), D(2017, 4, 1), B, B, B],
        vec![T("RWR"), T("Hertfordshire Partnership University NHS Foundation Trust"), T("Mental health"), T("Live"), T("Civica"), T("Paris"), B, B, B, B],
        vec![T("RQW"), T("The Princess Alexandra Hospital NHS Trust"), T("Acute"), T("Planning"), B, B, B, B, B, B],
    ];
    diff_return(
        &old.join("qh8_mid_and_south_essex.xlsx"),
        qh8,
        (2026, 10, 15),
        &qh8_old,
    )?;

    #[rustfmt::skip]
    let qop_old: Vec<Vec<Cell>> = vec![
        vec![T("RMC"), T("Bolton NHS Foundation Trust"), T("Acute"), T("Live"), T("Cerner"), T("Millennium"), B, B, B, B],
        vec![T("RM3"), T("Northern Care Alliance NHS Foundation Trust"), T("Acute"), T("Live"), T("System C"), T("Medway"), B, T("Epic"), B, D(2027, 3, 31)],
        vec![T("RXV"), T("Greater Manchester Mental Health NHS Foundation Trust"), T("Mental health"), T("Live"), T("In house"), B, B, B, B, B],
        vec![T("RY2"), T("Bridgewater Community Healthcare NHS Foundation Trust"), T("Community"), T("None"), B, B, B, B, B, B],
    ];
    diff_return(
        &old.join("qop_greater_manchester.xlsx"),
        qop,
        (2026, 10, 20),
        &qop_old,
    )?;

    #[rustfmt::skip]
    let qh8_new: Vec<Vec<Cell>> = vec![
        // row 2: same EPR under another spelling; a plan appears
        vec![T("RAJ"), T("Mid and South Essex NHS Foundation Trust"), T("Acute"), T("Live"), T("Cerner"), T("Millennium"), D(2019, 11, 1), T("Epic"), B, D(2028, 3, 31)],
        vec![T("RGP"), T("James Paget University Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), B, D(2026, 11, 1), B, B, B],
        vec![T("RCX"), T("The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust"), T("Acute"), T("Implementing"), T("Epic"), B, D(2027, 9, 30), B, B, B],
        vec![T("RY3"), T("Norfolk Community Health and Care NHS Trust"), T("Community"), T("Implementing"), B, B, B, B, B, B],
        // row 6
        vec![T("R1L"), T("Essex Partnership University NHS Foundation Trust"), T("Mental health"), T("Live"), T("The Access Group"), T("RiO"), D(2017, 4, 1), B, B, B],
        vec![T("RWR"), T("Hertfordshire Partnership University NHS Foundation Trust"), T("Mental health"), T("Live"), T("Servelec"), T("RiO"), B, B, B, B],
        vec![T("RQ8"), T("Mid Essex Hospital Services NHS Trust"), T("Acute"), T("Implementing"), T("Epic"), B, D(2027, 6, 30), B, B, B],
    ];
    diff_return(
        &new.join("qh8_mid_and_south_essex.xlsx"),
        qh8,
        (2026, 11, 14),
        &qh8_new,
    )?;

    #[rustfmt::skip]
    let qop_new: Vec<Vec<Cell>> = vec![
        vec![T("RMC"), T("Bolton NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Health"), T("Millennium"), B, B, B, B],
        vec![T("RM3"), T("Northern Care Alliance NHS Foundation Trust"), T("Acute"), T("Live"), T("System C"), T("Medway"), B, T("Epic"), B, D(2027, 6, 30)],
        vec![T("RXV"), T("Greater Manchester Mental Health NHS Foundation Trust"), T("Mental health"), T("Live"), T("Generic or In House EPR Provider"), B, B, B, B, B],
        vec![T("RY2"), T("Bridgewater Community Healthcare NHS Foundation Trust"), T("Community"), T("Procuring"), B, B, B, B, B, B],
    ];
    diff_return(
        &new.join("qop_greater_manchester.xlsx"),
        qop,
        (2026, 11, 18),
        &qop_new,
    )?;

    #[rustfmt::skip]
    let qjk_new: Vec<Vec<Cell>> = vec![
        vec![T("RH8"), T("Royal Devon University Healthcare NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), B, D(2020, 10, 1), B, B, B],
        vec![T("RK9"), T("University Hospitals Plymouth NHS Trust"), T("Acute"), T("Implementing"), T("Epic"), B, D(2027, 4, 30), B, B, B],
    ];
    diff_return(&new.join("qjk_devon.xlsx"), qjk, (2026, 11, 20), &qjk_new)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (p) csv_exports/: one ICS's tables as three CSV files, each saved the way Excel
// saves CSV or text in another setting than "CSV UTF-8" with commas
// ---------------------------------------------------------------------------

/// South East London (QKK) as three CSV files:
/// - `providers_ansi.csv`: Windows-1252 ("CSV (Comma delimited)" on Windows), CRLF;
///   names with curly apostrophes. Five trusts: four live, RJ2 implementing.
/// - `funding_semicolons.csv`: UTF-8 with a byte-order mark and semicolons (Excel where
///   the decimal mark is a comma), `£1,200,000` unquoted, `£`/`k`/`m` amounts, an en dash;
///   one ICS-wide line, which no cover sheet places in an ICS (a warning).
/// - `systems_unicode.csv`: UTF-16 little-endian with its byte-order mark, tab-separated
///   (Excel's "Unicode Text" renamed .csv): a Core EPR row, a PAS row (counted by
///   convergence) and a Community row (counted only with `--all-systems`).
fn csv_exports(out: &Path) -> Res {
    let dir = out.join("csv_exports");
    let excel = CsvStyle {
        crlf: true,
        ..CsvStyle::PLAIN
    };
    #[rustfmt::skip]
    let providers: &[&[&str]] = &[
        &["ODS code", "Organisation name", "Sector", "ICB code", "EPR status", "Supplier", "Product", "Go-live date"],
        &["RJ1", "Guy\u{2019}s and St Thomas\u{2019} NHS Foundation Trust", "Acute", "QKK", "Live", "Epic", "", "01/10/2023"],
        &["RJZ", "King\u{2019}s College Hospital NHS Foundation Trust", "Acute", "QKK", "Live", "Epic", "", "01/10/2023"],
        &["RJ2", "Lewisham and Greenwich NHS Trust", "Acute", "QKK", "Implementing", "Oracle Health", "Millennium", ""],
        &["RV5", "South London and Maudsley NHS Foundation Trust", "Mental health", "QKK", "Live", "Epic", "", "01/10/2023"],
        &["RPG", "Oxleas NHS Foundation Trust", "Mental health and community", "QKK", "Live", "The Access Group", "RiO", "01/04/2016"],
    ];
    write_csv(
        &dir.join("providers_ansi.csv"),
        CsvStyle {
            encoding: CsvEncoding::Windows1252,
            ..excel
        },
        providers.iter().copied(),
    )?;
    #[rustfmt::skip]
    let funding: &[&[&str]] = &[
        &["ODS code", "Item", "Total cost", "National funding", "Local funding"],
        &["RJ1", "EPR optimisation \u{2013} phase 2", "£1,200,000", "£800k", "£0.2m"],
        &["RJZ", "Shared Epic instance", "£2.5m", "£1.5m", "£1m"],
        &["", "ICS-wide convergence team", "£300,000", "£0", "£100k"],
    ];
    write_csv(
        &dir.join("funding_semicolons.csv"),
        CsvStyle {
            bom: true,
            separator: b';',
            ..excel
        },
        funding.iter().copied(),
    )?;
    #[rustfmt::skip]
    let systems: &[&[&str]] = &[
        &["ODS code", "Supplier", "Product", "Scope"],
        &["RJ1", "Epic", "", "Core EPR"],
        &["RJ2", "System C", "Medway", "PAS"],
        &["RV5", "TPP", "SystmOne", "Community"],
    ];
    write_csv(
        &dir.join("systems_unicode.csv"),
        CsvStyle {
            bom: true,
            encoding: CsvEncoding::Utf16Le,
            separator: b'\t',
            ..excel
        },
        systems.iter().copied(),
    )
}

// ---------------------------------------------------------------------------
// (q) split_providers.xlsx: providers on two sheets, only one of which is read
// ---------------------------------------------------------------------------

/// Norfolk and Waveney (QMM) with its providers split over two sheets whose names say
/// nothing: "Acute trusts" (found first by content, and read) and "Community and
/// mental health" (a title row, its header on row 3, two trusts: a warning at A3 that
/// its 2 rows are not counted). The systems sheet has an organisation name column, so
/// it too holds a providers header, but it is read as the systems table: no warning;
/// nor for the "Guidance" sheet, whose example header row has nothing under it.
fn split_providers_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Norfolk and Waveney",
        "QMM",
        "East of England",
        (2026, 10, 30),
    )?;
    let headers = [
        "ODS code",
        "Organisation name",
        "Sector",
        "EPR status",
        "Supplier",
    ];
    #[rustfmt::skip]
    let acute = vec![
        vec![T("RM1"), T("Norfolk and Norwich University Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic")],
        vec![T("RCX"), T("The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust"), T("Acute"), T("Implementing"), T("Epic")],
        vec![T("RGP"), T("James Paget University Hospitals NHS Foundation Trust"), T("Acute"), T("Implementing"), T("Epic")],
    ];
    add_table_sheet(&mut wb, "Acute trusts", &headers, &acute)?;
    let ws = wb.add_worksheet();
    ws.set_name("Community and mental health")?;
    ws.write_string(0, 0, "Community and mental health providers")?;
    write_text_row(ws, 2, &headers)?;
    #[rustfmt::skip]
    let community = vec![
        vec![T("RMY"), T("Norfolk and Suffolk NHS Foundation Trust"), T("Mental health"), T("Live"), T("The Access Group")],
        vec![T("RY3"), T("Norfolk Community Health and Care NHS Trust"), T("Community"), T("Live"), T("TPP")],
    ];
    write_rows(ws, 3, &community)?;
    add_table_sheet(
        &mut wb,
        "Systems",
        &[
            "ODS code",
            "Organisation name",
            "Supplier",
            "Product",
            "Scope",
        ],
        &[vec![
            T("RM1"),
            T("Norfolk and Norwich University Hospitals NHS Foundation Trust"),
            T("Epic"),
            B,
            T("Core EPR"),
        ]],
    )?;
    let guidance = wb.add_worksheet();
    guidance.set_name("Guidance")?;
    guidance.write_string(0, 0, "Fill in one row per provider, under these headings:")?;
    write_text_row(guidance, 1, &headers)?;
    wb.save(out.join("split_providers.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// trust_epr.csv: an analyst's own trust list, EPR column under a header of its own
// ---------------------------------------------------------------------------

/// A trust list as an analyst keeps it: snake_case headers, the EPR supplier under
/// `trust_epr` (no accepted header), no status, sector or ICS column. 10 trusts: 8 name
/// a supplier, 2 say "No EPR".
fn trust_epr_csv(out: &Path) -> Res {
    #[rustfmt::skip]
    let rows: [[&str; 4]; 11] = [
        ["trust_code", "trust_name", "trust_mrc", "trust_epr"],
        ["RXN", "Lancashire Teaching Hospitals NHS Foundation Trust", "Y", "Oracle Cerner"],
        ["RXL", "Blackpool Teaching Hospitals NHS Foundation Trust", "Y", "Oracle Cerner"],
        ["RW5", "Lancashire & South Cumbria NHS Foundation Trust", "N", "No EPR"],
        ["RM3", "Northern Care Alliance NHS Foundation Trust", "Y", "Allscripts"],
        ["R0A", "Manchester University NHS Foundation Trust", "Y", "Epic"],
        ["RXV", "Greater Manchester Mental Health NHS Foundation Trust", "N", "No EPR"],
        ["RX7", "North West Ambulance Service NHS Trust", "Y", "Cleric"],
        ["RR7", "Gateshead Health NHS Foundation Trust", "Y", "Oracle Health"],
        ["RX6", "North East Ambulance Service NHS Foundation Trust", "Y", "Cleric"],
        ["RTD", "The Newcastle upon Tyne Hospitals NHS Foundation Trust", "Y", "Epic"],
    ];
    write_csv(&out.join("trust_epr.csv"), CsvStyle::PLAIN, rows)
}

// ---------------------------------------------------------------------------
// convergence_now.xlsx: EPRs in use now versus named for the future
// ---------------------------------------------------------------------------

/// Providers whose named EPR is not in use yet (an implementing trust's Epic going
/// live in 2028, a PAS system going live in 2030) beside live ones, a GP practice and
/// a care home, so "in use now", "planned" and the population can each be told apart.
fn convergence_now_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Greater Manchester",
        "QOP",
        "North West",
        (2026, 6, 30),
    )?;
    #[rustfmt::skip]
    let providers: Vec<Vec<Cell>> = vec![
        // row 2
        vec![T("RAA"), T("Alpha Hospitals NHS Trust"), T("Acute"), T("Live"), T("Epic"), B, D(2020, 1, 1), B],
        vec![T("RBB"), T("Beta Hospitals NHS Trust"), T("Acute"), T("Implementing"), T("Epic"), B, D(2028, 3, 14), B],
        vec![T("RCC"), T("Gamma Hospitals NHS Trust"), T("Acute"), T("Procuring"), B, B, B, B],
        // row 5
        vec![T("RDD"), T("Delta Hospitals NHS Trust"), T("Acute"), T("Live"), T("Oracle Health"), T("Millennium"), D(2019, 4, 1), B],
        vec![T("REE"), T("Epsilon Mental Health NHS Trust"), T("Mental health"), T("Live"), T("TPP"), T("SystmOne"), B, T("Epic")],
        vec![T("GPA01"), T("Example Surgery"), T("GP practice"), T("Live"), T("EMIS"), T("EMIS Web"), B, B],
        // row 8
        vec![T("CHA01"), T("Example Care Home"), T("Care home"), T("None"), B, B, B, B],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "EPR status",
            "Supplier",
            "Product",
            "Go-live date",
            "Target supplier",
        ],
        &providers,
    )?;
    #[rustfmt::skip]
    let systems: Vec<Vec<Cell>> = vec![
        // row 2
        vec![T("RDD"), T("TPP"), T("SystmOne"), T("PAS"), D(2030, 6, 30)],
        vec![T("RAA"), T("Nervecentre"), B, T("Core EPR"), D(2022, 5, 1)],
        vec![T("RBB"), T("Dedalus"), T("Lorenzo"), T("PAS"), D(2021, 1, 1)],
    ];
    add_table_sheet(
        &mut wb,
        "Systems",
        &["ODS code", "Supplier", "Product", "Scope", "Go-live date"],
        &systems,
    )?;
    wb.save(out.join("convergence_now.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (r) ladder_dates.xlsx: what a go-live date means on each rung of the ladder
// ---------------------------------------------------------------------------

/// Greater Manchester (QOP) in the tracker layout: six trusts whose go-live dates
/// (column H, "Current Forecast Go-Live") mean different things by rung. On the `2.x`
/// rows (RM3, R0A) the date is the NEXT EPR's forecast, after 2023-12-31: the trusts
/// are live on their first EPR at any `--as-of`. On `1.3`, `3.0` and plain `Live` rows
/// it is the date the trust went live. RW5 is implementing with a forecast already
/// past: still implementing (the status is what the return reports).
fn ladder_dates_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Greater Manchester",
        "QOP",
        "North West",
        (2026, 9, 30),
    )?;
    #[rustfmt::skip]
    let rows: Vec<Vec<Cell>> = vec![
        // row 2
        vec![T("RM3"), T("Northern Care Alliance NHS Foundation Trust"), T("Acute - Teaching"), T("QOP"), T("2.2 Live \u{2013} procuring second generation EPR"), T("Allscripts"), D(2026, 3, 31), D(2025, 11, 20), T("Epic")],
        vec![T("R0A"), T("Manchester University NHS Foundation Trust"), T("Acute - Teaching"), T("QOP"), T("2.3 Implementing second-generation EPR"), T("Epic"), D(2032, 9, 30), D(2027, 3, 31), T("Epic")],
        vec![T("RXL"), T("Blackpool Teaching Hospitals NHS Foundation Trust"), T("Acute - Teaching"), T("QOP"), T("1.3 Live with EPR"), T("Oracle Cerner"), B, D(2024, 6, 1), B],
        vec![T("RT2"), T("Pennine Care NHS Foundation Trust"), T("Mental Health & Community"), T("QOP"), T("3.0 Meets Minimum Criteria"), T("The Access Group"), B, D(2023, 12, 31), B],
        // row 6
        vec![T("RX7"), T("North West Ambulance Service NHS Trust"), T("Ambulance"), T("QOP"), T("Live"), T("Ortivus"), B, D(2025, 1, 15), B],
        vec![T("RW5"), T("Lancashire & South Cumbria NHS Foundation Trust"), T("Mental Health and Community (Combined)"), T("QOP"), T("1.2 Implementing EPR"), T("The Access Group"), B, D(2023, 6, 1), B],
    ];
    add_table_sheet(&mut wb, "Providers", &TRACKER_HEADERS, &rows)?;
    wb.save(out.join("ladder_dates.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// (s) closed_orgs.xlsx, closed_orgs.csv and ods/merged_trusts.csv: a trust list
// carrying the predecessors of merged trusts
// ---------------------------------------------------------------------------

/// The providers of `closed_orgs.xlsx` and `closed_orgs.csv`: ten open trusts (nine
/// live, one implementing), three predecessors closed on or before 2024-03-31 with no
/// EPR, RWJ (live, closes 2025-03-31) and R9Z (live, a code the reference does not
/// know). Go-lives are all before 2023.
#[rustfmt::skip]
const CLOSED_ORGS_ROWS: [[&str; 6]; 15] = [
    ["R0A", "Manchester University NHS Foundation Trust", "Acute", "Live", "Epic", "24/09/2022"],
    ["RM3", "Northern Care Alliance NHS Foundation Trust", "Acute", "Live", "Allscripts", "01/10/2018"],
    ["RXV", "Greater Manchester Mental Health NHS Foundation Trust", "Mental health", "Live", "CSE Servelec", "06/11/2017"],
    ["RT2", "Pennine Care NHS Foundation Trust", "Mental health and community", "Live", "The Access Group", "04/04/2016"],
    ["RX7", "North West Ambulance Service NHS Trust", "Ambulance", "Live", "Ortivus", "01/02/2020"],
    ["RBV", "The Christie NHS Foundation Trust", "Acute", "Live", "System C", "01/06/2019"],
    ["RBS", "Alder Hey Children's NHS Foundation Trust", "Acute", "Live", "Meditech", "01/03/2015"],
    ["RRF", "Wrightington, Wigan and Leigh NHS Foundation Trust", "Acute", "Live", "Oracle Health", "01/05/2016"],
    ["RVY", "Southport and Ormskirk Hospital NHS Trust", "Acute", "Live", "Oracle Health", "01/09/2017"],
    ["RMC", "Bolton NHS Foundation Trust", "Acute", "Implementing", "Epic", "31/03/2027"],
    ["RW3", "Central Manchester University Hospitals NHS Foundation Trust", "Acute", "None", "", ""],
    ["RM2", "University Hospital of South Manchester NHS Foundation Trust", "Acute", "None", "", ""],
    ["RW6", "Pennine Acute Hospitals NHS Trust", "Acute", "None", "", ""],
    ["RWJ", "Stockport NHS Foundation Trust", "Acute", "Live", "Epic", "01/10/2021"],
    ["R9Z", "Synthetic Unlisted NHS Trust", "Acute", "Live", "TPP", "01/04/2019"],
];

const CLOSED_ORGS_HEADERS: [&str; 6] = [
    "ODS code",
    "Organisation name",
    "Sector",
    "EPR status",
    "Supplier",
    "Go-live date",
];

/// The same fifteen providers as a return from Greater Manchester (QOP) submitted
/// 2024-03-31 (`closed_orgs.xlsx`, dates as text) and as a CSV with no cover sheet, so
/// no known date (`closed_orgs.csv`); and `ods/merged_trusts.csv`, an ODS reference
/// that knows every code but R9Z, with RW3 and RM2 closed 2017-09-30, RW6 closed
/// 2024-03-31 (the submitted date itself) and RWJ closed 2025-03-31. The close dates
/// are made up for the test.
fn closed_orgs(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Greater Manchester",
        "QOP",
        "North West",
        (2024, 3, 31),
    )?;
    let rows: Vec<Vec<Cell>> = CLOSED_ORGS_ROWS
        .iter()
        .map(|row| {
            row.iter()
                .map(|&text| if text.is_empty() { B } else { T(text) })
                .collect()
        })
        .collect();
    add_table_sheet(&mut wb, "Providers", &CLOSED_ORGS_HEADERS, &rows)?;
    wb.save(out.join("closed_orgs.xlsx"))?;

    let mut records = vec![CLOSED_ORGS_HEADERS];
    records.extend(CLOSED_ORGS_ROWS);
    write_csv(&out.join("closed_orgs.csv"), CsvStyle::PLAIN, records)?;

    let mut lines = Vec::new();
    for [code, name, ..] in CLOSED_ORGS_ROWS {
        if code == "R9Z" {
            continue;
        }
        let close = match code {
            "RW3" | "RM2" => "20170930",
            "RW6" => "20240331",
            "RWJ" => "20250331",
            _ => "",
        };
        let mut cols = [""; 27];
        cols[0] = code;
        cols[1] = name;
        cols[2] = "Y62";
        cols[3] = "QOP";
        cols[10] = "19940401";
        cols[11] = close;
        cols[21] = "0";
        lines.push(cols);
    }
    let style = CsvStyle {
        crlf: true,
        quote_all: true,
        ..CsvStyle::PLAIN
    };
    write_csv(&out.join("ods").join("merged_trusts.csv"), style, lines)
}

// ---------------------------------------------------------------------------
// (r) layouts/: header rows, dates, plain headers and errors inside a workbook
// ---------------------------------------------------------------------------

/// Headers of the `layouts/` providers sheets.
const LAYOUT_HEADERS: [&str; 5] = [
    "ODS code",
    "Organisation name",
    "Sector",
    "EPR status",
    "Supplier",
];

/// The fixtures of `layouts/` (fixtures/README.md, "layouts/"): each a providers sheet
/// laid out as a new user might, where no row may be lost without a word.
fn issue18_layouts(out: &Path) -> Res {
    let dir = out.join("layouts");
    fs::create_dir_all(&dir)?;
    layouts_repeated_header(&dir)?;
    layouts_data_above_header(&dir)?;
    layouts_two_code_columns(&dir)?;
    layouts_plain_headers(&dir)?;
    layouts_unmatched_headers(&dir)?;
    layouts_impossible_dates(&dir)?;
    layouts_formula_errors(&dir)?;
    layouts_broken_shared_string(&dir)?;
    Ok(())
}

/// Two blocks under one title: header row 3 and trusts in rows 4-5; the header
/// repeated in row 7 (the same columns) and trusts in rows 8-9; the header repeated
/// again in row 11 with a `Go-live date` column the first lacks (F11), and a trust in
/// row 12. Row 11 matches the most columns.
fn layouts_repeated_header(dir: &Path) -> Res {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Providers")?;
    ws.write_string(0, 0, "Thames Valley providers (two blocks pasted together)")?;
    write_text_row(ws, 2, &LAYOUT_HEADERS)?;
    #[rustfmt::skip]
    write_rows(ws, 3, &[
        vec![T("RTH"), T("Oxford University Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Health")],
        vec![T("RNU"), T("Oxford Health NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("Advanced")],
    ])?;
    write_text_row(ws, 6, &LAYOUT_HEADERS)?;
    #[rustfmt::skip]
    write_rows(ws, 7, &[
        vec![T("RHW"), T("Royal Berkshire NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic")],
        vec![T("RXQ"), T("Buckinghamshire Healthcare NHS Trust"), T("Acute"), T("Implementing"), T("Oracle Health")],
    ])?;
    let mut longer: Vec<&str> = LAYOUT_HEADERS.to_vec();
    longer.push("Go-live date");
    write_text_row(ws, 10, &longer)?;
    #[rustfmt::skip]
    write_rows(ws, 11, &[
        vec![T("RWX"), T("Berkshire Healthcare NHS Foundation Trust"), T("Mental health and community"), T("Procuring"), T("TPP"), D(2027, 3, 31)],
    ])?;
    wb.save(dir.join("repeated_header.xlsx"))?;
    Ok(())
}

/// Two trusts in rows 1-2 with no header above them (it was deleted), a blank row,
/// the header in row 4 and two trusts in rows 5-6.
fn layouts_data_above_header(dir: &Path) -> Res {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Providers")?;
    #[rustfmt::skip]
    write_rows(ws, 0, &[
        vec![T("RTH"), T("Oxford University Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Health")],
        vec![T("RNU"), T("Oxford Health NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("Advanced")],
    ])?;
    write_text_row(ws, 3, &LAYOUT_HEADERS)?;
    #[rustfmt::skip]
    write_rows(ws, 4, &[
        vec![T("RHW"), T("Royal Berkshire NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic")],
        vec![T("RXQ"), T("Buckinghamshire Healthcare NHS Trust"), T("Acute"), T("Implementing"), T("Oracle Health")],
    ])?;
    wb.save(dir.join("data_above_header.xlsx"))?;
    Ok(())
}

/// Two `ODS code` columns (A: the trust's code; D: the code of its host trust, as a
/// copied-in lookup), so which one is read decides every row.
fn layouts_two_code_columns(dir: &Path) -> Res {
    let mut wb = new_workbook()?;
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RHW"), T("Royal Berkshire NHS Foundation Trust"), T("Acute"), T("RTH"), T("Live"), T("Epic")],
        vec![T("RXQ"), T("Buckinghamshire Healthcare NHS Trust"), T("Acute"), T("RTH"), T("Implementing"), T("Oracle Health")],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "ODS code",
            "EPR status",
            "Supplier",
        ],
        &rows,
    )?;
    wb.save(dir.join("two_code_columns.xlsx"))?;
    Ok(())
}

/// Plain headers a new user writes: `Code`, `Name`, `Type`-less `Sector`, `Status`,
/// `Supplier name`; three trusts, two live.
fn layouts_plain_headers(dir: &Path) -> Res {
    let mut wb = new_workbook()?;
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RHW"), T("Royal Berkshire NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic")],
        vec![T("RXQ"), T("Buckinghamshire Healthcare NHS Trust"), T("Acute"), T("Implementing"), T("Oracle Health")],
        vec![T("RWX"), T("Berkshire Healthcare NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("TPP")],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &["Code", "Name", "Sector", "Status", "Supplier name"],
        &rows,
    )?;
    // `Org name` in a second workbook-shaped sheet would not be read (one providers
    // table per workbook); the other forms are covered by unit tests.
    wb.save(dir.join("plain_headers.xlsx"))?;
    Ok(())
}

/// Headers that match no required column: `Providers` and `Trusts` (each near the
/// name field's `Provider` and `Trust`), `validation_notes` and `alt_names` (near
/// nothing), and a bare `Code` beside an `ICB code` (ambiguous, so not the ODS code).
fn layouts_unmatched_headers(dir: &Path) -> Res {
    let mut wb = new_workbook()?;
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RHW"), T("QU9"), T("Royal Berkshire NHS Foundation Trust"), T("Royal Berkshire"), T("checked"), T("RBFT"), T("Live"), T("Epic")],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "Code",
            "ICB code",
            "Providers",
            "Trusts",
            "validation_notes",
            "alt_names",
            "Status",
            "Supplier",
        ],
        &rows,
    )?;
    wb.save(dir.join("unmatched_headers.xlsx"))?;
    Ok(())
}

/// Go-live dates outside 1950-01-01..=2100-12-31 written every way: an Excel date
/// cell in the year 82900 (serial 29 584 650, F2), a date cell at serial 1 (1 Jan
/// 1900, F3), a plain number 100 (serial: 9 Apr 1900, F4), the text `01/01/1899`
/// (F5), and the impossible `31/02/2024` (F6); F7 (1 May 2022) is good.
fn layouts_impossible_dates(dir: &Path) -> Res {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Providers")?;
    let mut headers: Vec<&str> = LAYOUT_HEADERS.to_vec();
    headers.push("Go-live date");
    write_text_row(ws, 0, &headers)?;
    #[rustfmt::skip]
    write_rows(ws, 1, &[
        vec![T("RTH"), T("Oxford University Hospitals NHS Foundation Trust"), T("Acute"), T("Live"), T("Oracle Health")],
        vec![T("RNU"), T("Oxford Health NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("Advanced")],
        vec![T("RHW"), T("Royal Berkshire NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic")],
        vec![T("RXQ"), T("Buckinghamshire Healthcare NHS Trust"), T("Acute"), T("Live"), T("Oracle Health")],
        vec![T("RWX"), T("Berkshire Healthcare NHS Foundation Trust"), T("Mental health and community"), T("Live"), T("TPP"), T("31/02/2024")],
        vec![T("RDU"), T("Frimley Health NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), D(2022, 5, 1)],
    ])?;
    let date = date_format();
    ws.write_number_with_format(1, 5, 29_584_650.0, &date)?;
    ws.write_number_with_format(2, 5, 1.0, &date)?;
    ws.write_number(3, 5, 100.0)?;
    ws.write_string(4, 5, "01/01/1899")?;
    wb.save(dir.join("impossible_dates.xlsx"))?;
    Ok(())
}

/// Formula cells whose cached results are error values: `#DIV/0!` in a status
/// (D2), `#N/A` in a supplier (E3, a failed lookup), `#REF!` in a go-live date
/// (F4) and `#N/A` in the cover sheet's ICS name (B1); and cells of the wrong type:
/// a date cell in a supplier (E5), TRUE in an EMRAM stage (G3), a date cell in an
/// EMRAM stage (G4). Every row is kept.
fn layouts_formula_errors(dir: &Path) -> Res {
    use rust_xlsxwriter::Formula;
    let mut wb = new_workbook()?;
    let cover = wb.add_worksheet();
    cover.set_name("Cover")?;
    cover.write_string(0, 0, "ICS name")?;
    cover.write_formula(
        0,
        1,
        Formula::new("=VLOOKUP(\"x\",B9:C9,2,FALSE)").set_result("#N/A"),
    )?;
    write_text_row(cover, 1, &["ICB code", "QU9"])?;
    let ws = wb.add_worksheet();
    ws.set_name("Providers")?;
    let mut headers: Vec<&str> = LAYOUT_HEADERS.to_vec();
    headers.extend(["Go-live date", "EMRAM stage"]);
    write_text_row(ws, 0, &headers)?;
    ws.write_boolean(2, 6, true)?;
    #[rustfmt::skip]
    write_rows(ws, 1, &[
        vec![T("RTH"), T("Oxford University Hospitals NHS Foundation Trust"), T("Acute"), B, T("Oracle Health"), D(2019, 4, 1), N(6.0)],
        vec![T("RNU"), T("Oxford Health NHS Foundation Trust"), T("Mental health and community"), T("Live"), B, D(2015, 6, 1)],
        vec![T("RHW"), T("Royal Berkshire NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), B, D(2023, 5, 5)],
        vec![T("RXQ"), T("Buckinghamshire Healthcare NHS Trust"), T("Acute"), T("Implementing"), D(2024, 1, 1), B, N(2.0)],
    ])?;
    ws.write_formula(1, 3, Formula::new("=1/0").set_result("#DIV/0!"))?;
    ws.write_formula(
        2,
        4,
        Formula::new("=VLOOKUP(A3,Z1:Z2,1,FALSE)").set_result("#N/A"),
    )?;
    ws.write_formula(3, 5, Formula::new("=#REF!").set_result("#REF!"))?;
    wb.save(dir.join("formula_errors.xlsx"))?;
    Ok(())
}

/// A providers sheet whose cell B3 points at shared string 999 of a table of a few
/// dozen (a damaged file, as some exporters write): written whole, then the sheet's
/// XML patched in the package.
fn layouts_broken_shared_string(dir: &Path) -> Res {
    let mut wb = new_workbook()?;
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RHW"), T("Royal Berkshire NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic")],
        vec![T("RXQ"), T("Buckinghamshire Healthcare NHS Trust"), T("Acute"), T("Implementing"), T("Oracle Health")],
    ];
    add_table_sheet(&mut wb, "Providers", &LAYOUT_HEADERS, &rows)?;
    let path = dir.join("broken_shared_string.xlsx");
    wb.save(&path)?;
    patch_package_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find(r#"<c r="B3""#)?;
        let open = at + xml[at..].find("<v>")? + 3;
        let close = open + xml[open..].find("</v>")?;
        Some(format!("{}999{}", &xml[..open], &xml[close..]))
    })?;
    Ok(())
}

/// Rewrite one part of a zip package (an xlsx) through `patch`, keeping the others
/// as they are; entries are stored with a fixed date, so the output is reproducible.
fn patch_package_part(path: &Path, part: &str, patch: impl Fn(&str) -> Option<String>) -> Res {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(fs::read(path)?))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut patched = false;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index)?;
        let name = entry.name()?.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        if name == part {
            let text = String::from_utf8(bytes)?;
            bytes = patch(&text)
                .ok_or_else(|| format!("{part}: nothing to patch"))?
                .into_bytes();
            patched = true;
        }
        zip.start_file(name, options)?;
        zip.write_all(&bytes)?;
    }
    if !patched {
        return Err(format!("{}: no part {part}", path.display()).into());
    }
    fs::write(path, zip.finish()?.into_inner())?;
    Ok(())
}

// ---------------------------------------------------------------------------
// deadline/: deadline day, some ICSs missing, one duplicated, two broken files
// ---------------------------------------------------------------------------

/// A folder of returns as it stands on deadline day (issue 19): Mid and South Essex
/// clean; Greater Manchester with one bad sector cell (a warning); Devon sent twice
/// (identical rows); a "South East London" file that is a web page, not a workbook;
/// a South West London workbook with a cover sheet but no providers table.
fn deadline_day(out: &Path) -> Res {
    let dir = out.join("deadline");
    fs::create_dir_all(&dir)?;
    let headers = [
        "ODS code",
        "Organisation name",
        "Sector",
        "EPR status",
        "Supplier",
        "Product",
    ];
    let provider = |code: &'static str,
                    name: &'static str,
                    sector: &'static str,
                    status: &'static str,
                    supplier: &'static str| {
        vec![
            T(code),
            T(name),
            T(sector),
            T(status),
            if supplier.is_empty() { B } else { T(supplier) },
            B,
        ]
    };

    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Mid and South Essex",
        "QH8",
        "East of England",
        (2026, 11, 10),
    )?;
    add_table_sheet(
        &mut wb,
        "Providers",
        &headers,
        &[
            provider(
                "RAJ",
                "Mid and South Essex NHS Foundation Trust",
                "Acute",
                "Live",
                "Oracle Health",
            ),
            provider(
                "RDE",
                "East Suffolk and North Essex NHS Foundation Trust",
                "Acute",
                "Live",
                "Epic",
            ),
            provider(
                "RGP",
                "James Paget University Hospitals NHS Foundation Trust",
                "Acute",
                "Implementing",
                "Epic",
            ),
        ],
    )?;
    wb.save(dir.join("qh8_mid_and_south_essex.xlsx"))?;

    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "Greater Manchester",
        "QOP",
        "North West",
        (2026, 11, 12),
    )?;
    add_table_sheet(
        &mut wb,
        "Providers",
        &headers,
        &[
            provider(
                "R0A",
                "Manchester University NHS Foundation Trust",
                "Acute",
                "Live",
                "Epic",
            ),
            // C3: not a sector (a warning; still counted as an NHS trust)
            provider(
                "RM3",
                "Northern Care Alliance NHS Foundation Trust",
                "Hospital group",
                "Live",
                "System C",
            ),
        ],
    )?;
    wb.save(dir.join("qop_greater_manchester.xlsx"))?;

    for (file, submitted) in [
        ("qjk_devon.xlsx", (2026, 11, 3)),
        ("qjk_devon_resubmitted.xlsx", (2026, 11, 14)),
    ] {
        let mut wb = new_workbook()?;
        add_cover(&mut wb, "Devon", "QJK", "South West", submitted)?;
        add_table_sheet(
            &mut wb,
            "Providers",
            &headers,
            &[
                provider(
                    "RH8",
                    "Royal Devon University Healthcare NHS Foundation Trust",
                    "Acute",
                    "Live",
                    "Epic",
                ),
                provider(
                    "RK9",
                    "University Hospitals Plymouth NHS Trust",
                    "Acute",
                    "Implementing",
                    "Epic",
                ),
            ],
        )?;
        wb.save(dir.join(file))?;
    }

    // A web page saved with an .xlsx name: unreadable, and its ICS cannot be told.
    fs::write(
        dir.join("qkk_south_east_london.xlsx"),
        "<html><body><table><tr><td>ODS code</td></tr></table></body></html>\n",
    )?;

    // A cover sheet, but the providers were never pasted in.
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "South West London",
        "QWE",
        "London",
        (2026, 11, 13),
    )?;
    let ws = wb.add_worksheet();
    ws.set_name("Notes")?;
    write_text_row(ws, 0, &["Providers to follow"])?;
    wb.save(dir.join("qwe_south_west_london.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// html_hostile.xlsx: workbook text that is markup, for the HTML report (issue 21)
// ---------------------------------------------------------------------------

/// Somerset (QSL) with markup in its cover name, a supplier, a product and a status:
/// the web page must show it as text, never run or render it.
fn html_hostile_xlsx(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    add_cover(
        &mut wb,
        "<script>alert('cover')</script> & Somerset",
        "QSL",
        "South West",
        (2026, 11, 3),
    )?;
    #[rustfmt::skip]
    let rows = vec![
        vec![T("RH5"), T("Somerset NHS Foundation Trust"), T("Acute"), T("Live"), T("<script>alert(1)</script>"), T("<b>Bold</b> EPR")],
        vec![T("RA4"), T("Yeovil District Hospital NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), B],
        vec![T("RBA"), T("Taunton and Somerset NHS Foundation Trust"), T("Acute"), T("<img src=x onerror=alert(2)>"), B, B],
    ];
    add_table_sheet(
        &mut wb,
        "Providers",
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "EPR status",
            "Supplier",
            "Product",
        ],
        &rows,
    )?;
    wb.save(out.join("html_hostile.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Issue 20: snapshots over time (`eprscan trend`) and forecast go-lives
// (`eprscan trajectory`)
// ---------------------------------------------------------------------------

/// Funding headers of the trend returns: plain pounds (no unit in the header).
const TREND_FUNDING_HEADERS: [&str; 5] = ["ODS code", "Item", "Total cost", "National", "Local"];

/// One trend return: a cover sheet (with a submitted date when `submitted` is
/// given), a providers sheet, and a funding sheet when `funding` has lines.
fn trend_return(
    path: &Path,
    (ics_name, icb_code, region): (&str, &str, &str),
    submitted: Option<(u16, u8, u8)>,
    rows: &[Vec<Cell>],
    funding: &[Vec<Cell>],
) -> Res {
    let mut wb = new_workbook()?;
    match submitted {
        Some(date) => add_cover(&mut wb, ics_name, icb_code, region, date)?,
        None => {
            let ws = wb.add_worksheet();
            ws.set_name("Cover")?;
            write_text_row(ws, 0, &["ICS name", ics_name])?;
            write_text_row(ws, 1, &["ICB code", icb_code])?;
            write_text_row(ws, 2, &["Region", region])?;
            write_text_row(ws, 3, &["Contact", "epr.returns@example.nhs.uk"])?;
        }
    }
    add_table_sheet(&mut wb, "Providers", &DIFF_HEADERS, rows)?;
    if !funding.is_empty() {
        add_table_sheet(&mut wb, "Funding", &TREND_FUNDING_HEADERS, funding)?;
    }
    wb.save(path)?;
    Ok(())
}

/// `trend/2026-09`, `trend/2026-10`, `trend/2026-11`: three monthly snapshots dated by
/// their folder names. Greater Manchester sends no return in October, and returns
/// in November under another ICB code (QOQ). `trend_cover/early`, `trend_cover/later`:
/// the September and October returns in folders without a date (dated by their
/// cover sheets). `trend_undated/alpha`, `trend_undated/beta`: returns whose cover
/// sheets give no submitted date (only `--dates` can date them).
fn issue20_trend_snapshots(out: &Path) -> Res {
    let qh8 = ("Mid and South Essex", "QH8", "East of England");
    let qop = ("Greater Manchester", "QOP", "North West");
    let qoq = ("Greater Manchester", "QOQ", "North West");
    let row = |code: &'static str,
               name: &'static str,
               sector: &'static str,
               status: &'static str,
               supplier: Cell,
               product: Cell,
               go_live: Cell,
               target: Cell,
               target_go_live: Cell| {
        vec![
            T(code),
            T(name),
            T(sector),
            T(status),
            supplier,
            product,
            go_live,
            target,
            B,
            target_go_live,
        ]
    };
    let raj = || {
        row(
            "RAJ",
            "Mid and South Essex NHS Foundation Trust",
            "Acute",
            "Live",
            T("Oracle Health"),
            T("Millennium"),
            D(2019, 11, 1),
            B,
            B,
        )
    };
    let rgp = |status| {
        row(
            "RGP",
            "James Paget University Hospitals NHS Foundation Trust",
            "Acute",
            status,
            T("Epic"),
            B,
            D(2026, 11, 1),
            B,
            B,
        )
    };
    let rcx = || {
        row(
            "RCX",
            "The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust",
            "Acute",
            "Implementing",
            T("Epic"),
            B,
            D(2027, 3, 31),
            B,
            B,
        )
    };
    let ry3 = |status| {
        row(
            "RY3",
            "Norfolk Community Health and Care NHS Trust",
            "Community",
            status,
            B,
            B,
            B,
            B,
            B,
        )
    };
    let gm = || {
        vec![
            row(
                "RMC",
                "Bolton NHS Foundation Trust",
                "Acute",
                "Live",
                T("Oracle Health"),
                T("Millennium"),
                B,
                B,
                B,
            ),
            row(
                "RM3",
                "Northern Care Alliance NHS Foundation Trust",
                "Acute",
                "Live",
                T("System C"),
                T("Medway"),
                B,
                T("Epic"),
                D(2027, 3, 31),
            ),
            row(
                "RY2",
                "Bridgewater Community Healthcare NHS Foundation Trust",
                "Community",
                "None",
                B,
                B,
                B,
                B,
                B,
            ),
        ]
    };
    // QH8's one funding line: £1,000,000 cost, £600,000 national, £100,000 local:
    // a £300,000 gap; in November £250,000 local: a £150,000 gap.
    let qh8_funding = |local: f64| {
        vec![vec![
            T("RCX"),
            T("EPR implementation (Epic)"),
            N(1_000_000.0),
            N(600_000.0),
            N(local),
        ]]
    };

    let sep = vec![raj(), rgp("Implementing"), rcx(), ry3("Procuring")];
    let oct = vec![raj(), rgp("Implementing"), rcx(), ry3("Implementing")];
    let nov = vec![raj(), rgp("Live"), rcx(), ry3("Implementing")];

    let dir = out.join("trend");
    for month in ["2026-09", "2026-10", "2026-11"] {
        fs::create_dir_all(dir.join(month))?;
    }
    trend_return(
        &dir.join("2026-09").join("qh8.xlsx"),
        qh8,
        Some((2026, 9, 15)),
        &sep,
        &qh8_funding(100_000.0),
    )?;
    trend_return(
        &dir.join("2026-09").join("qop.xlsx"),
        qop,
        Some((2026, 9, 20)),
        &gm(),
        &[],
    )?;
    trend_return(
        &dir.join("2026-10").join("qh8.xlsx"),
        qh8,
        Some((2026, 10, 15)),
        &oct,
        &qh8_funding(100_000.0),
    )?;
    trend_return(
        &dir.join("2026-11").join("qh8.xlsx"),
        qh8,
        Some((2026, 11, 14)),
        &nov,
        &qh8_funding(250_000.0),
    )?;
    trend_return(
        &dir.join("2026-11").join("qoq.xlsx"),
        qoq,
        Some((2026, 11, 18)),
        &gm(),
        &[],
    )?;

    let dir = out.join("trend_cover");
    fs::create_dir_all(dir.join("early"))?;
    fs::create_dir_all(dir.join("later"))?;
    trend_return(
        &dir.join("early").join("qh8.xlsx"),
        qh8,
        Some((2026, 9, 15)),
        &sep,
        &qh8_funding(100_000.0),
    )?;
    trend_return(
        &dir.join("early").join("qop.xlsx"),
        qop,
        Some((2026, 9, 20)),
        &gm(),
        &[],
    )?;
    trend_return(
        &dir.join("later").join("qh8.xlsx"),
        qh8,
        Some((2026, 10, 15)),
        &oct,
        &qh8_funding(100_000.0),
    )?;

    let dir = out.join("trend_undated");
    fs::create_dir_all(dir.join("alpha"))?;
    fs::create_dir_all(dir.join("beta"))?;
    trend_return(&dir.join("alpha").join("qh8.xlsx"), qh8, None, &sep, &[])?;
    trend_return(&dir.join("beta").join("qh8.xlsx"), qh8, None, &nov, &[])?;
    Ok(())
}

/// `trajectory/2026-11-15/`: one snapshot dated by its folder name, with forecast
/// go-live dates (the go-live column of trusts not yet live). QH8: two trusts live,
/// forecasts 2026-12-10, 2027-02-01 and 2027-05-15 (after a 2027-03-31 deadline), one
/// implementing with no forecast, one planning whose forecast (2026-10-01) has
/// passed, and a GP practice (not a trust). QOP: one live, forecasts 2027-01-20 and
/// 2027-03-31 (on the deadline).
fn issue20_trajectory(out: &Path) -> Res {
    let dir = out.join("trajectory").join("2026-11-15");
    fs::create_dir_all(&dir)?;
    let row = |code: &'static str,
               name: &'static str,
               sector: &'static str,
               status: &'static str,
               supplier: Cell,
               go_live: Cell| {
        vec![
            T(code),
            T(name),
            T(sector),
            T(status),
            supplier,
            B,
            go_live,
            B,
            B,
            B,
        ]
    };
    let qh8 = vec![
        row(
            "RAJ",
            "Mid and South Essex NHS Foundation Trust",
            "Acute",
            "Live",
            T("Oracle Health"),
            D(2019, 11, 1),
        ),
        row(
            "RGP",
            "James Paget University Hospitals NHS Foundation Trust",
            "Acute",
            "Live",
            T("Epic"),
            D(2026, 11, 1),
        ),
        row(
            "RQW",
            "The Princess Alexandra Hospital NHS Trust",
            "Acute",
            "Implementing",
            T("Epic"),
            D(2026, 12, 10),
        ),
        row(
            "RQ8",
            "Mid Essex Hospital Services NHS Trust",
            "Acute",
            "Implementing",
            T("Epic"),
            D(2027, 2, 1),
        ),
        row(
            "RCX",
            "The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust",
            "Acute",
            "Implementing",
            T("Epic"),
            D(2027, 5, 15),
        ),
        row(
            "RY3",
            "Norfolk Community Health and Care NHS Trust",
            "Community",
            "Implementing",
            B,
            B,
        ),
        row(
            "RWR",
            "Hertfordshire Partnership University NHS Foundation Trust",
            "Mental health",
            "Planning",
            B,
            D(2026, 10, 1),
        ),
        row(
            "GPX01",
            "Example Medical Practice",
            "GP practice",
            "Implementing",
            T("EMIS"),
            D(2026, 12, 1),
        ),
    ];
    trend_return(
        &dir.join("qh8.xlsx"),
        ("Mid and South Essex", "QH8", "East of England"),
        Some((2026, 11, 15)),
        &qh8,
        &[],
    )?;
    let qop = vec![
        row(
            "RMC",
            "Bolton NHS Foundation Trust",
            "Acute",
            "Live",
            T("Oracle Health"),
            B,
        ),
        row(
            "RM3",
            "Northern Care Alliance NHS Foundation Trust",
            "Acute",
            "Implementing",
            T("Epic"),
            D(2027, 1, 20),
        ),
        row(
            "RY2",
            "Bridgewater Community Healthcare NHS Foundation Trust",
            "Community",
            "Implementing",
            T("System C"),
            D(2027, 3, 31),
        ),
    ];
    trend_return(
        &dir.join("qop.xlsx"),
        ("Greater Manchester", "QOP", "North West"),
        Some((2026, 11, 12)),
        &qop,
        &[],
    )?;
    Ok(())
}

/// `geography/`: returns across the April 2026 ICB mergers (issue 24). `returns/qjg.xlsx`
/// is a return for QJG (Suffolk and North East Essex), which was split between D7T5G
/// Essex and T6Y0W Norfolk and Suffolk: four synthetic trusts, placed trust by trust
/// only through `etr.csv` (an NHS ODS trust file). `returns/qh8.xlsx` is for QH8 (Mid
/// and South Essex), merged whole into D7T5G. `custom.csv` is a made-up geography file.
fn issue24_geography(out: &Path) -> Res {
    let dir = out.join("geography");
    fs::create_dir_all(dir.join("returns"))?;
    let live = |code: &'static str, name: &'static str, sector: &'static str| {
        vec![
            T(code),
            T(name),
            T(sector),
            T("Live"),
            T("Epic"),
            T("Epic"),
            D(2020, 1, 1),
            B,
            B,
            B,
        ]
    };
    let not_live = |code: &'static str, name: &'static str, sector: &'static str, status| {
        vec![T(code), T(name), T(sector), T(status), B, B, B, B, B, B]
    };
    trend_return(
        &dir.join("returns").join("qjg.xlsx"),
        ("Suffolk and North East Essex", "QJG", "East of England"),
        Some((2026, 3, 2)),
        &[
            live("RZ1", "Colnebrook Hospitals NHS Trust (synthetic)", "Acute"),
            not_live(
                "RZ2",
                "Waveney Minds NHS Trust (synthetic)",
                "Mental health",
                "Implementing",
            ),
            live(
                "RZ3",
                "Stourside Community NHS Trust (synthetic)",
                "Community",
            ),
            live(
                "RZ4",
                "Orwell Vale NHS Foundation Trust (synthetic)",
                "Acute",
            ),
        ],
        &[],
    )?;
    trend_return(
        &dir.join("returns").join("qh8.xlsx"),
        ("Mid and South Essex", "QH8", "East of England"),
        Some((2026, 3, 3)),
        &[
            live("RAJ", "Mid and South Essex NHS Foundation Trust", "Acute"),
            not_live(
                "RZ5",
                "Thamesmouth Community NHS Trust (synthetic)",
                "Community",
                "Not started",
            ),
        ],
        &[],
    )?;
    // NHS ODS trust file layout (see ods_etr_csv): code, name, region, ICB. RZ3 still
    // carries the old code QJG (a reference from before the split); RZ4 is absent.
    let orgs = [
        ("RZ1", "COLNEBROOK HOSPITALS NHS TRUST", "Y61", "D7T5G"),
        ("RZ2", "WAVENEY MINDS NHS TRUST", "Y61", "T6Y0W"),
        ("RZ3", "STOURSIDE COMMUNITY NHS TRUST", "Y61", "QJG"),
        (
            "RAJ",
            "MID AND SOUTH ESSEX NHS FOUNDATION TRUST",
            "Y61",
            "D7T5G",
        ),
        ("RZ5", "THAMESMOUTH COMMUNITY NHS TRUST", "Y61", "D7T5G"),
    ];
    let lines: Vec<[&str; 27]> = orgs
        .iter()
        .map(|&(code, name, region, icb)| {
            let mut cols = [""; 27];
            cols[0] = code;
            cols[1] = name;
            cols[2] = region;
            cols[3] = icb;
            cols[10] = "20200401";
            cols[21] = "0";
            cols
        })
        .collect();
    let style = CsvStyle {
        crlf: true,
        quote_all: true,
        ..CsvStyle::PLAIN
    };
    write_csv(&dir.join("etr.csv"), style, lines)?;
    write_csv(
        &dir.join("custom.csv"),
        CsvStyle::PLAIN,
        [
            [
                "icb_code",
                "icb_name",
                "region",
                "predecessor_codes",
                "took_effect",
            ],
            [
                "E01",
                "East Coast ICB",
                "East of England",
                "QH8",
                "2027-04-01",
            ],
            ["N01", "Broads and Heaths ICB", "Y61", "QJG", "2027-04-01"],
        ],
    )
}

// ---------------------------------------------------------------------------
// copied/: one return given twice (issue 26.7)
// ---------------------------------------------------------------------------

/// Devon (QJK), the same workbook saved under two names (a file copied twice):
/// six provider rows repeated identically, and a funding table with a total row (a
/// note) and a stated gap that is £1m off (a warning), both twice. The identical
/// rows are one note per pair of files (each row's own with `-v`), and commands that
/// do not read funding say nothing about the funding table.
fn issue26_copied_return(out: &Path) -> Res {
    let dir = out.join("copied");
    fs::create_dir_all(&dir)?;
    #[rustfmt::skip]
    let providers: Vec<Vec<Cell>> = vec![
        vec![T("RH8"), T("Royal Devon University Healthcare NHS Foundation Trust"), T("Acute"), T("Live"), T("Epic"), B, D(2020, 10, 1)],
        vec![T("RA9"), T("Torbay and South Devon NHS Foundation Trust"), T("Acute"), T("Implementing"), T("Epic"), B, D(2026, 6, 1)],
        vec![T("RK9"), T("University Hospitals Plymouth NHS Trust"), T("Acute"), T("Live"), T("Oracle Health"), T("Millennium"), D(2019, 3, 1)],
        vec![T("RWV"), T("Devon Partnership NHS Trust"), T("Mental health"), T("Live"), T("Servelec"), T("RiO"), D(2018, 5, 1)],
        vec![T("RBZ"), T("Northern Devon Healthcare NHS Trust"), T("Acute"), T("Live"), T("Epic"), B, D(2020, 10, 1)],
        vec![T("RYF"), T("South Western Ambulance Service NHS Foundation Trust"), T("Ambulance"), T("Live"), T("Cleric"), B, D(2021, 4, 1)],
    ];
    #[rustfmt::skip]
    let funding: Vec<Vec<Cell>> = vec![
        // row 2: gap 20 - 12 - 5 = 3, as stated
        vec![T("RA9"), T("EPR implementation (Epic)"), N(20.0), N(12.0), N(5.0), N(3.0)],
        // row 3: stated gap 2 but computed 4 - 2 - 1 = 1: a warning at F3
        vec![T("RH8"), T("EPR optimisation"), N(4.0), N(2.0), N(1.0), N(2.0)],
        // row 4: a total of the lines above: a note, not counted
        vec![B, T("Total"), N(24.0), N(14.0), N(6.0), N(5.0)],
    ];
    for name in ["qjk_devon.xlsx", "qjk_devon_copy.xlsx"] {
        let mut wb = new_workbook()?;
        add_cover(&mut wb, "Devon", "QJK", "South West", (2026, 10, 20))?;
        add_table_sheet(&mut wb, "Providers", &DUPES_HEADERS, &providers)?;
        add_table_sheet(
            &mut wb,
            "Funding",
            &[
                "ODS code",
                "Item",
                "Total cost (£m)",
                "National funding (£m)",
                "Local funding (£m)",
                "Funding gap (£m)",
            ],
            &funding,
        )?;
        wb.save(dir.join(name))?;
    }
    Ok(())
}

/// `systems_unread.xlsx`: a providers sheet (two live trusts) and a sheet named
/// `Systems` whose header has neither an ODS code nor a supplier column
/// (`Organisation | System | Notes`): the sheet is not read, with a warning, never
/// silently.
fn systems_sheet_unread(out: &Path) -> Res {
    let mut wb = new_workbook()?;
    let live = |code: &'static str, name: &'static str| {
        vec![
            T(code),
            T(name),
            T("Acute"),
            T("Live"),
            T("Epic"),
            T("Epic"),
            D(2020, 1, 1),
            B,
            B,
            B,
        ]
    };
    add_table_sheet(
        &mut wb,
        "Providers",
        &DIFF_HEADERS,
        &[
            live("RZ6", "Fenwold Hospitals NHS Trust (synthetic)"),
            live("RZ7", "Marshgate NHS Foundation Trust (synthetic)"),
        ],
    )?;
    add_table_sheet(
        &mut wb,
        "Systems",
        &["Organisation", "System", "Notes"],
        &[vec![T("Fenwold"), T("Epic"), T("core EPR")]],
    )?;
    wb.save(out.join("systems_unread.xlsx"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Issue 23: reader/quirks.xlsx, written by hand: every cell form the xlsx reader
// must read as calamine does (rust_xlsxwriter writes only a few of them)
// ---------------------------------------------------------------------------

/// `reader/quirks.xlsx`: a package whose XML is written by hand so that it holds
/// what Excel and other writers produce and rust_xlsxwriter does not: rich-text and
/// phonetic shared strings, entities and `_x000D_` escapes, inline strings, `str`,
/// `b`, `e` and `d` cells, formulas with cached values (and one `<v>` before its
/// `<f>`), rows and cells without `r`, a skipped row, a self-closing styled cell,
/// built-in, custom and duration number formats, hidden and very hidden sheets, a
/// chart sheet, and a sheet whose rows come out of order. The values each cell
/// must give are in fixtures/README.md.
fn issue23_reader_quirks(out: &Path) -> Res {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    fs::create_dir_all(out.join("reader"))?;

    let content_types = format!(
        r#"{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/worksheets/sheet3.xml" ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/worksheets/sheet4.xml" ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/chartsheets/sheet1.xml" ContentType="{ct}.chartsheet+xml"/><Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>"#
    );
    let root_rels = format!(
        r#"{XML}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/><sheets><sheet name="Cells" sheetId="1" r:id="rId1"/><sheet name="Hidden" sheetId="2" state="hidden" r:id="rId2"/><sheet name="Secret" sheetId="3" state="veryHidden" r:id="rId3"/><sheet name="Chart" sheetId="4" r:id="rId4"/><sheet name="Out of order" sheetId="5" r:id="rId5"/></sheets><definedNames><definedName name="Costs">Cells!$D$1:$D$5</definedName></definedNames></workbook>"#
    );
    let workbook_rels = format!(
        r#"{XML}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="{REL}/worksheet" Target="worksheets/sheet3.xml"/><Relationship Id="rId4" Type="{REL}/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="rId5" Type="{REL}/worksheet" Target="/xl/worksheets/sheet4.xml"/><Relationship Id="rId6" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rId7" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    // Styles: 0 General, 1 custom dd/mm/yyyy, 2 built-in 14 (a date), 3 built-in 46
    // ([h]:mm:ss, a duration), 4 custom 0.00 (a number).
    let styles = format!(
        r#"{XML}<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.00"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="46" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="left"/></xf></cellXfs></styleSheet>"#
    );
    // 0 plain; 1 rich text over two runs; 2 entities; 3 an Excel escape; 4 padded
    // without xml:space (trimmed); 5 with a phonetic run (left out).
    let shared = format!(
        r#"{XML}<sst xmlns="{MAIN}" count="6" uniqueCount="6"><si><t>ODS code</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">EPR </t></r><r><t>status</t></r></si><si><t>Costs &amp; fees (&#163;m)</t></si><si><t>Line_x000D_break</t></si><si><t>  RAJ  </t></si><si><t>Tokyo</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si></sst>"#
    );
    let cells = format!(
        r#"{XML}<worksheet xmlns="{MAIN}"><dimension ref="A1:E5"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Go-live date</t></is></c><c r="D1" t="s"><v>2</v></c><c r="E1" t="s"><v>3</v></c></row><row><c t="s"><v>4</v></c><c t="str"><f>"Li"&amp;"ve"</f><v>Live</v></c><c s="1"><v>45000</v></c><c><f>36+0.5</f><v>36.5</v></c><c t="b"><v>1</v></c></row><row r="4"><c r="A4" t="e"><f>NA()</f><v>#N/A</v></c><c r="B4" t="d"><v>2024-03-01T00:00:00</v></c><c r="C4" s="2"><v>45292</v></c><c r="D4" s="3"><v>1.5</v></c><c r="E4"><v>7</v><f>3+4</f></c></row><row r="5"><c r="A5"><v>n/a</v></c><c r="B5" s="1"/><c r="C5" s="4"><v>2.25</v></c><c r="D5" t="inlineStr"><is><r><t>In</t></r><r><t xml:space="preserve"> line</t></r></is></c><c r="E5" t="s"><v>5</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="C5:D5"/></mergeCells></worksheet>"#
    );
    let hidden = format!(
        r#"{XML}<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row></sheetData></worksheet>"#
    );
    let secret = format!(
        r#"{XML}<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>very hidden</t></is></c></row></sheetData></worksheet>"#
    );
    let chart = format!(
        r#"{XML}<chartsheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetPr/><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>"#
    );
    let out_of_order = format!(
        r#"{XML}<worksheet xmlns="{MAIN}"><dimension ref="B2:C3"/><sheetData><row r="3"><c r="C3"><v>3</v></c></row><row r="2"><c r="B2"><v>2</v></c></row></sheetData></worksheet>"#
    );

    // Stored entries dated 1980-01-01, so regenerating gives the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(fs::File::create(out.join("reader/quirks.xlsx"))?);
    for (name, part) in [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", styles),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", cells),
        ("xl/worksheets/sheet2.xml", hidden),
        ("xl/worksheets/sheet3.xml", secret),
        ("xl/chartsheets/sheet1.xml", chart),
        ("xl/worksheets/sheet4.xml", out_of_order),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(part.as_bytes())?;
    }
    zip.finish()?;
    Ok(())
}

/// A one-sheet package (`Sheet1`) with these styles, shared strings and sheet data,
/// written with stored entries dated 1980-01-01 (reproducible bytes).
fn issue23_package(path: &Path, styles: &str, shared: &str, sheet_data: &str) -> Res {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                r#"{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"{XML}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"{XML}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/styles.xml",
            format!(r#"{XML}<styleSheet xmlns="{MAIN}">{styles}</styleSheet>"#),
        ),
        ("xl/sharedStrings.xml", format!("{XML}{shared}")),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"{XML}<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>"#
            ),
        ),
    ];
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(fs::File::create(path)?);
    for (name, part) in parts {
        zip.start_file(name, options)?;
        zip.write_all(part.as_bytes())?;
    }
    zip.finish()?;
    Ok(())
}

/// Issue 23: what the randomized differential run found, each reduced to a small
/// package (fixtures/README.md, reader/):
/// - `styles_inside_fill.xlsx`: a stray `<cellXfs>` inside a `<fill>`. calamine
///   walks the fill to its end and never sees it; a reader that did not walk the
///   fills took it for the styles list, and A1 (style 1, dd/mm/yyyy) lost its date.
/// - `bad_attribute_inside_border.xlsx`: an `<xf>` with a malformed attribute inside
///   a `<border>`: calamine walks past it, a reader that did not refused the file.
/// - `bad_cell_type.xlsx` (not a fuzz finding): C2 has type `t="q"`; both readers
///   refuse the file, eprscan's message names the sheet and the cell.
/// - `huge_unique_count.xlsx`: a shared-string table claiming 2^64 - 1 entries:
///   calamine 0.38 reserves that many and panics (a documented difference); the count
///   is only a hint.
fn issue23_reader_regressions(out: &Path) -> Res {
    fs::create_dir_all(out.join("reader"))?;
    const FORMATS: &str =
        r#"<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>"#;
    const XFS: &str = r#"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#;
    const SST: &str = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>RAJ</t></si></sst>"#;
    const DATA: &str =
        r#"<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" t="s"><v>0</v></c></row>"#;
    let fills_with_stray_xfs = r#"<fills count="1"><fill><patternFill patternType="none"/><cellXfs count="1"><xf numFmtId="0"/></cellXfs></fill></fills>"#;
    issue23_package(
        &out.join("reader/styles_inside_fill.xlsx"),
        &format!("{FORMATS}{fills_with_stray_xfs}{XFS}"),
        SST,
        DATA,
    )?;
    let borders_with_bad_xf = r#"<borders count="1"><border><left/><cellXfs count="1"><xf numFmtId="0" fontId="0"ottom/></cellXfs><right/></border></borders>"#;
    issue23_package(
        &out.join("reader/bad_attribute_inside_border.xlsx"),
        &format!("{FORMATS}{borders_with_bad_xf}{XFS}"),
        SST,
        DATA,
    )?;
    // A cell of a type no writer uses: refused, naming the sheet and the cell.
    issue23_package(
        &out.join("reader/bad_cell_type.xlsx"),
        &format!("{FORMATS}{XFS}"),
        SST,
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="C2" t="q"><v>1</v></c></row>"#,
    )?;
    issue23_package(
        &out.join("reader/huge_unique_count.xlsx"),
        &format!("{FORMATS}{XFS}"),
        &SST.replace(
            r#"uniqueCount="1""#,
            r#"uniqueCount="18446744073709551615""#,
        ),
        DATA,
    )?;
    Ok(())
}
