//! Writes a SYNTHETIC national full-landscape set of EPR returns for benchmarking
//! (issue 8, SPEC 5): one `.xlsx` workbook per ICS (all 42), in the canonical layout
//! (`Cover`, `Providers`, `Systems` and `Funding` sheets with canonical headers, SPEC
//! 1.4), and `DIR.expected.csv` next to the folder (outside it, so that eprscan does
//! not take it for a return): the aggregates eprscan must find, computed here from the
//! generator's own data (never by eprscan).
//!
//! At `--scale 1` each workbook has about 600 providers (a handful of NHS trusts, about
//! 210 nationally; the rest GP practices and social care), about four systems per
//! provider and a few funding lines per trust: about 25 000 providers and 100 000
//! systems in all. `--scale 10` writes ten times the rows (trusts included);
//! `--scale 0.01` a small set (at least two trusts and four other providers per ICS).
//! The same seed gives byte-identical aggregates and the same cells.
//!
//! Usage: `cargo run --release --example synth -- --scale 1 --out DIR [--seed N]
//! [--expected FILE]` (default FILE: `DIR.expected.csv`)
//!
//! Only the ICS names, ICB codes and regions are real; every provider, code, supplier,
//! date and amount is made up.

mod common;

use common::Rng;
use eprscan::geography::Geography;
use rayon::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use std::collections::BTreeSet;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// Default seed ("SYNTH").
const DEFAULT_SEED: u64 = 0x53_594e_5448;

/// Providers per workbook at scale 1.
const PROVIDERS_PER_ICS: f64 = 600.0;

/// Sector labels as written, and whether the sector is an NHS trust's.
const TRUST_SECTORS: &[(&str, usize)] = &[
    ("Acute", 50),
    ("Mental health", 15),
    ("Community", 12),
    ("Mental health and community", 12),
    ("Ambulance", 4),
];

/// Status words as written (canonical forms).
const STATUSES: &[(&str, usize)] = &[
    ("Live", 80),
    ("Implementing", 8),
    ("Procuring", 5),
    ("Planning", 4),
    ("None", 3),
];

/// (canonical supplier, product) pairs a trust may run.
const TRUST_EPRS: &[(&str, Option<&str>)] = &[
    ("Oracle Health", Some("Millennium")),
    ("Epic", None),
    ("System C", Some("Medway")),
    ("System C", Some("CareFlow")),
    ("Dedalus", Some("Lorenzo")),
    ("Altera Digital Health", Some("Sunrise")),
    ("Meditech", Some("Expanse")),
    ("The Access Group", Some("RiO")),
    ("TPP", Some("SystmOne")),
    ("Advanced", Some("CareNotes")),
    ("Nervecentre", None),
    ("IMS Maxims", Some("MAXIMS")),
];

/// Systems of GP practices and social care providers.
const OTHER_EPRS: &[(&str, Option<&str>)] = &[
    ("EMIS", Some("EMIS Web")),
    ("TPP", Some("SystmOne")),
    ("Civica", Some("Paris")),
    ("Cambio", None),
    ("Advanced", Some("CareNotes")),
];

/// Scope labels of the systems table; blank (`None`) counts as core (SPEC 3).
const SCOPES: &[(Option<&str>, usize)] = &[
    (Some("Core EPR"), 10),
    (Some("PAS"), 8),
    (Some("Maternity"), 10),
    (Some("ED"), 10),
    (Some("Theatres"), 10),
    (Some("ePMA"), 12),
    (Some("Community"), 8),
    (Some("Mental health"), 6),
    (Some("Other"), 20),
    (None, 6),
];

#[derive(Clone, Copy)]
struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    fn random(rng: &mut Rng, first_year: u16, last_year: u16) -> Self {
        Date {
            year: rng.between(usize::from(first_year), usize::from(last_year)) as u16,
            month: rng.between(1, 12) as u8,
            day: rng.between(1, 28) as u8,
        }
    }

    fn to_excel(self) -> Result<ExcelDateTime> {
        Ok(ExcelDateTime::from_ymd(self.year, self.month, self.day)?)
    }
}

type Epr = (&'static str, Option<&'static str>);

/// One generated provider.
struct Provider {
    ods: String,
    name: String,
    sector: &'static str,
    trust: bool,
    status: &'static str,
    epr: Option<Epr>,
    go_live: Option<Date>,
    contract_expiry: Option<Date>,
    target: Option<(Epr, Date)>,
    emram: Option<usize>,
    group: Option<usize>,
}

/// One generated systems row.
struct System {
    ods: String,
    epr: Epr,
    scope: Option<&'static str>,
    go_live: Option<Date>,
}

/// One generated funding line (whole pounds).
struct Funding {
    ods: Option<String>,
    item: String,
    total: u64,
    national: u64,
    local: u64,
}

/// One ICS's return.
struct Return {
    code: &'static str,
    name: &'static str,
    /// Region name.
    region: &'static str,
    providers: Vec<Provider>,
    systems: Vec<System>,
    funding: Vec<Funding>,
}

/// A five-character ODS code: a sector letter and four base-36 digits, unique
/// nationally for up to 36^4 providers of each letter.
fn ods_code(letter: char, n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut code = String::with_capacity(5);
    code.push(letter);
    for power in (0..4).rev() {
        code.push(DIGITS[(n / 36usize.pow(power)) % 36] as char);
    }
    code
}

/// Running counters, so that codes are unique across ICSs.
struct Numbering {
    trusts: usize,
    others: usize,
}

/// Build every return (sequentially, so that the codes do not depend on threads).
fn build_all(scale: f64, seed: u64) -> Vec<Return> {
    let mut numbering = Numbering {
        trusts: 0,
        others: 0,
    };
    // The 42 ICBs of 2022, whose returns the national set imitates.
    let icbs = &Geography::built_in("2022").expect("2022 is built in").icbs;
    icbs.iter()
        .enumerate()
        .map(|(index, icb)| {
            let mut rng = Rng(seed ^ (index as u64 + 1).wrapping_mul(0x0100_0000_01b3));
            build_return(
                &icb.code,
                &icb.name,
                &icb.region,
                scale,
                &mut rng,
                &mut numbering,
            )
        })
        .collect()
}

fn build_return(
    code: &'static str,
    name: &'static str,
    region: &'static str,
    scale: f64,
    rng: &mut Rng,
    numbering: &mut Numbering,
) -> Return {
    // About five trusts per ICS (210 nationally) at scale 1.
    let trusts = ((rng.between(3, 7) as f64 * scale).round() as usize).max(2);
    let providers = ((PROVIDERS_PER_ICS * scale).round() as usize).max(trusts + 4);
    let mut out = Return {
        code,
        name,
        region,
        providers: Vec::with_capacity(providers),
        systems: Vec::new(),
        funding: Vec::new(),
    };
    for i in 0..providers {
        let trust = i < trusts;
        let provider = if trust {
            numbering.trusts += 1;
            trust_provider(ods_code('R', numbering.trusts), code, rng)
        } else {
            numbering.others += 1;
            other_provider(ods_code('P', numbering.others), code, rng)
        };
        // About four systems per provider.
        for _ in 0..rng.between(2, 6) {
            let epr = if provider.trust {
                rng.pick(TRUST_EPRS)
            } else {
                rng.pick(OTHER_EPRS)
            };
            out.systems.push(System {
                ods: provider.ods.clone(),
                epr,
                scope: rng.weighted(SCOPES),
                go_live: rng.chance(70).then(|| Date::random(rng, 2012, 2025)),
            });
        }
        if provider.trust {
            for n in 0..rng.between(1, 2) {
                let total = rng.between(1, 400) as u64 * 100_000;
                let national = total * rng.between(0, 60) as u64 / 100;
                let local = (total - national) * rng.between(0, 100) as u64 / 100;
                out.funding.push(Funding {
                    ods: Some(provider.ods.clone()),
                    item: format!("EPR programme phase {}", n + 1),
                    total,
                    national,
                    local,
                });
            }
        }
        out.providers.push(provider);
    }
    let total = rng.between(1, 50) as u64 * 100_000;
    out.funding.push(Funding {
        ods: None,
        item: "ICS shared care record".to_string(),
        total,
        national: total / 2,
        local: total / 4,
    });
    out
}

fn trust_provider(ods: String, ics: &str, rng: &mut Rng) -> Provider {
    let sector = rng.weighted(TRUST_SECTORS);
    let status = rng.weighted(STATUSES);
    let epr = match status {
        "None" => None,
        "Live" | "Implementing" => Some(rng.pick(TRUST_EPRS)),
        // Procuring or planning: half still run a legacy system.
        _ => rng.chance(50).then(|| rng.pick(TRUST_EPRS)),
    };
    let target = rng
        .chance(25)
        .then(|| (rng.pick(TRUST_EPRS), Date::random(rng, 2025, 2028)));
    Provider {
        name: format!("Synthetic {sector} NHS Trust {ods} ({ics})"),
        ods,
        sector,
        trust: true,
        status,
        epr,
        go_live: epr.map(|_| Date::random(rng, 2008, 2024)),
        contract_expiry: epr.and_then(|_| rng.chance(60).then(|| Date::random(rng, 2025, 2032))),
        target,
        emram: Some(rng.between(0, 7)),
        group: Some(rng.between(0, 3)),
    }
}

fn other_provider(ods: String, ics: &str, rng: &mut Rng) -> Provider {
    let gp = rng.chance(70);
    let sector = if gp { "GP practice" } else { "Social care" };
    let status = rng.weighted(STATUSES);
    let epr = (status != "None").then(|| {
        if gp {
            rng.pick(&OTHER_EPRS[..2])
        } else {
            rng.pick(&OTHER_EPRS[2..])
        }
    });
    Provider {
        name: format!("Synthetic {sector} {ods} ({ics})"),
        ods,
        sector,
        trust: false,
        status,
        epr,
        go_live: epr.and_then(|_| rng.chance(50).then(|| Date::random(rng, 2005, 2024))),
        contract_expiry: None,
        target: None,
        emram: None,
        group: None,
    }
}

// ---------------------------------------------------------------------------------------
// Expected aggregates, from the generator's own data
// ---------------------------------------------------------------------------------------

/// An EPR's identity as SPEC 3 defines it: "supplier product", or the supplier.
fn identity(epr: Epr) -> String {
    match epr {
        (supplier, Some(product)) => format!("{supplier} {product}"),
        (supplier, None) => supplier.to_string(),
    }
}

/// Aggregates of a set of returns (one ICS, or the nation).
#[derive(Default)]
struct Expected {
    trusts: usize,
    live: usize,
    implementing: usize,
    /// Trusts with an EPR in use now: live ones, as coverage counts them.
    providers: usize,
    now: BTreeSet<String>,
    planned: BTreeSet<String>,
    /// Whole pounds.
    total_cost: u64,
    national_funding: u64,
    local_funding: u64,
    providers_all: usize,
    systems_all: usize,
}

impl Expected {
    fn add(&mut self, ret: &Return) {
        self.providers_all += ret.providers.len();
        self.systems_all += ret.systems.len();
        for p in ret.providers.iter().filter(|p| p.trust) {
            self.trusts += 1;
            self.live += usize::from(p.status == "Live");
            self.implementing += usize::from(p.status == "Implementing");
            // In use now: the EPRs of a live trust (every system's go-live is in
            // 2012-2025, before any date the set is read at). A trust not live is
            // moving to what it names: that counts once the plans land.
            let live = p.status == "Live";
            let mut named: BTreeSet<String> = p.epr.map(identity).into_iter().collect();
            for s in ret.systems.iter().filter(|s| s.ods == p.ods) {
                if matches!(s.scope, None | Some("Core EPR") | Some("PAS")) {
                    named.insert(identity(s.epr));
                }
            }
            self.providers += usize::from(live);
            match p.target {
                Some((target, _)) => {
                    self.planned.insert(identity(target));
                }
                None => self.planned.extend(named.iter().cloned()),
            }
            if live {
                self.now.extend(named);
            }
        }
        for line in &ret.funding {
            self.total_cost += line.total;
            self.national_funding += line.national;
            self.local_funding += line.local;
        }
    }

    fn csv_row(&self, code: &str, name: &str) -> String {
        format!(
            "{code},\"{name}\",{},{},{},{},{},{},{},{},{},{},{}\n",
            self.trusts,
            self.live,
            self.implementing,
            self.providers,
            self.now.len(),
            self.planned.len(),
            self.total_cost,
            self.national_funding,
            self.local_funding,
            self.providers_all,
            self.systems_all,
        )
    }
}

/// `expected.csv`: one row per ICS and a national row (`ics_code` blank,
/// `ics_name` "England"), with the column names of eprscan's coverage, convergence and
/// funding output where they mean the same.
fn expected_csv(returns: &[Return]) -> String {
    let mut out = String::from(
        "ics_code,ics_name,trusts,live,implementing,providers,distinct_eprs,distinct_eprs_planned,total_cost,national_funding,local_funding,all_providers,all_systems\n",
    );
    let mut national = Expected::default();
    for ret in returns {
        let mut one = Expected::default();
        one.add(ret);
        out.push_str(&one.csv_row(ret.code, ret.name));
        national.add(ret);
    }
    out.push_str(&national.csv_row("", "England"));
    out
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

fn write_headers(ws: &mut Worksheet, headers: &[&str], bold: &Format) -> Result<()> {
    for (col, header) in headers.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *header, bold)?;
    }
    Ok(())
}

fn write_opt_date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    date: Option<Date>,
    format: &Format,
) -> Result<()> {
    if let Some(date) = date {
        ws.write_date_with_format(row, col, date.to_excel()?, format)?;
    }
    Ok(())
}

fn write_return(ret: &Return, path: &Path) -> Result<()> {
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let mut workbook = Workbook::new();

    let cover = workbook.add_worksheet();
    cover.set_name("Cover")?;
    cover.write_string_with_format(
        0,
        0,
        "EPR landscape return — SYNTHETIC benchmark data (not real figures)",
        &bold,
    )?;
    for (row, (label, value)) in [
        ("ICS name", ret.name),
        ("ICB code", ret.code),
        ("Region", ret.region),
    ]
    .iter()
    .enumerate()
    {
        cover.write_string(2 + row as u32, 0, *label)?;
        cover.write_string(2 + row as u32, 1, *value)?;
    }
    cover.write_string(5, 0, "Submitted")?;
    cover.write_date_with_format(5, 1, ExcelDateTime::from_ymd(2026, 10, 31)?, &date)?;
    cover.write_string(6, 0, "Contact")?;
    cover.write_string(6, 1, "epr.returns@example.nhs.uk")?;

    let ws = workbook.add_worksheet();
    ws.set_name("Providers")?;
    write_headers(
        ws,
        &[
            "ODS code",
            "Organisation name",
            "Sector",
            "ICB code",
            "ICS name",
            "Region",
            "EPR status",
            "Supplier",
            "Product",
            "Go-live date",
            "Contract expiry",
            "Target supplier",
            "Target product",
            "Target go-live",
            "EMRAM stage",
            "EPR group",
        ],
        &bold,
    )?;
    let region = ret.region;
    for (i, p) in ret.providers.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &p.ods)?;
        ws.write_string(row, 1, &p.name)?;
        ws.write_string(row, 2, p.sector)?;
        ws.write_string(row, 3, ret.code)?;
        ws.write_string(row, 4, ret.name)?;
        ws.write_string(row, 5, region)?;
        ws.write_string(row, 6, p.status)?;
        if let Some((supplier, product)) = p.epr {
            ws.write_string(row, 7, supplier)?;
            if let Some(product) = product {
                ws.write_string(row, 8, product)?;
            }
        }
        write_opt_date(ws, row, 9, p.go_live, &date)?;
        write_opt_date(ws, row, 10, p.contract_expiry, &date)?;
        if let Some(((supplier, product), when)) = p.target {
            ws.write_string(row, 11, supplier)?;
            if let Some(product) = product {
                ws.write_string(row, 12, product)?;
            }
            write_opt_date(ws, row, 13, Some(when), &date)?;
        }
        if let Some(stage) = p.emram {
            ws.write_number(row, 14, stage as f64)?;
        }
        if let Some(group) = p.group {
            ws.write_number(row, 15, group as f64)?;
        }
    }

    let ws = workbook.add_worksheet();
    ws.set_name("Systems")?;
    write_headers(
        ws,
        &["ODS code", "Supplier", "Product", "Scope", "Go-live date"],
        &bold,
    )?;
    for (i, s) in ret.systems.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &s.ods)?;
        ws.write_string(row, 1, s.epr.0)?;
        if let Some(product) = s.epr.1 {
            ws.write_string(row, 2, product)?;
        }
        if let Some(scope) = s.scope {
            ws.write_string(row, 3, scope)?;
        }
        write_opt_date(ws, row, 4, s.go_live, &date)?;
    }

    let ws = workbook.add_worksheet();
    ws.set_name("Funding")?;
    write_headers(
        ws,
        &[
            "ODS code",
            "Item",
            "Total cost",
            "National funding",
            "Local funding",
            "Financial year",
        ],
        &bold,
    )?;
    for (i, line) in ret.funding.iter().enumerate() {
        let row = 1 + i as u32;
        if let Some(ods) = &line.ods {
            ws.write_string(row, 0, ods)?;
        }
        ws.write_string(row, 1, &line.item)?;
        ws.write_number(row, 2, line.total as f64)?;
        ws.write_number(row, 3, line.national as f64)?;
        ws.write_number(row, 4, line.local as f64)?;
        ws.write_string(row, 5, "2025/26")?;
    }

    workbook.save(path)?;
    Ok(())
}

fn file_name(ret: &Return) -> String {
    let mut slug = String::new();
    for c in ret.name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') {
            slug.push('_');
        }
    }
    format!(
        "{}_{}.xlsx",
        ret.code.to_lowercase(),
        slug.trim_end_matches('_')
    )
}

struct Args {
    scale: f64,
    out: PathBuf,
    seed: u64,
    expected: PathBuf,
}

const USAGE: &str = "usage: synth --scale S --out DIR [--seed N] [--expected FILE]   (S: 1 = 25 000 providers nationally, 10 = ten times, 0.01 small)";

fn parse_args() -> Result<Option<Args>> {
    let mut scale = 1.0;
    let mut out = None;
    let mut seed = DEFAULT_SEED;
    let mut expected = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--scale" => scale = value()?.parse()?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse()?,
            "--expected" => expected = Some(PathBuf::from(value()?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}").into()),
        }
    }
    if !(scale > 0.0 && scale <= 100.0) {
        return Err("--scale must be above 0 and at most 100".into());
    }
    let out: PathBuf = out.ok_or_else(|| format!("--out DIR is required\n{USAGE}"))?;
    let expected = expected.unwrap_or_else(|| {
        let mut name = out.components().as_path().as_os_str().to_owned();
        name.push(".expected.csv");
        PathBuf::from(name)
    });
    Ok(Some(Args {
        scale,
        out,
        seed,
        expected,
    }))
}

fn main() -> Result<()> {
    let Some(args) = parse_args()? else {
        return Ok(());
    };
    fs::create_dir_all(&args.out)?;
    let returns = build_all(args.scale, args.seed);
    returns.par_iter().try_for_each(|ret| -> Result<()> {
        let path = args.out.join(file_name(ret));
        write_return(ret, &path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(())
    })?;
    let expected = expected_csv(&returns);
    fs::write(&args.expected, &expected)?;
    let providers: usize = returns.iter().map(|r| r.providers.len()).sum();
    let systems: usize = returns.iter().map(|r| r.systems.len()).sum();
    let lines: usize = returns.iter().map(|r| r.funding.len()).sum();
    let trusts: usize = returns
        .iter()
        .map(|r| r.providers.iter().filter(|p| p.trust).count())
        .sum();
    let mut summary = String::new();
    write!(
        summary,
        "synth: wrote {} SYNTHETIC returns to {} (scale {}, seed {}): {providers} providers ({trusts} NHS trusts), {systems} systems, {lines} funding lines; aggregates in {}",
        returns.len(),
        args.out.display(),
        args.scale,
        args.seed,
        args.expected.display()
    )?;
    eprintln!("{summary}");
    Ok(())
}
