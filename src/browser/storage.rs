//! `localStorage` access that never throws: storage can be disabled (private
//! modes), full, or missing, and each of those is a message, not a crash.

/// What went wrong with storage, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    Unavailable,
    Full(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable => write!(f, "browser storage is disabled or unavailable"),
            StorageError::Full(key) => write!(f, "browser storage is full: `{key}` was not saved"),
        }
    }
}

fn local() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

/// The text stored under `key`, if any.
pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    local()?.get_item(key).map_err(|_| StorageError::Unavailable)
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    local()?.set_item(key, value).map_err(|_| StorageError::Full(key.to_string()))
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<(), StorageError> {
    local()?.remove_item(key).map_err(|_| StorageError::Unavailable)
}
