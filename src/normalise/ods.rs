//! The NHS ODS organisation reference files (SPEC 1.6): `etr.csv`, `ect.csv` and
//! others in the published layout (no header row, 27 columns).

use crate::diag::{Diagnostic, Location, Severity};
use crate::geography::region_name;
use crate::ingest::discover::plain_io_error;
use crate::ingest::{csv_reader, decode_text};
use crate::model::{FileRows, OdsCode, OdsLookup, OdsRecord, Provider};
use crate::normalise::cover::complete_ics;
use crate::normalise::values::clean_text;
use chrono::NaiveDate;
use rustc_hash::FxHashSet;
use std::collections::HashMap;
use std::path::PathBuf;

/// What to do with an organisation the ODS reference shows as closed (issue 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClosedPolicy {
    /// Leave it out when it closed on or before the date the figures describe; keep
    /// it when no date is known (default).
    #[default]
    ByDate,
    /// Keep every closed organisation (`--include-closed`).
    Include,
    /// Leave out those closed by the date the figures describe, and every closed one
    /// when no date is known (`--exclude-closed`).
    Exclude,
}

/// The date the figures describe, for deciding who was open: `--as-of`, else the
/// submitted date on the cover sheet of the return a provider's row came from.
#[derive(Debug, Clone, Default)]
pub struct DescribedDate<'a> {
    /// `--as-of`, when given.
    pub as_of: Option<NaiveDate>,
    /// Each return's cover-sheet submitted date, by file as displayed.
    pub submitted: HashMap<&'a str, NaiveDate>,
}

impl DescribedDate<'_> {
    /// The date for a provider's row, and where it came from (for messages).
    fn of(&self, provider: &Provider) -> Option<(NaiveDate, &'static str)> {
        match self.as_of {
            Some(date) => Some((date, "--as-of")),
            None => self
                .submitted
                .get(provider.origin.source.as_ref())
                .map(|&date| (date, "the return's submitted date")),
        }
    }
}

// Zero-based column indexes of the published layout.
const CODE: usize = 0;
const NAME: usize = 1;
const REGION: usize = 2;
const ICB: usize = 3;
const CLOSE_DATE: usize = 11;

impl OdsLookup {
    /// Every organisation, by code, in code order.
    pub fn records(&self) -> Vec<(&str, &OdsRecord)> {
        let mut all: Vec<(&str, &OdsRecord)> =
            self.records.iter().map(|(c, r)| (c.as_str(), r)).collect();
        all.sort_by_key(|(c, _)| *c);
        all
    }

    /// The record of this code, if the reference knows it.
    pub fn record(&self, code: &str) -> Option<&OdsRecord> {
        self.records.get(code)
    }

    /// Whether the reference knows this code.
    pub fn knows(&self, code: &str) -> bool {
        self.records.contains_key(code)
    }

    /// Read ODS files. Unreadable files are errors; short lines are warnings.
    pub fn load(paths: &[PathBuf], diags: &mut Vec<Diagnostic>) -> OdsLookup {
        let mut lookup = OdsLookup::default();
        for path in paths {
            let display = path.display().to_string();
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(Diagnostic::file(
                        Severity::Error,
                        &display,
                        format!("cannot read ODS file: {}", plain_io_error(&e)),
                    ));
                    continue;
                }
            };
            let (text, encoding_note) = decode_text(&bytes);
            if let Some(note) = encoding_note {
                diags.push(Diagnostic::file(Severity::Note, &display, note));
            }
            for (line, record) in csv_reader(b',', &text).records().enumerate() {
                let loc = Location {
                    file: display.clone(),
                    sheet: None,
                    cell: Some(format!("line {}", line + 1)),
                };
                let record = match record {
                    Ok(r) => r,
                    Err(e) => {
                        diags.push(Diagnostic::at(
                            Severity::Error,
                            &loc,
                            format!("malformed ODS line ({e})"),
                        ));
                        continue;
                    }
                };
                let field = |i: usize| record.get(i).and_then(clean_text);
                if record.len() <= CLOSE_DATE {
                    diags.push(Diagnostic::at(
                        Severity::Warning,
                        &loc,
                        format!(
                            "ODS line has {} columns, expected the published 27: skipped",
                            record.len()
                        ),
                    ));
                    continue;
                }
                let Some(code) = field(CODE).map(|c| c.to_ascii_uppercase()) else {
                    continue;
                };
                let closed =
                    field(CLOSE_DATE).and_then(|d| NaiveDate::parse_from_str(&d, "%Y%m%d").ok());
                lookup.records.insert(
                    code,
                    OdsRecord {
                        name: field(NAME),
                        region_code: field(REGION).map(|c| c.to_ascii_uppercase()),
                        icb_code: field(ICB).map(|c| c.to_ascii_uppercase()),
                        closed,
                        source: display.clone(),
                    },
                );
            }
        }
        lookup
    }

    /// Fill each provider's missing ICB code, region and name from the lookup, and
    /// warn about codes it does not know and organisations that are closed. A closed
    /// organisation is left out of `providers` (so of every command's population) as
    /// `policy` and the date the figures describe decide; the codes left out are
    /// returned. Every warning says whether the provider is still counted.
    pub fn apply(
        &self,
        providers: &mut FileRows<Provider>,
        date: &DescribedDate<'_>,
        policy: ClosedPolicy,
        diags: &mut Vec<Diagnostic>,
    ) -> FxHashSet<OdsCode> {
        let mut left_out = FxHashSet::default();
        for provider in providers.iter_mut() {
            let Some(code) = provider.ods_code.clone() else {
                continue;
            };
            let loc = provider.origin.location();
            let Some(record) = self.records.get(code.as_str()) else {
                diags.push(Diagnostic::at(
                    Severity::Warning,
                    &loc,
                    format!("ODS code {code} is not in the ODS reference file: still counted"),
                ));
                continue;
            };
            if let Some(closed) = record.closed {
                let closure = format!(
                    "ODS code {code} is closed (close date {closed} in {})",
                    record.source
                );
                let (severity, message) = match (date.of(provider), policy) {
                    (_, ClosedPolicy::Include) => (
                        Severity::Warning,
                        format!("{closure}: still counted (--include-closed)"),
                    ),
                    (Some((date, from)), _) if closed <= date => {
                        left_out.insert(code.clone());
                        let keep = match policy {
                            ClosedPolicy::Exclude => "",
                            _ => "; --include-closed keeps it",
                        };
                        (
                            Severity::Warning,
                            format!(
                                "{closure}, on or before {date} ({from}): left out of the population, with its systems rows{keep}"
                            ),
                        )
                    }
                    // Open at the date the figures describe: nothing to correct.
                    (Some((date, from)), _) => (
                        Severity::Note,
                        format!(
                            "ODS code {code} closed {closed} (in {}), after {date} ({from}): still counted, as it was open then",
                            record.source
                        ),
                    ),
                    (None, ClosedPolicy::Exclude) => {
                        left_out.insert(code.clone());
                        (
                            Severity::Warning,
                            format!("{closure}: left out of the population, with its systems rows (--exclude-closed)"),
                        )
                    }
                    (None, _) => (
                        Severity::Warning,
                        format!(
                            "{closure}: still counted, as no date is known for these figures; \
                             leave out organisations closed by a date with --as-of D, or every \
                             closed one with --exclude-closed"
                        ),
                    ),
                };
                diags.push(Diagnostic::at(severity, &loc, message));
            }
            if provider.ics_code.is_none() {
                provider.ics_code = record.icb_code.as_deref().map(Into::into);
            }
            if provider.region.is_none() {
                provider.region = record
                    .region_code
                    .as_deref()
                    .and_then(region_name)
                    .map(Into::into);
            }
            if provider.name.is_none() {
                provider.name = record.name.clone();
            }
            complete_ics(
                &mut provider.ics_code,
                &mut provider.ics_name,
                &mut provider.region,
            );
        }
        if !left_out.is_empty() {
            providers.retain(|p| p.ods_code.as_ref().is_none_or(|c| !left_out.contains(c)));
        }
        left_out
    }
}
