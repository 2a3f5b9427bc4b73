//! Reading a file that is served beside the page (the sample segments'
//! data, what index.html preloads), relative to the page so that the app
//! works under any path.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text of `path`; the error names the path and what went wrong. The
/// request is made at the call, not when the answer is awaited, so that
/// several can be under way at once.
pub fn text(path: &str) -> impl std::future::Future<Output = Result<String, String>> {
    let path = path.to_string();
    let request = web_sys::window().map(|w| JsFuture::from(w.fetch_with_str(&path)));
    async move {
        let failed = |what: &str| format!("{path} could not be read: {what}");
        let request = request.ok_or_else(|| failed("there is no window"))?;
        let response = request.await.map_err(|_| failed("the request failed"))?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| failed("no response"))?;
        if !response.ok() {
            return Err(failed(&format!("the server answered {}", response.status())));
        }
        let text = response.text().map_err(|_| failed("no text"))?;
        JsFuture::from(text).await.ok().and_then(|t| t.as_string()).ok_or_else(|| failed("the text did not arrive"))
    }
}

/// Requests `path` and lets the answer go: for a preload (index.html's
/// `<link rel="preload">`) that the browser wants taken, and whose bytes a
/// later request finds in its cache. Offline or refused, the later request
/// says so.
pub fn take(path: &str) {
    if let Some(request) = web_sys::window().map(|w| JsFuture::from(w.fetch_with_str(path))) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = request.await;
        });
    }
}
