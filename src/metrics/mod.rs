//! Metrics (SPEC 3): one module per metric, each from the normalised model to typed
//! figures (a row struct per group and one for England, grouped by [`group`]) that
//! the commands, views and the report read by field, and from those to an output
//! [`crate::output::Table`].

pub mod convergence;
pub mod coverage;
pub mod diff;
pub mod funding;
pub mod group;
pub mod maturity;
pub mod returns;
mod share;
pub mod titles;
pub mod trajectory;
pub mod trend;

pub use share::Share;

use crate::geography::{self, Placement, UNPLACED};
use crate::model::Provider;
use clap::ValueEnum;

/// Today's date, for figures that describe "now" when no `--as-of` is given.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Grouping level of a metric table (SPEC 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GroupBy {
    /// One row per ICS (ICB code and name).
    #[default]
    Ics,
    /// One row per NHS England region.
    Region,
    /// One row per sector.
    Sector,
    /// One row per canonical supplier of the primary EPR.
    Supplier,
    /// One row for England.
    National,
}

impl GroupBy {
    /// The level a name gives (`region`, any case), as `--by` takes it; the error
    /// lists every level.
    pub fn parse(name: &str) -> Result<GroupBy, String> {
        GroupBy::from_str(name.trim(), true).map_err(|_| {
            let names: Vec<String> = GroupBy::value_variants()
                .iter()
                .filter_map(|by| Some(by.to_possible_value()?.get_name().to_string()))
                .collect();
            format!("unknown grouping (one of: {})", names.join(", "))
        })
    }

    /// The level's name, as `--by` takes it.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }
}

/// Label used where a provider has no value for the grouping field.
pub const UNKNOWN_GROUP: &str = "(unknown)";

/// Group label of providers with no EPR when grouping by supplier.
pub const NO_EPR: &str = "(no EPR)";

/// Label of the national total row and of the single `--by national` row.
pub const NATIONAL: &str = "England";

impl GroupBy {
    /// Output column names of the group key.
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            GroupBy::Ics => &["ics_code", "ics_name"],
            GroupBy::Region => &["region"],
            GroupBy::Sector => &["sector"],
            GroupBy::Supplier => &["supplier"],
            GroupBy::National => &["area"],
        }
    }

    /// Output column names: the key columns, then the metric's own.
    pub fn columns(self, metrics: &[&str]) -> Vec<String> {
        self.key_columns()
            .iter()
            .chain(metrics)
            .map(|c| c.to_string())
            .collect()
    }

    /// The output table of grouped figures: the key columns then `metrics`, a row
    /// per group and the national total row, each row's cells made by `cells` (the
    /// key's, then the figures'). Every grouped metric's table is made here.
    pub fn table<R>(
        self,
        title: &str,
        metrics: &[&str],
        rows: &[R],
        total: Option<&R>,
        cells: impl Fn(&R) -> Vec<crate::output::Value>,
    ) -> crate::output::Table {
        crate::output::Table {
            title: Some(title.to_string()),
            columns: self.columns(metrics),
            rows: rows.iter().map(&cells).collect(),
            total: total.map(&cells),
        }
    }

    /// The key of the national total row: [`NATIONAL`] in the last key column, the
    /// others blank. `None` for `--by national`, whose one row is already national.
    pub fn total_key(self) -> Option<Vec<String>> {
        if self == GroupBy::National {
            return None;
        }
        let mut key = vec![String::new(); self.key_columns().len()];
        if let Some(last) = key.last_mut() {
            *last = NATIONAL.to_string();
        }
        Some(key)
    }

    /// A provider's group key: the values of [`GroupBy::key_columns`]. Keys sort in
    /// output order, with unknown groups last.
    pub fn key(self, p: &Provider) -> Vec<String> {
        let or_unknown = |v: Option<&str>| v.unwrap_or(UNKNOWN_GROUP).to_string();
        match self {
            GroupBy::Sector => vec![or_unknown(p.sector.map(|s| s.name()))],
            GroupBy::Supplier => vec![p.supplier.as_deref().unwrap_or(NO_EPR).to_string()],
            GroupBy::Ics | GroupBy::Region | GroupBy::National => self
                .area_key(
                    p.ics_code.as_deref(),
                    p.ics_name.as_deref(),
                    p.region.as_deref(),
                )
                .unwrap_or_default(),
        }
    }

    /// The group key of a place (an ICS and its region) for the levels that are
    /// places: ICS, region, national. `None` for sector and supplier.
    pub fn area_key(
        self,
        ics_code: Option<&str>,
        ics_name: Option<&str>,
        region: Option<&str>,
    ) -> Option<Vec<String>> {
        let or_unknown = |v: Option<&str>| v.unwrap_or(UNKNOWN_GROUP).to_string();
        match self {
            GroupBy::Ics => Some(ics_key(ics_code, ics_name)),
            GroupBy::Region => {
                Some(vec![or_unknown(region.or_else(|| {
                    ics_of(ics_code, ics_name).map(|icb| icb.region.as_str())
                }))])
            }
            GroupBy::National => Some(vec![NATIONAL.to_string()]),
            GroupBy::Sector | GroupBy::Supplier => None,
        }
    }
}

/// The ICB of the run's geography an area named by a code (else a name) belongs to.
fn ics_of<'a>(code: Option<&'a str>, name: Option<&'a str>) -> Option<&'static geography::Icb> {
    geography::current().area(code, name)
}

/// The `--by ics` key of an area a row names: its ICB in the run's geography (see
/// [`crate::geography`]). A predecessor's code is counted under its successor; a code
/// split between successors that normalisation could not place trust by trust is
/// [`UNPLACED`]; a code outside the geography is kept as given.
fn ics_key(code: Option<&str>, name: Option<&str>) -> Vec<String> {
    let current = geography::current();
    let (code, name) = match code.map(|c| (c, current.place(c))) {
        Some((_, Placement::Current(icb))) => (icb.code.as_str(), name.unwrap_or(&icb.name)),
        Some((_, Placement::Merged(icb))) => (icb.code.as_str(), icb.name.as_str()),
        Some((_, Placement::Split(_))) => (UNPLACED, UNPLACED),
        Some((code, Placement::Outside)) => (
            code,
            name.or_else(|| geography::known_icb(code).map(|icb| icb.name.as_str()))
                .unwrap_or(UNKNOWN_GROUP),
        ),
        None => match name.and_then(|n| current.icb_by_name(n)) {
            Some(icb) => (icb.code.as_str(), name.unwrap_or(&icb.name)),
            None => (UNKNOWN_GROUP, name.unwrap_or(UNKNOWN_GROUP)),
        },
    };
    vec![code.to_string(), name.to_string()]
}

/// A group key as the first cells of an output row. A blank part (the national row's
/// key columns before [`NATIONAL`], see [`GroupBy::total_key`]) has no value: null in
/// JSON, empty in CSV, rather than a text that looks like a code. No group's own key
/// is blank (a missing value is [`UNKNOWN_GROUP`]).
pub fn key_cells(key: &[String]) -> Vec<crate::output::Value> {
    key.iter()
        .map(|k| match k.as_str() {
            "" => crate::output::Value::Null,
            _ => crate::output::Value::Text(k.clone()),
        })
        .collect()
}

/// Sort order for group keys: known values alphabetically, unplaced and unknown last.
pub fn key_order(a: &[String], b: &[String]) -> std::cmp::Ordering {
    let unknown = |k: &[String]| {
        if k.iter().all(|v| v == UNKNOWN_GROUP) {
            2
        } else if k.first().is_some_and(|v| v == UNPLACED) {
            1
        } else {
            0
        }
    };
    unknown(a).cmp(&unknown(b)).then_with(|| {
        let la: Vec<String> = a.iter().map(|s| s.to_lowercase()).collect();
        let lb: Vec<String> = b.iter().map(|s| s.to_lowercase()).collect();
        la.cmp(&lb)
    })
}
