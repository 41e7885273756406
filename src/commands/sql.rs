//! `eprscan sql`: polars SQL over the normalised tables, or `--schema` to list them.

use super::{report_diagnostics, write_table, Session};
use crate::cli::SqlArgs;
use crate::frames::{dataset_frames, frame_to_table, schema_table, write_parquet};
use crate::model::Dataset;
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
    let Some(query) = query else {
        return schema(paths, session);
    };
    let empty = dataset_frames(&Dataset::default())?;
    query::check(&empty, query)?;
    let dataset = session.load(&paths.unwrap_or_else(default_paths));
    if let Err(code) = report_diagnostics(dataset, session) {
        return Ok(code);
    }
    let mut result = query::run(&dataset_frames(dataset)?, query)?;
    match (&session.global.output, format) {
        (Some(path), Format::Parquet) => write_parquet(&mut result, path)?,
        _ => write_table(&frame_to_table(&result)?, session)?,
    }
    Ok(ExitCode::SUCCESS)
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
            if let Err(code) = report_diagnostics(dataset, session) {
                return Ok(code);
            }
            schema_table(&dataset_frames(dataset)?, true)
        }
    };
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
