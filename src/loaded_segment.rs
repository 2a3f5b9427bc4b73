//! The segment the address names, loaded once the list of segments is
//! known: a stored one from the store, a sample by the worker. Loads finish
//! out of order when the user switches quickly, so only the latest one
//! asked for is shown; one the worker never answers is said, not waited
//! for in silence; an id no segment has is handed back to the caller.

use crate::agent::use_agent;
use crate::catalog::Entry;
use crate::segment_list::SegmentList;
use crate::segments::{self, Segment};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The segment shown, as loaded.
#[derive(Clone, PartialEq)]
pub struct Loaded {
    pub id: String,
    /// Which version of the list it was loaded for, so that new data for
    /// the same id loads again.
    pub revision: u64,
    pub segment: Result<Rc<Segment>, String>,
}

/// The segment `id` of `list` (whose `entries` the root shows), loaded
/// again at each new revision of the list; `on_unknown` hears an id that
/// names no segment.
#[hook]
pub fn use_loaded_segment(
    id: &str,
    list: &SegmentList,
    entries: Rc<Vec<Entry>>,
    on_unknown: Callback<String>,
) -> Option<Loaded> {
    let loaded = use_state(|| None::<Loaded>);
    let wanted = use_mut_ref(|| (String::new(), 0u64));
    let agent = use_agent();
    {
        let (loaded, store) = (loaded.clone(), list.store.clone());
        let key = (id.to_string(), list.stored.is_some(), list.revision);
        // Loads finish out of order when the user switches quickly: only the
        // latest one asked for is shown.
        let wanted = wanted.clone();
        use_effect_with(key, move |(id, listed, rev)| {
            if *listed {
                let (id, rev) = (id.clone(), *rev);
                *wanted.borrow_mut() = (id.clone(), rev);
                let entry = entries.iter().find(|e| e.id == id).cloned();
                let known = entry.is_some() || segments::HIDDEN.contains(&id.as_str());
                if !known {
                    on_unknown.emit(id);
                    return;
                }
                // The samples are read by the worker: one that never answers
                // is said, not waited for in silence.
                // The load holds its deadline: done, it cancels it.
                let deadline = {
                    let (loaded, wanted, id) = (loaded.clone(), wanted.clone(), id.clone());
                    gloo::timers::callback::Timeout::new(crate::recalc::WORKER_TIMEOUT_MS, move || {
                        if *wanted.borrow() == (id.clone(), rev) {
                            *wanted.borrow_mut() = (String::new(), 0);
                            let e = "The recalculation worker is not answering; reload the page.".to_string();
                            loaded.set(Some(Loaded { id, revision: rev, segment: Err(e) }));
                        }
                    })
                };
                spawn_local(async move {
                    let record = match (entry.is_some_and(|e| e.stored), store) {
                        (true, Some(s)) => s
                            .get(&id)
                            .await
                            .map_err(|e| format!("the segment {id} could not be read from storage: {e}")),
                        _ => Ok(None),
                    };
                    let segment = match record {
                        Ok(Some(r)) => Ok(Rc::new(r.to_segment())),
                        Ok(None) => segments::builtin(&id, &agent).await.map(Rc::new),
                        Err(e) => Err(e),
                    };
                    drop(deadline);
                    if *wanted.borrow() == (id.clone(), rev) {
                        // Done: the watch above has nothing more to say.
                        *wanted.borrow_mut() = (String::new(), 0);
                        loaded.set(Some(Loaded { id, revision: rev, segment }));
                    }
                });
            }
        });
    }
    (*loaded).clone()
}
