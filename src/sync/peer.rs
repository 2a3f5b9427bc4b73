//! One tab's side of sync, over any [`SessionStore`] and [`Transport`]: which
//! stored version it follows, how it saves a change, what it does with a
//! signal and how it catches up. It keeps what storage needs (the stamp
//! shown, the last session read, the changes storage refused, the notice);
//! what the tab shows is the page's reducer's, which puts the tab's own
//! changes on top of [`Peer::stored`] and [`Peer::unsaved`]. The simulation
//! in the tests drives the very same code with many tabs.
//!
//! Operations may overlap (a save is in flight while a message arrives), so
//! each takes `&self` and holds the state only between awaits, never across
//! one.

use crate::sync::message::{is_timestamp, Message};
use crate::sync::rules::{Counters, Decision, Mode, Receiver, Stamp};
use crate::sync::save::{aside_key, stamp_of, SaveOutcome, SaveRequest, Stored};
use crate::sync::transport::{SessionStore, Signal, StoreError, Transport};
use runoff_engine::{Action, EngineError, Session};
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;

/// Something the page should tell the user about storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A change could not be saved; the tab shows it from memory only and
    /// no other tab knows of it.
    NotSaved(StoreError),
    /// Storage could not be read; the tab shows what it had.
    NotRead(StoreError),
    /// The stored session does not read (`error` says why); the tab shows
    /// what it had, and its next save keeps the stored text aside.
    StoredUnreadable { error: String },
    /// An unreadable stored session was kept aside under `key` (it can be
    /// downloaded from there) and replaced by a new one.
    KeptAside { key: String, error: String },
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// Saved as this version; the other tabs have been told.
    Saved(u64),
    /// The settings were already so: nothing saved, nobody told.
    Unchanged,
    /// Storage failed: the tab shows the change, but it is not saved. It is
    /// saved with the next change that storage accepts.
    InMemoryOnly(StoreError),
}

/// What a signal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// The tab now shows a newer session: recalculate and render.
    Reloaded,
    /// The session shown from a message was not in storage (a message no
    /// save stood behind): the tab shows storage's again, although older.
    Replaced,
    /// The list of segments, or the data of the segment named, changed:
    /// read it again.
    SegmentsChanged(String),
    Nothing,
}

struct State {
    receiver: Receiver,
    /// The session exactly as stored under the shown stamp: what a save
    /// names as its base, and what a fallback tab writes back when a losing
    /// write replaced it.
    stored: Session,
    /// Changes storage refused, oldest first: the page shows them on top of
    /// every session read, and they are replayed before the next change
    /// saved.
    unsaved: Vec<Action>,
    /// How many unsaved changes have been saved since the tab opened: a
    /// save that replayed the first n ever refused takes off only those of
    /// them still here, never a change refused after another save took
    /// them off.
    unsaved_done: usize,
    notice: Option<Notice>,
}

/// One tab showing one segment.
pub struct Peer<S, T> {
    store: S,
    transport: T,
    state: RefCell<State>,
    /// The last stored text read, and what it read as: the same text comes
    /// back on every catch-up and every repeated signal, and parsing it
    /// again would cost a YAML parse each time.
    last_read: RefCell<Option<(String, Stored)>>,
    /// A session was shown from a message and storage not read since: the
    /// version the tab knew from storage or its own saves before.
    unconfirmed: Cell<Option<u64>>,
    /// How many of this tab's saves have been answered: a read of storage
    /// that one was answered during may be older than that save.
    saves: Cell<u64>,
}

impl<S: SessionStore, T: Transport> Peer<S, T> {
    /// A tab with id `tab_id` (a UUID v4 made at page load, kept in memory
    /// only) showing segment `user_key`. It shows defaults until
    /// [`Peer::load`].
    pub fn new(user_key: &str, tab_id: &str, store: S, transport: T) -> Peer<S, T> {
        let mode = store.mode();
        Peer {
            store,
            transport,
            state: RefCell::new(State {
                receiver: Receiver::new(user_key, tab_id, mode),
                stored: Session::new(user_key),
                unsaved: Vec::new(),
                unsaved_done: 0,
                notice: None,
            }),
            last_read: RefCell::new(None),
            unconfirmed: Cell::new(None),
            saves: Cell::new(0),
        }
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// The session as stored under the stamp shown (defaults before
    /// anything was read).
    pub fn stored(&self) -> Session {
        self.state.borrow().stored.clone()
    }

    /// The changes storage refused, oldest first, which the tab shows on top
    /// of [`Peer::stored`] until they are saved.
    pub fn unsaved(&self) -> Vec<Action> {
        self.state.borrow().unsaved.clone()
    }

    /// Takes `unsaved` as changes storage refused, with `why` as the
    /// notice: changes kept from an earlier visit, to show on top of the
    /// session and to save with the next change or retry. A change that no
    /// longer applies to what the tab shows is not taken.
    pub fn keep_unsaved(&self, unsaved: Vec<Action>, why: StoreError) {
        let mut st = self.state.borrow_mut();
        let mut kept = Vec::new();
        for action in unsaved {
            let mut base = st.unsaved.clone();
            base.extend(kept.iter().cloned());
            if action.apply(&Action::replay(&st.stored.settings, &base)).is_ok() {
                kept.push(action);
            }
        }
        if !kept.is_empty() {
            st.unsaved.extend(kept);
            st.notice = Some(Notice::NotSaved(why));
        }
    }

    /// The stamp of the session shown.
    pub fn shown(&self) -> Stamp {
        self.state.borrow().receiver.shown().clone()
    }

    pub fn counters(&self) -> Counters {
        self.state.borrow().receiver.counters().clone()
    }

    /// The latest thing to tell the user about storage, if any.
    pub fn notice(&self) -> Option<Notice> {
        self.state.borrow().notice.clone()
    }

    /// The segment this tab shows.
    pub fn user_key(&self) -> String {
        self.state.borrow().receiver.user_key().to_string()
    }

    /// This tab's id.
    pub fn tab_id(&self) -> String {
        self.state.borrow().receiver.tab_id().to_string()
    }

    /// Reads the session from storage and shows it if it is newer: at
    /// start (after the transport's listener is attached) and whenever a
    /// signal says so. Returns whether the shown session changed.
    pub async fn load(&self) -> bool {
        let key = self.user_key();
        match self.read_storage(&key).await {
            Some(stored) => self.adopt(stored),
            None => false,
        }
    }

    /// Reads the stored session; when storage fails, says so in the notice
    /// and returns `None`.
    async fn read_storage(&self, key: &str) -> Option<Stored> {
        match self.store.read(key).await {
            Ok(text) => Some(self.read_stored(text.as_deref(), key)),
            Err(e) => {
                self.state.borrow_mut().notice = Some(Notice::NotRead(e));
                None
            }
        }
    }

    /// The version this tab knows from storage or its own saves: the shown
    /// one, unless that came from a message storage has not confirmed.
    fn known_version(&self) -> u64 {
        self.unconfirmed.get().unwrap_or_else(|| self.shown().version)
    }

    /// Saves one change: replays `action` onto the stored session in one
    /// transaction, then tells the other tabs. An action whose value is
    /// out of range is an error and changes nothing.
    pub async fn change(&self, action: &Action, now_iso: &str) -> Result<Changed, EngineError> {
        self.save_with(Some(action), now_iso).await
    }

    /// Whether changes storage refused are still to be saved.
    pub fn has_unsaved(&self) -> bool {
        !self.state.borrow().unsaved.is_empty()
    }

    /// Saves the changes storage refused, without a new change: for when
    /// storage may take them again (the tab is back online or shown, the
    /// connection was opened again). `Unchanged` when there are none; when
    /// storage fails again they stay unsaved, as they were.
    pub async fn retry(&self, now_iso: &str) -> Result<Changed, EngineError> {
        if !self.has_unsaved() {
            return Ok(Changed::Unchanged);
        }
        self.save_with(None, now_iso).await
    }

    /// Saves the unsaved changes, then `action` if there is one.
    async fn save_with(&self, action: Option<&Action>, now_iso: &str) -> Result<Changed, EngineError> {
        let (request, replayed) = {
            let st = self.state.borrow();
            let r = &st.receiver;
            let to_save = match (st.unsaved.as_slice(), action) {
                ([], Some(action)) => action.clone(),
                ([one], None) => one.clone(),
                (unsaved, action) => Action::Batch(unsaved.iter().chain(action).cloned().collect()),
            };
            let request = SaveRequest {
                user_key: r.user_key().to_string(),
                origin_tab_id: r.tab_id().to_string(),
                last_known_version: self.known_version(),
                action: to_save,
                now_iso: now_iso.to_string(),
                // Only a session storage gave (or this tab saved): one
                // shown from a message may not be what storage holds.
                base: self.unconfirmed.get().is_none().then(|| st.stored.clone()),
            };
            (request, st.unsaved_done + st.unsaved.len())
        };
        let key = &request.user_key;
        let result = self
            .store
            .save(&request, |stored| {
                // The version shown when the store reads, not when the
                // change began: an earlier save of this tab may have
                // finished in between, and the version must be above it.
                // A version shown from a message that storage has not
                // confirmed does not count: a forged one would otherwise
                // make this save skip versions.
                request.plan(self.read_stored(stored, key), self.known_version())
            })
            .await;
        let mut st = self.state.borrow_mut();
        if let Ok(SaveOutcome::Unchanged { .. } | SaveOutcome::Saved(_)) = &result {
            self.saves.set(self.saves.get() + 1);
            // What was replayed is saved now (a change that failed while
            // this one was in flight is still to come).
            let replayed = replayed.saturating_sub(st.unsaved_done).min(st.unsaved.len());
            st.unsaved.drain(..replayed);
            st.unsaved_done += replayed;
            if st.unsaved.is_empty() && matches!(st.notice, Some(Notice::NotSaved(_))) {
                st.notice = None;
            }
        }
        drop(st);
        match result {
            Err(e) => {
                let mut st = self.state.borrow_mut();
                if let Some(action) = action {
                    // Kept only if it applies to what the tab shows.
                    action.apply(&Action::replay(&st.stored.settings, &st.unsaved))?;
                    st.unsaved.push(action.clone());
                }
                st.notice = Some(Notice::NotSaved(e.clone()));
                Ok(Changed::InMemoryOnly(e))
            }
            Ok(SaveOutcome::Rejected(e)) => Err(e),
            Ok(SaveOutcome::Unchanged { session }) => {
                self.adopt(Stored::Session(session));
                Ok(Changed::Unchanged)
            }
            Ok(SaveOutcome::Saved(s)) => {
                if let Some(u) = s.kept_aside {
                    let key = aside_key(key, now_iso);
                    self.state.borrow_mut().notice = Some(Notice::KeptAside { key, error: u.error });
                }
                self.adopt(Stored::Session(s.session));
                // A message that is lost is made up for by the catch-up rule.
                if !s.announced {
                    let _ = self.transport.post(&s.message);
                }
                Ok(Changed::Saved(s.message.sync_version))
            }
        }
    }

    /// Handles a signal from another tab. A message that carries the
    /// session it announces is shown from the message, and
    /// [`Peer::confirm`] then checks it against storage.
    pub async fn receive(&self, signal: Signal) -> Heard {
        let key = self.user_key();
        // A message (or why it does not read as one), or a stored text.
        let heard = match &signal {
            Signal::Own => {
                self.state.borrow_mut().receiver.receive_own();
                return Heard::Nothing;
            }
            Signal::CatchUp => return self.catch_up().await,
            Signal::Text(text) => Ok(Message::parse(text)),
            Signal::Read(message) => Ok(message.clone()),
            Signal::Stored(text) => Err(text.as_deref()),
        };
        let carried = match &heard {
            Ok(Ok(m)) => m.session.as_ref().map(|text| (Stamp::of(m), text.clone())),
            _ => None,
        };
        let decision = match heard {
            Ok(message) => self.state.borrow_mut().receiver.receive(message),
            Err(text) => {
                let stamp = match self.read_stored(text, &key) {
                    Stored::Session(s) => Some(stamp_of(&s)),
                    _ => None,
                };
                self.state.borrow_mut().receiver.receive_stored(stamp)
            }
        };
        // With transactions only: there, storage never holds less than a
        // version announced, so a session that storage does not confirm was
        // never saved, and is replaced.
        let transactional = self.state.borrow().receiver.mode() == Mode::Transactional;
        if decision == Decision::Reload && transactional {
            if let Some((stamp, text)) = carried {
                // Only the very version announced, read as a session of
                // this segment; anything else is read from storage.
                let stored = self.read_stored(Some(&text), &key);
                if matches!(&stored, Stored::Session(s) if stamp_of(s) == stamp) {
                    let before = self.known_version();
                    if !self.adopt(stored) {
                        return Heard::Nothing;
                    }
                    self.unconfirmed.set(Some(before));
                    return Heard::Reloaded;
                }
            }
        }
        match decision {
            Decision::Reload if self.load().await => Heard::Reloaded,
            Decision::Reassert => {
                self.reassert().await;
                Heard::Nothing
            }
            Decision::SegmentsChanged(key) => Heard::SegmentsChanged(key),
            _ => Heard::Nothing,
        }
    }

    /// After a session was shown from a message: reads storage, the source
    /// of truth, and shows what it holds if that is newer still, or instead
    /// of the shown one if storage does not hold that (`Heard::Replaced`).
    /// Does nothing otherwise.
    pub async fn confirm(&self) -> Heard {
        if self.unconfirmed.get().is_none() {
            return Heard::Nothing;
        }
        let key = self.user_key();
        // When storage fails it stays unconfirmed: the next catch-up tries
        // again.
        let stored = loop {
            let (saves, asked) = (self.saves.get(), self.shown());
            let Some(stored) = self.read_storage(&key).await else { return Heard::Nothing };
            // Another session was shown while storage answered (a newer
            // message's, or storage's): the read may be older than that, so
            // it may show a newer session but never replace one; a newer
            // message's session is confirmed by its own read.
            if self.shown() != asked {
                return if self.adopt(stored) { Heard::Reloaded } else { Heard::Nothing };
            }
            // A save of this tab was answered while storage was read: the
            // read may be older than that save, which could not show over
            // the session shown from the message (same version, another
            // writer) and must not be replaced by what was stored before it.
            if self.saves.get() == saves {
                break stored;
            }
        };
        // Cleared only now: a save made while storage answered must still
        // not count the unconfirmed version.
        self.unconfirmed.set(None);
        let stamp = stored.stamp();
        let shown = self.shown();
        if stamp == shown {
            return Heard::Nothing;
        }
        if stamp.version > shown.version {
            return if self.adopt(stored) { Heard::Reloaded } else { Heard::Nothing };
        }
        // Storage holds less than the message said was saved, or another
        // writer's version: the message was not a save's. Show storage's.
        let session = match stored {
            Stored::Session(s) => s,
            // Nothing stored: every default, version 0.
            Stored::Missing => Session::new(&key),
            Stored::Unreadable(u) => {
                self.state.borrow_mut().notice = Some(Notice::StoredUnreadable { error: u.error });
                Session::new(&key)
            }
        };
        let mut st = self.state.borrow_mut();
        st.receiver.reset(stamp);
        st.stored = session;
        Heard::Replaced
    }

    /// The catch-up rule, for `pageshow`, `visibilitychange` to visible and
    /// `focus`: reload if storage holds a newer session than the one shown
    /// (a session shown from a message is confirmed instead, see
    /// [`Peer::confirm`]). Says what changed.
    pub async fn catch_up(&self) -> Heard {
        if self.unconfirmed.get().is_some() {
            return self.confirm().await;
        }
        let key = self.user_key();
        let Some(stored) = self.read_storage(&key).await else { return Heard::Nothing };
        let decision = self.state.borrow().receiver.catch_up(&stored.stamp());
        match decision {
            Decision::Reload if self.adopt(stored) => Heard::Reloaded,
            Decision::Reassert => {
                self.reassert().await;
                Heard::Nothing
            }
            _ => Heard::Nothing,
        }
    }

    /// Fallback only: if storage holds a lower stamp than the one shown (a
    /// tab that lost the tie wrote last, or storage was cleared), writes the
    /// shown session back as it was stored, under the same stamp, and tells
    /// the others. The message names the tab that wrote that version, since
    /// the pair (version, tab) identifies the write.
    async fn reassert(&self) {
        let (key, mode, shown, session) = {
            let st = self.state.borrow();
            let r = &st.receiver;
            (r.user_key().to_string(), r.mode(), r.shown().clone(), st.stored.clone())
        };
        let updated_at = session.updated_at.clone();
        if shown.version == 0 {
            return; // nothing saved yet, nothing to write back
        }
        let wrote = self
            .store
            .update(&key, |stored| {
                let lower = match self.read_stored(stored, &key) {
                    // Never overwrite a text that does not read: a save
                    // keeps it aside first.
                    Stored::Unreadable(_) => false,
                    other => mode.compare(&other.stamp(), &shown) == Ordering::Less,
                };
                let writes = if lower { vec![(key.clone(), crate::sync::text::write(&session))] } else { Vec::new() };
                (writes, lower)
            })
            .await;
        // The write itself fires `storage` in the other tabs; the message is
        // the faster signal, and needs the timestamp the contract requires.
        if let (Ok(true), Some(at)) = (wrote, updated_at) {
            if is_timestamp(&at) {
                let message = Message::session_changed(&key, shown.version, &shown.origin_tab_id, &at);
                let _ = self.transport.post(&message);
            }
        }
    }

    /// Reads a stored text, or reuses what it read as last time.
    fn read_stored(&self, text: Option<&str>, key: &str) -> Stored {
        let Some(text) = text else { return Stored::Missing };
        if let Some((last, stored)) = &*self.last_read.borrow() {
            if last == text {
                return stored.clone();
            }
        }
        let stored = Stored::read(Some(text), key);
        *self.last_read.borrow_mut() = Some((text.to_string(), stored.clone()));
        stored
    }

    /// Shows a session read from storage or just saved, if it is newer than
    /// the one shown.
    fn adopt(&self, stored: Stored) -> bool {
        let mut st = self.state.borrow_mut();
        match stored {
            Stored::Missing => false,
            Stored::Unreadable(u) => {
                st.notice = Some(Notice::StoredUnreadable { error: u.error });
                false
            }
            Stored::Session(session) => {
                let newer = st.receiver.show(stamp_of(&session));
                if newer {
                    st.stored = session;
                    if matches!(st.notice, Some(Notice::NotRead(_) | Notice::StoredUnreadable { .. })) {
                        st.notice = None;
                    }
                }
                newer
            }
        }
    }
}
