//! `eprscan validate`: every problem found, file by file, and a summary.

use super::{write_table, Session, EXIT_INPUT_ERROR};
use crate::cli::PathsArgs;
use crate::diag::plural;
use crate::diag::{Counts, Diagnostic};
use crate::metrics::returns::in_no_return_notes;
use crate::metrics::today;
use crate::output::{emit_bytes, Format, Table, Value};
use anyhow::Result;
use std::process::ExitCode;

/// Every diagnostic as a table: file, sheet, cell, severity, message (`validate -f`,
/// and the report's Data quality sheet).
pub fn diagnostics_table(diagnostics: &[Diagnostic]) -> Table {
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Text);
    Table {
        title: Some("Problems found".into()),
        columns: ["file", "sheet", "cell", "severity", "message"]
            .map(String::from)
            .to_vec(),
        rows: diagnostics
            .iter()
            .map(|d| {
                vec![
                    Value::Text(d.file.clone()),
                    text(&d.sheet),
                    text(&d.cell),
                    Value::Text(d.severity.name().into()),
                    Value::Text(d.message.clone()),
                ]
            })
            .collect(),
        total: None,
    }
}

/// The diagnostics with each file's together, files in the order they first appear
/// (problems found across files, such as duplicates, are raised after all are read).
fn grouped_by_file(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut first_seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        first_seen.entry(d.file.as_str()).or_insert(i);
    }
    let mut out = diagnostics.to_vec();
    out.sort_by_key(|d| {
        first_seen
            .get(d.file.as_str())
            .copied()
            .unwrap_or(usize::MAX)
    });
    out
}

/// Run the command: list every diagnostic on stdout (one line each, or as records
/// with `-f csv|json|ndjson|markdown`), a summary on stderr, exit 1 if any error (or
/// any warning under `--strict`).
pub fn run(args: &PathsArgs, session: &Session) -> Result<ExitCode> {
    let global = &session.global;
    // Every problem, and every column that was not used.
    let dataset = session.load_noting(&args.paths, true);
    let counts = Counts::of(&dataset.diagnostics);
    let mut diagnostics = grouped_by_file(&dataset.diagnostics);
    if let Some(reference) = &dataset.reference {
        // Trusts in no return (the same list as `returns --trusts`).
        diagnostics.extend(in_no_return_notes(&dataset.providers, reference, today()));
    }
    // One line per problem on a terminal; --sort and --where work on the table of
    // problems, so with them (or another format, or -o) the table is written.
    let lines = global.sort.is_empty() && global.filter.is_none();
    if lines && global.format.unwrap_or(Format::Table) == Format::Table && global.output.is_none() {
        let colour = session.stdout_colour();
        let mut lines = String::new();
        for d in &diagnostics {
            lines.push_str(&d.render(colour));
            lines.push('\n');
        }
        emit_bytes(lines.as_bytes(), None)?;
    } else {
        write_table(&diagnostics_table(&diagnostics), session)?;
    }
    let rows: usize = dataset.returns.iter().map(|r| r.provider_rows).sum();
    eprintln!(
        "{} read, {} provider rows, {}, {}, {}",
        plural(dataset.returns.len(), "file"),
        rows,
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.notes, "note"),
    );
    Ok(if counts.fails(global.strict) {
        ExitCode::from(EXIT_INPUT_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}
