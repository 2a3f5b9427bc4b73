//! What components do to the document directly: find the element a
//! delegated click landed in, tell whether an event comes from where the
//! user types, move the keyboard focus by id, write markup shown only at
//! times (what is printed), and write a table the worker
//! rewrites often by writing only the cells that changed.

use runoff_worker::markup::Cells;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, MouseEvent};

/// The element matching `selector` that the click's target is in (itself
/// or an ancestor), for one listener on a container of many buttons.
pub fn clicked(e: &MouseEvent, selector: &str) -> Option<Element> {
    e.target()?.dyn_into::<Element>().ok()?.closest(selector).ok().flatten()
}

/// Whether the event (a key or a paste) comes from a place the user types
/// in, which then keeps it: the page's shortcuts (Ctrl+Z and Ctrl+Y undo and
/// redo the workbench; a pasted table is imported) must not take a key or a
/// paste from a field. Those places are:
/// - `INPUT`: a text or number field has its own undo and takes pastes (and
///   a checkbox or radio button is left alone with them);
/// - `TEXTAREA`: likewise;
/// - `SELECT`: a list answers typed keys by choosing an option, and a
///   shortcut pressed while choosing is the list's, not the page's;
/// - an element that is content-editable, itself or inherited from an
///   ancestor (`contenteditable="false"` is not): the browser edits its
///   text, with its own undo and paste.
pub fn typing_in(e: &Event) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || el.dyn_ref::<HtmlElement>().is_some_and(HtmlElement::is_content_editable)
}

/// The value of the text field or list an event came from (`input`,
/// `change`), or `None` for an event from elsewhere.
pub fn value_of(e: &Event) -> Option<String> {
    let target = e.target()?;
    if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(i.value());
    }
    target.dyn_ref::<web_sys::HtmlSelectElement>().map(web_sys::HtmlSelectElement::value)
}

/// Whether the checkbox an event came from is checked.
pub fn checked_of(e: &Event) -> Option<bool> {
    Some(e.target()?.dyn_ref::<web_sys::HtmlInputElement>()?.checked())
}

/// The id of the element an event came from.
pub fn target_id(e: &Event) -> Option<String> {
    Some(e.target()?.dyn_ref::<Element>()?.id())
}

/// The value of the field named `name` in the form a `submit` came from.
pub fn form_field(e: &Event, name: &str) -> Option<String> {
    let form = e.target()?.dyn_into::<web_sys::HtmlFormElement>().ok()?;
    Some(form.elements().named_item(name)?.dyn_into::<web_sys::HtmlInputElement>().ok()?.value())
}

/// Shows `value` chosen in the list `node` refers to, if it is not already:
/// once the user has chosen, an option's `selected` attribute no longer
/// moves the choice, so an undo or another tab's change is shown this way.
pub fn show_choice(node: &yew::NodeRef, value: &str) {
    if let Some(s) = node.cast::<web_sys::HtmlSelectElement>() {
        if s.value() != value {
            s.set_value(value);
        }
    }
}

/// How far the element `node` refers to is scrolled, and the size of what
/// it shows: `(top, left, height, width)` in CSS pixels.
pub fn scroll_of(node: &yew::NodeRef) -> Option<(f64, f64, f64, f64)> {
    let el = node.cast::<Element>()?;
    Some((
        f64::from(el.scroll_top()),
        f64::from(el.scroll_left()),
        f64::from(el.client_height()),
        f64::from(el.client_width()),
    ))
}

/// Scrolls the element `node` refers to, to `top` and `left` (CSS pixels).
pub fn scroll_to(node: &yew::NodeRef, top: f64, left: f64) {
    if let Some(el) = node.cast::<Element>() {
        el.set_scroll_top(top.max(0.0) as i32);
        el.set_scroll_left(left.max(0.0) as i32);
    }
}

/// The element matching `selector` that an event's target is in, described
/// from now on by the element `tip` (`aria-describedby`): its id, and the
/// point under its bottom left corner, where the tip goes.
pub fn describe_by(e: &Event, selector: &str, tip: &str) -> Option<(String, i32, i32)> {
    let el = e.target()?.dyn_into::<Element>().ok()?.closest(selector).ok()??;
    let _ = el.set_attribute("aria-describedby", tip);
    let r = el.get_bounding_client_rect();
    Some((el.id(), r.left() as i32, r.bottom() as i32))
}

/// Writes the table `new` into the element `node` refers to (see
/// [`patch_cells`]), or empties it when there is none.
pub fn patch_cells_in(node: &yew::NodeRef, new: Option<&Cells>, old: Option<&Cells>) {
    match (new, node.cast::<Element>()) {
        (Some(t), Some(el)) => patch_cells(&el, t, old),
        (None, _) => set_markup(node, ""),
        (Some(_), None) => {}
    }
}

/// Writes `markup` into the element `node` refers to, if it is rendered:
/// for markup the page shows only at times (what is printed).
pub fn set_markup(node: &yew::NodeRef, markup: &str) {
    if let Some(el) = node.cast::<Element>() {
        el.set_inner_html(markup);
    }
}

/// Focuses the element with this id; returns whether the page has it.
pub fn focus_by_id(id: &str) -> bool {
    let Some(el) = gloo::utils::document().get_element_by_id(id) else { return false };
    if let Ok(el) = el.dyn_into::<HtmlElement>() {
        let _ = el.focus();
    }
    true
}

/// Writes the table `new` into `container`, which shows `old` (as
/// [`patch_cells`] or a whole write left it): where the two share their
/// frame, only the cells whose contents changed are written, and the
/// browser styles and lays out those, not a thousand new elements; a field
/// the user is in keeps its focus and text unless its own cell changed.
/// Otherwise it is written whole.
pub fn patch_cells(container: &Element, new: &Cells, old: Option<&Cells>) {
    let whole = || container.set_inner_html(&new.markup());
    let Some(old) = old.filter(|old| old.same_frame(new)) else { return whole() };
    // Every th, td, caption and p of a table in cells is a cell, in
    // document order.
    let Ok(parts) = container.query_selector_all("th,td,caption,p") else { return whole() };
    if parts.length() as usize != new.cells().len() {
        return whole();
    }
    for (k, (was, is)) in old.cells().iter().zip(new.cells()).enumerate() {
        if was != is {
            match parts.get(k as u32).and_then(|x| x.dyn_into::<Element>().ok()) {
                Some(cell) => cell.set_inner_html(is),
                None => return whole(),
            }
        }
    }
}
