//! The over-dispersed Poisson model the bootstrap resamples from: the fitted
//! incremental triangle, the scaled Pearson residuals, their hat-matrix
//! adjustment and the scale parameter, each as chainladder-python 0.10.1's
//! `BootstrapODPSample` defines it (`_get_simulation`, `_get_hat`,
//! `_get_design_matrix`), so that the two programs draw from the same pool.
//!
//! - **Fitted values.** The volume-weighted chain ladder with the segment's
//!   exclusions (`n_periods` per column, dropped cells, origins and
//!   valuations, `drop_high`/`drop_low`), backcast from each origin's latest
//!   value: `E[i][j] = latest_i · cdf(latest age) / cdf(j)`, and the
//!   fitted increments `m[i][j] = E[i][j] − E[i][j−1]`. This is the ODP
//!   model's fit (England & Verrall 2002, §7.3), and what
//!   `BootstrapODPSample` fits whatever average is chosen later; the
//!   segment's own averages, typed factors and tail apply when the pseudo
//!   triangles are developed, as `Development(...)` after the sample does.
//! - **Residuals.** `r = w · (x − m) / √|m|` with `x` the observed increment
//!   and `w` 0 where the link ratio into the cell is excluded by the actuary
//!   (the first age takes the weight of the ratio out of it), else 1.
//!   Left out of the pool, and of the scale, as chainladder-python leaves
//!   them out: an excluded cell (`w = 0`); a cell whose observed increment
//!   is 0 (chainladder-python's zeros-are-missing turns it into NaN); a cell
//!   alone in its origin or its development column (the latest origin's
//!   first value, the oldest origin's last ones), which the model fits
//!   exactly, so its residual is 0 and its hat value 1; and any residual of
//!   exactly 0.
//! - **Hat adjustment** (Shapland 2016, eq. 3.23): `r · √(1 / |1 − h|)`
//!   with `h` the diagonal of `X (XᵀWX)⁻¹ XᵀW`, where `X` is the ODP GLM's
//!   design (a parameter per origin and one per development period after
//!   the first, a cell of age `j` carrying the first `j` of them) and
//!   `W = diag(m)`, the fitted increments with their signs, as
//!   chainladder-python takes them. When `XᵀWX` is singular (a fitted
//!   increment of exactly 0, from a factor of exactly 1, leaves a parameter
//!   without weight), chainladder-python warns and uses the residuals
//!   unadjusted; so does this module, with a warning.
//! - **Scale.** `φ = Σ r² / (n − p)`, the unadjusted residuals over the
//!   observed cells `n` less the parameters `p` (origins + development
//!   periods − 1).
//! - **Pool.** The adjusted residuals left in, less their mean (Shapland's
//!   practitioners' guide, as chainladder-python does).
//!
//! Negative fitted increments (factors below 1, common in incurred
//! triangles) are kept, with `|m|` in the residual's denominator and in the
//! process variance, as chainladder-python and Shapland (§4.4.3) do. A
//! fitted increment of exactly 0 (a factor of exactly 1) where something
//! other than 0 was observed has no finite residual: chainladder-python
//! drops its infinite residual from the pool (and its scale becomes
//! meaningless); here it is left out of the pool and of the scale, with a
//! warning, and its simulated increments are 0.

use crate::development::develop;
use crate::session::{Average, Settings, TailCurve};
use crate::{EngineError, Triangle};

/// One observed cell of the triangle, in row-major order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    /// Its index in the origins × ages grid.
    pub index: usize,
    /// The fitted increment `m`.
    pub fitted: f64,
    /// `√|m|`, what a resampled residual is multiplied by.
    pub root: f64,
}

/// What `Bootstrap::new` precomputes from the triangle.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// The observed cells, origin by origin (each origin's from its first
    /// age to its latest).
    pub cells: Vec<Cell>,
    /// Per origin, how many cells it has (its latest age index + 1).
    pub row_len: Vec<usize>,
    /// The centred, adjusted residuals to draw from.
    pub pool: Vec<f64>,
    /// The same before centring, in cell order (for comparison with
    /// chainladder-python's).
    pub residuals: Vec<f64>,
    /// The scale parameter φ.
    pub scale: f64,
    /// Whether the residuals were hat-adjusted.
    pub hat_adjusted: bool,
}

/// Builds the model of a triangle under the segment's exclusions; errors say
/// why the triangle cannot be bootstrapped.
pub(crate) fn fit(
    triangle: &Triangle,
    settings: &Settings,
    hat_adj: bool,
    warnings: &mut Vec<String>,
) -> Result<Model, EngineError> {
    let (n_o, n_a) = (triangle.n_origins(), triangle.n_ages());
    let refuse = |why: String| Err(EngineError::Triangle(format!("cannot bootstrap: {why}")));
    if n_o < 2 {
        return refuse(format!("it needs at least 2 origins, and the triangle has {n_o}"));
    }
    if n_a < 2 {
        return refuse("it needs at least 2 development ages, and the triangle has 1".into());
    }
    // Every origin's values from its first age to its latest, without gaps:
    // increments (and the design's parameters) need each step.
    let mut row_len = Vec::with_capacity(n_o);
    for i in 0..n_o {
        let o = &triangle.origins()[i];
        let Some(last) = triangle.latest_index(i) else {
            return refuse(format!("origin {o} has no values"));
        };
        if let Some(j) = (0..last).find(|&j| triangle.get(i, j).is_none()) {
            return refuse(format!(
                "origin {o} has no value at age {} before its latest at age {}; every cell up to the latest diagonal is needed",
                triangle.ages()[j],
                triangle.ages()[last]
            ));
        }
        row_len.push(last + 1);
    }
    // Development periods with an observation: trailing ages nobody has
    // reached carry no parameter.
    let n_cols_seen = row_len.iter().copied().max().unwrap_or(0);
    let n_cells: usize = row_len.iter().sum();
    let n_params = n_o + n_cols_seen - 1;
    if n_cells <= n_params {
        return refuse(format!(
            "too few cells: {n_cells} observed cells for {n_params} parameters ({n_o} origins and {} development periods); the scale parameter needs more cells than parameters",
            n_cols_seen - 1
        ));
    }

    // The fitted values: the volume-weighted chain ladder under the
    // segment's exclusions (see the module's note).
    let fit_settings = Settings {
        average: Average::Volume,
        average_by_age: settings
            .average_by_age
            .iter()
            .map(|(age, c)| (*age, crate::session::ColumnAverage { average: Average::Volume, ..*c }))
            .collect(),
        ldf_by_age: Default::default(),
        tail_curve: TailCurve::None,
        ..settings.clone()
    };
    let dev = develop(triangle, &fit_settings, &mut crate::warnings::Ignored);
    let n_cols = dev.len();
    let mut cdf = dev.ldf.clone();
    for j in (0..n_cols.saturating_sub(1)).rev() {
        cdf[j] *= cdf[j + 1];
    }
    let cdf_at = |j: usize| cdf.get(j).copied().unwrap_or(1.0);

    let mut cells = Vec::with_capacity(n_cells);
    let mut observed = Vec::with_capacity(n_cells);
    for (i, &len) in row_len.iter().enumerate() {
        let latest = triangle.get(i, len - 1).unwrap_or(0.0);
        let ultimate = latest * cdf_at(len - 1);
        let (mut before_fit, mut before_obs) = (0.0, 0.0);
        for j in 0..len {
            let e = ultimate / cdf_at(j);
            let m = e - before_fit;
            before_fit = e;
            let c = triangle.get(i, j).unwrap_or(0.0);
            let x = c - before_obs;
            before_obs = c;
            if !m.is_finite() {
                return refuse(format!(
                    "the fitted increment of origin {} at age {} is not a finite number (the development factors are {})",
                    triangle.origins()[i],
                    triangle.ages()[j],
                    dev.ldf.iter().map(|f| crate::error::show_number(*f)).collect::<Vec<_>>().join(", ")
                ));
            }
            cells.push(Cell { index: i * n_a + j, fitted: m, root: m.abs().sqrt() });
            observed.push(x);
        }
    }

    // Which residuals count (see the module's note).
    let mut col_count = vec![0usize; n_a];
    for &len in &row_len {
        col_count[..len].iter_mut().for_each(|c| *c += 1);
    }
    let mut k = 0;
    let mut residuals = vec![f64::NAN; n_cells];
    let mut chi_sq = 0.0;
    let mut unexplained: Vec<(usize, usize, f64)> = Vec::new();
    for (i, &len) in row_len.iter().enumerate() {
        for (j, &in_column) in col_count[..len].iter().enumerate() {
            let (cell, x) = (cells[k], observed[k]);
            // The link ratio into the cell (out of it for the first age).
            let ratio = j.saturating_sub(1);
            let excluded = ratio < n_cols
                && ratio + 1 < len
                && ratio_observed(triangle, i, ratio)
                && !dev.included[i * n_cols + ratio];
            let alone = len == 1 || in_column == 1;
            if cell.fitted == 0.0 && !(excluded || alone || x == 0.0) {
                unexplained.push((i, j, x));
            } else if !(excluded || alone || x == 0.0) {
                let r = (x - cell.fitted) / cell.root;
                chi_sq += r * r;
                residuals[k] = r;
            }
            k += 1;
        }
    }
    if let Some(&(i, j, x)) = unexplained.first() {
        warnings.push(format!(
            "bootstrap: {} cell{} fitted with an increment of 0 (a development factor of exactly 1) but observed otherwise (origin {} at age {}: {}); the model gives {} no variance, so {} left out of the residuals and simulated as 0",
            unexplained.len(),
            if unexplained.len() == 1 { " is" } else { "s are" },
            triangle.origins()[i],
            triangle.ages()[j],
            crate::error::show_number(x),
            if unexplained.len() == 1 { "it" } else { "them" },
            if unexplained.len() == 1 { "it is" } else { "they are" },
        ));
    }
    let scale = chi_sq / (n_cells - n_params) as f64;

    let mut hat_adjusted = false;
    if hat_adj {
        match hat_factors(&cells, &row_len, n_o, n_cols_seen) {
            Some(factors) => {
                for (r, f) in residuals.iter_mut().zip(&factors) {
                    // h = 1 (a cell fitted exactly) has no adjustment; its
                    // residual is 0 and leaves the pool below.
                    *r = if f.is_finite() { *r * f } else { f64::NAN };
                }
                hat_adjusted = true;
            }
            None => {
                let zero = cells.iter().position(|c| c.fitted == 0.0).map(|k| {
                    let i = cells[k].index / n_a;
                    let j = cells[k].index % n_a;
                    format!(
                        " (origin {} at age {} has a fitted increment of 0, from a development factor of exactly 1)",
                        triangle.origins()[i],
                        triangle.ages()[j]
                    )
                });
                warnings.push(format!(
                    "bootstrap: the hat matrix cannot be computed{}; the residuals are used without the hat adjustment, as chainladder-python does",
                    zero.unwrap_or_default()
                ));
            }
        }
    }
    let kept: Vec<f64> = residuals.iter().copied().filter(|r| r.is_finite() && *r != 0.0).collect();
    if kept.is_empty() {
        return refuse("no residual is left to resample: every cell is fitted exactly, excluded or 0".into());
    }
    let mean = kept.iter().sum::<f64>() / kept.len() as f64;
    let pool = kept.iter().map(|r| r - mean).collect();
    if !scale.is_finite() {
        return refuse("the scale parameter is not a finite number".into());
    }
    Ok(Model { cells, row_len, pool, residuals: kept, scale, hat_adjusted })
}

/// Whether the link ratio of origin `i` from age index `j` has both its
/// cells observed and non-zero (what `develop` can count or exclude).
fn ratio_observed(triangle: &Triangle, i: usize, j: usize) -> bool {
    matches!((triangle.get(i, j), triangle.get(i, j + 1)), (Some(x), Some(y)) if x != 0.0 && y != 0.0)
}

/// `√(1 / |1 − h|)` per cell (in cell order), with `h` the diagonal of the
/// hat matrix `X (XᵀWX)⁻¹ XᵀW`; infinite where `h` is 1. `None` when `XᵀWX`
/// is singular.
///
/// `XᵀWX` is built from sums rather than from `X`: with `a_i` the origin
/// parameters and `b_l` (`l ≥ 1`) the development ones, a cell `(i, j)`
/// carries `a_i` and `b_1 … b_j`, so `[a_i, a_i] = Σ_j m_ij`,
/// `[a_i, b_l] = Σ_{j ≥ l} m_ij` and `[b_l, b_k] = Σ_i Σ_{j ≥ max(l, k)} m_ij`.
/// Each cell's quadratic form `xᵀ (XᵀWX)⁻¹ x` is then read off prefix sums
/// of the inverse, so a 120 × 120 monthly triangle takes milliseconds.
fn hat_factors(cells: &[Cell], row_len: &[usize], n_o: usize, n_c: usize) -> Option<Vec<f64>> {
    let p = n_o + n_c - 1;
    let b = |l: usize| n_o + l - 1;
    // Fitted increments per origin and age index.
    let mut rows: Vec<&[Cell]> = Vec::with_capacity(n_o);
    let mut start = 0;
    for &len in row_len {
        rows.push(&cells[start..start + len]);
        start += len;
    }
    let mut a = vec![0.0; p * p];
    // suffix[i][j] = Σ_{j' ≥ j} m_ij'
    let mut column_suffix = vec![0.0; n_c + 1];
    for (i, row) in rows.iter().enumerate() {
        let mut suffix = 0.0;
        for j in (0..row.len()).rev() {
            suffix += row[j].fitted;
            if j >= 1 {
                a[i * p + b(j)] = suffix;
                a[b(j) * p + i] = suffix;
            }
            column_suffix[j] += row[j].fitted;
        }
        a[i * p + i] = suffix;
    }
    // column_suffix now holds column sums; make them suffix sums over ages.
    for j in (0..n_c).rev() {
        column_suffix[j] += column_suffix[j + 1];
    }
    for l in 1..n_c {
        for k in 1..n_c {
            a[b(l) * p + b(k)] = column_suffix[l.max(k)];
        }
    }
    let inv = invert(&a, p)?;
    let at = |r: usize, c: usize| inv[r * p + c];
    // q(i, j) = inv[a_i, a_i] + 2 Σ_{l ≤ j} inv[a_i, b_l] + Σ_{l, k ≤ j} inv[b_l, b_k]
    let mut beta_block = vec![0.0; n_c]; // Σ_{l, k ≤ j} inv[b_l, b_k]
    for j in 1..n_c {
        let cross: f64 = (1..j).map(|l| at(b(l), b(j))).sum();
        beta_block[j] = beta_block[j - 1] + 2.0 * cross + at(b(j), b(j));
    }
    let mut out = Vec::with_capacity(cells.len());
    for (i, row) in rows.iter().enumerate() {
        let mut alpha_beta = 0.0;
        for (j, cell) in row.iter().enumerate() {
            if j >= 1 {
                alpha_beta += at(i, b(j));
            }
            let q = at(i, i) + 2.0 * alpha_beta + beta_block[j];
            let h = q * cell.fitted;
            let d = (1.0 - h).abs();
            out.push(if d == 0.0 { f64::INFINITY } else { (1.0 / d).sqrt() });
        }
    }
    Some(out)
}

/// The inverse of a `p × p` matrix (row-major) by Gauss-Jordan elimination
/// with partial pivoting; `None` when a pivot is negligible next to the
/// matrix's largest entry (singular to working precision). The matrix need
/// not be positive definite: negative fitted increments make it indefinite.
fn invert(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let scale = a.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if scale == 0.0 || !scale.is_finite() {
        return None;
    }
    let tol = scale * 1e-12;
    let mut m = a.to_vec();
    let mut inv = vec![0.0; p * p];
    for k in 0..p {
        inv[k * p + k] = 1.0;
    }
    for col in 0..p {
        let pivot_row = (col..p).max_by(|&r, &s| m[r * p + col].abs().total_cmp(&m[s * p + col].abs()))?;
        let pivot = m[pivot_row * p + col];
        if pivot.abs() <= tol || !pivot.is_finite() {
            return None;
        }
        if pivot_row != col {
            for c in 0..p {
                m.swap(col * p + c, pivot_row * p + c);
                inv.swap(col * p + c, pivot_row * p + c);
            }
        }
        let scale_row = 1.0 / pivot;
        for c in 0..p {
            m[col * p + c] *= scale_row;
            inv[col * p + c] *= scale_row;
        }
        for r in 0..p {
            if r == col {
                continue;
            }
            let f = m[r * p + col];
            if f == 0.0 {
                continue;
            }
            for c in 0..p {
                m[r * p + c] -= f * m[col * p + c];
                inv[r * p + c] -= f * inv[col * p + c];
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverts_a_small_indefinite_matrix() {
        let a = [2.0, 1.0, 1.0, -3.0];
        let inv = invert(&a, 2).unwrap();
        // [2 1; 1 −3]⁻¹ = 1/−7 · [−3 −1; −1 2]
        let want = [3.0 / 7.0, 1.0 / 7.0, 1.0 / 7.0, -2.0 / 7.0];
        for (x, w) in inv.iter().zip(want) {
            assert!((x - w).abs() < 1e-15, "{inv:?}");
        }
        assert!(invert(&[1.0, 2.0, 2.0, 4.0], 2).is_none());
    }
}
