//! The actual-versus-expected view: for an earlier valuation chosen on the
//! latest diagonals, what the selected development pattern expected to
//! emerge up to the latest valuation against what did, by origin and by
//! valuation period, as tables with totals and as SVG bar charts. The
//! figures are the engine's ([`runoff_engine::ave`]), computed in the worker
//! with each recalculation.

use crate::components::controls::Select;
use crate::markup;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AveViewProps {
    /// The comparison as the worker wrote it (or the alert saying why
    /// there is none); `None` until it is in.
    pub ave: Option<AttrValue>,
    /// The valuations to compare from (month index, label), newest first.
    pub valuations: Rc<Vec<(i32, String)>>,
    pub from: Option<i32>,
    pub on_from: Callback<i32>,
}

#[component]
pub fn AveView(props: &AveViewProps) -> Html {
    let options: Vec<(AttrValue, AttrValue)> =
        props.valuations.iter().map(|(m, l)| (AttrValue::from(m.to_string()), AttrValue::from(l.clone()))).collect();
    let value = props.from.map(|m| AttrValue::from(m.to_string())).unwrap_or_default();
    let on_change = {
        let cb = props.on_from.clone();
        Callback::from(move |v: String| {
            if let Ok(m) = v.parse() {
                cb.emit(m)
            }
        })
    };
    let body = match &props.ave {
        None if props.valuations.is_empty() => html! {
            <p>{ "The triangle has a single diagonal, so there is no earlier valuation to compare with." }</p>
        },
        None => html! { <p>{ "Calculating…" }</p> },
        Some(m) => markup::html(m.clone()),
    };
    html! {
        <div class="ave">
            <fieldset class="group">
                <legend>{ "Compare" }</legend>
                <Select label="Earlier valuation" options={options} value={value} on_change={on_change} disabled={props.valuations.is_empty()} />
            </fieldset>
            <p class="hint">{ "Expected: each origin's value at the earlier valuation developed with the selected age-to-age factors. Actual: what the triangle shows since. Origins younger than the earlier valuation are left out." }</p>
            { body }
        </div>
    }
}

