//! What the user types into a number field, read: one reader for a real
//! number (with or without a percentage), one for a whole number (with or
//! without its range), and one error, [`Unreadable`], that names the field
//! and the text, so every view says "not a number" the same way:
//!
//! - `Tail factor: enter a number` (nothing typed where a number is needed),
//! - ``Tail factor: `abc` is not a number``,
//! - ``Latest n periods: `1.5` is not a whole number``,
//! - ``Simulations: `50` is not a whole number from 100 to 1,000,000``.
//!
//! Only whether the text reads is decided here. Whether a number that reads
//! is allowed is the session key's range ([`crate::components::controls::Bounds`])
//! and the engine's reducer, which say so in their own words.

use std::fmt;
use std::str::FromStr;

/// Why a field's text is not a value: the field's name (its label), the text
/// as typed (trimmed) and what the field wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub field: String,
    pub text: String,
    pub wanted: Wanted,
}

/// What a field wants, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Number,
    WholeNumber,
    /// A whole number in `min..=max`.
    WholeFrom(u64, u64),
}

impl fmt::Display for Wanted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wanted::Number => f.write_str("a number"),
            Wanted::WholeNumber => f.write_str("a whole number"),
            Wanted::WholeFrom(min, max) => write!(
                f,
                "a whole number from {} to {}",
                crate::format::number(*min as f64, 0),
                crate::format::number(*max as f64, 0)
            ),
        }
    }
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text.is_empty() {
            write!(f, "{}: enter {}", self.field, self.wanted)
        } else {
            write!(f, "{}: `{}` is not {}", self.field, self.text, self.wanted)
        }
    }
}

impl From<Unreadable> for String {
    fn from(u: Unreadable) -> String {
        u.to_string()
    }
}

impl Unreadable {
    fn new(field: &str, text: &str, wanted: Wanted) -> Unreadable {
        Unreadable { field: field.to_string(), text: text.trim().to_string(), wanted }
    }
}

/// A real number: `1.05`, `-0.1`, `2e-3` (what [`crate::format::read_number`]
/// reads: no separators, no `inf` or `NaN`).
pub fn real(field: &str, text: &str) -> Result<f64, Unreadable> {
    crate::format::read_number(text).ok_or_else(|| Unreadable::new(field, text, Wanted::Number))
}

/// A real number or a percentage, for the fields of ratios and rates: a
/// trailing `%` divides by a hundred (`65%` and `65 %` are 0.65).
pub fn real_or_percent(field: &str, text: &str) -> Result<f64, Unreadable> {
    let t = text.trim();
    // Divided, not multiplied by 0.01, so that `70%` is 0.7 exactly as
    // typed as a ratio (70 × 0.01 is 0.7000000000000001, which a session
    // file would then carry).
    let (digits, divisor) = match t.strip_suffix('%') {
        Some(d) => (d, 100.0),
        None => (t, 1.0),
    };
    crate::format::read_number(digits)
        .map(|x| x / divisor)
        .filter(|x| x.is_finite())
        .ok_or_else(|| Unreadable::new(field, text, Wanted::Number))
}

/// The types a whole number is read into.
pub trait WholeType: FromStr {}
impl WholeType for u32 {}
impl WholeType for u64 {}

/// A whole number, not negative: digits, which may be grouped by thousands
/// with `,`, `_` or spaces (`10,000`, `10 000`). A number too large for the type is not a
/// whole number it can hold, and is refused as unreadable.
pub fn whole<T: WholeType>(field: &str, text: &str) -> Result<T, Unreadable> {
    ungrouped(text).and_then(|t| t.parse::<T>().ok()).ok_or_else(|| Unreadable::new(field, text, Wanted::WholeNumber))
}

/// A whole number in `min..=max`, as [`whole`] reads it; a number outside
/// the range gets the same message, which names the range.
pub fn whole_in(field: &str, text: &str, min: u64, max: u64) -> Result<u64, Unreadable> {
    ungrouped(text)
        .and_then(|t| t.parse::<u64>().ok())
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| Unreadable::new(field, text, Wanted::WholeFrom(min, max)))
}

/// The digits of `text` without the separators that group them by
/// thousands (`10,000`, `1 000 000`, `10_000`); `None` where separators do
/// not group by thousands (`1,2` may be a decimal comma, and is not 12).
fn ungrouped(text: &str) -> Option<String> {
    let mut groups = text.trim().split([',', '_', ' ']);
    let first = groups.next()?;
    let mut out = first.to_string();
    for g in groups {
        if g.len() != 3 || first.is_empty() || first.len() > 3 {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

/// A field that may be left empty: empty (or only spaces) is `None`, other
/// text is read by `read`.
pub fn optional<T>(text: &str, read: impl FnOnce(&str) -> Result<T, Unreadable>) -> Result<Option<T>, Unreadable> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        read(text).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message<T: std::fmt::Debug>(r: Result<T, Unreadable>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn a_real_number_reads_or_is_named_unreadable() {
        assert_eq!(real("Tail factor", " 1.05 "), Ok(1.05));
        assert_eq!(real("Tail factor", "-0.1"), Ok(-0.1));
        assert_eq!(real("Tail factor", "2e-3"), Ok(0.002));
        assert_eq!(message(real("Tail factor", " x ")), "Tail factor: `x` is not a number");
        assert_eq!(message(real("Tail factor", "  ")), "Tail factor: enter a number");
        for t in ["inf", "NaN", "1e400", "1,5", "65%", "0x10", "."] {
            assert!(real("Tail factor", t).is_err(), "{t}");
        }
        let u = real("Tail factor", " abc ").unwrap_err();
        assert_eq!(u, Unreadable { field: "Tail factor".into(), text: "abc".into(), wanted: Wanted::Number });
    }

    #[test]
    fn a_percentage_is_a_hundredth() {
        assert_eq!(real_or_percent("Cape Cod trend", " 0.65 "), Ok(0.65));
        assert_eq!(real_or_percent("Cape Cod trend", "65%"), Ok(0.65));
        assert_eq!(real_or_percent("Cape Cod trend", " 65 % "), Ok(0.65));
        // As typed as a ratio, to the last digit.
        for (percent, ratio) in [("70%", "0.7"), ("7%", "0.07"), ("12.5%", "0.125"), ("0.3%", "0.003")] {
            assert_eq!(real_or_percent("r", percent), real_or_percent("r", ratio), "{percent}");
        }
        assert_eq!(real_or_percent("Cape Cod trend", "-0.1"), Ok(-0.1)); // the reducer refuses it, in its words
        assert_eq!(message(real_or_percent("Default", "abc")), "Default: `abc` is not a number");
        assert_eq!(message(real_or_percent("Default", "")), "Default: enter a number");
        assert_eq!(message(real_or_percent("Default", "%")), "Default: `%` is not a number");
        assert_eq!(message(real_or_percent("Default", "65%%")), "Default: `65%%` is not a number");
        assert!(real_or_percent("Default", "inf").is_err());
        assert!(real_or_percent("Default", "inf%").is_err());
    }

    #[test]
    fn a_whole_number_reads_with_its_separators_or_is_named_unreadable() {
        assert_eq!(whole::<u32>("Benktander iterations", " 3 "), Ok(3));
        assert_eq!(whole::<u64>("Seed", "10,000"), Ok(10_000));
        assert_eq!(whole::<u64>("Seed", "10 000_000"), Ok(10_000_000));
        // Separators group by thousands, or the text is not a whole number:
        // `1,2` may be a decimal comma.
        for t in ["1,2", "10,00", "1000,000", ",100", "1,,000", "1, 000"] {
            assert_eq!(message(whole::<u64>("Seed", t)), format!("Seed: `{t}` is not a whole number"), "{t}");
        }
        assert_eq!(
            message(whole::<u32>("Benktander iterations", "1.5")),
            "Benktander iterations: `1.5` is not a whole number"
        );
        assert_eq!(
            message(whole::<u32>("Benktander iterations", "-3")),
            "Benktander iterations: `-3` is not a whole number"
        );
        assert_eq!(message(whole::<u32>("Benktander iterations", "")), "Benktander iterations: enter a whole number");
        assert_eq!(
            message(whole::<u32>("Benktander iterations", "x")),
            "Benktander iterations: `x` is not a whole number"
        );
        // Too large for its type.
        assert!(whole::<u32>("Latest n periods", "4294967296").is_err());
        assert_eq!(whole::<u64>("Seed", "4294967296"), Ok(4_294_967_296));
    }

    #[test]
    fn a_whole_number_in_a_range_names_the_range() {
        assert_eq!(whole_in("Simulations", " 10,000 ", 100, 1_000_000), Ok(10_000));
        assert_eq!(whole_in("Simulations", "100", 100, 1_000_000), Ok(100));
        assert_eq!(whole_in("Simulations", "1000000", 100, 1_000_000), Ok(1_000_000));
        assert_eq!(
            message(whole_in("Simulations", "50", 100, 1_000_000)),
            "Simulations: `50` is not a whole number from 100 to 1,000,000"
        );
        assert_eq!(message(whole_in("Seed", "1.5", 0, 10)), "Seed: `1.5` is not a whole number from 0 to 10");
        assert_eq!(message(whole_in("Seed", "-1", 0, 10)), "Seed: `-1` is not a whole number from 0 to 10");
        assert_eq!(message(whole_in("Seed", " ", 0, 10)), "Seed: enter a whole number from 0 to 10");
    }

    #[test]
    fn an_optional_field_is_none_when_empty() {
        assert_eq!(optional(" ", |t| whole::<u32>("Latest n periods", t)), Ok(None));
        assert_eq!(optional("12", |t| whole::<u32>("Latest n periods", t)), Ok(Some(12)));
        assert_eq!(
            message(optional("1.5", |t| whole::<u32>("Latest n periods", t))),
            "Latest n periods: `1.5` is not a whole number"
        );
        assert_eq!(optional("", |t| real_or_percent("Expected loss ratio 2006", t)), Ok(None));
        assert_eq!(optional("65%", |t| real_or_percent("Expected loss ratio 2006", t)), Ok(Some(0.65)));
    }
}
