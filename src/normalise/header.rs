//! Finding a table's header row (SPEC 1.2, 1.3): by sheet name or by scanning the
//! first rows of each visible sheet, past title rows and under merged group labels.

use crate::ingest::{Cell, Grid, Workbook};
use crate::normalise::values::{cell_text, cell_text_ref, parse_ods_code};
use crate::schema::{normalise_label, sheet_role, Field, SheetRole, TableKind, HEADER_SCAN_ROWS};
use rustc_hash::FxHashMap;

/// Accepted headers, normalised, for every table: the built-in synonyms of
/// [`crate::schema`] plus any added from configuration.
#[derive(Debug, Clone)]
pub struct HeaderSynonyms {
    /// table → normalised header → (field, rank; lower is more specific). Looked up
    /// for every cell of the first rows of every sheet, so by `&str`, without a copy.
    map: FxHashMap<TableKind, FxHashMap<String, (Field, usize)>>,
}

impl Default for HeaderSynonyms {
    fn default() -> Self {
        let mut map: FxHashMap<TableKind, FxHashMap<String, (Field, usize)>> = FxHashMap::default();
        for kind in TableKind::ALL {
            let headers = map.entry(kind).or_default();
            for field in kind.fields() {
                for (rank, synonym) in field.synonyms().iter().enumerate() {
                    headers
                        .entry(normalise_label(synonym).0)
                        .or_insert((*field, rank));
                }
            }
        }
        HeaderSynonyms { map }
    }
}

impl HeaderSynonyms {
    /// Accept another header for a field of a table (from configuration). Added
    /// synonyms rank after the built-in ones.
    pub fn add(&mut self, kind: TableKind, field: Field, header: &str) {
        self.map
            .entry(kind)
            .or_default()
            .insert(normalise_label(header).0, (field, usize::MAX / 2));
    }

    fn lookup(&self, kind: TableKind, normalised: &str) -> Option<(Field, usize)> {
        self.map.get(&kind)?.get(normalised).copied()
    }
}

/// One matched column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Zero-based column index into the grid's rows.
    pub index: usize,
    /// The header as written.
    pub header: String,
    /// A bracketed unit from the header or, failing that, its merged group label
    /// (`£m`): used to scale money.
    pub unit: Option<String>,
}

/// A header row that has every required column.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMatch {
    /// Zero-based index of the header row in the grid.
    pub row: usize,
    /// The column chosen for each field found (looked up for every cell read, so
    /// hashed with Fx rather than SipHash: the keys are our own enum).
    pub columns: FxHashMap<Field, Column>,
    /// Header cells that matched no field (listed with `--verbose`).
    pub unknown: Vec<String>,
    /// Header cells that matched a field already taken by a better column, and so
    /// are not read.
    pub shadowed: Vec<(Field, Column)>,
    /// Rows below the header that repeat it (a second block pasted under the first,
    /// with its own header): not data, skipped by [`crate::normalise::rows::data_rows`].
    /// In row order.
    pub repeats: Vec<Repeat>,
    /// Rows above the header that look like data of the table (an ODS code in its
    /// code column and another of its columns filled): not read, and said.
    pub data_above: Vec<usize>,
}

/// A row below the header that repeats it.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeat {
    /// Zero-based row index in the grid.
    pub row: usize,
    /// Columns of the repeated header that the chosen header does not have in the
    /// same place, as (column index, header as written): the values under them in
    /// the block below are not read.
    pub differs: Vec<(usize, String)>,
}

impl HeaderMatch {
    /// The column index of a field, if the table has it.
    pub fn index(&self, field: Field) -> Option<usize> {
        self.columns.get(&field).map(|c| c.index)
    }
}

/// Why no header row was accepted in a sheet: the closest row and what it lacked.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMiss {
    /// Zero-based index of the row that came closest.
    pub row: usize,
    /// Required fields not found in it.
    pub missing: Vec<Field>,
    /// Number of fields it did match.
    pub matched: usize,
    /// The header cells of that row not matched to any field, most similar first,
    /// for each missing field ("did you mean").
    pub suggestions: Vec<(Field, Vec<String>)>,
}

/// The bare header `Code`, normalised (see [`match_row`]).
pub(crate) const BARE_CODE: &str = "code";

/// One row matched as a header for `kind`, with the columns of its header cells that
/// matched no field: their text is copied only for the row that is kept.
fn match_row(
    grid: &Grid,
    row: usize,
    kind: TableKind,
    synonyms: &HeaderSynonyms,
) -> (HeaderMatch, Vec<usize>) {
    // The labels above, needed only once a cell matches (most scanned rows are data).
    let mut parents = None;
    // Best candidate per field so far: (synonym rank, column).
    let mut chosen: FxHashMap<Field, (usize, Column)> = FxHashMap::default();
    let mut unknown = Vec::new();
    let mut shadowed = Vec::new();
    for (index, cell) in grid.row(row).iter().enumerate() {
        let Some(header) = cell_text_ref(cell) else {
            continue;
        };
        let (norm, unit) = normalise_label(&header);
        let Some((mut field, rank)) = synonyms.lookup(kind, &norm) else {
            unknown.push(index);
            continue;
        };
        let parent = parents
            .get_or_insert_with(|| parent_labels(grid, row))
            .get(index)
            .and_then(|p| p.as_ref());
        // A merged group label such as "Convergence plan" over "Supplier" makes the
        // column the target supplier (where the table has one): the parent breaks the
        // tie between two "Supplier" columns.
        if let Some((parent_norm, _)) = parent {
            if let Some(target) = target_counterpart(field) {
                if is_plan_label(parent_norm) && kind.fields().contains(&target) {
                    field = target;
                }
            }
        }
        let unit = unit.or_else(|| parent.and_then(|(_, u)| u.clone()));
        let column = Column {
            index,
            header: header.into_owned(),
            unit,
        };
        match chosen.get(&field) {
            Some((best_rank, _)) if *best_rank <= rank => shadowed.push((field, column)),
            Some(_) => {
                if let Some((_, previous)) = chosen.insert(field, (rank, column)) {
                    shadowed.push((field, previous));
                }
            }
            None => {
                chosen.insert(field, (rank, column));
            }
        }
    }
    // A bare "Code" is the ODS code only where no other header names a code (an
    // "ICB code" or "Supplier code" beside it would make it ambiguous).
    let bare_code = chosen
        .get(&Field::OdsCode)
        .is_some_and(|(_, c)| normalise_label(&c.header).0 == BARE_CODE);
    if bare_code {
        let other_code = grid.row(row).iter().any(|cell| {
            cell_text_ref(cell).is_some_and(|text| {
                let norm = normalise_label(&text).0;
                norm != BARE_CODE && norm.split(' ').any(|w| w == "code")
            })
        });
        if other_code {
            if let Some((_, column)) = chosen.remove(&Field::OdsCode) {
                unknown.push(column.index);
                unknown.sort_unstable();
            }
        }
    }
    let matched = HeaderMatch {
        row,
        columns: chosen.into_iter().map(|(f, (_, c))| (f, c)).collect(),
        unknown: Vec::new(),
        shadowed,
        repeats: Vec::new(),
        data_above: Vec::new(),
    };
    (matched, unknown)
}

/// A kept row's unmatched header cells, as written.
fn with_unknown(grid: &Grid, (mut matched, unknown): (HeaderMatch, Vec<usize>)) -> HeaderMatch {
    matched.unknown = unknown
        .into_iter()
        .filter_map(|col| cell_text(grid.get(matched.row, col)))
        .collect();
    matched
}

fn is_plan_label(parent_norm: &str) -> bool {
    parent_norm
        .split(' ')
        .any(|w| matches!(w, "target" | "planned" | "plan" | "convergence" | "future"))
}

fn target_counterpart(field: Field) -> Option<Field> {
    match field {
        Field::Supplier => Some(Field::TargetSupplier),
        Field::Product => Some(Field::TargetProduct),
        Field::GoLive => Some(Field::TargetGoLive),
        _ => None,
    }
}

/// The group label above each column of `row`: the row above, with each label carried
/// right across blank cells (a merged cell keeps its text in its top-left cell only).
fn parent_labels(grid: &Grid, row: usize) -> Vec<Option<(String, Option<String>)>> {
    let width = grid.row(row).len();
    let Some(above) = row.checked_sub(1) else {
        return vec![None; width];
    };
    // A lone title in column A is a title, not a group label over the columns.
    let labels: Vec<usize> = (grid.row(above).iter().enumerate())
        .filter(|(_, cell)| cell_text(cell).is_some())
        .map(|(col, _)| col)
        .collect();
    if labels.is_empty() || labels == [0] {
        return vec![None; width];
    }
    let mut current = None;
    (0..width)
        .map(|col| {
            if let Some(text) = cell_text(grid.get(above, col)) {
                current = Some(normalise_label(&text));
            }
            current.clone()
        })
        .collect()
}

/// Whether a matched row has every required column of `kind`.
fn is_complete(found: &HeaderMatch, kind: TableKind) -> bool {
    kind.required()
        .iter()
        .all(|f| found.columns.contains_key(f))
        && (kind != TableKind::Funding || is_funding_header(found))
}

/// Scan the first rows of a grid for the header row of `kind`: the first row with
/// every required field. A later row with more fields is not preferred: it is most
/// often a second block pasted under the first with its own header, and choosing it
/// would lose the rows above. Repeats of the header further down, and rows above it
/// that look like data, are recorded in the match (see [`HeaderMatch::repeats`]).
pub fn find_header(
    grid: &Grid,
    kind: TableKind,
    synonyms: &HeaderSynonyms,
) -> Result<HeaderMatch, HeaderMiss> {
    let rows = grid.height().min(HEADER_SCAN_ROWS);
    let mut closest: Option<(HeaderMatch, Vec<usize>)> = None;
    for row in 0..rows {
        let candidate = match_row(grid, row, kind, synonyms);
        if is_complete(&candidate.0, kind) {
            let mut found = with_unknown(grid, candidate);
            found.repeats = repeated_headers(grid, &found, kind, synonyms);
            found.data_above = data_above(grid, &found);
            return Ok(found);
        }
        if closest
            .as_ref()
            .is_none_or(|(b, _)| candidate.0.columns.len() > b.columns.len())
        {
            closest = Some(candidate);
        }
    }
    let closest = closest
        .map(|c| with_unknown(grid, c))
        .filter(|c| !c.columns.is_empty())
        .unwrap_or_else(|| HeaderMatch {
            row: first_non_empty_row(grid),
            columns: FxHashMap::default(),
            unknown: Vec::new(),
            shadowed: Vec::new(),
            repeats: Vec::new(),
            data_above: Vec::new(),
        });
    let missing: Vec<Field> = kind
        .required()
        .iter()
        .copied()
        .filter(|f| !closest.columns.contains_key(f))
        .collect();
    let header_cells: Vec<String> = closest.unknown.clone();
    let suggestions = missing
        .iter()
        .map(|field| (*field, did_you_mean(&[*field], &header_cells)))
        .collect();
    Err(HeaderMiss {
        row: closest.row,
        matched: closest.columns.len(),
        missing,
        suggestions,
    })
}

/// Rows below the header that are themselves a complete header row of `kind`. Each
/// row is first checked cheaply: its cell under the header's first required column
/// must be an accepted header of that field (a sheet may hold a hundred thousand
/// rows, and nearly none are headers).
fn repeated_headers(
    grid: &Grid,
    header: &HeaderMatch,
    kind: TableKind,
    synonyms: &HeaderSynonyms,
) -> Vec<Repeat> {
    let Some((probe_field, probe)) = kind
        .required()
        .iter()
        .chain(header.columns.keys())
        .find_map(|f| Some((*f, header.columns.get(f)?)))
    else {
        return Vec::new();
    };
    let is_probe_header = |cell: &Cell| {
        cell_text_ref(cell).is_some_and(|text| {
            synonyms
                .lookup(kind, &normalise_label(&text).0)
                .is_some_and(|(field, _)| field == probe_field)
        })
    };
    // Judged once per distinct text: a systems sheet repeats each ODS code on
    // every row of its provider's systems.
    let mut judged: FxHashMap<&str, bool> = FxHashMap::default();
    let mut repeats = Vec::new();
    for row in header.row + 1..grid.height() {
        let cell = grid.get(row, probe.index);
        let is_header_cell = match cell {
            Cell::Text(text) => *judged
                .entry(&**text)
                .or_insert_with(|| is_probe_header(cell)),
            _ => is_probe_header(cell),
        };
        if !is_header_cell {
            continue;
        }
        let (again, _) = match_row(grid, row, kind, synonyms);
        if !is_complete(&again, kind) {
            continue;
        }
        let mut differs: Vec<(usize, String)> = again
            .columns
            .iter()
            .filter(|(field, column)| header.index(**field) != Some(column.index))
            .map(|(_, column)| (column.index, column.header.clone()))
            .collect();
        differs.sort();
        repeats.push(Repeat { row, differs });
    }
    repeats
}

/// Rows above the header whose cell under its ODS code column holds a well-formed
/// ODS code and that have another of its columns filled: rows of the table that
/// the header does not cover. (A title row has at most one cell.)
fn data_above(grid: &Grid, header: &HeaderMatch) -> Vec<usize> {
    let Some(code) = header.index(Field::OdsCode) else {
        return Vec::new();
    };
    (0..header.row)
        .filter(|&row| {
            let coded = cell_text_ref(grid.get(row, code))
                .is_some_and(|text| matches!(parse_ods_code(&text), Ok(Some(_))));
            coded
                && header
                    .columns
                    .values()
                    .any(|c| c.index != code && cell_text_ref(grid.get(row, c.index)).is_some())
        })
        .collect()
}

/// A funding header has a money column (SPEC 1.4) and a code or item column: a
/// lone "Cost" cell in some other table is not a funding table.
fn is_funding_header(m: &HeaderMatch) -> bool {
    let anchored = m.columns.contains_key(&Field::OdsCode) || m.columns.contains_key(&Field::Item);
    anchored
        && [
            Field::TotalCost,
            Field::NationalFunding,
            Field::LocalFunding,
            Field::StatedGap,
        ]
        .iter()
        .any(|f| m.columns.contains_key(f))
}

fn first_non_empty_row(grid: &Grid) -> usize {
    grid.rows()
        .position(|r| r.iter().any(|c| cell_text(c).is_some()))
        .unwrap_or(0)
}

/// Header cells most like the accepted headers of any of `fields`, best first (at
/// most 3), each once.
pub fn did_you_mean(fields: &[Field], cells: &[String]) -> Vec<String> {
    let mut scored = scored_cells(fields, cells);
    scored.truncate(3);
    scored.into_iter().map(|(_, c)| c).collect()
}

/// How like a header cell is to an accepted header of a field, 0 to 1: the better of
/// the edit-distance similarity and the share of words in common, so that a cell
/// holding a synonym's words in another order or with an extra word still scores.
fn similarity(cell_norm: &str, field: Field) -> f64 {
    let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    let cell_words = words(cell_norm);
    field
        .synonyms()
        .iter()
        .map(|synonym| {
            let synonym = normalise_label(synonym).0;
            let edit = strsim::normalized_levenshtein(cell_norm, &synonym);
            let synonym_words = words(&synonym);
            let common = cell_words
                .iter()
                .filter(|w| synonym_words.contains(w))
                .count();
            let union = cell_words.len() + synonym_words.len() - common;
            let shared = common as f64 / union.max(1) as f64;
            edit.max(shared)
        })
        .fold(0.0, f64::max)
}

/// Below this similarity a header cell is not suggested: "alt names" is not a
/// likely misspelling of "name".
const SUGGESTION_THRESHOLD: f64 = 0.6;

/// The header cells like any of `fields`, each once (by its normalised form), the
/// closest first, with its best score.
fn scored_cells(fields: &[Field], cells: &[String]) -> Vec<(f64, String)> {
    let mut scored: Vec<(f64, String)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for cell in cells {
        let norm = normalise_label(cell).0;
        if seen.contains(&norm) {
            continue;
        }
        let score = fields
            .iter()
            .map(|f| similarity(&norm, *f))
            .fold(0.0, f64::max);
        seen.push(norm);
        if score >= SUGGESTION_THRESHOLD {
            scored.push((score, cell.clone()));
        }
    }
    // Stable: equally close cells keep their order in the row.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
}

impl HeaderMiss {
    /// Every header cell suggested for any missing field ("did you mean"), each
    /// once, the closest first (at most 3).
    pub fn candidates(&self) -> Vec<String> {
        let cells: Vec<String> = self
            .suggestions
            .iter()
            .flat_map(|(_, cells)| cells.iter().cloned())
            .collect();
        let mut scored = scored_cells(&self.missing, &cells);
        scored.truncate(3);
        scored.into_iter().map(|(_, c)| c).collect()
    }
}

/// Where a table was found in a workbook.
#[derive(Debug, Clone)]
pub enum Located {
    /// Found in the sheet at this index, with this header.
    Found(usize, HeaderMatch),
    /// Not found. The closest attempt, if any sheet was named for the table or came
    /// close: the sheet index and why it failed.
    Missing(Option<(usize, HeaderMiss)>),
}

/// Find a table in a workbook: first a visible sheet named for it, then any visible
/// sheet whose first rows hold a matching header row. Sheets named for another table
/// or for the cover are not scanned, nor the sheet `taken` by another table.
pub fn locate(
    workbook: &Workbook,
    kind: TableKind,
    synonyms: &HeaderSynonyms,
    taken: Option<usize>,
) -> Located {
    // None for CSV (one table per file, tried as a named sheet); Some(role) for sheets.
    let role = |grid: &Grid| grid.sheet.as_deref().map(sheet_role);
    let mut closest: Option<(usize, HeaderMiss)> = None;
    let mut named_miss = false;
    for (i, grid) in workbook.sheets.iter().enumerate() {
        if Some(i) == taken {
            continue;
        }
        let named_for_kind = role(grid).is_none_or(|r| r == Some(SheetRole::Table(kind)));
        if named_for_kind {
            match find_header(grid, kind, synonyms) {
                Ok(found) => return Located::Found(i, found),
                Err(miss) => {
                    if !named_miss {
                        closest = Some((i, miss));
                        named_miss = true;
                    }
                }
            }
        }
    }
    for (i, grid) in workbook.sheets.iter().enumerate() {
        // Only sheets whose names say nothing are scanned by content.
        if role(grid) != Some(None) || Some(i) == taken {
            continue;
        }
        match find_header(grid, kind, synonyms) {
            Ok(found) => return Located::Found(i, found),
            Err(miss) => {
                let closer = closest
                    .as_ref()
                    .is_none_or(|(_, c)| miss.matched > c.matched);
                if !named_miss && miss.matched > 0 && closer {
                    closest = Some((i, miss));
                }
            }
        }
    }
    Located::Missing(closest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Cell;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid::from_rows(
            Some("Providers".into()),
            (0, 0),
            rows.iter().map(|row| {
                row.iter()
                    .map(|t| Cell::Text((*t).into()))
                    .collect::<Vec<_>>()
            }),
        )
    }

    #[test]
    fn plain_name_headers_are_the_name() {
        let synonyms = HeaderSynonyms::default();
        for name in [
            "Name",
            "Org name",
            "Organisation Name",
            "ORGANISATION  NAME",
        ] {
            let found = find_header(
                &grid(&[&["ODS code", name], &["RAJ", "Mid and South Essex"]]),
                TableKind::Providers,
                &synonyms,
            )
            .unwrap_or_else(|miss| panic!("{name}: {miss:?}"));
            assert_eq!(found.index(Field::Name), Some(1), "{name}");
        }
    }

    #[test]
    fn a_bare_code_is_the_ods_code_only_without_another_code_column() {
        let synonyms = HeaderSynonyms::default();
        let alone = find_header(
            &grid(&[&["Code", "Name"], &["RAJ", "Mid and South Essex"]]),
            TableKind::Providers,
            &synonyms,
        );
        assert_eq!(alone.map(|h| h.index(Field::OdsCode)), Ok(Some(0)));
        let beside = find_header(
            &grid(&[
                &["Code", "ICB code", "Name"],
                &["RAJ", "QH8", "Mid and South Essex"],
            ]),
            TableKind::Providers,
            &synonyms,
        );
        assert!(beside.is_err(), "{beside:?}");
    }

    #[test]
    fn suggestions_are_each_once_and_closest_first() {
        let cells: Vec<String> = [
            "validation_notes",
            "alt_names",
            "Trusts",
            "Providers",
            "Trusts",
        ]
        .map(String::from)
        .to_vec();
        let scored = scored_cells(&[Field::OdsCode, Field::Name], &cells);
        let names: Vec<&str> = scored.iter().map(|(_, c)| c.as_str()).collect();
        assert_eq!(names, ["Providers", "Trusts"]);
        // What fixtures/README.md says of them.
        assert!((scored[0].0 - 8.0 / 9.0).abs() < 1e-9);
        assert!((scored[1].0 - 5.0 / 6.0).abs() < 1e-9);
        for cell in ["alt names", "validation notes"] {
            let score = similarity(cell, Field::Name).max(similarity(cell, Field::OdsCode));
            assert!(score < SUGGESTION_THRESHOLD, "{cell}: {score}");
        }
        assert!((similarity("alt names", Field::Name) - 5.0 / 9.0).abs() < 1e-9);
    }
}
