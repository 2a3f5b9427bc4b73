//! The page's end of a worker it starts by hand (the session-file worker and
//! the save worker; the recalculation worker is yew-agent's): the worker is
//! started from a small script, requests wait until it says it listens, and
//! each request carries a number its answer repeats, so that answers are
//! matched to requests whatever order they come in.
//!
//! Messages are `[id, payload]` both ways; the worker first posts
//! `[READY]`, or `[FAILED, why]` if its WebAssembly did not start. A worker
//! that fails (its script missing, a trap) fails every request waiting and
//! every later one, with a message that says so: nothing waits for ever.

use js_sys::{Array, Function, Promise};
use runoff_worker::{FAILED, READY};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MessageEvent, Worker};

/// The state the worker's listeners share with the client.
#[derive(Default)]
struct Line {
    /// Per request id, the promise's resolve and reject.
    pending: HashMap<u32, (Function, Function)>,
    /// Requests held until the worker says it listens (`None` once it has).
    held: Option<Vec<Array>>,
    /// Why the worker stopped, once it has.
    failed: Option<String>,
}

impl Line {
    fn fail(&mut self, why: &str) {
        self.failed.get_or_insert_with(|| why.to_string());
        self.held = None;
        let why = JsValue::from_str(why);
        for (_, (_, reject)) in self.pending.drain() {
            let _ = reject.call1(&JsValue::NULL, &why);
        }
    }
}

/// A running worker and the requests it has not answered.
pub struct Client {
    worker: Worker,
    line: Rc<RefCell<Line>>,
    next: Cell<u32>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Client {
    /// Starts the worker whose script Trunk builds beside the page as
    /// `path` (`name` says which worker, in messages): a small script loads
    /// Trunk's script and then its WebAssembly (Trunk's worker script
    /// defines the loader but does not run it), as yew-agent starts the
    /// recalculation worker.
    pub fn start(path: &str, name: &str) -> Result<Client, String> {
        let worker = spawn(path, name)?;
        let line = Rc::new(RefCell::new(Line { held: Some(Vec::new()), ..Line::default() }));
        let on_message = {
            let (line, sender, name) = (line.clone(), worker.clone(), name.to_string());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let m = Array::from(&e.data());
                let mut line = line.borrow_mut();
                match m.get(0).as_string().as_deref() {
                    Some(READY) => {
                        for message in line.held.take().unwrap_or_default() {
                            let _ = sender.post_message(&message);
                        }
                    }
                    Some(FAILED) => {
                        let why = m.get(1).as_string().unwrap_or_default();
                        line.fail(&format!("the {name} did not start ({why})"));
                    }
                    _ => {
                        let id = m.get(0).as_f64().unwrap_or(-1.0) as u32;
                        if let Some((resolve, _)) = line.pending.remove(&id) {
                            let _ = resolve.call1(&JsValue::NULL, &m.get(1));
                        }
                    }
                }
            })
        };
        // WebAssembly that traps (a script that does not load is caught by
        // the loader, and said as FAILED).
        let on_error = {
            let (line, name) = (line.clone(), name.to_string());
            Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                // Handled here: the page goes on without the worker, and
                // the error is not the page's uncaught one.
                e.prevent_default();
                line.borrow_mut().fail(&format!("the {name} stopped"));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Client { worker, line, next: Cell::new(1), _on_message: on_message, _on_error: on_error })
    }

    /// Why the worker stopped, if it has.
    pub fn failed(&self) -> Option<String> {
        self.line.borrow().failed.clone()
    }

    /// Sends `payload`; the promise resolves with the answer's payload, or
    /// rejects with a text saying why there is none.
    pub fn ask(&self, payload: &JsValue) -> Promise {
        let id = self.next.get();
        self.next.set(id.wrapping_add(1));
        let message = Array::of2(&JsValue::from(id), payload);
        Promise::new(&mut |resolve, reject| {
            let mut line = self.line.borrow_mut();
            if let Some(why) = line.failed.clone() {
                let _ = reject.call1(&JsValue::NULL, &why.into());
                return;
            }
            line.pending.insert(id, (resolve, reject));
            match line.held.as_mut() {
                Some(queue) => queue.push(message.clone()),
                None => {
                    if self.worker.post_message(&message).is_err() {
                        line.fail("the worker could not be reached");
                    }
                }
            }
        })
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
        self.line.borrow_mut().fail("the worker was stopped");
    }
}

/// Starts the worker whose script Trunk builds beside the page as `path`
/// (see [`Client::start`]); its messages are the caller's to handle.
pub fn spawn(path: &str, name: &str) -> Result<Worker, String> {
    let failed = |_| format!("the {name} could not be started");
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let script = web_sys::Url::new_with_base(path, &href).map_err(failed)?.href();
    let wasm = wasm_beside(&script);
    let loader = Array::of1(
        &format!(
            r#"const failed=(e)=>postMessage(["{FAILED}",String(e)]);try{{importScripts("{script}");wasm_bindgen({{module_or_path:"{wasm}"}}).catch(failed);}}catch(e){{failed(e);}}"#
        )
        .into(),
    );
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&loader, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    Worker::new(&url).map_err(failed)
}

/// The WebAssembly that wasm-bindgen's loader `script` loads: its address
/// with `_bg.wasm` for the `.js` at the end. Only the end: a host or a
/// folder with `.js` in its name (`x.js.org`) is part of the address.
pub(crate) fn wasm_beside(script: &str) -> String {
    format!("{}_bg.wasm", script.strip_suffix(".js").unwrap_or(script))
}

/// The text of a rejected [`Client::ask`].
pub fn reason(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| "the worker failed".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_webassembly_is_named_from_the_end_of_the_address() {
        let at = super::wasm_beside;
        assert_eq!(at("https://x.js.org/app/worker-1a2b.js"), "https://x.js.org/app/worker-1a2b_bg.wasm");
        assert_eq!(at("https://a.b/my.js.app/sessions.js"), "https://a.b/my.js.app/sessions_bg.wasm");
        assert_eq!(at("http://127.0.0.1:8080/range.js"), "http://127.0.0.1:8080/range_bg.wasm");
    }
}
