//! The root component: it provides the worker, follows the address
//! (`#segment/view`, so that a reload or a bookmark opens the same place),
//! and shows the segment it names with the list of segments, wiring the
//! hooks that read and change them: the list ([`crate::segment_list`]),
//! the segment loaded ([`crate::loaded_segment`]), imports
//! ([`crate::imports`]) and edits of a segment ([`crate::segment_edits`]).

use crate::agent::WorkerProvider;
use crate::browser::page;
use crate::catalog::{self, Entry};
use crate::components::file_menu::UnreadableTexts;
use crate::components::import_panel::ImportPanel;
use crate::imports::{use_imports, Imports};
use crate::loaded_segment::{use_loaded_segment, Loaded};
use crate::route::{current_place, show_place, Place};
use crate::segment_edits::{use_segment_edits, SegmentEdits};
use crate::segment_list::{use_segment_list, SegmentList};
use crate::segment_view::SegmentView;
use crate::segments;
use crate::sync_agent::SyncProvider;
use crate::team::{use_team, use_team_events, SignedIn, Team, TeamHandle};
use std::rc::Rc;
use yew::prelude::*;

/// The workbench, or, where a team server serves the page and no one is
/// signed in, the sign-in form.
#[component]
pub fn App() -> Html {
    let TeamHandle { team, sign_in, sign_out, expired } = use_team();
    let signed_in = match team {
        Team::Local => None,
        Team::SignedIn(user) => Some(user),
        #[cfg(feature = "team")]
        Team::Checking { .. } => return crate::components::sign_in::sign_in_form(None, true, sign_in),
        #[cfg(feature = "team")]
        Team::SignIn { problem, .. } => return crate::components::sign_in::sign_in_form(problem, false, sign_in),
        #[cfg(not(feature = "team"))]
        _ => {
            let _ = sign_in;
            None
        }
    };
    html! {
        <SyncProvider>
            <WorkerProvider>
                <Root {signed_in} on_sign_out={sign_out} {expired} />
            </WorkerProvider>
        </SyncProvider>
    }
}

#[derive(Properties, PartialEq)]
struct RootProps {
    /// The user signed in to the team server, if the page has one.
    #[prop_or_default]
    signed_in: Option<SignedIn>,
    #[prop_or_default]
    on_sign_out: Callback<()>,
    /// The team server no longer accepts the token.
    #[prop_or_default]
    expired: Callback<()>,
}

#[component]
fn Root(props: &RootProps) -> Html {
    let place = use_state(current_place);
    let lost = use_team_events(props.signed_in.clone(), props.expired.clone());
    let list = use_segment_list(props.signed_in.as_ref());
    let SegmentList { store, stored, problem: list_problem, .. } = list.clone();
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
    let SegmentEdits { on_change, on_remove } =
        use_segment_edits(&list, loaded.clone(), entries.clone(), (*place).clone(), on_place.clone(), say.clone());

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
    let signed_in = match &props.signed_in {
        Some(user) => {
            let sign_out = props.on_sign_out.reform(|_: MouseEvent| ());
            html! {
                <p class="team">
                    if user.name.is_empty() {
                        { "Signed in to the team server, which cannot be reached now: this page shows its last copy." }
                    } else {
                        { format!("Signed in to the team server as {}.", user.name) }
                    }
                    if let Some(why) = &user.not_kept {
                        { format!(" This tab only: the token could not be kept ({why}).") }
                    }
                    if let Some(why) = &lost {
                        <span class="note" role="status">
                            { format!(" The connection is lost ({why}); changes made meanwhile are kept and sent when it is back.") }
                        </span>
                    }
                    <button type="button" onclick={sign_out}>{ "Sign out" }</button>
                </p>
            }
        }
        None => html! {},
    };
    match &loaded {
        Some(Loaded { id, segment: Ok(segment), .. }) => html! {
            // Until the segment the address names is loaded, the one before
            // stays in view, marked busy.
            <SegmentView key={id.clone()} segment={segment.clone()} entries={entries} place={(*place).clone()}
                team={props.signed_in.clone()}
                opening={*id != place.segment}
                on_place={on_place} on_import={on_import} on_change={on_change}
                on_remove={on_remove}>
                { signed_in }
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
