//! JSON text to and from the document type of sessions and messages
//! ([`Value`], the engine's YAML value). In the browser a text is read by
//! the browser's own `JSON.parse`, which the page has for free: a JSON
//! library would cost the page's WebAssembly several KB gzipped. Off the
//! browser (the tests of the sync rules, which run natively) it is read by
//! `serde_json`; the browser tests hold the two to the same documents.
//!
//! A document is written here, in Rust, as `JSON.stringify(v, null, 2)`
//! writes it (two-space indents, the shortest digits that read back as the
//! same number), on every target: building the document as JavaScript
//! objects first, one call across to JavaScript per key and value, cost a
//! save worker 20 ms for a session at the limits of its lists. Two
//! differences read back the same and cost the page no code: numbers below
//! 1e-6 or from 1e21 are written in plain digits (`0.0000001`, not
//! `1e-7`), and keys keep the document's order (JavaScript would move keys
//! that look like array indices to the front).
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
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Sequence(items) => {
            out.push('[');
            for (k, v) in items.iter().enumerate() {
                next_item(out, k, depth);
                write_value(out, v, depth + 1);
            }
            close(out, ']', items.is_empty(), depth);
        }
        Value::Mapping(map) => {
            out.push('{');
            for (k, (key, v)) in map.iter().enumerate() {
                next_item(out, k, depth);
                write_key(out, key);
                out.push_str(": ");
                write_value(out, v, depth + 1);
            }
            close(out, '}', map.is_empty(), depth);
        }
        // A tag has no JSON form: the tagged value stands for itself.
        Value::Tagged(t) => write_value(out, &t.value, depth),
    }
}

/// Starts item `k` of a list: each on its own line, one level in.
fn next_item(out: &mut String, k: usize, depth: usize) {
    out.push_str(if k == 0 { "\n" } else { ",\n" });
    indent(out, depth + 1);
}

/// Ends a list: an empty one is its two brackets.
fn close(out: &mut String, bracket: char, empty: bool, depth: usize) {
    if !empty {
        out.push('\n');
        indent(out, depth);
    }
    out.push(bracket);
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// A mapping key as JSON's text key: a key that is not text (a YAML
/// `1995:`) as its JSON.
fn write_key(out: &mut String, k: &Value) {
    match k {
        Value::String(s) => write_string(out, s),
        other => write_string(out, &write(other)),
    }
}

/// A number in the shortest digits that read back as the same number,
/// `null` for what JSON has no number for.
fn write_number(out: &mut String, n: &runoff_engine::session::Number) {
    use std::fmt::Write;
    if let Some(k) = n.as_u64() {
        let _ = write!(out, "{k}");
    } else if let Some(k) = n.as_i64() {
        let _ = write!(out, "{k}");
    } else {
        match n.as_f64() {
            // -0 too, which JavaScript writes as 0.
            Some(0.0) => out.push('0'),
            Some(x) if x.is_finite() => {
                let _ = write!(out, "{x}");
            }
            _ => out.push_str("null"),
        }
    }
}

/// A string as `JSON.stringify` writes it: quotes, backslashes and
/// control characters escaped, everything else as it is.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    // Every character escaped is ASCII, so a byte that matches is a whole
    // character and the text around it is cut at character boundaries.
    for (at, &b) in s.as_bytes().iter().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..at]);
        if escaped.is_empty() {
            use std::fmt::Write;
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escaped);
        }
        start = at + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Value;

    pub fn parse(text: &str) -> Result<Value, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Value;
    use js_sys::{Array, Object, JSON};
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

    /// Numbers and strings as `JSON.stringify(v, null, 2)` writes them
    /// (the browser test holds the page's writer to the browser's), but
    /// for the plain digits of the smallest and largest numbers.
    #[test]
    fn written_as_javascript_writes_it() {
        use runoff_engine::session::Mapping;
        let numbers = [
            (Value::from(1.0), "1"),
            (Value::from(-0.0), "0"),
            (Value::from(0.1 + 0.2), "0.30000000000000004"),
            (Value::from(1e21), "1000000000000000000000"),
            (Value::from(-2.5e-7), "-0.00000025"),
            (Value::from(0.000001), "0.000001"),
            (Value::from(123456789012345680000.0), "123456789012345680000"),
            (Value::from(f64::NAN), "null"),
            (Value::from(f64::INFINITY), "null"),
            (Value::from(u64::MAX), "18446744073709551615"),
            (Value::from(-7i64), "-7"),
        ];
        for (v, text) in numbers {
            assert_eq!(write(&v), text, "{v:?}");
        }
        assert_eq!(
            write(&Value::from("a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f} é ✓")),
            r#""a\"b\\c\n\r\t\b\f\u0001\u001f é ✓""#
        );
        for x in [1.5e300, -2.5e-7, 5e-324, 1e21] {
            assert_eq!(parse(&write(&Value::from(x))).unwrap().as_f64(), Some(x), "{x}");
        }
        assert_eq!(write(&Value::Sequence(vec![])), "[]");
        assert_eq!(write(&Value::Mapping(Mapping::new())), "{}");
        let mut m = Mapping::new();
        m.insert(Value::from("a"), Value::Sequence(vec![Value::Mapping(Mapping::new()), Value::from(true)]));
        m.insert(Value::from(1995), Value::Null);
        assert_eq!(write(&Value::Mapping(m)), "{\n  \"a\": [\n    {},\n    true\n  ],\n  \"1995\": null\n}");
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
