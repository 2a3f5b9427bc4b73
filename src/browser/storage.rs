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
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).ok_or(StorageError::Unavailable)
}

/// The text stored under `key`, if any.
pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    local()?.get_item(key).map_err(|_| StorageError::Unavailable)
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    local()?.set_item(key, value).map_err(|_| StorageError::Full(key.to_string()))
}

thread_local! {
    static ASKED_TO_PERSIST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Asks the browser, once per page, to keep this site's storage when it
/// runs short of space (`navigator.storage.persist()`): called once the
/// user has work of their own here (a first change or import), since a
/// browser evicts the storage of sites it was not asked to keep. The
/// browser may decide without asking, or refuse: the page works the same.
pub fn ask_to_persist() {
    if ASKED_TO_PERSIST.with(|a| a.replace(true)) {
        return;
    }
    let get = |v: &wasm_bindgen::JsValue, name: &str| js_sys::Reflect::get(v, &name.into()).ok();
    let Some(storage) = get(&js_sys::global(), "navigator").and_then(|n| get(&n, "storage")) else { return };
    if let Some(persist) =
        get(&storage, "persist").and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok())
    {
        if let Ok(p) = persist.call0(&storage) {
            // Its answer changes nothing here; a refusal must not surface as
            // an unhandled rejection.
            if let Ok(p) = wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(p) {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
                });
            }
        }
    }
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<(), StorageError> {
    local()?.remove_item(key).map_err(|_| StorageError::Unavailable)
}
