//! The imported segments' data in the browser: the IndexedDB store
//! `segments` (key = the segment's id, value = `{ title, data }` with the
//! [`StoredSegment`]'s bytes, so that listing the segments reads their
//! titles without reading their triangles), or localStorage where
//! IndexedDB is missing, as for sessions (the bytes as a string of one
//! character per byte, since localStorage holds text).
//!
//! Every write is all or nothing: a segment that does not fit in storage
//! is not half stored, and deleting a segment removes its session in the
//! same transaction. An import never replaces a stored segment: its id is
//! chosen in the transaction that adds it ([`SegmentStore::add`]), so a
//! list of segments that is out of date (another tab imported since) can
//! not make it take an id in use.
//!
//! What is read is checked: a record that is damaged (not this app's
//! form, its triangle's parts disagreeing, beyond an import's limits) is
//! reported with its id and what is wrong, and never opened.

use crate::browser::idb::{IdbStore, Op, SEGMENTS, SESSIONS};
use crate::browser::local;
use crate::browser::storage;
#[cfg(feature = "team")]
use crate::browser::team_segments::{self, TeamSegments};
use crate::catalog::StoredSegment;
use crate::sync::transport::StoreError;
use wasm_bindgen::{JsCast, JsValue};

/// localStorage keys of the fallback: the data, and the title beside it.
const DATA_PREFIX: &str = "runoff.segment.";
const TITLE_PREFIX: &str = "runoff.segment-title.";

/// How many times an import tries to add its segment under a new id, when
/// another writer takes the id chosen between the transaction's read and
/// its `add` (only the localStorage fallback, which has no transactions,
/// can see that).
const ADD_ATTEMPTS: usize = 3;

/// The stored segments, as listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    /// Ids and titles of the segments that read.
    pub segments: Vec<(String, String)>,
    /// Records that are damaged: the id, and what is wrong.
    pub damaged: Vec<(String, String)>,
}

impl Listing {
    /// What the page says about the damaged records, if there are any.
    pub fn problem(&self) -> Option<String> {
        if self.damaged.is_empty() {
            return None;
        }
        let each: Vec<String> = self.damaged.iter().map(|(id, why)| format!("segment {id}: {why}")).collect();
        Some(format!(
            "Some stored segments are damaged and are not offered (they are kept in storage as they are): {}.",
            each.join("; ")
        ))
    }
}

/// Where this page keeps segments.
pub enum SegmentStore {
    Idb(IdbStore),
    Local,
    /// A team server the user is signed in to ([`team_segments`]).
    #[cfg(feature = "team")]
    Team(TeamSegments),
}

impl SegmentStore {
    /// Opens the application's database, or the localStorage fallback.
    pub async fn open(database: &str) -> SegmentStore {
        match IdbStore::open(database).await {
            Ok(db) => SegmentStore::Idb(db),
            Err(_) => SegmentStore::Local,
        }
    }

    /// The stored segments' ids and titles, and the records that are
    /// damaged. A failure to read is an error, never an empty list.
    pub async fn list(&self) -> Result<Listing, StoreError> {
        let mut out = Listing::default();
        match self {
            SegmentStore::Idb(db) => {
                for (id, v) in db.all_in(SEGMENTS).await? {
                    let data = js_sys::Reflect::get(&v, &"data".into()).ok();
                    match (field(&v, "title"), data) {
                        (Some(title), Some(d)) if d.is_instance_of::<js_sys::Uint8Array>() => {
                            let d = js_sys::Uint8Array::from(d);
                            match StoredSegment::check_header(d.length() as usize, d.get_index(0)) {
                                Ok(()) => out.segments.push((id, title)),
                                Err(e) => out.damaged.push((id, e)),
                            }
                        }
                        (None, _) => out.damaged.push((id, "its record has no name".into())),
                        _ => out.damaged.push((id, "its record holds no data".into())),
                    }
                }
            }
            #[cfg(feature = "team")]
            SegmentStore::Team(t) => out.segments = t.list().await?,
            SegmentStore::Local => {
                let ls = web_sys::window()
                    .and_then(|w| w.local_storage().ok().flatten())
                    .ok_or_else(|| StoreError(storage::StorageError::Unavailable.to_string()))?;
                let n = ls.length().map_err(|_| StoreError(storage::StorageError::Unavailable.to_string()))?;
                for k in 0..n {
                    if let Some(key) = ls.key(k).ok().flatten() {
                        if let Some(id) = key.strip_prefix(TITLE_PREFIX) {
                            let title = ls.get_item(&key).ok().flatten().unwrap_or_else(|| id.to_string());
                            out.segments.push((id.to_string(), title));
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// One segment's data, if it is stored.
    pub async fn get(&self, id: &str) -> Result<Option<StoredSegment>, StoreError> {
        let bytes = match self {
            #[cfg(feature = "team")]
            SegmentStore::Team(t) => t.get(id).await?,
            SegmentStore::Idb(db) => {
                let v = db.get_in(SEGMENTS, id).await?;
                if v.is_undefined() || v.is_null() {
                    None
                } else {
                    // Not bytes: read as an empty record, which is refused
                    // below as damaged.
                    js_sys::Reflect::get(&v, &"data".into())
                        .ok()
                        .filter(|d| d.is_instance_of::<js_sys::Uint8Array>())
                        .map(js_sys::Uint8Array::from)
                        .filter(|d| d.length() as usize <= crate::catalog::MAX_RECORD_BYTES)
                        .map(|d| d.to_vec())
                        .or(Some(Vec::new()))
                }
            }
            SegmentStore::Local => storage::get(&format!("{DATA_PREFIX}{id}"))
                .map_err(|e| StoreError(e.to_string()))?
                .map(|text| text.chars().map(|c| c as u32 as u8).collect()),
        };
        match bytes {
            None => Ok(None),
            Some(b) => StoredSegment::from_bytes(&b)
                .map(|mut r| {
                    // The key is what the list and the sessions know it by.
                    r.id = id.to_string();
                    Some(r)
                })
                .map_err(|e| StoreError(format!("the stored segment {id} is damaged: {e}"))),
        }
    }

    /// Stores a newly imported segment under an id no stored segment has,
    /// chosen in the transaction that writes it: the record's own id where
    /// it is free, else one made from its title that `reserved` (the
    /// samples) does not hold either. Never replaces a stored segment. The
    /// record as stored, with the id it got.
    pub async fn add(&self, segment: &StoredSegment, reserved: &[&str]) -> Result<StoredSegment, StoreError> {
        let choose = |taken: &dyn Fn(&str) -> bool| -> StoredSegment {
            let free = |id: &str| !taken(id) && !reserved.contains(&id);
            let mut record = segment.clone();
            if !free(&record.id) {
                record.id = crate::catalog::new_id(&record.title, |id| !free(id));
            }
            record
        };
        let mut last = StoreError("nothing was stored".into());
        for _ in 0..ADD_ATTEMPTS {
            let outcome = match self {
                SegmentStore::Idb(db) => {
                    let mut chosen = None;
                    let added = db
                        .add_new(SEGMENTS, |keys| {
                            let record = choose(&|id| keys.iter().any(|k| k == id));
                            let value = record_value(&record);
                            let key = record.id.clone();
                            chosen = Some(record);
                            (key, value)
                        })
                        .await;
                    added.and_then(|_| chosen.ok_or_else(|| StoreError("nothing was stored".into())))
                }
                SegmentStore::Local => {
                    let record = choose(&|id| storage::get(&format!("{TITLE_PREFIX}{id}")).ok().flatten().is_some());
                    self.put(&record).await.map(|()| record)
                }
                #[cfg(feature = "team")]
                SegmentStore::Team(t) => {
                    let listed = t.list().await?;
                    let record = choose(&|id| listed.iter().any(|(k, _)| k == id));
                    t.add(&record).await.map(|()| record)
                }
            };
            match outcome {
                Ok(record) => return Ok(record),
                // Another writer took the id between the read and the add:
                // choose again.
                Err(e) if e.0.contains("ConstraintError") => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// Stores new data for a segment, replacing what it had (an import
    /// goes through [`SegmentStore::add`] instead).
    pub async fn put(&self, segment: &StoredSegment) -> Result<(), StoreError> {
        match self {
            #[cfg(feature = "team")]
            SegmentStore::Team(_) => Err(StoreError(team_segments::KEPT_AS_IMPORTED.into())),
            SegmentStore::Idb(db) => {
                db.write(
                    &[SEGMENTS],
                    vec![Op::Put { store: SEGMENTS, key: segment.id.clone(), value: record_value(segment) }],
                )
                .await
            }
            SegmentStore::Local => {
                let bytes = segment.to_bytes();
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
            #[cfg(feature = "team")]
            SegmentStore::Team(_) => Err(StoreError(team_segments::KEPT_AS_IMPORTED.into())),
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

impl PartialEq for SegmentStore {
    /// The same store: there is one per page.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl SegmentStore {
    /// The keys of the session texts kept aside because they did not read
    /// (see [`crate::sync::save::aside_key`]), oldest first.
    pub async fn kept_aside(&self) -> Result<Vec<String>, StoreError> {
        let mut keys: Vec<String> = match self {
            SegmentStore::Idb(db) => db.keys().await?,
            // A team server keeps no text that does not read.
            #[cfg(feature = "team")]
            SegmentStore::Team(_) => Vec::new(),
            SegmentStore::Local => {
                let ls = web_sys::window()
                    .and_then(|w| w.local_storage().ok().flatten())
                    .ok_or_else(|| StoreError(storage::StorageError::Unavailable.to_string()))?;
                let n = ls.length().unwrap_or(0);
                (0..n)
                    .filter_map(|k| ls.key(k).ok().flatten())
                    .filter_map(|k| k.strip_prefix(local::PREFIX).map(str::to_string))
                    .collect()
            }
        };
        keys.retain(|k| k.contains(ASIDE_MARK));
        keys.sort_by(|a, b| aside_time(a).cmp(aside_time(b)).then(a.cmp(b)));
        Ok(keys)
    }

    /// A session text kept aside, as stored.
    pub async fn kept_text(&self, key: &str) -> Result<Option<String>, StoreError> {
        use crate::sync::transport::SessionStore;
        match self {
            SegmentStore::Idb(db) => db.read(key).await,
            SegmentStore::Local => local::LocalStore.read(key).await,
            #[cfg(feature = "team")]
            SegmentStore::Team(_) => Ok(None),
        }
    }
}

/// What marks a kept-aside text's key: `segment.unreadable.time`.
const ASIDE_MARK: &str = ".unreadable.";

fn aside_time(key: &str) -> &str {
    key.rsplit_once(ASIDE_MARK).map_or("", |(_, t)| t)
}

/// A record as IndexedDB holds it: `{ title, data }`.
fn record_value(segment: &StoredSegment) -> JsValue {
    let value = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&value, &"title".into(), &JsValue::from_str(&segment.title));
    let _ = js_sys::Reflect::set(&value, &"data".into(), &js_sys::Uint8Array::from(segment.to_bytes().as_slice()));
    value.into()
}

/// A text field of a stored object.
fn field(v: &JsValue, name: &str) -> Option<String> {
    if v.is_undefined() || v.is_null() {
        return None;
    }
    js_sys::Reflect::get(v, &name.into()).ok().and_then(|x| x.as_string())
}
