//! Reading a stream of server-sent events (`text/event-stream`) as its
//! bytes arrive, in pieces that may split a line or a character anywhere:
//! the team server's push of sync messages (`GET api/events`).
//!
//! Only what the server sends is kept: an event's `data` lines (joined by
//! newlines, dispatched at the blank line that ends it) and comments (the
//! server's `: listening` once the stream is attached, `: keep-alive` while
//! idle). Other fields (`event`, `id`, `retry`) are ignored, as a browser's
//! `EventSource` would do for events nobody listens to. A line longer than
//! [`MAX_LINE`] is dropped whole rather than held: a sync message is a few
//! hundred bytes, and a stream that sends more is not followed.

/// The longest line kept, in bytes.
pub const MAX_LINE: usize = 64 * 1024;

/// What one piece of a stream completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An event's data.
    Data(String),
    /// A comment line's text (after the colon and one space).
    Comment(String),
}

/// The state of one stream between pieces.
#[derive(Debug, Default)]
pub struct EventStream {
    line: Vec<u8>,
    /// The current line is over [`MAX_LINE`]: skipped to its end.
    skipping: bool,
    /// A `\r` ended the last line: a `\n` right after it ends nothing more.
    after_cr: bool,
    data: Option<String>,
}

impl EventStream {
    /// Reads the next piece of the stream; returns what it completed.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Item> {
        let mut out = Vec::new();
        for &b in bytes {
            let after_cr = std::mem::replace(&mut self.after_cr, false);
            match b {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => {
                    self.after_cr = b == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if !std::mem::replace(&mut self.skipping, false) {
                        self.line_done(&line, &mut out);
                    }
                }
                _ if self.skipping => {}
                _ if self.line.len() >= MAX_LINE => {
                    self.line.clear();
                    self.skipping = true;
                }
                _ => self.line.push(b),
            }
        }
        out
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<Item>) {
        let line = String::from_utf8_lossy(line);
        if line.is_empty() {
            if let Some(data) = self.data.take() {
                out.push(Item::Data(data));
            }
            return;
        }
        if let Some(comment) = line.strip_prefix(':') {
            out.push(Item::Comment(comment.strip_prefix(' ').unwrap_or(comment).to_string()));
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_ref(), ""),
        };
        if field == "data" {
            match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(pieces: &[&[u8]]) -> Vec<Item> {
        let mut s = EventStream::default();
        pieces.iter().flat_map(|p| s.push(p)).collect()
    }

    #[test]
    fn events_and_comments_in_any_pieces() {
        let stream = b": listening\n\ndata: {\"a\":1}\n\n: keep-alive\n\ndata: x\ndata: y\n\n";
        let whole = all(&[stream]);
        assert_eq!(
            whole,
            [
                Item::Comment("listening".into()),
                Item::Data("{\"a\":1}".into()),
                Item::Comment("keep-alive".into()),
                Item::Data("x\ny".into()),
            ]
        );
        // Byte by byte: the same.
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(all(&bytes), whole);
        // A character split across pieces is whole when read.
        let text = "data: é\n\n".as_bytes();
        assert_eq!(all(&[&text[..7], &text[7..]]), [Item::Data("é".into())]);
    }

    #[test]
    fn line_ends_fields_and_limits() {
        assert_eq!(
            all(&[b"data:a\r\n\r\ndata:b\r\rdata: c\n\n"]),
            [Item::Data("a".into()), Item::Data("b".into()), Item::Data("c".into())]
        );
        // Other fields are ignored; an event without data dispatches nothing.
        assert_eq!(all(&[b"event: x\nid: 3\nretry: 10\n\ndata\n\n"]), [Item::Data("".into())]);
        // A line over the limit is dropped whole, the next one is read.
        let mut long = b"data: ".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_LINE + 10));
        long.extend(b"\n\ndata: ok\n\n");
        assert_eq!(all(&[&long]), [Item::Data("ok".into())]);
        // Nothing is dispatched before the blank line.
        assert_eq!(all(&[b"data: half"]), []);
    }
}
