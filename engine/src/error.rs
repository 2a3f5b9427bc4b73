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
            EngineError::Input { row, column, message } => {
                match (row, column) {
                    (Some(r), Some(c)) => write!(f, "row {r}, column `{c}`: {message}"),
                    (Some(r), None) => write!(f, "row {r}: {message}"),
                    (None, Some(c)) => write!(f, "column `{c}`: {message}"),
                    (None, None) => write!(f, "{message}"),
                }
            }
            EngineError::Triangle(m) => write!(f, "triangle: {m}"),
        }
    }
}

impl std::error::Error for EngineError {}
