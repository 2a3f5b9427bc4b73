//! The page's side of the session worker ([`runoff_worker::sessions`]):
//! started the first time a session file is read or written, then kept.

use crate::browser::worker_client::{reason, Client};
use js_sys::{Array, Promise};
use std::cell::RefCell;
use wasm_bindgen_futures::JsFuture;

/// The worker script Trunk builds beside the page, relative to it.
const PATH: &str = "sessions.js";

thread_local! {
    static RUNNING: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// Asks the session worker for `job` ([`runoff_worker::sessions::READ`] or
/// `YAML`) on `text`; its text, or why there is none.
pub async fn ask(job: &str, text: &str, segment: &str) -> Result<String, String> {
    let answer = RUNNING.with(|r| -> Result<Promise, String> {
        let mut r = r.borrow_mut();
        if r.as_ref().is_none_or(|c| c.failed().is_some()) {
            *r = Some(Client::start(PATH, "session worker")?);
        }
        let client = r.as_ref().ok_or("the session worker is not running")?;
        Ok(client.ask(&Array::of3(&job.into(), &text.into(), &segment.into())))
    })?;
    let m = Array::from(&JsFuture::from(answer).await.map_err(reason)?);
    let out = m.get(1).as_string().unwrap_or_default();
    if m.get(0).as_bool() == Some(true) {
        Ok(out)
    } else {
        Err(out)
    }
}
