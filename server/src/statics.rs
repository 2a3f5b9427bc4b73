//! The built app (`dist/`), served beside the API on the same origin, as a
//! static host serves it: a file that exists is sent as it is, and any
//! other path gets `index.html`, where the page reads its address.

use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// A router serving the files under `dist`.
pub fn router(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"));
    Router::new().fallback_service(ServeDir::new(dist).fallback(index))
}
