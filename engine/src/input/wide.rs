//! The wide layout, as a triangle is pasted from a spreadsheet: a header
//! row of development ages in months, then one row per origin with its
//! label first and its values across (comma or tab separated; a blank cell
//! is not yet observed).

use super::number::{parse_cell, Cell};
use super::period;
use super::table::Table;
use super::{check_triangle, input_error, WideOptions, MAX_SIDE};
use crate::{EngineError, Triangle};

pub fn read_wide(text: &str, opts: &WideOptions) -> Result<Triangle, EngineError> {
    let table = Table::parse(text)?;
    // Trailing header cells that are blank pad a pasted selection.
    let mut width = table.headers.len();
    while width > 1 && table.headers[width - 1].is_empty() {
        width -= 1;
    }
    if width < 2 {
        return Err(input_error(Some(1), None, "the header needs an origin column and at least one age".into()));
    }
    let mut ages = Vec::with_capacity(width - 1);
    for h in &table.headers[1..width] {
        match period::parse_age(h) {
            Some(a) if (1..=100_000).contains(&a) => ages.push(a as u32),
            _ => {
                return Err(input_error(
                    Some(1),
                    Some(h),
                    format!("`{h}` is not a development age in months (the header lists ages, e.g. 12, 24, 36)"),
                ))
            }
        }
    }
    if let Some(w) = ages.windows(2).find(|w| w[0] >= w[1]) {
        return Err(input_error(
            Some(1),
            Some(&w[1].to_string()),
            format!("ages must increase, but {} follows {}", w[1], w[0]),
        ));
    }
    if table.n_rows() == 0 {
        return Err(input_error(None, None, "the triangle has no origins (no rows below the header)".into()));
    }
    if table.n_rows() > MAX_SIDE || ages.len() > MAX_SIDE {
        return Err(input_error(
            None,
            None,
            format!("{} origins × {} ages; at most 1,000 × 1,000 are allowed", table.n_rows(), ages.len()),
        ));
    }

    let origin_col = table.headers.first().map(String::as_str).filter(|h| !h.is_empty()).unwrap_or("origin");
    let day_first = period::column_is_day_first(table.rows().map(|r| r.get(0).trim()));
    let mut parsed = Vec::with_capacity(table.n_rows());
    for row in table.rows() {
        let label = row.get(0).trim();
        if label.is_empty() {
            return Err(input_error(Some(row.line), Some(origin_col), "the origin is empty".into()));
        }
        let p = period::parse_period(label, day_first).ok_or_else(|| {
            input_error(
                Some(row.line),
                Some(origin_col),
                format!("`{label}` is not an origin date or period (expected e.g. 1995, 1995Q1, 1995-01)"),
            )
        })?;
        let mut values = Vec::with_capacity(ages.len());
        for (c, h) in table.headers.iter().enumerate().take(width).skip(1) {
            let raw = row.get(c);
            values.push(match parse_cell(raw) {
                Cell::Missing => None,
                Cell::Number(x) => Some(x),
                Cell::Text => {
                    return Err(input_error(Some(row.line), Some(h), format!("`{}` is not a number", raw.trim())))
                }
            });
        }
        parsed.push((p, row.line, values));
    }

    let periods: Vec<_> = parsed.iter().map(|(p, ..)| *p).collect();
    let origin_grain = opts.origin_grain.unwrap_or_else(|| period::infer_grain(&periods));
    if opts.header_periods {
        let months = opts.grain.unwrap_or(origin_grain).months();
        for a in &mut ages {
            *a = a.saturating_mul(months);
        }
    }
    let dev_grain = match opts.grain {
        Some(g) => g,
        None => period::finer(period::grain_of_ages(ages.iter().map(|&a| i64::from(a))), origin_grain),
    };
    if dev_grain.months() > origin_grain.months() {
        return Err(input_error(
            None,
            None,
            format!("a {dev_grain:?} development grain is coarser than the {origin_grain:?} origin grain"),
        ));
    }
    if let Some(a) = ages.iter().find(|&&a| a % dev_grain.months() != 0) {
        return Err(input_error(
            Some(1),
            Some(&a.to_string()),
            format!("age {a} is not a whole number of {dev_grain:?} periods"),
        ));
    }

    let mut rows: Vec<(i32, usize, Vec<Option<f64>>)> = parsed
        .into_iter()
        .map(|(p, line, values)| (period::period_start(p.month, origin_grain), line, values))
        .collect();
    rows.sort_by_key(|(start, ..)| *start);
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(input_error(
            Some(w[1].1),
            Some(origin_col),
            format!("origin {} appears twice (also on row {})", origin_grain.label(w[1].0), w[0].1),
        ));
    }
    let labels = rows.iter().map(|(s, ..)| origin_grain.label(*s)).collect();
    let values = rows.into_iter().map(|(.., v)| v).collect();
    let triangle = if opts.incremental {
        Triangle::from_incremental(labels, ages, origin_grain, dev_grain, values)?
    } else {
        Triangle::new(labels, ages, origin_grain, dev_grain, values)?
    };
    check_triangle(table.headers.get(1).map_or("", String::as_str), &triangle)?;
    Ok(triangle)
}
