//! The save worker's entry point: it hands each request from the page to
//! [`runoff_app::browser::saver::SaveThread`] and posts the answer back
//! under the request's id.

use runoff_app::browser::saver::SaveThread;
use runoff_worker::READY;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let thread = Rc::new(SaveThread::default());
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let m = js_sys::Array::from(&e.data());
        let payload = m.get(1);
        // Anything but bytes reads as an empty request, which is answered
        // as one that does not read.
        let bytes = payload.dyn_ref::<js_sys::Uint8Array>().map(|b| b.to_vec()).unwrap_or_default();
        let id = m.get(0);
        let (thread, reply_to) = (thread.clone(), reply_to.clone());
        // Started in the order the requests came: each save's transaction
        // is created before the next one's, so IndexedDB runs them in order.
        spawn_local(async move {
            let answer = thread.answer(&bytes).await;
            let reply = js_sys::Array::of2(&id, &js_sys::Uint8Array::from(answer.as_slice()));
            // A page that is gone cannot be answered; nothing else can fail.
            let _ = reply_to.post_message(&reply);
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&js_sys::Array::of1(&JsValue::from_str(READY)));
}
