//! The worker's end of the messages between the page and a worker it starts
//! by hand (the session-file worker, the save worker; the page's end is the
//! app's `browser::worker_client`): requests come as `[id, payload]` and
//! each is answered as `[id, answer]`, in the order the requests came; the
//! worker first posts `[READY]`, once it listens.

use std::future::Future;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// What the worker posts once it listens, as `[READY]`.
pub const READY: &str = "ready";
/// What the worker's loader posts, as `[FAILED, why]`, when its
/// WebAssembly does not start.
pub const FAILED: &str = "failed";

/// Answers each request's payload with `answer`'s, from now on.
pub fn serve<F, A>(answer: F)
where
    F: Fn(JsValue) -> A + 'static,
    A: Future<Output = JsValue> + 'static,
{
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let m = js_sys::Array::from(&e.data());
        let (id, answered) = (m.get(0), answer(m.get(1)));
        let reply_to = reply_to.clone();
        // Started in the order the requests came (a save's transaction is
        // then created before the next one's, and IndexedDB runs them in
        // that order).
        wasm_bindgen_futures::spawn_local(async move {
            let reply = js_sys::Array::of2(&id, &answered.await);
            // A page that is gone cannot be answered; nothing else can fail.
            let _ = reply_to.post_message(&reply);
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that came before this handler existed are gone: the page
    // sends none until it hears this.
    let _ = scope.post_message(&js_sys::Array::of1(&JsValue::from_str(READY)));
}
