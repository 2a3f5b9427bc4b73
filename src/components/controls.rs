//! Small labelled form controls that emit values, shared by the views: every
//! control has a visible label that is also its accessible name.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub label: AttrValue,
    /// (value, text) pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub value: AttrValue,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub disabled: bool,
}

/// A `<select>` with its label.
#[component]
pub fn Select(props: &SelectProps) -> Html {
    let onchange = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) {
                cb.emit(s.value());
            }
        })
    };
    html! {
        <label class="control">
            <span>{ props.label.clone() }</span>
            <select aria-label={props.label.clone()} onchange={onchange} disabled={props.disabled}>
                { for props.options.iter().map(|(v, text)| html! {
                    <option value={v.clone()} selected={*v == props.value}>{ text.clone() }</option>
                }) }
            </select>
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckboxProps {
    pub label: AttrValue,
    pub checked: bool,
    pub on_change: Callback<bool>,
}

/// A checkbox with its label.
#[component]
pub fn Checkbox(props: &CheckboxProps) -> Html {
    let onchange = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                cb.emit(i.checked());
            }
        })
    };
    html! {
        <label class="control check">
            <input type="checkbox" checked={props.checked} onchange={onchange} />
            <span>{ props.label.clone() }</span>
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct NumberInputProps {
    pub label: AttrValue,
    /// The value shown; empty for none.
    pub value: AttrValue,
    /// Called with the text entered, when the user commits it (change).
    pub on_change: Callback<String>,
    #[prop_or(AttrValue::Static("any"))]
    pub step: AttrValue,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub disabled: bool,
}

/// A number field with its label; it reports the text, so that the caller
/// decides what an empty or unreadable entry means.
#[component]
pub fn NumberInput(props: &NumberInputProps) -> Html {
    let onchange = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                cb.emit(i.value());
            }
        })
    };
    html! {
        <label class="control">
            <span>{ props.label.clone() }</span>
            <input type="number" inputmode="decimal" step={props.step.clone()} aria-label={props.label.clone()}
                value={props.value.clone()} placeholder={props.placeholder.clone()}
                disabled={props.disabled} onchange={onchange} />
        </label>
    }
}

/// Text for an optional whole number field.
pub fn opt_text(v: Option<u32>) -> AttrValue {
    v.map(|x| AttrValue::from(x.to_string())).unwrap_or_default()
}

/// Reads an optional whole number: empty is `None`, anything else must parse.
pub fn parse_opt_u32(text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>().map(Some).map_err(|_| format!("`{t}` is not a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_whole_numbers() {
        assert_eq!(parse_opt_u32(" "), Ok(None));
        assert_eq!(parse_opt_u32("12"), Ok(Some(12)));
        assert!(parse_opt_u32("1.5").is_err());
        assert!(parse_opt_u32("-3").is_err());
    }
}
