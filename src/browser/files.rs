//! Reading the files a user gives the page (a file input, a drop) as text.

use gloo::file::futures::read_as_text;

/// The largest file the page reads: far beyond any triangle's data (the
/// 34,244 claims of a 120 × 120 triangle are 4 MB), and small enough that
/// a wrong file cannot take the tab's memory.
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;

/// A file the user gave, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub name: String,
    pub text: std::rc::Rc<String>,
}

/// Reads a file as text; the error names the file and says what is wrong.
pub async fn read(file: web_sys::File) -> Result<Upload, String> {
    let name = file.name();
    let size = file.size();
    if size > MAX_BYTES as f64 {
        return Err(format!(
            "{name} is {} MB; files of more than {} MB are not read",
            crate::format::fixed(size / 1_048_576.0, 0),
            MAX_BYTES / 1_048_576
        ));
    }
    let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
    match read_as_text(&blob).await {
        Ok(text) => Ok(Upload { name, text: std::rc::Rc::new(text) }),
        Err(e) => Err(format!("{name} could not be read: {e}")),
    }
}

/// The first file of a file input's change event, if any.
pub fn first_of_input(e: &yew::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = e.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0);
    // Let the same file be chosen again (after fixing it, say).
    input.set_value("");
    file
}
