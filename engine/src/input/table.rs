//! A CSV text as a header and rows, each row with the line it starts on, so
//! that every later error can point at the line a user sees in an editor.
//! The separator is sniffed from the header (comma, tab as pasted from a
//! spreadsheet, or semicolon as some locales export).

use super::input_error;
use crate::EngineError;

pub(crate) struct Table {
    pub headers: Vec<String>,
    /// Every data field's text, one after the other: one allocation for the
    /// whole file rather than one per row, which is most of the reading time
    /// of a claim-level file with tens of thousands of rows.
    fields: String,
    /// Where each field ends in `fields`.
    ends: Vec<usize>,
    rows: Vec<RowAt>,
}

/// A data row's place in the table.
struct RowAt {
    line: usize,
    /// Index in `ends` of the row's first field.
    first: usize,
    len: usize,
}

/// One data row: its fields and the line it starts on.
#[derive(Clone, Copy)]
pub(crate) struct Row<'a> {
    /// 1-based line number in the text.
    pub line: usize,
    table: &'a Table,
    first: usize,
    len: usize,
}

impl<'a> Row<'a> {
    /// A field, or empty past the end of a short row.
    pub fn get(&self, column: usize) -> &'a str {
        if column >= self.len {
            return "";
        }
        let k = self.first + column;
        let start = if k == 0 { 0 } else { self.table.ends[k - 1] };
        &self.table.fields[start..self.table.ends[k]]
    }
}

impl Table {
    pub fn parse(text: &str) -> Result<Table, EngineError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(input_error(None, None, "the file is empty".into()));
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sniff_delimiter(text))
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut headers: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        let mut fields = String::with_capacity(text.len());
        let mut ends = Vec::new();
        let mut record = csv::StringRecord::new();
        // The reader's own line count skips blank lines; counting newlines
        // up to each record's byte offset gives the line an editor shows.
        let mut lines = LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        };
        loop {
            let more = reader.read_record(&mut record).map_err(|e| {
                let line = e.position().map(|p| p.line() as usize);
                input_error(line, None, format!("not readable as CSV: {e}"))
            })?;
            if !more {
                break;
            }
            // Lines of empty fields (`,,,`) are spreadsheet padding.
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = lines.at(record.position().map_or(0, |p| p.byte() as usize));
            match &headers {
                None => headers = Some(record.iter().map(|h| h.trim().to_string()).collect()),
                Some(h) => {
                    if let Some((i, extra)) = record
                        .iter()
                        .enumerate()
                        .skip(h.len())
                        .find(|(_, f)| !f.trim().is_empty())
                    {
                        return Err(input_error(
                            Some(line),
                            None,
                            format!(
                                "{} fields but the header has {} (field {} is `{extra}`; is a value with a comma not quoted?)",
                                record.len(),
                                h.len(),
                                i + 1
                            ),
                        ));
                    }
                    rows.push(RowAt {
                        line,
                        first: ends.len(),
                        len: record.len(),
                    });
                    for f in record.iter() {
                        fields.push_str(f);
                        ends.push(fields.len());
                    }
                }
            }
        }
        let headers = headers.unwrap_or_default();
        Ok(Table {
            headers,
            fields,
            ends,
            rows,
        })
    }

    /// The data rows, in the order of the file.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + Clone + '_ {
        self.rows.iter().map(move |r| Row {
            line: r.line,
            table: self,
            first: r.first,
            len: r.len,
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
            input_error(
                Some(1),
                Some(name),
                format!("no such column; the columns are {}", self.list_headers()),
            )
        })?
    }

    /// Like [`Table::column`], but a missing column is `Ok(None)`.
    pub fn find(&self, name: &str) -> Option<Result<usize, EngineError>> {
        let name = name.trim();
        let exact: Vec<usize> = (0..self.headers.len())
            .filter(|&i| self.headers[i] == name)
            .collect();
        let matches = if exact.is_empty() {
            (0..self.headers.len())
                .filter(|&i| self.headers[i].eq_ignore_ascii_case(name))
                .collect()
        } else {
            exact
        };
        match matches.as_slice() {
            [] => None,
            [i] => Some(Ok(*i)),
            _ => Some(Err(input_error(
                Some(1),
                Some(name),
                format!("{} columns have this name", matches.len()),
            ))),
        }
    }

    pub fn list_headers(&self) -> String {
        self.headers
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
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
        while self
            .text
            .get(end)
            .is_some_and(|b| matches!(b, b'\n' | b'\r'))
        {
            end += 1;
        }
        if end > self.offset {
            self.line += self.text[self.offset..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = end;
        }
        self.line
    }
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
    fn lines_separators_and_padding() {
        let t = Table::parse("\u{feff}a\tb\n\n1\t2\n\t\n3\t4\t\n").unwrap();
        assert_eq!(t.headers, vec!["a", "b"]);
        assert_eq!(
            t.rows().map(|r| r.line).collect::<Vec<_>>(),
            vec![3, 5]
        );
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
}
