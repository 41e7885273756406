//! Changes between two snapshots of returns (`eprscan diff`): per provider, what
//! changed; per ICS, coverage and distinct EPRs before and after. The per-ICS table
//! is read from the coverage and convergence tables of each snapshot, never
//! recomputed.

use super::convergence::epr_identity;
use super::coverage::is_live;
use super::{key_cells, key_order, GroupBy};
use crate::model::Provider;
use crate::output::{Table, Value};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// What changed about a provider between two snapshots, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
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

/// One change to one provider.
struct Change<'a> {
    provider: &'a Provider,
    code: &'a str,
    kind: ChangeKind,
    old: Value,
    new: Value,
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
        changes.push(Change {
            provider: new,
            code,
            kind,
            old: old_value,
            new: new_value,
        })
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
/// compared by their canonical identity.
pub fn provider_changes<'a>(
    old: impl IntoIterator<Item = &'a Provider>,
    new: impl IntoIterator<Item = &'a Provider>,
    title: String,
) -> Table {
    let (old, new) = (by_code(old), by_code(new));
    let codes: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let mut changes = Vec::new();
    for code in codes {
        match (old.get(code), new.get(code)) {
            (None, Some(p)) => changes.push(Change {
                provider: p,
                code,
                kind: ChangeKind::Added,
                old: Value::Null,
                new: Value::Text(describe(p, code)),
            }),
            (Some(p), None) => changes.push(Change {
                provider: p,
                code,
                kind: ChangeKind::Removed,
                old: Value::Text(describe(p, code)),
                new: Value::Null,
            }),
            (Some(o), Some(n)) => changes.extend(compare(code, o, n)),
            (None, None) => {}
        }
    }
    let mut keyed: Vec<(Vec<String>, Change)> = changes
        .into_iter()
        .map(|c| (GroupBy::Ics.key(c.provider), c))
        .collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        key_order(ka, kb)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    let mut columns = vec!["ods_code".to_string(), "name".to_string()];
    columns.extend(GroupBy::Ics.columns(&["change", "old", "new"]));
    Table {
        title: Some(title),
        columns,
        rows: keyed
            .into_iter()
            .map(|(key, c)| {
                let mut row = vec![
                    Value::Text(c.code.to_string()),
                    text(c.provider.name.clone()),
                ];
                row.extend(key_cells(&key));
                row.extend([Value::Text(c.kind.name().to_string()), c.old, c.new]);
                row
            })
            .collect(),
        total: None,
    }
}

/// Columns of the coverage tables compared per ICS.
const COVERAGE_COLUMNS: [&str; 3] = ["trusts", "live", "coverage"];
/// Columns of the convergence tables compared per ICS.
const CONVERGENCE_COLUMNS: [&str; 1] = ["distinct_eprs"];
/// Compared columns that also get a `_change` column.
const WITH_CHANGE: [&str; 2] = ["coverage", "distinct_eprs"];

/// One row per ICS of either snapshot: trusts, live and coverage (from the coverage
/// tables) and distinct EPRs (from the convergence tables), each old, new and — for
/// coverage and distinct EPRs — the change; then the national row. The four tables
/// must be grouped by ICS. A value missing from one snapshot (an ICS that did not
/// return) is blank, and so is its change.
pub fn ics_changes(
    old_coverage: &Table,
    new_coverage: &Table,
    old_convergence: &Table,
    new_convergence: &Table,
    title: String,
) -> Table {
    let key_columns = GroupBy::Ics.key_columns();
    let key_of = |row: &[Value]| -> Vec<String> {
        row.iter()
            .take(key_columns.len())
            .map(Value::display)
            .collect()
    };
    let mut keys: Vec<Vec<String>> = [old_coverage, new_coverage, old_convergence, new_convergence]
        .iter()
        .flat_map(|t| t.rows.iter().map(|r| key_of(r)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    keys.sort_by(|a, b| key_order(a, b));
    let find = |table: &Table, key: &[String]| -> Option<Vec<Value>> {
        table.rows.iter().find(|r| key_of(r) == key).cloned()
    };

    let mut metrics: Vec<String> = Vec::new();
    for column in COVERAGE_COLUMNS.iter().chain(&CONVERGENCE_COLUMNS) {
        metrics.push(format!("{column}_old"));
        metrics.push(format!("{column}_new"));
        if WITH_CHANGE.contains(column) {
            metrics.push(format!("{column}_change"));
        }
    }
    let metric_names: Vec<&str> = metrics.iter().map(String::as_str).collect();
    let row = |key: &[String],
               old_cov: Option<Vec<Value>>,
               new_cov: Option<Vec<Value>>,
               old_conv: Option<Vec<Value>>,
               new_conv: Option<Vec<Value>>| {
        let mut out = key_cells(key);
        let pairs = COVERAGE_COLUMNS
            .iter()
            .map(|c| (c, old_coverage, &old_cov, new_coverage, &new_cov))
            .chain(
                CONVERGENCE_COLUMNS
                    .iter()
                    .map(|c| (c, old_convergence, &old_conv, new_convergence, &new_conv)),
            );
        for (column, old_table, old_row, new_table, new_row) in pairs {
            let get = |table: &Table, row: &Option<Vec<Value>>| {
                row.as_deref()
                    .and_then(|r| table.value(r, column))
                    .cloned()
                    .unwrap_or(Value::Null)
            };
            let (old, new) = (get(old_table, old_row), get(new_table, new_row));
            let change = difference(&old, &new);
            out.extend([old, new]);
            if WITH_CHANGE.contains(column) {
                out.push(change);
            }
        }
        out
    };
    let rows = keys
        .iter()
        .map(|key| {
            row(
                key,
                find(old_coverage, key),
                find(new_coverage, key),
                find(old_convergence, key),
                find(new_convergence, key),
            )
        })
        .collect();
    let total = GroupBy::Ics.total_key().map(|key| {
        row(
            &key,
            old_coverage.total.clone(),
            new_coverage.total.clone(),
            old_convergence.total.clone(),
            new_convergence.total.clone(),
        )
    });
    Table {
        title: Some(title),
        columns: GroupBy::Ics.columns(&metric_names),
        rows,
        total,
    }
}

/// new − old, in the values' own kind (a count or a share); blank unless both are
/// known.
fn difference(old: &Value, new: &Value) -> Value {
    match (old, new) {
        (Value::Int(o), Value::Int(n)) => Value::Int(n - o),
        (Value::Ratio(o), Value::Ratio(n)) => Value::Ratio(n - o),
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
    fn changes_are_kept_in_their_kind() {
        assert_eq!(
            difference(&Value::Ratio(0.5), &Value::Ratio(0.75)),
            Value::Ratio(0.25)
        );
        assert_eq!(difference(&Value::Int(4), &Value::Int(3)), Value::Int(-1));
        assert_eq!(difference(&Value::Null, &Value::Int(3)), Value::Null);
    }
}
