//! The root component: it provides the worker, shows the list of segments
//! (the samples, and those imported into this browser:
//! [`crate::segment_list`]), opens the segment the address names
//! (`#segment/view`, so that a reload or a bookmark opens the same place),
//! and carries out what changes the list: imports, premium for a segment,
//! renaming and deleting, each told to the other tabs with a
//! `segments_changed` message. An import does not trust the list it shows:
//! the store chooses the new segment's id as it adds it.

use crate::agent::WorkerProvider;
use crate::browser::clock::now_iso;
use crate::browser::page;

use crate::browser::sync::announce_segments;
use crate::catalog::{self, Entry, StoredSegment};
use crate::components::file_menu::UnreadableTexts;
use crate::components::import_panel::ImportPanel;
use crate::imports::{use_imports, Imports};
use crate::loaded_segment::{use_loaded_segment, Loaded};
use crate::route::{current_place, show_place, Place};
use crate::segment_list::{use_segment_list, SegmentList};
use crate::segment_view::SegmentView;
use crate::segments;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    html! {
        <WorkerProvider>
            <Root />
        </WorkerProvider>
    }
}

#[component]
fn Root() -> Html {
    let place = use_state(current_place);
    let list = use_segment_list();
    let SegmentList { store, stored, problem: list_problem, refresh, .. } = list.clone();
    let notice = use_state(|| None::<String>);

    // Following the address when the user edits it or goes back.
    {
        let place = place.clone();
        use_effect_with((), move |_| {
            let listening = page::on_hash_change(move || place.set(current_place()));
            move || drop(listening)
        });
    }
    let on_place = {
        let place = place.clone();
        Callback::from(move |p: Place| {
            show_place(&p);
            place.set(p)
        })
    };

    let entries: Rc<Vec<Entry>> = Rc::new(match &stored {
        Some(list) => catalog::entries(segments::BUILTIN, list),
        None => catalog::entries(segments::BUILTIN, &[]),
    });

    // Loads the segment the address names, once the list is known.
    let on_unknown = {
        let (notice, on_place, view) = (notice.clone(), on_place.clone(), place.view);
        Callback::from(move |id: String| {
            notice.set(Some(format!(
                "There is no segment named {id} in this browser; showing {}.",
                segments::BUILTIN[0]
            )));
            on_place.emit(Place { segment: segments::BUILTIN[0].to_string(), view });
        })
    };
    let loaded = use_loaded_segment(&place.segment, &list, entries.clone(), on_unknown);
    // What went wrong, said under the header.
    let say = {
        let notice = notice.clone();
        Callback::from(move |e: String| notice.set(Some(e)))
    };
    let Imports { importing, error: import_error, on_import, on_cancel, on_confirm } =
        use_imports(&list, on_place.clone(), place.view, say.clone());

    let taken: Rc<Vec<String>> =
        Rc::new(entries.iter().map(|e| e.id.clone()).chain(segments::HIDDEN.iter().map(|s| s.to_string())).collect());
    // Stores a record, then lists again and tells the other tabs; `then`
    // runs once it is stored, `failed` with the reason it was not.
    let keep = {
        let (store, refresh) = (store.clone(), refresh.clone());
        Rc::new(move |record: StoredSegment, then: Box<dyn FnOnce()>, failed: Box<dyn FnOnce(String)>| {
            let Some(s) = store.clone() else {
                failed("storage is not open yet; try again in a moment".into());
                return;
            };
            let refresh = refresh.clone();
            spawn_local(async move {
                match s.put(&record).await {
                    Ok(()) => {
                        let _ = announce_segments(&record.id, &now_iso());
                        refresh(None, then);
                    }
                    Err(e) => failed(format!("{} was not stored, and nothing was changed: {e}", record.title)),
                }
            });
        })
    };
    // A change to the shown segment's data: made to its stored record, or
    // to a record of the sample it is (which then overrides the sample).
    let on_change = {
        let (keep, say, loaded, store, entries) =
            (keep.clone(), say.clone(), loaded.clone(), store.clone(), entries.clone());
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
        let (store, refresh, say, on_place, place) =
            (store.clone(), refresh.clone(), say.clone(), on_place.clone(), (*place).clone());
        let entries = entries.clone();
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
            let (refresh, say, on_place, place) = (refresh.clone(), say.clone(), on_place.clone(), place.clone());
            spawn_local(async move {
                match s.delete(&entry.id).await {
                    Ok(()) => {
                        let _ = announce_segments(&entry.id, &now_iso());
                        refresh(
                            None,
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
    let on_segments_changed = {
        let refresh = refresh.clone();
        Callback::from(move |_key: String| refresh(None, Box::new(|| {})))
    };

    let import = match &importing {
        Some(upload) => html! {
            <ImportPanel upload={upload.clone()} taken={taken} on_import={on_confirm} on_cancel={on_cancel}
                error={import_error.clone()} />
        },
        None => html! {},
    };
    let list_alert = match &list_problem {
        Some(p) => html! { <div class="alert" role="alert">{ p.clone() }</div> },
        None => html! {},
    };
    let kept = match &store {
        Some(s) => html! { <UnreadableTexts store={s.clone()} /> },
        None => html! {},
    };
    let notice_html = match &*notice {
        Some(n) => {
            let close = {
                let notice = notice.clone();
                Callback::from(move |_| notice.set(None))
            };
            html! {
                <div class="alert" role="alert">{ n.clone() }
                    <button type="button" class="close" aria-label="Dismiss" onclick={close}>{ "×" }</button>
                </div>
            }
        }
        None => html! {},
    };
    match &loaded {
        Some(Loaded { id, segment: Ok(segment), .. }) => html! {
            <SegmentView key={id.clone()} segment={segment.clone()} entries={entries} place={(*place).clone()}
                on_place={on_place} on_import={on_import} on_change={on_change}
                on_remove={on_remove} on_segments_changed={on_segments_changed}>
                { list_alert }
                { notice_html }
                { kept }
                { import }
            </SegmentView>
        },
        Some(Loaded { segment: Err(e), .. }) => html! {
            <main>{ list_alert }{ notice_html }<div class="alert" role="alert">{ e.clone() }</div>{ kept }</main>
        },
        None => html! { <main><p role="status">{ "Opening the segment…" }</p></main> },
    }
}
