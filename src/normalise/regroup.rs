//! Placing rows in the run's geography (`--geography`) where their ICB code alone
//! cannot: a predecessor ICB split between successors (QJG, QNQ in April 2026). Each
//! of its providers is placed from the ODS reference (`--ods`, its ICB column), else
//! warned and counted under [`UNPLACED`] — never guessed. Codes of merged ICBs need
//! no work here: grouping maps them to their successor (see
//! [`crate::metrics::GroupBy::area_key`]).

use crate::diag::{plural, Diagnostic, Severity};
use crate::geography::{self, Geography, Icb, Placement, UNPLACED};
use crate::model::{FileRows, FundingLine, OdsLookup, Provider};
use std::collections::BTreeMap;

/// "QJG (Suffolk and North East Essex), split between D7T5G Essex and T6Y0W Norfolk
/// and Suffolk on 2026-04-01".
fn describe_split(geography: &Geography, code: &str, indexes: &[usize]) -> String {
    let name = geography::known_icb(code)
        .map(|icb| format!(" ({})", icb.name))
        .unwrap_or_default();
    let date = geography
        .successors_of(indexes)
        .iter()
        .find_map(|icb| icb.took_effect)
        .map(|d| format!(" on {d}"))
        .unwrap_or_default();
    format!(
        "{code}{name}, split between {}{date}",
        geography.successors_named(indexes)
    )
}

/// Place every provider whose ICB code is a split predecessor in the run's
/// geography: from the ODS reference's ICB column when it names one of the
/// successors, else under [`UNPLACED`] with a warning. One note per predecessor says
/// how many the reference placed. Returns nothing: the rows are changed in place.
pub fn place_split_providers(
    providers: &mut FileRows<Provider>,
    reference: Option<&OdsLookup>,
    diags: &mut Vec<Diagnostic>,
) {
    let geography = geography::current();
    // Predecessor code → (providers placed from the reference, the split described,
    // the reference file).
    let mut placed: BTreeMap<String, (usize, String, String)> = BTreeMap::new();
    for provider in providers.iter_mut() {
        let Some(code) = provider.ics_code.as_deref() else {
            continue;
        };
        let Placement::Split(indexes) = geography.place(code) else {
            continue;
        };
        let code = code.to_string();
        let into = geography.successors_of(indexes);
        let split = describe_split(geography, &code, indexes);
        let odsd = provider.ods_code.as_deref().and_then(|ods| {
            let record = reference?.record(ods)?;
            let icb = record.icb_code.as_deref()?;
            Some((
                icb.to_string(),
                successor_named(geography, &into, icb),
                record.source.clone(),
            ))
        });
        let who = match (&provider.ods_code, &provider.name) {
            (Some(ods), Some(name)) => format!("{ods} {name}"),
            (Some(ods), None) => ods.to_string(),
            (None, Some(name)) => name.clone(),
            (None, None) => "a provider".to_string(),
        };
        let loc = provider.origin.location();
        match odsd {
            Some((_, Some(icb), source)) => {
                provider.ics_code = Some(icb.code.as_str().into());
                provider.ics_name = Some(icb.name.as_str().into());
                provider.region = Some(icb.region.as_str().into());
                placed.entry(code).or_insert((0, split, source)).0 += 1;
                continue;
            }
            Some((other, None, _)) => diags.push(Diagnostic::at(
                Severity::Warning,
                &loc,
                format!(
                    "{who} is in {split}; the ODS reference puts it in ICB {other}, which is \
                     neither: counted under {UNPLACED} by ICS (its region's and England's \
                     figures include it)"
                ),
            )),
            None => diags.push(Diagnostic::at(
                Severity::Warning,
                &loc,
                format!(
                    "{who} is in {split}; which of them it is in cannot be told without an ODS \
                     reference naming its ICB (--ods with a current ODS file): counted under \
                     {UNPLACED} by ICS (its region's and England's figures include it)"
                ),
            )),
        }
        provider.ics_code = Some(UNPLACED.into());
        provider.ics_name = Some(UNPLACED.into());
    }
    for (count, split, source) in placed.values() {
        diags.push(Diagnostic::file(
            Severity::Note,
            source,
            format!(
                "{split}: {} placed by this ODS reference's ICB column",
                plural(*count, "provider")
            ),
        ));
    }
}

/// The successor (of `into`) that the ICB code `icb` a reference gives is, or was
/// merged into.
fn successor_named<'g>(geography: &'g Geography, into: &[&'g Icb], icb: &str) -> Option<&'g Icb> {
    match geography.place(icb) {
        Placement::Current(found) | Placement::Merged(found) => {
            into.iter().find(|s| s.code == found.code).copied()
        }
        Placement::Split(_) | Placement::Outside => None,
    }
}

/// One warning per return for a split predecessor whose ICS-wide funding lines
/// (or lines for providers listed nowhere) cannot be placed by ICS.
pub fn warn_split_funding(
    lines: &[FundingLine],
    providers: &FileRows<Provider>,
    diags: &mut Vec<Diagnostic>,
) {
    let geography = geography::current();
    let listed: rustc_hash::FxHashSet<&str> = providers
        .iter()
        .filter_map(|p| p.ods_code.as_deref())
        .collect();
    let mut by_file: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for line in lines {
        let Some(code) = line.return_ics_code.as_deref() else {
            continue;
        };
        let for_listed = line
            .ods_code
            .as_deref()
            .is_some_and(|ods| listed.contains(ods));
        if !for_listed && matches!(geography.place(code), Placement::Split(_)) {
            *by_file.entry((&*line.origin.source, code)).or_default() += 1;
        }
    }
    for ((file, code), count) in by_file {
        let Placement::Split(indexes) = geography.place(code) else {
            continue;
        };
        let split = describe_split(geography, code, indexes);
        diags.push(Diagnostic::file(
            Severity::Warning,
            file,
            format!(
                "{} of a return for {split} {} for no listed provider: counted under \
                 {UNPLACED} by ICS (its region's and England's figures include {})",
                plural(count, "funding line"),
                if count == 1 { "is" } else { "are" },
                if count == 1 { "it" } else { "them" },
            ),
        ));
    }
}
