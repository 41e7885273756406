//! Coverage against the EPR target (SPEC 3, Coverage): how many NHS trusts have an
//! EPR live, per group, against the 90% target, in exact integer arithmetic.

use super::{key_cells, key_order, titles, GroupBy, Share, NO_EPR};
use crate::model::Provider;
use crate::output::{Table, Value};
use crate::schema::{Sector, Status};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use polars::prelude::{
    col, len, Column, DataFrame, DataType, Expr, IntoLazy, PolarsResult, StringChunked,
};

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

/// Counts for one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct GroupCounts {
    trusts: u64,
    live: u64,
    implementing: u64,
}

/// The coverage table: one row per group, sorted by key, and the national total.
pub fn coverage<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    options: &CoverageOptions,
) -> Result<Table> {
    let population: Vec<&Provider> = providers
        .into_iter()
        .filter(|p| in_population(p, options.sectors.as_deref()))
        .collect();
    let key_columns = options.by.key_columns();
    let keys: Vec<Vec<String>> = population.iter().map(|p| options.by.key(p)).collect();
    let live: Vec<u32> = population
        .iter()
        .map(|p| u32::from(is_live(p, options.as_of)))
        .collect();
    let implementing: Vec<u32> = population
        .iter()
        .map(|p| u32::from(p.status == Some(Status::Implementing)))
        .collect();

    let mut groups =
        aggregate(key_columns, &keys, &live, &implementing).context("aggregating coverage")?;
    groups.sort_by(|a, b| key_order(&a.0, &b.0));

    let total = GroupCounts {
        trusts: population.len() as u64,
        live: live.iter().map(|&v| u64::from(v)).sum(),
        implementing: implementing.iter().map(|&v| u64::from(v)).sum(),
    };
    let columns = options.by.columns(&[
        "trusts",
        "live",
        "implementing",
        "not_started",
        "coverage",
        "target",
        "met",
        "shortfall",
        "rest_implementing",
    ]);
    let rows = groups
        .iter()
        .map(|(key, counts)| {
            // The trusts with no EPR are what the target is short of, not a group
            // with a target of its own.
            let judged = !(options.by == GroupBy::Supplier && key.as_slice() == [NO_EPR]);
            row(key, *counts, options.target, judged)
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
    Ok(Table {
        title: Some(title),
        columns,
        rows,
        total: options
            .by
            .total_key()
            .map(|key| row(&key, total, options.target, true)),
    })
}

/// One row of the table. `met`, `shortfall` and `rest_implementing` are empty where
/// there is nothing to judge: a group with no trusts (an empty return), and, when
/// `judged` is false, met and shortfall of a group the target does not apply to.
fn row(key: &[String], c: GroupCounts, target: Share, judged: bool) -> Vec<Value> {
    let mut out = key_cells(key);
    let coverage = (c.trusts > 0).then(|| c.live as f64 / c.trusts as f64);
    let any = c.trusts > 0;
    let when = |judge: bool, value: Value| if judge { value } else { Value::Null };
    out.extend([
        Value::Int(c.trusts as i64),
        Value::Int(c.live as i64),
        Value::Int(c.implementing as i64),
        Value::Int((c.trusts - c.live - c.implementing) as i64),
        coverage.map_or(Value::Null, Value::Ratio),
        Value::Ratio(target.as_f64()),
        when(any && judged, Value::Bool(target.met(c.live, c.trusts))),
        when(
            any && judged,
            Value::Int(target.needed(c.trusts).saturating_sub(c.live) as i64),
        ),
        when(any, Value::Bool(c.implementing == c.trusts - c.live)),
    ]);
    out
}

/// Group the population by key with polars and count trusts, live and implementing.
fn aggregate(
    key_columns: &[&str],
    keys: &[Vec<String>],
    live: &[u32],
    implementing: &[u32],
) -> PolarsResult<Vec<(Vec<String>, GroupCounts)>> {
    let height = keys.len();
    let mut columns: Vec<Column> = key_columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<&str> = keys.iter().map(|k| k[i].as_str()).collect();
            Column::new((*name).into(), values)
        })
        .collect();
    columns.push(Column::new("live".into(), live));
    columns.push(Column::new("implementing".into(), implementing));
    let frame = DataFrame::new(height, columns)?;
    let by: Vec<Expr> = key_columns.iter().map(|c| col(*c)).collect();
    let grouped = frame
        .lazy()
        .group_by_stable(by)
        .agg([
            len().cast(DataType::UInt64).alias("trusts"),
            col("live").cast(DataType::UInt64).sum().alias("live"),
            col("implementing")
                .cast(DataType::UInt64)
                .sum()
                .alias("implementing"),
        ])
        .collect()?;
    let key_values: Vec<&StringChunked> = key_columns
        .iter()
        .map(|c| grouped.column(c).and_then(|col| col.str()))
        .collect::<PolarsResult<_>>()?;
    let trusts = grouped.column("trusts")?.u64()?;
    let live = grouped.column("live")?.u64()?;
    let implementing = grouped.column("implementing")?.u64()?;
    Ok((0..grouped.height())
        .map(|i| {
            let key = key_values
                .iter()
                .map(|k| k.get(i).unwrap_or_default().to_string())
                .collect();
            let counts = GroupCounts {
                trusts: trusts.get(i).unwrap_or(0),
                live: live.get(i).unwrap_or(0),
                implementing: implementing.get(i).unwrap_or(0),
            };
            (key, counts)
        })
        .collect())
}
