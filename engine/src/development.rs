//! Development: the age-to-age factors, with Mack's sigma and the factors'
//! standard errors, from a cumulative triangle and the actuary's exclusions.
//! This is chainladder-python's `Development` estimator; the tail and the
//! methods take its factors as given and never recompute them.
//!
//! Each column's factor is a weighted regression through the origin of the
//! next value on the current one, with weights `1 / x^e` (chainladder's
//! `WeightedRegression(thru_orig=True)`): `e = 0` is the `regression`
//! average, `1` the `volume` average (Σy / Σx), `2` the `simple` average of
//! the ratios. `geometric` is `exp(mean ln y − mean ln x)` with the volume
//! weights for sigma. Mack's sigma is the square root of the weighted
//! residual sum of squares over `n − 1` (Mack 1993, eq. 5), the factor's
//! standard error `sigma / sqrt(Σ x^(2−e))`.
//!
//! **Zeros.** A cumulative zero counts as not observed, as in
//! chainladder-python (its open issue #181: `num_to_nan` turns every zero of
//! the triangle into NaN before the link ratios are taken). So a link ratio
//! from or to a zero is left out of every average and of sigma; it is the
//! `None` of [`Triangle::link_ratios`]. This is the default and, as there,
//! the only rule: an actuary who wants a zero counted enters a small value.
//!
//! Where chainladder leaves a value empty this module gives a defined one:
//! a column with no link ratio left has factor 1.0 (and a warning), and a
//! sigma of exactly zero (every ratio equal to the factor) is 0, where
//! chainladder's log-linear fill turns it into NaN. A sigma that no rule can
//! estimate stays NaN, and Mack's method then reports that it cannot run.

pub(crate) mod exclusions;
pub(crate) mod regression;

use crate::maths::Libm;
use crate::session::{Average, ColumnAverage, Settings, SigmaInterpolation};
use crate::warnings::Warn;
use crate::Triangle;
use regression::{ols, periods};
use serde::{Deserialize, Serialize};

/// chainladder's stand-in for a zero sigma when it takes logarithms
/// (`xp.where(ly == 0, 1e-320, ly)` in `loglinear_interpolation` and
/// `mack_interpolation`).
pub(crate) const ZERO_SIGMA: f64 = 1e-320;

/// The selected development pattern and its statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Development {
    /// The age-to-age factor of each development period (one fewer than the
    /// triangle's ages).
    pub ldf: Vec<f64>,
    /// Mack's sigma per development period, extrapolated where a column has
    /// fewer than two link ratios; NaN where it cannot be estimated.
    pub sigma: Vec<f64>,
    /// The standard error of each factor; NaN where it cannot be estimated.
    pub std_err: Vec<f64>,
    /// How many link ratios each factor averages.
    pub n_ratios: Vec<usize>,
    /// Whether each link ratio counts, origin-major: `included[i * (n_ages − 1) + j]`
    /// is the ratio of origin `i` from age index `j` to `j + 1`.
    pub included: Vec<bool>,
    /// Per development period, the exponent `e` of the regression weights
    /// `1 / x^e` of its average.
    pub exponent: Vec<f64>,
    /// Per development period, whether its factor was typed by the actuary
    /// (`ldf_by_age`) rather than averaged.
    pub typed: Vec<bool>,
    pub average: Average,
    pub sigma_interpolation: SigmaInterpolation,
}

impl Development {
    /// The number of factors (development periods).
    pub fn len(&self) -> usize {
        self.ldf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ldf.is_empty()
    }
}

/// The triangle's cells as link-ratio inputs: NaN where a cell is not
/// observed or is zero.
pub(crate) struct LinkRatios {
    pub n_origins: usize,
    pub n_cols: usize,
    n_ages: usize,
    /// Origin-major, `n_ages` per origin. The bootstrap writes each
    /// simulated triangle into the same buffer, so it is open to the crate.
    pub(crate) values: Vec<f64>,
}

impl LinkRatios {
    pub fn new(triangle: &Triangle) -> LinkRatios {
        let n_ages = triangle.n_ages();
        let values = (0..triangle.n_origins())
            .flat_map(|i| triangle.row(i).iter())
            .map(|v| match v {
                Some(x) if *x != 0.0 => *x,
                _ => f64::NAN,
            })
            .collect();
        LinkRatios { n_origins: triangle.n_origins(), n_cols: n_ages.saturating_sub(1), n_ages, values }
    }

    /// The value a ratio of column `j` is taken from.
    pub fn x(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.n_ages + j]
    }

    /// The value a ratio of column `j` goes to.
    pub fn y(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.n_ages + j + 1]
    }

    pub fn defined(&self, i: usize, j: usize) -> bool {
        !self.x(i, j).is_nan() && !self.y(i, j).is_nan()
    }

    pub fn ratio(&self, i: usize, j: usize) -> f64 {
        self.y(i, j) / self.x(i, j)
    }
}

/// Fits the development pattern of a triangle under the session's settings.
/// Exclusions that name what the triangle does not have are skipped with a
/// warning.
pub fn develop(triangle: &Triangle, settings: &Settings, warnings: &mut dyn Warn) -> Development {
    let lr = LinkRatios::new(triangle);
    let n_cols = lr.n_cols;
    let ages = triangle.ages();
    let columns: Vec<ColumnAverage> = (0..n_cols).map(|j| settings.column_average(ages[j])).collect();
    warn_unknown_ages("average_by_age", settings.average_by_age.keys(), ages, n_cols, warnings);
    warn_unknown_ages("ldf_by_age", settings.ldf_by_age.keys(), ages, n_cols, warnings);
    let n_periods: Vec<Option<u32>> = columns.iter().map(|c| c.n_periods).collect();
    let included = exclusions::included(triangle, &lr, settings, &n_periods, warnings);
    let mut ldf = Vec::with_capacity(n_cols);
    let mut sigma = Vec::with_capacity(n_cols);
    let mut std_err = Vec::with_capacity(n_cols);
    let mut n_ratios = Vec::with_capacity(n_cols);
    let mut first_x = Vec::with_capacity(n_cols);
    let mut denominators = Vec::with_capacity(n_cols);
    let mut exponents = Vec::with_capacity(n_cols);
    let mut typed = Vec::with_capacity(n_cols);
    for (j, column) in columns.iter().enumerate() {
        let exponent = exponent(column.average);
        let fixed = settings.ldf_by_age.get(&ages[j]).copied();
        let c = fit_column(&lr, &included, j, column.average, exponent, fixed, true);
        if c.n == 0 && fixed.is_none() {
            let observed = (0..lr.n_origins).any(|i| lr.defined(i, j));
            let why = if observed { "every one is excluded" } else { "none is observed" };
            warnings.warn(format_args!("no link ratio for {}-{} ({why}): its factor is 1.0", ages[j], ages[j + 1]));
        }
        ldf.push(c.ldf);
        sigma.push(c.sigma);
        std_err.push(c.std_err);
        n_ratios.push(c.n);
        first_x.push(if lr.n_origins > 0 { lr.x(0, j) } else { f64::NAN });
        denominators.push(c.den);
        exponents.push(exponent);
        typed.push(fixed.is_some());
    }

    // chainladder skips the extrapolation when n_periods is 1: with one
    // ratio per column there is nothing to extrapolate from.
    if settings.n_periods != Some(1) {
        match settings.sigma_interpolation {
            SigmaInterpolation::LogLinear => fill_log_linear(&mut sigma),
            SigmaInterpolation::Mack => fill_mack(&mut sigma),
        }
        fill_std_err(&mut std_err, &sigma, &first_x, &denominators, &exponents);
    }

    Development {
        ldf,
        sigma,
        std_err,
        n_ratios,
        included,
        exponent: exponents,
        typed,
        average: settings.average,
        sigma_interpolation: settings.sigma_interpolation,
    }
}

/// The observed link ratios that the latest-n windows alone leave out
/// (origin-major, `i × columns + j`), every other exclusion lifted: what
/// tells that reason apart from the actuary's drops and the highest and
/// lowest. Empty when no column has a window.
pub fn outside_windows(triangle: &Triangle, settings: &Settings) -> Vec<u32> {
    let lr = LinkRatios::new(triangle);
    let ages = triangle.ages();
    let n_periods: Vec<Option<u32>> = (0..lr.n_cols).map(|j| settings.column_average(ages[j]).n_periods).collect();
    if n_periods.iter().all(Option::is_none) {
        return Vec::new();
    }
    let windows_only = Settings { drop_high: false, drop_low: false, ..settings.clone() };
    let every = vec![true; lr.n_origins * lr.n_cols];
    let kept = exclusions::included_given(triangle, &lr, &windows_only, &n_periods, &every);
    (0..kept.len()).filter(|&k| !kept[k] && lr.defined(k / lr.n_cols, k % lr.n_cols)).map(|k| k as u32).collect()
}

/// The exponent `e` of an average's regression weights `1 / x^e`.
pub(crate) fn exponent(average: Average) -> f64 {
    match average {
        Average::Regression => 0.0,
        Average::Volume | Average::Geometric => 1.0,
        Average::Simple => 2.0,
    }
}

/// Warns of each column judgement (`key`: its ages) that names an age the
/// triangle has no development column from; it is kept, not applied.
fn warn_unknown_ages<'a>(
    key: &str,
    keyed: impl IntoIterator<Item = &'a u32>,
    ages: &[u32],
    n_cols: usize,
    warnings: &mut dyn Warn,
) {
    for age in keyed {
        if ages[..n_cols].binary_search(age).is_err() {
            warnings
                .warn(format_args!("{key}: the triangle has no development column from age {age} (kept, not applied)"));
        }
    }
}

/// The averages an actuary compares per column: each of
/// [`ColumnAverages::AVERAGES`] over all origins and over the latest 3 and 5
/// ([`ColumnAverages::WINDOWS`]), with every other exclusion of the session
/// (dropped ratios, origins and valuations, high and low) applied; what the
/// column's factor would be if that average were chosen for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnAverages {
    /// The column's starting age in months (the key of `average_by_age`).
    pub age: u32,
    /// `factors[a][w]`: average `AVERAGES[a]` over window `WINDOWS[w]`;
    /// `None` where no link ratio is left.
    pub factors: [[Option<f64>; 3]; 3],
}

impl ColumnAverages {
    pub const AVERAGES: [Average; 3] = [Average::Volume, Average::Simple, Average::Geometric];
    pub const WINDOWS: [Option<u32>; 3] = [None, Some(5), Some(3)];
}

/// The averages table of a triangle under the session's exclusions, one
/// entry per development column. Its warnings are those of [`develop`], so
/// they are not repeated.
pub fn column_averages(triangle: &Triangle, settings: &Settings) -> Vec<ColumnAverages> {
    let lr = LinkRatios::new(triangle);
    let n_cols = lr.n_cols;
    let ages = triangle.ages();
    let mut table: Vec<ColumnAverages> =
        (0..n_cols).map(|j| ColumnAverages { age: ages[j], factors: [[None; 3]; 3] }).collect();
    // The drops are matched once for the three windows, and their warnings
    // (develop's) not written again.
    let by_hand = exclusions::kept_by_hand(triangle, &lr, settings, &mut crate::warnings::Ignored);
    for (w, window) in ColumnAverages::WINDOWS.iter().enumerate() {
        let n_periods = vec![*window; n_cols];
        let included = exclusions::included_given(triangle, &lr, settings, &n_periods, &by_hand);
        for (a, average) in ColumnAverages::AVERAGES.iter().enumerate() {
            for (j, row) in table.iter_mut().enumerate() {
                let c = fit_column(&lr, &included, j, *average, exponent(*average), None, false);
                row.factors[a][w] = (c.n > 0).then_some(c.ldf);
            }
        }
    }
    table
}

pub(crate) struct Column {
    pub(crate) ldf: f64,
    sigma: f64,
    std_err: f64,
    /// Σ w·x², the regression's denominator.
    den: f64,
    n: usize,
}

/// One column's weighted regression through the origin, in chainladder's
/// order of operations (`WeightedRegression._fit_ols_thru_orig`): the weight
/// `w = 1 / x^e`, the factor `Σ w·x·y / Σ w·x·x`, the residuals
/// `y − f·x`, `mse = Σ w·r² / (n − 1)`, `sigma = √mse`,
/// `std_err = √(mse / Σ w·x·x)`.
///
/// With a `fixed` (typed) factor, the factor is that one and sigma measures
/// the link ratios' spread about it: `Σ w·(y − f·x)² / (n − 1)`, the same
/// formula about the factor the projection uses.
///
/// `with_sigma: false` stops once the factor is known (sigma and the
/// standard error are NaN): the averages table and the bootstrap, which
/// fits thousands of simulated triangles, need only the factor, and it is
/// the same arithmetic either way.
pub(crate) fn fit_column(
    lr: &LinkRatios,
    included: &[bool],
    j: usize,
    average: Average,
    e: f64,
    fixed: Option<f64>,
    with_sigma: bool,
) -> Column {
    // x^1 is x exactly, and the volume-weighted default (e = 1) spares
    // the power function, a sizeable share of a grouped run's time.
    let weight = |x: f64| 1.0 / if e == 1.0 { x } else { x.libm_powf(e) };
    let rows = || (0..lr.n_origins).filter(|&i| included[i * lr.n_cols + j]);
    let (mut num, mut den, mut n) = (0.0, 0.0, 0usize);
    for i in rows() {
        let (x, y) = (lr.x(i, j), lr.y(i, j));
        let wx = weight(x) * x;
        num += wx * y;
        den += wx * x;
        n += 1;
    }
    if n == 0 {
        return Column { ldf: fixed.unwrap_or(1.0), sigma: f64::NAN, std_err: f64::NAN, den: 0.0, n };
    }
    let mut ldf = num / den;
    if average == Average::Geometric {
        // exp(nanmean(ln y) − nanmean(ln x)), each mean over its own defined
        // logarithms as NumPy's nanmean takes them.
        let mean_ln = |f: &dyn Fn(usize) -> f64| {
            let (mut s, mut k) = (0.0, 0usize);
            for i in rows() {
                let v = f(i).libm_ln();
                if !v.is_nan() {
                    s += v;
                    k += 1;
                }
            }
            s / k as f64
        };
        ldf = (mean_ln(&|i| lr.y(i, j)) - mean_ln(&|i| lr.x(i, j))).libm_exp();
    }
    if let Some(f) = fixed {
        ldf = f;
    }
    if !ldf.is_finite() {
        return Column { ldf: 1.0, sigma: f64::NAN, std_err: f64::NAN, den, n: 0 };
    }
    if n < 2 || !with_sigma {
        return Column { ldf, sigma: f64::NAN, std_err: f64::NAN, den, n };
    }
    let mut wss = 0.0;
    for i in rows() {
        let (x, y) = (lr.x(i, j), lr.y(i, j));
        let r = y - ldf * x;
        wss += r * r * weight(x);
    }
    let mse = wss / (n - 1) as f64;
    Column { ldf, sigma: mse.sqrt(), std_err: (mse / den).sqrt(), den, n }
}

/// chainladder's `loglinear_interpolation`: regress ln sigma on the period
/// number over the columns where sigma is known, and fill every unknown one
/// from the line. A zero sigma enters the fit as ln 1e-320, as there.
fn fill_log_linear(sigma: &mut [f64]) {
    if !sigma.iter().any(|s| s.is_nan()) {
        return;
    }
    let x = periods(sigma.len());
    let y: Vec<f64> = sigma.iter().map(|&s| if s == 0.0 { ZERO_SIGMA.libm_ln() } else { s.libm_ln() }).collect();
    let w: Vec<f64> = sigma.iter().map(|s| if s.is_nan() { 0.0 } else { 1.0 }).collect();
    let Some(line) = ols(&x, &y, &w) else { return };
    for (k, s) in sigma.iter_mut().enumerate() {
        if s.is_nan() {
            *s = line.at(x[k]).libm_exp();
        }
    }
}

/// Mack (1993), p. 218, as chainladder's `mack_interpolation` applies it to
/// each unknown sigma from the two before it:
/// `σ²_k = min(σ⁴_{k−1} / σ²_{k−2}, min(σ²_{k−2}, σ²_{k−1}))`. It is not
/// recursive: an unknown sigma after an unknown one stays unknown.
fn fill_mack(sigma: &mut [f64]) {
    let known: Vec<f64> = sigma.iter().map(|&s| if s == 0.0 { ZERO_SIGMA } else { s }).collect();
    for k in 2..sigma.len() {
        if sigma[k].is_nan() {
            let (s1, s2) = (known[k - 1], known[k - 2]);
            // NumPy's minimum: NaN wins (Rust's `min` would drop it).
            let min = |a: f64, b: f64| {
                if a.is_nan() || b.is_nan() {
                    f64::NAN
                } else {
                    a.min(b)
                }
            };
            let fill = min(s1.powi(4) / s2.powi(2), min(s2.powi(2), s1.powi(2))).abs().sqrt();
            if !fill.is_nan() {
                sigma[k] = fill;
            }
        }
    }
}

/// chainladder's `std_err_fill`: where a factor's standard error is unknown
/// (one link ratio), `sigma / sqrt(x^(2−e))` with `x` the first origin's
/// value at that age. Where the first origin has no value there, the
/// column's own `Σ w·x²` takes its place (the same figure when the one ratio
/// is the first origin's).
fn fill_std_err(std_err: &mut [f64], sigma: &[f64], first_x: &[f64], den: &[f64], e: &[f64]) {
    for (j, se) in std_err.iter_mut().enumerate() {
        if !se.is_nan() || sigma[j].is_nan() {
            continue;
        }
        let by_first = sigma[j] / first_x[j].libm_powf(2.0 - e[j]).sqrt();
        *se = if by_first.is_finite() {
            by_first
        } else if den[j] > 0.0 {
            (sigma[j] * sigma[j] / den[j]).sqrt()
        } else {
            f64::NAN
        };
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn outside_the_windows_is_what_a_development_with_only_the_windows_leaves_out() {
        use crate::session::CellDrop;
        use crate::warnings::Ignored;
        use crate::Grain;
        let rows = vec![
            vec![Some(100.0), Some(200.0), Some(220.0), Some(230.0)],
            vec![Some(100.0), Some(150.0), Some(160.0), None],
            vec![Some(100.0), Some(120.0), None, None],
            vec![Some(50.0), None, None, None],
        ];
        let origins = vec!["2000".into(), "2001".into(), "2002".into(), "2003".into()];
        let t = Triangle::new(origins, vec![12, 24, 36, 48], Grain::Yearly, Grain::Yearly, rows).unwrap();
        let mut s = Settings { n_periods: Some(1), drop_high: true, ..Settings::default() };
        s.drops.push(CellDrop { origin: t.origins()[0].clone(), age: t.ages()[0] });
        let windows_only = Settings { drops: Default::default(), drop_high: false, drop_low: false, ..s.clone() };
        let kept = develop(&t, &windows_only, &mut Ignored).included;
        let lr = LinkRatios::new(&t);
        let expected: Vec<u32> = (0..kept.len())
            .filter(|&k| !kept[k] && lr.defined(k / lr.n_cols, k % lr.n_cols))
            .map(|k| k as u32)
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(outside_windows(&t, &s), expected);
        assert!(outside_windows(&t, &Settings::default()).is_empty());
    }

    use super::*;
    use crate::session::CellDrop;
    use crate::Grain;

    fn tri(rows: Vec<Vec<Option<f64>>>) -> Triangle {
        let n = rows.len();
        let m = rows[0].len();
        Triangle::new(
            (0..n).map(|i| format!("{}", 2000 + i)).collect(),
            (1..=m as u32).map(|k| 12 * k).collect(),
            Grain::Yearly,
            Grain::Yearly,
            rows,
        )
        .unwrap()
    }

    fn small() -> Triangle {
        tri(vec![
            vec![Some(100.0), Some(200.0), Some(220.0)],
            vec![Some(100.0), Some(150.0), None],
            vec![Some(50.0), None, None],
        ])
    }

    #[test]
    fn n_periods_counts_the_origin_periods_up_to_the_valuation_date() {
        // Three origins with five ages: chainladder-python's grid has five
        // origin periods (2000 to the 2004 valuation), so n_periods = 2
        // keeps the ratios from the last three valuations: in the first
        // column only 2002's, 160 / 90 (chainladder-python 0.10.1 gives
        // 1.7777777778 and 1.2186046512).
        let t = tri(vec![
            vec![Some(100.0), Some(200.0), Some(260.0), Some(286.0), Some(294.0)],
            vec![Some(120.0), Some(270.0), Some(324.0), Some(350.0), None],
            vec![Some(90.0), Some(160.0), Some(200.0), None, None],
        ]);
        let s = Settings { n_periods: Some(2), ..Settings::default() };
        let d = develop(&t, &s, &mut Vec::new());
        assert!((d.ldf[0] - 160.0 / 90.0).abs() < 1e-12, "{}", d.ldf[0]);
        assert!((d.ldf[1] - (324.0 + 200.0) / (270.0 + 160.0)).abs() < 1e-12, "{}", d.ldf[1]);
        assert!((d.ldf[1] - 1.2186046512).abs() < 1e-9);
    }

    /// Yearly development valued at each first quarter (the long reader's
    /// yearly grain of data valued at a first quarter): a dropped diagonal
    /// is the year that holds its valuation.
    #[test]
    fn a_diagonal_valued_within_its_year_is_dropped_by_its_year() {
        let t = Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into()],
            vec![3, 15, 27],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(100.0), Some(200.0), Some(260.0)],
                vec![Some(120.0), Some(300.0), None],
                vec![Some(90.0), None, None],
            ],
        )
        .unwrap();
        let mut w = Vec::new();
        let s = Settings { drop_valuations: vec!["2001".to_string()].into(), ..Settings::default() };
        let d = develop(&t, &s, &mut w);
        // 2000's 3-15 ratio starts at 2000Q1 and counts; 2001's 3-15 and
        // 2000's 15-27 start at 2001Q1, in the year dropped.
        assert!((d.ldf[0] - 2.0).abs() < 1e-15, "{}", d.ldf[0]);
        assert!(w.iter().all(|x| !x.contains("drop_valuations")), "{w:?}");
    }

    #[test]
    fn averages_by_hand() {
        let t = small();
        let mut w = Vec::new();
        let mut s = Settings::default();
        let d = develop(&t, &s, &mut w);
        assert!((d.ldf[0] - 350.0 / 200.0).abs() < 1e-15);
        assert!((d.ldf[1] - 1.1).abs() < 1e-15);
        s.average = Average::Simple;
        let d = develop(&t, &s, &mut w);
        assert!((d.ldf[0] - (2.0 + 1.5) / 2.0).abs() < 1e-15);
        s.average = Average::Regression;
        let d = develop(&t, &s, &mut w);
        assert!((d.ldf[0] - (100.0 * 200.0 + 100.0 * 150.0) / 20000.0).abs() < 1e-15);
        s.average = Average::Geometric;
        let d = develop(&t, &s, &mut w);
        assert!((d.ldf[0] - (2.0f64 * 1.5).sqrt()).abs() < 1e-14);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn a_column_may_choose_its_average_or_take_a_typed_factor() {
        let t = tri(vec![
            vec![Some(100.0), Some(200.0), Some(220.0)],
            vec![Some(50.0), Some(150.0), Some(160.0)],
            vec![Some(50.0), Some(120.0), None],
            vec![Some(40.0), None, None],
        ]);
        let mut s = Settings::default();
        s.average_by_age.insert(12, ColumnAverage { average: Average::Simple, n_periods: None });
        let mut w = Vec::new();
        let d = develop(&t, &s, &mut w);
        assert!((d.ldf[0] - (2.0 + 3.0 + 2.4) / 3.0).abs() < 1e-15);
        assert!((d.ldf[1] - 380.0 / 350.0).abs() < 1e-15, "the other column keeps the session's volume average");
        assert_eq!(d.exponent, vec![2.0, 1.0]);
        // A typed factor replaces the average; sigma is the ratios' spread
        // about it (the simple weights 1/x² of the column's average).
        s.ldf_by_age.insert(12, 2.0);
        let d = develop(&t, &s, &mut w);
        assert_eq!(d.ldf[0], 2.0);
        assert_eq!(d.typed, vec![true, false]);
        let wss = [(200.0, 100.0), (150.0, 50.0), (120.0, 50.0)]
            .iter()
            .map(|&(y, x): &(f64, f64)| (y - 2.0 * x).powi(2) / (x * x))
            .sum::<f64>();
        assert!((d.sigma[0] - (wss / 2.0).sqrt()).abs() < 1e-14);
        // An age the triangle has no column from is kept and reported.
        s.ldf_by_age.insert(60, 1.1);
        develop(&t, &s, &mut w);
        assert!(w.iter().any(|m| m.contains("ldf_by_age") && m.contains("60")), "{w:?}");
    }

    #[test]
    fn the_averages_table_by_hand() {
        let t = tri(vec![
            vec![Some(100.0), Some(200.0), Some(220.0)],
            vec![Some(50.0), Some(150.0), Some(160.0)],
            vec![Some(50.0), Some(120.0), None],
            vec![Some(40.0), None, None],
        ]);
        let table = column_averages(&t, &Settings::default());
        assert_eq!(table.len(), 2);
        assert_eq!(table[0].age, 12);
        let [volume, simple, geometric] = table[0].factors;
        assert!((volume[0].unwrap() - 470.0 / 200.0).abs() < 1e-15);
        assert!((simple[0].unwrap() - (2.0 + 3.0 + 2.4) / 3.0).abs() < 1e-15);
        assert!((geometric[0].unwrap() - (2.0f64 * 3.0 * 2.4).libm_powf(1.0 / 3.0)).abs() < 1e-14);
        // With four origin periods, the latest 3 and 5 are every ratio here.
        assert_eq!(volume[1], volume[0]);
        // Exclusions count: dropping 2001's ratio leaves 2000 and 2002.
        let s = Settings { drops: vec![CellDrop { origin: "2001".into(), age: 12 }].into(), ..Settings::default() };
        let table = column_averages(&t, &s);
        assert!((table[0].factors[0][0].unwrap() - 320.0 / 150.0).abs() < 1e-15);
    }

    #[test]
    fn volume_sigma_is_macks() {
        let t = small();
        let d = develop(&t, &Settings::default(), &mut Vec::new());
        // Σ (y − f x)² / x over n − 1 = 1 with f = 1.75.
        let f = 1.75;
        let s2 = (200.0 - f * 100.0f64).powi(2) / 100.0 + (150.0 - f * 100.0f64).powi(2) / 100.0;
        assert!((d.sigma[0] - s2.sqrt()).abs() < 1e-12);
        assert!((d.std_err[0] - (s2 / 200.0).sqrt()).abs() < 1e-12);
        assert_eq!(d.n_ratios, vec![2, 1]);
        // The last sigma is log-linear from one known point: no line, so it
        // stays unknown; its std_err too.
        assert!(d.sigma[1].is_nan() && d.std_err[1].is_nan());
    }

    #[test]
    fn zeros_are_not_observed() {
        let t = tri(vec![
            vec![Some(0.0), Some(100.0), Some(110.0)],
            vec![Some(50.0), Some(100.0), None],
            vec![Some(40.0), None, None],
        ]);
        let d = develop(&t, &Settings::default(), &mut Vec::new());
        assert_eq!(d.ldf[0], 2.0);
        assert_eq!(d.n_ratios[0], 1);
        assert!(!d.included[0]);
        // The averages count exactly the link ratios the triangle shows.
        let shown: Vec<bool> = t.link_ratios().concat().iter().map(Option::is_some).collect();
        assert_eq!(d.included, shown);
        // The same with every average: a zero never enters.
        for average in [Average::Simple, Average::Regression, Average::Geometric] {
            let s = Settings { average, ..Settings::default() };
            let d = develop(&t, &s, &mut Vec::new());
            assert!((d.ldf[0] - 2.0).abs() < 1e-14, "{average:?}: {}", d.ldf[0]);
            assert_eq!(d.n_ratios[0], 1, "{average:?}");
        }
    }

    #[test]
    fn an_excluded_column_has_factor_one_and_a_warning() {
        let t = small();
        let s = Settings { drops: vec![CellDrop { origin: "2000".into(), age: 24 }].into(), ..Settings::default() };
        let mut w = Vec::new();
        let d = develop(&t, &s, &mut w);
        assert_eq!(d.ldf[1], 1.0);
        assert!(w[0].contains("24-36") && w[0].contains("excluded"), "{w:?}");
    }

    #[test]
    fn a_zero_sigma_stays_zero() {
        let t = tri(vec![
            vec![Some(100.0), Some(200.0), Some(200.0), Some(200.0)],
            vec![Some(100.0), Some(150.0), Some(150.0), None],
            vec![Some(100.0), Some(170.0), None, None],
            vec![Some(100.0), None, None, None],
        ]);
        let d = develop(&t, &Settings::default(), &mut Vec::new());
        assert_eq!(d.sigma[1], 0.0);
        assert_eq!(d.std_err[1], 0.0);
        assert!(d.sigma.iter().all(|s| s.is_finite()));
    }

    #[test]
    fn mack_interpolation_by_hand() {
        let mut s = vec![4.0, 2.0, f64::NAN];
        fill_mack(&mut s);
        // min(2⁴/4², min(4², 2²)) = min(1, 4) = 1.
        assert_eq!(s[2], 1.0);
        let mut s = vec![4.0, f64::NAN, f64::NAN];
        fill_mack(&mut s);
        assert!(s[1].is_nan() && s[2].is_nan());
    }
}
