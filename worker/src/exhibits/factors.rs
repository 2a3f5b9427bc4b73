//! The chain ladder as an exhibit for printing: the link ratios with
//! development periods down and origins across (a wide quarterly triangle
//! then fits a portrait page), each ratio left out marked, and beside them
//! the selected factor, the factor to ultimate and the share of ultimate at
//! each age, and how each factor was chosen (a typed one says `typed`).
//! Shown only when printing; written as markup by the worker.

use crate::format;
use crate::markup::Out;
use runoff_engine::export::basis;
use runoff_engine::{Reserve, Settings, Triangle};

/// The exhibit's markup.
pub fn factors(t: &Triangle, r: &Reserve, s: &Settings) -> String {
    let lr = t.link_ratios();
    let labels: Vec<String> = t.ages().windows(2).map(|w| format!("{}-{}", w[0], w[1])).collect();
    let mut o = Out::with_capacity(64 * labels.len() * (t.n_origins() + 4));
    o.t("<table class=\"views-table exhibit\" aria-label=\"Development factors exhibit\"><thead><tr><th>Months</th>");
    for origin in t.origins() {
        o.cell("th", "", origin);
    }
    o.t("<th>Selected</th><th>Basis</th><th>To ultimate</th><th>% of ultimate</th></tr></thead><tbody>");
    for j in 0..labels.len().max(r.ldf.len()) {
        let label = r.ldf_labels.get(j).or(labels.get(j)).map_or("", String::as_str);
        o.t("<tr>").cell("th", "", label);
        for i in 0..t.n_origins() {
            match (j < labels.len()).then(|| lr.get(i).and_then(|row| row.get(j)).copied().flatten()).flatten() {
                // Left out by the engine, after every rule and judgement.
                Some(x) if !r.included.get(i).and_then(|row| row.get(j)).copied().unwrap_or(true) => {
                    o.t("<td class=\"out\">(").fig(x, 3).t(")</td>")
                }
                Some(x) => o.t("<td>").fig(x, 3).t("</td>"),
                None => o.t("<td></td>"),
            };
        }
        let how = if j < labels.len() { basis(s, t.ages()[j]) } else { "tail".into() };
        o.t(if how == "typed" { "<td class=\"sel typed\">" } else { "<td class=\"sel\">" });
        if let Some(x) = r.ldf.get(j) {
            o.fig(*x, 4);
        }
        o.t("</td>").cell("td", "", &how).t("<td>");
        if let Some(c) = r.cdf.get(j) {
            o.fig(*c, 4);
            o.t("</td><td>");
            if *c > 0.0 {
                o.fig(100.0 / c, 1).t("%");
            }
        } else {
            o.t("</td><td>");
        }
        o.t("</td></tr>");
    }
    o.t("</tbody></table><p class=\"note\">Ratios in brackets are left out of the selected factor. Tail factor ")
        .fig(r.tail_factor, 4).t(".</p>");
    o.done()
}

/// The cumulative triangle, ages down and origins across.
pub fn values(t: &Triangle, measure: &str) -> String {
    let mut o = Out::with_capacity(48 * t.n_ages() * (t.n_origins() + 1));
    o.t("<table class=\"views-table exhibit\" aria-label=\"Triangle exhibit\"><caption>").e(measure)
        .t(": cumulative values</caption><thead><tr><th>Months</th>");
    for origin in t.origins() {
        o.cell("th", "", origin);
    }
    o.t("</tr></thead><tbody>");
    for (j, age) in t.ages().iter().enumerate() {
        o.t("<tr><th>").n(f64::from(*age), 0).t("</th>");
        for i in 0..t.n_origins() {
            o.t("<td>");
            if let Some(x) = t.get(i, j) {
                o.t(&format::cell(x));
            }
            o.t("</td>");
        }
        o.t("</tr>");
    }
    o.t("</tbody></table>");
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
        let v = values(&t, "paid <net>");
        assert!(v.contains("<caption>paid &lt;net&gt;: cumulative values</caption>"), "{v}");
        assert!(v.contains("<tr><th>24</th><td>200</td><td>150</td><td></td></tr>"), "{v}");
    }
}
