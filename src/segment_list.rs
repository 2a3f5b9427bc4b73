//! The list of segments stored in this browser, as the root shows it: the
//! store is opened once, its list read then and again whenever it may be
//! out of date (another tab's `segments_changed`, a return from the
//! back/forward cache, a change made here). A list that cannot be read is
//! said, never taken for an empty one.

use crate::browser::clock::now_iso;
use crate::browser::page;
use crate::browser::segment_store::{Listing, SegmentStore};
#[cfg(feature = "team")]
use crate::browser::team_segments::TeamSegments;
use crate::sync::message::Message;
use crate::sync_agent::use_sync;
use crate::team::SignedIn;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// Reads the list again; `then` runs with the new list in place (so that
/// opening a segment just stored finds it).
type Refresh = Rc<dyn Fn(Box<dyn FnOnce()>)>;

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

/// The list as last read. A reducer, so that a read finishing in a
/// callback made renders ago counts from the latest state, not from the
/// one that callback saw.
#[derive(Default, PartialEq)]
struct Listed {
    stored: Option<Rc<Vec<(String, String)>>>,
    revision: u64,
    problem: Option<String>,
}

/// What a read of the list gave.
enum Read {
    Listed(Listing),
    Failed(String),
}

impl Reducible for Listed {
    type Action = Read;

    fn reduce(self: Rc<Self>, read: Read) -> Rc<Self> {
        let (stored, problem) = match read {
            Read::Listed(listing) => {
                let problem = listing.problem();
                (Some(Rc::new(listing.segments)), problem)
            }
            // The samples still open; the stored segments are not known,
            // and not taken for none.
            Read::Failed(e) => (
                Some(self.stored.clone().unwrap_or_default()),
                Some(format!(
                    "The list of segments stored in this browser could not be read: {e}. \
                     Only the samples are offered until it can be read; reload the page to try again."
                )),
            ),
        };
        Rc::new(Listed { stored, revision: self.revision + 1, problem })
    }
}

#[hook]
pub fn use_segment_list(team: Option<&SignedIn>) -> SegmentList {
    let hub = use_sync();
    let team = team.cloned();
    // The store, once open: callbacks made before it opened find it here.
    let store = use_mut_ref(|| None::<Rc<SegmentStore>>);
    let listed = use_reducer(Listed::default);
    let refresh: Refresh = {
        let (store, listed) = (store.clone(), listed.dispatcher());
        Rc::new(move |then: Box<dyn FnOnce()>| {
            let Some(s) = store.borrow().clone() else { return };
            let listed = listed.clone();
            spawn_local(async move {
                listed.dispatch(match s.list().await {
                    Ok(listing) => Read::Listed(listing),
                    Err(e) => Read::Failed(e.to_string()),
                });
                then();
            });
        })
    };
    {
        let (store, refresh, tab_id) = (store.clone(), refresh.clone(), hub.tab_id().to_string());
        use_effect_with((), move |_| {
            spawn_local(async move {
                let opened = match team {
                    #[cfg(feature = "team")]
                    Some(user) => SegmentStore::Team(TeamSegments { api: user.api, token: user.token, tab_id }),
                    _ => {
                        let _ = (team, tab_id);
                        SegmentStore::open(crate::browser::idb::DATABASE).await
                    }
                };
                *store.borrow_mut() = Some(Rc::new(opened));
                refresh(Box::new(|| {}));
            });
        });
    }
    // Another tab stored, changed or deleted a segment.
    {
        let (hub, refresh) = (hub.clone(), refresh.clone());
        use_effect_with((), move |_| {
            let following = hub.on_segments_changed(move |_| refresh(Box::new(|| {})));
            move || drop(following)
        });
    }
    // A page restored from the back/forward cache heard no message while it
    // was there: its list may lack what other tabs imported since.
    {
        let refresh = refresh.clone();
        use_effect_with((), move |_| {
            let listening = page::on_restored(move || refresh(Box::new(|| {})));
            move || drop(listening)
        });
    }
    let changed_here: ChangedHere = Rc::new(move |id: &str, then: Box<dyn FnOnce()>| {
        // The envelope is the contract's; receivers compare no version
        // for this message.
        let _ = hub.post(&Message::segments_changed(id, hub.tab_id(), &now_iso()));
        refresh(then);
    });
    let store = store.borrow().clone();
    SegmentList {
        store,
        stored: listed.stored.clone(),
        revision: listed.revision,
        problem: listed.problem.clone(),
        changed_here,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(ids: &[&str]) -> Read {
        let segments = ids.iter().map(|id| (id.to_string(), id.to_uppercase())).collect();
        Read::Listed(Listing { segments, damaged: Vec::new() })
    }

    #[test]
    fn every_read_counts_from_the_latest_list() {
        let l = Rc::new(Listed::default()).reduce(listing(&["raa"]));
        let l = l.reduce(listing(&["raa", "clrd"]));
        assert_eq!(l.revision, 2);
        assert_eq!(l.stored.as_ref().map(|s| s.len()), Some(2));
        // A list that cannot be read keeps the one known, and says so.
        let l = l.reduce(Read::Failed("the database is closed".into()));
        assert_eq!((l.revision, l.stored.as_ref().map(|s| s.len())), (3, Some(2)));
        assert!(l.problem.as_deref().is_some_and(|p| p.contains("the database is closed")));
        // Never read: the samples alone, not taken for an empty list.
        let l = Rc::new(Listed::default()).reduce(Read::Failed("no IndexedDB".into()));
        assert_eq!(l.stored.as_ref().map(|s| s.len()), Some(0));
    }
}
