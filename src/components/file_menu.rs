//! The page's file actions: bringing claims, premium and sessions in,
//! taking results and the session out, printing, and renaming or removing
//! the segment. Each file input is a labelled button (its label is its
//! accessible name), and reading the file happens here; what the file
//! means is decided by the callbacks.

use crate::browser::files::{self, Claims, Upload};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FileButtonProps {
    pub label: AttrValue,
    pub accept: AttrValue,
    /// Called with the file read as text...
    #[prop_or_default]
    pub on_file: Option<Callback<Upload>>,
    /// ...or with the file itself, for the worker to read.
    #[prop_or_default]
    pub on_claims: Option<Callback<Claims>>,
    pub on_error: Callback<String>,
}

/// A button that opens the file chooser and hands on the file read.
#[component]
pub fn FileButton(props: &FileButtonProps) -> Html {
    let onchange = {
        let (on_file, on_claims, on_error) = (props.on_file.clone(), props.on_claims.clone(), props.on_error.clone());
        Callback::from(move |e: Event| {
            let Some(file) = files::first_of_input(&e) else { return };
            if let Some(cb) = &on_claims {
                match Claims::of_file(&file) {
                    Ok(c) => cb.emit(c),
                    Err(e) => on_error.emit(e),
                }
                return;
            }
            let Some(on_file) = on_file.clone() else { return };
            let on_error = on_error.clone();
            spawn_local(async move {
                match files::read(file).await {
                    Ok(upload) => on_file.emit(upload),
                    Err(e) => on_error.emit(e),
                }
            });
        })
    };
    html! {
        <label class="file-button">
            <span>{ props.label.clone() }</span>
            <input type="file" class="visually-hidden" accept={props.accept.clone()} aria-label={props.label.clone()} onchange={onchange} />
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct FileMenuProps {
    pub on_import_claims: Callback<Claims>,
    pub on_import_premium: Callback<Upload>,
    pub on_upload_session: Callback<Upload>,
    pub on_export_results: Callback<()>,
    pub on_download_session: Callback<()>,
    pub on_error: Callback<String>,
    /// The segment's name, to rename it.
    pub title: AttrValue,
    pub on_rename: Callback<String>,
    /// What removing does for this segment, if it can be removed: delete an
    /// imported one, or give a sample back its own data.
    pub remove: Option<AttrValue>,
    pub on_remove: Callback<()>,
}

const CSV: &str = ".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values";

#[component]
pub fn FileMenu(props: &FileMenuProps) -> Html {
    let renaming = use_state(|| false);
    let on_print = Callback::from(|_| crate::components::print_only::print_page());
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let rename_form = if *renaming {
        let onsubmit = {
            let (cb, renaming) = (props.on_rename.clone(), renaming.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let value = crate::browser::dom::form_field(&e, "title");
                if let Some(v) = value {
                    cb.emit(v);
                }
                renaming.set(false);
            })
        };
        let cancel = {
            let renaming = renaming.clone();
            Callback::from(move |_| renaming.set(false))
        };
        html! {
            <form class="rename" onsubmit={onsubmit}>
                <label class="control">
                    <span>{ "Segment name" }</span>
                    <input name="title" type="text" aria-label="Segment name" value={props.title.clone()} maxlength="80" autofocus=true />
                </label>
                <button type="submit">{ "Rename" }</button>
                <button type="button" onclick={cancel}>{ "Cancel" }</button>
            </form>
        }
    } else {
        let open = {
            let renaming = renaming.clone();
            Callback::from(move |_| renaming.set(true))
        };
        html! { <button type="button" onclick={open}>{ "Rename segment" }</button> }
    };
    html! {
        <div class="file-menu" role="group" aria-label="Files">
            <FileButton label="Import claims" accept={CSV} on_claims={props.on_import_claims.clone()} on_error={props.on_error.clone()} />
            <FileButton label="Import premium" accept={CSV} on_file={props.on_import_premium.clone()} on_error={props.on_error.clone()} />
            <button type="button" onclick={click(&props.on_export_results)}>{ "Export results" }</button>
            <button type="button" onclick={click(&props.on_download_session)}>{ "Download session" }</button>
            <FileButton label="Upload session" accept=".yml,.yaml,.json,text/yaml,application/json" on_file={props.on_upload_session.clone()} on_error={props.on_error.clone()} />
            <button type="button" onclick={on_print}>{ "Print" }</button>
            { rename_form }
            if let Some(what) = &props.remove {
                <button type="button" class="danger" onclick={click(&props.on_remove)}>{ what.clone() }</button>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct UnreadableTextsProps {
    pub store: std::rc::Rc<crate::browser::segment_store::SegmentStore>,
}

/// The session texts kept aside because they did not read, each with a
/// Download button: the user's work is never only in storage out of reach.
/// Shown only when there are some.
#[component]
pub fn UnreadableTexts(props: &UnreadableTextsProps) -> Html {
    let keys = use_state(Vec::<String>::new);
    let problem = use_state(|| None::<String>);
    let listed = use_state(|| 0u32);
    {
        let (store, keys, problem) = (props.store.clone(), keys.clone(), problem.clone());
        use_effect_with((*listed, props.store.clone()), move |_| {
            spawn_local(async move {
                match store.kept_aside().await {
                    Ok(k) => keys.set(k),
                    Err(e) => problem.set(Some(format!("The unreadable stored texts could not be listed: {e}"))),
                }
            });
        });
    }
    {
        let listed = listed.clone();
        use_effect_with((), move |_| {
            let listening = crate::browser::page::on_kept_aside(move || listed.set(*listed + 1));
            move || drop(listening)
        });
    }
    if keys.is_empty() && problem.is_none() {
        return html! {};
    }
    let download = |key: &String| {
        let (store, key, problem) = (props.store.clone(), key.clone(), problem.clone());
        Callback::from(move |_| {
            let (store, key, problem) = (store.clone(), key.clone(), problem.clone());
            spawn_local(async move {
                let file = format!("{}.txt", key.replace(':', "-"));
                let failed = match store.kept_text(&key).await {
                    Ok(Some(text)) => crate::browser::download::offer(&file, &text, "text/plain")
                        .err()
                        .map(|e| format!("The download failed: {e}")),
                    Ok(None) => Some(format!("{key} is no longer stored.")),
                    Err(e) => Some(format!("{key} could not be read: {e}")),
                };
                problem.set(failed);
            });
        })
    };
    html! {
        <details class="kept-aside">
            <summary>{ format!("Unreadable stored texts ({})", keys.len()) }</summary>
            <p>{ "Saved sessions that this version could not read. They are kept as they were; download one to read or repair it." }</p>
            if let Some(p) = &*problem {
                <div class="alert" role="alert">{ p.clone() }</div>
            }
            <ul aria-label="Unreadable stored texts">
                { for keys.iter().map(|k| html! {
                    <li>
                        <span>{ k.clone() }</span>
                        { " " }
                        <button type="button" aria-label={format!("Download {k}")} onclick={download(k)}>{ "Download" }</button>
                    </li>
                }) }
            </ul>
        </details>
    }
}
