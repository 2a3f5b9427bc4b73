//! Saves run in another thread: what the page asks its save worker and what
//! the worker answers, as plain data, and the save rule as the worker runs
//! it. The browser side is `crate::browser::save_worker` (the page's end)
//! and `crate::browser::saver` (the worker's).
//!
//! Why a worker: Chromium hands the page's thread an IndexedDB result only
//! after the frame that follows the user's click, so a save made there is
//! announced some 10 ms after the click for no work of its own. A worker's
//! thread has no frames: the same transaction commits and its message is
//! posted 2 to 3 ms after the click (`docs/benchmarks.md`).
//!
//! The answer carries no more than the page lacks: when the worker found
//! stored the very version the page's request was built on (the usual
//! case: no other tab saved in between), the new version alone, and the
//! page rebuilds the session from its own copy and its action; otherwise
//! the saved text, which the page reads as it reads storage. (Reading the
//! text again in the page cost its thread some 20 ms per save of a session
//! at the limits of docs/session.md: it is paid only when another tab
//! saved in between. A binary form of the settings instead cost the page
//! 4 KB of its WebAssembly.)

use crate::sync::message::Message;
use crate::sync::save::{announcement, SaveOutcome, SaveRequest, Saved, Stored, Unreadable};
use crate::sync::transport::{StoreError, Writes};
use runoff_engine::{EngineError, Session};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the page asks the save worker. (Made once per save and encoded
/// at once: a box for the larger variant would buy nothing.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// Open the database `database`, and the `BroadcastChannel` `channel`
    /// to announce saves on (none where the page has no channel: the page
    /// then announces them itself, through localStorage).
    Open { database: String, channel: Option<String> },
    /// A save, and the version of the stored session the page's request
    /// was built on ([`SaveRequest::base`]), if the page has that session.
    Save(SaveRequest, Option<u64>),
}

/// What the save worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Opened,
    /// The worker could not open the database (or could not read the
    /// request): the page saves in its own thread.
    NotOpened(String),
    /// Saved as version `sync_version`; `announced` if the message was
    /// posted. `on_base`: the save was made on the session the page named
    /// as its base, which the page then rebuilds ([`Saved::on`]). `text`:
    /// the saved text, unless the page has no use for it (saved on its
    /// base, and announced).
    Saved {
        sync_version: u64,
        on_base: bool,
        text: Option<String>,
        kept_aside: Option<KeptAside>,
        announced: bool,
    },
    /// Nothing to save: the stored session is the page's base (`on_base`)
    /// or the one `text` holds.
    Unchanged {
        on_base: bool,
        text: Option<String>,
    },
    /// The action is out of range, or versions are exhausted: the
    /// [`EngineError::Session`] that says so.
    Rejected {
        key: String,
        message: String,
    },
    /// Storage failed: nothing was written.
    Failed(String),
}

/// The session of an answer, from the page's base or from its text.
fn session_of(
    on_base: bool,
    text: Option<&str>,
    base: Option<&Session>,
    user_key: &str,
) -> Result<Session, StoreError> {
    match (on_base, base, text) {
        (true, Some(base), _) => Ok(base.clone()),
        (_, _, Some(text)) => match Stored::read(Some(text), user_key) {
            Stored::Session(s) => Ok(s),
            _ => Err(StoreError("the save worker's session does not read".into())),
        },
        _ => Err(StoreError("the save worker's answer lacks the session saved".into())),
    }
}

/// An unreadable stored text, kept aside by a save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptAside {
    pub text: String,
    pub error: String,
}

impl Answer {
    /// The answer for a save's result; `on_base` when the save was made
    /// on the very session the page named as its base.
    pub fn of(result: Result<SaveOutcome, StoreError>, announced: bool, on_base: bool) -> Answer {
        match result {
            Err(e) => Answer::Failed(e.0),
            Ok(SaveOutcome::Rejected(EngineError::Session { key, message })) => Answer::Rejected { key, message },
            // The save rule refuses only with a session key's error.
            Ok(SaveOutcome::Rejected(e)) => Answer::Rejected { key: "session".into(), message: e.to_string() },
            Ok(SaveOutcome::Unchanged { session }) => {
                Answer::Unchanged { on_base, text: (!on_base).then(|| crate::sync::text::write(&session)) }
            }
            Ok(SaveOutcome::Saved(s)) => Answer::Saved {
                sync_version: s.session.sync_version,
                on_base: on_base && s.kept_aside.is_none(),
                text: (!on_base || !announced || s.kept_aside.is_some()).then_some(s.text),
                kept_aside: s.kept_aside.map(|u| KeptAside { text: u.text, error: u.error }),
                announced,
            },
        }
    }

    /// The outcome of `request` this answers, as the page's own thread
    /// would have found it.
    pub fn outcome(self, request: &SaveRequest) -> Result<SaveOutcome, StoreError> {
        match self {
            Answer::Saved { sync_version, on_base, text, kept_aside, announced } => {
                let session = if on_base {
                    let base = session_of(true, None, request.base.as_ref(), &request.user_key)?;
                    let settings = request.action.apply(&base.settings).map_err(|e| {
                        StoreError(format!("the save worker saved a change this page cannot make: {e}"))
                    })?;
                    Saved::on(base, settings, sync_version, &request.origin_tab_id, &request.now_iso)
                } else {
                    session_of(false, text.as_deref(), None, &request.user_key)?
                };
                let text = text.unwrap_or_default();
                let writer = request.writer(session.sync_version);
                // Posted already: the message is kept for its version, and
                // the text need not be measured and copied into it.
                let message = if announced {
                    Message::session_changed(
                        &request.user_key,
                        session.sync_version,
                        writer.origin_tab_id,
                        &request.now_iso,
                    )
                } else {
                    announcement(&writer, session.sync_version, &request.now_iso, &text)
                };
                let kept_aside = kept_aside.map(|k| Unreadable { text: k.text, error: k.error, last_version: None });
                Ok(SaveOutcome::Saved(Saved { text, session, message, kept_aside, announced }))
            }
            Answer::Unchanged { on_base, text } => Ok(SaveOutcome::Unchanged {
                session: session_of(on_base, text.as_deref(), request.base.as_ref(), &request.user_key)?,
            }),
            Answer::Rejected { key, message } => Ok(SaveOutcome::Rejected(EngineError::Session { key, message })),
            Answer::Failed(e) | Answer::NotOpened(e) => Err(StoreError(e)),
            Answer::Opened => Err(StoreError("the save worker answered a save with `opened`".into())),
        }
    }
}

/// The save rule in the worker, which remembers the highest version it
/// saved per segment: a tab's save is above its earlier ones even when it
/// was asked for before those committed. It also keeps the last session it
/// wrote, with its text: a tab's next save usually finds that very text
/// stored, and reading it again would cost more than the save (17 ms for a
/// session at the limits of its lists).
#[derive(Debug, Default)]
pub struct Saver {
    highest: BTreeMap<String, u64>,
    /// The segment's key, the text written under it, and that text read.
    last: Option<(String, String, Session)>,
}

impl Saver {
    /// What `request` writes over the text `stored`, its outcome, and
    /// whether `stored` is the session of version `base` (which the page
    /// then has already).
    pub fn plan(
        &self,
        request: &SaveRequest,
        stored: Option<&str>,
        base: Option<u64>,
    ) -> (Writes, (SaveOutcome, bool)) {
        let highest = self.highest.get(&request.user_key).copied().unwrap_or(0);
        let stored = match (&self.last, stored) {
            (Some((key, text, session)), Some(found)) if *key == request.user_key && text == found => {
                Stored::Session(session.clone())
            }
            _ => Stored::read(stored, &request.user_key),
        };
        // Each version is written once, in one transaction: the same
        // version is the same session.
        let on_base = matches!(&stored, Stored::Session(s) if Some(s.sync_version) == base);
        let (writes, outcome) = request.plan(stored, request.last_known_version.max(highest));
        (writes, (outcome, on_base))
    }

    /// Notes a save that committed (only then: a version skipped would be
    /// a gap in the segment's history).
    pub fn committed(&mut self, outcome: &SaveOutcome) {
        if let SaveOutcome::Saved(s) = outcome {
            let highest = self.highest.entry(s.message.user_key.clone()).or_default();
            *highest = (*highest).max(s.session.sync_version);
            self.last = Some((s.message.user_key.clone(), s.text.clone(), s.session.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::Action;
    use runoff_worker::codec::{from_bytes, to_bytes};

    const NOW: &str = "2026-11-25T06:10:00.123Z";

    fn request(action: Action, last_known_version: u64) -> SaveRequest {
        SaveRequest {
            user_key: "quarterly".into(),
            origin_tab_id: "tab-a".into(),
            last_known_version,
            action,
            now_iso: NOW.into(),
            base: None,
        }
    }

    /// The answer as it crosses to the page, and read there.
    fn across(answer: &Answer, request: &SaveRequest) -> Result<SaveOutcome, StoreError> {
        let back: Answer = from_bytes(&to_bytes(answer).unwrap()).unwrap();
        assert_eq!(&back, answer);
        back.outcome(request)
    }

    #[test]
    fn an_outcome_crosses_to_the_page_as_the_page_would_find_it() {
        let stored = r#"{"sync_version": 7, "drop_high": true}"#;
        let future = r#"{"sync_version": 7, "future": {"a": [1, 2.5, "x"]}}"#;
        let as_stored = |text: &str| match Stored::read(Some(text), "quarterly") {
            Stored::Session(s) => Some(s),
            _ => None,
        };
        let on = |mut r: SaveRequest, base: Option<&str>| {
            r.base = base.and_then(as_stored);
            r
        };
        let cases = [
            (request(Action::SetDropLow(true), 7), Some(stored)),
            (request(Action::SetDropHigh(true), 7), Some(stored)),
            (request(Action::SetTailDecay(3.0), 7), Some(stored)),
            (request(Action::SetDropLow(true), 2), Some("{{{ not a session")),
            (request(Action::SetDropLow(true), 3), None),
            // Keys the engine does not know cross with the session.
            (request(Action::SetDropLow(true), 7), Some(future)),
            (request(Action::SetDropLow(false), 7), Some(future)),
            // Saved on the page's own base: the page rebuilds the session.
            (on(request(Action::SetDropLow(true), 7), Some(stored)), Some(stored)),
            (on(request(Action::SetDropLow(true), 7), Some(future)), Some(future)),
            // The page's base is older than what is stored: the session
            // crosses.
            (on(request(Action::SetDropLow(true), 6), Some(r#"{"sync_version": 6}"#)), Some(stored)),
            (on(request(Action::SetDropLow(true), 2), Some(r#"{"sync_version": 2}"#)), Some("{{{")),
        ];
        for (request, stored) in cases {
            let (_, here) = request.plan(Stored::read(stored, "quarterly"), request.last_known_version);
            let base = request.base.as_ref().map(|b| b.sync_version);
            let (_, (there, on_base)) = Saver::default().plan(&request, stored, base);
            assert_eq!(on_base, base.is_some() && base == stored.and_then(as_stored).map(|s| s.sync_version));
            let answer = Answer::of(Ok(there), true, on_base);
            if let Answer::Saved { on_base: saved_on_base, text, .. } = &answer {
                assert_eq!(*saved_on_base, on_base, "{request:?}");
                assert_eq!(text.is_none(), on_base, "{request:?}");
            }
            let mut expected = here.clone();
            if let SaveOutcome::Saved(s) = &mut expected {
                s.announced = true;
                // Posted by the worker: the message keeps no copy of the
                // text, and the text crosses only when the page lacks the
                // session.
                if on_base {
                    s.text = String::new();
                }
                s.message.session = None;
                // The version the unreadable text seemed to carry is the
                // worker's business; the page says what did not read.
                if let Some(u) = &mut s.kept_aside {
                    u.last_version = None;
                }
            }
            assert_eq!(across(&answer, &request), Ok(expected), "{request:?}");
        }
        let failed = Answer::of(Err(StoreError("browser storage is full".into())), false, false);
        assert_eq!(
            across(&failed, &request(Action::SetDropLow(true), 0)),
            Err(StoreError("browser storage is full".into()))
        );
    }

    #[test]
    fn a_save_the_page_announces_itself_brings_its_text() {
        let stored = r#"{"sync_version": 7}"#;
        let request = request(Action::SetDropLow(true), 7);
        let (_, (there, _)) = Saver::default().plan(&request, Some(stored), None);
        let expected = request.plan(Stored::read(Some(stored), "quarterly"), 7).1;
        assert_eq!(across(&Answer::of(Ok(there), false, false), &request), Ok(expected));
    }

    #[test]
    fn the_worker_saves_above_its_own_earlier_saves() {
        let mut saver = Saver::default();
        // Both asked for while version 3 was shown; storage was then
        // cleared between them (site data removed).
        let (_, (first, _)) = saver.plan(&request(Action::SetDropLow(true), 3), None, None);
        saver.committed(&first);
        let (_, (second, _)) = saver.plan(&request(Action::SetDropHigh(true), 3), None, None);
        let version = |o: &SaveOutcome| match o {
            SaveOutcome::Saved(s) => s.session.sync_version,
            other => panic!("{other:?}"),
        };
        assert_eq!((version(&first), version(&second)), (4, 5));
    }

    /// The session the worker keeps from its last save stands for the text
    /// only while that very text is what storage holds.
    #[test]
    fn the_worker_reads_again_only_what_it_did_not_write() {
        let mut saver = Saver::default();
        let (_, (first, _)) = saver.plan(&request(Action::SetDropLow(true), 3), None, None);
        saver.committed(&first);
        let SaveOutcome::Saved(first) = first else { panic!("saved") };
        // Its own text: the same outcome as reading it.
        let next = request(Action::SetDropHigh(true), 1);
        let (_, (kept, _)) = saver.plan(&next, Some(&first.text), None);
        let read = next.plan(Stored::read(Some(&first.text), "quarterly"), 1).1;
        assert_eq!(kept, read);
        // Another tab's text under the key is read, not taken for its own.
        let other = first.text.replace("\"drop_low\": true", "\"drop_low\": false");
        assert_ne!(other, first.text);
        let (_, (there, _)) = saver.plan(&next, Some(&other), None);
        let SaveOutcome::Saved(there) = there else { panic!("saved") };
        assert!(!there.session.settings.drop_low && there.session.settings.drop_high);
    }

    #[test]
    fn requests_cross_to_the_worker() {
        for r in [
            Request::Open { database: "runoff".into(), channel: Some("runoff".into()) },
            Request::Save(
                request(Action::Batch(vec![Action::SetDropLow(true), Action::SetNPeriods(Some(3))]), 9),
                Some(8),
            ),
        ] {
            assert_eq!(from_bytes::<Request>(&to_bytes(&r).unwrap()).unwrap(), r);
        }
        assert!(from_bytes::<Request>(&[200, 1, 2]).is_err());
    }
}
