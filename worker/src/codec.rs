//! The message codec between the page and the worker.
//!
//! yew-agent's default codec (bincode) cannot carry self-describing serde
//! shapes such as flattened structs, which the engine's results use to match
//! the reference JSON. Converting to plain JavaScript values with
//! serde-wasm-bindgen carries any serde shape, keeps NaN and infinities as
//! numbers, and is cheap to post (structured clone, no byte buffers to parse).

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use yew_agent::Codec;

/// Messages as structured JavaScript values.
#[derive(Debug)]
pub struct Structured;

impl Codec for Structured {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // Only the app and its own worker exchange these messages, both built
        // from these types: a failure here is a programming error, reported
        // to the console, and the message becomes `undefined`.
        serde_wasm_bindgen::to_value(&input).unwrap_or_else(|e| {
            web_log(&format!("runoff worker: cannot encode a message: {e}"));
            JsValue::UNDEFINED
        })
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        match serde_wasm_bindgen::from_value(input) {
            Ok(v) => v,
            Err(e) => match serde_wasm_bindgen::from_value(error_answer(&e.to_string())) {
                Ok(v) => v,
                // Only a request can get here (answers always take the
                // fallback), so only the worker stops; the page reports a
                // worker that does not answer.
                Err(_) => panic!("runoff worker: undecodable request: {e}"),
            },
        }
    }
}

/// A message that does not decode (a page and a worker from different builds,
/// say) becomes [`Answer::Failed`](crate::Answer::Failed), so that the page
/// shows an alert instead of dying.
fn error_answer(problem: &str) -> JsValue {
    web_log(&format!("runoff: cannot decode a worker message: {problem}"));
    let answer = crate::Answer::Failed(format!("the worker's answer could not be read ({problem})"));
    serde_wasm_bindgen::to_value(&answer).unwrap_or(JsValue::UNDEFINED)
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
