//! What runs in the save worker: each save is one IndexedDB `readwrite`
//! transaction applying the tab's action to the stored session
//! ([`crate::sync::remote::Saver`]), and the moment it commits, its
//! `session_changed` message is posted on the `BroadcastChannel` and the
//! page is answered. The messages are [`crate::sync::remote`]'s, as bincode
//! bytes, in the envelope of [`crate::browser::worker_client`].
//!
//! The worker's thread does nothing else, so the transaction's results are
//! handed to it at once; the page's thread would get them only after the
//! frame that follows the click (see [`crate::sync::remote`]).

use crate::browser::channel::Channel;
use crate::browser::idb::IdbStore;
use crate::sync::remote::{Answer, Request, Saver};
use crate::sync::save::SaveRequest;
use crate::sync::transport::SessionStore;
use runoff_worker::codec::{from_bytes, to_bytes};
use std::cell::RefCell;
use std::rc::Rc;

/// The worker's state: its connection, its channel, its memory of versions.
#[derive(Default)]
pub struct SaveThread {
    store: RefCell<Option<Rc<IdbStore>>>,
    channel: RefCell<Option<Channel>>,
    saver: RefCell<Saver>,
}

impl SaveThread {
    /// The answer, as bytes, to a request's bytes.
    pub async fn answer(&self, request: &[u8]) -> Vec<u8> {
        let answer = match from_bytes::<Request>(request) {
            Ok(Request::Open { database, channel }) => self.open(&database, channel.as_deref()).await,
            Ok(Request::Save(request, base)) => self.save(&request, base).await,
            Err(e) => Answer::NotOpened(format!("the save worker could not read the page's request: {e}")),
        };
        // Every answer is plain data, so this does not fail; an empty
        // answer reads as an error in the page if it ever did.
        to_bytes(&answer).unwrap_or_default()
    }

    async fn open(&self, database: &str, channel: Option<&str>) -> Answer {
        match IdbStore::open(database).await {
            Ok(store) => {
                *self.store.borrow_mut() = Some(Rc::new(store));
                // Without a channel here the page announces the saves.
                *self.channel.borrow_mut() = channel.and_then(|c| Channel::open(c).ok());
                Answer::Opened
            }
            Err(e) => Answer::NotOpened(e.0),
        }
    }

    async fn save(&self, request: &SaveRequest, base: Option<u64>) -> Answer {
        let Some(store) = self.store.borrow().clone() else {
            return Answer::NotOpened("the save worker has no database open".into());
        };
        let result = store.update(&request.user_key, |stored| self.saver.borrow().plan(request, stored, base)).await;
        let (result, on_base) = match result {
            Ok((outcome, on_base)) => (Ok(outcome), on_base),
            Err(e) => (Err(e), false),
        };
        let mut announced = false;
        if let Ok(outcome) = &result {
            self.saver.borrow_mut().committed(outcome);
            if let crate::sync::SaveOutcome::Saved(s) = outcome {
                // Committed: a tab told of it finds it in storage.
                announced = self.channel.borrow().as_ref().is_some_and(|c| c.post(&s.message.to_json()).is_ok());
            }
        }
        Answer::of(result, announced, on_base)
    }
}
