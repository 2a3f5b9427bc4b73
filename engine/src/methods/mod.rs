//! The reserving methods: each takes the development pattern (with its
//! tail) as given and turns each origin's latest value into an ultimate, or
//! (Mack) gives the chain ladder's standard errors. One method per file, as
//! chainladder-python has one estimator per module: `chain_ladder.rs`
//! ([`chainladder`], its `Chainladder`), `benktander.rs` ([`benktander()`]:
//! `BornhuetterFerguson` and `Benktander`, one formula), `cape_cod.rs`
//! ([`cape_cod()`], `CapeCod`) and `mack.rs` (`MackChainladder`'s standard
//! errors). What they share, where each origin stands ([`Positions`]), is
//! here.
//!
//! Every method reads the age-to-ultimate factor at an origin's latest
//! observed age. An origin with no value yet is placed on the valuation
//! diagonal (its age at the valuation date): the chain ladder gives it 0,
//! the expected-loss methods their expected unreported losses.

mod benktander;
mod cape_cod;
mod chain_ladder;
mod mack;

pub use benktander::benktander;
pub use cape_cod::{cape_cod, trend_factors, CapeCod};
pub use chain_ladder::chainladder;
pub(crate) use mack::mack;

use crate::tail::Tail;
use crate::Triangle;

/// Where each origin stands: its latest value, the age index of that value
/// and the age-to-ultimate factor there.
#[derive(Debug, Clone, PartialEq)]
pub struct Positions {
    pub latest: Vec<f64>,
    /// `None` for an origin with no value and no age on the valuation
    /// diagonal (an origin after the valuation date).
    pub age_index: Vec<Option<usize>>,
    /// The age-to-ultimate factor at `age_index` (1.0 where it is `None`).
    pub cdf: Vec<f64>,
}

impl Positions {
    pub fn new(triangle: &Triangle, tail: &Tail) -> Positions {
        let latest = triangle.latest();
        let valuation = triangle.valuation_month_max();
        let age_index: Vec<Option<usize>> = (0..triangle.n_origins())
            .map(|i| {
                triangle.latest_index(i).or_else(|| {
                    // The age of the valuation diagonal: the valuation month
                    // is the last month of the period at that age.
                    u32::try_from(valuation - triangle.origin_start(i) + 1).ok().and_then(|age| triangle.age_index(age))
                })
            })
            .collect();
        let cdf = age_index.iter().map(|j| j.map_or(1.0, |j| tail.cdf_at(j))).collect();
        Positions { latest, age_index, cdf }
    }

    pub fn len(&self) -> usize {
        self.latest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.latest.is_empty()
    }

    /// The share of the ultimate still to come, `1 − 1/cdf`: 1 for an origin
    /// that has not started, 0 where the factor is not usable.
    pub(crate) fn unreported(&self, i: usize) -> f64 {
        if self.age_index[i].is_none() {
            return 1.0;
        }
        let q = 1.0 - 1.0 / self.cdf[i];
        if q.is_finite() {
            q
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Settings;
    use crate::{development, tail, Grain};

    #[test]
    fn an_empty_row_sits_on_the_diagonal() {
        let t = Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(100.0), Some(150.0), Some(160.0)],
                vec![Some(100.0), Some(140.0), None],
                vec![None, None, None],
            ],
        )
        .unwrap();
        let s = Settings::default();
        let mut w = Vec::new();
        let d = development::develop(&t, &s, &mut w);
        let tl = tail::apply_tail(&t, &d, &s, &mut w);
        let p = Positions::new(&t, &tl);
        assert_eq!(p.age_index, vec![Some(2), Some(1), Some(0)]);
        assert_eq!(chainladder(&p)[2], 0.0);
        assert!(p.unreported(2) > 0.0);
    }
}
