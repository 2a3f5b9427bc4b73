//! Bringing a user's file in: [`inspect`] looks at a CSV (or text pasted
//! from a spreadsheet) and proposes how to read it, a [`Mapping`] the user
//! can change; [`read_mapped`] then reads the file with the mapping the
//! user confirmed into the triangles of one segment.
//!
//! The guesses are the ones an actuary would make looking at the header:
//! a column called `AccidentYear` or `origin` holds origins, `DevelopmentYear`
//! or `PaymentDate` valuations, `Paid` or `CumPaidLoss` amounts, `EarnedPremNet`
//! premium, and text columns such as company or line of business pick one
//! triangle out of many. Rows that repeat an origin and valuation are
//! claims (summed, and usually payments, so incremental). Each guess is
//! only a default: every one of them is a field the user can change.

use super::number::{parse_cell, Cell};
use super::period;
use super::table::Table;
use super::{align_premium, check_triangle, input_error, read_long, read_wide, LongOptions, WideOptions};
use crate::{EngineError, Grain, Triangle};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How many data rows the preview shows.
pub const PREVIEW_ROWS: usize = 8;

/// How many distinct values of a column are kept for the user to filter
/// by; a column with more is no filter (it identifies claims, not lines).
pub const MAX_FILTER_VALUES: usize = 2_000;

/// How the file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    /// One row per origin and development (or per claim and payment).
    Long,
    /// A triangle as in a spreadsheet: origins down, ages across.
    Wide,
}

/// A choice on one column of the file: keep only the rows with this value,
/// or, with `value: None`, sum over all of its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub column: String,
    pub value: Option<String>,
}

/// How to read a file into a segment's triangles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub layout: Layout,
    /// Long layout: the columns of origins and of development (valuations
    /// or ages in months).
    pub origin_col: String,
    pub development_col: String,
    /// Long layout: the measures, each a triangle (wide: the name of its
    /// one measure, by default `values`).
    pub value_cols: Vec<String>,
    /// Long layout: a column of premium; an origin's premium is its value
    /// at the latest development.
    pub premium_col: Option<String>,
    pub filters: Vec<Filter>,
    /// The values are amounts of the period (payments), not running totals.
    pub incremental: bool,
    /// `None` infers the grain from the data.
    pub origin_grain: Option<Grain>,
    pub development_grain: Option<Grain>,
    /// Wide layout: the header counts development periods (1, 2, 3, …)
    /// rather than months (12, 24, 36, …).
    pub header_periods: bool,
}

impl Mapping {
    /// How the sample segments' claims file (`static/data/quarterly.csv` of
    /// the app) is read: `development,origin,incurred,paid`, at development
    /// `grain` (the file's own, quarterly, when `None`). The page, its
    /// worker and the team server read the samples alike.
    pub fn sample(grain: Option<Grain>) -> Mapping {
        Mapping {
            layout: Layout::Long,
            origin_col: "origin".into(),
            development_col: "development".into(),
            value_cols: vec!["incurred".into(), "paid".into()],
            premium_col: None,
            filters: Vec::new(),
            incremental: false,
            origin_grain: None,
            development_grain: grain,
            header_periods: false,
        }
    }
}

/// What kind of values a column holds, judged from its first values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnKind {
    Number,
    /// Dates or periods (`1995`, `1995Q1`, `2008-01-22`).
    Period,
    Text,
    Empty,
}

/// One column of the file, as the preview describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
    /// Distinct values, counted up to [`MAX_FILTER_VALUES`] + 1.
    pub distinct: usize,
    /// The distinct values in order of first appearance, when there are at
    /// most [`MAX_FILTER_VALUES`] of them and the column is text; what a
    /// filter offers.
    pub values: Vec<String>,
}

/// What [`inspect`] finds in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub columns: Vec<Column>,
    /// The first data rows as written, for the user to see.
    pub rows: Vec<Vec<String>>,
    pub n_rows: usize,
    /// Rows repeat an origin and development within the proposed filters:
    /// claims or transactions, summed on reading.
    pub claim_level: bool,
    /// The proposed reading.
    pub mapping: Mapping,
}

/// A file read with a mapping: the segment's triangles, premium per origin
/// when the file has it, and how many rows went in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    pub measures: Vec<(String, Triangle)>,
    pub premium: Option<Vec<f64>>,
    pub rows_read: usize,
    /// What the user should know: measures that cannot be reserved.
    pub warnings: Vec<String>,
}

/// Looks at a file and proposes how to read it.
pub fn inspect(text: &str) -> Result<Preview, EngineError> {
    let table = Table::parse(text)?;
    if table.headers.iter().all(|h| h.is_empty()) {
        return Err(input_error(Some(1), None, "the first line (the header) is empty".into()));
    }
    if table.n_rows() == 0 {
        return Err(input_error(None, None, "the file has a header but no rows of data".into()));
    }
    let columns = describe_columns(&table);
    let rows = table
        .rows()
        .take(PREVIEW_ROWS)
        .map(|r| (0..table.headers.len()).map(|c| r.get(c).trim().to_string()).collect())
        .collect();
    let (mapping, claim_level) =
        if looks_wide(&table) { (wide_mapping(), false) } else { long_mapping(&table, &columns)? };
    Ok(Preview { columns, rows, n_rows: table.n_rows(), claim_level, mapping })
}

/// Reads a file with a mapping. Every measure is checked the way the
/// worker will use it (its first development age has a value that is not
/// zero), so a mapping that cannot be reserved is refused here, naming the
/// column, rather than after the segment is stored.
pub fn read_mapped(text: &str, mapping: &Mapping) -> Result<Imported, EngineError> {
    read_mapped_reporting(text, mapping, &mut || {})
}

/// [`read_mapped`], calling `building` when the rows are read and the
/// triangles are being made (a long file; a wide one is a single triangle
/// read at once).
pub fn read_mapped_reporting(
    text: &str,
    mapping: &Mapping,
    building: &mut dyn FnMut(),
) -> Result<Imported, EngineError> {
    let table = Table::parse(text)?;
    let rows_read = table.n_rows();
    drop(table);
    match mapping.layout {
        Layout::Wide => {
            let opts = WideOptions {
                incremental: mapping.incremental,
                origin_grain: mapping.origin_grain,
                grain: mapping.development_grain,
                header_periods: mapping.header_periods,
            };
            let t = read_wide(text, &opts)?;
            let name = mapping.value_cols.first().cloned().unwrap_or_else(|| "values".into());
            Ok(Imported { measures: vec![(name, t)], premium: None, rows_read, warnings: Vec::new() })
        }
        Layout::Long => read_long_mapped(text, mapping, rows_read, building),
    }
}

fn read_long_mapped(
    text: &str,
    mapping: &Mapping,
    rows_read: usize,
    building: &mut dyn FnMut(),
) -> Result<Imported, EngineError> {
    if mapping.value_cols.is_empty() {
        return Err(input_error(
            None,
            None,
            "no column of amounts is chosen: mark at least one column as an amount to reserve".into(),
        ));
    }
    if let Some(p) = &mapping.premium_col {
        if mapping.value_cols.iter().any(|v| v.eq_ignore_ascii_case(p)) {
            return Err(input_error(Some(1), Some(p), "a column cannot be both an amount and the premium".into()));
        }
    }
    let filters: Vec<(String, String)> =
        mapping.filters.iter().filter_map(|f| f.value.clone().map(|v| (f.column.clone(), v))).collect();
    let opts = LongOptions {
        origin_col: mapping.origin_col.clone(),
        development_col: mapping.development_col.clone(),
        value_cols: mapping.value_cols.clone(),
        group_cols: Vec::new(),
        filters,
        incremental: mapping.incremental,
        grain: mapping.development_grain,
        origin_grain: mapping.origin_grain,
        development: Default::default(),
    };
    let mut datasets = super::long::read_long_reporting(text, &opts, building)?;
    let read = match datasets.pop() {
        Some(d) => d.measures,
        None => return Err(input_error(None, None, "no rows to read".into())),
    };
    // A measure that cannot be developed (its first age is all zeros, as
    // in an industry file's smallest companies) is kept, last, with a
    // warning; only a file with no usable measure at all is refused.
    let mut measures = Vec::with_capacity(read.len());
    let mut unusable = Vec::new();
    let mut warnings = Vec::new();
    let mut first_error = None;
    for (name, t) in read {
        match check_triangle(&name, &t) {
            Ok(()) => measures.push((name, t)),
            Err(e) => {
                warnings.push(format!("{e}; it is kept, but cannot be reserved"));
                first_error.get_or_insert(e);
                unusable.push((name, t));
            }
        }
    }
    if measures.is_empty() {
        return Err(first_error.unwrap_or_else(|| input_error(None, None, "no rows to read".into())));
    }
    measures.extend(unusable);
    let premium = match &mapping.premium_col {
        None => None,
        Some(col) => {
            // Premium is a level, not a payment: its latest value per
            // origin, whatever the amounts are.
            let opts = LongOptions { value_cols: vec![col.clone()], incremental: false, ..opts };
            let mut p = read_long(text, &opts)?;
            let premium = p.pop().and_then(|d| d.measures.into_iter().next()).map(|(_, t)| t);
            let first = &measures[0].1;
            match premium {
                Some(t) => Some(premium_per_origin(&t, first, col)?),
                None => None,
            }
        }
    };
    Ok(Imported { measures, premium, rows_read, warnings })
}

/// The latest value of each origin of `premium`, in the order of the
/// origins of `claims`.
fn premium_per_origin(premium: &Triangle, claims: &Triangle, column: &str) -> Result<Vec<f64>, EngineError> {
    let by_origin: Vec<(String, f64)> = (0..premium.n_origins())
        .filter_map(|i| {
            let j = premium.latest_index(i)?;
            Some((premium.origins()[i].clone(), premium.get(i, j)?))
        })
        .collect();
    align_premium(&by_origin, claims).map_err(|e| match e {
        EngineError::Input { row, message, .. } => {
            EngineError::Input { row, column: Some(column.to_string()), message }
        }
        other => other,
    })
}

/// Each column's kind and distinct values.
fn describe_columns(table: &Table) -> Vec<Column> {
    let n = table.headers.len();
    let mut kinds = vec![ColumnKind::Empty; n];
    let mut seen: Vec<HashSet<&str>> = vec![HashSet::new(); n];
    let mut values: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut fields = Vec::with_capacity(n);
    for row in table.rows() {
        row.fields_into(&mut fields, n);
        for c in 0..n {
            let v = fields.get(c).copied().unwrap_or("").trim();
            if v.is_empty() {
                continue;
            }
            if kinds[c] == ColumnKind::Empty {
                kinds[c] = kind_of(v);
            } else if kinds[c] == ColumnKind::Number && parse_cell(v) == Cell::Text {
                kinds[c] = if period::parse_period(v, false).is_some() { ColumnKind::Period } else { ColumnKind::Text };
            }
            if seen[c].len() <= MAX_FILTER_VALUES && seen[c].insert(v) && seen[c].len() <= MAX_FILTER_VALUES {
                values[c].push(v.to_string());
            }
        }
    }
    (0..n)
        .map(|c| {
            let distinct = seen[c].len();
            let keep = kinds[c] == ColumnKind::Text && distinct <= MAX_FILTER_VALUES;
            Column {
                name: table.headers[c].clone(),
                kind: kinds[c],
                distinct,
                values: if keep { std::mem::take(&mut values[c]) } else { Vec::new() },
            }
        })
        .collect()
}

fn kind_of(v: &str) -> ColumnKind {
    match parse_cell(v) {
        Cell::Missing => ColumnKind::Empty,
        // A whole number of four digits may be a year; the column's name
        // and its neighbours decide, not this.
        Cell::Number(_) => ColumnKind::Number,
        Cell::Text if period::parse_period(v, false).is_some() || period::parse_period(v, true).is_some() => {
            ColumnKind::Period
        }
        Cell::Text => ColumnKind::Text,
    }
}

/// A header of ages after the first column (`origin,12,24,36`): a triangle
/// pasted from a spreadsheet.
fn looks_wide(table: &Table) -> bool {
    let rest: Vec<&String> = table.headers.iter().skip(1).filter(|h| !h.is_empty()).collect();
    rest.len() >= 2 && rest.iter().all(|h| period::parse_age(h).is_some_and(|a| a < 1000))
}

fn wide_mapping() -> Mapping {
    Mapping {
        layout: Layout::Wide,
        origin_col: String::new(),
        development_col: String::new(),
        value_cols: vec!["values".into()],
        premium_col: None,
        filters: Vec::new(),
        incremental: false,
        origin_grain: None,
        development_grain: None,
        header_periods: false,
    }
}

/// A header name reduced to lower-case letters and digits, so that
/// `Accident Year`, `accident_year` and `AccidentYear` compare equal.
fn squash(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// How strongly a name says "origins": 0 not at all.
fn origin_score(name: &str) -> u32 {
    let s = squash(name);
    const EXACT: &[&str] = &[
        "origin",
        "originyear",
        "originperiod",
        "accidentyear",
        "accidentdate",
        "ay",
        "uwy",
        "underwritingyear",
        "policyyear",
        "yearofaccount",
        "accidentperiod",
        "lossyear",
        "lossdate",
        "occurrencedate",
        "accidentmonth",
        "accidentquarter",
        "cohort",
    ];
    if EXACT.contains(&s.as_str()) {
        3
    } else if s.contains("origin") || s.contains("accident") || s.contains("underwriting") || s.contains("occurrence") {
        2
    } else {
        0
    }
}

/// How strongly a name says "development": valuations above lags, since a
/// lag counts periods where ages count months.
fn development_score(name: &str) -> u32 {
    let s = squash(name);
    const EXACT: &[&str] = &[
        "development",
        "developmentyear",
        "developmentdate",
        "developmentperiod",
        "valuation",
        "valuationdate",
        "valuationyear",
        "evaluationdate",
        "calendaryear",
        "calendarperiod",
        "paymentdate",
        "transactiondate",
        "developmentquarter",
        "developmentmonth",
        "asof",
        "asat",
    ];
    if EXACT.contains(&s.as_str()) {
        4
    } else if s.contains("valuation") || s.contains("calendar") || s.contains("payment") && s.contains("date") {
        3
    } else if s.contains("development") && !s.contains("lag") {
        2
    } else if s == "age" || s == "devmonths" || s == "agemonths" || s == "dev" {
        1
    } else {
        0
    }
}

/// Whether a name reads as claim amounts an actuary reserves.
fn is_amount(name: &str) -> bool {
    let s = squash(name);
    const WORDS: &[&str] = &["paid", "incur", "loss", "reported", "case", "outstanding", "claims", "amount", "value"];
    const NOT: &[&str] = &["limit", "deductible", "prem", "code", "date", "lag", "posted", "count", "number"];
    WORDS.iter().any(|w| s.contains(w)) && !NOT.iter().any(|w| s.contains(w))
}

fn is_premium(name: &str) -> bool {
    let s = squash(name);
    s.contains("prem") || s == "exposure" || s == "earnedexposure"
}

/// A column that identifies rows rather than measuring them.
fn is_identifier(name: &str) -> bool {
    let s = squash(name);
    s.ends_with("code") || s.ends_with("id") || s.ends_with("no") || s.ends_with("number") || s.contains("lag")
}

fn long_mapping(table: &Table, columns: &[Column]) -> Result<(Mapping, bool), EngineError> {
    let key_like = |c: &Column| matches!(c.kind, ColumnKind::Number | ColumnKind::Period);
    let best = |score: &dyn Fn(&str) -> u32, skip: Option<usize>| -> Option<usize> {
        (0..columns.len())
            .filter(|&c| Some(c) != skip)
            .map(|c| (score(&columns[c].name), c))
            // An exact name is taken even when a value in the column is
            // wrong: the reader then names that value, which tells the
            // user more than "no origin column" would.
            .filter(|&(s, c)| s >= 3 || s > 0 && key_like(&columns[c]))
            .max_by_key(|&(s, c)| (s, std::cmp::Reverse(c)))
            .map(|(_, c)| c)
    };
    let origin = best(&origin_score, None);
    let development = best(&development_score, origin);
    // Without names to go by: the first two columns of dates or periods.
    let periods: Vec<usize> =
        (0..columns.len()).filter(|&c| key_like(&columns[c]) && !is_amount(&columns[c].name)).collect();
    let origin = origin.or_else(|| periods.iter().copied().find(|&c| Some(c) != development));
    let development = development.or_else(|| periods.iter().copied().find(|&c| Some(c) != origin));
    let (Some(oc), Some(dc)) = (origin, development) else {
        return Err(input_error(
            Some(1),
            None,
            format!(
                "cannot tell which columns hold the origins and the development; the columns are {}",
                table.list_headers()
            ),
        ));
    };
    let numeric: Vec<usize> =
        (0..columns.len()).filter(|&c| c != oc && c != dc && columns[c].kind == ColumnKind::Number).collect();
    let premium = {
        let candidates: Vec<usize> = numeric.iter().copied().filter(|&c| is_premium(&columns[c].name)).collect();
        candidates.iter().copied().find(|&c| squash(&columns[c].name).contains("net")).or(candidates.first().copied())
    };
    let mut values: Vec<usize> = numeric.iter().copied().filter(|&c| is_amount(&columns[c].name)).collect();
    if values.is_empty() {
        values = numeric.iter().copied().filter(|&c| Some(c) != premium && !is_identifier(&columns[c].name)).collect();
    }
    if values.is_empty() {
        // A column named for amounts that does not read as numbers: read
        // it anyway, so that the reader names the cell that is wrong.
        values = (0..columns.len()).filter(|&c| c != oc && c != dc && is_amount(&columns[c].name)).collect();
    }
    // Text columns with a few values may each pick one triangle out of
    // many (company, line of business); they do when, inside one
    // combination of them, origin and development seldom repeat.
    let labels: Vec<usize> = (0..columns.len())
        .filter(|&c| c != oc && c != dc && columns[c].kind == ColumnKind::Text && !columns[c].values.is_empty())
        .collect();
    let repeats_without = repeat_share(table, oc, dc, &[]);
    let repeats_within = repeat_share(table, oc, dc, &labels);
    let splits = repeats_without > 0.0 && !labels.is_empty() && repeats_within < 0.05;
    let claim_level = if splits { repeats_within > 0.0 } else { repeats_without > 0.0 };
    let filters = if splits {
        labels
            .iter()
            .map(|&c| Filter { column: columns[c].name.clone(), value: columns[c].values.first().cloned() })
            .collect()
    } else {
        Vec::new()
    };
    let named_cumulative = values.iter().any(|&c| squash(&columns[c].name).contains("cum"));
    let incremental = !named_cumulative
        && (claim_level && !splits
            || values.iter().any(|&c| {
                let s = squash(&columns[c].name);
                s.contains("incr") || s.contains("payment")
            }));
    let mapping = Mapping {
        layout: Layout::Long,
        origin_col: columns[oc].name.clone(),
        development_col: columns[dc].name.clone(),
        value_cols: values.iter().map(|&c| columns[c].name.clone()).collect(),
        premium_col: premium.map(|c| columns[c].name.clone()),
        filters,
        incremental,
        origin_grain: None,
        development_grain: None,
        header_periods: false,
    };
    Ok((mapping, claim_level))
}

/// The share of rows whose origin and development (and the values of
/// `within`) repeat an earlier row's. Dates count by their month, since a
/// file of claims dated to the day repeats no date yet holds many claims
/// in each month.
fn repeat_share(table: &Table, oc: usize, dc: usize, within: &[usize]) -> f64 {
    let n = table.n_rows();
    if n == 0 {
        return 0.0;
    }
    let mut months: [HashMap<&str, i64>; 2] = [HashMap::new(), HashMap::new()];
    let mut seen: HashSet<(i64, i64, Vec<&str>)> = HashSet::with_capacity(n);
    let mut repeats = 0usize;
    for row in table.rows() {
        let o = month_of(&mut months[0], row.get(oc).trim());
        let d = month_of(&mut months[1], row.get(dc).trim());
        let labels: Vec<&str> = within.iter().map(|&c| row.get(c).trim()).collect();
        if !seen.insert((o, d, labels)) {
            repeats += 1;
        }
    }
    repeats as f64 / n as f64
}

/// A key for a period token: its month for a date or period, the number
/// for an age, else a number of its own; looked up once per token.
fn month_of<'t>(cache: &mut HashMap<&'t str, i64>, token: &'t str) -> i64 {
    if let Some(&m) = cache.get(token) {
        return m;
    }
    let m = match period::parse_age(token) {
        Some(a) => a,
        None => period::parse_period(token, false)
            .or_else(|| period::parse_period(token, true))
            .map_or(-1 - cache.len() as i64, |p| i64::from(p.month) + 1_000_000),
    };
    cache.insert(token, m);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAA: &str = include_str!("../../tests/data/raa.csv");
    const QUARTERLY: &str = include_str!("../../tests/data/quarterly.csv");

    #[test]
    fn the_samples_map_themselves() {
        let p = inspect(RAA).unwrap();
        assert_eq!(p.mapping.layout, Layout::Long);
        assert_eq!(p.mapping.origin_col, "origin");
        assert_eq!(p.mapping.development_col, "development");
        assert_eq!(p.mapping.value_cols, vec!["values".to_string()]);
        assert!(!p.mapping.incremental && !p.claim_level);
        assert_eq!(p.n_rows, 55);
        assert_eq!(p.rows.len(), PREVIEW_ROWS);
        let raa = read_mapped(RAA, &p.mapping).unwrap();
        assert_eq!(raa.measures[0].1.n_origins(), 10);
        assert_eq!(raa.measures[0].1.latest().iter().sum::<f64>(), 160_987.0);

        let p = inspect(QUARTERLY).unwrap();
        assert_eq!(p.mapping.value_cols, vec!["incurred".to_string(), "paid".to_string()]);
        let q = read_mapped(QUARTERLY, &p.mapping).unwrap();
        assert_eq!(q.measures[0].1.n_ages(), 45);
        assert_eq!(q.measures[1].0, "paid");
    }

    #[test]
    fn industry_files_filter_to_one_company_and_line() {
        let text =
            "GRCODE,GRNAME,AccidentYear,DevelopmentYear,DevelopmentLag,IncurLoss,CumPaidLoss,EarnedPremNet,LOB\n\
            1,Alpha,1988,1988,1,100,50,200,wkcomp\n\
            1,Alpha,1988,1989,2,110,80,200,wkcomp\n\
            1,Alpha,1989,1989,1,120,60,210,wkcomp\n\
            2,Beta,1988,1988,1,10,5,20,wkcomp\n\
            2,Beta,1988,1989,2,11,8,20,wkcomp\n\
            2,Beta,1989,1989,1,12,6,21,wkcomp\n\
            1,Alpha,1988,1988,1,7,3,9,comauto\n";
        let p = inspect(text).unwrap();
        let m = &p.mapping;
        assert_eq!((m.origin_col.as_str(), m.development_col.as_str()), ("AccidentYear", "DevelopmentYear"));
        assert_eq!(m.value_cols, vec!["IncurLoss".to_string(), "CumPaidLoss".to_string()]);
        assert_eq!(m.premium_col.as_deref(), Some("EarnedPremNet"));
        assert!(!m.incremental && !p.claim_level);
        assert_eq!(
            m.filters,
            vec![
                Filter { column: "GRNAME".into(), value: Some("Alpha".into()) },
                Filter { column: "LOB".into(), value: Some("wkcomp".into()) },
            ]
        );
        let alpha = read_mapped(text, m).unwrap();
        assert_eq!(alpha.measures[1].1.latest(), vec![80.0, 60.0]);
        assert_eq!(alpha.premium, Some(vec![200.0, 210.0]));
        // All companies of the line, summed.
        let mut all = m.clone();
        all.filters[0].value = None;
        let both = read_mapped(text, &all).unwrap();
        assert_eq!(both.measures[1].1.latest(), vec![88.0, 66.0]);
        assert_eq!(both.premium, Some(vec![220.0, 231.0]));
        // A value no row has is named.
        all.filters[1].value = Some("marine".into());
        let e = read_mapped(text, &all).unwrap_err().to_string();
        assert!(e.contains("LOB = marine"), "{e}");
    }

    #[test]
    fn claim_level_payments_are_incremental_and_summed() {
        let text = "ClaimNo,AccidentDate,PaymentDate,Line,Status,Limit,Paid,Incurred\n\
            1,2008-01-22,2008-02-08,Home,CLOSED,300000.0,10.0,10.0\n\
            2,2008-01-02,2008-02-28,Home,OPEN,200000.0,5.0,8.0\n\
            2,2008-01-02,2008-03-30,Home,OPEN,200000.0,1.0,1.0\n\
            3,2008-02-10,2008-02-20,Auto,OPEN,50000.0,2.0,2.0\n\
            4,2008-01-15,2008-02-08,Home,OPEN,50000.0,4.0,4.0\n";
        let p = inspect(text).unwrap();
        let m = &p.mapping;
        assert_eq!((m.origin_col.as_str(), m.development_col.as_str()), ("AccidentDate", "PaymentDate"));
        assert_eq!(m.value_cols, vec!["Paid".to_string(), "Incurred".to_string()]);
        assert!(p.claim_level && m.incremental && m.filters.is_empty());
        let t = &read_mapped(text, m).unwrap().measures[0].1;
        assert_eq!(t.origin_grain(), Grain::Monthly);
        // January 2008: 10 + 5 + 4 paid in February (age 2), 1 more in March.
        assert_eq!(t.row(0), &[Some(0.0), Some(19.0), Some(20.0)]);
    }

    #[test]
    fn wide_triangles_pasted_from_a_spreadsheet() {
        let text = "origin\t12\t24\t36\n2001\t100\t150\t160\n2002\t110\t170\t\n2003\t120\t\t\n";
        let p = inspect(text).unwrap();
        assert_eq!(p.mapping.layout, Layout::Wide);
        let t = &read_mapped(text, &p.mapping).unwrap().measures[0].1;
        assert_eq!(t.ages(), &[12, 24, 36]);
        assert_eq!(t.latest(), vec![160.0, 170.0, 120.0]);
        // A header of development periods.
        let periods = "AY,1,2\n2001,100,150\n2002,110,\n";
        let mut m = inspect(periods).unwrap().mapping;
        m.header_periods = true;
        let t = &read_mapped(periods, &m).unwrap().measures[0].1;
        assert_eq!(t.ages(), &[12, 24]);
    }

    #[test]
    fn files_that_are_not_triangles_say_why() {
        for (text, needle) in [
            ("", "empty"),
            ("a,b\n", "no rows"),
            ("name,colour\nx,red\n", "origins and the development"),
            ("origin,development,paid\n1995,1995,abc\n", "`abc` is not a number"),
            ("origin,development,paid\n1995,1995,1\n1995,19x6,2\n", "`19x6`"),
        ] {
            let e = inspect(text).and_then(|p| read_mapped(text, &p.mapping)).unwrap_err().to_string();
            assert!(e.contains(needle), "{text:?}: {e}");
        }
        // The row and the column are named.
        let e = read_mapped(
            "origin,development,paid\n1995,1995,1\n1995,1996,x\n",
            &inspect("origin,development,paid\n1995,1995,1\n").unwrap().mapping,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("row 3") && e.contains("`paid`"), "{e}");
    }
}
