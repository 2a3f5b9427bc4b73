//! Actual versus expected: how the claims developed since an earlier
//! valuation, against what the selected development pattern expected.
//!
//! For an origin valued `C₀` at the earlier diagonal (age index `j₀`), the
//! pattern expects the value at each later age `k` to be
//! `C₀ × f(j₀) × … × f(k−1)`, the product of the selected age-to-age factors
//! in between; the expected development up to the latest diagonal is that
//! at the origin's latest age minus `C₀`, and the actual is the value
//! observed there minus `C₀`. Split by valuation period, the expected
//! amount of a period is the growth of the expected value over that period,
//! and the actual is the observed increment; so the periods of an origin
//! add up to its whole, and the table by origin and the table by period
//! have the same total.
//!
//! Origins without a value at the earlier valuation (younger origins) have
//! no expectation and are left out. A cell missing between the two
//! diagonals moves its actual increment to the next observed period.

use crate::{EngineError, Triangle};
use serde::{Deserialize, Serialize};

pub mod expected;

/// Expected and actual development of one origin, or of one valuation
/// period over all origins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AveRow {
    pub label: String,
    pub expected: f64,
    pub actual: f64,
}

impl AveRow {
    /// Actual minus expected.
    pub fn difference(&self) -> f64 {
        self.actual - self.expected
    }

    /// Actual over expected; `None` when nothing was expected.
    pub fn ratio(&self) -> Option<f64> {
        (self.expected != 0.0).then(|| self.actual / self.expected).filter(|r| r.is_finite())
    }
}

/// The comparison between two valuations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ave {
    /// The earlier valuation (`2005Q1`) and the latest one (`2006Q1`), as
    /// labels of the development grain.
    pub from: String,
    pub to: String,
    pub by_origin: Vec<AveRow>,
    pub by_period: Vec<AveRow>,
    pub total: AveRow,
}

/// Every diagonal of the triangle, newest first, each with its label: the
/// latest valuation month and each one a development period before it,
/// back to the earliest origin's first; none when no cell is observed.
pub fn diagonals(t: &Triangle) -> Vec<(i32, String)> {
    let latest = t.valuation_month_max();
    let step = t.development_grain().months() as i32;
    let earliest = (0..t.n_origins()).map(|i| t.valuation_month(i, 0)).min().unwrap_or(latest);
    if latest == i32::MIN {
        return Vec::new();
    }
    (0..)
        .map(|k| latest - k * step)
        .take_while(|v| *v >= earliest.min(latest))
        .map(|v| (v, t.development_grain().label(v)))
        .collect()
}

/// The diagonals an earlier valuation can be: every one but the latest.
pub fn valuations(t: &Triangle) -> Vec<(i32, String)> {
    diagonals(t).into_iter().skip(1).collect()
}

/// Actual versus expected from the valuation `from` (a month index, as
/// [`valuations`] gives) to the latest diagonal, with the selected factors
/// `ldf` (`ldf[j]` from age `j` to age `j + 1`; a tail past the last age
/// is not used).
pub fn actual_vs_expected(t: &Triangle, ldf: &[f64], from: i32) -> Result<Ave, EngineError> {
    let latest = t.valuation_month_max();
    let grain = t.development_grain();
    let step = grain.months() as i32;
    if from >= latest || (latest - from) % step != 0 {
        return Err(EngineError::Triangle(format!(
            "{} is not a valuation before the latest ({})",
            grain.label(from),
            grain.label(latest)
        )));
    }
    let n_periods = ((latest - from) / step) as usize;
    let mut by_period: Vec<AveRow> = (1..=n_periods)
        .map(|k| AveRow { label: grain.label(from + k as i32 * step), expected: 0.0, actual: 0.0 })
        .collect();
    let mut by_origin = Vec::new();
    for i in 0..t.n_origins() {
        // The age index of a valuation month for this origin, if the
        // triangle has that age.
        let index = |v: i32| -> Option<usize> {
            let age = v - t.origin_start(i) + 1;
            u32::try_from(age).ok().and_then(|a| t.age_index(a))
        };
        let Some(c0) = index(from).and_then(|j| t.get(i, j)) else { continue };
        let mut row = AveRow { label: t.origins()[i].clone(), expected: 0.0, actual: 0.0 };
        let mut expected = c0;
        let mut observed = c0;
        let mut any = false;
        for (k, period) in by_period.iter_mut().enumerate() {
            let Some(j) = index(from + (k as i32 + 1) * step) else { break };
            // Ages are evenly spaced at the development grain, so the
            // factor into age j is the one from age j − 1.
            let f = j.checked_sub(1).and_then(|m| ldf.get(m)).copied().unwrap_or(f64::NAN);
            let grown = expected * f;
            let e = grown - expected;
            expected = grown;
            let a = match t.get(i, j) {
                Some(x) => {
                    let a = x - observed;
                    observed = x;
                    any = true;
                    a
                }
                None => 0.0,
            };
            period.expected += e;
            period.actual += a;
            row.expected += e;
            row.actual += a;
        }
        if any {
            by_origin.push(row);
        }
    }
    let total = AveRow {
        label: "Total".into(),
        expected: by_origin.iter().map(|r| r.expected).sum(),
        actual: by_origin.iter().map(|r| r.actual).sum(),
    };
    Ok(Ave { from: grain.label(from), to: grain.label(latest), by_origin, by_period, total })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Grain;

    /// A small triangle, shared with the tests of [`expected`].
    pub(crate) fn triangle() -> Triangle {
        Triangle::new(
            vec!["2001".into(), "2002".into(), "2003".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(100.0), Some(150.0), Some(165.0)],
                vec![Some(110.0), Some(170.0), None],
                vec![Some(120.0), None, None],
            ],
        )
        .unwrap()
    }

    #[test]
    fn one_year_back_by_hand() {
        let t = triangle();
        let ldf = [1.5, 1.1];
        assert_eq!(valuations(&t), vec![(2002 * 12 + 11, "2002".into()), (2001 * 12 + 11, "2001".into())]);
        let a = actual_vs_expected(&t, &ldf, 2002 * 12 + 11).unwrap();
        assert_eq!((a.from.as_str(), a.to.as_str()), ("2002", "2003"));
        // 2001: 150 at 24 months, expected × 1.1 → 15; actual 15.
        // 2002: 110 at 12 months, expected × 1.5 → 55; actual 60.
        // 2003: no value at 2002, left out.
        assert_eq!(
            a.by_origin,
            vec![
                AveRow { label: "2001".into(), expected: 150.0 * 1.1 - 150.0, actual: 15.0 },
                AveRow { label: "2002".into(), expected: 55.0, actual: 60.0 },
            ]
        );
        assert_eq!(a.by_period.len(), 1);
        assert_eq!(a.total.actual, 75.0);
        assert!((a.total.expected - 70.0).abs() < 1e-9);
        assert!((a.by_period[0].expected - a.total.expected).abs() < 1e-12);
        assert_eq!(a.by_origin[1].ratio(), Some(60.0 / 55.0));
    }

    #[test]
    fn two_years_back_splits_by_period_and_adds_up() {
        let t = triangle();
        let ldf = [1.5, 1.1];
        let a = actual_vs_expected(&t, &ldf, 2001 * 12 + 11).unwrap();
        // Only 2001 was valued at the end of 2001: 100 → expected 150, then 165.
        assert_eq!(a.by_origin.len(), 1);
        assert_eq!(a.by_period.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["2002", "2003"]);
        assert!((a.by_period[0].expected - 50.0).abs() < 1e-9);
        assert!((a.by_period[1].expected - 15.0).abs() < 1e-9);
        assert_eq!((a.by_period[0].actual, a.by_period[1].actual), (50.0, 15.0));
        let sum: f64 = a.by_period.iter().map(|p| p.expected).sum();
        assert!((sum - a.total.expected).abs() < 1e-9);
    }

    #[test]
    fn a_valuation_that_is_not_earlier_is_refused() {
        let t = triangle();
        assert!(actual_vs_expected(&t, &[1.5, 1.1], 2003 * 12 + 11).is_err());
        assert!(actual_vs_expected(&t, &[1.5, 1.1], 2002 * 12 + 5).is_err());
    }
}
