//! Cell value parsers (SPEC 1.5). Each returns `Ok(None)` for a missing value
//! ("TBC", "N/A", blank ...), `Ok(Some(v))` for a value, and `Err(reason)` for text it
//! cannot read, which the caller reports as a warning at the cell.

use crate::ingest::{format_number, Cell};
use crate::model::OdsCode;
use crate::money::Money;
use crate::schema::{money_unit, MONEY_SUFFIXES};
use chrono::{Datelike, Duration, NaiveDate};
use rustc_hash::FxHashMap;
use std::borrow::{Borrow, Cow};
use std::hash::Hash;

/// Trim (including non-breaking and other Unicode spaces) and fold inner whitespace.
/// `None` when nothing is left.
pub fn clean_text(raw: &str) -> Option<String> {
    clean_text_ref(raw).map(Cow::into_owned)
}

/// [`clean_text`], borrowing text that is already clean (most cells), so that a
/// cell read only to be looked up costs no copy.
pub fn clean_text_ref(raw: &str) -> Option<Cow<'_, str>> {
    // Nearly every cell: one pass over its bytes.
    if is_clean_ascii(raw) {
        return Some(Cow::Borrowed(raw));
    }
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Clean once trimmed: no whitespace but single spaces.
    let mut after_space = false;
    let clean = trimmed.chars().all(|c| {
        let ok = !c.is_whitespace() || (c == ' ' && !after_space);
        after_space = c == ' ';
        ok
    });
    if clean {
        return Some(Cow::Borrowed(trimmed));
    }
    let mut out = String::with_capacity(raw.len());
    for word in raw.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(Cow::Owned(out))
}

/// Whether text is ASCII, not empty, and already clean: no whitespace but single
/// spaces between words (ASCII whitespace, as `char::is_whitespace` has it, is the
/// space and \t \n \x0B \x0C \r). Nearly every cell is, and is checked here eight
/// bytes at a time (the cells of the row readers' fields pass here once per row:
/// the byte-by-byte loop it replaced, kept for its property test as
/// `is_clean_ascii_bytewise`, cost 3% of a national run).
fn is_clean_ascii(raw: &str) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = ONES * 0x80;
    const LOW7: u64 = ONES * 0x7F;
    const SPACES: u64 = ONES * b' ' as u64;
    let bytes = raw.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) if first != b' ' && last != b' ' => {}
        _ => return false,
    }
    // Eight bytes at a time, little-endian: whether the previous chunk ended in a space.
    let mut space_before = false;
    let mut clean_chunk = |x: u64| {
        if x & HIGH != 0 {
            return false;
        }
        // The high bit of each byte that is a space, exactly (no borrow between bytes).
        let y = x ^ SPACES;
        let spaces = !(((y & LOW7) + LOW7) | y | LOW7);
        // The high bit of each byte from 9 to 13 (\t..\r): bytes are below 0x80 here.
        let above_8 = (x + ONES * (0x80 - 9)) & HIGH;
        let above_13 = (x + ONES * (0x80 - 14)) & HIGH;
        let clean = above_8 & !above_13 == 0
            && spaces & (spaces >> 8) == 0
            && !(space_before && spaces & 0x80 != 0);
        space_before = spaces >> 63 != 0;
        clean
    };
    let (chunks, tail) = bytes.as_chunks::<8>();
    if !chunks
        .iter()
        .all(|chunk| clean_chunk(u64::from_le_bytes(*chunk)))
    {
        return false;
    }
    // The last bytes as a chunk, zero above them: a zero byte is neither a space nor
    // \t..\r.
    let last = (tail.iter().enumerate()).fold(0, |x, (i, &b)| x | u64::from(b) << (8 * i));
    tail.is_empty() || clean_chunk(last)
}

/// [`is_clean_ascii`] a byte at a time: what it must agree with (a property test).
#[cfg(test)]
fn is_clean_ascii_bytewise(raw: &str) -> bool {
    // A leading space is as bad as a double one.
    let mut after_space = true;
    for b in raw.bytes() {
        match b {
            b'\t'..=b'\r' | 0x80.. => return false,
            b' ' if after_space => return false,
            b' ' => after_space = true,
            _ => after_space = false,
        }
    }
    !after_space
}

/// A cell as cleaned text (numbers printed without a trailing `.0`).
pub fn cell_text(cell: &Cell) -> Option<String> {
    cell_text_ref(cell).map(Cow::into_owned)
}

/// [`cell_text`], borrowing a text cell that is already clean.
pub fn cell_text_ref(cell: &Cell) -> Option<Cow<'_, str>> {
    match cell {
        Cell::Empty => None,
        // Text is cleaned where it lies, without a copy first.
        Cell::Text(text) => clean_text_ref(text),
        other => other.as_text().and_then(|t| clean_text(&t)).map(Cow::Owned),
    }
}

/// The answer for `key` from `memory`, computing and keeping it the first time: a
/// national sheet repeats a few dozen supplier, product and scope texts thousands
/// of times, and each answer costs a normalised key and several lookups.
pub fn remembered<K, Q, T>(
    memory: &mut FxHashMap<K, T>,
    key: &Q,
    compute: impl FnOnce(&Q) -> T,
) -> T
where
    K: Borrow<Q> + Hash + Eq,
    Q: ?Sized + Hash + Eq + ToOwned<Owned = K>,
    T: Clone,
{
    if let Some(known) = memory.get(key) {
        return known.clone();
    }
    let answer = compute(key);
    memory.insert(key.to_owned(), answer.clone());
    answer
}

/// Whether [`cell_text`] would give a value, without building it.
pub fn has_text(cell: &Cell) -> bool {
    match cell {
        Cell::Empty => false,
        Cell::Text(text) | Cell::Error(text) => !text.trim().is_empty(),
        Cell::Number(_) | Cell::Date(_) | Cell::Bool(_) => true,
    }
}

/// Words that mean "no value yet" and are not worth a warning.
pub fn is_missing_token(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "" | "tbc" | "tba" | "tbd" | "unknown" | "n/a" | "na" | "-" | "–" | "—" | "not known"
    )
}

/// ODS organisation code: upper-cased; `Err` (with the cleaned code) unless it is 3 to
/// 5 ASCII letters and digits.
pub fn parse_ods_code(raw: &str) -> Result<Option<OdsCode>, OdsCode> {
    let Some(code) = clean_text_ref(raw) else {
        return Ok(None);
    };
    let valid = (3..=5).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric());
    let mut code = OdsCode::from(&*code);
    code.make_ascii_uppercase();
    if valid {
        Ok(Some(code))
    } else {
        Err(code)
    }
}

/// The first and last years a date in a return may fall in (1950-01-01 to
/// 2100-12-31): anything outside is a typing or formula slip (a serial of 29 million is
/// the year 82900; serial 0 is 1899), and would otherwise move a trust's go-live.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1950..=2100;

/// Why a date cell gave no date; shown in the warning at the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// Text (or a value) that is not a date in any accepted form.
    Unrecognised(String),
    /// A date outside [`DATE_YEARS`], with the value as written.
    OutOfRange(String),
}

impl std::fmt::Display for DateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateProblem::Unrecognised(text) => {
                write!(f, "unrecognised date \"{text}\": treated as missing")
            }
            DateProblem::OutOfRange(text) => write!(
                f,
                "date {text} is outside {}-01-01 to {}-12-31: treated as missing",
                DATE_YEARS.start(),
                DATE_YEARS.end()
            ),
        }
    }
}

/// The date if it lies within [`DATE_YEARS`]; else the problem, naming `written`.
fn in_range(date: NaiveDate, written: impl FnOnce() -> String) -> Result<NaiveDate, DateProblem> {
    if DATE_YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(DateProblem::OutOfRange(written()))
    }
}

/// A date cell: Excel date cells, numbers that are Excel serials or years, and text
/// in every form of SPEC 1.5. Partial dates resolve to the last day of the period.
/// A date outside [`DATE_YEARS`] is a problem, whichever way it was written.
pub fn parse_date_cell(cell: &Cell) -> Result<Option<NaiveDate>, DateProblem> {
    let date = match cell {
        Cell::Empty => return Ok(None),
        Cell::Date(d) => *d,
        Cell::Number(n) => {
            number_as_date(*n).ok_or_else(|| DateProblem::Unrecognised(format_number(*n)))?
        }
        Cell::Text(t) => match parse_date(t).map_err(DateProblem::Unrecognised)? {
            Some(date) => date,
            None => return Ok(None),
        },
        Cell::Bool(_) | Cell::Error(_) => {
            return Err(DateProblem::Unrecognised(
                cell.as_text().unwrap_or_default(),
            ))
        }
    };
    // Only a date out of range is written out (once per date cell it was 5% of a
    // national run). Years past 9999 print without chrono's leading "+".
    let written = || {
        let iso = || format!("{}-{:02}-{:02}", date.year(), date.month(), date.day());
        match cell {
            Cell::Text(t) => format!("\"{}\"", clean_text(t).unwrap_or_default()),
            Cell::Number(n) => format!("{} (serial {})", iso(), format_number(*n)),
            _ => iso(),
        }
    };
    in_range(date, written).map(Some)
}

/// A number in a date column: a whole year (`2025` → 31 Dec 2025) or an Excel serial
/// in a cell that was not formatted as a date (1900 epoch).
fn number_as_date(n: f64) -> Option<NaiveDate> {
    if n.fract() == 0.0 && (1990.0..=2100.0).contains(&n) {
        return NaiveDate::from_ymd_opt(n as i32, 12, 31);
    }
    if (1.0..2_958_466.0).contains(&n) {
        // Serial 60 is Excel's phantom 29 Feb 1900; after it the offset is 30 Dec 1899.
        let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
        let days = if n >= 60.0 {
            n.floor()
        } else {
            n.floor() + 1.0
        };
        return base.checked_add_signed(Duration::days(days as i64));
    }
    None
}

/// Parse a date written as text (SPEC 1.5): ISO `2025-03-31`; UK `31/03/2025`,
/// `31.03.2025` (day first, never US order); `Mar-25`, `Mar 2025`, `March 2025`,
/// `03/2025`; `Q4 2024/25`; `2024/25`, `FY2024/25`, `FY25`. Month, quarter and year
/// forms resolve to the last day of the period.
pub fn parse_date(raw: &str) -> Result<Option<NaiveDate>, String> {
    let Some(text) = clean_text(raw) else {
        return Ok(None);
    };
    if is_missing_token(&text) {
        return Ok(None);
    }
    let lower = text.to_ascii_lowercase();
    parse_date_lower(&lower).map(Some).ok_or(text)
}

fn parse_date_lower(s: &str) -> Option<NaiveDate> {
    // ISO date, possibly with a time part.
    if let (Some(head), Some(rest)) = (s.get(..10), s.get(10..)) {
        let bytes = head.as_bytes();
        if bytes[4] == b'-'
            && bytes[7] == b'-'
            && (rest.is_empty() || rest.starts_with('t') || rest.starts_with(' '))
        {
            return NaiveDate::parse_from_str(head, "%Y-%m-%d").ok();
        }
    }
    if let Some(date) = quarter(s) {
        return Some(date);
    }
    if let Some(rest) = s.strip_prefix("fy") {
        return fiscal_year_end(rest.trim_start_matches([' ', '-']), true);
    }
    let tokens: Vec<&str> = s
        .split(['/', '.', '-', ' ', ',', '\''])
        .filter(|t| !t.is_empty())
        .collect();
    let all_digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    match tokens.as_slice() {
        [a, b, c] if all_digits(a) && all_digits(b) && all_digits(c) => {
            if a.len() == 4 {
                ymd(year(a)?, b.parse().ok()?, c.parse().ok()?)
            } else {
                ymd(year(c)?, b.parse().ok()?, a.parse().ok()?)
            }
        }
        [d, m, y] if all_digits(d) && all_digits(y) => {
            ymd(year(y)?, month_number(m)?, d.parse().ok()?)
        }
        [m, y] if all_digits(y) && !all_digits(m) => month_end(year(y)?, month_number(m)?),
        [a, b] if all_digits(a) && all_digits(b) => {
            if a.len() == 4 {
                fiscal_year_end(s, false).or_else(|| month_end(year(a)?, b.parse().ok()?))
            } else if b.len() == 4 {
                month_end(year(b)?, a.parse().ok()?)
            } else {
                fiscal_year_end(s, false)
            }
        }
        [y] if y.len() == 4 && all_digits(y) => ymd(y.parse().ok()?, 12, 31),
        _ => None,
    }
}

/// `Q4 2024/25`, `Q4 24/25`, `2024/25 Q4`, `Q4 FY2024/25`: the last day of that NHS
/// financial quarter (Q1 = Apr–Jun ... Q4 = Jan–Mar).
fn quarter(s: &str) -> Option<NaiveDate> {
    let pos = s.find('q')?;
    let q: u32 = s.get(pos + 1..pos + 2)?.parse().ok()?;
    if !(1..=4).contains(&q) {
        return None;
    }
    let rest = format!("{} {}", &s[..pos], s.get(pos + 2..)?);
    let rest = rest.trim().trim_matches(|c: char| c == ' ' || c == '-');
    let rest = rest.strip_prefix("fy").unwrap_or(rest).trim();
    let start = fiscal_year_start(rest, true)?;
    match q {
        1 => ymd(start, 6, 30),
        2 => ymd(start, 9, 30),
        3 => ymd(start, 12, 31),
        _ => ymd(start + 1, 3, 31),
    }
}

/// 31 March at the end of a financial year written `2024/25`, `2024-25`, `2024/2025`,
/// `24/25`, or (when `single_year_is_end`, after "FY") `25` / `2025`.
fn fiscal_year_end(s: &str, single_year_is_end: bool) -> Option<NaiveDate> {
    ymd(fiscal_year_start(s, single_year_is_end)? + 1, 3, 31)
}

fn fiscal_year_start(s: &str, single_year_is_end: bool) -> Option<i32> {
    let parts: Vec<&str> = s.split(['/', '-']).map(str::trim).collect();
    match parts.as_slice() {
        [a, b] => {
            let start = year(a)?;
            let end = year(b)?;
            (end == start + 1).then_some(start)
        }
        [y] if single_year_is_end => Some(year(y)? - 1),
        _ => None,
    }
}

/// A two- or four-digit year (two digits are 20xx).
fn year(t: &str) -> Option<i32> {
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match t.len() {
        2 => Some(2000 + t.parse::<i32>().ok()?),
        4 => t.parse().ok(),
        _ => None,
    }
}

/// January = 1 from a month name or abbreviation (`mar`, `march`, `sept`) or a number.
fn month_number(t: &str) -> Option<u32> {
    if let Ok(n) = t.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if t.len() < 3 {
        return None;
    }
    let t = if t == "sept" { "sep" } else { t };
    MONTHS
        .iter()
        .position(|m| m.starts_with(t))
        .map(|i| i as u32 + 1)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The last day of a month.
pub fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&m) {
        return None;
    }
    let (next_year, next_month) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

/// EMRAM stage 0–7, also written `Stage 5`. `5a` is not a stage.
pub fn parse_emram(cell: &Cell) -> Result<Option<u8>, String> {
    small_integer(cell, "stage", 7)
}

/// EPR group 0–3, also written `Group 2`.
pub fn parse_epr_group(cell: &Cell) -> Result<Option<u8>, String> {
    small_integer(cell, "group", 3)
}

fn small_integer(cell: &Cell, prefix: &str, max: u8) -> Result<Option<u8>, String> {
    let Some(text) = cell_text(cell) else {
        return Ok(None);
    };
    if is_missing_token(&text) {
        return Ok(None);
    }
    let lower = text.to_ascii_lowercase();
    let digits = lower.strip_prefix(prefix).unwrap_or(&lower).trim();
    match digits.parse::<u8>() {
        Ok(n) if n <= max => Ok(Some(n)),
        _ => Err(text),
    }
}

/// An amount of money (SPEC 1.5) from a cell whose column header carries `unit`
/// (`£m`, `£k`, `£000s`, `£`; see [`money_unit`]). Numbers and text without a
/// magnitude suffix are scaled by the unit; text with its own suffix (`£36m`,
/// `£1.2bn`, `£250k`) is taken as written. `(1,000)` is negative. "nil" is zero;
/// "TBC", "-" and blank are missing. Exact: the decimal digits are scaled in integers
/// and rounded to the penny only at the end.
pub fn parse_money(cell: &Cell, unit: Option<&str>) -> Result<Option<Money>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) if n.is_finite() => format_number(*n),
        Cell::Text(t) => t.to_string(),
        _ => return Err(cell.as_text().unwrap_or_default()),
    };
    let Some(text) = clean_text(&text) else {
        return Ok(None);
    };
    if is_missing_token(&text) {
        return Ok(None);
    }
    if text.eq_ignore_ascii_case("nil") {
        return Ok(Some(Money::ZERO));
    }
    let header_pounds = unit.and_then(money_unit).unwrap_or(1);
    parse_amount(&text, header_pounds).map(Some).ok_or(text)
}

/// The amount in `text`, or `None` if it is not one.
fn parse_amount(text: &str, header_pounds: u64) -> Option<Money> {
    let mut body: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .flat_map(char::to_lowercase)
        .collect();
    let mut negative = false;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        body = inner.to_string();
        negative = true;
    }
    for sign in ['-', '−'] {
        if let Some(rest) = body.strip_prefix(sign) {
            body = rest.to_string();
            negative = !negative;
        }
    }
    let body = body.strip_prefix('£').unwrap_or(&body);
    // "£-1000" as well as "-£1000".
    let (body, negative) = match body.strip_prefix('-') {
        Some(rest) => (rest, !negative),
        None => (body, negative),
    };
    let (digits, pounds_per_unit) = MONEY_SUFFIXES
        .iter()
        .find_map(|(suffix, pounds)| body.strip_suffix(suffix).map(|d| (d, *pounds)))
        .unwrap_or((body, header_pounds));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || whole.len() + fraction.len() > 24
    {
        return None;
    }
    // value = mantissa / 10^scale pounds; in pence, rounded half up.
    let mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
    let scale = 10i128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    let numerator = mantissa.checked_mul(i128::from(pounds_per_unit) * 100)?;
    let pence = (numerator + scale / 2) / scale;
    if pence > i128::from(Money::LIMIT.pence()) {
        return None;
    }
    let pence = i64::try_from(pence).ok()?;
    Some(Money::from_pence(if negative { -pence } else { pence }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn clean_text_folds_nbsp_and_spaces() {
        assert_eq!(
            clean_text("\u{a0} Royal  Free\u{a0}London \t"),
            Some("Royal Free London".into())
        );
        assert_eq!(clean_text(" \u{a0} "), None);
    }

    #[test]
    fn ods_codes() {
        assert_eq!(parse_ods_code(" raj "), Ok(Some("RAJ".into())));
        assert_eq!(parse_ods_code("G6V2S"), Ok(Some("G6V2S".into())));
        assert_eq!(parse_ods_code("R1"), Err("R1".into()));
        assert_eq!(parse_ods_code("RA-J"), Err("RA-J".into()));
        assert_eq!(parse_ods_code(""), Ok(None));
        assert_eq!(parse_ods_code(" r\taj\u{a0}"), Err("R AJ".into()));
    }

    #[test]
    fn every_date_form_in_the_spec() {
        let cases = [
            ("2025-03-31", d(2025, 3, 31)),
            ("2025-03-31T00:00:00", d(2025, 3, 31)),
            ("31/03/2025", d(2025, 3, 31)),
            ("01/02/2025", d(2025, 2, 1)), // day first, never US order
            ("31.03.2025", d(2025, 3, 31)),
            ("31/03/25", d(2025, 3, 31)),
            ("Mar-25", d(2025, 3, 31)),
            ("Mar 2025", d(2025, 3, 31)),
            ("March 2025", d(2025, 3, 31)),
            ("Feb 2024", d(2024, 2, 29)),
            ("03/2025", d(2025, 3, 31)),
            ("31 March 2025", d(2025, 3, 31)),
            ("Q1 2024/25", d(2024, 6, 30)),
            ("Q2 2024/25", d(2024, 9, 30)),
            ("Q3 2024/25", d(2024, 12, 31)),
            ("Q4 2024/25", d(2025, 3, 31)),
            ("Q4 24/25", d(2025, 3, 31)),
            ("2024/25", d(2025, 3, 31)),
            ("2024-25", d(2025, 3, 31)),
            ("FY2024/25", d(2025, 3, 31)),
            ("FY 2024/25", d(2025, 3, 31)),
            ("FY25", d(2025, 3, 31)),
            ("2025", d(2025, 12, 31)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn missing_tokens_are_not_warnings() {
        for text in ["TBC", "tba", "Unknown", "N/A", "-", "", "  "] {
            assert_eq!(parse_date(text), Ok(None), "{text}");
        }
        assert_eq!(parse_date("sometime soon"), Err("sometime soon".into()));
        assert_eq!(parse_date("31/02/2025"), Err("31/02/2025".into()));
    }

    #[test]
    fn numbers_in_date_columns() {
        assert_eq!(parse_date_cell(&Cell::Number(45747.0)), Ok(d(2025, 3, 31)));
        assert_eq!(parse_date_cell(&Cell::Number(2026.0)), Ok(d(2026, 12, 31)));
        // Outside 1950..=2100 however written (issue 18): a date cell, a serial, text.
        assert_eq!(
            parse_date_cell(&Cell::Date(NaiveDate::MIN)),
            Err(DateProblem::OutOfRange(format!(
                "{}-01-01",
                NaiveDate::MIN.year()
            )))
        );
        assert!(matches!(
            parse_date_cell(&Cell::Number(1.0)),
            Err(DateProblem::OutOfRange(_))
        ));
        assert!(matches!(
            parse_date_cell(&Cell::Text("01/01/1899".into())),
            Err(DateProblem::OutOfRange(_))
        ));
        assert_eq!(
            parse_date_cell(&Cell::Text("31/12/2100".into())),
            Ok(d(2100, 12, 31))
        );
        assert_eq!(
            parse_date_cell(&Cell::Text("01/01/1950".into())),
            Ok(d(1950, 1, 1))
        );
    }

    #[test]
    fn emram_and_group() {
        assert_eq!(parse_emram(&Cell::Number(5.0)), Ok(Some(5)));
        assert_eq!(parse_emram(&Cell::Text("Stage 6".into())), Ok(Some(6)));
        assert_eq!(parse_emram(&Cell::Text("5a".into())), Err("5a".into()));
        assert_eq!(parse_emram(&Cell::Number(8.0)), Err("8".into()));
        assert_eq!(parse_epr_group(&Cell::Text("Group 2".into())), Ok(Some(2)));
        assert_eq!(parse_epr_group(&Cell::Text("TBC".into())), Ok(None));
    }

    #[test]
    fn every_money_form_in_the_spec() {
        let pounds = |p: i64| Ok(Some(Money::from_pounds(p)));
        let text = |t: &str| Cell::Text(t.into());
        let cases = [
            (text("£36m"), None, pounds(36_000_000)),
            (text("£36.5 m"), None, pounds(36_500_000)),
            (text("36m"), None, pounds(36_000_000)),
            (text("£1.2bn"), None, pounds(1_200_000_000)),
            (text("£250k"), None, pounds(250_000)),
            (text("£250K"), None, pounds(250_000)),
            (text("36,000,000"), None, pounds(36_000_000)),
            (text("£36,000,000.00"), None, pounds(36_000_000)),
            (text("(1,000)"), None, pounds(-1_000)),
            (text("-£1,000"), None, pounds(-1_000)),
            (text("nil"), None, Ok(Some(Money::ZERO))),
            (text("TBC"), Some("£m"), Ok(None)),
            (text("-"), Some("£m"), Ok(None)),
            (Cell::Empty, Some("£m"), Ok(None)),
            (Cell::Number(12.3), Some("£m"), pounds(12_300_000)),
            (Cell::Number(12.3), Some("£k"), pounds(12_300)),
            (Cell::Number(12.3), Some("£000s"), pounds(12_300)),
            (
                Cell::Number(12.3),
                Some("£"),
                Ok(Some(Money::from_pence(1_230))),
            ),
            (text("4.5"), Some("£m"), pounds(4_500_000)),
            // Its own suffix wins over the header's unit.
            (text("£4.5m"), Some("£m"), pounds(4_500_000)),
            (Cell::Number(36.0), Some("incl. VAT"), pounds(36)),
        ];
        for (cell, unit, want) in cases {
            assert_eq!(parse_money(&cell, unit), want, "{cell:?} {unit:?}");
        }
        for bad in ["lots", "£12m approx", "1.2.3", "£", "(12", "£2 trillion"] {
            assert_eq!(parse_money(&text(bad), None), Err(bad.to_string()), "{bad}");
        }
        assert!(
            parse_money(&text("2000bn"), None).is_err(),
            "above the limit"
        );
    }

    #[test]
    fn money_sums_do_not_drift() {
        // 0.1 added ten thousand times in floating point is not 1000.
        let tenth = parse_money(&Cell::Number(0.1), Some("£m"))
            .unwrap()
            .unwrap();
        let sum: Money = std::iter::repeat_n(tenth, 10_000).sum();
        assert_eq!(sum, Money::from_pounds(1_000_000_000));
    }

    proptest! {
        /// The eight-bytes-at-a-time check agrees with the byte loop, on text made of
        /// the bytes it must tell apart (spaces, \t..\r and the bytes either side of
        /// that range, other control bytes, letters, non-ASCII), at every length
        /// around a chunk's eight bytes.
        #[test]
        fn the_clean_check_agrees_with_the_byte_loop(s in "[ \t\n\u{b}\u{c}\r\u{8}\u{e}\u{0}\u{1f}\u{7f}a~\u{e9}\u{a0}]{0,20}") {
            prop_assert_eq!(is_clean_ascii(&s), is_clean_ascii_bytewise(&s), "{:?}", s);
        }

        #[test]
        fn clean_text_borrows_exactly_when_already_clean(s in "[a \t\r\u{b}\u{c}\u{a0}\u{2003}\u{85}b\n]{0,12}") {
            let words: Vec<&str> = s.split(char::is_whitespace).filter(|w| !w.is_empty()).collect();
            let expected = (!words.is_empty()).then(|| words.join(" "));
            let cleaned = clean_text_ref(&s);
            prop_assert_eq!(cleaned.as_deref(), expected.as_deref());
            let borrowed = matches!(cleaned, Some(Cow::Borrowed(_)));
            prop_assert_eq!(borrowed, expected.as_deref().is_some_and(|e| e == s.trim()));
        }

        #[test]
        fn money_parser_never_panics(s in "\\PC{0,30}", unit in "\\PC{0,6}") {
            let _ = parse_money(&Cell::Text(s.into()), Some(&unit));
        }

        #[test]
        fn pounds_and_pence_round_trip(pence in -10_000_000_000_000i64..10_000_000_000_000) {
            let money = Money::from_pence(pence);
            prop_assert_eq!(parse_money(&Cell::Text(money.pounds_text().into()), None), Ok(Some(money)));
        }

        #[test]
        fn date_parser_never_panics(s in "\\PC{0,40}") {
            let _ = parse_date(&s);
        }

        #[test]
        fn date_parser_never_panics_on_date_like_text(s in "[0-9qQfFyY/.\\- ]{0,16}") {
            let _ = parse_date(&s);
        }

        #[test]
        fn iso_and_uk_forms_round_trip(days in 0i64..40_000) {
            let date = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + Duration::days(days);
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Ok(Some(date)));
            prop_assert_eq!(parse_date(&date.format("%d/%m/%Y").to_string()), Ok(Some(date)));
            prop_assert_eq!(parse_date(&date.format("%d.%m.%Y").to_string()), Ok(Some(date)));
        }

        #[test]
        fn month_forms_resolve_to_month_end(y in 2000i32..2099, m in 1u32..=12) {
            let end = month_end(y, m).unwrap();
            let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
            prop_assert_eq!(parse_date(&first.format("%b %Y").to_string()), Ok(Some(end)));
            prop_assert_eq!(parse_date(&first.format("%B %Y").to_string()), Ok(Some(end)));
            prop_assert_eq!(parse_date(&first.format("%b-%y").to_string()), Ok(Some(end)));
            prop_assert_eq!(parse_date(&first.format("%m/%Y").to_string()), Ok(Some(end)));
            prop_assert_eq!(end.succ_opt().unwrap().day(), 1);
        }

        #[test]
        fn other_parsers_never_panic(s in "\\PC{0,20}") {
            let _ = parse_ods_code(&s);
            let _ = parse_emram(&Cell::Text(s.as_str().into()));
            let _ = parse_epr_group(&Cell::Text(s.as_str().into()));
            let _ = crate::schema::Status::parse(&s);
            let _ = crate::schema::Sector::parse(&s);
            let _ = clean_text(&s);
        }
    }
}
