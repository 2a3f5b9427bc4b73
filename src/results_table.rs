//! The results table's figures as the page shows them: every method's
//! ultimate per origin side by side, the selected ultimate and its IBNR,
//! Mack's standard error, and totals, in the order the user asked for, as
//! amounts or as ratios to each origin's premium (totals over total
//! premium), the way loss ratios are compared across years. A method
//! without results (no premium: no BF, Benktander or Cape Cod) leaves its
//! cells empty.
//!
//! Pure, so that it is tested without a browser: the results view renders
//! the [`Table`] as it is ([`crate::components::results_table`]). Each
//! column's header sorts the rows by that column (ascending first, then
//! descending); the total row stays last.

use runoff_engine::session::Method;
use runoff_engine::{MethodResult, Reserve};
use runoff_worker::format;
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
    "BF",
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

/// A column's header: its label (with the words an abbreviation stands
/// for), the order shown (`aria-sort`) and the order a press asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The column's number in a sort ([`sort_key`]).
    pub column: usize,
    pub label: &'static str,
    pub expansion: Option<&'static str>,
    /// `ascending`, `descending` or `none`.
    pub aria_sort: &'static str,
    pub asks: u8,
}

/// A cell after the origin's.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A figure; `chosen` for the selected ultimate.
    Figure { text: String, chosen: bool },
    /// A method's ultimate, which selects the method for its origin;
    /// `pressed` for the method that counts.
    Pick { method: Method, pressed: bool, text: String },
    /// A method without results.
    NoResult,
}

/// One origin's row: `index` is its place in the origins' own order, which
/// names its buttons wherever the row is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub index: usize,
    pub origin: String,
    pub cells: Vec<Cell>,
}

/// The table as shown: headers, rows in the order asked for, the total
/// row's cells after its label, and the warnings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub headers: Vec<Header>,
    pub rows: Vec<Row>,
    pub total: Vec<String>,
    pub warnings: Vec<String>,
}

/// The table of `r`, its rows in the order `sort` asks for ([`sort_key`]).
/// Without premium there is nothing to divide by, so ratios fall back to
/// amounts.
pub fn table(r: &Reserve, show: Show, sort: u8) -> Table {
    let show = if r.premium.is_some() { show } else { Show::Amounts };
    let amounts = show == Show::Amounts;
    // The loss ratio is a column of amounts only.
    let sort = if !amounts && sort >> 1 == 4 { 0 } else { sort };
    let ls = lines(r);
    let tot = totals(r, &ls);
    let headers = COLUMNS
        .iter()
        .enumerate()
        .filter(|(c, _)| *c != 3 || amounts)
        .map(|(column, label)| {
            let (asc, desc) = (sort_key(column, false), sort_key(column, true));
            Header {
                column,
                label,
                expansion: (column == 5).then_some("Bornhuetter-Ferguson"),
                aria_sort: if sort == asc {
                    "ascending"
                } else if sort == desc {
                    "descending"
                } else {
                    "none"
                },
                asks: if sort == asc { desc } else { asc },
            }
        })
        .collect();
    let money = |p: Option<f64>| p.map(|p| format::number(p, 2)).unwrap_or_default();
    let figure = |text: String| Cell::Figure { text, chosen: false };
    let rows = order(&ls, sort, show)
        .into_iter()
        .map(|index| {
            let l = &ls[index];
            let cell = |x: Option<f64>| text(shown(x, l.premium, show), show);
            let mut cells = vec![figure(cell(l.latest)), figure(money(l.premium))];
            if amounts {
                cells.push(figure(text(shown(l.latest, l.premium, Show::Ratios), Show::Ratios)));
            }
            for (k, m) in METHODS.iter().enumerate() {
                cells.push(match l.ultimates[k] {
                    Some(u) => Cell::Pick {
                        method: *m,
                        pressed: l.selected_method == *m,
                        text: text(shown(Some(u), l.premium, show), show),
                    },
                    None => Cell::NoResult,
                });
            }
            cells.push(Cell::Figure { text: cell(l.selected), chosen: true });
            cells.extend([figure(cell(l.ibnr)), figure(cell(l.mack_se))]);
            Row { index, origin: l.origin.clone(), cells }
        })
        .collect();
    let total_of = |x: Option<f64>| text(shown(x, tot.premium, show), show);
    let mut total = vec![total_of(Some(tot.latest)), money(tot.premium)];
    if amounts {
        total.push(text(shown(Some(tot.latest), tot.premium, Show::Ratios), Show::Ratios));
    }
    total.extend(tot.ultimates.iter().map(|u| total_of(*u)));
    total.extend([total_of(Some(tot.selected)), total_of(Some(tot.ibnr)), total_of(tot.mack_se)]);
    Table { headers, rows, total, warnings: r.warnings.clone() }
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
        let tab = table(&r, Show::Amounts, 0);
        let row = &tab.rows[1];
        // Latest, premium, loss ratio, then the methods.
        assert_eq!(row.cells[5], Cell::Pick { method: Method::Benktander, pressed: true, text: "470.00".into() });
        assert_eq!(row.cells[3], Cell::Pick { method: Method::Chainladder, pressed: false, text: "500.00".into() });
        assert_eq!(row.cells[6], Cell::NoResult);
        assert_eq!(row.cells[7], Cell::Figure { text: "470.00".into(), chosen: true });
        // Total row: latest, premium, loss ratio, four methods (Cape Cod
        // blank), selected, IBNR (600-500 + 470-300), Mack.
        assert_eq!(
            tab.total,
            ["800.00", "1,000.00", "80.0%", "1,100.00", "1,100.00", "1,090.00", "", "1,070.00", "270.00", "25.00"]
        );
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
        let tab = table(&three(), Show::Amounts, sort_key(9, true));
        let origins: Vec<&str> = tab.rows.iter().map(|r| r.origin.as_str()).collect();
        assert_eq!(origins, ["2007", "2006", "2005"]);
        // A row keeps its origin's place, which names its buttons.
        assert_eq!(tab.rows[0].index, 2);
        // The pressed header says how it sorts and that a press reverses it;
        // the others sort ascending first.
        let ibnr = tab.headers.iter().find(|h| h.label == "IBNR").unwrap();
        assert_eq!((ibnr.column, ibnr.aria_sort, ibnr.asks), (9, "descending", 20));
        assert_eq!((tab.headers[0].label, tab.headers[0].aria_sort, tab.headers[0].asks), ("Origin", "none", 2));
        let asc = table(&three(), Show::Amounts, sort_key(9, false));
        let ibnr = asc.headers.iter().find(|h| h.column == 9).unwrap();
        assert_eq!((ibnr.aria_sort, ibnr.asks), ("ascending", 21));
        let bf = asc.headers.iter().find(|h| h.column == 5).unwrap();
        assert_eq!((bf.label, bf.expansion), ("BF", Some("Bornhuetter-Ferguson")));
        // The loss ratio is not shown as ratios: that sort is dropped.
        let lr = table(&three(), Show::Ratios, sort_key(3, true));
        assert!(lr.headers.iter().all(|h| h.aria_sort == "none" && h.column != 3));
        assert_eq!(lr.rows[0].origin, "2005");
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
        let tab = table(&reserve(true), Show::Ratios, 0);
        assert!(tab.headers.iter().all(|h| h.label != "Loss ratio"));
        // 2005: 600 / 1000; 2006 has premium 0, so its ratios are blank.
        assert_eq!(
            tab.rows[0].cells[2],
            Cell::Pick { method: Method::Chainladder, pressed: true, text: "60.0%".into() }
        );
        assert_eq!(tab.rows[1].cells[4], Cell::Pick { method: Method::Benktander, pressed: true, text: String::new() });
        // Without premium, ratios are not offered: amounts are shown.
        assert!(table(&reserve(false), Show::Ratios, 0).headers.iter().any(|h| h.label == "Loss ratio"));
    }

    #[test]
    fn short_results_do_not_panic() {
        let mut r = Reserve { origins: vec!["<2000>".into()], ..Reserve::default() };
        r.warnings.push("drop of \"x\" & y".into());
        let tab = table(&r, Show::Amounts, 0);
        assert_eq!((tab.rows[0].origin.as_str(), tab.warnings.len()), ("<2000>", 1));
        let ls = lines(&r);
        assert_eq!(ls[0].latest, None);
        assert_eq!(ls[0].ultimates, [None; 4]);
        assert_eq!(totals(&r, &ls).selected, 0.0);
        assert!(lines(&Reserve::default()).is_empty());
    }
}
