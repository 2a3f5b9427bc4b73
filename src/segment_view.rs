//! The workbench of one segment: its session (saved, and followed across
//! tabs), the recalculation in the worker, the views, undo and redo, and the
//! segment's file actions. It is keyed by the segment, so opening another
//! segment starts it afresh.

use crate::browser::files::Claims;
use crate::browser::page::{self, HistoryKey};
use crate::catalog::{Change, Entry};
use crate::components::controls::Select;
use crate::components::file_menu::FileMenu;
use crate::components::history_buttons::HistoryButtons;
use crate::components::range_view::RangeView;
use crate::components::view_panel::ViewPanel;
use crate::components::view_tabs::ViewTabs;
use crate::components::StatusLine;
use crate::file_actions::{use_file_actions, FileActions, Files};
use crate::format;
use crate::persist;
use crate::recalc::{use_recalculation, Inputs, Recalculation};
use crate::reserve_range::Ranges;
use crate::route::Place;
use crate::segments::Segment;
use crate::state::{InStorage, Msg, View, Workbench};
use crate::store::{use_workbench, Dispatch};
use crate::team::SignedIn;
use crate::view_choices::use_view_choices;
use runoff_engine::{Action, Session, Settings, Triangle};
use runoff_worker::exhibits::Wanted;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SegmentViewProps {
    pub segment: Rc<Segment>,
    pub entries: Rc<Vec<Entry>>,
    pub place: Place,
    pub on_place: Callback<Place>,
    /// A file of claims to import (the root shows the import).
    pub on_import: Callback<Claims>,
    /// A change to this segment's data (premium imported, a new name).
    pub on_change: Callback<Change>,
    /// Delete this segment (imported) or give it back its sample data.
    pub on_remove: Callback<()>,
    /// The user signed in to a team server, whose sessions these are.
    #[prop_or_default]
    pub team: Option<SignedIn>,
    /// Another segment is being opened in its place.
    #[prop_or_default]
    pub opening: bool,
    /// Shown under the header: notices and the import of a file.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn SegmentView(props: &SegmentViewProps) -> Html {
    let segment = &props.segment;
    let (wb, d) = use_workbench(|| Workbench::new(Session::new(&segment.name)));
    let notice = use_state_eq(|| None::<String>);
    let persistence = persist::use_persistence(&segment.name, props.team.as_ref(), d.clone());
    persist::use_saving(&persistence, &wb);
    use_history_keys(d.clone());

    let settings = wb.settings().clone();
    // The triangle of a measure (the segment's first by default), shared.
    let pick = {
        let segment = segment.clone();
        move |measure: Option<&str>| -> (String, Option<Rc<Triangle>>) {
            match segment.triangle(measure) {
                Some((m, t)) => (m.to_string(), Some(t.clone())),
                None => (String::new(), None),
            }
        }
    };
    let (measure, triangle) = pick(settings.measure.as_deref());
    let choices = use_view_choices(triangle.clone());
    // The exhibits the view shows, written by the worker with the results.
    let view = props.place.view;
    let wanted = Wanted {
        chart: view == View::ChainLadder,
        print: (view == View::ChainLadder).then(|| measure.clone()),
        ave_from: choices.ave_from.filter(|_| view == View::ActualVsExpected),
        ave_at: choices.ave_at,
        averages: view == View::ChainLadder,
    };
    let inputs_of = {
        let (pick, premium, wanted) = (pick.clone(), segment.premium.clone(), wanted.clone());
        move |settings: Settings| {
            let triangle = pick(settings.measure.as_deref()).1;
            Inputs { triangle, premium: premium.clone(), settings, exhibits: wanted.clone() }
        }
    };
    let Recalculation { results, exhibits, error, recalculating, ahead, print } =
        use_recalculation(inputs_of(settings.clone()));
    // Another tab's save: recalculate it while it is read into the page
    // (with the exhibits of the view shown, so set again when they change).
    {
        let (d, ahead, inputs_of, persistence) = (d.clone(), ahead.clone(), inputs_of.clone(), persistence.clone());
        use_effect_with(wanted.clone(), move |_| {
            persistence.on_loaded(Rc::new(move |stored: InStorage, load: fn(InStorage) -> Msg| {
                // What the workbench will show: storage's with this tab's
                // changes on top.
                let settings = d.now().update(load(stored.clone())).click_base();
                let d = d.clone();
                ahead(inputs_of(settings), Box::new(move || d.dispatch(load(stored))));
            }));
        });
    }
    // The finished reserve ranges (the range view keeps them), for Export
    // results.
    let ranges = use_memo((), |_| Ranges::default());
    // Stable callbacks: the grid's rows compare their props, and a new
    // callback on every render would make every row render again.
    let on_action = {
        let (d, notice) = (d.clone(), notice.setter());
        let (persistence, inputs_of) = (persistence.clone(), inputs_of.clone());
        use_callback((wanted, segment.clone()), move |a: Action, _| {
            notice.set(None);
            let (a, next) = d.now().click(a);
            // Save and recalculate first, render after: the worker computes
            // and storage commits while the page renders the click.
            match next {
                Some(next) => {
                    d.dispatch(Msg::Ask(a.clone()));
                    // The worker first: its answer is what the user waits for.
                    let (d2, a2) = (d.clone(), a.clone());
                    ahead(inputs_of(next), Box::new(move || d2.dispatch(Msg::Judge(a2))));
                    persistence.save(a);
                }
                None => d.dispatch(Msg::Judge(a)),
            }
        })
    };
    let on_segment = {
        let (cb, view) = (props.on_place.clone(), props.place.view);
        Callback::from(move |segment: String| cb.emit(Place { segment, view }))
    };
    let segment_options: Vec<(AttrValue, AttrValue)> =
        props.entries.iter().map(|e| (AttrValue::from(e.id.clone()), AttrValue::from(e.title.clone()))).collect();

    // The file actions.
    let say = {
        let notice = notice.setter();
        Callback::from(move |m: String| notice.set(Some(m)))
    };
    let FileActions { on_import_premium, on_export_results, on_download_session, on_upload_session } =
        use_file_actions(Files {
            segment: segment.clone(),
            triangle: triangle.clone(),
            settings: settings.clone(),
            session: wb.session.clone(),
            ranges: ranges.clone(),
            on_change: props.on_change.clone(),
            on_action: on_action.clone(),
            say: say.clone(),
        });
    let entry = props.entries.iter().find(|e| e.id == segment.name);
    let remove = entry.and_then(|e| match (e.builtin, e.stored) {
        (false, _) => Some(AttrValue::Static("Delete segment")),
        (true, true) => Some(AttrValue::Static("Restore sample data")),
        (true, false) => None,
    });

    let total_ibnr = results.as_ref().map(|r| format::number(r.selected.result.total_ibnr, 2));
    let alerts: Vec<String> = [
        error.clone(),
        triangle.is_none().then(|| format!("segment {} has no triangle", segment.title)),
        wb.rejected.clone(),
        (*notice).clone(),
        wb.status.problem.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let warnings = results.as_ref().map(|r| r.warnings.clone()).unwrap_or_default();
    #[cfg(feature = "team")]
    let history = match (&props.team, view) {
        (Some(team), View::History) => html! {
            <crate::components::history_view::HistoryView team={team.clone()}
                segment={AttrValue::from(segment.name.clone())} version={wb.session.sync_version}
                on_action={on_action.clone()} />
        },
        (None, View::History) => {
            html! { <p>{ "A history of changes is kept by a team server; this page is not served by one." }</p> }
        }
        _ => html! {},
    };
    #[cfg(not(feature = "team"))]
    let history = html! {};

    html! {
        <main aria-busy={props.opening.then_some("true")}>
            <header>
                <h1>{ "runoff" }</h1>
                <Select label="Segment" options={segment_options} value={AttrValue::from(segment.name.clone())} on_change={on_segment} />
                <HistoryButtons can_undo={!wb.undo.is_empty()} can_redo={!wb.redo.is_empty()}
                    on_undo={{ let d = d.clone(); Callback::from(move |()| d.dispatch(Msg::Undo)) }}
                    on_redo={{ let d = d.clone(); Callback::from(move |()| d.dispatch(Msg::Redo)) }} />
                <StatusLine
                    segment={AttrValue::from(segment.title.clone())}
                    measure={AttrValue::from(measure.clone())}
                    version={wb.session.sync_version}
                    recalculating={recalculating}
                    saved_at={wb.status.saved_at.clone().map(AttrValue::from)}
                    unsaved={wb.status.unsaved}
                    total_ibnr={total_ibnr}
                    mode_note={wb.status.mode_note.clone().map(AttrValue::from)}
                />
                <FileMenu
                    on_import_claims={props.on_import.clone()}
                    on_import_premium={on_import_premium}
                    on_upload_session={on_upload_session}
                    on_export_results={on_export_results}
                    on_download_session={on_download_session}
                    on_error={say}
                    title={AttrValue::from(segment.title.clone())}
                    on_rename={props.on_change.reform(Change::Title)}
                    remove={remove}
                    on_remove={props.on_remove.clone()}
                />
            </header>
            { props.children.clone() }
            <p class="print-heading">{ format!(
                "{} · {} · session version {} · printed {}",
                segment.title, measure, wb.session.sync_version,
                crate::browser::clock::local_minute()
            ) }</p>
            { for alerts.into_iter().map(|m| html! { <div class="alert" role="alert">{ m }</div> }) }
            if let Some(key) = wb.status.unreadable_key.clone() {
                <p class="kept">
                    <button type="button" onclick={{
                        let (p, name) = (persistence.clone(), format!("{}-unreadable-session.txt", segment.name));
                        Callback::from(move |_| p.download(key.clone(), name.clone()))
                    }}>{ "Download the unreadable session" }</button>
                </p>
            }
            // The Results view lists the warnings with the figures.
            if !warnings.is_empty() && view != View::Results {
                <ul class="warnings" aria-label="Warnings">
                    { for warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                </ul>
            }
            <ViewTabs place={props.place.clone()} on_place={props.on_place.clone()} />
            <section id={format!("panel-{}", view.id())} role="tabpanel" aria-labelledby={format!("tab-{}", view.id())}>
                { history }
                <ViewPanel {view} segment={segment.clone()} triangle={triangle.clone()}
                    measure={AttrValue::from(measure.clone())} settings={settings.clone()} results={results.clone()}
                    exhibits={exhibits.clone()} print={print.clone()} choices={choices.clone()}
                    on_action={on_action.clone()} />
                <RangeView triangle={triangle.clone()} measure={AttrValue::from(measure.clone())} settings={settings.clone()}
                    visible={view == View::ReserveRange} on_action={on_action.clone()} ranges={(*ranges).clone()} />
            </section>
        </main>
    }
}

/// The undo and redo keys anywhere in the page ([`page::on_history_key`]).
#[hook]
fn use_history_keys(dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let listening = page::on_history_key(move |key| {
            dispatch.dispatch(match key {
                HistoryKey::Undo => Msg::Undo,
                HistoryKey::Redo => Msg::Redo,
            })
        });
        move || drop(listening)
    });
}
