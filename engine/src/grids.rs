//! A triangle's figures as the data view shows them: one measure as
//! cumulative values, incremental values or link ratios, optionally in
//! relation to another measure or to premium, with each column's averages.
//!
//! Averages, and why only some are given:
//! - **Simple average** is always the mean of the values shown in a column.
//! - **Volume-weighted average** only where it means something: for a
//!   ratio it is Σ numerator / Σ denominator over the column's cells where
//!   both exist (the column's pooled ratio, e.g. a loss ratio weighted by
//!   premium); for link ratios it is the classic Σ C(j+1) / Σ C(j). For
//!   plain amounts (cumulative or incremental values) a value weighted by
//!   itself is no average anyone reads, so there is none rather than a
//!   misleading figure.
//!
//! Link ratios here are the raw ones: the judgements of the chain ladder
//! (dropped cells, diagonals, latest n) do not apply, so this is the data
//! as it is. A zero value counts as not observed for a link ratio, as in
//! [`crate::development`]. The cells equal [`Triangle::link_ratios`],
//! [`Triangle::relative_to`] and [`Triangle::relative_to_origins`] (a test
//! holds them to it); they are computed here because the averages need the
//! numerators and denominators, ratios of increments are offered, and
//! measures whose origins or ages differ are lined up instead of refused.

use crate::Triangle;

/// How a triangle's values are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    Cumulative,
    Incremental,
    /// Age-to-age factors of the cumulative values.
    LinkRatios,
}

impl Values {
    pub const ALL: [Values; 3] = [Values::Cumulative, Values::Incremental, Values::LinkRatios];
}

/// A grid of optional values: origins × columns.
pub type Grid = Vec<Vec<Option<f64>>>;

/// A triangle's values as shown for `values` (cumulative or incremental;
/// link ratios are built by [`link_pairs`]).
pub fn amounts(t: &Triangle, values: Values) -> Grid {
    match values {
        Values::Incremental => t.to_incremental(),
        _ => (0..t.n_origins()).map(|i| t.row(i).to_vec()).collect(),
    }
}

/// The numerators and denominators of the link ratios, C(j+1) and C(j), one
/// column per development period, each present only where the ratio exists
/// (both values observed and neither zero, as the engine counts them).
pub fn link_pairs(t: &Triangle) -> (Grid, Grid) {
    let n = t.n_ages().saturating_sub(1);
    let mut num = vec![vec![None; n]; t.n_origins()];
    let mut den = vec![vec![None; n]; t.n_origins()];
    for i in 0..t.n_origins() {
        for j in 0..n {
            if let (Some(a), Some(b)) = (t.get(i, j), t.get(i, j + 1)) {
                if a != 0.0 && b != 0.0 {
                    num[i][j] = Some(b);
                    den[i][j] = Some(a);
                }
            }
        }
    }
    (num, den)
}

/// Another triangle's values laid on `t`'s cells, matched by origin label
/// and age (the measures of a segment usually share both, but a missing
/// origin or age only leaves cells empty).
pub fn aligned(t: &Triangle, other: &Triangle, values: Values) -> Grid {
    let other_values = amounts(other, values);
    t.origins()
        .iter()
        .map(|o| {
            let row = other.origin_index(o).and_then(|k| other_values.get(k));
            t.ages()
                .iter()
                .map(|&a| {
                    let j = other.age_index(a)?;
                    row.and_then(|r| r.get(j).copied().flatten())
                })
                .collect()
        })
        .collect()
}

/// Premium as a divisor grid of `t`'s shape: origin i's premium in every
/// cell of row i (none for an origin beyond the premium given).
pub fn premium_grid(t: &Triangle, premium: &[f64]) -> Grid {
    (0..t.n_origins()).map(|i| vec![premium.get(i).copied(); t.n_ages()]).collect()
}

/// Element-wise `num / den`; `None` where either is missing, the divisor is
/// zero, or the quotient is not finite.
pub fn ratio(num: &Grid, den: &Grid) -> Grid {
    num.iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, n)| {
                    let d = den.get(i).and_then(|r| r.get(j)).copied().flatten();
                    match (n, d) {
                        (Some(n), Some(d)) if d != 0.0 => Some(n / d).filter(|x| x.is_finite()),
                        _ => None,
                    }
                })
                .collect()
        })
        .collect()
}

/// Number of columns of a grid (its widest row, so a ragged grid is safe).
fn width(grid: &Grid) -> usize {
    grid.iter().map(Vec::len).max().unwrap_or(0)
}

/// The mean of each column's present values (`None` for an empty column).
pub fn simple_average(grid: &Grid) -> Vec<Option<f64>> {
    (0..width(grid))
        .map(|j| {
            let vals: Vec<f64> = grid.iter().filter_map(|r| r.get(j).copied().flatten()).collect();
            (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
        })
        .collect()
}

/// Σ num / Σ den per column, over the cells where both exist and the
/// divisor is not zero (the cells a ratio view shows); `None` when there is
/// no such cell or the divisors sum to zero.
pub fn weighted_average(num: &Grid, den: &Grid) -> Vec<Option<f64>> {
    (0..width(num))
        .map(|j| {
            let (mut sn, mut sd, mut any) = (0.0, 0.0, false);
            for (i, row) in num.iter().enumerate() {
                let n = row.get(j).copied().flatten();
                let d = den.get(i).and_then(|r| r.get(j)).copied().flatten();
                if let (Some(n), Some(d)) = (n, d) {
                    if d != 0.0 {
                        sn += n;
                        sd += d;
                        any = true;
                    }
                }
            }
            (any && sd != 0.0).then(|| sn / sd).filter(|x| x.is_finite())
        })
        .collect()
}

/// How the cells of a view are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Money amounts.
    Amount,
    /// A ratio to premium: a loss ratio, in percent.
    Percent,
    /// A ratio of two amounts or a link ratio: a factor.
    Factor,
}

/// Everything the table of one choice shows.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub columns: Vec<String>,
    pub cells: Grid,
    pub kind: Kind,
    pub simple: Vec<Option<f64>>,
    /// Only for views where a volume-weighted average means something.
    pub weighted: Option<Vec<Option<f64>>>,
}

/// The divisor of a view: nothing, another triangle, or premium.
#[derive(Debug, Clone, Copy)]
pub enum Divisor<'a> {
    None,
    Triangle(&'a Triangle),
    Premium(&'a [f64]),
}

/// The view of triangle `t` for a choice of values and divisor. Link ratios
/// have no divisor (a ratio of link ratios is nothing an actuary reads).
pub fn view(t: &Triangle, values: Values, divisor: Divisor) -> View {
    if values == Values::LinkRatios {
        let (num, den) = link_pairs(t);
        let cells = ratio(&num, &den);
        return View {
            columns: t.ages().windows(2).map(|w| format!("{}-{}", w[0], w[1])).collect(),
            simple: simple_average(&cells),
            weighted: Some(weighted_average(&num, &den)),
            cells,
            kind: Kind::Factor,
        };
    }
    let columns = t.ages().iter().map(u32::to_string).collect();
    let num = amounts(t, values);
    let (den, kind) = match divisor {
        Divisor::None => {
            return View { columns, simple: simple_average(&num), weighted: None, cells: num, kind: Kind::Amount }
        }
        Divisor::Triangle(other) => (aligned(t, other, values), Kind::Factor),
        Divisor::Premium(p) => (premium_grid(t, p), Kind::Percent),
    };
    let cells = ratio(&num, &den);
    View { columns, simple: simple_average(&cells), weighted: Some(weighted_average(&num, &den)), cells, kind }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Grain;

    fn tri(rows: Vec<Vec<Option<f64>>>) -> Triangle {
        let origins: Vec<String> = (0..rows.len()).map(|i| (2000 + i).to_string()).collect();
        let ages = (1..=rows[0].len() as u32).map(|k| k * 12).collect();
        Triangle::new(origins, ages, Grain::Yearly, Grain::Yearly, rows).unwrap()
    }

    fn paid() -> Triangle {
        tri(vec![
            vec![Some(100.0), Some(150.0), Some(165.0)],
            vec![Some(200.0), Some(260.0), None],
            vec![Some(0.0), None, None],
        ])
    }

    fn incurred() -> Triangle {
        tri(vec![
            vec![Some(200.0), Some(200.0), Some(220.0)],
            vec![Some(400.0), Some(0.0), None],
            vec![Some(50.0), None, None],
        ])
    }

    #[test]
    fn plain_amounts_have_only_a_simple_average() {
        let v = view(&paid(), Values::Cumulative, Divisor::None);
        assert_eq!(v.columns, vec!["12", "24", "36"]);
        assert_eq!(v.simple, vec![Some(100.0), Some(205.0), Some(165.0)]);
        assert_eq!(v.weighted, None);
        assert_eq!(v.kind, Kind::Amount);
        let inc = view(&paid(), Values::Incremental, Divisor::None);
        assert_eq!(inc.cells[0], vec![Some(100.0), Some(50.0), Some(15.0)]);
        assert_eq!(inc.simple, vec![Some(100.0), Some(55.0), Some(15.0)]);
    }

    #[test]
    fn ratios_skip_missing_and_zero_divisors() {
        let v = view(&paid(), Values::Cumulative, Divisor::Triangle(&incurred()));
        assert_eq!(v.cells[0], vec![Some(0.5), Some(0.75), Some(0.75)]);
        // 260 / 0 is no ratio; 0 / 50 is a ratio of zero.
        assert_eq!(v.cells[1], vec![Some(0.5), None, None]);
        assert_eq!(v.cells[2], vec![Some(0.0), None, None]);
        assert_eq!(v.simple[0], Some((0.5 + 0.5 + 0.0) / 3.0));
        let w = v.weighted.unwrap();
        // (100 + 200 + 0) / (200 + 400 + 50); the zero divisor's cell is out.
        assert_eq!(w[0], Some(300.0 / 650.0));
        assert_eq!(w[1], Some(150.0 / 200.0));
        assert_eq!(v.kind, Kind::Factor);
    }

    #[test]
    fn ratios_to_premium_are_loss_ratios_and_short_premium_is_safe() {
        // Premium for two of the three origins only.
        let v = view(&paid(), Values::Cumulative, Divisor::Premium(&[200.0, 400.0]));
        assert_eq!(v.kind, Kind::Percent);
        assert_eq!(v.cells[0][1], Some(0.75));
        assert_eq!(v.cells[2], vec![None, None, None]);
        assert_eq!(v.weighted.unwrap()[0], Some(300.0 / 600.0));
        let zero = view(&paid(), Values::Cumulative, Divisor::Premium(&[0.0, 0.0, 0.0]));
        assert!(zero.cells.iter().flatten().all(Option::is_none));
        assert_eq!(zero.weighted.unwrap()[0], None);
    }

    #[test]
    fn link_ratios_have_the_classic_averages() {
        let v = view(&paid(), Values::LinkRatios, Divisor::None);
        assert_eq!(v.columns, vec!["12-24", "24-36"]);
        assert_eq!(v.cells[0], vec![Some(1.5), Some(1.1)]);
        assert_eq!(v.cells[1], vec![Some(1.3), None]);
        // The origin starting at zero has no ratio.
        assert_eq!(v.cells[2], vec![None, None]);
        assert_eq!(v.simple[0], Some(1.4));
        assert_eq!(v.weighted.as_ref().unwrap()[0], Some(410.0 / 300.0));
        assert_eq!(v.weighted.unwrap()[1], Some(1.1));
    }

    #[test]
    fn cells_agree_with_the_engines_own_views() {
        // The engine has the same views for triangles of one shape; this
        // module's (which also align differing shapes and take increments)
        // must give the same cells there.
        let (p, i) = (paid(), incurred());
        assert_eq!(view(&p, Values::LinkRatios, Divisor::None).cells, p.link_ratios());
        assert_eq!(view(&p, Values::Cumulative, Divisor::Triangle(&i)).cells, p.relative_to(&i).unwrap());
        let premium = [200.0, 0.0, 50.0];
        assert_eq!(
            view(&p, Values::Cumulative, Divisor::Premium(&premium)).cells,
            p.relative_to_origins(&premium).unwrap()
        );
    }

    #[test]
    fn other_triangles_align_by_origin_and_age() {
        let t = paid();
        let other = Triangle::new(
            vec!["2001".into()],
            vec![24, 48],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(520.0), Some(600.0)]],
        )
        .unwrap();
        let g = aligned(&t, &other, Values::Cumulative);
        assert_eq!(g[0], vec![None, None, None]);
        assert_eq!(g[1], vec![None, Some(520.0), None]);
        let v = view(&t, Values::Cumulative, Divisor::Triangle(&other));
        assert_eq!(v.cells[1][1], Some(0.5));
    }

    #[test]
    fn empty_grids() {
        assert_eq!(simple_average(&vec![]), Vec::<Option<f64>>::new());
        assert_eq!(weighted_average(&vec![vec![None]], &vec![]), vec![None]);
    }
}
