//! NHS geography as data: the ICBs (one per ICS) of England, their regions, and the
//! ICBs each was formed from. Two lists are built in, compiled from CSV files in
//! `src/assets` (sources in `src/assets/README.md`): the 42 ICBs of 1 July 2022 and
//! the 36 of 1 April 2026, after the mergers. `--geography FILE` (or `geography` in
//! the settings file) supplies another list in the same columns.
//!
//! Every figure by ICS is keyed by the chosen geography's ICBs: a code that a return
//! gives is placed with [`Geography::place`], so rows carrying a merged ICB's code are
//! counted under its successor, and a code split between successors is placed trust
//! by trust (see [`crate::normalise::regroup`]).

use crate::schema::normalise_label;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// The built-in geographies, oldest first: name and CSV text.
const BUILT_IN: &[(&str, &str)] = &[
    ("2022", include_str!("assets/icb-2022.csv")),
    ("2026", include_str!("assets/icb-2026.csv")),
];

/// NHS England region codes and names, as data.
const REGIONS_CSV: &str = include_str!("assets/nhs-regions.csv");

/// Group label of rows whose ICB cannot be placed in the chosen geography: a
/// predecessor split between successors, with no ODS reference placing the trust.
pub const UNPLACED: &str = "(unplaced)";

/// One ICB (the statutory body of an ICS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Icb {
    /// ODS code, e.g. `QE1`.
    pub code: String,
    /// Name as shown in tables: the list's name without a trailing "ICB".
    pub name: String,
    /// NHS England region name.
    pub region: String,
    /// The ICBs it was formed from (empty when it was not formed by a merger).
    pub predecessors: Vec<String>,
    /// The date it took effect, when the list says.
    pub took_effect: Option<NaiveDate>,
}

/// Where a code that a return gives belongs in a geography.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement<'a> {
    /// One of the geography's ICBs.
    Current(&'a Icb),
    /// A predecessor wholly merged into one successor.
    Merged(&'a Icb),
    /// A predecessor split between successors: its trusts are placed one by one.
    Split(&'a [usize]),
    /// Neither: a code of another geography, or not an ICB code at all.
    Outside,
}

/// A list of ICBs: the geography every figure by ICS is keyed by.
#[derive(Debug, Clone)]
pub struct Geography {
    /// `2022`, `2026`, or the file it was read from.
    pub label: String,
    /// The ICBs, in the list's order.
    pub icbs: Vec<Icb>,
    /// Upper-case code → index into `icbs`.
    by_code: HashMap<String, usize>,
    /// Upper-case predecessor code → its successors' indexes.
    successors: HashMap<String, Vec<usize>>,
    /// Name keys (see [`name_key`]), in `icbs` order.
    name_keys: Vec<String>,
}

impl Geography {
    /// A built-in geography by name (`2022`, `2026`).
    pub fn built_in(name: &str) -> Option<&'static Geography> {
        let index = BUILT_IN.iter().position(|(n, _)| *n == name)?;
        built_ins().get(index)
    }

    /// The latest built-in geography: the default.
    pub fn latest() -> &'static Geography {
        built_ins()
            .last()
            .expect("at least one geography is built in")
    }

    /// The names of the built-in geographies, oldest first.
    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(name, _)| *name).collect()
    }

    /// A geography named on the command line or in the settings file: a built-in
    /// name, else a CSV file (columns `icb_code`, `icb_name`, `region`, and
    /// optionally `predecessor_codes` (`;`-separated) and `took_effect`).
    pub fn resolve(choice: &str) -> Result<Geography> {
        if let Some(built_in) = Geography::built_in(choice) {
            return Ok(built_in.clone());
        }
        let path = Path::new(choice);
        if !path.exists() {
            bail!(
                "--geography {choice}: not a built-in geography ({}) nor an existing file",
                Geography::built_in_names().join(", ")
            );
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading geography file {choice}"))?;
        Geography::parse(&text, choice)
    }

    /// Parse a geography CSV; errors name `label` and the line.
    pub fn parse(text: &str, label: &str) -> Result<Geography> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader
            .headers()
            .with_context(|| format!("{label}: reading the header line"))?
            .clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let required = |name: &str| {
            column(name).with_context(|| {
                format!(
                    "{label}: line 1: no `{name}` column (a geography file has the columns \
                     icb_code, icb_name, region, and optionally predecessor_codes and took_effect)"
                )
            })
        };
        let (code_col, name_col, region_col) = (
            required("icb_code")?,
            required("icb_name")?,
            required("region")?,
        );
        let (pred_col, date_col) = (column("predecessor_codes"), column("took_effect"));
        let mut icbs: Vec<Icb> = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let line = index + 2;
            let record = record.with_context(|| format!("{label}: line {line}"))?;
            let cell = |col: Option<usize>| {
                col.and_then(|c| record.get(c))
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
            };
            if record.iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let code = cell(Some(code_col))
                .with_context(|| format!("{label}: line {line}: icb_code is blank"))?
                .to_uppercase();
            if icbs.iter().any(|i| i.code == code) {
                bail!("{label}: line {line}: ICB code {code} is listed twice");
            }
            let name = cell(Some(name_col))
                .with_context(|| format!("{label}: line {line}: icb_name of {code} is blank"))?;
            let region = cell(Some(region_col))
                .with_context(|| format!("{label}: line {line}: region of {code} is blank"))?;
            let took_effect = match cell(date_col) {
                None => None,
                Some(text) => Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").with_context(
                    || {
                        format!(
                            "{label}: line {line}: took_effect {text:?} is not a date (YYYY-MM-DD)"
                        )
                    },
                )?),
            };
            icbs.push(Icb {
                code,
                name: display_name(name),
                region: canonical_region(region).unwrap_or(region).to_string(),
                predecessors: cell(pred_col)
                    .map(|list| {
                        list.split(';')
                            .map(|c| c.trim().to_uppercase())
                            .filter(|c| !c.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                took_effect,
            });
        }
        if icbs.is_empty() {
            bail!("{label}: lists no ICBs");
        }
        let by_code: HashMap<String, usize> = icbs
            .iter()
            .enumerate()
            .map(|(i, icb)| (icb.code.clone(), i))
            .collect();
        let mut successors: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, icb) in icbs.iter().enumerate() {
            for predecessor in &icb.predecessors {
                if by_code.contains_key(predecessor) && predecessor != &icb.code {
                    bail!(
                        "{label}: {} names {predecessor} as a predecessor, but {predecessor} is itself one of the list's ICBs",
                        icb.code
                    );
                }
                successors.entry(predecessor.clone()).or_default().push(i);
            }
        }
        let name_keys = icbs.iter().map(|icb| name_key(&icb.name)).collect();
        Ok(Geography {
            label: label.to_string(),
            icbs,
            by_code,
            successors,
            name_keys,
        })
    }

    /// The ICB with this code, if it is one of the list's.
    pub fn icb(&self, code: &str) -> Option<&Icb> {
        self.by_code
            .get(code.trim().to_uppercase().as_str())
            .map(|&i| &self.icbs[i])
    }

    /// The ICB with this name, ignoring case, punctuation and the words NHS, ICB,
    /// ICS, "Integrated Care Board/System" that returns often add.
    pub fn icb_by_name(&self, name: &str) -> Option<&Icb> {
        let key = name_key(name);
        self.name_keys
            .iter()
            .position(|k| *k == key)
            .map(|i| &self.icbs[i])
    }

    /// Where rows carrying this ICB code belong.
    pub fn place(&self, code: &str) -> Placement<'_> {
        // Every provider is placed (twice in a run): a code already upper-case, as
        // nearly every row's is, is looked up without a copy.
        let code = code.trim();
        let code: std::borrow::Cow<str> = if code
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_lowercase())
        {
            code.into()
        } else {
            code.to_uppercase().into()
        };
        let code = &*code;
        if let Some(&i) = self.by_code.get(code) {
            return Placement::Current(&self.icbs[i]);
        }
        match self.successors.get(code).map(Vec::as_slice) {
            Some([one]) => Placement::Merged(&self.icbs[*one]),
            Some(several) => Placement::Split(several),
            None => Placement::Outside,
        }
    }

    /// The successors a split predecessor's trusts may be placed in.
    pub fn successors_of(&self, indexes: &[usize]) -> Vec<&Icb> {
        indexes.iter().map(|&i| &self.icbs[i]).collect()
    }

    /// The successors of a split predecessor as people read them: "D7T5G Essex and
    /// T6Y0W Norfolk and Suffolk" (warnings and the hex map say the same).
    pub fn successors_named(&self, indexes: &[usize]) -> String {
        self.successors_of(indexes)
            .iter()
            .map(|icb| format!("{} {}", icb.code, icb.name))
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// The ICB an area named by a code (else a name) belongs to in this geography,
    /// with the code as given when it is outside it: (code, name, region). `None`
    /// when neither is given or the code is a split predecessor.
    pub fn area(&self, code: Option<&str>, name: Option<&str>) -> Option<&Icb> {
        match code {
            Some(code) => match self.place(code) {
                Placement::Current(icb) | Placement::Merged(icb) => Some(icb),
                Placement::Split(_) | Placement::Outside => None,
            },
            None => name.and_then(|n| self.icb_by_name(n)),
        }
    }

    /// For titles: "2026 geography (36 ICBs)".
    pub fn describe(&self) -> String {
        format!("{} geography ({} ICBs)", self.label, self.icbs.len())
    }
}

/// The built-in geographies, parsed once.
fn built_ins() -> &'static [Geography] {
    static PARSED: OnceLock<Vec<Geography>> = OnceLock::new();
    PARSED.get_or_init(|| {
        BUILT_IN
            .iter()
            .map(|(name, text)| {
                let mut geography = Geography::parse(text, name)
                    .expect("the built-in geographies are valid (tested)");
                geography.label = name.to_string();
                geography
            })
            .collect()
    })
}

/// The geography chosen for this run (`--geography`), set once at start-up; the
/// latest built-in when none was chosen.
static CURRENT: OnceLock<Geography> = OnceLock::new();

/// Choose the geography for this run. Only the first call has effect (the run has
/// one geography); later calls return `false`.
pub fn choose(geography: Geography) -> bool {
    CURRENT.set(geography).is_ok()
}

/// The geography of this run.
pub fn current() -> &'static Geography {
    CURRENT.get().unwrap_or_else(|| Geography::latest())
}

/// An ICB of any known geography (this run's first, then the built-ins, latest
/// first) with this code: for reading cover sheets, which may be of any year.
pub fn known_icb(code: &str) -> Option<&'static Icb> {
    std::iter::once(current())
        .chain(built_ins().iter().rev())
        .find_map(|g| g.icb(code))
}

/// An ICB of any known geography with this name (see [`Geography::icb_by_name`]).
pub fn known_icb_by_name(name: &str) -> Option<&'static Icb> {
    std::iter::once(current())
        .chain(built_ins().iter().rev())
        .find_map(|g| g.icb_by_name(name))
}

/// Whether an ICB code is one of an older built-in geography's than the run's: an
/// ICB that kept its code through a merger.
pub fn is_older_code(code: &str) -> bool {
    let current = current();
    built_ins()
        .iter()
        .filter(|g| g.label != current.label)
        .any(|g| g.icb(code).is_some())
}

/// NHS England region codes and names (`Y56`, `London`), from the built-in data.
pub fn regions() -> &'static [(String, String)] {
    static PARSED: OnceLock<Vec<(String, String)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        REGIONS_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let (code, name) = line.split_once(',')?;
                Some((code.trim().to_string(), name.trim().to_string()))
            })
            .collect()
    })
}

/// Region name for an NHS England region code (`Y56` → `London`).
pub fn region_name(code: &str) -> Option<&'static str> {
    regions()
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(_, name)| name.as_str())
}

/// Canonical region name for a value written as a code or a name.
pub fn canonical_region(text: &str) -> Option<&'static str> {
    region_name(text).or_else(|| {
        let key = normalise_label(text).0;
        regions()
            .iter()
            .find(|(_, name)| normalise_label(name).0 == key)
            .map(|(_, name)| name.as_str())
    })
}

/// An ICB's name as shown in tables: without the trailing "ICB" lists add (the ICS
/// and its board share the name).
fn display_name(name: &str) -> String {
    let trimmed = name.trim();
    trimmed
        .strip_suffix(" ICB")
        .map(str::trim_end)
        .unwrap_or(trimmed)
        .to_string()
}

/// A name reduced for matching: lower case, no punctuation, without the words NHS,
/// ICB, ICS, "the" and "Integrated Care Board/System".
fn name_key(name: &str) -> String {
    let (norm, _) = normalise_label(&name.replace('&', " and "));
    let norm = norm
        .replace("integrated care board", " ")
        .replace("integrated care system", " ");
    norm.split(' ')
        .filter(|w| !w.is_empty() && !matches!(*w, "nhs" | "icb" | "ics" | "the"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_lists_are_whole() {
        let old = Geography::built_in("2022").expect("2022");
        let new = Geography::built_in("2026").expect("2026");
        assert_eq!(old.icbs.len(), 42);
        assert_eq!(new.icbs.len(), 36);
        assert_eq!(Geography::latest().label, "2026");
        // Every predecessor of 2026 is a 2022 ICB, and every 2022 ICB is either kept
        // or a predecessor: nothing falls between the lists.
        for icb in &new.icbs {
            for p in &icb.predecessors {
                assert!(old.icb(p).is_some(), "{p}");
            }
        }
        for icb in &old.icbs {
            assert_ne!(new.place(&icb.code), Placement::Outside, "{}", icb.code);
        }
        assert_eq!(
            new.icb("S1Y5D").map(|i| i.name.as_str()),
            Some("Central East")
        );
        assert_eq!(old.icb("qnq").map(|i| i.name.as_str()), Some("Frimley"));
    }

    #[test]
    fn placement_of_merged_and_split_codes() {
        let new = Geography::built_in("2026").expect("2026");
        assert!(matches!(new.place("QHG"), Placement::Merged(i) if i.code == "S1Y5D"));
        assert!(matches!(new.place("QE1"), Placement::Current(i) if i.code == "QE1"));
        let Placement::Split(into) = new.place("QJG") else {
            panic!("QJG is split");
        };
        let codes: Vec<&str> = new
            .successors_of(into)
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(codes, ["D7T5G", "T6Y0W"]);
        assert_eq!(new.place("QZZ"), Placement::Outside);
        // A code as a return may write it: lower case, spaces around it. (Codes
        // already upper-case are looked up without a copy; these take the other way.)
        for written in [" qe1", "Qe1 ", "qE1"] {
            assert_eq!(new.place(written), new.place("QE1"), "{written:?}");
        }
        assert_eq!(new.place(" qjg "), new.place("QJG"));
        assert_eq!(new.place("qzz"), Placement::Outside);
    }

    #[test]
    fn names_and_regions() {
        let new = Geography::built_in("2026").expect("2026");
        assert_eq!(
            new.icb_by_name("NHS Thames Valley Integrated Care Board")
                .map(|i| i.code.as_str()),
            Some("S0E4D")
        );
        assert_eq!(region_name("y62"), Some("North West"));
        assert_eq!(canonical_region("north west"), Some("North West"));
    }

    #[test]
    fn bad_files_name_the_line() {
        let error =
            Geography::parse("icb_code,icb_name\nQE1,x\n", "g.csv").expect_err("no region column");
        assert!(error.to_string().contains("no `region` column"), "{error}");
        let error = Geography::parse(
            "icb_code,icb_name,region,took_effect\nQE1,A,London,2026-01-01\nQE1,B,London,\n",
            "g.csv",
        )
        .expect_err("duplicate");
        assert!(
            error
                .to_string()
                .contains("g.csv: line 3: ICB code QE1 is listed twice"),
            "{error}"
        );
    }
}
