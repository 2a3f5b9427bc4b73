//! The tail: development beyond the triangle's last age, appended to the
//! selected factors as chainladder-python's tail estimators do
//! (`TailConstant`, `TailCurve`, `TailBondy`, all on `TailBase`).
//!
//! A tail adds `m · p + 1` factors after the last development period, where
//! `m` is the whole number of years of the tail's projection
//! ([`Settings::tail_length`] for a fitted curve, `tail_projection_months`
//! for the others) and `p` the
//! development periods per year: two for yearly development and a 12-month
//! projection, five for quarterly. The first `m · p` are the next periods'
//! factors and the last is the product of everything after them, so that
//! the age-to-ultimate factor of the last age (the tail factor) is the
//! product of all of them. Labels continue the development labels
//! (`120-132`, `132-144`).
//!
//! A curve or Bondy's tail may replace the selected factors from the
//! attachment age on; a constant tail may spread over them too. Mack's
//! method also needs a sigma and a standard error for the step from the last
//! age to ultimate: chainladder extrapolates both log-linearly to the
//! "time" at which the development factors' curve reaches the tail factor
//! (`TailBase._get_tail_stats`), and so does this module.

use crate::development::regression::{ols, periods};
use crate::development::{Development, ZERO_SIGMA};
use crate::maths::Libm;
use crate::session::{
    Settings, SigmaInterpolation, TailCurve, TailLength, TAIL_EXTRAP_PERIODS, TAIL_PROJECTION_MONTHS,
};
use crate::warnings::Warn;
use crate::Triangle;

/// The development pattern with its tail.
#[derive(Debug, Clone, PartialEq)]
pub struct Tail {
    pub curve: TailCurve,
    /// The development factors (refitted from the attachment age when a
    /// curve replaces them) followed by the tail's factors.
    pub ldf: Vec<f64>,
    /// Age-to-ultimate factors: the products of `ldf` from each period on.
    pub cdf: Vec<f64>,
    /// `"12-24"`, …, then the tail's periods.
    pub labels: Vec<String>,
    /// The age-to-ultimate factor of the last age (1.0 without a tail).
    pub tail_factor: f64,
    /// How many of `ldf` are development periods of the triangle.
    pub n_development: usize,
    /// Mack's sigma and standard error for the step from the last age to
    /// ultimate (0 without a tail; NaN when they cannot be extrapolated).
    pub sigma: f64,
    pub std_err: f64,
}

impl Tail {
    /// The age-to-ultimate factor of an age index of the triangle.
    pub fn cdf_at(&self, age_index: usize) -> f64 {
        self.cdf.get(age_index).copied().unwrap_or(1.0)
    }

    /// The age-to-age factor from an age index of the triangle to the next;
    /// from the last age, the tail factor.
    pub fn step_factor(&self, age_index: usize) -> f64 {
        if age_index < self.n_development {
            self.ldf[age_index]
        } else {
            self.tail_factor
        }
    }
}

/// Appends the session's tail to a development pattern. A tail that cannot
/// be fitted (too few factors above 1, say) is left out with a warning.
pub fn apply_tail(triangle: &Triangle, dev: &Development, settings: &Settings, warnings: &mut dyn Warn) -> Tail {
    let ages = triangle.ages();
    let m = dev.len();
    let mut labels: Vec<String> = ages.windows(2).map(|w| format!("{}-{}", w[0], w[1])).collect();
    let mut ldf = dev.ldf.clone();
    let curve = settings.tail_curve;
    if curve == TailCurve::None {
        let cdf = cumulative(&ldf);
        return Tail { curve, ldf, cdf, labels, tail_factor: 1.0, n_development: m, sigma: 0.0, std_err: 0.0 };
    }

    let step = triangle.development_grain().months();
    let per_year = (12 / step).max(1) as usize;
    // A fitted curve's length follows the session's tail-length rule; the
    // constant and Bondy tails take the projection months as given.
    let length = match curve {
        TailCurve::Exponential | TailCurve::InversePower | TailCurve::Weibull => settings.tail_length(step),
        _ => TailLength {
            extrap_periods: 0,
            projection_months: settings.tail_projection_months.unwrap_or(12),
            remainder: true,
        },
    };
    // Settings that did not come through the session reader (built in code)
    // are held to its bounds too, so no tail is longer than a session allows.
    let projection_months = length.projection_months.min(TAIL_PROJECTION_MONTHS.max as u32);
    let length = TailLength {
        extrap_periods: length.extrap_periods.min(TAIL_EXTRAP_PERIODS.max as u32),
        projection_months,
        ..length
    };
    let t_cols = (projection_months / 12) as usize * per_year + 1;
    // chainladder labels the tail from the last factor's starting age.
    let base = if m > 0 { ages[m - 1] } else { ages[0].saturating_sub(step) };
    for k in 1..=t_cols as u32 {
        let from = base + k * step;
        labels.push(format!("{}-{}", from, from + step));
    }
    ldf.resize(m + t_cols, 1.0);

    let attach = attachment_index(ages, settings.tail_attachment_age, m, warnings);
    let fitted = match curve {
        TailCurve::None => Ok(()),
        TailCurve::Constant => {
            constant(&mut ldf, settings.tail_constant, settings.tail_decay, attach);
            Ok(())
        }
        TailCurve::Exponential | TailCurve::InversePower | TailCurve::Weibull => {
            fit_curve(&mut ldf, dev, curve, settings, length, step, attach)
        }
        TailCurve::Bondy => bondy(&mut ldf, dev, ages, settings, step, attach, warnings),
    };
    if let Err(why) = fitted {
        warnings.warn(format_args!("tail ({}): {why}; no tail applied", curve.name()));
        ldf.clear();
        ldf.extend_from_slice(&dev.ldf);
        ldf.resize(m + t_cols, 1.0);
    }
    let cdf = cumulative(&ldf);
    let tail_factor = cdf.get(m).copied().unwrap_or(1.0);
    let (sigma, std_err) = tail_stats(dev, &ldf, t_cols, tail_factor);
    Tail { curve, ldf, cdf, labels, tail_factor, n_development: m, sigma, std_err }
}

/// Products from each factor to the end.
fn cumulative(ldf: &[f64]) -> Vec<f64> {
    let mut cdf = ldf.to_vec();
    for j in (0..cdf.len().saturating_sub(1)).rev() {
        cdf[j] *= cdf[j + 1];
    }
    cdf
}

/// The first age index at or after the attachment age; the last age when
/// none is set (or none is that old, with a warning).
fn attachment_index(ages: &[u32], age: Option<u32>, m: usize, warnings: &mut dyn Warn) -> usize {
    match age {
        None => m,
        Some(a) => ages.iter().position(|&x| x >= a).unwrap_or_else(|| {
            warnings.warn(format_args!(
                "tail_attachment_age: the triangle has no age of {a} months or more; the tail attaches at the last age"
            ));
            m
        }),
    }
}

/// chainladder's `TailConstant` (`TailBase._apply_decay`): from the
/// attachment on, factors `1 + f₀·decayᵏ` whose last one makes the product
/// equal to the tail; `f₀` solves the quadratic series expansion
/// `a·f² + b·f + ln(1/tail) = 0` with `a = Σ decay²ᵏ`, `b = Σ decayᵏ`
/// over 1000 terms (`_get_initial_ldf`).
fn constant(ldf: &mut [f64], tail: f64, decay: f64, attach: usize) {
    let range = ldf.len() - attach.min(ldf.len());
    if range == 0 {
        return;
    }
    let f0 = if tail == 1.0 {
        0.0
    } else {
        let (mut a, mut b) = (0.0, 0.0);
        for k in 0..1000 {
            let d = decay.libm_powf(k as f64);
            a += d * d;
            b += d;
        }
        let c = -tail.libm_ln();
        let f = (-b + (b * b - 4.0 * a * c).sqrt()) / (2.0 * a);
        // No real root (a tail far below 1): put it all in the last factor.
        if f.is_finite() {
            f
        } else {
            0.0
        }
    };
    let mut product = 1.0;
    for k in 0..range - 1 {
        let f = 1.0 + f0 * decay.libm_powf(k as f64);
        ldf[attach + k] = f;
        product *= f;
    }
    ldf[attach + range - 1] = tail / product;
}

/// chainladder's `TailCurve`: a straight line through the transformed
/// factors of the fit period that are above 1.00001 (`reg_threshold`), in
/// `ln(f − 1)` against the period number (exponential), against its
/// logarithm (inverse power), or `ln ln(f / (f − 1))` against its logarithm
/// (Weibull); extrapolated over `extrap_periods` more periods, each period's
/// factor is read off the curve and the last tail factor is the product of
/// all the rest.
fn fit_curve(
    ldf: &mut [f64],
    dev: &Development,
    curve: TailCurve,
    settings: &Settings,
    length: TailLength,
    step: u32,
    attach: usize,
) -> Result<(), String> {
    let m = dev.len();
    // fit_period ages become indices as chainladder makes them:
    // int(age / grain − 1), a Python slice [from, to).
    let index = |age: u32| ((age as f64 / step as f64 - 1.0) as i64).clamp(0, m as i64) as usize;
    let (from, to) = settings.tail_fit_period;
    let start = from.map_or(0, index);
    let end = to.map_or(m, index);
    let mut w = vec![0.0; m];
    let mut y = dev.ldf.clone();
    for (k, (wk, yk)) in w.iter_mut().zip(y.iter_mut()).enumerate() {
        if k >= start && k < end {
            *wk = 1.0;
        }
        if *yk <= 1.00001 {
            *wk = 0.0;
            *yk = 1.01;
        }
    }
    let weibull = curve == TailCurve::Weibull;
    let y: Vec<f64> =
        y.iter().map(|&f| if weibull { (f / (f - 1.0)).libm_ln().libm_ln() } else { (f - 1.0).libm_ln() }).collect();
    let mut x = periods(m);
    if curve != TailCurve::Exponential {
        x.iter_mut().for_each(|t| *t = t.libm_ln());
    }
    let line = ols(&x, &y, &w).ok_or("fewer than two factors above 1.00001 in the fit period to fit the curve")?;
    let excess = |t: f64| match curve {
        TailCurve::Exponential => line.at(t).libm_exp(),
        TailCurve::InversePower => line.intercept.libm_exp() * t.libm_powf(line.slope),
        _ => 1.0 / (1.0 - (-line.intercept.libm_exp() * t.libm_powf(line.slope)).libm_exp()) - 1.0,
    };
    let n_pred = length.extrap_periods as usize + m;
    let last = ldf.len() - 1;
    let mut predicted = vec![1.0; ldf.len()];
    for (k, p) in predicted.iter_mut().enumerate().take(last) {
        if k < n_pred {
            *p = 1.0 + excess((k + 1) as f64);
        }
    }
    // reserving-studio's reading leaves out what lies past the projection
    // (its pipeline sets the last factor to 1).
    predicted[last] =
        if length.remainder { (last..n_pred).map(|k| 1.0 + excess((k + 1) as f64)).product() } else { 1.0 };
    if predicted.iter().any(|f| !f.is_finite()) {
        return Err("the fitted curve does not give finite factors".into());
    }
    ldf[attach..].copy_from_slice(&predicted[attach..]);
    Ok(())
}

/// chainladder's `TailBondy`: `ln f_k = c · bᵏ` fitted by least squares to
/// the factors from the earliest age (the `tail_fit_period` start; by default
/// the last factor only, which gives b = ½); from the attachment age on the
/// factors become `f₀^(bᵏ)` with `f₀` the selected factor at the earliest
/// age, and the last one the rest of the series, `f^(b / (1 − b))`.
fn bondy(
    ldf: &mut [f64],
    dev: &Development,
    ages: &[u32],
    settings: &Settings,
    step: u32,
    attach: usize,
    warnings: &mut dyn Warn,
) -> Result<(), String> {
    let m = dev.len();
    if m == 0 {
        return Err("the triangle has no development factor to start from".into());
    }
    let initial = match settings.tail_fit_period.0 {
        None => m - 1,
        Some(age) => match (age / step).checked_sub(1).map(|k| k as usize).filter(|&k| k < m) {
            Some(k) => k,
            None => return Err(format!("the earliest age {age} is not a development age with a factor")),
        },
    };
    let mut attach = if settings.tail_attachment_age.is_none() { m - 1 } else { attach };
    if attach < initial {
        warnings.warn(format_args!(
            "tail_attachment_age: Bondy's tail attaches at or after its earliest age ({}); attached there",
            ages[initial]
        ));
        attach = initial;
    }
    let data: Vec<f64> = dev.ldf[initial..].iter().map(|f| f.libm_ln()).collect();
    if data.iter().any(|d| !d.is_finite()) {
        return Err("a factor at or after the earliest age is not positive".into());
    }
    let b = bondy_b(&data);
    if !(b > 0.0 && b < 1.0) {
        return Err(format!("the fitted Bondy exponent {b} is not between 0 and 1"));
    }
    let f0 = dev.ldf[initial];
    let last = ldf.len() - 1;
    let fitted = |k: usize| f0.libm_powf(b.libm_powf(k as f64));
    for (p, f) in ldf.iter_mut().enumerate().take(last).skip(attach + 1) {
        *f = fitted(p - initial);
    }
    ldf[last] = fitted(last - 1 - initial).libm_powf(b / (1.0 - b));
    Ok(())
}

/// Least squares for `d_k ≈ c · bᵏ`, started where chainladder starts scipy's
/// `least_squares` (b = 0.5, c = d₀); Gauss-Newton with step halving, to
/// full precision.
fn bondy_b(d: &[f64]) -> f64 {
    let (mut b, mut c) = (0.5f64, d[0]);
    let cost =
        |b: f64, c: f64| -> f64 { d.iter().enumerate().map(|(k, &dk)| (dk - c * b.powi(k as i32)).powi(2)).sum() };
    let mut current = cost(b, c);
    for _ in 0..200 {
        // Normal equations of the linearised residuals r_k = d_k − c·bᵏ.
        let (mut jbb, mut jbc, mut jcc, mut gb, mut gc) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (k, &dk) in d.iter().enumerate() {
            let bk = b.powi(k as i32);
            let db = if k == 0 { 0.0 } else { c * k as f64 * b.powi(k as i32 - 1) };
            let dc = bk;
            let r = dk - c * bk;
            jbb += db * db;
            jbc += db * dc;
            jcc += dc * dc;
            gb += db * r;
            gc += dc * r;
        }
        let det = jbb * jcc - jbc * jbc;
        let (sb, sc) = if det.abs() > 1e-300 {
            ((gb * jcc - gc * jbc) / det, (gc * jbb - gb * jbc) / det)
        } else if jcc > 0.0 {
            // b does not enter (one point): only c moves.
            (0.0, gc / jcc)
        } else {
            break;
        };
        let mut t = 1.0;
        let mut improved = false;
        while t > 1e-12 {
            let (nb, nc) = (b + t * sb, c + t * sc);
            let next = cost(nb, nc);
            if next < current {
                b = nb;
                c = nc;
                improved = current - next > current * 1e-30;
                current = next;
                break;
            }
            t *= 0.5;
        }
        if !improved || (sb.abs() <= 1e-15 * b.abs() && sc.abs() <= 1e-15 * c.abs().max(1e-300)) {
            break;
        }
    }
    b
}

/// Mack's sigma and standard error for the tail step, as chainladder's
/// `TailBase._get_tail_stats`: the development factors' `ln(f − 1)` on the
/// period number gives the "time" at which the curve reaches the tail
/// (`_get_tail_weighted_time_period`); `ln sigma` and `ln std_err` on the
/// period number, read at that time, give the tail's. The three fits are
/// chainladder's, with unit weights (see [`ols`] on NaN points). A tail
/// factor of exactly 1 has no variability.
fn tail_stats(dev: &Development, ldf: &[f64], t_cols: usize, tail_factor: f64) -> (f64, f64) {
    if tail_factor == 1.0 {
        return (0.0, 0.0);
    }
    let m = dev.len();
    let x = periods(m);
    let ones = vec![1.0; m];
    let y: Vec<f64> = dev.ldf.iter().map(|&f| if f <= 1.0 { f64::NAN } else { (f - 1.0).libm_ln() }).collect();
    let Some(curve) = ols(&x, &y, &ones) else {
        return (f64::NAN, f64::NAN);
    };
    let product: f64 = ldf[ldf.len() - t_cols..].iter().product();
    let tail = if product > 1.0 { product } else { 1.001 };
    let time = ((tail - 1.0).libm_ln() - curve.intercept) / curve.slope;
    // The sigmas as chainladder holds them: a zero sigma is NaN after its
    // log-linear fill and 1e-320 after Mack's; a zero std_err is NaN.
    let sigma: Vec<f64> = dev
        .sigma
        .iter()
        .map(|&s| match (s == 0.0, dev.sigma_interpolation) {
            (true, SigmaInterpolation::LogLinear) => f64::NAN,
            (true, SigmaInterpolation::Mack) => ZERO_SIGMA.libm_ln(),
            _ => s.libm_ln(),
        })
        .collect();
    let std_err: Vec<f64> = dev.std_err.iter().map(|&s| if s == 0.0 { f64::NAN } else { s.libm_ln() }).collect();
    let at = |y: &[f64]| ols(&x, y, &ones).map_or(f64::NAN, |l| l.at(time).libm_exp());
    (at(&sigma), at(&std_err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_tail_multiplies_to_the_constant() {
        let mut ldf = vec![1.5, 1.2, 1.0, 1.0];
        constant(&mut ldf, 1.05, 0.5, 2);
        assert!((ldf[2] * ldf[3] - 1.05).abs() < 1e-15);
        assert!(ldf[2] > 1.0 && ldf[3] > 1.0);
        let mut ldf = vec![1.5, 1.0, 1.0];
        constant(&mut ldf, 1.0, 0.5, 1);
        assert_eq!(ldf, vec![1.5, 1.0, 1.0]);
    }

    #[test]
    fn bondy_one_point_keeps_b_half() {
        assert_eq!(bondy_b(&[0.01]), 0.5);
    }

    #[test]
    fn bondy_fits_an_exact_series() {
        let d: Vec<f64> = (0..5).map(|k| 0.2 * 0.6f64.powi(k)).collect();
        assert!((bondy_b(&d) - 0.6).abs() < 1e-12);
    }
}
