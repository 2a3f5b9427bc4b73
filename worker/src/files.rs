//! Files the page names by URL, read in the worker: a claims file of
//! several megabytes (an object URL) then never passes through the page's
//! thread, and a sample served beside the page (a relative URL) is fetched
//! while the worker starts. The
//! last one read is kept, since a preview reads the same file again with
//! each change of its mapping.

use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static LAST: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// The text of the file at `url`; the error says what failed.
pub async fn text(url: &str) -> Result<String, String> {
    if let Some(text) = LAST.with(|l| l.borrow().as_ref().filter(|(u, _)| u == url).map(|(_, t)| t.clone())) {
        return Ok(text);
    }
    let failed = |what: &str| format!("the file could not be read: {what}");
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let response = JsFuture::from(scope.fetch_with_str(url)).await.map_err(|_| failed("it is no longer there"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failed("no answer"))?;
    if !response.ok() {
        return Err(failed(&format!("the server answered {}", response.status())));
    }
    let text = response.text().map_err(|_| failed("it is not text"))?;
    let text = JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| failed("it is not text"))?;
    LAST.with(|l| *l.borrow_mut() = Some((url.to_string(), text.clone())));
    Ok(text)
}
