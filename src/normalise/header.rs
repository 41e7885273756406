//! Finding a table's header row (SPEC 1.2, 1.3): by sheet name or by scanning the
//! first rows of each visible sheet, past title rows and under merged group labels.

use crate::ingest::{Grid, Workbook};
use crate::normalise::values::{cell_text, cell_text_ref};
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
    let matched = HeaderMatch {
        row,
        columns: chosen.into_iter().map(|(f, (_, c))| (f, c)).collect(),
        unknown: Vec::new(),
        shadowed,
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

/// Scan the first rows of a grid for the best header row for `kind`: the row with
/// every required field and the most fields matched (topmost on a tie).
pub fn find_header(
    grid: &Grid,
    kind: TableKind,
    synonyms: &HeaderSynonyms,
) -> Result<HeaderMatch, HeaderMiss> {
    let rows = grid.height().min(HEADER_SCAN_ROWS);
    let mut best: Option<(HeaderMatch, Vec<usize>)> = None;
    let mut closest: Option<(HeaderMatch, Vec<usize>)> = None;
    for row in 0..rows {
        let candidate = match_row(grid, row, kind, synonyms);
        let found = &candidate.0;
        let complete = kind
            .required()
            .iter()
            .all(|f| found.columns.contains_key(f))
            && (kind != TableKind::Funding || is_funding_header(found));
        let slot = if complete { &mut best } else { &mut closest };
        if slot
            .as_ref()
            .is_none_or(|(b, _)| found.columns.len() > b.columns.len())
        {
            *slot = Some(candidate);
        }
    }
    if let Some(found) = best {
        return Ok(with_unknown(grid, found));
    }
    let closest = closest
        .map(|c| with_unknown(grid, c))
        .filter(|c| !c.columns.is_empty())
        .unwrap_or_else(|| HeaderMatch {
            row: first_non_empty_row(grid),
            columns: FxHashMap::default(),
            unknown: Vec::new(),
            shadowed: Vec::new(),
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
        .map(|field| (*field, did_you_mean(*field, &header_cells)))
        .collect();
    Err(HeaderMiss {
        row: closest.row,
        matched: closest.columns.len(),
        missing,
        suggestions,
    })
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

/// Header cells most like the accepted headers of `field`, best first (at most 3).
pub fn did_you_mean(field: Field, cells: &[String]) -> Vec<String> {
    let mut scored: Vec<(f64, &String)> = cells
        .iter()
        .map(|cell| {
            let norm = normalise_label(cell).0;
            let score = field
                .synonyms()
                .iter()
                .map(|s| strsim::normalized_levenshtein(&norm, &normalise_label(s).0))
                .fold(0.0, f64::max);
            (score, cell)
        })
        .filter(|(score, _)| *score >= 0.4)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, c)| c.clone()).collect()
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
