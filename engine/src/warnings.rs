//! Where a recalculation's warnings go. A session may name thousands of
//! origins, ages and diagonals a triangle does not have (docs/session.md
//! bounds its lists), each a warning. The command line lists them all; the
//! page shows a few on every click, so for it they are counted past a
//! limit and never written out ([`Listed`]): a warning is handed over as
//! [`fmt::Arguments`], which cost nothing until formatted.

use std::fmt;

/// Takes warnings.
pub trait Warn {
    fn warn(&mut self, what: fmt::Arguments<'_>);
}

/// Every warning, written out.
impl Warn for Vec<String> {
    fn warn(&mut self, what: fmt::Arguments<'_>) {
        self.push(what.to_string());
    }
}

/// Warnings no one reads: those of a computation whose warnings another
/// one already gave (the averages table repeats the development's), taken
/// without being formatted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ignored;

impl Warn for Ignored {
    fn warn(&mut self, _: fmt::Arguments<'_>) {}
}

/// At most `limit` warnings: past it, the last line says how many more
/// there were.
#[derive(Debug)]
pub struct Listed {
    list: Vec<String>,
    limit: usize,
    /// Warnings past the limit, counted and not written.
    more: usize,
}

impl Listed {
    pub fn new(limit: usize) -> Listed {
        Listed { list: Vec::new(), limit: limit.max(1), more: 0 }
    }

    /// The warnings, the last of them saying how many were left out.
    pub fn into_list(mut self) -> Vec<String> {
        if self.more > 0 {
            // The last line listed makes room for the count.
            self.list.pop();
            let more = self.more + 1;
            self.list.push(format!("and {more} more warnings of judgements the triangle has nothing for"));
        }
        self.list
    }
}

impl Warn for Listed {
    fn warn(&mut self, what: fmt::Arguments<'_>) {
        if self.list.len() < self.limit {
            self.list.push(what.to_string());
        } else {
            self.more += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(limit: usize, n: usize) -> Vec<String> {
        let mut w = Listed::new(limit);
        for k in 0..n {
            w.warn(format_args!("w{k}"));
        }
        w.into_list()
    }

    #[test]
    fn up_to_the_limit_every_warning_is_listed() {
        assert_eq!(listed(3, 0), Vec::<String>::new());
        assert_eq!(listed(3, 3), vec!["w0", "w1", "w2"]);
    }

    #[test]
    fn past_the_limit_the_last_line_counts_the_rest() {
        assert_eq!(listed(3, 4), vec!["w0", "w1", "and 2 more warnings of judgements the triangle has nothing for"]);
        let many = listed(20, 17_001);
        assert_eq!(many.len(), 20);
        assert_eq!(many[19], "and 16982 more warnings of judgements the triangle has nothing for");
    }
}
