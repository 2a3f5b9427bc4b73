//! JSON text to and from the document type of sessions and messages
//! ([`Value`], the engine's YAML value). In the browser this is the
//! browser's own `JSON.parse` and `JSON.stringify`, which the page has for
//! free: a JSON library with its number formatting and parsing would cost
//! the page's WebAssembly several KB gzipped for work the browser does
//! anyway, and faster. Off the browser (the tests of the sync rules, which
//! run natively) the same two functions are `serde_json`'s; the browser
//! tests hold the two to the same texts.
//!
//! Numbers: a whole number within ±2^53 (every version, age and count)
//! reads as an integer, anything else as a float, as `serde_json` reads
//! `7` and `0.6`. A JSON number that is whole but written with a fraction
//! (`7.0`) is an integer here, since JavaScript does not tell them apart.

use runoff_engine::session::Value;

/// The document in `text`, or what is wrong with it.
pub fn parse(text: &str) -> Result<Value, String> {
    imp::parse(text)
}

/// The document as JSON text, indented by two spaces.
pub fn write(value: &Value) -> String {
    imp::write(value)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Value;

    pub fn parse(text: &str) -> Result<Value, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// A mapping of plain values always serializes; an empty text is the
    /// safe answer if it ever did not.
    pub fn write(value: &Value) -> String {
        serde_json::to_string_pretty(value).unwrap_or_default()
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Value;
    use js_sys::{Array, Object, Reflect, JSON};
    use runoff_engine::session::{Mapping, Number};
    use wasm_bindgen::{JsCast, JsValue};

    /// Beyond this a JavaScript number is no longer every whole number.
    const SAFE: f64 = 9_007_199_254_740_992.0;

    pub fn parse(text: &str) -> Result<Value, String> {
        let js = JSON::parse(text).map_err(|e| {
            e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "not JSON".into())
        })?;
        Ok(from_js(&js))
    }

    fn from_js(v: &JsValue) -> Value {
        if let Some(b) = v.as_bool() {
            Value::Bool(b)
        } else if let Some(x) = v.as_f64() {
            Value::Number(if x.fract() == 0.0 && x.abs() < SAFE {
                if x >= 0.0 {
                    Number::from(x as u64)
                } else {
                    Number::from(x as i64)
                }
            } else {
                Number::from(x)
            })
        } else if let Some(s) = v.as_string() {
            Value::String(s)
        } else if Array::is_array(v) {
            Value::Sequence(Array::from(v).iter().map(|x| from_js(&x)).collect())
        } else if v.is_object() {
            let mut map = Mapping::new();
            for entry in Object::entries(v.unchecked_ref()).iter() {
                let pair = Array::from(&entry);
                map.insert(Value::String(pair.get(0).as_string().unwrap_or_default()), from_js(&pair.get(1)));
            }
            Value::Mapping(map)
        } else {
            Value::Null
        }
    }

    pub fn write(value: &Value) -> String {
        JSON::stringify_with_replacer_and_space(&to_js(value), &JsValue::NULL, &JsValue::from(2))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }

    fn to_js(v: &Value) -> JsValue {
        match v {
            Value::Null => JsValue::NULL,
            Value::Bool(b) => JsValue::from(*b),
            Value::Number(n) => n.as_f64().map(JsValue::from).unwrap_or(JsValue::NULL),
            Value::String(s) => JsValue::from(s.as_str()),
            Value::Sequence(items) => items.iter().map(to_js).collect::<Array>().into(),
            Value::Mapping(map) => {
                let obj = Object::new();
                for (k, v) in map {
                    let _ = Reflect::set(&obj, &key(k), &to_js(v));
                }
                obj.into()
            }
            // A tag has no JSON form: the tagged value stands for itself.
            Value::Tagged(t) => to_js(&t.value),
        }
    }

    /// A mapping key as JSON's text key: a key that is not text (a YAML
    /// `1995:`) as its JSON.
    fn key(k: &Value) -> JsValue {
        match k {
            Value::String(s) => JsValue::from(s.as_str()),
            other => JSON::stringify(&to_js(other)).map(JsValue::from).unwrap_or_else(|_| JsValue::from("")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_round_trip() {
        let text = "{\n  \"a\": [\n    1,\n    0.5,\n    \"x\",\n    true,\n    null\n  ]\n}";
        let v = parse(text).unwrap();
        assert_eq!(write(&v), text);
        assert!(parse("{").is_err());
    }
}
