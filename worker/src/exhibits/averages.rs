//! The averages table under the link-ratio grid: for each development
//! column, the volume-weighted, simple and geometric averages of its link
//! ratios over all origins and the latest 5 and 3
//! ([`runoff_engine::development::column_averages`], with the session's
//! other exclusions), each a button that selects it for the column; a
//! Default button per column, and a field for a typed factor.
//!
//! The page listens once on the table and reads what was pressed from the
//! ids: `av-{j}-{k}` is column `j`'s average `k` (`AVERAGES[k / 3]` over
//! `WINDOWS[k % 3]`), `ad-{j}` its Default button, `tf-{j}` its typed
//! factor. The selected average is pressed (`aria-pressed`) and marked ✓;
//! the session's own average, which a column without a choice uses, is
//! marked • and described as such.

use crate::markup::Cells;
use runoff_engine::development::{column_averages, ColumnAverages};
use runoff_engine::session::ColumnAverage;
use runoff_engine::{Settings, Triangle};

/// The rows' names, in the order of `k`.
const ROWS: [&str; 9] = [
    "Volume-weighted, all",
    "Volume-weighted, latest 5",
    "Volume-weighted, latest 3",
    "Simple, all",
    "Simple, latest 5",
    "Simple, latest 3",
    "Geometric, all",
    "Geometric, latest 5",
    "Geometric, latest 3",
];

/// The choice of row `k`.
pub fn choice(k: usize) -> ColumnAverage {
    ColumnAverage { average: ColumnAverages::AVERAGES[k / 3], n_periods: ColumnAverages::WINDOWS[k % 3] }
}

/// The table, in cells: a click changes the figures of a column or two,
/// and the page rewrites only those cells.
pub fn table(t: &Triangle, s: &Settings) -> Cells {
    let table = column_averages(t, s);
    let ages = t.ages();
    let label = |j: usize| format!("{}-{}", ages[j], ages[j + 1]);
    let default = ColumnAverage { average: s.average, n_periods: s.n_periods };
    let mut o = Cells::default();
    o.lit(
        "<table class=\"views-table averages\" aria-label=\"Averages\"><thead><tr><th scope=\"col\" class=\"sticky\">",
    )
    .cell(|o| {
        o.lit("Average");
    })
    .lit("</th>");
    for j in 0..table.len() {
        o.lit("<th scope=\"col\">")
            .cell(|o| {
                o.text(&label(j));
            })
            .lit("</th>");
    }
    o.lit("</tr></thead><tbody>");
    for (k, name) in ROWS.iter().enumerate() {
        let c = choice(k);
        o.lit("<tr><th scope=\"row\" class=\"sticky\">")
            .cell(|o| {
                o.lit(name);
            })
            .lit("</th>");
        for (j, col) in table.iter().enumerate() {
            let pressed = s.average_by_age.get(&col.age) == Some(&c);
            o.lit("<td>")
                .cell(|o| {
                    o.lit("<button type=\"button\" id=\"av-").n(j as f64, 0).lit("-").n(k as f64, 0).lit("\"");
                    if c == default {
                        o.lit(" class=\"dflt\" aria-describedby=\"av-dflt\"");
                    }
                    o.lit(if pressed { " aria-pressed=\"true\">✓ " } else { " aria-pressed=\"false\">" });
                    match col.factors[k / 3][k % 3] {
                        Some(f) => o.n(f, 4),
                        None => o.lit("–"),
                    };
                    if c == default {
                        o.lit(" •");
                    }
                    o.lit("</button>");
                })
                .lit("</td>");
        }
        o.lit("</tr>");
    }
    o.lit("<tr><th scope=\"row\" class=\"sticky\">")
        .cell(|o| {
            o.lit("Column");
        })
        .lit("</th>");
    for (j, col) in table.iter().enumerate() {
        o.lit("<td>")
            .cell(|o| {
                o.lit("<button type=\"button\" id=\"ad-")
                    .n(j as f64, 0)
                    .lit("\" aria-label=\"Default ")
                    .text(&label(j))
                    .lit("\"");
                if !s.average_by_age.contains_key(&col.age) {
                    o.lit(" disabled");
                }
                o.lit(">Default</button>");
            })
            .lit("</td>");
    }
    o.lit("</tr><tr><th scope=\"row\" class=\"sticky\">")
        .cell(|o| {
            o.lit("Typed factor");
        })
        .lit("</th>");
    for (j, col) in table.iter().enumerate() {
        o.lit("<td>")
            .cell(|o| {
                o.lit("<input id=\"tf-")
                    .n(j as f64, 0)
                    .lit("\" inputmode=\"decimal\" size=\"6\" aria-label=\"Typed factor ")
                    .text(&label(j))
                    .lit("\" value=\"");
                if let Some(f) = s.ldf_by_age.get(&col.age) {
                    o.text(&crate::format::shortest(*f));
                }
                o.lit("\"");
                if s.ldf_by_age.contains_key(&col.age) {
                    o.lit(" class=\"typed\"");
                }
                o.lit(">");
            })
            .lit("</td>");
    }
    o.lit("</tr></tbody></table><p class=\"note\">")
        .cell(|o| {
            o.lit("Press an average to select it for its column (✓); press it again, or Default, for the column's default. \
                <span id=\"av-dflt\">• the session's average, which a column without a choice uses.</span> \
                A typed factor (a number ≥ 0; empty to clear) replaces the column's average.");
        })
        .lit("</p>");
    o.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::Average;
    use runoff_engine::Grain;

    #[test]
    fn figures_are_buttons_marked_by_choice_and_default() {
        let t = Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(100.0), Some(200.0), Some(220.0)],
                vec![Some(100.0), Some(150.0), None],
                vec![Some(50.0), None, None],
            ],
        )
        .unwrap();
        let mut s = Settings::default();
        s.average_by_age.insert(12, choice(4));
        s.ldf_by_age.insert(24, 1.05);
        let cells = table(&t, &s);
        let m = cells.markup();
        // Every th, td and p is a cell, in document order: what the page
        // counts on to rewrite the k-th one.
        let parts = ["<th ", "<th>", "<td ", "<td>", "<p ", "<p>", "<caption"]
            .iter()
            .map(|tag| m.matches(tag).count())
            .sum::<usize>();
        assert_eq!(parts, cells.cells().len());
        assert_eq!(cells.cells()[0], "Average");
        assert_eq!(cells.cells().last().map(|c| c.starts_with("Press an average")), Some(true));
        assert_eq!(choice(4), ColumnAverage { average: Average::Simple, n_periods: Some(5) });
        // Volume over all is the session's: marked as the default.
        assert!(m.contains("<button type=\"button\" id=\"av-0-0\" class=\"dflt\" aria-describedby=\"av-dflt\" aria-pressed=\"false\">1.7500 •</button>"), "{m}");
        assert!(m.contains("id=\"av-0-4\" aria-pressed=\"true\">✓ 1.7500</button>"), "{m}");
        assert!(m.contains("<button type=\"button\" id=\"ad-0\" aria-label=\"Default 12-24\">Default</button>"), "{m}");
        assert!(m.contains("id=\"ad-1\" aria-label=\"Default 24-36\" disabled>"), "{m}");
        assert!(m.contains("aria-label=\"Typed factor 24-36\" value=\"1.05\" class=\"typed\">"), "{m}");
        assert!(m.contains("aria-label=\"Typed factor 12-24\" value=\"\">"), "{m}");
    }

    #[test]
    fn the_windows_say_which_ratios_they_leave_out() {
        let t = Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into(), "2003".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(100.0), Some(200.0), Some(220.0)],
                vec![Some(100.0), Some(150.0), Some(160.0)],
                vec![Some(100.0), Some(120.0), None],
                vec![Some(50.0), None, None],
            ],
        )
        .unwrap();
        let mut s = Settings::default();
        assert!(runoff_engine::development::outside_windows(&t, &s).is_empty());
        // The latest 1 of 12-24 is 2002's: 2000's and 2001's are outside
        // (0 and 2 of 2 columns), whatever else is dropped.
        s.average_by_age.insert(12, ColumnAverage { average: Average::Volume, n_periods: Some(1) });
        s.drop_high = true;
        s.drop_origins.push("2001".into());
        assert_eq!(runoff_engine::development::outside_windows(&t, &s), vec![0, 2]);
    }
}
