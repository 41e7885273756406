//! Ad hoc SQL over the tables of [`crate::frames`] (`eprscan sql`), run by polars' SQL
//! engine. A query is one statement or several separated by `;`, run in order (so a
//! `CREATE TABLE ... AS SELECT` can feed a later `SELECT`); the last one's result is the
//! answer. A query that polars refuses is a usage error that says what exists: the
//! tables for an unknown table, the columns of the tables it reads for an unknown
//! column.

use crate::frames::{table_to_frame, NamedFrame};
use crate::output::Table;
use crate::UsageError;
use polars::error::{set_warning_function, PolarsWarning};
use polars::prelude::{
    col, Column, DataFrame, Expr, IntoLazy, LazyFrame, PolarsError, SortMultipleOptions,
};
use polars::sql::{extract_table_identifiers, SQLContext};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::{Parser, ParserOptions};
use std::sync::{Mutex, PoisonError};

/// The commands' results a query can read besides the tables of [`crate::frames`]:
/// each is the command's own result table (computed by its metric with the options
/// given to `eprscan sql`), converted by [`crate::frames::table_to_frame`]. Two are
/// named apart from their command because the name is taken by a table of rows:
/// `funding_gaps` is `eprscan funding`'s table (`funding` holds the funding lines),
/// `tracker` is `eprscan returns`' (`returns` holds the files read). `trend` is
/// `eprscan trend`'s long table over the snapshots given with `--trend`.
pub const VIEW_NAMES: [&str; 6] = [
    "coverage",
    "convergence",
    "funding_gaps",
    "maturity",
    "tracker",
    "trend",
];

/// The views a query reads (so only those are computed).
pub fn referenced_views(sql: &str) -> Result<Vec<&'static str>, UsageError> {
    let mut names = Vec::new();
    for statement in split_statements(sql)? {
        names.extend(extract_table_identifiers(&statement, false, true).unwrap_or_default());
    }
    Ok(VIEW_NAMES
        .into_iter()
        .filter(|view| names.iter().any(|name| name == view))
        .collect())
}

/// One `--sort` key: a column, ascending unless `:desc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    /// The column name.
    pub column: String,
    /// Largest first.
    pub descending: bool,
}

impl std::str::FromStr for SortKey {
    type Err = String;

    fn from_str(text: &str) -> Result<SortKey, String> {
        let (column, order) = match text.rsplit_once(':') {
            Some((column, order)) => (column, Some(order)),
            None => (text, None),
        };
        let descending = match order.map(|o| o.trim().to_ascii_lowercase()) {
            None => false,
            Some(o) if o == "asc" => false,
            Some(o) if o == "desc" => true,
            Some(o) => {
                return Err(format!(
                    "\"{o}\" is not an order: use COLUMN, COLUMN:asc or COLUMN:desc"
                ))
            }
        };
        let column = column.trim();
        if column.is_empty() {
            return Err("no column given: use COLUMN or COLUMN:desc".into());
        }
        Ok(SortKey {
            column: column.to_string(),
            descending,
        })
    }
}

/// The name of the row-number column `refine` adds (a space: no result column has one).
const ROW_INDEX: &str = "eprscan row";

/// `--where` and `--sort` applied to a result table: keep the data rows where the
/// polars SQL expression `filter` is true, then sort them by `sort` (stable, nulls
/// last). Rows are the table's own (typed values untouched: the frame only decides
/// which and in what order); the national total row is kept as it is, last. An
/// unknown column or a bad expression is a usage error listing the columns.
pub fn refine(table: &Table, sort: &[SortKey], filter: Option<&str>) -> anyhow::Result<Table> {
    let columns = || table.columns.join(", ");
    for key in sort {
        if table.column_index(&key.column).is_none() {
            return Err(UsageError(format!(
                "--sort: no column \"{}\" in this table; columns: {}",
                key.column,
                columns()
            ))
            .into());
        }
    }
    let mut frame = table_to_frame(table)?;
    let index: Vec<u32> = (0..u32::try_from(table.rows.len())?).collect();
    frame.with_column(Column::new(ROW_INDEX.into(), index))?;
    set_warning_function(polars_warning);
    let mut plan = frame.lazy();
    if let Some(filter) = filter {
        // Through the SQL engine rather than a bare expression, so that text compares
        // with dates (`submitted < '2026-10-05'`) as it does in `eprscan sql`. Polars
        // runs one statement only, so EXPR cannot start another.
        let mut context = SQLContext::new();
        context.register("result", plan);
        plan = context
            .execute(&format!("SELECT * FROM result WHERE {filter}"))
            .map_err(|e| where_error(filter, &e, &columns()))?;
    }
    if !sort.is_empty() {
        let by: Vec<Expr> = sort.iter().map(|key| col(key.column.as_str())).collect();
        let options = SortMultipleOptions::default()
            .with_order_descending_multi(sort.iter().map(|key| key.descending))
            .with_nulls_last(true)
            .with_maintain_order(true);
        plan = plan.sort_by_exprs(by, options);
    }
    let kept = plan
        .select([col(ROW_INDEX)])
        .collect()
        .map_err(|e| where_error(filter.unwrap_or_default(), &e, &columns()))?;
    let kept = kept.column(ROW_INDEX)?.u32()?;
    let mut refined = table.clone();
    refined.rows = kept
        .iter()
        .flatten()
        .filter_map(|i| table.rows.get(i as usize).cloned())
        .collect();
    Ok(refined)
}

/// A `--where` that polars refuses: its message, without the columns polars lists (they
/// include the row-number column) but with its "did you mean", then the table's columns.
fn where_error(filter: &str, error: &PolarsError, columns: &str) -> UsageError {
    let message = first_line(error);
    let head = message
        .split("; valid columns")
        .next()
        .unwrap_or(&message)
        .trim_end();
    let hint = message
        .split("\n\n")
        .find(|part| part.starts_with("Did you mean"))
        .map(|hint| format!(" ({})", hint.trim_end().replacen("Did", "did", 1)))
        .unwrap_or_default();
    UsageError(format!(
        "--where \"{filter}\": {head}{hint}; columns: {columns}"
    ))
}

/// Polars' message without the query plan it may append.
fn first_line(error: &PolarsError) -> String {
    let text = error.to_string();
    text.split("\n\nResolved plan until failure")
        .next()
        .unwrap_or(&text)
        .trim_end()
        .to_string()
}

/// How far to take each statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// Plan it and resolve its columns and types, without computing anything.
    Check,
    /// Compute it.
    Run,
}

/// Check a query against the tables' columns and types without computing it: the
/// tables may be empty (their columns are the same for any input), so a bad query is
/// refused before any return is read.
pub fn check(frames: &[NamedFrame], sql: &str) -> Result<(), UsageError> {
    execute(frames, sql, Depth::Check).map(|_| ())
}

/// Run a query over the tables and return the last statement's result.
pub fn run(frames: &[NamedFrame], sql: &str) -> Result<DataFrame, UsageError> {
    execute(frames, sql, Depth::Run)
}

/// The statements of a query, each as text polars can run on its own. Parsed with the
/// SQL parser polars itself uses (so a `;` inside a string or a comment is not a
/// separator); empty statements are dropped.
pub fn split_statements(sql: &str) -> Result<Vec<String>, UsageError> {
    let statements = Parser::new(&GenericDialect)
        .with_options(ParserOptions::new().with_trailing_commas(true))
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|e| UsageError(format!("SQL syntax: {e}")))?;
    if statements.is_empty() {
        return Err(UsageError(
            "no SQL statement given (e.g. \"SELECT * FROM providers\")".into(),
        ));
    }
    Ok(statements.iter().map(ToString::to_string).collect())
}

fn execute(frames: &[NamedFrame], sql: &str, depth: Depth) -> Result<DataFrame, UsageError> {
    let statements = split_statements(sql)?;
    set_warning_function(polars_warning);
    let mut context = SQLContext::new();
    for table in frames {
        context.register(table.name, table.frame.clone().lazy());
    }
    let mut result = DataFrame::empty();
    for (index, statement) in statements.iter().enumerate() {
        let outcome = context
            .execute(statement)
            .and_then(|plan| finish(plan, depth));
        result = outcome.map_err(|error| {
            let mut message = explain(&error, statement, &context, frames);
            if statements.len() > 1 {
                message = format!(
                    "statement {} of {} ({statement}): {message}",
                    index + 1,
                    statements.len()
                );
            }
            UsageError(format!("SQL: {message}"))
        })?;
    }
    Ok(result)
}

/// Polars' own warnings go to stderr once each, as eprscan's. Deprecations are about
/// polars' Rust API, not the user's SQL (comparing a date column with '2026-01-01' goes
/// through a string-to-date cast polars plans to deprecate), so they are dropped.
fn polars_warning(message: &str, kind: PolarsWarning) {
    static SHOWN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    if matches!(kind, PolarsWarning::Deprecation) {
        return;
    }
    let mut shown = SHOWN.lock().unwrap_or_else(PoisonError::into_inner);
    if !shown.iter().any(|seen| seen == message) {
        shown.push(message.to_string());
        eprintln!("eprscan: polars: {message}");
    }
}

/// Take a planned statement as far as `depth` asks.
fn finish(mut plan: LazyFrame, depth: Depth) -> Result<DataFrame, PolarsError> {
    match depth {
        Depth::Check => plan.collect_schema().map(|_| DataFrame::empty()),
        Depth::Run => plan.collect(),
    }
}

/// Polars' message for a failed statement (without the query plan polars may append),
/// and what exists: the tables when the statement names one that does not; the
/// columns of the tables it reads when a column is not found and polars did not list
/// the valid ones itself (as it does not for a column qualified by a table alias).
fn explain(
    error: &PolarsError,
    statement: &str,
    context: &SQLContext,
    frames: &[NamedFrame],
) -> String {
    let text = error.to_string();
    let mut message = text
        .split("\n\nResolved plan until failure")
        .next()
        .unwrap_or(&text)
        .trim_end()
        .to_string();
    let registered = context.get_tables();
    let referenced = extract_table_identifiers(statement, false, true).unwrap_or_default();
    let unknown: Vec<&String> = referenced
        .iter()
        .filter(|name| !registered.contains(name))
        .collect();
    // Polars quotes the relation it cannot find: "relation 'trusts' was not found".
    if unknown
        .iter()
        .any(|name| message.contains(&format!("'{name}'")))
    {
        message.push_str(&format!("\n  tables: {}", table_list(frames, &registered)));
    }
    let column_missing =
        matches!(error, PolarsError::ColumnNotFound(_)) || message.contains("no column named");
    if column_missing && !message.contains("valid columns") {
        let read: Vec<&NamedFrame> = frames
            .iter()
            .filter(|table| referenced.iter().any(|name| name == table.name))
            .collect();
        let shown = if read.is_empty() {
            frames.iter().collect()
        } else {
            read
        };
        for table in shown {
            let columns: Vec<String> = table
                .frame
                .get_column_names()
                .iter()
                .map(|name| name.to_string())
                .collect();
            message.push_str(&format!(
                "\n  columns of {}: {}",
                table.name,
                columns.join(", ")
            ));
        }
    }
    message
}

/// The registered tables: eprscan's in their usual order, then any the query created,
/// then the commands' results (views) the query could have read.
fn table_list(frames: &[NamedFrame], registered: &[String]) -> String {
    let ours = frames
        .iter()
        .filter(|table| !VIEW_NAMES.contains(&table.name))
        .map(|table| table.name.to_string());
    let created = registered
        .iter()
        .filter(|name| !frames.iter().any(|table| table.name == name.as_str()))
        .cloned();
    format!(
        "{}\n  commands' results: {}",
        ours.chain(created).collect::<Vec<_>>().join(", "),
        VIEW_NAMES.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::dataset_frames;
    use crate::model::Dataset;

    fn empty_tables() -> Vec<NamedFrame> {
        dataset_frames(&Dataset::default()).expect("the tables build")
    }

    #[test]
    fn statements_split_on_semicolons_outside_strings_and_comments() {
        let statements =
            split_statements("SELECT 'a;b' AS x; -- a comment; still a comment\nSELECT 2;;")
                .unwrap();
        assert_eq!(statements, ["SELECT 'a;b' AS x", "SELECT 2"]);
    }

    #[test]
    fn no_statement_is_a_usage_error() {
        let error = split_statements(" ; ").unwrap_err();
        assert!(error.0.starts_with("no SQL statement given"), "{error}");
    }

    #[test]
    fn syntax_errors_come_from_the_parser() {
        let error = split_statements("SELEC 1").unwrap_err();
        assert!(error.0.starts_with("SQL syntax: "), "{error}");
    }

    #[test]
    fn an_unknown_table_lists_the_tables() {
        let error = check(&empty_tables(), "SELECT * FROM trusts").unwrap_err();
        assert!(
            error.0.ends_with(
                "\n  tables: providers, systems, funding, returns, diagnostics\
                 \n  commands' results: coverage, convergence, funding_gaps, maturity, tracker, trend"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_common_table_expression_is_not_an_unknown_table() {
        let error = check(
            &empty_tables(),
            "WITH t AS (SELECT ods_code FROM providers) SELECT nope FROM t",
        )
        .unwrap_err();
        assert_eq!(
            error.0,
            "SQL: not found: unable to find column \"nope\"; valid columns: [\"ods_code\"]"
        );
    }

    #[test]
    fn an_unknown_column_lists_the_valid_columns() {
        let error = check(&empty_tables(), "SELECT trust_name FROM diagnostics").unwrap_err();
        assert_eq!(
            error.0,
            "SQL: not found: unable to find column \"trust_name\"; valid columns: \
             [\"file\", \"sheet\", \"cell\", \"severity\", \"message\"]"
        );
    }

    #[test]
    fn an_unknown_aliased_column_lists_the_columns_of_the_tables_read() {
        let error = check(
            &empty_tables(),
            "SELECT s.nme FROM systems s JOIN diagnostics d ON s.source = d.file",
        )
        .unwrap_err();
        assert_eq!(
            error.0,
            "SQL: no column named 'nme' found in table 's'\
             \n  columns of systems: ods_code, supplier, product, scope, go_live, contract_expiry, source, sheet, row\
             \n  columns of diagnostics: file, sheet, cell, severity, message"
        );
    }

    #[test]
    fn sort_keys_parse_column_and_order() {
        let key: SortKey = "gap:desc".parse().unwrap();
        assert_eq!((key.column.as_str(), key.descending), ("gap", true));
        let key: SortKey = "ics_name".parse().unwrap();
        assert_eq!((key.column.as_str(), key.descending), ("ics_name", false));
        assert!("gap:down".parse::<SortKey>().is_err());
        assert!(":desc".parse::<SortKey>().is_err());
    }

    #[test]
    fn refine_keeps_typed_rows_and_the_total_last() {
        use crate::money::Money;
        use crate::output::Value;
        let row = |name: &str, share: f64, pence: i64, met: bool| {
            vec![
                Value::Text(name.into()),
                Value::Ratio(share),
                Value::Money(Money::from_pence(pence)),
                Value::Bool(met),
            ]
        };
        let table = Table {
            title: Some("t".into()),
            columns: ["name", "share", "gap", "met"].map(String::from).to_vec(),
            rows: vec![
                row("a", 0.5, 100, false),
                row("b", 0.95, 300, true),
                row("c", 0.7, 200, false),
                vec![
                    Value::Text("d".into()),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ],
            ],
            total: Some(row("all", 0.8, 600, false)),
        };
        let sort = ["gap:desc".parse().unwrap()];
        let refined = refine(&table, &sort, Some("NOT met")).unwrap();
        // d has no `met`: NULL is not true, so it is not kept.
        assert_eq!(
            refined.rows,
            vec![table.rows[2].clone(), table.rows[0].clone()]
        );
        assert_eq!(refined.total, table.total);
        // Money compares in pounds: £2.00 and more.
        let refined = refine(&table, &[], Some("gap >= 2")).unwrap();
        assert_eq!(refined.rows.len(), 2);
        // Sorting puts nulls last whatever the order.
        let refined = refine(&table, &["share".parse().unwrap()], None).unwrap();
        let names: Vec<String> = refined.rows.iter().map(|r| r[0].raw()).collect();
        assert_eq!(names, ["a", "c", "b", "d"]);
        let error = refine(&table, &["nope".parse().unwrap()], None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--sort: no column \"nope\" in this table; columns: name, share, gap, met"
        );
    }

    #[test]
    fn several_statements_give_the_last_result() {
        let frame = run(
            &empty_tables(),
            "CREATE TABLE acute AS SELECT * FROM providers WHERE sector = 'acute'; SELECT COUNT(*) AS n FROM acute",
        )
        .unwrap();
        assert_eq!(frame.get_column_names(), ["n"]);
        assert_eq!(frame.height(), 1);
    }
}
