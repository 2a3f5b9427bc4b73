//! Markup written as text, for the parts of the page that only show
//! figures (the charts, the exhibits, static tables): the worker writes most
//! of them with the results, so the page's WebAssembly carries neither the
//! code that lays them out nor the figures' types, only the text to insert.

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

/// Appends `<tag class="…">text</tag>` with the text escaped; `tag` may
/// carry attributes after its name (`th scope="row"`).
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
    out.push_str(tag.split(' ').next().unwrap_or(tag));
    out.push('>');
}

/// Markup being written: text, escaped text and numbers appended in turn
/// (`out.t("<td>").n(x, 1).t("</td>")`), which is much less code than the
/// formatting machinery for the same markup.
#[derive(Default)]
pub struct Out(pub String);

impl Out {
    pub fn with_capacity(n: usize) -> Out {
        Out(String::with_capacity(n))
    }

    /// Markup as it is.
    pub fn t(&mut self, s: &str) -> &mut Out {
        self.0.push_str(s);
        self
    }

    /// Text, escaped.
    pub fn e(&mut self, s: &str) -> &mut Out {
        self.0.push_str(&escape(s));
        self
    }

    /// A number with `decimals` decimals, no separators (coordinates).
    pub fn n(&mut self, x: f64, decimals: usize) -> &mut Out {
        crate::format::push_fixed(&mut self.0, x, decimals);
        self
    }

    /// A figure as people read it: separators, `decimals` decimals.
    pub fn fig(&mut self, x: f64, decimals: usize) -> &mut Out {
        self.0.push_str(&crate::format::number(x, decimals));
        self
    }

    /// `<tag class="…">text</tag>`, as [`cell`].
    pub fn cell(&mut self, tag: &str, class: &str, text: &str) -> &mut Out {
        cell(&mut self.0, tag, class, text);
        self
    }

    pub fn done(self) -> String {
        self.0
    }
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
