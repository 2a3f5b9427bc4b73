//! A tab's rules for what it hears from other tabs: which signal makes it
//! reload the session from storage, and which it ignores (and counts).
//!
//! Storage is the source of truth; a signal only says "look again" (a
//! message that carries the session it announces is shown at once and then
//! checked against storage, see `peer.rs`). So a
//! duplicate, a reordered or a lost signal costs at most a read: a duplicate
//! is "not newer" the second time, and a lost one is made up for by the
//! catch-up rule, which compares the stored version with the shown one when
//! the tab comes back to the front.
//!
//! Versions are ordered by a [`Stamp`]: the version and the tab that wrote
//! it. With IndexedDB a save is one transaction and each version is written
//! once, so the version alone orders. With the localStorage fallback two tabs
//! can both write version N+1 (each read N before the other wrote); the tab
//! id then breaks the tie, so every tab settles on the same winner. A tab
//! that shows the winner and finds a lower stamp in storage (the loser wrote
//! last) writes the winner back: see [`Decision::Reassert`].

use crate::sync::message::{Kind, Message, Reject};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Which version of a session a tab shows or storage holds: the version and
/// the tab that wrote it, ordered in that order.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub version: u64,
    /// Empty for a session no tab has saved yet (or one written before
    /// sessions recorded their writer).
    pub origin_tab_id: String,
}

impl Stamp {
    pub fn new(version: u64, origin_tab_id: &str) -> Stamp {
        Stamp { version, origin_tab_id: origin_tab_id.to_string() }
    }

    /// The stamp a message announces.
    pub fn of(message: &Message) -> Stamp {
        Stamp::new(message.sync_version, &message.origin_tab_id)
    }
}

/// How sessions are stored, which decides how versions are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// IndexedDB: each save is one read-modify-write transaction, so each
    /// version is written once and the version alone orders.
    Transactional,
    /// localStorage, where IndexedDB is missing: a read and then a write, so
    /// two tabs may write the same version; the pair (version, tab) orders.
    Fallback,
}

impl Mode {
    /// How two stamps compare in this mode.
    pub fn compare(self, a: &Stamp, b: &Stamp) -> Ordering {
        match self {
            Mode::Transactional => a.version.cmp(&b.version),
            Mode::Fallback => a.cmp(b),
        }
    }
}

/// Why a signal was ignored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ignored {
    /// Not a message of the contract's shape.
    Malformed,
    /// About another segment.
    OtherUserKey,
    /// Sent by this tab.
    OwnMessage,
    /// Not newer than what the tab shows (duplicates and late arrivals).
    NotNewer,
}

/// What a tab does with a signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Ignore(Ignored),
    /// Read the session from storage, then recalculate and render.
    Reload,
    /// Fallback only: the signal is older than what this tab shows, so
    /// storage may hold a losing write. Read storage; if its stamp is lower
    /// than the shown one, write the shown session back unchanged (same
    /// version, same writer) and post its message again.
    Reassert,
    /// Another tab imported or changed the data of the segment named: read
    /// the list of segments (and that segment's data) again.
    SegmentsChanged(String),
}

/// What a tab has heard, for the status line and for tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Signals that led to a reload.
    pub reloads: u64,
    /// Signals that led to a check of storage in the fallback.
    pub reasserts: u64,
    /// Ignored signals, by reason.
    pub ignored: BTreeMap<Ignored, u64>,
    /// Malformed messages, by what was wrong with them.
    pub malformed: BTreeMap<Reject, u64>,
}

impl Counters {
    /// How many signals were ignored for `reason`.
    pub fn ignored(&self, reason: Ignored) -> u64 {
        self.ignored.get(&reason).copied().unwrap_or(0)
    }
}

/// One tab's receiving side: what it shows and what it has heard.
#[derive(Debug, Clone)]
pub struct Receiver {
    user_key: String,
    tab_id: String,
    mode: Mode,
    shown: Stamp,
    counters: Counters,
}

impl Receiver {
    /// A tab showing segment `user_key`, before it has read anything.
    pub fn new(user_key: &str, tab_id: &str, mode: Mode) -> Receiver {
        Receiver {
            user_key: user_key.to_string(),
            tab_id: tab_id.to_string(),
            mode,
            shown: Stamp::default(),
            counters: Counters::default(),
        }
    }

    pub fn user_key(&self) -> &str {
        &self.user_key
    }

    pub fn tab_id(&self) -> &str {
        &self.tab_id
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The stamp of the session on screen.
    pub fn shown(&self) -> &Stamp {
        &self.shown
    }

    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Records that the tab now shows `stamp` (read from storage or just
    /// saved by this tab), if it is newer than what it shows; returns
    /// whether it was. Reads and commits can finish out of order, and what
    /// is shown only ever moves forward.
    pub fn show(&mut self, stamp: Stamp) -> bool {
        let newer = self.mode.compare(&stamp, &self.shown) == Ordering::Greater;
        if newer {
            self.shown = stamp;
        }
        newer
    }

    /// Records that the tab shows `stamp` even though it is not newer: only
    /// for a session shown from a message that storage then did not hold
    /// (a message no save stood behind), which is replaced by storage's.
    pub fn reset(&mut self, stamp: Stamp) {
        self.shown = stamp;
    }

    /// Decides on a received message, or counts why it did not read.
    pub fn receive(&mut self, message: Result<Message, Reject>) -> Decision {
        let decision = match message {
            Err(reject) => {
                *self.counters.malformed.entry(reject).or_default() += 1;
                Decision::Ignore(Ignored::Malformed)
            }
            Ok(m) if m.origin_tab_id == self.tab_id => Decision::Ignore(Ignored::OwnMessage),
            // Importing data changes every tab's list of segments, whatever
            // segment each one shows; reading the list again is idempotent,
            // so there is no version to compare.
            Ok(m) if m.kind == Kind::SegmentsChanged => Decision::SegmentsChanged(m.user_key),
            Ok(m) if m.user_key != self.user_key => Decision::Ignore(Ignored::OtherUserKey),
            Ok(m) => self.compare(&Stamp::of(&m)),
        };
        self.count(&decision);
        decision
    }

    /// Counts a message of this tab's own, known as such before it was read
    /// ([`crate::sync::Signal::Own`]).
    pub fn receive_own(&mut self) -> Decision {
        let decision = Decision::Ignore(Ignored::OwnMessage);
        self.count(&decision);
        decision
    }

    /// Decides on a `storage` event for this segment's session in the
    /// localStorage fallback: writing the session is a signal too, with the
    /// stamp the written text carries (`None` if it does not read).
    pub fn receive_stored(&mut self, stamp: Option<Stamp>) -> Decision {
        // No own-tab check: a browser fires `storage` only in the other
        // tabs, and a tab may see its own write again when another tab
        // writes it back; the stamp comparison covers both.
        let decision = match stamp {
            None => Decision::Reload,
            Some(s) => self.compare(&s),
        };
        self.count(&decision);
        decision
    }

    /// The catch-up rule, on `pageshow`, on `visibilitychange` to visible
    /// and on `focus`: given the stamp in storage now, reload if it is
    /// newer than the shown one (and, in the fallback, reassert if older).
    pub fn catch_up(&self, stored: &Stamp) -> Decision {
        self.compare(stored)
    }

    fn compare(&self, stamp: &Stamp) -> Decision {
        match (self.mode.compare(stamp, &self.shown), self.mode) {
            (Ordering::Greater, _) => Decision::Reload,
            (Ordering::Less, Mode::Fallback) => Decision::Reassert,
            _ => Decision::Ignore(Ignored::NotNewer),
        }
    }

    fn count(&mut self, decision: &Decision) {
        match decision {
            Decision::Ignore(reason) => *self.counters.ignored.entry(reason.clone()).or_default() += 1,
            Decision::Reload => self.counters.reloads += 1,
            Decision::Reassert => self.counters.reasserts += 1,
            Decision::SegmentsChanged(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "2026-11-25T06:10:00.123Z";

    fn msg(user_key: &str, version: u64, tab: &str) -> String {
        Message::session_changed(user_key, version, tab, AT).to_json()
    }

    fn tab(mode: Mode, shown: u64) -> Receiver {
        let mut r = Receiver::new("quarterly", "me", mode);
        r.show(Stamp::new(shown, "someone"));
        r
    }

    #[test]
    fn a_tab_ignores_its_own_messages() {
        let mut r = tab(Mode::Transactional, 3);
        assert_eq!(r.receive(Message::parse(&msg("quarterly", 9, "me"))), Decision::Ignore(Ignored::OwnMessage));
        assert_eq!(r.counters().ignored(Ignored::OwnMessage), 1);
    }

    #[test]
    fn stale_and_equal_versions_are_ignored() {
        for mode in [Mode::Transactional, Mode::Fallback] {
            let mut r = Receiver::new("quarterly", "me", mode);
            r.show(Stamp::new(5, "b"));
            let stale = r.receive(Message::parse(&msg("quarterly", 4, "z")));
            let duplicate = r.receive(Message::parse(&msg("quarterly", 5, "b")));
            assert_eq!(duplicate, Decision::Ignore(Ignored::NotNewer));
            match mode {
                Mode::Transactional => assert_eq!(stale, Decision::Ignore(Ignored::NotNewer)),
                Mode::Fallback => assert_eq!(stale, Decision::Reassert),
            }
        }
    }

    #[test]
    fn a_newer_version_reloads_and_its_duplicate_is_harmless() {
        let mut r = tab(Mode::Transactional, 3);
        let m = msg("quarterly", 4, "other");
        assert_eq!(r.receive(Message::parse(&m)), Decision::Reload);
        // The reload read version 4 (or later) from storage.
        assert!(r.show(Stamp::new(4, "other")));
        assert_eq!(r.receive(Message::parse(&m)), Decision::Ignore(Ignored::NotNewer));
        assert_eq!(r.counters().reloads, 1);
    }

    #[test]
    fn other_segments_are_ignored() {
        let mut r = tab(Mode::Transactional, 3);
        assert_eq!(r.receive(Message::parse(&msg("annual", 9, "x"))), Decision::Ignore(Ignored::OtherUserKey));
    }

    #[test]
    fn malformed_messages_are_counted_by_reason() {
        let mut r = tab(Mode::Transactional, 3);
        for text in ["", "null", "{}", "{}", r#"{"type":"session_changed"}"#] {
            assert_eq!(r.receive(Message::parse(text)), Decision::Ignore(Ignored::Malformed));
        }
        let c = r.counters();
        assert_eq!(c.ignored(Ignored::Malformed), 5);
        assert_eq!(c.malformed[&Reject::Missing("type")], 2);
        assert_eq!(c.malformed[&Reject::Missing("user_key")], 1);
        assert_eq!(c.malformed[&Reject::NotJson], 1);
        assert_eq!(c.malformed[&Reject::NotAnObject], 1);
    }

    #[test]
    fn segments_changed_from_another_tab_rereads_the_list() {
        let mut r = tab(Mode::Transactional, 3);
        let mut m = Message::session_changed("annual", 1, "x", AT);
        m.kind = Kind::SegmentsChanged;
        assert_eq!(r.receive(Ok(m.clone())), Decision::SegmentsChanged("annual".into()));
        m.origin_tab_id = "me".into();
        assert_eq!(r.receive(Ok(m)), Decision::Ignore(Ignored::OwnMessage));
    }

    #[test]
    fn the_fallback_breaks_ties_by_tab_id() {
        let mut a = Receiver::new("q", "a", Mode::Fallback);
        let mut b = Receiver::new("q", "b", Mode::Fallback);
        // Both read version 4 and wrote 5.
        a.show(Stamp::new(5, "a"));
        b.show(Stamp::new(5, "b"));
        assert_eq!(a.receive(Message::parse(&msg("q", 5, "b"))), Decision::Reload);
        assert_eq!(b.receive(Message::parse(&msg("q", 5, "a"))), Decision::Reassert);
        // The same pair in the transactional mode is "not newer".
        let mut t = Receiver::new("q", "a", Mode::Transactional);
        t.show(Stamp::new(5, "a"));
        assert_eq!(t.receive(Message::parse(&msg("q", 5, "b"))), Decision::Ignore(Ignored::NotNewer));
    }

    #[test]
    fn catch_up_reloads_only_what_is_newer() {
        let r = tab(Mode::Transactional, 3);
        assert_eq!(r.catch_up(&Stamp::new(4, "x")), Decision::Reload);
        assert_eq!(r.catch_up(&Stamp::new(3, "zzz")), Decision::Ignore(Ignored::NotNewer));
        assert_eq!(r.catch_up(&Stamp::new(2, "x")), Decision::Ignore(Ignored::NotNewer));
        let f = tab(Mode::Fallback, 3);
        assert_eq!(f.catch_up(&Stamp::new(3, "zzz")), Decision::Reload);
        assert_eq!(f.catch_up(&Stamp::new(3, "a")), Decision::Reassert);
    }

    #[test]
    fn what_is_shown_only_moves_forward() {
        let mut r = tab(Mode::Transactional, 3);
        assert!(!r.show(Stamp::new(2, "x")));
        assert!(r.show(Stamp::new(4, "x")));
        assert_eq!(r.shown().version, 4);
    }

    #[test]
    fn storage_events_are_signals_too() {
        let mut r = tab(Mode::Fallback, 3);
        assert_eq!(r.receive_stored(Some(Stamp::new(4, "x"))), Decision::Reload);
        assert_eq!(r.receive_stored(None), Decision::Reload);
        r.show(Stamp::new(4, "me"));
        assert_eq!(r.receive_stored(Some(Stamp::new(4, "me"))), Decision::Ignore(Ignored::NotNewer));
    }
}
