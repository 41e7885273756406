//! `eprscan trend` and `eprscan trajectory` on the snapshot fixtures of issue 20
//! (fixtures/README.md, "Trend snapshots" and "Trajectory"). Every expected figure
//! is counted by hand from the fixture rows (the comments say how), not copied
//! from eprscan's output.

mod common;
mod xlsx_read;

use common::*;
use xlsx_read::*;

/// One expected long-table row: snapshot, ICB code, then the figures (`None` = the
/// ICS is not in that snapshot: every figure empty, never 0): trusts, live,
/// implementing, distinct EPRs now and planned, funding gap in pounds (`None` =
/// no funding line sent).
type Expected = (
    &'static str,
    &'static str,
    Option<(u32, u32, u32, u32, u32, Option<u32>)>,
);

fn check_rows(rows: &[Row], expected: &[Expected]) {
    assert_eq!(rows.len(), expected.len(), "rows: {rows:?}");
    for (row, (snapshot, code, figures)) in rows.iter().zip(expected) {
        let context = format!("{snapshot} {code}: {row:?}");
        assert_eq!(field(row, "snapshot"), *snapshot, "{context}");
        assert_eq!(field(row, "ics_code"), *code, "{context}");
        match figures {
            None => {
                assert_eq!(field(row, "in_snapshot"), "false", "{context}");
                for column in [
                    "trusts",
                    "live",
                    "coverage",
                    "met",
                    "distinct_eprs",
                    "funding_gap",
                ] {
                    assert_eq!(field(row, column), "", "{column} of {context}");
                }
            }
            Some((trusts, live, implementing, distinct, planned, gap)) => {
                assert_eq!(field(row, "in_snapshot"), "true", "{context}");
                assert_eq!(field(row, "trusts"), trusts.to_string(), "{context}");
                assert_eq!(field(row, "live"), live.to_string(), "{context}");
                assert_eq!(
                    field(row, "implementing"),
                    implementing.to_string(),
                    "{context}"
                );
                assert_close(
                    float(row, "coverage"),
                    f64::from(*live) / f64::from(*trusts),
                    &context,
                );
                // 90% of 3, 4 or 7 trusts needs them all but at most 0: never met here.
                assert_eq!(field(row, "met"), "false", "{context}");
                assert_eq!(
                    field(row, "distinct_eprs"),
                    distinct.to_string(),
                    "{context}"
                );
                assert_eq!(
                    field(row, "distinct_eprs_planned"),
                    planned.to_string(),
                    "{context}"
                );
                let gap = gap.map(|g| g.to_string()).unwrap_or_default();
                assert_eq!(field(row, "funding_gap"), gap, "{context}");
            }
        }
    }
}

// QH8 has four trusts each month: RAJ live on Oracle Health Millennium; RGP (Epic)
// implementing, live in November; RCX (Epic) implementing; RY3 procuring in
// September, implementing after, no supplier. So EPRs in use: Millennium (1), and
// Epic too in November (2); planned: Millennium and Epic (2). Funding: £1,000,000 cost,
// £600,000 national, £100,000 local (£250,000 in November): gap £300,000, then £150,000.
// Greater Manchester: RMC live (Millennium), RM3 live (System C Medway, target Epic),
// RY2 none: 3 trusts, 2 live, 0 implementing; EPRs now Millennium and Medway (2),
// planned Millennium and Epic (2); no funding sheet. England in September: 7 trusts,
// 3 live, 2 implementing, EPRs now {Millennium, Medway} = 2, planned {Millennium, Epic}
// = 2; October is QH8 alone; November: 7, 4, 2, now {Millennium, Epic, Medway} = 3,
// planned 2.
const QH8_SEP: (u32, u32, u32, u32, u32, Option<u32>) = (4, 1, 2, 1, 2, Some(300_000));
const QH8_OCT: (u32, u32, u32, u32, u32, Option<u32>) = (4, 1, 3, 1, 2, Some(300_000));
const QH8_NOV: (u32, u32, u32, u32, u32, Option<u32>) = (4, 2, 2, 2, 2, Some(150_000));
const GM: (u32, u32, u32, u32, u32, Option<u32>) = (3, 2, 0, 2, 2, None);

#[test]
fn trend_rows_from_sub_folders_dated_by_name() {
    let run = eprscan(&["trend", "fixtures/trend", "-f", "csv", "--total"]);
    run.expect_code(0);
    let rows = run.csv();
    check_rows(
        &rows,
        &[
            ("2026-09", "QH8", Some(QH8_SEP)),
            ("2026-09", "QOP", Some(GM)),
            ("2026-09", "QOQ", None),
            ("2026-09", "", Some((7, 3, 2, 2, 2, Some(300_000)))),
            ("2026-10", "QH8", Some(QH8_OCT)),
            // Greater Manchester sent no return in October: missing, not 0.
            ("2026-10", "QOP", None),
            ("2026-10", "QOQ", None),
            ("2026-10", "", Some((4, 1, 3, 1, 2, Some(300_000)))),
            ("2026-11", "QH8", Some(QH8_NOV)),
            ("2026-11", "QOP", None),
            ("2026-11", "QOQ", Some(GM)),
            ("2026-11", "", Some((7, 4, 2, 3, 2, Some(150_000)))),
        ],
    );
    // A month's folder is dated the month's last day.
    let dates: Vec<&str> = rows.iter().map(|r| field(r, "date")).collect();
    assert_eq!(dates[0], "2026-09-30");
    assert_eq!(dates[4], "2026-10-31");
    assert_eq!(dates[8], "2026-11-30");
    // Greater Manchester returned as QOP in September and QOQ in November.
    let notes = run.stderr_notes();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(
        notes[0].contains("ICB code of Greater Manchester changes")
            && notes[0].contains("QOP in 2026-09")
            && notes[0].contains("QOQ in 2026-11"),
        "{}",
        notes[0]
    );
}

#[test]
fn wide_table_one_column_per_snapshot_with_the_change() {
    let run = eprscan(&["trend", "fixtures/trend", "-f", "markdown"]);
    run.expect_code(0);
    let line = |start: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line {start}:\n{}", run.stdout))
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
    };
    let header = line("| ics_code");
    assert_eq!(header[2..], ["2026-09", "2026-10", "2026-11", "change"]);
    // QH8: 1/4, 1/4, 2/4: +25.0 points.
    assert_eq!(line("| QH8")[2..], ["25.0%", "25.0%", "50.0%", "+25.0 pp"]);
    // QOP only in September: no change to show.
    assert_eq!(line("| QOP")[2..], ["66.7%", "–", "–", "–"]);
    // England: 3/7 = 42.9%, 1/4, 4/7 = 57.1%: +14.3 points.
    let england = run
        .stdout
        .lines()
        .find(|l| l.contains("England"))
        .expect("an England row");
    assert!(
        england.contains("42.9%") && england.contains("+14.3 pp"),
        "{england}"
    );
}

#[test]
fn trend_metric_option_picks_the_figure() {
    let run = eprscan(&[
        "trend",
        "fixtures/trend",
        "--metric",
        "distinct-eprs",
        "-f",
        "markdown",
    ]);
    run.expect_code(0);
    let qh8 = run
        .stdout
        .lines()
        .find(|l| l.starts_with("| QH8"))
        .expect("a QH8 row");
    let cells: Vec<&str> = qh8
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    // 1, 1, 2 distinct EPRs in use: +1.
    assert_eq!(cells[2..], ["1", "1", "2", "1"]);
}

#[test]
fn date_from_the_cover_sheet_when_the_name_has_none() {
    let run = eprscan(&[
        "trend",
        "fixtures/trend_cover/early",
        "fixtures/trend_cover/later",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    // The latest submitted date of each folder's covers: 15 and 20 September, then
    // 15 October.
    check_rows(
        &run.csv(),
        &[
            ("2026-09-20", "QH8", Some(QH8_SEP)),
            ("2026-09-20", "QOP", Some(GM)),
            ("2026-10-15", "QH8", Some(QH8_OCT)),
            ("2026-10-15", "QOP", None),
        ],
    );
}

#[test]
fn snapshots_with_no_date_are_a_usage_error_until_dates_are_given() {
    let run = eprscan(&[
        "trend",
        "fixtures/trend_undated/alpha",
        "fixtures/trend_undated/beta",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("trend_undated/alpha") && run.stderr.contains("--dates"),
        "{}",
        run.stderr
    );
    // Given in the order of the snapshots; read in date order.
    let run = eprscan(&[
        "trend",
        "fixtures/trend_undated/beta",
        "fixtures/trend_undated/alpha",
        "--dates",
        "2026-11-30,2026-09-30",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    // alpha holds September's rows, beta November's (no funding sheet).
    check_rows(
        &run.csv(),
        &[
            ("2026-09-30", "QH8", Some((4, 1, 2, 1, 2, None))),
            ("2026-11-30", "QH8", Some((4, 2, 2, 2, 2, None))),
        ],
    );
    // One date per snapshot.
    let run = eprscan(&[
        "trend",
        "fixtures/trend_undated/alpha",
        "fixtures/trend_undated/beta",
        "--dates",
        "2026-11-30",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("1 dates for 2 snapshots"),
        "{}",
        run.stderr
    );
}

// fixtures/trajectory/2026-11-15 (as of 15 November 2026), deadline 31 March 2027.
// QH8: 7 trusts (the GP practice is not one), RAJ and RGP live; forecasts RQW
// 2026-12-10, RQ8 2027-02-01, RCX 2027-05-15 (after the deadline); RY3 has none; RWR's
// 2026-10-01 has passed. QOP: 3 trusts, RMC live, RM3 2027-01-20, RY2 2027-03-31.
const DEADLINE: &str = "2027-03-31";

#[test]
fn trajectory_summary_per_ics() {
    let run = eprscan(&[
        "trajectory",
        "fixtures/trajectory/2026-11-15",
        "--deadline",
        DEADLINE,
        "-f",
        "csv",
        "--total",
    ]);
    run.expect_code(0);
    let rows = run.csv();
    assert_eq!(rows.len(), 3);
    // code, trusts, live now, live at the deadline, met, target month, no forecast,
    // after the deadline, overdue.
    let expected = [
        // 2 + RQW + RQ8 = 4 by the deadline; at most 5 of 7, and 90% of 7 needs 7.
        ("QH8", 7, 2, 4, "false", "not on current plans", 1, 1, 1),
        // 1 + RM3 + RY2 = 3 of 3 by 31 March 2027, first in March's month.
        ("QOP", 3, 1, 3, "true", "2027-03", 0, 0, 0),
        // 3 + 4 = 7 of 10; at most 8, and 90% of 10 needs 9.
        ("", 10, 3, 7, "false", "not on current plans", 1, 1, 1),
    ];
    for (row, (code, trusts, live, at_deadline, met, reached, none, after, overdue)) in
        rows.iter().zip(expected)
    {
        let context = format!("{code}: {row:?}");
        assert_eq!(field(row, "ics_code"), code, "{context}");
        assert_eq!(field(row, "trusts"), trusts.to_string(), "{context}");
        assert_eq!(field(row, "live_now"), live.to_string(), "{context}");
        assert_close(
            float(row, "coverage_now"),
            f64::from(live) / f64::from(trusts),
            &context,
        );
        assert_eq!(
            field(row, "projected_live_at_deadline"),
            at_deadline.to_string(),
            "{context}"
        );
        assert_close(
            float(row, "projected_coverage_at_deadline"),
            f64::from(at_deadline) / f64::from(trusts),
            &context,
        );
        assert_eq!(field(row, "met_at_deadline"), met, "{context}");
        assert_eq!(field(row, "target_reached"), reached, "{context}");
        assert_eq!(field(row, "no_forecast"), none.to_string(), "{context}");
        assert_eq!(
            field(row, "forecast_after_deadline"),
            after.to_string(),
            "{context}"
        );
        assert_eq!(
            field(row, "forecast_overdue"),
            overdue.to_string(),
            "{context}"
        );
    }
}

#[test]
fn trajectory_months_exactly() {
    let run = eprscan(&[
        "trajectory",
        "fixtures/trajectory/2026-11-15",
        "--deadline",
        DEADLINE,
        "--monthly",
        "-f",
        "csv",
        "--total",
    ]);
    run.expect_code(0);
    // Live by each month's last day, from November 2026 to May 2027 (the last
    // forecast, RCX's): QH8 adds RQW in December, RQ8 in February, RCX in May; QOP adds
    // RM3 in January and RY2 in March.
    let months = [
        "2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05",
    ];
    let qh8 = [2, 3, 3, 4, 4, 4, 5];
    let qop = [1, 1, 2, 2, 3, 3, 3];
    let mut expected: Vec<(String, &str, u32, u32)> = Vec::new();
    for (i, month) in months.iter().enumerate() {
        expected.push((month.to_string(), "Mid and South Essex", 7, qh8[i]));
        expected.push((month.to_string(), "Greater Manchester", 3, qop[i]));
        expected.push((month.to_string(), "England", 10, qh8[i] + qop[i]));
    }
    let rows = run.csv();
    let got: Vec<(String, &str, u32, u32)> = rows
        .iter()
        .map(|r| {
            (
                field(r, "month").to_string(),
                field(r, "ics_name"),
                field(r, "trusts").parse().unwrap_or(0),
                field(r, "projected_live").parse().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(got, expected);
    for row in &rows {
        let (live, trusts) = (float(row, "projected_live"), float(row, "trusts"));
        assert_close(float(row, "projected_coverage"), live / trusts, "coverage");
        // 90%: QOP's 3 of 3 only.
        let met = field(row, "ics_name") == "Greater Manchester" && live == 3.0;
        assert_eq!(field(row, "target_met"), met.to_string(), "{row:?}");
    }
}

#[test]
fn trajectory_list_names_the_trusts_at_risk() {
    let run = eprscan(&[
        "trajectory",
        "fixtures/trajectory/2026-11-15",
        "--deadline",
        DEADLINE,
        "--list",
        "-f",
        "csv",
    ]);
    run.expect_code(0);
    let rows = run.csv();
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (field(r, "ods_code"), field(r, "risk")))
        .collect();
    assert_eq!(
        got,
        [
            ("RCX", "forecast after the deadline"),
            ("RY3", "no forecast go-live"),
            ("RWR", "forecast go-live passed, not live"),
        ]
    );
}

#[test]
fn trajectory_as_of_overrides_the_name() {
    // As of 31 January 2027, RQW (December) and RM3 (January) are forecasts that have
    // passed without the trusts going live: overdue, not projected.
    let run = eprscan(&[
        "trajectory",
        "fixtures/trajectory/2026-11-15",
        "--deadline",
        DEADLINE,
        "--as-of",
        "2027-01-31",
        "-f",
        "csv",
        "--total",
    ]);
    run.expect_code(0);
    let rows = run.csv();
    let england = row_where(&rows, "ics_name", "England");
    // 3 live; RQ8 and RY2 by the deadline: 5.
    assert_eq!(field(england, "projected_live_at_deadline"), "5");
    // RWR, RQW, RM3.
    assert_eq!(field(england, "forecast_overdue"), "3");
}

#[test]
fn report_history_adds_trend_and_trajectory_sheets_with_line_charts() {
    let dir = temp_dir();
    let path = dir.path().join("pack.xlsx");
    let run = eprscan(&[
        "report",
        "fixtures/trend/2026-11",
        "--history",
        "fixtures/trend/2026-09",
        "fixtures/trend/2026-10",
        "--deadline",
        "2027-06-30",
        "-o",
        arg(&path),
    ]);
    run.expect_code(0);
    let names = sheet_names(&path);
    assert_eq!(
        names[names.len() - 2..],
        ["Trend".to_string(), "Trajectory".to_string()],
        "{names:?}"
    );
    // Coverage per snapshot, England then the regions (East of England = QH8, North
    // West = Greater Manchester, absent in October): counted as in the trend tests.
    let trend = grid(&path, "Trend");
    let expected: [(&str, f64, f64, Option<f64>); 3] = [
        ("2026-09", 3.0 / 7.0, 1.0 / 4.0, Some(2.0 / 3.0)),
        ("2026-10", 1.0 / 4.0, 1.0 / 4.0, None),
        ("2026-11", 4.0 / 7.0, 2.0 / 4.0, Some(2.0 / 3.0)),
    ];
    for (snapshot, england, east, north_west) in expected {
        let r = trend.find_row(snapshot);
        assert_close(number(&trend.at(r, 2)), england, snapshot);
        assert_close(number(&trend.at(r, 3)), east, snapshot);
        match north_west {
            Some(v) => assert_close(number(&trend.at(r, 4)), v, snapshot),
            None => assert_eq!(text(&trend.at(r, 4)), "", "{snapshot}: missing, not 0"),
        }
        assert_close(number(&trend.at(r, 5)), 0.9, snapshot);
    }
    // As of 2026-11-30: RAJ, RGP, RMC, RM3 live (4 of 7); RCX forecast 2027-03-31; RY3
    // and RY2 have no forecast.
    let trajectory = grid(&path, "Trajectory");
    for (month, live) in [
        ("2026-11", 4.0),
        ("2026-12", 4.0),
        ("2027-01", 4.0),
        ("2027-02", 4.0),
        ("2027-03", 5.0),
    ] {
        let r = trajectory.find_row(month);
        assert_eq!(number(&trajectory.at(r, 3)), live, "{month}");
    }
    // Native line charts (no bars), after the report's own charts: found by content,
    // as the number of the pack's charts is not this test's business.
    let charts: Vec<String> = parts(&path)
        .into_iter()
        .filter(|p| p.starts_with("xl/charts/chart"))
        .map(|p| part(&path, &p))
        .collect();
    let chart_with = |series: &str| {
        charts
            .iter()
            .find(|c| c.contains(&format!("<c:v>{series}</c:v>")))
            .cloned()
            .unwrap_or_else(|| panic!("no chart with a {series} series"))
    };
    let trend_chart = chart_with("East of England");
    assert!(trend_chart.contains("<c:lineChart>"), "{trend_chart}");
    assert!(!trend_chart.contains("<c:barChart>"), "{trend_chart}");
    for name in ["England", "East of England", "North West", "Target (90%)"] {
        assert!(
            trend_chart.contains(&format!("<c:v>{name}</c:v>")),
            "{name}"
        );
    }
    let trajectory_chart = chart_with("Projected coverage");
    assert!(trajectory_chart.contains("<c:lineChart>"));
    assert!(trajectory_chart.contains("<c:v>Projected coverage</c:v>"));
}
