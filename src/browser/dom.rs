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
