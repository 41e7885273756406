//! The one place that knows the specification's vocabulary: the logical tables, their
//! fields and accepted header synonyms (SPEC 1.2–1.4), the sector, status and supplier
//! vocabularies (SPEC 1.5). The NHS geography (regions and ICBs) is data, in
//! [`crate::geography`].
//!
//! The vocabularies' parsers are here too, next to their words; reading tables that use
//! them lives in [`crate::normalise`].
//!
//! Each field is declared once (`fields!`: name, kind, headers), and each table's
//! fields once (`providers_table!`, `systems_table!`, `funding_table!`: the members
//! that hold them and their columns' meaning); the row structs, merging and the
//! `eprscan sql` columns are built from these declarations.

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

    /// The fields this table has, in canonical column order: from the table's
    /// declaration (`providers_table!`, `systems_table!`, `funding_table!`, below).
    pub fn fields(self) -> &'static [Field] {
        match self {
            TableKind::Providers => providers_table!(field_list!),
            TableKind::Systems => systems_table!(field_list!),
            TableKind::Funding => funding_table!(field_list!),
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

/// What a field holds: the type of its column in `eprscan sql` and `export`, the cells
/// that can hold a value of it, and the format of its column in the blank template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Text, or a word of one of the vocabularies (column type `str`).
    Text,
    /// A date (column type `date`).
    Date,
    /// An amount of money, held in pence and shown in pounds (column type `f64`).
    Money,
    /// A whole number (column type `i64`).
    Number,
}

impl FieldKind {
    /// What a value of this kind is, for messages ("a date cell, not text").
    pub fn expected(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Date => "a date",
            FieldKind::Money => "an amount of money",
            FieldKind::Number => "a number",
        }
    }
}

/// Declares [`Field`] from one entry per field (a field several tables share, such as
/// the ODS code, is one entry): its doc, variant, snake_case name, [`FieldKind`] and
/// accepted headers. Which tables have it is said by the table declarations below.
macro_rules! fields {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal, $kind:ident, [$($synonym:literal),+ $(,)?];
    )+) => {
        /// A canonical field of one of the tables (SPEC 1.4). The snake_case name is the
        /// column name in every machine-readable output, and the name of the member that
        /// holds it in the table's row struct ([`crate::model::Provider`] ...).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field {
            $($(#[$doc])* $variant,)+
        }

        impl Field {
            /// Every field, in declaration order.
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// The snake_case name used in CSV/JSON and SQL.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)+
                }
            }

            /// What the field holds.
            pub const fn kind(self) -> FieldKind {
                match self {
                    $(Field::$variant => FieldKind::$kind,)+
                }
            }

            /// Accepted headers, most specific first, as written in SPEC 1.4. They are
            /// compared after [`normalise_label`], so case, punctuation and a trailing
            /// bracketed unit do not matter.
            pub fn synonyms(self) -> &'static [&'static str] {
                match self {
                    $(Field::$variant => &[$($synonym),+],)+
                }
            }
        }
    };
}

fields! {
    /// ODS organisation code (the provider key).
    OdsCode = "ods_code", Text, [
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
    ];
    /// Organisation name.
    Name = "name", Text, [
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
    ];
    /// Provider sector ([`Sector`]).
    Sector = "sector", Text, [
        "Trust Type (Primary)",
        "Trust Type",
        "Sector",
        "Provider type",
        "Care setting",
    ];
    /// ICB code of the provider's ICS.
    IcsCode = "ics_code", Text, ["ICB code", "ICS code", "ICB", "STP code"];
    /// Name of the provider's ICS.
    IcsName = "ics_name", Text, ["ICS name", "ICB name", "Integrated care system", "ICS"];
    /// NHS England region.
    Region = "region", Text, ["NHS region", "Region"];
    /// EPR status ([`Status`]).
    Status = "status", Text, [
        "Current EPR Status",
        "EPR status",
        "Status",
        "Current status",
    ];
    /// Supplier of the primary EPR.
    Supplier = "supplier", Text, [
        "Supplier (Primary EPR)",
        "EPR supplier",
        "Current supplier",
        "Supplier",
        "Current EPR",
        "Supplier name",
        "EPR supplier name",
    ];
    /// Product of the primary EPR.
    Product = "product", Text, ["EPR product", "Product", "EPR system", "System"];
    /// Go-live date of the primary EPR (or of a system).
    GoLive = "go_live", Date, [
        "Go-live date",
        "Go live",
        "Live date",
        "Current Forecast Go-Live",
        "Forecast go-live",
    ];
    /// Contract expiry date.
    ContractExpiry = "contract_expiry", Date, [
        "Contract Expiry (Primary EPR)",
        "Contract end date",
        "Contract expiry",
    ];
    /// Supplier of the EPR the provider is moving to.
    TargetSupplier = "target_supplier", Text, [
        "New Supplier Name",
        "Target supplier",
        "Planned supplier",
        "Converged supplier",
    ];
    /// Product of the EPR the provider is moving to.
    TargetProduct = "target_product", Text, ["Target product", "Planned product", "Target EPR"];
    /// Planned go-live of the target EPR (the forecast).
    TargetGoLive = "target_go_live", Date, ["Target go-live", "Planned go-live", "Convergence date"];
    /// Convergence journey, as written.
    Journey = "journey", Text, ["Stage of Journey", "Convergence approach", "Approach"];
    /// HIMSS EMRAM stage (0–7).
    EmramStage = "emram_stage", Number, [
        "EMRAM stage",
        "HIMSS EMRAM stage",
        "EMRAM",
        "Digital maturity (EMRAM)",
    ];
    /// NHS England EPR group (1–3).
    EprGroup = "epr_group", Number, ["EPR Group", "Digitisation group", "Group"];
    /// What a system is for ([`Scope`]).
    Scope = "scope", Text, ["Scope", "System scope", "Module"];
    /// What a funding line funds.
    Item = "item", Text, ["Item", "Description", "Scheme"];
    /// Total cost of a funding line.
    TotalCost = "total_cost", Money, ["Total cost", "Cost", "Whole life cost"];
    /// National funding secured.
    NationalFunding = "national_funding", Money, [
        "National funding",
        "National",
        "DHSC funding",
        "NHSE funding",
        "Central funding",
    ];
    /// Local funding secured.
    LocalFunding = "local_funding", Money, [
        "Local funding",
        "Local",
        "Trust funding",
        "ICS funding",
        "Local contribution",
    ];
    /// The funding gap as the return states it.
    StatedGap = "stated_gap", Money, ["Funding gap", "Gap", "Shortfall"];
    /// Financial year of a funding line.
    FiscalYear = "fiscal_year", Text, ["Financial year", "FY"];
}

// The three row tables, declared once each. A declaration lists the table's fields in
// column order; each entry is
//
//     /// doc of the struct member
//     Variant => member: Option<Type>, "what its column means in eprscan sql";
//
// where `Variant` is the [`Field`] (its headers and kind are in `fields!` above),
// `member` the row struct's member that holds it, named as the field (checked at
// compile time), and `Type` its value (its kind is checked against the field's at
// compile time: see `model::FieldValue`). Types are named as `model.rs` imports them.
//
// A declaration is a macro that hands its list to another: `providers_table!(then!
// ARGS)` expands to `then! { ARGS [ENTRIES] }`. Everything that depends on a table's
// fields is built that way: its membership and column order ([`TableKind::fields`],
// here), the row struct and, for providers, merging (`model.rs`), and its columns in
// `eprscan sql` and `export` (`frames/catalogue.rs`). The row readers
// (`normalise/{providers,systems,funding}.rs`) build the struct with a literal, so
// the compiler asks for a new field's parser there. Members that are not fields (where
// a row was read, the ladder rung) are written beside the struct's declaration in
// `model.rs`, and the columns that are not fields beside the catalogue's.

/// The providers table's fields, in column order (see the comment above).
macro_rules! providers_table {
    ($then:ident! $($args:tt)*) => {
        $then! { $($args)* [
            /// ODS organisation code: the key returns are merged by.
            OdsCode => ods_code: Option<OdsCode>, "ODS code, upper case";
            /// Organisation name.
            Name => name: Option<String>, "organisation name";
            /// Sector (NHS trusts are acute, mental health, community and ambulance).
            Sector => sector: Option<Sector>,
                "acute, mental health, community, mental health and community, ambulance, primary care, social care or other";
            /// ICB code of its ICS, as the return gives it (upper case).
            IcsCode => ics_code: Option<SharedText>, "ICB code";
            /// Name of its ICS.
            IcsName => ics_name: Option<SharedText>, "ICS name";
            /// NHS England region name.
            Region => region: Option<SharedText>, "NHS region";
            /// EPR status.
            Status => status: Option<Status>,
                "EPR status: live, implementing, procuring, planning or none";
            /// Canonical supplier (see [`crate::normalise::suppliers`]).
            Supplier => supplier: Option<SharedText>, "canonical supplier of the primary EPR";
            /// Product of the primary EPR.
            Product => product: Option<SharedText>, "canonical product of the primary EPR";
            /// Go-live date of the primary EPR.
            GoLive => go_live: Option<NaiveDate>,
                "go-live date as written: when the EPR went live, or the forecast (on a 2.x ladder status, the next EPR's)";
            /// Contract expiry date of the primary EPR.
            ContractExpiry => contract_expiry: Option<NaiveDate>,
                "contract expiry of the primary EPR";
            /// Canonical supplier of the EPR it is moving to.
            TargetSupplier => target_supplier: Option<SharedText>,
                "supplier the provider plans to converge on";
            /// Product of the EPR it is moving to.
            TargetProduct => target_product: Option<SharedText>, "product it plans to converge on";
            /// Forecast go-live of the target EPR.
            TargetGoLive => target_go_live: Option<NaiveDate>, "planned go-live of the target EPR";
            /// Convergence journey, as written.
            Journey => journey: Option<String>, "stage of journey / convergence approach, as written";
            /// HIMSS EMRAM stage (0–7).
            EmramStage => emram_stage: Option<u8>, "HIMSS EMRAM stage, 0-7";
            /// NHS England EPR group (1–3).
            EprGroup => epr_group: Option<u8>, "EPR group, 0-3";
        ] }
    };
}
pub(crate) use providers_table;

/// The systems table's fields, in column order (see the comment above
/// `providers_table!`).
macro_rules! systems_table {
    ($then:ident! $($args:tt)*) => {
        $then! { $($args)* [
            /// The provider it is in use at.
            OdsCode => ods_code: Option<OdsCode>, "ODS code of the provider using the system";
            /// Canonical supplier.
            Supplier => supplier: Option<SharedText>, "canonical supplier";
            /// Product.
            Product => product: Option<SharedText>, "canonical product";
            /// What it is for; `None` when blank.
            Scope => scope: Option<Scope>,
                "what it is for: Core EPR, PAS, Maternity, ED, Theatres, ePMA, Community, Mental health or Other";
            /// Go-live date.
            GoLive => go_live: Option<NaiveDate>, "go-live date";
            /// Contract expiry date.
            ContractExpiry => contract_expiry: Option<NaiveDate>, "contract expiry";
        ] }
    };
}
pub(crate) use systems_table;

/// The funding table's fields, in column order (see the comment above
/// `providers_table!`).
macro_rules! funding_table {
    ($then:ident! $($args:tt)*) => {
        $then! { $($args)* [
            /// The provider the line is for; `None` for an ICS-wide line.
            OdsCode => ods_code: Option<OdsCode>,
                "ODS code of the provider funded (null for an ICS-wide line)";
            /// What is funded.
            Item => item: Option<String>, "what is funded";
            /// Total cost.
            TotalCost => total_cost: Option<Money>, "total cost, pounds";
            /// National funding secured.
            NationalFunding => national_funding: Option<Money>, "national funding, pounds";
            /// Local funding secured.
            LocalFunding => local_funding: Option<Money>, "local funding, pounds";
            /// The gap as the return states it (checked against the computed one when read).
            StatedGap => stated_gap: Option<Money>,
                "the funding gap as the return states it, pounds";
            /// Financial year, as written.
            FiscalYear => fiscal_year: Option<String>, "financial year, as written";
        ] }
    };
}
pub(crate) use funding_table;

/// The [`Field`]s of a table declaration, in order (for [`TableKind::fields`]).
macro_rules! field_list {
    ([$($(#[$doc:meta])* $variant:ident => $member:ident: Option<$ty:ty>, $desc:literal;)+]) => {
        &[$(Field::$variant),+]
    };
}
// Named by path, so that `TableKind::fields` above can use it.
use field_list;

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
    let out = if body.is_ascii() {
        fold_ascii_words(body)
    } else {
        fold_words(body)
    };
    (out, unit.filter(|u| !u.is_empty()))
}

/// The words of a label (runs of letters, digits and `£`), lower-cased and joined by
/// single spaces.
fn fold_words(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for word in body
        .split(|c: char| !c.is_alphanumeric() && c != '£')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// [`fold_words`] for ASCII text in one pass over its bytes: every header, supplier,
/// scope, sector and ODS code cell comes through here, and nearly all are ASCII.
fn fold_ascii_words(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut between_words = false;
    for b in body.bytes() {
        if b.is_ascii_alphanumeric() {
            if between_words && !out.is_empty() {
                out.push(' ');
            }
            between_words = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            between_words = true;
        }
    }
    out
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
    use proptest::prelude::*;

    proptest! {
        /// The one-pass ASCII fold gives what the general fold gives.
        #[test]
        fn ascii_labels_fold_as_any_label(body in "[ -~\t\n\x0B\x0C\r]{0,24}") {
            prop_assert_eq!(fold_ascii_words(&body), fold_words(&body));
        }
    }

    #[test]
    fn ascii_and_general_folds_agree_on_edge_cases() {
        for body in [
            "", " ", "--", "A", " a  B ", "ODS-code", "x\x0By", "R1A_2", "a.b,c", "£5m",
        ] {
            if body.is_ascii() {
                assert_eq!(fold_ascii_words(body), fold_words(body), "{body:?}");
            }
        }
        assert_eq!(fold_ascii_words("  Go-live  DATE "), "go live date");
    }

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

    /// Every field is in a table (a field declared but in no table's declaration is
    /// read by nothing), and no table has a field twice.
    #[test]
    fn every_field_is_in_one_table_at_least_and_once_in_each() {
        for field in Field::ALL {
            assert!(
                TableKind::ALL.iter().any(|k| k.fields().contains(field)),
                "{field} is in no table"
            );
        }
        for kind in TableKind::ALL {
            let fields = kind.fields();
            for (i, field) in fields.iter().enumerate() {
                assert!(
                    !fields[..i].contains(field),
                    "{field} twice in {}",
                    kind.name()
                );
            }
        }
        assert_eq!(Field::ALL.len(), 24);
        assert_eq!(TableKind::Systems.fields()[3], Field::Scope);
        assert_eq!(Field::TotalCost.kind(), FieldKind::Money);
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
