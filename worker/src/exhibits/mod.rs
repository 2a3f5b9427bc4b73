//! Figures the page shows but does not act on, written as markup by the
//! worker together with the results they draw on: the emergence chart, the
//! chain ladder exhibit for printing, the averages table, and actual versus
//! expected. The page
//! inserts the text; it carries neither the code that lays these out nor
//! the figures' own types. Each is written only when the page's view shows
//! it ([`Wanted`]).

pub mod ave;
pub mod averages;
pub mod chart;
pub mod factors;

use crate::markup::{Cells, Out};
use runoff_engine::ave::actual_vs_expected;
use runoff_engine::ave::expected::expectation;
use runoff_engine::development::outside_windows;
use runoff_engine::{Reserve, Settings, Triangle};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// Which exhibits a recalculation should write. The page asks for the
/// print exhibit only when it prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Wanted {
    pub chart: bool,
    /// The print exhibit, headed by this measure's name.
    pub print: Option<String>,
    /// Actual versus expected from this valuation (a month index).
    pub ave_from: Option<i32>,
    /// With it, actual versus expected per diagonal, by origin on this one
    /// (a month index; the latest when `None`).
    pub ave_at: Option<i32>,
    /// The averages table under the link-ratio grid, and which ratios the
    /// latest-n windows leave out.
    pub averages: bool,
}

/// The exhibits written, as markup.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rendered {
    pub chart: Option<String>,
    pub print: Option<String>,
    /// The comparison, or the alert saying why there is none; then the
    /// one per diagonal ([`ave::expectation`]).
    pub ave: Option<String>,
    /// The averages table ([`averages`]), shared by the page's copies.
    pub averages: Option<Rc<Cells>>,
    /// With the averages: the link ratios (origin-major, `i × columns + j`)
    /// that their column's latest-n window leaves out, so that the grid can
    /// tell that reason from the highest and lowest being dropped.
    pub outside: Vec<u32>,
}

/// Writes what `wanted` asks for from a triangle, its settings and its
/// results.
pub fn render(t: &Triangle, s: &Settings, r: &Reserve, wanted: &Wanted) -> Rendered {
    Rendered {
        chart: wanted.chart.then(|| chart::chart(t, r)),
        // The parts of the print exhibit and of actual versus expected are
        // each written by an `Out` of their own, and joined as markup.
        print: wanted.print.as_ref().map(|measure| {
            let mut o = Out::default();
            o.raw_markup(&factors::values(t, measure))
                .raw_markup(&factors::factors(t, r, s))
                .raw_markup(&factors::projection(t, r));
            o.done()
        }),
        ave: wanted.ave_from.map(|from| {
            let at = wanted.ave_at.unwrap_or_else(|| t.valuation_month_max());
            let mut o = Out::default();
            match actual_vs_expected(t, &r.ldf, from) {
                Ok(a) => o.raw_markup(&ave::markup(&a)),
                Err(e) => o.lit("<div class=\"alert\" role=\"alert\">").text(&e.to_string()).lit("</div>"),
            };
            o.raw_markup(&ave::expectation(&expectation(t, r, at)));
            o.done()
        }),
        averages: wanted.averages.then(|| Rc::new(averages::table(t, s))),
        outside: if wanted.averages { outside_windows(t, s) } else { Vec::new() },
    }
}
