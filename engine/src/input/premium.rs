//! Premium per origin: the exposure of Bornhuetter-Ferguson, Benktander and
//! Cape Cod. Either one row per origin (`origin,premium`) or long like a
//! triangle (`development,origin,premium`), where an origin's premium is its
//! value at the latest development, as earned premium grows to its final
//! amount.

use super::input_error;
use super::number::{parse_cell, Cell};
use super::period::{self, Period};
use super::table::Table;
use crate::{EngineError, Triangle};
use std::collections::HashMap;

/// Reads premium per origin, in the order of first appearance. The origin
/// column is `origin` (any case), else the first column; the value column is
/// `premium` (any case), else the first column whose first value is a
/// number; a `development` column makes the file long.
pub fn read_premium(text: &str) -> Result<Vec<(String, f64)>, EngineError> {
    let table = Table::parse(text)?;
    if table.n_rows() == 0 {
        return Err(input_error(
            None,
            None,
            "the premium file has a header but no rows of data".into(),
        ));
    }
    let oc = table.find("origin").transpose()?.unwrap_or(0);
    let dc = table.find("development").transpose()?.filter(|&c| c != oc);
    let vc = match table.find("premium").transpose()? {
        Some(c) => c,
        None => (0..table.headers.len())
            .filter(|&c| c != oc && Some(c) != dc)
            .find(|&c| {
                let first = table
                    .rows()
                    .map(|r| parse_cell(r.get(c)))
                    .find(|x| *x != Cell::Missing);
                matches!(first, Some(Cell::Number(_)))
            })
            .ok_or_else(|| {
                input_error(
                    Some(1),
                    None,
                    format!(
                        "no column of premium amounts; the columns are {}",
                        table.list_headers()
                    ),
                )
            })?,
    };
    let value_name = &table.headers[vc];
    let origin_name = &table.headers[oc];
    let dev_tokens: Vec<&str> = match dc {
        Some(c) => table.rows().map(|r| r.get(c).trim()).collect(),
        None => Vec::new(),
    };
    let day_first = period::column_is_day_first(dev_tokens.iter().copied());

    // (origin, value, development order key, line), and where each origin is.
    let mut out: Vec<(String, f64, Option<DevKey>, usize)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (r, row) in table.rows().enumerate() {
        let origin = row.get(oc).trim();
        if origin.is_empty() {
            return Err(input_error(
                Some(row.line),
                Some(origin_name),
                "the origin is empty".into(),
            ));
        }
        let raw = row.get(vc);
        let x = match parse_cell(raw) {
            Cell::Missing => continue,
            Cell::Number(x) if x >= 0.0 => x,
            Cell::Number(x) => {
                return Err(input_error(
                    Some(row.line),
                    Some(value_name),
                    format!("premium {x} is negative"),
                ))
            }
            Cell::Text => {
                return Err(input_error(
                    Some(row.line),
                    Some(value_name),
                    format!("`{}` is not a number", raw.trim()),
                ))
            }
        };
        let dev = match dc {
            Some(c) => {
                let token = dev_tokens.get(r).copied().unwrap_or("");
                Some(dev_key(token, day_first).ok_or_else(|| {
                    input_error(
                        Some(row.line),
                        Some(&table.headers[c]),
                        format!(
                            "`{token}` is not a valuation date or period, nor an age in months"
                        ),
                    )
                })?)
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
                        return Err(input_error(
                            Some(row.line),
                            dc.map(|c| table.headers[c].as_str()),
                            "the column mixes ages with dates".into(),
                        ));
                    }
                    if d >= e {
                        *entry = (origin.to_string(), x, Some(d), row.line);
                    }
                }
                _ => {
                    return Err(input_error(
                        Some(row.line),
                        Some(origin_name),
                        format!("origin `{origin}` appears again (first on row {})", entry.3),
                    ))
                }
            },
        }
    }
    if out.is_empty() {
        return Err(input_error(
            None,
            Some(value_name),
            "no premium amounts in the file".into(),
        ));
    }
    Ok(out.into_iter().map(|(o, x, ..)| (o, x)).collect())
}

/// The order of a premium row's development: a date, or an age.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
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
        // A bare year is its whole year: it comes after `1995Q4`.
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
pub fn align_premium(
    premium: &[(String, f64)],
    triangle: &Triangle,
) -> Result<Vec<f64>, EngineError> {
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
    let missing: Vec<&str> = out
        .iter()
        .zip(triangle.origins())
        .filter(|(p, _)| p.is_none())
        .map(|(_, o)| o.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(input_error(
            None,
            Some("origin"),
            format!(
                "no premium for origin{} {}",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            ),
        ));
    }
    Ok(out.into_iter().map(|p| p.unwrap_or(0.0)).collect())
}
