//! The words every table title uses for its population and its date basis, so that
//! commands, report sheets, charts and the HTML page say them the same way (README,
//! "Table titles"): `WHAT of POPULATION ..., BASIS`.

use chrono::NaiveDate;

/// The population of coverage, maturity and trajectory (SPEC 1.5, section 3).
pub const NHS_TRUSTS: &str = "NHS trusts";
/// The population of convergence: every provider in the returns, whatever its sector.
pub const ALL_PROVIDERS: &str = "all providers (every sector)";
/// The population of funding: every line of the most recent funding table of each
/// ICS, a provider's (any sector) or ICS-wide.
pub const FUNDING_LINES: &str = "all funding lines (any sector, and ICS-wide)";
/// The date basis of figures taken as the returns state them (funding amounts,
/// EMRAM stages and EPR groups).
pub const AS_RETURNED: &str = "as returned";

/// A date in a title, as UK readers write it (`31/12/2023`); cells keep real dates.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The date basis of a count of live trusts: the status each return reports, or,
/// with `--as-of D`, live with a go-live by D.
pub fn live_basis(as_of: Option<NaiveDate>) -> String {
    match as_of {
        Some(d) => format!("live by {}", date(d)),
        None => "by reported status".to_string(),
    }
}

/// The date basis of the EPRs in use: now (today's date), or at `--as-of`.
pub fn in_use_basis(as_of: NaiveDate, at_date: bool) -> String {
    if at_date {
        format!("in use by {}", date(as_of))
    } else {
        format!("in use now ({})", date(as_of))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2023, 12, 31).expect("a date");
        assert_eq!(date(d), "31/12/2023");
        assert_eq!(live_basis(Some(d)), "live by 31/12/2023");
        assert_eq!(live_basis(None), "by reported status");
        assert_eq!(in_use_basis(d, true), "in use by 31/12/2023");
        assert_eq!(in_use_basis(d, false), "in use now (31/12/2023)");
    }
}
