//! `eprscan diff OLD NEW`: what changed between two snapshots of returns, per
//! provider and per ICS.

use super::coverage::{configured_deadline, configured_target};
use super::{output_options, report_diagnostic_list, write_document, Session};
use crate::cli::{DiffArgs, DiffPer};
use crate::metrics::convergence::{convergence, Convergence, ConvergenceOptions};
use crate::metrics::coverage::{coverage, Coverage, CoverageOptions};
use crate::metrics::diff::{ics_changes, icss_in_both, provider_changes, uncoded, SnapshotResults};
use crate::metrics::titles;
use crate::metrics::today;
use crate::metrics::GroupBy;
use crate::output::{format_name, Document, Sheet};
use crate::UsageError;
use anyhow::{bail, Result};
use std::process::ExitCode;

/// Sheet (and section) names of the two tables.
pub const PROVIDER_SHEET: &str = "Provider changes";
/// See [`PROVIDER_SHEET`].
pub const ICS_SHEET: &str = "ICS changes";

/// Run the command: the provider changes, then the per-ICS summary (or one of them
/// with `--per`). Exit 0 whatever changed; 1 only for input errors.
pub fn run(args: &DiffArgs, session: &Session) -> Result<ExitCode> {
    let format = output_options(session)?.format;
    if args.per.is_none() && !format.holds_many_tables() {
        bail!(UsageError(format!(
            "-f {} holds one table and diff has two: add --per provider or --per ics",
            format_name(format)
        )));
    }
    if args.changed && args.per == Some(DiffPer::Provider) {
        // The provider table lists only changes: --changed would be ignored.
        bail!(UsageError(
            "--changed applies to the ICS table (--per ics, or no --per); the provider table lists only changes anyway".into()
        ));
    }
    let coverage_options = CoverageOptions {
        as_of: None,
        target: configured_target(session),
        deadline: configured_deadline(session),
        sectors: None,
        by: GroupBy::Ics,
    };
    let old = session.load(std::slice::from_ref(&args.old));
    let new = session.load(std::slice::from_ref(&args.new));
    let mut diagnostics = old.diagnostics.clone();
    diagnostics.extend(new.diagnostics.iter().cloned());
    if let Err(code) = report_diagnostic_list(&diagnostics, super::PROVIDERS_AND_SYSTEMS, session) {
        return Ok(code);
    }
    let unmatched = uncoded(&old.providers) + uncoded(&new.providers);
    if unmatched > 0 && !session.global.quiet {
        eprintln!(
            "eprscan: note: {} without an ODS code cannot be compared between the snapshots",
            crate::diag::plural(unmatched, "provider row")
        );
    }
    let (old_name, new_name) = (args.old.display(), args.new.display());
    let mut sheets = Vec::new();
    if args.per != Some(DiffPer::Ics) {
        sheets.push(Sheet {
            name: PROVIDER_SHEET.to_string(),
            tables: vec![provider_changes(
                &old.providers,
                &new.providers,
                format!("Changes per provider, {old_name} → {new_name}"),
            )],
            charts: Vec::new(),
        });
    }
    if args.per != Some(DiffPer::Provider) {
        let convergence_options = ConvergenceOptions {
            by: GroupBy::Ics,
            all_systems: false,
            list: false,
            population: None,
            as_of: today(),
            live_at_date: false,
        };
        // England compares like with like: the ICSs that returned in both.
        let in_both = icss_in_both(&old.providers, &new.providers);
        let compared = |providers: &'static crate::model::FileRows<crate::model::Provider>| {
            providers
                .iter()
                .filter(|p| in_both.contains(&GroupBy::Ics.key(p)))
                .cloned()
                .collect::<Vec<_>>()
        };
        let (old_both, new_both) = (compared(&old.providers), compared(&new.providers));
        let all = (
            [
                coverage(&old.providers, &coverage_options),
                coverage(&new.providers, &coverage_options),
            ],
            [
                convergence(&old.providers, &old.systems, &convergence_options),
                convergence(&new.providers, &new.systems, &convergence_options),
            ],
        );
        let both = (
            [
                coverage(&old_both, &coverage_options),
                coverage(&new_both, &coverage_options),
            ],
            [
                convergence(&old_both, &old.systems, &convergence_options),
                convergence(&new_both, &new.systems, &convergence_options),
            ],
        );
        let table = ics_changes(
            &results(&all),
            &results(&both),
            in_both.len(),
            args.changed,
            format!(
                "Coverage of {} {} and distinct EPRs of {} {} per ICS, {old_name} → {new_name}; \
                 England compares the {} that returned in both",
                titles::NHS_TRUSTS,
                titles::live_basis(coverage_options.as_of),
                titles::ALL_PROVIDERS,
                titles::in_use_basis(convergence_options.as_of, convergence_options.live_at_date),
                crate::diag::plural(in_both.len(), "ICS")
            ),
        );
        sheets.push(Sheet {
            name: ICS_SHEET.to_string(),
            tables: vec![table],
            charts: Vec::new(),
        });
    }
    let document = Document {
        title: format!("What changed: {old_name} → {new_name}"),
        sheets,
        // No tiles or map: a change is not a headline.
        page: Default::default(),
    };
    write_document(&document, session)?;
    Ok(ExitCode::SUCCESS)
}

/// The old and new coverage and convergence results as [`SnapshotResults`].
fn results(
    ([old_coverage, new_coverage], [old_convergence, new_convergence]): &(
        [Coverage; 2],
        [Convergence; 2],
    ),
) -> SnapshotResults<'_> {
    SnapshotResults {
        old_coverage,
        new_coverage,
        old_convergence,
        new_convergence,
    }
}
