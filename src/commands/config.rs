//! `eprscan config --show`: the effective settings and where each came from.

use super::{write_table, Session};
use crate::config::{Config, FoundBy};
use crate::metrics::coverage::DEFAULT_TARGET;
use crate::output::{Table, Value};
use anyhow::Result;
use std::process::ExitCode;

/// The deadline used when neither the option nor the file gives one.
const DEFAULT_DEADLINE: &str = super::coverage::DEFAULT_DEADLINE;

/// Run the command: one row per setting, with its value and source.
pub fn run(session: &Session) -> Result<ExitCode> {
    let config = &session.config;
    let from_file = match &config.source {
        Some(path) => format!("{} ({})", path.display(), config.found_by.describe()),
        None => String::new(),
    };
    let source = |set: bool| {
        if set {
            from_file.clone()
        } else {
            FoundBy::Nothing.describe().to_string()
        }
    };
    let file_row = match &config.source {
        Some(path) => (
            path.display().to_string(),
            config.found_by.describe().to_string(),
        ),
        None => (
            "(none)".to_string(),
            format!(
                "looked for {}",
                Config::candidates()
                    .iter()
                    .map(|(p, _)| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    };
    let target = config
        .target_text()
        .unwrap_or_else(|| DEFAULT_TARGET.to_string());
    let mut rows = vec![
        ["settings file".to_string(), file_row.0, file_row.1],
        ["target".into(), target, source(config.target.is_some())],
        [
            "deadline".into(),
            config.deadline.clone().unwrap_or(DEFAULT_DEADLINE.into()),
            source(config.deadline.is_some()),
        ],
        [
            "by".into(),
            config.by.clone().unwrap_or("ics".into()),
            source(config.by.is_some()),
        ],
        [
            "geography".into(),
            crate::geography::current().describe(),
            if session.global.geography.is_some() {
                "--geography".to_string()
            } else {
                source(config.geography.is_some())
            },
        ],
    ];
    for (alias, canonical) in &config.suppliers {
        rows.push([
            format!("suppliers.\"{alias}\""),
            canonical.clone(),
            from_file.clone(),
        ]);
    }
    for (alias, p) in &config.products {
        rows.push([
            format!("products.\"{alias}\""),
            format!("{} ({})", p.product, p.supplier),
            from_file.clone(),
        ]);
    }
    for (table, fields) in &config.headers {
        for (field, headers) in fields {
            rows.push([
                format!("headers.{table}.{field}"),
                headers.join(", "),
                from_file.clone(),
            ]);
        }
    }
    let table = Table {
        title: Some("Effective settings (command-line options override them)".into()),
        columns: ["setting", "value", "source"].map(String::from).to_vec(),
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(Value::Text).collect())
            .collect(),
        total: None,
    };
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
