//! Number formatting for the tables: thousands separators and a fixed number
//! of decimals, as an actuary reads figures (`2,775.89`).

/// `x` with `decimals` decimals and comma thousands separators; an empty
/// string for a value that is not a finite number.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    // A value that rounds to zero shows without a sign.
    if x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A cell of a triangle: whole numbers without decimals, others with two.
pub fn cell(x: f64) -> String {
    if x.fract() == 0.0 {
        number(x, 0)
    } else {
        number(x, 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_signs() {
        assert_eq!(number(2775.88849, 2), "2,775.89");
        assert_eq!(number(1234567.0, 0), "1,234,567");
        assert_eq!(number(-1234.5, 1), "-1,234.5");
        assert_eq!(number(-0.001, 2), "0.00");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(f64::NAN, 2), "");
        assert_eq!(cell(44.0), "44");
        assert_eq!(cell(44.5), "44.50");
    }
}
