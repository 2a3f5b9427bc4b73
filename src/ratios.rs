//! What the link-ratio grid shows, computed from the triangle's link ratios
//! ([`Triangle::link_ratios`], the engine's, so that a zero counts as not
//! observed here as in the averages): how each ratio compares with its
//! column (for the heatmap), and whether the session's judgement leaves it
//! out. Pure, so it is tested natively.

use runoff_engine::triangle::parse_origin_start;
use runoff_engine::{Settings, Triangle};

/// Link ratios by origin and development period, as
/// [`Triangle::link_ratios`] gives them.
pub type Ratios = Vec<Vec<Option<f64>>>;

/// The ratio of origin `i` from age index `j` to `j + 1`, if there is one.
pub fn ratio(r: &Ratios, i: usize, j: usize) -> Option<f64> {
    r.get(i).and_then(|row| row.get(j)).copied().flatten()
}

/// The development periods' labels: `3-6`, `6-9`, …
pub fn period_labels(t: &Triangle) -> Vec<String> {
    t.ages().windows(2).map(|w| format!("{}-{}", w[0], w[1])).collect()
}

/// How far each ratio is from its column's mean, in standard deviations,
/// clamped to ±2: the heatmap's scale. `None` where there is no ratio, or
/// where a column has fewer than two.
// A column at a time, while the ratios are stored by rows.
#[allow(clippy::needless_range_loop)]
pub fn z_scores(r: &Ratios) -> Vec<Vec<Option<f64>>> {
    let n = r.first().map_or(0, Vec::len);
    let mut out = vec![vec![None; n]; r.len()];
    for j in 0..n {
        let col: Vec<(usize, f64)> = (0..r.len()).filter_map(|i| ratio(r, i, j).map(|x| (i, x))).collect();
        if col.len() < 2 {
            continue;
        }
        let mean = col.iter().map(|(_, r)| r).sum::<f64>() / col.len() as f64;
        let var = col.iter().map(|(_, r)| (r - mean).powi(2)).sum::<f64>() / (col.len() - 1) as f64;
        let sd = var.sqrt();
        for (i, r) in col {
            let z = if sd > 0.0 { (r - mean) / sd } else { 0.0 };
            out[i][j] = Some(z.clamp(-2.0, 2.0));
        }
    }
    out
}

/// Why a ratio is left out of its factor, as the grid says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    /// Dropped by itself.
    Cell,
    /// Its whole origin is dropped.
    Origin,
    /// Its diagonal is dropped.
    Valuation,
    /// Left out by another rule (latest n, highest or lowest).
    Rule,
}

/// The session's own judgements on one triangle, looked up once: which
/// ratios are dropped by hand, by their origin or by their diagonal. The
/// lists of a session may be long (docs/session.md bounds them at
/// thousands of entries, most of them perhaps for origins this triangle
/// does not have), so each is sorted once for binary search rather than
/// scanned for every cell of the grid. Diagonals are read as the engine
/// reads them (a label of the development grain, the period holding the
/// cells' valuations), so the grid names what the engine left out.
pub struct Judgements {
    /// The (origin, age) indices dropped by hand, sorted.
    cells: Vec<(usize, usize)>,
    /// By origin index: whether the whole origin is dropped.
    origins: Vec<bool>,
    /// The first months of the dropped diagonals' periods, sorted.
    valuations: Vec<i32>,
}

impl Judgements {
    pub fn new(t: &Triangle, settings: &Settings) -> Judgements {
        let mut by_origin: Vec<(&str, usize)> = t.origins().iter().enumerate().map(|(i, o)| (o.as_str(), i)).collect();
        by_origin.sort_unstable();
        let origin = |o: &str| by_origin.binary_search_by(|(k, _)| (*k).cmp(o)).ok().map(|k| by_origin[k].1);
        let mut cells: Vec<(usize, usize)> = settings
            .drops
            .iter()
            .filter_map(|d| Some((origin(&d.origin)?, t.ages().binary_search(&d.age).ok()?)))
            .collect();
        cells.sort_unstable();
        let mut origins = vec![false; t.n_origins()];
        for i in settings.drop_origins.iter().filter_map(|o| origin(o)) {
            origins[i] = true;
        }
        let grain = t.development_grain();
        let mut valuations: Vec<i32> =
            settings.drop_valuations.iter().filter_map(|label| parse_origin_start(label, grain)).collect();
        valuations.sort_unstable();
        Judgements { cells, origins, valuations }
    }

    /// Whether origin `i` is dropped as a whole.
    pub fn origin_dropped(&self, i: usize) -> bool {
        self.origins.get(i).copied().unwrap_or(false)
    }

    /// The exclusion of ratio (i, j), if any. `included` is the engine's
    /// answer (after every rule); the explicit judgements are named first
    /// because they are what a click changes.
    pub fn exclusion(
        &self,
        t: &Triangle,
        r: &Ratios,
        included: Option<&[Vec<bool>]>,
        i: usize,
        j: usize,
    ) -> Option<Exclusion> {
        if self.cells.binary_search(&(i, j)).is_ok() {
            return Some(Exclusion::Cell);
        }
        if self.origin_dropped(i) {
            return Some(Exclusion::Origin);
        }
        // As in chainladder, a dropped diagonal removes the ratios that
        // start on that valuation.
        let grain = t.development_grain();
        if i < t.n_origins()
            && j < t.n_ages()
            && self.valuations.binary_search(&grain.period_start(t.valuation_month(i, j))).is_ok()
        {
            return Some(Exclusion::Valuation);
        }
        match included.and_then(|inc| inc.get(i)).and_then(|row| row.get(j)) {
            Some(false) if ratio(r, i, j).is_some() => Some(Exclusion::Rule),
            _ => None,
        }
    }
}

/// The exclusion of ratio (i, j), if any, for one ratio (the grid indexes
/// the judgements once with [`Judgements`] for all of them).
pub fn exclusion(
    t: &Triangle,
    r: &Ratios,
    settings: &Settings,
    included: Option<&[Vec<bool>]>,
    i: usize,
    j: usize,
) -> Option<Exclusion> {
    Judgements::new(t, settings).exclusion(t, r, included, i, j)
}

/// Every valuation on which some link ratio starts, oldest first: the
/// diagonals that can be dropped.
pub fn valuations(t: &Triangle, r: &Ratios) -> Vec<String> {
    let mut months: Vec<i32> = r
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().enumerate().filter(|(_, x)| x.is_some()).map(move |(j, _)| (i, j)))
        .map(|(i, j)| t.valuation_month(i, j))
        .collect();
    months.sort_unstable();
    let mut labels: Vec<String> = months.into_iter().map(|m| t.development_grain().label(m)).collect();
    labels.dedup();
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::CellDrop;
    use runoff_engine::Grain;

    fn t() -> Triangle {
        Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(100.0), Some(200.0), Some(220.0)],
                vec![Some(100.0), Some(150.0), None],
                vec![Some(0.0), None, None],
            ],
        )
        .unwrap()
    }

    #[test]
    fn ratios_and_zeros() {
        let t = t();
        let r = t.link_ratios();
        assert_eq!(ratio(&r, 0, 0), Some(2.0));
        assert_eq!(ratio(&r, 1, 1), None);
        assert_eq!(ratio(&r, 2, 0), None); // from a zero: not observed
        assert_eq!(ratio(&r, 7, 0), None);
        assert_eq!(period_labels(&t), vec!["12-24", "24-36"]);
        let z = z_scores(&r);
        assert!(z[0][0].unwrap() > 0.0 && z[1][0].unwrap() < 0.0);
        assert_eq!(z[0][1], None); // a column of one ratio has no spread
    }

    #[test]
    fn exclusions_name_the_judgement() {
        let t = t();
        let r = t.link_ratios();
        let mut s = Settings::default();
        s.drops.push(CellDrop { origin: "2001".into(), age: 12 });
        s.drop_valuations.push("2001".into());
        assert_eq!(exclusion(&t, &r, &s, None, 1, 0), Some(Exclusion::Cell));
        assert_eq!(exclusion(&t, &r, &s, None, 0, 1), Some(Exclusion::Valuation));
        assert_eq!(exclusion(&t, &r, &s, None, 0, 0), None);
        assert_eq!(valuations(&t, &r), vec!["2000", "2001"]);
    }

    #[test]
    fn judgements_indexed_once_agree_with_the_lists() {
        let t = t();
        let r = t.link_ratios();
        let mut s = Settings::default();
        // Entries for origins, ages and diagonals the triangle lacks are
        // ignored, as many as a session may hold.
        for k in 0..5_000 {
            s.drops.push(CellDrop { origin: format!("x{k}"), age: 12 });
            s.drop_origins.push(format!("y{k}"));
            s.drop_valuations.push(format!("v{k}"));
        }
        s.drops.push(CellDrop { origin: "2001".into(), age: 12 });
        s.drops.push(CellDrop { origin: "2000".into(), age: 99 });
        s.drop_origins.push("2002".into());
        s.drop_valuations.push("2001".into());
        let judged = Judgements::new(&t, &s);
        let rule = vec![vec![true, false], vec![true, true], vec![true, true]];
        let mut seen = Vec::new();
        for i in 0..3 {
            for j in 0..2 {
                seen.push(judged.exclusion(&t, &r, Some(&rule), i, j));
                assert_eq!(judged.exclusion(&t, &r, Some(&rule), i, j), exclusion(&t, &r, &s, Some(&rule), i, j));
            }
        }
        use Exclusion::*;
        // (2000, 12-24) untouched; (2000, 24-36) starts on 2001: the
        // diagonal; (2001, 12-24) by hand; 2002 as an origin.
        assert_eq!(seen, vec![None, Some(Valuation), Some(Cell), None, Some(Origin), Some(Origin)]);
        assert!(judged.origin_dropped(2) && !judged.origin_dropped(0) && !judged.origin_dropped(9));
    }
}
