//! The browser's [`Transport`]: one `BroadcastChannel` named for the
//! application, and the `storage`-event fallback.
//!
//! - Posting goes on the channel; where the browser has no
//!   `BroadcastChannel` (or posting on it fails), the message is written to
//!   a localStorage key together with a random token, so that the value
//!   always changes and the `storage` event always fires in the other tabs.
//! - Listening is on both, always: a tab hears a tab of a browser without
//!   the channel too. In the localStorage fallback, writing the session
//!   fires `storage` in the other tabs as well, which is delivered as
//!   [`Signal::Stored`]. The same save may then arrive two or three times;
//!   the version rule makes that harmless.
//! - The channel is closed on `pagehide` and opened again on `pageshow`
//!   (see [`crate::browser::sync`]), so a page in the back/forward cache
//!   holds nothing open.

use crate::browser::channel::Channel;
use crate::browser::storage;
use crate::sync::message::{Message, MAX_MESSAGE_BYTES};
use crate::sync::transport::{Signal, Transport, TransportError};
use gloo::events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::StorageEvent;

/// The channel's name: the application's.
pub const CHANNEL: &str = "runoff";
/// The localStorage key that carries messages where there is no channel.
pub const MESSAGE_KEY: &str = "runoff.message";

type Deliver = Rc<RefCell<Option<Box<dyn FnMut(Signal)>>>>;

/// Hands a signal to the listener, if one is attached. A signal that comes
/// while the listener is still running (it should not: the listener only
/// schedules work) is dropped rather than re-entered; the catch-up rule
/// makes up for it.
fn hand(deliver: &Deliver, signal: Signal) {
    if let Ok(mut slot) = deliver.try_borrow_mut() {
        if let Some(f) = slot.as_mut() {
            f(signal);
        }
    }
}

/// A message as it arrived on the channel: text as it is, anything else
/// as its JSON, so that the receiver reads it strictly and counts what
/// does not fit. (`JSON.stringify` of an object too deep for it throws,
/// which reads as not JSON.) A text naming this tab as its origin, as
/// messages are written (`own`), is the tab's own and is not read at all.
fn signal_of(data: JsValue, own: &[String]) -> Signal {
    if let Some(s) = data.dyn_ref::<js_sys::JsString>() {
        if own.iter().any(|pattern| s.includes(pattern, 0)) {
            return Signal::Own;
        }
    }
    let text = if data.is_string() { Some(data) } else { js_sys::JSON::stringify(&data).ok().map(JsValue::from) };
    Signal::Text(text.map(|t| bounded(&t)).unwrap_or_default())
}

/// How a message from tab `tab_id` names it, as JSON is written with and
/// without a space after the colon. A text of someone else's that holds
/// one of these is ignored as the tab's own: nothing is lost by that,
/// since storage, not the message, is what a tab shows.
fn own_patterns(tab_id: &str) -> Vec<String> {
    let quoted = crate::sync::text::json(&tab_id.into());
    vec![format!("\"origin_tab_id\":{quoted}"), format!("\"origin_tab_id\": {quoted}")]
}

/// A JavaScript string as Rust text, but at most one unit more than
/// [`MAX_MESSAGE_BYTES`]: a longer one is as surely too large (a UTF-16
/// unit is at least a UTF-8 byte), and copying all of a string of any
/// length that a page posts into the WebAssembly memory could exhaust it.
/// The receiver then turns it away as too large.
fn bounded(text: &JsValue) -> String {
    let Some(s) = text.dyn_ref::<js_sys::JsString>() else { return String::new() };
    let limit = MAX_MESSAGE_BYTES as u32;
    if s.length() > limit {
        String::from(s.slice(0, limit + 1))
    } else {
        String::from(s)
    }
}

/// The channel and the `storage` listener of one tab.
pub struct BrowserTransport {
    channel_name: String,
    message_key: String,
    /// Whether this browser has `BroadcastChannel` at all.
    has_channel: bool,
    channel: RefCell<Option<Channel>>,
    /// The localStorage key of the session whose writes are signals (only
    /// in the localStorage fallback).
    session_key: Rc<RefCell<Option<String>>>,
    /// How this tab's own messages name it ([`own_patterns`]).
    own: Rc<[String]>,
    deliver: Deliver,
    _storage: Option<EventListener>,
}

impl BrowserTransport {
    /// Opens the channel `channel_name` (where the browser has one) and
    /// starts listening for `storage` events at once, so that nothing sent
    /// while the page starts is missed: signals that come before
    /// [`Transport::listen`] are dropped, and the first read of the
    /// session, which comes after this, covers them. Messages that tab
    /// `tab_id` sent are recognised before they are read.
    pub fn open(channel_name: &str, message_key: &str, tab_id: &str) -> BrowserTransport {
        let deliver: Deliver = Rc::new(RefCell::new(None));
        let session_key: Rc<RefCell<Option<String>>> = Rc::new(RefCell::new(None));
        let storage = web_sys::window().map(|window| {
            let (deliver, session_key) = (deliver.clone(), session_key.clone());
            let message_key = message_key.to_string();
            EventListener::new(&window, "storage", move |e| {
                let Some(e) = e.dyn_ref::<StorageEvent>() else { return };
                let key = e.key();
                let session_key = session_key.borrow().clone();
                let signal = match key {
                    // Read bounded, as the channel's messages are.
                    Some(k) if k == message_key => js_sys::Reflect::get(e, &"newValue".into())
                        .ok()
                        .filter(JsValue::is_string)
                        .map(|v| Signal::Text(bounded(&v))),
                    Some(k) if Some(&k) == session_key.as_ref() => Some(Signal::Stored(e.new_value())),
                    // `localStorage.clear()` in another tab.
                    None if session_key.is_some() => Some(Signal::Stored(None)),
                    _ => None,
                };
                if let Some(s) = signal {
                    hand(&deliver, s);
                }
            })
        });
        let channel = Channel::open(channel_name).ok();
        let transport = BrowserTransport {
            channel_name: channel_name.to_string(),
            message_key: message_key.to_string(),
            has_channel: channel.is_some(),
            channel: RefCell::new(channel),
            session_key,
            own: own_patterns(tab_id).into(),
            deliver,
            _storage: storage,
        };
        transport.attach();
        transport
    }

    /// Whether messages go on a `BroadcastChannel` (else on localStorage).
    pub fn has_channel(&self) -> bool {
        self.has_channel
    }

    /// In the localStorage fallback, the localStorage key of the session:
    /// `storage` events for it are signals too.
    pub fn watch_session_key(&self, key: Option<String>) {
        *self.session_key.borrow_mut() = key;
    }

    /// Closes the channel (on `pagehide`): a page in the back/forward cache
    /// must hold nothing open, and it catches up when shown again.
    pub fn close(&self) {
        self.channel.borrow_mut().take();
    }

    /// Opens the channel again (on `pageshow`), if it is closed.
    pub fn reopen(&self) {
        if self.has_channel && self.channel.borrow().is_none() {
            *self.channel.borrow_mut() = Channel::open(&self.channel_name).ok();
            self.attach();
        }
    }

    fn attach(&self) {
        if let Some(channel) = self.channel.borrow_mut().as_mut() {
            let (deliver, own) = (self.deliver.clone(), self.own.clone());
            channel.on_data(move |data| hand(&deliver, signal_of(data, &own)));
        }
    }

    fn post_on_storage(&self, message: &Message) -> Result<(), TransportError> {
        let mut value = message.to_value();
        // A new value every time, so `storage` fires even for a message
        // equal to the last one.
        value["token"] = ((js_sys::Math::random() * 1e15) as u64).to_string().into();
        storage::set(&self.message_key, &crate::sync::text::json(&value))
            .map_err(|e| TransportError(format!("the message was not sent: {e}")))
    }
}

impl Transport for BrowserTransport {
    fn post(&self, message: &Message) -> Result<(), TransportError> {
        let on_channel = match self.channel.borrow().as_ref() {
            Some(channel) => channel.post(&message.to_json()).map_err(TransportError),
            None => Err(TransportError("no channel".into())),
        };
        match on_channel {
            Ok(()) => Ok(()),
            // No channel in this browser: the storage key is the way. A
            // channel closed by `pagehide` means the page is hidden; it
            // sends nothing, and the others catch up from storage.
            Err(_) if !self.has_channel => self.post_on_storage(message),
            Err(e) => Err(e),
        }
    }

    fn listen(&self, deliver: Box<dyn FnMut(Signal)>) {
        *self.deliver.borrow_mut() = Some(deliver);
    }
}
