//! The session worker's entry point: it answers each message from the
//! page with [`runoff_worker::sessions::run`] (see that module for the
//! messages' form).

use runoff_worker::{envelope, sessions};
use wasm_bindgen::JsValue;

fn main() {
    envelope::serve(|job| {
        let job = js_sys::Array::from(&job);
        let text = |k: u32| job.get(k).as_string().unwrap_or_default();
        let (ok, out) = match sessions::run(&text(0), &text(1), &text(2)) {
            Ok(t) => (true, t),
            Err(e) => (false, e),
        };
        let answer: JsValue = js_sys::Array::of2(&JsValue::from_bool(ok), &JsValue::from_str(&out)).into();
        std::future::ready(answer)
    });
}
