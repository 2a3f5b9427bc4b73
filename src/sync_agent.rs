//! The page's sync agent, provided at the root: the one [`Hub`] through
//! which the page hears the other tabs. The segment open follows its
//! session through it (its sync peer filters by `origin_tab_id` and
//! version), and the list of segments follows `segments_changed`, each by
//! [`use_sync`].

use crate::browser::hub::Hub;
use crate::browser::sync::page_hub;
use std::rc::Rc;
use yew::prelude::*;

/// The page's hub, as the context the root provides.
#[derive(Clone)]
struct SyncAgent(Rc<Hub>);

impl PartialEq for SyncAgent {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct SyncProviderProps {
    pub children: Html,
}

/// Opens the page's hub once and provides it to everything under it.
#[component]
pub fn SyncProvider(props: &SyncProviderProps) -> Html {
    let agent = use_memo((), |_| SyncAgent(page_hub()));
    html! {
        <ContextProvider<SyncAgent> context={(*agent).clone()}>
            { props.children.clone() }
        </ContextProvider<SyncAgent>>
    }
}

/// The page's hub: the one the root provides, or, under no provider (a
/// component rendered alone), one of the component's own.
#[hook]
pub fn use_sync() -> Rc<Hub> {
    let provided = use_context::<SyncAgent>();
    // Opened only where none is provided, and then once.
    let own = use_memo(provided.is_none(), |missing| missing.then(page_hub));
    match provided {
        Some(agent) => agent.0,
        None => (*own).clone().unwrap_or_else(page_hub),
    }
}
