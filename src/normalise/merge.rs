//! Several returns naming the same provider (SPEC 1.7): identical rows are merged
//! with a note; rows that differ are merged field by field with a warning naming
//! both sources and each differing field. For each field the value from the most
//! recently submitted return that gives one is kept (cover-sheet date, else file
//! mtime; on the same date, the return read last; a code twice in one return: the
//! later row), so a blank cell never erases a value another return gave. A file
//! copied twice repeats every row: its identical rows are one note per pair of
//! tables with the count, each row's own note only with `-v`.

use crate::diag::{Diagnostic, Location, Severity};
use crate::model::{FileRows, FundingLine, Provider};
use chrono::NaiveDateTime;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// The provider rows of one return, with its recency.
#[derive(Debug, Clone)]
pub struct SubmittedProviders {
    /// When the return was submitted (cover date at midnight, else file mtime).
    pub when: Option<NaiveDateTime>,
    /// Its provider rows.
    pub providers: Vec<Provider>,
}

/// A provider row with the return it came from (its index in the order given).
struct Submitted {
    provider: Provider,
    ret: usize,
}

/// A row merged into an identical one: the note about it, and the tables (file and
/// sheet, no cell) of the row kept and of the row merged into it.
struct IdenticalRow {
    kept: Location,
    other: Location,
    note: Diagnostic,
}

/// One row per ODS code; rows without a code are kept as they are. Output keeps the
/// order in which codes first appear (returns in the order given). Identical rows
/// are noted per pair of tables, or each one when `each_identical` (`-v`).
pub fn merge_returns(
    returns: Vec<SubmittedProviders>,
    each_identical: bool,
    diags: &mut Vec<Diagnostic>,
) -> FileRows<Provider> {
    // Each row's group, named by the index (across returns) of the group's first row.
    // Most codes appear once, so rows are grouped by index and only repeats are moved.
    let group_of: Vec<usize> = {
        let mut first: FxHashMap<&str, usize> = FxHashMap::default();
        first.reserve(returns.iter().map(|r| r.providers.len()).sum());
        returns
            .iter()
            .flat_map(|r| &r.providers)
            .enumerate()
            .map(|(i, row)| match row.ods_code.as_deref() {
                Some(code) => *first.entry(code).or_insert(i),
                None => i,
            })
            .collect()
    };
    if group_of.iter().enumerate().all(|(i, &group)| group == i) {
        // No provider is in two returns: nothing to resolve, and nothing copied.
        return returns.into_iter().map(|r| r.providers).collect();
    }
    let mut rows = Vec::with_capacity(group_of.len());
    let mut starts = Vec::with_capacity(returns.len());
    let mut whens = Vec::with_capacity(returns.len());
    for ret in returns {
        starts.push(rows.len());
        whens.push(ret.when);
        rows.extend(ret.providers);
    }
    // The return of row i: the last one starting at or before it.
    let return_of = |i: usize| starts.partition_point(|&start| start <= i) - 1;
    let mut rows: Vec<Option<Submitted>> = rows
        .into_iter()
        .enumerate()
        .map(|(i, provider)| {
            Some(Submitted {
                provider,
                ret: return_of(i),
            })
        })
        .collect();
    let mut repeats: FxHashMap<usize, Vec<(usize, Submitted)>> = FxHashMap::default();
    for (i, &group) in group_of.iter().enumerate() {
        if group != i {
            if let Some(row) = rows[i].take() {
                repeats.entry(group).or_default().push((i, row));
            }
        }
    }
    let mut merged = Vec::with_capacity(rows.len());
    let mut identical = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let Some(row) = row else { continue };
        match repeats.remove(&i) {
            None => merged.push(row.provider),
            Some(mut others) => {
                others.insert(0, (i, row));
                merged.extend(resolve(others, &whens, diags, &mut identical));
            }
        }
    }
    note_identical(identical, each_identical, diags);
    merged.into()
}

/// The notes about identical rows: each row's own with `each` or when a pair of
/// tables shares only one; otherwise one per pair of tables with the count, so that
/// a file given twice is one line, not one per row. Pairs in the order first met.
fn note_identical(identical: Vec<IdenticalRow>, each: bool, diags: &mut Vec<Diagnostic>) {
    let mut pairs: Vec<(Location, Location, Vec<Diagnostic>)> = Vec::new();
    for row in identical {
        match pairs
            .iter_mut()
            .find(|(kept, other, _)| *kept == row.kept && *other == row.other)
        {
            Some((_, _, notes)) => notes.push(row.note),
            None => pairs.push((row.kept, row.other, vec![row.note])),
        }
    }
    for (kept, other, notes) in pairs {
        if each || notes.len() == 1 {
            diags.extend(notes);
            continue;
        }
        let rows = crate::diag::plural(notes.len(), "provider row");
        let message = if kept.file == other.file {
            format!("{rows} identical to rows above them in this table: merged (-v lists each)")
        } else {
            format!("{rows} identical to those in {other}: merged (-v lists each)")
        };
        diags.push(Diagnostic::at(Severity::Note, &kept, message));
    }
}

/// The merged row of a group naming one provider; `whens` are the returns'
/// recencies. The most recently submitted row is the base, and each field it leaves
/// blank is taken from the next most recent row that gives it (SPEC 1.7, field by
/// field): a blank cell in a resubmission does not erase what an older return said.
fn resolve(
    mut group: Vec<(usize, Submitted)>,
    whens: &[Option<NaiveDateTime>],
    diags: &mut Vec<Diagnostic>,
    identical: &mut Vec<IdenticalRow>,
) -> Option<Provider> {
    // Latest submission last; discovery order breaks ties.
    group.sort_by(|(ao, a), (bo, b)| whens[a.ret].cmp(&whens[b.ret]).then(ao.cmp(bo)));
    let (_, winner) = group.pop()?;
    let mut merged = winner.provider.clone();
    // The return each filled field was taken from (the others are the winner's).
    let mut filled_from: Vec<(&'static str, usize)> = Vec::new();
    // "returns/b.xlsx, Providers!A3": the other row as a cell the analyst can open.
    let place = |p: &Provider| {
        let loc = p.origin.location();
        match loc.place() {
            Some(place) => format!("{}, {place}", loc.file),
            None => loc.file,
        }
    };
    let code = merged.ods_code.clone().unwrap_or_default();
    // Newest first, so a blank is filled from the most recent row that gives it.
    for (_, other_row) in group.iter().rev() {
        let other = &other_row.provider;
        let fields = merged.merge_from(other);
        if fields.is_empty() {
            let table = |p: &Provider| Location {
                cell: None,
                ..p.origin.location()
            };
            identical.push(IdenticalRow {
                kept: table(&winner.provider),
                other: table(other),
                note: Diagnostic::at(
                    Severity::Note,
                    &winner.provider.origin.location(),
                    format!("{code} is also in {}: identical rows merged", place(other)),
                ),
            });
            continue;
        }
        let parts: Vec<String> = fields
            .iter()
            .map(|f| match &f.other {
                None => {
                    filled_from.push((f.field, other_row.ret));
                    format!("{} {} taken from there (blank here)", f.field, f.kept)
                }
                Some(set_aside) => {
                    let kept_ret = filled_from
                        .iter()
                        .find(|(field, _)| *field == f.field)
                        .map_or(winner.ret, |&(_, ret)| ret);
                    format!(
                        "{} {} kept over {set_aside} ({})",
                        f.field,
                        f.kept,
                        why_kept(kept_ret, other_row.ret, whens)
                    )
                }
            })
            .collect();
        diags.push(Diagnostic::at(
            Severity::Warning,
            &winner.provider.origin.location(),
            format!(
                "{code} is also in {} with different values: {}",
                place(other),
                parts.join("; ")
            ),
        ));
    }
    Some(merged)
}

/// Why a value from return `kept` was kept over one from return `other`, as the
/// warning says it.
fn why_kept(kept: usize, other: usize, whens: &[Option<NaiveDateTime>]) -> &'static str {
    if kept == other {
        "the later row in the same return"
    } else if whens[kept] > whens[other] {
        "the more recently submitted return"
    } else if whens[kept].is_none() {
        "the return read last; neither has a submission date"
    } else {
        "the return read last; both have the same submission date"
    }
}

/// The funding lines of one return, with its recency.
#[derive(Debug, Clone)]
pub struct SubmittedFunding {
    /// The return's file.
    pub source: String,
    /// When it was submitted (as for [`SubmittedProviders`]).
    pub when: Option<NaiveDateTime>,
    /// Its funding lines.
    pub lines: Vec<FundingLine>,
}

/// Funding lines of every return, where two returns for the same ICS (a
/// resubmission) both hold a funding table only the most recently submitted one
/// counts: adding both would count the programme twice. The older table is a note if
/// it is identical and a warning if not; returns with no ICS are all kept.
pub fn merge_funding(
    returns: Vec<SubmittedFunding>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<FundingLine> {
    let ics_of = |r: &SubmittedFunding| r.lines.first().and_then(|l| l.return_ics_code.clone());
    let mut newest: HashMap<String, (Option<NaiveDateTime>, usize)> = HashMap::new();
    for (order, ret) in returns.iter().enumerate() {
        if let Some(ics) = ics_of(ret) {
            let entry = newest.entry(ics).or_insert((ret.when, order));
            // Latest submission wins; discovery order breaks ties.
            if (ret.when, order) >= *entry {
                *entry = (ret.when, order);
            }
        }
    }
    let content = |r: &SubmittedFunding| -> Vec<FundingLine> {
        r.lines
            .iter()
            .map(|l| FundingLine {
                origin: crate::model::Origin {
                    source: "".into(),
                    ..l.origin.clone()
                },
                ..l.clone()
            })
            .collect()
    };
    let mut kept = Vec::new();
    for (order, ret) in returns.iter().enumerate() {
        let winner = ics_of(ret).and_then(|ics| newest.get(&ics).map(|(_, o)| (ics, *o)));
        match winner {
            Some((ics, winner)) if winner != order => {
                let newer = &returns[winner];
                let (severity, what) = if content(ret) == content(newer) {
                    (Severity::Note, "an identical funding table")
                } else {
                    (Severity::Warning, "a different funding table")
                };
                diags.push(
                    Diagnostic::file(
                        severity,
                        &ret.source,
                        format!(
                            "{} for {ics} not counted: {} submitted more recently has {what}",
                            crate::diag::plural(ret.lines.len(), "funding line"),
                            newer.source
                        ),
                    )
                    .about(crate::schema::TableKind::Funding),
                );
            }
            _ => kept.extend(ret.lines.iter().cloned()),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_provider;
    use crate::schema::Status;

    /// A return of these provider rows, submitted on a day of June 2023.
    fn submitted_on(day: u32, providers: Vec<Provider>) -> SubmittedProviders {
        SubmittedProviders {
            providers,
            when: chrono::NaiveDate::from_ymd_opt(2023, 6, day)
                .and_then(|d| d.and_hms_opt(0, 0, 0)),
        }
    }

    /// A return submitted on a day of June 2023 of live providers (code, supplier).
    fn live_on(day: u32, rows: &[(&str, &str)]) -> SubmittedProviders {
        let providers = rows
            .iter()
            .map(|&(code, supplier)| test_provider(code, Status::Live, supplier))
            .collect();
        submitted_on(day, providers)
    }

    /// A return of one provider row.
    fn submitted(code: Option<&str>, supplier: &str, day: u32) -> SubmittedProviders {
        let mut provider = test_provider(code.unwrap_or_default(), Status::Live, supplier);
        provider.ods_code = code.map(Into::into);
        submitted_on(day, vec![provider])
    }

    /// Each merged row's code and supplier, in order.
    fn codes_and_suppliers(merged: &FileRows<Provider>) -> Vec<(Option<&str>, Option<&str>)> {
        merged
            .iter()
            .map(|p| (p.ods_code.as_deref(), p.supplier.as_deref()))
            .collect()
    }

    #[test]
    fn one_row_per_code_in_first_appearance_order_newest_winning() {
        let rows = vec![
            submitted(Some("RAJ"), "Epic", 1),
            submitted(Some("RXN"), "TPP", 1),
            submitted(Some("RAJ"), "Oracle Health", 2),
            submitted(None, "Civica", 1),
            submitted(Some("RDE"), "Epic", 1),
            submitted(None, "Civica", 1),
            submitted(Some("RXN"), "TPP", 1),
        ];
        let mut diags = Vec::new();
        let merged = merge_returns(rows, false, &mut diags);
        assert_eq!(
            codes_and_suppliers(&merged),
            [
                (Some("RAJ"), Some("Oracle Health")),
                (Some("RXN"), Some("TPP")),
                (None, Some("Civica")),
                (Some("RDE"), Some("Epic")),
                (None, Some("Civica")),
            ]
        );
        let severities: Vec<Severity> = diags.iter().map(|d| d.severity).collect();
        assert_eq!(severities, [Severity::Warning, Severity::Note]);
    }

    #[test]
    fn each_row_has_the_recency_of_its_own_return() {
        // RAJ: the first return is newer than the second; RXN: the third is newest.
        // An empty return between them changes nothing.
        let returns = vec![
            live_on(5, &[("RAJ", "Epic"), ("RXN", "TPP")]),
            live_on(9, &[]),
            live_on(2, &[("RDE", "Epic"), ("RAJ", "Oracle Health")]),
            live_on(7, &[("RXN", "Civica")]),
        ];
        let mut diags = Vec::new();
        let merged = merge_returns(returns, false, &mut diags);
        assert_eq!(
            codes_and_suppliers(&merged),
            [
                (Some("RAJ"), Some("Epic")),
                (Some("RXN"), Some("Civica")),
                (Some("RDE"), Some("Epic")),
            ]
        );
        assert_eq!(diags.len(), 2);
        assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    }

    #[test]
    fn rows_without_repeats_pass_through_in_order() {
        let rows = vec![
            submitted(Some("RDE"), "Epic", 1),
            submitted(None, "Civica", 1),
            submitted(Some("RAJ"), "TPP", 1),
        ];
        let mut diags = Vec::new();
        let merged = merge_returns(rows, false, &mut diags);
        let codes: Vec<Option<&str>> = merged.iter().map(|p| p.ods_code.as_deref()).collect();
        assert_eq!(codes, [Some("RDE"), None, Some("RAJ")]);
        // Kept in the vectors they were read into.
        assert_eq!(merged.files().len(), 3);
        assert!(diags.is_empty());
    }

    #[test]
    fn a_blank_in_the_newer_row_keeps_the_older_value_and_says_so() {
        let mut older = test_provider("RAJ", Status::Implementing, "Epic");
        older.go_live = chrono::NaiveDate::from_ymd_opt(2025, 6, 30);
        older.emram_stage = Some(5);
        let mut newer = test_provider("RAJ", Status::Live, "Epic");
        newer.supplier = None;
        let mut diags = Vec::new();
        let merged = merge_returns(
            vec![submitted_on(2, vec![newer]), submitted_on(1, vec![older])],
            false,
            &mut diags,
        );
        let row = merged.iter().next().expect("one row");
        assert_eq!(row.status, Some(Status::Live));
        assert_eq!(row.supplier.as_deref(), Some("Epic"));
        assert_eq!(row.go_live, chrono::NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(row.emram_stage, Some(5));
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "RAJ is also in t.xlsx, A2 with different values: status live kept over \
             implementing (the more recently submitted return); supplier Epic taken from \
             there (blank here); go_live 2025-06-30 taken from there (blank here); \
             emram_stage 5 taken from there (blank here)"
        );
    }

    #[test]
    fn a_blank_is_filled_from_the_most_recent_row_that_gives_it() {
        let mut oldest = test_provider("RAJ", Status::Live, "Epic");
        oldest.emram_stage = Some(3);
        let mut middle = test_provider("RAJ", Status::Live, "Epic");
        middle.emram_stage = Some(6);
        let newest = test_provider("RAJ", Status::Live, "Epic");
        let mut diags = Vec::new();
        let merged = merge_returns(
            vec![
                submitted_on(1, vec![oldest]),
                submitted_on(3, vec![newest]),
                submitted_on(2, vec![middle]),
            ],
            false,
            &mut diags,
        );
        assert_eq!(merged.iter().next().and_then(|p| p.emram_stage), Some(6));
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "RAJ is also in t.xlsx, A2 with different values: \
                 emram_stage 6 taken from there (blank here)",
                "RAJ is also in t.xlsx, A2 with different values: \
                 emram_stage 6 kept over 3 (the more recently submitted return)",
            ]
        );
    }

    #[test]
    fn the_warning_says_why_the_row_kept_won() {
        let returns = vec![
            // RAJ twice in one return; RXN in two returns of different dates; RDE in
            // two returns of the same date.
            live_on(
                3,
                &[("RAJ", "Epic"), ("RXN", "TPP"), ("RAJ", "Oracle Health")],
            ),
            live_on(4, &[("RXN", "Civica"), ("RDE", "Epic")]),
            live_on(4, &[("RDE", "Dedalus")]),
        ];
        let mut diags = Vec::new();
        let merged = merge_returns(returns, false, &mut diags);
        assert_eq!(
            codes_and_suppliers(&merged),
            [
                (Some("RAJ"), Some("Oracle Health")),
                (Some("RXN"), Some("Civica")),
                (Some("RDE"), Some("Dedalus")),
            ]
        );
        let reasons: Vec<&str> = diags
            .iter()
            .map(|d| {
                d.message
                    .split("with different values: ")
                    .nth(1)
                    .unwrap_or(&d.message)
            })
            .collect();
        assert_eq!(
            reasons,
            [
                "supplier Oracle Health kept over Epic (the later row in the same return)",
                "supplier Civica kept over TPP (the more recently submitted return)",
                "supplier Dedalus kept over Epic \
                 (the return read last; both have the same submission date)",
            ]
        );
        assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    }

    #[test]
    fn identical_rows_are_one_note_per_pair_of_tables_unless_each_is_asked_for() {
        let in_file = |file: &str, codes: &[&str]| -> Vec<Provider> {
            codes
                .iter()
                .map(|code| {
                    let mut p = test_provider(code, Status::Live, "Epic");
                    p.origin.source = file.into();
                    p
                })
                .collect()
        };
        // b.xlsx (newer) repeats a.xlsx's three rows, and two of them twice.
        let returns = || {
            vec![
                submitted_on(1, in_file("a.xlsx", &["RAJ", "RXN", "RDE"])),
                submitted_on(2, in_file("b.xlsx", &["RAJ", "RXN", "RDE", "RXN", "RDE"])),
            ]
        };
        let mut diags = Vec::new();
        let merged = merge_returns(returns(), false, &mut diags);
        assert_eq!(merged.len(), 3);
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "3 provider rows identical to those in a.xlsx: merged (-v lists each)",
                "2 provider rows identical to rows above them in this table: merged (-v lists each)",
            ]
        );
        assert!(diags.iter().all(|d| d.file == "b.xlsx" && d.cell.is_none()));
        let mut each = Vec::new();
        merge_returns(returns(), true, &mut each);
        assert_eq!(each.len(), 5);
        assert!(each
            .iter()
            .all(|d| d.message.ends_with("identical rows merged")));
    }
}
