//! An import of claims into this browser: a file chosen, dropped anywhere
//! on the page or a table pasted outside a field opens the import panel;
//! confirmed, the record is added under an id no stored segment has, which
//! the store chooses as it writes (the list the page shows may be out of
//! date), the other tabs are told, and the new segment is shown.

use crate::browser::files::Claims;
use crate::browser::page;
use crate::catalog::StoredSegment;
use crate::route::Place;
use crate::segment_list::SegmentList;
use crate::segments;
use crate::state::View;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The import under way, if any, and what the panel does.
pub struct Imports {
    /// The claims being imported: the panel is shown while there are.
    pub importing: Option<Claims>,
    /// Why the last confirmed import was not stored.
    pub error: Option<AttrValue>,
    /// Starts an import of these claims.
    pub on_import: Callback<Claims>,
    pub on_cancel: Callback<()>,
    /// Stores the record the panel made, then shows it in `view`'s place.
    pub on_confirm: Callback<StoredSegment>,
}

/// Imports into `list`'s store; `on_place` shows the new segment (in the
/// data view if that is where the import started, else the results);
/// `notice` hears why a dropped file cannot be imported.
#[hook]
pub fn use_imports(list: &SegmentList, on_place: Callback<Place>, view: View, notice: Callback<String>) -> Imports {
    let importing = use_state(|| None::<Claims>);
    let error = use_state(|| None::<AttrValue>);
    {
        let importing = importing.clone();
        use_effect_with((), move |_| {
            let listening = page::on_dropped_or_pasted(move |claims| match claims {
                Ok(c) => importing.set(Some(c)),
                Err(e) => notice.emit(e),
            });
            move || drop(listening)
        });
    }
    let on_import = {
        let (importing, error) = (importing.clone(), error.clone());
        Callback::from(move |u: Claims| {
            error.set(None);
            importing.set(Some(u))
        })
    };
    let on_cancel = {
        let importing = importing.clone();
        Callback::from(move |()| importing.set(None))
    };
    let on_confirm = {
        let (store, changed_here, importing, error) =
            (list.store.clone(), list.changed_here.clone(), importing.clone(), error.clone());
        Callback::from(move |record: StoredSegment| {
            let Some(s) = store.clone() else {
                error.set(Some(AttrValue::from("storage is not open yet; try again in a moment")));
                return;
            };
            let (changed_here, importing, error, on_place) =
                (changed_here.clone(), importing.clone(), error.clone(), on_place.clone());
            spawn_local(async move {
                let reserved: Vec<&str> = segments::BUILTIN.iter().chain(segments::HIDDEN).copied().collect();
                match s.add(&record, &reserved).await {
                    Ok(added) => {
                        crate::browser::storage::ask_to_persist();
                        let id = added.id.clone();
                        changed_here(
                            &added.id,
                            Box::new(move || {
                                importing.set(None);
                                on_place.emit(Place {
                                    segment: id,
                                    view: if view == View::Data { View::Data } else { View::Results },
                                });
                            }),
                        );
                    }
                    Err(e) => error.set(Some(AttrValue::from(format!(
                        "{} was not stored, and nothing was changed: {e}",
                        record.title
                    )))),
                }
            });
        })
    };
    Imports { importing: (*importing).clone(), error: (*error).clone(), on_import, on_cancel, on_confirm }
}
