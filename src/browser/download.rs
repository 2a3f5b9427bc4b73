//! Offering text as a file download: a Blob, an object URL and a click on
//! a temporary link, which is how a static page saves a file.

use gloo::file::{Blob, ObjectUrl};
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::{JsCast, JsValue};

/// How long an offered file's object URL lives after the click: long
/// enough for the browser to have started reading it.
const REVOKE_AFTER_MS: u32 = 10_000;

/// Starts the download of `text` as `file_name`; the error says what the
/// browser refused.
pub fn offer(file_name: &str, text: &str, mime: &str) -> Result<(), String> {
    let describe = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let url = ObjectUrl::from(Blob::new_with_options(text, Some(mime)));
    let link = gloo::utils::document()
        .create_element("a")
        .map_err(describe)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "the page could not make a link".to_string())?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The click only asks for the download: the browser reads the URL
    // after this task, so revoking it at once can leave an empty or
    // failed file. The URL is dropped (revoked) later, when the download
    // has long started, so that the Blob's memory is not held for the
    // page's life.
    wasm_bindgen_futures::spawn_local(async move {
        TimeoutFuture::new(REVOKE_AFTER_MS).await;
        drop(url);
    });
    Ok(())
}
