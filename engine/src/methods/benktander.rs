//! Bornhuetter-Ferguson and Benktander: credibility between the chain ladder
//! and an expected loss. chainladder-python's `Benktander._get_ultimate`
//! with `q = 1 − 1/cdf`, the share still to come:
//!
//! `ultimate = latest · (1 + q + … + q^(n−1)) + qⁿ · expected`
//!
//! `n = 1` is Bornhuetter-Ferguson (`latest + q · expected`), larger `n`
//! move towards the chain ladder (Benktander 1976; Mack 2000), and `n = 0`
//! is the expected loss itself.

use super::Positions;
use crate::maths::Libm;

/// Ultimates after `iterations` Benktander steps from the expected losses.
pub fn benktander(pos: &Positions, expected: &[f64], iterations: u32) -> Vec<f64> {
    (0..pos.len())
        .map(|i| {
            let q = pos.unreported(i);
            // Powers as NumPy's `q ** k` takes them, summed in order.
            let credibility: f64 = (0..iterations).map(|k| q.libm_powf(k as f64)).sum();
            let u = credibility * pos.latest[i] + q.libm_powf(iterations as f64) * expected[i];
            if u.is_finite() {
                u
            } else {
                pos.latest[i]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos() -> Positions {
        Positions { latest: vec![100.0, 50.0], age_index: vec![Some(2), Some(0)], cdf: vec![1.0, 4.0] }
    }

    #[test]
    fn bf_and_benktander_by_hand() {
        let p = pos();
        let e = [200.0, 300.0];
        // q = 0 and 0.75.
        assert_eq!(benktander(&p, &e, 1), vec![100.0, 50.0 + 0.75 * 300.0]);
        let bk = benktander(&p, &e, 2);
        assert!((bk[1] - (50.0 * 1.75 + 0.5625 * 300.0)).abs() < 1e-12);
        assert_eq!(benktander(&p, &e, 0), vec![200.0, 300.0]);
        // Many iterations tend to the chain ladder (50 × 4).
        assert!((benktander(&p, &e, 200)[1] - 200.0).abs() < 1e-9);
    }
}
