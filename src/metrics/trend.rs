//! Trend across snapshots: the coverage, convergence and funding figures of each
//! snapshot, per group, side by side. Each snapshot's figures come from the same
//! metric functions as the single-snapshot commands; this module only lines them up.

use super::convergence::{convergence, ConvergenceOptions, ConvergenceRow};
use super::coverage::{coverage, CoverageOptions, CoverageRow};
use super::funding::{funding, sent_no_funding, FundingOptions, FundingRow};
use super::group::sorted_keys;
use super::{titles, GroupBy};
use crate::model::Dataset;
use crate::money::Money;
use crate::output::{Table, Value};
use anyhow::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The figures of a trend, as output columns, in the order of
/// [`TrendFigures::values`].
pub const METRICS: [&str; 8] = [
    "trusts",
    "live",
    "implementing",
    "coverage",
    "met",
    "distinct_eprs",
    "distinct_eprs_planned",
    "funding_gap",
];

/// One group's figures in one snapshot, read by field from the coverage,
/// convergence and funding results (`None`: the group has no row in that metric).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrendFigures {
    /// Coverage: trusts.
    pub trusts: Option<u64>,
    /// Coverage: trusts live.
    pub live: Option<u64>,
    /// Coverage: trusts implementing.
    pub implementing: Option<u64>,
    /// Coverage: live over trusts.
    pub coverage: Option<f64>,
    /// Coverage: target met.
    pub met: Option<bool>,
    /// Convergence: distinct EPRs in use.
    pub distinct_eprs: Option<u64>,
    /// Convergence: distinct EPRs planned.
    pub distinct_eprs_planned: Option<u64>,
    /// Funding: the gap.
    pub funding_gap: Option<Money>,
}

impl TrendFigures {
    fn add_coverage(&mut self, r: &CoverageRow) {
        self.trusts = Some(r.trusts);
        self.live = Some(r.live);
        self.implementing = Some(r.implementing);
        self.coverage = r.coverage;
        self.met = r.met;
    }

    fn add_convergence(&mut self, r: &ConvergenceRow) {
        self.distinct_eprs = Some(r.distinct_eprs);
        self.distinct_eprs_planned = Some(r.distinct_eprs_planned);
    }

    fn add_funding(&mut self, r: &FundingRow) {
        self.funding_gap = r.gap;
    }

    /// The figures as output values, in [`METRICS`] order.
    pub fn values(&self) -> [Value; 8] {
        let count = |n: Option<u64>| n.map_or(Value::Null, |n| Value::Int(n as i64));
        [
            count(self.trusts),
            count(self.live),
            count(self.implementing),
            self.coverage.map_or(Value::Null, Value::Ratio),
            self.met.map_or(Value::Null, Value::Bool),
            count(self.distinct_eprs),
            count(self.distinct_eprs_planned),
            self.funding_gap.map_or(Value::Null, Value::Money),
        ]
    }
}

/// One snapshot's figures, per group.
#[derive(Debug, Clone)]
pub struct SnapshotFigures {
    /// The snapshot's label (`2026-11`) and the date its figures describe.
    pub label: String,
    /// The date the snapshot describes.
    pub date: NaiveDate,
    /// Figures per group key.
    pub groups: BTreeMap<Vec<String>, TrendFigures>,
    /// The national figures (`None` with `--by national`, whose one row is England).
    pub total: Option<TrendFigures>,
}

/// The options of the three metrics a trend reads.
#[derive(Debug, Clone)]
pub struct TrendOptions {
    /// Coverage (its `by` is the grouping of every table).
    pub coverage: CoverageOptions,
}

/// One snapshot's figures, from the single-snapshot metric functions. Convergence
/// describes the snapshot's date (EPRs in use then).
pub fn snapshot_figures(
    label: &str,
    date: NaiveDate,
    dataset: &Dataset,
    options: &TrendOptions,
) -> Result<SnapshotFigures> {
    let by = options.coverage.by;
    let coverage = coverage(&dataset.providers, &options.coverage);
    let convergence = convergence(
        &dataset.providers,
        &dataset.systems,
        &ConvergenceOptions {
            by,
            all_systems: false,
            list: false,
            population: None,
            as_of: date,
            live_at_date: false,
        },
    );
    let no_funding = sent_no_funding(&dataset.returns, &dataset.providers, &dataset.funding);
    let funding = funding(
        &dataset.providers,
        &dataset.funding,
        &no_funding,
        &FundingOptions {
            by,
            match_rate: None,
        },
    );
    let mut groups: BTreeMap<Vec<String>, TrendFigures> = BTreeMap::new();
    for r in &coverage.rows {
        groups.entry(r.key.clone()).or_default().add_coverage(r);
    }
    for r in &convergence.rows {
        groups.entry(r.key.clone()).or_default().add_convergence(r);
    }
    for r in &funding.rows {
        groups.entry(r.key.clone()).or_default().add_funding(r);
    }
    let total = by.total_key().map(|_| {
        let mut figures = TrendFigures::default();
        if let Some(r) = &coverage.total {
            figures.add_coverage(r);
        }
        if let Some(r) = &convergence.total {
            figures.add_convergence(r);
        }
        if let Some(r) = &funding.total {
            figures.add_funding(r);
        }
        figures
    });
    Ok(SnapshotFigures {
        label: label.to_string(),
        date,
        groups,
        total,
    })
}

/// Every group key of any snapshot, in output order.
fn all_keys(snapshots: &[SnapshotFigures]) -> Vec<Vec<String>> {
    sorted_keys(snapshots.iter().flat_map(|s| s.groups.keys()))
}

/// The long table: one row per snapshot and group (a group absent from a snapshot,
/// such as an ICS that sent no return, has `in_snapshot` false and every figure
/// missing, never 0); with `total`, each snapshot's England row after its groups.
pub fn long_table(snapshots: &[SnapshotFigures], by: GroupBy, total: bool) -> Table {
    let mut columns = vec!["snapshot".to_string(), "date".to_string()];
    columns.extend(by.key_columns().iter().map(|c| c.to_string()));
    columns.push("in_snapshot".to_string());
    columns.extend(METRICS.iter().map(|m| m.to_string()));
    let keys = all_keys(snapshots);
    let mut rows = Vec::new();
    for snapshot in snapshots {
        let mut add = |key: &[String], values: Option<&TrendFigures>| {
            let mut row = vec![
                Value::Text(snapshot.label.clone()),
                Value::Date(snapshot.date),
            ];
            row.extend(super::key_cells(key));
            row.push(Value::Bool(values.is_some()));
            match values {
                Some(values) => row.extend(values.values()),
                None => row.extend(std::iter::repeat_n(Value::Null, METRICS.len())),
            }
            rows.push(row);
        };
        for key in &keys {
            add(key, snapshot.groups.get(key));
        }
        if let (true, Some(key), Some(values)) = (total, by.total_key(), &snapshot.total) {
            add(&key, Some(values));
        }
    }
    Table {
        title: Some(title(snapshots)),
        columns,
        rows,
        total: None,
    }
}

/// The wide table: one row per group, one column per snapshot with the figure in
/// column `metric` of [`METRICS`], and the change from the first snapshot with a
/// figure to the last (missing where the group is in fewer than two).
pub fn wide_table(snapshots: &[SnapshotFigures], by: GroupBy, metric: usize) -> Table {
    let mut columns: Vec<String> = by.key_columns().iter().map(|c| c.to_string()).collect();
    columns.extend(snapshots.iter().map(|s| s.label.clone()));
    columns.push("change".to_string());
    let row = |key: &[String], values: Vec<Option<Value>>| {
        let mut row = super::key_cells(key);
        row.extend(values.iter().map(|v| v.clone().unwrap_or(Value::Null)));
        let present: Vec<&Value> = values
            .iter()
            .flatten()
            .filter(|v| **v != Value::Null)
            .collect();
        row.push(match (present.first(), present.last()) {
            (Some(first), Some(last)) if present.len() > 1 => change(first, last),
            _ => Value::Null,
        });
        row
    };
    let rows = all_keys(snapshots)
        .iter()
        .map(|key| {
            row(
                key,
                snapshots
                    .iter()
                    .map(|s| s.groups.get(key).map(|v| v.values()[metric].clone()))
                    .collect(),
            )
        })
        .collect();
    let total = by.total_key().map(|key| {
        row(
            &key,
            snapshots
                .iter()
                .map(|s| s.total.as_ref().map(|v| v.values()[metric].clone()))
                .collect(),
        )
    });
    Table {
        title: Some(format!("{}: {}", title(snapshots), METRICS[metric])),
        columns,
        rows,
        total,
    }
}

/// The change from `first` to `last`: points for a share, a difference for counts
/// and money, nothing for yes/no.
fn change(first: &Value, last: &Value) -> Value {
    match (first, last) {
        (Value::Ratio(a), Value::Ratio(b)) => Value::Points((b - a) * 100.0),
        (Value::Int(a), Value::Int(b)) => Value::Int(b - a),
        (Value::Money(a), Value::Money(b)) => Value::Money(*b - *a),
        _ => Value::Null,
    }
}

fn title(snapshots: &[SnapshotFigures]) -> String {
    let labels: Vec<&str> = snapshots.iter().map(|s| s.label.as_str()).collect();
    format!(
        "Trend over {} snapshots ({}): coverage of {} {}, distinct EPRs of {} and funding gap of {} {}; – = not in that snapshot",
        snapshots.len(),
        labels.join(", "),
        titles::NHS_TRUSTS,
        titles::live_basis(None),
        titles::ALL_PROVIDERS,
        titles::FUNDING_LINES,
        titles::AS_RETURNED
    )
}

/// The ICSs a snapshot's cover sheets name: (ICB code, name).
pub fn cover_icss(dataset: &Dataset) -> Vec<(String, String)> {
    dataset
        .returns
        .iter()
        .filter_map(|r| Some((r.ics_code.clone()?, r.ics_name.clone()?)))
        .collect()
}

/// ICB codes that change between snapshots: an ICS name returned under different
/// codes, or a code under different names, with the snapshots each was seen in
/// (from [`cover_icss`] of each).
pub fn code_changes(snapshots: &[(String, Vec<(String, String)>)]) -> Vec<String> {
    let mut by_name: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut by_code: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (label, icss) in snapshots {
        for (code, name) in icss {
            {
                let seen = by_name
                    .entry(name.clone())
                    .or_default()
                    .entry(code.clone())
                    .or_default();
                if !seen.contains(label) {
                    seen.push(label.clone());
                }
                let seen = by_code
                    .entry(code.clone())
                    .or_default()
                    .entry(name.clone())
                    .or_default();
                if !seen.contains(label) {
                    seen.push(label.clone());
                }
            }
        }
    }
    let describe = |what: &BTreeMap<String, Vec<String>>| {
        what.iter()
            .map(|(v, labels)| format!("{v} in {}", labels.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = Vec::new();
    for (name, codes) in &by_name {
        if codes.len() > 1 {
            out.push(format!(
                "ICB code of {name} changes between snapshots ({}): its rows are not joined across them",
                describe(codes)
            ));
        }
    }
    for (code, names) in &by_code {
        if names.len() > 1 {
            out.push(format!(
                "ICS name of {code} changes between snapshots ({}): its rows are not joined across them",
                describe(names)
            ));
        }
    }
    out
}
