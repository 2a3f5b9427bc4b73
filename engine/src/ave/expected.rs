//! Actual versus expected by calendar period, as reserving-studio's "Actual
//! vs Expected" tab shows it: chainladder-python's `full_expectation_` of
//! each origin's selected method against the triangle, one diagonal at a
//! time.
//!
//! The expected cumulative value of origin `i` at age index `k` is its
//! selected ultimate over the age-to-ultimate factor there, `U_i / CDF(k)`
//! (`CDF` of the last age is the tail factor, 1 without a tail); the
//! expected incremental amount is its growth from the age before, and at
//! the first age the value itself. The actual incremental amount is the
//! triangle's, the same way. Each cell belongs to the diagonal (valuation
//! period) it is valued at; only diagonals up to the latest count.
//!
//! reserving-studio takes the ultimate of the Chainladder or the
//! BornhuetterFerguson model, as each origin's selection says; here the
//! selected ultimate of [`Reserve::selected`] is used whatever its method,
//! so an origin selecting Benktander or Cape Cod has that method's ultimate
//! spread over the same pattern.
//!
//! Shown are, for one diagonal, a row per origin valued on it and their
//! total; and a row per diagonal (the sum over origins) with the total over
//! all diagonals. Diagonals are named in the development grain (`2006Q1`,
//! `1990`) where reserving-studio always names the quarter (`1990Q4`). Following chainladder-python's convention that a zero is
//! missing, a cell whose actual and expected increments are both zero or
//! missing is left out, and otherwise a missing figure counts as 0 (as
//! reserving-studio fills it). An increment is missing where the cell or
//! the one before it is not observed (actual), or where the ultimate or a
//! `CDF` it needs is not a finite positive number (expected). Nothing here
//! panics or errs: a diagonal that is not one of the triangle's gives no
//! origin rows.

pub use super::diagonals;
use super::AveRow;
use crate::{Reserve, Triangle};
use serde::{Deserialize, Serialize};

/// Actual versus expected by origin for one diagonal and by diagonal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expectation {
    /// The diagonal shown by origin, as a label of the development grain.
    pub valuation: String,
    pub by_origin: Vec<AveRow>,
    pub origin_total: AveRow,
    /// Every diagonal up to the latest, oldest first.
    pub by_period: Vec<AveRow>,
    pub period_total: AveRow,
}

/// Every cell `(origin, age index, valuation month)` of the triangle on or
/// before its latest diagonal.
fn cells(t: &Triangle) -> impl Iterator<Item = (usize, usize, i32)> + '_ {
    let latest = t.valuation_month_max();
    (0..t.n_origins())
        .flat_map(move |i| (0..t.n_ages()).map(move |j| (i, j, t.valuation_month(i, j))))
        .filter(move |&(_, _, v)| v <= latest)
}

/// The actual and expected increments of cell `(i, j)`, `None` where
/// missing.
fn increments(t: &Triangle, r: &Reserve, i: usize, j: usize) -> (Option<f64>, Option<f64>) {
    let actual = match (t.get(i, j), j.checked_sub(1)) {
        (Some(x), None) => Some(x),
        (Some(x), Some(p)) => t.get(i, p).map(|y| x - y),
        (None, _) => None,
    };
    let ultimate = r.selected.result.ultimate.get(i).copied().filter(|u| u.is_finite());
    let cumulative = |k: usize| -> Option<f64> {
        let cdf = r.cdf.get(k).copied().unwrap_or(1.0);
        (cdf.is_finite() && cdf > 0.0).then_some(())?;
        Some(ultimate? / cdf)
    };
    let expected = match j.checked_sub(1) {
        None => cumulative(j),
        Some(p) => cumulative(j).zip(cumulative(p)).map(|(a, b)| a - b),
    };
    let finite = |x: Option<f64>| x.filter(|x| x.is_finite());
    (finite(actual), finite(expected))
}

/// Actual versus expected by origin on the diagonal `valuation` (a month
/// index, as [`diagonals`] gives) and by diagonal, with the selected
/// ultimates and the age-to-ultimate factors of `r`.
pub fn expectation(t: &Triangle, r: &Reserve, valuation: i32) -> Expectation {
    let grain = t.development_grain();
    let mut by_period: Vec<(i32, AveRow)> = Vec::new();
    let mut by_origin = Vec::new();
    for (i, j, v) in cells(t) {
        let (actual, expected) = increments(t, r, i, j);
        if actual.unwrap_or(0.0) == 0.0 && expected.unwrap_or(0.0) == 0.0 {
            continue;
        }
        let (a, e) = (actual.unwrap_or(0.0), expected.unwrap_or(0.0));
        let at = match by_period.binary_search_by_key(&v, |(m, _)| *m) {
            Ok(k) => k,
            Err(k) => {
                by_period.insert(k, (v, AveRow { label: grain.label(v), expected: 0.0, actual: 0.0 }));
                k
            }
        };
        let row = &mut by_period[at].1;
        row.actual += a;
        row.expected += e;
        if v == valuation {
            by_origin.push(AveRow { label: t.origins()[i].clone(), expected: e, actual: a });
        }
    }
    let by_period: Vec<AveRow> = by_period.into_iter().map(|(_, r)| r).collect();
    Expectation {
        valuation: grain.label(valuation),
        origin_total: total(&by_origin),
        period_total: total(&by_period),
        by_origin,
        by_period,
    }
}

fn total(rows: &[AveRow]) -> AveRow {
    AveRow {
        label: "Total".into(),
        expected: rows.iter().map(|r| r.expected).sum(),
        actual: rows.iter().map(|r| r.actual).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ave::tests::triangle;
    use crate::{Grain, MethodResult, Selected};

    fn reserve(cdf: Vec<f64>, ultimate: Vec<f64>) -> Reserve {
        Reserve {
            cdf,
            selected: Selected { result: MethodResult { ultimate, ..Default::default() }, method: Vec::new() },
            ..Default::default()
        }
    }

    #[test]
    fn by_hand() {
        let t = triangle();
        assert_eq!(
            diagonals(&t),
            vec![(2003 * 12 + 11, "2003".into()), (2002 * 12 + 11, "2002".into()), (2001 * 12 + 11, "2001".into())]
        );
        // CDF 1.65, 1.1 (and 1 at 36): ultimates 165, 187, 240.
        let r = reserve(vec![1.65, 1.1], vec![165.0, 187.0, 240.0]);
        let e = expectation(&t, &r, 2003 * 12 + 11);
        assert_eq!(e.valuation, "2003");
        let labels: Vec<_> = e.by_origin.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["2001", "2002", "2003"]);
        // 2001 at 36: 165 − 150 expected, 15 actual.
        assert!((e.by_origin[0].expected - 15.0).abs() < 1e-9 && e.by_origin[0].actual == 15.0);
        // 2002 at 24: 187/1.1 − 187/1.65 = 170 − 113.33…; actual 60.
        assert!((e.by_origin[1].expected - (170.0 - 187.0 / 1.65)).abs() < 1e-9);
        // 2003 at 12: 240/1.65; actual 120.
        assert!((e.by_origin[2].expected - 240.0 / 1.65).abs() < 1e-9 && e.by_origin[2].actual == 120.0);
        assert_eq!(e.by_period.len(), 3);
        assert_eq!(e.by_period[2].actual, e.origin_total.actual);
        // Chain ladder ultimates: everything observed is expected in total.
        let sum: f64 = e.by_period.iter().map(|p| p.expected).sum();
        assert!((sum - e.period_total.expected).abs() < 1e-9);
        assert!((e.period_total.expected - (165.0 + 170.0 + 240.0 / 1.65)).abs() < 1e-9);
    }

    #[test]
    fn bad_input_is_skipped_not_a_panic() {
        let t = triangle();
        // A CDF of 0 or NaN, a NaN ultimate, a short CDF and ultimate list.
        for r in [
            reserve(vec![0.0, f64::NAN], vec![1.0, 2.0, 3.0]),
            reserve(vec![1.65, 1.1], vec![f64::NAN]),
            reserve(Vec::new(), Vec::new()),
        ] {
            let e = expectation(&t, &r, 2003 * 12 + 11);
            assert!(e.period_total.expected.is_finite() && e.origin_total.expected.is_finite());
            assert_eq!(e.period_total.actual, 100.0 + 50.0 + 15.0 + 110.0 + 60.0 + 120.0);
        }
        // Not a diagonal: no origin rows.
        let e = expectation(&t, &reserve(vec![1.65, 1.1], vec![165.0, 187.0, 240.0]), 1);
        assert!(e.by_origin.is_empty() && e.by_period.len() == 3);
        // A missing cell: its increment and the next are missing.
        let holed = Triangle::new(
            vec!["2001".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(100.0), None, Some(165.0)]],
        )
        .unwrap();
        let e = expectation(&holed, &reserve(vec![1.65, 1.1], vec![165.0]), 2003 * 12 + 11);
        assert_eq!(e.by_origin[0].actual, 0.0);
        assert!((e.by_origin[0].expected - 15.0).abs() < 1e-9);
    }
}
