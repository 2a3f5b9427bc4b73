//! Number formatting for the tables: thousands separators and a fixed number
//! of decimals, as an actuary reads figures (`2,775.89`).

/// `x` with `decimals` decimals and comma thousands separators; an empty
/// string for a value that is not a finite number.
pub fn number(x: f64, decimals: usize) -> String {
    let text = fixed(x, decimals);
    let (sign, body) = match text.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", text.as_str()),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    out.push_str(sign);
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

/// `x` with `decimals` decimals (at most 12), without separators; empty for
/// a value that is not a finite number; a value that rounds to zero shows
/// without a sign. Written with whole numbers rather than the standard
/// library's float formatting, whose exact-decimal machinery is a sizeable
/// part of a page's WebAssembly; the last digit is rounded half away from
/// zero, which differs from it only on values exactly halfway in binary.
pub fn fixed(x: f64, decimals: usize) -> String {
    let mut s = String::new();
    push_fixed(&mut s, x, decimals);
    s
}

/// [`fixed`], appended to `out` (digit by digit: no formatting machinery).
pub fn push_fixed(out: &mut String, x: f64, decimals: usize) {
    if !x.is_finite() {
        return;
    }
    let d = decimals.min(12) as u32;
    let unit = 10u128.pow(d);
    let scaled = (x.abs() * unit as f64).round();
    if scaled >= 1e38 {
        // Far beyond any amount: the shortest form (with an exponent).
        out.push_str(&shortest(x));
        return;
    }
    let n = scaled as u128;
    if x < 0.0 && n != 0 {
        out.push('-');
    }
    push_digits(out, n / unit, 1);
    if d > 0 {
        out.push('.');
        push_digits(out, n % unit, d as usize);
    }
}

/// The decimal digits of `n`, at least `width` of them (zeros in front).
fn push_digits(out: &mut String, mut n: u128, width: usize) {
    let mut buf = [b'0'; 40];
    let mut i = buf.len();
    while n > 0 || buf.len() - i < width {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// The shortest text that reads back as `x` (`0.7`, `1.0`, `1e-7`); `NaN`
/// and `inf` as such.
pub fn shortest(x: f64) -> String {
    zmij::Buffer::new().format(x).to_string()
}

/// A cell of a triangle: whole numbers without decimals, others with two.
pub fn cell(x: f64) -> String {
    if x.fract() == 0.0 {
        number(x, 0)
    } else {
        number(x, 2)
    }
}

/// A number as a user types it (`0.65`, `-1.5e3`, `.5`), or `None`: only a
/// plain decimal with an optional exponent is a number; `inf`, `nan`, hex
/// and grouping are not.
///
/// The page hands the text to the browser's own parser (`parseFloat`), which
/// rounds correctly, as Rust's does; the page then needs no decimal-parsing
/// tables of its own (15 KB of its WebAssembly, gzipped). Natively, Rust's
/// parser reads it, so tests see the same numbers.
pub fn read_number(text: &str) -> Option<f64> {
    let s = text.trim();
    if !is_decimal(s) {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    let x = js_sys::Number::parse_float(s);
    #[cfg(not(target_arch = "wasm32"))]
    let x: f64 = s.parse().ok()?;
    x.is_finite().then_some(x)
}

/// `[+-]digits[.digits][e[+-]digits]`, with digits on at least one side of
/// the point.
fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut k = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        k = 1;
    }
    let digits = |k: &mut usize| {
        let start = *k;
        while b.get(*k).is_some_and(u8::is_ascii_digit) {
            *k += 1;
        }
        *k - start
    };
    let mut n = digits(&mut k);
    if b.get(k) == Some(&b'.') {
        k += 1;
        n += digits(&mut k);
    }
    if n == 0 {
        return false;
    }
    if matches!(b.get(k), Some(b'e' | b'E')) {
        k += 1;
        if matches!(b.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if digits(&mut k) == 0 {
            return false;
        }
    }
    k == b.len()
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
        assert_eq!(fixed(1.5, 3), "1.500");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(123.456, 1), "123.5");
        assert_eq!(fixed(2.0f64.powi(80), 0), "1208925819614629174706176");
        assert_eq!(shortest(0.7), "0.7");
        assert_eq!(shortest(1.0), "1.0");
    }

    #[test]
    fn numbers_as_typed() {
        for (t, x) in [("0.65", 0.65), (" -1.5e3 ", -1500.0), (".5", 0.5), ("5.", 5.0), ("+2E-2", 0.02), ("7", 7.0)] {
            assert_eq!(read_number(t), Some(x), "{t}");
        }
        for t in ["", "-", ".", "e5", "1e", "1e+", "inf", "NaN", "0x10", "1,5", "1.2.3", "12a", "1e999", "1 2"] {
            assert_eq!(read_number(t), None, "{t}");
        }
    }
}
