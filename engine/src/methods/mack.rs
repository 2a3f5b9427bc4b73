//! Mack's chain ladder standard errors (Mack 1993, "Distribution-free
//! calculation of the standard error of chain ladder reserve estimates"),
//! in the recursive form chainladder-python's `MackChainladder` computes
//! them, one development step at a time from each origin's latest age:
//!
//! - parameter risk: `R²ₖ₊₁ = (Ĉₖ · se(fₖ))² + (fₖ · Rₖ)²`
//! - process risk: `P²ₖ₊₁ = σ²ₖ · Ĉₖ^e + (fₖ · Pₖ)²`
//!
//! with `Ĉₖ` the projected value at age `k`, `e` the weight exponent of the
//! average (1 for volume), and the tail as one last step with the tail
//! factor and the tail's sigma and standard error. An origin's standard
//! error is `√(R² + P²)` at ultimate. For the total, process variances add;
//! parameter risk is correlated across origins, so its recursion runs on the
//! sum `Σᵢ Ĉᵢₖ · se(fₖ)` over the origins still developing at age `k`.
//!
//! chainladder-python 0.10.1 also multiplies the first projected step's
//! process variance by the weight of the (non-existent) link ratio from the
//! latest diagonal, which `drop_high`/`drop_low` (even when false) and a
//! dropped latest diagonal set to 0, losing that step. The projection does
//! not depend on which past ratios were excluded, so here every step counts.

use super::Positions;
use crate::development::Development;
use crate::maths::Libm;
use crate::tail::Tail;

/// Mack's standard errors per origin and in total.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MackStdErr {
    pub mack_std_err: Vec<f64>,
    pub process: Vec<f64>,
    pub parameter: Vec<f64>,
    pub total: f64,
    pub total_process: f64,
    pub total_parameter: f64,
}

/// Mack's standard errors, or why they cannot be computed (a sigma that
/// cannot be estimated where an origin still develops).
pub(crate) fn mack(dev: &Development, tail: &Tail, pos: &Positions, labels: &[String]) -> Result<MackStdErr, String> {
    let m = dev.len();
    // Each step's weight exponent is its column's; the tail's is the last
    // column's.
    let exponent = |k: usize| dev.exponent.get(k.min(m.saturating_sub(1))).copied().unwrap_or(1.0);
    let step = |k: usize| -> (f64, f64, f64) {
        if k < m {
            (tail.step_factor(k), dev.sigma[k], dev.std_err[k])
        } else {
            (tail.tail_factor, tail.sigma, tail.std_err)
        }
    };
    let label = |k: usize| {
        if k < m {
            labels.get(k).cloned().unwrap_or_default()
        } else {
            "the tail".to_string()
        }
    };
    let n = pos.len();
    let mut process = vec![0.0; n];
    let mut parameter = vec![0.0; n];
    // Σᵢ Ĉᵢₖ · se(fₖ) over the origins developing at age k.
    let mut column = vec![0.0; m + 1];
    for i in 0..n {
        let (Some(start), latest) = (pos.age_index[i], pos.latest[i]) else {
            continue;
        };
        let mut c = latest;
        let (mut p, mut r) = (0.0f64, 0.0f64);
        for (k, col) in column.iter_mut().enumerate().skip(start) {
            let (f, sigma, se) = step(k);
            if c != 0.0 {
                if !sigma.is_finite() || !se.is_finite() {
                    return Err(format!(
                        "Mack's sigma for {} cannot be estimated (too few link ratios to extrapolate from)",
                        label(k)
                    ));
                }
                // chainladder's process term: (Ĉ · σ / √(Ĉ^(2−e)))².
                let proc = c * (sigma / c.libm_powf(2.0 - exponent(k)).sqrt());
                p = (proc * proc + (f * p).powi(2)).sqrt();
                r = ((c * se).powi(2) + (f * r).powi(2)).sqrt();
                *col += c * se;
            }
            c *= f;
        }
        process[i] = p;
        parameter[i] = r;
    }
    let mut total_parameter = 0.0f64;
    for (k, s) in column.iter().enumerate() {
        let (f, _, _) = step(k);
        total_parameter = (s * s + (f * total_parameter).powi(2)).sqrt();
    }
    let total_process = process.iter().map(|p| p * p).sum::<f64>().sqrt();
    let mack_std_err = process.iter().zip(&parameter).map(|(p, r)| (p * p + r * r).sqrt()).collect();
    let total = (total_process * total_process + total_parameter * total_parameter).sqrt();
    if !total.is_finite() {
        return Err("the standard errors are not finite".into());
    }
    Ok(MackStdErr { mack_std_err, process, parameter, total, total_process, total_parameter })
}
