//! What components do to the document directly: find the element a
//! delegated click landed in, tell whether an event comes from where the
//! user types, move the keyboard focus by id, and write a table the worker
//! rewrites often by patching the cells that changed.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlTemplateElement, MouseEvent};

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

/// Focuses the element with this id; returns whether the page has it.
pub fn focus_by_id(id: &str) -> bool {
    let Some(el) = gloo::utils::document().get_element_by_id(id) else { return false };
    if let Ok(el) = el.dyn_into::<HtmlElement>() {
        let _ = el.focus();
    }
    true
}

/// Writes `markup` into `container`. Where the container already holds the
/// same shape (as many cells, captions and notes), only the cells whose
/// content or class changed are written: the browser then styles and lays
/// out those, not a thousand new elements, and a field the user is in keeps
/// its focus and text unless its own cell changed. Otherwise it is written
/// whole.
pub fn patch(container: &Element, markup: &str) {
    const PARTS: &str = "th,td,caption,p";
    let whole = || container.set_inner_html(markup);
    let Some(template) =
        gloo::utils::document().create_element("template").ok().and_then(|t| t.dyn_into::<HtmlTemplateElement>().ok())
    else {
        return whole();
    };
    template.set_inner_html(markup);
    let (Ok(old), Ok(new)) = (container.query_selector_all(PARTS), template.content().query_selector_all(PARTS)) else {
        return whole();
    };
    if container.child_element_count() == 0 || old.length() != new.length() {
        return whole();
    }
    for k in 0..old.length() {
        let (Some(o), Some(n)) = (
            old.get(k).and_then(|x| x.dyn_into::<Element>().ok()),
            new.get(k).and_then(|x| x.dyn_into::<Element>().ok()),
        ) else {
            return whole();
        };
        if o.tag_name() != n.tag_name() {
            return whole();
        }
        if o.class_name() != n.class_name() {
            o.set_class_name(&n.class_name());
        }
        let inner = n.inner_html();
        if o.inner_html() != inner {
            o.set_inner_html(&inner);
        }
    }
}
