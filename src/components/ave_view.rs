//! The actual-versus-expected view, in two parts. First, for an earlier
//! valuation chosen on the latest diagonals, what the selected development
//! pattern expected to emerge up to the latest valuation against what did.
//! Then reserving-studio's form: for the valuation period chosen (the
//! latest by default), each origin's actual increment against the one its
//! selected ultimate and the pattern expected, and the same by valuation
//! period. Both by origin and by valuation period, as tables with totals
//! and as SVG bar charts. The figures are the engine's
//! ([`runoff_engine::ave`]), written as markup by the worker with each
//! recalculation.

use crate::components::controls::Select;
use crate::markup;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AveViewProps {
    /// Both comparisons as the worker wrote them (or the alert saying why
    /// there is none); `None` until they are in.
    pub ave: Option<AttrValue>,
    /// Every diagonal (month index, label), newest first: the valuation
    /// periods; all but the latest are the valuations to compare from.
    pub valuations: Rc<Vec<(i32, String)>>,
    pub from: Option<i32>,
    pub on_from: Callback<i32>,
    /// The valuation period shown by origin; the latest when `None`.
    pub at: Option<i32>,
    pub on_at: Callback<i32>,
}

#[component]
pub fn AveView(props: &AveViewProps) -> Html {
    let all: Vec<(AttrValue, AttrValue)> =
        props.valuations.iter().map(|(m, l)| (AttrValue::from(m.to_string()), AttrValue::from(l.clone()))).collect();
    let earlier = all.get(1..).unwrap_or_default().to_vec();
    let value = |m: Option<i32>| m.map(|m| AttrValue::from(m.to_string())).unwrap_or_default();
    let pick = |cb: &Callback<i32>| {
        let cb = cb.clone();
        Callback::from(move |v: String| {
            if let Ok(m) = v.parse() {
                cb.emit(m)
            }
        })
    };
    let none = earlier.is_empty();
    let body = match &props.ave {
        None if none => html! {
            <p>{ "The triangle has a single diagonal, so there is no earlier valuation to compare with." }</p>
        },
        None => html! { <p>{ "Calculating…" }</p> },
        Some(m) => markup::html(m.clone()),
    };
    html! {
        <div class="ave">
            <fieldset class="group">
                <legend>{ "Compare" }</legend>
                <Select label="Earlier valuation" options={earlier} value={value(props.from)} on_change={pick(&props.on_from)} disabled={none} />
                <Select label="Valuation period" options={all} value={value(props.at.or(props.valuations.first().map(|v| v.0)))} on_change={pick(&props.on_at)} disabled={none} />
            </fieldset>
            <p class="hint">{ "Expected: each origin's value at the earlier valuation developed with the selected age-to-age factors. Actual: what the triangle shows since. Origins younger than the earlier valuation are left out." }</p>
            { body }
        </div>
    }
}
