//! A `BroadcastChannel` carrying text between the tabs of one origin.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// An open channel and, once set, its message listener.
pub struct Channel {
    channel: BroadcastChannel,
    listener: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl Channel {
    /// Opens the channel `name`; an error where the browser has no
    /// `BroadcastChannel` (the caller falls back to `storage` events).
    pub fn open(name: &str) -> Result<Channel, String> {
        BroadcastChannel::new(name)
            .map(|channel| Channel { channel, listener: None })
            .map_err(|_| "this browser has no BroadcastChannel".to_string())
    }

    /// Posts text to every other channel of the same name.
    pub fn post(&self, text: &str) -> Result<(), String> {
        self.channel.post_message(&text.into()).map_err(|e| format!("cannot post on the channel: {e:?}"))
    }

    /// Calls `f` with the text of each message; messages that are not text
    /// (anyone on the origin can post anything) are passed over.
    pub fn on_message(&mut self, mut f: impl FnMut(String) + 'static) {
        self.on_data(move |data| {
            if let Some(text) = data.as_string() {
                f(text);
            }
        });
    }

    /// Calls `f` with the bytes of each message that is a byte array of at
    /// most `max` bytes; anything else (anyone on the origin can post
    /// anything) is passed over without being copied.
    pub fn on_bytes(&mut self, max: u32, mut f: impl FnMut(Vec<u8>) + 'static) {
        self.on_data(move |data| {
            if let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>() {
                if bytes.length() <= max {
                    f(bytes.to_vec());
                }
            }
        });
    }

    /// Calls `f` with the data of each message, whatever it is: for a
    /// receiver that checks and counts what does not fit.
    pub fn on_data(&mut self, mut f: impl FnMut(JsValue) + 'static) {
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| f(e.data()));
        self.channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        self.listener = Some(listener);
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
