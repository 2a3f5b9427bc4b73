//! The two things components do to the document directly: find the element
//! a delegated click landed in, and move the keyboard focus by id.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, MouseEvent};

/// The element matching `selector` that the click's target is in (itself
/// or an ancestor), for one listener on a container of many buttons.
pub fn clicked(e: &MouseEvent, selector: &str) -> Option<Element> {
    e.target()?.dyn_into::<Element>().ok()?.closest(selector).ok().flatten()
}

/// Focuses the element with this id; returns whether the page has it.
pub fn focus_by_id(id: &str) -> bool {
    let Some(el) = gloo::utils::document().get_element_by_id(id) else { return false };
    if let Ok(el) = el.dyn_into::<HtmlElement>() {
        let _ = el.focus();
    }
    true
}
