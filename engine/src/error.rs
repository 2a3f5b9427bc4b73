//! The engine's one error type: every failure names what was wrong (the key,
//! the row, the column, the value) so a user can fix the input. Nothing in the
//! engine panics on bad input, because a panic in WebAssembly kills the page.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// A session key with a value of the wrong type or out of range.
    Session { key: String, message: String },
    /// A session text that is not YAML at all.
    SessionSyntax(String),
    /// Input data (CSV, pasted cells) that cannot be read.
    Input { row: Option<usize>, column: Option<String>, message: String },
    /// A triangle whose shape or values cannot be reserved.
    Triangle(String),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Session { key, message } => write!(f, "session key `{key}`: {message}"),
            EngineError::SessionSyntax(m) => write!(f, "session is not valid YAML: {m}"),
            EngineError::Input { row, column, message } => match (row, column) {
                (Some(r), Some(c)) => write!(f, "row {r}, column `{c}`: {message}"),
                (Some(r), None) => write!(f, "row {r}: {message}"),
                (None, Some(c)) => write!(f, "column `{c}`: {message}"),
                (None, None) => write!(f, "{message}"),
            },
            EngineError::Triangle(m) => write!(f, "triangle: {m}"),
        }
    }
}

impl std::error::Error for EngineError {}

/// A number in a message, as short as reads back the same (`0.7`, `1e-9`).
/// Written with `zmij`, as serde_json writes numbers, rather than the
/// standard library's float formatting, which a page that shows these
/// messages would otherwise carry in its WebAssembly only for them.
pub fn show_number(x: f64) -> String {
    let mut b = zmij::Buffer::new();
    let s = b.format(x);
    // `1.0` reads better in a sentence as `1`.
    s.strip_suffix(".0").unwrap_or(s).to_string()
}
