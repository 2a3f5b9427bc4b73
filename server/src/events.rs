//! Telling every signed-in page of every change, as server-sent events.
//!
//! Each event's data is the sync message of `docs/sync-protocol.md` (the
//! page's `Message::parse` reads it): `type`, `user_key`, `sync_version`,
//! `origin_tab_id`, `updated_at`. It carries no session: the page reads
//! the session with `GET /api/segments/{id}/session`, as a tab reads
//! storage on a signal.
//!
//! Within one server a [`Hub`] (a `tokio::sync::broadcast`) hands each
//! message to every open stream. On PostgreSQL every committed change is
//! also `NOTIFY runoff_changes` (sent inside its transaction, so delivered
//! on commit) and every server `LISTEN`s and hands what it hears to its
//! own hub: two servers on one database tell every page of every change.
//! A page that falls behind (its stream's buffer full) misses messages, as
//! a tab can miss one; it catches up by reading the session, the protocol's
//! rule 2.

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde_json::json;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// PostgreSQL's channel for changes.
pub const CHANNEL: &str = "runoff_changes";

/// How often an idle stream gets a comment, so that proxies and the
/// page's reader see it is alive.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Messages a slow stream may fall behind by before it misses some.
const BACKLOG: usize = 4096;

/// One server's fan-out of messages to its open streams.
#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<str>>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub { tx: broadcast::channel(BACKLOG).0 }
    }
}

impl Hub {
    /// Hands a message to every open stream (none open: it goes nowhere).
    pub fn send(&self, message: String) {
        let _ = self.tx.send(message.into());
    }

    /// The stream of events for one page: a first comment at once (the
    /// page knows it is listening), then each message as it comes.
    pub fn stream(&self) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
        let rx = self.tx.subscribe();
        let first = stream::once(async { Ok(Event::default().comment("listening")) });
        let messages = stream::unfold(rx, |mut rx| async move {
            loop {
                match rx.recv().await {
                    Ok(m) => return Some((Ok(Event::default().data(&*m)), rx)),
                    // Missed some: the page catches up by reading.
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
        Sse::new(first.chain(messages)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
    }
}

/// The message for version `version` of `segment`'s session.
pub fn session_changed(segment: &str, version: u64, origin_tab_id: &str, updated_at: &str) -> String {
    message("session_changed", segment, version, origin_tab_id, updated_at)
}

/// The message for a segment imported: its version is 1, as the page's.
pub fn segments_changed(segment: &str, origin_tab_id: &str, updated_at: &str) -> String {
    message("segments_changed", segment, 1, origin_tab_id, updated_at)
}

fn message(kind: &str, segment: &str, version: u64, origin_tab_id: &str, updated_at: &str) -> String {
    json!({
        "type": kind,
        "user_key": segment,
        "sync_version": version,
        "origin_tab_id": origin_tab_id,
        "updated_at": updated_at,
    })
    .to_string()
}

/// Listens on PostgreSQL's channel and hands every message to `hub`,
/// for as long as the server runs. Returns once it is listening, so that
/// no change committed after the server starts answering is missed.
pub async fn listen(pool: &sqlx::PgPool, hub: Hub) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    tokio::spawn(async move {
        loop {
            // `recv` reconnects by itself after a lost connection; what was
            // sent meanwhile is missed, and pages catch up by reading.
            match listener.recv().await {
                Ok(n) => hub.send(n.payload().to_string()),
                Err(e) => {
                    eprintln!("runoff: listening for changes: {e}; trying again");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_have_the_contracts_fields() {
        let m: serde_json::Value =
            serde_json::from_str(&session_changed("quarterly", 7, "tab-a", "2026-11-25T06:10:00.123Z")).unwrap();
        assert_eq!(
            m,
            json!({"type": "session_changed", "user_key": "quarterly", "sync_version": 7,
                   "origin_tab_id": "tab-a", "updated_at": "2026-11-25T06:10:00.123Z"})
        );
        let s: serde_json::Value = serde_json::from_str(&segments_changed("raa", "t", "x")).unwrap();
        assert_eq!((s["type"].as_str(), s["sync_version"].as_u64()), (Some("segments_changed"), Some(1)));
    }
}
