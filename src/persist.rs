//! Saving the segment's session and following other tabs, as hooks over the
//! page's sync layer ([`crate::browser::sync`]).
//!
//! Changes are saved one at a time, in the order they were made: a tab's
//! saves then commit in order, which is what lets the workbench match each
//! confirmation to its change ([`Msg::Settled`]). Judgements are saved as
//! they are made, before the page renders them; undo and redo after. Changes
//! made before storage is open wait in the queue.
//!
//! A change storage refused (full, or its connection closed by another
//! tab's upgrade or deletion of the database) is kept, shown, and saved
//! again: with the next change, and without one when storage may take it
//! again (the page back online, shown again or focused, another tab's
//! save heard, and every [`RETRY_EVERY_MS`] while it waits). Until then
//! the status line says it is not saved, and leaving the page asks first.

use crate::browser::clock::{local_time, now_iso};
use crate::browser::page;
use crate::browser::sync::{self, BrowserPeer, TabSync};
use crate::state::{InStorage, Msg, Storage, Workbench};
use crate::store::Dispatch;
use crate::sync::{Changed, Heard, Notice, SessionStore};
use crate::sync_agent::use_sync;
use crate::team::SignedIn;
use runoff_engine::Action;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// How often changes storage refused are tried again while they wait, for
/// storage that recovers without an event the page hears (space freed by
/// another site, say).
pub const RETRY_EVERY_MS: u32 = 10_000;

/// The page's words for a storage notice, and the key of an unreadable
/// session text to offer for download.
pub fn describe(notice: &Notice, segment: &str) -> (String, Option<String>) {
    match notice {
        Notice::NotSaved(e) => (
            format!("Not saved — will retry: {e}. The change is kept in this tab and saved as soon as storage takes it; leaving the page now would lose it."),
            None,
        ),
        Notice::NotRead(e) => (format!("The saved session could not be read: {e}. This tab shows what it had."), None),
        Notice::StoredUnreadable { error } => (
            format!("The saved session of {segment} does not read ({error}); it starts from defaults. The saved text is kept, and kept aside at the next save."),
            Some(segment.to_string()),
        ),
        Notice::KeptAside { key, error } => (
            format!("The saved session of {segment} did not read ({error}); it was kept aside, and the segment started from defaults."),
            Some(key.clone()),
        ),
    }
}

/// Shows what storage holds, as the message the callback is handed.
pub type OnLoaded = Rc<dyn Fn(InStorage, fn(InStorage) -> Msg)>;

/// What storage holds, as the peer knows it.
fn in_storage(peer: &BrowserPeer) -> InStorage {
    InStorage { session: peer.stored(), refused: peer.unsaved() }
}

/// The segment's storage, for the page.
#[derive(Clone)]
pub struct Persistence {
    shared: Rc<Shared>,
}

impl PartialEq for Persistence {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

/// What the hooks and their async tasks share: the segment's storage and
/// the queue of changes on their way to it. What the page shows (the
/// session and the status) is the workbench's, told through `dispatch`.
struct Shared {
    sync: RefCell<Option<TabSync>>,
    queue: RefCell<VecDeque<Action>>,
    saving: Cell<bool>,
    /// A retry of the refused changes is asked for.
    retry: Cell<bool>,
    dispatch: Dispatch,
    /// Takes a session another tab saved, instead of loading it at once.
    on_loaded: RefCell<Option<OnLoaded>>,
}

impl Shared {
    fn peer(&self) -> Option<Rc<BrowserPeer>> {
        self.sync.borrow().as_ref().map(|s| s.peer())
    }

    fn tell(&self, news: Storage) {
        self.dispatch.dispatch(Msg::Storage(news));
    }
}

impl Persistence {
    /// Hands each session another tab saved to `f` (which loads it into
    /// the workbench when it is ready, with the message it comes with:
    /// `Msg::Loaded` or `Msg::Replaced`) instead of loading it at once.
    pub fn on_loaded(&self, f: OnLoaded) {
        *self.shared.on_loaded.borrow_mut() = Some(f);
    }

    /// Saves a judgement now, before the page renders it.
    pub fn save(&self, action: Action) {
        crate::browser::storage::ask_to_persist();
        self.shared.queue.borrow_mut().push_back(action);
        drain(self.shared.clone());
    }

    /// Offers the stored text under `key` as a file download.
    pub fn download(&self, key: String, file_name: String) {
        let Some(peer) = self.shared.peer() else { return };
        let shared = self.shared.clone();
        spawn_local(async move {
            let problem = match peer.store().read(&key).await {
                Ok(Some(text)) => crate::browser::download::offer(&file_name, &text, "application/json")
                    .err()
                    .map(|e| format!("The download failed: {e}")),
                Ok(None) => Some("The kept text is no longer stored.".into()),
                Err(e) => Some(format!("The kept text could not be read: {e}")),
            };
            if let Some(problem) = problem {
                shared.tell(Storage::Problem(problem));
            }
        });
    }
}

/// Refreshes what the page says about storage from the peer's notice.
fn noticed(shared: &Shared, peer: &BrowserPeer, saved: bool) {
    let segment = peer.user_key();
    let notice = peer.notice();
    if matches!(notice, Some(Notice::KeptAside { .. })) {
        // The page's list of kept texts reads them again.
        crate::browser::page::announce_kept_aside();
    }
    let unsaved = peer.has_unsaved();
    let (problem, key) = match notice {
        Some(n) => {
            let (problem, key) = describe(&n, &segment);
            (Some(problem), key)
        }
        None => (None, None),
    };
    shared.tell(Storage::Noticed { problem, unreadable_key: key, unsaved, saved_at: saved.then(local_time) });
}

/// Opens the segment's storage, loads its session into the workbench, and
/// follows the other tabs from then on.
#[hook]
pub fn use_persistence(segment: &str, team: Option<&SignedIn>, dispatch: Dispatch) -> Persistence {
    let hub = use_sync();
    let team = team.cloned();
    let shared = use_memo(segment.to_string(), |_| Shared {
        sync: RefCell::new(None),
        queue: RefCell::new(VecDeque::new()),
        saving: Cell::new(false),
        retry: Cell::new(false),
        dispatch: dispatch.clone(),
        on_loaded: RefCell::new(None),
    });
    {
        let shared = shared.clone();
        let dispatch = dispatch.clone();
        use_effect_with(segment.to_string(), move |segment| {
            let segment = segment.clone();
            let alive = Rc::new(Cell::new(true));
            {
                let alive = alive.clone();
                spawn_local(async move {
                    let on_heard = {
                        let (shared, dispatch) = (Rc::downgrade(&shared), dispatch.clone());
                        move |heard: Heard| {
                            let Some(shared) = shared.upgrade() else { return };
                            let Some(peer) = shared.peer() else { return };
                            match heard {
                                Heard::Reloaded | Heard::Replaced => {
                                    let load: fn(InStorage) -> Msg =
                                        if heard == Heard::Replaced { Msg::Replaced } else { Msg::Loaded };
                                    let f = shared.on_loaded.borrow().clone();
                                    match f {
                                        Some(f) => f(in_storage(&peer), load),
                                        None => dispatch.dispatch(load(in_storage(&peer))),
                                    }
                                    noticed(&shared, &peer, false);
                                }
                                // The list of segments hears it from the hub.
                                Heard::SegmentsChanged(_) | Heard::Nothing => {}
                            }
                            // Another tab saved: storage takes saves again.
                            if peer.has_unsaved() {
                                retry(shared);
                            }
                        }
                    };
                    let tab = sync::open(&hub, team.as_ref(), &segment, on_heard).await;
                    if !alive.get() {
                        return; // the segment changed while storage opened
                    }
                    let peer = tab.peer();
                    let mode_note = tab.is_fallback().then(|| sync::FALLBACK_NOTE.to_string());
                    *shared.sync.borrow_mut() = Some(tab);
                    dispatch.dispatch(Msg::Loaded(in_storage(&peer)));
                    noticed(&shared, &peer, false);
                    if let Some(note) = mode_note {
                        shared.tell(Storage::Mode(note));
                    }
                    // Changes kept from an earlier visit are sent now.
                    if peer.has_unsaved() {
                        shared.retry.set(true);
                    }
                    drain(shared);
                });
            }
            move || {
                alive.set(false);
            }
        });
    }
    // Trying the refused changes again when storage may take them, and
    // asking before the page is left with changes unsaved.
    {
        let shared = shared.clone();
        use_effect_with(segment.to_string(), move |_| {
            let again = {
                let shared = Rc::downgrade(&shared);
                move || {
                    if let Some(shared) = shared.upgrade() {
                        retry(shared);
                    }
                }
            };
            let tick = gloo::timers::callback::Interval::new(RETRY_EVERY_MS, again.clone());
            let returning = page::on_return(true, again);
            let leaving = {
                let shared = Rc::downgrade(&shared);
                page::on_leaving_would_lose(move || shared.upgrade().is_some_and(|s| has_unsaved(&s)))
            };
            move || drop((returning, leaving, tick))
        });
    }
    Persistence { shared }
}

/// Whether leaving now would lose a change: one refused by storage, or one
/// not yet through the queue.
fn has_unsaved(shared: &Shared) -> bool {
    shared.saving.get() || !shared.queue.borrow().is_empty() || shared.peer().is_some_and(|p| p.has_unsaved())
}

/// Asks for the refused changes to be saved again, after the queue.
fn retry(shared: Rc<Shared>) {
    if shared.peer().is_some_and(|p| p.has_unsaved()) {
        shared.retry.set(true);
        drain(shared);
    }
}

/// Saves each change the workbench makes, in order.
#[hook]
pub fn use_saving(p: &Persistence, wb: &Workbench) {
    let p = p.clone();
    use_effect_with(wb.outbox.clone(), move |outbox| {
        if let (Some(action), false) = (outbox.last.clone(), outbox.eager) {
            p.save(action);
        }
    });
}

/// Saves the queued changes one after another, unless a loop already runs
/// or storage is not open yet (opening drains the queue when it is).
fn drain(shared: Rc<Shared>) {
    if shared.saving.get() {
        return;
    }
    let Some(peer) = shared.peer() else { return };
    shared.saving.set(true);
    let dispatch = shared.dispatch.clone();
    spawn_local(async move {
        loop {
            let next = shared.queue.borrow_mut().pop_front();
            let Some(action) = next else {
                // The queue is done: then a retry asked for, which a change
                // just saved may have made needless.
                if shared.retry.replace(false) && peer.has_unsaved() {
                    let outcome = peer.retry(&now_iso()).await;
                    if let Ok(Changed::Saved(_)) = outcome {
                        dispatch.dispatch(Msg::Loaded(in_storage(&peer)));
                    }
                    noticed(&shared, &peer, matches!(outcome, Ok(Changed::Saved(_))));
                    continue;
                }
                break;
            };
            let outcome = peer.change(&action, &now_iso()).await;
            dispatch.dispatch(Msg::Settled(in_storage(&peer), action));
            match outcome {
                Ok(Changed::Saved(_)) => noticed(&shared, &peer, true),
                Ok(Changed::Unchanged) => {}
                Ok(Changed::InMemoryOnly(_)) => noticed(&shared, &peer, false),
                // An action out of range: the workbench has said so already.
                Err(_) => {}
            }
        }
        shared.saving.set(false);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::StoreError;

    #[test]
    fn notices_in_plain_words() {
        let (text, key) = describe(&Notice::NotSaved(StoreError("the storage quota is exceeded".into())), "quarterly");
        assert!(text.starts_with("Not saved — will retry: the storage quota is exceeded."));
        assert_eq!(key, None);
        let (text, key) = describe(&Notice::KeptAside { key: "k".into(), error: "line 2: bad".into() }, "quarterly");
        assert!(text.contains("line 2: bad") && text.contains("started from defaults"));
        assert_eq!(key.as_deref(), Some("k"));
    }
}
