//! Markup written as text, for parts of the page that only show figures
//! (exhibits for printing, static tables): a few lines of string building
//! weigh far less in the page's WebAssembly than the same elements built as
//! components, and these parts have no controls to keep in step.

/// `s` with the characters that mean something in HTML escaped, so that
/// a user's label (an origin, a file's column) is shown as text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `<tag class="…">text</tag>` with the text escaped.
pub fn cell(out: &mut String, tag: &str, class: &str, text: &str) {
    out.push('<');
    out.push_str(tag);
    if !class.is_empty() {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// Markup as a node for a component to render.
pub fn html(markup: String) -> yew::Html {
    yew::Html::from_html_unchecked(yew::AttrValue::from(markup))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        let mut s = String::new();
        cell(&mut s, "td", "x", "<1>");
        assert_eq!(s, "<td class=\"x\">&lt;1&gt;</td>");
    }
}
