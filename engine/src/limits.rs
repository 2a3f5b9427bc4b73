//! Bounds on the structured texts runoff reads: sessions (stored by the
//! page, uploaded, or given to `runoff --session`) and the messages tabs
//! send each other. Any same-origin page can post on the channel or write
//! storage, so a text is measured before it is parsed: one larger than its
//! limit, or nested deeper than [`MAX_DEPTH`], is refused with a message
//! naming the limit, and reading it never costs more than the limit. A
//! parser's own recursion would otherwise follow the text's nesting (a
//! trap in WebAssembly kills the page), and the document type's drop
//! recurses too.
//!
//! - [`check_json`] scans JSON text once, counting brackets outside
//!   strings: a few hundred microseconds for a megabyte, nothing next to
//!   parsing it.
//! - [`check_yaml`] and [`check_depth`] bound YAML. The YAML library
//!   stops at 128 levels, but only after reading every event of the text:
//!   2.3 s for 200,000 `[`. So the size is checked first and the text's
//!   flow brackets are counted as in JSON; block nesting is not a matter of
//!   brackets, and the parsed value's depth is measured, without recursion.

use serde_yaml::Value;
use std::fmt;

/// The deepest nesting of lists and mappings read. A session is three
/// levels deep (`average_by_age: {3: {average: …}}`), a message two; 64
/// leaves room for any key a later version adds.
pub const MAX_DEPTH: usize = 64;

/// The largest session text read. A session is settings: even a 200 × 200
/// triangle with every cell dropped and every factor typed is under 2 MB
/// of indented JSON, so 4 MiB refuses nothing real while bounding what a
/// hostile text in storage or an uploaded file costs to read.
pub const MAX_SESSION_BYTES: usize = 4 << 20;

/// The largest message read from the channel or the localStorage signal.
/// A message is a few hundred bytes plus the session it may carry; a
/// sender leaves out a session that would not fit (the receiver then reads
/// storage), so 1 MiB bounds what any post costs every open tab to read.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// The largest whole number a JSON number carries exactly, 2^53 − 1
/// (JavaScript's `Number.MAX_SAFE_INTEGER`): a version above it would read
/// as its neighbour in the browser.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Why a text was refused before it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TooMuch {
    /// The text has more bytes than `limit`.
    Large { bytes: usize, limit: usize },
    /// Lists and mappings nested deeper than [`MAX_DEPTH`].
    Deep,
}

impl fmt::Display for TooMuch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TooMuch::Large { bytes, limit } => {
                write!(f, "the text is {bytes} bytes, more than the {limit} allowed")
            }
            TooMuch::Deep => write!(f, "the text is nested more than {MAX_DEPTH} levels deep"),
        }
    }
}

/// Whether `text` is at most `limit` bytes.
pub fn check_size(text: &str, limit: usize) -> Result<(), TooMuch> {
    match text.len() {
        bytes if bytes > limit => Err(TooMuch::Large { bytes, limit }),
        _ => Ok(()),
    }
}

/// Whether JSON `text` is at most `limit` bytes and nested at most
/// [`MAX_DEPTH`] deep. Brackets inside strings do not count; the text need
/// not be valid JSON (the parser says what else is wrong with it), and for
/// any text that is, the depth counted is the document's.
pub fn check_json(text: &str, limit: usize) -> Result<(), TooMuch> {
    check_size(text, limit)?;
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in text.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(TooMuch::Deep);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Whether YAML `text` is at most `limit` bytes and its flow brackets
/// (`[`, `{`) nest at most [`MAX_DEPTH`] deep. Brackets count outside
/// quoted scalars, comments and plain scalars (`a: x[1` is text). A block scalar's lines are not told
/// apart from nodes, so a literal text of more than 64 unclosed brackets
/// at the start of its lines is refused too: a session has none.
pub fn check_yaml(text: &str, limit: usize) -> Result<(), TooMuch> {
    check_size(text, limit)?;
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    // Whether a plain scalar is being read: in one, brackets are text.
    let mut plain = false;
    while i < bytes.len() {
        let b = bytes[i];
        let next_blank = matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
        match b {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'\n' | b'\r' => plain = false,
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                i += bytes[i..].iter().position(|&c| c == b'\n').unwrap_or(bytes.len() - i);
                continue;
            }
            // A plain scalar ends at `: ` and, in flow, at `,`, `]`, `}`.
            b':' if plain && next_blank => plain = false,
            b',' | b']' | b'}' if plain && depth > 0 => plain = false,
            _ if plain => {
                i += 1;
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            // `''` inside is a quote: the scan ends and starts again.
            b'\'' => {
                i += 1 + bytes[i + 1..].iter().position(|&c| c == b'\'').unwrap_or(bytes.len() - i - 1);
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(TooMuch::Deep);
                }
            }
            b']' | b'}' | b',' | b':' | b'?' | b'-' | b'&' | b'*' | b'!' | b'|' | b'>' => {}
            _ => plain = true,
        }
        if b == b']' || b == b'}' {
            depth = depth.saturating_sub(1);
        }
        i += 1;
    }
    Ok(())
}

/// Whether a parsed document is nested at most [`MAX_DEPTH`] deep (a
/// scalar is depth 0, `[1]` depth 1). Measured with a stack of its own,
/// not recursion, and it stops at the first level too deep.
pub fn check_depth(value: &Value) -> Result<(), TooMuch> {
    let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Sequence(items) => Box::new(items.iter()),
            Value::Mapping(map) => Box::new(map.iter().flat_map(|(k, v)| [k, v])),
            Value::Tagged(t) => Box::new(std::iter::once(&t.value)),
            _ => continue,
        };
        // A tag wraps a value without nesting it in a list or mapping.
        let inner = if matches!(v, Value::Tagged(_)) { depth } else { depth + 1 };
        if inner > MAX_DEPTH {
            return Err(TooMuch::Deep);
        }
        stack.extend(children.map(|c| (c, inner)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        "[".repeat(n) + &"]".repeat(n)
    }

    #[test]
    fn json_depth_is_counted_outside_strings() {
        assert_eq!(check_json(&nested(MAX_DEPTH), MAX_MESSAGE_BYTES), Ok(()));
        assert_eq!(check_json(&nested(MAX_DEPTH + 1), MAX_MESSAGE_BYTES), Err(TooMuch::Deep));
        assert_eq!(check_json(&nested(200_000), usize::MAX), Err(TooMuch::Deep));
        // Siblings do not add up; brackets in strings, escaped quotes
        // included, are text.
        let wide = "[".to_string() + &vec!["{\"a\":[1]}"; 1000].join(",") + "]";
        assert_eq!(check_json(&wide, MAX_MESSAGE_BYTES), Ok(()));
        let quoted = format!("{{\"a\": \"{}\\\"{}\"}}", "[".repeat(100), "{".repeat(100));
        assert_eq!(check_json(&quoted, MAX_MESSAGE_BYTES), Ok(()));
        // Closing brackets first do not buy depth later.
        let sneaky = "]".repeat(100) + &nested(MAX_DEPTH + 1);
        assert_eq!(check_json(&sneaky, MAX_MESSAGE_BYTES), Err(TooMuch::Deep));
    }

    #[test]
    fn size_is_counted_in_bytes_before_anything_else() {
        let big = "x".repeat(MAX_MESSAGE_BYTES + 1);
        let e = check_json(&big, MAX_MESSAGE_BYTES).unwrap_err();
        assert_eq!(e, TooMuch::Large { bytes: MAX_MESSAGE_BYTES + 1, limit: MAX_MESSAGE_BYTES });
        assert_eq!(e.to_string(), "the text is 1048577 bytes, more than the 1048576 allowed");
        assert_eq!(check_size("é", 1), Err(TooMuch::Large { bytes: 2, limit: 1 }));
        assert_eq!(TooMuch::Deep.to_string(), "the text is nested more than 64 levels deep");
    }

    #[test]
    fn yaml_flow_depth_is_counted_where_nodes_start() {
        let ok = |t: &str| check_yaml(t, MAX_SESSION_BYTES);
        assert_eq!(ok(&nested(MAX_DEPTH)), Ok(()));
        assert_eq!(ok(&nested(MAX_DEPTH + 1)), Err(TooMuch::Deep));
        assert_eq!(ok(&format!("a:\n  - b: {}", nested(200_000))), Err(TooMuch::Deep));
        let spaced = (0..100).map(|_| "[ ").collect::<String>() + &"] ".repeat(100);
        assert_eq!(ok(&spaced), Err(TooMuch::Deep));
        // Not flow: plain scalars, quoted scalars, comments.
        let deep = "[".repeat(100);
        for text in [
            format!("a: x{deep}"),
            format!("a: \"{deep}\\\"{deep}\""),
            format!("a: '{deep}''{deep}'"),
            format!("a: 1 # {deep}\nb: 2"),
            format!("# {deep}"),
            format!("a: [\"{deep}\", '{deep}', x]"),
        ] {
            assert_eq!(ok(&text), Ok(()), "{text}");
            assert!(serde_yaml::from_str::<Value>(&text).is_ok(), "{text}");
        }
        assert_eq!(ok("'unclosed"), Ok(()));
        assert_eq!(ok("\"unclosed\\"), Ok(()));
    }

    #[test]
    fn parsed_depth_without_recursion() {
        let at = |n: usize| -> Value { serde_json::from_str(&nested(n)).unwrap() };
        assert_eq!(check_depth(&at(MAX_DEPTH)), Ok(()));
        assert_eq!(check_depth(&at(MAX_DEPTH + 1)), Err(TooMuch::Deep));
        let map: Value = serde_yaml::from_str("a: {b: [1, {c: 2}]}").unwrap();
        assert_eq!(check_depth(&map), Ok(()));
        assert_eq!(check_depth(&Value::from(3)), Ok(()));
    }

    #[test]
    fn sessions_are_bounded_before_they_are_read() {
        use crate::Session;
        let read = |text: &str| Session::from_yaml(text, "q").map_err(|e| e.to_string());
        let deep = "nested more than 64 levels deep";
        // Flow style: beyond the YAML library's own bound, and between it
        // and ours.
        assert!(read(&nested(200_000)).unwrap_err().contains(deep));
        assert!(read(&format!("future: {}", nested(100))).unwrap_err().contains(deep));
        assert!(read(&format!("future: {}", nested(MAX_DEPTH - 1))).is_ok());
        // Block style: nesting by indentation.
        let block: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(read(&block).unwrap_err().contains(deep));
        // Size, before any parsing: a 50 MB text is refused at once.
        let huge = format!("future: \"{}\"", "x".repeat(50 << 20));
        let start = std::time::Instant::now();
        let e = read(&huge).unwrap_err();
        assert!(e.contains("more than the 4194304 allowed"), "{e}");
        assert!(start.elapsed() < std::time::Duration::from_millis(100));
        let e = read(&format!("sync_version: {}", MAX_SAFE_INTEGER + 1)).unwrap_err();
        assert!(e.contains("sync_version") && e.contains("9007199254740991"), "{e}");
        assert_eq!(read(&format!("sync_version: {MAX_SAFE_INTEGER}")).unwrap().sync_version, MAX_SAFE_INTEGER);
    }

    /// What the YAML library does on its own with hostile texts; a
    /// measurement (`cargo test -p runoff-engine --release limits --
    /// --ignored --nocapture`).
    #[test]
    #[ignore]
    fn the_yaml_library_alone() {
        for (name, text) in [
            ("200000 [", nested(200_000)),
            ("50 MB string", format!("a: \"{}\"", "x".repeat(50 << 20))),
            ("50 MB of entries", "k: [1, 2]\n".repeat(5 << 20)),
        ] {
            let start = std::time::Instant::now();
            let r = serde_yaml::from_str::<Value>(&text).map(|_| ()).map_err(|e| e.to_string());
            eprintln!("{name}: {:?} in {:?}", r.map_err(|e| e.chars().take(80).collect::<String>()), start.elapsed());
        }
    }

    /// A normal message's check against its parse; a measurement, not a
    /// rule (`cargo test -p runoff-engine --release limits -- --ignored
    /// --nocapture`).
    #[test]
    #[ignore]
    fn the_scan_is_cheap() {
        let message = format!(
            "{{\"type\":\"session_changed\",\"user_key\":\"quarterly\",\"sync_version\":7,\
             \"origin_tab_id\":\"6f1c\",\"updated_at\":\"2026-11-25T06:10:00.123Z\",\"session\":{:?}}}",
            "{\n  \"drops\": [[\"1996\", 3]],\n  \"ldf_by_age\": {\"12\": 1.5}\n}\n".repeat(200)
        );
        let start = std::time::Instant::now();
        for _ in 0..100 {
            check_json(std::hint::black_box(&message), MAX_MESSAGE_BYTES).unwrap();
        }
        let scan = start.elapsed();
        let start = std::time::Instant::now();
        for _ in 0..100 {
            let _: Value = serde_json::from_str(std::hint::black_box(&message)).unwrap();
        }
        let parse = start.elapsed();
        eprintln!("{} bytes: scan {:?}, parse {:?}", message.len(), scan / 100, parse / 100);
        assert!(scan < parse);
    }
}
