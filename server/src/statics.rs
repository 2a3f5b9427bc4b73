//! The built app (`dist/`), served beside the API on the same origin, as a
//! static host serves it: a file that exists is sent as it is, and any
//! other path gets `index.html`, where the page reads its address.
//!
//! One difference: the `index.html` this server sends names its API
//! ([`MARKER`]), which is how the page knows it is served by a team server
//! and asks its user to sign in. The same files on a static host have no
//! such line, and the page keeps everything in its browser.

use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use std::path::Path;
use tower_http::services::ServeDir;

/// The line added to `index.html`'s head: where the API is, relative to
/// the page.
pub const MARKER: &str = r#"<meta name="runoff-server" content="api/" />"#;

/// `index.html` with [`MARKER`] in its head (after `<head>`, or first
/// when there is none).
pub fn marked(index: &str) -> String {
    match index.find("<head>") {
        Some(at) => {
            let end = at + "<head>".len();
            format!("{}\n    {MARKER}{}", &index[..end], &index[end..])
        }
        None => format!("{MARKER}\n{index}"),
    }
}

/// A router serving the files under `dist`. `index.html` is read once, at
/// start: the app is built before the server runs. Without one, every page
/// address says so.
pub fn router(dist: &Path) -> Router {
    let index = match std::fs::read_to_string(dist.join("index.html")) {
        Ok(text) => marked(&text),
        Err(e) => format!(
            "<!doctype html><title>runoff</title><p>There is no built app in {}: {e}. Build it with \
             <code>bash scripts/build.sh</code>.</p>",
            html_escape(&dist.display().to_string())
        ),
    };
    let page = move || {
        let index = index.clone();
        async move { ([(header::CACHE_CONTROL, "no-cache")], Html(index)).into_response() }
    };
    let files = ServeDir::new(dist).append_index_html_on_directories(false).fallback(get(page.clone()));
    Router::new().route("/", get(page.clone())).route("/index.html", get(page)).fallback_service(files)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_goes_into_the_head() {
        let page = "<!doctype html>\n<html>\n  <head>\n    <title>t</title>\n  </head>\n</html>\n";
        let m = marked(page);
        assert_eq!(
            m,
            "<!doctype html>\n<html>\n  <head>\n    <meta name=\"runoff-server\" content=\"api/\" />\n    <title>t</title>\n  </head>\n</html>\n"
        );
        assert!(marked("<p>x</p>").starts_with(MARKER));
    }
}
