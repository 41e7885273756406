//! The `eprscan` binary: parse the command line, run, map the outcome to an exit
//! status. All logic is in the library.

use eprscan::commands::{self, EXIT_INPUT_ERROR, EXIT_USAGE};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match eprscan::cli::parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap's tip for an unknown option ("use '-- --by'") is wrong advice here:
            // say which options the command takes instead.
            if let Some(message) = eprscan::cli::unknown_option_message(&err) {
                eprintln!("{message}");
                return ExitCode::from(EXIT_USAGE);
            }
            err.exit()
        }
    };
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `eprscan coverage ... | head -1`: a closed pipe is not an error.
            if err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("eprscan: {err:#}");
            if err.downcast_ref::<eprscan::UsageError>().is_some() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::from(EXIT_INPUT_ERROR)
            }
        }
    }
}
