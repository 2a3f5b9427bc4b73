//! The sessions in `localStorage`, for browsers where IndexedDB is missing
//! or refuses to open ([`Mode::Fallback`]). localStorage has no
//! transactions, and Chromium syncs it between tab processes
//! asynchronously, so another tab's write may land between this tab's read
//! and write: versions are then ordered by the pair (version, tab) and every
//! tab still settles on one winner, but a change can be lost. The page says
//! so (see [`crate::browser::sync::FALLBACK_NOTE`]).

use crate::browser::storage::{self, StorageError};
use crate::sync::rules::Mode;
use crate::sync::transport::{SessionStore, StoreError, Writes};

/// Where the sessions live in localStorage: this prefix, then the key.
pub const PREFIX: &str = "runoff.session.";

/// The localStorage key of a session key.
pub fn storage_key(key: &str) -> String {
    format!("{PREFIX}{key}")
}

/// The sessions in localStorage. Every call reaches storage anew, so a
/// store made while storage is disabled starts working if it is enabled.
#[derive(Debug, Default, Clone)]
pub struct LocalStore;

fn store_error(e: StorageError) -> StoreError {
    StoreError(e.to_string())
}

impl LocalStore {
    /// Removes `key`; for tests and for a page that deletes a segment.
    pub fn remove(&self, key: &str) -> Result<(), StoreError> {
        storage::remove(&storage_key(key)).map_err(store_error)
    }
}

impl SessionStore for LocalStore {
    fn mode(&self) -> Mode {
        Mode::Fallback
    }

    async fn read(&self, key: &str) -> Result<Option<String>, StoreError> {
        storage::get(&storage_key(key)).map_err(store_error)
    }

    async fn update<R>(&self, key: &str, change: impl FnOnce(Option<&str>) -> (Writes, R)) -> Result<R, StoreError> {
        // Read and write with nothing awaited in between: within this tab
        // no other save can come between them.
        let stored = storage::get(&storage_key(key)).map_err(store_error)?;
        let (writes, result) = change(stored.as_deref());
        for (k, text) in &writes {
            // In order: the text kept aside comes before the session that
            // replaces it, so a full storage never loses the old text.
            storage::set(&storage_key(k), text).map_err(store_error)?;
        }
        Ok(result)
    }
}
