//! The imported segments' data in the browser: the IndexedDB store
//! `segments` (key = the segment's id, value = `{ title, data }` with the
//! [`StoredSegment`]'s bytes, so that listing the segments reads their
//! titles without reading their triangles), or localStorage where
//! IndexedDB is missing, as for sessions (the bytes as a string of one
//! character per byte, since localStorage holds text).
//!
//! Every write is all or nothing: a segment that does not fit in storage
//! is not half stored, and deleting a segment removes its session in the
//! same transaction.

use crate::browser::idb::{IdbStore, Op, SEGMENTS, SESSIONS};
use crate::browser::local;
use crate::browser::storage;
use crate::catalog::StoredSegment;
use crate::sync::transport::StoreError;
use wasm_bindgen::{JsCast, JsValue};

/// localStorage keys of the fallback: the data, and the title beside it.
const DATA_PREFIX: &str = "runoff.segment.";
const TITLE_PREFIX: &str = "runoff.segment-title.";

/// Where this page keeps segments.
pub enum SegmentStore {
    Idb(IdbStore),
    Local,
}

impl SegmentStore {
    /// Opens the application's database, or the localStorage fallback.
    pub async fn open(database: &str) -> SegmentStore {
        match IdbStore::open(database).await {
            Ok(db) => SegmentStore::Idb(db),
            Err(_) => SegmentStore::Local,
        }
    }

    /// The stored segments' ids and titles.
    pub async fn list(&self) -> Result<Vec<(String, String)>, StoreError> {
        match self {
            SegmentStore::Idb(db) => Ok(db
                .all_in(SEGMENTS)
                .await?
                .into_iter()
                .map(|(id, v)| {
                    let title = field(&v, "title").unwrap_or_else(|| id.clone());
                    (id, title)
                })
                .collect()),
            SegmentStore::Local => {
                let Some(ls) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
                    return Ok(Vec::new());
                };
                let n = ls.length().unwrap_or(0);
                let mut out = Vec::new();
                for k in 0..n {
                    if let Some(key) = ls.key(k).ok().flatten() {
                        if let Some(id) = key.strip_prefix(TITLE_PREFIX) {
                            let title = ls.get_item(&key).ok().flatten().unwrap_or_else(|| id.to_string());
                            out.push((id.to_string(), title));
                        }
                    }
                }
                Ok(out)
            }
        }
    }

    /// One segment's data, if it is stored.
    pub async fn get(&self, id: &str) -> Result<Option<StoredSegment>, StoreError> {
        let bytes = match self {
            SegmentStore::Idb(db) => {
                let v = db.get_in(SEGMENTS, id).await?;
                if v.is_undefined() || v.is_null() {
                    None
                } else {
                    js_sys::Reflect::get(&v, &"data".into())
                        .ok()
                        .filter(|d| d.is_instance_of::<js_sys::Uint8Array>())
                        .map(|d| js_sys::Uint8Array::from(d).to_vec())
                        .or(Some(Vec::new()))
                }
            }
            SegmentStore::Local => storage::get(&format!("{DATA_PREFIX}{id}"))
                .map_err(|e| StoreError(e.to_string()))?
                .map(|text| text.chars().map(|c| c as u32 as u8).collect()),
        };
        match bytes {
            None => Ok(None),
            Some(b) => StoredSegment::from_bytes(&b).map(Some).map_err(StoreError),
        }
    }

    /// Stores a segment (a new one, or new data for one).
    pub async fn put(&self, segment: &StoredSegment) -> Result<(), StoreError> {
        let bytes = segment.to_bytes();
        match self {
            SegmentStore::Idb(db) => {
                let value = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&value, &"title".into(), &JsValue::from_str(&segment.title));
                let _ = js_sys::Reflect::set(&value, &"data".into(), &js_sys::Uint8Array::from(bytes.as_slice()));
                db.write(&[SEGMENTS], vec![Op::Put { store: SEGMENTS, key: segment.id.clone(), value: value.into() }])
                    .await
            }
            SegmentStore::Local => {
                let data: String = bytes.iter().map(|&b| char::from(b)).collect();
                let data_key = format!("{DATA_PREFIX}{}", segment.id);
                let title_key = format!("{TITLE_PREFIX}{}", segment.id);
                let previous = storage::get(&data_key).ok().flatten();
                storage::set(&data_key, &data).map_err(|e| StoreError(e.to_string()))?;
                if let Err(e) = storage::set(&title_key, &segment.title) {
                    // All or nothing: put back what was there.
                    match previous {
                        Some(p) => {
                            let _ = storage::set(&data_key, &p);
                        }
                        None => {
                            let _ = storage::remove(&data_key);
                        }
                    }
                    return Err(StoreError(e.to_string()));
                }
                Ok(())
            }
        }
    }

    /// Deletes a segment's data and its session.
    pub async fn delete(&self, id: &str) -> Result<(), StoreError> {
        match self {
            SegmentStore::Idb(db) => {
                db.write(
                    &[SEGMENTS, SESSIONS],
                    vec![
                        Op::Delete { store: SEGMENTS, key: id.to_string() },
                        Op::Delete { store: SESSIONS, key: id.to_string() },
                    ],
                )
                .await
            }
            SegmentStore::Local => {
                let gone = |e: storage::StorageError| StoreError(e.to_string());
                storage::remove(&format!("{TITLE_PREFIX}{id}")).map_err(gone)?;
                storage::remove(&format!("{DATA_PREFIX}{id}")).map_err(gone)?;
                storage::remove(&local::storage_key(id)).map_err(gone)
            }
        }
    }
}

/// A text field of a stored object.
fn field(v: &JsValue, name: &str) -> Option<String> {
    if v.is_undefined() || v.is_null() {
        return None;
    }
    js_sys::Reflect::get(v, &name.into()).ok().and_then(|x| x.as_string())
}
