//! Coverage against the EPR target (SPEC 3, Coverage): how many NHS trusts have an
//! EPR live, per group, against the 90% target, in exact integer arithmetic.

use super::group::group_by_key;
use super::{key_cells, titles, GroupBy, Share, NO_EPR};
use crate::model::Provider;
use crate::output::{Table, Value};
use crate::schema::{Sector, Status};
use chrono::NaiveDate;

/// The national target: 90% of trusts live.
pub const DEFAULT_TARGET: Share = Share::new(9, 10);

/// The national deadline: 90% of trusts live by 31 December 2023.
pub const DEFAULT_DEADLINE: NaiveDate = match NaiveDate::from_ymd_opt(2023, 12, 31) {
    Some(date) => date,
    None => panic!("31 December 2023 is a date"),
};

/// What the coverage metric is asked.
#[derive(Debug, Clone)]
pub struct CoverageOptions {
    /// Count as live only trusts whose go-live is blank or on or before this date.
    pub as_of: Option<NaiveDate>,
    /// Share share.
    pub target: Share,
    /// The date the target is judged against (reported with the table).
    pub deadline: NaiveDate,
    /// Population sectors; `None` means NHS trusts (SPEC 1.5).
    pub sectors: Option<Vec<Sector>>,
    /// Grouping level.
    pub by: GroupBy,
}

/// The population: NHS trusts (or the sectors asked for), one per ODS code.
pub fn in_population(p: &Provider, sectors: Option<&[Sector]>) -> bool {
    match sectors {
        None => p.is_nhs_trust(),
        Some(list) => p.sector.is_some_and(|s| list.contains(&s)),
    }
}

/// Whether a provider counts as live: status live and, with `as_of`, the date it went
/// live ([`Provider::went_live`]: a `2.x` ladder row's go-live is the next EPR's, so it
/// is live at any date) is blank or not after it.
pub fn is_live(p: &Provider, as_of: Option<NaiveDate>) -> bool {
    p.status == Some(Status::Live)
        && match (as_of, p.went_live()) {
            (Some(as_of), Some(go_live)) => go_live <= as_of,
            _ => true,
        }
}

/// Coverage figures of one group, or of England: the typed result every output,
/// view and report reads by field.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    /// The group key (see [`GroupBy::key`]).
    pub key: Vec<String>,
    /// Trusts in the population.
    pub trusts: u64,
    /// Trusts live ([`is_live`]).
    pub live: u64,
    /// Trusts implementing.
    pub implementing: u64,
    /// Trusts neither live nor implementing.
    pub not_started: u64,
    /// Live over trusts; `None` for a group with no trusts.
    pub coverage: Option<f64>,
    /// Whether the target is met; `None` when there is nothing to judge (no trusts,
    /// or the `--by supplier` group of trusts with no EPR).
    pub met: Option<bool>,
    /// Live trusts still needed to meet the target; `None` as for `met`.
    pub shortfall: Option<u64>,
    /// Whether every trust not live is implementing; `None` for no trusts.
    pub rest_implementing: Option<bool>,
}

/// The coverage metric's result: one row per group in output order, and England.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// What the table says it counts.
    pub title: String,
    /// Grouping level.
    pub by: GroupBy,
    /// The target judged against.
    pub target: Share,
    /// One row per group, sorted by key.
    pub rows: Vec<CoverageRow>,
    /// England (`None` with `--by national`, whose one row is England).
    pub total: Option<CoverageRow>,
}

/// Counts for one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct GroupCounts {
    trusts: u64,
    live: u64,
    implementing: u64,
}

impl GroupCounts {
    fn add(&mut self, p: &Provider, as_of: Option<NaiveDate>) {
        self.trusts += 1;
        self.live += u64::from(is_live(p, as_of));
        self.implementing += u64::from(p.status == Some(Status::Implementing));
    }
}

/// The coverage figures: one row per group, sorted by key, and the national total.
pub fn coverage<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    options: &CoverageOptions,
) -> Coverage {
    let population = providers
        .into_iter()
        .filter(|p| in_population(p, options.sectors.as_deref()));
    let mut total = GroupCounts::default();
    let groups = group_by_key(
        population,
        |p| options.by.key(p),
        |counts: &mut GroupCounts, p| {
            counts.add(p, options.as_of);
            total.add(p, options.as_of);
        },
    );
    let rows = groups
        .into_iter()
        .map(|(key, counts)| {
            // The trusts with no EPR are what the target is short of, not a group
            // with a target of its own.
            let judged = !(options.by == GroupBy::Supplier && key.as_slice() == [NO_EPR]);
            figures(key, counts, options.target, judged)
        })
        .collect();
    let title = format!(
        "EPR coverage of {} against the {} target (deadline {}), {}",
        match &options.sectors {
            None => titles::NHS_TRUSTS.to_string(),
            Some(list) => list.iter().map(|s| s.name()).collect::<Vec<_>>().join(", "),
        },
        options.target,
        titles::date(options.deadline),
        titles::live_basis(options.as_of)
    );
    Coverage {
        title,
        by: options.by,
        target: options.target,
        rows,
        total: options
            .by
            .total_key()
            .map(|key| figures(key, total, options.target, true)),
    }
}

/// One group's figures. `met`, `shortfall` and `rest_implementing` are empty where
/// there is nothing to judge: a group with no trusts (an empty return), and, when
/// `judged` is false, met and shortfall of a group the target does not apply to.
fn figures(key: Vec<String>, c: GroupCounts, target: Share, judged: bool) -> CoverageRow {
    let any = c.trusts > 0;
    CoverageRow {
        key,
        trusts: c.trusts,
        live: c.live,
        implementing: c.implementing,
        not_started: c.trusts - c.live - c.implementing,
        coverage: any.then(|| c.live as f64 / c.trusts as f64),
        met: (any && judged).then(|| target.met(c.live, c.trusts)),
        shortfall: (any && judged).then(|| target.needed(c.trusts).saturating_sub(c.live)),
        rest_implementing: any.then_some(c.implementing == c.trusts - c.live),
    }
}

impl Coverage {
    /// The output table's metric columns, after the key's.
    pub const COLUMNS: [&'static str; 9] = [
        "trusts",
        "live",
        "implementing",
        "not_started",
        "coverage",
        "target",
        "met",
        "shortfall",
        "rest_implementing",
    ];

    /// The figures as an output table (every format, the `coverage` view, the pack).
    pub fn table(&self) -> Table {
        self.by.table(
            &self.title,
            &Self::COLUMNS,
            &self.rows,
            self.total.as_ref(),
            |r| self.cells(r),
        )
    }

    /// One row's cells, in [`Coverage::COLUMNS`] order after the key.
    pub fn cells(&self, r: &CoverageRow) -> Vec<Value> {
        let mut out = key_cells(&r.key);
        out.extend([
            Value::Int(r.trusts as i64),
            Value::Int(r.live as i64),
            Value::Int(r.implementing as i64),
            Value::Int(r.not_started as i64),
            r.coverage.map_or(Value::Null, Value::Ratio),
            Value::Ratio(self.target.as_f64()),
            r.met.map_or(Value::Null, Value::Bool),
            r.shortfall.map_or(Value::Null, |n| Value::Int(n as i64)),
            r.rest_implementing.map_or(Value::Null, Value::Bool),
        ]);
        out
    }
}
