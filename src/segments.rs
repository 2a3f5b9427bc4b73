//! The segments the app opens on: the sample data, read with the engine's
//! own CSV readers when the app is built (build.rs), so the sample is no
//! special case and the page carries no CSV reader; and a synthetic
//! triangle of the size the page's speed is measured at.

use runoff_engine::{Grain, Triangle};
use std::rc::Rc;

/// One segment's data: a triangle per measure, and premium per origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The segment's id: the key of its session and the first part of the
    /// page's address (see [`crate::catalog`]).
    pub name: String,
    /// What the user calls it.
    pub title: String,
    /// A triangle per measure, shared: the page hands them to components
    /// and to the worker without copying their cells on every render.
    pub measures: Vec<(String, Rc<Triangle>)>,
    /// Premium per origin, in the order of the triangles' origins.
    pub premium: Option<Vec<f64>>,
}

impl Segment {
    /// The triangle of a measure, or the first one when `measure` is `None`
    /// or unknown.
    pub fn triangle(&self, measure: Option<&str>) -> Option<(&str, &Rc<Triangle>)> {
        let found = measure.and_then(|m| self.measures.iter().find(|(name, _)| name == m));
        found.or(self.measures.first()).map(|(n, t)| (n.as_str(), t))
    }
}

/// A triangle as build.rs writes it.
struct Sample {
    origins: &'static [&'static str],
    ages: &'static [u32],
    origin_grain: &'static str,
    development_grain: &'static str,
    rows: &'static [&'static [Option<f64>]],
}

fn build(name: &str, measures: &[(&str, Sample)], premium: Option<&[f64]>) -> Result<Segment, String> {
    let measures = measures
        .iter()
        .map(|(m, s)| {
            let grain = |c: &str| Grain::from_code(c).ok_or_else(|| format!("{name}: grain {c}"));
            let t = Triangle::new(
                s.origins.iter().map(|o| o.to_string()).collect(),
                s.ages.to_vec(),
                grain(s.origin_grain)?,
                grain(s.development_grain)?,
                s.rows.iter().map(|r| r.to_vec()).collect(),
            )
            .map_err(|e| format!("{name} {m}: {e}"))?;
            Ok((m.to_string(), Rc::new(t)))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Segment { name: name.to_string(), title: name.to_string(), measures, premium: premium.map(|p| p.to_vec()) })
}

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// Names of the built-in segments, the default first.
pub const BUILTIN: &[&str] = &["quarterly", "annual"];

/// Segments the address can open but the Segment select does not offer:
/// `monthly-120` is a synthetic 120 × 120 monthly triangle, the size the
/// page's speed is measured at (see docs/benchmarks.md).
pub const HIDDEN: &[&str] = &["monthly-120"];

/// Every segment the address can name.
pub fn known(name: &str) -> bool {
    BUILTIN.contains(&name) || HIDDEN.contains(&name)
}

/// Loads a built-in segment; the error names what could not be read.
/// `annual` is the quarterly data valued at year ends only: the same claims
/// at yearly development, as an actuary would reserve them once a year.
pub fn builtin(name: &str) -> Result<Segment, String> {
    if let Some(segment) = sample(name) {
        return segment;
    }
    match name {
        "monthly-120" => synthetic(name, 120),
        other => Err(format!("there is no segment named `{other}`")),
    }
}

/// A deterministic `n` × `n` monthly triangle (origins 2010-01 on) with
/// premium: development that slows with age, with a little noise so that
/// the link ratios differ, as they do in real data.
fn synthetic(name: &str, n: usize) -> Result<Segment, String> {
    let origins: Vec<String> =
        (0..n).map(|i| format!("{}-{:02}", 2010 + i / 12, i % 12 + 1)).collect();
    let ages: Vec<u32> = (1..=n as u32).collect();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut noise = move || {
        // xorshift: reproducible without a dependency.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 1000) as f64 / 1000.0
    };
    let rows = (0..n)
        .map(|i| {
            let mut value = 1000.0 + 10.0 * i as f64;
            (0..n)
                .map(|j| {
                    if i + j >= n {
                        return None;
                    }
                    if j > 0 {
                        value *= 1.0 + 0.5 / (j as f64).powf(1.3) * (0.8 + 0.4 * noise());
                    }
                    Some(value.round())
                })
                .collect()
        })
        .collect();
    let triangle = Triangle::new(origins, ages, Grain::Monthly, Grain::Monthly, rows)
        .map_err(|e| format!("{name}: {e}"))?;
    let premium = (0..n).map(|i| 4000.0 + 20.0 * i as f64).collect();
    Ok(Segment {
        name: name.to_string(),
        title: name.to_string(),
        measures: vec![("incurred".into(), Rc::new(triangle))],
        premium: Some(premium),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::input::{self, LongOptions};

    /// The samples as the CSV readers read them at run time.
    fn load(name: &str, claims: &str, premium: Option<&str>, options: LongOptions) -> Result<Segment, String> {
        let datasets = input::read_long(claims, &options)
            .map_err(|e| format!("{name} data: {e}"))?;
        let measures = datasets
            .into_iter()
            .next()
            .map(|d| d.measures.into_iter().map(|(m, t)| (m, Rc::new(t))).collect::<Vec<_>>())
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
        Ok(Segment { name: name.to_string(), title: name.to_string(), measures, premium })
    }

    #[test]
    fn the_built_samples_equal_the_csv_read_now() {
        let claims = include_str!("../static/data/quarterly.csv");
        let premium = include_str!("../static/data/quarterly_premium.csv");
        let q = load("quarterly", claims, Some(premium), LongOptions::default()).unwrap();
        assert_eq!(builtin("quarterly").unwrap(), q);
        let options = LongOptions { grain: Some(Grain::Yearly), ..LongOptions::default() };
        assert_eq!(builtin("annual").unwrap(), load("annual", claims, Some(premium), options).unwrap());
    }

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

    #[test]
    fn the_synthetic_segment_is_120_by_120() {
        let s = builtin("monthly-120").unwrap();
        let (_, t) = s.triangle(None).unwrap();
        assert_eq!((t.n_origins(), t.n_ages()), (120, 120));
        assert_eq!(t.latest().len(), 120);
        assert_eq!(t.get(119, 1), None);
        assert!(known("monthly-120") && known("annual") && !known("x"));
    }

    #[test]
    fn annual_is_the_same_data_at_yearly_development() {
        let s = builtin("annual").unwrap();
        let (_, t) = s.triangle(None).unwrap();
        assert_eq!(t.n_origins(), 12);
        assert_eq!(t.ages().first(), Some(&12));
        assert_eq!(t.ages().windows(2).all(|w| w[1] - w[0] == 12), true);
        let q = builtin("quarterly").unwrap();
        // The latest year-end value of the first origin is a quarterly value too.
        let (_, qt) = q.triangle(None).unwrap();
        assert_eq!(t.get(0, t.age_index(120).unwrap()), qt.get(0, qt.age_index(120).unwrap()));
    }
}
