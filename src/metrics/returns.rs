//! The submission tracker (`eprscan returns`): on deadline day, which ICSs have sent a
//! return, which returns have problems, and which files could not be placed.

use super::{GroupBy, NATIONAL, UNKNOWN_GROUP};
use crate::diag::{Diagnostic, Severity};
use crate::geography::{self, Placement};
use crate::model::Return;
use crate::output::{Table, Value};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Where one ICS (or one file whose ICS cannot be told) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// Returned and read with no warning.
    Ok,
    /// Returned and read, with warnings.
    Warnings,
    /// Two or more files claim the ICS (or one of the ICBs it was formed from).
    Duplicate,
    /// Formed by a merger, and returns came for some of the ICBs it was formed from
    /// but not all.
    Partial,
    /// A file for it has errors (unreadable, no providers table ...).
    Errors,
    /// No file names it.
    Missing,
}

impl State {
    /// Every state, in the order the national row lists them.
    pub const ALL: [State; 6] = [
        State::Ok,
        State::Warnings,
        State::Errors,
        State::Duplicate,
        State::Partial,
        State::Missing,
    ];

    /// The state as written in the `state` column.
    pub fn name(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Warnings => "warnings",
            State::Duplicate => "duplicate",
            State::Errors => "errors",
            State::Partial => "partial",
            State::Missing => "missing",
        }
    }
}

/// One file as the tracker sees it.
#[derive(Debug, Clone, Default)]
struct FileEntry {
    file: String,
    ics: Option<String>,
    submitted: Option<NaiveDate>,
    contact: Option<String>,
    providers: usize,
    systems: usize,
    funding: usize,
    errors: usize,
    warnings: usize,
}

/// One tracker row: an ICS of the reference list, or a file whose ICS is unknown.
#[derive(Debug, Clone)]
pub struct TrackerRow {
    /// ICB code (`(unknown)` for a file whose ICS cannot be told).
    pub ics_code: String,
    /// ICS name.
    pub ics_name: String,
    /// NHS England region name.
    pub region: String,
    /// Where it stands.
    pub state: State,
    files: Vec<FileEntry>,
    /// For an ICB formed by a merger: the ICBs it was formed from that no file is for.
    missing_predecessors: Vec<String>,
}

impl TrackerRow {
    fn sum(&self, count: impl Fn(&FileEntry) -> usize) -> usize {
        self.files.iter().map(count).sum()
    }
}

/// Every file read or tried: the returns, and the files that could not be read
/// (known only from their diagnostics). Diagnostics are counted per file.
fn file_entries(returns: &[Return], diagnostics: &[Diagnostic]) -> Vec<FileEntry> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in diagnostics {
        let entry = counts.entry(d.file.as_str()).or_default();
        match d.severity {
            Severity::Error => entry.0 += 1,
            Severity::Warning => entry.1 += 1,
            Severity::Note => {}
        }
    }
    let mut entries: Vec<FileEntry> = returns
        .iter()
        .map(|r| {
            let (errors, warnings) = counts.remove(r.source.as_str()).unwrap_or_default();
            FileEntry {
                file: r.source.clone(),
                ics: r.for_ics.clone(),
                submitted: r.submitted,
                contact: r.contact.clone(),
                providers: r.provider_rows,
                systems: r.systems_rows,
                funding: r.funding_rows,
                errors,
                warnings,
            }
        })
        .collect();
    // Files with an error and no return record: they could not be read at all.
    for (file, (errors, warnings)) in counts {
        if errors > 0 && !file.is_empty() {
            entries.push(FileEntry {
                file: file.to_string(),
                errors,
                warnings,
                ..FileEntry::default()
            });
        }
    }
    entries
}

/// The tracker's rows: the ICBs of the run's geography in ICB-code order (returned or
/// not), any other ICB code a file names, then one row per file whose ICS cannot be
/// told. A file for an ICB that merged into another counts for its successor; a file
/// for an ICB split between successors counts for each of them.
pub fn tracker_rows(returns: &[Return], diagnostics: &[Diagnostic]) -> Vec<TrackerRow> {
    let geography = geography::current();
    let mut rows: Vec<TrackerRow> = geography
        .icbs
        .iter()
        .map(|icb| TrackerRow {
            ics_code: icb.code.clone(),
            ics_name: icb.name.clone(),
            region: icb.region.clone(),
            state: State::Missing,
            files: Vec::new(),
            missing_predecessors: Vec::new(),
        })
        .collect();
    let mut outside: BTreeMap<String, Vec<FileEntry>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for entry in file_entries(returns, diagnostics) {
        let Some(code) = entry.ics.clone() else {
            unplaced.push(entry);
            continue;
        };
        let row_of = |code: &str| rows.iter().position(|r| r.ics_code == code);
        let targets: Vec<usize> = match geography.place(&code) {
            Placement::Current(icb) | Placement::Merged(icb) => {
                row_of(&icb.code).into_iter().collect()
            }
            Placement::Split(into) => geography
                .successors_of(into)
                .iter()
                .filter_map(|icb| row_of(&icb.code))
                .collect(),
            Placement::Outside => Vec::new(),
        };
        if targets.is_empty() {
            outside.entry(code).or_default().push(entry);
        } else {
            for target in targets {
                rows[target].files.push(entry.clone());
            }
        }
    }
    for (row, icb) in rows.iter_mut().zip(&geography.icbs) {
        let claims = |code: &str| row.files.iter().any(|f| f.ics.as_deref() == Some(code));
        // An ICB that kept its code and took in part of another (QRL) needs a return
        // for itself too; a new ICB's own return covers all of it.
        let continuing = !icb.predecessors.is_empty() && geography::is_older_code(&icb.code);
        if !row.files.is_empty() && (continuing || !claims(&icb.code)) {
            row.missing_predecessors = continuing
                .then_some(&icb.code)
                .into_iter()
                .chain(&icb.predecessors)
                .filter(|p| !claims(p))
                .cloned()
                .collect();
        }
    }
    // An ICB code outside the geography (another year's list, a typo).
    rows.extend(outside.into_iter().map(|(code, files)| TrackerRow {
        ics_name:
            geography::known_icb(&code).map_or(UNKNOWN_GROUP.to_string(), |icb| icb.name.clone()),
        region:
            geography::known_icb(&code).map_or(UNKNOWN_GROUP.to_string(), |icb| icb.region.clone()),
        ics_code: code,
        state: State::Missing,
        files,
        missing_predecessors: Vec::new(),
    }));
    rows.sort_by(|a, b| a.ics_code.cmp(&b.ics_code));
    rows.extend(unplaced.into_iter().map(|entry| TrackerRow {
        ics_code: UNKNOWN_GROUP.to_string(),
        ics_name: "(ICS not told by the file)".to_string(),
        region: UNKNOWN_GROUP.to_string(),
        state: State::Missing,
        files: vec![entry],
        missing_predecessors: Vec::new(),
    }));
    for row in &mut rows {
        row.state = state_of(row);
    }
    rows
}

/// Errors first (the analyst must act), then a second file claiming the ICS, then
/// warnings. An ICB formed by a merger whose returns came from only some of its
/// predecessors is partial unless something worse is wrong.
fn state_of(row: &TrackerRow) -> State {
    let files = &row.files;
    // Two files for one code, or a file for the ICB itself besides its predecessors'.
    let claimed_twice = files
        .iter()
        .enumerate()
        .any(|(i, f)| files[..i].iter().any(|other| other.ics == f.ics))
        || (files.len() > 1
            && files
                .iter()
                .any(|f| f.ics.as_deref() == Some(&row.ics_code)));
    if files.is_empty() {
        State::Missing
    } else if files.iter().any(|f| f.errors > 0) {
        State::Errors
    } else if claimed_twice {
        State::Duplicate
    } else if !row.missing_predecessors.is_empty() {
        State::Partial
    } else if files.iter().any(|f| f.warnings > 0) {
        State::Warnings
    } else {
        State::Ok
    }
}

/// The headline figure of returns received, naming how many ICSs the run's geography
/// expects ("Returns received (of the 36 ICSs)"): the report writes it, the HTML page
/// reads it back by this label.
pub fn received_label() -> String {
    format!(
        "Returns received (of the {} ICSs)",
        geography::current().icbs.len()
    )
}

/// The tracker table, by ICS (one row per ICS and unplaced file) or rolled up by
/// region or nationally (ICSs per state).
pub fn tracker(returns: &[Return], diagnostics: &[Diagnostic], by: GroupBy) -> Table {
    tracker_table(&tracker_rows(returns, diagnostics), by)
}

/// The tracker table of rows made by [`tracker_rows`].
pub fn tracker_table(rows: &[TrackerRow], by: GroupBy) -> Table {
    let geography = geography::current();
    let title = format!(
        "Returns received: {} of {} ICSs ({}; {})",
        rows.iter()
            .filter(|r| r.state != State::Missing && geography.icb(&r.ics_code).is_some())
            .count(),
        geography.icbs.len(),
        geography.describe(),
        state_counts_text(rows)
    );
    match by {
        GroupBy::Ics => {
            let columns = [
                "ics_code",
                "ics_name",
                "region",
                "state",
                "files",
                "submitted",
                "contact",
                "providers",
                "systems",
                "funding_lines",
                "errors",
                "warnings",
            ];
            Table {
                title: Some(title),
                columns: columns.iter().map(|c| c.to_string()).collect(),
                rows: rows.iter().map(ics_row).collect(),
                total: Some(national_ics_row(rows)),
            }
        }
        _ => {
            let mut groups: BTreeMap<String, Vec<&TrackerRow>> = BTreeMap::new();
            for row in rows {
                let key = match by {
                    GroupBy::Region => row.region.clone(),
                    _ => NATIONAL.to_string(),
                };
                groups.entry(key).or_default().push(row);
            }
            let mut keys: Vec<String> = groups.keys().cloned().collect();
            keys.sort_by_key(|k| (k == UNKNOWN_GROUP, k.clone()));
            let all: Vec<&TrackerRow> = rows.iter().collect();
            Table {
                title: Some(title),
                columns: by.columns(&rollup_columns()),
                rows: keys.iter().map(|k| rollup_row(k, &groups[k])).collect(),
                total: by.total_key().map(|key| rollup_row(&key.concat(), &all)),
            }
        }
    }
}

impl TrackerRow {
    /// A file whose ICS cannot be told, not an ICS.
    fn is_unplaced(&self) -> bool {
        self.ics_code == UNKNOWN_GROUP
    }
}

/// `30 ok, 5 warnings, 1 errors, 0 duplicate, 6 missing` over the ICSs, and how many
/// files could not be placed.
fn state_counts_text(rows: &[TrackerRow]) -> String {
    let icss: Vec<&TrackerRow> = rows.iter().filter(|r| !r.is_unplaced()).collect();
    // "partial" only where it can happen: in a geography with ICBs formed by mergers.
    let merged = geography::current()
        .icbs
        .iter()
        .any(|icb| !icb.predecessors.is_empty());
    let mut text = State::ALL
        .iter()
        .filter(|s| merged || **s != State::Partial)
        .map(|s| {
            format!(
                "{} {}",
                icss.iter().filter(|r| r.state == *s).count(),
                s.name()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let unplaced = rows.len() - icss.len();
    if unplaced > 0 {
        text.push_str(&format!(
            "; {unplaced} {} whose ICS cannot be told",
            if unplaced == 1 { "file" } else { "files" }
        ));
    }
    text
}

fn ics_row(row: &TrackerRow) -> Vec<Value> {
    let files: Vec<&str> = row.files.iter().map(|f| f.file.as_str()).collect();
    let latest = row.files.iter().filter_map(|f| f.submitted).max();
    let mut contacts: Vec<&str> = Vec::new();
    for contact in row.files.iter().filter_map(|f| f.contact.as_deref()) {
        if !contacts.contains(&contact) {
            contacts.push(contact);
        }
    }
    let count = |n: usize| Value::Int(n as i64);
    let text_or_null = |t: String| {
        if t.is_empty() {
            Value::Null
        } else {
            Value::Text(t)
        }
    };
    let mut files = files.join("; ");
    if !row.missing_predecessors.is_empty() {
        files.push_str(&format!(
            "; none for {}",
            row.missing_predecessors.join(", ")
        ));
    }
    vec![
        Value::Text(row.ics_code.clone()),
        Value::Text(row.ics_name.clone()),
        Value::Text(row.region.clone()),
        Value::Text(row.state.name().to_string()),
        text_or_null(files),
        latest.map_or(Value::Null, Value::Date),
        text_or_null(contacts.join("; ")),
        count(row.sum(|f| f.providers)),
        count(row.sum(|f| f.systems)),
        count(row.sum(|f| f.funding)),
        count(row.sum(|f| f.errors)),
        count(row.sum(|f| f.warnings)),
    ]
}

/// Each file once, though a file for an ICB split between successors is listed under
/// each of them.
fn distinct_files<'a>(rows: impl IntoIterator<Item = &'a TrackerRow>) -> Vec<&'a FileEntry> {
    let mut seen = std::collections::HashSet::new();
    rows.into_iter()
        .flat_map(|r| &r.files)
        .filter(|f| seen.insert(f.file.as_str()))
        .collect()
}

fn national_ics_row(rows: &[TrackerRow]) -> Vec<Value> {
    let count = |n: usize| Value::Int(n as i64);
    let files = distinct_files(rows);
    let sum = |f: &dyn Fn(&FileEntry) -> usize| files.iter().map(|e| f(e)).sum::<usize>();
    // No ICS code or region: null, as every national row's key (see `key_cells`).
    vec![
        Value::Null,
        Value::Text(NATIONAL.to_string()),
        Value::Null,
        Value::Text(state_counts_text(rows)),
        Value::Text(format!("{} files", files.len())),
        Value::Null,
        Value::Null,
        count(sum(&|f| f.providers)),
        count(sum(&|f| f.systems)),
        count(sum(&|f| f.funding)),
        count(sum(&|f| f.errors)),
        count(sum(&|f| f.warnings)),
    ]
}

/// Columns of the region and national roll-ups (after the key).
fn rollup_columns() -> Vec<&'static str> {
    vec![
        "icss",
        "icss_ok",
        "icss_warnings",
        "icss_errors",
        "icss_duplicate",
        "icss_partial",
        "icss_missing",
        "unplaced_files",
        "files",
        "providers",
        "systems",
        "funding_lines",
        "errors",
        "warnings",
    ]
}

fn rollup_row(key: &str, rows: &[&TrackerRow]) -> Vec<Value> {
    let count = |n: usize| Value::Int(n as i64);
    let icss = || rows.iter().filter(|r| !r.is_unplaced());
    let in_state = |s: State| count(icss().filter(|r| r.state == s).count());
    let files = distinct_files(rows.iter().copied());
    let sum = |f: &dyn Fn(&FileEntry) -> usize| files.iter().map(|e| f(e)).sum::<usize>();
    vec![
        Value::Text(key.to_string()),
        count(icss().count()),
        in_state(State::Ok),
        in_state(State::Warnings),
        in_state(State::Errors),
        in_state(State::Duplicate),
        in_state(State::Partial),
        in_state(State::Missing),
        count(rows.iter().filter(|r| r.is_unplaced()).count()),
        count(files.len()),
        count(sum(&|f| f.providers)),
        count(sum(&|f| f.systems)),
        count(sum(&|f| f.funding)),
        count(sum(&|f| f.errors)),
        count(sum(&|f| f.warnings)),
    ]
}

/// The ODS codes of the providers of every return.
fn mentioned_codes<'a>(
    providers: impl IntoIterator<Item = &'a crate::model::Provider>,
) -> std::collections::HashSet<&'a str> {
    providers
        .into_iter()
        .filter_map(|p| p.ods_code.as_deref())
        .collect()
}

/// The organisations open in the ODS reference at `date` whose code is not among
/// `mentioned` (the providers of every return), in code order.
fn open_in_no_return<'r>(
    mentioned: &std::collections::HashSet<&str>,
    reference: &'r crate::model::OdsLookup,
    date: NaiveDate,
) -> Vec<(&'r str, &'r crate::model::OdsRecord)> {
    reference
        .records()
        .into_iter()
        .filter(|(code, record)| {
            record.closed.is_none_or(|closed| closed > date) && !mentioned.contains(code)
        })
        .collect()
}

/// One note per organisation open in the ODS reference at `date` that no return
/// mentions (`validate --ods`): the same list as [`trusts_in_no_return`]. Codes the
/// reference does not know are already warnings from the lookup.
pub fn in_no_return_notes<'a>(
    providers: impl IntoIterator<Item = &'a crate::model::Provider>,
    reference: &crate::model::OdsLookup,
    date: NaiveDate,
) -> Vec<Diagnostic> {
    open_in_no_return(&mentioned_codes(providers), reference, date)
        .into_iter()
        .map(|(code, record)| {
            Diagnostic::file(
                Severity::Note,
                &record.source,
                format!(
                    "{code} {} ({}) is open in the ODS reference at {date} but no return lists it: it is in no figure",
                    record.name.as_deref().unwrap_or(""),
                    record.icb_code.as_deref().unwrap_or(UNKNOWN_GROUP),
                ),
            )
        })
        .collect()
}

/// Trusts and returns that do not meet: the organisations open in the ODS reference at
/// `date` that no return's providers table mentions (by ICB), then the NHS-trust codes
/// returns mention that the reference does not know.
pub fn trusts_in_no_return<'a>(
    providers: impl IntoIterator<Item = &'a crate::model::Provider>,
    reference: &crate::model::OdsLookup,
    date: NaiveDate,
) -> Table {
    let providers: Vec<&crate::model::Provider> = providers.into_iter().collect();
    let mentioned = mentioned_codes(providers.iter().copied());
    // An ICB as the run's geography keys it: a predecessor's code under its successor.
    let ics = |code: Option<&str>, name: Option<&str>| {
        GroupBy::Ics
            .area_key(code, name, None)
            .unwrap_or_default()
            .into_iter()
            .map(Value::Text)
    };
    let mut missing: Vec<Vec<Value>> = open_in_no_return(&mentioned, reference, date)
        .into_iter()
        .map(|(code, record)| {
            let mut row = vec![Value::Text("open in the reference, in no return".into())];
            row.extend(ics(record.icb_code.as_deref(), None));
            row.extend([
                Value::Text(code.to_string()),
                record.name.clone().map_or(Value::Null, Value::Text),
                Value::Text(record.source.clone()),
            ]);
            row
        })
        .collect();
    missing.sort_by(|a, b| (a[1].raw(), a[3].raw()).cmp(&(b[1].raw(), b[3].raw())));
    let mut unknown: Vec<Vec<Value>> = providers
        .iter()
        .filter(|p| p.is_nhs_trust())
        .filter_map(|p| {
            let code = p.ods_code.as_deref()?;
            if reference.knows(code) {
                return None;
            }
            let mut row = vec![Value::Text("in a return, not in the reference".into())];
            row.extend(ics(p.ics_code.as_deref(), p.ics_name.as_deref()));
            row.extend([
                Value::Text(code.to_string()),
                p.name.clone().map_or(Value::Null, Value::Text),
                Value::Text(p.origin.location().to_string()),
            ]);
            Some(row)
        })
        .collect();
    unknown.sort_by(|a, b| (a[1].raw(), a[3].raw()).cmp(&(b[1].raw(), b[3].raw())));
    let title = format!(
        "Trusts and returns that do not meet (at {}): {} open in the ODS reference but in no return; {} NHS-trust codes in returns that the reference does not know",
        super::titles::date(date),
        missing.len(),
        unknown.len()
    );
    missing.extend(unknown);
    Table {
        title: Some(title),
        columns: [
            "finding", "ics_code", "ics_name", "ods_code", "name", "source",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect(),
        rows: missing,
        total: None,
    }
}
