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
//! The connection is never given up for good: it is closed when another
//! tab upgrades or deletes the database (`versionchange`), so as not to
//! block it, and opened again by the next read or write. A database found
//! without its stores (another page created it empty, or an upgrade was
//! blocked half-way) is repaired by an upgrade that creates them.
//!
//! Nothing here throws into the page: every failure (storage disabled in a
//! private mode, quota exceeded, a blocked upgrade, a closed connection) is
//! a [`StoreError`] that says what happened.

use crate::sync::rules::Mode;
use crate::sync::transport::{SessionStore, StoreError, Writes};
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, Event, IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
};

/// The database's name.
pub const DATABASE: &str = "runoff";
/// The object store holding one session text per segment.
pub const SESSIONS: &str = "sessions";
/// The object store holding the data of imported segments.
pub const SEGMENTS: &str = "segments";
/// The schema version: 1 is the `sessions` store, 2 adds `segments`. A
/// repaired database is at a higher version, which is opened as it is.
const VERSION: u32 = 2;
/// The stores of this version.
const STORES: [&str; 2] = [SESSIONS, SEGMENTS];
/// How long an open blocked by another tab's older connection waits for
/// that tab to let go before it is reported.
const BLOCKED_WAIT_MS: i32 = 3_000;

/// An open connection, and whether it has been closed since.
struct Connection {
    db: IdbDatabase,
    closed: Rc<Cell<bool>>,
    /// Closes this connection when another tab needs to upgrade or delete
    /// the database, so that it is never blocked by an idle tab; and marks
    /// it closed, so that the next use opens a new one.
    _on_versionchange: Closure<dyn FnMut(Event)>,
    /// Marks the connection closed when the browser closes it (the site's
    /// data cleared, the disk gone).
    _on_close: Closure<dyn FnMut(Event)>,
}

impl Connection {
    fn new(db: IdbDatabase) -> Connection {
        let closed = Rc::new(Cell::new(false));
        let on_versionchange = {
            let (db, closed) = (db.clone(), closed.clone());
            Closure::<dyn FnMut(Event)>::new(move |_| {
                closed.set(true);
                db.close();
            })
        };
        let on_close = {
            let closed = closed.clone();
            Closure::<dyn FnMut(Event)>::new(move |_| closed.set(true))
        };
        db.set_onversionchange(Some(on_versionchange.as_ref().unchecked_ref()));
        db.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Connection { db, closed, _on_versionchange: on_versionchange, _on_close: on_close }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.db.set_onversionchange(None);
        self.db.set_onclose(None);
        self.db.close();
    }
}

/// A connection to the sessions database, opened again whenever it was
/// closed.
pub struct IdbStore {
    name: String,
    connection: RefCell<Option<Rc<Connection>>>,
}

/// Why an open failed: a database at a newer version than asked for is
/// opened at its own version instead.
enum OpenError {
    Newer,
    Other(StoreError),
}

fn factory() -> Result<IdbFactory, StoreError> {
    // The page's or the save worker's: both have `indexedDB` on their
    // global object (reading it throws where storage is disabled).
    match js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into()) {
        Ok(f) if f.is_instance_of::<IdbFactory>() => Ok(f.unchecked_into::<IdbFactory>()),
        Ok(_) => Err(StoreError("this browser has no IndexedDB".into())),
        Err(e) => Err(error("IndexedDB is not available", &e)),
    }
}

/// Opens `name` at `version` (at its own version for `None`), creating
/// the stores that are missing if that upgrades it.
async fn open_at(factory: &IdbFactory, name: &str, version: Option<u32>) -> Result<IdbDatabase, OpenError> {
    let request = match version {
        Some(v) => factory.open_with_u32(name, v),
        None => factory.open(name),
    }
    .map_err(|e| OpenError::Other(error("IndexedDB refused to open", &e)))?;
    let upgrade = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
        let db = e
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|db| db.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            for store in STORES {
                if !db.object_store_names().contains(store) {
                    // A failure here leaves the store missing, which the
                    // check after the open finds.
                    let _ = db.create_object_store(store);
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = done(request.unchecked_ref(), None);
    // Blocked: another tab holds an older version open. The upgrade then
    // runs once it lets go, so the handler above must stay in place until
    // the request settles, however long that takes: dropped earlier, the
    // database would be upgraded without its stores.
    let blocked = Promise::new(&mut |resolve, _| request.set_onblocked(Some(&resolve)));
    let first = JsFuture::from(Promise::race(&js_sys::Array::of2(&opened, &blocked))).await;
    let outcome = match first {
        Ok(v) if v.dyn_ref::<Event>().is_some_and(|e| e.type_() == "blocked") => {
            let late = Promise::new(&mut |resolve, _| {
                let _ = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into())
                    .ok()
                    .and_then(|f| f.dyn_into::<Function>().ok())
                    .map(|f| f.call2(&JsValue::NULL, &resolve, &BLOCKED_WAIT_MS.into()));
            });
            match JsFuture::from(Promise::race(&js_sys::Array::of2(&opened, &late))).await {
                Ok(v) if v.is_undefined() => {
                    // Still blocked: report it, and let the request finish
                    // on its own, closing the connection it opens then.
                    let request = request.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let settled = JsFuture::from(opened).await;
                        drop(upgrade);
                        if settled.is_ok() {
                            if let Some(db) = request.result().ok().and_then(|r| r.dyn_into::<IdbDatabase>().ok()) {
                                db.close();
                            }
                        }
                    });
                    return Err(OpenError::Other(StoreError(
                        "the session database is held open by an older version of this page in \
                         another tab: close or reload that tab"
                            .into(),
                    )));
                }
                other => other,
            }
        }
        other => other,
    };
    request.set_onupgradeneeded(None);
    request.set_onblocked(None);
    drop(upgrade);
    if outcome.is_err() {
        let thrown = request_error(request.unchecked_ref());
        if thrown.dyn_ref::<DomException>().is_some_and(|e| e.name() == "VersionError") {
            return Err(OpenError::Newer);
        }
        return Err(OpenError::Other(error("IndexedDB did not open", &thrown)));
    }
    request
        .result()
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or_else(|| OpenError::Other(StoreError("IndexedDB opened without a database".into())))
}

fn missing_store(db: &IdbDatabase) -> Option<&'static str> {
    STORES.into_iter().find(|s| !db.object_store_names().contains(s))
}

/// Opens the database with its stores: at [`VERSION`], or at its own
/// version where a repair raised it, and repaired by one more version
/// where a store is missing.
async fn connect(name: &str) -> Result<IdbDatabase, StoreError> {
    let factory = factory()?;
    let fail = |e: OpenError| match e {
        OpenError::Newer => StoreError("IndexedDB did not open: it changed version while opening".into()),
        OpenError::Other(e) => e,
    };
    let db = match open_at(&factory, name, Some(VERSION)).await {
        Err(OpenError::Newer) => open_at(&factory, name, None).await.map_err(fail)?,
        other => other.map_err(fail)?,
    };
    if missing_store(&db).is_none() {
        return Ok(db);
    }
    // Repair: only an upgrade can create a store.
    let next = (db.version() as u32).saturating_add(1);
    db.close();
    let db = match open_at(&factory, name, Some(next)).await {
        // Another tab repaired it first.
        Err(OpenError::Newer) => open_at(&factory, name, None).await.map_err(fail)?,
        other => other.map_err(fail)?,
    };
    if let Some(missing) = missing_store(&db) {
        db.close();
        return Err(StoreError(format!("IndexedDB opened without the `{missing}` store, and could not create it")));
    }
    Ok(db)
}

impl IdbStore {
    /// Opens (and on first use creates, or repairs) the database `name`.
    /// An error where IndexedDB is missing, disabled or refuses to open:
    /// the caller then falls back to localStorage.
    pub async fn open(name: &str) -> Result<IdbStore, StoreError> {
        let db = connect(name).await?;
        Ok(IdbStore { name: name.to_string(), connection: RefCell::new(Some(Rc::new(Connection::new(db)))) })
    }

    /// The open connection, opened again if it was closed.
    async fn db(&self) -> Result<IdbDatabase, StoreError> {
        let current = self.connection.borrow().clone();
        if let Some(c) = current.filter(|c| !c.closed.get()) {
            return Ok(c.db.clone());
        }
        *self.connection.borrow_mut() = None;
        let db = connect(&self.name).await?;
        let c = Rc::new(Connection::new(db.clone()));
        *self.connection.borrow_mut() = Some(c);
        Ok(db)
    }

    /// Whether the connection is open now (it is opened again on use).
    pub fn is_connected(&self) -> bool {
        self.connection.borrow().as_ref().is_some_and(|c| !c.closed.get())
    }

    /// A transaction over `stores`. A connection that turns out closed
    /// (another tab upgraded or deleted the database since) is opened again
    /// once.
    async fn transaction_on(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, StoreError> {
        let names = js_sys::Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        let db = self.db().await?;
        match db.transaction_with_str_sequence_and_mode(&names, mode) {
            Ok(tx) => Ok(tx),
            Err(e) if e.dyn_ref::<DomException>().is_some_and(|e| e.name() == "InvalidStateError") => {
                if let Some(c) = self.connection.borrow().as_ref() {
                    c.closed.set(true);
                }
                self.db()
                    .await?
                    .transaction_with_str_sequence_and_mode(&names, mode)
                    .map_err(|e| error("cannot start a storage transaction", &e))
            }
            Err(e) => Err(error("cannot start a storage transaction", &e)),
        }
    }

    async fn transaction(&self, mode: IdbTransactionMode) -> Result<IdbTransaction, StoreError> {
        self.transaction_on(&[SESSIONS], mode).await
    }

    /// Every key in the store (the sessions and the texts kept aside).
    pub async fn keys(&self) -> Result<Vec<String>, StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readonly).await?;
        let store = tx.object_store(SESSIONS).map_err(|e| error("no session store", &e))?;
        let request = store.get_all_keys().map_err(|e| error("cannot list the sessions", &e))?;
        let keys = wait(&request).await?;
        Ok(js_sys::Array::from(&keys).iter().filter_map(|k| k.as_string()).collect())
    }

    /// The value under `key` in `store` (`undefined` when there is none).
    pub async fn get_in(&self, store: &str, key: &str) -> Result<JsValue, StoreError> {
        let tx = self.transaction_on(&[store], IdbTransactionMode::Readonly).await?;
        let s = tx.object_store(store).map_err(|e| error("no such store", &e))?;
        let request = s.get(&key.into()).map_err(|e| error("cannot read from storage", &e))?;
        wait(&request).await
    }

    /// Every key of `store` with its value.
    pub async fn all_in(&self, store: &str) -> Result<Vec<(String, JsValue)>, StoreError> {
        let tx = self.transaction_on(&[store], IdbTransactionMode::Readonly).await?;
        let s = tx.object_store(store).map_err(|e| error("no such store", &e))?;
        let keys = s.get_all_keys().map_err(|e| error("cannot list what is stored", &e))?;
        let values = s.get_all().map_err(|e| error("cannot list what is stored", &e))?;
        let keys = js_sys::Array::from(&wait(&keys).await?);
        let values = js_sys::Array::from(&wait(&values).await?);
        Ok(keys.iter().zip(values.iter()).filter_map(|(k, v)| k.as_string().map(|k| (k, v))).collect())
    }

    /// Adds a value to `store` under a new key, in one `readwrite`
    /// transaction: the keys are read, `choose` picks one that is not
    /// among them and makes the value for it, and `add` (which never
    /// replaces) writes it. No other
    /// tab writes in between, so nothing stored is ever overwritten; were
    /// the key taken all the same, the transaction fails and nothing is
    /// written. The key written.
    pub async fn add_new(
        &self,
        store: &str,
        choose: impl FnOnce(&[String]) -> (String, JsValue),
    ) -> Result<String, StoreError> {
        let tx = self.transaction_on(&[store], IdbTransactionMode::Readwrite).await?;
        let committed = done(tx.unchecked_ref(), Some("complete"));
        let s = tx.object_store(store).map_err(|e| error("no such store", &e))?;
        let keys = s.get_all_keys().map_err(|e| error("cannot list what is stored", &e))?;
        // In the microtasks of `success`: the transaction is still active.
        let keys: Vec<String> = js_sys::Array::from(&wait(&keys).await?).iter().filter_map(|k| k.as_string()).collect();
        let (key, value) = choose(&keys);
        if let Err(e) = s.add_with_key(&value, &JsValue::from_str(&key)) {
            let _ = tx.abort();
            return Err(error("nothing was stored", &e));
        }
        JsFuture::from(committed).await.map(|_| key).map_err(|_| error("nothing was stored", &tx_error(&tx)))
    }

    /// Writes and deletes in one `readwrite` transaction over `stores`:
    /// all of them happen, or (on any error) none does.
    pub async fn write(&self, stores: &[&str], ops: Vec<Op>) -> Result<(), StoreError> {
        let tx = self.transaction_on(stores, IdbTransactionMode::Readwrite).await?;
        let committed = done(tx.unchecked_ref(), Some("complete"));
        for op in ops {
            let outcome = match &op {
                Op::Put { store, key, value } => {
                    tx.object_store(store).and_then(|s| s.put_with_key(value, &JsValue::from_str(key)))
                }
                Op::Delete { store, key } => tx.object_store(store).and_then(|s| s.delete(&JsValue::from_str(key))),
            };
            if let Err(e) = outcome {
                let _ = tx.abort();
                return Err(error("nothing was stored", &e));
            }
        }
        JsFuture::from(committed).await.map(|_| ()).map_err(|_| error("nothing was stored", &tx_error(&tx)))
    }

    /// Removes `key`; for tests and for a page that deletes a segment.
    pub async fn remove(&self, key: &str) -> Result<(), StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readwrite).await?;
        let committed = done(tx.unchecked_ref(), Some("complete"));
        let store = tx.object_store(SESSIONS).map_err(|e| error("no session store", &e))?;
        store.delete(&key.into()).map_err(|e| error("cannot remove a session", &e))?;
        JsFuture::from(committed).await.map(|_| ()).map_err(|_| error("the removal did not commit", &tx_error(&tx)))
    }
}

/// One change in [`IdbStore::write`].
pub enum Op {
    Put { store: &'static str, key: String, value: JsValue },
    Delete { store: &'static str, key: String },
}

impl SessionStore for IdbStore {
    fn mode(&self) -> Mode {
        Mode::Transactional
    }

    async fn read(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readonly).await?;
        let store = tx.object_store(SESSIONS).map_err(|e| error("no session store", &e))?;
        let request = store.get(&key.into()).map_err(|e| error("cannot read the session", &e))?;
        Ok(text_of(&wait(&request).await?))
    }

    async fn update<R>(&self, key: &str, change: impl FnOnce(Option<&str>) -> (Writes, R)) -> Result<R, StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readwrite).await?;
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
    value
        .as_string()
        .or_else(|| Some(js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default()))
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
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let on = |name: &str, f: &Function| {
            let _ = js_sys::Reflect::set(target, &format!("on{name}").into(), f);
        };
        on(event.unwrap_or("success"), &resolve);
        on("error", &reject);
        if event.is_some() {
            on("abort", &reject);
        }
    });
    if event.is_some() {
        // A transaction's end is not awaited when a request in it failed
        // first (the error is that request's): its rejection must then not
        // surface as the page's unhandled one.
        IGNORE.with(|ignore| {
            let _ = promise.catch(ignore);
        });
    }
    promise
}

thread_local! {
    /// Takes a rejection that is reported otherwise.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
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
    let detail =
        thrown.dyn_ref::<DomException>().map(|e| e.message()).or_else(|| thrown.as_string()).unwrap_or_default();
    let why = match name.as_str() {
        "QuotaExceededError" => "browser storage is full".to_string(),
        "SecurityError" | "InvalidAccessError" => {
            "browser storage is disabled (private browsing, or site data blocked)".to_string()
        }
        "InvalidStateError" => "the storage connection was closed".to_string(),
        "AbortError" => "the storage transaction was aborted".to_string(),
        "VersionError" => "a newer version of this page upgraded the database: reload the page".to_string(),
        "" if detail.is_empty() => "browser storage failed".to_string(),
        "" => detail.clone(),
        other if detail.is_empty() => other.to_string(),
        other => format!("{other}: {detail}"),
    };
    StoreError(format!("{what}: {why}"))
}
