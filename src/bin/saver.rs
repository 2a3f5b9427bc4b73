//! The save worker's entry point: it hands each request from the page to
//! [`runoff_app::browser::saver::SaveThread`] and answers with what that
//! says.

use runoff_app::browser::saver::SaveThread;
use runoff_worker::envelope;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

fn main() {
    let thread = Rc::new(SaveThread::default());
    envelope::serve(move |payload| {
        // Anything but bytes reads as an empty request, which is answered
        // as one that does not read.
        let bytes = payload.dyn_ref::<js_sys::Uint8Array>().map(|b| b.to_vec()).unwrap_or_default();
        let thread = thread.clone();
        async move { JsValue::from(js_sys::Uint8Array::from(thread.answer(&bytes).await.as_slice())) }
    });
}
