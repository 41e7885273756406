//! Digital maturity (SPEC 3, Maturity): NHS trusts by HIMSS EMRAM stage and by EPR
//! group, per group level.

use super::coverage::in_population;
use super::{key_cells, key_order, GroupBy};
use crate::model::{Provider, Return};
use crate::output::{Table, Value};
use crate::schema::{Field, Status};
use std::collections::HashMap;

/// The EMRAM stage from which a trust counts as digitally mature.
const MATURE_STAGE: u8 = 5;

/// Counts for one group: trusts, then per EMRAM stage 0–7 and unknown, then per EPR
/// group 0–3 and unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    trusts: u64,
    stages: [u64; 8],
    stage_unknown: u64,
    groups: [u64; 4],
    group_unknown: u64,
}

impl Counts {
    fn add(&mut self, p: &Provider) {
        self.trusts += 1;
        match p
            .emram_stage
            .and_then(|s| self.stages.get_mut(usize::from(s)))
        {
            Some(count) => *count += 1,
            None => self.stage_unknown += 1,
        }
        match epr_group(p).and_then(|g| self.groups.get_mut(usize::from(g))) {
            Some(count) => *count += 1,
            None => self.group_unknown += 1,
        }
    }
}

/// A trust's EPR group: as returned, else group 0 ("no live EPR") when its status
/// says it has none live yet; unknown when the status is live or unknown.
pub fn epr_group(p: &Provider) -> Option<u8> {
    p.epr_group.or(match p.status {
        Some(Status::None | Status::Planning | Status::Procuring | Status::Implementing) => Some(0),
        Some(Status::Live) | None => None,
    })
}

/// Returns whose providers table was read but has neither an EMRAM stage nor an EPR
/// group column: their trusts' maturity is unknown because the columns are absent,
/// not because cells were left blank.
pub fn without_maturity_columns(returns: &[Return]) -> Vec<&Return> {
    returns
        .iter()
        .filter(|r| r.providers_sheet.is_some())
        .filter(|r| {
            ![Field::EmramStage, Field::EprGroup]
                .iter()
                .any(|f| r.provider_fields.contains(f))
        })
        .collect()
}

/// The maturity table over NHS trusts: one row per group, sorted by key, and the
/// national total. `returns` are the returns read: the title says how many had no
/// maturity columns at all.
pub fn maturity<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    returns: &[Return],
    by: GroupBy,
) -> Table {
    let mut groups: HashMap<Vec<String>, Counts> = HashMap::new();
    let mut total = Counts::default();
    for p in providers.into_iter().filter(|p| in_population(p, None)) {
        groups.entry(by.key(p)).or_default().add(p);
        total.add(p);
    }
    let mut groups: Vec<(Vec<String>, Counts)> = groups.into_iter().collect();
    groups.sort_by(|a, b| key_order(&a.0, &b.0));

    let mut metrics: Vec<String> = vec!["trusts".into()];
    metrics.extend((0..8).map(|s| format!("stage_{s}")));
    metrics.extend(["stage_unknown", "below_stage_5", "at_or_above_5"].map(String::from));
    metrics.extend((0..4).map(|g| format!("group_{g}")));
    metrics.push("group_unknown".into());
    let metric_names: Vec<&str> = metrics.iter().map(String::as_str).collect();
    Table {
        title: Some(maturity_title(returns)),
        columns: by.columns(&metric_names),
        rows: groups.iter().map(|(key, c)| row(key, c)).collect(),
        total: by.total_key().map(|key| row(&key, &total)),
    }
}

fn maturity_title(returns: &[Return]) -> String {
    let mut title = format!(
        "Digital maturity of {}, {}: HIMSS EMRAM stage and EPR group (group 0 = no live EPR)",
        super::titles::NHS_TRUSTS,
        super::titles::AS_RETURNED
    );
    let absent = without_maturity_columns(returns).len();
    let read = returns
        .iter()
        .filter(|r| r.providers_sheet.is_some())
        .count();
    if absent > 0 {
        title.push_str(&format!(
            "; {absent} of {read} returns have no EMRAM stage or EPR group column: their trusts' stage and group are unknown because the columns are absent"
        ));
    }
    title
}

fn row(key: &[String], c: &Counts) -> Vec<Value> {
    let count = |n: u64| Value::Int(n as i64);
    let mature = usize::from(MATURE_STAGE);
    let mut out = key_cells(key);
    out.push(count(c.trusts));
    out.extend(c.stages.iter().map(|&n| count(n)));
    out.extend([
        count(c.stage_unknown),
        count(c.stages[..mature].iter().sum()),
        count(c.stages[mature..].iter().sum()),
    ]);
    out.extend(c.groups.iter().map(|&n| count(n)));
    out.push(count(c.group_unknown));
    out
}
