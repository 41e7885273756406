//! The one place that knows the specification's vocabulary: the logical tables, their
//! fields and accepted header synonyms (SPEC 1.2–1.4), the sector, status and supplier
//! vocabularies (SPEC 1.5). The NHS geography (regions and ICBs) is data, in
//! [`crate::geography`].
//!
//! The vocabularies' parsers are here too, next to their words; reading tables that use
//! them lives in [`crate::normalise`].

use std::fmt;

/// A logical table a returned workbook may hold (SPEC 1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// One row per provider organisation; the only required table.
    Providers,
    /// One row per system in use at a provider.
    Systems,
    /// One row per funding line.
    Funding,
}

impl TableKind {
    /// Every table, in the order they are looked for.
    pub const ALL: [TableKind; 3] = [TableKind::Providers, TableKind::Systems, TableKind::Funding];

    /// Lower-case name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Providers => "providers",
            TableKind::Systems => "systems",
            TableKind::Funding => "funding",
        }
    }

    /// Sheet names (normalised with [`normalise_label`]) that identify this table.
    pub fn sheet_names(self) -> &'static [&'static str] {
        match self {
            TableKind::Providers => &[
                "providers",
                "provider",
                "trusts",
                "trust",
                "organisations",
                "organizations",
                "epr suppliers",
            ],
            TableKind::Systems => &["systems", "epr systems", "clinical systems"],
            TableKind::Funding => &["funding", "costs", "business case"],
        }
    }

    /// The fields this table has, in canonical column order.
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            TableKind::Providers => &[
                OdsCode,
                Name,
                Sector,
                IcsCode,
                IcsName,
                Region,
                Status,
                Supplier,
                Product,
                GoLive,
                ContractExpiry,
                TargetSupplier,
                TargetProduct,
                TargetGoLive,
                Journey,
                EmramStage,
                EprGroup,
            ],
            TableKind::Systems => &[OdsCode, Supplier, Product, Scope, GoLive, ContractExpiry],
            TableKind::Funding => &[
                OdsCode,
                Item,
                TotalCost,
                NationalFunding,
                LocalFunding,
                StatedGap,
                FiscalYear,
            ],
        }
    }

    /// The header a blank questionnaire gives a field of this table (`eprscan
    /// template`): the field's first accepted header, except that a systems row is
    /// any system, not the primary EPR, so its supplier and contract expiry use the
    /// plain headers.
    pub fn canonical_header(self, field: Field) -> &'static str {
        match (self, field) {
            (TableKind::Systems, Field::Supplier) => "Supplier",
            (TableKind::Systems, Field::ContractExpiry) => "Contract expiry",
            _ => field.synonyms()[0],
        }
    }

    /// Fields that must be present for a header row to count as this table.
    pub fn required(self) -> &'static [Field] {
        match self {
            TableKind::Providers => &[Field::OdsCode, Field::Name],
            TableKind::Systems => &[Field::OdsCode, Field::Supplier],
            // "At least one money column", and a code or item column to anchor the
            // header row: checked in `normalise::header`.
            TableKind::Funding => &[],
        }
    }
}

/// A canonical field of one of the tables (SPEC 1.4). The snake_case name is the
/// column name in every machine-readable output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// ODS organisation code (the provider key).
    OdsCode,
    /// Organisation name.
    Name,
    /// Provider sector ([`Sector`]).
    Sector,
    /// ICB code of the provider's ICS.
    IcsCode,
    /// Name of the provider's ICS.
    IcsName,
    /// NHS England region.
    Region,
    /// EPR status ([`Status`]).
    Status,
    /// Supplier of the primary EPR.
    Supplier,
    /// Product of the primary EPR.
    Product,
    /// Go-live date of the primary EPR (or of a system).
    GoLive,
    /// Contract expiry date.
    ContractExpiry,
    /// Supplier of the EPR the provider is moving to.
    TargetSupplier,
    /// Product of the EPR the provider is moving to.
    TargetProduct,
    /// Planned go-live of the target EPR (the forecast).
    TargetGoLive,
    /// Convergence journey, as written.
    Journey,
    /// HIMSS EMRAM stage (0–7).
    EmramStage,
    /// NHS England EPR group (1–3).
    EprGroup,
    /// What a system is for ([`Scope`]).
    Scope,
    /// What a funding line funds.
    Item,
    /// Total cost of a funding line.
    TotalCost,
    /// National funding secured.
    NationalFunding,
    /// Local funding secured.
    LocalFunding,
    /// The funding gap as the return states it.
    StatedGap,
    /// Financial year of a funding line.
    FiscalYear,
}

impl Field {
    /// The snake_case name used in CSV/JSON and SQL.
    pub fn name(self) -> &'static str {
        use Field::*;
        match self {
            OdsCode => "ods_code",
            Name => "name",
            Sector => "sector",
            IcsCode => "ics_code",
            IcsName => "ics_name",
            Region => "region",
            Status => "status",
            Supplier => "supplier",
            Product => "product",
            GoLive => "go_live",
            ContractExpiry => "contract_expiry",
            TargetSupplier => "target_supplier",
            TargetProduct => "target_product",
            TargetGoLive => "target_go_live",
            Journey => "journey",
            EmramStage => "emram_stage",
            EprGroup => "epr_group",
            Scope => "scope",
            Item => "item",
            TotalCost => "total_cost",
            NationalFunding => "national_funding",
            LocalFunding => "local_funding",
            StatedGap => "stated_gap",
            FiscalYear => "fiscal_year",
        }
    }

    /// Accepted headers, most specific first, as written in SPEC 1.4. They are
    /// compared after [`normalise_label`], so case, punctuation and a trailing
    /// bracketed unit do not matter.
    pub fn synonyms(self) -> &'static [&'static str] {
        use Field::*;
        match self {
            OdsCode => &[
                "ODS code",
                "Organisation Code",
                "Organization code",
                "Org code",
                "Trust code",
                "Provider code",
                "Organisation ODS code",
                "Provider ODS code",
                "Trust ODS code",
                "ODS",
                // Only where no other header names a code (see normalise::header).
                "Code",
            ],
            Name => &[
                "Organisation name",
                "Organisation",
                "Organization name",
                "Organization",
                "Trust name",
                "Trust",
                "Provider name",
                "Provider",
                "Org name",
                "Provider organisation",
                "Name",
            ],
            Sector => &[
                "Trust Type (Primary)",
                "Trust Type",
                "Sector",
                "Provider type",
                "Care setting",
            ],
            IcsCode => &["ICB code", "ICS code", "ICB", "STP code"],
            IcsName => &["ICS name", "ICB name", "Integrated care system", "ICS"],
            Region => &["NHS region", "Region"],
            Status => &[
                "Current EPR Status",
                "EPR status",
                "Status",
                "Current status",
            ],
            Supplier => &[
                "Supplier (Primary EPR)",
                "EPR supplier",
                "Current supplier",
                "Supplier",
                "Current EPR",
                "Supplier name",
                "EPR supplier name",
            ],
            Product => &["EPR product", "Product", "EPR system", "System"],
            GoLive => &[
                "Go-live date",
                "Go live",
                "Live date",
                "Current Forecast Go-Live",
                "Forecast go-live",
            ],
            ContractExpiry => &[
                "Contract Expiry (Primary EPR)",
                "Contract end date",
                "Contract expiry",
            ],
            TargetSupplier => &[
                "New Supplier Name",
                "Target supplier",
                "Planned supplier",
                "Converged supplier",
            ],
            TargetProduct => &["Target product", "Planned product", "Target EPR"],
            TargetGoLive => &["Target go-live", "Planned go-live", "Convergence date"],
            Journey => &["Stage of Journey", "Convergence approach", "Approach"],
            EmramStage => &[
                "EMRAM stage",
                "HIMSS EMRAM stage",
                "EMRAM",
                "Digital maturity (EMRAM)",
            ],
            EprGroup => &["EPR Group", "Digitisation group", "Group"],
            Scope => &["Scope", "System scope", "Module"],
            Item => &["Item", "Description", "Scheme"],
            TotalCost => &["Total cost", "Cost", "Whole life cost"],
            NationalFunding => &[
                "National funding",
                "National",
                "DHSC funding",
                "NHSE funding",
                "Central funding",
            ],
            LocalFunding => &[
                "Local funding",
                "Local",
                "Trust funding",
                "ICS funding",
                "Local contribution",
            ],
            StatedGap => &["Funding gap", "Gap", "Shortfall"],
            FiscalYear => &["Financial year", "FY"],
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Labels of the `ics` cover sheet (SPEC 1.4): label in one column, value in the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverField {
    /// ICS name.
    IcsName,
    /// ICB code.
    IcsCode,
    /// NHS England region.
    Region,
    /// Date the return was submitted.
    Submitted,
    /// Who to contact about the return.
    Contact,
}

impl CoverField {
    /// Every cover field, in sheet order.
    pub const ALL: [CoverField; 5] = [
        CoverField::IcsName,
        CoverField::IcsCode,
        CoverField::Region,
        CoverField::Submitted,
        CoverField::Contact,
    ];

    /// Accepted labels, compared after [`normalise_label`].
    pub fn labels(self) -> &'static [&'static str] {
        match self {
            CoverField::IcsName => &["ICS name", "ICS", "ICB name", "Integrated care system"],
            CoverField::IcsCode => &["ICB code", "ICS code", "ICB"],
            CoverField::Region => &["Region", "NHS region"],
            CoverField::Submitted => &["Submitted", "Date submitted", "Submission date"],
            CoverField::Contact => &["Contact", "Contact name", "Contact email"],
        }
    }
}

/// Sheet names (normalised) of the cover sheet.
pub const COVER_SHEET_NAMES: &[&str] = &["ics", "cover", "summary", "cover sheet", "ics details"];

/// What a sheet's name says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetRole {
    /// One of the tables.
    Table(TableKind),
    /// The `ics` cover sheet.
    Cover,
}

/// The role a sheet's name gives it ("EPR Suppliers" → providers), if any.
pub fn sheet_role(sheet_name: &str) -> Option<SheetRole> {
    let name = normalise_label(sheet_name).0;
    if COVER_SHEET_NAMES.contains(&name.as_str()) {
        return Some(SheetRole::Cover);
    }
    TableKind::ALL
        .into_iter()
        .find(|k| k.sheet_names().contains(&name.as_str()))
        .map(SheetRole::Table)
}

/// Rows scanned for a header row when a table is found by content (SPEC 1.2).
pub const HEADER_SCAN_ROWS: usize = 30;

/// Normalise a header, sheet name or label for matching (SPEC 1.3): lower case,
/// non-breaking spaces and punctuation become spaces, whitespace folded, and a trailing
/// bracketed unit removed. Returns the text and the unit, if any (e.g. `£m`).
pub fn normalise_label(raw: &str) -> (String, Option<String>) {
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace());
    let (body, unit) = match (trimmed.rfind('('), trimmed.ends_with(')')) {
        (Some(open), true) if open > 0 => {
            let unit = trimmed[open + 1..trimmed.len() - 1].trim().to_string();
            (&trimmed[..open], Some(unit))
        }
        _ => (trimmed, None),
    };
    let mut out = String::with_capacity(body.len());
    for word in body
        .split(|c: char| !c.is_alphanumeric() && c != '£')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        // Every supplier, scope and sector cell comes through here: ASCII words
        // (nearly all) are lower-cased in place, without a char-by-char rebuild.
        if word.is_ascii() {
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    (out, unit.filter(|u| !u.is_empty()))
}

/// Provider sector (SPEC 1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sector {
    /// Acute trust.
    Acute,
    /// Mental health trust.
    MentalHealth,
    /// Community trust.
    Community,
    /// Combined mental health and community trust.
    MentalHealthAndCommunity,
    /// Ambulance trust.
    Ambulance,
    /// Primary care (not an NHS trust).
    PrimaryCare,
    /// Social care (not an NHS trust).
    SocialCare,
    /// Any other provider (not an NHS trust).
    Other,
}

impl Sector {
    /// Every sector, in the spec's order.
    pub const ALL: [Sector; 8] = [
        Sector::Acute,
        Sector::MentalHealth,
        Sector::Community,
        Sector::MentalHealthAndCommunity,
        Sector::Ambulance,
        Sector::PrimaryCare,
        Sector::SocialCare,
        Sector::Other,
    ];

    /// The canonical word.
    pub fn name(self) -> &'static str {
        match self {
            Sector::Acute => "acute",
            Sector::MentalHealth => "mental health",
            Sector::Community => "community",
            Sector::MentalHealthAndCommunity => "mental health and community",
            Sector::Ambulance => "ambulance",
            Sector::PrimaryCare => "primary care",
            Sector::SocialCare => "social care",
            Sector::Other => "other",
        }
    }

    /// An NHS trust is a provider in one of the first five sectors.
    pub fn is_nhs_trust(self) -> bool {
        !matches!(
            self,
            Sector::PrimaryCare | Sector::SocialCare | Sector::Other
        )
    }

    /// Recognise a sector as written in a return, including NHS England's trust types
    /// and size bands. `None` for anything unrecognised.
    pub fn parse(text: &str) -> Option<Sector> {
        let (norm, _) = normalise_label(&text.replace('&', " and "));
        let norm = norm.strip_suffix(" combined").unwrap_or(&norm).to_string();
        let s = norm.as_str();
        let sector = if s.starts_with("acute") {
            Sector::Acute
        } else if s.starts_with("mental health and community")
            || s.starts_with("community and mental health")
        {
            Sector::MentalHealthAndCommunity
        } else if s.starts_with("mental health") {
            Sector::MentalHealth
        } else if s.starts_with("community") {
            // "Community & Ambulance" is counted as community (SPEC 1.5).
            Sector::Community
        } else if s.starts_with("ambulance") {
            Sector::Ambulance
        } else if matches!(
            s,
            "primary care" | "gp practice" | "gp" | "general practice" | "gp practices"
        ) {
            Sector::PrimaryCare
        } else if matches!(
            s,
            "social care" | "care home" | "domiciliary care" | "care homes" | "adult social care"
        ) {
            Sector::SocialCare
        } else if s == "other" {
            Sector::Other
        } else {
            return None;
        };
        Some(sector)
    }
}

/// EPR status (SPEC 1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// An EPR is live.
    Live,
    /// An EPR is being implemented.
    Implementing,
    /// An EPR is being procured.
    Procuring,
    /// An EPR is planned (business case).
    Planning,
    /// No EPR and no plan.
    None,
}

impl Status {
    /// Every status, from live to none.
    pub const ALL: [Status; 5] = [
        Status::Live,
        Status::Implementing,
        Status::Procuring,
        Status::Planning,
        Status::None,
    ];

    /// The canonical word.
    pub fn name(self) -> &'static str {
        match self {
            Status::Live => "live",
            Status::Implementing => "implementing",
            Status::Procuring => "procuring",
            Status::Planning => "planning",
            Status::None => "none",
        }
    }

    /// Recognise a status: plain words or NHS England's numbered ladder.
    pub fn parse(text: &str) -> Option<Status> {
        Self::parse_with_rung(text).map(|(status, _)| status)
    }

    /// Recognise a status, and the ladder rung it was written as (`None` for plain
    /// words): a `2.x` rung changes what the row's go-live date means (see [`Rung`]).
    pub fn parse_with_rung(text: &str) -> Option<(Status, Option<Rung>)> {
        let (norm, _) = normalise_label(text);
        let trimmed = text.trim();
        if let Some(found) = Self::parse_ladder(trimmed, &norm) {
            return Some(found);
        }
        let status = match norm.as_str() {
            "live" | "go live" | "gone live" | "in use" | "yes" => Status::Live,
            "implementing" | "implementation" | "in implementation" | "deploying" => {
                Status::Implementing
            }
            "procuring" | "procurement" | "in procurement" | "procured" => Status::Procuring,
            "business case" | "planning" | "planned" | "pre procurement" | "options appraisal" => {
                Status::Planning
            }
            "none" | "no" | "no epr" | "not started" => Status::None,
            _ => return Option::None,
        };
        Some((status, Option::None))
    }

    /// NHS England's ladder: `0.x` planning; `1.1` and `1.2 Procured` procuring;
    /// `1.2 Implementing` implementing; `1.3`, every `2.x` and `3.x` live.
    fn parse_ladder(trimmed: &str, norm: &str) -> Option<(Status, Option<Rung>)> {
        let mut chars = trimmed.chars();
        let major = chars.next()?.to_digit(10)?;
        if chars.next()? != '.' {
            return Option::None;
        }
        let minor = chars.next()?.to_digit(10)?;
        let status = match (major, minor) {
            (0, _) => Status::Planning,
            (1, 1) => Status::Procuring,
            (1, 2) if norm.contains("procured") => Status::Procuring,
            (1, 2) => Status::Implementing,
            (1, 3) | (2, _) | (3, _) => Status::Live,
            _ => return Option::None,
        };
        // Both digits are below 10, so they fit a byte.
        let rung = Rung {
            major: major as u8,
            minor: minor as u8,
        };
        Some((status, Some(rung)))
    }
}

/// A rung of NHS England's EPR ladder, as a status was written (`2.2 Live – procuring
/// second generation EPR` is major 2, minor 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rung {
    /// `0` planning, `1` first EPR, `2` live and replacing it, `3` meets minimum criteria.
    pub major: u8,
    /// The step within the major rung.
    pub minor: u8,
}

impl Rung {
    /// A `2.x` rung: live with a first EPR while the next one is procured or
    /// implemented. The tracker's "Current Forecast Go-Live" on such a row is the next
    /// EPR's date, not the date the trust went live.
    pub fn is_next_generation(self) -> bool {
        self.major == 2
    }
}

impl fmt::Display for Rung {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// What a system in the `systems` table is for (SPEC 1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// The core EPR.
    CoreEpr,
    /// Patient administration system.
    Pas,
    /// Maternity system.
    Maternity,
    /// Emergency department system.
    Ed,
    /// Theatres system.
    Theatres,
    /// Electronic prescribing and medicines administration.
    Epma,
    /// Community system.
    Community,
    /// Mental health system.
    MentalHealth,
    /// Anything else.
    Other,
}

impl Scope {
    /// Every scope, in the spec's order.
    pub const ALL: [Scope; 9] = [
        Scope::CoreEpr,
        Scope::Pas,
        Scope::Maternity,
        Scope::Ed,
        Scope::Theatres,
        Scope::Epma,
        Scope::Community,
        Scope::MentalHealth,
        Scope::Other,
    ];

    /// The canonical words.
    pub fn name(self) -> &'static str {
        match self {
            Scope::CoreEpr => "Core EPR",
            Scope::Pas => "PAS",
            Scope::Maternity => "Maternity",
            Scope::Ed => "ED",
            Scope::Theatres => "Theatres",
            Scope::Epma => "ePMA",
            Scope::Community => "Community",
            Scope::MentalHealth => "Mental health",
            Scope::Other => "Other",
        }
    }

    /// Recognise a scope as written; `None` for anything unrecognised.
    pub fn parse(text: &str) -> Option<Scope> {
        let (norm, _) = normalise_label(&text.replace('&', " and "));
        Some(match norm.as_str() {
            "core epr" | "core" | "epr" | "core clinical" | "primary epr" => Scope::CoreEpr,
            "pas" | "patient administration" | "patient administration system" => Scope::Pas,
            "maternity" => Scope::Maternity,
            "ed" | "a and e" | "ae" | "emergency department" | "emergency" => Scope::Ed,
            "theatres" | "theatre" => Scope::Theatres,
            "epma" | "e pma" | "eprescribing" | "e prescribing" => Scope::Epma,
            "community" => Scope::Community,
            "mental health" => Scope::MentalHealth,
            "other" => Scope::Other,
            _ => return None,
        })
    }

    /// Whether convergence counts a system of this scope by default (SPEC 3: Core
    /// EPR, PAS or blank).
    pub fn is_core(scope: Option<Scope>) -> bool {
        matches!(scope, None | Some(Scope::CoreEpr) | Some(Scope::Pas))
    }
}

/// The canonical name of an in-house EPR: each provider's is a different EPR.
pub const IN_HOUSE: &str = "In-house";

/// Built-in supplier aliases (SPEC 1.5): canonical name, aliases, known products.
pub const SUPPLIERS: &[(&str, &[&str], &[&str])] = &[
    (
        "Oracle Health",
        &[
            "Cerner",
            "Cerner Corporation",
            "Oracle Cerner",
            "Oracle Cerner Corporation",
            "Oracle",
        ],
        &["Millennium"],
    ),
    ("Epic", &["Epic Systems Corporation", "Epic Systems"], &[]),
    (
        "Altera Digital Health",
        &["Allscripts", "Altera"],
        &["Sunrise"],
    ),
    (
        "Dedalus",
        &[
            "Dedalus Healthcare Ltd",
            "Dedalus Healthcare",
            "DXC",
            "DXC Technology",
            "CSC",
            "iSoft",
        ],
        &["Lorenzo"],
    ),
    (
        "System C",
        &["System C Healthcare Ltd", "System C Healthcare"],
        &["Medway", "CareFlow"],
    ),
    (
        "The Access Group",
        &["Access", "Access Group", "Servelec", "CSE Servelec"],
        &["RiO"],
    ),
    ("TPP", &["The Phoenix Partnership"], &["SystmOne"]),
    ("EMIS", &["EMIS Health"], &["EMIS Web"]),
    ("Meditech", &["Meditech Group Limited"], &["Expanse"]),
    (
        "Advanced",
        &[
            "Advanced Health and Care Limited",
            "Advanced Health and Care",
        ],
        &["CareNotes"],
    ),
    ("IMS Maxims", &["IMS Maxims Ltd"], &["MAXIMS"]),
    ("Nervecentre", &["Nervecentre Software Ltd"], &[]),
    ("Cambio", &["Cambio Healthcare Systems Ltd"], &[]),
    ("Civica", &["Civica UK Limited"], &["Paris"]),
    ("InterSystems", &[], &["TrakCare"]),
    ("Alcidion", &[], &[]),
    ("Graphnet", &["Graphnet Health Ltd"], &[]),
    ("CGI", &["CGI UK Ltd"], &[]),
    ("Fortrus", &["Fortrus Ltd"], &[]),
    ("QuadraMed", &[], &[]),
    ("Cleric", &["Cleric Computer Services Ltd"], &[]),
    ("Ortivus", &["Ortivus UK Ltd"], &[]),
    ("Medusa", &["Medusa Medical Technologies Inc"], &[]),
];

/// Words that mean an in-house system (compared after [`supplier_key`]).
pub const IN_HOUSE_WORDS: &[&str] = &[
    "generic or in house epr provider",
    "in house",
    "inhouse",
    "bespoke",
    "in house epr",
    "home grown",
];

/// Company suffixes ignored when matching supplier names.
const COMPANY_SUFFIXES: &[&str] = &["ltd", "limited", "inc", "corporation", "corp", "uk", "plc"];

/// Matching key for supplier and product names: case, punctuation and company
/// suffixes ignored (SPEC 1.5).
pub fn supplier_key(raw: &str) -> String {
    let (norm, unit) = normalise_label(raw);
    // A bracketed tail is part of a supplier name, not a unit: keep it in the key.
    let joined = match unit {
        Some(u) => format!("{norm} {}", normalise_label(&u).0),
        None => norm,
    };
    let mut key = String::with_capacity(joined.len());
    for word in joined
        .split(' ')
        .filter(|w| !w.is_empty() && !COMPANY_SUFFIXES.contains(w))
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

/// Units a money header may carry in brackets, or a merged group label above it
/// (SPEC 1.3, 1.5), compared lower-case without spaces or apostrophes: pounds per unit.
pub const MONEY_HEADER_UNITS: &[(&str, u64)] = &[
    ("£", 1),
    ("gbp", 1),
    ("pounds", 1),
    ("£k", 1_000),
    ("k", 1_000),
    ("£000", 1_000),
    ("£000s", 1_000),
    ("000s", 1_000),
    ("£thousands", 1_000),
    ("£m", 1_000_000),
    ("m", 1_000_000),
    ("£mn", 1_000_000),
    ("£million", 1_000_000),
    ("£millions", 1_000_000),
    ("£bn", 1_000_000_000),
    ("bn", 1_000_000_000),
];

/// Magnitude suffixes of amounts written as text (`£36m`, `£1.2bn`, `£250k`),
/// lower-case, longest first: pounds per unit.
pub const MONEY_SUFFIXES: &[(&str, u64)] = &[
    ("billion", 1_000_000_000),
    ("million", 1_000_000),
    ("bn", 1_000_000_000),
    ("mn", 1_000_000),
    ("m", 1_000_000),
    ("k", 1_000),
];

/// Pounds per unit of a money header's unit (`£m` → 1 000 000); `None` for a unit
/// that is not a money unit (`%`, `incl. VAT`), which leaves amounts in pounds.
pub fn money_unit(unit: &str) -> Option<u64> {
    let key: String = unit
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’'))
        .flat_map(char::to_lowercase)
        .collect();
    MONEY_HEADER_UNITS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, pounds)| *pounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise_case_punctuation_units() {
        assert_eq!(
            normalise_label("  Go-live\u{a0} date "),
            ("go live date".into(), None)
        );
        assert_eq!(
            normalise_label("Total cost (£m)"),
            ("total cost".into(), Some("£m".into()))
        );
        assert_eq!(normalise_label("Trust Type (Primary)").0, "trust type");
        assert_eq!(normalise_label("EMRAM").0, "emram");
    }

    #[test]
    fn canonical_headers_are_accepted_headers() {
        for kind in TableKind::ALL {
            for field in kind.fields() {
                let header = kind.canonical_header(*field);
                assert!(
                    field.synonyms().contains(&header),
                    "{header} is not an accepted header of {field}"
                );
            }
        }
        assert_eq!(
            TableKind::Providers.canonical_header(Field::OdsCode),
            "ODS code"
        );
    }

    #[test]
    fn sheet_names_give_roles() {
        assert_eq!(
            sheet_role("EPR Suppliers"),
            Some(SheetRole::Table(TableKind::Providers))
        );
        assert_eq!(
            sheet_role(" Clinical systems "),
            Some(SheetRole::Table(TableKind::Systems))
        );
        assert_eq!(sheet_role("Cover"), Some(SheetRole::Cover));
        assert_eq!(sheet_role("Trust list"), None);
    }

    #[test]
    fn sectors_follow_nhs_england_trust_types() {
        assert_eq!(Sector::parse("Acute - Large"), Some(Sector::Acute));
        assert_eq!(Sector::parse("Acute Small"), Some(Sector::Acute));
        assert_eq!(
            Sector::parse("Mental Health and Community (Combined)"),
            Some(Sector::MentalHealthAndCommunity)
        );
        assert_eq!(
            Sector::parse("Mental Health & Community"),
            Some(Sector::MentalHealthAndCommunity)
        );
        assert_eq!(
            Sector::parse("Community & Ambulance"),
            Some(Sector::Community)
        );
        assert_eq!(Sector::parse("GP practice"), Some(Sector::PrimaryCare));
        assert_eq!(Sector::parse("Domiciliary care"), Some(Sector::SocialCare));
        assert_eq!(Sector::parse("Hospice"), None);
    }

    #[test]
    fn status_keeps_its_ladder_rung() {
        let next = Status::parse_with_rung("2.2 Live \u{2013} procuring second generation EPR");
        let rung = Rung { major: 2, minor: 2 };
        assert_eq!(next, Some((Status::Live, Some(rung))));
        assert!(rung.is_next_generation());
        assert_eq!(rung.to_string(), "2.2");
        let first = Rung { major: 1, minor: 3 };
        assert_eq!(
            Status::parse_with_rung("1.3 Live with EPR"),
            Some((Status::Live, Some(first)))
        );
        assert!(!first.is_next_generation());
        assert_eq!(Status::parse_with_rung("Live"), Some((Status::Live, None)));
    }

    #[test]
    fn status_ladder_and_words() {
        assert_eq!(
            Status::parse("0.1 Planning - business case"),
            Some(Status::Planning)
        );
        assert_eq!(Status::parse("1.1 Procuring"), Some(Status::Procuring));
        assert_eq!(
            Status::parse("1.2 Procured - Awaiting contracts"),
            Some(Status::Procuring)
        );
        assert_eq!(
            Status::parse("1.2 Implementing"),
            Some(Status::Implementing)
        );
        assert_eq!(Status::parse("1.3 Live"), Some(Status::Live));
        assert_eq!(
            Status::parse("2.2 Procuring second generation"),
            Some(Status::Live)
        );
        assert_eq!(
            Status::parse("3.0 Meets Minimum Criteria"),
            Some(Status::Live)
        );
        assert_eq!(Status::parse("Business case"), Some(Status::Planning));
        assert_eq!(Status::parse("No"), Some(Status::None));
        assert_eq!(Status::parse("Maybe"), None);
    }
}
