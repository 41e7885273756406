//! Digital maturity (SPEC 3, Maturity): NHS trusts by HIMSS EMRAM stage and by EPR
//! group, per group level.

use super::coverage::in_population;
use super::group::group_by_key;
use super::{key_cells, GroupBy};
use crate::model::{Provider, Return};
use crate::output::{Table, Value};
use crate::schema::{Field, Status};

/// The EMRAM stage from which a trust counts as digitally mature.
pub const MATURE_STAGE: u8 = 5;

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

/// Maturity figures of one group, or of England.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaturityRow {
    /// The group key (see [`GroupBy::key`]).
    pub key: Vec<String>,
    /// Trusts counted.
    pub trusts: u64,
    /// Trusts at EMRAM stage 0 to 7.
    pub stages: [u64; 8],
    /// Trusts with no (or no valid) EMRAM stage.
    pub stage_unknown: u64,
    /// Trusts at a stage below [`MATURE_STAGE`].
    pub below_stage_5: u64,
    /// Trusts at [`MATURE_STAGE`] or above.
    pub at_or_above_5: u64,
    /// Trusts in EPR group 0 to 3 ([`epr_group`]).
    pub groups: [u64; 4],
    /// Trusts whose EPR group is unknown.
    pub group_unknown: u64,
}

/// The maturity metric's result: one row per group in output order, and England.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maturity {
    /// What the table says it counts.
    pub title: String,
    /// Grouping level.
    pub by: GroupBy,
    /// One row per group, sorted by key.
    pub rows: Vec<MaturityRow>,
    /// England (`None` with `--by national`).
    pub total: Option<MaturityRow>,
}

/// The maturity figures over NHS trusts: one row per group, sorted by key, and the
/// national total. `returns` are the returns read: the title says how many had no
/// maturity columns at all.
pub fn maturity<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    returns: &[Return],
    by: GroupBy,
) -> Maturity {
    let mut total = Counts::default();
    let groups = group_by_key(
        providers.into_iter().filter(|p| in_population(p, None)),
        |p| by.key(p),
        |counts: &mut Counts, p| {
            counts.add(p);
            total.add(p);
        },
    );
    Maturity {
        title: maturity_title(returns),
        by,
        rows: groups
            .into_iter()
            .map(|(key, c)| MaturityRow::of(key, &c))
            .collect(),
        total: by.total_key().map(|key| MaturityRow::of(key, &total)),
    }
}

impl MaturityRow {
    fn of(key: Vec<String>, c: &Counts) -> MaturityRow {
        let mature = usize::from(MATURE_STAGE);
        MaturityRow {
            key,
            trusts: c.trusts,
            stages: c.stages,
            stage_unknown: c.stage_unknown,
            below_stage_5: c.stages[..mature].iter().sum(),
            at_or_above_5: c.stages[mature..].iter().sum(),
            groups: c.groups,
            group_unknown: c.group_unknown,
        }
    }
}

impl Maturity {
    /// The output table's metric columns, after the key's.
    pub fn columns() -> Vec<String> {
        let mut metrics: Vec<String> = vec!["trusts".into()];
        metrics.extend((0..8).map(|s| format!("stage_{s}")));
        metrics.extend(["stage_unknown", "below_stage_5", "at_or_above_5"].map(String::from));
        metrics.extend((0..4).map(|g| format!("group_{g}")));
        metrics.push("group_unknown".into());
        metrics
    }

    /// The figures as an output table.
    pub fn table(&self) -> Table {
        let metrics = Self::columns();
        let metric_names: Vec<&str> = metrics.iter().map(String::as_str).collect();
        self.by.table(
            &self.title,
            &metric_names,
            &self.rows,
            self.total.as_ref(),
            cells,
        )
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

fn cells(r: &MaturityRow) -> Vec<Value> {
    let count = |n: u64| Value::Int(n as i64);
    let mut out = key_cells(&r.key);
    out.push(count(r.trusts));
    out.extend(r.stages.iter().map(|&n| count(n)));
    out.extend([
        count(r.stage_unknown),
        count(r.below_stage_5),
        count(r.at_or_above_5),
    ]);
    out.extend(r.groups.iter().map(|&n| count(n)));
    out.push(count(r.group_unknown));
    out
}
