//! Small labelled form controls that emit values, shared by the views: every
//! control has a visible label that is also its accessible name.
//!
//! An entry that is refused is refused one way in every view: inline, where
//! it was typed. The field is marked `aria-invalid` and described by the
//! message beside it ([`field_error`], a live region), and the entry stays in
//! the field to be corrected; nothing is emitted. Text that does not read as
//! a number is refused with [`crate::entry`]'s message, and a number field
//! given its session key's range ([`Bounds`]) refuses a value outside it,
//! naming the field, the value and the range.

use crate::browser::dom::{checked_of, value_of};
use runoff_engine::session::{Real, Whole};
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
            if let Some(v) = value_of(&e) {
                cb.emit(v);
            }
        })
    };
    // The option's `selected` attribute no longer moves the selection once
    // the user has chosen one: the value is set on the element after every
    // render, so an undo, a redo or another tab's change shows in it.
    let node = use_node_ref();
    {
        let (node, value) = (node.clone(), props.value.clone());
        use_effect(move || crate::browser::dom::show_choice(&node, &value));
    }
    html! {
        <label class="control">
            <span>{ props.label.clone() }</span>
            <select ref={node} aria-label={props.label.clone()} onchange={onchange} disabled={props.disabled}>
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
            if let Some(checked) = checked_of(&e) {
                cb.emit(checked);
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

/// The range a number field accepts: its session key's ([`Whole`] or
/// [`Real`], the bounds the session reader checks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: f64,
    pub max: f64,
    pub min_inclusive: bool,
    /// The session key, named in the refusal.
    pub key: &'static str,
}

impl Bounds {
    pub fn whole(range: Whole, key: &'static str) -> Bounds {
        Bounds { min: range.min as f64, max: range.max as f64, min_inclusive: true, key }
    }

    pub fn real(range: Real, key: &'static str) -> Bounds {
        Bounds { min: range.min, max: range.max, min_inclusive: range.min_inclusive, key }
    }

    /// Why `text`, typed in the field `label`, is refused: a number outside
    /// the range. Text that is not a number is left to the field's reader.
    pub fn refuse(&self, label: &str, text: &str) -> Option<String> {
        let x = crate::format::read_number(text)?;
        let above = if self.min_inclusive { x >= self.min } else { x > self.min };
        if above && x <= self.max {
            return None;
        }
        let show = plain;
        let range = if self.min_inclusive {
            format!("{} to {}", show(self.min), show(self.max))
        } else {
            format!("above {}, at most {}", show(self.min), show(self.max))
        };
        Some(format!("{label}: {} is out of range {range} (session key {})", text.trim(), self.key))
    }
}

/// A bound as people write it: `1200`, `0.5`.
fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The message beside a field whose entry is refused, `id` for the field's
/// `aria-describedby`. The element is always there, empty without an error:
/// a live region announces reliably only when it exists before its text,
/// and a stable structure keeps the input the same element (so it keeps
/// focus) when an error appears.
pub fn field_error(id: String, error: Option<String>) -> Html {
    html! { <span id={id} class="field-error" role="alert">{ error.unwrap_or_default() }</span> }
}

#[derive(Properties, PartialEq)]
pub struct NumberInputProps {
    pub label: AttrValue,
    /// The value shown; empty for none.
    pub value: AttrValue,
    /// Called with the text entered, when the user commits it (change); it
    /// reads the text (with [`crate::entry`]) and emits what it asks for, or
    /// returns why it cannot, which is shown beside the field.
    pub on_change: Callback<String, Result<(), String>>,
    #[prop_or(AttrValue::Static("any"))]
    pub step: AttrValue,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub disabled: bool,
    /// The range accepted; a number outside it is refused here, inline.
    #[prop_or_default]
    pub bounds: Option<Bounds>,
}

/// A number field with its label; it reports the text, so that the caller
/// decides what an empty or unreadable entry means. A number outside its
/// bounds is not reported but refused beside the field, and so is text the
/// caller cannot read (the settings keep their value).
#[component]
pub fn NumberInput(props: &NumberInputProps) -> Html {
    let error = use_state_eq(|| None::<String>);
    let onchange = {
        let (cb, bounds, label, error) = (props.on_change.clone(), props.bounds, props.label.clone(), error.clone());
        Callback::from(move |e: Event| {
            if let Some(text) = value_of(&e) {
                let refused = bounds.and_then(|b| b.refuse(&label, &text)).map_or_else(|| cb.emit(text).err(), Some);
                error.set(refused);
            }
        })
    };
    let b = props.bounds;
    let error_id = format!("{}-error", props.label.replace(|c: char| !c.is_ascii_alphanumeric(), "-").to_lowercase());
    html! {
        <label class="control">
            <span>{ props.label.clone() }</span>
            <input type="number" inputmode="decimal" step={props.step.clone()} aria-label={props.label.clone()}
                min={b.map(|b| plain(b.min))} max={b.map(|b| plain(b.max))}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error.is_some().then(|| error_id.clone())}
                value={props.value.clone()} placeholder={props.placeholder.clone()}
                disabled={props.disabled} onchange={onchange} />
            { field_error(error_id, (*error).clone()) }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The accessible name; shown as the label unless `hidden_label`.
    pub label: AttrValue,
    #[prop_or_default]
    pub hidden_label: bool,
    pub value: AttrValue,
    /// The inline error shown next to the field, if the last entry was
    /// refused.
    #[prop_or_default]
    pub error: Option<String>,
    /// Element id stem for the error message (`aria-describedby`).
    pub id: AttrValue,
    /// Called with the text on each keystroke (`live`) or when committed.
    pub on_text: Callback<String>,
    #[prop_or_default]
    pub live: bool,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
}

/// A text field for a number with its accessible name and an inline error,
/// for fields whose unreadable text the view keeps and shows (a browser's
/// number field hides unreadable text from the page, which could then not
/// say what is wrong); the caller keeps the error.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    let read = {
        let cb = props.on_text.clone();
        move |e: Event| {
            if let Some(v) = value_of(&e) {
                cb.emit(v);
            }
        }
    };
    let (onchange, oninput) = if props.live {
        (None, Some(Callback::from(move |e: InputEvent| read(e.into()))))
    } else {
        (Some(Callback::from(read)), None)
    };
    let error_id = format!("{}-error", props.id);
    let mut described: Vec<String> = props.describedby.iter().map(|d| d.to_string()).collect();
    if props.error.is_some() {
        described.push(error_id.clone());
    }
    let input = html! {
        <input type="text" inputmode="decimal" autocomplete="off"
            id={props.id.clone()}
            class={props.class.clone()}
            aria-label={props.hidden_label.then(|| props.label.clone())}
            aria-invalid={props.error.is_some().then_some("true")}
            aria-describedby={(!described.is_empty()).then(|| described.join(" "))}
            value={props.value.clone()} {onchange} {oninput} />
    };
    let error = field_error(error_id, props.error.clone());
    if props.hidden_label {
        html! { <span class="field">{ input }{ error }</span> }
    } else {
        html! {
            <span class="field">
                <label class="control">
                    <span>{ props.label.clone() }</span>
                    { input }
                </label>
                { error }
            </span>
        }
    }
}

/// Text for an optional whole number field.
pub fn opt_text(v: Option<u32>) -> AttrValue {
    v.map(|x| AttrValue::from(x.to_string())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_outside_its_session_range_is_refused_by_name() {
        use runoff_engine::session::{TAIL_CONSTANT, TAIL_PROJECTION_MONTHS};
        let months = Bounds::whole(TAIL_PROJECTION_MONTHS, "tail_projection_months");
        assert_eq!(months.refuse("Tail length (months)", "1200"), None);
        assert_eq!(months.refuse("Tail length (months)", ""), None);
        assert_eq!(
            months.refuse("Tail length (months)", " 100000 ").as_deref(),
            Some("Tail length (months): 100000 is out of range 0 to 1200 (session key tail_projection_months)")
        );
        let factor = Bounds::real(TAIL_CONSTANT, "tail_constant");
        assert!(factor
            .refuse("Tail factor", "0")
            .unwrap()
            .contains("Tail factor: 0 is out of range above 0, at most 100 (session key tail_constant)"));
        assert_eq!(factor.refuse("Tail factor", "1.05"), None);
    }
}
