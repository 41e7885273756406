//! The hex map of the 42 ICSs: one hexagon per ICS, placed by the published NHS ICB
//! layout of the Open Innovations hexmaps project (MIT licence, notice kept in
//! `src/assets/nhs-icb-2022.hexjson.LICENSE`), coloured by coverage band against the
//! target, each with a label and a `<title>` tooltip (which needs no script). Only the
//! geometry is drawn here; figures come from the typed [`MapArea`]s the command gives.

use super::{MapArea, Value};
use crate::geography::Placement;
use anyhow::{Context, Result};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The layout, built in: the page must never fetch anything.
const HEXJSON: &str = include_str!("../assets/nhs-icb-2022.hexjson");

/// Where the layout comes from, for the page's credit line.
pub const CREDIT_URL: &str = "https://github.com/odileeds/hexmaps";

#[derive(Deserialize)]
struct HexJson {
    layout: String,
    hexes: BTreeMap<String, Hex>,
}

#[derive(Deserialize)]
struct Hex {
    q: i32,
    r: i32,
    /// The layout's 3-letter short label (`COR`).
    n: String,
}

/// A coverage band against the target: what a hexagon's colour says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// At or above the target.
    Met,
    /// Below the target by less than 10 percentage points.
    Close,
    /// 10 points or more below the target.
    Far,
    /// No trusts counted for the ICS (no return, or a return with no trusts).
    NoData,
}

impl Band {
    /// Every band, in legend order.
    pub const ALL: [Band; 4] = [Band::Met, Band::Close, Band::Far, Band::NoData];

    /// Fill and label colours from the NHS identity palette, chosen so that the bands
    /// stay apart in greyscale (dark blue, red, warm yellow, pale grey).
    pub fn colours(self) -> (&'static str, &'static str) {
        match self {
            Band::Met => ("#003087", "#ffffff"),
            Band::Close => ("#FFB81C", "#231f20"),
            Band::Far => ("#DA291C", "#ffffff"),
            Band::NoData => ("#E8EDEE", "#231f20"),
        }
    }

    /// The legend text.
    pub fn label(self) -> &'static str {
        match self {
            Band::Met => "Target met",
            Band::Close => "Below target by under 10 points",
            Band::Far => "Below target by 10 points or more",
            Band::NoData => "No trusts counted",
        }
    }

    /// The band of a coverage share against a target share.
    pub fn of(coverage: Option<f64>, target: Option<f64>, met: Option<bool>) -> Band {
        match (coverage, target) {
            (Some(c), Some(t)) if c.is_finite() => {
                if met == Some(true) {
                    Band::Met
                } else if ((t - c) * 1000.0).round() < 100.0 {
                    // Compared in tenths of a point: 0.9 − 0.8 is 0.0999… in floating
                    // point, and exactly 10 points short belongs to the far band.
                    Band::Close
                } else {
                    Band::Far
                }
            }
            _ => Band::NoData,
        }
    }
}

/// Hexagon radius (centre to corner) in SVG units.
const SIZE: f64 = 22.0;

/// The map as an inline SVG with its legend, from the figures of each ICS (the first
/// area of a code is drawn). ICSs of the layout with no area are drawn as "no trusts
/// counted".
pub fn hex_map(areas: &[MapArea]) -> Result<Markup> {
    let layout: HexJson =
        serde_json::from_str(HEXJSON).context("reading the built-in ICB hex layout")?;
    // odd-r: pointy-topped hexagons, odd rows pushed half a hexagon right; r grows
    // northwards, so it is flipped for SVG's downward y.
    let odd_r = layout.layout == "odd-r";
    let width = 3f64.sqrt() * SIZE;
    let max_r = layout.hexes.values().map(|h| h.r).max().unwrap_or(0);
    let min_r = layout.hexes.values().map(|h| h.r).min().unwrap_or(0);
    let min_q = layout.hexes.values().map(|h| h.q).min().unwrap_or(0);
    let max_q = layout.hexes.values().map(|h| h.q).max().unwrap_or(0);
    let centre = |h: &Hex| {
        let shift = if odd_r == (h.r.rem_euclid(2) == 1) {
            0.5
        } else {
            0.0
        };
        let x = (f64::from(h.q - min_q) + shift + 0.5) * width + 2.0;
        let y = f64::from(max_r - h.r) * 1.5 * SIZE + SIZE + 2.0;
        (x, y)
    };
    let view_w = (f64::from(max_q - min_q) + 1.5) * width + 4.0;
    let view_h = f64::from(max_r - min_r) * 1.5 * SIZE + 2.0 * SIZE + 4.0;
    let row_of = |code: &str| areas.iter().find(|a| a.code.as_deref() == Some(code));
    // Shown as the coverage table shows them ("–" for a missing figure).
    let show = |v: Value| v.display();
    let text = |t: &Option<String>| show(t.clone().map_or(Value::Null, Value::Text));
    let count = |n: Option<u64>| show(n.map_or(Value::Null, |n| Value::Int(n as i64)));
    let share = |r: Option<f64>| show(r.map_or(Value::Null, Value::Ratio));
    // The layout is of the 2022 ICBs: under a later geography each hexagon is the
    // area of a 2022 ICB, drawn with the figures of the ICB it is now part of (an ICB
    // formed by a merger covers several hexagons); one split between successors has
    // no single row and is drawn as such.
    let geography = crate::geography::current();
    let now_in = |code: &str| match geography.place(code) {
        Placement::Current(icb) | Placement::Merged(icb) => HexIcb::Row(icb.code.clone()),
        Placement::Split(into) => HexIcb::Split(geography.successors_named(into)),
        Placement::Outside => HexIcb::Row(code.to_string()),
    };
    let drawn: Vec<String> = layout
        .hexes
        .keys()
        .filter_map(|code| match now_in(code) {
            HexIcb::Row(code) => Some(code),
            HexIcb::Split(_) => None,
        })
        .collect();
    // ICSs with figures but no hexagon (a code the layout does not cover, such as a
    // custom geography's) are named under the map, never left out silently.
    let off_map: Vec<String> = areas
        .iter()
        .filter_map(|area| match &area.code {
            Some(code) if !area.unplaced && !drawn.contains(code) => {
                Some(format!("{code} {}", text(&area.name)))
            }
            _ => None,
        })
        .collect();
    let merged = layout
        .hexes
        .keys()
        .any(|code| !matches!(geography.place(code), Placement::Current(_)));
    Ok(html! {
        svg class="hexmap" viewBox=(format!("0 0 {view_w:.0} {view_h:.0}")) role="img"
            aria-label="Hex map of the ICSs coloured by coverage band against the target" {
            @for (area, hex) in &layout.hexes {
                @let now = now_in(area);
                @let code = match &now { HexIcb::Row(code) => code.as_str(), HexIcb::Split(_) => area.as_str() };
                @let (cx, cy) = centre(hex);
                @let points = (0..6).map(|i| {
                    let angle = std::f64::consts::PI / 180.0 * (60.0 * f64::from(i) - 30.0);
                    format!("{:.1},{:.1}", cx + SIZE * angle.cos(), cy + SIZE * angle.sin())
                }).collect::<Vec<_>>().join(" ");
                @let row = match &now { HexIcb::Row(code) => row_of(code), HexIcb::Split(_) => None };
                @let area_note = if area == code { String::new() } else { format!(" (area of {area})") };
                @let band = row.map_or(Band::NoData, |row| Band::of(row.coverage, row.target, row.met));
                @let (fill, ink) = band.colours();
                @let tip = match row {
                    Some(row) => format!(
                        "{code} {}{area_note}: coverage {} ({} of {} trusts live), target {}, met: {}, shortfall {}",
                        text(&row.name), share(row.coverage), count(row.live),
                        count(row.trusts), share(row.target),
                        show(row.met.map_or(Value::Null, Value::Bool)),
                        count(row.shortfall),
                    ),
                    None => match &now {
                        HexIcb::Split(into) => format!("{area}: split between {into}; its trusts are in their rows"),
                        HexIcb::Row(_) => format!("{code}{area_note}: no trusts counted"),
                    },
                };
                g class="hex" data-ics=(code) {
                    title { (tip) }
                    polygon points=(points) fill=(fill) stroke="#ffffff" stroke-width="1.5"
                        stroke-dasharray=[(band == Band::NoData).then_some("3 2")] {}
                    text x=(format!("{cx:.1}")) y=(format!("{:.1}", cy + 4.0)) fill=(ink)
                        text-anchor="middle" font-size="10" { (hex.n) }
                }
            }
        }
        @if merged {
            p class="caption" {
                "Hexagons are the areas of the 42 ICBs of 2022, each drawn with the figures of the ICB it is part of in the "
                (geography.describe()) "; dashed: no single ICB (split) or no trusts counted."
            }
        }
        @if !off_map.is_empty() {
            p class="caption" {
                "Not on the map (not in the 2022 ICB layout): " (off_map.join(", "))
                "; their figures are in the coverage table."
            }
        }
        ul class="legend" {
            @for band in Band::ALL {
                li {
                    span class="swatch" style=(format!("background:{}", band.colours().0)) {}
                    (band.label())
                }
            }
        }
    })
}

/// What a hexagon of the layout (a 2022 ICB's area) shows under the run's geography.
enum HexIcb {
    /// The figures of this ICB code's row.
    Row(String),
    /// No single row: the area was split between these successors.
    Split(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_has_the_42_icbs() {
        let layout: HexJson = serde_json::from_str(HEXJSON).expect("built-in layout parses");
        assert_eq!(layout.hexes.len(), 42);
        assert!(layout.hexes.keys().all(|k| k.len() == 3));
    }

    #[test]
    fn icss_not_in_the_layout_are_named() {
        let areas = [
            MapArea {
                code: Some("QZZ".into()),
                name: Some("New <ICB>".into()),
                coverage: Some(0.5),
                target: Some(0.9),
                met: Some(false),
                ..MapArea::default()
            },
            // Not an ICS: never named as off the map.
            MapArea {
                code: Some("Unknown".into()),
                unplaced: true,
                ..MapArea::default()
            },
        ];
        let page = hex_map(&areas).expect("drawn").into_string();
        assert!(page.contains("Not on the map (not in the 2022 ICB layout): QZZ New &lt;ICB&gt;;"));
        assert_eq!(page.matches("<g class=\"hex\"").count(), 42);
    }

    #[test]
    fn bands_against_the_target() {
        assert_eq!(Band::of(Some(0.95), Some(0.9), Some(true)), Band::Met);
        assert_eq!(Band::of(Some(0.85), Some(0.9), Some(false)), Band::Close);
        assert_eq!(Band::of(Some(0.5), Some(0.9), Some(false)), Band::Far);
        // Exactly 10 points short is far, though 0.9 - 0.8 < 0.1 in floating point.
        assert_eq!(Band::of(Some(0.8), Some(0.9), Some(false)), Band::Far);
        assert_eq!(Band::of(Some(0.801), Some(0.9), Some(false)), Band::Close);
        assert_eq!(Band::of(None, Some(0.9), None), Band::NoData);
    }
}
