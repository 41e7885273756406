//! The normalised model every command works on: providers, the returns they came
//! from, and the diagnostics found on the way.

use crate::diag::Diagnostic;
use crate::money::Money;
use crate::schema::{Field, Rung, Scope, Sector, Status};
use chrono::NaiveDate;
use std::sync::Arc;

/// An ODS organisation code, upper-cased, held inline (codes are a few characters).
pub type OdsCode = compact_str::CompactString;

/// A value that many rows repeat (a supplier, a product, an ICS, a region): the rows
/// read from one sheet share one copy of each distinct value.
pub type SharedText = Arc<str>;

/// Where a row came from. The file and sheet names are shared by every row of a
/// sheet, and the cell reference is built only when a message needs it: a national
/// set has over a hundred thousand rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file as displayed to the user.
    pub source: Arc<str>,
    /// The worksheet (none for CSV).
    pub sheet: Option<Arc<str>>,
    /// One-based row number in the sheet.
    pub row: u32,
    /// Zero-based column of the row's ODS code cell (or its first cell).
    pub column: u32,
}

impl Origin {
    /// The row's place, for diagnostics.
    pub fn location(&self) -> crate::diag::Location {
        crate::diag::Location {
            file: self.source.to_string(),
            sheet: self.sheet.as_deref().map(str::to_string),
            cell: Some(self.cell()),
        }
    }

    /// A1 reference of the row's ODS code cell (or its first cell).
    pub fn cell(&self) -> String {
        crate::diag::cell_ref(self.row.saturating_sub(1), self.column)
    }

    /// The origin shared by the rows of one sheet (row and column still to set).
    pub fn of_sheet(file: &str, grid: &crate::ingest::Grid) -> Origin {
        Origin {
            source: file.into(),
            sheet: grid.sheet.as_deref().map(Arc::from),
            row: 0,
            column: 0,
        }
    }
}

/// One provider organisation, normalised (SPEC 1.4, 1.5). Missing or unreadable
/// values are `None`; the row is never dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    /// ODS organisation code: the key returns are merged by.
    pub ods_code: Option<OdsCode>,
    /// Organisation name.
    pub name: Option<String>,
    /// Sector (NHS trusts are acute, mental health, community and ambulance).
    pub sector: Option<Sector>,
    /// ICB code of its ICS, as the return gives it (upper case).
    pub ics_code: Option<SharedText>,
    /// Name of its ICS.
    pub ics_name: Option<SharedText>,
    /// NHS England region name.
    pub region: Option<SharedText>,
    /// EPR status.
    pub status: Option<Status>,
    /// The NHS England ladder rung the status was written as (`None` for plain words):
    /// on a `2.x` rung, `go_live` is the next EPR's date (see [`Provider::went_live`]).
    pub rung: Option<Rung>,
    /// Canonical supplier (see [`crate::normalise::suppliers`]).
    pub supplier: Option<SharedText>,
    /// Product of the primary EPR.
    pub product: Option<SharedText>,
    /// Go-live date of the primary EPR.
    pub go_live: Option<NaiveDate>,
    /// Contract expiry date of the primary EPR.
    pub contract_expiry: Option<NaiveDate>,
    /// Canonical supplier of the EPR it is moving to.
    pub target_supplier: Option<SharedText>,
    /// Product of the EPR it is moving to.
    pub target_product: Option<SharedText>,
    /// Forecast go-live of the target EPR.
    pub target_go_live: Option<NaiveDate>,
    /// Convergence journey, as written.
    pub journey: Option<String>,
    /// HIMSS EMRAM stage (0–7).
    pub emram_stage: Option<u8>,
    /// NHS England EPR group (1–3).
    pub epr_group: Option<u8>,
    /// Where the row was read.
    pub origin: Origin,
}

impl Provider {
    /// Merge another row of the same ODS code into this one, field by field: a field
    /// this row leaves blank takes the other's value (a blank cell in a newer return
    /// does not erase what an older one gave); a field both give keeps this row's.
    /// Returns every field whose values differed (provenance aside): empty when the
    /// rows are duplicates of each other.
    pub fn merge_from(&mut self, other: &Provider) -> Vec<FieldMerge> {
        let mut out = Vec::new();
        // The ladder rung is how the status was written: it goes with the status.
        if self.status.is_none() && other.status.is_some() {
            self.rung = other.rung;
        }
        macro_rules! merge {
            ($(($field:ident, $name:expr)),*) => {
                $(match (&self.$field, &other.$field) {
                    (None, Some(theirs)) => {
                        out.push(FieldMerge {
                            field: $name.name(),
                            kept: theirs.field_text(),
                            other: None,
                        });
                        self.$field = other.$field.clone();
                    }
                    (Some(ours), Some(theirs)) if ours != theirs => out.push(FieldMerge {
                        field: $name.name(),
                        kept: ours.field_text(),
                        other: Some(theirs.field_text()),
                    }),
                    _ => {}
                })*
            };
        }
        // Every providers field but the ODS code (the key the rows share); a test
        // checks this list against the schema's providers fields.
        merge!(
            (name, Field::Name),
            (sector, Field::Sector),
            (ics_code, Field::IcsCode),
            (ics_name, Field::IcsName),
            (region, Field::Region),
            (status, Field::Status),
            (supplier, Field::Supplier),
            (product, Field::Product),
            (go_live, Field::GoLive),
            (contract_expiry, Field::ContractExpiry),
            (target_supplier, Field::TargetSupplier),
            (target_product, Field::TargetProduct),
            (target_go_live, Field::TargetGoLive),
            (journey, Field::Journey),
            (emram_stage, Field::EmramStage),
            (epr_group, Field::EprGroup)
        );
        out
    }

    /// The date the provider's EPR went live, as far as its row tells. That is its
    /// go-live date, except on a `2.x` ladder rung (live with a first EPR while the
    /// next is procured or implemented): there the go-live is the next EPR's forecast,
    /// and the first EPR went live before the return, on a date the row does not give.
    pub fn went_live(&self) -> Option<NaiveDate> {
        match self.rung {
            Some(rung) if rung.is_next_generation() => None,
            _ => self.go_live,
        }
    }

    /// Whether the provider counts as an NHS trust for coverage. A provider whose
    /// sector is not given is counted: the questionnaire is about trusts, and
    /// dropping it would silently shrink the denominator.
    pub fn is_nhs_trust(&self) -> bool {
        self.sector.is_none_or(Sector::is_nhs_trust)
    }
}

/// One field in which two rows of the same provider differed, and what the merged
/// row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMerge {
    /// The field's snake_case name.
    pub field: &'static str,
    /// The value the merged row holds.
    pub kept: String,
    /// The other row's value, set aside; `None` when the row kept had the field
    /// blank and took the other's value.
    pub other: Option<String>,
}

/// A provider field's value as merge messages quote it.
trait FieldText {
    fn field_text(&self) -> String;
}

impl FieldText for String {
    fn field_text(&self) -> String {
        self.clone()
    }
}

impl FieldText for SharedText {
    fn field_text(&self) -> String {
        self.to_string()
    }
}

impl FieldText for NaiveDate {
    fn field_text(&self) -> String {
        self.to_string()
    }
}

impl FieldText for u8 {
    fn field_text(&self) -> String {
        self.to_string()
    }
}

impl FieldText for Sector {
    fn field_text(&self) -> String {
        self.name().to_string()
    }
}

impl FieldText for Status {
    fn field_text(&self) -> String {
        self.name().to_string()
    }
}

/// One system in use at a provider (the `systems` table).
#[derive(Debug, Clone, PartialEq)]
pub struct System {
    /// The provider it is in use at.
    pub ods_code: Option<OdsCode>,
    /// Canonical supplier.
    pub supplier: Option<SharedText>,
    /// Product.
    pub product: Option<SharedText>,
    /// What it is for; `None` when blank.
    pub scope: Option<Scope>,
    /// Go-live date.
    pub go_live: Option<NaiveDate>,
    /// Contract expiry date.
    pub contract_expiry: Option<NaiveDate>,
    /// Where the row was read.
    pub origin: Origin,
}

/// One line of a `funding` table (SPEC 1.4): a scheme, its cost and how it is funded.
/// Missing or unreadable amounts are `None` (counted as zero in sums, and reported).
#[derive(Debug, Clone, PartialEq)]
pub struct FundingLine {
    /// The provider the line is for; `None` for an ICS-wide line.
    pub ods_code: Option<OdsCode>,
    /// What is funded.
    pub item: Option<String>,
    /// Total cost.
    pub total_cost: Option<Money>,
    /// National funding secured.
    pub national_funding: Option<Money>,
    /// Local funding secured.
    pub local_funding: Option<Money>,
    /// The gap as the return states it (checked against the computed one when read).
    pub stated_gap: Option<Money>,
    /// Financial year, as written.
    pub fiscal_year: Option<String>,
    /// The ICS of the return the line came from (its cover sheet, else the one ICS its
    /// providers share): where an ICS-wide line, or a line for a provider listed
    /// nowhere, belongs.
    pub return_ics_code: Option<String>,
    /// The name of that ICS.
    pub return_ics_name: Option<String>,
    /// The region of that ICS.
    pub return_region: Option<String>,
    /// Where the line was read.
    pub origin: Origin,
}

impl FundingLine {
    /// total_cost − national − local, missing amounts counted as zero (SPEC 3).
    pub fn computed_gap(&self) -> Money {
        let amount = |m: Option<Money>| m.unwrap_or(Money::ZERO);
        amount(self.total_cost) - amount(self.national_funding) - amount(self.local_funding)
    }

    /// Whether the cost or either funding amount is missing.
    pub fn has_missing_amount(&self) -> bool {
        self.total_cost.is_none() || self.national_funding.is_none() || self.local_funding.is_none()
    }
}

/// One file that was read: a returned workbook or CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    /// The file as displayed to the user.
    pub source: String,
    /// `xlsx`, `xls`, `ods`, `csv` ...
    pub format: String,
    /// ICS name from the cover sheet.
    pub ics_name: Option<String>,
    /// ICB code from the cover sheet.
    pub ics_code: Option<String>,
    /// Region from the cover sheet.
    pub region: Option<String>,
    /// Submission date from the cover sheet.
    pub submitted: Option<NaiveDate>,
    /// Contact from the cover sheet.
    pub contact: Option<String>,
    /// File modification time, used when there is no submission date.
    pub modified: Option<chrono::NaiveDateTime>,
    /// The sheet the providers table was read from, and its header row (1-based).
    pub providers_sheet: Option<(String, u32)>,
    /// Provider rows read from this file.
    pub provider_rows: usize,
    /// The fields its providers table has a column for (empty when none was read).
    pub provider_fields: Vec<crate::schema::Field>,
    /// Systems rows read from this file.
    pub systems_rows: usize,
    /// Funding lines read from this file.
    pub funding_rows: usize,
    /// The ICB code of the ICS the return is for: its cover sheet's, else the one ICS
    /// all its providers name; `None` when that cannot be told (a national list).
    pub for_ics: Option<String>,
}

/// Rows in file order, kept in the vectors each file's rows were read into rather
/// than copied into one: a national set has a hundred thousand systems rows and
/// twenty-five thousand providers, and concatenating them took about 5% and 4% of
/// the run, all of it on one core.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRows<T> {
    files: Vec<Vec<T>>,
}

impl<T> Default for FileRows<T> {
    fn default() -> Self {
        FileRows { files: Vec::new() }
    }
}

impl<T> FileRows<T> {
    /// Add the next file's rows.
    pub fn push_file(&mut self, rows: Vec<T>) {
        if !rows.is_empty() {
            self.files.push(rows);
        }
    }

    /// How many rows there are in all.
    pub fn len(&self) -> usize {
        self.files.iter().map(Vec::len).sum()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every row, in file order.
    pub fn iter(&self) -> std::iter::Flatten<std::slice::Iter<'_, Vec<T>>> {
        self.files.iter().flatten()
    }

    /// Keep only the rows `keep` accepts (files left empty are dropped).
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        for rows in &mut self.files {
            rows.retain(&mut keep);
        }
        self.files.retain(|rows| !rows.is_empty());
    }

    /// Every row, in file order, to change in place.
    pub fn iter_mut(&mut self) -> std::iter::Flatten<std::slice::IterMut<'_, Vec<T>>> {
        self.files.iter_mut().flatten()
    }

    /// The rows file by file (non-empty files only), for work done per file.
    pub fn files(&self) -> &[Vec<T>] {
        &self.files
    }
}

impl<'a, T> IntoIterator for &'a FileRows<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> FromIterator<Vec<T>> for FileRows<T> {
    /// Files' rows, in order (empty files skipped).
    fn from_iter<I: IntoIterator<Item = Vec<T>>>(files: I) -> Self {
        let mut out = FileRows::default();
        for rows in files {
            out.push_file(rows);
        }
        out
    }
}

impl<T> From<Vec<T>> for FileRows<T> {
    fn from(rows: Vec<T>) -> Self {
        let mut out = FileRows::default();
        out.push_file(rows);
        out
    }
}

/// One organisation in an NHS ODS reference file (read by [`crate::normalise::ods`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OdsRecord {
    /// Organisation name as published.
    pub name: Option<String>,
    /// NHS England region code (national grouping), e.g. `Y62`.
    pub region_code: Option<String>,
    /// ICB code (high level health geography), e.g. `QE1`.
    pub icb_code: Option<String>,
    /// Close date, when the organisation is closed.
    pub closed: Option<chrono::NaiveDate>,
    /// Where it was read, for messages.
    pub source: String,
}

/// Organisation codes to their ODS records.
#[derive(Debug, Clone, Default)]
pub struct OdsLookup {
    /// Read and queried by [`crate::normalise::ods`].
    pub(crate) records: std::collections::HashMap<String, OdsRecord>,
}

/// Everything read from a set of inputs.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Providers after merging returns: one per ODS code (rows without a code are
    /// kept individually).
    pub providers: FileRows<Provider>,
    /// Systems rows, as read (not merged: a system is a fact about its provider).
    pub systems: FileRows<System>,
    /// Funding lines of every return (a return superseded by a newer one for the same
    /// ICS contributes none; see [`crate::normalise::load`]).
    pub funding: Vec<FundingLine>,
    /// The files read, in discovery order.
    pub returns: Vec<Return>,
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The ODS reference read with `--ods` (once, here: `returns --trusts`,
    /// `validate` and the report's trusts-in-no-return list use it too).
    pub reference: Option<OdsLookup>,
}

impl Dataset {
    /// Leave out every row read from `files` (`--keep-going`: files with errors do not
    /// count). Returns the ICB codes those returns were for
    /// (`None` for a file whose ICS cannot be told, or that could not be read).
    pub fn leave_out_files(
        &mut self,
        files: &std::collections::BTreeSet<String>,
    ) -> Vec<(String, Option<String>)> {
        let kept = |source: &str| !files.contains(source);
        self.providers.retain(|p| kept(&p.origin.source));
        self.systems.retain(|s| kept(&s.origin.source));
        self.funding.retain(|l| kept(&l.origin.source));
        let mut left_out: Vec<(String, Option<String>)> = files
            .iter()
            .map(|file| {
                let ics = self
                    .returns
                    .iter()
                    .find(|r| &r.source == file)
                    .and_then(|r| r.for_ics.clone());
                (file.clone(), ics)
            })
            .collect();
        left_out.sort();
        // The return records stay: the tracker reports those files' errors.
        left_out
    }
}

/// A trust row from `t.xlsx` in Mid and South Essex, for unit tests.
#[cfg(test)]
pub(crate) fn test_provider(code: &str, status: Status, supplier: &str) -> Provider {
    Provider {
        ods_code: Some(code.into()),
        name: Some(format!("{code} Trust")),
        sector: None,
        ics_code: Some("QH8".into()),
        ics_name: Some("Mid and South Essex".into()),
        region: None,
        status: Some(status),
        rung: None,
        supplier: Some(supplier.into()),
        product: None,
        go_live: None,
        contract_expiry: None,
        target_supplier: None,
        target_product: None,
        target_go_live: None,
        journey: None,
        emram_stage: None,
        epr_group: None,
        origin: Origin {
            source: "t.xlsx".into(),
            sheet: None,
            row: 2,
            column: 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{test_provider, FileRows, Provider};
    use crate::schema::{Field, Sector, Status, TableKind};

    /// Merging names every providers field (the ODS code aside: it is the key), by
    /// the schema's name: a field added to the schema and the struct but not to
    /// `merge_from` fails here.
    #[test]
    fn merging_covers_every_providers_field() {
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1);
        let full = Provider {
            sector: Some(Sector::Acute),
            region: Some("London".into()),
            product: Some("Millennium".into()),
            go_live: date,
            contract_expiry: date,
            target_supplier: Some("Epic".into()),
            target_product: Some("Epic".into()),
            target_go_live: date,
            journey: Some("converging".into()),
            emram_stage: Some(5),
            epr_group: Some(2),
            ..test_provider("RAJ", Status::Live, "Oracle Health")
        };
        let mut blank = Provider {
            name: None,
            ics_code: None,
            ics_name: None,
            status: None,
            supplier: None,
            ..test_provider("RAJ", Status::Live, "x")
        };
        let merged: Vec<&str> = blank.merge_from(&full).iter().map(|m| m.field).collect();
        let expected: Vec<&str> = TableKind::Providers
            .fields()
            .iter()
            .filter(|f| **f != Field::OdsCode)
            .map(|f| f.name())
            .collect();
        assert_eq!(merged, expected);
        assert_eq!(blank, Provider { rung: None, ..full });
    }

    #[test]
    fn file_rows_keep_file_order_and_skip_empty_files() {
        let mut rows = FileRows::default();
        assert!(rows.is_empty());
        rows.push_file(vec![1, 2]);
        rows.push_file(Vec::new());
        rows.push_file(vec![3]);
        assert_eq!(rows.len(), 3);
        assert!(!rows.is_empty());
        assert_eq!(rows.files(), &[vec![1, 2], vec![3]]);
        assert_eq!(rows.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!((&rows).into_iter().count(), 3);
        assert_eq!(FileRows::from(vec![7]).len(), 1);
        assert!(FileRows::<u8>::from(Vec::new()).is_empty());
    }
}
