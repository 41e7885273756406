//! `eprscan report -o pack.html`: the pack as one self-contained web page (issue 21).
//! The figures on the page are checked against `eprscan coverage -f json` on the same
//! returns (a separate command's output, not the page's own tables); the hex map has
//! one hexagon per ICS carrying its coverage; nothing is fetched; workbook text that
//! is markup comes out as text.

mod common;

use common::*;
use serde_json::Value as Json;
use std::path::Path;

const EXAMPLES: &str = "examples/returns";

/// Write the pack as HTML into `dir` and return the page.
fn page(dir: &Path, inputs: &[&str]) -> String {
    let path = dir.join("pack.html");
    let mut args = vec!["report"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["-o", arg(&path)]);
    let run = eprscan(&args);
    run.expect_code(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    std::fs::read_to_string(&path).expect("the page is UTF-8 text")
}

fn json(args: &[&str]) -> Vec<Json> {
    let run = eprscan(args);
    run.expect_code(0);
    let parsed: Json = serde_json::from_str(&run.stdout).expect("coverage -f json parses");
    parsed.as_array().expect("a JSON array").clone()
}

/// A share as the tables show it: one decimal place and a percent sign.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The text of the headline tile whose caption starts with `caption`.
fn tile<'a>(page: &'a str, caption: &str) -> &'a str {
    let marker = format!("</span><span class=\"l\">{caption}");
    let end = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no tile \"{caption}\""));
    let start = page[..end].rfind("<span class=\"v\">").expect("tile value") + 16;
    &page[start..end]
}

#[test]
fn national_figures_match_coverage_json() {
    let dir = temp_dir();
    let html = page(dir.path(), &[EXAMPLES]);
    let national = json(&["coverage", EXAMPLES, "--by", "national", "-f", "json"]);
    let england = &national[0];
    let int = |k: &str| england[k].as_i64().expect(k).to_string();
    let share = |k: &str| percent(england[k].as_f64().expect(k));
    assert_eq!(tile(&html, "NHS trusts"), int("trusts"));
    assert_eq!(tile(&html, "trusts with an EPR live"), int("live"));
    assert_eq!(
        tile(
            &html,
            &format!("coverage against the {} target", share("target"))
        ),
        share("coverage")
    );
    assert_eq!(
        tile(&html, "trusts still to go live to meet the target"),
        int("shortfall")
    );
    // ICSs meeting the target: counted from the per-ICS JSON rows.
    let by_ics = json(&["coverage", EXAMPLES, "-f", "json"]);
    let meeting = by_ics
        .iter()
        .filter(|r| r["met"] == Json::Bool(true))
        .count();
    assert_eq!(
        tile(
            &html,
            &format!("of {} ICSs meeting the target", by_ics.len())
        ),
        meeting.to_string()
    );
    // All 42 example ICSs sent a return (fixtures/README.md, Example returns).
    assert_eq!(tile(&html, "returns received of the 42 ICSs"), "42");
    assert_eq!(tile(&html, "ICSs with no return"), "0");
    // The sections of the pack, each once.
    for id in ["summary", "coverage", "convergence", "funding", "maturity"] {
        assert_eq!(
            html.matches(&format!("<section id=\"{id}\">")).count(),
            1,
            "{id}"
        );
    }
    // Chart titles name their population and date basis (issue 26.9).
    assert!(html.contains("<h3>HIMSS EMRAM stage of NHS trusts (England), as returned</h3>"));
    assert!(html.contains("<h3>Problems found, by severity</h3>"));
    assert!(html.contains(
        "<h3>Hex map: EPR coverage of NHS trusts against the 90% target (deadline 31/12/2023), by reported status</h3>"
    ));
    assert!(html.contains(
        "<h3>NHS trusts by canonical supplier of their primary EPR, by reported status</h3>"
    ));
    assert!(html.contains(
        "<h3>Funding secured and gap by ICS: all funding lines (any sector, and ICS-wide), as returned</h3>"
    ));
    // Under 1 MB for the 42 returns.
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
}

#[test]
fn one_hexagon_per_ics_with_its_coverage_in_the_tooltip() {
    let dir = temp_dir();
    let html = page(dir.path(), &[EXAMPLES]);
    assert_eq!(html.matches("<g class=\"hex\"").count(), 42);
    let by_ics = json(&["coverage", EXAMPLES, "-f", "json"]);
    assert_eq!(by_ics.len(), 42);
    for row in &by_ics {
        let code = row["ics_code"].as_str().expect("ics_code");
        let start = html
            .find(&format!("<g class=\"hex\" data-ics=\"{code}\">"))
            .unwrap_or_else(|| panic!("no hexagon for {code}"));
        let end = start + html[start..].find("</g>").expect("hexagon ends");
        let hexagon = &html[start..end];
        let coverage = percent(row["coverage"].as_f64().expect("coverage"));
        let live = row["live"].as_i64().expect("live");
        let trusts = row["trusts"].as_i64().expect("trusts");
        assert!(
            hexagon.contains(&format!(
                "coverage {coverage} ({live} of {trusts} trusts live)"
            )),
            "{code}: {hexagon}"
        );
        // Coloured by band: dark blue when met; else yellow when under 10 points short
        // (in tenths of a point), red when 10 or more.
        let met = row["met"] == Json::Bool(true);
        let short_tenths = ((row["target"].as_f64().expect("target")
            - row["coverage"].as_f64().expect("coverage"))
            * 1000.0)
            .round();
        let fill = if met {
            "#003087"
        } else if short_tenths < 100.0 {
            "#FFB81C"
        } else {
            "#DA291C"
        };
        assert!(
            hexagon.contains(&format!("fill=\"{fill}\"")),
            "{code}: {hexagon}"
        );
    }
    // The legend and the credit.
    assert!(html.contains("Target met"));
    assert!(html.contains("Open Innovations hexmaps"));
}

#[test]
fn nothing_is_fetched() {
    let dir = temp_dir();
    let html = page(dir.path(), &[EXAMPLES]);
    // Every URL is a credit link in the footer.
    for (at, _) in html.match_indices("http") {
        let rest = &html[at..];
        if rest.starts_with("http:") || rest.starts_with("https:") {
            assert!(
                html[..at].ends_with("<a href=\""),
                "a URL outside a link: {}",
                &html[at..(at + 80).min(html.len())]
            );
            let footer = html.find("<footer>").expect("a footer");
            assert!(at > footer, "a link outside the credits");
        }
    }
    let lower = html.to_ascii_lowercase();
    for fetch in [
        "<script", "<link", "<img", "<iframe", "@import", "url(", " src=",
    ] {
        assert!(!lower.contains(fetch), "{fetch}");
    }
}

#[test]
fn workbook_markup_is_escaped() {
    let dir = temp_dir();
    let html = page(dir.path(), &["fixtures/html_hostile.xlsx"]);
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script tag got through");
    assert!(!lower.contains("<img"), "an img tag got through");
    assert!(!html.contains("<b>Bold"), "a bold tag got through");
    // The texts are there, as text: the supplier (in the supplier table and its
    // chart), the product (in the EPRs named) and the bad status (in its warning).
    // (The cover's name is not shown: the ICS takes the project's name for QSL.)
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;Bold&lt;/b&gt; EPR"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    // Somerset: 2 of its 3 trusts live (fixtures/README.md).
    assert!(html.contains("coverage 66.7% (2 of 3 trusts live)"));
}

#[test]
fn html_to_stdout_and_single_tables() {
    let run = eprscan(&["report", "fixtures/canonical.xlsx", "-f", "html"]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("<!DOCTYPE html>"));
    assert!(run.stdout.contains("<g class=\"hex\" data-ics=\"QH8\">"));
    let run = eprscan(&["coverage", "fixtures/canonical.xlsx", "-f", "html"]);
    run.expect_code(0);
    assert!(run.stdout.contains("<table>"));
    // canonical.xlsx: 10 NHS trusts, 7 live (fixtures/README.md).
    assert!(run.stdout.contains("coverage 70.0% (7 of 10 trusts live)"));
}

#[test]
fn data_quality_counts_and_first_problems_with_their_cells() {
    let dir = temp_dir();
    let html = page(dir.path(), &["fixtures/bad_cells.xlsx"]);
    let run = eprscan(&["validate", "fixtures/bad_cells.xlsx", "-f", "csv"]);
    let problems = run.csv();
    assert!(!problems.is_empty());
    let warnings = problems
        .iter()
        .filter(|r| field(r, "severity") == "warning")
        .count();
    // The severity table: errors, warnings, notes.
    let errors = problems.len() - warnings;
    let counts = format!(
        "<th scope=\"col\">errors</th><th scope=\"col\">warnings</th><th scope=\"col\">notes</th></tr></thead><tbody><tr><td class=\"n\">{errors}</td><td class=\"n\">{warnings}</td>"
    );
    assert!(html.contains(&counts), "no severity counts {counts}");
    // Every problem (fewer than 25 here) is listed with its file, sheet and cell.
    for p in &problems {
        let row = format!(
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            field(p, "file"),
            field(p, "sheet"),
            field(p, "cell"),
            field(p, "severity")
        );
        assert!(html.contains(&row), "missing {row}");
    }
}

/// Issue 21 with issue 20: `report --history -o pack.html` draws the Trend and
/// Trajectory sheets' line charts (each an SVG with one line per series), with the
/// target in red, and their tables.
#[test]
fn history_adds_trend_and_trajectory_line_charts() {
    let dir = temp_dir();
    let path = dir.path().join("pack.html");
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
    let page = std::fs::read_to_string(&path).expect("the page is written");
    for section in ["Trend", "Trajectory"] {
        let start = page
            .find(&format!("<h2>{section}</h2>"))
            .unwrap_or_else(|| panic!("a {section} section"));
        let rest = &page[start..];
        let end = rest[5..].find("<h2>").map_or(rest.len(), |i| i + 5);
        let body = &rest[..end];
        assert!(body.contains("<svg"), "{section}: a chart");
        assert!(body.contains("<table"), "{section}: its table");
        assert!(
            body.contains("a gap in a line is a missing figure"),
            "{section}"
        );
    }
    let trend = &page[page.find("<h2>Trend</h2>").expect("Trend")..];
    assert!(
        trend.contains("background:#DA291C\"></span>Target (90%)"),
        "the target line is red in the legend"
    );
}
