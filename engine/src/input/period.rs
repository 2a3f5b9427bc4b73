//! Reading origins and valuations as users write them (`1995`, `1995Q1`,
//! `1995-01`, `1995-01-31`, `1/31/1995`, `199501`, `19950131`) and inferring
//! the grain of a column from the spacing of its dates, as chainladder-python
//! does (`TriangleBase._to_datetime` and `_get_grain`).
//!
//! A period is kept as a month index (year × 12 + month − 1), the unit the
//! [`Triangle`](crate::Triangle) uses; days only matter for validating a
//! date, since no grain here is finer than a month.

use crate::Grain;
use chrono::NaiveDate;

/// How much of a date a token spelled out. A bare year or a quarter says
/// which period it means; a month or a day is a point whose period depends
/// on the grain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Precision {
    Year,
    Quarter,
    Month,
    Day,
}

/// A parsed origin or valuation: the first month it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    pub month: i32,
    pub precision: Precision,
}

impl Period {
    /// The last month the token names: the end of its year or quarter, or
    /// the month itself.
    fn end_month(self) -> i32 {
        match self.precision {
            Precision::Year => self.month + 11,
            Precision::Quarter => self.month + 2,
            Precision::Month | Precision::Day => self.month,
        }
    }
}

/// What a token's digits say about day-first order (`31/01/1995`):
/// `Some(true)` when only day-first reads it, `Some(false)` when only
/// month-first does, `None` when both do or it is no such date.
pub(crate) fn day_first_hint(token: &str) -> Option<bool> {
    let parts = split_date(token.trim())?;
    if parts.len() != 3 || parts[0].len() == 4 {
        return None;
    }
    let a: u32 = parts[0].parse().ok()?;
    let b: u32 = parts[1].parse().ok()?;
    match (a > 12, b > 12) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Whether a column of tokens is written day-first: pandas reads
/// `1/2/1995` month-first unless the column shows otherwise, and one
/// `31/01/1995` shows otherwise for the whole column.
pub(crate) fn column_is_day_first<'a>(tokens: impl IntoIterator<Item = &'a str>) -> bool {
    let mut day_first = false;
    for t in tokens {
        match day_first_hint(t) {
            Some(false) => return false,
            Some(true) => day_first = true,
            None => {}
        }
    }
    day_first
}

/// Parses a token as a period or date. `None` when it is neither.
pub(crate) fn parse_period(token: &str, day_first: bool) -> Option<Period> {
    let s = token.trim();
    if let Some(p) = parse_quarter(s) {
        return Some(p);
    }
    // pandas writes whole-number floats as `1995.0`.
    let s = s.strip_suffix(".0").filter(|r| r.len() == 4).unwrap_or(s);
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            4 => Some(Period { month: year(s)? * 12, precision: Precision::Year }),
            6 => month_period(year(&s[..4])?, s[4..].parse().ok()?),
            8 => day_period(year(&s[..4])?, s[4..6].parse().ok()?, s[6..].parse().ok()?),
            _ => None,
        };
    }
    // A timestamp's time of day does not change its month.
    let date = s.split(['T', ' ']).next().unwrap_or(s);
    let parts = split_date(date)?;
    match parts.as_slice() {
        [y, m] if y.len() == 4 => month_period(year(y)?, m.parse().ok()?),
        [m, y] if y.len() == 4 && m.len() <= 2 => month_period(year(y)?, m.parse().ok()?),
        [y, m, d] if y.len() == 4 => day_period(year(y)?, m.parse().ok()?, d.parse().ok()?),
        [a, b, y] if y.len() == 4 && a.len() <= 2 && b.len() <= 2 => {
            let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
            let (m, d) = if day_first { (b, a) } else { (a, b) };
            day_period(year(y)?, m, d)
        }
        _ => None,
    }
}

/// `1995Q1`, `1995-Q1`, `1995 Q1`, `Q1 1995`, `Q1-1995` (any case).
fn parse_quarter(s: &str) -> Option<Period> {
    let upper = s.to_ascii_uppercase();
    let (y, q) = if let Some(i) = upper.find('Q') {
        let (head, tail) = upper.split_at(i);
        let tail = tail.get(1..)?;
        let head = head.trim_end_matches(['-', ' ', '/']);
        if head.is_empty() {
            // `Q1 1995`
            let q = tail.get(..1)?;
            (tail.get(1..)?.trim_start_matches(['-', ' ', '/']).to_string(), q.to_string())
        } else {
            (head.to_string(), tail.to_string())
        }
    } else {
        return None;
    };
    if y.len() != 4 || q.len() != 1 {
        return None;
    }
    let q: i32 = q.parse().ok()?;
    if !(1..=4).contains(&q) {
        return None;
    }
    Some(Period { month: year(&y)? * 12 + (q - 1) * 3, precision: Precision::Quarter })
}

fn split_date(s: &str) -> Option<Vec<&str>> {
    let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = s.split(sep).collect();
    if parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        Some(parts)
    } else {
        None
    }
}

/// A four-digit year; 1000 to 9999 keeps every month index far from overflow.
fn year(s: &str) -> Option<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|y| *y >= 1000)
}

fn month_period(year: i32, month: u32) -> Option<Period> {
    (1..=12).contains(&month).then(|| Period { month: year * 12 + month as i32 - 1, precision: Precision::Month })
}

fn day_period(year: i32, month: u32, day: u32) -> Option<Period> {
    NaiveDate::from_ymd_opt(year, month, day)?;
    Some(Period { month: year * 12 + month as i32 - 1, precision: Precision::Day })
}

/// A plain whole number (`12`, `12.0`): how development ages are written.
pub(crate) fn parse_age(token: &str) -> Option<i64> {
    let s = token.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The coarsest grain whose periods the spacing of these months fits:
/// chainladder-python's `_get_grain` (all gaps a multiple of 12 → yearly,
/// of 3 → quarterly, else monthly; 6 is semiannual there and quarterly
/// here, which has no semiannual grain). A token that names a quarter
/// (`1995Q1`) makes the grain at least quarterly, since a yearly reading
/// would move its valuation to December.
pub(crate) fn infer_grain(periods: &[Period]) -> Grain {
    let mut months: Vec<i32> = periods.iter().map(|p| p.month).collect();
    months.sort_unstable();
    months.dedup();
    let step = months.windows(2).fold(0, |g, w| gcd(g, i64::from(w[1]) - i64::from(w[0])));
    let spaced = if step == 0 || step % 12 == 0 {
        Grain::Yearly
    } else if step % 3 == 0 {
        Grain::Quarterly
    } else {
        Grain::Monthly
    };
    if spaced == Grain::Yearly && periods.iter().any(|p| p.precision == Precision::Quarter) {
        Grain::Quarterly
    } else {
        spaced
    }
}

/// The development grain of valuations that are all the same date:
/// chainladder-python's rule (the origin grain when the valuation ends one
/// of its periods, otherwise monthly).
pub(crate) fn single_valuation_grain(p: Period, origin_grain: Grain) -> Grain {
    let months = origin_grain.months() as i32;
    if p.precision == Precision::Year || (p.end_month() + 1).rem_euclid(months) == 0 {
        origin_grain
    } else if p.precision == Precision::Quarter {
        Grain::Quarterly
    } else {
        Grain::Monthly
    }
}

/// The grain whose periods are the shorter of the two.
pub(crate) fn finer(a: Grain, b: Grain) -> Grain {
    if a.months() <= b.months() {
        a
    } else {
        b
    }
}

/// The first month of the period of `grain` that contains `month`
/// (calendar periods: years start in January, quarters in January, April,
/// July and October).
pub(crate) fn period_start(month: i32, grain: Grain) -> i32 {
    let m = grain.months() as i32;
    month.div_euclid(m) * m
}

/// The grain whose periods are `months` long, or a finer one that divides it.
pub(crate) fn grain_of_ages(ages: impl IntoIterator<Item = i64>) -> Grain {
    let g = ages.into_iter().fold(0, gcd);
    if g != 0 && g % 12 == 0 {
        Grain::Yearly
    } else if g != 0 && g % 3 == 0 {
        Grain::Quarterly
    } else {
        Grain::Monthly
    }
}

fn gcd(mut a: i64, mut b: i64) -> i64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: i32) -> i32 {
        y * 12 + mo - 1
    }

    #[test]
    fn every_written_form() {
        let p = |s: &str| parse_period(s, false).map(|p| (p.month, p.precision));
        assert_eq!(p("1995"), Some((m(1995, 1), Precision::Year)));
        assert_eq!(p("1995.0"), Some((m(1995, 1), Precision::Year)));
        assert_eq!(p("1995Q3"), Some((m(1995, 7), Precision::Quarter)));
        assert_eq!(p("1995-q2"), Some((m(1995, 4), Precision::Quarter)));
        assert_eq!(p("Q4 1995"), Some((m(1995, 10), Precision::Quarter)));
        assert_eq!(p("1995-04"), Some((m(1995, 4), Precision::Month)));
        assert_eq!(p("04/1995"), Some((m(1995, 4), Precision::Month)));
        assert_eq!(p("199504"), Some((m(1995, 4), Precision::Month)));
        assert_eq!(p("1995-01-31"), Some((m(1995, 1), Precision::Day)));
        assert_eq!(p("1995-01-31 00:00:00"), Some((m(1995, 1), Precision::Day)));
        assert_eq!(p("1995-01-31T12:00:00Z"), Some((m(1995, 1), Precision::Day)));
        assert_eq!(p("19950131"), Some((m(1995, 1), Precision::Day)));
        assert_eq!(p("1/31/1995"), Some((m(1995, 1), Precision::Day)));
        assert_eq!(parse_period("31/1/1995", true).map(|p| p.month), Some(m(1995, 1)));
        for bad in ["", "abc", "95", "1995Q5", "1995-13", "1995-02-30", "13/13/1995", "12", "Q", "1995Q"] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_first_is_decided_by_the_column() {
        assert!(column_is_day_first(["1/2/1995", "31/1/1995"]));
        assert!(!column_is_day_first(["1/2/1995", "1/31/1995", "31/1/1995"]));
        assert!(!column_is_day_first(["1995-01-31"]));
    }

    #[test]
    fn grains_from_spacing() {
        let p = |s: &str| parse_period(s, false).unwrap();
        assert_eq!(infer_grain(&[p("1995"), p("1996")]), Grain::Yearly);
        assert_eq!(infer_grain(&[p("1995-01"), p("1995-04"), p("1996-01")]), Grain::Quarterly);
        assert_eq!(infer_grain(&[p("1995-01-31"), p("1995-02-28")]), Grain::Monthly);
        assert_eq!(infer_grain(&[p("1995Q1"), p("1996Q1")]), Grain::Quarterly);
        assert_eq!(single_valuation_grain(p("1995-12-31"), Grain::Yearly), Grain::Yearly);
        assert_eq!(single_valuation_grain(p("1995-06-30"), Grain::Yearly), Grain::Monthly);
        assert_eq!(grain_of_ages([12, 24, 36]), Grain::Yearly);
        assert_eq!(grain_of_ages([3, 6, 12]), Grain::Quarterly);
        assert_eq!(grain_of_ages([1, 12]), Grain::Monthly);
        assert_eq!(period_start(m(1995, 5), Grain::Quarterly), m(1995, 4));
        assert_eq!(period_start(m(1995, 5), Grain::Yearly), m(1995, 1));
    }
}
