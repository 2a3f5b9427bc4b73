//! The session's text in the browser's storage: JSON, which is YAML too (a
//! JSON document is a YAML document in flow style), so the text a tab
//! stores loads as it is in the command line's `--session` and in any YAML
//! reader. The page parses and writes it as JSON ([`super::json`]) because
//! a YAML library costs the page's WebAssembly about 65 KB gzipped, a fifth
//! of its budget; the session model itself is the engine's, unchanged.
//! A stored text is bounded as an uploaded one is
//! ([`runoff_engine::limits::MAX_SESSION_BYTES`], nesting
//! [`runoff_engine::limits::MAX_DEPTH`]): whatever another page wrote
//! under a segment's key, reading it says what is wrong and never traps.

use runoff_engine::session::Value;
use runoff_engine::{EngineError, Session};

/// Reads a stored session; an empty text is a session with every default.
pub fn read(text: &str, segment: &str) -> Result<Session, EngineError> {
    if text.trim().is_empty() {
        return Session::from_value(Value::Null, segment);
    }
    let value = super::json::parse(text).map_err(EngineError::SessionSyntax)?;
    Session::from_value(value, segment)
}

/// The text to store for `session`.
pub fn write(session: &Session) -> String {
    json(&session.to_value())
}

/// A document as JSON text.
pub fn json(value: &Value) -> String {
    super::json::write(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::CellDrop;

    #[test]
    fn round_trip_and_yaml_compatible() {
        let mut s = Session::new("quarterly");
        s.settings.drops.push(CellDrop { origin: "1996".into(), age: 3 });
        s.settings.bf_apriori_by_uwy.insert("2000".into(), 0.7);
        s.sync_version = 7;
        let text = write(&s);
        assert!(text.contains("\"default_apriori\": 0.6"), "{text}");
        assert!(text.contains("\"2000\": 0.7"));
        assert_eq!(read(&text, "quarterly").unwrap(), s);
        // The same text read as YAML, as the command line reads it.
        assert_eq!(Session::from_yaml(&text, "quarterly").unwrap(), s);
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(read("segment: [", "q").is_err());
        let e = read(r#"{"average": "median"}"#, "q").unwrap_err().to_string();
        assert!(e.contains("average") && e.contains("median"), "{e}");
        assert_eq!(read("  ", "q").unwrap(), Session::new("q"));
    }

    #[test]
    fn hostile_stored_texts_are_refused_by_their_measure() {
        let nested = "[".repeat(200_000) + &"]".repeat(200_000);
        let e = read(&nested, "q").unwrap_err().to_string();
        assert!(e.contains("nested more than 64 levels deep"), "{e}");
        let deep = format!("{{\"future\": {}{}}}", "{\"a\":".repeat(70), "1".to_string() + &"}".repeat(70));
        assert!(read(&deep, "q").unwrap_err().to_string().contains("nested more than 64"));
        let big = format!("{{\"future\": \"{}\"}}", "x".repeat(5 << 20));
        let e = read(&big, "q").unwrap_err().to_string();
        assert!(e.contains("more than the 4194304 allowed"), "{e}");
        let e = read("{\"sync_version\": 1152921504606846976}", "q").unwrap_err().to_string();
        assert!(e.contains("sync_version") && e.contains("9007199254740991"), "{e}");
    }

    #[test]
    fn unknown_keys_survive() {
        let s = read(r#"{"segment": "q", "colour": "blue"}"#, "q").unwrap();
        assert!(write(&s).contains("\"colour\": \"blue\""));
    }
}
