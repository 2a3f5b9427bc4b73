//! The reserve range of the segment shown, as a hook: the ODP bootstrap of
//! its triangle under its settings, run in the range worker
//! ([`crate::browser::range_worker`]) in chunks, with its progress, and
//! Cancel.
//!
//! Runs are numbered; an answer of any run but the latest is dropped.
//! Finished ranges are kept (the last few) by triangle and settings, so
//! undoing an edit shows the range again at once, and Export results adds
//! the range of the settings shown.

use crate::browser::range_worker::{Listener, RangeWorker};
use runoff_engine::{Settings, Triangle};
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
pub enum Phase {
    Idle,
    Running { done: u32, total: u32 },
    Done(AttrValue),
    Cancelled { done: u32, total: u32 },
    Failed(String),
}

/// The run going on: its number, its inputs, whether it was cancelled.
#[derive(Default)]
struct Current {
    run: u64,
    inputs: Option<(Rc<Triangle>, Settings)>,
    stopped: bool,
}

/// The range of the inputs followed, and what the user can do to it.
pub struct ReserveRange {
    pub phase: Phase,
    /// Stops the run under way.
    pub cancel: Callback<()>,
    /// Runs the inputs again, even if their range is kept.
    pub again: Callback<()>,
}

/// Runs the range of `triangle` under `settings` whenever they change while
/// `following`, keeping finished ranges in `ranges`.
#[hook]
pub fn use_reserve_range(
    triangle: Option<Rc<Triangle>>,
    settings: &Settings,
    measure: &AttrValue,
    following: bool,
    ranges: &Ranges,
) -> ReserveRange {
    let phase = use_state_eq(|| Phase::Idle);
    let current = use_mut_ref(Current::default);
    let worker = use_mut_ref(|| None::<RangeWorker>);

    // The listener of the worker's answers: only the latest run's count.
    let listener: Listener = {
        let (set, current, ranges) = (phase.setter(), current.clone(), ranges.clone());
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
        let (set, current, worker, ranges) = (phase.setter(), current.clone(), worker.clone(), ranges.clone());
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
        let start = start.clone();
        use_effect_with(
            (following, triangle.clone(), settings.clone(), measure.clone()),
            move |(following, triangle, settings, measure)| {
                if *following {
                    start(triangle.clone(), settings.clone(), measure.to_string(), false);
                }
            },
        );
    }

    let cancel = {
        let (set, current, worker, phase) = (phase.setter(), current.clone(), worker.clone(), (*phase).clone());
        Callback::from(move |()| {
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
    let again = {
        let (start, t, st, m) = (start.clone(), triangle, settings.clone(), measure.to_string());
        Callback::from(move |()| start(t.clone(), st.clone(), m.clone(), true))
    };
    ReserveRange { phase: (*phase).clone(), cancel, again }
}
