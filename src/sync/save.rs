//! The save rule: what one save writes, as a pure function of the session
//! text stored at that moment.
//!
//! A save does not write the tab's whole state: it reads the stored session,
//! applies this tab's [`Action`] to it and writes the result with the stored
//! version + 1, all inside one transaction. So a change another tab saved in
//! the meantime survives unless it was to the same setting, in which case
//! the later transaction wins. The message announcing the new version is
//! returned for the caller to post once the transaction has committed, never
//! before: a tab that hears it must find the new version in storage.

use crate::sync::message::Message;
use crate::sync::rules::Stamp;
use crate::sync::transport::Writes;
use runoff_engine::action::canonical;
use runoff_engine::{Action, EngineError, Session, Settings};
use serde::{Deserialize, Serialize};

/// The session key under which a save records which tab wrote it, so that
/// the localStorage fallback can order two writes of the same version (see
/// [`crate::sync::rules`]). Sessions keep keys they do not know, so older
/// versions carry it along.
pub const WRITER_KEY: &str = "sync_origin_tab_id";

/// The tab that saves.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    /// The segment: the key of the session in storage.
    pub user_key: &'a str,
    pub origin_tab_id: &'a str,
    /// The highest version this tab has seen, so that a session rebuilt
    /// from defaults (the stored one was lost or did not read) still gets a
    /// version above what other tabs show.
    pub last_known_version: u64,
}

/// What a save does. (Made once per save and taken apart at once: a box
/// for the larger variants would buy nothing.)
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum SaveOutcome {
    /// The action leaves the settings as stored: nothing is written and no
    /// message is sent. `session` is the stored one, for the tab to show.
    Unchanged { session: Session },
    /// Write [`Saved::text`] under the segment's key in this transaction.
    Saved(Saved),
    /// The action's value is out of range (or versions are exhausted):
    /// nothing is written.
    Rejected(EngineError),
}

/// A save that writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// The new session text, to write under the segment's key.
    pub text: String,
    /// The same session, read.
    pub session: Session,
    /// To post after the transaction commits, not before.
    pub message: Message,
    /// The stored text did not read as a session: write it under
    /// [`aside_key`] in the same transaction, so it is never lost silently.
    pub kept_aside: Option<Unreadable>,
    /// Whether the message is on its way already: a store that runs saves
    /// in another thread (the page's save worker) posts it there the moment
    /// the transaction commits. Otherwise the tab posts it.
    pub announced: bool,
}

impl Saved {
    /// The session a save writes: `base` (the stored one) with `settings`,
    /// as version `version`, written at `now_iso` by tab `origin_tab_id`.
    pub fn on(base: Session, settings: Settings, version: u64, origin_tab_id: &str, now_iso: &str) -> Session {
        let mut session = base;
        session.settings = settings;
        session.sync_version = version;
        session.updated_at = Some(now_iso.to_string());
        session.extra.insert(WRITER_KEY.into(), origin_tab_id.into());
        session
    }
}

/// One save as data, for a store that runs the save rule in another thread
/// (the page's save worker): who saves, what, and the version the tab knew
/// when it asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveRequest {
    pub user_key: String,
    pub origin_tab_id: String,
    pub last_known_version: u64,
    pub action: Action,
    pub now_iso: String,
    /// The session as stored under the version the tab shows, when the tab
    /// has read it from storage (or saved it): a save worker that finds
    /// that very version stored answers with the new version alone, and
    /// the tab rebuilds the session from this ([`Saved::on`]). It stays
    /// in the tab: only its version crosses to the worker.
    #[serde(skip)]
    pub base: Option<Session>,
}

impl SaveRequest {
    /// The writer, knowing `last_known_version` (the request's, or a higher
    /// one the thread that runs the save knows of).
    pub fn writer(&self, last_known_version: u64) -> Writer<'_> {
        Writer { user_key: &self.user_key, origin_tab_id: &self.origin_tab_id, last_known_version }
    }

    /// The save over `stored` (the text as the transaction read it), by a
    /// writer knowing `last_known_version`: what it writes in its
    /// transaction, in order, and its outcome.
    pub fn plan(&self, stored: Stored, last_known_version: u64) -> (Writes, SaveOutcome) {
        let outcome = save_read(stored, &self.writer(last_known_version), &self.action, &self.now_iso);
        let mut writes = Vec::new();
        if let SaveOutcome::Saved(s) = &outcome {
            // The unreadable text first: if keeping it fails, the session
            // is not overwritten either.
            if let Some(u) = &s.kept_aside {
                writes.push((aside_key(&self.user_key, &self.now_iso), u.text.clone()));
            }
            writes.push((self.user_key.clone(), s.text.clone()));
        }
        (writes, outcome)
    }
}

/// A stored session text that does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub text: String,
    /// Why it does not read, for the page to say.
    pub error: String,
    /// The version it seems to carry, if one can be found in it.
    pub last_version: Option<u64>,
}

/// A stored session text, read. (As [`SaveOutcome`], short-lived.)
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Stored {
    /// Nothing stored yet: every default, version 0.
    Missing,
    Session(Session),
    Unreadable(Unreadable),
}

impl Stored {
    /// Reads the text stored under `user_key`.
    pub fn read(text: Option<&str>, user_key: &str) -> Stored {
        match text {
            None => Stored::Missing,
            Some(text) => match crate::sync::text::read(text, user_key) {
                Ok(session) => Stored::Session(session),
                Err(e) => Stored::Unreadable(Unreadable {
                    text: text.to_string(),
                    error: e.to_string(),
                    last_version: last_version_in(text),
                }),
            },
        }
    }

    /// The stamp of what is stored; a missing or unreadable session counts
    /// as version 0.
    pub fn stamp(&self) -> Stamp {
        match self {
            Stored::Session(s) => stamp_of(s),
            _ => Stamp::default(),
        }
    }
}

/// The version and the writer a session records.
pub fn stamp_of(session: &Session) -> Stamp {
    let writer = session.extra.get(WRITER_KEY).and_then(|v| v.as_str()).unwrap_or_default();
    Stamp::new(session.sync_version, writer)
}

/// The key under which an unreadable session text is kept aside: the
/// segment's key, marked, with the time it was found.
pub fn aside_key(user_key: &str, now_iso: &str) -> String {
    format!("{user_key}.unreadable.{now_iso}")
}

/// One save: `stored` is the text under the segment's key as the
/// transaction read it, `now_iso` the time of the save (ISO 8601, UTC).
#[cfg(test)]
pub fn save(stored: Option<&str>, writer: &Writer, action: &Action, now_iso: &str) -> SaveOutcome {
    save_read(Stored::read(stored, writer.user_key), writer, action, now_iso)
}

/// [`save`], from the stored text already read.
pub fn save_read(stored: Stored, writer: &Writer, action: &Action, now_iso: &str) -> SaveOutcome {
    let (base, stored_version, kept_aside) = match stored {
        Stored::Missing => (Session::new(writer.user_key), 0, None),
        Stored::Session(s) => {
            let version = s.sync_version;
            (s, version, None)
        }
        // Start again from defaults, above any version the text or this tab
        // knew, so that every tab takes the new session as newer.
        Stored::Unreadable(u) => (Session::new(writer.user_key), u.last_version.unwrap_or(0), Some(u)),
    };
    let settings = match action.apply(&base.settings) {
        Ok(s) => s,
        Err(e) => return SaveOutcome::Rejected(e),
    };
    // A hand-written session need not be in canonical form; the same
    // judgement is still no change.
    if kept_aside.is_none() && canonical(&settings) == canonical(&base.settings) {
        return SaveOutcome::Unchanged { session: base };
    }
    let Some(version) = stored_version.max(writer.last_known_version).checked_add(1) else {
        return SaveOutcome::Rejected(EngineError::Session {
            key: "sync_version".into(),
            message: format!("{stored_version} is the last version there can be"),
        });
    };
    let session = Saved::on(base, settings, version, writer.origin_tab_id, now_iso);
    let text = crate::sync::text::write(&session);
    let message = announcement(writer, version, now_iso, &text);
    SaveOutcome::Saved(Saved { text, session, message, kept_aside, announced: false })
}

/// The message that announces version `version` saved as `text`. The text
/// goes with the message: the other tabs show it without waiting for
/// storage to answer them.
pub fn announcement(writer: &Writer, version: u64, now_iso: &str, text: &str) -> Message {
    Message::session_changed(writer.user_key, version, writer.origin_tab_id, now_iso).with_session(text.to_string())
}

/// The version an unreadable text seems to carry: the largest number after
/// a `sync_version` key (YAML or JSON, block or flow style), found by
/// scanning because the text does not parse. Taking the largest errs on
/// the safe side: a version only has to be above what other tabs show.
fn last_version_in(text: &str) -> Option<u64> {
    text.match_indices("sync_version")
        .filter_map(|(at, key)| {
            let rest = text[at + key.len()..].trim_start_matches(['"', '\'']);
            let rest = rest.trim_start().strip_prefix(':')?.trim_start();
            let digits = rest.split(|c: char| !c.is_ascii_digit()).next()?;
            digits.parse::<u64>().ok()
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::Average;

    const NOW: &str = "2026-11-25T06:10:00.123Z";

    fn writer(last_known_version: u64) -> Writer<'static> {
        Writer { user_key: "quarterly", origin_tab_id: "tab-a", last_known_version }
    }

    fn saved(outcome: SaveOutcome) -> Saved {
        match outcome {
            SaveOutcome::Saved(s) => s,
            other => panic!("expected a save, got {other:?}"),
        }
    }

    #[test]
    fn a_save_writes_the_next_version_and_a_message_for_it() {
        let stored = r#"{"sync_version": 7, "average": "volume"}"#;
        let s = saved(save(Some(stored), &writer(7), &Action::SetAverage(Average::Simple), NOW));
        assert_eq!(s.session.sync_version, 8);
        assert_eq!(s.session.updated_at.as_deref(), Some(NOW));
        assert_eq!(s.message, Message::session_changed("quarterly", 8, "tab-a", NOW).with_session(s.text.clone()));
        let back = crate::sync::text::read(&s.text, "quarterly").unwrap();
        assert_eq!(back, s.session);
        assert_eq!(stamp_of(&back), Stamp::new(8, "tab-a"));
        assert!(s.kept_aside.is_none());
    }

    #[test]
    fn another_tabs_change_to_another_setting_survives() {
        // This tab read version 3; another tab has since saved drop_high.
        let stored = r#"{"sync_version": 4, "drop_high": true}"#;
        let s = saved(save(Some(stored), &writer(3), &Action::SetAverage(Average::Simple), NOW));
        assert!(s.session.settings.drop_high);
        assert_eq!(s.session.settings.average, Average::Simple);
        assert_eq!(s.session.sync_version, 5);
    }

    #[test]
    fn a_change_that_leaves_the_settings_equal_saves_nothing() {
        let stored = r#"{"sync_version": 7, "average": "simple", "drop_origins": ["2001", "1999"]}"#;
        let same = Action::SetAverage(Average::Simple);
        assert!(matches!(save(Some(stored), &writer(7), &same, NOW), SaveOutcome::Unchanged { .. }));
        let already = Action::SetOriginDropped { origin: "2001".into(), dropped: true };
        match save(Some(stored), &writer(7), &already, NOW) {
            SaveOutcome::Unchanged { session } => assert_eq!(session.sync_version, 7),
            other => panic!("{other:?}"),
        }
        // Nothing stored and nothing changed from the defaults: nothing to write.
        let default = Action::SetAverage(Average::Volume);
        assert!(matches!(save(None, &writer(0), &default, NOW), SaveOutcome::Unchanged { .. }));
    }

    #[test]
    fn unknown_keys_survive_a_save() {
        let stored = r#"{"sync_version": 2, "future_key": {"a": [1, 2]}}"#;
        let s = saved(save(Some(stored), &writer(2), &Action::SetDropLow(true), NOW));
        let back = crate::sync::text::read(&s.text, "quarterly").unwrap();
        assert!(back.extra.contains_key("future_key"), "{}", s.text);
    }

    #[test]
    fn an_out_of_range_action_writes_nothing() {
        let outcome = save(Some(r#"{"sync_version": 2}"#), &writer(2), &Action::SetTailDecay(3.0), NOW);
        assert!(matches!(outcome, SaveOutcome::Rejected(EngineError::Session { ref key, .. }) if key == "tail_decay"));
    }

    #[test]
    fn an_unreadable_session_is_kept_aside_and_replaced_above_its_version() {
        // A newer version wrote an average this one does not know.
        let stored = r#"{"average": "median", "sync_version": 12, "drop_high": true}"#;
        let s = saved(save(Some(stored), &writer(9), &Action::SetDropLow(true), NOW));
        let aside = s.kept_aside.as_ref().unwrap();
        assert_eq!(aside.text, stored);
        assert!(aside.error.contains("average"), "{}", aside.error);
        assert_eq!(s.session.sync_version, 13);
        // Started from defaults: the unreadable text's settings are not guessed.
        assert!(!s.session.settings.drop_high && s.session.settings.drop_low);

        // Not a session text at all, and the tab knew version 20.
        let s = saved(save(Some("{{{ sync_version: 4"), &writer(20), &Action::SetDropLow(false), NOW));
        assert!(s.kept_aside.is_some());
        assert_eq!(s.session.sync_version, 21);
        assert_eq!(aside_key("quarterly", NOW), format!("quarterly.unreadable.{NOW}"));
    }

    #[test]
    fn a_plan_writes_the_kept_aside_text_before_the_session() {
        let request = |action| SaveRequest {
            user_key: "quarterly".into(),
            origin_tab_id: "tab-a".into(),
            last_known_version: 0,
            action,
            now_iso: NOW.into(),
            base: None,
        };
        let (writes, outcome) = request(Action::SetDropLow(true)).plan(Stored::read(Some("{{{"), "quarterly"), 4);
        let s = saved(outcome);
        assert_eq!(writes, vec![(aside_key("quarterly", NOW), "{{{".to_string()), ("quarterly".to_string(), s.text)]);
        let (writes, outcome) = request(Action::SetDropLow(false)).plan(Stored::Missing, 0);
        assert!(writes.is_empty() && matches!(outcome, SaveOutcome::Unchanged { .. }));
    }

    #[test]
    fn storage_that_was_cleared_still_gets_a_newer_version() {
        let s = saved(save(None, &writer(30), &Action::SetDropLow(true), NOW));
        assert_eq!(s.session.sync_version, 31);
    }

    #[test]
    fn the_version_in_an_unreadable_text() {
        assert_eq!(last_version_in("a: [\nsync_version: 5\n  sync_version:9 # x\n"), Some(9));
        assert_eq!(last_version_in("{\"sync_version\": 14, \"x\": ["), Some(14));
        assert_eq!(last_version_in("garbage"), None);
        assert_eq!(last_version_in("sync_version: 99999999999999999999999"), None);
    }

    #[test]
    fn versions_do_not_overflow() {
        let stored = format!(r#"{{"sync_version": {}}}"#, u64::MAX);
        let outcome = save(Some(&stored), &writer(0), &Action::SetDropLow(true), NOW);
        assert!(matches!(outcome, SaveOutcome::Rejected(_)));
    }
}
