//! One workbook normalised: its cover sheet, its providers, systems and funding
//! tables located and read, and its [`Return`] record; [`super::load`] runs this on
//! every workbook in parallel.

use super::*;
use crate::diag::{Diagnostic, Severity};
use crate::ingest::{Grid, Workbook};
use crate::model::{FundingLine, Provider, Return, System};
use crate::schema::{sheet_role, Field, SheetRole, TableKind};
use funding::ReturnIcs;
use header::Located;
use merge::{SubmittedFunding, SubmittedProviders};

/// A table read from a workbook: the sheet it is on, and its rows.
struct SheetRows<T> {
    sheet: usize,
    rows: Vec<T>,
}

impl<T> SheetRows<T> {
    /// The rows of a table that may be missing (none then).
    fn rows_of(table: Option<SheetRows<T>>) -> Vec<T> {
        table.map(|t| t.rows).unwrap_or_default()
    }
}

/// What one workbook gave.
pub(super) struct WorkbookRows {
    pub(super) ret: Return,
    pub(super) providers: SubmittedProviders,
    pub(super) systems: Vec<System>,
    pub(super) funding: SubmittedFunding,
}

impl WorkbookRows {
    /// A workbook whose providers table was not read (missing, or unusable): its
    /// return record and whatever systems and funding it gave.
    fn without_providers(ret: Return, funding: SubmittedFunding, systems: Vec<System>) -> Self {
        WorkbookRows {
            ret,
            providers: SubmittedProviders {
                when: funding.when,
                providers: Vec::new(),
            },
            systems,
            funding,
        }
    }
}

/// One workbook's providers (with ICS fields filled from its cover sheet), systems,
/// funding lines and its [`Return`] record.
pub(super) fn normalise_workbook(
    workbook: &Workbook,
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> WorkbookRows {
    let file = workbook.input.display.as_str();
    for note in &workbook.notes {
        diags.push(Diagnostic::file(Severity::Note, file, note.clone()));
    }
    let located = header::locate(workbook, TableKind::Providers, &options.synonyms, None);
    let providers_sheet = match &located {
        Located::Found(i, _) => Some(*i),
        Located::Missing(_) => None,
    };
    let cover = cover::read_cover(workbook, providers_sheet, diags).unwrap_or_default();
    let mut ret = Return {
        source: file.to_string(),
        format: workbook.input.extension.clone(),
        ics_name: cover.ics_name.clone(),
        ics_code: cover.ics_code.clone(),
        region: cover.region.clone(),
        submitted: cover.submitted,
        contact: cover.contact.clone(),
        modified: workbook.modified,
        providers_sheet: None,
        provider_rows: 0,
        provider_fields: Vec::new(),
        systems_rows: 0,
        funding_rows: 0,
        for_ics: ics_code_of(cover.ics_code.as_deref(), cover.ics_name.as_deref()),
    };
    let systems = read_systems_table(workbook, providers_sheet, options, diags);
    let when = cover
        .submitted
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .or(workbook.modified);
    let no_funding = SubmittedFunding {
        source: file.to_string(),
        when,
        lines: Vec::new(),
    };
    let (index, header) = match located {
        Located::Found(i, header) => (i, header),
        Located::Missing(closest) => {
            // A CSV file holds one table (SPEC 1.1): a systems or a funding CSV needs
            // no providers table. A funding CSV has no cover sheet to name its ICS.
            let csv = workbook.input.extension == "csv";
            let funding = match &systems {
                None if csv => {
                    read_funding_table(workbook, None, &ReturnIcs::default(), options, diags)
                }
                _ => None,
            };
            if !csv || (systems.is_none() && funding.is_none()) {
                diags.push(missing_table_error(workbook, closest));
            }
            let funding = SubmittedFunding {
                lines: SheetRows::rows_of(funding),
                ..no_funding
            };
            return WorkbookRows::without_providers(ret, funding, SheetRows::rows_of(systems));
        }
    };
    let grid = &workbook.sheets[index];
    let sheet_name = grid.sheet.clone().unwrap_or_else(|| "(csv)".into());
    ret.providers_sheet = Some((sheet_name.clone(), grid.row_number(header.row)));
    // Neither a status nor a supplier column: who is live cannot be told, and
    // reading on would turn every trust into "not started" (a confident 0%).
    if header.index(Field::Status).is_none() && header.index(Field::Supplier).is_none() {
        diags.push(no_epr_column_error(grid, &header, file));
        return WorkbookRows::without_providers(ret, no_funding, SheetRows::rows_of(systems));
    }
    ret.provider_fields = header.columns.keys().copied().collect();
    note_header(TableKind::Providers, grid, &header, file, options, diags);
    let mut providers = providers::read_providers(grid, &header, &options.suppliers, file, diags);
    // Rows that do not name their ICS share the cover sheet's.
    let [ics_code, ics_name, region] = [&cover.ics_code, &cover.ics_name, &cover.region]
        .map(|v| v.as_deref().map(SharedText::from));
    for p in &mut providers {
        if p.ics_code.is_none() && p.ics_name.is_none() {
            p.ics_code.clone_from(&ics_code);
            p.ics_name.clone_from(&ics_name);
        }
        if p.region.is_none() {
            p.region.clone_from(&region);
        }
    }
    ret.provider_rows = providers.len();
    let ics = return_ics(&cover, &providers);
    ret.for_ics = ics_code_of(ics.ics_code.as_deref(), ics.ics_name.as_deref());
    let funding = read_funding_table(workbook, Some(index), &ics, options, diags);
    let read_from = [
        Some(index),
        systems.as_ref().map(|t| t.sheet),
        funding.as_ref().map(|t| t.sheet),
    ];
    warn_unread_tables(workbook, read_from, options, diags);
    WorkbookRows {
        ret,
        providers: SubmittedProviders { when, providers },
        systems: SheetRows::rows_of(systems),
        funding: SubmittedFunding {
            lines: SheetRows::rows_of(funding),
            ..no_funding
        },
    }
}

/// An ICB code from a code or, failing that, the name of a known ICB.
fn ics_code_of(code: Option<&str>, name: Option<&str>) -> Option<String> {
    code.map(|c| c.trim().to_uppercase()).or_else(|| {
        name.and_then(crate::geography::known_icb_by_name)
            .map(|icb| icb.code.clone())
    })
}

/// The ICS a return is for: its cover sheet's, else the one ICS all its providers
/// name (a return without a cover sheet), else unknown.
fn return_ics(cover: &cover::Cover, providers: &[Provider]) -> ReturnIcs {
    if cover.ics_code.is_some() || cover.ics_name.is_some() {
        return ReturnIcs {
            ics_code: cover.ics_code.clone(),
            ics_name: cover.ics_name.clone(),
            region: cover.region.clone(),
        };
    }
    let mut named = providers
        .iter()
        .map(|p| (&p.ics_code, &p.ics_name, &p.region));
    match named.next() {
        Some(first) if named.all(|other| other == first) => ReturnIcs {
            ics_code: first.0.as_deref().map(str::to_string),
            ics_name: first.1.as_deref().map(str::to_string),
            region: first.2.as_deref().map(str::to_string),
        },
        _ => ReturnIcs {
            region: cover.region.clone(),
            ..ReturnIcs::default()
        },
    }
}

/// The workbook's funding lines, if it has a funding table (outside the providers
/// sheet). A sheet named for funding in which no funding header is found is a
/// warning: its lines would otherwise be lost without a word.
fn read_funding_table(
    workbook: &Workbook,
    providers_sheet: Option<usize>,
    ics: &ReturnIcs,
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<SheetRows<FundingLine>> {
    read_other_table(
        workbook,
        TableKind::Funding,
        providers_sheet,
        options,
        diags,
        |grid, header, file, diags| funding::read_funding(grid, header, ics, file, diags),
    )
}

/// What reading the systems or funding table shares: find its header outside the
/// providers sheet, note it, read its rows; a sheet named for the table where no
/// header row is found is a warning (its rows would otherwise be lost without a
/// word); everything found is marked as about this table (a command that does not
/// use it does not list it).
fn read_other_table<T>(
    workbook: &Workbook,
    kind: TableKind,
    providers_sheet: Option<usize>,
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
    read_rows: impl FnOnce(&Grid, &header::HeaderMatch, &str, &mut Vec<Diagnostic>) -> Vec<T>,
) -> Option<SheetRows<T>> {
    let file = workbook.input.display.as_str();
    let start = diags.len();
    let read = match header::locate(workbook, kind, &options.synonyms, providers_sheet) {
        Located::Found(index, header) => {
            let grid = &workbook.sheets[index];
            note_header(kind, grid, &header, file, options, diags);
            Some(SheetRows {
                sheet: index,
                rows: read_rows(grid, &header, file, diags),
            })
        }
        Located::Missing(closest) => {
            let named_sheet = closest.filter(|(index, _)| {
                workbook.sheets[*index].sheet.as_deref().map(sheet_role)
                    == Some(Some(SheetRole::Table(kind)))
            });
            if let Some((index, miss)) = named_sheet {
                let needs = match kind {
                    TableKind::Funding => {
                        "a cost or funding column and an ODS code or item column".to_string()
                    }
                    _ => kind
                        .required()
                        .iter()
                        .map(|f| describe_field(*f))
                        .collect::<Vec<_>>()
                        .join(" and "),
                };
                diags.push(Diagnostic::at(
                    Severity::Warning,
                    &workbook.sheets[index].location(file, Some((miss.row, 0))),
                    format!(
                        "sheet is named for {} but no header row has {needs}: not read",
                        kind.name()
                    ),
                ));
            }
            None
        }
    };
    crate::diag::mark_since(diags, start, kind);
    read
}

/// Notes about a located table: its header row (with `verbose`) and the columns it
/// did not use (with `verbose` or `unused_columns`), so that a column with a
/// misspelt header is not lost without a word.
fn note_header(
    kind: TableKind,
    grid: &ingest::Grid,
    header: &header::HeaderMatch,
    file: &str,
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) {
    let loc = grid.location(file, None);
    let mut note = |message: String| diags.push(Diagnostic::at(Severity::Note, &loc, message));
    if options.verbose {
        note(format!(
            "{} table: header row {} ({} columns matched)",
            kind.name(),
            grid.row_number(header.row),
            header.columns.len()
        ));
    }
    if (options.verbose || options.unused_columns) && !header.unknown.is_empty() {
        note(format!(
            "{} table: columns not used: {}",
            kind.name(),
            header.unknown.join(", ")
        ));
    }
    // Two columns for one field (two "ODS code" columns): which one was read decides
    // every value, so it is a warning, naming both.
    for (field, ignored) in &header.shadowed {
        let Some(used) = header.columns.get(field) else {
            continue;
        };
        diags.push(Diagnostic::at(
            Severity::Warning,
            &grid.location(file, Some((header.row, ignored.index))),
            format!(
                "{} table: column \"{}\" also matches {field}: not read; {} (\"{}\") is used",
                kind.name(),
                ignored.header,
                grid.cell_ref(header.row, used.index),
                used.header
            ),
        ));
    }
}

/// The rows of the workbook's systems table, if it has one (outside the providers
/// sheet).
fn read_systems_table(
    workbook: &Workbook,
    providers_sheet: Option<usize>,
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<SheetRows<System>> {
    read_other_table(
        workbook,
        TableKind::Systems,
        providers_sheet,
        options,
        diags,
        |grid, header, file, diags| {
            systems::read_systems(grid, header, &options.suppliers, file, diags)
        },
    )
}

/// A visible sheet that holds a table's header row but was not read (a workbook has
/// one table of each kind: a second providers sheet, say "Community trusts" beside
/// "Acute trusts", or an old copy) is a warning saying how many rows it holds, so
/// that they are not lost without a word. `read_from` are the sheets of the tables
/// read (providers, systems, funding); sheets named for the cover are not looked at,
/// nor a header with no rows under it.
fn warn_unread_tables(
    workbook: &Workbook,
    read_from: [Option<usize>; 3],
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) {
    let file = workbook.input.display.as_str();
    let sheet_name = |index: usize| workbook.sheets[index].sheet.as_deref().unwrap_or("(csv)");
    for (index, grid) in workbook.sheets.iter().enumerate() {
        let is_cover = grid.sheet.as_deref().map(sheet_role) == Some(Some(SheetRole::Cover));
        if read_from.contains(&Some(index)) || is_cover {
            continue;
        }
        let unread = read_from
            .iter()
            .zip(TableKind::ALL)
            .find_map(|(read, kind)| {
                let header = header::find_header(grid, kind, &options.synonyms).ok()?;
                Some((kind, *read, header))
            });
        let Some((kind, read, header)) = unread else {
            continue;
        };
        let rows = rows::data_rows(grid, &header).count();
        if rows == 0 {
            // A header with nothing under it (an example in a guidance sheet) loses
            // nothing.
            continue;
        }
        let why = match read {
            Some(read) => format!(
                "a workbook's {} table is read from one sheet, \"{}\"",
                kind.name(),
                sheet_name(read)
            ),
            None => "the sheet is named for another table".to_string(),
        };
        diags.push(
            Diagnostic::at(
                Severity::Warning,
                &grid.location(file, Some((header.row, 0))),
                format!(
                    "this sheet has a {} header row too, but {why}: {} here not counted",
                    kind.name(),
                    plural(rows, "row")
                ),
            )
            .about(kind),
        );
    }
}

fn missing_table_error(
    workbook: &Workbook,
    closest: Option<(usize, header::HeaderMiss)>,
) -> Diagnostic {
    let file = &workbook.input.display;
    let Some((index, miss)) = closest else {
        return Diagnostic::file(
            Severity::Error,
            file,
            format!(
                "no providers table: no sheet is named {} and no visible sheet has a header row with an ODS code and an organisation name in its first rows",
                TableKind::Providers.sheet_names()[..3].join(" / ")
            ),
        );
    };
    let grid = &workbook.sheets[index];
    let missing: Vec<String> = miss.missing.iter().map(|f| describe_field(*f)).collect();
    let mut message = format!(
        "providers table: header row {} has no {} column",
        grid.row_number(miss.row),
        missing.join(" and no ")
    );
    let suggestions: Vec<String> = miss
        .candidates()
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect();
    if !suggestions.is_empty() {
        message.push_str(&format!("; did you mean {}?", suggestions.join(" or ")));
    }
    let bare_code = miss
        .candidates()
        .iter()
        .any(|c| crate::schema::normalise_label(c).0 == header::BARE_CODE);
    if bare_code && miss.missing.contains(&Field::OdsCode) {
        message.push_str(
            " (a column headed just \"Code\" is read as the ODS code only when no other column names a code: rename it \"ODS code\")",
        );
    }
    Diagnostic::at(
        Severity::Error,
        &grid.location(file, Some((miss.row, 0))),
        message,
    )
}

/// The error for a providers table with neither an EPR status nor a supplier
/// column: which headers look closest, and the two ways to map one.
fn no_epr_column_error(grid: &Grid, header: &header::HeaderMatch, file: &str) -> Diagnostic {
    let mut candidates = header::did_you_mean(&[Field::Supplier, Field::Status], &header.unknown);
    // Analysts' own headers are often a prefix and the key word (`trust_epr`): a
    // cell naming an EPR, a supplier or a status is worth suggesting too.
    for cell in &header.unknown {
        let (norm, _) = crate::schema::normalise_label(cell);
        let names_it = norm
            .split(' ')
            .any(|w| matches!(w, "epr" | "supplier" | "status" | "vendor"));
        if names_it && !candidates.contains(cell) {
            candidates.push(cell.clone());
        }
    }
    let mut message = format!(
        "providers table: header row {} has neither an EPR status column ({}) nor a supplier column ({}), so who is live cannot be told; the table is not read",
        grid.row_number(header.row),
        Field::Status.synonyms()[..3].join(" / "),
        Field::Supplier.synonyms()[..3].join(" / "),
    );
    let example = candidates.first().map_or("HEADER", String::as_str);
    if !candidates.is_empty() {
        let quoted: Vec<String> = candidates.iter().map(|c| format!("\"{c}\"")).collect();
        message.push_str(&format!("; did you mean {}?", quoted.join(" or ")));
    }
    message.push_str(&format!(
        " Map a column with `--map supplier=\"{example}\"` (or `--map status=...`), or in the settings file: [headers.providers] supplier = [\"{example}\"]"
    ));
    Diagnostic::at(
        Severity::Error,
        &grid.location(file, Some((header.row, 0))),
        message,
    )
}

/// A field and its accepted headers, for messages.
fn describe_field(field: Field) -> String {
    format!(
        "{field} ({})",
        field.synonyms()[..3.min(field.synonyms().len())].join(" / ")
    )
}
