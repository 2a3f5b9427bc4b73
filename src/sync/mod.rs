//! Keeping the tabs that show the same segment in step, as pure logic: no
//! browser API is used here, so every rule is tested natively with a
//! simulated bus and storage before a browser is involved. The protocol is
//! `docs/sync-protocol.md`.
//!
//! - [`json`]: JSON text to and from the document type.
//! - [`message`]: the message on the wire, read strictly.
//! - [`rules`]: which signal makes a tab reload, and the catch-up rule.
//! - [`save`]: what one save writes, from the text stored at that moment.
//! - [`transport`]: the transport and the store, as traits.
//! - [`peer`]: one tab's side, over those traits.
//! - [`remote`]: saves run in the page's save worker, as data.
//! - [`sse`]: the team server's stream of messages, read as it arrives.
//! - [`wire`]: what the page sends a team server, in its binary form.
//! - `sim` (tests only): many tabs on a simulated browser, and the
//!   protocol's promises as properties.
//!
//! The browser side is [`crate::browser::sync`].

pub mod json;
pub mod message;
pub mod peer;
pub mod remote;
pub mod rules;
pub mod save;
pub mod sse;
pub mod text;
pub mod transport;
pub mod wire;

#[cfg(test)]
mod sim;

pub use message::{Kind, Message, Reject};
pub use peer::{Changed, Heard, Notice, Peer};
pub use rules::{Counters, Decision, Ignored, Mode, Receiver, Stamp};
pub use save::{save_read, SaveOutcome, SaveRequest, Saved, Stored, Unreadable, Writer};
pub use transport::{SessionStore, Signal, StoreError, Transport, TransportError};
