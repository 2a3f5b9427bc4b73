//! The long layout, as users export it from a claims system or a database:
//! one row per origin and development (or per claim: duplicates are summed),
//! one column per measure. It follows chainladder-python's
//! `Triangle(data, origin=, development=, columns=, index=, cumulative=)`:
//! origins and valuations are read as dates, their grains inferred from the
//! spacing of the dates, origins placed at the start of their period and
//! valuations at the end of theirs, and the age of a cell is the months
//! between the two.
//!
//! A development grain coarser than the data's (yearly development of
//! quarterly valuations) is taken as chainladder-python's `Triangle.grain`
//! takes it: each development period ends on the latest valuation or a
//! whole number of periods before it, so that every cell of the triangle is
//! valued at the same point of its period. Valued at 2006Q1, yearly
//! development of annual origins has ages 3, 15, 27, … months; calendar
//! years would value the latest diagonal at a quarter of a year and every
//! other one at a whole year, and project that quarter with whole years'
//! factors.
//!
//! The work is done in two passes because a token's meaning depends on its
//! whole column (whether `1/2/1995` is day-first, which grain `1995-04`
//! belongs to): the first pass interns each distinct origin and development
//! token with the line it first appears on, the second parses each distinct
//! token once and places every row.

use super::number::{parse_cell, Cell};
use super::period::{self, Period};
use super::table::Table;
use super::{input_error, Dataset, DevelopmentKind, LongOptions, MAX_SIDE};
use crate::{EngineError, Grain, Triangle};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiply-rotate hash (as in rustc's FxHash) for the reader's maps: the
/// keys are short tokens of the user's own file, so the standard hasher's
/// protection against chosen keys buys nothing here, and its cost was a
/// tenth of reading a large file.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn write_i32(&mut self, i: i32) {
        self.add(i as u32 as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Distinct strings in order of first appearance, each with its first line.
#[derive(Default)]
struct Interner<K> {
    ids: FxMap<K, u32>,
    items: Vec<(K, usize)>,
    /// The id returned last: files are usually sorted, so a row's company
    /// or year is most often the previous row's, and comparing with it is
    /// cheaper than hashing.
    last: Option<u32>,
}

impl<K: std::hash::Hash + Eq + Clone> Interner<K> {
    /// The id of a key, looked up by a borrowed form so that a key seen
    /// before (nearly every row's) costs no allocation.
    fn id<Q>(&mut self, key: &Q, line: usize) -> u32
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(id) = self.last {
            if self.items.get(id as usize).is_some_and(|(k, _)| <K as std::borrow::Borrow<Q>>::borrow(k) == key) {
                return id;
            }
        }
        if let Some(&id) = self.ids.get(key) {
            self.last = Some(id);
            return id;
        }
        let id = self.items.len() as u32;
        let owned = key.to_owned();
        self.ids.insert(owned.clone(), id);
        self.items.push((owned, line));
        self.last = Some(id);
        id
    }
}

/// One data row, reduced to ids: which dataset, origin and development token.
struct Rec {
    /// 32 bits suffice: the file is smaller than 4 GiB (see `Table`), and a
    /// smaller record is less memory to fill for a file of many rows.
    line: u32,
    group: u32,
    origin: u32,
    dev: u32,
}

#[derive(Clone, Copy, PartialEq)]
enum ColKind {
    Unknown,
    Numeric,
    Text,
}

pub fn read_long(text: &str, opts: &LongOptions) -> Result<Vec<Dataset>, EngineError> {
    read_long_reporting(text, opts, &mut || {})
}

/// [`read_long`], calling `building` once the rows are read and the import
/// is within its budget, as the triangles start to be made: for a caller
/// that shows how far a large file is.
pub(crate) fn read_long_reporting(
    text: &str,
    opts: &LongOptions,
    building: &mut dyn FnMut(),
) -> Result<Vec<Dataset>, EngineError> {
    let table = Table::parse(text)?;
    if table.n_rows() == 0 {
        return Err(input_error(None, None, "the file has a header but no rows of data".into()));
    }
    let oc = table.column(&opts.origin_col)?;
    let dc = table.column(&opts.development_col)?;
    if oc == dc {
        return Err(input_error(
            Some(1),
            Some(&opts.development_col),
            "origin and development must be different columns".into(),
        ));
    }
    let mut group_cols = Vec::with_capacity(opts.group_cols.len());
    for g in &opts.group_cols {
        let c = table.column(g)?;
        if c == oc || c == dc {
            return Err(input_error(Some(1), Some(g), "a group column cannot be the origin or development".into()));
        }
        group_cols.push(c);
    }
    let mut filters = Vec::with_capacity(opts.filters.len());
    for (name, value) in &opts.filters {
        filters.push((table.column(name)?, value.trim()));
    }
    let keys = |c: usize| c == oc || c == dc || group_cols.contains(&c);
    let explicit = !opts.value_cols.is_empty();
    let candidates: Vec<usize> = if explicit {
        let mut cols = Vec::new();
        for v in &opts.value_cols {
            let c = table.column(v)?;
            if keys(c) {
                return Err(input_error(
                    Some(1),
                    Some(v),
                    "a value column cannot be the origin, development or a group".into(),
                ));
            }
            if !cols.contains(&c) {
                cols.push(c);
            }
        }
        cols
    } else {
        (0..table.headers.len()).filter(|&c| !keys(c)).collect()
    };
    let width = candidates.len();
    let mut kinds = vec![if explicit { ColKind::Numeric } else { ColKind::Unknown }; width];

    // First pass: intern the keys, read every value.
    let mut origins: Interner<String> = Interner::default();
    let mut devs: Interner<String> = Interner::default();
    // A group is the combination of its columns' values, each interned on
    // its own so that the combination is a short list of numbers.
    let mut group_values: Vec<Interner<String>> = group_cols.iter().map(|_| Interner::default()).collect();
    let mut groups: Interner<Vec<u32>> = Interner::default();
    let mut group_key: Vec<u32> = Vec::with_capacity(group_cols.len());
    let mut recs = Vec::with_capacity(table.n_rows());
    let mut values: Vec<f64> = Vec::with_capacity(table.n_rows() * width);
    let n_cols = [oc, dc]
        .iter()
        .chain(&group_cols)
        .chain(&candidates)
        .chain(filters.iter().map(|(c, _)| c))
        .max()
        .map_or(0, |&c| c + 1);
    let mut fields: Vec<&str> = Vec::with_capacity(n_cols);
    for row in table.rows() {
        row.fields_into(&mut fields, n_cols);
        let field = |c: usize| fields.get(c).copied().unwrap_or("");
        if filters.iter().any(|&(c, v)| field(c).trim() != v) {
            continue;
        }
        let key = |c: usize, name: &str| -> Result<&str, EngineError> {
            let v = field(c).trim();
            if v.is_empty() {
                Err(input_error(Some(row.line), Some(name), format!("the {name} is empty")))
            } else {
                Ok(v)
            }
        };
        let origin = origins.id(key(oc, &table.headers[oc])?, row.line);
        let dev = devs.id(key(dc, &table.headers[dc])?, row.line);
        group_key.clear();
        for (interner, &c) in group_values.iter_mut().zip(&group_cols) {
            group_key.push(interner.id(field(c).trim(), row.line));
        }
        let group = groups.id(group_key.as_slice(), row.line);
        recs.push(Rec { line: row.line as u32, group, origin, dev });
        for (k, &c) in candidates.iter().enumerate() {
            let raw = field(c);
            let x = match (parse_cell(raw), kinds[k]) {
                (Cell::Missing, _) | (Cell::Number(_), ColKind::Text) | (Cell::Text, ColKind::Text) => f64::NAN,
                (Cell::Number(x), _) => {
                    kinds[k] = ColKind::Numeric;
                    x
                }
                (Cell::Text, ColKind::Unknown) => {
                    // A column that starts with text is a label, not a measure.
                    kinds[k] = ColKind::Text;
                    f64::NAN
                }
                (Cell::Text, ColKind::Numeric) => {
                    return Err(input_error(
                        Some(row.line),
                        Some(&table.headers[c]),
                        format!("`{}` is not a number", raw.trim()),
                    ))
                }
            };
            values.push(x);
        }
    }
    if recs.is_empty() {
        let wanted: Vec<String> = opts.filters.iter().map(|(c, v)| format!("{c} = {v}")).collect();
        return Err(input_error(
            None,
            opts.filters.first().map(|(c, _)| c.as_str()),
            format!("no row has {}", wanted.join(" and ")),
        ));
    }
    let measures: Vec<usize> = (0..width).filter(|&k| kinds[k] == ColKind::Numeric).collect();
    if measures.is_empty() {
        return Err(input_error(
            None,
            None,
            format!(
                "no column of numbers besides the origin, development and group columns; the columns are {}",
                table.list_headers()
            ),
        ));
    }

    // Second pass: parse each distinct token once.
    let origin_col = &table.headers[oc];
    let dev_col = &table.headers[dc];
    let origin_periods = parse_periods(&origins, origin_col, "an origin")?;
    let data_origin_grain = period::infer_grain(&origin_periods);
    let dev_kind = match opts.development {
        DevelopmentKind::Auto => {
            let all_ages = devs.items.iter().all(|(t, _)| period::parse_age(t).is_some_and(|a| a < 1000));
            if all_ages {
                DevelopmentKind::Age
            } else {
                DevelopmentKind::Valuation
            }
        }
        k => k,
    };
    let dev = match dev_kind {
        DevelopmentKind::Age => Dev::Ages(parse_ages(&devs, dev_col)?),
        _ => Dev::Valuations(parse_periods(&devs, dev_col, "a valuation")?),
    };
    let data_dev_grain = match &dev {
        Dev::Ages(ages) => period::grain_of_ages(ages.iter().copied()),
        Dev::Valuations(periods) => {
            let first = periods.first().copied();
            match first {
                Some(p) if periods.iter().all(|q| q.month == p.month) => {
                    period::single_valuation_grain(p, data_origin_grain)
                }
                _ => period::infer_grain(periods),
            }
        }
    };
    let (origin_grain, dev_grain) = grains(opts, data_origin_grain, data_dev_grain, dev_col)?;
    // The tokens' own grains: a valuation `1995-01` stands for the quarter
    // (or year) that the data's spacing says, or the month when a monthly
    // grain is asked for; a coarser grain asked for is applied afterwards.
    // Holes in the data must not make a grain asked for coarser.
    let token_dev_grain =
        period::finer(period::finer(data_dev_grain, data_origin_grain), opts.grain.unwrap_or(Grain::Yearly));
    let token_origin_grain = period::finer(data_origin_grain, opts.origin_grain.unwrap_or(Grain::Yearly));

    // Place every row: (dataset, origin start, exact valuation) → summed values.
    let og = origin_grain.months() as i32;
    let dg = dev_grain.months() as i32;
    let starts = |rec: &Rec| -> (i32, i32, i32) {
        let o = origin_periods[rec.origin as usize];
        let own_start = period::period_start(o.month, token_origin_grain);
        let exact = match &dev {
            Dev::Ages(ages) => own_start + ages[rec.dev as usize] as i32 - 1,
            Dev::Valuations(periods) => {
                let v = periods[rec.dev as usize];
                period::period_start(v.month, token_dev_grain) + token_dev_grain.months() as i32 - 1
            }
        };
        (own_start, period::period_start(o.month, origin_grain), exact)
    };
    // The rows are taken one dataset at a time, each in the order of the
    // file: a map of one dataset's cells stays small and in cache, where
    // one map of every cell of a large file did not. Counting the rows of
    // each dataset first lays out that order in one array.
    let n_groups = groups.items.len();
    // Each dataset's latest valuation, which its development periods end on.
    let mut latest = vec![i32::MIN; n_groups];
    for rec in &recs {
        let g = &mut latest[rec.group as usize];
        *g = (*g).max(starts(rec).2);
    }
    let mut offsets = vec![0usize; n_groups + 1];
    let mut bounds: Vec<Bounds> = latest.iter().map(|&v| Bounds::new(v)).collect();
    for rec in &recs {
        let (own_start, start, exact) = starts(rec);
        if exact < own_start {
            return Err(input_error(
                Some(rec.line as usize),
                Some(dev_col),
                format!(
                    "development `{}` is before origin `{}`",
                    devs.items[rec.dev as usize].0, origins.items[rec.origin as usize].0
                ),
            ));
        }
        offsets[rec.group as usize + 1] += 1;
        bounds[rec.group as usize].add(start, exact, dg);
    }
    let group_names: Vec<String> = group_cols.iter().map(|&c| table.headers[c].clone()).collect();
    let group_of = |g: usize| -> Vec<(String, String)> {
        group_names
            .iter()
            .zip(groups.items[g].0.iter().zip(&group_values))
            .map(|(name, (&id, interner))| (name.clone(), interner.items[id as usize].0.clone()))
            .collect()
    };
    // Every triangle's shape is known from the rows' bounds, so the whole
    // import is measured against the budget before a cell is allocated.
    let mut shapes = Vec::with_capacity(n_groups);
    for (g, b) in bounds.iter().enumerate() {
        shapes.push(Shape::of(b, og, dg, || group_of(g))?);
    }
    let sides: Vec<(usize, usize)> = shapes.iter().map(|s| (s.n_origins, s.n_ages)).collect();
    super::check_cells(measures.len(), &sides)?;
    building();
    for g in 0..n_groups {
        offsets[g + 1] += offsets[g];
    }
    let mut order = vec![0u32; recs.len()];
    let mut next = offsets.clone();
    for (r, rec) in recs.iter().enumerate() {
        order[next[rec.group as usize]] = r as u32;
        next[rec.group as usize] += 1;
    }
    let mut cells: FxMap<(i32, i32), usize> = FxMap::default();
    let mut sums: Vec<f64> = Vec::with_capacity(recs.len() * measures.len());
    let mut placed: Vec<Vec<(i32, i32, usize)>> = Vec::with_capacity(n_groups);
    let n_measures = measures.len();
    for g in 0..n_groups {
        cells.clear();
        let mut entries = Vec::new();
        for &r in &order[offsets[g]..offsets[g + 1]] {
            let r = r as usize;
            let (_, start, exact) = starts(&recs[r]);
            let slot = *cells.entry((start, exact)).or_insert_with(|| {
                sums.extend(std::iter::repeat_n(f64::NAN, n_measures));
                entries.push((start, exact, sums.len() / n_measures - 1));
                sums.len() / n_measures - 1
            });
            for (k, &m) in measures.iter().enumerate() {
                let x = values[r * width + m];
                if !x.is_nan() {
                    let s = &mut sums[slot * n_measures + k];
                    *s = if s.is_nan() { x } else { *s + x };
                }
            }
        }
        placed.push(entries);
    }

    let names: Vec<String> = measures.iter().map(|&m| table.headers[candidates[m]].clone()).collect();
    let mut datasets = Vec::with_capacity(groups.items.len());
    for (g, shape) in shapes.iter().enumerate() {
        let group = group_of(g);
        let entries = &placed[g];
        let mut triangles = Vec::with_capacity(n_measures);
        for (k, name) in names.iter().enumerate() {
            let rows = shape.rows(entries, &sums, n_measures, k, opts.incremental);
            let labels = shape.origin_labels(origin_grain);
            let ages = shape.ages();
            let t = if opts.incremental {
                Triangle::from_incremental(labels, ages, origin_grain, dev_grain, rows)?
            } else {
                Triangle::new(labels, ages, origin_grain, dev_grain, rows)?
            };
            triangles.push((name.clone(), t));
        }
        datasets.push(Dataset { group, measures: triangles });
    }
    Ok(datasets)
}

enum Dev {
    Ages(Vec<i64>),
    Valuations(Vec<Period>),
}

/// The grains to build with: the options' where given, else the data's.
/// Development is never coarser than origin (chainladder-python's rule);
/// asking only for a coarser development grain coarsens origins with it.
fn grains(opts: &LongOptions, data_og: Grain, data_dg: Grain, dev_col: &str) -> Result<(Grain, Grain), EngineError> {
    let (og, dg) = match (opts.origin_grain, opts.grain) {
        (Some(og), Some(dg)) => (og, dg),
        (Some(og), None) => (og, period::finer(data_dg, og)),
        (None, Some(dg)) => (if data_og.months() < dg.months() { dg } else { data_og }, dg),
        (None, None) => (data_og, period::finer(data_dg, data_og)),
    };
    if dg.months() > og.months() {
        return Err(input_error(
            None,
            Some(dev_col),
            format!("a {dg:?} development grain is coarser than the {og:?} origin grain"),
        ));
    }
    Ok((og, dg))
}

fn parse_periods(tokens: &Interner<String>, column: &str, what: &str) -> Result<Vec<Period>, EngineError> {
    let day_first = period::column_is_day_first(tokens.items.iter().map(|(t, _)| t.as_str()));
    tokens
        .items
        .iter()
        .map(|(t, line)| {
            period::parse_period(t, day_first).ok_or_else(|| {
                let hint = if period::parse_age(t).is_some() {
                    " (the column mixes dates with whole numbers; ages must all be whole numbers of months)"
                } else {
                    " (expected e.g. 1995, 1995Q1, 1995-01, 1995-01-31 or 1/31/1995)"
                };
                input_error(Some(*line), Some(column), format!("`{t}` is not {what} date or period{hint}"))
            })
        })
        .collect()
}

fn parse_ages(tokens: &Interner<String>, column: &str) -> Result<Vec<i64>, EngineError> {
    tokens
        .items
        .iter()
        .map(|(t, line)| match period::parse_age(t) {
            Some(a) if (1..=MAX_SIDE as i64 * 12).contains(&a) => Ok(a),
            Some(a) => Err(input_error(
                Some(*line),
                Some(column),
                format!("age {a} is out of range: ages are months from 1 to {}", MAX_SIDE * 12),
            )),
            None => Err(input_error(Some(*line), Some(column), format!("`{t}` is not an age in whole months"))),
        })
        .collect()
}

/// The axes of one dataset: every origin period from the first to the
/// last, every age from one development period to the oldest, as
/// chainladder-python fills its axes.
struct Shape {
    first_origin: i32,
    n_origins: usize,
    n_ages: usize,
    og: i32,
    dg: i32,
    /// The latest valuation (last month) of the dataset.
    valuation: i32,
    /// The first age, in months: the development periods end on the latest
    /// valuation, so an origin's first period may be shorter than the
    /// grain (3 months for annual origins valued at the end of a first
    /// quarter).
    first_age: i32,
}

/// The extent of one dataset's rows, gathered as they are counted: the
/// first and last origin period, the oldest age and the latest valuation.
#[derive(Clone, Copy)]
struct Bounds {
    first_origin: i32,
    last_origin: i32,
    max_age: i32,
    valuation: i32,
}

/// The last month of the development period holding a valuation at month
/// `exact`, the periods being `dg` months long and ending on `valuation`.
fn period_end(exact: i32, valuation: i32, dg: i32) -> i32 {
    exact + (valuation - exact).rem_euclid(dg)
}

impl Bounds {
    /// The bounds of a dataset whose latest valuation is `valuation`.
    fn new(valuation: i32) -> Bounds {
        Bounds { first_origin: i32::MAX, last_origin: i32::MIN, max_age: i32::MIN, valuation }
    }

    /// A row of origin period `start` valued at month `exact`.
    fn add(&mut self, start: i32, exact: i32, dg: i32) {
        let end = period_end(exact, self.valuation, dg);
        self.first_origin = self.first_origin.min(start);
        self.last_origin = self.last_origin.max(start);
        self.max_age = self.max_age.max(end - start + 1);
    }
}

impl Shape {
    fn of(b: &Bounds, og: i32, dg: i32, group: impl FnOnce() -> Vec<(String, String)>) -> Result<Shape, EngineError> {
        let (first_origin, last_origin) =
            if b.first_origin <= b.last_origin { (b.first_origin, b.last_origin) } else { (0, 0) };
        let max_age = if b.max_age == i32::MIN { dg } else { b.max_age };
        let valuation = if b.valuation == i32::MIN { 0 } else { b.valuation };
        // Origin periods start a whole number of development periods apart
        // (development is never coarser than origin), so every origin's
        // first age is the same.
        let first_age = if b.valuation == i32::MIN {
            dg
        } else {
            (i64::from(valuation) - i64::from(first_origin)).rem_euclid(i64::from(dg)) as i32 + 1
        };
        let n_origins = ((i64::from(last_origin) - i64::from(first_origin)) / i64::from(og) + 1) as u64;
        let n_ages = ((i64::from(max_age) - i64::from(first_age)) / i64::from(dg) + 1).max(1) as u64;
        if n_origins > MAX_SIDE as u64 || n_ages > MAX_SIDE as u64 {
            let group = group();
            let which = if group.is_empty() { String::new() } else { format!(" for {}", super::group_label(&group)) };
            return Err(input_error(
                None,
                None,
                format!(
                    "the triangle{which} would have {n_origins} origins × {n_ages} development ages; at most 1,000 × 1,000 are allowed (is a date mistyped?)"
                ),
            ));
        }
        Ok(Shape { first_origin, n_origins: n_origins as usize, n_ages: n_ages as usize, og, dg, valuation, first_age })
    }

    fn origin_labels(&self, grain: Grain) -> Vec<String> {
        (0..self.n_origins).map(|i| grain.label(self.first_origin + i as i32 * self.og)).collect()
    }

    fn ages(&self) -> Vec<u32> {
        (0..self.n_ages).map(|j| (self.first_age + j as i32 * self.dg) as u32).collect()
    }

    /// One measure's rows. Cumulative: each cell is the value at the latest
    /// valuation that falls in it, or missing. Incremental: each cell is the
    /// sum of what falls in it, and every cell up to the dataset's valuation
    /// is observed (a period without rows paid nothing), as
    /// chainladder-python's `incr_to_cum` does.
    fn rows(
        &self,
        entries: &[(i32, i32, usize)],
        sums: &[f64],
        stride: usize,
        k: usize,
        incremental: bool,
    ) -> Vec<Vec<Option<f64>>> {
        let (n, m) = (self.n_origins, self.n_ages);
        let mut cells: Vec<Option<f64>> = vec![None; n * m];
        let mut latest: Vec<i32> = vec![i32::MIN; n * m];
        if incremental {
            for i in 0..n {
                for j in 0..m {
                    let valuation = self.first_origin + i as i32 * self.og + self.first_age + j as i32 * self.dg - 1;
                    if valuation <= self.valuation {
                        cells[i * m + j] = Some(0.0);
                    }
                }
            }
        }
        for &(origin, exact, slot) in entries {
            let x = sums.get(slot * stride + k).copied().unwrap_or(f64::NAN);
            if x.is_nan() {
                continue;
            }
            let i = ((origin - self.first_origin) / self.og) as usize;
            let end = period_end(exact, self.valuation, self.dg);
            let Ok(j) = usize::try_from((end - origin + 1 - self.first_age) / self.dg) else {
                continue;
            };
            let Some(cell) = cells.get_mut(i * m + j) else {
                continue;
            };
            if incremental {
                *cell = Some(cell.unwrap_or(0.0) + x);
            } else if exact > latest[i * m + j] {
                latest[i * m + j] = exact;
                *cell = Some(x);
            }
        }
        cells.chunks(m.max(1)).map(|c| c.to_vec()).collect()
    }
}
