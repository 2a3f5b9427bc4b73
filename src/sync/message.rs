//! The message tabs send each other when a session changes: the contract of
//! `docs/sync-protocol.md`, read strictly and written exactly.
//!
//! Any same-origin page can post anything on the channel, so reading checks
//! the shape and the type of every field and says why a message was turned
//! away; fields it does not know are ignored, so that a newer version can add
//! some without older tabs rejecting its messages.
//!
//! One field is added to the contract: `session`, the session text just
//! committed. A receiver shows it at once instead of first reading storage
//! (which a tab in the background may be slow to answer), and reads storage
//! right after to confirm it; a `session` that does not read as the
//! announced version is not used, and storage is read as without it.
//!
//! A text larger than [`MAX_MESSAGE_BYTES`] or nested deeper than
//! [`runoff_engine::limits::MAX_DEPTH`] is turned away before it is parsed,
//! and a version above 2^53 − 1, which JSON does not carry exactly, is
//! turned away by name. A sender leaves out a session that would make its
//! message too large.

// Messages are read into the engine's document type, the one sessions are
// read into, so the page carries one JSON reader for both.
use runoff_engine::limits::{TooMuch, MAX_SAFE_INTEGER};
use runoff_engine::session::{Mapping, Value};
use std::fmt;

pub use runoff_engine::limits::MAX_MESSAGE_BYTES;

/// What a message announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A session was saved (`session_changed`).
    SessionChanged,
    /// A tab imported data, so the list of segments changed
    /// (`segments_changed`).
    SegmentsChanged,
}

impl Kind {
    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Kind::SessionChanged => "session_changed",
            Kind::SegmentsChanged => "segments_changed",
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        match name {
            "session_changed" => Some(Kind::SessionChanged),
            "segments_changed" => Some(Kind::SegmentsChanged),
            _ => None,
        }
    }
}

/// One message, as the contract defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: Kind,
    /// The segment the message is about, e.g. `quarterly`.
    pub user_key: String,
    /// The version just saved; at least 1.
    pub sync_version: u64,
    /// The sending tab's id (a UUID v4 made at page load).
    pub origin_tab_id: String,
    /// When the save happened (ISO 8601, UTC): for display, never for
    /// ordering.
    pub updated_at: String,
    /// The session text committed as this version (`session`), when the
    /// sender includes it. Not a reason to reject a message: one that is
    /// not text is left out.
    pub session: Option<String>,
}

/// Why a received message was turned away.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reject {
    /// The text is not JSON.
    NotJson,
    /// The text is larger than [`MAX_MESSAGE_BYTES`]. (Not by how much:
    /// the reasons are counted by kind.)
    TooLarge,
    /// The text is nested deeper than [`runoff_engine::limits::MAX_DEPTH`].
    TooDeep,
    /// JSON, but not an object.
    NotAnObject,
    /// A field of the contract is missing.
    Missing(&'static str),
    /// A field has the wrong type (e.g. a version given as text).
    WrongType(&'static str),
    /// A `type` this version does not know.
    UnknownType(String),
    /// `sync_version` is 0: versions start at 1.
    VersionZero,
    /// `sync_version` is above 2^53 − 1: JSON does not carry it exactly.
    VersionTooLarge,
    /// `updated_at` is not an ISO 8601 date and time.
    NotATimestamp,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reject::NotJson => write!(f, "not JSON"),
            Reject::TooLarge => write!(f, "larger than the {MAX_MESSAGE_BYTES} bytes allowed"),
            Reject::TooDeep => write!(f, "{}", TooMuch::Deep),
            Reject::NotAnObject => write!(f, "not a JSON object"),
            Reject::Missing(field) => write!(f, "no `{field}`"),
            Reject::WrongType(field) => write!(f, "`{field}` has the wrong type"),
            Reject::UnknownType(t) => write!(f, "unknown message type {t:?}"),
            Reject::VersionZero => write!(f, "`sync_version` is 0"),
            Reject::VersionTooLarge => {
                write!(f, "`sync_version` is above {MAX_SAFE_INTEGER}, the largest JSON carries exactly")
            }
            Reject::NotATimestamp => write!(f, "`updated_at` is not an ISO 8601 timestamp"),
        }
    }
}

impl Message {
    /// A `session_changed` message.
    pub fn session_changed(user_key: &str, sync_version: u64, origin_tab_id: &str, updated_at: &str) -> Message {
        Message {
            kind: Kind::SessionChanged,
            user_key: user_key.to_string(),
            sync_version,
            origin_tab_id: origin_tab_id.to_string(),
            updated_at: updated_at.to_string(),
            session: None,
        }
    }

    /// The message with the session text committed as its version, if the
    /// message still fits in [`MAX_MESSAGE_BYTES`] (with room for the
    /// localStorage fallback's token); a larger session is left out, and
    /// receivers read it from storage as for a message without one.
    pub fn with_session(self, text: String) -> Message {
        // `"session": "…",` and the token, generously.
        const ROOM: usize = 256;
        let fits = self.to_json().len() + quoted_len(&text) + ROOM <= MAX_MESSAGE_BYTES;
        Message { session: fits.then_some(text), ..self }
    }

    /// A `segments_changed` message: the data of segment `user_key` was
    /// imported, changed or deleted. Its version is 1: receivers compare
    /// none for it.
    pub fn segments_changed(user_key: &str, origin_tab_id: &str, updated_at: &str) -> Message {
        Message { kind: Kind::SegmentsChanged, ..Message::session_changed(user_key, 1, origin_tab_id, updated_at) }
    }

    /// Reads a message from the text received.
    pub fn parse(text: &str) -> Result<Message, Reject> {
        use crate::sync::json::{parse_within, Unread};
        let value = parse_within(text, MAX_MESSAGE_BYTES).map_err(|e| match e {
            Unread::TooMuch(TooMuch::Large { .. }) => Reject::TooLarge,
            Unread::TooMuch(TooMuch::Deep) => Reject::TooDeep,
            Unread::Syntax(_) => Reject::NotJson,
        })?;
        Message::from_value(&value)
    }

    /// Reads a message from a JSON value (a structured-clone message arrives
    /// as an object rather than as text).
    fn from_value(value: &Value) -> Result<Message, Reject> {
        let map = value.as_mapping().ok_or(Reject::NotAnObject)?;
        let kind = text(map, "type")?;
        let kind = Kind::from_name(kind).ok_or_else(|| Reject::UnknownType(kind.to_string()))?;
        let user_key = text(map, "user_key")?.to_string();
        let sync_version = match map.get("sync_version") {
            None => return Err(Reject::Missing("sync_version")),
            // as_u64 is None for negative numbers and for fractions: both
            // are not versions. A whole number too large for an integer
            // (`1e300`) is a version too large, not one of the wrong type.
            Some(v) => match (v.as_u64(), v.as_f64()) {
                (Some(n), _) => n,
                (None, Some(x)) if x.fract() == 0.0 && x > MAX_SAFE_INTEGER as f64 => u64::MAX,
                _ => return Err(Reject::WrongType("sync_version")),
            },
        };
        if sync_version == 0 {
            return Err(Reject::VersionZero);
        }
        if sync_version > MAX_SAFE_INTEGER {
            return Err(Reject::VersionTooLarge);
        }
        let origin_tab_id = text(map, "origin_tab_id")?.to_string();
        let updated_at = text(map, "updated_at")?;
        if !is_timestamp(updated_at) {
            return Err(Reject::NotATimestamp);
        }
        let session = map.get("session").and_then(Value::as_str).map(str::to_string);
        Ok(Message { kind, user_key, sync_version, origin_tab_id, updated_at: updated_at.to_string(), session })
    }

    /// The message as a JSON object.
    pub fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        map.insert("type".into(), self.kind.name().into());
        map.insert("user_key".into(), self.user_key.clone().into());
        map.insert("sync_version".into(), self.sync_version.into());
        map.insert("origin_tab_id".into(), self.origin_tab_id.clone().into());
        map.insert("updated_at".into(), self.updated_at.clone().into());
        if let Some(text) = &self.session {
            map.insert("session".into(), text.clone().into());
        }
        Value::Mapping(map)
    }

    /// The message as JSON text, ready to post.
    pub fn to_json(&self) -> String {
        crate::sync::text::json(&self.to_value())
    }
}

/// The length of `s` written as a JSON string, quotes included: what
/// `JSON.stringify` and `serde_json` both write.
fn quoted_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

fn text<'a>(map: &'a Mapping, field: &'static str) -> Result<&'a str, Reject> {
    match map.get(field) {
        None => Err(Reject::Missing(field)),
        Some(v) => v.as_str().ok_or(Reject::WrongType(field)),
    }
}

/// Whether `s` is an ISO 8601 date and time as `Date.toISOString()` and
/// chrono write it (RFC 3339 with the `T`): `YYYY-MM-DDTHH:MM:SS`, an
/// optional fraction, then `Z` or an offset `±HH:MM`.
pub fn is_timestamp(s: &str) -> bool {
    s.as_bytes().get(10) == Some(&b'T') && chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const GOOD: &str = r#"{"type":"session_changed","user_key":"quarterly","sync_version":7,
        "origin_tab_id":"6f1c","updated_at":"2026-11-25T06:10:00.123Z"}"#;

    #[test]
    fn reads_the_contract() {
        let m = Message::parse(GOOD).unwrap();
        assert_eq!(m, Message::session_changed("quarterly", 7, "6f1c", "2026-11-25T06:10:00.123Z"));
        assert_eq!(Message::parse(&m.to_json()).unwrap(), m);
    }

    #[test]
    fn ignores_fields_it_does_not_know() {
        let text = GOOD.replace("\"type\"", "\"token\":0.123,\"extra\":{\"a\":[1]},\"type\"");
        assert_eq!(Message::parse(&text).unwrap().sync_version, 7);
    }

    #[test]
    fn a_carried_session_travels_and_one_of_another_type_is_left_out() {
        let m = Message::session_changed("quarterly", 7, "6f1c", "2026-11-25T06:10:00.123Z")
            .with_session("{\"sync_version\": 7}".into());
        assert_eq!(Message::parse(&m.to_json()).unwrap(), m);
        let odd = GOOD.replace("\"type\"", "\"session\":{\"a\":1},\"type\"");
        assert_eq!(Message::parse(&odd).unwrap().session, None);
    }

    #[test]
    fn segments_changed_has_the_same_envelope() {
        let text = GOOD.replace("session_changed", "segments_changed");
        assert_eq!(Message::parse(&text).unwrap().kind, Kind::SegmentsChanged);
    }

    #[test]
    fn says_why_a_message_does_not_fit() {
        let with = |from: &str, to: &str| Message::parse(&GOOD.replace(from, to)).unwrap_err();
        assert_eq!(Message::parse("").unwrap_err(), Reject::NotJson);
        assert_eq!(Message::parse("{").unwrap_err(), Reject::NotJson);
        assert_eq!(Message::parse("[1]").unwrap_err(), Reject::NotAnObject);
        assert_eq!(Message::parse("\"session_changed\"").unwrap_err(), Reject::NotAnObject);
        assert_eq!(Message::parse("{}").unwrap_err(), Reject::Missing("type"));
        assert_eq!(with("session_changed", "sessionChanged"), Reject::UnknownType("sessionChanged".into()));
        assert_eq!(with("\"quarterly\"", "null"), Reject::WrongType("user_key"));
        assert_eq!(with("7", "\"7\""), Reject::WrongType("sync_version"));
        assert_eq!(with("7", "7.5"), Reject::WrongType("sync_version"));
        assert_eq!(with("7", "-7"), Reject::WrongType("sync_version"));
        assert_eq!(with("7", "0"), Reject::VersionZero);
        assert_eq!(with("\"6f1c\"", "42"), Reject::WrongType("origin_tab_id"));
        assert_eq!(with("2026-11-25T06:10:00.123Z", "yesterday"), Reject::NotATimestamp);
        assert_eq!(with("\"sync_version\"", "\"version\""), Reject::Missing("sync_version"));
        assert_eq!(with("7", "9007199254740992"), Reject::VersionTooLarge);
        assert_eq!(with("7", "1152921504606846976"), Reject::VersionTooLarge);
        assert_eq!(with("7", "1e300"), Reject::VersionTooLarge);
        let largest = Message::parse(&GOOD.replace('7', "9007199254740991")).unwrap();
        assert_eq!(largest.sync_version, MAX_SAFE_INTEGER);
        assert_eq!(
            Reject::VersionTooLarge.to_string(),
            "`sync_version` is above 9007199254740991, the largest JSON carries exactly"
        );
    }

    #[test]
    fn hostile_texts_are_turned_away_by_their_measure() {
        use runoff_engine::limits::MAX_DEPTH;
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert_eq!(Message::parse(&nested(200_000)), Err(Reject::TooDeep));
        assert_eq!(Message::parse(&nested(MAX_DEPTH + 1)), Err(Reject::TooDeep));
        assert_eq!(Message::parse(&nested(MAX_DEPTH)), Err(Reject::NotAnObject));
        let deep_field = GOOD.replace("\"type\"", &format!("\"extra\":{},\"type\"", nested(MAX_DEPTH)));
        assert_eq!(Message::parse(&deep_field), Err(Reject::TooDeep));
        let big = GOOD.replace("\"type\"", &format!("\"extra\":\"{}\",\"type\"", "x".repeat(5 << 20)));
        assert_eq!(Message::parse(&big), Err(Reject::TooLarge));
        assert_eq!(Reject::TooLarge.to_string(), "larger than the 1048576 bytes allowed");
        assert_eq!(Reject::TooDeep.to_string(), "the text is nested more than 64 levels deep");
    }

    #[test]
    fn a_session_too_large_to_carry_is_left_out() {
        let m = || Message::session_changed("quarterly", 7, "6f1c", "2026-11-25T06:10:00.123Z");
        let small = "{\n  \"sync_version\": 7\n}".to_string();
        assert_eq!(m().with_session(small.clone()).session, Some(small));
        // Quotes double when written: half the limit of them does not fit.
        let quotes = "\"".repeat(MAX_MESSAGE_BYTES / 2);
        assert_eq!(m().with_session(quotes).session, None);
        let fits = "x".repeat(MAX_MESSAGE_BYTES - 1024);
        let carried = m().with_session(fits.clone());
        assert_eq!(carried.session.as_deref(), Some(fits.as_str()));
        assert!(carried.to_json().len() <= MAX_MESSAGE_BYTES);
        assert_eq!(Message::parse(&carried.to_json()), Ok(carried));
    }

    #[test]
    fn timestamps() {
        for ok in [
            "2026-11-25T06:10:00.123Z",
            "2026-11-25T06:10:00Z",
            "2026-11-25T06:10:00.123456789+01:00",
            "2026-11-25T23:59:60-05:30",
        ] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-11-25",
            "2026-11-25 06:10:00Z",
            "2026-13-25T06:10:00Z",
            "2026-11-25T24:10:00Z",
            "2026-11-25T06:10:00.Z",
            "2026-11-25T06:10:00",
            "2026-11-25T06:10:00+0100",
            "2026-11-25T06:10:00Zjunk",
            "２０２６-11-25T06:10:00Z",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }

    proptest! {
        // 256 cases each; milliseconds in all.
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_on_any_text(text in "\\PC*") {
            let _ = Message::parse(&text);
            let _ = is_timestamp(&text);
        }

        #[test]
        fn written_messages_read_back(
            user_key in "\\PC*", version in 1u64..=MAX_SAFE_INTEGER, tab in "\\PC*", ms in 0u32..1000,
        ) {
            let m = Message::session_changed(&user_key, version, &tab, &format!("2026-01-02T03:04:05.{ms:03}Z"));
            prop_assert_eq!(Message::parse(&m.to_json()), Ok(m));
        }
    }
}
