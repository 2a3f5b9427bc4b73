//! Figures the page shows but does not act on, written as markup by the
//! worker together with the results they draw on: the emergence chart, the
//! chain ladder exhibit for printing, the results table, and actual versus
//! expected. The page
//! inserts the text; it carries neither the code that lays these out nor
//! the figures' own types. Each is written only when the page's view shows
//! it ([`Wanted`]).

pub mod ave;
pub mod chart;
pub mod factors;
pub mod results;

use crate::markup::escape;
use runoff_engine::ave::actual_vs_expected;
use runoff_engine::{Reserve, Triangle};
use serde::{Deserialize, Serialize};

/// Which exhibits a recalculation should write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Wanted {
    pub chart: bool,
    /// The print exhibit, headed by this measure's name.
    pub print: Option<String>,
    /// Actual versus expected from this valuation (a month index).
    pub ave_from: Option<i32>,
    /// The results table, with figures shown this way.
    pub results: Option<results::Show>,
    /// The order of the results table's rows ([`results::sort_key`]; 0 for
    /// the origins' own order).
    pub sort: u8,
}

/// The exhibits written, as markup.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rendered {
    pub chart: Option<String>,
    pub print: Option<String>,
    /// The comparison, or the alert saying why there is none.
    pub ave: Option<String>,
    pub results: Option<String>,
}

/// Writes what `wanted` asks for from a triangle and its results.
pub fn render(t: &Triangle, r: &Reserve, wanted: &Wanted) -> Rendered {
    Rendered {
        chart: wanted.chart.then(|| chart::chart(t, r)),
        print: wanted.print.as_ref().map(|measure| factors::values(t, measure) + &factors::factors(t, r)),
        ave: wanted.ave_from.map(|from| match actual_vs_expected(t, &r.ldf, from) {
            Ok(a) => ave::markup(&a),
            Err(e) => format!("<div class=\"alert\" role=\"alert\">{}</div>", escape(&e.to_string())),
        }),
        results: wanted.results.map(|show| results::markup(r, show, wanted.sort)),
    }
}
