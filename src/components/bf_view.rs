//! The Bornhuetter-Ferguson view: the expected loss ratio per origin (the
//! actuary's a priori judgement), what it implies in expected losses, and the
//! resulting BF ultimates and IBNR; with the settings of the other
//! expected-loss methods (Benktander iterations, Cape Cod trend and decay).
//!
//! Beside each origin's expected loss ratio the table shows the chain
//! ladder's and Cape Cod's implied loss ratios, the figures an actuary
//! weighs the a priori ratio against.
//!
//! Every change is an engine [`Action`] emitted through `on_action`; the
//! reducer validates ranges (and says why it refuses a value). This view only
//! reads the text (with [`crate::entry`]): an entry that is no number gets an
//! inline error next to its field and emits nothing. Fields are text fields
//! ([`Field`]) rather than number fields, because a browser's number field
//! hides unreadable text from the page, which could then not say what is
//! wrong. A trailing `%` is read as a percentage (`65%` is 0.65).

use crate::components::controls::Field;
use crate::entry;
use crate::format;
use runoff_engine::{Action, Reserve, Settings};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// A ratio as the fields show it: the stored value, without float noise
/// (`0.6`, not `0.6000000000000001`).
pub fn ratio_text(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = crate::format::fixed(x, 10);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A loss ratio as a percentage with one decimal (`65.0%`), empty for none.
pub fn percent(x: Option<f64>) -> String {
    x.filter(|x| x.is_finite()).map(|x| format!("{}%", format::number(x * 100.0, 1))).unwrap_or_default()
}

/// `num / den` where the divisor is a finite non-zero number.
fn divide(num: Option<f64>, den: Option<f64>) -> Option<f64> {
    match (num, den) {
        (Some(n), Some(d)) if d != 0.0 && d.is_finite() => Some(n / d).filter(|x| x.is_finite()),
        _ => None,
    }
}

/// One origin's line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct BfRow {
    pub origin: String,
    pub premium: Option<f64>,
    /// The expected loss ratio that applies (the origin's own or the default).
    pub ratio: f64,
    /// Whether the origin has its own ratio (else it is the default).
    pub own: bool,
    /// Premium × ratio.
    pub expected: Option<f64>,
    pub ultimate: Option<f64>,
    pub ibnr: Option<f64>,
    /// The chain ladder's ultimate over premium.
    pub chainladder_ratio: Option<f64>,
    /// Cape Cod's derived ratio at the origin's level.
    pub cape_cod_ratio: Option<f64>,
}

/// The table's lines. Results are matched by origin label, so results from
/// a previous recalculation (or of other origins) only leave cells empty.
pub fn rows(origins: &[String], premium: Option<&[f64]>, settings: &Settings, results: Option<&Reserve>) -> Vec<BfRow> {
    origins
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let p = premium.and_then(|p| p.get(i).copied()).filter(|x| x.is_finite());
            let ratio = settings.apriori(o);
            let k = results.and_then(|r| r.origins.iter().position(|x| x == o));
            let at = |v: Option<&Vec<f64>>| k.and_then(|k| v.and_then(|v| v.get(k).copied()));
            let bf = results.and_then(|r| r.methods.bornhuetter_ferguson.as_ref());
            let cc = results.and_then(|r| r.methods.cape_cod.as_ref());
            let cl = at(results.map(|r| &r.methods.chainladder.ultimate));
            BfRow {
                origin: o.clone(),
                premium: p,
                ratio,
                own: settings.bf_apriori_by_uwy.contains_key(o),
                expected: p.map(|p| p * ratio),
                ultimate: at(bf.map(|r| &r.ultimate)),
                ibnr: at(bf.map(|r| &r.ibnr)),
                chainladder_ratio: divide(cl, p),
                cape_cod_ratio: at(cc.map(|c| &c.detrended_apriori))
                    .or_else(|| at(cc.map(|c| &c.apriori_by_origin)))
                    .filter(|x| x.is_finite()),
            }
        })
        .collect()
}

/// Totals of the table: premium, expected losses, BF ultimate and IBNR
/// (each over the origins that have it), and the implied overall ratio.
#[derive(Debug, Clone, PartialEq)]
pub struct BfTotals {
    pub premium: f64,
    pub expected: f64,
    pub ultimate: f64,
    pub ibnr: f64,
    /// Expected losses over premium: the premium-weighted expected ratio.
    pub ratio: Option<f64>,
}

pub fn totals(rows: &[BfRow]) -> BfTotals {
    let sum = |f: fn(&BfRow) -> Option<f64>| rows.iter().filter_map(f).sum::<f64>();
    let premium = sum(|r| r.premium);
    let expected = sum(|r| r.expected);
    BfTotals {
        premium,
        expected,
        ultimate: sum(|r| r.ultimate),
        ibnr: sum(|r| r.ibnr),
        ratio: divide(Some(expected), Some(premium)),
    }
}

/// Reads a field's text into the action it asks for, or says why it cannot.
type Reader = Rc<dyn Fn(&str) -> Result<Action, entry::Unreadable>>;

// The fields' labels, which their messages name too.
const DEFAULT: &str = "Default expected loss ratio";
const FILL: &str = "Expected loss ratio for all origins";
const ITERATIONS: &str = "Benktander iterations";
const TREND: &str = "Cape Cod trend";
const DECAY: &str = "Cape Cod decay";

/// An origin's expected loss ratio field's label (its accessible name).
fn origin_label(origin: &str) -> String {
    format!("Expected loss ratio {origin}")
}

#[derive(Properties, PartialEq)]
pub struct BfViewProps {
    pub origins: Vec<String>,
    pub premium: Option<Vec<f64>>,
    pub settings: Settings,
    pub results: Option<Rc<Reserve>>,
    pub on_action: Callback<Action>,
}

/// An element id from a label (origins like `2006Q1` are already safe; any
/// other character becomes `-`).
fn id_part(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

#[component]
pub fn BfView(props: &BfViewProps) -> Html {
    // Inline errors by field, with the text that caused them (shown in the
    // field instead of the setting, so the entry can be corrected), and the
    // text of the "fill all" field (it is
    // read when the button is pressed).
    let errors = use_state(BTreeMap::<String, (String, String)>::new);
    let fill_text = use_state(String::new);

    let Some(premium) = props.premium.as_deref() else {
        return html! {
            <section class="bf-view" aria-label="Bornhuetter-Ferguson">
                <p class="note">
                    { "The Bornhuetter-Ferguson method (and Benktander and Cape Cod with it) needs premium per origin, and this segment has none. Load premium with the data to use these methods." }
                </p>
            </section>
        };
    };
    let s = &props.settings;

    // A field's callback: reads the text, clears or sets the field's error,
    // and emits the action when the text reads.
    let field = |key: String, make: Reader| {
        let (errors, cb) = (errors.clone(), props.on_action.clone());
        Callback::from(move |text: String| {
            let mut e = (*errors).clone();
            match make(&text) {
                Ok(a) => {
                    if e.remove(&key).is_some() {
                        errors.set(e);
                    }
                    cb.emit(a);
                }
                Err(why) => {
                    e.insert(key.clone(), (text, why.to_string()));
                    errors.set(e);
                }
            }
        })
    };
    let error = |key: &str| errors.get(key).map(|(_, why)| why.clone());
    // The field's text: the unreadable entry while it has an error, else
    // the setting.
    let shown = |key: &str, setting: String| -> AttrValue {
        AttrValue::from(errors.get(key).map(|(text, _)| text.clone()).unwrap_or(setting))
    };

    let on_default =
        field("default".into(), Rc::new(|t| entry::real_or_percent(DEFAULT, t).map(Action::SetDefaultApriori)));
    let on_fill_text = {
        let fill_text = fill_text.clone();
        Callback::from(move |t: String| fill_text.set(t))
    };
    let on_fill = {
        let (errors, cb, text) = (errors.clone(), props.on_action.clone(), fill_text.clone());
        let origins = props.origins.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut errs = (*errors).clone();
            match entry::real_or_percent(FILL, &text) {
                Ok(value) => {
                    if errs.remove("fill").is_some() {
                        errors.set(errs);
                    }
                    cb.emit(Action::FillApriori { origins: origins.clone(), value });
                }
                Err(why) => {
                    errs.insert("fill".into(), ((*text).clone(), why.to_string()));
                    errors.set(errs);
                }
            }
        })
    };
    let on_iterations =
        field("iterations".into(), Rc::new(|t| Ok(Action::SetBenktanderIterations(entry::whole(ITERATIONS, t)?))));
    let on_trend = field("trend".into(), Rc::new(|t| entry::real_or_percent(TREND, t).map(Action::SetCapeCodTrend)));
    let on_decay = field("decay".into(), Rc::new(|t| entry::real_or_percent(DECAY, t).map(Action::SetCapeCodDecay)));

    let lines = rows(&props.origins, Some(premium), s, props.results.as_deref());
    let total = totals(&lines);
    let money = |x: Option<f64>| x.map(|x| format::number(x, 2)).unwrap_or_default();
    let has_cape_cod = lines.iter().any(|r| r.cape_cod_ratio.is_some());
    let short_premium = premium.len() < props.origins.len();

    let body = lines.iter().map(|r| {
        let key = format!("origin:{}", r.origin);
        let id = format!("bf-ratio-{}", id_part(&r.origin));
        let (origin, label) = (r.origin.clone(), origin_label(&r.origin));
        let on_ratio = field(
            key.clone(),
            Rc::new(move |t| {
                // Empty returns the origin to the default.
                let value = entry::optional(t, |t| entry::real_or_percent(&label, t))?;
                Ok(Action::SetApriori { origin: origin.clone(), value })
            }),
        );
        let on_reset = {
            let (cb, origin, errors) = (props.on_action.clone(), r.origin.clone(), errors.clone());
            let key = key.clone();
            Callback::from(move |_| {
                let mut e = (*errors).clone();
                if e.remove(&key).is_some() {
                    errors.set(e);
                }
                cb.emit(Action::SetApriori { origin: origin.clone(), value: None })
            })
        };
        let source_id = format!("{id}-source");
        html! {
            <tr key={r.origin.clone()} class={classes!(r.own.then_some("own"))}>
                <th scope="row" class="sticky">{ r.origin.clone() }</th>
                <td>{ money(r.premium) }</td>
                <td class={classes!("ratio-cell", (!r.own).then_some("from-default"))}>
                    <Field label={origin_label(&r.origin)} hidden_label=true
                        id={id.clone()} value={shown(&key, ratio_text(r.ratio))} error={error(&key)}
                        describedby={Some(AttrValue::from(source_id.clone()))}
                        on_text={on_ratio} />
                    if r.own {
                        <span id={source_id} class="source visually-hidden">{ "own value" }</span>
                        <button type="button" class="reset" aria-label={format!("Reset {}", r.origin)}
                            title="Return to the default expected loss ratio" onclick={on_reset}>
                            { "Reset" }
                        </button>
                    } else {
                        <span id={source_id} class="source">{ "default" }</span>
                    }
                </td>
                <td>{ money(r.expected) }</td>
                <td>{ money(r.ultimate) }</td>
                <td>{ money(r.ibnr) }</td>
                <td>{ percent(r.chainladder_ratio) }</td>
                if has_cape_cod {
                    <td>{ percent(r.cape_cod_ratio) }</td>
                }
            </tr>
        }
    });

    html! {
        <section class="bf-view" aria-label="Bornhuetter-Ferguson">
            <div class="settings">
                <fieldset>
                    <legend>{ "Expected loss ratio" }</legend>
                    <Field label={DEFAULT} id="bf-default"
                        value={shown("default", ratio_text(s.default_apriori))} error={error("default")} on_text={on_default} />
                    // Its own form, so that Enter in this field fills, and
                    // Enter elsewhere does not.
                    <form class="fill" aria-label="Fill all origins" onsubmit={on_fill}>
                        <Field label={FILL} id="bf-fill" live=true
                            value={AttrValue::from((*fill_text).clone())} error={error("fill")} on_text={on_fill_text} />
                        <button type="submit">{ "Fill all" }</button>
                    </form>
                </fieldset>
                <fieldset>
                    <legend>{ "Benktander and Cape Cod" }</legend>
                    <Field label={ITERATIONS} id="bf-iterations"
                        value={shown("iterations", s.benktander_iterations.to_string())} error={error("iterations")} on_text={on_iterations} />
                    <Field label={TREND} id="bf-trend"
                        value={shown("trend", ratio_text(s.cape_cod_trend))} error={error("trend")} on_text={on_trend} />
                    <Field label={DECAY} id="bf-decay"
                        value={shown("decay", ratio_text(s.cape_cod_decay))} error={error("decay")} on_text={on_decay} />
                </fieldset>
            </div>
            <p class="note">
                { "Ratios are entered as decimals (0.65) or percentages (65%). An origin without its own ratio uses the default; clearing an origin's field also returns it to the default." }
            </p>
            if short_premium {
                <p class="note" role="status">{ "Some origins have no premium: they have no expected losses and no Bornhuetter-Ferguson figures." }</p>
            }
            <div class="scroll" tabindex="0" role="region" aria-label="Bornhuetter-Ferguson by origin">
                <table class="views-table bf">
                    <caption>{ "Bornhuetter-Ferguson by origin" }</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="sticky">{ "Origin" }</th>
                            <th scope="col">{ "Premium" }</th>
                            <th scope="col">{ "Expected loss ratio" }</th>
                            <th scope="col">{ "Expected losses" }</th>
                            <th scope="col">{ "BF ultimate" }</th>
                            <th scope="col">{ "BF IBNR" }</th>
                            <th scope="col">{ "Chain ladder loss ratio" }</th>
                            if has_cape_cod {
                                <th scope="col">{ "Cape Cod loss ratio" }</th>
                            }
                        </tr>
                    </thead>
                    <tbody>{ for body }</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" class="sticky">{ "Total" }</th>
                            <td>{ money(Some(total.premium)) }</td>
                            <td>{ percent(total.ratio) }</td>
                            <td>{ money(Some(total.expected)) }</td>
                            <td>{ money(Some(total.ultimate)) }</td>
                            <td>{ money(Some(total.ibnr)) }</td>
                            <td></td>
                            if has_cape_cod {
                                <td></td>
                            }
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
    use runoff_engine::{MethodResult, Methods};

    #[test]
    fn ratios_show_without_float_noise() {
        assert_eq!(ratio_text(0.6), "0.6");
        assert_eq!(ratio_text(0.1 + 0.2), "0.3");
        assert_eq!(ratio_text(1.0), "1");
        assert_eq!(ratio_text(0.0), "0");
        assert_eq!(ratio_text(f64::NAN), "");
        assert_eq!(percent(Some(0.6543)), "65.4%");
        assert_eq!(percent(None), "");
    }

    fn results() -> Reserve {
        Reserve {
            // Ordered differently from the view's origins, and one short.
            origins: vec!["2001".into(), "2000".into()],
            methods: Methods {
                chainladder: MethodResult { ultimate: vec![900.0, 700.0], ibnr: vec![], total_ibnr: 0.0 },
                bornhuetter_ferguson: Some(MethodResult {
                    ultimate: vec![800.0, 650.0],
                    ibnr: vec![300.0, 50.0],
                    total_ibnr: 350.0,
                }),
                ..Methods::default()
            },
            ..Reserve::default()
        }
    }

    #[test]
    fn rows_follow_settings_and_match_results_by_origin() {
        let origins: Vec<String> = vec!["2000".into(), "2001".into(), "2002".into()];
        let mut s = Settings::default();
        s.bf_apriori_by_uwy.insert("2001".into(), 0.8);
        let r = results();
        // Premium for two of three origins.
        let lines = rows(&origins, Some(&[1000.0, 1000.0]), &s, Some(&r));
        assert_eq!(lines[0].ratio, 0.6);
        assert!(!lines[0].own);
        assert_eq!(lines[0].expected, Some(600.0));
        assert_eq!(lines[0].ultimate, Some(650.0));
        assert_eq!(lines[0].ibnr, Some(50.0));
        assert_eq!(lines[0].chainladder_ratio, Some(0.7));
        assert!(lines[1].own);
        assert_eq!(lines[1].expected, Some(800.0));
        assert_eq!(lines[1].ultimate, Some(800.0));
        assert_eq!(lines[2].premium, None);
        assert_eq!(lines[2].expected, None);
        assert_eq!(lines[2].ultimate, None);
        assert_eq!(lines[2].chainladder_ratio, None);
        let t = totals(&lines);
        assert_eq!(t.premium, 2000.0);
        assert_eq!(t.expected, 1400.0);
        assert_eq!(t.ultimate, 1450.0);
        assert_eq!(t.ibnr, 350.0);
        assert_eq!(t.ratio, Some(0.7));
    }

    #[test]
    fn no_results_and_zero_premium_are_empty_not_errors() {
        let origins: Vec<String> = vec!["2000".into()];
        let lines = rows(&origins, Some(&[0.0]), &Settings::default(), None);
        assert_eq!(lines[0].expected, Some(0.0));
        assert_eq!(lines[0].ultimate, None);
        assert_eq!(lines[0].chainladder_ratio, None);
        assert_eq!(totals(&lines).ratio, None);
        assert_eq!(totals(&[]).premium, 0.0);
    }
}
