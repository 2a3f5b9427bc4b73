//! The results table as the page shows it: every method's ultimate per
//! origin side by side, the selected ultimate and its IBNR, Mack's standard
//! error, and totals. Each method's ultimate is also the button that selects
//! that method for the origin (`data-origin`, `data-method`; its id
//! `pick-ORIGIN-METHOD` by position, for the page to keep the focus on it
//! when the table is written again), so the choice is made where the
//! figures are compared; the page listens for the click once, on the
//! table's container.
//!
//! Each column's header is a button that sorts the rows by that column
//! (`data-sort`: the order a press asks for, ascending first, then
//! descending; the header's `aria-sort` says the order shown). The page
//! keeps the order as view state and sends it with every recalculation, so
//! the table comes back in it; the total row stays last, in the footer.
//!
//! Figures can be shown as amounts or as ratios to each origin's premium
//! (totals over total premium), the way loss ratios are compared across
//! years. A method without results (no premium: no BF, Benktander or Cape
//! Cod) leaves its cells empty.

use crate::format;
use crate::markup::Out;
use runoff_engine::session::Method;
use runoff_engine::{MethodResult, Reserve};
use serde::{Deserialize, Serialize};

/// Amounts or ratios to premium.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Show {
    #[default]
    Amounts,
    Ratios,
}

/// How a method is named on the page.
pub fn method_text(m: Method) -> &'static str {
    match m {
        Method::Chainladder => "Chain ladder",
        Method::BornhuetterFerguson => "Bornhuetter-Ferguson",
        Method::Benktander => "Benktander",
        Method::CapeCod => "Cape Cod",
    }
}

/// A method's results, if it has any.
pub fn method_result(r: &Reserve, m: Method) -> Option<&MethodResult> {
    match m {
        Method::Chainladder => Some(&r.methods.chainladder),
        Method::BornhuetterFerguson => r.methods.bornhuetter_ferguson.as_ref(),
        Method::Benktander => r.methods.benktander.as_ref(),
        Method::CapeCod => r.methods.cape_cod.as_ref().map(|c| &c.result),
    }
}

/// The methods in the order of the columns.
const METHODS: [Method; 4] = [Method::Chainladder, Method::BornhuetterFerguson, Method::Benktander, Method::CapeCod];

/// The value of a cell as shown: the amount, or the amount over the
/// premium (none where premium is missing or zero).
pub fn shown(x: Option<f64>, premium: Option<f64>, show: Show) -> Option<f64> {
    let x = x.filter(|x| x.is_finite())?;
    match show {
        Show::Amounts => Some(x),
        Show::Ratios => match premium {
            Some(p) if p != 0.0 && p.is_finite() => Some(x / p),
            _ => None,
        },
    }
}

/// A shown value as text: amounts with two decimals, ratios in percent.
pub fn text(x: Option<f64>, show: Show) -> String {
    match (x, show) {
        (None, _) => String::new(),
        (Some(x), Show::Amounts) => format::number(x, 2),
        (Some(x), Show::Ratios) => {
            let s = format::number(x * 100.0, 1);
            if s.is_empty() {
                s
            } else {
                s + "%"
            }
        }
    }
}

/// One origin's figures (amounts), all optional so that short or missing
/// vectors leave cells empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub origin: String,
    pub latest: Option<f64>,
    pub premium: Option<f64>,
    /// Ultimate of each of [`METHODS`].
    pub ultimates: [Option<f64>; 4],
    /// The method that counts, as the engine chose it (a choice without
    /// results falls back to the chain ladder there).
    pub selected_method: Method,
    pub selected: Option<f64>,
    pub ibnr: Option<f64>,
    pub mack_se: Option<f64>,
}

/// The table's lines.
pub fn lines(r: &Reserve) -> Vec<Line> {
    let get = |v: &[f64], i: usize| v.get(i).copied().filter(|x| x.is_finite());
    r.origins
        .iter()
        .enumerate()
        .map(|(i, o)| Line {
            origin: o.clone(),
            latest: get(&r.latest, i),
            premium: r.premium.as_deref().and_then(|p| get(p, i)),
            ultimates: METHODS.map(|m| method_result(r, m).and_then(|res| get(&res.ultimate, i))),
            selected_method: r.selected.method.get(i).copied().unwrap_or_default(),
            selected: get(&r.selected.result.ultimate, i),
            ibnr: get(&r.selected.result.ibnr, i),
            mack_se: r.methods.mack.as_ref().and_then(|m| get(&m.mack_std_err, i)),
        })
        .collect()
}

/// The total row (amounts): sums of what is there; a method's total only
/// when it has results at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub latest: f64,
    pub premium: Option<f64>,
    pub ultimates: [Option<f64>; 4],
    pub selected: f64,
    pub ibnr: f64,
    pub mack_se: Option<f64>,
}

pub fn totals(r: &Reserve, lines: &[Line]) -> Totals {
    let sum = |f: &dyn Fn(&Line) -> Option<f64>| lines.iter().filter_map(f).sum::<f64>();
    let mut ultimates = [None; 4];
    for (k, m) in METHODS.iter().enumerate() {
        if method_result(r, *m).is_some() {
            ultimates[k] = Some(sum(&|l| l.ultimates[k]));
        }
    }
    Totals {
        latest: sum(&|l| l.latest),
        premium: r.premium.as_ref().map(|_| sum(&|l| l.premium)),
        ultimates,
        selected: sum(&|l| l.selected),
        ibnr: Some(r.selected.result.total_ibnr).filter(|x| x.is_finite()).unwrap_or_else(|| sum(&|l| l.ibnr)),
        mack_se: r.methods.mack.as_ref().map(|m| m.total_mack_std_err).filter(|x| x.is_finite()),
    }
}

/// The columns, by their number in a sort: origin, latest, premium, loss
/// ratio (amounts only), the four methods, selected, IBNR, Mack S.E.
const COLUMNS: [&str; 11] = [
    "Origin",
    "Latest",
    "Premium",
    "Loss ratio",
    "Chain ladder",
    "<abbr title=\"Bornhuetter-Ferguson\">BF</abbr>",
    "Benktander",
    "Cape Cod",
    "Selected",
    "IBNR",
    "Mack S.E.",
];

/// A sort as it travels: 0 for the origins' own order, else
/// `2 × (column + 1)`, plus 1 for descending.
pub fn sort_key(column: usize, descending: bool) -> u8 {
    (2 * (column + 1) + descending as usize) as u8
}

/// The value of column `c` (1 to 10) of a line, as shown.
fn value(l: &Line, c: usize, show: Show) -> Option<f64> {
    let x = match c {
        2 => return l.premium,
        3 => return shown(l.latest, l.premium, Show::Ratios),
        1 => l.latest,
        4..=7 => l.ultimates[c - 4],
        8 => l.selected,
        9 => l.ibnr,
        _ => l.mack_se,
    };
    shown(x, l.premium, show)
}

/// The order of the lines for `sort` ([`sort_key`]): origins by their
/// label, figures by value with missing ones last either way; ties keep
/// the origins' order.
pub fn order(ls: &[Line], sort: u8, show: Show) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..ls.len()).collect();
    let (c, desc) = ((sort as usize >> 1).wrapping_sub(1), sort & 1 == 1);
    let dir = |o: std::cmp::Ordering| if desc { o.reverse() } else { o };
    if c == 0 {
        idx.sort_by(|&a, &b| dir(ls[a].origin.cmp(&ls[b].origin)));
    } else if c < COLUMNS.len() {
        idx.sort_by(|&a, &b| match (value(&ls[a], c, show), value(&ls[b], c, show)) {
            (Some(x), Some(y)) => dir(x.total_cmp(&y)),
            (x, y) => y.is_some().cmp(&x.is_some()),
        });
    }
    idx
}

/// The warnings and the table, as markup, its rows in the order `sort`
/// asks for ([`sort_key`]). Without premium there is nothing to divide by,
/// so ratios fall back to amounts.
pub fn markup(r: &Reserve, show: Show, sort: u8) -> String {
    let show = if r.premium.is_some() { show } else { Show::Amounts };
    let amounts = show == Show::Amounts;
    // The loss ratio is a column of amounts only.
    let sort = if !amounts && sort >> 1 == 4 { 0 } else { sort };
    let ls = lines(r);
    let tot = totals(r, &ls);
    let mut o = Out::with_capacity(512 + ls.len() * 900);
    if !r.warnings.is_empty() {
        o.lit("<ul class=\"warnings\" role=\"status\" aria-label=\"Warnings\">");
        for w in &r.warnings {
            o.cell("li", "", w);
        }
        o.lit("</ul>");
    }
    o.lit("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Results table\">")
        .lit("<table class=\"views-table results-grid\" aria-label=\"Results\"><thead><tr>");
    for (c, label) in COLUMNS.iter().enumerate() {
        if c == 3 && !amounts {
            continue;
        }
        let (asc, desc) = (sort_key(c, false), sort_key(c, true));
        o.lit(if c == 0 {
            "<th scope=\"col\" class=\"sticky\" aria-sort=\""
        } else {
            "<th scope=\"col\" aria-sort=\""
        })
        .lit(if sort == asc {
            "ascending"
        } else if sort == desc {
            "descending"
        } else {
            "none"
        })
        .lit("\"><button type=\"button\" class=\"sort\" id=\"sort-")
        .n(c as f64, 0)
        .lit("\" data-sort=\"")
        .n(f64::from(if sort == asc { desc } else { asc }), 0)
        .lit("\">")
        .lit(label)
        .lit("</button></th>");
    }
    o.lit("</tr></thead><tbody>");
    let money = |p: Option<f64>| p.map(|p| format::number(p, 2)).unwrap_or_default();
    for i in order(&ls, sort, show) {
        let l = &ls[i];
        let cell = |x: Option<f64>| text(shown(x, l.premium, show), show);
        o.lit("<tr>").cell("th scope=\"row\"", "sticky", &l.origin).cell("td", "", &cell(l.latest)).cell(
            "td",
            "",
            &money(l.premium),
        );
        if amounts {
            o.cell("td", "", &text(shown(l.latest, l.premium, Show::Ratios), Show::Ratios));
        }
        for (k, m) in METHODS.iter().enumerate() {
            let Some(u) = l.ultimates[k] else {
                o.lit("<td class=\"method\"></td>");
                continue;
            };
            let pressed = l.selected_method == *m;
            o.lit(if pressed { "<td class=\"method selected\">" } else { "<td class=\"method\">" })
                .lit("<button type=\"button\" class=\"pick\" id=\"pick-")
                .n(i as f64, 0)
                .lit("-")
                .n(k as f64, 0)
                .lit("\" data-method=\"")
                .lit(m.name())
                .lit("\" data-origin=\"")
                .text(&l.origin)
                .lit("\" aria-label=\"Select ")
                .lit(method_text(*m))
                .lit(" for ")
                .text(&l.origin)
                .lit(if pressed { "\" aria-pressed=\"true\">" } else { "\" aria-pressed=\"false\">" })
                .text(&text(shown(Some(u), l.premium, show), show))
                .lit("</button></td>");
        }
        o.cell("td", "chosen", &cell(l.selected))
            .cell("td", "", &cell(l.ibnr))
            .cell("td", "", &cell(l.mack_se))
            .lit("</tr>");
    }
    let total = |x: Option<f64>| text(shown(x, tot.premium, show), show);
    o.lit("</tbody><tfoot><tr>")
        .cell("th scope=\"row\"", "sticky", "Total")
        .cell("td", "", &total(Some(tot.latest)))
        .cell("td", "", &money(tot.premium));
    if amounts {
        o.cell("td", "", &text(shown(Some(tot.latest), tot.premium, Show::Ratios), Show::Ratios));
    }
    for u in tot.ultimates {
        o.cell("td", "", &total(u));
    }
    o.cell("td", "", &total(Some(tot.selected)))
        .cell("td", "", &total(Some(tot.ibnr)))
        .cell("td", "", &total(tot.mack_se))
        .lit("</tr></tfoot></table></div>");
    o.done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::{MackResult, Selected};

    fn mr(ultimate: Vec<f64>, latest: &[f64]) -> MethodResult {
        let ibnr: Vec<f64> = ultimate.iter().zip(latest).map(|(u, l)| u - l).collect();
        let total_ibnr = ibnr.iter().sum();
        MethodResult { ultimate, ibnr, total_ibnr }
    }

    fn reserve(with_premium: bool) -> Reserve {
        let latest = vec![500.0, 300.0];
        let mut r =
            Reserve { origins: vec!["2005".into(), "2006".into()], latest: latest.clone(), ..Reserve::default() };
        r.methods.chainladder = mr(vec![600.0, 500.0], &latest);
        r.methods.mack = Some(MackResult {
            result: r.methods.chainladder.clone(),
            mack_std_err: vec![10.0, 20.0],
            total_mack_std_err: 25.0,
        });
        r.selected = Selected { method: vec![Method::Chainladder; 2], result: mr(vec![600.0, 500.0], &latest) };
        if with_premium {
            r.premium = Some(vec![1000.0, 0.0]);
            r.methods.bornhuetter_ferguson = Some(mr(vec![650.0, 450.0], &latest));
            r.methods.benktander = Some(mr(vec![620.0, 470.0], &latest));
            r.selected = Selected {
                method: vec![Method::Chainladder, Method::Benktander],
                result: mr(vec![600.0, 470.0], &latest),
            };
        }
        r
    }

    #[test]
    fn lines_and_totals_with_missing_methods() {
        let r = reserve(false);
        let ls = lines(&r);
        assert_eq!(ls[0].ultimates, [Some(600.0), None, None, None]);
        assert_eq!(ls[1].selected_method, Method::Chainladder);
        assert_eq!(ls[1].mack_se, Some(20.0));
        assert_eq!(ls[0].premium, None);
        let t = totals(&r, &ls);
        assert_eq!(t.ultimates, [Some(1100.0), None, None, None]);
        assert_eq!(t.latest, 800.0);
        assert_eq!(t.ibnr, 300.0);
        assert_eq!(t.premium, None);
        assert_eq!(t.mack_se, Some(25.0));
        assert_eq!(text(Some(t.ibnr), Show::Amounts), "300.00");
    }

    #[test]
    fn the_engines_choice_is_pressed() {
        let r = reserve(true);
        let ls = lines(&r);
        assert_eq!(ls[1].selected_method, Method::Benktander);
        assert_eq!(ls[0].selected_method, Method::Chainladder);
        assert_eq!(ls[0].ultimates, [Some(600.0), Some(650.0), Some(620.0), None]);
        let t = totals(&r, &ls);
        assert_eq!(t.ultimates[1], Some(1100.0));
        assert_eq!(t.premium, Some(1000.0));
        assert_eq!(t.selected, 1070.0);
        let m = markup(&r, Show::Amounts, 0);
        assert!(m.contains(
            "<button type=\"button\" class=\"pick\" id=\"pick-1-2\" data-method=\"benktander\" data-origin=\"2006\" \
             aria-label=\"Select Benktander for 2006\" aria-pressed=\"true\">470.00</button>"
        ));
        assert!(m.contains("aria-label=\"Select Chain ladder for 2006\" aria-pressed=\"false\">500.00<"));
        // Total row: latest, premium, loss ratio, four methods (Cape Cod
        // blank), selected, IBNR (600-500 + 470-300), Mack.
        assert!(m.contains(
            "<tfoot><tr><th scope=\"row\" class=\"sticky\">Total</th><td>800.00</td><td>1,000.00</td>\
             <td>80.0%</td><td>1,100.00</td><td>1,100.00</td><td>1,090.00</td><td></td><td>1,070.00</td>\
             <td>270.00</td><td>25.00</td></tr></tfoot>"
        ));
    }

    /// Three origins; 2007 has no Mack S.E. and no premium.
    fn three() -> Reserve {
        let latest = vec![500.0, 300.0, 100.0];
        let mut r = Reserve {
            origins: vec!["2005".into(), "2006".into(), "2007".into()],
            latest: latest.clone(),
            ..Reserve::default()
        };
        r.methods.chainladder = mr(vec![600.0, 500.0, 400.0], &latest);
        r.methods.mack = Some(MackResult {
            result: r.methods.chainladder.clone(),
            mack_std_err: vec![10.0, 20.0, f64::NAN],
            total_mack_std_err: 25.0,
        });
        r.selected = Selected { method: vec![Method::Chainladder; 3], result: r.methods.chainladder.clone() };
        r.premium = Some(vec![1000.0, 400.0, f64::NAN]);
        r
    }

    #[test]
    fn rows_sort_by_any_column_with_missing_values_last() {
        let r = three();
        let ls = lines(&r);
        // IBNR 100, 200, 300.
        assert_eq!(order(&ls, 0, Show::Amounts), [0, 1, 2]);
        assert_eq!(order(&ls, sort_key(9, false), Show::Amounts), [0, 1, 2]);
        assert_eq!(order(&ls, sort_key(9, true), Show::Amounts), [2, 1, 0]);
        assert_eq!(order(&ls, sort_key(0, true), Show::Amounts), [2, 1, 0]);
        // Mack S.E. and premium: 2007 has none, so it is last both ways.
        assert_eq!(order(&ls, sort_key(10, true), Show::Amounts), [1, 0, 2]);
        assert_eq!(order(&ls, sort_key(10, false), Show::Amounts), [0, 1, 2]);
        assert_eq!(order(&ls, sort_key(2, false), Show::Amounts), [1, 0, 2]);
        // As ratios, 2006's IBNR is 50% and 2005's 10%; 2007 has no ratio.
        assert_eq!(order(&ls, sort_key(9, true), Show::Ratios), [1, 0, 2]);
        // Numbers, not text: 1,000 after 400.
        assert_eq!(order(&ls, sort_key(2, true), Show::Amounts), [0, 1, 2]);
        // A column of methods without results keeps the origins' order.
        assert_eq!(order(&ls, sort_key(5, true), Show::Amounts), [0, 1, 2]);
    }

    #[test]
    fn a_sorted_table_keeps_its_total_last_and_its_buttons() {
        let m = markup(&three(), Show::Amounts, sort_key(9, true));
        let at = |s: &str| m.find(s).unwrap_or_else(|| panic!("{s} in {m}"));
        assert!(at(">2007</th>") < at(">2006</th>") && at(">2006</th>") < at(">2005</th>"));
        assert!(at(">2005</th>") < at(">Total</th>") && m.ends_with("</tr></tfoot></table></div>"));
        // The pressed header says how it sorts and that a press reverses it;
        // the others sort ascending first.
        assert!(m.contains("<th scope=\"col\" aria-sort=\"descending\"><button type=\"button\" class=\"sort\" id=\"sort-9\" data-sort=\"20\">IBNR</button></th>"));
        assert!(m.contains("<th scope=\"col\" class=\"sticky\" aria-sort=\"none\"><button type=\"button\" class=\"sort\" id=\"sort-0\" data-sort=\"2\">Origin</button></th>"));
        let asc = markup(&three(), Show::Amounts, sort_key(9, false));
        assert!(asc.contains(
            "aria-sort=\"ascending\"><button type=\"button\" class=\"sort\" id=\"sort-9\" data-sort=\"21\">"
        ));
        // A figure's button keeps its origin's id wherever its row is.
        assert!(m.contains("id=\"pick-2-0\" data-method=\"chainladder\" data-origin=\"2007\""));
        // The loss ratio is not shown as ratios: that sort is dropped.
        let lr = markup(&three(), Show::Ratios, sort_key(3, true));
        assert!(!lr.contains("aria-sort=\"descending\"") && lr.find(">2005</th>") < lr.find(">2006</th>"));
    }

    #[test]
    fn ratios_to_premium_skip_zero_premium() {
        assert_eq!(shown(Some(600.0), Some(1000.0), Show::Ratios), Some(0.6));
        assert_eq!(shown(Some(600.0), Some(0.0), Show::Ratios), None);
        assert_eq!(shown(Some(600.0), None, Show::Ratios), None);
        assert_eq!(shown(Some(600.0), None, Show::Amounts), Some(600.0));
        assert_eq!(shown(Some(f64::NAN), None, Show::Amounts), None);
        assert_eq!(text(Some(0.6), Show::Ratios), "60.0%");
        assert_eq!(text(Some(2775.88849), Show::Amounts), "2,775.89");
        let m = markup(&reserve(true), Show::Ratios, 0);
        assert!(!m.contains("Loss ratio"));
        // 2005: 600 / 1000; 2006 has premium 0, so its ratios are blank.
        assert!(m.contains("aria-pressed=\"true\">60.0%</button>"));
        assert!(m.contains("aria-label=\"Select Benktander for 2006\" aria-pressed=\"true\"></button>"));
        // Without premium, ratios are not offered: amounts are shown.
        assert!(markup(&reserve(false), Show::Ratios, 0).contains("Loss ratio"));
    }

    #[test]
    fn labels_are_escaped_and_short_results_do_not_panic() {
        let mut r = Reserve { origins: vec!["<2000>".into()], ..Reserve::default() };
        r.warnings.push("drop of \"x\" & y".into());
        let m = markup(&r, Show::Amounts, 0);
        assert!(m.contains("<th scope=\"row\" class=\"sticky\">&lt;2000&gt;</th>"));
        assert!(m.contains("<li>drop of &quot;x&quot; &amp; y</li>"));
        let ls = lines(&r);
        assert_eq!(ls[0].latest, None);
        assert_eq!(ls[0].ultimates, [None; 4]);
        assert_eq!(totals(&r, &ls).selected, 0.0);
        assert!(lines(&Reserve::default()).is_empty());
    }
}
