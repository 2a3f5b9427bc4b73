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
pub use runoff_engine::input::stored::check_title;
use runoff_engine::input::stored::{checked_measures, RawTriangle};
use runoff_engine::input::MAX_CELLS;
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

    /// The cheap checks of a stored record, made when the segments are
    /// listed (without reading their triangles): its size, and its first
    /// byte, the format.
    pub fn check_header(len: usize, format: u8) -> Result<(), String> {
        match (len, format) {
            (0, _) => Err("the stored segment is empty".into()),
            (n, _) if n > MAX_RECORD_BYTES => {
                Err(format!("the stored segment has {n} bytes, more than the {MAX_RECORD_BYTES} a segment can have"))
            }
            (_, RECORD_FORMAT) => Ok(()),
            (_, other) => Err(format!("the stored segment is in format {other}, which this version does not read")),
        }
    }

    /// The record from its stored bytes, checked as an import is: storage
    /// can hold anything (another version's record, a damaged disk,
    /// another program's write), and a triangle whose parts disagree
    /// would stop the page when it is shown. The error says what is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Result<StoredSegment, String> {
        if bytes.len() > MAX_RECORD_BYTES {
            return Err(format!(
                "the stored segment has {} bytes, more than the {MAX_RECORD_BYTES} a segment can have",
                bytes.len()
            ));
        }
        match bytes.split_first() {
            Some((&RECORD_FORMAT, rest)) => runoff_worker::codec::from_bytes::<RawRecord>(rest)
                .map_err(|e| format!("the stored segment does not read: {e}"))?
                .checked(),
            Some((other, _)) => {
                Err(format!("the stored segment is in format {other}, which this version does not read"))
            }
            None => Err("the stored segment is empty".into()),
        }
    }
}

/// The most bytes a stored record can have: every cell of the most an
/// import can hold ([`MAX_CELLS`]) at its largest encoding, and room for the
/// labels. A larger value is not a record this app wrote.
pub const MAX_RECORD_BYTES: usize = MAX_CELLS * 10 + (1 << 20);

/// [`StoredSegment`] as stored, before it is checked.
#[derive(Deserialize)]
struct RawRecord {
    id: String,
    title: String,
    source: String,
    imported_at: String,
    measures: Vec<(String, RawTriangle)>,
    premium: Option<Vec<f64>>,
    #[serde(default)]
    premium_source: Option<String>,
}

impl RawRecord {
    fn checked(self) -> Result<StoredSegment, String> {
        let title = check_title(&self.title).map_err(|e| format!("its name: {e}"))?;
        let measures = checked_measures(self.measures, self.premium.as_deref())?;
        Ok(StoredSegment {
            id: self.id,
            title,
            source: self.source,
            imported_at: self.imported_at,
            measures,
            premium: self.premium,
            premium_source: self.premium_source,
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::input::MAX_SIDE;
    use runoff_engine::Grain;

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
        assert_eq!(
            (r.premium.as_ref(), r.premium_source.as_deref(), r.title.as_str()),
            (Some(&p), Some("p.csv"), "Annual view")
        );
        assert_eq!(r.measures.len(), 1);
        assert!(r.clone().changed(Change::Title(" ".into())).is_err());
        assert_eq!(StoredSegment::from_bytes(&r.to_bytes()).unwrap(), r);
        assert!(StoredSegment::from_bytes(&[9, 1]).unwrap_err().contains("format 9"));
        assert!(StoredSegment::from_bytes(&[]).is_err());
    }

    /// A record with its first triangle's parts replaced, as bytes.
    fn damaged(f: impl FnOnce(&mut DamagedTriangle)) -> Vec<u8> {
        let segment = crate::segments::synthetic("raa", 4).unwrap();
        let r = StoredSegment::of(&segment, "raa.csv", "2026-12-01T00:00:00Z");
        let t = &r.measures[0].1;
        let mut d = DamagedTriangle {
            origins: t.origins().to_vec(),
            origin_starts: (0..t.n_origins()).map(|i| t.origin_start(i)).collect(),
            ages: t.ages().to_vec(),
            origin_grain: t.origin_grain(),
            development_grain: t.development_grain(),
            cells: (0..t.n_origins())
                .flat_map(|i| (0..t.n_ages()).map(move |j| (i, j)))
                .map(|(i, j)| t.get(i, j))
                .collect(),
        };
        f(&mut d);
        let record =
            (r.id, r.title, r.source, r.imported_at, vec![("incurred".to_string(), d)], r.premium, r.premium_source);
        let mut out = vec![RECORD_FORMAT];
        out.extend(runoff_worker::codec::to_bytes(&record).unwrap());
        out
    }

    #[derive(Serialize)]
    struct DamagedTriangle {
        origins: Vec<String>,
        origin_starts: Vec<i32>,
        ages: Vec<u32>,
        origin_grain: Grain,
        development_grain: Grain,
        cells: Vec<Option<f64>>,
    }

    #[test]
    fn damaged_records_are_refused_with_what_is_wrong() {
        // Undamaged, the mirror reads as the record itself.
        let whole = StoredSegment::from_bytes(&damaged(|_| {})).unwrap();
        assert_eq!(whole.measures[0].1, *crate::segments::synthetic("raa", 4).unwrap().measures[0].1);
        let e = StoredSegment::from_bytes(&damaged(|d| {
            d.cells.pop();
        }))
        .unwrap_err();
        assert!(e.contains("`incurred`") && e.contains("15 values for 4 origins by 4 ages"), "{e}");
        let e = StoredSegment::from_bytes(&damaged(|d| d.cells[0] = Some(f64::NAN))).unwrap_err();
        assert!(e.contains("not a finite number"), "{e}");
        let e = StoredSegment::from_bytes(&damaged(|d| d.ages = vec![3, 3, 6, 9])).unwrap_err();
        assert!(e.contains("must increase"), "{e}");
        let e = StoredSegment::from_bytes(&damaged(|d| {
            d.ages = (1..=(MAX_SIDE as u32 + 1)).collect();
        }))
        .unwrap_err();
        assert!(e.contains("more than the 1000"), "{e}");
        let e = StoredSegment::from_bytes(&damaged(|d| {
            d.origins.clear();
            d.cells.clear();
        }))
        .unwrap_err();
        assert!(e.contains("no origins"), "{e}");
        let e = StoredSegment::from_bytes(&damaged(|d| d.origins[1] = "soon".into())).unwrap_err();
        assert!(e.contains("`soon`"), "{e}");
        // Cut short anywhere: an error, never a panic.
        let bytes = damaged(|_| {});
        for k in 0..bytes.len() {
            assert!(StoredSegment::from_bytes(&bytes[..k]).is_err());
        }
        assert!(StoredSegment::from_bytes(&vec![RECORD_FORMAT; MAX_RECORD_BYTES + 1])
            .unwrap_err()
            .contains("more than"));
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
