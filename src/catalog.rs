//! The segments a user can open: the built-in samples and the ones
//! imported from files, as plain data and pure rules (ids, names, the
//! record that is stored), so that they are tested without a browser. The
//! browser side is [`crate::browser::segment_store`].
//!
//! A segment's id is its `user_key`: the key of its session, the first part
//! of the page's address, and what the sync messages name. It is made once,
//! from the file's name, and never changes, so that renaming a segment
//! (its title) moves neither its session nor its address.

use crate::segments::Segment;
use runoff_engine::Triangle;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// One segment in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// A sample shipped with the app (its data may be overridden by a
    /// stored record, e.g. after importing premium for it).
    pub builtin: bool,
    /// Its data is in the browser's storage.
    pub stored: bool,
}

/// A segment's data as the browser stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSegment {
    pub id: String,
    pub title: String,
    /// The file it came from, as the user named it.
    pub source: String,
    pub imported_at: String,
    pub measures: Vec<(String, Triangle)>,
    /// Premium per origin of the first measure's triangle.
    pub premium: Option<Vec<f64>>,
    /// Where the premium came from, if it was imported on its own.
    #[serde(default)]
    pub premium_source: Option<String>,
}

impl StoredSegment {
    /// The segment to open.
    pub fn to_segment(&self) -> Segment {
        let measures = self.measures.iter().map(|(m, t)| (m.clone(), Rc::new(t.clone()))).collect();
        Segment::new(&self.id, &self.title, measures, self.premium.clone(), None)
    }

    /// The record of a segment, e.g. a sample about to get its own premium.
    pub fn of(segment: &Segment, source: &str, now: &str) -> StoredSegment {
        StoredSegment {
            id: segment.name.clone(),
            title: segment.title.clone(),
            source: source.to_string(),
            imported_at: now.to_string(),
            measures: segment.measures.iter().map(|(m, t)| (m.clone(), (**t).clone())).collect(),
            premium: segment.premium.clone(),
            premium_source: None,
        }
    }

    /// The record as stored: a format number, then the record in bincode,
    /// the form the worker's messages take (so the page reads one binary
    /// form, not that and JSON).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![RECORD_FORMAT];
        // Plain data encodes; an empty record would read back as an error,
        // never as a wrong segment.
        out.extend(runoff_worker::codec::to_bytes(self).unwrap_or_default());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<StoredSegment, String> {
        match bytes.split_first() {
            Some((&RECORD_FORMAT, rest)) => runoff_worker::codec::from_bytes(rest)
                .map_err(|e| format!("the stored segment does not read: {e}")),
            Some((other, _)) => Err(format!("the stored segment is in format {other}, which this version does not read")),
            None => Err("the stored segment is empty".into()),
        }
    }
}

/// The format of a stored record; a later version that changes the record
/// numbers its own.
const RECORD_FORMAT: u8 = 1;

/// A change to a segment's stored record.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Premium per origin, read from the file named.
    Premium { premium: Vec<f64>, source: String },
    /// A new name.
    Title(String),
}

impl StoredSegment {
    /// The record with the change made; a title is checked first.
    pub fn changed(mut self, change: Change) -> Result<StoredSegment, String> {
        match change {
            Change::Premium { premium, source } => {
                self.premium = Some(premium);
                self.premium_source = Some(source);
            }
            Change::Title(t) => self.title = check_title(&t)?,
        }
        Ok(self)
    }
}

/// The list: the samples first, in their order, then the stored segments
/// by title. A stored record with a sample's id overrides its data, not
/// its place.
pub fn entries(builtin: &[&str], stored: &[(String, String)]) -> Vec<Entry> {
    let mut out: Vec<Entry> = builtin
        .iter()
        .map(|id| Entry {
            id: id.to_string(),
            title: stored.iter().find(|(s, _)| s == id).map_or_else(|| id.to_string(), |(_, t)| t.clone()),
            builtin: true,
            stored: stored.iter().any(|(s, _)| s == id),
        })
        .collect();
    let mut imported: Vec<Entry> = stored
        .iter()
        .filter(|(id, _)| !builtin.contains(&id.as_str()))
        .map(|(id, title)| Entry { id: id.clone(), title: title.clone(), builtin: false, stored: true })
        .collect();
    imported.sort_by(|a, b| a.title.to_ascii_lowercase().cmp(&b.title.to_ascii_lowercase()).then(a.id.cmp(&b.id)));
    out.extend(imported);
    out
}

/// A file's name without its folder and extension: the title a new
/// segment starts with (`raa.csv` → `raa`).
pub fn title_of_file(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let t = stem.trim();
    if t.is_empty() {
        "imported".to_string()
    } else {
        t.to_string()
    }
}

/// An id from a title, unused by `taken`: lower-case letters, digits and
/// dashes (it goes into the address), with `-2`, `-3`, … when needed.
pub fn new_id(title: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut slug = String::new();
    for c in title.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    let base = if slug.is_empty() { "segment".to_string() } else { slug };
    if !taken(&base) {
        return base;
    }
    (2..).map(|k| format!("{base}-{k}")).find(|id| !taken(id)).unwrap_or(base)
}

/// A title a user typed: trimmed, and not empty.
pub fn check_title(title: &str) -> Result<String, String> {
    let t = title.trim();
    match t.chars().count() {
        0 => Err("a segment needs a name".into()),
        n if n > 80 => Err(format!("a segment's name has at most 80 characters (this one has {n})")),
        _ => Ok(t.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_titles_are_unique_and_fit_an_address() {
        assert_eq!(new_id("raa", |_| false), "raa");
        assert_eq!(new_id("Allstate Ins Co Grp / wkcomp", |_| false), "allstate-ins-co-grp-wkcomp");
        assert_eq!(new_id("raa", |id| id == "raa"), "raa-2");
        assert_eq!(new_id("raa", |id| id == "raa" || id == "raa-2"), "raa-3");
        assert_eq!(new_id("ÄÖ", |_| false), "segment");
        assert_eq!(new_id("quarterly", |id| ["quarterly", "annual"].contains(&id)), "quarterly-2");
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_of_file("raa.csv"), "raa");
        assert_eq!(title_of_file("C:\\data\\clrd.2024.csv"), "clrd.2024");
        assert_eq!(title_of_file(".csv"), ".csv");
        assert_eq!(title_of_file("  "), "imported");
        assert!(check_title("  ").is_err());
        assert_eq!(check_title(" Motor "), Ok("Motor".into()));
    }

    #[test]
    fn changes_keep_the_rest_of_the_record() {
        let segment = crate::segments::synthetic("annual", 12).unwrap();
        let r = StoredSegment::of(&segment, "sample", "2026-12-01T00:00:00Z");
        let r = r.changed(Change::Title(" Annual view ".into())).unwrap();
        assert_eq!(r.title, "Annual view");
        let p = vec![1.0; 12];
        let r = r.changed(Change::Premium { premium: p.clone(), source: "p.csv".into() }).unwrap();
        assert_eq!((r.premium.as_ref(), r.premium_source.as_deref(), r.title.as_str()), (Some(&p), Some("p.csv"), "Annual view"));
        assert_eq!(r.measures.len(), 1);
        assert!(r.clone().changed(Change::Title(" ".into())).is_err());
        assert_eq!(StoredSegment::from_bytes(&r.to_bytes()).unwrap(), r);
        assert!(StoredSegment::from_bytes(&[9, 1]).unwrap_err().contains("format 9"));
        assert!(StoredSegment::from_bytes(&[]).is_err());
    }

    #[test]
    fn samples_first_then_imports_by_title() {
        let stored = vec![
            ("zeta".to_string(), "Zeta".to_string()),
            ("raa".to_string(), "raa".to_string()),
            ("quarterly".to_string(), "quarterly".to_string()),
        ];
        let e = entries(&["quarterly", "annual"], &stored);
        let ids: Vec<&str> = e.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["quarterly", "annual", "raa", "zeta"]);
        assert!(e[0].builtin && e[0].stored);
        assert!(e[1].builtin && !e[1].stored);
        assert!(!e[2].builtin && e[2].stored);
    }
}
