//! Funding gaps (SPEC 3, Funding): what the EPR programmes cost, how much national
//! and local funding is secured, and what is left unfunded, per group. Sums are in
//! exact pence.

use super::group::Groups;
use super::{key_cells, GroupBy, Share, UNKNOWN_GROUP};
use crate::model::{FundingLine, Provider, Return};
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
    /// With `--match-rate`: the local funding the lines need, and what they lack.
    local_required: Money,
    local_shortfall: Money,
}

impl Sums {
    fn add(&mut self, line: &FundingLine, match_rate: Option<Share>) {
        let amount = |m: Option<Money>| m.unwrap_or(Money::ZERO);
        self.lines += 1;
        self.total_cost = self.total_cost + amount(line.total_cost);
        self.national = self.national + amount(line.national_funding);
        self.local = self.local + amount(line.local_funding);
        self.missing += u64::from(line.has_missing_amount());
        if let Some(rate) = match_rate {
            // Per line, so that every group (and England) is the sum of its rows
            // whatever the grouping: one scheme's spare local funding does not pay
            // for another's.
            let (numerator, denominator) = rate.complement().parts();
            let required = amount(line.total_cost).times_fraction(numerator, denominator);
            self.local_required = self.local_required + required;
            self.local_shortfall =
                self.local_shortfall + (required - amount(line.local_funding)).max(Money::ZERO);
        }
    }
}

/// An ICS that sent a return but no funding line of its own: its funding table is
/// missing (or empty, or holds only a total row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentNoFunding {
    /// The ICS's code, name and region, as its return gives them.
    pub ics_code: Option<String>,
    /// ICS name.
    pub ics_name: Option<String>,
    /// NHS England region.
    pub region: Option<String>,
    /// Its returns, as the user named them.
    pub files: Vec<String>,
}

/// An ICS as a provider row names it: code, name, region.
type PlaceOf<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// The ICSs that sent a return with no funding line of their own, in the order
/// their returns were read. A return's ICS is its cover sheet's, else the one ICS
/// all the providers read from it name (as for its funding lines); a return naming
/// no ICS (a national list) is left out.
pub fn sent_no_funding<'a>(
    returns: &[Return],
    providers: impl IntoIterator<Item = &'a Provider>,
    lines: &[FundingLine],
) -> Vec<SentNoFunding> {
    // The ICSs named by the providers of each file (for returns with no cover).
    let mut named: HashMap<&str, Vec<PlaceOf>> = HashMap::new();
    for p in providers {
        let ics = (
            p.ics_code.as_deref(),
            p.ics_name.as_deref(),
            p.region.as_deref(),
        );
        let seen = named.entry(&p.origin.source).or_default();
        if !seen.iter().any(|s| (s.0, s.1) == (ics.0, ics.1)) {
            seen.push(ics);
        }
    }
    let same = |code: Option<&str>, name: Option<&str>, line: &FundingLine| match code {
        Some(code) => line.return_ics_code.as_deref() == Some(code),
        None => name.is_some() && line.return_ics_name.as_deref() == name,
    };
    let mut out: Vec<SentNoFunding> = Vec::new();
    for ret in returns {
        let (code, name, region) = if ret.ics_code.is_some() || ret.ics_name.is_some() {
            (
                ret.ics_code.as_deref(),
                ret.ics_name.as_deref(),
                ret.region.as_deref(),
            )
        } else {
            match named.get(ret.source.as_str()).map(Vec::as_slice) {
                Some([(code, name, region)]) if code.is_some() || name.is_some() => {
                    (*code, *name, *region)
                }
                _ => continue,
            }
        };
        if lines.iter().any(|line| same(code, name, line)) {
            continue;
        }
        let code = code.map(str::to_string);
        let name = name.map(str::to_string);
        match out
            .iter_mut()
            .find(|s| (&s.ics_code, &s.ics_name) == (&code, &name))
        {
            Some(known) => known.files.push(ret.source.clone()),
            None => out.push(SentNoFunding {
                ics_code: code,
                ics_name: name,
                region: region.map(str::to_string),
                files: vec![ret.source.clone()],
            }),
        }
    }
    out
}

/// Funding figures of one group, or of England. Amounts are `None` for a group with
/// no line (nothing was sent, which is not the same as £0).
#[derive(Debug, Clone, PartialEq)]
pub struct FundingRow {
    /// The group key: where the group's lines are counted.
    pub key: Vec<String>,
    /// Funding lines counted.
    pub lines: u64,
    /// Programme cost.
    pub total_cost: Option<Money>,
    /// National funding secured.
    pub national_funding: Option<Money>,
    /// Local funding secured.
    pub local_funding: Option<Money>,
    /// National plus local.
    pub secured: Option<Money>,
    /// Cost less secured (negative = surplus).
    pub gap: Option<Money>,
    /// Secured over cost; `None` when the cost is 0.
    pub funded_pct: Option<f64>,
    /// Lines with an amount missing.
    pub missing_amounts: u64,
    /// With `--match-rate`: the local funding the lines need.
    pub local_required: Option<Money>,
    /// With `--match-rate`: what the local funding lacks of it.
    pub local_shortfall: Option<Money>,
}

/// The funding metric's result: one row per group in output order, and England.
#[derive(Debug, Clone, PartialEq)]
pub struct Funding {
    /// What the table says it counts.
    pub title: String,
    /// Grouping level.
    pub by: GroupBy,
    /// With `--match-rate`: the table has the local required and shortfall columns.
    pub match_rate: Option<Share>,
    /// One row per group, sorted by key.
    pub rows: Vec<FundingRow>,
    /// England (`None` with `--by national`).
    pub total: Option<FundingRow>,
}

/// The funding figures: one row per group, sorted by key, and the national total.
/// Grouped by place (ICS, region, national), every ICS in `no_funding` has a row
/// even with no line counted in it: 0 lines and its amounts empty, so a missing
/// funding table shows.
pub fn funding<'a>(
    providers: impl IntoIterator<Item = &'a Provider>,
    lines: &[FundingLine],
    no_funding: &[SentNoFunding],
    options: &FundingOptions,
) -> Funding {
    let by_code: HashMap<&str, &Provider> = providers
        .into_iter()
        .filter_map(|p| p.ods_code.as_deref().map(|c| (c, p)))
        .collect();
    let mut groups: Groups<Sums> = Groups::new();
    let mut total = Sums::default();
    for line in lines {
        let provider = line
            .ods_code
            .as_deref()
            .and_then(|c| by_code.get(c).copied());
        groups
            .entry(line_key(options.by, line, provider))
            .add(line, options.match_rate);
        total.add(line, options.match_rate);
    }
    for ics in no_funding {
        let area = options.by.area_key(
            ics.ics_code.as_deref(),
            ics.ics_name.as_deref(),
            ics.region.as_deref(),
        );
        if let Some(key) = area {
            groups.entry(key);
        }
    }
    let title = format!(
        "EPR funding, {}, {}: cost, funding secured and gap (negative = surplus){}",
        super::titles::FUNDING_LINES,
        super::titles::AS_RETURNED,
        match options.match_rate {
            Some(rate) => format!("; national funding expected to match {rate} of cost"),
            None => String::new(),
        }
    );
    let rate = options.match_rate;
    Funding {
        title,
        by: options.by,
        match_rate: rate,
        rows: groups
            .into_sorted()
            .into_iter()
            .map(|(key, sums)| figures(key, &sums, rate))
            .collect(),
        total: options.by.total_key().map(|key| figures(key, &total, rate)),
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

/// One group's figures; a group with no line has its amounts empty (nothing was
/// sent, which is not the same as £0).
fn figures(key: Vec<String>, sums: &Sums, match_rate: Option<Share>) -> FundingRow {
    let secured = sums.national + sums.local;
    let money = |m: Money| (sums.lines > 0).then_some(m);
    let with_rate = |m: Money| match_rate.and_then(|_| money(m));
    FundingRow {
        key,
        lines: sums.lines,
        total_cost: money(sums.total_cost),
        national_funding: money(sums.national),
        local_funding: money(sums.local),
        secured: money(secured),
        gap: money(sums.total_cost - secured),
        funded_pct: (sums.total_cost != Money::ZERO)
            .then(|| secured.as_pounds_f64() / sums.total_cost.as_pounds_f64()),
        missing_amounts: sums.missing,
        local_required: with_rate(sums.local_required),
        local_shortfall: with_rate(sums.local_shortfall),
    }
}

impl Funding {
    /// The output table's metric columns, after the key's (the last two only with
    /// `--match-rate`).
    pub const COLUMNS: [&'static str; 10] = [
        "lines",
        "total_cost",
        "national_funding",
        "local_funding",
        "secured",
        "gap",
        "funded_pct",
        "missing_amounts",
        "local_required",
        "local_shortfall",
    ];

    /// The figures as an output table.
    pub fn table(&self) -> Table {
        let width = if self.match_rate.is_some() { 10 } else { 8 };
        self.by.table(
            &self.title,
            &Self::COLUMNS[..width],
            &self.rows,
            self.total.as_ref(),
            |r| self.cells(r),
        )
    }

    /// One row's cells, in [`Funding::COLUMNS`] order after the key.
    pub fn cells(&self, r: &FundingRow) -> Vec<Value> {
        let money = |m: Option<Money>| m.map_or(Value::Null, Value::Money);
        let mut out = key_cells(&r.key);
        out.extend([
            Value::Int(r.lines as i64),
            money(r.total_cost),
            money(r.national_funding),
            money(r.local_funding),
            money(r.secured),
            money(r.gap),
            r.funded_pct.map_or(Value::Null, Value::Ratio),
            Value::Int(r.missing_amounts as i64),
        ]);
        if self.match_rate.is_some() {
            out.extend([money(r.local_required), money(r.local_shortfall)]);
        }
        out
    }
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
        let table = funding(&[], &lines, &[], &options).table();
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
        let table = funding(&[], &lines, &[], &options).table();
        assert_eq!(table.rows[0][0], Value::Text(ICS_WIDE.into()));
        assert_eq!(table.rows[0][7], Value::Ratio(1.0));
        assert_eq!(table.rows[0][8], Value::Int(0));
    }
}
