//! `eprscan funding`: cost, funding secured and the gap, per group.

use super::{report_diagnostics, write_table, Session};
use crate::cli::FundingArgs;
use crate::metrics::funding::{funding, sent_no_funding, FundingOptions};
use anyhow::Result;
use std::process::ExitCode;

/// Run the command.
pub fn run(args: &FundingArgs, session: &Session) -> Result<ExitCode> {
    let options = FundingOptions {
        by: session.group_by(args.by),
        match_rate: args.match_rate,
    };
    let dataset = session.load(&args.inputs.paths);
    if let Err(code) = report_diagnostics(dataset, super::PROVIDERS_AND_FUNDING, session) {
        return Ok(code);
    }
    let no_funding = sent_no_funding(&dataset.returns, &dataset.providers, &dataset.funding);
    if !session.global.quiet {
        for ics in &no_funding {
            let name = [ics.ics_code.as_deref(), ics.ics_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!(
                "eprscan: note: {name} sent no funding lines ({} {} no funding table, \
                 or none with a line): its funding row counts none of its own",
                ics.files.join(", "),
                if ics.files.len() == 1 { "has" } else { "have" }
            );
        }
    }
    let table = funding(&dataset.providers, &dataset.funding, &no_funding, &options).table();
    write_table(&table, session)?;
    Ok(ExitCode::SUCCESS)
}
