//! The chain ladder: each origin's latest value times the age-to-ultimate
//! factor at its latest age, chainladder-python's `Chainladder`. An origin
//! whose latest value is 0 (or that has none yet) stays at 0. Its standard
//! errors are Mack's ([`super::mack()`]).

use super::Positions;

/// The chain ladder: latest value × age-to-ultimate factor.
pub fn chainladder(pos: &Positions) -> Vec<f64> {
    pos.latest.iter().zip(&pos.cdf).map(|(l, c)| if *l == 0.0 { 0.0 } else { l * c }).collect()
}
