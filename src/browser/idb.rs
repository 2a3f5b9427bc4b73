//! The sessions in IndexedDB: database `runoff`, object store `sessions`,
//! key = the segment (`user_key`), value = the session text (JSON, which is
//! YAML too: see `crate::sync::text`). The same database holds the
//! imported segments' data in the store `segments` (see
//! [`crate::browser::segment_store`]).
//! A save is one `readwrite` transaction (read, change, write), which is
//! what keeps two tabs saving at once from losing a change
//! (`docs/sync-protocol.md`, rule 1).
//!
//! Written over web-sys directly rather than through an IndexedDB crate:
//! the store needs four calls (open, get, put, wait for `complete`), the
//! crates bring an async runtime's channels and more into a page that has a
//! size budget, and the one subtle point, that the change must be applied
//! while the transaction is still active, is easier to see and keep right
//! in these few lines. A request's `success` handler resolves a promise; the
//! code after `await` runs in the microtasks of that same event dispatch,
//! while the transaction is active, so the `put` joins the transaction.
//!
//! Nothing here throws into the page: every failure (storage disabled in a
//! private mode, quota exceeded, a blocked upgrade, a closed connection) is
//! a [`StoreError`] that says what happened.

use crate::sync::rules::Mode;
use crate::sync::transport::{SessionStore, StoreError, Writes};
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, Event, IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

/// The database's name.
pub const DATABASE: &str = "runoff";
/// The object store holding one session text per segment.
pub const SESSIONS: &str = "sessions";
/// The object store holding the data of imported segments.
pub const SEGMENTS: &str = "segments";
/// The schema version: 1 is the `sessions` store, 2 adds `segments`.
const VERSION: u32 = 2;
/// The stores of this version.
const STORES: [&str; 2] = [SESSIONS, SEGMENTS];

/// An open connection to the sessions database.
pub struct IdbStore {
    db: IdbDatabase,
    /// Closes this connection when another tab needs to upgrade the schema,
    /// so that an upgrade is never blocked by an idle tab.
    _on_versionchange: Closure<dyn FnMut(Event)>,
}

impl IdbStore {
    /// Opens (and on first use creates) the database `name`. An error
    /// where IndexedDB is missing, disabled or refuses to open: the caller
    /// then falls back to localStorage.
    pub async fn open(name: &str) -> Result<IdbStore, StoreError> {
        // The page's or the save worker's: both have `indexedDB` on their
        // global object (reading it throws where storage is disabled).
        let factory = match js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into()) {
            Ok(f) if f.is_instance_of::<IdbFactory>() => f.unchecked_into::<IdbFactory>(),
            Ok(_) => return Err(StoreError("this browser has no IndexedDB".into())),
            Err(e) => return Err(error("IndexedDB is not available", &e)),
        };
        let request = factory
            .open_with_u32(name, VERSION)
            .map_err(|e| error("IndexedDB refused to open", &e))?;
        let upgrade = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            // Create the store on first use; later versions add theirs here.
            let db = e
                .target()
                .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|db| db.dyn_into::<IdbDatabase>().ok());
            if let Some(db) = db {
                for store in STORES {
                    if !db.object_store_names().contains(store) {
                        // A failure here leaves the store missing, which the
                        // check after the open turns into an error.
                        let _ = db.create_object_store(store);
                    }
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        // A blocked open waits for other tabs to close an older version;
        // say so rather than wait for ever without a word.
        let blocked = Promise::new(&mut |_, reject| request.set_onblocked(Some(&reject)));
        let opened = done(request.unchecked_ref(), None);
        let outcome = JsFuture::from(Promise::race(&js_sys::Array::of2(&opened, &blocked))).await;
        request.set_onupgradeneeded(None);
        request.set_onblocked(None);
        drop(upgrade);
        if let Err(e) = outcome {
            let was_blocked = e.dyn_ref::<Event>().is_some_and(|e| e.type_() == "blocked");
            return Err(if was_blocked {
                StoreError(
                    "the session database is held open by an older version of this page in \
                     another tab: close or reload that tab"
                        .into(),
                )
            } else {
                error("IndexedDB did not open", &request_error(request.unchecked_ref()))
            });
        }
        let db: IdbDatabase = request
            .result()
            .ok()
            .and_then(|r| r.dyn_into().ok())
            .ok_or_else(|| StoreError("IndexedDB opened without a database".into()))?;
        if let Some(missing) = STORES.iter().find(|s| !db.object_store_names().contains(s)) {
            db.close();
            return Err(StoreError(format!("IndexedDB opened without the `{missing}` store")));
        }
        let to_close = db.clone();
        let on_versionchange = Closure::<dyn FnMut(Event)>::new(move |_| to_close.close());
        db.set_onversionchange(Some(on_versionchange.as_ref().unchecked_ref()));
        Ok(IdbStore { db, _on_versionchange: on_versionchange })
    }

    fn transaction(&self, mode: IdbTransactionMode) -> Result<IdbTransaction, StoreError> {
        self.db
            .transaction_with_str_and_mode(SESSIONS, mode)
            .map_err(|e| error("cannot start a storage transaction", &e))
    }

    /// Every key in the store (the sessions and the texts kept aside).
    pub async fn keys(&self) -> Result<Vec<String>, StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readonly)?;
        let store = tx.object_store(SESSIONS).map_err(|e| error("no session store", &e))?;
        let request = store.get_all_keys().map_err(|e| error("cannot list the sessions", &e))?;
        let keys = wait(&request).await?;
        Ok(js_sys::Array::from(&keys).iter().filter_map(|k| k.as_string()).collect())
    }

    /// The value under `key` in `store` (`undefined` when there is none).
    pub async fn get_in(&self, store: &str, key: &str) -> Result<JsValue, StoreError> {
        let tx = self
            .db
            .transaction_with_str_and_mode(store, IdbTransactionMode::Readonly)
            .map_err(|e| error("cannot start a storage transaction", &e))?;
        let s = tx.object_store(store).map_err(|e| error("no such store", &e))?;
        let request = s.get(&key.into()).map_err(|e| error("cannot read from storage", &e))?;
        wait(&request).await
    }

    /// Every key of `store` with its value.
    pub async fn all_in(&self, store: &str) -> Result<Vec<(String, JsValue)>, StoreError> {
        let tx = self
            .db
            .transaction_with_str_and_mode(store, IdbTransactionMode::Readonly)
            .map_err(|e| error("cannot start a storage transaction", &e))?;
        let s = tx.object_store(store).map_err(|e| error("no such store", &e))?;
        let keys = s.get_all_keys().map_err(|e| error("cannot list what is stored", &e))?;
        let values = s.get_all().map_err(|e| error("cannot list what is stored", &e))?;
        let keys = js_sys::Array::from(&wait(&keys).await?);
        let values = js_sys::Array::from(&wait(&values).await?);
        Ok(keys.iter().zip(values.iter()).filter_map(|(k, v)| k.as_string().map(|k| (k, v))).collect())
    }

    /// Writes and deletes in one `readwrite` transaction over `stores`:
    /// all of them happen, or (on any error) none does.
    pub async fn write(&self, stores: &[&str], ops: Vec<Op>) -> Result<(), StoreError> {
        let names = js_sys::Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        let tx = self
            .db
            .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
            .map_err(|e| error("cannot start a storage transaction", &e))?;
        let committed = done(tx.unchecked_ref(), Some("complete"));
        for op in ops {
            let outcome = match &op {
                Op::Put { store, key, value } => tx
                    .object_store(store)
                    .and_then(|s| s.put_with_key(value, &JsValue::from_str(key))),
                Op::Delete { store, key } => {
                    tx.object_store(store).and_then(|s| s.delete(&JsValue::from_str(key)))
                }
            };
            if let Err(e) = outcome {
                let _ = tx.abort();
                return Err(error("nothing was stored", &e));
            }
        }
        JsFuture::from(committed)
            .await
            .map(|_| ())
            .map_err(|_| error("nothing was stored", &tx_error(&tx)))
    }

    /// Removes `key`; for tests and for a page that deletes a segment.
    pub async fn remove(&self, key: &str) -> Result<(), StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readwrite)?;
        let committed = done(tx.unchecked_ref(), Some("complete"));
        let store = tx.object_store(SESSIONS).map_err(|e| error("no session store", &e))?;
        store.delete(&key.into()).map_err(|e| error("cannot remove a session", &e))?;
        JsFuture::from(committed)
            .await
            .map(|_| ())
            .map_err(|_| error("the removal did not commit", &tx_error(&tx)))
    }
}

/// One change in [`IdbStore::write`].
pub enum Op {
    Put { store: &'static str, key: String, value: JsValue },
    Delete { store: &'static str, key: String },
}

impl Drop for IdbStore {
    fn drop(&mut self) {
        self.db.set_onversionchange(None);
        self.db.close();
    }
}

impl SessionStore for IdbStore {
    fn mode(&self) -> Mode {
        Mode::Transactional
    }

    async fn read(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readonly)?;
        let store = tx.object_store(SESSIONS).map_err(|e| error("no session store", &e))?;
        let request = store.get(&key.into()).map_err(|e| error("cannot read the session", &e))?;
        Ok(text_of(&wait(&request).await?))
    }

    async fn update<R>(
        &self,
        key: &str,
        change: impl FnOnce(Option<&str>) -> (Writes, R),
    ) -> Result<R, StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readwrite)?;
        // Listen for the end before any request, so it cannot be missed.
        let committed = done(tx.unchecked_ref(), Some("complete"));
        let store = tx.object_store(SESSIONS).map_err(|e| error("no session store", &e))?;
        let request = store.get(&key.into()).map_err(|e| error("cannot read the session", &e))?;
        // Runs in the microtasks of the `success` event: the transaction is
        // still active, so the writes below belong to it.
        let stored = text_of(&wait(&request).await?);
        let (writes, result) = change(stored.as_deref());
        for (k, text) in &writes {
            if let Err(e) = store.put_with_key(&text.into(), &k.into()) {
                let _ = tx.abort();
                return Err(error("the session was not saved", &e));
            }
        }
        // Resolve only once the writes are durable: another tab told of
        // this save must find it in storage.
        match JsFuture::from(committed).await {
            Ok(_) => Ok(result),
            Err(_) => Err(error("the session was not saved", &tx_error(&tx))),
        }
    }
}

/// The text stored under a key: `undefined` is nothing stored; a value
/// that is not text (another program wrote it) comes back as its JSON, so
/// that it reads as an unreadable session and is kept aside, not lost.
fn text_of(value: &JsValue) -> Option<String> {
    if value.is_undefined() {
        return None;
    }
    value.as_string().or_else(|| {
        Some(js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default())
    })
}

/// Waits for a request; its result, or an error that says what failed.
async fn wait(request: &IdbRequest) -> Result<JsValue, StoreError> {
    match JsFuture::from(done(request.unchecked_ref(), None)).await {
        Ok(_) => request.result().map_err(|e| error("storage answered without a result", &e)),
        Err(_) => Err(error("storage failed", &request_error(request))),
    }
}

/// A promise that resolves on `success` (or on `event`, e.g. `complete`
/// for a transaction) and rejects on `error` or `abort`. The promise's own
/// functions are the handlers, so no Rust closure outlives the wait.
fn done(target: &JsValue, event: Option<&str>) -> Promise {
    Promise::new(&mut |resolve: Function, reject: Function| {
        let on = |name: &str, f: &Function| {
            let _ = js_sys::Reflect::set(target, &format!("on{name}").into(), f);
        };
        on(event.unwrap_or("success"), &resolve);
        on("error", &reject);
        if event.is_some() {
            on("abort", &reject);
        }
    })
}

fn request_error(request: &IdbRequest) -> JsValue {
    request.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL)
}

fn tx_error(tx: &IdbTransaction) -> JsValue {
    tx.error().map(JsValue::from).unwrap_or(JsValue::NULL)
}

/// A [`StoreError`] from what the browser threw, in words a user can act
/// on.
pub fn error(what: &str, thrown: &JsValue) -> StoreError {
    let name = thrown.dyn_ref::<DomException>().map(|e| e.name()).unwrap_or_default();
    let detail = thrown
        .dyn_ref::<DomException>()
        .map(|e| e.message())
        .or_else(|| thrown.as_string())
        .unwrap_or_default();
    let why = match name.as_str() {
        "QuotaExceededError" => "browser storage is full".to_string(),
        "SecurityError" | "InvalidAccessError" => {
            "browser storage is disabled (private browsing, or site data blocked)".to_string()
        }
        "InvalidStateError" => "the storage connection was closed".to_string(),
        "AbortError" => "the storage transaction was aborted".to_string(),
        "VersionError" => {
            "a newer version of this page upgraded the database: reload the page".to_string()
        }
        "" if detail.is_empty() => "browser storage failed".to_string(),
        "" => detail.clone(),
        other if detail.is_empty() => other.to_string(),
        other => format!("{other}: {detail}"),
    };
    StoreError(format!("{what}: {why}"))
}
