//! The list of segments stored in this browser, as the root shows it: the
//! store is opened once, its list read then and again whenever it may be
//! out of date (another tab's `segments_changed`, a return from the
//! back/forward cache, a change made here). A list that cannot be read is
//! said, never taken for an empty one.

use crate::browser::clock::now_iso;
use crate::browser::page;
use crate::browser::segment_store::{Listing, SegmentStore};
use crate::sync::message::Message;
use crate::sync_agent::use_sync;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// Reads the list again; `then` runs with the new list in place (so that
/// opening a segment just stored finds it). A store given is the one to
/// read, before the hook's own is set.
type Refresh = Rc<dyn Fn(Option<Rc<SegmentStore>>, Box<dyn FnOnce()>)>;

/// After segment `id` was stored or deleted here: tells the other tabs
/// (`segments_changed`) and reads the list again; `then` runs with the new
/// list in place.
pub type ChangedHere = Rc<dyn Fn(&str, Box<dyn FnOnce()>)>;

/// The stored segments, and how to read them again.
#[derive(Clone)]
pub struct SegmentList {
    /// The store, once open.
    pub store: Option<Rc<SegmentStore>>,
    /// Each stored segment's id and title; `None` until the list is read.
    pub stored: Option<Rc<Vec<(String, String)>>>,
    /// Counts the reads: a segment shown is loaded again at each.
    pub revision: u64,
    /// What is wrong with the list: it could not be read, or some records
    /// are damaged.
    pub problem: Option<String>,
    pub changed_here: ChangedHere,
}

#[hook]
pub fn use_segment_list() -> SegmentList {
    let hub = use_sync();
    let store = use_state(|| None::<Rc<SegmentStore>>);
    // The store as callbacks made before it opened find it.
    let open = use_mut_ref(|| None::<Rc<SegmentStore>>);
    let stored = use_state(|| None::<Rc<Vec<(String, String)>>>);
    let revision = use_state(|| 0u64);
    let problem = use_state(|| None::<String>);
    let refresh: Refresh = {
        let (open, stored, revision, problem) = (open.clone(), stored.clone(), revision.clone(), problem.clone());
        Rc::new(move |s: Option<Rc<SegmentStore>>, then: Box<dyn FnOnce()>| {
            let Some(s) = s.or_else(|| open.borrow().clone()) else { return };
            let (stored, revision, problem) = (stored.clone(), revision.clone(), problem.clone());
            spawn_local(async move {
                match s.list().await {
                    Ok(listing) => {
                        problem.set(listing.problem());
                        let Listing { segments, .. } = listing;
                        stored.set(Some(Rc::new(segments)));
                    }
                    Err(e) => {
                        // The samples still open; the stored segments are
                        // not known, and not taken for none.
                        problem.set(Some(format!(
                            "The list of segments stored in this browser could not be read: {e}. \
                             Only the samples are offered until it can be read; reload the page to try again."
                        )));
                        if stored.is_none() {
                            stored.set(Some(Rc::new(Vec::new())));
                        }
                    }
                }
                revision.set(*revision + 1);
                then();
            });
        })
    };
    {
        let (store, open, refresh) = (store.clone(), open.clone(), refresh.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                let s = Rc::new(SegmentStore::open(crate::browser::idb::DATABASE).await);
                *open.borrow_mut() = Some(s.clone());
                store.set(Some(s.clone()));
                refresh(Some(s), Box::new(|| {}));
            });
        });
    }
    // Another tab stored, changed or deleted a segment.
    {
        let (hub, refresh) = (hub.clone(), refresh.clone());
        use_effect_with((), move |_| {
            let following = hub.on_segments_changed(move |_| refresh(None, Box::new(|| {})));
            move || drop(following)
        });
    }
    // A page restored from the back/forward cache heard no message while it
    // was there: its list may lack what other tabs imported since.
    {
        let refresh = refresh.clone();
        use_effect_with((), move |_| {
            let listening = page::on_restored(move || refresh(None, Box::new(|| {})));
            move || drop(listening)
        });
    }
    let changed_here: ChangedHere = Rc::new(move |id: &str, then: Box<dyn FnOnce()>| {
        // The envelope is the contract's; receivers compare no version
        // for this message.
        let _ = hub.post(&Message::segments_changed(id, hub.tab_id(), &now_iso()));
        refresh(None, then);
    });
    SegmentList {
        store: (*store).clone(),
        stored: (*stored).clone(),
        revision: *revision,
        problem: (*problem).clone(),
        changed_here,
    }
}
