//! Writes the illustrative national set of example EPR landscape returns: one `.xlsx`
//! workbook per Integrated Care System (all 42), named `<icb code>_<ics name slug>.xlsx`.
//!
//! **Every figure in these workbooks is SYNTHETIC.** Only the ICS names, ICB codes and
//! regions are real (product spec, section 6); the providers, ODS codes, suppliers, dates,
//! maturity scores and funding lines are made up by a fixed-seed generator so that the
//! output is identical on every run.
//!
//! Each workbook has a `Cover` sheet, a `Providers` sheet, a `Systems` sheet and a
//! `Funding` sheet; two also carry a hidden `Lookups` sheet that the reader must ignore.
//! The `Providers` sheet rotates through three layouts (ICS index mod 3) to show what the
//! reader copes with:
//!
//! * A, canonical: one header row, canonical header names, real Excel date cells;
//! * B, title rows, merged group labels over a row of synonym headers, and dates, EMRAM
//!   stages and EPR groups written as text in the mixed forms the spec accepts;
//! * C, NHS England's EPR tracker: its column names, status ladder and trust types.
//!
//! Usage: `cargo run --example gen_examples [OUT_DIR]` (default `examples/returns` in the
//! package root). Only the 42 workbooks it writes are replaced; nothing else in `OUT_DIR`
//! is touched. A one-line summary goes to stderr.

mod common;

use common::Rng;
use eprscan::geography::region_name;
use std::collections::BTreeSet;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Output directory when none is given on the command line.
const DEFAULT_OUT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/returns");

/// Seed of the generator; change it and every workbook changes.
const SEED: u64 = 0x4550_5253_4341_4e21; // "EPRSCAN!"

const TITLE: &str = "EPR landscape return — SYNTHETIC DATA, illustrative only (not real figures)";

/// The 42 ICSs (spec section 6): ICB code, name, region code, NHS trusts in the example.
const ICSS: [(&str, &str, &str, usize); 42] = [
    ("QE1", "Lancashire and South Cumbria", "Y62", 6),
    ("QF7", "South Yorkshire", "Y63", 5),
    ("QGH", "Herefordshire and Worcestershire", "Y60", 3),
    ("QH8", "Mid and South Essex", "Y61", 3),
    ("QHG", "Bedfordshire, Luton and Milton Keynes", "Y61", 4),
    ("QHL", "Birmingham and Solihull", "Y60", 6),
    ("QHM", "North East and North Cumbria", "Y63", 8),
    ("QJ2", "Derby and Derbyshire", "Y60", 4),
    ("QJG", "Suffolk and North East Essex", "Y61", 4),
    ("QJK", "Devon", "Y58", 5),
    ("QJM", "Lincolnshire", "Y60", 3),
    ("QK1", "Leicester, Leicestershire and Rutland", "Y60", 3),
    ("QKK", "South East London", "Y56", 7),
    ("QKS", "Kent and Medway", "Y59", 6),
    ("QM7", "Hertfordshire and West Essex", "Y61", 4),
    ("QMF", "North East London", "Y56", 5),
    ("QMJ", "North Central London", "Y56", 7),
    ("QMM", "Norfolk and Waveney", "Y61", 5),
    ("QNC", "Staffordshire and Stoke-on-Trent", "Y60", 4),
    ("QNQ", "Frimley", "Y59", 4),
    ("QNX", "Sussex", "Y59", 6),
    ("QOC", "Shropshire, Telford and Wrekin", "Y60", 3),
    ("QOP", "Greater Manchester", "Y62", 8),
    ("QOQ", "Humber and North Yorkshire", "Y63", 7),
    (
        "QOX",
        "Bath and North East Somerset, Swindon and Wiltshire",
        "Y58",
        4,
    ),
    ("QPM", "Northamptonshire", "Y60", 3),
    ("QR1", "Gloucestershire", "Y58", 3),
    ("QRL", "Hampshire and Isle of Wight", "Y59", 6),
    ("QRV", "North West London", "Y56", 8),
    ("QSL", "Somerset", "Y58", 3),
    ("QT1", "Nottingham and Nottinghamshire", "Y60", 4),
    ("QT6", "Cornwall and the Isles of Scilly", "Y58", 3),
    (
        "QU9",
        "Buckinghamshire, Oxfordshire and Berkshire West",
        "Y59",
        6,
    ),
    ("QUA", "Black Country", "Y60", 5),
    ("QUE", "Cambridgeshire and Peterborough", "Y61", 5),
    (
        "QUY",
        "Bristol, North Somerset and South Gloucestershire",
        "Y58",
        5,
    ),
    ("QVV", "Dorset", "Y58", 4),
    ("QWE", "South West London", "Y56", 6),
    ("QWO", "West Yorkshire", "Y63", 8),
    ("QWU", "Coventry and Warwickshire", "Y60", 4),
    ("QXU", "Surrey Heartlands", "Y59", 5),
    ("QYG", "Cheshire and Merseyside", "Y62", 8),
];

/// The ICS hosting each region's ambulance trust (one per region).
const AMBULANCE_HOSTS: [&str; 7] = ["QRV", "QUY", "QNX", "QHL", "QUE", "QOP", "QWO"];

/// Trusts that are not live, by ICS; every other NHS trust is live. `NoEpr` is only used
/// where the layout has a plain "None" status word (A and B).
const NOT_LIVE: &[(&str, &[Status])] = &[
    ("QE1", &[Status::Implementing, Status::Procuring]),
    ("QF7", &[Status::Implementing]),
    ("QHL", &[Status::Implementing]),
    ("QHM", &[Status::Implementing, Status::Planning]),
    ("QJ2", &[Status::NoEpr]),
    ("QJK", &[Status::Implementing]),
    ("QJM", &[Status::Procuring]),
    ("QKK", &[Status::Implementing]),
    ("QKS", &[Status::Implementing, Status::Procuring]),
    ("QM7", &[Status::Planning]),
    ("QMJ", &[Status::Implementing]),
    ("QNX", &[Status::Procuring]),
    ("QOP", &[Status::Implementing, Status::Implementing]),
    ("QOQ", &[Status::Implementing, Status::AwaitingContracts]),
    ("QRV", &[Status::Planning]),
    ("QT1", &[Status::NoEpr]),
    ("QWO", &[Status::Planning]),
    ("QYG", &[Status::Implementing]),
];

/// ICSs planning to converge their acute trusts onto one EPR.
const ACUTE_CONVERGENCE: &[(&str, Epr)] = &[
    ("QE1", Epr::OracleMillennium),
    ("QHM", Epr::Epic),
    ("QKS", Epr::OracleMillennium),
    ("QMJ", Epr::Epic),
    ("QNX", Epr::SystemCCareFlow),
    ("QOP", Epr::Epic),
    ("QOQ", Epr::OracleMillennium),
    ("QRL", Epr::OracleMillennium),
    ("QU9", Epr::Epic),
    ("QWO", Epr::OracleMillennium),
    ("QYG", Epr::MeditechExpanse),
];

/// ICSs planning to converge their mental health and community trusts onto SystmOne.
const COMMUNITY_CONVERGENCE: &[&str] = &["QHM", "QOP", "QWE"];

/// Providers that are not NHS trusts, to show the population filter.
const NON_TRUSTS: &[(&str, &[Sector])] = &[
    ("QHG", &[Sector::GpPractice]),
    ("QMM", &[Sector::GpPractice, Sector::CareHome]),
    ("QT1", &[Sector::CareHome]),
];

/// Workbooks that carry a hidden junk sheet.
const HIDDEN_LOOKUPS: &[&str] = &["QKS", "QYG"];

// ---------------------------------------------------------------------------------------
// Deterministic randomness and dates
// ---------------------------------------------------------------------------------------

/// A seed per ICS, so that each return is generated independently of the others.
fn code_seed(code: &str) -> u64 {
    code.bytes().fold(SEED, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    fn new(year: u16, month: u8, day: u8) -> Self {
        Date { year, month, day }
    }

    fn days_in_month(year: u16, month: u8) -> u8 {
        match month {
            4 | 6 | 9 | 11 => 30,
            2 if year.is_multiple_of(4)
                && (!year.is_multiple_of(100) || year.is_multiple_of(400)) =>
            {
                29
            }
            2 => 28,
            _ => 31,
        }
    }

    fn end_of_month(year: u16, month: u8) -> Self {
        Date::new(year, month, Date::days_in_month(year, month))
    }

    /// A random date between the first of `from` and the end of `to` (year, month),
    /// with a day of 1–28.
    fn random(rng: &mut Rng, from: (u16, u8), to: (u16, u8)) -> Self {
        let first = u32::from(from.0) * 12 + u32::from(from.1) - 1;
        let last = u32::from(to.0) * 12 + u32::from(to.1) - 1;
        let index = rng.between(first, last);
        Date::new(
            (index / 12) as u16,
            (index % 12 + 1) as u8,
            rng.between(1, 28) as u8,
        )
    }

    fn plus_days(self, days: u32) -> Self {
        let mut date = self;
        for _ in 0..days {
            if date.day < Date::days_in_month(date.year, date.month) {
                date.day += 1;
            } else if date.month < 12 {
                date = Date::new(date.year, date.month + 1, 1);
            } else {
                date = Date::new(date.year + 1, 1, 1);
            }
        }
        date
    }

    fn to_excel(self) -> Result<ExcelDateTime> {
        Ok(ExcelDateTime::from_ymd(self.year, self.month, self.day)?)
    }

    /// First year of the NHS financial year (April to March) holding this date.
    fn fiscal_start(self) -> u16 {
        if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        }
    }

    /// The text forms of spec section 1.5 for this date, each with the date a reader
    /// resolves it to (a month, quarter or year resolves to its last day).
    fn text_forms(self) -> Vec<(String, Date)> {
        let (y, m, d) = (self.year, self.month, self.day);
        let month_name = MONTHS[usize::from(m) - 1];
        let month_end = Date::end_of_month(y, m);
        let fy = self.fiscal_start();
        let quarter = (u16::from(m) + 8) % 12 / 3 + 1;
        let quarter_end = match quarter {
            1 => Date::new(fy, 6, 30),
            2 => Date::new(fy, 9, 30),
            3 => Date::new(fy, 12, 31),
            _ => Date::new(fy + 1, 3, 31),
        };
        let year_end = Date::new(fy + 1, 3, 31);
        let mut forms = vec![
            (format!("{d:02}/{m:02}/{y}"), self),
            (format!("{d:02}.{m:02}.{y}"), self),
            (format!("{y}-{m:02}-{d:02}"), self),
            (format!("{} {y}", &month_name[..3]), month_end),
            (format!("{month_name} {y}"), month_end),
            (format!("{m:02}/{y}"), month_end),
            (
                format!("Q{quarter} {fy}/{:02}", (fy + 1) % 100),
                quarter_end,
            ),
            (format!("FY{fy}/{:02}", (fy + 1) % 100), year_end),
        ];
        // "Mar-25": only for 2000-2029, which every reader (Excel included) puts in
        // this century.
        if (2000..=2029).contains(&y) {
            forms.push((format!("{}-{:02}", &month_name[..3], y % 100), month_end));
        }
        forms
    }

    /// One of the text forms, chosen at random among those that resolve no later than
    /// `latest` (so a live EPR never reads as going live after the return was sent).
    fn as_text(self, latest: Option<Date>, rng: &mut Rng) -> String {
        let forms: Vec<String> = self
            .text_forms()
            .into_iter()
            .filter(|(_, resolved)| latest.is_none_or(|limit| *resolved <= limit))
            .map(|(text, _)| text)
            .collect();
        forms[rng.below(forms.len())].clone()
    }
}

// ---------------------------------------------------------------------------------------
// The domain: sectors, statuses, EPR products
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sector {
    Acute,
    MentalHealth,
    Community,
    MentalHealthAndCommunity,
    Ambulance,
    GpPractice,
    CareHome,
}

impl Sector {
    /// NHS trusts are the population of the 90% target.
    fn is_trust(self) -> bool {
        !matches!(self, Sector::GpPractice | Sector::CareHome)
    }

    fn is_mental_health_or_community(self) -> bool {
        matches!(
            self,
            Sector::MentalHealth | Sector::Community | Sector::MentalHealthAndCommunity
        )
    }

    fn plain_label(self) -> &'static str {
        match self {
            Sector::Acute => "Acute",
            Sector::MentalHealth => "Mental Health",
            Sector::Community => "Community",
            Sector::MentalHealthAndCommunity => "Mental Health and Community",
            Sector::Ambulance => "Ambulance",
            Sector::GpPractice => "GP practice",
            Sector::CareHome => "Care home",
        }
    }

    /// Core EPRs typical of the sector, with weights.
    fn epr_mix(self) -> &'static [(Epr, u32)] {
        match self {
            Sector::Acute => &[
                (Epr::OracleMillennium, 22),
                (Epr::Epic, 12),
                (Epr::SystemCMedway, 9),
                (Epr::SystemCCareFlow, 5),
                (Epr::DedalusLorenzo, 6),
                (Epr::MeditechExpanse, 6),
                (Epr::AlteraSunrise, 4),
                (Epr::Nervecentre, 8),
                (Epr::ImsMaxims, 4),
                (Epr::Cambio, 3),
                (Epr::InterSystemsTrakCare, 3),
                (Epr::InHouse, 3),
            ],
            Sector::MentalHealth => &[
                (Epr::AccessRio, 35),
                (Epr::TppSystmOne, 25),
                (Epr::AdvancedCareNotes, 18),
                (Epr::CivicaParis, 7),
                (Epr::Epic, 3),
                (Epr::OracleMillennium, 3),
            ],
            Sector::MentalHealthAndCommunity => &[
                (Epr::AccessRio, 40),
                (Epr::TppSystmOne, 35),
                (Epr::AdvancedCareNotes, 15),
                (Epr::CivicaParis, 10),
            ],
            Sector::Community => &[
                (Epr::TppSystmOne, 60),
                (Epr::EmisWeb, 20),
                (Epr::AccessRio, 20),
            ],
            Sector::Ambulance => &[(Epr::Ortivus, 40), (Epr::Cleric, 30), (Epr::Medusa, 30)],
            Sector::GpPractice => &[(Epr::EmisWeb, 60), (Epr::TppSystmOne, 40)],
            Sector::CareHome => &[(Epr::AccessCare, 1)],
        }
    }
}

/// Acute size band, shown by layouts B and C ("Acute Large", "Acute - Large").
#[derive(Clone, Copy)]
enum SizeBand {
    Small,
    Medium,
    Large,
}

impl SizeBand {
    fn label(self) -> &'static str {
        match self {
            SizeBand::Small => "Small",
            SizeBand::Medium => "Medium",
            SizeBand::Large => "Large",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    Live,
    Implementing,
    Procuring,
    /// Procured, contracts not yet signed: "procuring" in the canonical scale.
    AwaitingContracts,
    /// Business case stage: "planning".
    Planning,
    NoEpr,
}

impl Status {
    /// The canonical status the spec maps this to.
    fn canonical(self) -> &'static str {
        match self {
            Status::Live => "live",
            Status::Implementing => "implementing",
            Status::Procuring | Status::AwaitingContracts => "procuring",
            Status::Planning => "planning",
            Status::NoEpr => "none",
        }
    }

    fn has_epr(self) -> bool {
        matches!(self, Status::Live | Status::Implementing)
    }

    fn plain_word(self) -> &'static str {
        match self {
            Status::Live => "Live",
            Status::Implementing => "Implementing",
            Status::Procuring | Status::AwaitingContracts => "Procuring",
            Status::Planning => "Business case",
            Status::NoEpr => "None",
        }
    }
}

/// An EPR (or departmental system) product, with the spellings suppliers go by.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Epr {
    OracleMillennium,
    Epic,
    AlteraSunrise,
    DedalusLorenzo,
    SystemCMedway,
    SystemCCareFlow,
    AccessRio,
    AccessCare,
    TppSystmOne,
    EmisWeb,
    MeditechExpanse,
    AdvancedCareNotes,
    ImsMaxims,
    Nervecentre,
    Cambio,
    CivicaParis,
    InterSystemsTrakCare,
    Alcidion,
    Fortrus,
    Ortivus,
    Cleric,
    Medusa,
    InHouse,
}

impl Epr {
    /// Supplier spellings: canonical first, then aliases the spec knows.
    fn supplier_spellings(self) -> &'static [&'static str] {
        match self {
            Epr::OracleMillennium => &[
                "Oracle Health",
                "Cerner",
                "Cerner Corporation",
                "Oracle Cerner",
                "Oracle Cerner Corporation",
            ],
            Epr::Epic => &["Epic", "Epic Systems Corporation"],
            Epr::AlteraSunrise => &["Altera Digital Health", "Allscripts"],
            Epr::DedalusLorenzo => &["Dedalus", "Dedalus Healthcare Ltd", "DXC", "DXC Technology"],
            Epr::SystemCMedway | Epr::SystemCCareFlow => &["System C", "System C Healthcare Ltd"],
            Epr::AccessRio => &["The Access Group", "Servelec", "CSE Servelec", "Access"],
            Epr::AccessCare => &["The Access Group", "Access"],
            Epr::TppSystmOne => &["TPP"],
            Epr::EmisWeb => &["EMIS"],
            Epr::MeditechExpanse => &["Meditech", "Meditech Group Limited"],
            Epr::AdvancedCareNotes => &["Advanced", "Advanced Health and Care Limited"],
            Epr::ImsMaxims => &["IMS Maxims", "IMS Maxims Ltd"],
            Epr::Nervecentre => &["Nervecentre", "Nervecentre Software Ltd"],
            Epr::Cambio => &["Cambio", "Cambio Healthcare Systems Ltd"],
            Epr::CivicaParis => &["Civica", "Civica UK Limited"],
            Epr::InterSystemsTrakCare => &["InterSystems"],
            Epr::Alcidion => &["Alcidion"],
            Epr::Fortrus => &["Fortrus", "Fortrus Ltd"],
            Epr::Ortivus => &["Ortivus", "Ortivus UK Ltd"],
            Epr::Cleric => &["Cleric", "Cleric Computer Services Ltd"],
            Epr::Medusa => &["Medusa", "Medusa Medical Technologies Inc"],
            Epr::InHouse => &["In house", "Generic or In House EPR Provider", "Bespoke"],
        }
    }

    fn canonical_supplier(self) -> &'static str {
        self.supplier_spellings()[0]
    }

    fn product(self) -> Option<&'static str> {
        match self {
            Epr::OracleMillennium => Some("Millennium"),
            Epr::AlteraSunrise => Some("Sunrise"),
            Epr::DedalusLorenzo => Some("Lorenzo"),
            Epr::SystemCMedway => Some("Medway"),
            Epr::SystemCCareFlow => Some("CareFlow"),
            Epr::AccessRio => Some("RiO"),
            Epr::TppSystmOne => Some("SystmOne"),
            Epr::EmisWeb => Some("EMIS Web"),
            Epr::MeditechExpanse => Some("Expanse"),
            Epr::AdvancedCareNotes => Some("CareNotes"),
            Epr::ImsMaxims => Some("MAXIMS"),
            Epr::CivicaParis => Some("Paris"),
            Epr::InterSystemsTrakCare => Some("TrakCare"),
            _ => None,
        }
    }

    fn spelling(self, rng: &mut Rng) -> String {
        rng.pick(self.supplier_spellings()).to_string()
    }

    /// Core EPRs that often run beside a separate PAS.
    fn needs_separate_pas(self) -> bool {
        matches!(
            self,
            Epr::Nervecentre | Epr::ImsMaxims | Epr::Cambio | Epr::AlteraSunrise | Epr::InHouse
        )
    }
}

// ---------------------------------------------------------------------------------------
// The generated return
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Canonical,
    TitledMerged,
    Tracker,
}

struct Target {
    epr: Epr,
    /// Part of the ICS's plan to converge its trusts onto one EPR.
    converging: bool,
    supplier: String,
    go_live: Option<Date>,
}

struct Provider {
    ods: String,
    name: String,
    sector: Sector,
    band: SizeBand,
    status: Status,
    /// The EPR live, or being implemented, and the supplier as spelt in the return.
    epr: Option<(Epr, String)>,
    go_live: Option<Date>,
    contract_expiry: Option<Date>,
    target: Option<Target>,
    emram: Option<u32>,
    group: Option<u32>,
}

struct SystemRow {
    ods: String,
    supplier: String,
    product: Option<&'static str>,
    scope: &'static str,
    go_live: Option<Date>,
}

struct FundingLine {
    /// Blank for an ICS-wide line.
    ods: Option<String>,
    item: String,
    /// Amounts in tenths of £1m, so that sums are exact.
    total: u32,
    national: u32,
    local: u32,
    fiscal_year: String,
}

struct IcsReturn {
    code: &'static str,
    name: &'static str,
    region: &'static str,
    layout: Layout,
    submitted: Date,
    providers: Vec<Provider>,
    systems: Vec<SystemRow>,
    funding: Vec<FundingLine>,
    hidden_lookups: bool,
}

impl IcsReturn {
    fn file_name(&self) -> String {
        let mut slug = String::new();
        for c in self.name.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('_') {
                slug.push('_');
            }
        }
        format!(
            "{}_{}.xlsx",
            self.code.to_lowercase(),
            slug.trim_matches('_')
        )
    }
}

/// Hands out invented place names, each used once nationally.
#[derive(Default)]
struct PlaceNames {
    used: BTreeSet<String>,
}

impl PlaceNames {
    const STEMS: [&'static str; 30] = [
        "Alder", "Ash", "Bram", "Brook", "Cale", "Copper", "Dun", "Elm", "Fern", "Glen", "Hart",
        "Haw", "Holly", "Ivy", "King", "Lark", "Lin", "Mill", "Moor", "Nor", "Oak", "Pen", "Rush",
        "Stan", "Thorn", "Wen", "Willow", "Wood", "Yar", "Yew",
    ];
    const ENDINGS: [&'static str; 14] = [
        "bridge", "bury", "by", "combe", "dale", "field", "ford", "gate", "ham", "ley", "mouth",
        "stead", "ton", "wick",
    ];

    fn next(&mut self, rng: &mut Rng) -> String {
        loop {
            let name = format!("{}{}", rng.pick(&Self::STEMS), rng.pick(&Self::ENDINGS));
            if self.used.insert(name.clone()) {
                return name;
            }
        }
    }
}

fn provider_name(sector: Sector, places: &mut PlaceNames, rng: &mut Rng) -> String {
    let place = places.next(rng);
    let name = match sector {
        Sector::Acute => match rng.below(4) {
            0 => format!("{place} Hospitals NHS Foundation Trust"),
            1 => format!("{place} University Hospitals NHS Trust"),
            2 => format!(
                "{place} and {} Hospitals NHS Foundation Trust",
                places.next(rng)
            ),
            _ => format!("{place} Healthcare NHS Trust"),
        },
        Sector::MentalHealth => match rng.below(2) {
            0 => format!("{place} Mental Health NHS Foundation Trust"),
            _ => format!("{place} Mental Health Partnership NHS Trust"),
        },
        Sector::MentalHealthAndCommunity => match rng.below(2) {
            0 => format!("{place} Partnership NHS Foundation Trust"),
            _ => format!("{place} Health and Care NHS Foundation Trust"),
        },
        Sector::Community => format!("{place} Community Healthcare NHS Trust"),
        Sector::Ambulance => format!("{place} Ambulance Service NHS Trust"),
        Sector::GpPractice => format!("{place} Medical Centre"),
        Sector::CareHome => format!("{place} Lodge Care Home"),
    };
    format!("{name} (synthetic)")
}

/// Lists the sectors of an ICS's NHS trusts: about 60% acute, then mental health and
/// community trusts, then the region's ambulance trust if the ICS hosts it.
fn trust_sectors(code: &str, trusts: usize, rng: &mut Rng) -> Vec<Sector> {
    let hosts_ambulance = AMBULANCE_HOSTS.contains(&code);
    let others = trusts - usize::from(hosts_ambulance);
    let acute = (others * 3).div_ceil(5).max(1);
    let mut sectors: Vec<Sector> = (0..others)
        .map(|j| match j.checked_sub(acute) {
            None => Sector::Acute,
            Some(0) if rng.chance(50) => Sector::MentalHealth,
            Some(0) => Sector::MentalHealthAndCommunity,
            Some(1) if rng.chance(50) => Sector::Community,
            Some(1) => Sector::MentalHealth,
            Some(_) => Sector::Community,
        })
        .collect();
    if hosts_ambulance {
        sectors.push(Sector::Ambulance);
    }
    sectors
}

fn emram_for(sector: Sector, status: Status, rng: &mut Rng) -> Option<u32> {
    let blank_percent = if sector == Sector::Acute { 10 } else { 25 };
    if rng.chance(blank_percent) {
        return None;
    }
    Some(match (status, sector) {
        (Status::Live, Sector::Acute) => rng.weighted(&[
            (0, 3),
            (1, 8),
            (2, 20),
            (3, 12),
            (4, 8),
            (5, 22),
            (6, 17),
            (7, 10),
        ]),
        (Status::Live, _) => rng.weighted(&[(0, 10), (1, 20), (2, 30), (3, 20), (4, 10), (5, 10)]),
        (Status::Implementing, _) => rng.between(0, 1),
        _ => 0,
    })
}

fn group_for(status: Status, rng: &mut Rng) -> Option<u32> {
    if rng.chance(12) {
        return None;
    }
    Some(match status {
        Status::Live => rng.weighted(&[(1, 30), (2, 40), (3, 30)]),
        _ => 0,
    })
}

/// A core EPR for a sector, never an in-house one (for new procurements).
fn bought_epr(sector: Sector, avoid: Option<Epr>, rng: &mut Rng) -> Epr {
    loop {
        let epr = rng.weighted(sector.epr_mix());
        if epr != Epr::InHouse && Some(epr) != avoid {
            return epr;
        }
    }
}

fn target_go_live(rng: &mut Rng) -> Option<Date> {
    (!rng.chance(15)).then(|| Date::random(rng, (2027, 4), (2030, 3)))
}

fn build_return(index: usize, places: &mut PlaceNames) -> Result<IcsReturn> {
    let (code, name, region, trust_count) = ICSS[index];
    let mut rng = Rng(code_seed(code));
    let layout = match index % 3 {
        0 => Layout::Canonical,
        1 => Layout::TitledMerged,
        _ => Layout::Tracker,
    };

    // Sectors and statuses.
    let mut sectors = trust_sectors(code, trust_count, &mut rng);
    let mut statuses = vec![Status::Live; sectors.len()];
    let not_live = NOT_LIVE
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(&[][..], |(_, s)| *s);
    let mut candidates: Vec<usize> = (0..sectors.len())
        .filter(|&j| sectors[j] != Sector::Ambulance)
        .collect();
    for &status in not_live {
        if layout == Layout::Tracker && status == Status::NoEpr {
            return Err(format!("{code}: the tracker layout has no plain 'none' status").into());
        }
        let slot = candidates.remove(rng.below(candidates.len()));
        statuses[slot] = status;
    }
    if let Some((_, kinds)) = NON_TRUSTS.iter().find(|(c, _)| *c == code) {
        for &sector in kinds.iter() {
            sectors.push(sector);
            statuses.push(
                if sector == Sector::CareHome && layout == Layout::Canonical {
                    Status::NoEpr
                } else {
                    Status::Live
                },
            );
        }
    }

    let acute_target = ACUTE_CONVERGENCE
        .iter()
        .find(|(c, _)| *c == code)
        .map(|&(_, epr)| epr);
    let community_target = COMMUNITY_CONVERGENCE
        .contains(&code)
        .then_some(Epr::TppSystmOne);

    let mut providers = Vec::new();
    let mut anchor_on_target = false;
    let (mut trust_number, mut gp_number, mut care_number) = (0, 0, 0);
    for (&sector, &status) in sectors.iter().zip(&statuses) {
        let ods = match sector {
            Sector::GpPractice => {
                gp_number += 1;
                format!("{code}P{gp_number}")
            }
            Sector::CareHome => {
                care_number += 1;
                format!("{code}C{care_number}")
            }
            _ => {
                trust_number += 1;
                format!("{code}{trust_number:02}")
            }
        };
        let name = provider_name(sector, places, &mut rng);
        let band = rng.pick(&[SizeBand::Small, SizeBand::Medium, SizeBand::Large]);
        let plan = match sector {
            Sector::Acute => acute_target,
            s if s.is_mental_health_or_community() => community_target,
            _ => None,
        };

        // The EPR live or being implemented.
        let epr = if status.has_epr() {
            let epr = match plan {
                // Trusts implementing now, and one live "anchor" trust, are on the
                // ICS's chosen EPR already.
                Some(t) if status == Status::Implementing => t,
                Some(t) if sector == Sector::Acute && !anchor_on_target => {
                    anchor_on_target = true;
                    t
                }
                _ if status == Status::Implementing => bought_epr(sector, None, &mut rng),
                _ => rng.weighted(sector.epr_mix()),
            };
            Some(epr)
        } else {
            None
        };

        let go_live = match status {
            Status::Live if rng.chance(6) => None,
            Status::Live if rng.chance(15) => Some(Date::random(&mut rng, (2024, 1), (2026, 8))),
            Status::Live => Some(Date::random(&mut rng, (2006, 1), (2023, 12))),
            Status::Implementing => Some(Date::random(&mut rng, (2026, 12), (2028, 3))),
            _ => None,
        };
        let contract_expiry = match (status, go_live) {
            (Status::Live, Some(live)) if !rng.chance(10) => {
                let year =
                    (live.year + rng.between(7, 12) as u16).max(2027 + rng.between(0, 4) as u16);
                Some(if rng.chance(60) {
                    Date::new(year, 3, 31)
                } else {
                    Date::end_of_month(year, rng.between(1, 12) as u8)
                })
            }
            (Status::Implementing, Some(live)) => Some(Date::new(live.year + 10, 3, 31)),
            _ => None,
        };

        // Convergence and replacement plans.
        let target_epr = match plan {
            Some(t) if epr != Some(t) && status != Status::Implementing && sector.is_trust() => {
                Some(t)
            }
            _ if status == Status::AwaitingContracts => Some(bought_epr(sector, None, &mut rng)),
            None if status == Status::Live && sector.is_trust() && rng.chance(8) => {
                Some(bought_epr(sector, epr, &mut rng))
            }
            _ => None,
        };
        let target = target_epr.map(|t| Target {
            epr: t,
            converging: plan == Some(t),
            supplier: t.spelling(&mut rng),
            go_live: target_go_live(&mut rng),
        });

        let (emram, group) = if sector.is_trust() {
            (
                emram_for(sector, status, &mut rng),
                group_for(status, &mut rng),
            )
        } else {
            (None, None)
        };
        providers.push(Provider {
            ods,
            name,
            sector,
            band,
            status,
            epr: epr.map(|e| (e, e.spelling(&mut rng))),
            go_live,
            contract_expiry,
            target,
            emram,
            group,
        });
    }

    let systems = build_systems(&providers, layout, &mut rng);
    let funding = build_funding(&providers, acute_target, &mut rng);
    let submitted = Date::new(2026, 10, 1).plus_days(((index * 29 + 3) % 56) as u32);
    Ok(IcsReturn {
        code,
        name,
        region,
        layout,
        submitted,
        providers,
        systems,
        funding,
        hidden_lookups: HIDDEN_LOOKUPS.contains(&code),
    })
}

/// One to four systems per NHS trust: its core EPR (or a legacy PAS), sometimes a
/// separate PAS, and departmental systems.
fn build_systems(providers: &[Provider], layout: Layout, rng: &mut Rng) -> Vec<SystemRow> {
    const DEPARTMENTS: [(&str, [Epr; 4]); 4] = [
        (
            "Maternity",
            [
                Epr::Nervecentre,
                Epr::SystemCCareFlow,
                Epr::OracleMillennium,
                Epr::Nervecentre,
            ],
        ),
        (
            "ED",
            [
                Epr::Nervecentre,
                Epr::Alcidion,
                Epr::OracleMillennium,
                Epr::Cambio,
            ],
        ),
        (
            "ePMA",
            [
                Epr::Nervecentre,
                Epr::Alcidion,
                Epr::OracleMillennium,
                Epr::AlteraSunrise,
            ],
        ),
        (
            "Theatres",
            [
                Epr::ImsMaxims,
                Epr::Fortrus,
                Epr::OracleMillennium,
                Epr::Cambio,
            ],
        ),
    ];
    let mut rows = Vec::new();
    for p in providers.iter().filter(|p| p.sector.is_trust()) {
        let mut own = Vec::new();
        let core = p.epr.as_ref().map(|(e, _)| *e);
        match core {
            Some(epr) => own.push(SystemRow {
                ods: p.ods.clone(),
                supplier: epr.spelling(rng),
                // The tracker layout records no product, so its core EPR row carries
                // none either (a product here would read as a second EPR).
                product: if layout == Layout::Tracker {
                    None
                } else {
                    epr.product()
                },
                scope: "Core EPR",
                go_live: p.go_live,
            }),
            None => {
                let pas = rng.pick(&[Epr::SystemCMedway, Epr::InterSystemsTrakCare]);
                own.push(SystemRow {
                    ods: p.ods.clone(),
                    supplier: pas.spelling(rng),
                    product: pas.product(),
                    scope: "PAS",
                    go_live: Some(Date::random(rng, (2004, 1), (2015, 12))),
                });
            }
        }
        if core.is_some_and(Epr::needs_separate_pas) && rng.chance(50) {
            let pas = rng.pick(&[Epr::SystemCMedway, Epr::InterSystemsTrakCare]);
            own.push(SystemRow {
                ods: p.ods.clone(),
                supplier: pas.spelling(rng),
                product: pas.product(),
                scope: "PAS",
                go_live: Some(Date::random(rng, (2008, 1), (2019, 12))),
            });
        }
        let departments = match p.sector {
            Sector::Acute => rng.between(0, 2) as usize,
            Sector::MentalHealth | Sector::MentalHealthAndCommunity => usize::from(rng.chance(30)),
            _ => 0,
        };
        let first = rng.below(DEPARTMENTS.len());
        for k in 0..departments {
            let department = if p.sector == Sector::Acute {
                (first + k) % DEPARTMENTS.len()
            } else {
                2 // ePMA
            };
            let (scope, choices) = DEPARTMENTS[department];
            let epr = rng.pick(&choices);
            if Some(epr) == core || own.len() >= 4 {
                continue; // the core EPR covers it
            }
            own.push(SystemRow {
                ods: p.ods.clone(),
                supplier: epr.spelling(rng),
                product: epr.product(),
                scope,
                go_live: (!rng.chance(20)).then(|| Date::random(rng, (2012, 1), (2025, 12))),
            });
        }
        rows.extend(own);
    }
    rows
}

/// One to three funding lines: up to two for trusts with work under way, one ICS-wide.
fn build_funding(providers: &[Provider], plan: Option<Epr>, rng: &mut Rng) -> Vec<FundingLine> {
    let mut lines = Vec::new();
    let amounts = |rng: &mut Rng, lo: u32, hi: u32| {
        let total = rng.between(lo * 10, hi * 10);
        let national = total * rng.between(30, 70) / 100;
        let local = if rng.chance(40) {
            total - national // fully funded
        } else {
            (total - national) * rng.between(20, 80) / 100
        };
        (total, national, local)
    };
    let fiscal_year = |rng: &mut Rng| {
        let start = rng.between(2024, 2027);
        format!("{start}/{:02}", (start + 1) % 100)
    };
    let trusts = providers.iter().filter(|p| p.sector.is_trust());
    let mut work: Vec<&Provider> = trusts
        .clone()
        .filter(|p| p.status != Status::Live)
        .collect();
    if work.is_empty() {
        work.extend(trusts.filter(|p| p.target.is_some()).take(1));
    }
    for p in work.into_iter().take(2) {
        let (item, lo, hi) = match p.status {
            Status::Implementing => ("EPR implementation", 15, 60),
            Status::Procuring | Status::AwaitingContracts => ("EPR procurement", 8, 45),
            Status::Planning | Status::NoEpr => ("EPR business case and procurement", 2, 30),
            Status::Live => ("Second-generation EPR", 10, 50),
        };
        let (total, national, local) = amounts(rng, lo, hi);
        lines.push(FundingLine {
            ods: Some(p.ods.clone()),
            item: item.to_string(),
            total,
            national,
            local,
            fiscal_year: fiscal_year(rng),
        });
    }
    let (item, lo, hi) = match plan {
        Some(epr) => (
            format!(
                "ICS convergence onto a shared {} EPR",
                epr.canonical_supplier()
            ),
            20,
            60,
        ),
        None => ("Shared care record and EPR optimisation".to_string(), 2, 15),
    };
    let (total, national, local) = amounts(rng, lo, hi);
    lines.push(FundingLine {
        ods: None,
        item,
        total,
        national,
        local,
        fiscal_year: fiscal_year(rng),
    });
    lines
}

// ---------------------------------------------------------------------------------------
// Writing the workbook
// ---------------------------------------------------------------------------------------

struct Styles {
    title: Format,
    note: Format,
    header: Format,
    group: Format,
    label: Format,
    date: Format,
    long_date: Format,
    money: Format,
}

impl Styles {
    fn new() -> Self {
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new().set_italic(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(0xDCE6F1)
                .set_border_bottom(FormatBorder::Thin),
            group: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(0xB8CCE4)
                .set_border(FormatBorder::Thin),
            label: Format::new().set_bold(),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            long_date: Format::new()
                .set_num_format("d mmmm yyyy")
                .set_align(FormatAlign::Left),
            money: Format::new().set_num_format("0.0"),
        }
    }
}

fn write_text(ws: &mut Worksheet, row: u32, col: u16, text: Option<&str>) -> Result<()> {
    if let Some(text) = text {
        ws.write_string(row, col, text)?;
    }
    Ok(())
}

fn write_date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    date: Option<Date>,
    fmt: &Format,
) -> Result<()> {
    if let Some(date) = date {
        ws.write_date_with_format(row, col, date.to_excel()?, fmt)?;
    }
    Ok(())
}

fn write_number(ws: &mut Worksheet, row: u32, col: u16, value: Option<u32>) -> Result<()> {
    if let Some(value) = value {
        ws.write_number(row, col, value)?;
    }
    Ok(())
}

fn write_headers(
    ws: &mut Worksheet,
    row: u32,
    headers: &[&str],
    widths: &[f64],
    style: &Format,
) -> Result<()> {
    for (col, (header, width)) in headers.iter().zip(widths).enumerate() {
        ws.write_string_with_format(row, col as u16, *header, style)?;
        ws.set_column_width(col as u16, *width)?;
    }
    Ok(())
}

fn cover_sheet(ics: &IcsReturn, styles: &Styles) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name("Cover")?;
    ws.write_string_with_format(0, 0, TITLE, &styles.title)?;
    let fields = [
        ("ICS name", ics.name.to_string()),
        ("ICB code", ics.code.to_string()),
        (
            "Region",
            region_name(ics.region).unwrap_or(ics.region).to_string(),
        ),
        ("Submitted", String::new()),
        (
            "Contact",
            format!("epr.returns.{}@example.nhs.uk", ics.code.to_lowercase()),
        ),
    ];
    for (offset, (label, value)) in fields.iter().enumerate() {
        let row = 2 + offset as u32;
        ws.write_string_with_format(row, 0, *label, &styles.label)?;
        if *label == "Submitted" {
            write_date(&mut ws, row, 1, Some(ics.submitted), &styles.long_date)?;
        } else {
            ws.write_string(row, 1, value)?;
        }
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 52)?;
    Ok(ws)
}

/// Layout A: canonical headers in row 1, Excel date cells.
fn providers_canonical(ics: &IcsReturn, styles: &Styles, ws: &mut Worksheet) -> Result<()> {
    const HEADERS: [&str; 15] = [
        "ODS code",
        "Organisation name",
        "Sector",
        "ICB code",
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
    ];
    const WIDTHS: [f64; 15] = [
        10.0, 58.0, 26.0, 9.0, 24.0, 14.0, 30.0, 12.0, 12.0, 12.0, 26.0, 12.0, 12.0, 9.0, 8.0,
    ];
    write_headers(ws, 0, &HEADERS, &WIDTHS, &styles.header)?;
    ws.set_freeze_panes(1, 0)?;
    for (i, p) in ics.providers.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &p.ods)?;
        ws.write_string(row, 1, &p.name)?;
        ws.write_string(row, 2, p.sector.plain_label())?;
        ws.write_string(row, 3, ics.code)?;
        ws.write_string(row, 4, region_name(ics.region).unwrap_or(ics.region))?;
        ws.write_string(row, 5, p.status.plain_word())?;
        write_text(ws, row, 6, p.epr.as_ref().map(|(_, s)| s.as_str()))?;
        write_text(ws, row, 7, p.epr.as_ref().and_then(|(e, _)| e.product()))?;
        write_date(ws, row, 8, p.go_live, &styles.date)?;
        write_date(ws, row, 9, p.contract_expiry, &styles.date)?;
        if let Some(t) = &p.target {
            ws.write_string(row, 10, &t.supplier)?;
            write_text(ws, row, 11, t.epr.product())?;
            write_date(ws, row, 12, t.go_live, &styles.date)?;
        }
        write_number(ws, row, 13, p.emram)?;
        write_number(ws, row, 14, p.group)?;
    }
    Ok(())
}

/// Layout B: title, instruction and blank rows, merged group labels, synonym headers,
/// and dates, stages and groups as text.
fn providers_titled(
    ics: &IcsReturn,
    styles: &Styles,
    ws: &mut Worksheet,
    rng: &mut Rng,
) -> Result<()> {
    const HEADERS: [&str; 13] = [
        "Trust code",
        "Trust name",
        "Provider type",
        "Status",
        "Current supplier",
        "EPR product",
        "Go live",
        "Contract end date",
        "Planned supplier",
        "Planned product",
        "Planned go-live",
        "HIMSS EMRAM stage",
        "Digitisation group",
    ];
    const WIDTHS: [f64; 13] = [
        10.0, 58.0, 26.0, 14.0, 30.0, 12.0, 14.0, 14.0, 26.0, 12.0, 14.0, 10.0, 11.0,
    ];
    ws.write_string_with_format(
        0,
        0,
        format!("{}: provider EPR position (SYNTHETIC)", ics.name),
        &styles.title,
    )?;
    ws.write_string_with_format(
        1,
        0,
        "One row per provider. Dates may be a date, a month or an NHS financial quarter/year; write TBC if not known.",
        &styles.note,
    )?;
    for (first, last, label) in [
        (0, 2, "Organisation"),
        (3, 7, "Current EPR"),
        (8, 10, "Convergence plan"),
        (11, 12, "Maturity"),
    ] {
        ws.merge_range(3, first, 3, last, label, &styles.group)?;
    }
    write_headers(ws, 4, &HEADERS, &WIDTHS, &styles.header)?;
    ws.set_freeze_panes(5, 0)?;
    // A date as text; `latest` bounds what a month, quarter or year form may resolve to.
    let mut text_date = |ws: &mut Worksheet,
                         row: u32,
                         col: u16,
                         date: Option<Date>,
                         latest: Option<Date>,
                         tbc: bool| match date {
        Some(d) => ws
            .write_string(row, col, d.as_text(latest, rng))
            .map(|_| ()),
        None if tbc => ws.write_string(row, col, "TBC").map(|_| ()),
        None => Ok(()),
    };
    let mut labels = Rng(code_seed(ics.code) ^ 0x4c41_4245_4c53);
    for (i, p) in ics.providers.iter().enumerate() {
        let row = 5 + i as u32;
        let sector = match p.sector {
            Sector::Acute if labels.chance(50) => format!("Acute {}", p.band.label()),
            Sector::MentalHealthAndCommunity => "Mental Health & Community".to_string(),
            s => s.plain_label().to_string(),
        };
        ws.write_string(row, 0, &p.ods)?;
        ws.write_string(row, 1, &p.name)?;
        ws.write_string(row, 2, sector)?;
        ws.write_string(row, 3, p.status.plain_word())?;
        write_text(ws, row, 4, p.epr.as_ref().map(|(_, s)| s.as_str()))?;
        write_text(ws, row, 5, p.epr.as_ref().and_then(|(e, _)| e.product()))?;
        let go_live_latest = (p.status == Status::Live).then_some(ics.submitted);
        text_date(ws, row, 6, p.go_live, go_live_latest, false)?;
        text_date(ws, row, 7, p.contract_expiry, None, p.status.has_epr())?;
        match &p.target {
            Some(t) => {
                ws.write_string(row, 8, &t.supplier)?;
                write_text(ws, row, 9, t.epr.product())?;
                text_date(ws, row, 10, t.go_live, None, true)?;
            }
            None if !p.status.has_epr() && p.sector.is_trust() => {
                ws.write_string(row, 10, "TBC")?;
            }
            None => {}
        }
        match p.emram {
            Some(stage) if labels.chance(30) => {
                ws.write_string(row, 11, format!("Stage {stage}"))?;
            }
            stage => write_number(ws, row, 11, stage)?,
        }
        match p.group {
            Some(group) if labels.chance(30) => {
                ws.write_string(row, 12, format!("Group {group}"))?;
            }
            group => write_number(ws, row, 12, group)?,
        }
    }
    Ok(())
}

/// Layout C: NHS England's EPR tracker columns and status ladder.
fn providers_tracker(
    ics: &IcsReturn,
    styles: &Styles,
    ws: &mut Worksheet,
    rng: &mut Rng,
) -> Result<()> {
    const HEADERS: [&str; 11] = [
        "Organisation Code",
        "Organisation",
        "Trust Type (Primary)",
        "ICB",
        "Current EPR Status",
        "Supplier (Primary EPR)",
        "Contract Expiry (Primary EPR)",
        "Current Forecast Go-Live",
        "New Supplier Name",
        "Stage of Journey",
        "EMRAM",
    ];
    const WIDTHS: [f64; 11] = [
        13.0, 58.0, 30.0, 7.0, 40.0, 30.0, 14.0, 14.0, 26.0, 26.0, 8.0,
    ];
    write_headers(ws, 0, &HEADERS, &WIDTHS, &styles.header)?;
    ws.set_freeze_panes(1, 0)?;
    for (i, p) in ics.providers.iter().enumerate() {
        let row = 1 + i as u32;
        let trust_type = match p.sector {
            Sector::Acute => format!("Acute - {}", p.band.label()),
            Sector::MentalHealthAndCommunity => {
                "Mental Health and Community (Combined)".to_string()
            }
            s => s.plain_label().to_string(),
        };
        let status = match p.status {
            Status::Live if !p.sector.is_trust() => "1.3 Live",
            Status::Live if p.target.is_some() => "2.2 Live - procuring second generation EPR",
            Status::Live => rng.weighted(&[
                ("1.3 Live", 5),
                ("2.1 Live - optimising", 3),
                ("3.0 Meets Minimum Criteria", 2),
            ]),
            Status::Implementing => "1.2 Implementing",
            Status::Procuring => "1.1 Procuring - tender live",
            Status::AwaitingContracts => "1.2 Procured - Awaiting contracts",
            Status::Planning => "0.1 Planning - business case",
            Status::NoEpr => {
                return Err(format!("{}: no 'none' status in the tracker layout", p.ods).into())
            }
        };
        let journey = match (p.status, &p.target) {
            (Status::Live, Some(t)) if t.converging => "Converge - ICS shared EPR",
            (Status::Live, Some(_)) => "Replace - second generation EPR",
            (Status::Live, None) => "Optimise",
            (Status::Implementing, _) => "Implement",
            (Status::Procuring | Status::AwaitingContracts, _) => "Procure",
            (Status::Planning | Status::NoEpr, _) => "Business case",
        };
        ws.write_string(row, 0, &p.ods)?;
        ws.write_string(row, 1, &p.name)?;
        ws.write_string(row, 2, trust_type)?;
        ws.write_string(row, 3, ics.code)?;
        ws.write_string(row, 4, status)?;
        let supplier = p.epr.as_ref().map_or("No EPR", |(_, s)| s.as_str());
        ws.write_string(row, 5, supplier)?;
        write_date(ws, row, 6, p.contract_expiry, &styles.date)?;
        write_date(ws, row, 7, p.go_live, &styles.date)?;
        write_text(ws, row, 8, p.target.as_ref().map(|t| t.supplier.as_str()))?;
        if p.sector.is_trust() {
            ws.write_string(row, 9, journey)?;
        }
        write_number(ws, row, 10, p.emram)?;
    }
    Ok(())
}

fn systems_sheet(ics: &IcsReturn, styles: &Styles) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name("Systems")?;
    write_headers(
        &mut ws,
        0,
        &["ODS code", "Supplier", "Product", "Scope", "Go-live date"],
        &[10.0, 32.0, 14.0, 11.0, 12.0],
        &styles.header,
    )?;
    ws.set_freeze_panes(1, 0)?;
    for (i, s) in ics.systems.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &s.ods)?;
        ws.write_string(row, 1, &s.supplier)?;
        write_text(&mut ws, row, 2, s.product)?;
        ws.write_string(row, 3, s.scope)?;
        write_date(&mut ws, row, 4, s.go_live, &styles.date)?;
    }
    Ok(ws)
}

fn funding_sheet(ics: &IcsReturn, styles: &Styles) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name("Funding")?;
    ws.write_string_with_format(0, 0, "Funding (synthetic)", &styles.title)?;
    ws.merge_range(1, 2, 1, 4, "Funding (£m)", &styles.group)?;
    write_headers(
        &mut ws,
        2,
        &[
            "ODS code",
            "Item",
            "Total cost (£m)",
            "National funding (£m)",
            "Local funding (£m)",
            "Financial year",
        ],
        &[10.0, 44.0, 12.0, 12.0, 12.0, 11.0],
        &styles.header,
    )?;
    for (i, line) in ics.funding.iter().enumerate() {
        let row = 3 + i as u32;
        write_text(&mut ws, row, 0, line.ods.as_deref())?;
        ws.write_string(row, 1, &line.item)?;
        for (col, tenths) in [(2, line.total), (3, line.national), (4, line.local)] {
            ws.write_number_with_format(row, col, f64::from(tenths) / 10.0, &styles.money)?;
        }
        ws.write_string(row, 5, &line.fiscal_year)?;
    }
    Ok(ws)
}

/// A hidden sheet of drop-down lists: must be ignored, and is no table of the return.
fn lookups_sheet() -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name("Lookups")?;
    let lists: [&[&str]; 4] = [
        &["RAG", "Red", "Amber", "Green"],
        &["Yes/No", "Yes", "No"],
        &["Priority", "High", "Medium", "Low"],
        &[
            "Notes",
            "Drop-down values for the entry sheets; not part of the return.",
        ],
    ];
    for (col, list) in lists.iter().enumerate() {
        for (row, value) in list.iter().enumerate() {
            ws.write_string(row as u32, col as u16, *value)?;
        }
    }
    ws.set_hidden(true);
    Ok(ws)
}

fn write_workbook(ics: &IcsReturn, path: &Path) -> Result<()> {
    let styles = Styles::new();
    let mut rng = Rng(code_seed(ics.code) ^ 0x5752_4954_4552);
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 9, 30)?.and_hms(9, 0, 0)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("EPR landscape return: {} (SYNTHETIC)", ics.name))
            .set_author("eprscan examples/gen_examples.rs")
            .set_comment("Synthetic example data for eprscan; not real figures.")
            .set_creation_datetime(&created),
    );

    workbook.push_worksheet(cover_sheet(ics, &styles)?);
    let mut providers = Worksheet::new();
    providers.set_name("Providers")?;
    match ics.layout {
        Layout::Canonical => providers_canonical(ics, &styles, &mut providers)?,
        Layout::TitledMerged => providers_titled(ics, &styles, &mut providers, &mut rng)?,
        Layout::Tracker => providers_tracker(ics, &styles, &mut providers, &mut rng)?,
    }
    workbook.push_worksheet(providers);
    workbook.push_worksheet(systems_sheet(ics, &styles)?);
    workbook.push_worksheet(funding_sheet(ics, &styles)?);
    if ics.hidden_lookups {
        workbook.push_worksheet(lookups_sheet()?);
    }

    if path.exists() {
        fs::remove_file(path)?;
    }
    workbook.save(path)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------

/// Counts of canonical statuses over NHS trusts.
#[derive(Default)]
struct Tally {
    trusts: usize,
    others: usize,
    live: usize,
    implementing: usize,
    procuring: usize,
    planning: usize,
    none: usize,
}

impl Tally {
    fn add(&mut self, providers: &[Provider]) {
        for p in providers {
            if !p.sector.is_trust() {
                self.others += 1;
                continue;
            }
            self.trusts += 1;
            match p.status.canonical() {
                "live" => self.live += 1,
                "implementing" => self.implementing += 1,
                "procuring" => self.procuring += 1,
                "planning" => self.planning += 1,
                _ => self.none += 1,
            }
        }
    }
}

fn main() -> Result<()> {
    let out_dir = match std::env::args_os().nth(1) {
        Some(arg) if arg == "-h" || arg == "--help" => {
            println!("usage: gen_examples [OUT_DIR]   (default: {DEFAULT_OUT_DIR})");
            return Ok(());
        }
        Some(arg) => PathBuf::from(arg),
        None => PathBuf::from(DEFAULT_OUT_DIR),
    };
    fs::create_dir_all(&out_dir)?;

    let mut places = PlaceNames::default();
    let mut tally = Tally::default();
    let mut all = Vec::new();
    for index in 0..ICSS.len() {
        let ics = build_return(index, &mut places)?;
        let path = out_dir.join(ics.file_name());
        write_workbook(&ics, &path).map_err(|e| format!("{}: {e}", path.display()))?;
        tally.add(&ics.providers);
        all.push(ics);
    }
    // The monthly series goes next to the returns (`examples/snapshots`).
    if let Some(parent) = out_dir.parent() {
        write_snapshots(&mut all, &parent.join("snapshots"))?;
    }

    eprintln!(
        "gen_examples: wrote {} SYNTHETIC returns to {}: {} NHS trusts (+{} other providers); \
         live {} ({:.1}%), implementing {}, procuring {}, planning {}, none {}",
        ICSS.len(),
        out_dir.display(),
        tally.trusts,
        tally.others,
        tally.live,
        100.0 * tally.live as f64 / tally.trusts as f64,
        tally.implementing,
        tally.procuring,
        tally.planning,
        tally.none,
    );
    Ok(())
}

/// The months of the example series (`examples/snapshots/YYYY-MM/`).
const SNAPSHOT_MONTHS: [(u16, u8); 6] = [
    (2025, 10),
    (2025, 11),
    (2025, 12),
    (2026, 1),
    (2026, 2),
    (2026, 3),
];

/// A small SYNTHETIC series of monthly snapshots for `eprscan trend`: the ICSs with a
/// trust going live between October 2025 and March 2026, as each month's returns
/// would have said (a trust live now whose go-live is after a month's end was
/// implementing then; submitted on the month's last day). The first of them sends no return in
/// December, to show a missing return.
fn write_snapshots(all: &mut [IcsReturn], dir: &Path) -> Result<()> {
    let key = |d: Date| (d.year, d.month, d.day);
    let first = (2025, 10, 1);
    let last = key(Date::end_of_month(2026, 3));
    let chosen: Vec<usize> = (0..all.len())
        .filter(|&i| {
            all[i].providers.iter().any(|p| {
                p.status == Status::Live
                    && p.go_live.is_some_and(|d| key(d) >= first && key(d) <= last)
            })
        })
        .collect();
    for (year, month) in SNAPSHOT_MONTHS {
        let month_dir = dir.join(format!("{year:04}-{month:02}"));
        fs::create_dir_all(&month_dir)?;
        let end = key(Date::end_of_month(year, month));
        for (n, &i) in chosen.iter().enumerate() {
            if n == 0 && (year, month) == (2025, 12) {
                continue;
            }
            let ics = &mut all[i];
            let saved: Vec<Status> = ics.providers.iter().map(|p| p.status).collect();
            let submitted = ics.submitted;
            for p in &mut ics.providers {
                if p.status == Status::Live && p.go_live.is_some_and(|d| key(d) > end) {
                    p.status = Status::Implementing;
                }
            }
            ics.submitted = Date::end_of_month(year, month);
            let path = month_dir.join(ics.file_name());
            let written = write_workbook(ics, &path);
            for (p, status) in ics.providers.iter_mut().zip(saved) {
                p.status = status;
            }
            ics.submitted = submitted;
            written.map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    eprintln!(
        "gen_examples: wrote {} months of SYNTHETIC snapshots of {} ICSs to {}",
        SNAPSHOT_MONTHS.len(),
        chosen.len(),
        dir.display()
    );
    Ok(())
}
