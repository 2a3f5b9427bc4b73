//! The files a user gives the page (a file input, a drop, a paste): small
//! ones (premium, sessions) read as text here; claims files named by an
//! object URL that the worker reads, so that a large file's text never
//! passes through the page's thread.

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

/// A file that is too large to read, said in the user's words.
fn too_large(file: &web_sys::File) -> Option<String> {
    (file.size() > MAX_BYTES as f64).then(|| {
        format!(
            "{} is {} MB; files of more than {} MB are not read",
            file.name(),
            crate::format::fixed(file.size() / 1_048_576.0, 0),
            MAX_BYTES / 1_048_576
        )
    })
}

/// Reads a file as text; the error names the file and says what is wrong.
pub async fn read(file: web_sys::File) -> Result<Upload, String> {
    let name = file.name();
    if let Some(e) = too_large(&file) {
        return Err(e);
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

/// What a claims file holds, for the worker to read.
#[derive(Clone)]
pub enum Content {
    Text(std::rc::Rc<String>),
    /// The file's object URL, given back to the browser when dropped.
    File(gloo::file::ObjectUrl),
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Text(t) => write!(f, "Text({} bytes)", t.len()),
            Content::File(u) => write!(f, "File({})", &**u),
        }
    }
}

/// A claims file to import: its name and where its text is.
#[derive(Debug, Clone)]
pub struct Claims {
    pub name: String,
    pub content: Content,
}

impl PartialEq for Claims {
    fn eq(&self, o: &Claims) -> bool {
        self.name == o.name
            && match (&self.content, &o.content) {
                (Content::Text(a), Content::Text(b)) => std::rc::Rc::ptr_eq(a, b),
                (Content::File(a), Content::File(b)) => **a == **b,
                _ => false,
            }
    }
}

impl Claims {
    /// A chosen or dropped file, not read here.
    pub fn of_file(file: &web_sys::File) -> Result<Claims, String> {
        if let Some(e) = too_large(file) {
            return Err(e);
        }
        let url = gloo::file::ObjectUrl::from(gloo::file::File::from(file.clone()));
        Ok(Claims { name: file.name(), content: Content::File(url) })
    }

    /// Text pasted into the page.
    pub fn pasted(text: String) -> Claims {
        Claims { name: "pasted data".into(), content: Content::Text(std::rc::Rc::new(text)) }
    }

    /// Where the worker finds the text.
    pub fn source(&self) -> runoff_worker::Source {
        match &self.content {
            Content::Text(t) => runoff_worker::Source::Text((**t).clone()),
            Content::File(u) => runoff_worker::Source::Url(u.to_string()),
        }
    }
}
