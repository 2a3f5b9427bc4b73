//! Thin wrappers over the browser APIs the app uses. Everything that can fail
//! in a browser (storage disabled, an API missing) returns an error that says
//! so, instead of throwing into the page.

pub mod channel;
pub mod clock;
pub mod dom;
pub mod download;
pub mod fetch;
pub mod files;
pub mod hub;
pub mod idb;
pub mod local;
pub mod page;
pub mod range_worker;
pub mod save_worker;
pub mod saver;
pub mod segment_store;
pub mod session_worker;
pub mod storage;
pub mod sync;
#[cfg(feature = "team")]
pub mod team;
#[cfg(feature = "team")]
pub mod team_segments;
#[cfg(feature = "team")]
pub mod team_sessions;
pub mod transport;
pub mod worker_client;
