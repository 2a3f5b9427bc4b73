//! What the page as a whole tells the app, as listeners a hook keeps for as
//! long as it wants them (each is removed when dropped): the address
//! changing, a return from the back/forward cache, the page coming back to
//! the user, leaving it, files dropped or a table pasted anywhere, the undo
//! and redo keys, printing and Ctrl+P, a session text kept aside; and what
//! the app asks of the page: to print, and the one question it asks in a
//! dialog. Components and hooks call these
//! rather than the browser.

use crate::browser::dom::typing_in;
use crate::browser::files::Claims;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;

/// Listeners that stay while this is kept.
pub struct Listening {
    _held: Vec<EventListener>,
}

fn listening(held: Vec<EventListener>) -> Listening {
    Listening { _held: held }
}

/// Calls `f` whenever the address's fragment changes (the user edits it, or
/// goes back).
pub fn on_hash_change(f: impl Fn() + 'static) -> Listening {
    listening(vec![EventListener::new(&gloo::utils::window(), "hashchange", move |_| f())])
}

/// The address's fragment (`#…`), empty when there is none.
pub fn hash() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// Shows `hash` in the address without adding a history entry.
pub fn replace_hash(hash: &str) {
    if let Ok(history) = gloo::utils::window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash));
    }
}

/// Calls `f` when the page is shown again from the back/forward cache,
/// where it heard nothing of what other tabs did.
pub fn on_restored(f: impl Fn() + 'static) -> Listening {
    listening(vec![EventListener::new(&gloo::utils::window(), "pageshow", move |e| {
        // `PageTransitionEvent.persisted`, read without its binding.
        if js_sys::Reflect::get(e, &"persisted".into()).ok().and_then(|p| p.as_bool()) == Some(true) {
            f();
        }
    })])
}

/// Calls `f` whenever the page comes back to the user: shown (from the
/// back/forward cache, or its tab made visible) or focused, and, with
/// `online`, back online. A tab in the background may have missed what
/// other tabs did, and storage that refused a save may take it now.
pub fn on_return(online: bool, f: impl Fn() + 'static) -> Listening {
    let (window, document) = (gloo::utils::window(), gloo::utils::document());
    let f = std::rc::Rc::new(f);
    let on = |target: &web_sys::EventTarget, name: &'static str| {
        let f = f.clone();
        EventListener::new(target, name, move |_| f())
    };
    let mut held = vec![on(&window, "pageshow"), on(&window, "focus")];
    if online {
        held.push(on(&window, "online"));
    }
    let visible = document.clone();
    held.push(EventListener::new(&document, "visibilitychange", move |_| {
        if visible.visibility_state() == web_sys::VisibilityState::Visible {
            f()
        }
    }));
    listening(held)
}

/// Has the browser ask before the page is left while `losing()` says that
/// leaving would lose a change.
pub fn on_leaving_would_lose(losing: impl Fn() -> bool + 'static) -> Listening {
    let options = EventListenerOptions::enable_prevent_default();
    listening(vec![EventListener::new_with_options(&gloo::utils::window(), "beforeunload", options, move |e| {
        if losing() {
            // Both forms: browsers differ in which they heed.
            e.prevent_default();
            let _ = js_sys::Reflect::set(e, &"returnValue".into(), &"".into());
        }
    })])
}

/// Calls `hidden` when the page is hidden (it may go into the back/forward
/// cache, where it must hold nothing open) and `shown` when it is shown
/// again.
pub fn on_hidden_and_shown(hidden: impl Fn() + 'static, shown: impl Fn() + 'static) -> Listening {
    let window = gloo::utils::window();
    listening(vec![
        EventListener::new(&window, "pagehide", move |_| hidden()),
        EventListener::new(&window, "pageshow", move |_| shown()),
    ])
}

/// Calls `f` with each file dropped anywhere on the page, and with a table
/// (lines of tab- or comma-separated values) pasted outside a field, as
/// claims to import, or with why a dropped file cannot be.
pub fn on_dropped_or_pasted(f: impl Fn(Result<Claims, String>) + 'static) -> Listening {
    let document = gloo::utils::document();
    let no_default = EventListenerOptions::enable_prevent_default();
    let f = std::rc::Rc::new(f);
    let over = EventListener::new_with_options(&document, "dragover", no_default, |e| e.prevent_default());
    let dropped = {
        let f = f.clone();
        EventListener::new_with_options(&document, "drop", no_default, move |e| {
            e.prevent_default();
            let file = e
                .dyn_ref::<web_sys::DragEvent>()
                .and_then(|d| d.data_transfer())
                .and_then(|t| t.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                f(Claims::of_file(&file));
            }
        })
    };
    let pasted = EventListener::new(&document, "paste", move |e| {
        // A paste into a field is the field's.
        if typing_in(e) {
            return;
        }
        let text = e
            .dyn_ref::<web_sys::ClipboardEvent>()
            .and_then(|c| c.clipboard_data())
            .and_then(|d| d.get_data("text").ok())
            .unwrap_or_default();
        if text.trim().contains('\n') && (text.contains('\t') || text.contains(',')) {
            f(Ok(Claims::pasted(text)));
        }
    });
    listening(vec![over, dropped, pasted])
}

/// The workbench's history keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryKey {
    Undo,
    Redo,
}

/// Calls `f` on Ctrl+Z and Ctrl+Shift+Z (Cmd on a Mac; Ctrl+Y too)
/// anywhere in the page, except where the user types
/// ([`crate::browser::dom::typing_in`]), where they keep their usual
/// meaning; the browser's own undo does not run then.
pub fn on_history_key(f: impl Fn(HistoryKey) + 'static) -> Listening {
    // Not passive: the browser's own undo must not run too.
    let options = EventListenerOptions::enable_prevent_default();
    listening(vec![EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |e| {
        let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        if !(e.ctrl_key() || e.meta_key()) || e.alt_key() || typing_in(e) {
            return;
        }
        let key = match (e.key().to_ascii_lowercase().as_str(), e.shift_key()) {
            ("z", false) => HistoryKey::Undo,
            ("z", true) | ("y", false) => HistoryKey::Redo,
            _ => return,
        };
        e.prevent_default();
        f(key);
    })])
}

/// Asks the browser to print the page.
pub fn print() {
    let _ = gloo::utils::window().print();
}

/// Whether the page is printing: print media applies (the print itself, or
/// a test emulating it).
pub fn print_media() -> bool {
    gloo::utils::window().match_media("print").ok().flatten().is_some_and(|mq| mq.matches())
}

/// Calls `f(true)` when the page is about to print (`beforeprint`, or print
/// media starting to apply) and `f(false)` when it is done.
pub fn on_printing(f: impl Fn(bool) + 'static) -> Listening {
    let window = gloo::utils::window();
    let f = std::rc::Rc::new(f);
    let mut held = Vec::new();
    for (event, on) in [("beforeprint", true), ("afterprint", false)] {
        let f = f.clone();
        held.push(EventListener::new(&window, event, move |_| f(on)));
    }
    if let Some(mq) = window.match_media("print").ok().flatten() {
        held.push(EventListener::new(&mq, "change", move |e| {
            f(e.dyn_ref::<web_sys::MediaQueryListEvent>().is_some_and(|e| e.matches()))
        }));
    }
    listening(held)
}

/// Calls `take` on Ctrl+P (⌘P) that no other listener took; when it
/// returns true, the browser's own print does not run.
pub fn on_print_key(take: impl Fn() -> bool + 'static) -> Listening {
    let options = EventListenerOptions::enable_prevent_default();
    listening(vec![EventListener::new_with_options(&gloo::utils::window(), "keydown", options, move |e| {
        let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        let print = (k.ctrl_key() || k.meta_key()) && !k.alt_key() && k.key().eq_ignore_ascii_case("p");
        if print && !k.default_prevented() && take() {
            k.prevent_default();
        }
    })])
}

/// The event the page fires on `window` when a session text was kept
/// aside ([`crate::sync::Notice::KeptAside`]), so that the list of them is
/// read again.
const KEPT_ASIDE_EVENT: &str = "runoff-kept-aside";

/// Tells whoever lists the texts kept aside that there is a new one.
pub fn announce_kept_aside() {
    if let Ok(e) = web_sys::Event::new(KEPT_ASIDE_EVENT) {
        let _ = gloo::utils::window().dispatch_event(&e);
    }
}

/// Calls `f` whenever a session text was kept aside ([`announce_kept_aside`]).
pub fn on_kept_aside(f: impl Fn() + 'static) -> Listening {
    listening(vec![EventListener::new(&gloo::utils::window(), KEPT_ASIDE_EVENT, move |_| f())])
}

/// Asks the user `question` in the browser's dialog; false if they decline
/// or the page cannot ask.
pub fn confirm(question: &str) -> bool {
    gloo::utils::window().confirm_with_message(question).unwrap_or(false)
}
