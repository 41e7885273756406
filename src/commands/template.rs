//! `eprscan template -o return.xlsx`: the blank questionnaire (see [`crate::template`]).

use super::Session;
use crate::cli::TemplateArgs;
use crate::output::emit_bytes;
use crate::template::questionnaire;
use crate::UsageError;
use anyhow::{bail, Result};
use std::process::ExitCode;

/// Run the command: write the workbook to the `-o` file, which must be `.xlsx`.
pub fn run(args: &TemplateArgs, session: &Session) -> Result<ExitCode> {
    let Some(path) = session.global.output.as_deref() else {
        bail!(UsageError(
            "template writes a workbook: give -o FILE.xlsx".into()
        ));
    };
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        bail!(UsageError(format!(
            "template writes an .xlsx workbook, not \"{}\"",
            path.display()
        )));
    }
    let ics = match &args.ics {
        None => None,
        Some(text) => {
            let geography = crate::geography::current();
            match geography.icb(text).or_else(|| geography.icb_by_name(text)) {
                Some(icb) => Some(icb),
                None => bail!(UsageError(format!(
                    "unknown ICS \"{text}\": give one of the {} ICB codes or ICS names of the {} \
                     (e.g. {} or {}; --geography chooses another list)",
                    geography.icbs.len(),
                    geography.describe(),
                    geography.icbs[0].code,
                    geography.icbs[0].name,
                ))),
            }
        }
    };
    let bytes = questionnaire(ics)?.save_to_buffer()?;
    emit_bytes(&bytes, Some(path))?;
    Ok(ExitCode::SUCCESS)
}
