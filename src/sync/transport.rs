//! The two things sync needs from the outside world, as small traits: a
//! transport that carries messages between tabs, and a store that holds the
//! sessions. The browser implements them over `BroadcastChannel`,
//! `localStorage` and IndexedDB; the tests implement them over a simulated
//! bus and storage; a server push for a team sharing a segment across
//! machines would be one more [`Transport`] carrying the same messages.

use crate::sync::message::{Message, Reject};
use crate::sync::rules::Mode;
use crate::sync::save::{SaveOutcome, SaveRequest};
use std::fmt;

/// Something another tab sent, or did, that may mean the session changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// A message as text: a `BroadcastChannel` message, the fallback's
    /// `localStorage` key (message plus a random token), a server push.
    Text(String),
    /// A message read already (or why it does not read as one): the page
    /// reads each message once and hands it to whoever follows it.
    Read(Result<Message, Reject>),
    /// A message this tab sent, known by its `origin_tab_id` before it was
    /// read: the message of a save made by the tab's save worker comes back
    /// to the tab's own channel, and carries the whole session, which the
    /// tab has no use for (reading it back cost the page's thread some
    /// milliseconds per click on a session at the limits of
    /// docs/session.md).
    Own,
    /// Messages may have been missed (a team server's stream was attached
    /// again after it was lost): the tab catches up with storage.
    CatchUp,
    /// A `storage` event for this segment's session in the localStorage
    /// fallback (writing the session fires one in every other tab): the new
    /// text, or `None` if the key was removed.
    Stored(Option<String>),
}

/// Carries messages to the other tabs. Delivery is best effort: a message
/// may be lost, delayed, reordered or arrive twice (once per transport);
/// the receive and catch-up rules make all of these harmless.
pub trait Transport {
    /// Sends `message` to every other tab.
    fn post(&self, message: &Message) -> Result<(), TransportError>;

    /// From now on, calls `deliver` with each signal received. Attach this
    /// before the first read of the session, so that a save made while the
    /// tab starts is not missed.
    fn listen(&self, deliver: Box<dyn FnMut(Signal)>);
}

/// A transport that could not send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError(pub String);

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Storage that failed: disabled (private modes), full, or gone. The tab
/// then keeps working on its in-memory state and says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What one read-modify-write writes: `(key, text)` pairs, in order. Empty
/// for a change that writes nothing.
pub type Writes = Vec<(String, String)>;

/// The sessions, one text per segment key.
///
/// With IndexedDB ([`Mode::Transactional`]) `update` is one `readwrite`
/// transaction: no other tab's write comes between its read and its write,
/// so every save builds on the latest version. Without it
/// ([`Mode::Fallback`], localStorage) `update` is a read and then a write,
/// and another tab may write in between. The futures are not `Send`: the
/// browser runs them on the page's single thread.
#[allow(async_fn_in_trait)]
pub trait SessionStore {
    /// Whether `update` is atomic.
    fn mode(&self) -> Mode;

    /// The text stored under `key`, if any.
    async fn read(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Reads `key`, lets `change` decide what to write from the text read
    /// (it must not wait for anything: an IndexedDB transaction commits as
    /// soon as it has no request pending), writes that, and returns what
    /// `change` returned once the writes are durable. On an error nothing
    /// was written.
    async fn update<R>(&self, key: &str, change: impl FnOnce(Option<&str>) -> (Writes, R)) -> Result<R, StoreError>;

    /// Runs one save. `plan` is the save rule as this thread runs it, and
    /// by default runs inside [`SessionStore::update`]; a store that runs
    /// saves in another thread (the page's save worker) runs `request`
    /// there instead, which is the same save as data, and may post the
    /// message itself ([`crate::sync::Saved::announced`]).
    async fn save(
        &self,
        request: &SaveRequest,
        plan: impl FnOnce(Option<&str>) -> (Writes, SaveOutcome),
    ) -> Result<SaveOutcome, StoreError> {
        self.update(&request.user_key, plan).await
    }
}
