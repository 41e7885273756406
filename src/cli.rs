//! Command-line definitions (clap derive). Parsing only: each subcommand's work is
//! in its module under [`crate::commands`].

use crate::metrics::{GroupBy, Share};
use crate::output::{ColorChoice, Format};
use crate::schema::Sector;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  eprscan coverage returns/                      coverage of NHS trusts by ICS
  eprscan coverage returns/ --by region -f csv   by region, as CSV
  eprscan coverage returns/ --as-of 2024-03-31   live only if gone live by then
  eprscan coverage trusts.csv --ods etr.csv      a national list grouped via ODS
  eprscan coverage trusts.csv --ods etr.csv --as-of 2023-12-31
                                                 ... without trusts closed by then
  eprscan funding returns/ --match-rate 50%      funding gaps, local share needed
  eprscan maturity returns/ --by region          EMRAM stages and EPR groups
  eprscan validate returns/                      every problem, file by file
  eprscan report returns/2026-11 -o pack.xlsx    the monthly pack, with charts
  eprscan diff returns/2026-10 returns/2026-11   what changed since last month
  eprscan template -o return.xlsx                the blank questionnaire
  eprscan sql --schema                           the tables SQL queries can use
  eprscan sql \"SELECT * FROM providers WHERE status = 'none'\" returns/
  eprscan export returns/ --to tables/ -f parquet every table as a Parquet file";

/// `--max-cells` when not given.
pub const DEFAULT_MAX_CELLS: usize = 10_000_000;
/// `--max-unzipped-mb` when not given.
pub const DEFAULT_MAX_UNZIPPED_MB: u64 = 512;

/// Analytics over NHS EPR landscape returns: coverage against the 90% target,
/// convergence, funding gaps and digital maturity.
#[derive(Debug, Parser)]
#[command(name = "eprscan", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Output format [default: table, or from the -o file's extension]
    #[arg(short = 'f', long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Write results to FILE instead of stdout (format from its extension)
    #[arg(short = 'o', long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Settings file [default: ./eprscan.toml if present]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// NHS ODS organisation file (etr.csv, ect.csv) to fill ICB, region and names; repeatable
    #[arg(long = "ods", global = true, value_name = "FILE")]
    pub ods: Vec<PathBuf>,
    /// Read column HEADER as FIELD (e.g. supplier="trust_epr", or providers.supplier=...);
    /// repeatable; same as [headers.TABLE] in the settings file
    #[arg(long = "map", global = true, value_name = "FIELD=HEADER")]
    pub map: Vec<String>,
    /// ICBs to group by: 2022 (42 ICBs), 2026 (36, after the April 2026 mergers) or a
    /// CSV FILE (icb_code, icb_name, region, predecessor_codes, took_effect)
    /// [default: 2026, or `geography` in the settings file]
    #[arg(long, global = true, value_name = "2022|2026|FILE")]
    pub geography: Option<String>,
    /// With --ods, keep organisations the reference shows as closed (by default those
    /// closed by the date the figures describe, --as-of or the submitted date, are left out)
    #[arg(long, global = true, conflicts_with = "exclude_closed")]
    pub include_closed: bool,
    /// With --ods, leave out organisations the reference shows as closed even when no
    /// date is known for the figures (no --as-of, no submitted date)
    #[arg(long, global = true)]
    pub exclude_closed: bool,
    /// Compute results from every file that could be read: files with errors are
    /// left out (and named), and the exit status is 1
    #[arg(long, global = true)]
    pub keep_going: bool,
    /// Treat warnings as errors (exit 1)
    #[arg(long, global = true)]
    pub strict: bool,
    /// Print nothing on stderr but errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// List every warning, unused column and chosen header row on stderr
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Include the national total row in CSV/JSON output (tables always show it)
    #[arg(long, global = true)]
    pub total: bool,
    /// Write text starting with = + - @ to CSV as it is (by default it is prefixed with ')
    #[arg(long, global = true)]
    pub no_escape_formulas: bool,
    /// Begin CSV with a UTF-8 byte-order mark, so that Excel reads £ – ’ correctly
    /// (off by default, also with -o FILE.csv: scripts would read the mark as part of
    /// the first column's name)
    #[arg(long, global = true)]
    pub bom: bool,
    /// Sort the result table's rows by COLUMN, smallest first (COLUMN:desc: largest
    /// first); several keys comma-separated. The national row stays last
    #[arg(
        long,
        global = true,
        value_name = "COLUMN[:desc]",
        value_delimiter = ','
    )]
    pub sort: Vec<crate::query::SortKey>,
    /// Keep only the result table's rows where EXPR (a polars SQL expression over its
    /// columns, e.g. "NOT met AND trusts > 3") is true. The national row is not
    /// recomputed by any command: it stays, for all groups, and the title says so
    #[arg(long = "where", global = true, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Refuse a sheet that holds or spans more cells than this
    #[arg(long, global = true, value_name = "N", default_value_t = DEFAULT_MAX_CELLS)]
    pub max_cells: usize,
    /// Refuse a workbook with a zip part that unzips to more megabytes than this
    #[arg(
        long = "max-unzipped-mb",
        global = true,
        value_name = "MB",
        default_value_t = DEFAULT_MAX_UNZIPPED_MB
    )]
    pub max_unzipped_mb: u64,
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Coverage of NHS trusts with a live EPR against the target, per group
    #[command(after_help = "\
Examples:
  eprscan coverage returns/
  eprscan coverage returns/ --by region --target 95%
  eprscan coverage returns/ --as-of 2023-12-31 -f csv --total
  eprscan coverage returns/ --sectors acute,ambulance -o coverage.md")]
    Coverage(CoverageArgs),
    /// Distinct EPRs per group, now and after convergence plans
    #[command(after_help = "\
Examples:
  eprscan convergence returns/
  eprscan convergence returns/ --list
  eprscan convergence returns/ --by region --all-systems -f csv")]
    Convergence(ConvergenceArgs),
    /// Cost, national and local funding secured, and the gap, per group
    #[command(after_help = "\
Examples:
  eprscan funding returns/
  eprscan funding returns/ --by national --match-rate 50%
  eprscan funding returns/ -f csv --total -o funding.csv")]
    Funding(FundingArgs),
    /// NHS trusts by HIMSS EMRAM stage and EPR group, per group
    #[command(after_help = "\
Examples:
  eprscan maturity returns/
  eprscan maturity returns/ --by sector -f markdown")]
    Maturity(MaturityArgs),
    /// The submission tracker: which ICSs have returned, which returns have problems
    #[command(after_help = "\
Examples:
  eprscan returns returns/
  eprscan returns returns/ --by region
  eprscan returns returns/ --trusts --ods etr.csv --ods ect.csv")]
    Returns(ReturnsArgs),
    /// List every problem found in the returns (exit 1 if any error)
    #[command(after_help = "\
Examples:
  eprscan validate returns/
  eprscan validate returns/ --strict -f json")]
    Validate(PathsArgs),
    /// The monthly pack: headline, coverage, convergence, funding, maturity and data
    /// quality in one workbook with charts (-o FILE.xlsx), one web page with a hex map
    /// (-o FILE.html), or as markdown (-o FILE.md)
    #[command(after_help = "\
Examples:
  eprscan report returns/2026-11 -o pack.xlsx
  eprscan report returns/2026-11 -o pack.html
  eprscan report returns/2026-11 --as-of 2026-11-30 -o pack.md
  eprscan report returns/ --target 95% --match-rate 50% -o pack.xlsx")]
    Report(ReportArgs),
    /// What changed between two snapshots of returns: per provider (went live, status,
    /// supplier, plan, go-live, added, removed) and per ICS (coverage, distinct EPRs)
    #[command(after_help = "\
Examples:
  eprscan diff returns/2026-10 returns/2026-11
  eprscan diff returns/2026-10 returns/2026-11 -f markdown > changes.md
  eprscan diff old/qh8.xlsx new/qh8.xlsx --per provider -f csv
  eprscan diff returns/2026-10 returns/2026-11 --per ics --changed
  eprscan diff returns/2026-10 returns/2026-11 -o changes.xlsx")]
    Diff(DiffArgs),
    /// Coverage, distinct EPRs and funding gap per group across snapshots of returns
    #[command(after_help = "\
Examples:
  eprscan trend returns/                      each sub-folder a snapshot (2026-10/, 2026-11/)
  eprscan trend returns/2026-10 returns/2026-11 --by region
  eprscan trend returns/ --metric distinct-eprs
  eprscan trend old/ new/ --dates 2026-10-31,2026-11-30 -f csv")]
    Trend(TrendArgs),
    /// Projected coverage to the deadline from forecast go-live dates of trusts not
    /// yet live, and when the target is reached on current plans
    #[command(after_help = "\
Examples:
  eprscan trajectory returns/2026-11 --deadline 2027-03-31
  eprscan trajectory returns/2026-11 --deadline 2027-03-31 --list
  eprscan trajectory returns/2026-11 --monthly -f csv -o series.csv")]
    Trajectory(TrajectoryArgs),
    /// Write the blank questionnaire workbook: cover, providers, systems and funding
    /// sheets with drop-down lists, and instructions
    #[command(after_help = "\
Examples:
  eprscan template -o return.xlsx
  eprscan template --ics QH8 -o qh8_return.xlsx")]
    Template(TemplateArgs),
    /// Run SQL over the normalised tables (providers, systems, funding, returns,
    /// diagnostics) and the commands' results (coverage, convergence, funding_gaps,
    /// maturity, tracker)
    #[command(after_help = "\
The commands' results are tables too, computed by the commands' own code with the
options given here (--by, --as-of, --target, --deadline, --sectors, --match-rate,
--all-systems, --list): coverage, convergence, maturity, tracker (eprscan returns'
table) and, as funding is also the table of funding lines, funding_gaps for
eprscan funding's. Their national row is not in them.

Examples:
  eprscan sql --schema
  eprscan sql \"SELECT ics_name, coverage FROM coverage WHERE NOT met ORDER BY coverage\" returns/
  eprscan sql \"SELECT region, COUNT(*) AS trusts, SUM(CAST(is_live AS INT)) AS live
               FROM providers WHERE is_trust GROUP BY region\" returns/
  eprscan sql \"SELECT status, COUNT(*) AS n FROM providers GROUP BY status ORDER BY n DESC\" returns/
  eprscan sql \"SELECT ods_code, name, supplier, contract_expiry FROM providers
               WHERE contract_expiry < DATE '2026-01-01' ORDER BY contract_expiry\" returns/ -f csv
  eprscan sql \"SELECT * FROM diagnostics WHERE severity = 'warning'\" returns/ -o warnings.csv")]
    Sql(SqlArgs),
    /// Write every table (as in `eprscan sql`) to a folder: csv, parquet, json or ndjson
    #[command(after_help = "\
Examples:
  eprscan export returns/ --to tables/
  eprscan export returns/ --to tables/ -f parquet
  eprscan export returns/ --to tables/ -f json")]
    Export(ExportArgs),
    /// Show the effective settings and where each came from
    #[command(after_help = "\
Examples:
  eprscan config --show
  eprscan config --show --config team.toml -f json")]
    Config(ConfigArgs),
    /// Print a shell completion script
    #[command(after_help = "\
Examples:
  eprscan completions bash > ~/.local/share/bash-completion/completions/eprscan
  eprscan completions zsh > ~/.zfunc/_eprscan
  eprscan completions fish > ~/.config/fish/completions/eprscan.fish")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command to a folder
    #[command(after_help = "\
Examples:
  eprscan man > ~/.local/share/man/man1/eprscan.1
  eprscan man | man -l -
  eprscan man --dir ~/.local/share/man/man1      eprscan.1, eprscan-coverage.1, ...")]
    Man(ManArgs),
}

/// `eprscan config`.
#[derive(Debug, Args, Clone)]
pub struct ConfigArgs {
    /// Print the effective settings (the default action)
    #[arg(long)]
    pub show: bool,
}

/// `eprscan man`.
#[derive(Debug, Args, Clone)]
pub struct ManArgs {
    /// Write eprscan.1 and one page per command (eprscan-coverage.1, ...) into DIR
    /// (created if missing) instead of one page on stdout
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `eprscan completions`.
#[derive(Debug, Args, Clone)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Input paths.
#[derive(Debug, Args, Clone)]
pub struct PathsArgs {
    /// Returned workbooks (.xlsx .xlsm .xlsb .xls .ods .csv) or folders of them
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,
}

/// `eprscan sql`.
#[derive(Debug, Args, Clone)]
pub struct SqlArgs {
    /// List the tables, their columns and types (and with PATHS, how many values each
    /// column has) instead of running a query
    #[arg(long)]
    pub schema: bool,
    /// SQL: one statement, or several separated by ; (the last one's result is printed)
    #[arg(value_name = "QUERY", required_unless_present = "schema")]
    pub query: Option<String>,
    /// Returned workbooks (.xlsx .xlsm .xlsb .xls .ods .csv) or folders of them [default: .]
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// For the coverage view (and providers.is_live)
    #[command(flatten)]
    /// The target and the date live-ness is judged at.
    pub judged: TargetArgs,
    /// Grouping level of the coverage, convergence, funding, maturity and tracker
    /// views [default: ics, or the settings file's]
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// Population sectors of the coverage view (as coverage --sectors) and the
    /// convergence view (as convergence --sectors, which also takes `trusts`)
    #[arg(long, value_delimiter = ',', value_parser = parse_sector_choice)]
    pub sectors: Option<Vec<SectorChoice>>,
    /// For the funding view, as funding --match-rate
    #[arg(long, value_name = "R", value_parser = parse_share)]
    pub match_rate: Option<Share>,
    /// For the convergence view, as convergence --all-systems
    #[arg(long)]
    pub all_systems: bool,
    /// For the convergence view, as convergence --list
    #[arg(long)]
    pub list: bool,
    /// The snapshots the `trend` view lines up (as `eprscan trend SNAPSHOT...`):
    /// repeatable, or one folder whose sub-folders are snapshots
    #[arg(long = "trend", value_name = "SNAPSHOT")]
    pub trend: Vec<PathBuf>,
}

/// `eprscan export`.
#[derive(Debug, Args, Clone)]
pub struct ExportArgs {
    #[command(flatten)]
    /// The returns to read.
    pub inputs: PathsArgs,
    /// Folder to write providers, systems, funding, returns and diagnostics to (created
    /// if missing); the format is -f csv (default), parquet, json or ndjson
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
}

/// How coverage is judged: as of when, against what target, by which deadline
/// (`coverage` and `report`).
#[derive(Debug, Args, Clone)]
pub struct TargetArgs {
    /// Count a trust as live only if it went live on or before DATE (blank go-live, or
    /// a 2.x ladder status whose go-live is the next EPR's: live at any DATE); with
    /// --ods, leave out organisations closed by DATE
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
    /// Target share of trusts live, 0.9 or 90% [default: 0.9, or the settings file's]
    #[arg(long, value_parser = parse_share)]
    pub target: Option<Share>,
    /// The date the target is judged against [default: 2023-12-31, or the settings file's]
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub deadline: Option<NaiveDate>,
}

/// `eprscan coverage`.
#[derive(Debug, Args, Clone)]
pub struct CoverageArgs {
    #[command(flatten)]
    /// The returns to read.
    pub inputs: PathsArgs,
    #[command(flatten)]
    /// The target and the date live-ness is judged at.
    pub judged: TargetArgs,
    /// Grouping level [default: ics, or the settings file's]
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// Population sectors instead of NHS trusts, comma-separated (e.g. acute,ambulance)
    #[arg(long, value_delimiter = ',', value_parser = parse_sector)]
    pub sectors: Option<Vec<Sector>>,
}

/// `eprscan convergence`.
#[derive(Debug, Args, Clone)]
pub struct ConvergenceArgs {
    #[command(flatten)]
    /// The returns to read.
    pub inputs: PathsArgs,
    /// Grouping level [default: ics, or the settings file's]
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// Count every system of the systems table, not only Core EPR, PAS and blank scope
    #[arg(long)]
    pub all_systems: bool,
    /// Add a column listing each EPR with its number of providers
    #[arg(long)]
    pub list: bool,
    /// Count only these sectors, comma-separated; `trusts` = the five NHS-trust
    /// sectors [default: every provider]
    #[arg(long, value_delimiter = ',', value_parser = parse_sector_choice)]
    pub sectors: Option<Vec<SectorChoice>>,
    /// The date the figures describe: EPRs in use then [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
}

/// One item of a `--sectors` list that also accepts `trusts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectorChoice {
    /// The NHS-trust sectors, as coverage's population counts them.
    Trusts,
    /// One sector.
    Sector(Sector),
}

impl SectorChoice {
    /// The population a list of choices describes (`None` for no list: everyone).
    pub fn population(
        choices: Option<&[SectorChoice]>,
    ) -> Option<crate::metrics::convergence::Population> {
        let choices = choices?;
        let mut population = crate::metrics::convergence::Population::default();
        for choice in choices {
            match choice {
                SectorChoice::Trusts => population.trusts = true,
                SectorChoice::Sector(s) if !population.sectors.contains(s) => {
                    population.sectors.push(*s)
                }
                SectorChoice::Sector(_) => {}
            }
        }
        Some(population)
    }
}

/// The figure the wide trend table shows per snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrendMetric {
    /// NHS trusts.
    Trusts,
    /// NHS trusts live.
    Live,
    /// NHS trusts implementing.
    Implementing,
    /// Share of NHS trusts live.
    Coverage,
    /// Whether the target is met.
    Met,
    /// Distinct EPRs in use.
    DistinctEprs,
    /// Distinct EPRs once plans land.
    DistinctEprsPlanned,
    /// Funding gap.
    FundingGap,
}

impl TrendMetric {
    /// Its column in [`crate::metrics::trend::METRICS`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// `eprscan trend`.
#[derive(Debug, Args, Clone)]
pub struct TrendArgs {
    /// Snapshots: folders or files of returns, or one folder whose sub-folders are
    /// snapshots; each dated by its name (2026-11, 2026-11-15, returns-2026-11), else
    /// its latest cover-sheet submitted date
    #[arg(value_name = "SNAPSHOT", required = true)]
    pub snapshots: Vec<PathBuf>,
    /// The snapshots' dates, comma-separated in the order of the snapshots (overrides
    /// names and cover sheets)
    #[arg(long, value_delimiter = ',', value_parser = parse_date_arg, value_name = "DATES")]
    pub dates: Option<Vec<NaiveDate>>,
    /// Grouping level [default: ics, or the settings file's]
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// The figure the table shows per snapshot (CSV/JSON carry them all)
    #[arg(long, value_enum, default_value_t = TrendMetric::Coverage)]
    pub metric: TrendMetric,
    /// Target share of trusts live, 0.9 or 90% [default: 0.9, or the settings file's]
    #[arg(long, value_parser = parse_share)]
    pub target: Option<Share>,
}

/// `eprscan trajectory`.
#[derive(Debug, Args, Clone)]
pub struct TrajectoryArgs {
    #[command(flatten)]
    /// The returns to read.
    pub inputs: PathsArgs,
    #[command(flatten)]
    /// The target and the date live-ness is judged at.
    pub judged: TargetArgs,
    /// Grouping level [default: ics, or the settings file's]
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// List the trusts at risk: not live, with no forecast, a forecast after the
    /// deadline or one already passed
    #[arg(long, conflicts_with = "monthly")]
    pub list: bool,
    /// Write the month-by-month series (for charts) instead of the summary
    #[arg(long)]
    pub monthly: bool,
}

/// `eprscan funding`.
#[derive(Debug, Args, Clone)]
pub struct FundingArgs {
    #[command(flatten)]
    /// The returns to read.
    pub inputs: PathsArgs,
    /// Grouping level [default: ics, or the settings file's]
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// Share of cost national funding is expected to match, 0.5 or 50%: adds the
    /// local funding required and its shortfall
    #[arg(long, value_name = "R", value_parser = parse_share)]
    pub match_rate: Option<Share>,
}

/// `eprscan maturity`.
#[derive(Debug, Args, Clone)]
pub struct MaturityArgs {
    #[command(flatten)]
    /// The returns to read.
    pub inputs: PathsArgs,
    /// Grouping level [default: ics, or the settings file's]
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
}

/// `eprscan returns`.
#[derive(Debug, Args, Clone)]
pub struct ReturnsArgs {
    #[command(flatten)]
    /// The returns to read.
    pub inputs: PathsArgs,
    /// Grouping level: ics (one row per ICS), region or national
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// With --ods: list the open trusts and care trusts of the reference that no
    /// return mentions, and the codes returns mention that the reference does not know
    #[arg(long)]
    pub trusts: bool,
    /// With --trusts: the date at which an organisation must be open [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
}

/// `eprscan report`.
#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    #[command(flatten)]
    /// The returns to read.
    pub inputs: PathsArgs,
    #[command(flatten)]
    /// The target and the date live-ness is judged at.
    pub judged: TargetArgs,
    /// Share of cost national funding is expected to match, 0.5 or 50%: adds the
    /// local funding required and its shortfall to the funding sheet
    #[arg(long, value_name = "R", value_parser = parse_share)]
    pub match_rate: Option<Share>,
    /// Count every system of the systems table in convergence, not only Core EPR, PAS
    /// and blank scope
    #[arg(long)]
    pub all_systems: bool,
    /// Earlier snapshots (folders or files of returns, dated as `eprscan trend` dates
    /// them): adds a Trend sheet (coverage over time) and a Trajectory sheet
    #[arg(long, value_name = "SNAPSHOT", num_args = 1..)]
    pub history: Vec<PathBuf>,
}

/// `eprscan diff`.
#[derive(Debug, Args, Clone)]
pub struct DiffArgs {
    /// The earlier snapshot: a returned workbook or a folder of them
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later snapshot: a returned workbook or a folder of them
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Only one of the two tables (needed for -f csv, json or ndjson, which hold one)
    #[arg(long, value_enum)]
    pub per: Option<DiffPer>,
    /// Show only ICS rows where something changed (the provider table lists only
    /// changes anyway; the England row stays)
    #[arg(long)]
    pub changed: bool,
}

/// Which table of `eprscan diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffPer {
    /// One row per change to a provider.
    Provider,
    /// One row per ICS: coverage and distinct EPRs, old, new and change.
    Ics,
}

/// `eprscan template`.
#[derive(Debug, Args, Clone)]
pub struct TemplateArgs {
    /// Fill the cover sheet's ICS name, ICB code and region for this ICS (ICB code or name)
    #[arg(long, value_name = "ICS")]
    pub ics: Option<String>,
}

/// Parse a date option in any form the returns accept.
pub fn parse_date_arg(text: &str) -> Result<NaiveDate, String> {
    match crate::normalise::values::parse_date(text) {
        Ok(Some(date)) => Ok(date),
        _ => Err(format!(
            "\"{text}\" is not a date (use 2023-12-31, 31/12/2023, Dec 2023 or Q3 2023/24)"
        )),
    }
}

/// Parse a share: `0.9` or `90%`.
pub fn parse_share(text: &str) -> Result<Share, String> {
    text.parse()
}

fn parse_sector_choice(text: &str) -> Result<SectorChoice, String> {
    if text.trim().eq_ignore_ascii_case("trusts") {
        return Ok(SectorChoice::Trusts);
    }
    parse_sector(text)
        .map(SectorChoice::Sector)
        .map_err(|e| format!("{e}, or trusts"))
}

fn parse_sector(text: &str) -> Result<Sector, String> {
    Sector::parse(text).ok_or_else(|| {
        format!(
            "unknown sector \"{text}\" (one of: {})",
            Sector::ALL.map(|s| s.name()).join(", ")
        )
    })
}

/// The message for an option a command does not take (`eprscan report --by region`):
/// the option, the command, and the options it does take. `None` for other errors.
pub fn unknown_option_message(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use clap::CommandFactory;
    if err.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(option)) = err.get(ContextKind::InvalidArg) else {
        return None;
    };
    let root = Cli::command();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.iter().find_map(|a| root.find_subcommand(a.as_str()))?;
    let mut own: Vec<String> = command
        .get_arguments()
        .filter(|a| !a.is_global_set() && !a.is_positional())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    own.sort();
    own.dedup();
    let name = command.get_name();
    Some(format!(
        "error: `eprscan {name}` does not take {option}; {}; and the options every command takes (`eprscan --help`). See `eprscan {name} --help`.",
        if own.is_empty() {
            "it takes no options of its own".to_string()
        } else {
            format!("its own options are {}", own.join(", "))
        }
    ))
}

/// A global option (one of [`GlobalArgs`]), as a command uses it or refuses it.
/// `-q` is not one: every command prints nothing on stderr but errors with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalOption {
    /// `-f/--format`.
    Format,
    /// `-o/--output`.
    Output,
    /// `--config`.
    Config,
    /// `--ods`.
    Ods,
    /// `--map`.
    Map,
    /// `--geography`.
    Geography,
    /// `--include-closed`.
    IncludeClosed,
    /// `--exclude-closed`.
    ExcludeClosed,
    /// `--keep-going`.
    KeepGoing,
    /// `--strict`.
    Strict,
    /// `-v/--verbose`.
    Verbose,
    /// `--total`.
    Total,
    /// `--no-escape-formulas`.
    NoEscapeFormulas,
    /// `--bom`.
    Bom,
    /// `--sort`.
    Sort,
    /// `--where`.
    Where,
    /// `--max-cells`.
    MaxCells,
    /// `--max-unzipped-mb`.
    MaxUnzippedMb,
    /// `--color`.
    Color,
}

impl GlobalOption {
    /// Every global option that a command may refuse.
    pub const ALL: [GlobalOption; 19] = [
        GlobalOption::Format,
        GlobalOption::Output,
        GlobalOption::Config,
        GlobalOption::Ods,
        GlobalOption::Map,
        GlobalOption::Geography,
        GlobalOption::IncludeClosed,
        GlobalOption::ExcludeClosed,
        GlobalOption::KeepGoing,
        GlobalOption::Strict,
        GlobalOption::Verbose,
        GlobalOption::Total,
        GlobalOption::NoEscapeFormulas,
        GlobalOption::Bom,
        GlobalOption::Sort,
        GlobalOption::Where,
        GlobalOption::MaxCells,
        GlobalOption::MaxUnzippedMb,
        GlobalOption::Color,
    ];

    /// The options that only matter when returns are read.
    const READING: [GlobalOption; 10] = [
        GlobalOption::Config,
        GlobalOption::Ods,
        GlobalOption::Map,
        GlobalOption::IncludeClosed,
        GlobalOption::ExcludeClosed,
        GlobalOption::KeepGoing,
        GlobalOption::Strict,
        GlobalOption::Verbose,
        GlobalOption::MaxCells,
        GlobalOption::MaxUnzippedMb,
    ];

    /// The options that only matter when a result table is written.
    const TABLE: [GlobalOption; 5] = [
        GlobalOption::Total,
        GlobalOption::NoEscapeFormulas,
        GlobalOption::Bom,
        GlobalOption::Sort,
        GlobalOption::Where,
    ];

    /// The option as the user types it.
    pub fn flag(self) -> &'static str {
        match self {
            GlobalOption::Format => "-f/--format",
            GlobalOption::Output => "-o/--output",
            GlobalOption::Config => "--config",
            GlobalOption::Ods => "--ods",
            GlobalOption::Map => "--map",
            GlobalOption::Geography => "--geography",
            GlobalOption::IncludeClosed => "--include-closed",
            GlobalOption::ExcludeClosed => "--exclude-closed",
            GlobalOption::KeepGoing => "--keep-going",
            GlobalOption::Strict => "--strict",
            GlobalOption::Verbose => "-v/--verbose",
            GlobalOption::Total => "--total",
            GlobalOption::NoEscapeFormulas => "--no-escape-formulas",
            GlobalOption::Bom => "--bom",
            GlobalOption::Sort => "--sort",
            GlobalOption::Where => "--where",
            GlobalOption::MaxCells => "--max-cells",
            GlobalOption::MaxUnzippedMb => "--max-unzipped-mb",
            GlobalOption::Color => "--color",
        }
    }

    /// Its clap argument id (the field of [`GlobalArgs`]).
    pub fn id(self) -> &'static str {
        match self {
            GlobalOption::Format => "format",
            GlobalOption::Output => "output",
            GlobalOption::Config => "config",
            GlobalOption::Ods => "ods",
            GlobalOption::Map => "map",
            GlobalOption::Geography => "geography",
            GlobalOption::IncludeClosed => "include_closed",
            GlobalOption::ExcludeClosed => "exclude_closed",
            GlobalOption::KeepGoing => "keep_going",
            GlobalOption::Strict => "strict",
            GlobalOption::Verbose => "verbose",
            GlobalOption::Total => "total",
            GlobalOption::NoEscapeFormulas => "no_escape_formulas",
            GlobalOption::Bom => "bom",
            GlobalOption::Sort => "sort",
            GlobalOption::Where => "filter",
            GlobalOption::MaxCells => "max_cells",
            GlobalOption::MaxUnzippedMb => "max_unzipped_mb",
            GlobalOption::Color => "color",
        }
    }

    /// Whether the command line gave it (an option with a default counts as given
    /// when its value differs from the default).
    pub fn given(self, global: &GlobalArgs) -> bool {
        match self {
            GlobalOption::Format => global.format.is_some(),
            GlobalOption::Output => global.output.is_some(),
            GlobalOption::Config => global.config.is_some(),
            GlobalOption::Ods => !global.ods.is_empty(),
            GlobalOption::Map => !global.map.is_empty(),
            GlobalOption::Geography => global.geography.is_some(),
            GlobalOption::IncludeClosed => global.include_closed,
            GlobalOption::ExcludeClosed => global.exclude_closed,
            GlobalOption::KeepGoing => global.keep_going,
            GlobalOption::Strict => global.strict,
            GlobalOption::Verbose => global.verbose,
            GlobalOption::Total => global.total,
            GlobalOption::NoEscapeFormulas => global.no_escape_formulas,
            GlobalOption::Bom => global.bom,
            GlobalOption::Sort => !global.sort.is_empty(),
            GlobalOption::Where => global.filter.is_some(),
            GlobalOption::MaxCells => global.max_cells != DEFAULT_MAX_CELLS,
            GlobalOption::MaxUnzippedMb => global.max_unzipped_mb != DEFAULT_MAX_UNZIPPED_MB,
            GlobalOption::Color => global.color != ColorChoice::Auto,
        }
    }
}

impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Coverage(_) => "coverage",
            Command::Convergence(_) => "convergence",
            Command::Funding(_) => "funding",
            Command::Maturity(_) => "maturity",
            Command::Returns(_) => "returns",
            Command::Validate(_) => "validate",
            Command::Report(_) => "report",
            Command::Diff(_) => "diff",
            Command::Trend(_) => "trend",
            Command::Trajectory(_) => "trajectory",
            Command::Template(_) => "template",
            Command::Sql(_) => "sql",
            Command::Export(_) => "export",
            Command::Config(_) => "config",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
        }
    }

    /// Why the command, with its own options, does not use a global option, or `None`
    /// when it does: [`never_used`] by its name, and what its own options decide
    /// (a table with no national row takes no `--total`). [`refuse_unused_options`]
    /// refuses the rest, so that no option is silently ignored.
    pub fn does_not_use(&self, option: GlobalOption) -> Option<&'static str> {
        use GlobalOption as O;
        let own = match self {
            Command::Returns(args) if args.trusts && option == O::Total => {
                Some("its list of trusts in no return has no national row")
            }
            Command::Diff(args) if args.per == Some(DiffPer::Provider) && option == O::Total => {
                Some("its table of provider changes has no national row")
            }
            Command::Trajectory(args) if args.list && option == O::Total => {
                Some("its list of trusts at risk has no national row")
            }
            // --schema without PATHS lists the tables' columns, reading nothing.
            Command::Sql(args)
                if args.schema
                    && args.query.is_none()
                    && args.paths.is_empty()
                    && GlobalOption::READING.contains(&option) =>
            {
                Some("sql --schema without PATHS reads no returns")
            }
            _ => None,
        };
        own.or_else(|| never_used(self.name(), option))
    }
}

/// Why the command named `command` never uses a global option, whatever its own
/// options, or `None` when it may: the one table of which command uses which global
/// option (the help, the man pages and the completions leave these out).
pub fn never_used(command: &str, option: GlobalOption) -> Option<&'static str> {
    use GlobalOption as O;
    let reading = GlobalOption::READING.contains(&option);
    let table = GlobalOption::TABLE.contains(&option);
    Some(match (command, option) {
        ("template", O::Format) => "it writes an .xlsx workbook, named by -o FILE.xlsx",
        ("template", O::Color) => "it writes a workbook, with nothing to colour",
        // The settings file may choose the geography, whose ICBs the template lists.
        ("template", O::Config) => return None,
        ("template", _) if reading => "it reads no returns",
        ("template", _) if table => "it writes the blank questionnaire, not a result table",
        ("man", O::Format) => "it writes the manual page in roff, whatever the format",
        ("completions", O::Format) => "it writes a shell script, whatever the format",
        ("man" | "completions", O::Color) => "it writes no table or diagnostics to colour",
        // The template's ICS list and drop-downs are the geography's; config shows it.
        ("man" | "completions", O::Geography) => "it reads no returns and groups nothing",
        ("man" | "completions", _) if reading => "it reads no returns and no settings",
        ("man" | "completions", _) if table => "it writes no result table",
        // --config and --map are settings: config --show shows them.
        ("config", O::Config | O::Map) => return None,
        ("config", _) if reading => "it shows the settings and reads no returns",
        ("config", O::Total) => "its table of settings has no national row",
        ("validate", O::KeepGoing) => "it lists every problem of every file and leaves none out",
        ("validate", O::Total) => "its table of problems has no national row",
        ("returns", O::KeepGoing) => {
            "it reports the files with errors in the tracker instead of leaving them out"
        }
        ("sql", O::Total) => "its results have no national row (SELECT one from the tables)",
        ("export", O::Output) => "it writes one file per table into the --to folder",
        ("export", O::Total) => "the tables it writes have no national row",
        ("export", O::Sort | O::Where) => {
            "it writes every table whole (use eprscan sql to pick rows)"
        }
        ("report", O::Total) => "the pack always shows the national rows",
        ("report", O::Bom | O::NoEscapeFormulas) => {
            "the pack is a workbook, a web page or markdown, never CSV"
        }
        _ => return None,
    })
}

/// The command line as clap parses it, with each subcommand's help (and so the man
/// pages and completions drawn from it) leaving out the global options the
/// subcommand never uses ([`never_used`]). They are still parsed, so that
/// [`refuse_unused_options`] can say why they are refused.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let globals: Vec<clap::Arg> = command.get_arguments().cloned().collect();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        // A subcommand's own (hidden) copy of a global option: clap then does not
        // give it the shown one when the command is built.
        let hidden: Vec<clap::Arg> = GlobalOption::ALL
            .into_iter()
            .filter(|option| never_used(&name, *option).is_some())
            .filter_map(|option| globals.iter().find(|a| a.get_id() == option.id()))
            .map(|arg| arg.clone().hide(true))
            .collect();
        command = command.mut_subcommand(&name, |sub| sub.args(hidden));
    }
    command
}

/// Parse the process's command line with [`command`].
pub fn parse() -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let matches = command().try_get_matches()?;
    Cli::from_arg_matches(&matches)
}

/// Refuse the global options the command does not use (see [`Command::does_not_use`]),
/// and those that mean nothing with the others given: a usage error naming each
/// option and why, rather than an option silently ignored.
pub fn refuse_unused_options(cli: &Cli) -> Result<(), crate::UsageError> {
    let global = &cli.global;
    let name = cli.command.name();
    let mut refused: Vec<String> = GlobalOption::ALL
        .into_iter()
        .filter(|option| option.given(global))
        .filter_map(|option| {
            cli.command
                .does_not_use(option)
                .map(|why| format!("`eprscan {name}` does not use {}: {why}", option.flag()))
        })
        .collect();
    // Closures come from the ODS reference: without one there is nothing to keep or
    // leave out.
    if global.ods.is_empty() {
        for option in [GlobalOption::IncludeClosed, GlobalOption::ExcludeClosed] {
            if option.given(global) && cli.command.does_not_use(option).is_none() {
                refused.push(format!(
                    "{} applies with --ods (which organisations are closed comes from the ODS reference)",
                    option.flag()
                ));
            }
        }
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(crate::UsageError(refused.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every global option names a real argument, so that hiding it from a
    /// subcommand's help (see [`command`]) cannot miss.
    #[test]
    fn global_option_ids_are_clap_arguments() {
        let root = Cli::command();
        for option in GlobalOption::ALL {
            let arg = root
                .get_arguments()
                .find(|a| a.get_id() == option.id())
                .unwrap_or_else(|| panic!("no argument {}", option.id()));
            assert!(arg.is_global_set(), "{}", option.id());
            let long = arg.get_long().map(|l| format!("--{l}"));
            assert!(
                long.is_some_and(|l| option.flag().ends_with(&l)),
                "{} is typed {}",
                option.id(),
                option.flag()
            );
        }
        // -q, help and version aside, every global argument is in the table.
        let listed = root
            .get_arguments()
            .filter(|a| a.is_global_set())
            .filter(|a| !["quiet", "help", "version"].contains(&a.get_id().as_str()))
            .count();
        assert_eq!(listed, GlobalOption::ALL.len());
    }
}
