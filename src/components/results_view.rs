//! The results view: every method's ultimate per origin side by side, the
//! selected ultimate and its IBNR, Mack's standard error, and totals. Each
//! method's ultimate is also the button that selects that method for the
//! origin, so the choice is made where the figures are compared.
//!
//! Figures can be shown as amounts or as ratios to each origin's premium
//! (totals over total premium), the way loss ratios are compared across
//! years. A method without results (no premium: no BF, Benktander or Cape
//! Cod) leaves its cells empty.

use crate::components::controls::Select;
use crate::format;
use runoff_engine::session::Method;
use runoff_engine::{Action, MethodResult, Reserve, Settings};
use std::rc::Rc;
use yew::prelude::*;

/// How a method is named on the page.
pub fn method_text(m: Method) -> &'static str {
    match m {
        Method::Chainladder => "Chain ladder",
        Method::BornhuetterFerguson => "Bornhuetter-Ferguson",
        Method::Benktander => "Benktander",
        Method::CapeCod => "Cape Cod",
    }
}

/// The short column heading of a method.
fn method_heading(m: Method) -> &'static str {
    match m {
        Method::BornhuetterFerguson => "BF",
        other => method_text(other),
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

/// The method that counts for an origin: the session's choice when that
/// method has a result for it, else the chain ladder (as the engine falls
/// back). The session's choice is used rather than the results' so that a
/// click shows at once, before the recalculation returns.
pub fn effective_method(chosen: Method, has_result: impl Fn(Method) -> bool) -> Method {
    if has_result(chosen) {
        chosen
    } else {
        Method::Chainladder
    }
}

/// Amounts or ratios to premium.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    Amounts,
    Ratios,
}

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
    pub selected_method: Method,
    pub selected: Option<f64>,
    pub ibnr: Option<f64>,
    pub mack_se: Option<f64>,
}

/// The table's lines from the results and the session's choices.
pub fn lines(r: &Reserve, settings: &Settings) -> Vec<Line> {
    let get = |v: &[f64], i: usize| v.get(i).copied().filter(|x| x.is_finite());
    r.origins
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let ultimates = METHODS.map(|m| method_result(r, m).and_then(|res| get(&res.ultimate, i)));
            let has = |m: Method| METHODS.iter().position(|x| *x == m).and_then(|k| ultimates[k]).is_some();
            Line {
                origin: o.clone(),
                latest: get(&r.latest, i),
                premium: r.premium.as_deref().and_then(|p| get(p, i)),
                ultimates,
                selected_method: effective_method(settings.selected(o), has),
                selected: get(&r.selected.result.ultimate, i),
                ibnr: get(&r.selected.result.ibnr, i),
                mack_se: r.methods.mack.as_ref().and_then(|m| get(&m.mack_std_err, i)),
            }
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

/// Latest over premium.
fn loss_ratio(latest: Option<f64>, premium: Option<f64>) -> Option<f64> {
    shown(latest, premium, Show::Ratios)
}

#[derive(Properties, PartialEq)]
pub struct ResultsViewProps {
    pub results: Rc<Reserve>,
    pub settings: Settings,
    pub on_action: Callback<Action>,
}

#[component]
pub fn ResultsView(props: &ResultsViewProps) -> Html {
    let show_state = use_state(|| Show::Amounts);
    let r = &props.results;
    let has_premium = r.premium.is_some();
    // Without premium there is nothing to divide by.
    let show = if has_premium { *show_state } else { Show::Amounts };
    let on_show = {
        let show_state = show_state.clone();
        Callback::from(move |v: String| show_state.set(if v == "ratios" { Show::Ratios } else { Show::Amounts }))
    };
    let show_options = vec![
        (AttrValue::Static("amounts"), AttrValue::Static("Amounts")),
        (AttrValue::Static("ratios"), AttrValue::Static("Ratios to premium")),
    ];

    let ls = lines(r, &props.settings);
    let tot = totals(r, &ls);
    let cell = |x: Option<f64>, premium: Option<f64>| text(shown(x, premium, show), show);
    let has_method = METHODS.map(|m| method_result(r, m).is_some());

    let rows = ls.iter().map(|l| {
        let buttons = METHODS.iter().enumerate().map(|(k, &m)| {
            let Some(u) = l.ultimates[k] else {
                return html! { <td class="method"></td> };
            };
            let pressed = l.selected_method == m;
            let onclick = {
                let (cb, origin) = (props.on_action.clone(), l.origin.clone());
                Callback::from(move |_| {
                    // Selecting the selected method again changes nothing,
                    // so it makes no history entry.
                    if !pressed {
                        let method = (m != Method::Chainladder).then_some(m);
                        cb.emit(Action::SetSelected { origin: origin.clone(), method })
                    }
                })
            };
            html! {
                <td class={classes!("method", pressed.then_some("selected"))}>
                    <button type="button" class="pick"
                        aria-label={format!("Select {} for {}", method_text(m), l.origin)}
                        aria-pressed={pressed.to_string()}
                        {onclick}>
                        { text(shown(Some(u), l.premium, show), show) }
                    </button>
                </td>
            }
        });
        html! {
            <tr key={l.origin.clone()}>
                <th scope="row" class="sticky">{ l.origin.clone() }</th>
                <td>{ cell(l.latest, l.premium) }</td>
                <td>{ l.premium.map(|p| format::number(p, 2)).unwrap_or_default() }</td>
                if show == Show::Amounts {
                    <td>{ text(loss_ratio(l.latest, l.premium), Show::Ratios) }</td>
                }
                { for buttons }
                <td class="chosen">{ cell(l.selected, l.premium) }</td>
                <td>{ cell(l.ibnr, l.premium) }</td>
                <td>{ cell(l.mack_se, l.premium) }</td>
            </tr>
        }
    });

    let total_cell = |x: Option<f64>| text(shown(x, tot.premium, show), show);
    html! {
        <section class="results-view" aria-label="Results by origin">
            if !r.warnings.is_empty() {
                <ul class="warnings" role="status" aria-label="Warnings">
                    { for r.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                </ul>
            }
            <div class="settings">
                <Select label="Show" options={show_options}
                    value={AttrValue::Static(if show == Show::Ratios { "ratios" } else { "amounts" })}
                    on_change={on_show} disabled={!has_premium} />
            </div>
            <p class="note">
                { "Ultimates by method: press a figure to select that method for its origin. " }
                if show == Show::Ratios {
                    { "Figures are percentages of each origin's premium; totals of total premium." }
                }
                if !has_premium {
                    { "This segment has no premium, so only the chain ladder has results." }
                }
            </p>
            <div class="scroll" tabindex="0" role="region" aria-label="Results table">
                <table class="views-table results-grid" aria-label="Results">
                    <thead>
                        <tr>
                            <th scope="col" class="sticky">{ "Origin" }</th>
                            <th scope="col">{ "Latest" }</th>
                            <th scope="col">{ "Premium" }</th>
                            if show == Show::Amounts {
                                <th scope="col">{ "Loss ratio" }</th>
                            }
                            { for METHODS.iter().map(|&m| html! {
                                <th scope="col">
                                    if m == Method::BornhuetterFerguson {
                                        <abbr title={method_text(m)}>{ method_heading(m) }</abbr>
                                    } else {
                                        { method_heading(m) }
                                    }
                                </th>
                            }) }
                            <th scope="col">{ "Selected" }</th>
                            <th scope="col">{ "IBNR" }</th>
                            <th scope="col">{ "Mack S.E." }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" class="sticky">{ "Total" }</th>
                            <td>{ total_cell(Some(tot.latest)) }</td>
                            <td>{ tot.premium.map(|p| format::number(p, 2)).unwrap_or_default() }</td>
                            if show == Show::Amounts {
                                <td>{ text(loss_ratio(Some(tot.latest), tot.premium), Show::Ratios) }</td>
                            }
                            { for (0..METHODS.len()).map(|k| html! {
                                <td>{ if has_method[k] { total_cell(tot.ultimates[k]) } else { String::new() } }</td>
                            }) }
                            <td>{ total_cell(Some(tot.selected)) }</td>
                            <td>{ total_cell(Some(tot.ibnr)) }</td>
                            <td>{ total_cell(tot.mack_se) }</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </section>
    }
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
        let mut r = Reserve {
            origins: vec!["2005".into(), "2006".into()],
            latest: latest.clone(),
            ..Reserve::default()
        };
        r.methods.chainladder = mr(vec![600.0, 500.0], &latest);
        r.methods.mack = Some(MackResult {
            result: r.methods.chainladder.clone(),
            mack_std_err: vec![10.0, 20.0],
            total_mack_std_err: 25.0,
        });
        if with_premium {
            r.premium = Some(vec![1000.0, 0.0]);
            r.methods.bornhuetter_ferguson = Some(mr(vec![650.0, 450.0], &latest));
            r.methods.benktander = Some(mr(vec![620.0, 470.0], &latest));
        }
        r.selected = Selected { method: vec![Method::Chainladder; 2], result: mr(vec![600.0, 500.0], &latest) };
        r
    }

    #[test]
    fn lines_and_totals_with_missing_methods() {
        let r = reserve(false);
        let mut s = Settings::default();
        // BF chosen but not computed: the chain ladder counts, as in the engine.
        s.selected_ultimate_by_uwy.insert("2006".into(), Method::BornhuetterFerguson);
        let ls = lines(&r, &s);
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
    fn a_computed_choice_counts_at_once() {
        let r = reserve(true);
        let mut s = Settings::default();
        s.selected_ultimate_by_uwy.insert("2006".into(), Method::Benktander);
        let ls = lines(&r, &s);
        assert_eq!(ls[1].selected_method, Method::Benktander);
        assert_eq!(ls[0].selected_method, Method::Chainladder);
        assert_eq!(ls[0].ultimates, [Some(600.0), Some(650.0), Some(620.0), None]);
        let t = totals(&r, &ls);
        assert_eq!(t.ultimates[1], Some(1100.0));
        assert_eq!(t.premium, Some(1000.0));
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
        assert_eq!(loss_ratio(Some(500.0), Some(1000.0)), Some(0.5));
    }

    #[test]
    fn empty_and_short_results_do_not_panic() {
        let r = Reserve { origins: vec!["2000".into()], ..Reserve::default() };
        let ls = lines(&r, &Settings::default());
        assert_eq!(ls[0].latest, None);
        assert_eq!(ls[0].ultimates, [None; 4]);
        let t = totals(&r, &ls);
        assert_eq!(t.selected, 0.0);
        assert!(lines(&Reserve::default(), &Settings::default()).is_empty());
    }
}
