//! `eprscan sql`: polars SQL over the normalised tables, or `--schema` to list them.

use super::{report_diagnostics, write_table, Session};
use crate::cli::SectorChoice;
use crate::cli::SqlArgs;
use crate::frames::{
    dataset_frames, dataset_frames_as_of, frame_to_table, schema_table, table_to_frame,
    write_parquet, NamedFrame,
};
use crate::metrics::convergence::ConvergenceOptions;
use crate::metrics::coverage::CoverageOptions;
use crate::metrics::funding::FundingOptions;
use crate::metrics::{today, GroupBy};
use crate::model::Dataset;
use crate::output::Table;
use crate::output::{choose_format, Format};
use crate::{query, UsageError};
use anyhow::{bail, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// Run the command. A bad query is a usage error (exit 2), found before any return is
/// read (the tables' columns do not depend on the inputs); errors in the returns stop
/// it with exit 1 as every other command.
pub fn run(args: &SqlArgs, session: &Session) -> Result<ExitCode> {
    let (query, paths) = split_arguments(args);
    let format = choose_format(session.global.format, session.global.output.as_deref())?;
    if format == Format::Parquet && (query.is_none() || session.global.output.is_none()) {
        bail!(UsageError(
            "Parquet output needs a query and a file: eprscan sql QUERY PATHS -o result.parquet"
                .into()
        ));
    }
    let views = match query {
        Some(query) => query::referenced_views(query)?,
        None => Vec::new(),
    };
    refuse_unread_view_options(args, &views)?;
    let Some(query) = query else {
        return schema(paths, session);
    };
    if format == Format::Parquet
        && (!session.global.sort.is_empty() || session.global.filter.is_some())
    {
        // Parquet is written from the polars result, not from a table: the query
        // itself sorts and filters it.
        bail!(UsageError(
            "--sort and --where are not applied to Parquet output: use ORDER BY and WHERE in the query"
                .into()
        ));
    }
    let options = ViewOptions::from_args(args, session)?;
    // A query of the tables alone is checked before any return is read (their columns
    // do not depend on the inputs); a view's column types come from its values, so a
    // query of a view is checked when it runs (its errors are usage errors all the same).
    if views.is_empty() {
        query::check(&dataset_frames(&Dataset::default())?, query)?;
    }
    let dataset = session.load_as_of(&paths.unwrap_or_else(default_paths), options.as_of);
    if let Err(code) = report_diagnostics(dataset, super::ALL_TABLES, session) {
        return Ok(code);
    }
    let mut frames = dataset_frames_as_of(dataset, options.as_of)?;
    for view in views {
        if view == "trend" {
            let Some(table) = trend_view(args, session)? else {
                return Ok(ExitCode::from(super::EXIT_INPUT_ERROR));
            };
            frames.push(NamedFrame {
                name: view,
                frame: table_to_frame(&table)?,
                descriptions: Vec::new(),
            });
            continue;
        }
        frames.push(NamedFrame {
            name: view,
            frame: table_to_frame(&options.table(view, dataset)?)?,
            descriptions: Vec::new(),
        });
    }
    let mut result = query::run(&frames, query)?;
    match (&session.global.output, format) {
        (Some(path), Format::Parquet) => write_parquet(&mut result, path)?,
        _ => write_table(&frame_to_table(&result)?, session)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuse an option of `eprscan sql` that is for views the query does not read (or
/// any option for views under `--schema`, which runs no query): it would be ignored.
/// `--as-of` is not one: it also decides the tables' `providers.is_live`.
fn refuse_unread_view_options(args: &SqlArgs, views: &[&str]) -> Result<()> {
    // Every view is a grouped table: --by is for them all.
    const GROUPED: &[&str] = &crate::query::VIEW_NAMES;
    let options: [(bool, &str, &[&str]); 8] = [
        (args.by.is_some(), "--by", GROUPED),
        (
            args.sectors.is_some(),
            "--sectors",
            &["coverage", "convergence"],
        ),
        (args.match_rate.is_some(), "--match-rate", &["funding_gaps"]),
        (args.all_systems, "--all-systems", &["convergence"]),
        (args.list, "--list", &["convergence"]),
        (!args.trend.is_empty(), "--trend", &["trend"]),
        (
            args.judged.target.is_some(),
            "--target",
            &["coverage", "trend"],
        ),
        (args.judged.deadline.is_some(), "--deadline", &["coverage"]),
    ];
    for (given, flag, for_views) in options {
        if given && !for_views.iter().any(|v| views.contains(v)) {
            bail!(UsageError(format!(
                "{flag} is for the {} view{}, which {} (see eprscan sql --help)",
                for_views.join(", "),
                if for_views.len() > 1 { "s" } else { "" },
                if args.schema {
                    "--schema does not read: it lists the tables"
                } else {
                    "the query does not read"
                }
            )));
        }
    }
    Ok(())
}

/// `eprscan trend`'s long table over the `--trend` snapshots, computed by the trend
/// command's own code; `None` when the snapshots' errors stopped it (already listed).
fn trend_view(args: &SqlArgs, session: &Session) -> Result<Option<Table>> {
    if args.trend.is_empty() {
        bail!(UsageError(
            "the trend view needs its snapshots: --trend SNAPSHOT (repeatable), as for eprscan trend"
                .into()
        ));
    }
    let trend_args = crate::cli::TrendArgs {
        snapshots: args.trend.clone(),
        dates: None,
        by: args.by,
        metric: crate::cli::TrendMetric::Coverage,
        target: args.judged.target,
    };
    let by = session.group_by(args.by);
    Ok(super::trend::snapshots_figures(&trend_args, session)?
        .ok()
        .map(|figures| crate::metrics::trend::long_table(&figures, by, false)))
}

/// The options of the commands whose results are views, from `eprscan sql`'s
/// options as each command reads its own.
struct ViewOptions {
    as_of: Option<chrono::NaiveDate>,
    coverage: std::result::Result<CoverageOptions, UsageError>,
    convergence: ConvergenceOptions,
    funding: FundingOptions,
    by: GroupBy,
}

impl ViewOptions {
    fn from_args(args: &SqlArgs, session: &Session) -> Result<ViewOptions> {
        let by = session.group_by(args.by);
        // coverage --sectors lists sectors (none: NHS trusts); `trusts` alone is its
        // default, and mixed with sectors it has no coverage meaning (an error only
        // when the coverage view is read).
        let choices = args.sectors.as_deref();
        let trusts = choices.is_some_and(|c| c.contains(&SectorChoice::Trusts));
        let sectors: Option<Vec<crate::schema::Sector>> = choices.map(|c| {
            c.iter()
                .filter_map(|choice| match choice {
                    SectorChoice::Sector(s) => Some(*s),
                    SectorChoice::Trusts => None,
                })
                .collect()
        });
        let coverage = match (trusts, sectors) {
            (true, Some(list)) if !list.is_empty() => Err(UsageError(
                "the coverage view's --sectors lists sectors, or trusts alone (the default), not both".into(),
            )),
            (true, _) => Ok(None),
            (false, list) => Ok(list),
        };
        let coverage = match coverage {
            Ok(sectors) => Ok(super::coverage::coverage_options(
                &args.judged,
                sectors,
                by,
                session,
            )),
            Err(e) => Err(e),
        };
        Ok(ViewOptions {
            as_of: args.judged.as_of,
            coverage,
            convergence: ConvergenceOptions {
                by,
                all_systems: args.all_systems,
                list: args.list,
                population: SectorChoice::population(choices),
                as_of: args.judged.as_of.unwrap_or_else(today),
                live_at_date: args.judged.as_of.is_some(),
            },
            funding: FundingOptions {
                by,
                match_rate: args.match_rate,
            },
            by,
        })
    }

    /// A view's table: the command's metric, called as the command calls it.
    fn table(&self, view: &str, dataset: &Dataset) -> Result<Table> {
        use crate::metrics::{convergence, coverage, funding, maturity, returns};
        Ok(match view {
            "coverage" => match &self.coverage {
                Ok(options) => coverage::coverage(&dataset.providers, options).table(),
                Err(e) => bail!(UsageError(e.0.clone())),
            },
            "convergence" => {
                convergence::convergence(&dataset.providers, &dataset.systems, &self.convergence)
                    .table()
            }
            "funding_gaps" => {
                let none = funding::sent_no_funding(
                    &dataset.returns,
                    &dataset.providers,
                    &dataset.funding,
                );
                funding::funding(&dataset.providers, &dataset.funding, &none, &self.funding).table()
            }
            "maturity" => maturity::maturity(&dataset.providers, &dataset.returns, self.by).table(),
            "tracker" => {
                if matches!(self.by, GroupBy::Sector | GroupBy::Supplier) {
                    bail!(UsageError(
                        "the tracker view --by: ics, region or national (a return is an ICS's)"
                            .into()
                    ));
                }
                returns::tracker(&dataset.returns, &dataset.diagnostics, self.by)
            }
            other => bail!("no view named {other}"),
        })
    }
}

/// The query, if any, and the paths if any were given. Under `--schema` there is no
/// query, so the first positional argument is a path.
fn split_arguments(args: &SqlArgs) -> (Option<&str>, Option<Vec<PathBuf>>) {
    let (query, paths): (Option<&str>, Vec<PathBuf>) = if args.schema {
        let paths = args.query.iter().map(PathBuf::from);
        (None, paths.chain(args.paths.iter().cloned()).collect())
    } else {
        (args.query.as_deref(), args.paths.clone())
    };
    (query, Some(paths).filter(|p| !p.is_empty()))
}

/// The current folder, as for every command.
fn default_paths() -> Vec<PathBuf> {
    vec![PathBuf::from(".")]
}

/// `--schema`: every table's columns, types and meaning; with PATHS, also how many
/// rows of those inputs have a value in each column.
fn schema(paths: Option<Vec<PathBuf>>, session: &Session) -> Result<ExitCode> {
    let table = match paths {
        None => schema_table(&dataset_frames(&Dataset::default())?, false),
        Some(paths) => {
            let dataset = session.load(&paths);
            if let Err(code) = report_diagnostics(dataset, super::ALL_TABLES, session) {
                return Ok(code);
            }
            schema_table(&dataset_frames(dataset)?, true)
        }
    };
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
