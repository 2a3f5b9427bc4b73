//! Files the page names by URL, read in the worker: a claims file of
//! several megabytes (an object URL) then never passes through the page's
//! thread, and a sample served beside the page (a relative URL) is fetched
//! while the worker starts. The
//! last one read is kept, since a preview reads the same file again with
//! each change of its mapping.
//!
//! A file is read in the chunks the browser gives, and the worker says how
//! far it is on a `BroadcastChannel` ([`PROGRESS_CHANNEL`]): the page's
//! import panel shows it, and takes a long silence for a worker that has
//! stopped answering. The page cancels a read on the same channel; the
//! worker sees it between chunks. Messages are text, tab-separated: the
//! file's URL first (object URLs are unique, so other tabs and other files
//! pass them over), then the phase, then bytes read and the file's size.

use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The channel of an import's progress and of its cancelling.
pub const PROGRESS_CHANNEL: &str = "runoff-import";

/// The phases of reading a file, as the messages name them:
/// `url\treading\tbytes read\tsize` (size 0 when unknown), then
/// `url\tparsing`, then `url\tbuilding` when the rows are read and the
/// triangles are being made.
pub const READING: &str = "reading";
pub const PARSING: &str = "parsing";
pub const BUILDING: &str = "building";
/// `url\tcancel`, from the page: stop reading that file.
pub const CANCEL: &str = "cancel";

/// What a read stopped by the page answers.
pub const CANCELLED: &str = "the import was cancelled";

/// Bytes between two progress messages at least (and a hundredth of the
/// file): a message per chunk of a large file would be thousands.
const PROGRESS_STEP: usize = 512 * 1024;

thread_local! {
    static LAST: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
}

/// The open channel, the URLs being read and those the page cancelled.
struct Channel {
    channel: JsValue,
    _listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
    reading: Vec<String>,
    cancelled: Vec<String>,
}

/// Calls a method of a JavaScript object by name: the channel and the
/// stream reader are used through these few calls rather than through
/// more of web-sys's bindings.
fn call(target: &JsValue, method: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let f: js_sys::Function = js_sys::Reflect::get(target, &method.into())?.dyn_into()?;
    match args {
        [] => f.call0(target),
        [a] => f.call1(target, a),
        _ => Err("too many arguments".into()),
    }
}

/// Opens the channel on first use; `None` where the browser has none (the
/// file is then read without progress or cancelling).
fn with_channel<R>(f: impl FnOnce(&mut Channel) -> R) -> Option<R> {
    CHANNEL.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            let ctor = js_sys::Reflect::get(&js_sys::global(), &"BroadcastChannel".into()).ok()?;
            let ctor: js_sys::Function = ctor.dyn_into().ok()?;
            let channel = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&PROGRESS_CHANNEL.into())).ok()?;
            let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
                let Some(text) = e.data().as_string() else { return };
                if let Some(url) = text.strip_suffix(&format!("\t{CANCEL}")) {
                    // Only a read under way is cancelled, so a cancel that
                    // comes late cannot stop the next read of the file.
                    CHANNEL.with(|c| {
                        if let Some(c) = c.borrow_mut().as_mut() {
                            if c.reading.iter().any(|u| u == url) && !c.cancelled.iter().any(|u| u == url) {
                                c.cancelled.push(url.to_string());
                            }
                        }
                    });
                }
            });
            js_sys::Reflect::set(&channel, &"onmessage".into(), listener.as_ref()).ok()?;
            *c = Some(Channel { channel, _listener: listener, reading: Vec::new(), cancelled: Vec::new() });
        }
        c.as_mut().map(f)
    })
}

/// Tells the page how far the read of `url` is.
pub fn progress(url: &str, phase: &str, done: usize, total: usize) {
    let text = if phase == READING { format!("{url}\t{phase}\t{done}\t{total}") } else { format!("{url}\t{phase}") };
    with_channel(|c| {
        let _ = call(&c.channel, "postMessage", &[&text.into()]);
    });
}

fn cancelled(url: &str) -> bool {
    with_channel(|c| c.cancelled.iter().any(|u| u == url)).unwrap_or(false)
}

/// A read under way: registered so that the page can cancel it, and
/// forgotten however it ends.
struct Reading(String);

impl Reading {
    fn start(url: &str) -> Reading {
        with_channel(|c| c.reading.push(url.to_string()));
        Reading(url.to_string())
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        let url = &self.0;
        with_channel(|c| {
            if let Some(k) = c.reading.iter().position(|u| u == url) {
                c.reading.remove(k);
            }
            c.cancelled.retain(|u| u != url);
        });
    }
}

/// The text of the file at `url`; the error says what failed, or
/// [`CANCELLED`].
pub async fn text(url: &str) -> Result<String, String> {
    if let Some(text) = LAST.with(|l| l.borrow().as_ref().filter(|(u, _)| u == url).map(|(_, t)| t.clone())) {
        return Ok(text);
    }
    let _reading = Reading::start(url);
    let failed = |what: &str| format!("the file could not be read: {what}");
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    progress(url, READING, 0, 0);
    let response = JsFuture::from(scope.fetch_with_str(url)).await.map_err(|_| failed("it is no longer there"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failed("no answer"))?;
    if !response.ok() {
        return Err(failed(&format!("the server answered {}", response.status())));
    }
    let total = js_sys::Reflect::get(&response, &"headers".into())
        .and_then(|h| call(&h, "get", &[&"content-length".into()]))
        .ok()
        .and_then(|v| v.as_string())
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let body = js_sys::Reflect::get(&response, &"body".into()).unwrap_or(JsValue::NULL);
    let reader = if body.is_object() { call(&body, "getReader", &[]).ok() } else { None };
    let Some(reader) = reader else {
        // No stream (an empty body): the whole text at once.
        let text = response.text().map_err(|_| failed("it is not text"))?;
        let text =
            JsFuture::from(text).await.ok().and_then(|t| t.as_string()).ok_or_else(|| failed("it is not text"))?;
        LAST.with(|l| *l.borrow_mut() = Some((url.to_string(), text.clone())));
        return Ok(text);
    };
    let mut bytes: Vec<u8> = Vec::with_capacity(total);
    let mut told = 0usize;
    let step = PROGRESS_STEP.max(total / 100);
    loop {
        if cancelled(url) {
            let _ = call(&reader, "cancel", &[]);
            return Err(CANCELLED.into());
        }
        let next = call(&reader, "read", &[]).map_err(|_| failed("it could not be read"))?;
        let next = JsFuture::from(js_sys::Promise::from(next)).await.map_err(|_| failed("it could not be read"))?;
        if js_sys::Reflect::get(&next, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let chunk = js_sys::Reflect::get(&next, &"value".into()).map_err(|_| failed("it could not be read"))?;
        let chunk: js_sys::Uint8Array = chunk.dyn_into().map_err(|_| failed("it is not text"))?;
        let start = bytes.len();
        bytes.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[start..]);
        if bytes.len() - told >= step {
            told = bytes.len();
            progress(url, READING, told, total);
        }
    }
    if cancelled(url) {
        return Err(CANCELLED.into());
    }
    progress(url, READING, bytes.len(), total.max(bytes.len()));
    // As `Response.text()` decodes: UTF-8, a malformed byte replaced.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    LAST.with(|l| *l.borrow_mut() = Some((url.to_string(), text.clone())));
    Ok(text)
}
