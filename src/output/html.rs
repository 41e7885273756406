//! The pack as one self-contained web page (`eprscan report -o pack.html`): headline
//! tiles, the hex map of the ICSs, each chart as inline SVG drawn by plotters with its
//! data table below it, and a caption saying what is counted. Written through maud,
//! which escapes every text it is given (workbook text included); plotters escapes the
//! text it draws. No script, font, image or style is fetched: the page opens offline
//! and prints one section per A4 landscape page.
//!
//! The page is built from the same [`Document`] as the workbook, never from the data:
//! its tiles and hex map from the document's typed [`PageFigures`](super::PageFigures)
//! (never by finding labels or column names in the tables); charts from the chart
//! specs, which name the columns they plot; the diagnostics table by its columns.

use super::hexmap::{hex_map, CREDIT_URL};
use super::{
    display_header, total_row_display, Chart, Document, Headline, MapArea, PageFigures, Table,
    TablePlace, Value,
};
use anyhow::{anyhow, Result};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use plotters::prelude::*;

/// NHS identity palette: NHS Blue and its companions.
const NHS_BLUE: RGBColor = RGBColor(0x00, 0x5E, 0xB8);
const NHS_DARK_BLUE: RGBColor = RGBColor(0x00, 0x30, 0x87);
const NHS_WARM_YELLOW: RGBColor = RGBColor(0xFF, 0xB8, 0x1C);
const NHS_RED: RGBColor = RGBColor(0xDA, 0x29, 0x1C);
const NHS_LIGHT_BLUE: RGBColor = RGBColor(0x41, 0xB6, 0xE6);
/// Colours of a chart's series in order: dark and light alternate so that side-by-side
/// bars stay apart in greyscale.
const SERIES_COLOURS: [RGBColor; 4] = [NHS_BLUE, NHS_WARM_YELLOW, NHS_DARK_BLUE, NHS_LIGHT_BLUE];

/// How many problems the data-quality section lists before pointing to the workbook.
const FIRST_PROBLEMS: usize = 25;

/// The style sheet, inline. Print: A4 landscape, each section on its own page.
const STYLE: &str = r#"
body{font-family:Arial,Helvetica,sans-serif;color:#231f20;margin:0 auto;max-width:1200px;padding:0 16px}
header{background:#005EB8;color:#fff;padding:12px 16px;margin:0 -16px}
h1{margin:0;font-size:24px}h2{color:#003087;border-bottom:3px solid #005EB8;padding-bottom:4px}
section{margin-bottom:32px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;padding:0;list-style:none}
.tile{border-left:6px solid #005EB8;background:#E8EDEE;padding:8px 10px}
.tile .v{font-size:24px;font-weight:bold;color:#003087;display:block}
.tile .l{font-size:13px}
.caption{font-size:14px;color:#425563;max-width:900px}
.pair{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}
.pair>svg,.pair>.chart{flex:1 1 560px;max-width:100%}
svg{max-width:100%;height:auto}
.hexmap{width:460px;max-width:100%;float:left;margin-right:24px}
.legend{overflow:hidden}
h3,.caption,.scroll,table{clear:both}
.legend{list-style:none;padding:0;font-size:13px}.legend li{margin:3px 0}
.swatch{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;border:1px solid #425563}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border:1px solid #AEB7BD;padding:2px 6px}th{background:#E8EDEE}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;border-top:2px solid #231f20}
.scroll{max-height:520px;overflow:auto}
footer{font-size:12px;color:#425563;border-top:1px solid #AEB7BD;margin-top:24px;padding:8px 0}
@page{size:A4 landscape;margin:10mm}
@media print{body{max-width:none}section{break-before:page}section:first-of-type{break-before:auto}
.scroll{max-height:none;overflow:visible}.pair{flex-wrap:nowrap}svg{break-inside:avoid}
tr{break-inside:avoid}thead{display:table-header-group}#summary .scroll{break-before:page}
.chart svg{max-height:170mm}.chart svg.hexmap{width:100mm;max-height:105mm}}
"#;

/// The document as a self-contained HTML page.
pub fn page(document: &Document) -> Result<String> {
    let figures = &document.page;
    let at = |place: &TablePlace| {
        document
            .sheets
            .get(place.sheet)
            .and_then(|s| s.tables.get(place.table))
    };
    let map_place = figures.map.as_ref().map(|(place, _)| *place);
    let coverage = map_place.as_ref().and_then(at);
    let hex = figures
        .map
        .as_ref()
        .map(|(_, areas)| hex_map(areas))
        .transpose()?;
    let headline_place = figures.headline.as_ref().map(|(place, _)| *place);
    let mut sections = Vec::new();
    for (s, sheet) in document.sheets.iter().enumerate() {
        let mut parts = Vec::new();
        for (index, table) in sheet.tables.iter().enumerate() {
            let place = Some(TablePlace {
                sheet: s,
                table: index,
            });
            let charts: Vec<&Chart> = sheet.charts.iter().filter(|c| c.table == index).collect();
            // The map is what a board reads first: beside the headline tiles when the
            // page has them, else above the coverage table.
            let map_here = if headline_place.is_some() {
                place == headline_place
            } else {
                place == map_place
            };
            if let Some((_, headline)) = figures
                .headline
                .as_ref()
                .filter(|_| place == headline_place)
            {
                parts.push(tiles(headline));
            }
            if map_here {
                if let Some(map) = &hex {
                    // Titled by the coverage table's own title, so that it names the
                    // same population and date basis.
                    let title = coverage
                        .and_then(|t| t.title.as_deref())
                        .unwrap_or("EPR coverage by ICS");
                    parts.push(html! {
                        h3 { "Hex map: " (title) }
                        p class="caption" {
                            "Each hexagon is an ICS (integrated care system), placed by the NHS ICB hex layout and coloured by its coverage band against the target: NHS trusts with an EPR live over all NHS trusts of the ICS. Hover a hexagon for its figures; the coverage table holds them all."
                        }
                        div class="chart" { (map) }
                    });
                }
            }
            if is_diagnostics(table) {
                parts.push(data_quality(table));
                continue;
            }
            for chart in charts {
                parts.push(chart_block(chart, table)?);
            }
            parts.push(table_html(table));
        }
        if let Some(emram) = sheet.tables.iter().find_map(emram_chart) {
            parts.insert(0, emram?);
        }
        sections.push(html! {
            section id=(anchor(&sheet.name)) {
                h2 { (sheet.name) }
                @for part in &parts { (part) }
            }
        });
    }
    let markup = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (document.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { h1 { (document.title) } }
                nav { p {
                    @for sheet in &document.sheets {
                        a href=(format!("#{}", anchor(&sheet.name))) { (sheet.name) } " · "
                    }
                } }
                @for section in &sections { (section) }
                footer {
                    p {
                        "Written by eprscan. Hex layout of the ICBs: "
                        a href=(CREDIT_URL) { "Open Innovations hexmaps" }
                        " (NHS ICB 2022 layout, © 2017- Open Innovations, MIT licence)."
                    }
                }
            }
        }
    };
    Ok(markup.into_string())
}

fn anchor(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn is_diagnostics(table: &Table) -> bool {
    ["file", "sheet", "cell", "severity", "message"]
        .iter()
        .all(|c| table.column_index(c).is_some())
}

/// The headline figures as tiles, read by field from the typed headline (never
/// recomputed, never found by the headline table's labels).
fn tiles(h: &Headline) -> Markup {
    let target = h.target.display();
    let icss = h.icss.display();
    let expected = h.returns_expected;
    let tiles: Vec<(String, String)> = [
        (&h.trusts, "NHS trusts".to_string()),
        (&h.live, "trusts with an EPR live".into()),
        (&h.coverage, format!("coverage against the {target} target")),
        (
            &h.shortfall,
            "trusts still to go live to meet the target".into(),
        ),
        (
            &h.icss_meeting,
            format!("of {icss} ICSs meeting the target"),
        ),
        (&h.distinct_eprs, "distinct EPRs in use".into()),
        (&h.distinct_eprs_planned, "distinct EPRs planned".into()),
        (&h.programme_cost, "programme cost".into()),
        (&h.funding_gap, "funding gap".into()),
        (
            &h.returns_received,
            format!("returns received of the {expected} ICSs"),
        ),
        (&h.no_return, "ICSs with no return".into()),
    ]
    .into_iter()
    .map(|(value, caption)| (value.display(), caption))
    .collect();
    html! {
        ul class="tiles" {
            @for (value, label) in &tiles {
                li class="tile" { span class="v" { (value) } span class="l" { (label) } }
            }
        }
    }
}

/// A table as HTML: numbers right-aligned and formatted as in the terminal tables,
/// the national total row in bold.
fn table_html(table: &Table) -> Markup {
    html! {
        div class="scroll" {
            table {
                @if let Some(title) = &table.title { caption { (title) } }
                thead { tr { @for c in &table.columns { th scope="col" { (display_header(c)) } } } }
                tbody {
                    @for row in &table.rows { (row_html(row, "")) }
                    @if let Some(total) = &table.total { (row_html(total, "total")) }
                }
            }
        }
    }
}

fn row_html(row: &[Value], class: &str) -> Markup {
    let shown = if class == "total" {
        total_row_display(row)
    } else {
        row.iter().map(Value::display).collect()
    };
    html! {
        tr class=[(!class.is_empty()).then_some(class)] {
            @for (v, shown) in row.iter().zip(shown) {
                td class=[v.is_numeric().then_some("n")] { (shown) }
            }
        }
    }
}

/// A number to chart: shares, counts and money (in £m).
fn chart_number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) | Value::Ratio(f) => f.is_finite().then_some(*f),
        Value::Money(m) => Some(m.as_pounds_f64() / 1_000_000.0),
        _ => None,
    }
}

/// A chart of the report as a horizontal bar chart (long ICS names read across),
/// sorted by its first series, largest at the top; bars coloured met / not met when
/// the table says so; each line series (a target) drawn as a dashed vertical rule.
fn chart_block(spec: &Chart, table: &Table) -> Result<Markup> {
    let Some(first) = spec.bars.first() else {
        return line_chart(spec, table);
    };
    let mut rows: Vec<&Vec<Value>> = table.rows.iter().collect();
    rows.sort_by(|a, b| {
        let key = |r: &Vec<Value>| chart_number(table.value(r, &first.column)).unwrap_or(f64::MIN);
        key(b).total_cmp(&key(a))
    });
    let labels = category_labels(spec, table, &rows);
    let met: Vec<Option<bool>> = rows
        .iter()
        .map(|r| match table.value(r, "met") {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        })
        .collect();
    let coloured_by_met = spec.percent && met.iter().any(Option::is_some);
    let values: Vec<Vec<f64>> = spec
        .bars
        .iter()
        .map(|s| {
            rows.iter()
                .map(|r| chart_number(table.value(r, &s.column)).unwrap_or(0.0))
                .collect()
        })
        .collect();
    let lines: Vec<(String, f64)> = spec
        .lines
        .iter()
        .filter_map(|s| {
            rows.first()
                .and_then(|r| chart_number(table.value(r, &s.column)))
                .map(|v| (s.name.clone(), v))
        })
        .collect();
    let max = if spec.percent {
        1.0
    } else {
        values
            .iter()
            .flatten()
            .copied()
            .fold(0.0f64, f64::max)
            .max(1.0)
            * 1.05
    };
    // Money is charted in £m (see chart_number).
    let money = rows.iter().any(|r| {
        spec.bars
            .iter()
            .any(|s| matches!(table.value(r, &s.column), Some(Value::Money(_))))
    });
    let axis = if money {
        format!("{}, £ millions", spec.value_axis)
    } else {
        spec.value_axis.clone()
    };
    let n = rows.len().max(1);
    let width = 760u32;
    let height = 70 + 16 * n as u32 * spec.bars.len().max(1) as u32 / 2 + 8 * n as u32;
    let mut svg = String::new();
    {
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the chart \"{}\": {e}", spec.title);
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..max, 0f64..n as f64)
            .map_err(|e| err(&e))?;
        let percent = spec.percent;
        // Category i fills [n-i-1, n-i), top down: its label sits at its middle.
        let label_of = |y: &f64| category_at(&labels, n as f64 - y);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n * 2 + 1)
            .y_label_formatter(&label_of)
            .x_label_formatter(&|x| axis_value(percent, *x))
            .x_desc(axis.as_str())
            .label_style(("sans-serif", 11))
            .draw()
            .map_err(|e| err(&e))?;
        let k = spec.bars.len().max(1) as f64;
        for (s, series) in values.iter().enumerate() {
            let colour = SERIES_COLOURS[s % SERIES_COLOURS.len()];
            let bars = series.iter().enumerate().map(|(i, v)| {
                let top = n as f64 - i as f64 - 0.1 - 0.8 * s as f64 / k;
                let bottom = top - 0.8 / k;
                let fill = if coloured_by_met {
                    match met.get(i).copied().flatten() {
                        Some(true) => NHS_DARK_BLUE,
                        _ => NHS_WARM_YELLOW,
                    }
                } else {
                    colour
                };
                Rectangle::new([(0.0, bottom), (*v, top)], fill.filled())
            });
            chart.draw_series(bars).map_err(|e| err(&e))?;
        }
        for (_, at) in &lines {
            let dashes = (0..n * 2).map(|i| {
                let y0 = i as f64 * 0.5;
                PathElement::new(vec![(*at, y0), (*at, y0 + 0.3)], NHS_RED.stroke_width(2))
            });
            chart.draw_series(dashes).map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    let legend: Vec<(String, String)> = if coloured_by_met {
        vec![
            ("#003087".into(), "target met".into()),
            ("#FFB81C".into(), "target not met".into()),
        ]
    } else {
        spec.bars
            .iter()
            .enumerate()
            .map(|(s, b)| {
                (
                    hex(SERIES_COLOURS[s % SERIES_COLOURS.len()]),
                    b.name.clone(),
                )
            })
            .collect()
    };
    let line_legend: Vec<String> = lines
        .iter()
        .map(|(name, v)| {
            if spec.percent {
                format!("{name}: {:.1}%", v * 100.0)
            } else {
                format!("{name}: {v}")
            }
        })
        .collect();
    Ok(html! {
        h3 { (spec.title) }
        p class="caption" {
            (caption(spec))
        }
        ul class="legend" {
            @for (colour, name) in &legend {
                li { span class="swatch" style=(format!("background:{colour}")) {} (name) }
            }
            @for name in &line_legend {
                li { span class="swatch" style="background:#DA291C;height:3px" {} (name) " (dashed line)" }
            }
        }
        div class="chart" { (inline_svg(svg)) }
    })
}

/// A chart of lines alone (a series over time: the trend and the trajectory of
/// `report --history`), in the table's order: each series one line, broken where a
/// value is missing (an ICS with no return in a snapshot), never drawn at 0.
fn line_chart(spec: &Chart, table: &Table) -> Result<Markup> {
    if spec.lines.is_empty() {
        return Ok(html! {});
    }
    let rows: Vec<&Vec<Value>> = table.rows.iter().collect();
    let labels = category_labels(spec, table, &rows);
    let series: Vec<Vec<Option<f64>>> = spec
        .lines
        .iter()
        .map(|s| {
            table
                .rows
                .iter()
                .map(|r| chart_number(table.value(r, &s.column)))
                .collect()
        })
        .collect();
    let n = labels.len().max(1);
    let percent = spec.percent;
    let max = if percent {
        1.0
    } else {
        series
            .iter()
            .flatten()
            .flatten()
            .copied()
            .fold(0.0f64, f64::max)
            .max(1.0)
            * 1.05
    };
    // The target line in red, as in the bar charts; the others in the series colours.
    let colours: Vec<RGBColor> = spec
        .lines
        .iter()
        .enumerate()
        .map(|(s, line)| {
            if line.name.starts_with("Target") {
                NHS_RED
            } else {
                SERIES_COLOURS[s % SERIES_COLOURS.len()]
            }
        })
        .collect();
    let mut svg = String::new();
    {
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the chart \"{}\": {e}", spec.title);
        let root = SVGBackend::with_string(&mut svg, (760, 340)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..n as f64, 0f64..max)
            .map_err(|e| err(&e))?;
        // Category i sits at i + 0.5, as in the column charts.
        let label_of = |x: &f64| category_at(&labels, *x);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n * 2 + 1)
            .x_label_formatter(&label_of)
            .y_label_formatter(&|y| axis_value(percent, *y))
            .y_desc(spec.value_axis.as_str())
            .label_style(("sans-serif", 11))
            .draw()
            .map_err(|e| err(&e))?;
        for (s, values) in series.iter().enumerate() {
            let colour = colours[s];
            let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for (i, value) in values.iter().enumerate() {
                match value {
                    Some(v) => segments
                        .last_mut()
                        .map_or((), |seg| seg.push((i as f64 + 0.5, *v))),
                    None => segments.push(Vec::new()),
                }
            }
            for segment in segments.into_iter().filter(|seg| !seg.is_empty()) {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        segment,
                        colour.stroke_width(2),
                    )))
                    .map_err(|e| err(&e))?;
            }
            let points = values.iter().enumerate().filter_map(|(i, v)| {
                v.map(|v| Circle::new((i as f64 + 0.5, v), 3, colour.filled()))
            });
            chart.draw_series(points).map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    let names: Vec<&str> = spec.lines.iter().map(|s| s.name.as_str()).collect();
    Ok(html! {
        h3 { (spec.title) }
        p class="caption" {
            (format!(
                "{} by {}, in order; a gap in a line is a missing figure, not 0. The table below holds the same figures.",
                names.join(", "),
                display_header(&spec.categories)
            ))
        }
        ul class="legend" {
            @for (s, name) in names.iter().enumerate() {
                li { span class="swatch" style=(format!("background:{}", hex(colours[s]))) {} (name) }
            }
        }
        div class="chart" { (inline_svg(svg)) }
    })
}

/// The category (the chart's x or y labels) of each row, as displayed.
fn category_labels(spec: &Chart, table: &Table, rows: &[&Vec<Value>]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            table
                .value(r, &spec.categories)
                .map_or_else(String::new, Value::display)
        })
        .collect()
}

/// The label of the category whose band is centred at `position` (category i at
/// i + 0.5), for an axis tick; empty between categories. The charts ask for a tick at
/// every half step, so each band gets its label at its middle.
fn category_at(labels: &[String], position: f64) -> String {
    let i = position - 0.5;
    if (i - i.round()).abs() < 1e-6 && i >= 0.0 {
        labels.get(i.round() as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// A value axis tick: a whole percentage for shares, else a whole number.
fn axis_value(percent: bool, value: f64) -> String {
    if percent {
        format!("{:.0}%", value * 100.0)
    } else {
        format!("{value:.0}")
    }
}

/// plotters' SVG for inclusion in the page: the namespace declaration is implied
/// inside HTML, and leaving it out keeps the page free of any URL but its credits.
fn inline_svg(svg: String) -> PreEscaped<String> {
    PreEscaped(svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1))
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// What a chart counts, in words.
fn caption(spec: &Chart) -> String {
    let series: Vec<&str> = spec.bars.iter().map(|s| s.name.as_str()).collect();
    format!(
        "{} per {}, sorted by {} (largest first); the table below holds the same figures.{}",
        series.join(" and "),
        display_header(&spec.categories).replace(" name", ""),
        series.first().copied().unwrap_or_default().to_lowercase(),
        if spec.percent {
            " Coverage is NHS trusts with an EPR live over all NHS trusts of the ICS."
        } else {
            ""
        }
    )
}

/// The EMRAM stage distribution from a maturity table's national total row
/// (`stage_0` … `stage_7`, `stage_unknown`).
fn emram_chart(table: &Table) -> Option<Result<Markup>> {
    table.column_index("stage_0")?;
    let total = table.total.as_ref()?;
    let stages: Vec<(String, f64)> = (0..8)
        .map(|s| format!("stage_{s}"))
        .chain(std::iter::once("stage_unknown".to_string()))
        .filter_map(|c| chart_number(table.value(total, &c)).map(|v| (display_header(&c), v)))
        .collect();
    use crate::metrics::titles::{AS_RETURNED, NHS_TRUSTS};
    Some(column_chart(
        &format!("HIMSS EMRAM stage of {NHS_TRUSTS} (England), {AS_RETURNED}"),
        "NHS trusts at each EMRAM stage, from the national row of the table below; stage 5 and above is the usual mark of a mature EPR.",
        &stages,
    ))
}

/// A simple column chart of labelled counts (EMRAM stages, problems by severity).
fn column_chart(title: &str, what: &str, data: &[(String, f64)]) -> Result<Markup> {
    let mut svg = String::new();
    {
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the chart \"{title}\": {e}");
        let root = SVGBackend::with_string(&mut svg, (640, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let max = data.iter().map(|d| d.1).fold(1.0f64, f64::max) * 1.1;
        let n = data.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..n as f64, 0f64..max)
            .map_err(|e| err(&e))?;
        let labels: Vec<String> = data.iter().map(|d| d.0.clone()).collect();
        let label_of = |x: &f64| category_at(&labels, *x);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n * 2 + 1)
            .x_label_formatter(&label_of)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 11))
            .draw()
            .map_err(|e| err(&e))?;
        chart
            .draw_series(data.iter().enumerate().map(|(i, (_, v))| {
                Rectangle::new(
                    [(i as f64 + 0.15, 0.0), (i as f64 + 0.85, *v)],
                    NHS_BLUE.filled(),
                )
            }))
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(html! {
        h3 { (title) }
        p class="caption" { (what) }
        div class="chart" { (inline_svg(svg)) }
        table {
            thead { tr { @for d in data { th scope="col" { (d.0) } } } }
            tbody { tr { @for d in data { td class="n" { (d.1) } } } }
        }
    })
}

/// Data quality: problems counted by severity (a chart and its table), and the first
/// problems with their file, sheet and cell.
fn data_quality(table: &Table) -> Markup {
    let severity = |row: &Vec<Value>| table.value(row, "severity").map(Value::display);
    let mut counts: Vec<(String, f64)> = Vec::new();
    for name in ["error", "warning", "note"] {
        let n = table
            .rows
            .iter()
            .filter(|r| severity(r).as_deref() == Some(name))
            .count();
        counts.push((format!("{name}s"), n as f64));
    }
    let first = Table {
        title: Some(format!(
            "The first {} of {} problems (all of them are on the workbook's Data quality sheet and in `eprscan validate`)",
            FIRST_PROBLEMS.min(table.rows.len()),
            table.rows.len()
        )),
        columns: table.columns.clone(),
        rows: table.rows.iter().take(FIRST_PROBLEMS).cloned().collect(),
        total: None,
    };
    let chart = column_chart(
        "Problems found, by severity",
        "Every diagnostic raised while reading the returns, counted by severity.",
        &counts,
    )
    .unwrap_or_else(|e| html! { p { (e.to_string()) } });
    html! {
        (chart)
        (table_html(&first))
    }
}

/// One table as a page (`eprscan coverage -o coverage.html`): the table alone, or
/// with the hex map of `map` (one area per row of the table) above it.
pub fn table_page(table: &Table, map: Option<&[MapArea]>) -> Result<String> {
    let document = Document {
        title: table.title.clone().unwrap_or_else(|| "eprscan".into()),
        sheets: vec![super::Sheet {
            name: "Results".into(),
            tables: vec![table.clone()],
            charts: Vec::new(),
        }],
        page: PageFigures {
            headline: None,
            map: map.map(|areas| (TablePlace::default(), areas.to_vec())),
        },
    };
    page(&document)
}

/// One table as a page with no figures of its own: the table alone.
pub struct HtmlExporter;

impl super::Exporter for HtmlExporter {
    fn write(&self, table: &Table, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let page = table_page(table, None).map_err(std::io::Error::other)?;
        out.write_all(page.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Sheet;

    fn headline() -> Headline {
        Headline {
            trusts: Value::Int(214),
            live: Value::Int(190),
            coverage: Value::Ratio(0.888),
            target: Value::Ratio(0.9),
            shortfall: Value::Int(3),
            icss: Value::Int(36),
            icss_meeting: Value::Int(20),
            distinct_eprs: Value::Int(12),
            distinct_eprs_planned: Value::Null,
            programme_cost: Value::Null,
            funding_gap: Value::Null,
            returns_received: Value::Int(41),
            returns_expected: 42,
            no_return: Value::Int(1),
        }
    }

    /// A document with one table, whose labels are not the report's.
    fn document(page: PageFigures) -> Document {
        Document {
            title: "t".into(),
            sheets: vec![Sheet {
                name: "Summary".into(),
                tables: vec![Table {
                    title: None,
                    columns: vec!["figure".into(), "value".into()],
                    rows: vec![vec![Value::Text("Trusts (renamed)".into()), Value::Int(1)]],
                    total: None,
                }],
                charts: Vec::new(),
            }],
            page,
        }
    }

    #[test]
    fn tiles_come_from_the_typed_headline_not_the_table_labels() {
        let html = page(&document(PageFigures {
            headline: Some((TablePlace::default(), headline())),
            map: None,
        }))
        .expect("a page");
        let tile = |v: &str, l: &str| {
            format!(
                "<li class=\"tile\"><span class=\"v\">{v}</span><span class=\"l\">{l}</span></li>"
            )
        };
        assert!(html.contains(&tile("214", "NHS trusts")), "{html}");
        assert!(html.contains(&tile("88.8%", "coverage against the 90.0% target")));
        assert!(html.contains(&tile("20", "of 36 ICSs meeting the target")));
        assert!(html.contains(&tile("–", "funding gap")));
        assert!(html.contains(&tile("41", "returns received of the 42 ICSs")));
        assert_eq!(html.matches("<li class=\"tile\">").count(), 11);
    }

    #[test]
    fn no_typed_figures_no_tiles_or_map() {
        // A figure/value table alone is a table, not a headline.
        let html = page(&document(PageFigures::default())).expect("a page");
        assert!(!html.contains("<ul class=\"tiles\">"));
        assert!(!html.contains("<svg class=\"hexmap\""));
        assert!(html.contains("Trusts (renamed)"));
    }

    #[test]
    fn the_map_is_drawn_from_typed_areas_above_its_table() {
        let area = MapArea {
            code: Some("QE1".into()),
            name: Some("Lancashire".into()),
            trusts: Some(4),
            live: Some(3),
            coverage: Some(0.75),
            target: Some(0.9),
            met: Some(false),
            shortfall: Some(1),
            unplaced: false,
        };
        let mut doc = document(PageFigures {
            headline: None,
            map: Some((TablePlace::default(), vec![area])),
        });
        doc.sheets[0].tables[0].title = Some("Coverage by ICS".into());
        let html = page(&doc).expect("a page");
        assert!(html.contains("<h3>Hex map: Coverage by ICS</h3>"));
        assert!(html.contains(
            "QE1 Lancashire: coverage 75.0% (3 of 4 trusts live), target 90.0%, met: no, shortfall 1"
        ));
        assert!(html.find("<svg class=\"hexmap\"") < html.find("<table>"));
    }
}
