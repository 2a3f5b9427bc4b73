//! The root component: it spawns the recalculation worker, chooses the
//! segment (kept in the address, `#segment/view`, so that a reload or a
//! bookmark opens the same place) and lays out the workbench.

use crate::components::{
    BfView, ChainLadderView, DataView, EmergenceChart, ResultsView, StatusLine,
};
use crate::components::controls::Select;
use crate::format;
use crate::persist;
use crate::recalc::{use_recalculation, Recalculation};
use crate::segments::{self, Segment};
use crate::state::{Msg, View, Workbench};
use gloo::events::EventListener;
use runoff_engine::{Action, Session, Settings, Triangle};
use runoff_worker::{Recalc, Structured};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_agent::oneshot::OneshotProvider;

/// The worker script that Trunk builds beside the app, relative to the page
/// so that the app can be served from any path.
const WORKER_PATH: &str = "worker.js";

#[component]
pub fn App() -> Html {
    html! {
        <OneshotProvider<Recalc, Structured> path={WORKER_PATH}>
            <Root />
        </OneshotProvider<Recalc, Structured>>
    }
}

/// Where the page is: a segment and a view.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub segment: String,
    pub view: View,
}

impl Place {
    /// Reads `#segment/view`; anything unknown falls back to the default.
    pub fn from_hash(hash: &str, known: impl Fn(&str) -> bool, default: &str) -> Place {
        let mut parts = hash.trim_start_matches('#').splitn(2, '/');
        let segment = parts
            .next()
            .filter(|s| known(s))
            .or(Some(default))
            .unwrap_or_default()
            .to_string();
        let view = parts
            .next()
            .and_then(|v| View::ALL.into_iter().find(|x| x.id() == v))
            .unwrap_or_default();
        Place { segment, view }
    }

    pub fn hash(&self) -> String {
        format!("#{}/{}", self.segment, self.view.id())
    }
}

fn current_place() -> Place {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    Place::from_hash(&hash, segments::known, segments::BUILTIN[0])
}

/// Shows `place` in the address without adding a history entry for every
/// tab switch.
fn show_place(place: &Place) {
    if let Ok(history) = gloo::utils::window().history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&place.hash()),
        );
    }
}

#[component]
fn Root() -> Html {
    let place = use_state(current_place);
    // Following the address when the user edits it or goes back.
    {
        let place = place.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                place.set(current_place())
            });
            move || drop(listener)
        });
    }
    let on_place = {
        let place = place.clone();
        Callback::from(move |p: Place| {
            show_place(&p);
            place.set(p)
        })
    };
    let segment = use_memo(place.segment.clone(), |name| segments::builtin(name).map(Rc::new));
    match &*segment {
        Ok(segment) => html! {
            <Bench key={place.segment.clone()} segment={segment.clone()} place={(*place).clone()} on_place={on_place} />
        },
        Err(e) => html! {
            <main><div class="alert" role="alert">{ e.clone() }</div></main>
        },
    }
}

#[derive(Properties, PartialEq)]
struct BenchProps {
    segment: Rc<Segment>,
    place: Place,
    on_place: Callback<Place>,
}

/// The workbench of one segment. It is keyed by the segment's name, so
/// switching segments starts it afresh.
#[component]
fn Bench(props: &BenchProps) -> Html {
    let segment = &props.segment;
    let wb = use_reducer(|| Workbench::new(Session::new(&segment.name)));
    let notice = use_state(|| None::<String>);
    let persistence = persist::use_persistence(&segment.name, wb.dispatcher());
    persist::use_saving(&persistence, &wb, wb.dispatcher());
    use_history_keys(wb.dispatcher());

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
    let Recalculation { results, error, recalculating, ahead } =
        use_recalculation(triangle.clone(), segment.premium.clone(), settings.clone());
    // Another tab's save: recalculate it while it is read into the page.
    {
        let (d, ahead, pick, premium) = (wb.dispatcher(), ahead.clone(), pick.clone(), segment.premium.clone());
        persistence.on_loaded(Rc::new(move |session: Session| {
            let settings = session.settings.clone();
            let d = d.clone();
            ahead(
                (pick(settings.measure.as_deref()).1, premium.clone(), settings),
                Box::new(move || d.dispatch(Msg::Loaded(session))),
            );
        }));
    }
    // The latest settings, for acting on a click before the render.
    let latest = use_mut_ref(Settings::default);
    *latest.borrow_mut() = settings.clone();

    // Stable callbacks: the grid's rows compare their props, and a new
    // callback on every render would make every row render again.
    let on_action = {
        let (d, notice) = (wb.dispatcher(), notice.setter());
        let (persistence, premium) = (persistence.clone(), segment.premium.clone());
        use_callback((), move |a: Action, _| {
            notice.set(None);
            let a = toggled_again(a, &latest.borrow());
            // Save and recalculate first, render after: the worker computes
            // and storage commits while the page renders the click.
            let next = a.apply(&latest.borrow());
            match next {
                Ok(next) if next != *latest.borrow() => {
                    *latest.borrow_mut() = next.clone();
                    // The worker first: its answer is what the user waits for.
                    let inputs = (pick(next.measure.as_deref()).1, premium.clone(), next);
                    let (d2, a2) = (d.clone(), a.clone());
                    ahead(inputs, Box::new(move || d2.dispatch(Msg::Judge(a2))));
                    persistence.save(a, d.clone());
                }
                _ => d.dispatch(Msg::Judge(a)),
            }
        })
    };
    let on_invalid = {
        let notice = notice.setter();
        use_callback((), move |m: String, _| notice.set(Some(m)))
    };
    let on_segment = {
        let (cb, view) = (props.on_place.clone(), props.place.view);
        Callback::from(move |segment: String| cb.emit(Place { segment, view }))
    };
    let mut segment_options: Vec<(AttrValue, AttrValue)> = segments::BUILTIN
        .iter()
        .map(|s| (AttrValue::Static(s), AttrValue::Static(s)))
        .collect();
    if !segments::BUILTIN.contains(&segment.name.as_str()) {
        let name = AttrValue::from(segment.name.clone());
        segment_options.push((name.clone(), name));
    }

    let view = props.place.view;
    let total_ibnr = results.as_ref().map(|r| format::number(r.selected.result.total_ibnr, 2));
    let alerts: Vec<String> = [
        error.clone(),
        triangle.is_none().then(|| format!("segment {} has no triangle", segment.name)),
        wb.rejected.clone(),
        (*notice).clone(),
        persistence.problem(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let warnings = results.as_ref().map(|r| r.warnings.clone()).unwrap_or_default();

    let panel = match (view, &triangle) {
        (View::Data, _) => html! { <DataView segment={segment.clone()} /> },
        (View::ChainLadder, Some(t)) => html! {
            <ChainLadderView
                triangle={t.clone()}
                measures={segment.measures.iter().map(|(m, _)| AttrValue::from(m.clone())).collect::<Vec<_>>()}
                measure={AttrValue::from(measure.clone())}
                settings={settings.clone()}
                results={results.clone()}
                on_action={on_action.clone()}
                on_invalid={on_invalid.clone()}
            >
                if let Some(r) = &results {
                    <EmergenceChart triangle={t.clone()} results={r.clone()} />
                }
            </ChainLadderView>
        },
        (View::BornhuetterFerguson, Some(t)) => html! {
            <BfView
                origins={t.origins().to_vec()}
                premium={segment.premium.clone()}
                settings={settings.clone()}
                results={results.clone()}
                on_action={on_action.clone()}
            />
        },
        (View::Results, Some(_)) => match &results {
            Some(r) => html! {
                <ResultsView results={r.clone()} settings={settings.clone()} on_action={on_action.clone()} />
            },
            None => html! { <p>{ "Calculating…" }</p> },
        },
        (_, None) => html! {},
    };

    html! {
        <main>
            <header>
                <h1>{ "runoff" }</h1>
                <Select label="Segment" options={segment_options} value={AttrValue::from(segment.name.clone())} on_change={on_segment} />
                <HistoryButtons wb={wb.clone()} />
                <StatusLine
                    segment={AttrValue::from(segment.name.clone())}
                    measure={AttrValue::from(measure.clone())}
                    version={wb.session.sync_version}
                    recalculating={recalculating}
                    saved_at={persistence.saved_at()}
                    total_ibnr={total_ibnr}
                    mode_note={persistence.mode_note()}
                />
            </header>
            { for alerts.into_iter().map(|m| html! { <div class="alert" role="alert">{ m }</div> }) }
            if let Some(key) = persistence.unreadable_key() {
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
                { panel }
            </section>
        </main>
    }
}

/// A click on a ratio, an origin or a diagonal toggles it as the user last
/// saw it; a second click that comes before the first is rendered would ask
/// for what the first already did, so it means the other way.
pub fn toggled_again(a: Action, latest: &Settings) -> Action {
    let unchanged = matches!(a.apply(latest), Ok(ref next) if next == latest);
    match a {
        Action::SetCellDropped { origin, age, dropped } if unchanged => {
            Action::SetCellDropped { origin, age, dropped: !dropped }
        }
        Action::SetOriginDropped { origin, dropped } if unchanged => {
            Action::SetOriginDropped { origin, dropped: !dropped }
        }
        Action::SetValuationDropped { valuation, dropped } if unchanged => {
            Action::SetValuationDropped { valuation, dropped: !dropped }
        }
        other => other,
    }
}

#[derive(Properties, PartialEq)]
struct HistoryButtonsProps {
    wb: UseReducerHandle<Workbench>,
}

/// Undo and redo of this tab's judgements.
#[component]
fn HistoryButtons(props: &HistoryButtonsProps) -> Html {
    let undo = {
        let wb = props.wb.clone();
        Callback::from(move |_| wb.dispatch(Msg::Undo))
    };
    let redo = {
        let wb = props.wb.clone();
        Callback::from(move |_| wb.dispatch(Msg::Redo))
    };
    html! {
        <div class="history" role="group" aria-label="History">
            <button type="button" onclick={undo} disabled={props.wb.undo.is_empty()}
                aria-keyshortcuts="Control+Z" title="Undo (Ctrl+Z)">{ "Undo" }</button>
            <button type="button" onclick={redo} disabled={props.wb.redo.is_empty()}
                aria-keyshortcuts="Control+Shift+Z" title="Redo (Ctrl+Shift+Z)">{ "Redo" }</button>
        </div>
    }
}

/// Ctrl+Z and Ctrl+Shift+Z (Cmd on a Mac; Ctrl+Y too) anywhere in the page,
/// except in a text field, where they keep their usual meaning.
#[hook]
fn use_history_keys(dispatch: UseReducerDispatcher<Workbench>) {
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::document(), "keydown", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
                return;
            }
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA") || el.has_attribute("contenteditable"))
                .unwrap_or(false);
            if typing {
                return;
            }
            let msg = match (e.key().to_lowercase().as_str(), e.shift_key()) {
                ("z", false) => Msg::Undo,
                ("z", true) | ("y", false) => Msg::Redo,
                _ => return,
            };
            e.prevent_default();
            dispatch.dispatch(msg);
        });
        move || drop(listener)
    });
}

#[derive(Properties, PartialEq)]
struct ViewTabsProps {
    place: Place,
    on_place: Callback<Place>,
}

/// The views as tabs (ARIA tabs pattern: arrow keys move between them).
#[component]
fn ViewTabs(props: &ViewTabsProps) -> Html {
    let go = |view: View| {
        let (cb, segment) = (props.on_place.clone(), props.place.segment.clone());
        move || cb.emit(Place { segment: segment.clone(), view })
    };
    let current = props.place.view;
    let onkeydown = {
        let (cb, segment) = (props.on_place.clone(), props.place.segment.clone());
        Callback::from(move |e: KeyboardEvent| {
            let k = View::ALL.iter().position(|v| *v == current).unwrap_or(0);
            let n = View::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (k + 1) % n,
                "ArrowLeft" => (k + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            let view = View::ALL[next];
            cb.emit(Place { segment: segment.clone(), view });
            if let Some(el) = gloo::utils::document().get_element_by_id(&format!("tab-{}", view.id())) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    html! {
        <nav class="tabs" role="tablist" aria-label="Views" onkeydown={onkeydown}>
            { for View::ALL.into_iter().map(|v| {
                let selected = v == current;
                let go = go(v);
                html! {
                    <button type="button" role="tab" id={format!("tab-{}", v.id())}
                        aria-selected={selected.to_string()}
                        aria-controls={format!("panel-{}", v.id())}
                        tabindex={if selected { "0" } else { "-1" }}
                        onclick={Callback::from(move |_| go())}>{ v.title() }</button>
                }
            }) }
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_click_before_the_first_renders_toggles_back() {
        let drop = Action::SetCellDropped { origin: "1996".into(), age: 3, dropped: true };
        let before = Settings::default();
        assert_eq!(toggled_again(drop.clone(), &before), drop);
        let after = drop.apply(&before).unwrap();
        assert_eq!(
            toggled_again(drop, &after),
            Action::SetCellDropped { origin: "1996".into(), age: 3, dropped: false }
        );
        // Other settings are set, not toggled.
        let avg = Action::SetDropHigh(false);
        assert_eq!(toggled_again(avg.clone(), &before), avg);
    }

    #[test]
    fn places_read_from_the_address() {
        let segs = |s: &str| ["quarterly", "annual"].contains(&s);
        assert_eq!(Place::from_hash("", segs, "quarterly"), Place { segment: "quarterly".into(), view: View::ChainLadder });
        assert_eq!(Place::from_hash("#annual/results", segs, "quarterly"), Place { segment: "annual".into(), view: View::Results });
        assert_eq!(Place::from_hash("#nope/bf", segs, "quarterly"), Place { segment: "quarterly".into(), view: View::BornhuetterFerguson });
        assert_eq!(Place::from_hash("#annual/odd", segs, "quarterly").view, View::ChainLadder);
        let p = Place { segment: "annual".into(), view: View::Data };
        assert_eq!(Place::from_hash(&p.hash(), segs, "quarterly"), p);
    }
}
