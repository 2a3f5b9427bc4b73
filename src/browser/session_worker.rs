//! The page's side of the session worker ([`runoff_worker::sessions`]):
//! started the first time a session file is read or written, then kept.
//! Each request carries a number its answer repeats, so that answers are
//! matched to requests whatever order they come in.

use js_sys::{Array, Function, Promise};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

/// The worker script Trunk builds beside the page, relative to it.
const PATH: &str = "sessions.js";

struct Running {
    worker: Worker,
    pending: std::rc::Rc<RefCell<HashMap<u32, Function>>>,
    /// Requests held until the worker says it listens (`None` once it has).
    held: std::rc::Rc<RefCell<Option<Vec<Array>>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
    static NEXT: Cell<u32> = const { Cell::new(1) };
}

/// The worker, started from a small script that loads Trunk's script and
/// then its WebAssembly (Trunk's worker script defines the loader but does
/// not run it), as yew-agent starts the recalculation worker.
fn start() -> Result<Running, String> {
    let failed = |_| "the session worker could not be started".to_string();
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let script = web_sys::Url::new_with_base(PATH, &href).map_err(failed)?.href();
    let wasm = script.replace(".js", "_bg.wasm");
    let loader = Array::of1(&format!(r#"importScripts("{script}");wasm_bindgen("{wasm}");"#).into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&loader, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let worker = Worker::new(&url).map_err(failed)?;
    let pending: std::rc::Rc<RefCell<HashMap<u32, Function>>> = Default::default();
    let held: std::rc::Rc<RefCell<Option<Vec<Array>>>> = std::rc::Rc::new(RefCell::new(Some(Vec::new())));
    let (answers, queue, sender) = (pending.clone(), held.clone(), worker.clone());
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let m = Array::from(&e.data());
        if m.get(0).as_string().as_deref() == Some(runoff_worker::sessions::READY) {
            for message in queue.borrow_mut().take().unwrap_or_default() {
                let _ = sender.post_message(&message);
            }
            return;
        }
        let id = m.get(0).as_f64().unwrap_or(-1.0) as u32;
        if let Some(resolve) = answers.borrow_mut().remove(&id) {
            let _ = resolve.call1(&JsValue::NULL, &m);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Ok(Running { worker, pending, held, _on_message: on_message })
}

/// Asks the session worker for `job` ([`runoff_worker::sessions::READ`] or
/// `YAML`) on `text`; its text, or why there is none.
pub async fn ask(job: &str, text: &str, segment: &str) -> Result<String, String> {
    let id = NEXT.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    });
    let answer = RUNNING.with(|r| -> Result<Promise, String> {
        let mut r = r.borrow_mut();
        if r.is_none() {
            *r = Some(start()?);
        }
        let running = r.as_ref().ok_or("the session worker is not running")?;
        let promise = Promise::new(&mut |resolve, _| {
            running.pending.borrow_mut().insert(id, resolve);
        });
        let message = Array::of4(&JsValue::from(id), &job.into(), &text.into(), &segment.into());
        match running.held.borrow_mut().as_mut() {
            Some(queue) => queue.push(message),
            None => running.worker.post_message(&message).map_err(|_| "the session worker could not be reached".to_string())?,
        }
        Ok(promise)
    })?;
    let m = Array::from(&JsFuture::from(answer).await.map_err(|_| "the session worker failed".to_string())?);
    let out = m.get(2).as_string().unwrap_or_default();
    if m.get(1).as_bool() == Some(true) {
        Ok(out)
    } else {
        Err(out)
    }
}
