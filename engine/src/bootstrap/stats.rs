//! The statistics of simulated IBNR that the summary reports, defined as a
//! chainladder-python user computes them with NumPy, so the figures can be
//! compared directly: the mean, the sample standard deviation (`ddof = 1`,
//! pandas' `std`), the coefficient of variation (standard deviation over
//! mean) and percentiles with NumPy's default `linear` interpolation
//! (`np.percentile(x, q)`: the sorted values at rank `(n − 1)·q/100`,
//! interpolated linearly between the two nearest ranks).

use serde::{Deserialize, Serialize};

/// The percentiles reported, in percent.
pub const PERCENTILES: [f64; 6] = [50.0, 75.0, 90.0, 95.0, 99.0, 99.5];

/// IBNR percentiles; the JSON keys are the percentages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Percentiles {
    #[serde(rename = "50")]
    pub p50: f64,
    #[serde(rename = "75")]
    pub p75: f64,
    #[serde(rename = "90")]
    pub p90: f64,
    #[serde(rename = "95")]
    pub p95: f64,
    #[serde(rename = "99")]
    pub p99: f64,
    #[serde(rename = "99.5")]
    pub p99_5: f64,
}

impl Percentiles {
    /// In the order of [`PERCENTILES`].
    pub fn values(&self) -> [f64; 6] {
        [self.p50, self.p75, self.p90, self.p95, self.p99, self.p99_5]
    }
}

/// Mean, standard deviation, cv and percentiles of `values`, which are
/// sorted in place. NaN throughout when there are none; the standard
/// deviation is NaN with one value, the cv where the mean is 0.
pub(crate) fn describe(values: &mut [f64]) -> (f64, f64, f64, Percentiles) {
    let n = values.len();
    if n == 0 {
        let nan = f64::NAN;
        return (nan, nan, nan, Percentiles { p50: nan, p75: nan, p90: nan, p95: nan, p99: nan, p99_5: nan });
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let std = if n > 1 {
        (values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    let cv = if mean != 0.0 { std / mean } else { f64::NAN };
    values.sort_unstable_by(f64::total_cmp);
    let p = PERCENTILES.map(|q| percentile(values, q));
    (mean, std, cv, Percentiles { p50: p[0], p75: p[1], p90: p[2], p95: p[3], p99: p[4], p99_5: p[5] })
}

/// NumPy's `percentile(x, q)` (method `linear`) of sorted values: rank
/// `h = (n − 1)·q/100`, then `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`,
/// written as NumPy's `_lerp` writes it (from the upper end when the
/// fraction is at least one half) so that the two agree to the last digit.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * (q / 100.0);
    let lo = h.floor();
    let i = (lo as usize).min(n - 1);
    let t = h - lo;
    let (a, b) = (sorted[i], sorted[(i + 1).min(n - 1)]);
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_linear_percentiles() {
        // np.percentile([1, 2, 3, 4, 10], [50, 75, 90, 99.5])
        // = [3.0, 4.0, 7.6, 9.88]
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        for (q, want) in [(50.0, 3.0), (75.0, 4.0), (90.0, 7.6), (99.5, 9.88), (0.0, 1.0), (100.0, 10.0)] {
            assert!((percentile(&x, q) - want).abs() < 1e-12, "{q}: {}", percentile(&x, q));
        }
        assert_eq!(percentile(&[7.0], 99.5), 7.0);
    }

    #[test]
    fn describe_by_hand() {
        let mut x = [4.0, 1.0, 3.0, 2.0];
        let (mean, std, cv, p) = describe(&mut x);
        assert_eq!(mean, 2.5);
        // Σ (x − 2.5)² = 5, over n − 1 = 3.
        assert!((std - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert!((cv - std / 2.5).abs() < 1e-15);
        assert_eq!(p.p50, 2.5);
        assert_eq!(x, [1.0, 2.0, 3.0, 4.0]);
        let (m, s, c, _) = describe(&mut [0.0, 0.0]);
        assert_eq!((m, s), (0.0, 0.0));
        assert!(c.is_nan());
    }
}
