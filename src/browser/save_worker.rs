//! The page's end of the save worker ([`crate::browser::saver`]), which
//! runs the tab's saves off the page's thread (why: [`crate::sync::remote`]).
//!
//! It is started with the tab's storage and opens the same database; until
//! it answers, the first save waits for it. Where it cannot run (its script
//! missing, IndexedDB refused to it, a trap), [`SaveWorker::save`] says so
//! and the tab saves in its own thread, as before, with the same rule.
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
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The worker script Trunk builds beside the page, relative to it.
pub const PATH: &str = "saver.js";

/// How long the first save waits for the worker to open the database.
const OPEN_TIMEOUT_MS: i32 = 5_000;

enum Opening {
    /// The answer to `Open`, still to come.
    Waiting(Promise),
    Open,
    Failed,
}

/// A running save worker.
pub struct SaveWorker {
    client: Client,
    opening: RefCell<Opening>,
    /// What it was opened with: database and channel.
    opened_with: (String, Option<String>),
    /// Handles a failure to open before any save awaits it.
    _handled: Closure<dyn FnMut(JsValue)>,
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
                w.opened_with == wanted && w.client.failed().is_none() && !matches!(*w.opening.borrow(), Opening::Failed)
            });
            if !reusable {
                let client = Client::start(path, "save worker").ok()?;
                let open = client.ask(&bytes(&Request::Open { database: wanted.0.clone(), channel: wanted.1.clone() }));
                // Awaited only at the first save: a worker that fails before
                // then must not leave a rejection unhandled in the page. A
                // failure resolves as `undefined`, which is not `Opened`.
                let handled = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
                let open = open.catch(&handled);
                *shared = Some(Rc::new(SaveWorker {
                    client,
                    opening: RefCell::new(Opening::Waiting(open)),
                    opened_with: wanted,
                    _handled: handled,
                }));
            }
            shared.clone()
        })
    }

    /// Whether the worker has the database open, waiting for it to say so.
    async fn ready(&self) -> bool {
        let waiting = match &*self.opening.borrow() {
            Opening::Waiting(p) => p.clone(),
            Opening::Open => return self.client.failed().is_none(),
            Opening::Failed => return false,
        };
        // A worker that neither opens nor fails (its download stalled) must
        // not hold the saves back: after this long the page saves itself.
        let late = Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, OPEN_TIMEOUT_MS);
            }
        });
        let first = Promise::race(&js_sys::Array::of2(&waiting, &late));
        let opened = match JsFuture::from(first).await {
            Ok(v) => matches!(answer(v), Ok(Answer::Opened)),
            Err(_) => false,
        };
        let mut opening = self.opening.borrow_mut();
        if matches!(*opening, Opening::Waiting(_)) {
            *opening = if opened { Opening::Open } else { Opening::Failed };
        }
        opened && self.client.failed().is_none()
    }

    /// Runs `request` in the worker. `None` when the worker is not there to
    /// run it: the caller saves in its own thread.
    pub async fn save(&self, request: &SaveRequest) -> Option<Result<SaveOutcome, StoreError>> {
        if !self.ready().await {
            return None;
        }
        let asked = self.client.ask(&bytes(&Request::Save(request.clone())));
        Some(match JsFuture::from(asked).await {
            Ok(v) => answer(v).and_then(|a| a.outcome(request)),
            // It stopped while saving: whether the save committed is not
            // known, so the tab keeps the change as unsaved and saves it
            // again (a judgement saved twice is the same judgement).
            Err(e) => Err(StoreError(format!("the save was interrupted: {}", reason(e)))),
        })
    }
}
