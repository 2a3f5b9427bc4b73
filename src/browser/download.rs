//! Offering text as a file download: a Blob, an object URL and a click on
//! a temporary link, which is how a static page saves a file.

use wasm_bindgen::{JsCast, JsValue};

/// How long an offered file's object URL lives after the click: long
/// enough for the browser to have started reading it.
const REVOKE_AFTER_MS: u32 = 10_000;

/// Starts the download of `text` as `file_name`; the error says what the
/// browser refused.
pub fn offer(file_name: &str, text: &str, mime: &str) -> Result<(), String> {
    let describe = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = gloo::utils::document();
    let link = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "the page could not make a link".to_string())?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The click only asks for the download: the browser reads the URL
    // after this task, so revoking it at once can leave an empty or
    // failed file. It is revoked later, when the download has long
    // started, so that the Blob's memory is not held for the page's life.
    gloo::timers::callback::Timeout::new(REVOKE_AFTER_MS, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
