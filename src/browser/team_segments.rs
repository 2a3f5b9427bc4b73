//! A team server's segments, for the list of segments and the segment
//! shown: the segments imported there (`GET api/segments`; the samples are
//! the page's own, the same data the server offers), one segment's data
//! (`GET api/segments/{id}`, in the form the page stores) and an import
//! (`PUT api/segments/{id}`, which never replaces a segment). A segment on
//! the server is kept as it was imported: its data is not changed or
//! deleted from the page.

use crate::browser::team::{answer, call, get_bytes, Body, TeamError};
use crate::catalog::{StoredSegment, MAX_RECORD_BYTES};
use crate::sync::transport::StoreError;
use crate::sync::wire::RECORD_TYPE;
use runoff_engine::session::Value;
use std::rc::Rc;

/// What the page says when a team server's segment would be changed.
pub const KEPT_AS_IMPORTED: &str = "a team server keeps each segment as it was imported: import the \
    changed data as a new segment";

/// The segments of a team server, for a user signed in.
pub struct TeamSegments {
    pub api: Rc<str>,
    pub token: Rc<str>,
    /// This tab, named in the message an import sends to the other pages.
    pub tab_id: String,
}

impl TeamSegments {
    /// The ids and titles of the segments imported on the server.
    pub async fn list(&self) -> Result<Vec<(String, String)>, StoreError> {
        let text = call(&self.api, &self.token, "GET", "segments", None).await?;
        let Value::Sequence(entries) = answer(&text, MAX_RECORD_BYTES)? else {
            return Err(StoreError("the team server's list of segments is not a list".into()));
        };
        Ok(entries
            .iter()
            .filter(|e| !e.get("builtin").and_then(Value::as_bool).unwrap_or(false))
            .filter_map(|e| {
                let id = e.get("id").and_then(Value::as_str)?;
                let title = e.get("title").and_then(Value::as_str).unwrap_or(id);
                Some((id.to_string(), title.to_string()))
            })
            .collect())
    }

    /// One segment's data in the form IndexedDB holds, if the server has
    /// it (the caller reads and checks it as it does a stored record).
    pub async fn get(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match get_bytes(&self.api, &self.token, &format!("segments/{id}"), RECORD_TYPE).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(TeamError::Refused(404, _)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Imports `record` under its id; a taken id is refused with
    /// `ConstraintError`, as IndexedDB refuses it, so that another is chosen.
    pub async fn add(&self, record: &StoredSegment) -> Result<(), StoreError> {
        let bytes = record.to_bytes();
        let path = format!("segments/{}?origin_tab_id={}", record.id, self.tab_id);
        match call(&self.api, &self.token, "PUT", &path, Some(Body::Binary(RECORD_TYPE, &bytes))).await {
            Ok(_) => Ok(()),
            Err(TeamError::Refused(409, e)) => Err(StoreError(format!("ConstraintError: {e}"))),
            Err(e) => Err(e.into()),
        }
    }
}
