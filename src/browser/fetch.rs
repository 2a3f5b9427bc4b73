//! Reading a file that is served beside the page (the sample segments'
//! data), relative to the page so that the app works under any path.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text of `path`; the error names the path and what went wrong.
pub async fn text(path: &str) -> Result<String, String> {
    let failed = |what: &str| format!("{path} could not be read: {what}");
    let window = web_sys::window().ok_or_else(|| failed("there is no window"))?;
    let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| failed("the request failed"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failed("no response"))?;
    if !response.ok() {
        return Err(failed(&format!("the server answered {}", response.status())));
    }
    let text = response.text().map_err(|_| failed("no text"))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| failed("the text did not arrive"))
}
