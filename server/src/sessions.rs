//! Sessions on the server: reading the current one, and saving a change.
//!
//! A change arrives as the engine's [`Action`], never as a whole session,
//! and is saved the way the page saves into IndexedDB (`docs/sync-
//! protocol.md`): in one database transaction, read the stored session,
//! apply the action to its settings, and write the result as the stored
//! version + 1, or nothing when the settings come out as they were. So two
//! people changing different settings at once both keep their change, and
//! for one setting the later save wins. Each version is written exactly
//! once, with a row of history beside it.
//!
//! The transaction holds the segment's row for itself: SQLite starts it
//! with `BEGIN IMMEDIATE` (one writer at a time), PostgreSQL locks the row
//! with `SELECT … FOR UPDATE`. On PostgreSQL the change's message is sent
//! with `NOTIFY` inside the transaction, so every server hears of it when,
//! and only if, it commits.

use crate::db::{on_pool, Dialect, Store};
use crate::events;
use runoff_engine::action::canonical;
use runoff_engine::session::Value;
use runoff_engine::{Action, Session};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// The session key that records which tab wrote a version, as the page's
/// saves record it (`src/sync/save.rs`).
pub const WRITER_KEY: &str = "sync_origin_tab_id";

/// The largest version there can be: JSON carries no larger whole number
/// exactly, and the sync messages refuse one.
pub const MAX_VERSION: u64 = (1 << 53) - 1;

/// A change, as a page posts it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Change {
    pub action: Action,
    /// The version the page showed when the change was made.
    pub base_version: u64,
    pub origin_tab_id: String,
    /// The change's own id, a UUID: a retry sends the same.
    pub action_id: String,
}

/// `yaml`, a stored session of `segment`, in the form the page keeps in its
/// own storage: the JSON of the session's document (`src/sync/text.rs`),
/// so that a page reads what the server answers as it reads IndexedDB,
/// with no YAML reader of its own.
pub fn page_form(yaml: &str, segment: &str) -> Result<String, String> {
    let session = Session::from_yaml(yaml, segment).map_err(|e| format!("the stored session does not read: {e}"))?;
    serde_json::to_string(&session.to_value()).map_err(|e| format!("the session could not be written as JSON: {e}"))
}

/// A session as stored now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Current {
    /// The session's YAML text.
    pub session: String,
    pub sync_version: u64,
    pub origin_tab_id: String,
    pub updated_at: String,
}

/// What a saved (or already saved, or unchanged) change answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saved {
    pub sync_version: u64,
    pub session: String,
    pub updated_at: String,
    /// Whether this call wrote a new version (false: the settings were
    /// already so, or the change was saved by an earlier delivery).
    pub saved: bool,
}

/// Why a change was not saved. Nothing is written for any of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    NoSegment,
    /// The change names a version the server has not written.
    FromTheFuture {
        base: u64,
        stored: u64,
    },
    /// A value out of its range: the engine's message, naming the key.
    OutOfRange(String),
    /// The stored session does not read (the database was edited by hand).
    Unreadable(String),
    /// Versions are used up.
    Exhausted,
    /// `action_id` is not a UUID.
    NotAnId,
}

/// The segment's session as stored now, if there is such a segment.
pub async fn current(store: &Store, segment: &str) -> Result<Option<Current>, sqlx::Error> {
    on_pool!(store, pool => {
        let row = sqlx::query(
            "SELECT yaml, sync_version, origin_tab_id, updated_at FROM sessions WHERE segment_id = $1",
        )
        .bind(segment)
        .fetch_optional(pool)
        .await?;
        row.map(|r| {
            Ok(Current {
                session: r.try_get("yaml")?,
                sync_version: version_of(r.try_get("sync_version")?),
                origin_tab_id: r.try_get("origin_tab_id")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .transpose()
    })
}

fn version_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn db_version(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// What a change does to the session it is applied to.
enum Plan {
    /// Nothing changes: answer the stored version.
    Unchanged,
    /// Write this session as the next version.
    Write { yaml: String, action_json: String },
}

/// Applies `action` to `stored` (the stored session's text): the session
/// to write as `version`, or why not.
fn plan(stored: &str, segment: &str, change: &Change, version: u64, now: &str) -> Result<Plan, Refused> {
    let mut session = Session::from_yaml(stored, segment)
        .map_err(|e| Refused::Unreadable(format!("the stored session does not read: {e}")))?;
    let settings = change.action.apply(&session.settings).map_err(|e| Refused::OutOfRange(e.to_string()))?;
    if canonical(&settings) == canonical(&session.settings) {
        return Ok(Plan::Unchanged);
    }
    session.settings = settings;
    session.sync_version = version;
    session.updated_at = Some(now.to_string());
    session.extra.insert(Value::from(WRITER_KEY), Value::from(change.origin_tab_id.clone()));
    let action_json = serde_json::to_string(&change.action).map_err(|e| Refused::OutOfRange(e.to_string()))?;
    Ok(Plan::Write { yaml: session.to_yaml(), action_json })
}

/// Saves one change by `user` to `segment`, answering only once it is
/// committed; the caller sends [`Applied::announce`] to its pages. `Ok(Err(_))` is a refusal (nothing written); `Err(_)` is the
/// database failing (nothing written either: the transaction is rolled
/// back when it is dropped).
pub async fn apply(
    store: &Store,
    segment: &str,
    user: &str,
    change: &Change,
) -> Result<Result<Applied, Refused>, sqlx::Error> {
    // One spelling per id, whatever case or form the client wrote.
    let action_id = match uuid::Uuid::parse_str(&change.action_id) {
        Ok(id) => id.hyphenated().to_string(),
        Err(_) => return Ok(Err(Refused::NotAnId)),
    };
    let dialect = store.dialect();
    let lock = match dialect {
        Dialect::Sqlite => "",
        Dialect::Postgres => " FOR UPDATE",
    };
    let select = format!("SELECT yaml, sync_version, updated_at FROM sessions WHERE segment_id = $1{lock}");
    let _turn = store.write_turn().await;
    let (saved, message) = on_pool!(store, pool => {
        let mut tx = match dialect {
            Dialect::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => pool.begin().await?,
        };
        let Some(row) = sqlx::query(&select).bind(segment).fetch_optional(&mut *tx).await? else {
            return Ok(Err(Refused::NoSegment));
        };
        let stored_yaml: String = row.try_get("yaml")?;
        let stored = version_of(row.try_get("sync_version")?);
        let stored_at: String = row.try_get("updated_at")?;

        // A retry of a change already received answers what the first
        // delivery answered.
        let earlier: Option<i64> =
            sqlx::query_scalar("SELECT sync_version FROM actions WHERE segment_id = $1 AND action_id = $2")
                .bind(segment)
                .bind(&action_id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(v) = earlier {
            let v = version_of(v);
            let (session, updated_at) = if v == stored {
                (stored_yaml, stored_at)
            } else {
                let row = sqlx::query("SELECT session, at FROM history WHERE segment_id = $1 AND version = $2")
                    .bind(segment)
                    .bind(db_version(v))
                    .fetch_optional(&mut *tx)
                    .await?;
                match row {
                    Some(r) => (r.try_get("session")?, r.try_get("at")?),
                    None => (Session::new(segment).to_yaml(), String::new()),
                }
            };
            let saved = Saved { sync_version: v, session, updated_at, saved: false };
            return Ok(Ok(Applied { saved, announce: None }));
        }
        if change.base_version > stored {
            return Ok(Err(Refused::FromTheFuture { base: change.base_version, stored }));
        }
        let version = stored + 1;
        if version > MAX_VERSION {
            return Ok(Err(Refused::Exhausted));
        }
        let now = crate::time::now();
        let plan = match plan(&stored_yaml, segment, change, version, &now) {
            Ok(p) => p,
            Err(refused) => return Ok(Err(refused)),
        };
        let (saved, message) = match plan {
            Plan::Unchanged => {
                let saved = Saved { sync_version: stored, session: stored_yaml, updated_at: stored_at, saved: false };
                (saved, None)
            }
            Plan::Write { yaml, action_json } => {
                sqlx::query(
                    "UPDATE sessions SET yaml = $1, sync_version = $2, origin_tab_id = $3, updated_at = $4 \
                     WHERE segment_id = $5",
                )
                .bind(&yaml)
                .bind(db_version(version))
                .bind(&change.origin_tab_id)
                .bind(&now)
                .bind(segment)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO history (segment_id, version, user_name, at, action, origin_tab_id, session) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(segment)
                .bind(db_version(version))
                .bind(user)
                .bind(&now)
                .bind(&action_json)
                .bind(&change.origin_tab_id)
                .bind(&yaml)
                .execute(&mut *tx)
                .await?;
                let message = events::session_changed(segment, version, &change.origin_tab_id, &now);
                if dialect == Dialect::Postgres {
                    sqlx::query("SELECT pg_notify($1, $2)")
                        .bind(events::CHANNEL)
                        .bind(&message)
                        .execute(&mut *tx)
                        .await?;
                }
                (Saved { sync_version: version, session: yaml, updated_at: now, saved: true }, Some(message))
            }
        };
        sqlx::query("INSERT INTO actions (segment_id, action_id, sync_version) VALUES ($1, $2, $3)")
            .bind(segment)
            .bind(&action_id)
            .bind(db_version(saved.sync_version))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        (saved, message)
    });
    // PostgreSQL's NOTIFY reaches every server, this one included; on
    // SQLite this server alone tells its pages.
    let announce = message.filter(|_| dialect == Dialect::Sqlite);
    Ok(Ok(Applied { saved, announce }))
}

/// A change saved (or found saved), and the message this server must
/// send its pages now that it is committed, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub saved: Saved,
    pub announce: Option<String>,
}

/// One row of a segment's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub version: u64,
    pub user: String,
    pub at: String,
    pub action: serde_json::Value,
    /// The action in words, for a page to list.
    pub what: String,
}

/// The most rows one call of the history answers.
pub const MAX_HISTORY: u32 = 500;

/// Up to `limit` versions below `before` (all when `None`), newest first.
/// `None` when there is no such segment.
pub async fn history(
    store: &Store,
    segment: &str,
    before: Option<u64>,
    limit: u32,
) -> Result<Option<Vec<Entry>>, sqlx::Error> {
    if current(store, segment).await?.is_none() {
        return Ok(None);
    }
    let before = db_version(before.unwrap_or(u64::MAX));
    let limit = i64::from(limit.clamp(1, MAX_HISTORY));
    let entries = on_pool!(store, pool => {
        let rows = sqlx::query(
            "SELECT version, user_name, at, action FROM history WHERE segment_id = $1 AND version < $2 \
             ORDER BY version DESC LIMIT $3",
        )
        .bind(segment)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| {
                let action: String = r.try_get("action")?;
                // Written by this server from an Action: it reads.
                let what = serde_json::from_str::<Action>(&action).map(|a| a.describe()).unwrap_or_default();
                Ok(Entry {
                    version: version_of(r.try_get("version")?),
                    user: r.try_get("user_name")?,
                    at: r.try_get("at")?,
                    action: serde_json::from_str(&action).unwrap_or(serde_json::Value::Null),
                    what,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
    })?;
    Ok(Some(entries))
}

/// A version of a session as it was saved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    pub session: String,
    pub sync_version: u64,
    pub user: Option<String>,
    pub at: Option<String>,
}

/// Version `v` of the segment's session (0: every default, what a new
/// segment starts from), if there is such a segment and version.
pub async fn version(store: &Store, segment: &str, v: u64) -> Result<Option<Version>, sqlx::Error> {
    if v == 0 {
        let exists = current(store, segment).await?.is_some();
        let session = Session::new(segment).to_yaml();
        return Ok(exists.then_some(Version { session, sync_version: 0, user: None, at: None }));
    }
    on_pool!(store, pool => {
        let row = sqlx::query("SELECT session, user_name, at FROM history WHERE segment_id = $1 AND version = $2")
            .bind(segment)
            .bind(db_version(v))
            .fetch_optional(pool)
            .await?;
        row.map(|r| {
            Ok(Version {
                session: r.try_get("session")?,
                sync_version: v,
                user: Some(r.try_get("user_name")?),
                at: Some(r.try_get("at")?),
            })
        })
        .transpose()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::Average;

    fn change(action: Action) -> Change {
        Change { action, base_version: 0, origin_tab_id: "tab-a".into(), action_id: String::new() }
    }

    #[test]
    fn a_plan_writes_the_next_version_with_its_writer() {
        let stored = Session::new("q").to_yaml();
        let Ok(Plan::Write { yaml, action_json }) =
            plan(&stored, "q", &change(Action::SetAverage(Average::Simple)), 1, "2026-01-01T00:00:00.000Z")
        else {
            panic!("expected a write")
        };
        let s = Session::from_yaml(&yaml, "q").unwrap();
        assert_eq!((s.sync_version, s.settings.average), (1, Average::Simple));
        assert_eq!(s.extra.get(WRITER_KEY).and_then(Value::as_str), Some("tab-a"));
        assert_eq!(serde_json::from_str::<Action>(&action_json).unwrap(), Action::SetAverage(Average::Simple));
    }

    #[test]
    fn the_same_judgement_is_no_change_and_a_bad_value_is_refused() {
        let stored = Session::new("q").to_yaml();
        assert!(matches!(
            plan(&stored, "q", &change(Action::SetAverage(Average::Volume)), 1, "t"),
            Ok(Plan::Unchanged)
        ));
        let e = plan(&stored, "q", &change(Action::SetTailDecay(3.0)), 1, "t");
        assert!(matches!(e, Err(Refused::OutOfRange(ref m)) if m.contains("tail_decay")), "{:?}", e.err());
        assert!(matches!(
            plan("average: median", "q", &change(Action::SetDropHigh(true)), 1, "t"),
            Err(Refused::Unreadable(_))
        ));
    }
}
