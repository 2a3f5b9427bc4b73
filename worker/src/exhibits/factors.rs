//! The chain ladder as an exhibit for printing: the link ratios with
//! development periods down and origins across (a wide quarterly triangle
//! then fits a portrait page), each ratio left out marked, and beside them
//! the selected factor, the factor to ultimate and the share of ultimate at
//! each age, and how each factor was chosen (a typed one says `typed`);
//! then the projection to ultimate per origin. Shown only when printing;
//! written as markup by the worker when the page prints.

use crate::format;
use crate::markup::Out;
use runoff_engine::export::basis;
use runoff_engine::{Reserve, Settings, Triangle};

/// The most rows of the tail the exhibit lists one by one. A longer tail
/// (a session allows 100 years of it, 1,201 monthly periods) shows its
/// first periods, where the curve still moves, one row for the periods
/// folded between (their product, and the factor to ultimate where they
/// start), and its last row, which carries what lies past the projection.
pub const MAX_TAIL_ROWS: usize = 12;

/// Which factor rows the exhibit writes: every development period, then the
/// tail's rows, or its first ones, the folded ones as one range, and the
/// last. `Err(range)` is a folded range of factor indices.
fn rows(n_dev: usize, n_factors: usize) -> Vec<Result<usize, std::ops::Range<usize>>> {
    let mut out: Vec<_> = (0..n_dev.min(n_factors)).map(Ok).collect();
    let tail = n_dev.min(n_factors)..n_factors;
    if tail.len() <= MAX_TAIL_ROWS {
        out.extend(tail.map(Ok));
    } else {
        let shown = tail.start + MAX_TAIL_ROWS - 2;
        out.extend((tail.start..shown).map(Ok));
        out.push(Err(shown..n_factors - 1));
        out.push(Ok(n_factors - 1));
    }
    out
}

/// The exhibit's markup.
pub fn factors(t: &Triangle, r: &Reserve, s: &Settings) -> String {
    let lr = t.link_ratios();
    let labels: Vec<String> = t.ages().windows(2).map(|w| format!("{}-{}", w[0], w[1])).collect();
    let n_factors = labels.len().max(r.ldf.len());
    let plan = rows(labels.len(), n_factors);
    let mut o = Out::with_capacity(64 * labels.len() * (t.n_origins() + 4) + 256 * plan.len());
    o.lit("<table class=\"views-table exhibit\" aria-label=\"Development factors exhibit\"><thead><tr><th>Months</th>");
    for origin in t.origins() {
        o.cell("th", "", origin);
    }
    o.lit("<th>Selected</th><th>Basis</th><th>To ultimate</th><th>% of ultimate</th></tr></thead><tbody>");
    let label_of = |j: usize| r.ldf_labels.get(j).or(labels.get(j)).map_or("", String::as_str);
    let to_ultimate = |o: &mut Out, j: usize| {
        o.lit("<td>");
        if let Some(c) = r.cdf.get(j) {
            o.fig(*c, 4);
            o.lit("</td><td>");
            if *c > 0.0 {
                o.fig(100.0 / c, 1).lit("%");
            }
        } else {
            o.lit("</td><td>");
        }
        o.lit("</td></tr>");
    };
    let mut folded = 0;
    for row in plan {
        let j = match row {
            Ok(j) => j,
            Err(range) => {
                // The folded periods: from the first one's start to the
                // last one's end, their product, and the factor to
                // ultimate where they start.
                folded = range.len();
                let from = label_of(range.start).split('-').next().unwrap_or("");
                let to = label_of(range.end - 1).rsplit('-').next().unwrap_or("");
                o.lit("<tr class=\"folded\">").cell("th", "", &format!("{from}-{to}"));
                o.lit("<td colspan=\"").text(&t.n_origins().to_string()).lit("\"></td><td class=\"sel\">");
                let product: f64 = r.ldf.get(range.clone()).map_or(f64::NAN, |f| f.iter().product());
                o.fig(product, 4).lit("</td>").cell("td", "", &format!("tail, {} periods", range.len()));
                to_ultimate(&mut o, range.start);
                continue;
            }
        };
        o.lit("<tr>").cell("th", "", label_of(j));
        if j < labels.len() {
            for i in 0..t.n_origins() {
                match lr.get(i).and_then(|row| row.get(j)).copied().flatten() {
                    // Left out by the engine, after every rule and judgement.
                    Some(x) if !r.included.get(i).and_then(|row| row.get(j)).copied().unwrap_or(true) => {
                        o.lit("<td class=\"out\">(").fig(x, 3).lit(")</td>")
                    }
                    Some(x) => o.lit("<td>").fig(x, 3).lit("</td>"),
                    None => o.lit("<td></td>"),
                };
            }
        } else if t.n_origins() > 0 {
            // A tail period has no link ratios: one empty cell for them all.
            o.lit("<td colspan=\"").text(&t.n_origins().to_string()).lit("\"></td>");
        }
        let how = if j < labels.len() { basis(s, t.ages()[j]) } else { "tail".into() };
        o.lit(if how == "typed" { "<td class=\"sel typed\">" } else { "<td class=\"sel\">" });
        if let Some(x) = r.ldf.get(j) {
            o.fig(*x, 4);
        }
        o.lit("</td>").cell("td", "", &how);
        to_ultimate(&mut o, j);
    }
    o.lit("</tbody></table><p class=\"note\">Ratios in brackets are left out of the selected factor. Tail factor ")
        .fig(r.tail_factor, 4)
        .lit(".");
    if folded > 0 {
        let n_tail = n_factors - labels.len();
        o.lit(" The tail's ")
            .text(&n_tail.to_string())
            .lit(" periods are shown in ")
            .text(&MAX_TAIL_ROWS.to_string())
            .lit(" rows: ")
            .text(&folded.to_string())
            .lit(" of them folded into one, with their product.");
    }
    o.lit("</p>");
    o.done()
}

/// The projection to ultimate: per origin its latest value, the factor to
/// ultimate from its latest age, the selected ultimate (of the method chosen
/// for it) and IBNR, and the totals, as the Results view shows them.
pub fn projection(t: &Triangle, r: &Reserve) -> String {
    let mut o = Out::with_capacity(160 * (r.origins.len() + 2));
    o.lit(
        "<table class=\"views-table exhibit\" aria-label=\"Projection exhibit\"><thead><tr><th>Origin</th>\
        <th>Latest</th><th>To ultimate</th><th>Ultimate</th><th>IBNR</th></tr></thead><tbody>",
    );
    let res = &r.selected.result;
    let money = |o: &mut Out, x: Option<f64>| {
        o.lit("<td>");
        if let Some(x) = x.filter(|x| x.is_finite()) {
            o.fig(x, 2);
        }
        o.lit("</td>");
    };
    for (k, origin) in r.origins.iter().enumerate() {
        // The factor from the origin's latest observed age.
        let i = t.origins().iter().position(|x| x == origin);
        let age = i.and_then(|i| (0..t.n_ages()).rev().find(|&j| t.get(i, j).is_some()));
        o.lit("<tr>").cell("th", "", origin);
        money(&mut o, r.latest.get(k).copied());
        o.lit("<td>");
        if let Some(j) = age {
            o.fig(r.cdf.get(j).copied().unwrap_or(1.0), 4);
        }
        o.lit("</td>");
        money(&mut o, res.ultimate.get(k).copied());
        money(&mut o, res.ibnr.get(k).copied());
        o.lit("</tr>");
    }
    o.lit("</tbody><tfoot><tr><th>Total</th>");
    money(&mut o, Some(r.latest.iter().sum()));
    o.lit("<td></td>");
    money(&mut o, Some(res.ultimate.iter().sum()));
    money(&mut o, Some(res.total_ibnr));
    o.lit("</tr></tfoot></table>");
    o.done()
}

/// The cumulative triangle, ages down and origins across.
pub fn values(t: &Triangle, measure: &str) -> String {
    let mut o = Out::with_capacity(48 * t.n_ages() * (t.n_origins() + 1));
    o.lit("<table class=\"views-table exhibit\" aria-label=\"Triangle exhibit\"><caption>")
        .text(measure)
        .lit(": cumulative values</caption><thead><tr><th>Months</th>");
    for origin in t.origins() {
        o.cell("th", "", origin);
    }
    o.lit("</tr></thead><tbody>");
    for (j, age) in t.ages().iter().enumerate() {
        o.lit("<tr><th>").n(f64::from(*age), 0).lit("</th>");
        for i in 0..t.n_origins() {
            o.lit("<td>");
            if let Some(x) = t.get(i, j) {
                o.text(&format::cell(x));
            }
            o.lit("</td>");
        }
        o.lit("</tr>");
    }
    o.lit("</tbody></table>");
    o.done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::CellDrop;
    use runoff_engine::{reserve, Grain, Settings};

    #[test]
    fn periods_down_origins_across_with_drops_marked() {
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
        s.drops.push(CellDrop { origin: "2001".into(), age: 12 });
        s.ldf_by_age.insert(24, 1.2);
        let r = reserve(&t, None, &s).unwrap();
        let html = factors(&t, &r, &s);
        assert!(html.contains("<th>12-24</th><td>2.000</td><td class=\"out\">(1.500)</td><td></td><td class=\"sel\">2.0000</td><td>volume, all</td>"), "{html}");
        assert!(html.contains("<td class=\"sel typed\">1.2000</td><td>typed</td>"), "{html}");
        assert!(html.contains("<th>24-36</th><td>1.100</td>"), "{html}");
        assert!(html.contains("41.7%"), "{html}");
        // A short tail is listed period by period, with one cell for the
        // origins' (absent) ratios.
        let mut c = s.clone();
        c.tail_curve = runoff_engine::session::TailCurve::Constant;
        c.tail_constant = 1.05;
        c.tail_projection_months = Some(24);
        let r = reserve(&t, None, &c).unwrap();
        let html = factors(&t, &r, &c);
        assert_eq!(html.matches("<td>tail</td>").count(), 3, "{html}");
        assert!(html.contains("<th>48-60</th><td colspan=\"3\"></td><td class=\"sel\">"), "{html}");
        assert!(!html.contains("folded"), "{html}");
        let p = projection(&t, &reserve(&t, None, &s).unwrap());
        // 2002: 50 at 12 months, to ultimate 2.0 × 1.2 (typed) = 2.4: 120.
        assert!(p.contains("<tr><th>2002</th><td>50.00</td><td>2.4000</td><td>120.00</td><td>70.00</td></tr>"), "{p}");
        assert!(
            p.contains("<tfoot><tr><th>Total</th><td>420.00</td><td></td><td>520.00</td><td>100.00</td></tr>"),
            "{p}"
        );
        let v = values(&t, "paid <net>");
        assert!(v.contains("<caption>paid &lt;net&gt;: cumulative values</caption>"), "{v}");
        assert!(v.contains("<tr><th>24</th><td>200</td><td>150</td><td></td></tr>"), "{v}");
    }
}

#[cfg(test)]
mod long_tail {
    use super::*;
    use runoff_engine::session::TailCurve;
    use runoff_engine::{reserve, Grain};

    /// The longest tail a session allows, 100 years of yearly development
    /// (101 factors), is shown in [`MAX_TAIL_ROWS`] rows with the figures of
    /// the rows it folds.
    #[test]
    fn a_long_tail_is_folded_into_a_few_rows() {
        let t = Triangle::new(
            vec!["2000".into(), "2001".into()],
            vec![12, 24],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(100.0), Some(150.0)], vec![Some(110.0), None]],
        )
        .unwrap();
        let s = Settings {
            tail_curve: TailCurve::Constant,
            tail_constant: 2.0,
            tail_decay: 1.0,
            tail_projection_months: Some(1_200),
            ..Settings::default()
        };
        let r = reserve(&t, None, &s).unwrap();
        assert_eq!(r.ldf.len(), 1 + 101);
        let html = factors(&t, &r, &s);
        // The development row, 10 tail rows, the folded row and the last.
        assert_eq!(html.matches("<tr>").count() + html.matches("<tr class=\"folded\">").count(), 1 + 1 + MAX_TAIL_ROWS);
        assert_eq!(html.matches("<td>tail</td>").count(), MAX_TAIL_ROWS - 1);
        // Folded: the 11th to the 100th tail periods, 90 of them, as their
        // product and the factor to ultimate where they start.
        let product = format!("{:.4}", r.ldf[11..101].iter().product::<f64>());
        let cdf = format!("{:.4}", r.cdf[11]);
        let row = format!("<tr class=\"folded\"><th>144-1224</th><td colspan=\"2\"></td><td class=\"sel\">{product}</td><td>tail, 90 periods</td><td>{cdf}</td>");
        assert!(html.contains(&row), "{row}\n{html}");
        assert!(html.contains("The tail's 101 periods are shown in 12 rows: 90 of them folded into one"), "{html}");
        assert!(html.len() < 6_000, "{}", html.len());
    }
}
