//! The loss triangle: origins down, development ages (in months) across,
//! cumulative values, and cells that are not (yet) observed.
//!
//! An age is the number of months from the start of the origin period to the
//! end of the valuation period, as in chainladder-python: origin 1995 valued at
//! the end of 1995Q1 is age 3. Origins keep their labels for display and for
//! the session's keys; their start month is kept to place each cell on its
//! valuation diagonal.
//!
//! Besides the cells, a triangle gives the views an actuary reads before
//! choosing factors: increments ([`Triangle::to_incremental`]), the link
//! ratios of each origin ([`Triangle::link_ratios`]) and the values relative
//! to another measure, such as incurred over premium or incurred over paid
//! ([`Triangle::relative_to_origins`], [`Triangle::relative_to`]).
//!
//! **Zeros.** A cumulative zero is taken as not observed, as chainladder-python
//! does (its issue #181: `num_to_nan` turns every zero into NaN before the link
//! ratios are taken). So a link ratio from or to a zero is `None` here, and
//! [`crate::development`] leaves it out of every average and of sigma.

use crate::EngineError;
use serde::{Deserialize, Serialize};

/// The length of an origin or development period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Grain {
    Yearly,
    Quarterly,
    Monthly,
}

impl Grain {
    /// Months in one period of this grain.
    pub fn months(self) -> u32 {
        match self {
            Grain::Yearly => 12,
            Grain::Quarterly => 3,
            Grain::Monthly => 1,
        }
    }

    /// chainladder-python's one-letter code (`Y`, `Q`, `M`).
    pub fn code(self) -> &'static str {
        match self {
            Grain::Yearly => "Y",
            Grain::Quarterly => "Q",
            Grain::Monthly => "M",
        }
    }

    pub fn from_code(code: &str) -> Option<Grain> {
        match code.trim().to_ascii_uppercase().as_str() {
            "Y" | "A" | "YEARLY" | "ANNUAL" => Some(Grain::Yearly),
            "Q" | "QUARTERLY" => Some(Grain::Quarterly),
            "M" | "MONTHLY" => Some(Grain::Monthly),
            _ => None,
        }
    }

    /// The first month of the period of this grain that contains `month`.
    pub fn period_start(self, month: i32) -> i32 {
        let m = self.months() as i32;
        month.div_euclid(m) * m
    }

    /// The label of the period of this grain that contains `month`
    /// (a month index: year × 12 + month − 1): `1995`, `1995Q3`, `1995-07`.
    pub fn label(self, month: i32) -> String {
        let year = month.div_euclid(12);
        let m = month.rem_euclid(12);
        match self {
            Grain::Yearly => format!("{year}"),
            Grain::Quarterly => format!("{year}Q{}", m / 3 + 1),
            Grain::Monthly => format!("{year}-{:02}", m + 1),
        }
    }
}

/// A cumulative triangle. Cells are row-major, origins × ages; `None` is a
/// cell that is not observed (in the future, or missing from the data).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Triangle {
    origins: Vec<String>,
    /// First month of each origin period, as year × 12 + month − 1.
    origin_starts: Vec<i32>,
    ages: Vec<u32>,
    origin_grain: Grain,
    development_grain: Grain,
    cells: Vec<Option<f64>>,
}

/// Equal cells, labels and grains; a triangle is equal to itself at once,
/// without comparing its cells (the page compares the triangle it shows
/// with itself on every render).
impl PartialEq for Triangle {
    fn eq(&self, other: &Triangle) -> bool {
        std::ptr::eq(self, other)
            || (self.origins == other.origins
                && self.origin_starts == other.origin_starts
                && self.ages == other.ages
                && self.origin_grain == other.origin_grain
                && self.development_grain == other.development_grain
                && self.cells == other.cells)
    }
}

impl Triangle {
    /// Builds a triangle from origin labels (`1995`, `1995Q2`, `1995-04`),
    /// ages in months (ascending) and rows of cumulative values.
    pub fn new(
        origins: Vec<String>,
        ages: Vec<u32>,
        origin_grain: Grain,
        development_grain: Grain,
        rows: Vec<Vec<Option<f64>>>,
    ) -> Result<Triangle, EngineError> {
        if origins.is_empty() || ages.is_empty() {
            return Err(EngineError::Triangle("it has no origins or no development ages".into()));
        }
        if rows.len() != origins.len() {
            return Err(EngineError::Triangle(format!("{} origins but {} rows of values", origins.len(), rows.len())));
        }
        if let Some(w) = ages.windows(2).find(|w| w[0] >= w[1]) {
            return Err(EngineError::Triangle(format!(
                "development ages must increase, but {} is followed by {}",
                w[0], w[1]
            )));
        }
        let mut origin_starts = Vec::with_capacity(origins.len());
        for o in &origins {
            let start = parse_origin_start(o, origin_grain)
                .ok_or_else(|| EngineError::Triangle(format!("origin `{o}` is not a {:?} period", origin_grain)))?;
            origin_starts.push(start);
        }
        let mut cells = Vec::with_capacity(origins.len() * ages.len());
        for (o, row) in origins.iter().zip(&rows) {
            if row.len() != ages.len() {
                return Err(EngineError::Triangle(format!(
                    "origin {o} has {} values for {} ages",
                    row.len(),
                    ages.len()
                )));
            }
            for (age, v) in ages.iter().zip(row) {
                if let Some(x) = v {
                    if !x.is_finite() {
                        return Err(EngineError::Triangle(format!(
                            "origin {o}, age {age}: value {x} is not a finite number"
                        )));
                    }
                }
            }
            cells.extend_from_slice(row);
        }
        Ok(Triangle { origins, origin_starts, ages, origin_grain, development_grain, cells })
    }

    pub fn origins(&self) -> &[String] {
        &self.origins
    }
    pub fn ages(&self) -> &[u32] {
        &self.ages
    }
    pub fn origin_grain(&self) -> Grain {
        self.origin_grain
    }
    pub fn development_grain(&self) -> Grain {
        self.development_grain
    }
    pub fn n_origins(&self) -> usize {
        self.origins.len()
    }
    pub fn n_ages(&self) -> usize {
        self.ages.len()
    }

    /// A hash of everything in the triangle: two triangles with the same
    /// fingerprint are, for any practical purpose, the same. The page names
    /// the triangles it has sent to the worker by it, so that a
    /// recalculation need not send the cells again.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.origins.hash(&mut h);
        self.ages.hash(&mut h);
        self.origin_grain.hash(&mut h);
        self.development_grain.hash(&mut h);
        for c in &self.cells {
            c.map(f64::to_bits).hash(&mut h);
        }
        h.finish()
    }

    /// The cumulative value of origin `i` at age index `j`.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        if i < self.n_origins() && j < self.n_ages() {
            self.cells[i * self.ages.len() + j]
        } else {
            None
        }
    }

    /// One origin's row of cumulative values.
    pub fn row(&self, i: usize) -> &[Option<f64>] {
        let n = self.ages.len();
        &self.cells[i * n..(i + 1) * n]
    }

    /// Index of an origin label.
    pub fn origin_index(&self, origin: &str) -> Option<usize> {
        self.origins.iter().position(|o| o == origin)
    }

    /// Index of an age in months.
    pub fn age_index(&self, age: u32) -> Option<usize> {
        self.ages.iter().position(|&a| a == age)
    }

    /// The first month (year × 12 + month − 1) of origin `i`'s period.
    pub fn origin_start(&self, i: usize) -> i32 {
        self.origin_starts[i]
    }

    /// The month index (year × 12 + month − 1) of the valuation of cell (i, j):
    /// the last month of the period that ends `age` months after the origin
    /// starts.
    pub fn valuation_month(&self, i: usize, j: usize) -> i32 {
        self.origin_starts[i] + self.ages[j] as i32 - 1
    }

    /// The valuation of cell (i, j) as a label of the development grain
    /// (`2004`, `2004Q3`, `2004-07`): the names of the diagonals.
    pub fn valuation_label(&self, i: usize, j: usize) -> String {
        self.development_grain.label(self.valuation_month(i, j))
    }

    /// Age index of each origin's latest observed cell, if it has any.
    pub fn latest_index(&self, i: usize) -> Option<usize> {
        self.row(i).iter().rposition(|v| v.is_some())
    }

    /// The latest observed value of each origin (0 for an origin with none).
    pub fn latest(&self) -> Vec<f64> {
        (0..self.n_origins()).map(|i| self.latest_index(i).and_then(|j| self.get(i, j)).unwrap_or(0.0)).collect()
    }

    /// The month index of the latest valuation in the triangle.
    pub fn valuation_month_max(&self) -> i32 {
        (0..self.n_origins())
            .filter_map(|i| self.latest_index(i).map(|j| self.valuation_month(i, j)))
            .max()
            .unwrap_or(i32::MIN)
    }

    /// The incremental triangle: each cell minus the one before it.
    pub fn to_incremental(&self) -> Vec<Vec<Option<f64>>> {
        (0..self.n_origins())
            .map(|i| {
                let row = self.row(i);
                row.iter()
                    .enumerate()
                    .map(|(j, v)| match (j, v) {
                        (_, None) => None,
                        (0, Some(x)) => Some(*x),
                        (_, Some(x)) => Some(x - row[j - 1].unwrap_or(0.0)),
                    })
                    .collect()
            })
            .collect()
    }

    /// A triangle with the same shape, from incremental values (cumulated
    /// along each row; a missing cell stays missing).
    pub fn from_incremental(
        origins: Vec<String>,
        ages: Vec<u32>,
        origin_grain: Grain,
        development_grain: Grain,
        incremental: Vec<Vec<Option<f64>>>,
    ) -> Result<Triangle, EngineError> {
        let rows = incremental
            .into_iter()
            .map(|row| {
                let mut sum = 0.0;
                row.into_iter()
                    .map(|v| {
                        v.map(|x| {
                            sum += x;
                            sum
                        })
                    })
                    .collect()
            })
            .collect();
        Triangle::new(origins, ages, origin_grain, development_grain, rows)
    }
}

impl Triangle {
    /// The age-to-age factors of each origin: origins × development periods
    /// (one fewer than the ages), the value at age `j + 1` over the value at
    /// age `j`. `None` where either cell is not observed or is zero (a zero
    /// counts as not observed; see the module's note on zeros).
    pub fn link_ratios(&self) -> Vec<Vec<Option<f64>>> {
        let usable = |v: Option<f64>| v.filter(|x| *x != 0.0);
        (0..self.n_origins())
            .map(|i| {
                self.row(i)
                    .windows(2)
                    .map(|w| match (usable(w[0]), usable(w[1])) {
                        (Some(x), Some(y)) => Some(y / x).filter(|r| r.is_finite()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    /// Each cell over its origin's value of another measure (incurred over
    /// premium: a loss ratio triangle). `per_origin` has one value per origin;
    /// a cell is `None` where it is not observed, or where the divisor is
    /// zero or not a finite number.
    pub fn relative_to_origins(&self, per_origin: &[f64]) -> Result<Vec<Vec<Option<f64>>>, EngineError> {
        if per_origin.len() != self.n_origins() {
            return Err(EngineError::Triangle(format!(
                "{} divisor values for {} origins",
                per_origin.len(),
                self.n_origins()
            )));
        }
        Ok((0..self.n_origins())
            .map(|i| {
                let d = Some(per_origin[i]);
                self.row(i).iter().map(|v| ratio(*v, d)).collect()
            })
            .collect())
    }

    /// Each cell over the same cell of another triangle of the same shape
    /// (incurred over paid). `None` where either cell is not observed or the
    /// divisor is zero. The two must have the same origins and ages; an error
    /// names the first that differs.
    pub fn relative_to(&self, divisor: &Triangle) -> Result<Vec<Vec<Option<f64>>>, EngineError> {
        if let Some(k) = first_difference(&self.origins, &divisor.origins) {
            return Err(EngineError::Triangle(format!(
                "the divisor's origins differ: origin {} is `{}` here and `{}` there",
                k + 1,
                self.origins.get(k).map_or("(none)", String::as_str),
                divisor.origins.get(k).map_or("(none)", String::as_str),
            )));
        }
        if let Some(k) = first_difference(&self.ages, &divisor.ages) {
            let show = |a: Option<&u32>| a.map_or("(none)".to_string(), u32::to_string);
            return Err(EngineError::Triangle(format!(
                "the divisor's ages differ: age {} is {} here and {} there",
                k + 1,
                show(self.ages.get(k)),
                show(divisor.ages.get(k)),
            )));
        }
        Ok((0..self.n_origins())
            .map(|i| self.row(i).iter().zip(divisor.row(i)).map(|(v, d)| ratio(*v, *d)).collect())
            .collect())
    }
}

/// `value / divisor`, or `None` where either is missing or the quotient is
/// not a finite number (a zero or non-finite divisor, an overflow).
fn ratio(value: Option<f64>, divisor: Option<f64>) -> Option<f64> {
    match (value, divisor) {
        (Some(v), Some(d)) if d != 0.0 => Some(v / d).filter(|r| r.is_finite()),
        _ => None,
    }
}

/// The index of the first element where two lists differ (including where
/// one is longer).
fn first_difference<T: PartialEq>(a: &[T], b: &[T]) -> Option<usize> {
    a.iter().zip(b).position(|(x, y)| x != y).or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))
}

/// First month of an origin period from its label: `1995` (yearly),
/// `1995Q2` or `1995-04` (quarterly), `1995-04` (monthly).
pub fn parse_origin_start(label: &str, grain: Grain) -> Option<i32> {
    let s = label.trim();
    let (year_part, rest) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    if year_part.len() != 4 {
        return None;
    }
    let year: i32 = year_part.parse().ok()?;
    let month0: i32 = if rest.is_empty() {
        0
    } else if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
        let q: i32 = q.parse().ok()?;
        if !(1..=4).contains(&q) {
            return None;
        }
        (q - 1) * 3
    } else if let Some(m) = rest.strip_prefix('-') {
        let m: i32 = m.get(..2).unwrap_or(m).parse().ok()?;
        if !(1..=12).contains(&m) {
            return None;
        }
        m - 1
    } else {
        return None;
    };
    // A period must start on its grain's boundary.
    if month0 % grain.months() as i32 != 0 {
        return None;
    }
    Some(year * 12 + month0)
}

/// Two yearly origins at 12 and 24 months, the second not yet developed:
/// the smallest triangle with a factor to estimate, for the crate's tests.
#[cfg(test)]
pub(crate) fn small() -> Triangle {
    Triangle::new(
        vec!["2000".into(), "2001".into()],
        vec![12, 24],
        Grain::Yearly,
        Grain::Yearly,
        vec![vec![Some(100.0), Some(150.0)], vec![Some(110.0), None]],
    )
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_and_valuations() {
        let t = small();
        assert_eq!(t.latest(), vec![150.0, 110.0]);
        assert_eq!(t.valuation_label(0, 1), "2001");
        assert_eq!(t.valuation_label(1, 0), "2001");
        assert_eq!(t.valuation_month_max(), 2001 * 12 + 11);
    }

    #[test]
    fn incremental_round_trip() {
        let t = small();
        let inc = t.to_incremental();
        assert_eq!(inc[0], vec![Some(100.0), Some(50.0)]);
        let back =
            Triangle::from_incremental(t.origins().to_vec(), t.ages().to_vec(), Grain::Yearly, Grain::Yearly, inc)
                .unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn quarter_labels() {
        assert_eq!(Grain::Quarterly.label(2004 * 12 + 7), "2004Q3");
        assert_eq!(parse_origin_start("1995Q2", Grain::Quarterly), Some(1995 * 12 + 3));
        assert_eq!(parse_origin_start("1995-05", Grain::Quarterly), None);
        assert_eq!(parse_origin_start("1995", Grain::Yearly), Some(1995 * 12));
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(Triangle::new(vec![], vec![12], Grain::Yearly, Grain::Yearly, vec![]).is_err());
        let e = Triangle::new(vec!["2000".into()], vec![24, 12], Grain::Yearly, Grain::Yearly, vec![vec![None, None]])
            .unwrap_err();
        assert!(e.to_string().contains("24 is followed by 12"));
        assert!(Triangle::new(vec!["x".into()], vec![12], Grain::Yearly, Grain::Yearly, vec![vec![Some(f64::NAN)]])
            .is_err());
    }

    #[test]
    fn incremental_values_and_back_with_gaps() {
        let t = Triangle::new(
            vec!["2000".into(), "2001".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(100.0), Some(160.0), Some(175.0)], vec![Some(80.0), Some(120.0), None]],
        )
        .unwrap();
        let inc = t.to_incremental();
        assert_eq!(inc[0], vec![Some(100.0), Some(60.0), Some(15.0)]);
        assert_eq!(inc[1], vec![Some(80.0), Some(40.0), None]);
        let back =
            Triangle::from_incremental(t.origins().to_vec(), t.ages().to_vec(), Grain::Yearly, Grain::Yearly, inc)
                .unwrap();
        assert_eq!(back, t);
    }

    /// A 3 × 3 triangle with a zero in it, and its paid counterpart.
    fn with_zero() -> (Triangle, Triangle) {
        let make = |rows| {
            Triangle::new(
                vec!["2000".into(), "2001".into(), "2002".into()],
                vec![12, 24, 36],
                Grain::Yearly,
                Grain::Yearly,
                rows,
            )
            .unwrap()
        };
        let incurred = make(vec![
            vec![Some(100.0), Some(150.0), Some(165.0)],
            vec![Some(0.0), Some(40.0), None],
            vec![Some(50.0), None, None],
        ]);
        let paid = make(vec![
            vec![Some(50.0), Some(120.0), Some(0.0)],
            vec![Some(20.0), None, None],
            vec![Some(25.0), None, None],
        ]);
        (incurred, paid)
    }

    #[test]
    fn link_ratios_leave_out_missing_cells_and_zeros() {
        let (t, _) = with_zero();
        let lr = t.link_ratios();
        assert_eq!(lr.len(), 3);
        assert_eq!(lr[0], vec![Some(1.5), Some(1.1)]);
        // From a cumulative zero: not observed, as in chainladder-python.
        assert_eq!(lr[1], vec![None, None]);
        assert_eq!(lr[2], vec![None, None]);
        assert!((lr[0][1].unwrap() - 165.0 / 150.0).abs() < 1e-15);
        // To a zero: also left out.
        let (_, paid) = with_zero();
        assert_eq!(paid.link_ratios()[0], vec![Some(2.4), None]);
    }

    #[test]
    fn values_relative_to_premium() {
        let (t, _) = with_zero();
        let lr = t.relative_to_origins(&[200.0, 0.0, 100.0]).unwrap();
        assert_eq!(lr[0], vec![Some(0.5), Some(0.75), Some(0.825)]);
        // A zero premium divides nothing.
        assert_eq!(lr[1], vec![None, None, None]);
        assert_eq!(lr[2], vec![Some(0.5), None, None]);
        let nan = t.relative_to_origins(&[f64::NAN, 1.0, 1.0]).unwrap();
        assert_eq!(nan[0], vec![None, None, None]);
        let e = t.relative_to_origins(&[1.0, 2.0]).unwrap_err();
        assert!(e.to_string().contains("2 divisor values for 3 origins"), "{e}");
    }

    #[test]
    fn values_relative_to_another_triangle() {
        let (incurred, paid) = with_zero();
        let r = incurred.relative_to(&paid).unwrap();
        assert_eq!(r[0], vec![Some(2.0), Some(1.25), None]);
        // Incurred 0 over paid 20 is a ratio of 0; a missing divisor gives none.
        assert_eq!(r[1], vec![Some(0.0), None, None]);
        assert_eq!(r[2], vec![Some(2.0), None, None]);

        let other = Triangle::new(
            vec!["2000".into(), "2001".into(), "2003".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(1.0), None, None]; 3],
        )
        .unwrap();
        let e = incurred.relative_to(&other).unwrap_err().to_string();
        assert!(e.contains("origin 3") && e.contains("`2002`") && e.contains("`2003`"), "{e}");
        let short = Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into()],
            vec![12, 24],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(1.0), None]; 3],
        )
        .unwrap();
        let e = incurred.relative_to(&short).unwrap_err().to_string();
        assert!(e.contains("age 3 is 36 here and (none) there"), "{e}");
    }
}
