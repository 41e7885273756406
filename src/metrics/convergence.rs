//! Convergence (SPEC 3): how many distinct EPRs each group's NHS trusts run now, and
//! how many they will run once their plans land.

use super::{key_cells, key_order, GroupBy};
use crate::model::{Provider, System};
use crate::output::{Table, Value};
use crate::schema::{Scope, IN_HOUSE};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

/// What the convergence metric is asked.
#[derive(Debug, Clone, Copy)]
pub struct ConvergenceOptions {
    /// Grouping level.
    pub by: GroupBy,
    /// Count every system, not only Core EPR / PAS / blank scope.
    pub all_systems: bool,
    /// Add a column listing the EPRs with provider counts.
    pub list: bool,
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
        (Some(s), Some(p)) => Some(format!("{s} {p}")),
        (Some(s), None) => Some(s.to_string()),
        (None, Some(p)) => Some(p.to_string()),
        (None, None) => None,
    }
}

/// One trust's EPRs now and after its plan.
struct TrustEprs {
    key: Vec<String>,
    now: BTreeSet<String>,
    planned: BTreeSet<String>,
}

fn trust_eprs(p: &Provider, systems: &[&System], options: &ConvergenceOptions) -> TrustEprs {
    let code = p.ods_code.as_deref().unwrap_or_default();
    let mut now: BTreeSet<String> = BTreeSet::new();
    now.extend(epr_identity(
        p.supplier.as_deref(),
        p.product.as_deref(),
        code,
    ));
    for system in systems {
        if options.all_systems || Scope::is_core(system.scope) {
            now.extend(epr_identity(
                system.supplier.as_deref(),
                system.product.as_deref(),
                code,
            ));
        }
    }
    // A target replaces the primary EPR and every counted system.
    let planned = match &p.target_supplier {
        Some(target) => epr_identity(Some(target), p.target_product.as_deref(), code)
            .into_iter()
            .collect(),
        None => now.clone(),
    };
    TrustEprs {
        key: options.by.key(p),
        now,
        planned,
    }
}

/// The convergence table: one row per group, sorted by key, and the national total.
pub fn convergence<'a>(
    providers: impl IntoIterator<Item = &'a Provider> + Copy,
    systems: impl IntoIterator<Item = &'a System>,
    options: &ConvergenceOptions,
) -> Table {
    // Only trusts' systems count: a national set has a few hundred trusts among a
    // hundred thousand systems rows.
    let mut by_code: FxHashMap<&str, Vec<&System>> = providers
        .into_iter()
        .filter(|p| p.is_nhs_trust())
        .filter_map(|p| Some((p.ods_code.as_deref()?, Vec::new())))
        .collect();
    for system in systems {
        if let Some(own) = system.ods_code.as_deref().and_then(|c| by_code.get_mut(c)) {
            own.push(system);
        }
    }
    let trusts: Vec<TrustEprs> = providers
        .into_iter()
        .filter(|p| p.is_nhs_trust())
        .map(|p| {
            let own = p
                .ods_code
                .as_deref()
                .and_then(|c| by_code.get(c))
                .map_or(&[][..], Vec::as_slice);
            trust_eprs(p, own, options)
        })
        .collect();
    let mut groups: BTreeMap<Vec<String>, Vec<&TrustEprs>> = BTreeMap::new();
    for trust in &trusts {
        groups.entry(trust.key.clone()).or_default().push(trust);
    }
    let mut keys: Vec<Vec<String>> = groups.keys().cloned().collect();
    keys.sort_by(|a, b| key_order(a, b));

    let mut columns = options.by.columns(&[
        "providers",
        "distinct_eprs",
        "distinct_eprs_planned",
        "reduction",
        "largest_share",
        "hhi",
    ]);
    if options.list {
        columns.push("eprs".into());
    }
    let rows = keys
        .iter()
        .map(|key| row(key, &groups[key], options.list))
        .collect();
    let all: Vec<&TrustEprs> = trusts.iter().collect();
    Table {
        title: Some(format!(
            "Distinct EPRs of NHS trusts, now and planned ({})",
            if options.all_systems {
                "every system counted"
            } else {
                "primary EPR plus Core EPR / PAS systems"
            }
        )),
        columns,
        rows,
        total: options
            .by
            .total_key()
            .map(|key| row(&key, &all, options.list)),
    }
}

fn row(key: &[String], trusts: &[&TrustEprs], list: bool) -> Vec<Value> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for trust in trusts {
        for epr in &trust.now {
            *counts.entry(epr.as_str()).or_default() += 1;
        }
    }
    let planned: BTreeSet<&str> = trusts
        .iter()
        .flat_map(|t| t.planned.iter().map(String::as_str))
        .collect();
    let providers = trusts.iter().filter(|t| !t.now.is_empty()).count();
    let distinct = counts.len();
    let pairs: usize = counts.values().sum();
    let top = counts.values().copied().max().unwrap_or(0);
    let hhi = if pairs == 0 {
        Value::Null
    } else {
        let sum_sq: usize = counts.values().map(|c| c * c).sum();
        Value::Float(sum_sq as f64 * 10_000.0 / (pairs * pairs) as f64)
    };
    let largest_share = if providers == 0 {
        Value::Null
    } else {
        Value::Ratio(top as f64 / providers as f64)
    };
    let mut out = key_cells(key);
    out.extend([
        Value::Int(providers as i64),
        Value::Int(distinct as i64),
        Value::Int(planned.len() as i64),
        Value::Int(distinct as i64 - planned.len() as i64),
        largest_share,
        hhi,
    ]);
    if list {
        let mut listed: Vec<(&str, usize)> = counts.into_iter().collect();
        listed.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let text = listed
            .iter()
            .map(|(epr, n)| format!("{epr} ({n})"))
            .collect::<Vec<_>>()
            .join("; ");
        out.push(Value::Text(text));
    }
    out
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
    }
}
