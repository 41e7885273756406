//! One module per subcommand, and what they share: loading the inputs, reporting
//! diagnostics on stderr, and deciding the exit status (SPEC 2).

pub mod completions;
pub mod config;
pub mod convergence;
pub mod coverage;
pub mod diff;
pub mod export;
pub mod funding;
pub mod man;
pub mod maturity;
pub mod report;
pub mod sql;
pub mod template;
pub mod validate;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Config;
use crate::diag::{plural, Counts, Severity};
use crate::model::Dataset;
use crate::normalise::ods::ClosedPolicy;
use crate::normalise::{self, LoadOptions};
use crate::output::{self, Document, OutputOptions, Table};
use anyhow::Result;
use chrono::NaiveDate;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status for input errors (or warnings under `--strict`).
pub const EXIT_INPUT_ERROR: u8 = 1;
/// Exit status for usage errors.
pub const EXIT_USAGE: u8 = 2;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let mut config = Config::discover(cli.global.config.as_deref())?;
    config.add_header_maps(&cli.global.map)?;
    let session = Session {
        global: cli.global,
        config,
    };
    match cli.command {
        Command::Coverage(args) => coverage::run(&args, &session),
        Command::Convergence(args) => convergence::run(&args, &session),
        Command::Funding(args) => funding::run(&args, &session),
        Command::Maturity(args) => maturity::run(&args, &session),
        Command::Validate(args) => validate::run(&args, &session),
        Command::Report(args) => report::run(&args, &session),
        Command::Diff(args) => diff::run(&args, &session),
        Command::Template(args) => template::run(&args, &session),
        Command::Sql(args) => sql::run(&args, &session),
        Command::Export(args) => export::run(&args, &session),
        Command::Config(_) => config::run(&session),
        Command::Completions(args) => completions::run(&args, &session),
        Command::Man => man::run(&session),
    }
}

/// What every command gets: the global options and the settings file.
pub struct Session {
    /// Global command-line options.
    pub global: GlobalArgs,
    /// Settings from `eprscan.toml`.
    pub config: Config,
}

impl Session {
    /// Load the inputs with the global options and settings.
    ///
    /// The dataset is kept until the process exits (each command loads once or
    /// twice and ends soon after): freeing a national set's rows one by one took
    /// 10 ms at scale 1, longer than the metrics.
    pub fn load(&self, paths: &[PathBuf]) -> &'static Dataset {
        self.load_noting(paths, false)
    }

    /// Load the inputs; with `unused_columns`, columns no field matched are noted
    /// (`validate` lists them; `-v` always does).
    pub fn load_noting(&self, paths: &[PathBuf], unused_columns: bool) -> &'static Dataset {
        self.load_with(paths, unused_columns, None)
    }

    /// Load the inputs for figures that describe `as_of` (`--as-of`): with `--ods`,
    /// organisations closed by then are left out (see [`ClosedPolicy`]).
    pub fn load_as_of(&self, paths: &[PathBuf], as_of: Option<NaiveDate>) -> &'static Dataset {
        self.load_with(paths, false, as_of)
    }

    /// What [`Session::load_noting`] and [`Session::load_as_of`] share.
    fn load_with(
        &self,
        paths: &[PathBuf],
        unused_columns: bool,
        as_of: Option<NaiveDate>,
    ) -> &'static Dataset {
        let options = LoadOptions {
            as_of,
            closed: if self.global.include_closed {
                ClosedPolicy::Include
            } else if self.global.exclude_closed {
                ClosedPolicy::Exclude
            } else {
                ClosedPolicy::ByDate
            },
            ods_files: self.global.ods.clone(),
            verbose: self.global.verbose,
            unused_columns,
            progress: self.progress(),
            limits: crate::ingest::Limits {
                max_cells: self.global.max_cells,
                max_unzipped_bytes: self.global.max_unzipped_mb.saturating_mul(1_000_000),
            },
            synonyms: self.config.header_synonyms(),
            suppliers: self.config.supplier_table(),
        };
        Box::leak(Box::new(normalise::load(paths, &options)))
    }

    /// Whether to draw a progress bar: stderr is a terminal, not `-q`, not in CI.
    fn progress(&self) -> bool {
        !self.global.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
    }

    /// Whether to colour diagnostics on stderr.
    pub fn stderr_colour(&self) -> bool {
        self.global.color.colour(std::io::stderr().is_terminal())
    }

    /// Whether to colour what goes to stdout (not to an `-o` file unless forced).
    pub fn stdout_colour(&self) -> bool {
        let terminal = self.global.output.is_none() && std::io::stdout().is_terminal();
        self.global.color.colour(terminal)
    }

    /// The grouping level: the option, else the settings file's, else by ICS.
    pub fn group_by(
        &self,
        option: Option<crate::metrics::GroupBy>,
    ) -> Result<crate::metrics::GroupBy> {
        Ok(match option {
            Some(by) => by,
            None => self.config.group_by()?.unwrap_or_default(),
        })
    }
}

/// Print the dataset's diagnostics on stderr as the options ask, and say whether the
/// command may go on: errors are all listed (and warnings too under `--strict`);
/// otherwise warnings are counted in one line (listed with `-v`) and notes listed
/// unless `-q`.
pub fn report_diagnostics(dataset: &Dataset, session: &Session) -> Result<(), ExitCode> {
    report_diagnostic_list(&dataset.diagnostics, session)
}

/// [`report_diagnostics`] for any list of diagnostics (`eprscan diff` reads two
/// datasets and reports their problems together).
pub fn report_diagnostic_list(
    diagnostics: &[crate::diag::Diagnostic],
    session: &Session,
) -> Result<(), ExitCode> {
    let global = &session.global;
    let colour = session.stderr_colour();
    let counts = Counts::of(diagnostics);
    let fatal = counts.fails(global.strict);
    for d in diagnostics {
        let show = match d.severity {
            Severity::Error => true,
            Severity::Warning => global.verbose || (fatal && global.strict),
            Severity::Note => !global.quiet,
        };
        if show {
            eprintln!("{}", d.render(colour));
        }
    }
    if fatal {
        let mut parts = vec![plural(counts.errors, "error")];
        if global.strict && counts.warnings > 0 {
            parts.push(format!("{} (--strict)", plural(counts.warnings, "warning")));
        }
        eprintln!("eprscan: stopped: {}", parts.join(" and "));
        return Err(ExitCode::from(EXIT_INPUT_ERROR));
    }
    if counts.warnings > 0 && !global.quiet && !global.verbose {
        eprintln!(
            "eprscan: {} (each says what was done about it); list them with -v or `eprscan validate`",
            plural(counts.warnings, "warning")
        );
    }
    Ok(())
}

/// Write a result table as the global options ask.
pub fn write_table(table: &Table, session: &Session) -> Result<()> {
    let options = output_options(session)?;
    output::emit(table, &options, session.global.output.as_deref())
}

/// Write a document of several tables (sheets of a workbook, sections of markdown)
/// as the global options ask.
pub fn write_document(document: &Document, session: &Session) -> Result<()> {
    let options = output_options(session)?;
    output::emit_document(document, &options, session.global.output.as_deref())
}

/// The output options the global options ask for: `-f`, else the `-o` file's
/// extension, else a table.
pub fn output_options(session: &Session) -> Result<OutputOptions> {
    let global = &session.global;
    let format = output::choose_format(global.format, global.output.as_deref())?;
    Ok(OutputOptions {
        format,
        total: global.total,
        escape_formulas: !global.no_escape_formulas,
        colour: format == output::Format::Table && session.stdout_colour(),
    })
}
