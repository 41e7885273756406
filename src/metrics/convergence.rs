//! Convergence (SPEC 3): how many distinct EPRs each group's providers run now, and
//! how many they will run once their plans land.

use super::coverage::is_live;
use super::group::members_by_key;
use super::{key_cells, GroupBy};
use crate::model::{Provider, System};
use crate::output::{Table, Value};
use crate::schema::{Scope, Sector, IN_HOUSE};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

/// Who a convergence table counts: NHS England asks ICSs to converge "across acute
/// care, community services, mental health, ambulance services, primary care, and
/// social care", so by default every provider in the returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Population {
    /// NHS trusts (the five trust sectors, and a blank sector, as coverage counts
    /// them): `--sectors trusts`.
    pub trusts: bool,
    /// These sectors as well.
    pub sectors: Vec<Sector>,
}

impl Population {
    /// Whether `p` is counted; `None` is everyone.
    pub fn includes(population: Option<&Population>, p: &Provider) -> bool {
        match population {
            None => true,
            Some(only) => {
                (only.trusts && p.is_nhs_trust())
                    || p.sector.is_some_and(|s| only.sectors.contains(&s))
            }
        }
    }

    /// The population as a table title says it.
    pub fn describe(population: Option<&Population>) -> String {
        let Some(only) = population else {
            return super::titles::ALL_PROVIDERS.to_string();
        };
        let mut parts: Vec<String> = Vec::new();
        if only.trusts {
            parts.push(super::titles::NHS_TRUSTS.to_string());
        }
        if !only.sectors.is_empty() {
            let names: Vec<&str> = only.sectors.iter().map(|s| s.name()).collect();
            parts.push(format!("{} providers", names.join(", ")));
        }
        parts.join(" and ")
    }
}

/// What the convergence metric is asked.
#[derive(Debug, Clone)]
pub struct ConvergenceOptions {
    /// Grouping level.
    pub by: GroupBy,
    /// Count every system, not only Core EPR / PAS / blank scope.
    pub all_systems: bool,
    /// Add a column listing the EPRs with provider counts.
    pub list: bool,
    /// Who is counted; `None` is every provider.
    pub population: Option<Population>,
    /// The date the figures describe (`--as-of`, else today): a provider's EPR is in
    /// use when it is live by coverage's definition at this date, a system when its
    /// go-live is blank or not after it.
    pub as_of: NaiveDate,
    /// Judge live-ness at `as_of` (coverage's `--as-of`: go-live dates count) rather
    /// than by reported status. `trend` dates a snapshot's systems but judges its
    /// live-ness by status, as `coverage` does without `--as-of`.
    pub live_at_date: bool,
}

/// An EPR's identity: canonical supplier and product when the product is known, else
/// the supplier. Each provider's in-house system is a different EPR.
pub fn epr_identity(
    supplier: Option<&str>,
    product: Option<&str>,
    ods_code: &str,
) -> Option<String> {
    match (supplier, product) {
        (Some(IN_HOUSE), _) => Some(format!("{IN_HOUSE} ({ods_code})")),
        (Some(s), Some(p)) => Some(supplier_and_product(s, p)),
        (Some(s), None) => Some(s.to_string()),
        (None, Some(p)) => Some(p.to_string()),
        (None, None) => None,
    }
}

/// An EPR's name as a person says it: the product alone when it already names the
/// supplier (`EMIS` + `EMIS Web` → `EMIS Web`), the supplier's last word given by the
/// product when they are the same word (`IMS Maxims` + `MAXIMS` → `IMS MAXIMS`), else
/// both (`Oracle Health Millennium`).
fn supplier_and_product(supplier: &str, product: &str) -> String {
    let lower_product = product.to_lowercase();
    let lower_supplier = supplier.to_lowercase();
    let names_supplier =
        lower_product == lower_supplier || lower_product.starts_with(&format!("{lower_supplier} "));
    if names_supplier {
        return product.to_string();
    }
    match supplier.rsplit_once(' ') {
        Some((head, last)) if last.eq_ignore_ascii_case(product) => format!("{head} {product}"),
        _ => format!("{supplier} {product}"),
    }
}

/// One provider's EPRs now and after its plan.
struct TrustEprs {
    key: Vec<String>,
    /// Live by coverage's definition: the provider has an EPR in use.
    live: bool,
    now: BTreeSet<String>,
    planned: BTreeSet<String>,
}

fn trust_eprs(p: &Provider, systems: &[&System], options: &ConvergenceOptions) -> TrustEprs {
    let code = p.ods_code.as_deref().unwrap_or_default();
    // The same live-ness as coverage, so the two never disagree on who has an EPR.
    let live = is_live(p, options.live_at_date.then_some(options.as_of));
    let mut now: BTreeSet<String> = BTreeSet::new();
    // EPRs named but not in use yet: an implementing trust's named supplier, a
    // system going live after the date. They count once the plans land.
    let mut coming: BTreeSet<String> = BTreeSet::new();
    let primary = epr_identity(p.supplier.as_deref(), p.product.as_deref(), code);
    if live {
        now.extend(primary);
    } else {
        coming.extend(primary);
    }
    for system in systems {
        if options.all_systems || Scope::is_core(system.scope) {
            let identity =
                epr_identity(system.supplier.as_deref(), system.product.as_deref(), code);
            let in_use = live && system.go_live.is_none_or(|d| d <= options.as_of);
            if in_use {
                now.extend(identity);
            } else {
                coming.extend(identity);
            }
        }
    }
    // A target replaces the primary EPR and every counted system.
    let planned = match &p.target_supplier {
        Some(target) => epr_identity(Some(target), p.target_product.as_deref(), code)
            .into_iter()
            .collect(),
        None => now.union(&coming).cloned().collect(),
    };
    TrustEprs {
        key: options.by.key(p),
        live,
        now,
        planned,
    }
}

/// Convergence figures of one group, or of England.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvergenceRow {
    /// The group key (see [`GroupBy::key`]).
    pub key: Vec<String>,
    /// Providers with an EPR in use (live by coverage's definition).
    pub providers: u64,
    /// Distinct EPRs in use.
    pub distinct_eprs: u64,
    /// Distinct EPRs once the plans land.
    pub distinct_eprs_planned: u64,
    /// In use less planned.
    pub reduction: i64,
    /// The most used EPR's providers over providers; `None` for no providers.
    pub largest_share: Option<f64>,
    /// Herfindahl–Hirschman index of the EPRs in use (0–10,000); `None` for none.
    pub hhi: Option<f64>,
    /// The EPRs in use with their provider counts, most used first.
    pub eprs: Vec<(String, u64)>,
}

/// The convergence metric's result: one row per group in output order, and England.
#[derive(Debug, Clone, PartialEq)]
pub struct Convergence {
    /// What the table says it counts.
    pub title: String,
    /// Grouping level.
    pub by: GroupBy,
    /// The table lists the EPRs (`--list`).
    pub list: bool,
    /// One row per group, sorted by key.
    pub rows: Vec<ConvergenceRow>,
    /// England (`None` with `--by national`).
    pub total: Option<ConvergenceRow>,
}

/// The convergence figures: one row per group, sorted by key, and the national total.
pub fn convergence<'a>(
    providers: impl IntoIterator<Item = &'a Provider> + Copy,
    systems: impl IntoIterator<Item = &'a System>,
    options: &ConvergenceOptions,
) -> Convergence {
    let population = options.population.as_ref();
    let mut by_code: FxHashMap<&str, Vec<&System>> = providers
        .into_iter()
        .filter(|p| Population::includes(population, p))
        .filter_map(|p| Some((p.ods_code.as_deref()?, Vec::new())))
        .collect();
    for system in systems {
        if let Some(own) = system.ods_code.as_deref().and_then(|c| by_code.get_mut(c)) {
            own.push(system);
        }
    }
    let trusts: Vec<TrustEprs> = providers
        .into_iter()
        .filter(|p| Population::includes(population, p))
        .map(|p| {
            let own = p
                .ods_code
                .as_deref()
                .and_then(|c| by_code.get(c))
                .map_or(&[][..], Vec::as_slice);
            trust_eprs(p, own, options)
        })
        .collect();
    let rows = members_by_key(&trusts, |t| t.key.clone())
        .into_iter()
        .map(|(key, group)| figures(key, &group))
        .collect();
    let all: Vec<&TrustEprs> = trusts.iter().collect();
    Convergence {
        title: format!(
            "Distinct EPRs of {}, {} and planned ({}; in use = live as coverage counts it, a system from its go-live)",
            Population::describe(population),
            super::titles::in_use_basis(options.as_of, options.live_at_date),
            if options.all_systems {
                "every system counted"
            } else {
                "primary EPR plus Core EPR / PAS systems"
            },
        ),
        by: options.by,
        list: options.list,
        rows,
        total: options.by.total_key().map(|key| figures(key, &all)),
    }
}

fn figures(key: Vec<String>, trusts: &[&TrustEprs]) -> ConvergenceRow {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for trust in trusts {
        for epr in &trust.now {
            *counts.entry(epr.as_str()).or_default() += 1;
        }
    }
    let planned: BTreeSet<&str> = trusts
        .iter()
        .flat_map(|t| t.planned.iter().map(String::as_str))
        .collect();
    let providers = trusts.iter().filter(|t| t.live).count() as u64;
    let distinct = counts.len() as u64;
    let pairs: u64 = counts.values().sum();
    let top = counts.values().copied().max().unwrap_or(0);
    let hhi = (pairs > 0).then(|| {
        let sum_sq: u64 = counts.values().map(|c| c * c).sum();
        sum_sq as f64 * 10_000.0 / (pairs * pairs) as f64
    });
    let mut eprs: Vec<(String, u64)> = counts
        .into_iter()
        .map(|(epr, n)| (epr.to_string(), n))
        .collect();
    eprs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ConvergenceRow {
        key,
        providers,
        distinct_eprs: distinct,
        distinct_eprs_planned: planned.len() as u64,
        reduction: distinct as i64 - planned.len() as i64,
        largest_share: (providers > 0).then(|| top as f64 / providers as f64),
        hhi,
        eprs,
    }
}

impl Convergence {
    /// The output table's metric columns, after the key's (`eprs` only with
    /// `--list`).
    pub const COLUMNS: [&'static str; 7] = [
        "providers",
        "distinct_eprs",
        "distinct_eprs_planned",
        "reduction",
        "largest_share",
        "hhi",
        "eprs",
    ];

    /// The figures as an output table.
    pub fn table(&self) -> Table {
        let width = if self.list { 7 } else { 6 };
        self.by.table(
            &self.title,
            &Self::COLUMNS[..width],
            &self.rows,
            self.total.as_ref(),
            |r| self.cells(r),
        )
    }

    /// One row's cells, in [`Convergence::COLUMNS`] order after the key.
    pub fn cells(&self, r: &ConvergenceRow) -> Vec<Value> {
        let mut out = key_cells(&r.key);
        out.extend([
            Value::Int(r.providers as i64),
            Value::Int(r.distinct_eprs as i64),
            Value::Int(r.distinct_eprs_planned as i64),
            Value::Int(r.reduction),
            r.largest_share.map_or(Value::Null, Value::Ratio),
            r.hhi.map_or(Value::Null, Value::Float),
        ]);
        if self.list {
            let text = r
                .eprs
                .iter()
                .map(|(epr, n)| format!("{epr} ({n})"))
                .collect::<Vec<_>>()
                .join("; ");
            out.push(Value::Text(text));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_rules() {
        assert_eq!(
            epr_identity(Some("Oracle Health"), Some("Millennium"), "RAJ").as_deref(),
            Some("Oracle Health Millennium")
        );
        assert_eq!(
            epr_identity(Some("Epic"), None, "RAJ").as_deref(),
            Some("Epic")
        );
        assert_ne!(
            epr_identity(Some(IN_HOUSE), None, "RAJ"),
            epr_identity(Some(IN_HOUSE), None, "RGT")
        );
        assert_eq!(epr_identity(None, None, "RAJ"), None);
        // Named as a person would say them (issue 26.1).
        assert_eq!(
            epr_identity(Some("EMIS"), Some("EMIS Web"), "GP1").as_deref(),
            Some("EMIS Web")
        );
        assert_eq!(
            epr_identity(Some("IMS Maxims"), Some("MAXIMS"), "RAJ").as_deref(),
            Some("IMS MAXIMS")
        );
        assert_eq!(
            epr_identity(Some("TPP"), Some("SystmOne"), "RAJ").as_deref(),
            Some("TPP SystmOne")
        );
        assert_eq!(
            epr_identity(Some("Epic"), Some("Epicare"), "RAJ").as_deref(),
            Some("Epic Epicare")
        );
    }
}
