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
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
    static NEXT: Cell<u32> = const { Cell::new(1) };
}

fn start() -> Result<Running, String> {
    let worker = Worker::new(PATH).map_err(|_| "the session worker could not be started".to_string())?;
    let pending: std::rc::Rc<RefCell<HashMap<u32, Function>>> = Default::default();
    let answers = pending.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let m = Array::from(&e.data());
        let id = m.get(0).as_f64().unwrap_or(-1.0) as u32;
        if let Some(resolve) = answers.borrow_mut().remove(&id) {
            let _ = resolve.call1(&JsValue::NULL, &m);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Ok(Running { worker, pending, _on_message: on_message })
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
        running.worker.post_message(&message).map_err(|_| "the session worker could not be reached".to_string())?;
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
