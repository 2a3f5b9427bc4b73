//! Reading a cell as a number the way spreadsheets and pandas export them:
//! blanks and `NA`-like markers are missing (not zero), thousands
//! separators are allowed when they are unambiguous (`1,234,567.5`), and
//! anything that is not a finite decimal number is refused, so that `inf`,
//! `nan` or a stray `12a` cannot slip into a triangle.

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell {
    Missing,
    Number(f64),
    Text,
}

/// Markers that pandas' `read_csv` and spreadsheets write for "no value".
const MISSING: &[&str] = &["", "-", "NA", "N/A", "n/a", "NaN", "nan", "NAN", "null", "NULL", "None", "#N/A"];

pub(crate) fn parse_cell(raw: &str) -> Cell {
    let s = raw.trim();
    // No marker starts with a digit, and nearly every cell does.
    if !s.starts_with(|c: char| c.is_ascii_digit()) && MISSING.contains(&s) {
        return Cell::Missing;
    }
    match parse_number(s) {
        Some(x) => Cell::Number(x),
        None => Cell::Text,
    }
}

/// A finite decimal number: optional sign, digits with an optional
/// fraction and exponent, or digits grouped by commas in threes.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let plain = s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    let x: f64 = if plain {
        s.parse().ok()?
    } else if grouped(s) {
        s.replace(',', "").parse().ok()?
    } else {
        return None;
    };
    x.is_finite().then_some(x)
}

/// `1,234` or `-12,345,678.25`: the only comma use read as a thousands
/// separator, so that a decimal comma (`1,5`) is never misread as 15.
fn grouped(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let int = body.split('.').next().unwrap_or(body);
    let frac_ok = body.split('.').nth(1).is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()));
    let mut groups = int.split(',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let rest: Vec<&str> = groups.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && frac_ok
        && body.matches('.').count() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_blanks_and_text() {
        assert_eq!(parse_cell(" 12.5 "), Cell::Number(12.5));
        assert_eq!(parse_cell("-3e2"), Cell::Number(-300.0));
        assert_eq!(parse_cell("1,234,567.5"), Cell::Number(1_234_567.5));
        assert_eq!(parse_cell(""), Cell::Missing);
        assert_eq!(parse_cell("NA"), Cell::Missing);
        for text in ["inf", "NaN1", "12a", "1,5", "1,23,4", "1e999", "--1", ".", "e"] {
            assert_eq!(parse_cell(text), Cell::Text, "{text}");
        }
    }
}
