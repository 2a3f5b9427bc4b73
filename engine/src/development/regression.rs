//! The straight-line fit that chainladder-python's `WeightedRegression._fit_ols`
//! makes, for the three places that extrapolate along the development axis:
//! Mack's log-linear sigma, the tail curves and the tail's sigma.
//!
//! It is an ordinary weighted least-squares line `y = a + b·x` with one
//! detail kept on purpose: a point whose `y` is NaN but whose weight is not
//! zero drops out of the sums over `y` and yet still counts in the total
//! weight and in the sums over `x`, as NumPy's `nansum` makes it do.
//! chainladder-python's tail statistics pass unit weights with NaN in `y`
//! (factors at or below 1), so this is what their figures are made of.

/// The fitted line: `y = intercept + slope · x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    pub slope: f64,
    pub intercept: f64,
}

impl Line {
    pub fn at(&self, x: f64) -> f64 {
        x * self.slope + self.intercept
    }
}

/// Fits `y` on `x` with weights `w`; points with a zero (or NaN) weight are
/// left out. `None` when the points do not determine a line (fewer than two
/// distinct `x`) or the sums are not finite.
pub(crate) fn ols(x: &[f64], y: &[f64], w: &[f64]) -> Option<Line> {
    let (mut sw, mut swx, mut swy, mut swxy, mut swxx) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for ((&x, &y), &w) in x.iter().zip(y).zip(w) {
        if w == 0.0 || w.is_nan() {
            continue;
        }
        // Products in chainladder's order (`w * x * y`), so that sums agree
        // to the last bit where they can.
        let wx = w * x;
        sw += w;
        swx += wx;
        swxx += wx * x;
        if !y.is_nan() {
            swy += y * w;
            swxy += wx * y;
        }
    }
    if sw == 0.0 {
        return None;
    }
    let x_mean = swx / sw;
    let y_mean = swy / sw;
    let num = swxy - swx * y_mean;
    let den = swxx - swx * x_mean;
    if den == 0.0 || !den.is_finite() || !num.is_finite() {
        return None;
    }
    // chainladder turns an exactly-zero numerator into NaN (its zeros-are-
    // missing helper); a flat line is a flat line, so it stays 0 here.
    let slope = if num == 0.0 { 0.0 } else { num / den };
    let intercept = y_mean - slope * x_mean;
    (slope.is_finite() && intercept.is_finite()).then_some(Line { slope, intercept })
}

/// `1, 2, …, n` as floats: the development periods chainladder regresses on.
pub(crate) fn periods(n: usize) -> Vec<f64> {
    (1..=n).map(|k| k as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_a_line_and_ignores_zero_weights() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [3.0, 5.0, 100.0, 9.0];
        let w = [1.0, 1.0, 0.0, 1.0];
        let l = ols(&x, &y, &w).unwrap();
        assert!((l.slope - 2.0).abs() < 1e-12 && (l.intercept - 1.0).abs() < 1e-12);
    }

    #[test]
    fn one_point_or_flat_data() {
        assert_eq!(ols(&[1.0], &[2.0], &[1.0]), None);
        let l = ols(&[1.0, 2.0], &[2.0, 2.0], &[1.0, 1.0]).unwrap();
        assert_eq!(l.slope, 0.0);
        assert_eq!(l.at(7.0), 2.0);
    }

    #[test]
    fn nan_y_with_weight_counts_in_the_x_sums() {
        // chainladder's nansum: the NaN point still counts in n and Σx.
        let l = ols(&[1.0, 2.0, 3.0], &[1.0, f64::NAN, 3.0], &[1.0, 1.0, 1.0]).unwrap();
        // x̄ = 2, ȳ = 4/3, Σxy = 10, Σx = 6 → b = (10 − 8) / (14 − 12) = 1.
        assert!((l.slope - 1.0).abs() < 1e-12);
        assert!((l.intercept - (4.0 / 3.0 - 2.0)).abs() < 1e-12);
    }
}
