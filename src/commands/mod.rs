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
mod progress_bar;
pub mod report;
pub mod report_history;
pub mod returns;
pub mod sql;
pub mod template;
pub mod trajectory;
pub mod trend;
pub mod validate;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Config;
use crate::diag::{plural, Counts, Severity};
use crate::geography::Geography;
use crate::model::Dataset;
use crate::normalise::ods::ClosedPolicy;
use crate::normalise::{self, LoadOptions};
use crate::output::{self, Document, OutputOptions, Table};
use crate::schema::TableKind;
use anyhow::Result;
use chrono::NaiveDate;
use std::cell::RefCell;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status for input errors (or warnings under `--strict`).
pub const EXIT_INPUT_ERROR: u8 = 1;
/// Exit status for usage errors.
pub const EXIT_USAGE: u8 = 2;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    crate::cli::refuse_unused_options(&cli)?;
    refuse_csv_options(&cli.command, &cli.global)?;
    let mut config = Config::discover(cli.global.config.as_deref())?;
    config.add_header_maps(&cli.global.map)?;
    // One geography for the whole run, chosen before anything is read or grouped.
    let geography = match (&cli.global.geography, &config.geography) {
        (Some(choice), _) => {
            Geography::resolve(choice).map_err(|e| crate::UsageError(format!("{e:#}")))?
        }
        (None, Some(configured)) => configured.clone(),
        (None, None) => Geography::latest().clone(),
    };
    crate::geography::choose(geography);
    let session = Session {
        global: cli.global,
        config,
        left_out: RefCell::new(Vec::new()),
    };
    let code = match cli.command {
        Command::Coverage(args) => coverage::run(&args, &session),
        Command::Convergence(args) => convergence::run(&args, &session),
        Command::Funding(args) => funding::run(&args, &session),
        Command::Maturity(args) => maturity::run(&args, &session),
        Command::Returns(args) => returns::run(&args, &session),
        Command::Validate(args) => validate::run(&args, &session),
        Command::Report(args) => report::run(&args, &session),
        Command::Diff(args) => diff::run(&args, &session),
        Command::Trend(args) => trend::run(&args, &session),
        Command::Trajectory(args) => trajectory::run(&args, &session),
        Command::Template(args) => template::run(&args, &session),
        Command::Sql(args) => sql::run(&args, &session),
        Command::Export(args) => export::run(&args, &session),
        Command::Config(_) => config::run(&session),
        Command::Completions(args) => completions::run(&args, &session),
        Command::Man(args) => man::run(&args, &session),
    }?;
    // Results were written from what could be read, but the run was not clean.
    if !session.left_out.borrow().is_empty() && code == ExitCode::SUCCESS {
        return Ok(ExitCode::from(EXIT_INPUT_ERROR));
    }
    Ok(code)
}

/// What every command gets: the global options and the settings file.
pub struct Session {
    /// Global command-line options.
    pub global: GlobalArgs,
    /// Settings from `eprscan.toml`.
    pub config: Config,
    /// With `--keep-going`: the files left out because they have errors, and the ICS
    /// each was for. Every result written says so, and the exit status is 1.
    pub left_out: RefCell<Vec<(String, Option<String>)>>,
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
        self.load_with(paths, unused_columns, None, false)
    }

    /// Load the inputs for figures that describe `as_of` (`--as-of`): with `--ods`,
    /// organisations closed by then are left out (see [`ClosedPolicy`]).
    pub fn load_as_of(&self, paths: &[PathBuf], as_of: Option<NaiveDate>) -> &'static Dataset {
        self.load_with(paths, false, as_of, false)
    }

    /// Load every file, even under `--keep-going` (the returns tracker reports files
    /// with errors; it does not leave them out).
    pub fn load_all(&self, paths: &[PathBuf]) -> &'static Dataset {
        self.load_with(paths, false, None, true)
    }

    /// What [`Session::load_noting`] and [`Session::load_as_of`] share.
    fn load_with(
        &self,
        paths: &[PathBuf],
        unused_columns: bool,
        as_of: Option<NaiveDate>,
        keep_all: bool,
    ) -> &'static Dataset {
        let options = self.load_options(unused_columns, as_of, self.progress());
        let dataset = normalise::load(paths, &options);
        self.keep_going(dataset, keep_all)
    }

    /// Load several snapshots at once, in parallel (`eprscan trend`): each is a list
    /// of paths and, with `Some`, the date its figures describe (for `--ods` closures).
    /// No progress bar: several bars at once would garble the terminal.
    pub fn load_snapshots(
        &self,
        snapshots: &[(Vec<PathBuf>, Option<NaiveDate>)],
    ) -> Vec<&'static Dataset> {
        use rayon::prelude::*;
        let options: Vec<(&[PathBuf], LoadOptions)> = snapshots
            .iter()
            .map(|(paths, as_of)| (paths.as_slice(), self.load_options(false, *as_of, false)))
            .collect();
        let loaded: Vec<Dataset> = options
            .par_iter()
            .map(|(paths, options)| normalise::load(paths, options))
            .collect();
        loaded
            .into_iter()
            .map(|dataset| self.keep_going(dataset, false))
            .collect()
    }

    /// The load options the global options and settings ask for.
    fn load_options(
        &self,
        unused_columns: bool,
        as_of: Option<NaiveDate>,
        progress: bool,
    ) -> LoadOptions {
        LoadOptions {
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
            progress: progress.then(|| {
                crate::normalise::ProgressHook(std::sync::Arc::new(progress_bar::Bar::default()))
            }),
            limits: crate::ingest::Limits {
                max_cells: self.global.max_cells,
                max_unzipped_bytes: self.global.max_unzipped_mb.saturating_mul(1_000_000),
            },
            synonyms: self.config.header_synonyms(),
            suppliers: self.config.supplier_table(),
        }
    }

    /// With `--keep-going` (and not `keep_all`), leave out the files with errors and
    /// note them; the dataset is then kept until the process exits.
    fn keep_going(&self, mut dataset: Dataset, keep_all: bool) -> &'static Dataset {
        if self.global.keep_going && !keep_all {
            let left_out = leave_out_failed(&mut dataset);
            self.left_out.borrow_mut().extend(left_out);
        }
        Box::leak(Box::new(dataset))
    }

    /// Load several snapshots in parallel and reduce each to what `summarise` keeps
    /// (`eprscan trend`): each dataset is dropped as soon as it is summarised, so a
    /// long series never holds every snapshot's rows at once. Returns each snapshot's
    /// diagnostics and summary, in order.
    pub fn summarise_snapshots<T: Send>(
        &self,
        snapshots: &[(Vec<PathBuf>, Option<NaiveDate>)],
        summarise: impl Fn(usize, &Dataset) -> T + Sync,
    ) -> Vec<(Vec<crate::diag::Diagnostic>, T)> {
        use rayon::prelude::*;
        let keep_going = self.global.keep_going;
        let options: Vec<(&[PathBuf], LoadOptions)> = snapshots
            .iter()
            .map(|(paths, as_of)| (paths.as_slice(), self.load_options(false, *as_of, false)))
            .collect();
        // In batches of one snapshot per thread: a worker waiting inside one load
        // would otherwise steal and start more snapshots, all held at once.
        let batch = rayon::current_num_threads().max(1);
        let mut done = Vec::with_capacity(options.len());
        for (b, chunk) in options.chunks(batch).enumerate() {
            let part: Vec<_> = chunk
                .par_iter()
                .enumerate()
                .map(|(j, (paths, options))| {
                    let mut dataset = normalise::load(paths, options);
                    let left_out = if keep_going {
                        leave_out_failed(&mut dataset)
                    } else {
                        Vec::new()
                    };
                    let summary = summarise(b * batch + j, &dataset);
                    (std::mem::take(&mut dataset.diagnostics), left_out, summary)
                })
                .collect();
            done.extend(part);
        }
        done.into_iter()
            .map(|(diagnostics, left_out, summary)| {
                self.left_out.borrow_mut().extend(left_out);
                (diagnostics, summary)
            })
            .collect()
    }

    /// What `--keep-going` left out, for a table title: `None` when nothing was.
    pub fn left_out_note(&self) -> Option<String> {
        let left_out = self.left_out.borrow();
        if left_out.is_empty() {
            return None;
        }
        let files: Vec<&str> = left_out.iter().map(|(f, _)| f.as_str()).collect();
        let mut icss: Vec<&str> = left_out.iter().filter_map(|(_, i)| i.as_deref()).collect();
        icss.sort_unstable();
        icss.dedup();
        let untold = left_out.iter().filter(|(_, i)| i.is_none()).count();
        let mut note = format!(
            "left out (--keep-going, files with errors): {}: {}",
            plural(files.len(), "file"),
            files.join(", ")
        );
        if !icss.is_empty() {
            note.push_str(&format!("; ICSs {}", icss.join(", ")));
        }
        if untold > 0 {
            note.push_str(&format!(
                "; {} whose ICS cannot be told",
                plural(untold, "file")
            ));
        }
        Some(note)
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
    pub fn group_by(&self, option: Option<crate::metrics::GroupBy>) -> crate::metrics::GroupBy {
        option.or(self.config.by).unwrap_or_default()
    }
}

/// `--keep-going`: leave out of `dataset` the files with errors; returns them with
/// the ICS each was for.
fn leave_out_failed(dataset: &mut Dataset) -> Vec<(String, Option<String>)> {
    let failed: std::collections::BTreeSet<String> = dataset
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.clone())
        .collect();
    dataset.leave_out_files(&failed)
}

/// The tables a command that reads only providers uses (coverage, maturity, trend).
pub const PROVIDERS: &[TableKind] = &[TableKind::Providers];
/// The tables convergence (and diff, which compares it) uses.
pub const PROVIDERS_AND_SYSTEMS: &[TableKind] = &[TableKind::Providers, TableKind::Systems];
/// The tables funding uses (providers place lines by sector and supplier).
pub const PROVIDERS_AND_FUNDING: &[TableKind] = &[TableKind::Providers, TableKind::Funding];
/// Every table (validate, report, sql, export, returns).
pub const ALL_TABLES: &[TableKind] = &TableKind::ALL;

/// Print the dataset's diagnostics on stderr as the options ask, and say whether the
/// command may go on: errors are all listed (and warnings too under `--strict`);
/// otherwise warnings are counted in one line (listed with `-v`) and notes listed
/// unless `-q`. Only the problems that concern `tables`, the tables the command
/// uses, are reported (see [`crate::diag::Diagnostic::concerns`]).
pub fn report_diagnostics(
    dataset: &Dataset,
    tables: &[TableKind],
    session: &Session,
) -> Result<(), ExitCode> {
    report_diagnostic_list(&dataset.diagnostics, tables, session)
}

/// [`report_diagnostics`] for any list of diagnostics (`eprscan diff` reads two
/// datasets and reports their problems together).
pub fn report_diagnostic_list(
    diagnostics: &[crate::diag::Diagnostic],
    tables: &[TableKind],
    session: &Session,
) -> Result<(), ExitCode> {
    let global = &session.global;
    let colour = session.stderr_colour();
    let diagnostics: Vec<&crate::diag::Diagnostic> =
        diagnostics.iter().filter(|d| d.concerns(tables)).collect();
    let counts = Counts::of(diagnostics.iter().copied());
    // With --keep-going the files with errors were left out of the dataset.
    let kept_going = global.keep_going && counts.errors > 0;
    let fatal = if kept_going {
        global.strict && counts.warnings > 0
    } else {
        counts.fails(global.strict)
    };
    for d in &diagnostics {
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
    if kept_going {
        eprintln!(
            "eprscan: --keep-going: {}; results are from the other files (exit status 1)",
            plural(counts.errors, "error")
        );
    }
    if counts.warnings > 0 && !global.quiet && !global.verbose {
        eprintln!(
            "eprscan: {} (each says what was done about it); list them with -v or `eprscan validate`",
            plural(counts.warnings, "warning")
        );
    }
    Ok(())
}

/// Write a result table as the global options ask: `--where` and `--sort` first (in
/// every format), then the format.
pub fn write_table(table: &Table, session: &Session) -> Result<()> {
    write_table_with_map(table, None, session)
}

/// Write a result table as [`write_table`] does, with the hex map's figures of its
/// rows (one per row, in order) for a web page; the map keeps the areas of the rows
/// `--where` keeps, in the order `--sort` gives them.
pub fn write_table_with_map(
    table: &Table,
    map: Option<&[output::MapArea]>,
    session: &Session,
) -> Result<()> {
    let options = output_options(session)?;
    let refined = refine(table, session)?;
    let kept_map = match (&refined, map) {
        (Some(refined), Some(map)) => Some(kept_areas(table, refined, map)),
        _ => None,
    };
    let map = kept_map.as_deref().or(map);
    let table = refined.as_ref().unwrap_or(table);
    let output = session.global.output.as_deref();
    match session.left_out_note() {
        Some(note) => {
            let mut table = table.clone();
            table.title = Some(with_note(table.title.as_deref(), &note));
            output::emit_with_map(&table, map, &options, output)
        }
        None => output::emit_with_map(table, map, &options, output),
    }
}

/// The areas of the rows a refined table kept, in its order: each refined row is a
/// copy of an original one, matched to the first of its equals not yet taken.
fn kept_areas(
    original: &Table,
    refined: &Table,
    areas: &[output::MapArea],
) -> Vec<output::MapArea> {
    let mut taken = vec![false; original.rows.len()];
    refined
        .rows
        .iter()
        .filter_map(|row| {
            let i = (0..original.rows.len()).find(|&i| !taken[i] && original.rows[i] == *row)?;
            taken[i] = true;
            areas.get(i).cloned()
        })
        .collect()
}

/// The table after `--where` and `--sort` (`None` when neither is given). A filtered
/// table's title says that its national row is still for every group: no command
/// recomputes it (shares and distinct counts cannot be summed from the rows kept).
fn refine(table: &Table, session: &Session) -> Result<Option<Table>> {
    let global = &session.global;
    if global.sort.is_empty() && global.filter.is_none() {
        return Ok(None);
    }
    let mut refined = crate::query::refine(table, &global.sort, global.filter.as_deref())?;
    if let (Some(filter), Some(_)) = (&global.filter, &refined.total) {
        let note = format!("filtered by --where \"{filter}\": the national row is for all groups");
        refined.title = Some(with_note(refined.title.as_deref(), &note));
    }
    Ok(Some(refined))
}

/// A title with `--keep-going`'s note after it.
fn with_note(title: Option<&str>, note: &str) -> String {
    match title {
        Some(title) => format!("{title} [{note}]"),
        None => format!("[{note}]"),
    }
}

/// Write a document of several tables (sheets of a workbook, sections of markdown)
/// as the global options ask.
pub fn write_document(document: &Document, session: &Session) -> Result<()> {
    let options = output_options(session)?;
    // --where and --sort name one table's columns: a document of one table (diff
    // --per) takes them; one of several (report, diff) has no single set of columns.
    let refined;
    let document = if session.global.sort.is_empty() && session.global.filter.is_none() {
        document
    } else if document.tables().count() == 1 {
        let mut one = document.clone();
        for sheet in &mut one.sheets {
            for table in &mut sheet.tables {
                if let Some(table_refined) = refine(table, session)? {
                    *table = table_refined;
                }
            }
        }
        refined = one;
        &refined
    } else {
        return Err(crate::UsageError(
            "--sort and --where apply to one result table, and this output has several (use diff --per, or a command per table)".into(),
        )
        .into());
    };
    match session.left_out_note() {
        Some(note) => {
            // The first table of each sheet (the report's Summary and Data quality
            // sheets among them) says what was left out.
            let mut document = document.clone();
            for sheet in &mut document.sheets {
                if let Some(first) = sheet.tables.first_mut() {
                    first.title = Some(with_note(first.title.as_deref(), &note));
                }
            }
            output::emit_document(&document, &options, session.global.output.as_deref())
        }
        None => output::emit_document(document, &options, session.global.output.as_deref()),
    }
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
        bom: global.bom,
        colour: format == output::Format::Table && session.stdout_colour(),
    })
}

/// `--bom` and `--no-escape-formulas` shape CSV: with any other format they would be
/// ignored, so they are refused (usage error) before any return is read. The format
/// is the one the command will write (`export`'s default is CSV).
fn refuse_csv_options(command: &Command, global: &GlobalArgs) -> Result<()> {
    let format = match command {
        Command::Export(_) => global.format.unwrap_or(output::Format::Csv),
        // A name that tells no format is refused when the output is written.
        _ => match output::choose_format(global.format, global.output.as_deref()) {
            Ok(format) => format,
            Err(_) => return Ok(()),
        },
    };
    if format == output::Format::Csv {
        return Ok(());
    }
    for (given, flag) in [
        (global.bom, "--bom"),
        (global.no_escape_formulas, "--no-escape-formulas"),
    ] {
        if given {
            return Err(crate::UsageError(format!(
                "{flag} applies to CSV output, and this output is {} (give -f csv or -o FILE.csv)",
                output::format_name(format)
            ))
            .into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{MapArea, Value};

    #[test]
    fn the_map_keeps_the_areas_of_the_rows_kept_in_their_order() {
        let row = |code: &str, share: f64| vec![Value::Text(code.into()), Value::Ratio(share)];
        let table = Table {
            title: None,
            columns: vec!["ics_code".into(), "coverage".into()],
            rows: vec![row("A", 0.5), row("B", 0.9), row("C", 0.7)],
            total: None,
        };
        let area = |code: &str| MapArea {
            code: Some(code.into()),
            ..MapArea::default()
        };
        let areas = [area("A"), area("B"), area("C")];
        let refined = Table {
            rows: vec![row("C", 0.7), row("A", 0.5)],
            ..table.clone()
        };
        assert_eq!(kept_areas(&table, &refined, &areas), [area("C"), area("A")]);
    }
}
