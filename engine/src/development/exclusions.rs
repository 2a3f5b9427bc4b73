//! Which link ratios count in the averages: the actuary's exclusions, in
//! chainladder-python's order (`DevelopmentBase._drop_adjustment` and
//! `_assign_n_periods_weight`): the `n_periods` window, single cells and whole
//! origins, valuation diagonals, then the highest and lowest ratio of each
//! column.
//!
//! Two details follow chainladder-python 0.10.1 on purpose:
//! - A valuation drop removes the link ratios that *start* on that diagonal
//!   (the cell the ratio is taken from has that valuation), as
//!   `_drop_valuation` masks the "from" cells; so dropping the latest
//!   diagonal removes nothing.
//! - `drop_high` / `drop_low` rank the ratios left by the `n_periods` window,
//!   not those left by the hand-made drops: a ratio dropped by hand that is
//!   also the highest is not replaced by the next highest (`_drop_n` ranks
//!   the raw link ratios). If the drops would leave no ratio in a column, that
//!   column keeps them all (`preserve = 1`).

use super::LinkRatios;
use crate::session::Settings;
use crate::triangle::parse_origin_start;
use crate::warnings::Warn;
use crate::Triangle;

/// The mask of link ratios that count, origin-major like [`LinkRatios`].
pub(crate) fn included(
    triangle: &Triangle,
    lr: &LinkRatios,
    settings: &Settings,
    n_periods: &[Option<u32>],
    warnings: &mut dyn Warn,
) -> Vec<bool> {
    let by_hand = kept_by_hand(triangle, lr, settings, warnings);
    included_given(triangle, lr, settings, n_periods, &by_hand)
}

/// The link ratios the actuary's own drops leave (single cells, whole
/// origins, valuation diagonals), before any window: what several windows
/// over one triangle share, so that the session's lists, which may hold
/// thousands of names, are matched once.
pub(crate) fn kept_by_hand(
    triangle: &Triangle,
    lr: &LinkRatios,
    settings: &Settings,
    warnings: &mut dyn Warn,
) -> Vec<bool> {
    let mut keep = vec![true; lr.n_origins * lr.n_cols];
    drop_cells(triangle, lr, settings, &mut keep, warnings);
    drop_valuations(triangle, lr, settings, &mut keep, warnings);
    keep
}

/// [`included`], with the hand-made drops already matched
/// ([`kept_by_hand`]).
pub(crate) fn included_given(
    triangle: &Triangle,
    lr: &LinkRatios,
    settings: &Settings,
    n_periods: &[Option<u32>],
    by_hand: &[bool],
) -> Vec<bool> {
    let (n_origins, n_cols) = (lr.n_origins, lr.n_cols);
    // Each column's window (columns may choose their own n_periods); the
    // window of each distinct n is found once.
    let mut starts: Vec<(Option<u32>, Option<i32>)> = Vec::new();
    let window: Vec<Option<i32>> = n_periods
        .iter()
        .map(|n| match starts.iter().find(|(k, _)| k == n) {
            Some((_, w)) => *w,
            None => {
                let w = window_start(triangle, *n);
                starts.push((*n, w));
                w
            }
        })
        .collect();
    let in_window = |i: usize, j: usize| window[j].is_none_or(|m| triangle.valuation_month(i, j) >= m);

    // Every defined ratio inside the n_periods window and not dropped by
    // hand counts, before the highest and lowest go.
    let mut keep: Vec<bool> = (0..n_origins * n_cols)
        .map(|k| {
            let (i, j) = (k / n_cols.max(1), k % n_cols.max(1));
            by_hand[k] && lr.defined(i, j) && in_window(i, j)
        })
        .collect();
    if settings.drop_high || settings.drop_low {
        drop_high_low(lr, settings, n_periods, &in_window, &mut keep);
    }
    keep
}

/// The first valuation month inside the `n_periods` window, or `None` when
/// every ratio counts. chainladder-python keeps the link ratios whose "from"
/// cell lies on the latest `n × k + 1` distinct valuations of the grid, with
/// `k` development periods per origin period (4 for quarterly development of
/// annual origins), and ignores `n_periods` of 1 less than the number of
/// origin periods of its grid or more. Its grid's origins run from the
/// first origin to the latest valuation (origins without data included),
/// so a triangle with more ages than origins has more origin periods than
/// rows.
fn window_start(triangle: &Triangle, n_periods: Option<u32>) -> Option<i32> {
    let n = n_periods? as usize;
    let latest = triangle.valuation_month_max();
    let first = (0..triangle.n_origins()).map(|i| triangle.origin_start(i)).min()?;
    let og = triangle.origin_grain().months() as i32;
    let grid_origins = usize::try_from((latest - first).div_euclid(og) + 1).unwrap_or(0);
    if n < 1 || n + 1 >= grid_origins.max(triangle.n_origins()) {
        return None;
    }
    let mut months: Vec<i32> = (0..triangle.n_origins())
        .flat_map(|i| (0..triangle.n_ages()).map(move |j| (i, j)))
        .map(|(i, j)| triangle.valuation_month(i, j))
        .filter(|&m| m <= latest)
        .collect();
    months.sort_unstable();
    months.dedup();
    let per_origin = (triangle.origin_grain().months() / triangle.development_grain().months()).max(1);
    let z = n.checked_mul(per_origin as usize)?.checked_add(1)?;
    months.len().checked_sub(z).map(|k| months[k])
}

// The session's lists may hold thousands of entries and the triangle a
// million cells: each list is matched by binary search in a sorted index
// built once, so that the work grows with the list's length plus the
// triangle's size, never with their product. (Sorted vectors rather than
// maps: they add the least code to the WebAssembly workers.)
fn drop_cells(triangle: &Triangle, lr: &LinkRatios, settings: &Settings, keep: &mut [bool], warnings: &mut dyn Warn) {
    let n_cols = lr.n_cols;
    let origins = OriginIndex::new(triangle);
    for d in &settings.drops {
        let Some(i) = origins.find(&d.origin) else {
            warnings.warn(format_args!(
                "drops: [{}, {}] names origin {}, which the triangle does not have (kept, not applied)",
                d.origin, d.age, d.origin
            ));
            continue;
        };
        let Ok(j) = triangle.ages().binary_search(&d.age) else {
            warnings.warn(format_args!(
                "drops: [{}, {}] names age {}, which the triangle does not have (kept, not applied)",
                d.origin, d.age, d.age
            ));
            continue;
        };
        if j >= n_cols || !lr.defined(i, j) {
            warnings.warn(format_args!(
                "drops: [{}, {}]: origin {} has no link ratio from age {} (kept, not applied)",
                d.origin, d.age, d.origin, d.age
            ));
            continue;
        }
        keep[i * n_cols + j] = false;
    }
    for o in &settings.drop_origins {
        match origins.find(o) {
            Some(i) => keep[i * n_cols..(i + 1) * n_cols].iter_mut().for_each(|k| *k = false),
            None => crate::reserve::warn_unknown_origin(warnings, "drop_origins", o),
        }
    }
}

fn drop_valuations(
    triangle: &Triangle,
    lr: &LinkRatios,
    settings: &Settings,
    keep: &mut [bool],
    warnings: &mut dyn Warn,
) {
    if settings.drop_valuations.is_empty() {
        return;
    }
    let grain = triangle.development_grain();
    // chainladder reads the label as a period of the development grain
    // (pandas `PeriodIndex(..., freq=grain)`); a diagonal is the period that
    // holds its valuation. (chainladder-python matches the period's last day
    // only, so on a triangle valued within its periods, yearly development
    // valued at each first quarter, it drops nothing.)
    let months: Vec<Option<i32>> =
        settings.drop_valuations.iter().map(|label| parse_origin_start(label, grain)).collect();
    let mut dropped: Vec<i32> = months.iter().flatten().copied().collect();
    dropped.sort_unstable();
    dropped.dedup();
    let mut hit = vec![false; dropped.len()];
    for i in 0..lr.n_origins {
        for j in 0..lr.n_cols {
            if let Ok(k) = dropped.binary_search(&grain.period_start(triangle.valuation_month(i, j))) {
                if lr.defined(i, j) {
                    keep[i * lr.n_cols + j] = false;
                    hit[k] = true;
                }
            }
        }
    }
    let was_hit = |m: &i32| dropped.binary_search(m).is_ok_and(|k| hit[k]);
    for (label, month) in settings.drop_valuations.iter().zip(&months) {
        match month {
            None => warnings.warn(format_args!(
                "drop_valuations: {label} is not a {} valuation (kept, not applied)",
                grain_name(grain)
            )),
            Some(m) if !was_hit(m) => warnings
                .warn(format_args!("drop_valuations: no link ratio starts on valuation {label} (kept, not applied)")),
            Some(_) => {}
        }
    }
}

/// The triangle's origins by name, sorted once for binary search.
pub(crate) struct OriginIndex<'a>(Vec<(&'a str, usize)>);

impl<'a> OriginIndex<'a> {
    pub(crate) fn new(triangle: &'a Triangle) -> Self {
        let mut v: Vec<(&str, usize)> = triangle.origins().iter().enumerate().map(|(i, o)| (o.as_str(), i)).collect();
        v.sort_unstable();
        OriginIndex(v)
    }

    /// The index of `origin` in the triangle, if it has it.
    pub(crate) fn find(&self, origin: &str) -> Option<usize> {
        self.0.binary_search_by(|(o, _)| (*o).cmp(origin)).ok().map(|k| self.0[k].1)
    }
}

fn grain_name(g: crate::Grain) -> &'static str {
    match g {
        crate::Grain::Yearly => "yearly",
        crate::Grain::Quarterly => "quarterly",
        crate::Grain::Monthly => "monthly",
    }
}

/// chainladder's `_drop_n` with `preserve = 1`: rank each column's ratios in
/// the window (ties by the "from" value, then by origin), keep ranks
/// `low ..< count − high`, and keep the whole column when that would leave
/// nothing.
pub(crate) fn drop_high_low(
    lr: &LinkRatios,
    settings: &Settings,
    n_periods: &[Option<u32>],
    in_window: &dyn Fn(usize, usize) -> bool,
    keep: &mut [bool],
) {
    let high = usize::from(settings.drop_high);
    let low = usize::from(settings.drop_low);
    let mut ranked: Vec<usize> = Vec::with_capacity(lr.n_origins);
    for j in 0..lr.n_cols {
        ranked.clear();
        ranked.extend((0..lr.n_origins).filter(|&i| lr.defined(i, j) && in_window(i, j)));
        ranked.sort_by(|&a, &b| {
            let (ra, rb) = (lr.ratio(a, j), lr.ratio(b, j));
            ra.total_cmp(&rb).then(lr.x(a, j).total_cmp(&lr.x(b, j))).then(a.cmp(&b))
        });
        let count = ranked.len();
        let count = n_periods[j].map_or(count, |n| count.min(n as usize));
        // preserve: when high and low would leave nothing, drop neither.
        let (first, end) = if count < high + low + 1 { (0, count) } else { (low, count - high) };
        for (rank, &i) in ranked.iter().enumerate() {
            if rank < first || rank >= end {
                keep[i * lr.n_cols + j] = false;
            }
        }
    }
}
