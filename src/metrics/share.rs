//! An exact share between 0 and 1, for targets and rates given on the command line.

use std::fmt;
use std::str::FromStr;

/// A share between 0 and 1 (the coverage target, a funding match rate), kept as an
/// exact fraction so that `0.9 × 10` needs exactly 9 (floating point would ask
/// 0.9 × 30 for 28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    numerator: u64,
    denominator: u64,
}

impl Share {
    /// `numerator / denominator` (a denominator of 0 is taken as 1).
    pub const fn new(numerator: u64, denominator: u64) -> Share {
        let denominator = if denominator == 0 { 1 } else { denominator };
        Share {
            numerator,
            denominator,
        }
    }

    /// `1 − self`.
    pub fn complement(self) -> Share {
        Share::new(self.denominator - self.numerator, self.denominator)
    }

    /// The fraction as (numerator, denominator).
    pub fn parts(self) -> (u64, u64) {
        (self.numerator, self.denominator)
    }

    /// As a float, for display and machine output.
    pub fn as_f64(self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }

    /// ⌈target × trusts⌉: live trusts needed to meet the target.
    pub fn needed(self, trusts: u64) -> u64 {
        (self.numerator * trusts).div_ceil(self.denominator)
    }

    /// Whether `live` of `trusts` meets the target (live / trusts ≥ target).
    pub fn met(self, live: u64, trusts: u64) -> bool {
        live * self.denominator >= self.numerator * trusts
    }
}

impl FromStr for Share {
    type Err = String;

    /// `0.9`, `.925`, `1`, `90%` or `92.5%`: a share between 0 and 1.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let (digits, percent) = match text.strip_suffix('%') {
            Some(d) => (d.trim(), true),
            None => (text, false),
        };
        let bad = || format!("invalid share \"{s}\": give a share such as 0.9 or 90%");
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole
                .chars()
                .chain(frac.chars())
                .all(|c| c.is_ascii_digit())
            || frac.len() > 6
        {
            return Err(bad());
        }
        let mut denominator = 10u64.pow(frac.len() as u32);
        let numerator = format!("{whole}{frac}").parse::<u64>().map_err(|_| bad())?;
        if percent {
            denominator *= 100;
        }
        if numerator > denominator {
            return Err(format!(
                "invalid share \"{s}\": it must be between 0 and 1 (0% and 100%)"
            ));
        }
        Ok(Share {
            numerator,
            denominator,
        })
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.as_f64() * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::coverage::DEFAULT_TARGET;
    use proptest::prelude::*;

    #[test]
    fn target_parses_shares_and_percentages() {
        assert_eq!("0.9".parse(), Ok(DEFAULT_TARGET));
        assert_eq!("90%".parse::<Share>().map(|t| t.as_f64()), Ok(0.9));
        assert_eq!("92.5%".parse::<Share>().map(|t| t.needed(40)), Ok(37));
        assert!("1.5".parse::<Share>().is_err());
        assert!("abc".parse::<Share>().is_err());
        assert!("".parse::<Share>().is_err());
    }

    #[test]
    fn shortfall_is_exact() {
        let t = DEFAULT_TARGET;
        assert_eq!(t.needed(10), 9);
        assert_eq!(t.needed(30), 27); // 0.9 * 30.0 in f64 is 27.000000000000004
        assert_eq!(t.needed(7), 7);
        assert!(t.met(9, 10));
        assert!(!t.met(26, 30));
    }

    proptest! {
        #[test]
        fn needed_is_the_least_count_that_meets(trusts in 0u64..10_000, pct in 0u64..=100) {
            let t: Share = format!("{pct}%").parse().unwrap();
            let need = t.needed(trusts);
            prop_assert!(t.met(need, trusts));
            if need > 0 {
                prop_assert!(!t.met(need - 1, trusts));
            }
        }
    }
}
