//! The session worker's entry point: it answers each message from the
//! page with [`runoff_worker::sessions::run`] (see that module for the
//! messages' form).

use runoff_worker::{sessions, READY};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let m = js_sys::Array::from(&e.data());
        let job = js_sys::Array::from(&m.get(1));
        let text = |k: u32| job.get(k).as_string().unwrap_or_default();
        let (ok, out) = match sessions::run(&text(0), &text(1), &text(2)) {
            Ok(t) => (true, t),
            Err(e) => (false, e),
        };
        let answer = js_sys::Array::of2(&JsValue::from_bool(ok), &JsValue::from_str(&out));
        let reply = js_sys::Array::of2(&m.get(0), &answer);
        // A page that is gone cannot be answered; nothing else can fail.
        let _ = reply_to.post_message(&reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that came before this handler existed are gone: the page
    // sends none until it hears this.
    let _ = scope.post_message(&js_sys::Array::of1(&JsValue::from_str(READY)));
}
