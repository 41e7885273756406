//! Shared harness for the integration tests (one test file per subcommand, as in
//! qsv/xsv): run the `eprscan` binary from the package root, capture stdout, stderr
//! and the exit code, and parse its CSV output.
//!
//! Every test file includes this module and uses a different subset of it.
#![allow(dead_code)]

use std::collections::HashMap;

/// One test module per check, with a test for each of the `.xlsx`, `.xls` and `.ods`
/// versions of a fixture: `each_format! { name: check_fn; }` calls
/// `check_fn("xlsx")` and so on.
#[allow(unused_macros)] // not every test file has fixtures in three formats
macro_rules! each_format {
    ($($name:ident: $check:ident;)*) => {$(
        mod $name {
            use super::*;
            #[test]
            fn xlsx() { $check("xlsx") }
            #[test]
            fn xls() { $check("xls") }
            #[test]
            fn ods() { $check("ods") }
        }
    )*};
}
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The package root: fixtures are addressed relative to it (`fixtures/canonical.xlsx`).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Absolute path of a committed fixture.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// What a run of eprscan gave back.
#[derive(Debug)]
pub struct Run {
    /// Standard output (lossy UTF-8).
    pub stdout: String,
    /// Standard error (lossy UTF-8).
    pub stderr: String,
    /// Exit code (-1 if killed by a signal).
    pub code: i32,
    /// The command line, for assertion messages.
    pub cmdline: String,
}

impl Run {
    /// Panic with the whole run unless the exit code is `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "`{}` exited {} (expected {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.cmdline, self.code, self.stdout, self.stderr
        );
        self
    }

    /// Stderr lines that are warnings (`...: warning: ...`).
    pub fn stderr_warnings(&self) -> Vec<&str> {
        severity_lines(&self.stderr, "warning")
    }

    /// Stderr lines that are errors (`...: error: ...`).
    pub fn stderr_errors(&self) -> Vec<&str> {
        severity_lines(&self.stderr, "error")
    }

    /// The one error line on stderr, after checking that the run exited 1 (input
    /// errors) and reported exactly one error.
    pub fn the_only_error(&self) -> &str {
        self.expect_code(1);
        let errors = self.stderr_errors();
        assert_eq!(errors.len(), 1, "one error expected:\n{}", self.stderr);
        errors[0]
    }

    /// Stderr lines that are notes (`...: note: ...`).
    pub fn stderr_notes(&self) -> Vec<&str> {
        severity_lines(&self.stderr, "note")
    }

    /// The stdout parsed as CSV with a header row.
    pub fn csv(&self) -> Vec<Row> {
        parse_csv(&self.stdout)
    }
}

/// Lines of `text` whose severity is `severity` (`file: Sheet!A1: severity: msg`).
pub fn severity_lines<'a>(text: &'a str, severity: &str) -> Vec<&'a str> {
    let needle = format!(": {severity}: ");
    text.lines().filter(|l| l.contains(&needle)).collect()
}

/// Run `eprscan ARGS` with the package root as the working directory.
pub fn eprscan(args: &[&str]) -> Run {
    eprscan_in(root(), args)
}

/// Run `eprscan ARGS` in `dir`.
pub fn eprscan_in(dir: &Path, args: &[&str]) -> Run {
    eprscan_env(dir, args, &[])
}

/// The commands that group by ICS, so take `--geography`.
const GEOGRAPHY_COMMANDS: &[&str] = &[
    "coverage",
    "convergence",
    "funding",
    "maturity",
    "returns",
    "validate",
    "report",
    "diff",
    "trend",
    "trajectory",
    "sql",
    "export",
    "template",
];

/// Run `eprscan ARGS` in `dir` with extra environment variables. The user config
/// directory points at a folder that does not exist (unless `XDG_CONFIG_HOME` is
/// given), so a settings file on the test machine cannot change results.
///
/// The committed fixtures, and the figures fixtures/README.md computes for them by
/// hand, are returns of the 42 ICBs of 2022: a command that groups by ICS is run with
/// `--geography 2022` unless the test names a geography itself (the tests of the
/// 2026 geography do; [`eprscan_default_geography`] runs with none).
pub fn eprscan_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let names_geography = args.iter().any(|a| a.starts_with("--geography"));
    let groups = args.first().is_some_and(|c| GEOGRAPHY_COMMANDS.contains(c));
    if groups && !names_geography {
        let mut with: Vec<&str> = vec!["--geography", "2022"];
        with.extend_from_slice(args);
        return run_eprscan(dir, &with, env);
    }
    run_eprscan(dir, args, env)
}

/// Run `eprscan ARGS` in `dir` exactly as given: the built-in default geography (or
/// a settings file's) applies.
pub fn eprscan_default_geography(dir: &Path, args: &[&str]) -> Run {
    run_eprscan(dir, args, &[])
}

fn run_eprscan(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = assert_cmd::Command::cargo_bin("eprscan").expect("the eprscan binary is built");
    cmd.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env(
            "XDG_CONFIG_HOME",
            root().join("tests").join("no-user-config"),
        )
        .timeout(Duration::from_secs(120));
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.output().expect("eprscan runs");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
        cmdline: format!("eprscan {}", args.join(" ")),
    }
}

/// One CSV record, by column name.
pub type Row = HashMap<String, String>;

/// Parse CSV text with a header row into rows keyed by column name.
pub fn parse_csv(text: &str) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().expect("a CSV header row").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a well-formed CSV record");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The CSV header of `text`.
pub fn csv_header(text: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .headers()
        .expect("a CSV header row")
        .iter()
        .map(String::from)
        .collect()
}

/// Run `eprscan coverage FILE ARGS -f csv --total`, require exit 0 and return the rows
/// (the last one is the national total unless `--by national`).
pub fn coverage_csv(path: &str, args: &[&str]) -> Vec<Row> {
    let mut all = vec!["coverage", path];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "csv", "--total"]);
    let run = eprscan(&all);
    run.expect_code(0);
    let rows = run.csv();
    assert!(!rows.is_empty(), "`{}` printed no rows", run.cmdline);
    rows
}

/// The metric columns of one coverage row, as fixtures/README.md gives them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub trusts: u64,
    pub live: u64,
    pub implementing: u64,
    pub not_started: u64,
    /// live / trusts, compared as a parsed f64.
    pub coverage: f64,
    pub met: bool,
    pub shortfall: u64,
    pub rest_implementing: bool,
}

/// Shorthand constructor in README column order:
/// trusts, live, implementing, not_started, coverage, met, shortfall, rest_implementing.
#[allow(clippy::too_many_arguments)]
pub const fn m(
    trusts: u64,
    live: u64,
    implementing: u64,
    not_started: u64,
    coverage: f64,
    met: bool,
    shortfall: u64,
    rest_implementing: bool,
) -> Metrics {
    Metrics {
        trusts,
        live,
        implementing,
        not_started,
        coverage,
        met,
        shortfall,
        rest_implementing,
    }
}

/// Parse a column of a row, with a message naming the column on failure.
pub fn field<'a>(row: &'a Row, column: &str) -> &'a str {
    row.get(column)
        .unwrap_or_else(|| panic!("no column {column:?} in {row:?}"))
}

fn int(row: &Row, column: &str) -> u64 {
    let text = field(row, column);
    text.parse()
        .unwrap_or_else(|_| panic!("{column} = {text:?} is not an integer in {row:?}"))
}

fn boolean(row: &Row, column: &str) -> bool {
    match field(row, column) {
        "true" => true,
        "false" => false,
        other => panic!("{column} = {other:?} is not true/false in {row:?}"),
    }
}

/// Parse a float column (`1`, `0.7`, `0.8260869565217391`).
pub fn float(row: &Row, column: &str) -> f64 {
    let text = field(row, column);
    text.parse()
        .unwrap_or_else(|_| panic!("{column} = {text:?} is not a number in {row:?}"))
}

/// Compare two shares as floats (never as strings: Rust prints 1.0 as `1`).
pub fn assert_close(actual: f64, expected: f64, context: &str) {
    assert!(
        (actual - expected).abs() < 1e-12,
        "{context}: got {actual}, expected {expected}"
    );
}

/// Assert every metric column of a CSV coverage row.
pub fn assert_metrics(row: &Row, expected: &Metrics, context: &str) {
    let got = Metrics {
        trusts: int(row, "trusts"),
        live: int(row, "live"),
        implementing: int(row, "implementing"),
        not_started: int(row, "not_started"),
        coverage: float(row, "coverage"),
        met: boolean(row, "met"),
        shortfall: int(row, "shortfall"),
        rest_implementing: boolean(row, "rest_implementing"),
    };
    let same_counts = (
        got.trusts,
        got.live,
        got.implementing,
        got.not_started,
        got.met,
        got.shortfall,
        got.rest_implementing,
    ) == (
        expected.trusts,
        expected.live,
        expected.implementing,
        expected.not_started,
        expected.met,
        expected.shortfall,
        expected.rest_implementing,
    );
    assert!(
        same_counts && (got.coverage - expected.coverage).abs() < 1e-12,
        "{context}:\n     got {got:?}\nexpected {expected:?}\n     row {row:?}"
    );
    // The share must be exactly live / trusts as f64.
    if got.trusts > 0 {
        assert_close(
            got.coverage,
            got.live as f64 / got.trusts as f64,
            &format!("{context}: coverage vs live/trusts"),
        );
    }
}

/// The first row whose `column` equals `value`.
pub fn row_where<'a>(rows: &'a [Row], column: &str, value: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.get(column).map(String::as_str) == Some(value))
        .unwrap_or_else(|| panic!("no row with {column} = {value:?} in {rows:#?}"))
}

/// The national total row (last key column `England`, other key columns empty).
pub fn total_row<'a>(rows: &'a [Row], key_columns: &[&str]) -> &'a Row {
    let (last, others) = key_columns.split_last().expect("a key column");
    let row = rows.last().expect("at least one row");
    assert_eq!(field(row, last), "England", "total row label in {rows:#?}");
    for column in others {
        assert_eq!(field(row, column), "", "total row {column} in {rows:#?}");
    }
    row
}

/// A fresh temporary directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("eprscan-test-")
        .tempdir()
        .expect("a temporary directory")
}

/// Copy a committed fixture into `dir` under `name`; returns the new path.
pub fn copy_fixture(fixture_name: &str, dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(fixture(fixture_name), &to)
        .unwrap_or_else(|e| panic!("copying {fixture_name} to {}: {e}", to.display()));
    to
}

/// Write `bytes` to `dir/name`; returns the path.
pub fn write_file(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    path
}

/// `len` deterministic pseudo-random bytes (xorshift), never starting with a zip
/// signature (`PK`).
pub fn junk_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut out: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    if out.first() == Some(&b'P') {
        out[0] = 0;
    }
    out
}

/// Path as a `&str` for an argument list.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}
