//! The normalised model every command works on: providers, the returns they came
//! from, and the diagnostics found on the way.

use crate::diag::Diagnostic;
use crate::money::Money;
use crate::schema::{Field, FieldKind, Rung, Scope, Sector, Status};
use chrono::NaiveDate;
use std::fmt;
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

/// A row struct from a table declaration in [`crate::schema`] (`providers_table!`,
/// `systems_table!`, `funding_table!`): one `Option` member per field, in column
/// order, then the members written at the call, which are not fields. Checked when
/// compiling: each member is named as its field ([`Field::name`]), and its type holds
/// values of the field's kind ([`FieldValue::KIND`]).
macro_rules! row_struct {
    (
        $(#[$attr:meta])*
        pub struct $row:ident { $($extra:tt)* }
        [$($(#[$doc:meta])* $variant:ident => $member:ident: Option<$ty:ty>, $desc:literal;)+]
    ) => {
        $(#[$attr])*
        pub struct $row {
            $($(#[$doc])* pub $member: Option<$ty>,)+
            $($extra)*
        }

        const _: () = {
            $(
                assert!(
                    same_text(stringify!($member), Field::$variant.name()),
                    concat!(
                        stringify!($row), ".", stringify!($member),
                        " is not named as its field, Field::", stringify!($variant)
                    )
                );
                assert!(
                    <$ty as FieldValue>::KIND as u8 == Field::$variant.kind() as u8,
                    concat!(
                        stringify!($row), ".", stringify!($member),
                        ": its type is not of Field::", stringify!($variant), "'s kind"
                    )
                );
            )+
        };
    };
}

/// Whether two texts are the same, at compile time (for `row_struct!`'s checks).
const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

crate::schema::providers_table!(row_struct!
    /// One provider organisation, normalised (SPEC 1.4, 1.5). Missing or unreadable
    /// values are `None`; the row is never dropped. One member per field of the
    /// providers table (declared in `schema::providers_table!`), then these:
    #[derive(Debug, Clone, PartialEq)]
    pub struct Provider {
        /// The NHS England ladder rung the status was written as (`None` for plain words):
        /// on a `2.x` rung, `go_live` is the next EPR's date (see [`Provider::went_live`]).
        pub rung: Option<Rung>,
        /// Where the row was read.
        pub origin: Origin,
    }
);

/// `Provider::merge_fields`, from the providers table's declaration.
macro_rules! provider_merge {
    ([$($(#[$doc:meta])* $variant:ident => $member:ident: Option<$ty:ty>, $desc:literal;)+]) => {
        impl Provider {
            /// Merge `other`'s value of each field but the ODS code (the key the rows
            /// share) into this row's, in column order (see [`Provider::merge_from`]).
            fn merge_fields(&mut self, other: &Provider, out: &mut Vec<FieldMerge>) {
                $(if Field::$variant != Field::OdsCode {
                    merge_field(Field::$variant, &mut self.$member, &other.$member, out);
                })+
            }
        }
    };
}
crate::schema::providers_table!(provider_merge!);

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
        self.merge_fields(other, &mut out);
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

/// Merge one field of two rows (see [`Provider::merge_from`]): a blank takes the
/// other's value; two values that differ keep ours. Either is recorded in `out`.
fn merge_field<T: FieldValue + PartialEq + Clone>(
    field: Field,
    ours: &mut Option<T>,
    theirs: &Option<T>,
    out: &mut Vec<FieldMerge>,
) {
    match (&*ours, theirs) {
        (None, Some(theirs)) => {
            out.push(FieldMerge {
                field: field.name(),
                kept: theirs.field_ref().to_string(),
                other: None,
            });
            *ours = Some(theirs.clone());
        }
        (Some(kept), Some(theirs)) if kept != theirs => out.push(FieldMerge {
            field: field.name(),
            kept: kept.field_ref().to_string(),
            other: Some(theirs.field_ref().to_string()),
        }),
        _ => {}
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

/// A field's value as a table column holds it and messages quote it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldRef<'a> {
    /// Text, or a vocabulary's canonical word.
    Text(&'a str),
    /// A whole number.
    Number(i64),
    /// A date.
    Date(NaiveDate),
    /// An amount of money.
    Money(Money),
}

impl<'a> FieldRef<'a> {
    /// The text, if the value is text.
    pub fn text(self) -> Option<&'a str> {
        match self {
            FieldRef::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The number, if the value is a whole number.
    pub fn number(self) -> Option<i64> {
        match self {
            FieldRef::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The date, if the value is a date.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            FieldRef::Date(date) => Some(date),
            _ => None,
        }
    }

    /// The amount, if the value is money.
    pub fn money(self) -> Option<Money> {
        match self {
            FieldRef::Money(amount) => Some(amount),
            _ => None,
        }
    }
}

impl fmt::Display for FieldRef<'_> {
    /// As merge messages quote it: text as it is, a date as `2025-06-30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldRef::Text(text) => f.write_str(text),
            FieldRef::Number(n) => write!(f, "{n}"),
            FieldRef::Date(date) => write!(f, "{date}"),
            FieldRef::Money(amount) => write!(f, "{amount}"),
        }
    }
}

/// The type of a field's value (`T` of the row struct's `Option<T>` member).
pub trait FieldValue {
    /// The kind of field it holds: checked against [`Field::kind`] when a row struct
    /// is declared.
    const KIND: FieldKind;

    /// The value as a column holds it.
    fn field_ref(&self) -> FieldRef<'_>;
}

/// `impl FieldValue` for each value type: its kind, and its value as a column holds it.
macro_rules! field_values {
    ($($ty:ty => $kind:ident, |$value:ident| $field_ref:expr;)+) => {
        $(impl FieldValue for $ty {
            const KIND: FieldKind = FieldKind::$kind;
            fn field_ref(&self) -> FieldRef<'_> {
                let $value = self;
                $field_ref
            }
        })+
    };
}

field_values! {
    OdsCode => Text, |code| FieldRef::Text(code);
    String => Text, |text| FieldRef::Text(text);
    SharedText => Text, |text| FieldRef::Text(text);
    Sector => Text, |sector| FieldRef::Text(sector.name());
    Status => Text, |status| FieldRef::Text(status.name());
    Scope => Text, |scope| FieldRef::Text(scope.name());
    NaiveDate => Date, |date| FieldRef::Date(*date);
    Money => Money, |amount| FieldRef::Money(*amount);
    u8 => Number, |n| FieldRef::Number(i64::from(*n));
}

crate::schema::systems_table!(row_struct!
    /// One system in use at a provider (the `systems` table). One member per field of
    /// the systems table (declared in `schema::systems_table!`), then:
    #[derive(Debug, Clone, PartialEq)]
    pub struct System {
        /// Where the row was read.
        pub origin: Origin,
    }
);

crate::schema::funding_table!(row_struct!
    /// One line of a `funding` table (SPEC 1.4): a scheme, its cost and how it is funded.
    /// Missing or unreadable amounts are `None` (counted as zero in sums, and reported).
    /// One member per field of the funding table (declared in `schema::funding_table!`),
    /// then the return's ICS and where the line was read:
    #[derive(Debug, Clone, PartialEq)]
    pub struct FundingLine {
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
);

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
    use super::{test_provider, FieldRef, FieldValue, FileRows, OdsCode, Provider, SharedText};
    use crate::money::Money;
    use crate::schema::{Field, FieldKind, Scope, Sector, Status, TableKind};

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

    /// Each value type gives the form of value its kind says, which is how the frames
    /// column of its kind reads it (a mismatch would be a column of nulls).
    #[test]
    fn field_values_are_of_their_kind() {
        fn kind_of<T: FieldValue>(value: T) -> (FieldKind, FieldKind) {
            let given = match value.field_ref() {
                FieldRef::Text(_) => FieldKind::Text,
                FieldRef::Number(_) => FieldKind::Number,
                FieldRef::Date(_) => FieldKind::Date,
                FieldRef::Money(_) => FieldKind::Money,
            };
            (T::KIND, given)
        }
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for (declared, given) in [
            kind_of(OdsCode::from("RAJ")),
            kind_of(String::from("x")),
            kind_of(SharedText::from("x")),
            kind_of(Sector::Acute),
            kind_of(Status::Live),
            kind_of(Scope::Pas),
            kind_of(date),
            kind_of(Money::from_pounds(1)),
            kind_of(3u8),
        ] {
            assert_eq!(declared, given);
        }
        assert_eq!(date.field_ref().to_string(), "2024-01-01");
        assert_eq!(Status::Live.field_ref().to_string(), "live");
        assert_eq!(5u8.field_ref().to_string(), "5");
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
