//! Changes to a segment already in the list: its data changed (premium
//! imported, a new name), made to its stored record or to a record of the
//! sample it is, which then overrides the sample; or the segment deleted
//! (an imported one) or given back its sample data, once the user
//! confirms. Each is stored, then the list is read again and the other
//! tabs are told.

use crate::browser::clock::now_iso;
use crate::browser::page;
use crate::catalog::{self, Entry, StoredSegment};
use crate::loaded_segment::Loaded;
use crate::route::Place;
use crate::segment_list::SegmentList;
use crate::segments;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// What the segment's menu does to it.
pub struct SegmentEdits {
    /// A change to the shown segment's data.
    pub on_change: Callback<catalog::Change>,
    /// Deletes the shown segment, or gives it back its sample data.
    pub on_remove: Callback<()>,
}

/// Edits of `list`'s segments; `loaded` is the segment shown (of `entries`)
/// at `place`; `on_place` moves away from a segment deleted; `say` says
/// what went wrong.
#[hook]
pub fn use_segment_edits(
    list: &SegmentList,
    loaded: Option<Loaded>,
    entries: Rc<Vec<Entry>>,
    place: Place,
    on_place: Callback<Place>,
    say: Callback<String>,
) -> SegmentEdits {
    // Stores a record, then lists again and tells the other tabs; `then`
    // runs once it is stored, `failed` with the reason it was not.
    let keep = {
        let (store, changed_here) = (list.store.clone(), list.changed_here.clone());
        Rc::new(move |record: StoredSegment, then: Box<dyn FnOnce()>, failed: Box<dyn FnOnce(String)>| {
            let Some(s) = store.clone() else {
                failed("storage is not open yet; try again in a moment".into());
                return;
            };
            let changed_here = changed_here.clone();
            spawn_local(async move {
                match s.put(&record).await {
                    Ok(()) => {
                        changed_here(&record.id, then);
                    }
                    Err(e) => failed(format!("{} was not stored, and nothing was changed: {e}", record.title)),
                }
            });
        })
    };
    // A change to the shown segment's data: made to its stored record, or
    // to a record of the sample it is (which then overrides the sample).
    let on_change = {
        let (keep, say, store, entries) = (keep.clone(), say.clone(), list.store.clone(), entries.clone());
        Callback::from(move |change: catalog::Change| {
            let Some(Loaded { segment: Ok(segment), .. }) = loaded.clone() else { return };
            let stored = entries.iter().any(|e| e.id == segment.name && e.stored);
            let (keep, say, store) = (keep.clone(), say.clone(), store.clone());
            spawn_local(async move {
                let existing = match (stored, store) {
                    (true, Some(s)) => s.get(&segment.name).await.ok().flatten(),
                    _ => None,
                };
                let record = existing.unwrap_or_else(|| StoredSegment::of(&segment, "sample data", &now_iso()));
                match record.changed(change) {
                    Ok(r) => {
                        let say2 = say.clone();
                        keep(r, Box::new(|| {}), Box::new(move |e| say2.emit(e)));
                    }
                    Err(e) => say.emit(e),
                }
            });
        })
    };
    let on_remove = {
        let (store, changed_here) = (list.store.clone(), list.changed_here.clone());
        Callback::from(move |()| {
            let Some(entry) = entries.iter().find(|e| e.id == place.segment).cloned() else { return };
            let question = if entry.builtin {
                format!("Give {} back its sample data? Its session is deleted too.", entry.title)
            } else {
                format!("Delete the segment {} and its session from this browser?", entry.title)
            };
            if !page::confirm(&question) {
                return;
            }
            let Some(s) = store.clone() else { return };
            let (changed_here, say, on_place, place) =
                (changed_here.clone(), say.clone(), on_place.clone(), place.clone());
            spawn_local(async move {
                match s.delete(&entry.id).await {
                    Ok(()) => {
                        changed_here(
                            &entry.id,
                            Box::new(move || {
                                if !entry.builtin {
                                    on_place
                                        .emit(Place { segment: segments::BUILTIN[0].to_string(), view: place.view });
                                }
                            }),
                        );
                    }
                    Err(e) => say.emit(format!("{} was not deleted: {e}", entry.title)),
                }
            });
        })
    };
    SegmentEdits { on_change, on_remove }
}
