//! Amounts of money in whole pence, so that sums of many funding lines are exact
//! (SPEC 1.5: floating point would drift). Parsing from cells lives in
//! [`crate::normalise::values::parse_money`]; display in [`crate::output`].

use std::fmt;
use std::ops::{Add, Neg, Sub};

/// An amount in pence. Cells above [`Money::LIMIT`] are refused when read, so sums of
/// any realistic number of lines stay far inside `i64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// The largest amount one cell may hold: £1 trillion (anything larger is a unit
    /// mistake, and refusing it keeps every sum exact).
    pub const LIMIT: Money = Money(100_000_000_000_000);

    /// An amount of pence.
    pub const fn from_pence(pence: i64) -> Money {
        Money(pence)
    }

    /// An amount of whole pounds.
    pub const fn from_pounds(pounds: i64) -> Money {
        Money(pounds * 100)
    }

    /// The amount in pence.
    pub const fn pence(self) -> i64 {
        self.0
    }

    /// The amount in pounds, for ratios and JSON (exact below about £90 trillion).
    pub fn as_pounds_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Absolute value.
    pub fn abs(self) -> Money {
        Money(self.0.saturating_abs())
    }

    /// `self × numerator / denominator`, rounded half away from zero to the penny.
    pub fn times_fraction(self, numerator: u64, denominator: u64) -> Money {
        let product = i128::from(self.0) * i128::from(numerator);
        let denominator = i128::from(denominator.max(1));
        let quotient = product / denominator;
        let remainder = product % denominator;
        let rounded = if 2 * remainder.abs() >= denominator {
            quotient + product.signum()
        } else {
            quotient
        };
        Money(i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX }))
    }

    /// The amount in pounds, exactly, as plain decimal text: `36000000`, `1234.5`,
    /// `-0.01` (no separators, no trailing zeros). Used by machine-readable output.
    pub fn pounds_text(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let pence = self.0.unsigned_abs();
        let (pounds, rest) = (pence / 100, pence % 100);
        match rest {
            0 => format!("{sign}{pounds}"),
            r if r % 10 == 0 => format!("{sign}{pounds}.{}", r / 10),
            r => format!("{sign}{pounds}.{r:02}"),
        }
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// For people: `£1,736.4m` from £1m up (one decimal), `£250,000` and `£1,234.56`
/// below, `-£9.0m` when negative. The alternate form (`{:#}`) is exact to the penny
/// at any size (`£2,000,001.50`), for messages about small differences.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let pence = self.0.unsigned_abs();
        if pence >= 100_000_000 && !f.alternate() {
            // Tenths of a million pounds = 10 000 000 pence, rounded half up.
            let tenths = (pence + 5_000_000) / 10_000_000;
            write!(f, "{sign}£{}.{}m", thousands(tenths / 10), tenths % 10)
        } else if pence.is_multiple_of(100) {
            write!(f, "{sign}£{}", thousands(pence / 100))
        } else {
            write!(f, "{sign}£{}.{:02}", thousands(pence / 100), pence % 100)
        }
    }
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn display_for_people() {
        assert_eq!(Money::from_pounds(1_736_400_000).to_string(), "£1,736.4m");
        assert_eq!(Money::from_pounds(9_000_000).to_string(), "£9.0m");
        assert_eq!(Money::from_pounds(-9_000_000).to_string(), "-£9.0m");
        assert_eq!(Money::from_pounds(1_049_999).to_string(), "£1.0m");
        assert_eq!(Money::from_pounds(1_050_000).to_string(), "£1.1m");
        assert_eq!(Money::from_pounds(250_000).to_string(), "£250,000");
        assert_eq!(Money::from_pounds(-1_000).to_string(), "-£1,000");
        assert_eq!(Money::from_pence(123_456).to_string(), "£1,234.56");
        assert_eq!(Money::ZERO.to_string(), "£0");
        assert_eq!(
            format!("{:#}", Money::from_pence(200_000_150)),
            "£2,000,001.50"
        );
    }

    #[test]
    fn pounds_text_is_exact() {
        assert_eq!(Money::from_pounds(36_000_000).pounds_text(), "36000000");
        assert_eq!(Money::from_pence(123_450).pounds_text(), "1234.5");
        assert_eq!(Money::from_pence(-1).pounds_text(), "-0.01");
        assert_eq!(Money::from_pence(105).pounds_text(), "1.05");
    }

    #[test]
    fn fractions_round_half_away_from_zero() {
        assert_eq!(
            Money::from_pence(3).times_fraction(1, 2),
            Money::from_pence(2)
        );
        assert_eq!(
            Money::from_pence(-3).times_fraction(1, 2),
            Money::from_pence(-2)
        );
        assert_eq!(
            Money::from_pounds(36_000_000).times_fraction(1, 2),
            Money::from_pounds(18_000_000)
        );
    }

    proptest! {
        #[test]
        fn pounds_text_round_trips(pence in -10_000_000_000i64..10_000_000_000) {
            let text = Money::from_pence(pence).pounds_text();
            let back: f64 = text.parse().unwrap();
            prop_assert_eq!((back * 100.0).round() as i64, pence);
        }
    }
}
