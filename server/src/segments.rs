//! Segments: their data (triangles and premium) in the page's own form, the
//! built-in samples seeded at start, and the queries that list, read and
//! import them. A segment is never overwritten: importing under an id
//! that is taken is refused.
//!
//! The data travel as the page's `StoredSegment` (`src/catalog.rs`) in
//! JSON: the engine's [`Triangle`] by its own serde, so the page reads an
//! answer straight into its record. What a client sends is checked as the
//! page checks a stored record: the triangles are rebuilt from their parts
//! with [`Triangle::new`], within the import's limits.

use crate::db::{on_pool, Store};
use runoff_engine::input::stored::{check_title, checked_measures, RawTriangle};
use runoff_engine::input::{self, Mapping};
use runoff_engine::{Grain, Session, Triangle};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// A segment's data, as the page stores it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentData {
    pub id: String,
    pub title: String,
    pub source: String,
    pub imported_at: String,
    pub measures: Vec<(String, Triangle)>,
    pub premium: Option<Vec<f64>>,
    pub premium_source: Option<String>,
}

/// A segment in the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    pub id: String,
    pub title: String,
    pub builtin: bool,
    pub updated_at: String,
}

/// [`SegmentData`] as a client sends it, before it is checked. `id` may be
/// left out: the address names the segment.
#[derive(Deserialize)]
pub struct RawSegment {
    #[serde(default)]
    id: Option<String>,
    title: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    imported_at: String,
    measures: Vec<(String, RawTriangle)>,
    #[serde(default)]
    premium: Option<Vec<f64>>,
    #[serde(default)]
    premium_source: Option<String>,
}

/// The longest id a segment can have.
pub const MAX_ID: usize = 100;

/// Whether `id` can name a segment: what the page makes of a file's name
/// (letters, digits, `-`, `_`, `.`), which fits in an address as it is.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !id.starts_with('.')
}

impl RawSegment {
    /// A segment as a client sent it, in parts.
    pub fn new(
        id: Option<String>,
        title: String,
        source: String,
        imported_at: String,
        measures: Vec<(String, RawTriangle)>,
        premium: Option<Vec<f64>>,
        premium_source: Option<String>,
    ) -> RawSegment {
        RawSegment { id, title, source, imported_at, measures, premium, premium_source }
    }

    /// The segment to store under `id`, if its parts agree and fit the
    /// limits of an import; the error says what is wrong.
    pub fn checked(self, id: &str, now: &str) -> Result<SegmentData, String> {
        if let Some(given) = &self.id {
            if given != id {
                return Err(format!("the body names segment `{given}`, the address `{id}`"));
            }
        }
        let title = check_title(&self.title)?;
        let measures = checked_measures(self.measures, self.premium.as_deref())?;
        Ok(SegmentData {
            id: id.to_string(),
            title,
            source: self.source,
            imported_at: if self.imported_at.is_empty() { now.to_string() } else { self.imported_at },
            measures,
            premium: self.premium,
            premium_source: self.premium_source,
        })
    }
}

/// The samples the app ships (`static/data`), the same files the page
/// fetches: `quarterly`, and `annual`, the same claims at yearly
/// development.
const CLAIMS: &str = include_str!("../../static/data/quarterly.csv");
const PREMIUM: &str = include_str!("../../static/data/quarterly_premium.csv");
pub const BUILTIN: [(&str, Option<Grain>); 2] = [("quarterly", None), ("annual", Some(Grain::Yearly))];

/// A sample's data, read with the engine's readers as the page reads it.
pub fn sample(id: &str, grain: Option<Grain>, now: &str) -> Result<SegmentData, String> {
    let imported = input::read_mapped(CLAIMS, &Mapping::sample(grain)).map_err(|e| format!("{id}: {e}"))?;
    let first = imported.measures.first().map(|(_, t)| t).ok_or_else(|| format!("{id}: no triangle"))?;
    let premium = input::read_premium(PREMIUM)
        .and_then(|p| input::align_premium(&p, first))
        .map_err(|e| format!("{id}: premium: {e}"))?;
    Ok(SegmentData {
        id: id.to_string(),
        title: id.to_string(),
        source: "data/quarterly.csv".into(),
        imported_at: now.to_string(),
        measures: imported.measures,
        premium: Some(premium),
        premium_source: None,
    })
}

/// Stores the samples that are not stored yet (at every start: a new
/// database gets them, an old one keeps what it has).
pub async fn seed_samples(store: &Store) -> Result<(), String> {
    let now = crate::time::now();
    for (id, grain) in BUILTIN {
        let data = sample(id, grain, &now)?;
        insert(store, &data, true, &now, None)
            .await
            .map_err(|e| format!("the sample `{id}` could not be stored: {e}"))?;
    }
    Ok(())
}

/// Stores a new segment with a session of every default (version 0), in
/// one transaction. Answers false, storing nothing, when the id is taken.
/// On PostgreSQL `message` is sent with `NOTIFY` in the transaction (the
/// caller tells its own pages on SQLite).
pub async fn insert(
    store: &Store,
    data: &SegmentData,
    builtin: bool,
    now: &str,
    message: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let notify = match store.dialect() {
        crate::db::Dialect::Postgres => message,
        crate::db::Dialect::Sqlite => None,
    };
    let json = serde_json::to_string(data).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let session = Session::new(&data.id).to_yaml();
    let _turn = store.write_turn().await;
    on_pool!(store, pool => {
        let mut tx = pool.begin().await?;
        let added = sqlx::query(
            "INSERT INTO segments (id, title, builtin, data, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&data.id)
        .bind(&data.title)
        .bind(builtin)
        .bind(&json)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if added == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO sessions (segment_id, yaml, sync_version, origin_tab_id, updated_at) \
             VALUES ($1, $2, 0, '', $3)",
        )
        .bind(&data.id)
        .bind(&session)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if let Some(message) = notify {
            sqlx::query("SELECT pg_notify($1, $2)").bind(crate::events::CHANNEL).bind(message).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    })
}

/// Every segment: the samples first, in their order, then the others by
/// title, as the page lists them.
pub async fn list(store: &Store) -> Result<Vec<Listed>, sqlx::Error> {
    let mut listed = on_pool!(store, pool => {
        let rows = sqlx::query("SELECT id, title, builtin, updated_at FROM segments").fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Listed {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    builtin: r.try_get("builtin")?,
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
    })?;
    let place = |s: &Listed| BUILTIN.iter().position(|(id, _)| *id == s.id && s.builtin).unwrap_or(BUILTIN.len());
    listed.sort_by(|a, b| (place(a), a.title.to_lowercase(), &a.id).cmp(&(place(b), b.title.to_lowercase(), &b.id)));
    Ok(listed)
}

/// A segment's data as stored (JSON text), if there is such a segment.
pub async fn data(store: &Store, id: &str) -> Result<Option<String>, sqlx::Error> {
    on_pool!(store, pool => {
        sqlx::query_scalar("SELECT data FROM segments WHERE id = $1").bind(id).fetch_optional(pool).await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_samples_read_as_the_page_reads_them() {
        let q = sample("quarterly", None, "2026-01-01T00:00:00.000Z").unwrap();
        let names: Vec<&str> = q.measures.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(names, ["incurred", "paid"]);
        assert_eq!((q.measures[0].1.n_origins(), q.measures[0].1.n_ages()), (12, 45));
        assert_eq!(q.premium.as_ref().map(Vec::len), Some(12));
        let a = sample("annual", Some(Grain::Yearly), "2026-01-01T00:00:00.000Z").unwrap();
        assert!(a.measures[0].1.ages().windows(2).all(|w| w[1] - w[0] == 12));
    }

    #[test]
    fn a_segment_round_trips_and_bad_parts_are_named() {
        let q = sample("quarterly", None, "t").unwrap();
        let json = serde_json::to_string(&q).unwrap();
        let raw: RawSegment = serde_json::from_str(&json).unwrap();
        assert_eq!(raw.checked("quarterly", "t").unwrap(), q);

        let raw: RawSegment = serde_json::from_str(&json).unwrap();
        assert!(raw.checked("other", "t").unwrap_err().contains("`quarterly`"));
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["premium"] = serde_json::json!([1.0]);
        let raw: RawSegment = serde_json::from_value(v.clone()).unwrap();
        assert!(raw.checked("quarterly", "t").unwrap_err().contains("premium for 1 origins"));
        v["premium"] = serde_json::Value::Null;
        v["measures"][0][1]["cells"] = serde_json::json!([1.0]);
        let raw: RawSegment = serde_json::from_value(v).unwrap();
        let e = raw.checked("quarterly", "t").unwrap_err();
        assert!(e.contains("`incurred`") && e.contains("1 values"), "{e}");
    }

    #[test]
    fn ids_fit_an_address() {
        assert!(is_id("quarterly") && is_id("raa-2") && is_id("clrd_wc.1"));
        assert!(!is_id("") && !is_id("a/b") && !is_id("a b") && !is_id(".x") && !is_id(&"x".repeat(101)));
    }
}
