//! The page's side of the range worker ([`runoff_worker::range`], built
//! from `worker/src/bin/range.rs`): started the first time a range is
//! asked for; every answer goes to one listener. The page sends its jobs as
//! bincode (the encoder of the recalculation's messages); the worker
//! answers in plain values, so the page carries no decoder for them. Requests wait until the
//! worker says it listens. A worker that fails is reported to the listener
//! once, and the next request starts a new one.

use crate::browser::worker_client::spawn;
use runoff_worker::range::{RangeAnswer, RangeJob, RangeState};
use runoff_worker::{codec, FAILED, READY};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MessageEvent, Worker};

/// The worker script Trunk builds beside the page, relative to it.
const PATH: &str = "range.js";

/// What the listener hears: an answer, or why the worker stopped.
pub type Listener = Rc<dyn Fn(Result<RangeAnswer, String>)>;

/// An answer from `[run, done, total, state, text, csv]` (the range
/// worker's `post`).
fn answer(run: f64, m: &js_sys::Array) -> RangeAnswer {
    let text = |k| m.get(k).as_string().unwrap_or_default();
    let state = match text(3).as_str() {
        "running" => RangeState::Running,
        "done" => RangeState::Done { markup: text(4), csv: text(5) },
        "cancelled" => RangeState::Cancelled,
        _ => RangeState::Failed(text(4)),
    };
    let n = |k| m.get(k).as_f64().unwrap_or(0.0) as u32;
    RangeAnswer { run: run as u64, done: n(1), total: n(2), state }
}

/// A running range worker.
pub struct RangeWorker {
    worker: Worker,
    /// Requests held until the worker listens (`None` once it does).
    held: Rc<RefCell<Option<Vec<JsValue>>>>,
    failed: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl RangeWorker {
    pub fn start(listener: Listener) -> Result<RangeWorker, String> {
        let worker = spawn(PATH, "range worker")?;
        let held = Rc::new(RefCell::new(Some(Vec::<JsValue>::new())));
        let failed = Rc::new(Cell::new(false));
        let on_message = {
            let (held, failed, listener, sender) = (held.clone(), failed.clone(), listener.clone(), worker.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let m = js_sys::Array::from(&e.data());
                if let Some(run) = m.get(0).as_f64() {
                    return listener(Ok(answer(run, &m)));
                }
                match m.get(0).as_string().as_deref() {
                    Some(READY) => {
                        for message in held.borrow_mut().take().unwrap_or_default() {
                            let _ = sender.post_message(&message);
                        }
                    }
                    Some(FAILED) => {
                        failed.set(true);
                        let why = m.get(1).as_string().unwrap_or_default();
                        listener(Err(format!("the range worker did not start ({why})")));
                    }
                    _ => {}
                }
            })
        };
        let on_error = {
            let (failed, listener) = (failed.clone(), listener.clone());
            Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                e.prevent_default();
                failed.set(true);
                listener(Err("the range worker stopped".into()));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(RangeWorker { worker, held, failed, _on_message: on_message, _on_error: on_error })
    }

    /// Whether the worker has stopped (a new one is then needed).
    pub fn failed(&self) -> bool {
        self.failed.get()
    }

    pub fn send(&self, job: &RangeJob) -> Result<(), String> {
        let bytes = codec::to_bytes(job)?;
        let message: JsValue = js_sys::Uint8Array::from(bytes.as_slice()).into();
        match self.held.borrow_mut().as_mut() {
            Some(queue) => queue.push(message),
            None => {
                self.worker.post_message(&message).map_err(|_| "the range worker could not be reached".to_string())?
            }
        }
        Ok(())
    }
}

impl Drop for RangeWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
