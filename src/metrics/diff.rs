//! Changes between two snapshots of returns (`eprscan diff`): per provider, what
//! changed; per ICS, coverage and distinct EPRs before and after. The per-ICS table
//! is read from the coverage and convergence tables of each snapshot, never
//! recomputed.

use super::convergence::{epr_identity, Convergence, ConvergenceRow};
use super::coverage::{is_live, Coverage, CoverageRow};
use super::group::{group_by_key, sorted_keys};
use super::{key_cells, key_order, GroupBy};
use crate::model::Provider;
use crate::output::{Table, Value};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// What changed about a provider between two snapshots, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// The ICS returned in the old snapshot only: one row for the ICS, not one per
    /// provider removed.
    ReturnedOnlyInOld,
    /// The ICS returned in the new snapshot only (one row for the ICS).
    ReturnedOnlyInNew,
    /// In the new snapshot only.
    Added,
    /// In the old snapshot only.
    Removed,
    /// Not live before, live now.
    WentLive,
    /// Any other change of EPR status.
    StatusChange,
    /// The EPR in use (canonical supplier and product) changed.
    SupplierChange,
    /// The convergence plan (target supplier, product or go-live) changed.
    PlanChange,
    /// The go-live date changed (a forecast slipped or was brought forward).
    GoLiveChange,
}

impl ChangeKind {
    /// The words in the `change` column.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::ReturnedOnlyInOld => "returned only in OLD",
            ChangeKind::ReturnedOnlyInNew => "returned only in NEW",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::WentLive => "went live",
            ChangeKind::StatusChange => "status change",
            ChangeKind::SupplierChange => "supplier change",
            ChangeKind::PlanChange => "plan change",
            ChangeKind::GoLiveChange => "go-live change",
        }
    }
}

/// One change to one provider (or, for an ICS that returned in one snapshot only,
/// to the ICS: no code, no name).
struct Change<'a> {
    /// The ICS key the row is listed under.
    key: Vec<String>,
    code: Option<&'a str>,
    name: Option<String>,
    kind: ChangeKind,
    old: Value,
    new: Value,
}

impl<'a> Change<'a> {
    /// A change to a provider, listed under its ICS.
    fn of(provider: &'a Provider, code: &'a str, kind: ChangeKind, old: Value, new: Value) -> Self {
        Change {
            key: GroupBy::Ics.key(provider),
            code: Some(code),
            name: provider.name.clone(),
            kind,
            old,
            new,
        }
    }
}

/// The ICSs (group keys, as `--by ics` names them) with providers in a snapshot, and
/// how many providers each has.
fn icss<'a>(providers: impl IntoIterator<Item = &'a Provider>) -> BTreeMap<Vec<String>, usize> {
    group_by_key(
        providers,
        |p| GroupBy::Ics.key(p),
        |n: &mut usize, _| *n += 1,
    )
    .into_iter()
    .collect()
}

/// The ICSs that returned in both snapshots: the ones whose figures can be compared.
pub fn icss_in_both<'a>(
    old: impl IntoIterator<Item = &'a Provider>,
    new: impl IntoIterator<Item = &'a Provider>,
) -> BTreeSet<Vec<String>> {
    let old = icss(old);
    icss(new)
        .into_keys()
        .filter(|k| old.contains_key(k))
        .collect()
}

/// Providers by ODS code (rows without a code cannot be matched and are left out;
/// see [`uncoded`]).
fn by_code<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
) -> BTreeMap<&'a str, &'a Provider> {
    providers
        .into_iter()
        .filter_map(|p| p.ods_code.as_deref().map(|code| (code, p)))
        .collect()
}

/// Provider rows without an ODS code: they cannot be matched between snapshots.
pub fn uncoded<'a>(providers: impl IntoIterator<Item = &'a Provider>) -> usize {
    providers
        .into_iter()
        .filter(|p| p.ods_code.is_none())
        .count()
}

fn text(value: Option<String>) -> Value {
    value.map_or(Value::Null, Value::Text)
}

fn date(value: Option<NaiveDate>) -> Value {
    value.map_or(Value::Null, Value::Date)
}

/// The provider's EPR status word (`status unknown` when not given).
fn status_word(p: &Provider) -> String {
    p.status.map_or("status unknown", |s| s.name()).to_string()
}

/// The EPR in use, as convergence names it (`Oracle Health Millennium`).
fn epr(p: &Provider, code: &str) -> Option<String> {
    epr_identity(p.supplier.as_deref(), p.product.as_deref(), code)
}

/// The convergence plan: `Epic by 2027-03-31`, `Epic`, `by 2027-03-31`; `None` when
/// the provider has no plan.
fn plan(p: &Provider, code: &str) -> Option<String> {
    let target = epr_identity(
        p.target_supplier.as_deref(),
        p.target_product.as_deref(),
        code,
    );
    let by = p.target_go_live.map(|d| format!("by {d}"));
    match (target, by) {
        (None, None) => None,
        (Some(target), None) => Some(target),
        (None, Some(by)) => Some(by),
        (Some(target), Some(by)) => Some(format!("{target} {by}")),
    }
}

/// A provider in one line, for added and removed rows: `live, Epic`.
fn describe(p: &Provider, code: &str) -> String {
    let mut parts = vec![status_word(p)];
    parts.extend(epr(p, code));
    parts.join(", ")
}

/// The changes between one provider's old and new rows.
fn compare<'a>(code: &'a str, old: &'a Provider, new: &'a Provider) -> Vec<Change<'a>> {
    let mut changes = Vec::new();
    let mut change = |kind, old_value, new_value| {
        changes.push(Change::of(new, code, kind, old_value, new_value))
    };
    let went_live = is_live(new, None) && !is_live(old, None);
    if went_live {
        change(
            ChangeKind::WentLive,
            Value::Text(status_word(old)),
            Value::Text(status_word(new)),
        );
    } else if old.status != new.status {
        change(
            ChangeKind::StatusChange,
            Value::Text(status_word(old)),
            Value::Text(status_word(new)),
        );
    }
    let (old_epr, new_epr) = (epr(old, code), epr(new, code));
    if old_epr != new_epr {
        change(ChangeKind::SupplierChange, text(old_epr), text(new_epr));
    }
    let (old_plan, new_plan) = (plan(old, code), plan(new, code));
    if old_plan != new_plan {
        change(ChangeKind::PlanChange, text(old_plan), text(new_plan));
    }
    if old.go_live != new.go_live {
        change(
            ChangeKind::GoLiveChange,
            date(old.go_live),
            date(new.go_live),
        );
    }
    changes
}

/// One row per change to a provider, matched by ODS code: ods_code, name, ics_code,
/// ics_name, change, old, new. Sorted by ICS, then ODS code, then kind of change. A
/// supplier spelt another way (`Cerner` for `Oracle Health`) is no change: EPRs are
/// compared by their canonical identity. An ICS that returned in one snapshot only
/// is one row (`returned only in OLD` / `NEW`, with its number of providers), not
/// each of its providers added or removed: a return that is missing is not a change.
pub fn provider_changes<'a>(
    old: impl IntoIterator<Item = &'a Provider> + Copy,
    new: impl IntoIterator<Item = &'a Provider> + Copy,
    title: String,
) -> Table {
    let (old_icss, new_icss) = (icss(old), icss(new));
    let mut changes = Vec::new();
    for (icss, others, kind) in [
        (&old_icss, &new_icss, ChangeKind::ReturnedOnlyInOld),
        (&new_icss, &old_icss, ChangeKind::ReturnedOnlyInNew),
    ] {
        for (key, &count) in icss.iter().filter(|(k, _)| !others.contains_key(*k)) {
            let side = Value::Text(crate::diag::plural(count, "provider"));
            let (old_value, new_value) = match kind {
                ChangeKind::ReturnedOnlyInOld => (side, Value::Null),
                _ => (Value::Null, side),
            };
            changes.push(Change {
                key: key.clone(),
                code: None,
                name: None,
                kind,
                old: old_value,
                new: new_value,
            });
        }
    }
    // A provider of an ICS that returned once is in that ICS's one row.
    let compared = |p: &&Provider| {
        let key = GroupBy::Ics.key(p);
        old_icss.contains_key(&key) && new_icss.contains_key(&key)
    };
    let (old, new) = (
        by_code(old.into_iter().filter(compared)),
        by_code(new.into_iter().filter(compared)),
    );
    let codes: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    for code in codes {
        match (old.get(code), new.get(code)) {
            (None, Some(p)) => changes.push(Change::of(
                p,
                code,
                ChangeKind::Added,
                Value::Null,
                Value::Text(describe(p, code)),
            )),
            (Some(p), None) => changes.push(Change::of(
                p,
                code,
                ChangeKind::Removed,
                Value::Text(describe(p, code)),
                Value::Null,
            )),
            (Some(o), Some(n)) => changes.extend(compare(code, o, n)),
            (None, None) => {}
        }
    }
    changes.sort_by(|a, b| {
        key_order(&a.key, &b.key)
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    let mut columns = vec!["ods_code".to_string(), "name".to_string()];
    columns.extend(GroupBy::Ics.columns(&["change", "old", "new"]));
    Table {
        title: Some(title),
        columns,
        rows: changes
            .into_iter()
            .map(|c| {
                let mut row = vec![text(c.code.map(str::to_string)), text(c.name)];
                row.extend(key_cells(&c.key));
                row.extend([Value::Text(c.kind.name().to_string()), c.old, c.new]);
                row
            })
            .collect(),
        total: None,
    }
}

/// The figures compared per ICS, in output order, each with its change column if it
/// has one (a share changes by percentage points, and its column says so); their
/// values are [`compared`]'s.
const COMPARED: [(&str, Option<&str>); 4] = [
    ("trusts", None),
    ("live", None),
    ("coverage", Some("coverage_change_pp")),
    ("distinct_eprs", Some("distinct_eprs_change")),
];

/// One snapshot's figures of a group, in [`COMPARED`] order: read by field from its
/// coverage and convergence rows (missing where the group has none).
fn compared(coverage: Option<&CoverageRow>, convergence: Option<&ConvergenceRow>) -> [Value; 4] {
    let count = |n: Option<u64>| n.map_or(Value::Null, |n| Value::Int(n as i64));
    [
        count(coverage.map(|r| r.trusts)),
        count(coverage.map(|r| r.live)),
        coverage
            .and_then(|r| r.coverage)
            .map_or(Value::Null, Value::Ratio),
        count(convergence.map(|r| r.distinct_eprs)),
    ]
}

/// The coverage and convergence results of the two snapshots, grouped by ICS.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotResults<'a> {
    /// `eprscan coverage` of the old snapshot.
    pub old_coverage: &'a Coverage,
    /// `eprscan coverage` of the new snapshot.
    pub new_coverage: &'a Coverage,
    /// `eprscan convergence` of the old snapshot.
    pub old_convergence: &'a Convergence,
    /// `eprscan convergence` of the new snapshot.
    pub new_convergence: &'a Convergence,
}

/// One row per ICS of either snapshot: trusts, live and coverage (from the coverage
/// results) and distinct EPRs (from the convergence results), each old, new and — for
/// coverage (in percentage points) and distinct EPRs — the change; then the England
/// row, read from `in_both`: the same results computed on the `icss_in_both` ICSs that
/// returned in both snapshots, so that an ICS returning for the first time does not
/// count as change. The results must be grouped by ICS. A value missing from one
/// snapshot (an ICS that did not return) is blank, and so is its change. With
/// `changed_only`, rows whose every value is the same old and new are left out (the
/// England row stays).
pub fn ics_changes(
    all: &SnapshotResults<'_>,
    in_both: &SnapshotResults<'_>,
    icss_in_both: usize,
    changed_only: bool,
    title: String,
) -> Table {
    let keys = sorted_keys(
        all.old_coverage
            .rows
            .iter()
            .map(|r| &r.key)
            .chain(all.new_coverage.rows.iter().map(|r| &r.key))
            .chain(all.old_convergence.rows.iter().map(|r| &r.key))
            .chain(all.new_convergence.rows.iter().map(|r| &r.key)),
    );
    fn coverage_row<'r>(result: &'r Coverage, key: &[String]) -> Option<&'r CoverageRow> {
        result.rows.iter().find(|r| r.key == key)
    }
    fn convergence_row<'r>(result: &'r Convergence, key: &[String]) -> Option<&'r ConvergenceRow> {
        result.rows.iter().find(|r| r.key == key)
    }

    let mut metrics: Vec<String> = Vec::new();
    for (figure, change) in COMPARED {
        metrics.push(format!("{figure}_old"));
        metrics.push(format!("{figure}_new"));
        metrics.extend(change.map(str::to_string));
    }
    let metric_names: Vec<&str> = metrics.iter().map(String::as_str).collect();
    // A row's cells, and whether any value differs between old and new.
    let row = |key: &[String], old: [Value; 4], new: [Value; 4]| {
        let mut out = key_cells(key);
        let mut changed = false;
        for ((old, new), (_, change)) in old.into_iter().zip(new).zip(COMPARED) {
            changed |= old != new;
            let difference = difference(&old, &new);
            out.extend([old, new]);
            if change.is_some() {
                out.push(difference);
            }
        }
        (out, changed)
    };
    let rows = keys
        .iter()
        .map(|key| {
            row(
                key,
                compared(
                    coverage_row(all.old_coverage, key),
                    convergence_row(all.old_convergence, key),
                ),
                compared(
                    coverage_row(all.new_coverage, key),
                    convergence_row(all.new_convergence, key),
                ),
            )
        })
        .filter(|(_, changed)| !changed_only || *changed)
        .map(|(cells, _)| cells)
        .collect();
    // The England row says it compares only the ICSs in both.
    let total = GroupBy::Ics.total_key().map(|mut key| {
        if let Some(last) = key.last_mut() {
            *last = format!(
                "{last} ({} in both)",
                crate::diag::plural(icss_in_both, "ICS")
            );
        }
        row(
            &key,
            compared(
                in_both.old_coverage.total.as_ref(),
                in_both.old_convergence.total.as_ref(),
            ),
            compared(
                in_both.new_coverage.total.as_ref(),
                in_both.new_convergence.total.as_ref(),
            ),
        )
        .0
    });
    Table {
        title: Some(title),
        columns: GroupBy::Ics.columns(&metric_names),
        rows,
        total,
    }
}

/// new − old: a count in its kind, a share in percentage points; blank unless both
/// are known.
fn difference(old: &Value, new: &Value) -> Value {
    match (old, new) {
        (Value::Int(o), Value::Int(n)) => Value::Int(n - o),
        (Value::Ratio(o), Value::Ratio(n)) => Value::Points((n - o) * 100.0),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Status;

    fn provider(code: &str, status: Status, supplier: &str) -> Provider {
        crate::model::test_provider(code, status, supplier)
    }

    #[test]
    fn going_live_on_a_new_supplier_is_two_changes() {
        let old = [provider("RGP", Status::Implementing, "System C")];
        let new = [provider("RGP", Status::Live, "Epic")];
        let table = provider_changes(&old, &new, String::new());
        let kinds: Vec<&Value> = table.rows.iter().map(|r| &r[4]).collect();
        assert_eq!(
            kinds,
            [
                &Value::Text("went live".into()),
                &Value::Text("supplier change".into())
            ]
        );
        assert_eq!(table.rows[1][5], Value::Text("System C".into()));
        assert_eq!(table.rows[1][6], Value::Text("Epic".into()));
    }

    #[test]
    fn no_change_no_row() {
        let old = [provider("RAJ", Status::Live, "Epic")];
        assert!(provider_changes(&old, &old, String::new()).rows.is_empty());
    }

    #[test]
    fn counts_change_in_their_kind_and_shares_in_points() {
        assert_eq!(
            difference(&Value::Ratio(0.5), &Value::Ratio(0.75)),
            Value::Points(25.0)
        );
        assert_eq!(difference(&Value::Int(4), &Value::Int(3)), Value::Int(-1));
        assert_eq!(difference(&Value::Null, &Value::Int(3)), Value::Null);
    }
}
