//! The workbench's one owner in the page: a hook that holds the reducer's
//! state ([`Workbench`]) and renders the component when what it shows
//! changes.
//!
//! It is yew's `use_reducer` with one difference the page needs: the page's
//! callbacks read the latest state at once ([`Dispatch::now`]). A click is
//! sent to the worker before the page renders it, and a second click that
//! comes before that render must apply to what the first made of the
//! settings ([`Workbench::click_base`]), not to what was last rendered.

use crate::state::{Msg, Workbench};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Changes the workbench, and reads it as it is now.
#[derive(Clone)]
pub struct Dispatch {
    now: Rc<RefCell<Rc<Workbench>>>,
    rerender: Rc<dyn Fn()>,
}

impl PartialEq for Dispatch {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.now, &other.now)
    }
}

impl Dispatch {
    /// Applies `msg`, and renders the component, but for a click asked
    /// ahead (`Msg::Ask`), which is shown with its results when it is
    /// judged.
    pub fn dispatch(&self, msg: Msg) {
        let quiet = matches!(msg, Msg::Ask(_));
        let next = Rc::new(self.now.borrow().update(msg));
        *self.now.borrow_mut() = next;
        if !quiet {
            (self.rerender)();
        }
    }

    /// The workbench as it is now, with every message dispatched so far
    /// (the component's render may not have seen the latest yet).
    pub fn now(&self) -> Rc<Workbench> {
        self.now.borrow().clone()
    }
}

/// The workbench, made by `init` on the first render: the state to render
/// and the way to change it.
#[hook]
pub fn use_workbench(init: impl FnOnce() -> Workbench) -> (Rc<Workbench>, Dispatch) {
    let now = use_mut_ref(|| Rc::new(init()));
    let update = use_force_update();
    let dispatch = use_memo((), {
        let now = now.clone();
        move |_| Dispatch { now, rerender: Rc::new(move || update.force_update()) }
    });
    let shown = now.borrow().clone();
    (shown, (*dispatch).clone())
}
