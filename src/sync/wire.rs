//! What the page sends a team server in its own binary form, the codec it
//! speaks with its workers, rather than as JSON, which would cost the page
//! a writer of its own: a change (`POST …/actions`, as
//! `application/x-runoff-change`) and a segment's data (`PUT`/`GET
//! …/segments/{id}`, as `application/x-runoff-record`: the bytes
//! IndexedDB holds, [`crate::catalog::StoredSegment::to_bytes`]). The
//! server reads and writes the same forms (`server/src/page_form.rs`).

use runoff_engine::Action;
use serde::Serialize;

/// A change in the page's form.
pub const CHANGE_TYPE: &str = "application/x-runoff-change";
/// A segment's data in the page's stored form.
pub const RECORD_TYPE: &str = "application/x-runoff-record";

/// A change as the page posts it: the fields of the API's JSON body, in
/// that order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change<'a> {
    pub action: &'a Action,
    /// The version the page showed when the change was made.
    pub base_version: u64,
    pub origin_tab_id: &'a str,
    /// The change's own id (a UUID): a retry sends the same.
    pub action_id: &'a str,
}

impl Change<'_> {
    /// The body to post.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        runoff_worker::codec::to_bytes(self)
    }
}
