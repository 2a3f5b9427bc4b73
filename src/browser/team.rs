//! The page's side of a team server (`runoff serve`): whether the page was
//! served by one, the user's access token kept in this browser, and calls
//! to its API with that token.
//!
//! A team server adds `<meta name="runoff-server" content="api/">` to the
//! `index.html` it sends; the same files on a static host have none, and
//! the page then keeps everything in the browser as it always does.
//!
//! The token is kept in `localStorage`, so that every tab of the site is
//! signed in and a reload does not ask again; signing out removes it. (A
//! token sent in every call cannot be an `HttpOnly` cookie; the page's
//! Content Security Policy runs no script but its own.)

use crate::browser::storage;
use crate::sync::sse::{EventStream, Item};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Where the token is kept.
const TOKEN_KEY: &str = "runoff.team-token";

/// The API's address relative to the page, when a team server sent it.
pub fn api() -> Option<String> {
    let meta = gloo::utils::document().query_selector("meta[name=\"runoff-server\"]").ok().flatten()?;
    meta.get_attribute("content").filter(|c| !c.is_empty())
}

/// The token kept in this browser, if any.
pub fn kept_token() -> Option<String> {
    storage::get(TOKEN_KEY).ok().flatten().filter(|t| !t.trim().is_empty())
}

/// Keeps `token` for the next visit; the error says why it could not be.
pub fn keep_token(token: &str) -> Result<(), storage::StorageError> {
    storage::set(TOKEN_KEY, token)
}

/// Forgets the token kept.
pub fn forget_token() {
    let _ = storage::remove(TOKEN_KEY);
}

/// Why a call to the team server gave no answer to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamError {
    /// The token is not (or no longer) valid.
    SignInRequired,
    /// The server was not reached.
    Unreachable(String),
    /// The server refused the call: its status and what it said.
    Refused(u16, String),
}

impl std::fmt::Display for TeamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TeamError::SignInRequired => write!(f, "the access token is not valid"),
            TeamError::Unreachable(e) => write!(f, "the team server cannot be reached ({e})"),
            TeamError::Refused(status, e) => write!(f, "the team server refused ({status}): {e}"),
        }
    }
}

impl From<TeamError> for crate::sync::transport::StoreError {
    fn from(e: TeamError) -> Self {
        crate::sync::transport::StoreError(e.to_string())
    }
}

/// An answer's JSON, read within `limit` bytes.
pub fn answer(text: &str, limit: usize) -> Result<runoff_engine::session::Value, crate::sync::transport::StoreError> {
    crate::sync::json::parse_within(text, limit)
        .map_err(|e| crate::sync::transport::StoreError(format!("the team server answered what is not JSON: {e}")))
}

/// A body to send.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    Json(&'a str),
    /// Bytes of the page's own form, and its content type.
    Binary(&'static str, &'a [u8]),
}

/// `method path` on the API `api`, with `token`: the answer's text.
pub async fn call(
    api: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Body<'_>>,
) -> Result<String, TeamError> {
    let response = send(api, token, method, path, body, None, None).await?;
    Ok(text_of(&response).await)
}

/// `GET path` on the API `api`, with `token`, asking for the form `accept`:
/// the answer's bytes.
pub async fn get_bytes(api: &str, token: &str, path: &str, accept: &str) -> Result<Vec<u8>, TeamError> {
    let response = send(api, token, "GET", path, None, Some(accept), None).await?;
    let buffer = match response.array_buffer() {
        Ok(p) => JsFuture::from(p).await.map_err(|_| TeamError::Unreachable("the answer broke off".into()))?,
        Err(_) => return Err(TeamError::Unreachable("the answer has no body".into())),
    };
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

async fn text_of(response: &web_sys::Response) -> String {
    match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Sends a call (which `signal` can abort); a refusal is the error its
/// status and body say.
async fn send(
    api: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Body<'_>>,
    accept: Option<&str>,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<web_sys::Response, TeamError> {
    let unreachable = |what: &str| TeamError::Unreachable(what.to_string());
    let window = web_sys::window().ok_or_else(|| unreachable("there is no window"))?;
    let headers = web_sys::Headers::new().map_err(|_| unreachable("no headers"))?;
    // A token holds only the characters a header value may; anything else
    // is no token, and the browser would refuse the header.
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(TeamError::SignInRequired);
    }
    headers.set("Authorization", &format!("Bearer {token}")).map_err(|_| TeamError::SignInRequired)?;
    if let Some(accept) = accept {
        headers.set("Accept", accept).map_err(|_| unreachable("no headers"))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    match body {
        Some(Body::Json(text)) => {
            headers.set("Content-Type", "application/json").map_err(|_| unreachable("no headers"))?;
            init.set_body(&wasm_bindgen::JsValue::from_str(text));
        }
        Some(Body::Binary(kind, bytes)) => {
            headers.set("Content-Type", kind).map_err(|_| unreachable("no headers"))?;
            init.set_body(&js_sys::Uint8Array::from(bytes));
        }
        None => {}
    }
    init.set_headers(&headers);
    init.set_signal(signal);
    let url = format!("{api}{path}");
    let response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|_| unreachable("the request failed"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| unreachable("no response"))?;
    match response.status() {
        200..=299 => Ok(response),
        401 => Err(TeamError::SignInRequired),
        status => Err(TeamError::Refused(status, error_of(&text_of(&response).await))),
    }
}

/// What a refusal's body (`{"error": "…"}`) says, or the body itself.
fn error_of(body: &str) -> String {
    crate::sync::json::parse(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
        .unwrap_or_else(|| body.chars().take(200).collect())
}

/// The name of the user whose token `token` is.
pub async fn user(api: &str, token: &str) -> Result<String, TeamError> {
    let text = call(api, token, "GET", "me", None).await?;
    crate::sync::json::parse(&text)
        .ok()
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .ok_or_else(|| TeamError::Refused(200, format!("`me` answered what is not a user: {}", error_of(&text))))
}

/// How the stream of the server's messages stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    /// Attached: every change from now on arrives. (Changes made while it
    /// was not are read by catching up.)
    Listening,
    /// Lost; it is opened again after a pause.
    Lost(String),
    /// The token is no longer accepted: not opened again.
    SignedOut,
}

/// The server's messages followed until this is dropped.
pub struct Events {
    alive: Rc<Cell<bool>>,
    abort: Rc<RefCell<Option<web_sys::AbortController>>>,
}

impl Drop for Events {
    fn drop(&mut self) {
        self.alive.set(false);
        if let Some(c) = self.abort.borrow_mut().take() {
            c.abort();
        }
    }
}

/// The pauses before opening a lost stream again: short at first, for a
/// server that restarts, then every [`MAX_PAUSE_MS`].
const FIRST_PAUSE_MS: u32 = 250;
const MAX_PAUSE_MS: u32 = 8_000;

/// Follows `GET api/events`: `on_text` hears each message's text, and
/// `on_stream` how the stream stands. A lost stream is opened again,
/// after a pause that grows while it stays lost.
pub fn follow(
    api: &str,
    token: &str,
    on_text: impl Fn(String) + 'static,
    on_stream: impl Fn(Stream) + 'static,
) -> Events {
    let alive = Rc::new(Cell::new(true));
    let abort = Rc::new(RefCell::new(None::<web_sys::AbortController>));
    let (api, token) = (api.to_string(), token.to_string());
    {
        let (alive, abort) = (alive.clone(), abort.clone());
        spawn_local(async move {
            let mut pause = FIRST_PAUSE_MS;
            while alive.get() {
                let controller = web_sys::AbortController::new().ok();
                let signal = controller.as_ref().map(|c| c.signal());
                *abort.borrow_mut() = controller;
                let mut attached = false;
                let ended = read_stream(&api, &token, signal.as_ref(), &mut |item| match item {
                    Item::Data(text) => on_text(text),
                    Item::Comment(c) if c == "listening" => {
                        attached = true;
                        on_stream(Stream::Listening);
                    }
                    Item::Comment(_) => {}
                })
                .await;
                if !alive.get() {
                    return;
                }
                match ended {
                    TeamError::SignInRequired => {
                        on_stream(Stream::SignedOut);
                        return;
                    }
                    e => on_stream(Stream::Lost(e.to_string())),
                }
                if attached {
                    pause = FIRST_PAUSE_MS;
                }
                gloo::timers::future::TimeoutFuture::new(pause).await;
                pause = (pause * 2).min(MAX_PAUSE_MS);
            }
        });
    }
    Events { alive, abort }
}

/// Reads the stream until it ends or fails (which it always does, in the
/// end): why it stopped.
async fn read_stream(
    api: &str,
    token: &str,
    signal: Option<&web_sys::AbortSignal>,
    on_item: &mut dyn FnMut(Item),
) -> TeamError {
    let unreachable = |what: &str| TeamError::Unreachable(what.to_string());
    let response = match send(api, token, "GET", "events", None, None, signal).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let Some(body) = response.body() else { return unreachable("the stream has no body") };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut stream = EventStream::default();
    loop {
        let Ok(chunk) = JsFuture::from(reader.read()).await else { return unreachable("the stream broke off") };
        let done = js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
        if done {
            return unreachable("the server ended the stream");
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &"value".into()) else { continue };
        let Ok(bytes) = value.dyn_into::<js_sys::Uint8Array>() else { continue };
        for item in stream.push(&bytes.to_vec()) {
            on_item(item);
        }
    }
}
