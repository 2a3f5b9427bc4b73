//! Markup written as text, for the parts of the page that only show
//! figures (the charts, the exhibits, static tables): the worker writes most
//! of them with the results, so the page's WebAssembly carries neither the
//! code that lays them out nor the figures' types, only the text to insert.
//!
//! Text is escaped unless the code says otherwise. [`Out`] appends markup
//! only from string literals ([`Out::lit`] takes a `&'static str`, so no
//! label, name or number read at run time can reach it), text of any kind
//! escaped ([`Out::text`], in an element or in a quoted attribute value
//! alike), numbers, and markup written at run time by another of the
//! crate's own writers through the one method that says so,
//! [`Out::raw_markup`].

use serde::{Deserialize, Serialize};

/// `s` with the characters that mean something in HTML escaped, so that
/// a user's label (an origin, a file's column) is shown as text, in an
/// element or in an attribute value in quotes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// Appends `s` escaped, as [`escape`].
fn push_escaped(out: &mut String, s: &str) {
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
}

/// Appends `<tag class="…">text</tag>` with the text escaped; `tag` may
/// carry attributes after its name (`th scope="row"`). The tag and the
/// class are literals: markup, never a user's text.
pub fn cell(out: &mut String, tag: &'static str, class: &'static str, text: &str) {
    out.push('<');
    out.push_str(tag);
    if !class.is_empty() {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
    out.push('>');
    push_escaped(out, text);
    out.push_str("</");
    out.push_str(tag.split(' ').next().unwrap_or(tag));
    out.push('>');
}

/// Markup being written: literal markup, text (escaped) and numbers
/// appended in turn (`out.lit("<td>").n(x, 1).lit("</td>")`), which is much
/// less code than the formatting machinery for the same markup.
#[derive(Default)]
pub struct Out(String);

impl Out {
    pub fn with_capacity(n: usize) -> Out {
        Out(String::with_capacity(n))
    }

    /// Whether nothing has been written yet.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Markup as it is: a literal of the code (`"<td class=\"x\">"`), never
    /// text known only at run time, which goes through [`Out::text`].
    pub fn lit(&mut self, markup: &'static str) -> &mut Out {
        self.0.push_str(markup);
        self
    }

    /// Text, escaped: a label, a name, a message, a number written as
    /// text; in an element or in an attribute value in quotes.
    pub fn text(&mut self, s: &str) -> &mut Out {
        push_escaped(&mut self.0, s);
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
    pub fn cell(&mut self, tag: &'static str, class: &'static str, text: &str) -> &mut Out {
        cell(&mut self.0, tag, class, text);
        self
    }

    /// Markup written at run time, appended as it is: only what another
    /// [`Out`] of this crate wrote (an exhibit joined to the next), whose
    /// own text went through [`Out::text`] and whose markup through
    /// [`Out::lit`], so that it holds no unescaped text. Never a label, a
    /// name or anything read from a file, a session or the page: those are
    /// [`Out::text`].
    pub fn raw_markup(&mut self, markup: &str) -> &mut Out {
        self.0.push_str(markup);
        self
    }

    pub fn done(self) -> String {
        self.0
    }
}

/// Where a cell's contents go in a [`Cells`] frame: a character no literal
/// of the code holds.
pub const HOLE: char = '\u{1}';

/// A table written as a frame of literal markup with a hole for each cell,
/// and each cell's contents on its own, so that a page that shows the
/// table rewrites only the cells whose contents changed (and the browser
/// parses, styles and lays out those, not the whole table). Every `th`,
/// `td`, `caption` and `p` of the table is a cell, in document order, and
/// only those are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cells {
    frame: String,
    cells: Vec<String>,
}

impl Cells {
    /// Markup of the frame, between cells: a literal of the code only.
    pub fn lit(&mut self, markup: &'static str) -> &mut Cells {
        self.frame.push_str(markup);
        self
    }

    /// A cell's contents, written by `write` as any markup is.
    pub fn cell(&mut self, write: impl FnOnce(&mut Out)) -> &mut Cells {
        let mut out = Out::default();
        write(&mut out);
        self.frame.push(HOLE);
        self.cells.push(out.done());
        self
    }

    /// The cells' contents, in document order.
    pub fn cells(&self) -> &[String] {
        &self.cells
    }

    /// Whether `other` has the same frame, so that the two differ only in
    /// their cells' contents.
    pub fn same_frame(&self, other: &Cells) -> bool {
        self.frame == other.frame && self.cells.len() == other.cells.len()
    }

    /// The whole markup.
    pub fn markup(&self) -> String {
        let mut out = String::with_capacity(self.frame.len() + self.cells.iter().map(String::len).sum::<usize>());
        let mut cells = self.cells.iter();
        for part in self.frame.split(HOLE) {
            out.push_str(part);
            if let Some(c) = cells.next() {
                out.push_str(c);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "<img src=x onerror=alert(1)>\"'&";
    const ESCAPED: &str = "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;";

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        assert_eq!(escape(HOSTILE), ESCAPED);
        let mut s = String::new();
        cell(&mut s, "td", "x", "<1>");
        assert_eq!(s, "<td class=\"x\">&lt;1&gt;</td>");
    }

    #[test]
    fn only_literals_are_markup() {
        let mut o = Out::default();
        assert!(o.is_empty());
        o.lit("<td data-x=\"").text(HOSTILE).lit("\">").text(HOSTILE).n(1.5, 1).lit(" ").fig(1234.5, 2);
        o.cell("th scope=\"row\"", "sticky", HOSTILE).lit("</td>");
        assert_eq!(
            o.done(),
            format!(
                "<td data-x=\"{ESCAPED}\">{ESCAPED}1.5 1,234.50<th scope=\"row\" class=\"sticky\">{ESCAPED}</th></td>"
            )
        );
        // Ordinary text is written as it is.
        let mut o = Out::with_capacity(16);
        o.text("2005Q1 – 12-24, 1.05%");
        assert_eq!(o.done(), "2005Q1 – 12-24, 1.05%");
    }

    #[test]
    fn a_table_in_cells_is_its_markup_and_tells_which_cells_changed() {
        let write = |label: &str, x: f64| {
            let mut t = Cells::default();
            t.lit("<table><tr><th scope=\"col\">")
                .cell(|o| {
                    o.text(label);
                })
                .lit("</th><td>")
                .cell(|o| {
                    o.lit("<button>").n(x, 2).lit("</button>");
                })
                .lit("</td></tr></table>");
            t
        };
        let (a, b) = (write(HOSTILE, 1.0), write(HOSTILE, 2.0));
        assert_eq!(
            a.markup(),
            format!("<table><tr><th scope=\"col\">{ESCAPED}</th><td><button>1.00</button></td></tr></table>")
        );
        assert!(a.same_frame(&b));
        assert_eq!(a.cells()[0], b.cells()[0]);
        assert_ne!(a.cells()[1], b.cells()[1]);
        // A hole in a label is the label's text, not a hole of the frame.
        let c = write("a\u{1}b", 1.0);
        assert_eq!(c.markup(), "<table><tr><th scope=\"col\">a\u{1}b</th><td><button>1.00</button></td></tr></table>");
        assert!(c.same_frame(&a));
    }

    #[test]
    fn raw_markup_is_appended_as_written() {
        let mut part = Out::default();
        part.lit("<p>").text(HOSTILE).lit("</p>");
        let part = part.done();
        let mut o = Out::default();
        o.lit("<div>").raw_markup(&part).lit("</div>");
        assert_eq!(o.done(), format!("<div><p>{ESCAPED}</p></div>"));
    }
}
