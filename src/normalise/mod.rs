//! Normalise: from grids of cells to the [`Dataset`] model. Finds each table, reads
//! its rows through the value parsers, fills ICS fields from the cover sheet and the
//! ODS lookup, and merges providers named by several returns.

pub mod cover;
pub mod funding;
pub mod header;
pub mod merge;
pub mod ods;
pub mod providers;
pub mod regroup;
pub mod rows;
pub mod suppliers;
pub mod systems;
pub mod values;
mod workbook;

use crate::diag::{plural, Diagnostic, Severity};
use crate::ingest::{self, Workbook};
use crate::model::OdsLookup;
use crate::model::{Dataset, FileRows, FundingLine, Provider, Return, SharedText, System};
use crate::schema::TableKind;
use header::HeaderSynonyms;
use ods::{ClosedPolicy, DescribedDate};
use rayon::prelude::*;
use std::path::PathBuf;
use suppliers::SupplierTable;
use workbook::normalise_workbook;

/// What loading needs besides the paths.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// ODS reference files (`--ods`).
    pub ods_files: Vec<PathBuf>,
    /// Accepted headers.
    pub synonyms: HeaderSynonyms,
    /// Supplier and product aliases.
    pub suppliers: SupplierTable,
    /// List unknown columns and each file's chosen sheet and header row as notes.
    pub verbose: bool,
    /// List unknown columns as notes (`validate`).
    pub unused_columns: bool,
    /// Told how reading goes (the command line draws a progress bar with it).
    pub progress: Option<ProgressHook>,
    /// Bounds on what one file may hold.
    pub limits: ingest::Limits,
    /// `--as-of`: the date the figures describe, when given (else each return's
    /// submitted date), for leaving out organisations closed by then.
    pub as_of: Option<chrono::NaiveDate>,
    /// What to do with organisations the ODS reference shows as closed.
    pub closed: ClosedPolicy,
}

/// What is told of progress while files are read: how many there are, then each one
/// read (from any worker thread), then the end.
pub trait Progress: Send + Sync {
    /// Reading `files` files starts.
    fn start(&self, files: usize);
    /// One more file was read.
    fn advance(&self);
    /// Every file was read.
    fn finish(&self);
}

/// A shared [`Progress`] in the load options.
#[derive(Clone)]
pub struct ProgressHook(pub std::sync::Arc<dyn Progress>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

/// Read every input and build the dataset. Never fails: every problem is a
/// diagnostic in the result, and files are all examined before anyone decides.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Dataset {
    let (inputs, mut diagnostics) = ingest::discover(paths);
    if inputs.is_empty() && !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        let named = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        diagnostics.push(Diagnostic::file(
            Severity::Error,
            &named,
            format!(
                "no returns found (looked for .{} files)",
                ingest::SUPPORTED_EXTENSIONS.join(" .")
            ),
        ));
    }
    let mut provider_returns = Vec::new();
    let mut systems = FileRows::default();
    let mut funding = Vec::new();
    let mut returns = Vec::new();
    let progress = options.progress.as_ref().map(|hook| hook.0.as_ref());
    if let Some(progress) = progress {
        progress.start(inputs.len());
    }
    let advance = || {
        if let Some(progress) = progress {
            progress.advance();
        }
    };
    // Each workbook is read and normalised on the same worker (in parallel), and its
    // grids dropped at once; results and diagnostics are then taken in input order.
    let read = ingest::read_all_then(&inputs, &options.limits, &advance, |input, result| {
        normalise_read(input, result, |workbook, diags| {
            normalise_workbook(workbook, options, diags)
        })
    });
    if let Some(progress) = progress {
        progress.finish();
    }
    for (read, diags) in read {
        diagnostics.extend(diags);
        if let Some(mut read) = read {
            read.ret.systems_rows = read.systems.len();
            read.ret.funding_rows = read.funding.lines.len();
            if !read.funding.lines.is_empty() {
                funding.push(read.funding);
            }
            returns.push(read.ret);
            provider_returns.push(read.providers);
            systems.push_file(read.systems);
        }
    }
    let mut providers = merge::merge_returns(provider_returns, options.verbose, &mut diagnostics);
    let mut left_out = rustc_hash::FxHashSet::default();
    let mut reference = None;
    if options.ods_files.is_empty() {
        note_no_ics(&providers, &mut diagnostics);
    } else {
        let lookup = OdsLookup::load(&options.ods_files, &mut diagnostics);
        let date = DescribedDate {
            as_of: options.as_of,
            submitted: returns
                .iter()
                .filter_map(|r: &Return| Some((r.source.as_str(), r.submitted?)))
                .collect(),
        };
        left_out = lookup.apply(&mut providers, &date, options.closed, &mut diagnostics);
        reference = Some(lookup);
    }
    let funding = merge::merge_funding(funding, &mut diagnostics);
    regroup::place_split_providers(&mut providers, reference.as_ref(), &mut diagnostics);
    regroup::warn_split_funding(&funding, &providers, &mut diagnostics);
    warn_orphans(&providers, &left_out, &systems, &funding, &mut diagnostics);
    Dataset {
        providers,
        systems,
        funding,
        returns,
        diagnostics,
        reference,
    }
}

/// One read file's rows and diagnostics: a file that could not be read, or whose
/// normalisation panicked (a bug, caught so that the run goes on), is an error and
/// gives no rows (the diagnostics found before the panic are kept).
fn normalise_read<R>(
    input: &ingest::InputFile,
    read: Result<Workbook, ingest::ReadError>,
    normalise: impl FnOnce(&Workbook, &mut Vec<Diagnostic>) -> R,
) -> (Option<R>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let failed = match read {
        Ok(workbook) => match crate::panics::catch(|| normalise(&workbook, &mut diags)) {
            Ok(rows) => return (Some(rows), diags),
            Err(what) => format!(
                "cannot read its tables: eprscan stopped on this workbook ({what}); it is an error in eprscan, please report it with the file"
            ),
        },
        Err(reason) => format!("cannot read: {reason}"),
    };
    diags.push(Diagnostic::file(Severity::Error, &input.display, failed));
    (None, diags)
}

/// One note, without `--ods`, when provider rows name no ICS (a national list: no ICS
/// column and no cover sheet): they all group under "(unknown)", and the ODS
/// reference would place each one.
fn note_no_ics(providers: &FileRows<Provider>, diags: &mut Vec<Diagnostic>) {
    let mut unplaced = providers
        .iter()
        .filter(|p| p.ics_code.is_none() && p.ics_name.is_none());
    let Some(first) = unplaced.next() else {
        return;
    };
    let count = 1 + unplaced.count();
    diags.push(Diagnostic::file(
        Severity::Note,
        &first.origin.source,
        format!(
            "{} no ICS (none in the row, and no cover sheet): grouped under {} by ICS and region; \
             --ods etr.csv (NHS England's ODS trust file) places each one",
            match count {
                1 => "1 provider row names".to_string(),
                n => format!("{n} provider rows name"),
            },
            crate::metrics::UNKNOWN_GROUP
        ),
    ));
}

/// Systems rows and funding lines whose ODS code is in no providers table are kept,
/// with a warning; such a funding line counts for the ICS of the return it is in.
/// Those of a provider left out as closed are not warned about again: its own warning
/// says it was left out.
fn warn_orphans(
    providers: &FileRows<Provider>,
    left_out: &rustc_hash::FxHashSet<crate::model::OdsCode>,
    systems: &FileRows<System>,
    funding: &[FundingLine],
    diags: &mut Vec<Diagnostic>,
) {
    let known: rustc_hash::FxHashSet<&str> = providers
        .iter()
        .filter_map(|p| p.ods_code.as_deref())
        .chain(left_out.iter().map(|c| c.as_str()))
        .collect();
    let unknown = |code: Option<&str>| code.filter(|c| !known.contains(c)).map(str::to_string);
    // A national set has a hundred thousand systems rows: checked file by file in
    // parallel, and reported in their order.
    let orphan_systems: Vec<Vec<Diagnostic>> = systems
        .files()
        .par_iter()
        .map(|file| {
            file.iter()
                .filter_map(|system| {
                    let code = unknown(system.ods_code.as_deref())?;
                    Some(Diagnostic::at(
                        Severity::Warning,
                        &system.origin.location(),
                        format!(
                            "system for {code}, which is in no providers table: not counted in convergence"
                        ),
                    ).about(TableKind::Systems))
                })
                .collect()
        })
        .collect();
    diags.extend(orphan_systems.into_iter().flatten());
    for line in funding {
        if let Some(code) = unknown(line.ods_code.as_deref()) {
            let counted = match line
                .return_ics_code
                .as_deref()
                .or(line.return_ics_name.as_deref())
            {
                Some(ics) => format!("counted for this return's ICS ({ics})"),
                None => format!(
                    "counted under {}, as this return names no ICS",
                    crate::metrics::UNKNOWN_GROUP
                ),
            };
            diags.push(
                Diagnostic::at(
                    Severity::Warning,
                    &line.origin.location(),
                    format!("funding line for {code}, which is in no providers table: {counted}"),
                )
                .about(TableKind::Funding),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook with no sheets, read from `name`.
    fn workbook(name: &str) -> Workbook {
        Workbook {
            input: input(name),
            sheets: Vec::new(),
            notes: Vec::new(),
            modified: None,
        }
    }

    fn input(name: &str) -> ingest::InputFile {
        ingest::InputFile {
            path: name.into(),
            display: name.to_string(),
            extension: "xlsx".to_string(),
        }
    }

    #[test]
    fn a_panic_while_normalising_a_workbook_is_that_files_error() {
        let (rows, diags) = normalise_read(&input("b.xlsx"), Ok(workbook("b.xlsx")), |_, diags| {
            diags.push(Diagnostic::file(Severity::Warning, "b.xlsx", "found first"));
            let cells: Vec<u8> = Vec::new();
            cells[3]
        });
        assert_eq!(rows, None);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].message, "found first");
        let error = &diags[1];
        assert_eq!(
            (error.severity, error.file.as_str()),
            (Severity::Error, "b.xlsx")
        );
        assert!(
            error.message.starts_with(
                "cannot read its tables: eprscan stopped on this workbook (index out of bounds"
            ),
            "{}",
            error.message
        );
        // The other paths: rows, and a file that could not be read.
        let (rows, diags) = normalise_read(&input("a.xlsx"), Ok(workbook("a.xlsx")), |_, _| 7);
        assert_eq!((rows, diags.len()), (Some(7), 0));
        let not_zip = ingest::ReadError::WrongFormat {
            extension: "xlsx".into(),
            actual: ingest::ActualFormat::NotZip,
        };
        let (rows, diags) = normalise_read(&input("c.xlsx"), Err(not_zip), |_, _| 7);
        assert_eq!(rows, None);
        assert_eq!(
            diags[0].message,
            "cannot read: not a .xlsx workbook (the file is not a zip package): it may be truncated or another format renamed"
        );
    }
}
