//! Several returns naming the same provider (SPEC 1.7): identical rows are merged
//! with a note; conflicting rows are a warning naming both sources, and the row from
//! the most recently submitted return wins (cover-sheet date, else file mtime).

use crate::diag::{Diagnostic, Severity};
use crate::model::Provider;
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// A provider row with the recency of the return it came from.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The row.
    pub provider: Provider,
    /// When its return was submitted (cover date at midnight, else file mtime).
    pub when: Option<NaiveDateTime>,
}

/// One row per ODS code; rows without a code are kept as they are. Output keeps the
/// order in which codes first appear.
pub fn merge_returns(rows: Vec<Submitted>, diags: &mut Vec<Diagnostic>) -> Vec<Provider> {
    let mut groups: Vec<Vec<(usize, Submitted)>> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for (order, row) in rows.into_iter().enumerate() {
        match row.provider.ods_code.clone() {
            Some(code) => match by_code.get(&code) {
                Some(&g) => groups[g].push((order, row)),
                None => {
                    by_code.insert(code, groups.len());
                    groups.push(vec![(order, row)]);
                }
            },
            None => groups.push(vec![(order, row)]),
        }
    }
    groups
        .into_iter()
        .filter_map(|group| resolve(group, diags))
        .collect()
}

fn resolve(mut group: Vec<(usize, Submitted)>, diags: &mut Vec<Diagnostic>) -> Option<Provider> {
    // Latest submission last; discovery order breaks ties.
    group.sort_by(|(ao, a), (bo, b)| a.when.cmp(&b.when).then(ao.cmp(bo)));
    let (_, winner) = group.pop()?;
    let winner = winner.provider;
    // "returns/b.xlsx, Providers!A3": the other row as a cell the analyst can open.
    let place = |p: &Provider| {
        let loc = p.origin.location();
        match loc.place() {
            Some(place) => format!("{}, {place}", loc.file),
            None => loc.file,
        }
    };
    for (_, other) in &group {
        let other = &other.provider;
        let code = winner.ods_code.as_deref().unwrap_or_default();
        let differing = winner.differing_fields(other);
        if differing.is_empty() {
            diags.push(Diagnostic::at(
                Severity::Note,
                &winner.origin.location(),
                format!("{code} is also in {}: identical rows merged", place(other)),
            ));
        } else {
            diags.push(Diagnostic::at(
                Severity::Warning,
                &winner.origin.location(),
                format!(
                    "{code} is also in {} with a different {}: using this row, the most recently submitted",
                    place(other),
                    differing.join(", ")
                ),
            ));
        }
    }
    Some(winner)
}
