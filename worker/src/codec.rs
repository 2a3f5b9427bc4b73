//! The message codec between the page and the worker: bincode, a compact
//! binary form, in a `Uint8Array`.
//!
//! A binary form that is not self-describing needs far less code to read
//! than one that names its fields: the page's decoder of the worker's
//! answers went from a tenth of its WebAssembly to a few per cent, and the
//! worker's shrank likewise. It keeps NaN and infinities as they are. Its
//! one demand is that no type crossing here uses serde's `flatten` (the
//! engine's results nest in binary and lie flat only in JSON, see
//! `runoff_engine::reserve`). A message that does not read (a page and a
//! worker from different builds, say) is an error the page shows, never a
//! panic in the page.

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use yew_agent::Codec;

/// Messages as bincode bytes.
#[derive(Debug)]
pub struct Binary;

/// A message's bytes.
pub fn to_bytes<I: Serialize>(input: &I) -> Result<Vec<u8>, String> {
    bincode::serde::encode_to_vec(input, bincode::config::standard()).map_err(|e| e.to_string())
}

/// A message from its bytes.
pub fn from_bytes<O: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<O, String> {
    bincode::serde::decode_from_slice(bytes, bincode::config::standard()).map(|(v, _)| v).map_err(|e| e.to_string())
}

impl Codec for Binary {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // Only the app and its own worker exchange these messages, both built
        // from these types: a failure here is a programming error, reported
        // to the console, and the message becomes `undefined`.
        match to_bytes(&input) {
            Ok(bytes) => js_sys::Uint8Array::from(bytes.as_slice()).into(),
            Err(e) => {
                web_log(&format!("runoff worker: cannot encode a message: {e}"));
                JsValue::UNDEFINED
            }
        }
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let bytes = if input.is_instance_of::<js_sys::Uint8Array>() {
            js_sys::Uint8Array::from(input).to_vec()
        } else {
            Vec::new()
        };
        match from_bytes(&bytes) {
            Ok(v) => v,
            Err(e) => match to_bytes(&failed(&e)).and_then(|b| from_bytes(&b)) {
                Ok(v) => v,
                // Only a request can get here (answers always take the
                // fallback), so only the worker stops; the page reports a
                // worker that does not answer.
                Err(_) => panic!("runoff worker: undecodable request: {e}"),
            },
        }
    }
}

/// The answer that stands for one that did not read.
fn failed(problem: &str) -> crate::Answer {
    web_log(&format!("runoff: cannot decode a worker message: {problem}"));
    crate::Answer::Failed(format!("the worker's answer could not be read ({problem})"))
}

fn web_log(message: &str) {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = console, js_name = error)]
        fn console_error(s: &str);
    }
    #[cfg(target_arch = "wasm32")]
    console_error(message);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = message;
}
