//! One simulation: a pseudo triangle from resampled residuals, developed
//! with the segment's settings, projected to ultimate, with process risk.
//!
//! **Development of the pseudo triangle.** The factors come from the same
//! functions `develop` uses, on buffers kept between simulations:
//! the exclusions that do not depend on the values (the `n_periods`
//! windows, dropped cells, origins and valuations) are a mask computed once;
//! each simulation adds which link ratios are defined (a zero counts as not
//! observed), ranks the ratios again for `drop_high`/`drop_low`, and fits
//! each column with `development::fit_column`. So the factors are those of
//! `develop` on the pseudo triangle, digit for digit (`tests/bootstrap.rs`
//! checks it on random settings). A tail, when the segment has one, is
//! `tail::apply_tail` itself on those factors.
//!
//! **Projection.** As chainladder-python's `Chainladder` on the resampled
//! triangles: each origin's pseudo latest value times the age-to-ultimate
//! factor, less that value. With process risk, each future increment of
//! the projection (the step from the last age to ultimate counts as one) is
//! replaced by a gamma variate of the same mean `m` and variance `φ·|m|`:
//! `sign(m) · Gamma(shape |m|/φ, scale φ)`, as chainladder-python's
//! `_get_process_variance` draws it.
//!
//! **Random numbers.** Simulation `k` draws from its own ChaCha8 stream:
//! the key from the user's seed, the stream number `k`. A simulation's
//! figures depend on the seed and `k` alone, so running in chunks gives the
//! same figures as running in one go, bit for bit.

use super::model::Model;
use crate::development::{exclusions, exponent, fit_column, Development, LinkRatios};
use crate::maths::Libm;
use crate::session::{Average, Settings, SigmaInterpolation, TailCurve};
use crate::tail::apply_tail;
use crate::{EngineError, Triangle};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Everything a simulation reuses: the settings in the form the column fits
/// take them, the fixed masks, and the buffers it writes into.
pub(crate) struct Simulator {
    key: [u8; 32],
    process: bool,
    n_origins: usize,
    n_ages: usize,
    n_cols: usize,
    /// Per column: its average, the weight exponent, a typed factor.
    columns: Vec<(Average, f64, Option<f64>)>,
    n_periods: Vec<Option<u32>>,
    /// The exclusions that do not depend on the values, per link ratio.
    fixed_keep: Vec<bool>,
    /// The `n_periods` window per link ratio (for `drop_high`/`drop_low`).
    in_window: Vec<bool>,
    high_low: bool,
    settings: Settings,
    tail: bool,
    triangle: Triangle,
    // Buffers.
    lr: LinkRatios,
    keep: Vec<bool>,
    latest: Vec<f64>,
    /// The factors used in the projection (with a curve tail, refitted from
    /// the attachment age), then the age-to-ultimate factors.
    pub(crate) ldf: Vec<f64>,
    pub(crate) cdf: Vec<f64>,
    tail_factor: f64,
    dev: Development,
    /// Warnings of the tail's fits, with how many simulations gave each.
    pub(crate) tail_warnings: Vec<(String, usize)>,
    scratch: Vec<String>,
}

impl Simulator {
    pub(crate) fn new(
        triangle: &Triangle,
        settings: &Settings,
        seed: u64,
        process: bool,
    ) -> Result<Simulator, EngineError> {
        let n_origins = triangle.n_origins();
        let n_ages = triangle.n_ages();
        let n_cols = n_ages - 1;
        let ages = triangle.ages();
        let columns: Vec<(Average, f64, Option<f64>)> = (0..n_cols)
            .map(|j| {
                let c = settings.column_average(ages[j]);
                (c.average, exponent(c.average), settings.ldf_by_age.get(&ages[j]).copied())
            })
            .collect();
        let n_periods: Vec<Option<u32>> = (0..n_cols).map(|j| settings.column_average(ages[j]).n_periods).collect();

        // The masks that do not depend on values: `exclusions::included` on
        // a triangle of ones in the same cells, where every link ratio that
        // can exist is defined.
        let ones = Triangle::new(
            triangle.origins().to_vec(),
            ages.to_vec(),
            triangle.origin_grain(),
            triangle.development_grain(),
            (0..n_origins).map(|i| triangle.row(i).iter().map(|v| v.map(|_| 1.0)).collect()).collect(),
        )?;
        let ones_lr = LinkRatios::new(&ones);
        let no_high_low = Settings { drop_high: false, drop_low: false, ..settings.clone() };
        let fixed_keep = exclusions::included(&ones, &ones_lr, &no_high_low, &n_periods, &mut crate::warnings::Ignored);
        let window_only = Settings {
            drops: Default::default(),
            drop_origins: Default::default(),
            drop_valuations: Default::default(),
            ..no_high_low
        };
        let in_window = exclusions::included(&ones, &ones_lr, &window_only, &n_periods, &mut crate::warnings::Ignored);

        // The 64-bit seed spread over ChaCha's 256-bit key by
        // `SeedableRng::seed_from_u64` (a PCG32 stream), once.
        let key = ChaCha8Rng::seed_from_u64(seed).get_seed();

        let tail = settings.tail_curve != TailCurve::None;
        Ok(Simulator {
            key,
            process,
            n_origins,
            n_ages,
            n_cols,
            columns,
            n_periods,
            fixed_keep,
            in_window,
            high_low: settings.drop_high || settings.drop_low,
            settings: settings.clone(),
            tail,
            triangle: triangle.clone(),
            lr: LinkRatios::new(triangle),
            keep: vec![false; n_origins * n_cols],
            latest: vec![0.0; n_origins],
            ldf: vec![1.0; n_cols],
            cdf: vec![1.0; n_cols],
            tail_factor: 1.0,
            dev: Development {
                ldf: vec![1.0; n_cols],
                sigma: vec![f64::NAN; n_cols],
                std_err: vec![f64::NAN; n_cols],
                n_ratios: vec![0; n_cols],
                included: Vec::new(),
                exponent: vec![1.0; n_cols],
                typed: vec![false; n_cols],
                average: settings.average,
                sigma_interpolation: SigmaInterpolation::LogLinear,
            },
            tail_warnings: Vec::new(),
            scratch: Vec::new(),
        })
    }

    /// Simulation `k`: writes each origin's IBNR into `ibnr` (one per
    /// origin) and returns the total.
    pub(crate) fn run(&mut self, model: &Model, k: u64, ibnr: &mut [f64]) -> f64 {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(k);
        self.pseudo_triangle(model, &mut rng);
        self.develop();
        let mut total = 0.0;
        for (i, out) in ibnr.iter_mut().enumerate().take(self.n_origins) {
            let latest = self.latest[i];
            let last = model.row_len[i] - 1;
            let value = if self.process {
                self.process_risk(latest, last, model.scale, &mut rng)
            } else {
                // From the last age, the tail (1 without one).
                let cdf = self.cdf.get(last).copied().unwrap_or(self.tail_factor);
                // As `methods::chainladder`: a latest value of 0 stays 0.
                let ultimate = if latest == 0.0 { 0.0 } else { latest * cdf };
                ultimate - latest
            };
            *out = value;
            total += value;
        }
        total
    }

    /// Resamples a residual for every observed cell, in row-major order:
    /// the pseudo increment `m + r·√|m|`, cumulated along the origin,
    /// written into the link-ratio buffer (NaN for a zero, as `develop`
    /// reads a triangle).
    fn pseudo_triangle(&mut self, model: &Model, rng: &mut ChaCha8Rng) {
        let n_pool = model.pool.len() as u32;
        let values = &mut self.lr.values;
        let mut cells = model.cells.iter();
        for (i, &len) in model.row_len.iter().enumerate() {
            let mut sum = 0.0;
            for cell in cells.by_ref().take(len) {
                // u32 draws: the same on 32-bit WebAssembly and 64-bit hosts.
                let r = model.pool[rng.random_range(0..n_pool) as usize];
                sum += cell.fitted + r * cell.root;
                values[cell.index] = if sum != 0.0 { sum } else { f64::NAN };
            }
            self.latest[i] = sum;
        }
    }

    /// The factors of the pseudo triangle, as `develop` and `apply_tail`
    /// give them (see the module's note), into `ldf` and `cdf`.
    fn develop(&mut self) {
        let n_cols = self.n_cols;
        for i in 0..self.n_origins {
            for j in 0..n_cols {
                let k = i * n_cols + j;
                self.keep[k] = self.fixed_keep[k] && self.lr.defined(i, j);
            }
        }
        if self.high_low {
            let in_window = &self.in_window;
            exclusions::drop_high_low(
                &self.lr,
                &self.settings,
                &self.n_periods,
                &|i, j| in_window[i * n_cols + j],
                &mut self.keep,
            );
        }
        for (j, &(average, e, fixed)) in self.columns.iter().enumerate() {
            self.ldf[j] = fit_column(&self.lr, &self.keep, j, average, e, fixed, false).ldf;
        }
        if self.tail {
            self.dev.ldf.copy_from_slice(&self.ldf);
            self.scratch.clear();
            let tail = apply_tail(&self.triangle, &self.dev, &self.settings, &mut self.scratch);
            for w in self.scratch.drain(..) {
                match self.tail_warnings.iter_mut().find(|(m, _)| *m == w) {
                    Some((_, n)) => *n += 1,
                    None => self.tail_warnings.push((w, 1)),
                }
            }
            self.ldf.copy_from_slice(&tail.ldf[..n_cols]);
            self.cdf.copy_from_slice(&tail.cdf[..n_cols]);
            self.tail_factor = tail.tail_factor;
        } else {
            self.cdf.copy_from_slice(&self.ldf);
            for j in (0..n_cols.saturating_sub(1)).rev() {
                self.cdf[j] *= self.cdf[j + 1];
            }
            self.tail_factor = 1.0;
        }
    }

    /// An origin's IBNR with process risk: each projected increment `m`
    /// from its latest age on, and the tail's step to ultimate, is
    /// `sign(m) · Gamma(|m|/φ, φ)`, independently.
    ///
    /// Gamma variates of the same scale add up to one whose shape is the
    /// sum of theirs, so the origin's IBNR, the sum of its increments, is
    /// drawn as two variates: one for the rising increments, less one for
    /// the falling ones. That is the same distribution as one draw per cell,
    /// as chainladder-python draws, with a tenth of the draws for a
    /// quarterly triangle (the per-cell increments are not reported).
    fn process_risk(&self, latest: f64, last: usize, scale: f64, rng: &mut ChaCha8Rng) -> f64 {
        let mut value = latest;
        let (mut up, mut down) = (0.0, 0.0);
        for k in last..self.n_ages {
            let f = if k < self.n_cols { self.ldf[k] } else { self.tail_factor };
            let next = value * f;
            let mean = next - value;
            value = next;
            if mean > 0.0 {
                up += mean;
            } else if mean < 0.0 {
                down -= mean;
            }
        }
        gamma(up, scale, rng) - gamma(down, scale, rng)
    }

    /// The pseudo triangle of simulation `k` as a [`Triangle`] with the
    /// original's labels, and the factors the simulation took from it.
    pub(crate) fn sample(&mut self, model: &Model, k: u64) -> Result<(Triangle, Vec<f64>, Vec<f64>, f64), EngineError> {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(k);
        self.pseudo_triangle(model, &mut rng);
        self.develop();
        let mut rows = vec![vec![None; self.n_ages]; self.n_origins];
        let mut cells = model.cells.iter();
        for (i, &len) in model.row_len.iter().enumerate() {
            for cell in cells.by_ref().take(len) {
                // The cumulative values again, zeros included (the buffer
                // holds NaN for them).
                let v = self.lr.values[cell.index];
                rows[i][cell.index % self.n_ages] = Some(if v.is_nan() { 0.0 } else { v });
            }
        }
        let t = Triangle::new(
            self.triangle.origins().to_vec(),
            self.triangle.ages().to_vec(),
            self.triangle.origin_grain(),
            self.triangle.development_grain(),
            rows,
        )?;
        Ok((t, self.ldf.clone(), self.cdf.clone(), self.tail_factor))
    }
}

/// A gamma variate of mean `mean` (≥ 0) and variance `scale · mean`: shape
/// `mean / scale`, scale `scale`. 0 for a mean of 0; the mean itself where
/// the distribution cannot be formed (a scale of 0, a mean that is not
/// finite).
fn gamma(mean: f64, scale: f64, rng: &mut ChaCha8Rng) -> f64 {
    if mean == 0.0 {
        return 0.0;
    }
    let shape = mean / scale;
    if !(shape.is_finite() && shape > 0.0 && scale.is_finite() && scale > 0.0) {
        return mean;
    }
    standard_gamma(shape, rng).map_or(mean, |g| g * scale)
}

/// A Gamma(shape, 1) variate by Marsaglia and Tsang's method (2000), with
/// the normal variates of Marsaglia's polar method; shapes below 1 by the
/// boost `Gamma(a + 1) · U^(1/a)`. Written here, with `libm`'s logarithms,
/// rather than taken from a distributions crate, so that a seed gives the
/// same figures bit for bit in the command line and in the browser's
/// worker. Each loop accepts with probability above 0.95 (polar: π/4), so
/// the bound on tries is never reached in practice; it keeps the work
/// bounded whatever happens (`None`: the caller takes the mean).
fn standard_gamma(shape: f64, rng: &mut ChaCha8Rng) -> Option<f64> {
    if shape < 1.0 {
        let boost = rng.random::<f64>();
        return standard_gamma(shape + 1.0, rng).map(|g| g * boost.libm_powf(1.0 / shape));
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    for _ in 0..1000 {
        let x = normal(rng)?;
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = rng.random::<f64>();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || u.libm_ln() < 0.5 * x2 + d * (1.0 - v + v.libm_ln()) {
            return Some(d * v);
        }
    }
    None
}

/// A standard normal variate by Marsaglia's polar method.
fn normal(rng: &mut ChaCha8Rng) -> Option<f64> {
    for _ in 0..1000 {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return Some(u * (-2.0 * s.libm_ln() / s).sqrt());
        }
    }
    None
}

#[cfg(test)]
mod gamma_tests {
    use super::*;

    /// The sample mean and variance of many draws are those of the
    /// distribution, for shapes below and above 1 (within five standard
    /// errors of each).
    #[test]
    fn gamma_draws_have_their_mean_and_variance() {
        let mut rng = ChaCha8Rng::from_seed([7; 32]);
        for (mean, scale) in [(0.3, 1.0), (5.0, 2.0), (400.0, 25.0)] {
            let n = 200_000;
            let draws: Vec<f64> = (0..n).map(|_| gamma(mean, scale, &mut rng)).collect();
            let m = draws.iter().sum::<f64>() / n as f64;
            let var = draws.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
            let want_var = scale * mean;
            assert!((m - mean).abs() < 5.0 * (want_var / n as f64).sqrt(), "mean {m} of Gamma mean {mean}");
            // The variance of a sample variance: (μ4 − σ⁴)/n, μ4 = 3σ⁴(1 + 2/shape).
            let shape = mean / scale;
            let sd_var = ((3.0 * (1.0 + 2.0 / shape) - 1.0) * want_var * want_var / n as f64).sqrt();
            assert!((var - want_var).abs() < 5.0 * sd_var, "variance {var} of Gamma variance {want_var}");
        }
        assert_eq!(gamma(0.0, 1.0, &mut rng), 0.0);
        assert_eq!(gamma(3.0, 0.0, &mut rng), 3.0);
    }
}
