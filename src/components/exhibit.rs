//! The chain ladder as an exhibit for printing: the link ratios with
//! development periods down and origins across (a wide quarterly triangle
//! then fits a portrait page), each ratio left out marked, and beside them
//! the selected factor, the factor to ultimate and the share of ultimate at
//! each age. Shown only when printing; written as markup ([`crate::markup`]).

use crate::format;
use crate::markup::{self, cell};
use crate::ratios::{self, Ratios};
use runoff_engine::{Reserve, Settings, Triangle};
use std::rc::Rc;
use yew::prelude::*;

/// The exhibit's markup.
pub fn factors(t: &Triangle, lr: &Ratios, settings: &Settings, r: &Reserve) -> String {
    let labels = ratios::period_labels(t);
    let included = Some(r.included.as_slice());
    let mut s = String::with_capacity(64 * labels.len() * (t.n_origins() + 4));
    s.push_str("<table class=\"views-table exhibit\" aria-label=\"Development factors exhibit\"><thead><tr>");
    cell(&mut s, "th", "", "Months");
    for o in t.origins() {
        cell(&mut s, "th", "", o);
    }
    for h in ["Selected", "To ultimate", "% of ultimate"] {
        cell(&mut s, "th", "", h);
    }
    s.push_str("</tr></thead><tbody>");
    let rows = labels.len().max(r.ldf.len());
    for j in 0..rows {
        s.push_str("<tr>");
        let label = r.ldf_labels.get(j).or(labels.get(j)).map_or("", String::as_str);
        cell(&mut s, "th", "", label);
        for i in 0..t.n_origins() {
            match (j < labels.len()).then(|| ratios::ratio(lr, i, j)).flatten() {
                Some(x) => {
                    let out = ratios::exclusion(t, lr, settings, included, i, j).is_some();
                    let text = format::number(x, 3);
                    cell(&mut s, "td", if out { "out" } else { "" }, &if out { format!("({text})") } else { text });
                }
                None => s.push_str("<td></td>"),
            }
        }
        let f = |v: &[f64], d: usize| v.get(j).map_or(String::new(), |x| format::number(*x, d));
        cell(&mut s, "td", "sel", &f(&r.ldf, 4));
        cell(&mut s, "td", "", &f(&r.cdf, 4));
        let pct = r.cdf.get(j).filter(|c| **c > 0.0).map_or(String::new(), |c| format::number(100.0 / c, 1) + "%");
        cell(&mut s, "td", "", &pct);
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table><p class=\"note\">Ratios in brackets are left out of the selected factor. Tail factor ");
    s.push_str(&format::number(r.tail_factor, 4));
    s.push_str(".</p>");
    s
}

/// The cumulative triangle, ages down and origins across.
pub fn values(t: &Triangle, measure: &str) -> String {
    let mut s = String::with_capacity(48 * t.n_ages() * (t.n_origins() + 1));
    s.push_str("<table class=\"views-table exhibit\" aria-label=\"Triangle exhibit\"><caption>");
    s.push_str(&markup::escape(measure));
    s.push_str(": cumulative values</caption><thead><tr>");
    cell(&mut s, "th", "", "Months");
    for o in t.origins() {
        cell(&mut s, "th", "", o);
    }
    s.push_str("</tr></thead><tbody>");
    for (j, age) in t.ages().iter().enumerate() {
        s.push_str("<tr>");
        cell(&mut s, "th", "", &age.to_string());
        for i in 0..t.n_origins() {
            cell(&mut s, "td", "", &t.get(i, j).map_or(String::new(), format::cell));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

#[derive(Properties, PartialEq)]
pub struct ExhibitProps {
    pub triangle: Rc<Triangle>,
    pub measure: AttrValue,
    pub settings: Settings,
    pub results: Rc<Reserve>,
}

/// The print-only exhibit of the chain ladder view.
#[component]
pub fn Exhibit(props: &ExhibitProps) -> Html {
    let lr = use_memo(props.triangle.clone(), |t| t.link_ratios());
    let mut markup = values(&props.triangle, &props.measure);
    markup.push_str(&factors(&props.triangle, &lr, &props.settings, &props.results));
    html! { <section class="print-only">{ markup::html(markup) }</section> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::CellDrop;
    use runoff_engine::{reserve, Grain};

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
        let r = reserve(&t, None, &s).unwrap();
        let html = factors(&t, &t.link_ratios(), &s, &r);
        assert!(html.contains("<th>12-24</th><td>2.000</td><td class=\"out\">(1.500)</td><td></td><td class=\"sel\">2.0000</td>"), "{html}");
        assert!(html.contains("<th>24-36</th><td>1.100</td>"), "{html}");
        assert!(html.contains("45.5%"), "{html}");
        let v = values(&t, "paid <net>");
        assert!(v.contains("<caption>paid &lt;net&gt;: cumulative values</caption>"), "{v}");
        assert!(v.contains("<tr><th>24</th><td>200</td><td>150</td><td></td></tr>"), "{v}");
    }
}
