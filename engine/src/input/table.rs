//! A CSV text as a header and rows, each row with the line it starts on, so
//! that every later error can point at the line a user sees in an editor.
//! The separator is sniffed from the header (comma, tab as pasted from a
//! spreadsheet, or semicolon as some locales export).

use super::input_error;
use crate::EngineError;
use std::borrow::Cow;

pub(crate) struct Table<'a> {
    pub headers: Vec<String>,
    /// The text the fields are in: the file itself when it has no quotes,
    /// else the fields unquoted one after the other.
    fields: Cow<'a, str>,
    /// Text without quotes is split on its delimiter when a field is asked
    /// for, and nothing is stored per field; otherwise `spans` holds where
    /// each field starts and ends in `fields`. A large claims file has
    /// hundreds of thousands of fields, and storing them was most of the
    /// time it took to read one.
    plain: Option<u8>,
    spans: Vec<(u32, u32)>,
    rows: Vec<RowAt>,
}

/// A data row's place in the table: for plain text the byte range of its
/// line, otherwise the range of its fields in `spans`.
struct RowAt {
    /// The file is smaller than 4 GiB, so it has fewer lines than that.
    line: u32,
    start: u32,
    end: u32,
}

/// One data row: its fields and the line it starts on.
#[derive(Clone, Copy)]
pub(crate) struct Row<'t> {
    /// 1-based line number in the text.
    pub line: usize,
    fields: &'t str,
    plain: Option<u8>,
    spans: &'t [(u32, u32)],
}

impl<'t> Row<'t> {
    /// A field, or empty past the end of a short row.
    pub fn get(&self, column: usize) -> &'t str {
        match self.plain {
            Some(d) => {
                // A byte scan: fields are short, and a delimiter is ASCII,
                // so it never falls inside a character.
                let mut start = 0;
                let mut k = 0;
                for (i, &c) in self.fields.as_bytes().iter().enumerate() {
                    if c == d {
                        if k == column {
                            return &self.fields[start..i];
                        }
                        k += 1;
                        start = i + 1;
                    }
                }
                if k == column {
                    &self.fields[start..]
                } else {
                    ""
                }
            }
            None => self.spans.get(column).map_or("", |&(a, b)| &self.fields[a as usize..b as usize]),
        }
    }

    /// The first `n` fields into `out` (empty past the end of a short
    /// row), in one scan of the row: a reader that wants several columns
    /// of every row would otherwise scan it from the start for each.
    pub fn fields_into(&self, out: &mut Vec<&'t str>, n: usize) {
        out.clear();
        match self.plain {
            Some(d) => {
                let mut start = 0;
                for (i, &c) in self.fields.as_bytes().iter().enumerate() {
                    if out.len() == n {
                        break;
                    }
                    if c == d {
                        out.push(&self.fields[start..i]);
                        start = i + 1;
                    }
                }
                if out.len() < n {
                    out.push(&self.fields[start..]);
                }
            }
            None => out.extend(self.spans.iter().take(n).map(|&(a, b)| &self.fields[a as usize..b as usize])),
        }
        while out.len() < n {
            out.push("");
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        match self.plain {
            Some(d) => self.fields.split(char::from(d)).count(),
            None => self.spans.len(),
        }
    }
}

/// Collects records into a [`Table`]: the header from the first, and the
/// checks every record gets, whichever way the text was split.
#[derive(Default)]
struct Builder {
    headers: Option<Vec<String>>,
}

impl Builder {
    /// Takes one record starting on `line`: `true` when it is a row of
    /// data (not the header, not padding).
    fn record<'f>(&mut self, fields: impl Iterator<Item = &'f str> + Clone, line: usize) -> Result<bool, EngineError> {
        // Lines of empty fields (`,,,`) are spreadsheet padding.
        if fields.clone().all(|f| f.trim().is_empty()) {
            return Ok(false);
        }
        let Some(h) = &self.headers else {
            self.headers = Some(fields.map(|f| f.trim().to_string()).collect());
            return Ok(false);
        };
        if let Some((i, extra)) = fields.clone().enumerate().skip(h.len()).find(|(_, f)| !f.trim().is_empty()) {
            return Err(input_error(
                Some(line),
                None,
                format!(
                    "{} fields but the header has {} (field {} is `{extra}`; is a value with a comma not quoted?)",
                    fields.count(),
                    h.len(),
                    i + 1
                ),
            ));
        }
        Ok(true)
    }

    /// [`Builder::record`] for a line of plain text. Nearly every line is
    /// data with no more fields than the header, and one scan of its bytes
    /// shows that; only the others are split into fields.
    fn record_plain(&mut self, line: &str, delimiter: u8, line_no: usize) -> Result<bool, EngineError> {
        if let Some(h) = &self.headers {
            // Not blank when `trim` leaves an ASCII character that is not
            // whitespace; other bytes may be part of Unicode whitespace,
            // which the general path judges. A data line's first byte
            // nearly always shows it.
            let shows_text = |b: u8| b != delimiter && b.is_ascii() && !char::from(b).is_whitespace();
            let bytes = line.as_bytes();
            let text = bytes.first().is_some_and(|&b| shows_text(b)) || bytes.iter().any(|&b| shows_text(b));
            if text && bytes.iter().filter(|&&b| b == delimiter).count() < h.len() {
                return Ok(true);
            }
        }
        self.record(line.split(char::from(delimiter)), line_no)
    }
}

impl<'a> Table<'a> {
    pub fn parse(text: &'a str) -> Result<Table<'a>, EngineError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(input_error(None, None, "the file is empty".into()));
        }
        // Offsets are 32-bit; a CSV of 4 GiB is no reserving data.
        if text.len() >= u32::MAX as usize {
            return Err(input_error(None, None, "the file is larger than 4 GiB".into()));
        }
        // Bytes that are no text (a workbook, an image) come through a
        // browser's text reading as NUL or as U+FFFD.
        let replaced = text.chars().take(100_000).filter(|&c| c == '\u{fffd}').count();
        if text.contains('\0') || replaced > 10 {
            return Err(input_error(
                None,
                None,
                "the file is not text: is it a workbook (.xlsx) or an image? Save the sheet as CSV and import that"
                    .into(),
            ));
        }
        let delimiter = sniff_delimiter(text);
        if is_plain(text) {
            Table::parse_plain(text, delimiter)
        } else {
            Table::parse_csv(text, delimiter)
        }
    }

    /// Text without quotes, and without a carriage return that does not end
    /// a line, means the same split on delimiters and line ends as through
    /// the CSV parser, at a fraction of the cost.
    fn parse_plain(text: &'a str, delimiter: u8) -> Result<Table<'a>, EngineError> {
        let mut b = Builder::default();
        let mut rows = Vec::with_capacity(text.len() / 32);
        let mut offset = 0;
        for (k, raw) in text.split('\n').enumerate() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if b.record_plain(line, delimiter, k + 1)? {
                rows.push(RowAt { line: (k + 1) as u32, start: offset as u32, end: (offset + line.len()) as u32 });
            }
            offset += raw.len() + 1;
        }
        Ok(Table {
            headers: b.headers.unwrap_or_default(),
            fields: Cow::Borrowed(text),
            plain: Some(delimiter),
            spans: Vec::new(),
            rows,
        })
    }

    fn parse_csv(text: &str, delimiter: u8) -> Result<Table<'a>, EngineError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut b = Builder::default();
        let mut rows = Vec::new();
        let mut fields = String::with_capacity(text.len());
        let mut spans = Vec::new();
        let mut record = csv::StringRecord::new();
        // The reader's own line count skips blank lines; counting newlines
        // up to each record's byte offset gives the line an editor shows.
        let mut lines = LineCounter { text: text.as_bytes(), offset: 0, line: 1 };
        loop {
            let more = reader.read_record(&mut record).map_err(|e| {
                let line = e.position().map(|p| p.line() as usize);
                input_error(line, None, format!("not readable as CSV: {e}"))
            })?;
            if !more {
                break;
            }
            let line = lines.at(record.position().map_or(0, |p| p.byte() as usize));
            if b.record(record.iter(), line)? {
                let start = spans.len() as u32;
                for f in record.iter() {
                    let a = fields.len();
                    fields.push_str(f);
                    spans.push((a as u32, fields.len() as u32));
                }
                rows.push(RowAt { line: line as u32, start, end: spans.len() as u32 });
            }
        }
        Ok(Table { headers: b.headers.unwrap_or_default(), fields: Cow::Owned(fields), plain: None, spans, rows })
    }

    /// The data rows, in the order of the file.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + Clone + '_ {
        self.rows.iter().map(move |r| {
            let (start, end) = (r.start as usize, r.end as usize);
            match self.plain {
                Some(_) => {
                    Row { line: r.line as usize, fields: &self.fields[start..end], plain: self.plain, spans: &[] }
                }
                None => {
                    Row { line: r.line as usize, fields: &self.fields, plain: None, spans: &self.spans[start..end] }
                }
            }
        })
    }

    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// The index of a named column: the exact name, else the only name
    /// that matches ignoring case. An unknown name lists the columns there
    /// are, which is usually all a user needs to fix the option.
    pub fn column(&self, name: &str) -> Result<usize, EngineError> {
        self.find(name).ok_or_else(|| {
            input_error(Some(1), Some(name), format!("no such column; the columns are {}", self.list_headers()))
        })?
    }

    /// Like [`Table::column`], but a missing column is `Ok(None)`.
    pub fn find(&self, name: &str) -> Option<Result<usize, EngineError>> {
        let name = name.trim();
        let exact: Vec<usize> = (0..self.headers.len()).filter(|&i| self.headers[i] == name).collect();
        let matches = if exact.is_empty() {
            (0..self.headers.len()).filter(|&i| self.headers[i].eq_ignore_ascii_case(name)).collect()
        } else {
            exact
        };
        match matches.as_slice() {
            [] => None,
            [i] => Some(Ok(*i)),
            _ => Some(Err(input_error(Some(1), Some(name), format!("{} columns have this name", matches.len())))),
        }
    }

    pub fn list_headers(&self) -> String {
        self.headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
    }
}

struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line of a byte offset; offsets only grow, so each byte is
    /// counted once.
    fn at(&mut self, offset: usize) -> usize {
        let mut end = offset.min(self.text.len());
        // A record's offset can be that of the blank lines before it.
        while self.text.get(end).is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            end += 1;
        }
        if end > self.offset {
            self.line += self.text[self.offset..end].iter().filter(|&&b| b == b'\n').count();
            self.offset = end;
        }
        self.line
    }
}

/// Whether the text can be split without the CSV parser: no quotes, and
/// every carriage return part of a line end.
fn is_plain(text: &str) -> bool {
    !text.contains('"') && (!text.contains('\r') || text.matches('\r').count() == text.matches("\r\n").count())
}

/// The separator that the header line uses most: tab, semicolon or comma
/// (comma on a tie, since it is what CSV means).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| header.matches(c).count();
    let (commas, tabs, semis) = (count(','), count('\t'), count(';'));
    if tabs > 0 && tabs >= commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_files_are_not_read_as_tables() {
        for text in ["PK\u{3}\u{4}\0\0x,y\n", &"\u{fffd}".repeat(40)] {
            let e = Table::parse(text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(e.contains("not text"), "{e}");
        }
    }

    #[test]
    fn lines_separators_and_padding() {
        let t = Table::parse("\u{feff}a\tb\n\n1\t2\n\t\n3\t4\t\n").unwrap();
        assert_eq!(t.headers, vec!["a", "b"]);
        assert_eq!(t.rows().map(|r| r.line).collect::<Vec<_>>(), vec![3, 5]);
        let second = t.rows().nth(1).unwrap();
        assert_eq!(second.get(0), "3");
        assert_eq!(second.get(1), "4");
        assert_eq!(second.get(2), "");
        assert_eq!(second.get(7), "");
        assert_eq!(t.column("B").unwrap(), 1);
        let e = t.column("c").unwrap_err().to_string();
        assert!(e.contains("`a`, `b`"), "{e}");
        let e = Table::parse("a,b\n1,2,3\n").err().unwrap().to_string();
        assert!(e.contains("row 2") && e.contains("`3`"), "{e}");
        assert!(Table::parse(" \n").is_err());
    }

    fn same(a: &Result<Table<'_>, EngineError>, b: &Result<Table<'_>, EngineError>) -> bool {
        match (a, b) {
            (Ok(a), Ok(b)) => {
                let rows = |t: &Table| {
                    t.rows()
                        .map(|r| (r.line, (0..r.len()).map(|c| r.get(c).to_string()).collect::<Vec<_>>()))
                        .collect::<Vec<_>>()
                };
                // One scan for several fields gives what `get` gives for each.
                let scanned = |t: &Table| {
                    t.rows().all(|r| {
                        let mut out = Vec::new();
                        (0..r.len() + 2).all(|n| {
                            r.fields_into(&mut out, n);
                            out.len() == n && out.iter().enumerate().all(|(c, f)| *f == r.get(c))
                        })
                    })
                };
                a.headers == b.headers && rows(a) == rows(b) && scanned(a) && scanned(b)
            }
            (Err(a), Err(b)) => a == b,
            _ => false,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::with_cases(2_000)
        })]

        /// The quick split gives the CSV parser's table wherever it is used.
        #[test]
        fn plain_split_is_the_csv_parsers(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "12", ",", ";", "\t", " ", "\n", "\r\n", "é", "1.5", ",,", "\n\n"]),
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            proptest::prop_assume!(is_plain(&text) && !text.trim().is_empty());
            let d = sniff_delimiter(&text);
            let (plain, csv) = (Table::parse_plain(&text, d), Table::parse_csv(&text, d));
            proptest::prop_assert!(same(&plain, &csv), "{:?}", text);
        }
    }

    #[test]
    fn quotes_and_lone_carriage_returns_go_through_the_csv_parser() {
        assert!(!is_plain("a,b\n\"x,y\",2\n"));
        assert!(!is_plain("a,b\r1,2\r"));
        assert!(is_plain("a,b\r\n1,2\r\n"));
        let t = Table::parse("a,b\n\"x,y\",2\n").unwrap();
        assert_eq!(t.rows().next().unwrap().get(0), "x,y");
        let t = Table::parse("a,b\r\n\r\n1,2\r\n").unwrap();
        let row = t.rows().next().unwrap();
        assert_eq!((row.line, row.get(1)), (3, "2"));
    }
}
