//! Reading users' data into triangles: the long layout that claims systems
//! export ([`read_long`]), the wide layout pasted from a spreadsheet
//! ([`read_wide`]), and premium per origin ([`read_premium`],
//! [`align_premium`]).
//!
//! The conventions are chainladder-python's, so that a file gives the same
//! triangle here as in `cl.Triangle(data, origin=, development=, columns=,
//! cumulative=)`: an origin is the start of its period, a valuation the end
//! of its period, an age the months between (origin 1995 valued `1995-01`
//! on a quarterly grain is age 3). Every problem with the data is an
//! [`EngineError::Input`] naming the line of the file, the column and the
//! value; nothing here panics on any input, because in the browser a panic
//! kills the page.
//!
//! ```
//! use runoff_engine::input::{read_long, LongOptions};
//! let csv = "origin,development,paid\n1995,1995,100\n1995,1996,150\n1996,1996,110\n";
//! let datasets = read_long(csv, &LongOptions::default()).unwrap();
//! let paid = datasets[0].measure("paid").unwrap();
//! assert_eq!(paid.ages(), &[12, 24]);
//! assert_eq!(paid.latest(), vec![150.0, 110.0]);
//! ```

mod import;
mod long;
mod number;
mod period;
mod premium;
pub mod stored;
mod table;
mod wide;

pub use import::{
    inspect, read_mapped, read_mapped_reporting, Column, ColumnKind, Filter, Imported, Layout, Mapping, Preview,
};
pub use long::read_long;
pub use premium::{align_premium, read_premium};
pub use wide::read_wide;

use crate::{EngineError, Grain, Triangle};

/// The most origins, and the most development ages, one triangle may have
/// (so at most 1,000 × 1,000 cells): far beyond any reserving triangle, and
/// small enough that a mistyped date cannot make the browser allocate
/// gigabytes.
pub const MAX_SIDE: usize = 1_000;

/// The most cells one import may make, over all its triangles (measures ×
/// groups × origins × development ages). Every numeric column of a file
/// becomes a measure and every group a triangle, so the side limit alone
/// let a file of 300 columns ask for 300 triangles of 1,000 × 1,000, 4.8 GB.
/// A cell is 16 bytes (`Option<f64>`), so 5 million cells are 80 MB of
/// triangles (and as much again, one triangle at a time, while each is
/// built): within a browser tab's means, and far beyond real work: a
/// 120 × 120 triangle of two measures is 29,000 cells, the CAS loss reserve
/// database (six lines of a few hundred companies, 10 × 10, eight numeric
/// columns) about 600,000.
pub const MAX_CELLS: usize = 5_000_000;

// A wide file is one triangle, which the side limit already keeps within
// the budget.
const _: () = assert!(MAX_SIDE * MAX_SIDE <= MAX_CELLS);

/// What the development column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DevelopmentKind {
    /// Ages when every value is a whole number below 1000, else valuations.
    #[default]
    Auto,
    /// Valuation periods or dates (`1996`, `1996Q3`, `1996-09-30`).
    Valuation,
    /// Ages in months since the start of the origin period (`12`, `24`).
    Age,
}

/// How to read a long CSV. The defaults read `origin,development,<values>`
/// with every numeric column as a measure, cumulative, grains inferred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongOptions {
    pub origin_col: String,
    pub development_col: String,
    /// The measures to read; empty reads every column whose first value is
    /// a number (other than the origin, development and group columns).
    pub value_cols: Vec<String>,
    /// One dataset per distinct combination of these columns' values.
    pub group_cols: Vec<String>,
    /// Only the rows whose column (first) holds the value (second), e.g. one
    /// company and one line of business of an industry file; the values are
    /// compared after trimming.
    pub filters: Vec<(String, String)>,
    /// Values are increments (payments in the period), not running totals.
    pub incremental: bool,
    /// The development grain; `None` infers it from the valuations' spacing.
    pub grain: Option<Grain>,
    /// The origin grain; `None` infers it from the origins' spacing (and
    /// coarsens it to `grain` when that is coarser).
    pub origin_grain: Option<Grain>,
    pub development: DevelopmentKind,
}

impl Default for LongOptions {
    fn default() -> Self {
        LongOptions {
            origin_col: "origin".into(),
            development_col: "development".into(),
            value_cols: Vec::new(),
            group_cols: Vec::new(),
            filters: Vec::new(),
            incremental: false,
            grain: None,
            origin_grain: None,
            development: DevelopmentKind::Auto,
        }
    }
}

/// How to read a wide layout: origins down the first column, ages in
/// months across the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WideOptions {
    pub incremental: bool,
    /// `None` infers it from the origin labels.
    pub origin_grain: Option<Grain>,
    /// `None` infers it from the ages.
    pub grain: Option<Grain>,
    /// The header counts development periods (1, 2, 3, …) of the
    /// development grain (the origin grain when none is given) rather than
    /// months.
    pub header_periods: bool,
}

/// One segment's triangles: every measure with the same origins and ages.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Group column → value; empty without group columns.
    pub group: Vec<(String, String)>,
    /// Measure name (the column header) → its cumulative triangle, in the
    /// order of the columns.
    pub measures: Vec<(String, Triangle)>,
}

impl Dataset {
    /// A measure by name: exactly, else ignoring case.
    pub fn measure(&self, name: &str) -> Option<&Triangle> {
        let found = self.measures.iter().find(|(n, _)| n == name);
        found.or_else(|| self.measures.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))).map(|(_, t)| t)
    }

    /// `GRNAME=Allstate, LOB=wkcomp`, for messages.
    pub fn label(&self) -> String {
        group_label(&self.group)
    }
}

/// Checks that a triangle can be developed: its first development age has
/// at least one value that is not zero, since every chain of factors starts
/// there. `measure` names the triangle in the message.
pub fn check_triangle(measure: &str, triangle: &Triangle) -> Result<(), EngineError> {
    let first = (0..triangle.n_origins()).filter_map(|i| triangle.get(i, 0));
    if first.clone().any(|x| x != 0.0) {
        return Ok(());
    }
    let what = if first.count() == 0 { "no values" } else { "only zeros" };
    let age = triangle.ages().first().copied().unwrap_or(0);
    Err(input_error(
        None,
        Some(measure),
        format!("the first development age ({age} months) has {what}, so no development can be measured from it"),
    ))
}

/// Refuses an import whose triangles would hold more than [`MAX_CELLS`]
/// cells, before any of them is allocated: `shapes` is each group's origins
/// and development ages, every one of them holding `measures` triangles.
/// The message names the size and its factors (the largest group's shape,
/// "up to" when the groups differ) and the limit.
pub(crate) fn check_cells(measures: usize, shapes: &[(usize, usize)]) -> Result<(), EngineError> {
    let cells = shapes.iter().fold(0u128, |sum, &(o, a)| sum + o as u128 * a as u128) * measures as u128;
    if cells <= MAX_CELLS as u128 {
        return Ok(());
    }
    let origins = shapes.iter().map(|s| s.0).max().unwrap_or(0);
    let ages = shapes.iter().map(|s| s.1).max().unwrap_or(0);
    let uniform = shapes.iter().all(|&s| s == (origins, ages));
    let up_to = if uniform { "" } else { "up to " };
    let plural =
        |n: usize, one: &str, many: &str| format!("{} {}", thousands(n as u128), if n == 1 { one } else { many });
    Err(input_error(
        None,
        None,
        format!(
            "the file would make {} cells of triangles ({} × {} × {up_to}{} × {up_to}{}); at most {} cells are read from one file: choose fewer amount columns, or filter to fewer groups",
            thousands(cells),
            plural(measures, "measure", "measures"),
            plural(shapes.len(), "group", "groups"),
            plural(origins, "origin", "origins"),
            plural(ages, "development age", "development ages"),
            thousands(MAX_CELLS as u128),
        ),
    ))
}

/// `5,000,000`: the engine's messages write counts as people read them.
pub(crate) fn thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(crate) fn group_label(group: &[(String, String)]) -> String {
    group.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
}

pub(crate) fn input_error(row: Option<usize>, column: Option<&str>, message: String) -> EngineError {
    EngineError::Input { row, column: column.map(str::to_string), message }
}

#[cfg(test)]
mod tests;
