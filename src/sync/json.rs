//! JSON text to and from the document type of sessions and messages
//! ([`Value`], the engine's YAML value). In the browser this is the
//! browser's own `JSON.parse` and `JSON.stringify`, which the page has for
//! free: a JSON library with its number formatting and parsing would cost
//! the page's WebAssembly several KB gzipped for work the browser does
//! anyway, and faster. Off the browser (the tests of the sync rules, which
//! run natively) the same two functions are `serde_json`'s; the browser
//! tests hold the two to the same texts.
//!
//! Numbers: a whole number that fits a 64-bit integer (every version, age
//! and count) reads as an integer, anything else as a float, as
//! `serde_json` reads `7` and `0.6`. A JSON number that is whole but
//! written with a fraction (`7.0`) is an integer here, since JavaScript
//! does not tell them apart. Above 2^53 JavaScript has already rounded the
//! number to its neighbour; it still reads as an integer, so that a
//! version or a seed beyond what JSON carries exactly is refused by its
//! range check, naming the bound, rather than as "not a whole number".
//!
//! Every text is measured before it is parsed
//! ([`runoff_engine::limits::check_json`]): the conversion of the parsed
//! document recurses once per level of nesting, and `JSON.parse` itself
//! accepts any depth, so without the bound a text of 200,000 `[` traps the
//! page's WebAssembly.

use runoff_engine::limits::{check_json, TooMuch, MAX_SESSION_BYTES};
use runoff_engine::session::Value;
use std::fmt;

/// Why a text did not read as a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// Too large or too deep: refused before parsing.
    TooMuch(TooMuch),
    /// Not JSON, as the parser says.
    Syntax(String),
}

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unread::TooMuch(e) => e.fmt(f),
            Unread::Syntax(m) => f.write_str(m),
        }
    }
}

/// The document in `text`, a session's or one as large, or what is wrong
/// with it.
pub fn parse(text: &str) -> Result<Value, String> {
    parse_within(text, MAX_SESSION_BYTES).map_err(|e| e.to_string())
}

/// The document in `text` if it is at most `limit` bytes and nested at
/// most [`runoff_engine::limits::MAX_DEPTH`] deep.
pub fn parse_within(text: &str, limit: usize) -> Result<Value, Unread> {
    check_json(text, limit).map_err(Unread::TooMuch)?;
    imp::parse(text).map_err(Unread::Syntax)
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

    /// 2^64 and 2^63: the whole numbers that read as integers, as
    /// `serde_json` reads them, are below the one and not below minus the
    /// other.
    const U64_END: f64 = 18_446_744_073_709_551_616.0;
    const I64_START: f64 = -9_223_372_036_854_775_808.0;

    pub fn parse(text: &str) -> Result<Value, String> {
        let js = JSON::parse(text).map_err(|e| {
            e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "not JSON".into())
        })?;
        Ok(from_js(&js))
    }

    /// Recurses once per level: the text was measured first, so at most
    /// [`runoff_engine::limits::MAX_DEPTH`] levels.
    fn from_js(v: &JsValue) -> Value {
        if let Some(b) = v.as_bool() {
            Value::Bool(b)
        } else if let Some(x) = v.as_f64() {
            // Every whole f64 in these ranges converts exactly.
            Value::Number(if x.fract() == 0.0 && (0.0..U64_END).contains(&x) {
                Number::from(x as u64)
            } else if x.fract() == 0.0 && (I64_START..0.0).contains(&x) {
                Number::from(x as i64)
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

    #[test]
    fn hostile_texts_are_refused_before_parsing() {
        use runoff_engine::limits::{MAX_DEPTH, MAX_MESSAGE_BYTES};
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let e = parse(&nested(200_000)).unwrap_err();
        assert_eq!(e, "the text is nested more than 64 levels deep");
        assert_eq!(parse_within(&nested(MAX_DEPTH + 1), MAX_MESSAGE_BYTES), Err(Unread::TooMuch(TooMuch::Deep)));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let big = format!("\"{}\"", "x".repeat(MAX_MESSAGE_BYTES));
        assert_eq!(
            parse_within(&big, MAX_MESSAGE_BYTES),
            Err(Unread::TooMuch(TooMuch::Large { bytes: MAX_MESSAGE_BYTES + 2, limit: MAX_MESSAGE_BYTES }))
        );
        assert!(parse(&big).is_ok());
        assert!(matches!(parse_within("{", MAX_MESSAGE_BYTES), Err(Unread::Syntax(_))));
    }

    #[test]
    fn whole_numbers_beyond_2_53_read_as_integers() {
        let v = parse("[9007199254740991, 9007199254740992, 1152921504606846976, -5, 0.5]").unwrap();
        assert_eq!(v[0].as_u64(), Some((1 << 53) - 1));
        assert_eq!(v[1].as_u64(), Some(1 << 53));
        assert_eq!(v[2].as_u64(), Some(1 << 60));
        assert_eq!(v[3].as_i64(), Some(-5));
        assert_eq!(v[4].as_f64(), Some(0.5));
    }
}
