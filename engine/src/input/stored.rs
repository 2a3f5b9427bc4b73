//! A segment's data read back from where it was kept: the page keeps each
//! imported segment's triangles and premium in the browser's storage, the
//! team server in its database, and both read them again through
//! [`checked_measures`]. Stored bytes are not trusted (another page of the
//! origin, a damaged disk, a client of the server may have written them):
//! a record whose parts disagree, or that holds more than an import could,
//! is refused with a message saying what is wrong, and nothing larger than
//! an import is built from it.

use super::{MAX_CELLS, MAX_SIDE};
use crate::{Grain, Triangle};
use serde::Deserialize;

/// A triangle as kept: the fields of [`Triangle`]'s serde form, in its
/// order (the page's encoding is not self-describing, so this reads the
/// very bytes `Triangle` writes), before they are checked.
#[derive(Debug, Deserialize)]
pub struct RawTriangle {
    origins: Vec<String>,
    /// Made again from the labels: the kept copy is not trusted.
    #[serde(default)]
    #[allow(dead_code)]
    origin_starts: Vec<i32>,
    ages: Vec<u32>,
    origin_grain: Grain,
    development_grain: Grain,
    cells: Vec<Option<f64>>,
}

impl RawTriangle {
    /// The triangle, if its parts agree and fit the limits of an import.
    pub fn checked(self) -> Result<Triangle, String> {
        let (n, m) = (self.origins.len(), self.ages.len());
        if n == 0 || m == 0 {
            return Err("it has no origins or no development ages".into());
        }
        if n > MAX_SIDE || m > MAX_SIDE {
            return Err(format!("it has {n} origins and {m} ages, more than the {MAX_SIDE} a side can have"));
        }
        if self.cells.len() != n * m {
            return Err(format!("it has {} values for {n} origins by {m} ages", self.cells.len()));
        }
        let rows = self.cells.chunks(m).map(<[Option<f64>]>::to_vec).collect();
        Triangle::new(self.origins, self.ages, self.origin_grain, self.development_grain, rows)
            .map_err(|e| e.to_string())
    }
}

/// A segment's triangles (one per measure) and its premium per origin of
/// the first, checked together: at least one triangle, no more values in
/// all than an import may hold, each triangle whole, and premium, if any,
/// one finite number per origin.
pub fn checked_measures(
    measures: Vec<(String, RawTriangle)>,
    premium: Option<&[f64]>,
) -> Result<Vec<(String, Triangle)>, String> {
    if measures.is_empty() {
        return Err("it has no triangle".into());
    }
    let cells: usize = measures.iter().map(|(_, t)| t.cells.len()).sum();
    if cells > MAX_CELLS {
        return Err(format!("its triangles hold {cells} values, more than the {MAX_CELLS} a segment can hold"));
    }
    let mut checked = Vec::with_capacity(measures.len());
    for (name, raw) in measures {
        let t = raw.checked().map_err(|e| format!("its triangle `{name}`: {e}"))?;
        checked.push((name, t));
    }
    if let Some(p) = premium {
        let first = &checked[0].1;
        let n = first.n_origins();
        if p.len() != n {
            return Err(format!("it has premium for {} origins, but its triangle has {n}", p.len()));
        }
        if let Some(i) = p.iter().position(|x| !x.is_finite()) {
            return Err(format!("its premium for origin {} is not a finite number", first.origins()[i]));
        }
    }
    Ok(checked)
}

/// The longest name a segment can have, in characters.
pub const MAX_TITLE: usize = 80;

/// A segment's name, trimmed, if it has one and it is not too long.
pub fn check_title(title: &str) -> Result<String, String> {
    let t = title.trim();
    match t.chars().count() {
        0 => Err("a segment needs a name".into()),
        n if n > MAX_TITLE => Err(format!("a segment's name has at most {MAX_TITLE} characters (this one has {n})")),
        _ => Ok(t.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(origins: usize, ages: usize, cells: usize) -> RawTriangle {
        RawTriangle {
            origins: (0..origins).map(|i| (2000 + i).to_string()).collect(),
            origin_starts: Vec::new(),
            ages: (1..=ages as u32).map(|k| 12 * k).collect(),
            origin_grain: Grain::Yearly,
            development_grain: Grain::Yearly,
            cells: vec![Some(1.0); cells],
        }
    }

    #[test]
    fn a_kept_triangle_reads_back_as_it_was_written() {
        let t = crate::triangle::small();
        let json = serde_json::to_string(&t).unwrap();
        let back: RawTriangle = serde_json::from_str(&json).unwrap();
        assert_eq!(back.checked().unwrap(), t);
    }

    #[test]
    fn records_whose_parts_disagree_are_refused_by_name() {
        let e = |m: Vec<(String, RawTriangle)>, p: Option<&[f64]>| checked_measures(m, p).unwrap_err();
        assert_eq!(e(vec![], None), "it has no triangle");
        assert!(
            e(vec![("paid".into(), raw(2, 2, 3))], None).contains("`paid`: it has 3 values for 2 origins by 2 ages")
        );
        assert!(e(vec![("paid".into(), raw(0, 2, 0))], None).contains("no origins"));
        assert!(e(vec![("paid".into(), raw(MAX_SIDE + 1, 1, MAX_SIDE + 1))], None).contains("more than the 1000"));
        let too_many = (0..6).map(|k| (k.to_string(), raw(1_000, 1_000, 1_000_000))).collect();
        assert!(e(too_many, None).contains("more than the 5000000 a segment can hold"));
        let one = || vec![("paid".into(), raw(2, 1, 2))];
        assert!(e(one(), Some(&[1.0])).contains("premium for 1 origins, but its triangle has 2"));
        assert!(e(one(), Some(&[1.0, f64::NAN])).contains("premium for origin 2001 is not a finite number"));
        assert_eq!(checked_measures(one(), Some(&[1.0, 2.0])).unwrap()[0].1.n_origins(), 2);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_title("  raa "), Ok("raa".into()));
        assert_eq!(check_title(" "), Err("a segment needs a name".into()));
        assert!(check_title(&"x".repeat(81)).unwrap_err().contains("at most 80 characters (this one has 81)"));
        assert!(check_title(&"é".repeat(80)).is_ok());
    }
}
