//! `eprscan export`: every table of `eprscan sql` written to a folder, one file each, for
//! BI tools and other engines.

use super::{report_diagnostics, Session};
use crate::cli::ExportArgs;
use crate::frames::{dataset_frames, frame_to_table, write_parquet};
use crate::output::{emit, Format, OutputOptions};
use crate::UsageError;
use anyhow::{bail, Context, Result};
use std::process::ExitCode;

/// Run the command: write `DIR/<table>.<ext>` for each table (creating DIR), and say
/// on stderr what was written. The format is `-f` (csv by default): csv, parquet,
/// json or ndjson.
pub fn run(args: &ExportArgs, session: &Session) -> Result<ExitCode> {
    let global = &session.global;
    // -o is refused with the other options export does not use (cli::refuse_unused_options).
    let format = global.format.unwrap_or(Format::Csv);
    let extension = match format {
        Format::Csv => "csv",
        Format::Parquet => "parquet",
        Format::Json => "json",
        Format::Ndjson => "ndjson",
        Format::Table | Format::Markdown | Format::Xlsx | Format::Html => bail!(UsageError(
            "export writes csv, parquet, json or ndjson files (-f csv|parquet|json|ndjson)".into()
        )),
    };
    let dataset = session.load(&args.inputs.paths);
    if let Err(code) = report_diagnostics(dataset, super::ALL_TABLES, session) {
        return Ok(code);
    }
    std::fs::create_dir_all(&args.to)
        .with_context(|| format!("creating the folder {}", args.to.display()))?;
    let options = OutputOptions {
        format,
        total: false,
        escape_formulas: !global.no_escape_formulas,
        bom: global.bom,
        colour: false,
    };
    for mut table in dataset_frames(dataset)? {
        let path = args.to.join(format!("{}.{extension}", table.name));
        if format == Format::Parquet {
            write_parquet(&mut table.frame, &path)?;
        } else {
            emit(&frame_to_table(&table.frame)?, &options, Some(&path))?;
        }
        if !global.quiet {
            eprintln!(
                "eprscan: wrote {} ({})",
                path.display(),
                crate::diag::plural(table.frame.height(), "row")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
