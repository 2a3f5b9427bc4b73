//! The page's own binary forms, which the page sends and reads instead of
//! JSON where JSON would cost it code: a segment's data as the page keeps
//! it in IndexedDB (`application/x-runoff-record`: a format byte, then the
//! record in bincode, as `StoredSegment::to_bytes` in `src/catalog.rs`
//! writes it), and a change as it posts it
//! (`application/x-runoff-change`: [`crate::sessions::Change`] in
//! bincode). bincode is positional, so these structs follow the page's
//! field for field; `tests/api.rs` holds the two together with the page's
//! own code. Other clients use JSON, as every call accepts.

use crate::segments::{RawSegment, SegmentData};
use crate::sessions::Change;
use runoff_engine::input::stored::RawTriangle;
use serde::Deserialize;

/// A segment's data in the page's stored form.
pub const RECORD_TYPE: &str = "application/x-runoff-record";
/// A change in the page's form.
pub const CHANGE_TYPE: &str = "application/x-runoff-change";

/// The first byte of a record: the format the page reads.
const RECORD_FORMAT: u8 = 1;

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// `data` as the page stores it.
pub fn record_bytes(data: &SegmentData) -> Result<Vec<u8>, String> {
    let mut out = vec![RECORD_FORMAT];
    out.extend(bincode::serde::encode_to_vec(data, config()).map_err(|e| e.to_string())?);
    Ok(out)
}

/// A record as the page writes it, before it is checked.
#[derive(Deserialize)]
struct Record {
    id: String,
    title: String,
    source: String,
    imported_at: String,
    measures: Vec<(String, RawTriangle)>,
    premium: Option<Vec<f64>>,
    premium_source: Option<String>,
}

/// A record the page sent, to check as a JSON body is checked.
pub fn record_from_bytes(bytes: &[u8]) -> Result<RawSegment, String> {
    let rest = match bytes.split_first() {
        Some((&RECORD_FORMAT, rest)) => rest,
        Some((other, _)) => return Err(format!("the record is in format {other}, not {RECORD_FORMAT}")),
        None => return Err("the record is empty".into()),
    };
    let (r, read): (Record, usize) =
        bincode::serde::decode_from_slice(rest, config().with_limit::<{ crate::api::MAX_BODY }>())
            .map_err(|e| format!("the record does not read: {e}"))?;
    if read != rest.len() {
        return Err(format!("the record has {} bytes after its end", rest.len() - read));
    }
    Ok(RawSegment::new(Some(r.id), r.title, r.source, r.imported_at, r.measures, r.premium, r.premium_source))
}

/// A change the page sent.
pub fn change_from_bytes(bytes: &[u8]) -> Result<Change, String> {
    let (c, read): (Change, usize) =
        bincode::serde::decode_from_slice(bytes, config().with_limit::<{ crate::api::MAX_BODY }>())
            .map_err(|e| format!("the change does not read: {e}"))?;
    if read != bytes.len() {
        return Err(format!("the change has {} bytes after its end", bytes.len() - read));
    }
    Ok(c)
}
