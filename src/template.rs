//! The blank questionnaire (`eprscan template`): the canonical layout of SPEC 1.4 as
//! an xlsx workbook that eprscan reads back exactly. Sheets: Instructions, a Cover
//! sheet (label in A, value in B), Providers, Systems and Funding with the canonical
//! headers ([`TableKind::canonical_header`]) in row 1, drop-down lists (data
//! validation) for sector, status, supplier, scope, region and ICS, date and £
//! number formats, and a hidden Lists sheet holding the drop-down values (hidden
//! sheets are never read as input).

// Dates as every workbook eprscan writes shows them (eprscan reads a date cell
// whatever its format).
use crate::output::xlsx::DATE_FORMAT;
use crate::schema::{
    CoverField, Field, FieldKind, Scope, Sector, Status, TableKind, IN_HOUSE, SUPPLIERS,
};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

/// Rows below the header that carry drop-down lists and checks.
pub const TEMPLATE_ROWS: u32 = 1000;

/// Name of the hidden sheet holding the drop-down values.
pub const LISTS_SHEET: &str = "Lists";

/// Sheet names, in workbook order.
pub const INSTRUCTIONS_SHEET: &str = "Instructions";
/// See [`INSTRUCTIONS_SHEET`].
pub const COVER_SHEET: &str = "Cover";

/// Number format of amounts: pounds and pence.
const MONEY_FORMAT: &str = "£#,##0.00;[Red]-£#,##0.00";
/// Text format, so Excel keeps `2024/25` and `0AB12` as typed.
const TEXT_FORMAT: &str = "@";

/// The sheet a table is filled in on.
pub fn table_sheet(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Providers => "Providers",
        TableKind::Systems => "Systems",
        TableKind::Funding => "Funding",
    }
}

/// The label of a cover field in column A of the cover sheet.
pub fn cover_label(field: CoverField) -> &'static str {
    field.labels()[0]
}

/// An ICS to fill the cover sheet with: an ICB of [`crate::geography`].
pub type Ics = crate::geography::Icb;

/// A drop-down list of the Lists sheet: its column and its values.
struct DropDown {
    column: u16,
    title: &'static str,
    values: Vec<String>,
}

impl DropDown {
    /// `=Lists!$C$2:$C$25`.
    fn range(&self) -> String {
        let letter = crate::diag::column_letters(u32::from(self.column));
        format!(
            "={LISTS_SHEET}!${letter}$2:${letter}${}",
            self.values.len() + 1
        )
    }
}

/// The drop-down lists, in the Lists sheet's column order.
struct DropDowns {
    sector: DropDown,
    status: DropDown,
    supplier: DropDown,
    scope: DropDown,
    region: DropDown,
    icb_code: DropDown,
    ics_name: DropDown,
}

impl DropDowns {
    fn new() -> DropDowns {
        // The ICBs of the run's geography (`--geography`).
        let icbs = &crate::geography::current().icbs;
        let mut suppliers: Vec<String> = SUPPLIERS.iter().map(|s| s.0.to_string()).collect();
        suppliers.push(IN_HOUSE.to_string());
        DropDowns {
            sector: DropDown {
                column: 0,
                title: "Sector",
                values: Sector::ALL
                    .iter()
                    .map(|s| sentence_case(s.name()))
                    .collect(),
            },
            status: DropDown {
                column: 1,
                title: "EPR status",
                values: Status::ALL
                    .iter()
                    .map(|s| sentence_case(s.name()))
                    .collect(),
            },
            supplier: DropDown {
                column: 2,
                title: "Supplier",
                values: suppliers,
            },
            scope: DropDown {
                column: 3,
                title: "Scope",
                values: Scope::ALL.iter().map(|s| s.name().to_string()).collect(),
            },
            region: DropDown {
                column: 4,
                title: "Region",
                values: crate::geography::regions()
                    .iter()
                    .map(|r| r.1.clone())
                    .collect(),
            },
            icb_code: DropDown {
                column: 5,
                title: "ICB code",
                values: icbs.iter().map(|i| i.code.clone()).collect(),
            },
            ics_name: DropDown {
                column: 6,
                title: "ICS name",
                values: icbs.iter().map(|i| i.name.clone()).collect(),
            },
        }
    }

    fn all(&self) -> [&DropDown; 7] {
        [
            &self.sector,
            &self.status,
            &self.supplier,
            &self.scope,
            &self.region,
            &self.icb_code,
            &self.ics_name,
        ]
    }
}

/// `mental health` → `Mental health`.
fn sentence_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a column asks for, for the Instructions sheet.
fn field_help(field: Field) -> &'static str {
    match field {
        Field::OdsCode => "3 to 5 letters and digits (RAJ, G6V2S); required, except on Funding, where blank means ICS-wide",
        Field::Name => "the organisation's name. Required",
        Field::Sector => "the sector: acute, mental health, community, ambulance ... (pick from the list)",
        Field::IcsCode => "ICB code; leave blank to use the Cover sheet's",
        Field::IcsName => "ICS name; leave blank to use the Cover sheet's",
        Field::Region => "NHS region; leave blank to use the Cover sheet's",
        Field::Status => "the EPR's status: live, implementing, procuring, planning or none (pick from the list)",
        Field::Supplier => "the EPR supplier (pick from the list, or type another name)",
        Field::Product => "the EPR product (Millennium, Medway, SystmOne ...)",
        Field::GoLive => "the date the EPR went live, or is forecast to",
        Field::ContractExpiry => "the date the contract ends",
        Field::TargetSupplier => "the supplier of the EPR the organisation plans to move to (blank if no plan)",
        Field::TargetProduct => "the product of the planned EPR",
        Field::TargetGoLive => "the date the planned EPR is to go live",
        Field::Journey => "how the organisation will converge (free text)",
        Field::EmramStage => "HIMSS EMRAM stage, a whole number 0 to 7",
        Field::EprGroup => "EPR group, a whole number 0 to 3",
        Field::Scope => "what the system is for: Core EPR, PAS, Maternity, ED, ePMA ... (pick from the list)",
        Field::Item => "what the funding line is for",
        Field::TotalCost => "whole-life cost in pounds",
        Field::NationalFunding => "national (DHSC / NHS England) funding secured, in pounds",
        Field::LocalFunding => "local (trust or ICS) funding secured, in pounds",
        Field::StatedGap => "the funding gap as you work it out, in pounds (optional; checked against cost − funding)",
        Field::FiscalYear => "financial year, e.g. 2026/27",
    }
}

/// The Instructions sheet's text, one line per row: (text, is a heading).
fn instructions() -> Vec<(String, bool)> {
    let mut lines: Vec<(String, bool)> = vec![
        ("EPR landscape questionnaire".into(), true),
        (String::new(), false),
        ("Please fill in this workbook for your ICS and return it to NHS England.".into(), false),
        ("It is read by machine (eprscan): keep the sheet names and the header rows as they are.".into(), false),
        ("Write one row per organisation, system or funding line, from row 2 down.".into(), false),
        ("Unknown values: leave the cell blank or write TBC.".into(), false),
        ("Dates: a date, or a month (Mar 2027), NHS quarter (Q4 2026/27) or financial year (2026/27), meaning its last day.".into(), false),
        ("Amounts: pounds, as numbers (36000000) or as text such as £36m or £250k.".into(), false),
        ("Drop-down lists offer the accepted words; a supplier not in the list may be typed in.".into(), false),
        (String::new(), false),
        (format!("{COVER_SHEET} sheet"), true),
    ];
    let cover_help = [
        (CoverField::IcsName, "your ICS's name (pick from the list)"),
        (
            CoverField::IcsCode,
            "your ICB code, e.g. QH8 (pick from the list)",
        ),
        (CoverField::Region, "your NHS region (pick from the list)"),
        (
            CoverField::Submitted,
            "the date you send this return (when two returns differ, the later one counts)",
        ),
        (
            CoverField::Contact,
            "who to ask about this return (name or e-mail)",
        ),
    ];
    for (field, help) in cover_help {
        lines.push((format!("{}: {help}.", cover_label(field)), false));
    }
    for kind in TableKind::ALL {
        lines.push((String::new(), false));
        lines.push((
            format!("{} sheet ({})", table_sheet(kind), table_purpose(kind)),
            true,
        ));
        for field in kind.fields() {
            lines.push((
                format!("{}: {}.", kind.canonical_header(*field), field_help(*field)),
                false,
            ));
        }
    }
    lines
}

fn table_purpose(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Providers => "one row per provider organisation; required",
        TableKind::Systems => "one row per other clinical system at a provider; optional",
        TableKind::Funding => "one row per funding line of the EPR programme; optional",
    }
}

/// The blank questionnaire as a workbook, ready to save (or, in tests, to fill in).
/// With `ics`, the cover sheet's ICS name, ICB code and region are filled in.
pub fn questionnaire(ics: Option<&Ics>) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title("EPR landscape questionnaire")
            .set_author("eprscan"),
    );
    let lists = DropDowns::new();
    let styles = Styles::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name(INSTRUCTIONS_SHEET)?;
    write_instructions(sheet, &styles)?;
    sheet.set_active(true);

    let sheet = workbook.add_worksheet();
    sheet.set_name(COVER_SHEET)?;
    write_cover(sheet, &styles, &lists, ics)?;

    for kind in TableKind::ALL {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table_sheet(kind))?;
        write_table_sheet(sheet, kind, &styles, &lists)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name(LISTS_SHEET)?;
    for list in lists.all() {
        sheet.write_string_with_format(0, list.column, list.title, &styles.header)?;
        for (row, value) in list.values.iter().enumerate() {
            sheet.write_string(row as u32 + 1, list.column, value)?;
        }
    }
    sheet.autofit();
    sheet.set_hidden(true);
    Ok(workbook)
}

/// Cell styles of the questionnaire.
struct Styles {
    heading: Format,
    header: Format,
    label: Format,
    date: Format,
    money: Format,
    text: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            heading: Format::new().set_bold().set_font_size(13),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color("#DDEBF7")
                .set_border_bottom(FormatBorder::Thin),
            label: Format::new().set_bold(),
            date: Format::new().set_num_format(DATE_FORMAT),
            money: Format::new().set_num_format(MONEY_FORMAT),
            text: Format::new().set_num_format(TEXT_FORMAT),
        }
    }
}

fn write_instructions(sheet: &mut Worksheet, styles: &Styles) -> Result<(), XlsxError> {
    for (row, (text, heading)) in instructions().iter().enumerate() {
        if *heading {
            sheet.write_string_with_format(row as u32, 0, text, &styles.heading)?;
        } else {
            sheet.write_string(row as u32, 0, text)?;
        }
    }
    sheet.autofit();
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
    Ok(())
}

/// A drop-down list from the Lists sheet. Strict lists refuse other values; the
/// others warn and let the user keep what they typed.
fn list_validation(list: &DropDown, strict: bool) -> Result<DataValidation, XlsxError> {
    let style = if strict {
        DataValidationErrorStyle::Stop
    } else {
        DataValidationErrorStyle::Warning
    };
    DataValidation::new()
        .allow_list_formula(Formula::new(list.range()))
        .set_error_style(style)
        .set_input_title(list.title)?
        .set_input_message(if strict {
            "Pick from the list."
        } else {
            "Pick from the list, or type another."
        })?
        .set_error_title(list.title)?
        .set_error_message(if strict {
            "Pick a value from the list."
        } else {
            "This is not in the list. Keep it anyway?"
        })
}

fn write_cover(
    sheet: &mut Worksheet,
    styles: &Styles,
    lists: &DropDowns,
    ics: Option<&Ics>,
) -> Result<(), XlsxError> {
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 52)?;
    for (row, field) in CoverField::ALL.into_iter().enumerate() {
        let row = row as u32;
        sheet.write_string_with_format(row, 0, cover_label(field), &styles.label)?;
        let validation = match field {
            CoverField::IcsName => list_validation(&lists.ics_name, false)?,
            CoverField::IcsCode => list_validation(&lists.icb_code, false)?,
            CoverField::Region => list_validation(&lists.region, false)?,
            CoverField::Submitted => {
                let (first, last) = (
                    ExcelDateTime::from_ymd(2020, 1, 1)?,
                    ExcelDateTime::from_ymd(2100, 12, 31)?,
                );
                DataValidation::new()
                    .allow_date(DataValidationRule::Between(first, last))
                    .set_error_style(DataValidationErrorStyle::Warning)
                    .set_input_title("Submitted")?
                    .set_input_message("The date you send this return.")?
            }
            CoverField::Contact => DataValidation::new()
                .allow_any_value()
                .set_input_title("Contact")?
                .set_input_message("Who to ask about this return.")?,
        };
        sheet.add_data_validation(row, 1, row, 1, &validation)?;
        if field == CoverField::Submitted {
            sheet.write_blank(row, 1, &styles.date)?;
        }
    }
    if let Some(icb) = ics {
        sheet.write_string(0, 1, &icb.name)?;
        sheet.write_string(1, 1, &icb.code)?;
        sheet.write_string(2, 1, &icb.region)?;
    }
    Ok(())
}

/// How a column of a table sheet is formatted and checked.
fn column_format(field: Field, styles: &Styles) -> Option<&Format> {
    match field.kind() {
        FieldKind::Date => Some(&styles.date),
        FieldKind::Money => Some(&styles.money),
        // Codes and years typed as text, so that Excel does not read them as numbers.
        _ if matches!(field, Field::OdsCode | Field::FiscalYear | Field::IcsCode) => {
            Some(&styles.text)
        }
        FieldKind::Text | FieldKind::Number => None,
    }
}

fn column_validation(field: Field, lists: &DropDowns) -> Result<Option<DataValidation>, XlsxError> {
    let whole = |title: &str, max: i32| -> Result<DataValidation, XlsxError> {
        DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, max))
            .set_input_title(title)?
            .set_error_message(format!("A whole number from 0 to {max}."))
    };
    Ok(Some(match field {
        Field::Sector => list_validation(&lists.sector, true)?,
        Field::Status => list_validation(&lists.status, true)?,
        Field::Scope => list_validation(&lists.scope, true)?,
        Field::Supplier | Field::TargetSupplier => list_validation(&lists.supplier, false)?,
        Field::Region => list_validation(&lists.region, false)?,
        Field::IcsCode => list_validation(&lists.icb_code, false)?,
        Field::IcsName => list_validation(&lists.ics_name, false)?,
        Field::EmramStage => whole("EMRAM stage", 7)?,
        Field::EprGroup => whole("EPR group", 3)?,
        Field::OdsCode => DataValidation::new()
            .allow_text_length(DataValidationRule::Between(3, 5))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("An ODS code has 3 to 5 letters and digits.")?,
        _ => return Ok(None),
    }))
}

fn write_table_sheet(
    sheet: &mut Worksheet,
    kind: TableKind,
    styles: &Styles,
    lists: &DropDowns,
) -> Result<(), XlsxError> {
    for (index, field) in kind.fields().iter().enumerate() {
        let col = index as u16;
        let header = kind.canonical_header(*field);
        sheet.write_string_with_format(0, col, header, &styles.header)?;
        let width = (header.chars().count() + 4).max(14) as f64;
        sheet.set_column_width(col, width)?;
        if let Some(format) = column_format(*field, styles) {
            sheet.set_column_format(col, format)?;
        }
        if let Some(validation) = column_validation(*field, lists)? {
            sheet.add_data_validation(1, col, TEMPLATE_ROWS, col, &validation)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_down_values_read_back_as_their_words() {
        let lists = DropDowns::new();
        for value in &lists.sector.values {
            assert!(Sector::parse(value).is_some(), "{value}");
        }
        for value in &lists.status.values {
            assert!(Status::parse(value).is_some(), "{value}");
        }
        for value in &lists.scope.values {
            assert!(Scope::parse(value).is_some(), "{value}");
        }
        assert_eq!(lists.supplier.range(), "=Lists!$C$2:$C$25");
    }

    #[test]
    fn instructions_never_look_like_a_table_or_cover() {
        // One text per row, in column A: never a label with a value to its right.
        for (line, _) in instructions() {
            let norm = crate::schema::normalise_label(&line).0;
            assert!(
                CoverField::ALL.iter().all(|f| f
                    .labels()
                    .iter()
                    .all(|l| crate::schema::normalise_label(l).0 != norm)),
                "{line}"
            );
        }
    }
}
