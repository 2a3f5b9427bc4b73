//! Premium per origin: the exposure of Bornhuetter-Ferguson, Benktander and
//! Cape Cod. The layouts, each read without edits (reserving-studio's users
//! bring the last three as they are):
//!
//! - `origin,premium`: one row per origin;
//! - `development,origin,premium`: long like a triangle, where an origin's
//!   premium is its value at the latest development, as earned premium grows
//!   to its final amount;
//! - `UnderwritingYear,Premium`: one row per origin, the origin named as an
//!   underwriting year;
//! - `origin,development,Premium_selected`: long, with valuation periods
//!   (`1995Q1`) or dates;
//! - `uw_year,period,Premium_selected`: several periods per year, the latest
//!   counting.
//!
//! Headers are matched ignoring case, spaces and punctuation, so that
//! `Underwriting Year`, `uw_year` and `UWY` all name the origin, `period`
//! and `valuation` the development, and `Premium_selected` or `Earned
//! Premium` the premium. In a long file the same origin at the same
//! development twice is an error naming both, since which row to keep is
//! the user's call.

use super::input_error;
use super::number::{parse_cell, Cell};
use super::period::{self, Period};
use super::table::Table;
use crate::{EngineError, Triangle};
use std::collections::HashMap;

/// Names of the origin column, squashed (see [`squash`]).
const ORIGIN_NAMES: &[&str] = &[
    "origin",
    "originyear",
    "originperiod",
    "underwritingyear",
    "underwritingperiod",
    "uwyear",
    "uwy",
    "uy",
    "yoa",
    "yearofaccount",
    "accidentyear",
    "accidentperiod",
    "ay",
    "policyyear",
    "cohort",
];

/// Names of the development column, squashed: reserving-studio calls it
/// `period`.
const DEVELOPMENT_NAMES: &[&str] = &[
    "development",
    "developmentperiod",
    "developmentdate",
    "developmentyear",
    "period",
    "valuation",
    "valuationdate",
    "valuationperiod",
    "evaluationdate",
    "calendarperiod",
    "devperiod",
    "dev",
    "age",
    "asof",
    "asat",
];

/// Reads premium per origin, in the order of first appearance. The origin
/// column is `origin` (any case), else the first column with another name
/// of an origin (`UnderwritingYear`, `uw_year`, `UWY`, …), else the first
/// column; a `development` column (or `period`, `valuation`, …) makes the
/// file long. The value column is `premium` (any case), else the column
/// whose name says premium most clearly (`Premium_selected`, `Earned
/// Premium` before `Written Premium`), else the first column whose first
/// value is a number.
pub fn read_premium(text: &str) -> Result<Vec<(String, f64)>, EngineError> {
    let table = Table::parse(text)?;
    if table.n_rows() == 0 {
        return Err(input_error(None, None, "the premium file has a header but no rows of data".into()));
    }
    let oc = named(&table, "origin", ORIGIN_NAMES, &[])?.unwrap_or(0);
    let dc = named(&table, "development", DEVELOPMENT_NAMES, &[oc])?;
    let taken: Vec<usize> = std::iter::once(oc).chain(dc).collect();
    let vc = match premium_column(&table, &taken)? {
        Some(c) => c,
        None => (0..table.headers.len())
            .filter(|c| !taken.contains(c))
            .find(|&c| {
                let first = table.rows().map(|r| parse_cell(r.get(c))).find(|x| *x != Cell::Missing);
                matches!(first, Some(Cell::Number(_)))
            })
            .ok_or_else(|| {
                input_error(
                    Some(1),
                    None,
                    format!("no column of premium amounts; the columns are {}", table.list_headers()),
                )
            })?,
    };
    let value_name = &table.headers[vc];
    let origin_name = &table.headers[oc];
    let dev_name = dc.map(|c| table.headers[c].as_str());
    let dev_tokens: Vec<&str> = match dc {
        Some(c) => table.rows().map(|r| r.get(c).trim()).collect(),
        None => Vec::new(),
    };
    let day_first = period::column_is_day_first(dev_tokens.iter().copied());

    // (origin, value, development order key, line), and where each origin is.
    let mut out: Vec<(String, f64, Option<DevKey>, usize)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Each (origin, development) of a long file and its line: `1995Q1` and
    // `1995-03-31` are the same valuation, so the key is the parsed one.
    let mut seen: HashMap<(String, DevKey), usize> = HashMap::new();
    for (r, row) in table.rows().enumerate() {
        let origin = row.get(oc).trim();
        if origin.is_empty() {
            return Err(input_error(Some(row.line), Some(origin_name), "the origin is empty".into()));
        }
        let raw = row.get(vc);
        let x = match parse_cell(raw) {
            Cell::Missing => continue,
            Cell::Number(x) if x >= 0.0 => x,
            Cell::Number(x) => {
                return Err(input_error(Some(row.line), Some(value_name), format!("premium {x} is negative")))
            }
            Cell::Text => {
                return Err(input_error(Some(row.line), Some(value_name), format!("`{}` is not a number", raw.trim())))
            }
        };
        let dev = match dev_name {
            Some(name) => {
                let token = dev_tokens.get(r).copied().unwrap_or("");
                let d = dev_key(token, day_first).ok_or_else(|| {
                    input_error(
                        Some(row.line),
                        Some(name),
                        format!("`{token}` is not a valuation date or period, nor an age in months"),
                    )
                })?;
                // Two premiums for one origin and valuation: keeping either
                // would be a guess.
                if let Some(first) = seen.insert((origin.to_string(), d), row.line) {
                    return Err(input_error(
                        Some(row.line),
                        Some(name),
                        format!("{origin_name} `{origin}` at {name} `{token}` appears again (first on row {first})"),
                    ));
                }
                Some(d)
            }
            None => None,
        };
        match index.get(origin).and_then(|&i| out.get_mut(i)) {
            None => {
                index.insert(origin.to_string(), out.len());
                out.push((origin.to_string(), x, dev, row.line));
            }
            Some(entry) => match (dev, entry.2) {
                (Some(d), Some(e)) => {
                    if d.kind() != e.kind() {
                        return Err(input_error(Some(row.line), dev_name, "the column mixes ages with dates".into()));
                    }
                    if d > e {
                        *entry = (origin.to_string(), x, Some(d), row.line);
                    }
                }
                _ => {
                    return Err(input_error(
                        Some(row.line),
                        Some(origin_name),
                        format!("{origin_name} `{origin}` appears again (first on row {})", entry.3),
                    ))
                }
            },
        }
    }
    if out.is_empty() {
        return Err(input_error(None, Some(value_name), "no premium amounts in the file".into()));
    }
    Ok(out.into_iter().map(|(o, x, ..)| (o, x)).collect())
}

/// A header without case, spaces or punctuation: `Underwriting Year`,
/// `underwriting_year` and `UnderwritingYear` are one name.
fn squash(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// The column named `name` (exactly, else ignoring case), else the first
/// whose squashed header is one of `names`; columns in `taken` are another
/// role's. `None` when no column has such a name.
fn named(table: &Table, name: &str, names: &[&str], taken: &[usize]) -> Result<Option<usize>, EngineError> {
    if let Some(c) = table.find(name).transpose()? {
        return Ok((!taken.contains(&c)).then_some(c));
    }
    Ok((0..table.headers.len())
        .filter(|c| !taken.contains(c))
        .find(|&c| names.contains(&squash(&table.headers[c]).as_str())))
}

/// The column whose name says premium: `premium` itself, then the premium
/// an actuary selected or earned (`Premium_selected`, `Earned Premium`),
/// then any other premium or exposure. Two columns equally likely is an
/// error naming them, as picking one would silently reserve on the other.
fn premium_column(table: &Table, taken: &[usize]) -> Result<Option<usize>, EngineError> {
    if let Some(c) = table.find("premium").transpose()? {
        if !taken.contains(&c) {
            return Ok(Some(c));
        }
    }
    let score = |h: &str| {
        let s = squash(h);
        if s == "premium" {
            3
        } else if s.contains("prem") && (s.contains("selected") || s.contains("earned")) {
            2
        } else if s.contains("prem") || s.contains("exposure") {
            1
        } else {
            0
        }
    };
    let scores: Vec<(usize, u32)> = (0..table.headers.len())
        .filter(|c| !taken.contains(c))
        .map(|c| (c, score(&table.headers[c])))
        .filter(|&(_, s)| s > 0)
        .collect();
    let Some(best) = scores.iter().map(|&(_, s)| s).max() else {
        return Ok(None);
    };
    let top: Vec<usize> = scores.iter().filter(|&&(_, s)| s == best).map(|&(c, _)| c).collect();
    match top.as_slice() {
        [c] => Ok(Some(*c)),
        _ => Err(input_error(
            Some(1),
            None,
            format!(
                "columns {} could each be the premium; name the one to use `premium`",
                top.iter().map(|&c| format!("`{}`", table.headers[c])).collect::<Vec<_>>().join(" and ")
            ),
        )),
    }
}

/// The order of a premium row's development: a date, or an age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd)]
enum DevKey {
    Age(i64),
    /// The last month the valuation covers.
    Month(i32),
}

impl DevKey {
    fn kind(self) -> u8 {
        match self {
            DevKey::Age(_) => 0,
            DevKey::Month(..) => 1,
        }
    }
}

fn dev_key(token: &str, day_first: bool) -> Option<DevKey> {
    match period::parse_period(token, day_first) {
        // A bare year is valued at its end: after `1995Q3`, and with
        // `1995Q4` and `1995-12-31`.
        Some(Period { month, precision }) => Some(DevKey::Month(month + span(precision))),
        None => period::parse_age(token).map(DevKey::Age),
    }
}

fn span(p: period::Precision) -> i32 {
    match p {
        period::Precision::Year => 11,
        period::Precision::Quarter => 2,
        _ => 0,
    }
}

/// Premium per origin of a triangle, in its order. A premium origin is
/// matched to the triangle origin whose period contains it (`1995-01-01`
/// and `1995` both match origin `1995` of a yearly triangle; premium of
/// finer origins is summed), else by its exact label. Premium for origins
/// the triangle does not have is ignored; a triangle origin without premium
/// is an error that names it.
pub fn align_premium(premium: &[(String, f64)], triangle: &Triangle) -> Result<Vec<f64>, EngineError> {
    let day_first = period::column_is_day_first(premium.iter().map(|(o, _)| o.as_str()));
    let mut out: Vec<Option<f64>> = vec![None; triangle.n_origins()];
    for (origin, x) in premium {
        let by_period = period::parse_period(origin, day_first).and_then(|p| {
            let start = period::period_start(p.month, triangle.origin_grain());
            triangle.origin_index(&triangle.origin_grain().label(start))
        });
        if let Some(i) = by_period.or_else(|| triangle.origin_index(origin.trim())) {
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(slot.unwrap_or(0.0) + x);
            }
        }
    }
    let missing: Vec<&str> =
        out.iter().zip(triangle.origins()).filter(|(p, _)| p.is_none()).map(|(_, o)| o.as_str()).collect();
    if !missing.is_empty() {
        return Err(input_error(
            None,
            Some("origin"),
            format!("no premium for origin{} {}", if missing.len() > 1 { "s" } else { "" }, missing.join(", ")),
        ));
    }
    Ok(out.into_iter().map(|p| p.unwrap_or(0.0)).collect())
}

#[cfg(test)]
mod tests {
    //! Each layout with exact values, and each way it can be wrong.

    use super::*;

    fn err(text: &str) -> (Option<usize>, Option<String>, String) {
        match read_premium(text) {
            Err(EngineError::Input { row, column, message }) => (row, column, message),
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    fn pairs(p: &[(&str, f64)]) -> Vec<(String, f64)> {
        p.iter().map(|&(o, x)| (o.to_string(), x)).collect()
    }

    #[test]
    fn one_row_per_underwriting_year() {
        let want = pairs(&[("2001", 1000.0), ("2002", 1250.5)]);
        for text in [
            "UnderwritingYear,Premium\n2001,1000\n2002,\"1,250.5\"\n",
            "Underwriting Year;premium\n2001;1000\n2002;1250.5\n",
            "uw_year,Premium_selected\n2001,1000\n2002,1250.5\n",
            "UWY\tEarned Premium\n2001\t1000\n2002\t1250.5\n",
            // The origin need not come first when its name says it.
            "Premium,UnderwritingYear\n1000,2001\n1250.5,2002\n",
            // Unchanged: `origin,premium`.
            "origin,premium\n2001,1000\n2002,1250.5\n",
        ] {
            assert_eq!(read_premium(text).unwrap(), want, "{text}");
        }
        let e = err("UnderwritingYear,Premium\n2001,1000\n2001,1100\n");
        assert_eq!((e.0, e.1.as_deref()), (Some(3), Some("UnderwritingYear")));
        assert!(e.2.contains("`2001` appears again (first on row 2)"), "{e:?}");
    }

    /// The end of reserving-studio's `quarterly_premium.csv` (origins 2004
    /// to 2006), as it is and with its columns and rows swapped.
    #[test]
    fn quarterly_premium_at_the_latest_development() {
        let rows = [
            "2004Q1,2004,475.009357",
            "2004Q2,2004,878.322025",
            "2004Q3,2004,1298.75458",
            "2004Q4,2004,1626.048793",
            "2005Q1,2004,2003.324679",
            "2005Q2,2004,2352.741807",
            "2005Q3,2004,2646.425352",
            "2005Q4,2004,2926.78062",
            "2006Q1,2004,2926.78062",
            "2005Q1,2005,424.609849",
            "2005Q2,2005,853.3207",
            "2005Q3,2005,1190.574312",
            "2005Q4,2005,1552.797422",
            "2006Q1,2005,1878.021194",
            "2006Q1,2006,366.780769",
        ];
        let text = format!("development,origin,Premium_selected\n{}\n", rows.join("\n"));
        let want = pairs(&[("2004", 2926.78062), ("2005", 1878.021194), ("2006", 366.780769)]);
        assert_eq!(read_premium(&text).unwrap(), want);
        // `origin,development,Premium_selected`, latest rows first: the
        // latest development counts, not the last row.
        let swapped: Vec<String> = rows
            .iter()
            .rev()
            .map(|r| {
                let f: Vec<&str> = r.split(',').collect();
                format!("{},{},{}", f[1], f[0], f[2])
            })
            .collect();
        let text = format!("origin,development,Premium_selected\n{}\n", swapped.join("\n"));
        let mut reversed = want.clone();
        reversed.reverse();
        assert_eq!(read_premium(&text).unwrap(), reversed);

        // The whole sample: the latest premium of each origin, 1995 to 2006.
        let all = read_premium(include_str!("../../tests/data/quarterly_premium.csv")).unwrap();
        let latest = [
            2200.0,
            2263.57784,
            2341.632464,
            2454.033314,
            2511.314677,
            2585.750325,
            2675.308636,
            2755.72226,
            2843.01315,
            2926.78062,
            1878.021194,
            366.780769,
        ];
        let origins: Vec<String> = (1995..=2006).map(|y| y.to_string()).collect();
        assert_eq!(all, origins.into_iter().zip(latest).collect::<Vec<_>>());
    }

    #[test]
    fn valuation_dates_and_ages_order_the_developments() {
        let text = "Origin,Development,Premium_selected\n\
                    1995,1995-06-30,555.261088\n1995,1995-03-31,276.553219\n1996,31/03/1996,10\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("1995", 555.261088), ("1996", 10.0)]));
        // A bare year is valued at its end: after `1995Q3`, and the same
        // valuation as `1995Q4`.
        let text = "origin,valuation,premium\n1995,1995,120\n1995,1995Q3,110\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("1995", 120.0)]));
        let e = err("origin,valuation,premium\n1995,1995,120\n1995,1995Q4,110\n");
        assert_eq!((e.0, e.1.as_deref()), (Some(3), Some("valuation")));
        // Unchanged: `development,origin,premium` with ages.
        let text = "development,origin,premium\n24,1995,110\n12,1995,100\n12,1996,90\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("1995", 110.0), ("1996", 90.0)]));
    }

    #[test]
    fn several_periods_per_underwriting_year() {
        // 2001's premium was audited down: the latest period counts, not
        // the largest amount nor the last row.
        let text = "uw_year,period,Premium_selected\n\
                    2001,2001Q4,1200\n2001,2002Q4,1150\n2002,2002Q2,300\n2002,2002Q4,650\n2001,2001Q2,400\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("2001", 1150.0), ("2002", 650.0)]));
        // Periods counted within the year.
        let text = "UWY,Period,premium\n2001,1,100\n2001,4,400\n2001,2,200\n2002,1,50\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("2001", 400.0), ("2002", 50.0)]));
        let text = "Underwriting Year,Period,Premium Selected\n2001,2001-12-31,5\n2001,2002-12-31,7\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("2001", 7.0)]));
    }

    #[test]
    fn a_repeated_origin_and_development_names_both() {
        let e = err("uw_year,period,Premium_selected\n2001,2001Q4,1200\n2002,2002Q4,650\n2001,2001Q4,1210\n");
        assert_eq!((e.0, e.1.as_deref()), (Some(4), Some("period")));
        assert_eq!(e.2, "uw_year `2001` at period `2001Q4` appears again (first on row 2)");
        let e = err("origin,development,Premium_selected\n1995,1995Q1,276.553219\n1995,1995Q2,555.261088\n1995,1995Q1,276.553219\n");
        assert_eq!((e.0, e.1.as_deref()), (Some(4), Some("development")));
        assert_eq!(e.2, "origin `1995` at development `1995Q1` appears again (first on row 2)");
        // The same valuation written two ways is the same valuation.
        let e = err("origin,development,premium\n1995,1995Q1,1\n\n1995,1995-03-31,2\n");
        assert_eq!(e.0, Some(4));
        assert!(e.2.contains("`1995-03-31` appears again (first on row 2)"), "{e:?}");
        // A blank premium is no row, so it repeats nothing.
        let text = "origin,development,premium\n1995,1995Q1,\n1995,1995Q1,3\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("1995", 3.0)]));
    }

    #[test]
    fn the_premium_column_by_its_name() {
        let text = "origin,Written Premium,Earned Premium\n1995,120,100\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("1995", 100.0)]));
        let text = "uw_year,period,Premium_prior,Premium_selected\n2001,2001Q4,9,8\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("2001", 8.0)]));
        let text = "claims,origin,PREMIUM,Premium_selected\n5,1995,120,100\n";
        assert_eq!(read_premium(text).unwrap(), pairs(&[("1995", 120.0)]));
        let e = err("origin,Gross Premium,Net Premium\n1995,120,100\n");
        assert_eq!(e.0, Some(1));
        assert!(e.2.contains("`Gross Premium` and `Net Premium`"), "{e:?}");
        let e = err("uw_year,period,Premium_selected\n2001,someday,1\n");
        assert_eq!((e.0, e.1.as_deref()), (Some(2), Some("period")));
        assert!(e.2.contains("`someday`"), "{e:?}");
        let e = err("uw_year,period,Premium_selected\n2001,12,1\n2001,2001Q4,2\n");
        assert_eq!((e.0, e.1.as_deref()), (Some(3), Some("period")));
        assert!(e.2.contains("mixes ages with dates"), "{e:?}");
    }
}
