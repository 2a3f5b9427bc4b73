//! The segments the app opens on: sample data compiled into the app, read
//! through the engine's own CSV readers (the same code that imports a user's
//! file), so the sample is no special case.

use runoff_engine::input::{self, LongOptions};
use runoff_engine::Triangle;

/// One segment's data: a triangle per measure, and premium per origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub name: String,
    pub measures: Vec<(String, Triangle)>,
    /// Premium per origin, in the order of the triangles' origins.
    pub premium: Option<Vec<f64>>,
}

impl Segment {
    /// The triangle of a measure, or the first one when `measure` is `None`
    /// or unknown.
    pub fn triangle(&self, measure: Option<&str>) -> Option<(&str, &Triangle)> {
        let found = measure.and_then(|m| self.measures.iter().find(|(name, _)| name == m));
        found.or(self.measures.first()).map(|(n, t)| (n.as_str(), t))
    }
}

const QUARTERLY_CSV: &str = include_str!("../static/data/quarterly.csv");
const QUARTERLY_PREMIUM_CSV: &str = include_str!("../static/data/quarterly_premium.csv");

/// Names of the built-in segments, the default first.
pub const BUILTIN: &[&str] = &["quarterly"];

/// Loads a built-in segment; the error names what could not be read.
pub fn builtin(name: &str) -> Result<Segment, String> {
    match name {
        "quarterly" => load(name, QUARTERLY_CSV, Some(QUARTERLY_PREMIUM_CSV)),
        other => Err(format!("there is no segment named `{other}`")),
    }
}

fn load(name: &str, claims: &str, premium: Option<&str>) -> Result<Segment, String> {
    let datasets = input::read_long(claims, &LongOptions::default())
        .map_err(|e| format!("{name} data: {e}"))?;
    let measures = datasets
        .into_iter()
        .next()
        .map(|d| d.measures)
        .filter(|m| !m.is_empty())
        .ok_or_else(|| format!("{name} data: no triangle"))?;
    let premium = match premium {
        None => None,
        Some(text) => {
            let by_origin =
                input::read_premium(text).map_err(|e| format!("{name} premium: {e}"))?;
            let origins = measures[0].1.origins();
            let aligned = origins
                .iter()
                .map(|o| {
                    by_origin
                        .iter()
                        .find(|(p, _)| p == o)
                        .map(|(_, v)| *v)
                        .ok_or_else(|| format!("{name} premium: no premium for origin {o}"))
                })
                .collect::<Result<Vec<f64>, String>>()?;
            Some(aligned)
        }
    };
    Ok(Segment { name: name.to_string(), measures, premium })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarterly_has_both_measures_and_premium() {
        let s = builtin("quarterly").unwrap();
        let (name, t) = s.triangle(None).unwrap();
        assert_eq!(name, "incurred");
        assert_eq!(t.n_origins(), 12);
        assert_eq!(t.ages().first(), Some(&3));
        assert_eq!(t.ages().last(), Some(&135));
        assert_eq!(s.triangle(Some("paid")).unwrap().0, "paid");
        assert_eq!(s.premium.as_ref().map(|p| p.len()), Some(12));
        assert!(builtin("nope").is_err());
    }
}
