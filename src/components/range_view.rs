//! The Reserve range view: the ODP bootstrap of the segment's triangle
//! under its settings, run in the range worker
//! ([`crate::browser::range_worker`]) in chunks, with its progress, a
//! Cancel button and, at the end, the distribution of the IBNR as the
//! worker writes it (a table and a histogram). The page hosts the markup
//! and owns only the inputs (simulations, seed, process risk: judgements
//! like any other, saved and undone), the progress and Cancel.
//!
//! The component stays mounted in every view once the range view has been
//! shown: it then follows the settings, so an edit anywhere restarts the
//! run on the new settings, and away from its view it renders only the
//! printed copy of a finished range. Runs are numbered; an answer of any
//! run but the latest is dropped. Finished ranges are kept (the last few)
//! by triangle and settings, so undoing an edit shows the range again at
//! once, and Export results adds the range of the settings shown.

use crate::browser::range_worker::{Listener, RangeWorker};
use crate::components::controls::{Field, Select};
use crate::components::print_only::PrintOnly;
use crate::entry;
use crate::format;
use crate::markup;
use runoff_engine::bootstrap::{Process, MAX_SIMS};
use runoff_engine::{Action, Settings, Triangle};
use runoff_worker::range::{RangeAnswer, RangeJob, RangeState};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A finished range: what it was computed for, and what the worker wrote.
pub struct Computed {
    pub triangle: Rc<Triangle>,
    pub settings: Settings,
    pub markup: AttrValue,
    /// The table as CSV, for Export results.
    pub csv: String,
}

/// The finished ranges (newest last), shared with the workbench for
/// Export results; compared by identity.
#[derive(Clone, Default)]
pub struct Ranges(pub Rc<RefCell<Vec<Rc<Computed>>>>);

impl PartialEq for Ranges {
    fn eq(&self, other: &Ranges) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// How many finished ranges are kept.
const KEPT: usize = 4;

impl Ranges {
    /// The finished range of `triangle` under `settings`, if there is one.
    pub fn of(&self, triangle: &Rc<Triangle>, settings: &Settings) -> Option<Rc<Computed>> {
        self.0.borrow().iter().rev().find(|c| Rc::ptr_eq(&c.triangle, triangle) && c.settings == *settings).cloned()
    }

    fn keep(&self, c: Computed) {
        let mut v = self.0.borrow_mut();
        if v.len() >= KEPT {
            v.remove(0);
        }
        v.push(Rc::new(c));
    }
}

/// Where the range shown is.
#[derive(Clone, PartialEq)]
enum Phase {
    Idle,
    Running { done: u32, total: u32 },
    Done(AttrValue),
    Cancelled { done: u32, total: u32 },
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct RangeViewProps {
    pub triangle: Option<Rc<Triangle>>,
    pub measure: AttrValue,
    pub settings: Settings,
    /// The view is shown (else only the printed copy is).
    pub visible: bool,
    pub on_action: Callback<Action>,
    pub ranges: Ranges,
}

/// The run going on: its number, its inputs, whether it was cancelled.
#[derive(Default)]
struct Current {
    run: u64,
    inputs: Option<(Rc<Triangle>, Settings)>,
    stopped: bool,
}

#[component]
pub fn RangeView(props: &RangeViewProps) -> Html {
    let phase = use_state_eq(|| Phase::Idle);
    let followed = use_state_eq(|| false);
    let current = use_mut_ref(Current::default);
    let worker = use_mut_ref(|| None::<RangeWorker>);
    // Inline errors: (the text entered, why it is refused).
    let sims_error = use_state(|| None::<(String, String)>);
    let seed_error = use_state(|| None::<(String, String)>);
    {
        let followed = followed.clone();
        use_effect_with(props.visible, move |v| {
            if *v {
                followed.set(true)
            }
        });
    }

    // The listener of the worker's answers: only the latest run's count.
    let listener: Listener = {
        let (set, current, ranges) = (phase.setter(), current.clone(), props.ranges.clone());
        Rc::new(move |answer: Result<RangeAnswer, String>| {
            // The borrow ends before the state is set (which may render at once).
            let next = match answer {
                Ok(a) => {
                    let mut cur = current.borrow_mut();
                    if a.run != cur.run {
                        return;
                    }
                    let (done, total) = (a.done, a.total);
                    match a.state {
                        RangeState::Running if !cur.stopped => Phase::Running { done, total },
                        RangeState::Running => return,
                        // Cancelled here already, with the count shown at the
                        // press; the worker's later count would change the
                        // words under the user's eyes.
                        RangeState::Cancelled if cur.stopped => return,
                        RangeState::Cancelled => Phase::Cancelled { done, total },
                        RangeState::Done { markup, csv } => {
                            let markup = AttrValue::from(markup);
                            if let Some((triangle, settings)) = cur.inputs.take() {
                                ranges.keep(Computed { triangle, settings, markup: markup.clone(), csv });
                            }
                            Phase::Done(markup)
                        }
                        RangeState::Failed(why) => Phase::Failed(why),
                    }
                }
                Err(why) => Phase::Failed(why),
            };
            set.set(next);
        })
    };
    // Starts a run on the inputs (a finished range of the same inputs is
    // shown as it is, unless `again`).
    let start = {
        let (set, current, worker, ranges) = (phase.setter(), current.clone(), worker.clone(), props.ranges.clone());
        let listener = listener.clone();
        Rc::new(move |triangle: Option<Rc<Triangle>>, settings: Settings, measure: String, again: bool| {
            let next = (|| {
                let mut cur = current.borrow_mut();
                // Whatever ran before is superseded.
                let old = cur.run;
                cur.run += 1;
                cur.stopped = false;
                cur.inputs = None;
                if let Some(w) = worker.borrow().as_ref() {
                    let _ = w.send(&RangeJob::Cancel { run: old });
                }
                let Some(triangle) = triangle else { return Phase::Idle };
                if let Some(c) = ranges.of(&triangle, &settings).filter(|_| !again) {
                    return Phase::Done(c.markup.clone());
                }
                let mut w = worker.borrow_mut();
                if w.as_ref().is_none_or(|w| w.failed()) {
                    *w = None;
                    match RangeWorker::start(listener.clone()) {
                        Ok(started) => *w = Some(started),
                        Err(e) => return Phase::Failed(e),
                    }
                }
                let total = settings.bootstrap_sims;
                cur.inputs = Some((triangle.clone(), settings.clone()));
                let job = RangeJob::Run {
                    run: cur.run,
                    triangle: (*triangle).clone(),
                    settings: Box::new(settings),
                    measure,
                };
                match w.as_ref().map(|w| w.send(&job)) {
                    Some(Err(e)) => Phase::Failed(e),
                    _ => Phase::Running { done: 0, total },
                }
            })();
            set.set(next);
        })
    };
    // Following the settings once the view has been shown.
    {
        let following = *followed || props.visible;
        let start = start.clone();
        use_effect_with(
            (following, props.triangle.clone(), props.settings.clone(), props.measure.clone()),
            move |(following, triangle, settings, measure)| {
                if *following {
                    start(triangle.clone(), settings.clone(), measure.to_string(), false);
                }
            },
        );
    }

    if !props.visible {
        // Printed from another view: the finished range of these settings.
        let done = match &*phase {
            Phase::Done(m) => Some(m.clone()),
            _ => None,
        };
        return html! { if done.is_some() { <PrintOnly markup={done} /> } };
    }

    let s = &props.settings;
    let on_sims = {
        let (cb, err) = (props.on_action.clone(), sims_error.clone());
        Callback::from(move |text: String| match entry::whole_in("Simulations", &text, 100, MAX_SIMS as u64) {
            Ok(n) => {
                err.set(None);
                cb.emit(Action::SetBootstrapSims(n as u32));
            }
            Err(why) => err.set(Some((text, why.to_string()))),
        })
    };
    let on_seed = {
        let (cb, err) = (props.on_action.clone(), seed_error.clone());
        Callback::from(move |text: String| match entry::whole_in("Seed", &text, 0, (1 << 53) - 1) {
            Ok(n) => {
                err.set(None);
                cb.emit(Action::SetBootstrapSeed(n));
            }
            Err(why) => err.set(Some((text, why.to_string()))),
        })
    };
    let on_process = {
        let cb = props.on_action.clone();
        Callback::from(move |v: String| {
            if let Some(p) = Process::from_name(&v) {
                cb.emit(Action::SetBootstrapProcess(p));
            }
        })
    };
    let shown = |e: &Option<(String, String)>, v: String| AttrValue::from(e.as_ref().map_or(v, |(t, _)| t.clone()));
    let on_cancel = {
        let (set, current, worker, phase) = (phase.setter(), current.clone(), worker.clone(), (*phase).clone());
        Callback::from(move |_| {
            {
                let mut cur = current.borrow_mut();
                cur.stopped = true;
                cur.inputs = None;
                if let Some(w) = worker.borrow().as_ref() {
                    let _ = w.send(&RangeJob::Cancel { run: cur.run });
                }
            }
            if let Phase::Running { done, total } = phase {
                set.set(Phase::Cancelled { done, total });
            }
        })
    };
    let on_again = {
        let (start, t, st, m) = (start.clone(), props.triangle.clone(), s.clone(), props.measure.to_string());
        Callback::from(move |_| start(t.clone(), st.clone(), m.clone(), true))
    };
    let of = |done: u32, total: u32| {
        format!("{} of {} simulations", format::number(done as f64, 0), format::number(total as f64, 0))
    };
    let (status, body) = match &*phase {
        Phase::Idle => ("", html! {}),
        Phase::Running { done, total } => {
            let pct = if *total > 0 { 100.0 * *done as f64 / *total as f64 } else { 0.0 };
            (
                "Simulating…",
                html! {
                    <div class="range-run">
                        <div class="range-progress" role="progressbar" aria-label="Simulations run"
                            aria-valuemin="0" aria-valuemax={total.to_string()} aria-valuenow={done.to_string()}
                            aria-valuetext={of(*done, *total)}>
                            <div class="range-bar" style={format!("width:{}%", format::fixed(pct, 1))}></div>
                        </div>
                        <span class="range-count">{ of(*done, *total) }</span>
                        <button type="button" onclick={on_cancel}>{ "Cancel" }</button>
                    </div>
                },
            )
        }
        Phase::Cancelled { done, total } => (
            "Cancelled",
            html! {
                <p class="range-run">
                    { format!("Cancelled after {}: an unfinished run's figures are not shown. ", of(*done, *total)) }
                    <button type="button" onclick={on_again}>{ "Run again" }</button>
                </p>
            },
        ),
        Phase::Done(m) => ("", markup::html(m.clone())),
        Phase::Failed(why) => {
            ("", html! { <div class="alert" role="alert">{ format!("No reserve range: {why}") }</div> })
        }
    };
    html! {
        <section class="range-view" aria-label="Reserve range">
            <div class="settings">
                <Field label="Simulations" id="range-sims" value={shown(&sims_error, s.bootstrap_sims.to_string())}
                    error={sims_error.as_ref().map(|(_, w)| w.clone())} on_text={on_sims} />
                <Field label="Seed" id="range-seed" value={shown(&seed_error, s.bootstrap_seed.to_string())}
                    error={seed_error.as_ref().map(|(_, w)| w.clone())} on_text={on_seed} />
                <Select label="Process risk" value={AttrValue::Static(s.bootstrap_process.name())} on_change={on_process}
                    options={vec![(AttrValue::Static("gamma"), AttrValue::Static("Gamma")), (AttrValue::Static("none"), AttrValue::Static("None"))]} />
            </div>
            <p class="note">
                { "The over-dispersed Poisson bootstrap of the chain ladder under this segment's settings: the distribution of the IBNR, beside Mack's standard error. An edit anywhere runs it again." }
            </p>
            <p class="range-status" role="status">{ status }</p>
            { body }
        </section>
    }
}
