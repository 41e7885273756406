//! Trajectory to the target: from the forecast go-live dates of the trusts not yet
//! live, the live count month by month from the snapshot's date to the last forecast,
//! and when the target is reached on current plans. Live-ness is coverage's
//! [`is_live`] at the snapshot's date; the population is coverage's.

use super::coverage::{in_population, is_live, CoverageOptions};
use super::group::members_by_key;
use super::{key_cells, titles, Share};
use crate::model::Provider;
use crate::output::{Table, Value};
use chrono::{Datelike, NaiveDate};

/// What the table says when the target is not reached by the last forecast.
pub const NOT_ON_PLANS: &str = "not on current plans";

/// Why a trust not yet live is at risk of missing the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risk {
    /// No forecast go-live date.
    NoForecast,
    /// Its forecast go-live is on or before the snapshot's date, yet it is not live.
    Overdue,
    /// Its forecast go-live is after the deadline.
    AfterDeadline,
}

impl Risk {
    /// As the `--list` table says it.
    pub fn name(self) -> &'static str {
        match self {
            Risk::NoForecast => "no forecast go-live",
            Risk::Overdue => "forecast go-live passed, not live",
            Risk::AfterDeadline => "forecast after the deadline",
        }
    }
}

/// One trust of the population: its group, whether it is live at the snapshot's
/// date, and (when not) its forecast go-live.
struct Trust<'a> {
    provider: &'a Provider,
    key: Vec<String>,
    live: bool,
    /// A forecast after the snapshot's date: it counts as live from then on.
    forecast: Option<NaiveDate>,
    risk: Option<Risk>,
}

/// The trusts of the population with their forecasts (`options.as_of` must be set:
/// the snapshot's date).
fn trusts<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    options: &CoverageOptions,
    as_of: NaiveDate,
) -> Vec<Trust<'a>> {
    providers
        .into_iter()
        .filter(|p| in_population(p, options.sectors.as_deref()))
        .map(|p| {
            let live = is_live(p, Some(as_of));
            // A trust not live forecasts its go-live in the go-live column (as
            // implementing trusts return it).
            let (forecast, risk) = match (live, p.go_live) {
                (true, _) => (None, None),
                (false, None) => (None, Some(Risk::NoForecast)),
                (false, Some(d)) if d <= as_of => (None, Some(Risk::Overdue)),
                (false, Some(d)) if d > options.deadline => (Some(d), Some(Risk::AfterDeadline)),
                (false, Some(d)) => (Some(d), None),
            };
            Trust {
                provider: p,
                key: options.by.key(p),
                live,
                forecast,
                risk,
            }
        })
        .collect()
}

/// The last day of `date`'s month.
fn month_end(date: NaiveDate) -> NaiveDate {
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

/// The month ends from `as_of`'s month to the last forecast's.
fn months(trusts: &[Trust], as_of: NaiveDate) -> Vec<NaiveDate> {
    let last = trusts
        .iter()
        .filter_map(|t| t.forecast)
        .max()
        .unwrap_or(as_of);
    let mut out = vec![month_end(as_of)];
    while let Some(&end) = out.last() {
        if end >= last {
            break;
        }
        match end.succ_opt() {
            Some(next) => out.push(month_end(next)),
            None => break,
        }
    }
    out
}

/// Figures of one group.
fn group_row(
    key: &[String],
    trusts: &[&Trust],
    months: &[NaiveDate],
    target: Share,
    deadline: NaiveDate,
) -> Vec<Value> {
    let n = trusts.len() as u64;
    let live = trusts.iter().filter(|t| t.live).count() as u64;
    let by = |date: NaiveDate| {
        live + trusts
            .iter()
            .filter(|t| t.forecast.is_some_and(|f| f <= date))
            .count() as u64
    };
    let at_deadline = by(deadline);
    let share = |v: u64| {
        if n == 0 {
            Value::Null
        } else {
            Value::Ratio(v as f64 / n as f64)
        }
    };
    let reached = if n == 0 {
        Value::Null
    } else {
        Value::Text(
            months
                .iter()
                .find(|m| target.met(by(**m), n))
                .map_or(NOT_ON_PLANS.to_string(), |m| m.format("%Y-%m").to_string()),
        )
    };
    let risk = |r: Risk| Value::Int(trusts.iter().filter(|t| t.risk == Some(r)).count() as i64);
    let mut out = key_cells(key);
    out.extend([
        Value::Int(n as i64),
        Value::Int(live as i64),
        share(live),
        Value::Int(at_deadline as i64),
        share(at_deadline),
        Value::Ratio(target.as_f64()),
        if n == 0 {
            Value::Null
        } else {
            Value::Bool(target.met(at_deadline, n))
        },
        reached,
        risk(Risk::NoForecast),
        risk(Risk::AfterDeadline),
        risk(Risk::Overdue),
    ]);
    out
}

/// Group the trusts by key, in output order.
fn grouped<'t, 'a>(trusts: &'t [Trust<'a>]) -> Vec<(Vec<String>, Vec<&'t Trust<'a>>)> {
    members_by_key(trusts, |t| t.key.clone())
}

/// The trajectory table: per group, live now, projected live and coverage at the
/// deadline, the month the target is reached on current plans, and the trusts at
/// risk (no forecast, forecast after the deadline, forecast passed but not live).
pub fn trajectory<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    options: &CoverageOptions,
    as_of: NaiveDate,
) -> Table {
    let trusts = trusts(providers, options, as_of);
    let months = months(&trusts, as_of);
    let rows = grouped(&trusts)
        .iter()
        .map(|(key, group)| group_row(key, group, &months, options.target, options.deadline))
        .collect();
    let all: Vec<&Trust> = trusts.iter().collect();
    Table {
        title: Some(format!(
            "Trajectory of {} live to the {} target by {} from forecast go-live dates, as of {}{}",
            titles::NHS_TRUSTS,
            options.target,
            titles::date(options.deadline),
            titles::date(as_of),
            if options.deadline < as_of {
                " (the deadline has passed: projected = live now)"
            } else {
                ""
            }
        )),
        columns: options.by.columns(&[
            "trusts",
            "live_now",
            "coverage_now",
            "projected_live_at_deadline",
            "projected_coverage_at_deadline",
            "target",
            "met_at_deadline",
            "target_reached",
            "no_forecast",
            "forecast_after_deadline",
            "forecast_overdue",
        ]),
        rows,
        total: options
            .by
            .total_key()
            .map(|key| group_row(&key, &all, &months, options.target, options.deadline)),
    }
}

/// The month-by-month series (`--monthly`): per group and month end from the
/// snapshot's month to the last forecast, the trusts projected live and coverage.
/// England's rows are the total's, after the groups', with `total`.
pub fn monthly<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    options: &CoverageOptions,
    as_of: NaiveDate,
    total: bool,
) -> Table {
    let trusts = trusts(providers, options, as_of);
    let months = months(&trusts, as_of);
    let mut groups = grouped(&trusts);
    if let (true, Some(key)) = (total, options.by.total_key()) {
        groups.push((key, trusts.iter().collect()));
    }
    let mut columns = vec!["month".to_string()];
    columns.extend(options.by.columns(&[
        "trusts",
        "projected_live",
        "projected_coverage",
        "target",
        "target_met",
    ]));
    let mut rows = Vec::new();
    for month in &months {
        for (key, group) in &groups {
            let n = group.len() as u64;
            let live = group
                .iter()
                .filter(|t| t.live || t.forecast.is_some_and(|f| f <= *month))
                .count() as u64;
            let mut row = vec![Value::Text(month.format("%Y-%m").to_string())];
            row.extend(key_cells(key));
            row.extend([
                Value::Int(n as i64),
                Value::Int(live as i64),
                if n == 0 {
                    Value::Null
                } else {
                    Value::Ratio(live as f64 / n as f64)
                },
                Value::Ratio(options.target.as_f64()),
                Value::Bool(n > 0 && options.target.met(live, n)),
            ]);
            rows.push(row);
        }
    }
    Table {
        title: Some(format!(
            "Projected {} live month by month from forecast go-live dates, as of {} (month = live by its last day)",
            titles::NHS_TRUSTS,
            titles::date(as_of)
        )),
        columns,
        rows,
        total: None,
    }
}

/// The trusts at risk (`--list`): not live, and with no forecast, a forecast after
/// the deadline or one already passed.
pub fn at_risk<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    options: &CoverageOptions,
    as_of: NaiveDate,
) -> Table {
    let trusts = trusts(providers, options, as_of);
    let mut rows = Vec::new();
    for (key, group) in grouped(&trusts) {
        for t in group {
            if let Some(risk) = t.risk {
                let mut row = key_cells(&key);
                let p = t.provider;
                let text = |v: Option<&str>| v.map_or(Value::Null, |s| Value::Text(s.to_string()));
                row.extend([
                    text(p.ods_code.as_deref()),
                    text(p.name.as_deref()),
                    text(p.status.map(|s| s.name())),
                    p.go_live.map_or(Value::Null, Value::Date),
                    Value::Text(risk.name().to_string()),
                ]);
                rows.push(row);
            }
        }
    }
    Table {
        title: Some(format!(
            "{} at risk of missing the {} deadline, as of {}",
            titles::NHS_TRUSTS,
            titles::date(options.deadline),
            titles::date(as_of)
        )),
        columns: options
            .by
            .columns(&["ods_code", "name", "status", "forecast_go_live", "risk"]),
        rows,
        total: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(month_end(d(2026, 11, 15)), d(2026, 11, 30));
        assert_eq!(month_end(d(2026, 12, 1)), d(2026, 12, 31));
        assert_eq!(month_end(d(2028, 2, 3)), d(2028, 2, 29));
    }
}
