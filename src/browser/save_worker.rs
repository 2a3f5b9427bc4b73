//! The page's end of the save worker ([`crate::browser::saver`]), which
//! runs the tab's saves off the page's thread (why: [`crate::sync::remote`]).
//!
//! It is started with the tab's storage and opens the same database. No
//! save waits for it: until it has said it is open, and where it cannot run
//! (its script missing or slow to come, IndexedDB refused to it, a trap),
//! [`SaveWorker::save`] says so and the tab saves in its own thread, with
//! the same rule in the same kind of transaction, so that either thread's
//! save builds on the other's. (Waiting for it held a first click's save
//! for as long as the worker took to download, compile and open the
//! database: up to seconds in WebKit.)
//!
//! The worker's channel stays open when the page is hidden (`pagehide`
//! closes only the page's own): a save that commits then is still
//! announced, and a page in the back/forward cache has its workers frozen
//! with it.

use crate::browser::worker_client::{reason, Client};
use crate::sync::remote::{Answer, Request};
use crate::sync::save::{SaveOutcome, SaveRequest};
use crate::sync::transport::StoreError;
use js_sys::{Promise, Uint8Array};
use runoff_worker::codec::{from_bytes, to_bytes};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The worker script Trunk builds beside the page, relative to it.
pub const PATH: &str = "saver.js";

type Handler = Closure<dyn FnMut(JsValue)>;

/// How long a save waits for the worker's answer. A save commits in
/// milliseconds; one not answered by then is taken as interrupted (whether
/// it committed is not known, so it is saved again, in the page).
const SAVE_TIMEOUT_MS: i32 = 5_000;
/// What the timer answers with.
const GONE: &str = "the save worker is gone";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Opening {
    /// The answer to `Open`, still to come.
    Waiting,
    Open,
    Failed,
}

/// A running save worker.
pub struct SaveWorker {
    client: Client,
    opening: Rc<Cell<Opening>>,
    /// What it was opened with: database and channel.
    opened_with: (String, Option<String>),
    /// Take the answer to `Open`, or its failure, so that no rejection is
    /// left unhandled.
    _on_open: [Handler; 2],
}

thread_local! {
    /// One worker per page, kept when the page shows another segment.
    static SHARED: RefCell<Option<Rc<SaveWorker>>> = const { RefCell::new(None) };
}

fn bytes(request: &Request) -> JsValue {
    Uint8Array::from(to_bytes(request).unwrap_or_default().as_slice()).into()
}

fn answer(value: JsValue) -> Result<Answer, StoreError> {
    let bytes = Uint8Array::new(&value).to_vec();
    from_bytes(&bytes).map_err(|e| StoreError(format!("the save worker's answer does not read: {e}")))
}

impl SaveWorker {
    /// The page's save worker for `database`, announcing saves on
    /// `channel` (none where the page has no `BroadcastChannel`): started
    /// and asked to open the database now, without waiting for it. `None`
    /// where no worker can be started.
    pub fn shared(path: &str, database: &str, channel: Option<&str>) -> Option<Rc<SaveWorker>> {
        let wanted = (database.to_string(), channel.map(str::to_string));
        SHARED.with(|shared| {
            let mut shared = shared.borrow_mut();
            let reusable = shared.as_ref().is_some_and(|w| {
                w.opened_with == wanted && w.client.failed().is_none() && w.opening.get() != Opening::Failed
            });
            if !reusable {
                let client = Client::start(path, "save worker").ok()?;
                let open = client.ask(&bytes(&Request::Open { database: wanted.0.clone(), channel: wanted.1.clone() }));
                let opening = Rc::new(Cell::new(Opening::Waiting));
                let on_open = {
                    let opening = opening.clone();
                    Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
                        let opened = v.is_instance_of::<Uint8Array>() && matches!(answer(v), Ok(Answer::Opened));
                        opening.set(if opened { Opening::Open } else { Opening::Failed });
                    })
                };
                let on_failed = {
                    let opening = opening.clone();
                    Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| opening.set(Opening::Failed))
                };
                let _ = open.then2(&on_open, &on_failed);
                let on_open = [on_open, on_failed];
                *shared = Some(Rc::new(SaveWorker { client, opening, opened_with: wanted, _on_open: on_open }));
            }
            shared.clone()
        })
    }

    /// Whether the worker has the database open, as it has said; no
    /// waiting for it.
    fn ready(&self) -> bool {
        self.opening.get() == Opening::Open && self.client.failed().is_none()
    }

    /// Runs `request` in the worker. `None` when the worker is not there to
    /// run it: the caller saves in its own thread.
    pub async fn save(&self, request: &SaveRequest) -> Option<Result<SaveOutcome, StoreError>> {
        if !self.ready() {
            return None;
        }
        let base = request.base.as_ref().map(|b| b.sync_version);
        let asked = self.client.ask(&bytes(&Request::Save(request.clone(), base)));
        // A worker that closed itself, or hangs, raises no error: after
        // this long it is taken for gone, and the page saves itself from
        // then on.
        let late = Promise::new(&mut |resolve, _| {
            let timer = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into()).ok();
            if let Some(f) = timer.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
                let _ = f.call3(&JsValue::NULL, &resolve, &SAVE_TIMEOUT_MS.into(), &JsValue::from_str(GONE));
            }
        });
        let first = Promise::race(&js_sys::Array::of2(&asked, &late));
        Some(match JsFuture::from(first).await {
            Ok(v) if v.as_string().as_deref() == Some(GONE) => {
                self.opening.set(Opening::Failed);
                Err(StoreError(format!(
                    "the save was interrupted: the save worker did not answer within {} s",
                    SAVE_TIMEOUT_MS / 1000
                )))
            }
            Ok(v) => answer(v).and_then(|a| a.outcome(request)),
            // It stopped while saving: whether the save committed is not
            // known, so the tab keeps the change as unsaved and saves it
            // again (a judgement saved twice is the same judgement).
            Err(e) => Err(StoreError(format!("the save was interrupted: {}", reason(e)))),
        })
    }
}
