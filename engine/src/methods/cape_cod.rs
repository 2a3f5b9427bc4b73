//! Cape Cod (Stanard-Bühlmann): the expected loss ratio derived from the
//! triangle itself, as chainladder-python's `CapeCod._get_capecod_aprioris`
//! derives it, then a Bornhuetter-Ferguson step with that expectation.
//!
//! Each origin's "used-up" premium is `premium / cdf`. The loss ratio for
//! origin `i` is `Σⱼ dᵢⱼ · latestⱼ · trendⱼ / Σⱼ dᵢⱼ · used-upⱼ` with
//! `dᵢⱼ = decay^|i−j|` (1 for every pair with the default decay, so one
//! ratio for all), and each origin's expected loss is its premium times that
//! ratio brought back from the valuation date by its trend.

use super::{benktander, Positions};
use crate::maths::Libm;
use crate::Triangle;

/// Cape Cod's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct CapeCod {
    pub ultimate: Vec<f64>,
    /// The derived loss ratio per origin, at the valuation date's level.
    pub apriori: Vec<f64>,
    /// The same ratio brought to each origin's level (what premium is
    /// multiplied by).
    pub detrended_apriori: Vec<f64>,
    /// The loss ratio over all origins together (the per-origin ratios when
    /// the decay is 1).
    pub pooled_apriori: f64,
}

/// Cape Cod with an annual `trend` and a `decay` of the weight of other
/// origins. An error says why no loss ratio can be derived.
pub fn cape_cod(
    triangle: &Triangle,
    pos: &Positions,
    premium: &[f64],
    trend: f64,
    decay: f64,
) -> Result<CapeCod, String> {
    let n = pos.len();
    let trend = trend_factors(triangle, trend);
    // chainladder aligns the pattern where loss or premium is non-zero;
    // elsewhere the used-up premium is unknown and drops out of the sums.
    let used_up: Vec<f64> = (0..n)
        .map(|i| match pos.age_index[i] {
            Some(_) if pos.latest[i] != 0.0 || premium[i] != 0.0 => premium[i] / pos.cdf[i],
            _ => f64::NAN,
        })
        .collect();
    let ratio = |i: usize, decay: f64| -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for j in 0..n {
            let weighted = used_up[j] * decay.libm_powf((i as f64 - j as f64).abs());
            // chainladder's nansum of weighted × (latest × trend / used-up):
            // a term with no used-up premium is NaN and left out.
            let term = weighted * (pos.latest[j] * trend[j] / used_up[j]);
            if !term.is_nan() {
                num += term;
            }
            if !weighted.is_nan() {
                den += weighted;
            }
        }
        num / den
    };
    let apriori: Vec<f64> = (0..n).map(|i| ratio(i, decay)).collect();
    let pooled_apriori = if n > 0 { ratio(0, 1.0) } else { 0.0 };
    if let Some(bad) = apriori.iter().position(|a| !a.is_finite()) {
        return Err(format!(
            "no loss ratio can be derived for origin {} (no premium has been used up)",
            triangle.origins()[bad]
        ));
    }
    let detrended_apriori: Vec<f64> = apriori.iter().zip(&trend).map(|(a, t)| a / t).collect();
    let expected: Vec<f64> = premium.iter().zip(&detrended_apriori).map(|(p, a)| p * a).collect();
    let ultimate = benktander(pos, &expected, 1);
    Ok(CapeCod { ultimate, apriori, detrended_apriori, pooled_apriori })
}

/// `(1 + trend)^(months / 12)` per origin, from the end of the origin period
/// to the valuation date, as chainladder's `Triangle.trend` along origins
/// measures it (origin ends clipped to the valuation date).
pub fn trend_factors(triangle: &Triangle, trend: f64) -> Vec<f64> {
    let valuation = triangle.valuation_month_max();
    let months = triangle.origin_grain().months() as i32;
    (0..triangle.n_origins())
        .map(|i| {
            let end = (triangle.origin_start(i) + months - 1).min(valuation);
            (1.0 + trend).libm_powf((valuation - end) as f64 / 12.0)
        })
        .collect()
}
