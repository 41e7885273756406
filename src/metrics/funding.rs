//! Funding gaps (SPEC 3, Funding): what the EPR programmes cost, how much national
//! and local funding is secured, and what is left unfunded, per group. Sums are in
//! exact pence.

use super::{key_cells, key_order, GroupBy, Share, UNKNOWN_GROUP};
use crate::model::{FundingLine, Provider};
use crate::money::Money;
use crate::output::{Table, Value};
use std::collections::HashMap;

/// Group label of ICS-wide lines when grouping by sector or supplier (they belong
/// to no one provider).
pub const ICS_WIDE: &str = "(ICS-wide)";

/// What the funding metric is asked.
#[derive(Debug, Clone, Copy)]
pub struct FundingOptions {
    /// Grouping level.
    pub by: GroupBy,
    /// The share of cost national funding is expected to match (`--match-rate`):
    /// adds the local funding required and its shortfall.
    pub match_rate: Option<Share>,
}

/// Sums for one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sums {
    lines: u64,
    total_cost: Money,
    national: Money,
    local: Money,
    missing: u64,
}

impl Sums {
    fn add(&mut self, line: &FundingLine) {
        let amount = |m: Option<Money>| m.unwrap_or(Money::ZERO);
        self.lines += 1;
        self.total_cost = self.total_cost + amount(line.total_cost);
        self.national = self.national + amount(line.national_funding);
        self.local = self.local + amount(line.local_funding);
        self.missing += u64::from(line.has_missing_amount());
    }
}

/// The funding table: one row per group, sorted by key, and the national total.
pub fn funding<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    lines: &[FundingLine],
    options: &FundingOptions,
) -> Table {
    let by_code: HashMap<&str, &Provider> = providers
        .into_iter()
        .filter_map(|p| p.ods_code.as_deref().map(|c| (c, p)))
        .collect();
    let mut groups: HashMap<Vec<String>, Sums> = HashMap::new();
    let mut total = Sums::default();
    for line in lines {
        let provider = line
            .ods_code
            .as_deref()
            .and_then(|c| by_code.get(c).copied());
        groups
            .entry(line_key(options.by, line, provider))
            .or_default()
            .add(line);
        total.add(line);
    }
    let mut groups: Vec<(Vec<String>, Sums)> = groups.into_iter().collect();
    groups.sort_by(|a, b| key_order(&a.0, &b.0));

    let mut metrics = vec![
        "lines",
        "total_cost",
        "national_funding",
        "local_funding",
        "secured",
        "gap",
        "funded_pct",
        "missing_amounts",
    ];
    if options.match_rate.is_some() {
        metrics.extend(["local_required", "local_shortfall"]);
    }
    let title = format!(
        "EPR funding: cost, funding secured and gap (negative = surplus){}",
        match options.match_rate {
            Some(rate) => format!("; national funding expected to match {rate} of cost"),
            None => String::new(),
        }
    );
    Table {
        title: Some(title),
        columns: options.by.columns(&metrics),
        rows: groups
            .iter()
            .map(|(key, sums)| row(key, sums, options.match_rate))
            .collect(),
        total: options
            .by
            .total_key()
            .map(|key| row(&key, &total, options.match_rate)),
    }
}

/// Where a line is counted. A line for a provider goes where the provider is (its
/// ICS, region, sector, supplier), falling back to its return's ICS where the
/// provider names none; an ICS-wide line, or one for a provider listed nowhere, goes
/// to its return's ICS.
fn line_key(by: GroupBy, line: &FundingLine, provider: Option<&Provider>) -> Vec<String> {
    let return_area = || {
        by.area_key(
            line.return_ics_code.as_deref(),
            line.return_ics_name.as_deref(),
            line.return_region.as_deref(),
        )
    };
    match provider {
        Some(p) => match by {
            GroupBy::Ics if p.ics_code.is_none() && p.ics_name.is_none() => {
                return_area().unwrap_or_default()
            }
            GroupBy::Region if p.region.is_none() => return_area().unwrap_or_default(),
            _ => by.key(p),
        },
        None => return_area().unwrap_or_else(|| {
            let label = if line.ods_code.is_none() {
                ICS_WIDE
            } else {
                UNKNOWN_GROUP
            };
            vec![label.to_string()]
        }),
    }
}

fn row(key: &[String], sums: &Sums, match_rate: Option<Share>) -> Vec<Value> {
    let secured = sums.national + sums.local;
    let funded_pct = (sums.total_cost != Money::ZERO)
        .then(|| secured.as_pounds_f64() / sums.total_cost.as_pounds_f64());
    let mut out = key_cells(key);
    out.extend([
        Value::Int(sums.lines as i64),
        Value::Money(sums.total_cost),
        Value::Money(sums.national),
        Value::Money(sums.local),
        Value::Money(secured),
        Value::Money(sums.total_cost - secured),
        funded_pct.map_or(Value::Null, Value::Ratio),
        Value::Int(sums.missing as i64),
    ]);
    if let Some(rate) = match_rate {
        let (numerator, denominator) = rate.complement().parts();
        let local_required = sums.total_cost.times_fraction(numerator, denominator);
        let local_shortfall = (local_required - sums.local).max(Money::ZERO);
        out.extend([Value::Money(local_required), Value::Money(local_shortfall)]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn line(
        code: Option<&str>,
        total: i64,
        national: Option<i64>,
        local: Option<i64>,
    ) -> FundingLine {
        FundingLine {
            ods_code: code.map(Into::into),
            item: None,
            total_cost: Some(Money::from_pounds(total)),
            national_funding: national.map(Money::from_pounds),
            local_funding: local.map(Money::from_pounds),
            stated_gap: None,
            fiscal_year: None,
            return_ics_code: Some("QOP".into()),
            return_ics_name: None,
            return_region: Some("North West".into()),
            origin: Origin {
                source: "t.xlsx".into(),
                sheet: Some("Funding".into()),
                row: 2,
                column: 0,
            },
        }
    }

    #[test]
    fn nine_million_gap_and_match_rate() {
        let lines = [line(None, 36_000_000, Some(27_000_000), None)];
        let options = FundingOptions {
            by: GroupBy::National,
            match_rate: Some(Share::new(1, 2)),
        };
        let table = funding(&[], &lines, &options);
        let m = |p: i64| Value::Money(Money::from_pounds(p));
        assert_eq!(
            table.rows,
            vec![vec![
                Value::Text("England".into()),
                Value::Int(1),
                m(36_000_000),
                m(27_000_000),
                m(0),
                m(27_000_000),
                m(9_000_000),
                Value::Ratio(0.75),
                Value::Int(1),
                m(18_000_000),
                m(18_000_000),
            ]]
        );
    }

    #[test]
    fn ics_wide_lines_by_sector() {
        let lines = [line(None, 10, Some(5), Some(5))];
        let options = FundingOptions {
            by: GroupBy::Sector,
            match_rate: None,
        };
        let table = funding(&[], &lines, &options);
        assert_eq!(table.rows[0][0], Value::Text(ICS_WIDE.into()));
        assert_eq!(table.rows[0][7], Value::Ratio(1.0));
        assert_eq!(table.rows[0][8], Value::Int(0));
    }
}
