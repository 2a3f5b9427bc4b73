//! The segments the app opens on: the samples in `static/data`, fetched
//! from beside the page and read in the worker with the same readers as a
//! user's import (so the samples are no special case), and a synthetic
//! triangle of the size the page's speed is measured at.

use crate::agent::Agent;
use crate::browser::fetch;
use runoff_engine::{Grain, Triangle};
use runoff_worker::{derived, Answer, Job};
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
    /// The triangles the data view offers: the measures, then those made
    /// once when the segment is loaded ([`runoff_worker::derived`]), the
    /// outstanding and premium by development.
    pub data: Vec<(String, Rc<Triangle>)>,
}

impl Segment {
    /// A segment with its outstanding (when it has incurred and paid) and
    /// its premium by development (when the premium file has it).
    pub fn new(
        name: &str,
        title: &str,
        measures: Vec<(String, Rc<Triangle>)>,
        premium: Option<Vec<f64>>,
        premium_by_development: Option<Triangle>,
    ) -> Segment {
        let mut data = measures.clone();
        for (m, t) in [
            (derived::OUTSTANDING, derived::outstanding_of(&measures)),
            (derived::PREMIUM_BY_DEVELOPMENT, premium_by_development),
        ] {
            if let Some(t) = t {
                data.push((m.to_string(), Rc::new(t)));
            }
        }
        Segment { name: name.to_string(), title: title.to_string(), measures, premium, data }
    }

    /// The triangle of a measure, or the first one when `measure` is `None`
    /// or unknown.
    pub fn triangle(&self, measure: Option<&str>) -> Option<(&str, &Rc<Triangle>)> {
        let found = measure.and_then(|m| self.measures.iter().find(|(name, _)| name == m));
        found.or(self.measures.first()).map(|(n, t)| (n.as_str(), t))
    }
}

/// A sample the app ships in `static/data`.
struct Sample {
    name: &'static str,
    claims: &'static str,
    premium: &'static str,
    /// The development grain; `None` as in the file.
    grain: Option<Grain>,
}

/// Names of the built-in segments, the default first.
pub const BUILTIN: &[&str] = &["quarterly", "annual"];

/// `annual` is the quarterly data valued at year ends only: the same claims
/// at yearly development, as an actuary would reserve them once a year.
const SAMPLES: [Sample; 2] = [
    Sample { name: "quarterly", claims: "data/quarterly.csv", premium: "data/quarterly_premium.csv", grain: None },
    Sample {
        name: "annual",
        claims: "data/quarterly.csv",
        premium: "data/quarterly_premium.csv",
        grain: Some(Grain::Yearly),
    },
];

/// How a sample's claims file is read (defined by the worker, whose bench reads it too).
pub use runoff_worker::sample_mapping;

/// Segments the address can open but the Segment select does not offer:
/// `monthly-120` is a synthetic 120 × 120 monthly triangle, the size the
/// page's speed is measured at (see docs/benchmarks.md).
pub const HIDDEN: &[&str] = &["monthly-120"];

/// Loads a built-in segment: a sample's files, fetched from beside the page
/// and read in the worker, or the synthetic one. The error names what could
/// not be read.
pub async fn builtin(name: &str, agent: &Agent) -> Result<Segment, String> {
    if name == "monthly-120" {
        return synthetic(name, 120);
    }
    let Some(sample) = SAMPLES.iter().find(|s| s.name == name) else {
        return Err(format!("there is no segment named `{name}`"));
    };
    // What a new user's first screen waits for starts at once: both files'
    // requests here (index.html preloads them while the page's WebAssembly
    // downloads, so they are in already), then the worker, whose start (its
    // script and WebAssembly) the first job sets going. The worker is
    // handed the claims' text rather than their address: fetching them
    // itself, once started, added a round trip to the chain that ends in
    // the first figures.
    let premium = fetch::text(sample.premium);
    let claims = fetch::text(sample.claims);
    let claims = runoff_worker::Source::Text(claims.await?);
    let imported = match agent.run(Job::Read { source: claims, mapping: sample_mapping(sample.grain) }).await {
        Answer::Imported(i) => i,
        Answer::Failed(e) => return Err(format!("{}: {e}", sample.claims)),
        other => return Err(other.unexpected()),
    };
    let measures: Vec<(String, Rc<Triangle>)> = imported.measures.into_iter().map(|(m, t)| (m, Rc::new(t))).collect();
    let first = measures.first().map(|(_, t)| t.clone()).ok_or_else(|| format!("{}: no triangle", sample.claims))?;
    let text = premium.await?;
    let (premium, by_development) =
        match agent.with_triangle(&first, &|triangle| Job::Premium { text: text.clone(), triangle }).await {
            Answer::Premium(p, t) => (p, t),
            Answer::Failed(e) => return Err(format!("{}: {e}", sample.premium)),
            other => return Err(other.unexpected()),
        };
    Ok(Segment::new(name, name, measures, Some(premium), by_development))
}

/// A deterministic `n` × `n` monthly triangle (origins 2010-01 on) with
/// premium: development that slows with age, with a little noise so that
/// the link ratios differ, as they do in real data.
pub fn synthetic(name: &str, n: usize) -> Result<Segment, String> {
    let origins: Vec<String> = (0..n).map(|i| format!("{}-{:02}", 2010 + i / 12, i % 12 + 1)).collect();
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
    let triangle =
        Triangle::new(origins, ages, Grain::Monthly, Grain::Monthly, rows).map_err(|e| format!("{name}: {e}"))?;
    let premium = (0..n).map(|i| 4000.0 + 20.0 * i as f64).collect();
    Ok(Segment::new(name, name, vec![("incurred".into(), Rc::new(triangle))], Some(premium), None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::input::{align_premium, read_mapped, read_premium};

    const CLAIMS: &str = include_str!("../static/data/quarterly.csv");
    const PREMIUM: &str = include_str!("../static/data/quarterly_premium.csv");

    #[test]
    fn the_samples_read_as_the_worker_reads_them() {
        let q = read_mapped(CLAIMS, &sample_mapping(None)).unwrap();
        let names: Vec<&str> = q.measures.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(names, ["incurred", "paid"]);
        let t = &q.measures[0].1;
        assert_eq!((t.n_origins(), t.n_ages()), (12, 45));
        assert_eq!((t.ages().first(), t.ages().last()), (Some(&3), Some(&135)));
        let premium = align_premium(&read_premium(PREMIUM).unwrap(), t).unwrap();
        assert_eq!(premium.len(), 12);

        // Annual: the same claims at yearly development, each year ending
        // at a first quarter as the latest valuation (2006Q1) does; a value
        // at yearly development is a quarterly value too.
        let a = read_mapped(CLAIMS, &sample_mapping(Some(Grain::Yearly))).unwrap();
        let y = &a.measures[0].1;
        assert_eq!(y.n_origins(), 12);
        assert_eq!((y.ages().first(), y.ages().last()), (Some(&3), Some(&135)));
        assert!(y.ages().windows(2).all(|w| w[1] - w[0] == 12));
        assert_eq!(y.get(0, y.age_index(123).unwrap()), t.get(0, t.age_index(123).unwrap()));
    }

    #[test]
    fn the_synthetic_segment_is_120_by_120() {
        let s = synthetic("monthly-120", 120).unwrap();
        let (name, t) = s.triangle(None).unwrap();
        assert_eq!(name, "incurred");
        assert_eq!((t.n_origins(), t.n_ages()), (120, 120));
        assert_eq!(t.latest().len(), 120);
        assert_eq!(t.get(119, 1), None);
        assert_eq!(s.triangle(Some("nope")).unwrap().0, "incurred");
    }
}
