//! A team server as the store of the sessions ([`SessionStore`]): the
//! session read from `GET api/segments/{id}/session`, and a save sent as its
//! action to `POST api/segments/{id}/actions`, where the server applies it
//! in one transaction with the version check, as IndexedDB does for a tab.
//! The server tells every page of the change (its stream of messages); the
//! page tells the other tabs of its browser on their channel as well, as it
//! does for a save to IndexedDB, so that they do not wait for the server's
//! message (they hear both; the second changes nothing).
//!
//! A save the server did not answer (unreachable, or refused for a reason
//! other than the action itself) is a [`StoreError`]: the page keeps the
//! change, shows it as not yet sent, and sends it again when the server may
//! take it (as for storage that refused it).
//!
//! IndexedDB keeps the local copy: the session as the server last gave it
//! (`team:{segment}`), which a page opened while the server is out of reach
//! shows, and the changes not yet sent (`team-outbox:{segment}`, the one
//! action the page would send, in its binary form), which a page opened
//! later shows on top of it as not yet sent, and sends when the server is
//! back ([`TeamSessions::outbox`]). (`:` is in no segment's id.)

use crate::browser::idb::{IdbStore, Op, SESSIONS};
use crate::browser::team::{answer, call, Body, TeamError};
use crate::sync::message::Message;
use crate::sync::rules::Mode;
use crate::sync::save::{SaveOutcome, SaveRequest, Saved};
use crate::sync::transport::{SessionStore, StoreError, Writes};
use crate::sync::wire::{Change, CHANGE_TYPE};
use runoff_engine::limits::MAX_SESSION_BYTES;
use runoff_engine::session::Value;
use runoff_engine::{Action, EngineError};
use std::cell::RefCell;
use std::rc::Rc;

/// The sessions of a team server, for a user signed in.
pub struct TeamSessions {
    pub api: Rc<str>,
    pub token: Rc<str>,
    /// The last change sent that got no answer, and the id it was sent
    /// with: sent again as it was, it keeps its id, so that the server
    /// saves it once even if it did save it before the answer was lost.
    unanswered: RefCell<Option<(Vec<u8>, String)>>,
    /// The local copy, where IndexedDB opens.
    local: Option<IdbStore>,
}

fn copy_key(segment: &str) -> String {
    format!("team:{segment}")
}

fn outbox_key(segment: &str) -> String {
    format!("team-outbox:{segment}")
}

impl TeamSessions {
    pub fn new(api: Rc<str>, token: Rc<str>, local: Option<IdbStore>) -> TeamSessions {
        TeamSessions { api, token, unanswered: RefCell::new(None), local }
    }

    /// Keeps `text` under `key` in the local copy. A copy that cannot be
    /// written is no loss the page can mend: the server has the session.
    async fn keep(&self, key: &str, text: &str) {
        if let Some(db) = &self.local {
            let _ = db.update(key, |_| (vec![(key.to_string(), text.to_string())], ())).await;
        }
    }

    /// The changes of `segment` not yet sent, from the local copy.
    pub async fn outbox(&self, segment: &str) -> Option<Action> {
        let db = self.local.as_ref()?;
        let text = db.read(&outbox_key(segment)).await.ok().flatten()?;
        // One character per byte, as `keep_outbox` wrote it.
        let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        runoff_worker::codec::from_bytes(&bytes).ok()
    }

    /// Keeps `action` as the changes of `segment` not yet sent, or forgets
    /// them (`None`) once they are.
    async fn keep_outbox(&self, segment: &str, action: Option<&Action>) {
        let Some(db) = &self.local else { return };
        let key = outbox_key(segment);
        match action.map(runoff_worker::codec::to_bytes) {
            Some(Ok(bytes)) => self.keep(&key, &bytes.iter().map(|&b| char::from(b)).collect::<String>()).await,
            Some(Err(_)) => {}
            None => {
                let _ = db.write(&[SESSIONS], vec![Op::Delete { store: SESSIONS, key }]).await;
            }
        }
    }

    /// The body of `POST …/actions` for `request`, in the page's form.
    fn body(&self, request: &SaveRequest) -> Result<Vec<u8>, StoreError> {
        let written = |e: String| StoreError(format!("the change could not be written: {e}"));
        let action = runoff_worker::codec::to_bytes(&request.action).map_err(written)?;
        let id = match &*self.unanswered.borrow() {
            Some((sent, id)) if *sent == action => id.clone(),
            _ => uuid::Uuid::new_v4().to_string(),
        };
        let change = Change {
            action: &request.action,
            base_version: request.last_known_version,
            origin_tab_id: &request.origin_tab_id,
            action_id: &id,
        };
        let body = change.to_bytes().map_err(written)?;
        *self.unanswered.borrow_mut() = Some((action, id));
        Ok(body)
    }
}

/// The answer's session in the page's form, and that text read.
fn session_of(answer: &Value, key: &str) -> Result<(String, runoff_engine::Session), StoreError> {
    let text = answer
        .get("page_session")
        .and_then(Value::as_str)
        .ok_or_else(|| StoreError("the team server's answer has no session".into()))?;
    let session = crate::sync::text::read(text, key)
        .map_err(|e| StoreError(format!("the team server's session does not read: {e}")))?;
    Ok((text.to_string(), session))
}

fn parse(text: &str) -> Result<Value, StoreError> {
    answer(text, MAX_SESSION_BYTES)
}

/// A segment id as a path segment: ids are letters, digits, `-`, `_` and
/// `.` (the server refuses others), which need no escaping.
fn path(key: &str) -> String {
    key.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect()
}

impl SessionStore for TeamSessions {
    fn mode(&self) -> Mode {
        Mode::Transactional
    }

    async fn read(&self, key: &str) -> Result<Option<String>, StoreError> {
        match call(&self.api, &self.token, "GET", &format!("segments/{}/session", path(key)), None).await {
            Ok(text) => {
                let answer = parse(&text)?;
                let text = session_of(&answer, key)?.0;
                self.keep(&copy_key(key), &text).await;
                Ok(Some(text))
            }
            // A segment the server does not have has no session there.
            Err(TeamError::Refused(404, _)) => Ok(None),
            // Out of reach: the session as it last gave it, if it did.
            Err(e @ TeamError::Unreachable(_)) => match &self.local {
                Some(db) => match db.read(&copy_key(key)).await {
                    Ok(Some(text)) => Ok(Some(text)),
                    _ => Err(e.into()),
                },
                None => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        }
    }

    async fn update<R>(&self, _key: &str, _change: impl FnOnce(Option<&str>) -> (Writes, R)) -> Result<R, StoreError> {
        Err(StoreError("a team server's sessions change only by the actions sent to it".into()))
    }

    async fn save(
        &self,
        request: &SaveRequest,
        _plan: impl FnOnce(Option<&str>) -> (Writes, SaveOutcome),
    ) -> Result<SaveOutcome, StoreError> {
        let key = &request.user_key;
        let body = self.body(request)?;
        let sent = call(
            &self.api,
            &self.token,
            "POST",
            &format!("segments/{}/actions", path(key)),
            Some(Body::Binary(CHANGE_TYPE, &body)),
        )
        .await;
        if matches!(sent, Err(TeamError::Unreachable(_))) {
            // Kept for a page opened later: this is every change not sent.
            self.keep_outbox(key, Some(&request.action)).await;
        } else {
            // Answered (or refused): the next change is a new one.
            *self.unanswered.borrow_mut() = None;
            self.keep_outbox(key, None).await;
        }
        let text = match sent {
            Ok(text) => text,
            Err(TeamError::Refused(422, message)) => {
                return Ok(SaveOutcome::Rejected(EngineError::Session { key: "action".into(), message }))
            }
            Err(e) => return Err(e.into()),
        };
        let answer = parse(&text)?;
        let (text, session) = session_of(&answer, key)?;
        self.keep(&copy_key(key), &text).await;
        let saved = answer.get("saved").and_then(Value::as_bool).unwrap_or(false);
        if !saved {
            return Ok(SaveOutcome::Unchanged { session });
        }
        let updated_at = session.updated_at.clone().unwrap_or_default();
        let message = Message::session_changed(key, session.sync_version, &request.origin_tab_id, &updated_at);
        Ok(SaveOutcome::Saved(Saved { text, session, message, kept_aside: None, announced: false }))
    }
}
