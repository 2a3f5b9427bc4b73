//! Recalculation in the worker, as a hook: each change of the triangle,
//! premium or settings sends a new request, numbered by a counter; an answer
//! older than the newest one shown is dropped, because answers can arrive
//! out of order. A worker that does not answer is reported, not waited for
//! silently.
//!
//! The print exhibit is not written with the figures: a click would pay for
//! markup nobody sees. It is asked of the worker when the page is printed
//! ([`PrintRequest`]), for the inputs last sent.

use crate::agent::{use_agent, Agent};
use crate::replies::{Replies, POSTED_GRACE_MS};
use gloo::timers::callback::Timeout;
use gloo::timers::future::TimeoutFuture;
use runoff_engine::{Reserve, Settings, Triangle};
use runoff_worker::exhibits::{Rendered, Wanted};
use runoff_worker::markup::Cells;
use runoff_worker::{Answer, Job, RecalcRequest, Reply};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// How long the worker may take before the page says it is not answering.
pub const WORKER_TIMEOUT_MS: u32 = 5_000;

/// How long a click waits for its results before it is shown without them.
pub const AHEAD_WAIT_MS: u32 = 60;

/// How long after its figures the averages table and a new emergence chart
/// are asked for: two frames.
pub const AFTER_FIGURES_MS: u32 = 32;

/// How long a recalculation runs, once results are on screen, before the
/// status line says "Recalculating…". Most answer within a frame: saying so
/// at once would flash the words (and have screen readers announce them) on
/// every click, and render the page once more before the results.
pub const BUSY_AFTER_MS: u32 = 150;

/// What runs once an answer is in.
pub type Then = Box<dyn FnOnce()>;
/// Sends inputs ahead of the render (see [`Recalculation::ahead`]).
pub type Ahead = Rc<dyn Fn(Inputs, Then)>;
/// Asks for the print exhibit, handing its markup to a callback.
type Ask = Rc<dyn Fn(Box<dyn FnOnce(Option<String>)>)>;

/// What the page shows of the recalculation.
#[derive(Clone)]
pub struct Recalculation {
    /// The newest results, kept while a newer request runs.
    pub results: Option<Rc<Reserve>>,
    /// The exhibits the inputs asked for, as markup, with the results.
    pub exhibits: Rc<Rendered>,
    pub error: Option<String>,
    pub recalculating: bool,
    /// Sends inputs now, ahead of the render that would send them, and
    /// runs `then` when their answer is in (or at once if nothing was sent,
    /// or after [`AHEAD_WAIT_MS`]): a click is then rendered together with
    /// its results, in one render instead of two.
    pub ahead: Ahead,
    /// Asks for the print exhibit of the inputs last sent.
    pub print: PrintRequest,
}

/// Asks the worker for the print exhibit (the inputs' `exhibits.print`) of
/// the inputs last sent, and hands its markup (`None` when there is none)
/// to a callback: at once when it was already written for those inputs.
/// Two requests are equal when they stand for the same answer shown, so a
/// component holding one renders again when newer figures are shown.
#[derive(Clone)]
pub struct PrintRequest {
    /// The number of the answer shown when this was made.
    pub version: u64,
    ask: Ask,
}

impl PrintRequest {
    /// Asks, and calls `then` with the markup.
    pub fn ask(&self, then: Box<dyn FnOnce(Option<String>)>) {
        (self.ask)(then)
    }
}

impl PartialEq for PrintRequest {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.ask, &other.ask)
    }
}

/// The figures request `seq` asks the worker for: whichever exhibits, they
/// are of these inputs.
#[derive(Clone)]
struct Asked {
    seq: u64,
    triangle: Rc<Triangle>,
    premium: Option<Vec<f64>>,
    settings: Settings,
}

/// What the print exhibit is written from: the last request sent, with the
/// measure that heads it.
#[derive(Clone)]
struct PrintInputs {
    asked: Asked,
    measure: String,
}

/// What a recalculation is asked for.
#[derive(Clone, PartialEq)]
pub struct Inputs {
    pub triangle: Option<Rc<Triangle>>,
    pub premium: Option<Vec<f64>>,
    pub settings: Settings,
    /// The exhibits the view shows.
    pub exhibits: Wanted,
}

/// Request numbers: the last one sent and the newest one rendered, and the
/// inputs last sent, so that asking twice for the same sends once.
#[derive(Default)]
struct Sequence {
    sent: Cell<u64>,
    shown: Cell<u64>,
    last: RefCell<Option<Inputs>>,
    /// What waits for the answer to a request, by request number.
    waiting: RefCell<Vec<(u64, Then)>>,
    /// The averages table and the ratios outside the latest-n windows, of
    /// the last answer to ask for them: they come after the figures
    /// (`send`), and stand until the next.
    averages: RefCell<(Option<Rc<Cells>>, Vec<u32>)>,
    /// The exhibits shown (their chart stands until a new one comes), to
    /// which the averages are added when they come.
    shown_exhibits: RefCell<Rc<Rendered>>,
    /// What a print exhibit would be written from, and the last one
    /// written, by the request number it was written for.
    print_inputs: RefCell<Option<PrintInputs>>,
    printed: RefCell<Option<(u64, Option<String>)>>,
    /// The timers of the requests in flight, each dropped (cancelled) when
    /// it no longer matters, never from inside its own callback.
    timers: RefCell<Timers>,
}

/// What a request in flight waits for. The callbacks hold the sequence
/// weakly: the sequence owns them.
#[derive(Default)]
struct Timers {
    /// Says "Recalculating…" if the newest request takes long.
    busy: Option<Timeout>,
    /// Says the worker is not answering if the newest request never is.
    deadline: Option<Timeout>,
    /// Shows a waiting click without its results after a while, by request.
    ahead: Vec<(u64, Timeout)>,
}

impl Sequence {
    /// Runs what waits for answers up to `seq`.
    fn release(&self, seq: u64) {
        let ready: Vec<Box<dyn FnOnce()>> = {
            let mut waiting = self.waiting.borrow_mut();
            let (ready, rest): (Vec<_>, Vec<_>) = waiting.drain(..).partition(|(s, _)| *s <= seq);
            *waiting = rest;
            ready.into_iter().map(|(_, f)| f).collect()
        };
        for f in ready {
            f();
        }
    }
}

/// Whether an answer numbered `seq` may replace what is shown.
pub fn is_current(seq: u64, shown: u64) -> bool {
    seq >= shown
}

/// The worker and its reply channel.
#[derive(Clone)]
struct Worker {
    agent: Agent,
    replies: Rc<Replies>,
}

/// The handles an answer updates.
#[derive(Clone)]
struct Outputs {
    results: UseStateHandle<Option<Rc<Reserve>>>,
    exhibits: UseStateHandle<Rc<Rendered>>,
    error: UseStateHandle<Option<String>>,
    recalculating: UseStateHandle<bool>,
}

fn send(sequence: &Rc<Sequence>, worker: &Worker, out: &Outputs, inputs: Inputs, then: Option<Box<dyn FnOnce()>>) {
    if sequence.last.borrow().as_ref() == Some(&inputs) {
        if let Some(f) = then {
            // After what already waits, so that what renders keeps the
            // order it came in (a session loaded, then one replacing it).
            if sequence.waiting.borrow().is_empty() {
                f();
            } else {
                sequence.waiting.borrow_mut().push((sequence.sent.get(), f));
            }
        }
        return;
    }
    let Some(triangle) = inputs.triangle.clone() else {
        if let Some(f) = then {
            f();
        }
        return;
    };
    let (premium, settings, mut exhibits) = (inputs.premium.clone(), inputs.settings.clone(), inputs.exhibits.clone());
    // The averages table and a new emergence chart (once one is shown) are
    // asked for after the figures, in a request of their own: writing them
    // (about 50 KB of markup on `quarterly`, and the chart's SVG) would hold
    // the figures a click waits for, here and in the other tabs, and laying
    // out a new SVG is the largest part of rendering an answer.
    let averages = std::mem::take(&mut exhibits.averages);
    let chart_later = exhibits.chart && sequence.shown_exhibits.borrow().chart.is_some();
    exhibits.chart &= !chart_later;
    // The print exhibit is written only when the page is printed (`print`).
    let print = exhibits.print.take();
    *sequence.last.borrow_mut() = Some(inputs);
    let seq = sequence.sent.get() + 1;
    sequence.sent.set(seq);
    let asked = Asked { seq, triangle, premium, settings };
    *sequence.print_inputs.borrow_mut() = print.map(|measure| PrintInputs { asked: asked.clone(), measure });
    if sequence.shown.get() == 0 {
        // Nothing shown yet: say at once that results are coming.
        out.recalculating.set(true);
    } else {
        let (weak, recalculating) = (Rc::downgrade(sequence), out.recalculating.clone());
        sequence.timers.borrow_mut().busy = Some(Timeout::new(BUSY_AFTER_MS, move || {
            if weak.upgrade().is_some_and(|s| s.shown.get() < seq) {
                recalculating.set(true);
            }
        }));
    }
    if let Some(f) = then {
        sequence.waiting.borrow_mut().push((seq, f));
        let weak = Rc::downgrade(sequence);
        let wait = Timeout::new(AHEAD_WAIT_MS, move || {
            if let Some(s) = weak.upgrade() {
                s.release(seq)
            }
        });
        sequence.timers.borrow_mut().ahead.push((seq, wait));
    }
    {
        let (weak, error) = (Rc::downgrade(sequence), out.error.clone());
        sequence.timers.borrow_mut().deadline = Some(Timeout::new(WORKER_TIMEOUT_MS, move || {
            if weak.upgrade().is_some_and(|s| s.shown.get() < seq) {
                error.set(Some("The recalculation worker is not answering; reload the page.".into()));
            }
        }));
    }
    let (sequence, worker, out) = (sequence.clone(), worker.clone(), out.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let answer = ask(&worker, &asked, &exhibits).await;
        // What waited for this answer renders with it, in the same render.
        sequence.release(seq);
        {
            let mut timers = sequence.timers.borrow_mut();
            timers.ahead.retain(|(s, _)| *s > seq);
            if seq == sequence.sent.get() {
                timers.busy = None;
                timers.deadline = None;
            }
        }
        if !is_current(seq, sequence.shown.get()) {
            return;
        }
        sequence.shown.set(seq);
        if seq == sequence.sent.get() {
            out.recalculating.set(false);
        }
        match answer {
            Answer::Recalc(answer) => match (answer.reserve, answer.error) {
                (Some(r), _) => {
                    out.results.set(Some(Rc::new(r)));
                    out.error.set(None);
                    let mut rendered = answer.exhibits;
                    if chart_later {
                        // The chart shown stands until this one's comes.
                        rendered.chart = sequence.shown_exhibits.borrow().chart.clone();
                    }
                    set_exhibits(&sequence, &out.exhibits, rendered);
                    if averages || chart_later {
                        // Two frames later, and only for the newest request:
                        // they are not what a click waits for, and asked for
                        // at once they held the next click's figures, and on
                        // a machine of few cores another tab's.
                        TimeoutFuture::new(AFTER_FIGURES_MS).await;
                        if sequence.sent.get() != seq {
                            return;
                        }
                        let only = Wanted { averages, chart: chart_later, ..Wanted::default() };
                        let answer = ask(&worker, &asked, &only).await;
                        // Unless a newer answer is shown by then.
                        if let (Answer::Recalc(a), true) = (answer, sequence.shown.get() == seq) {
                            if averages {
                                *sequence.averages.borrow_mut() = (a.exhibits.averages, a.exhibits.outside);
                            }
                            let mut current = (*sequence.shown_exhibits.borrow().clone()).clone();
                            if chart_later {
                                current.chart = a.exhibits.chart;
                            }
                            set_exhibits(&sequence, &out.exhibits, current);
                        }
                    }
                }
                (None, e) => out.error.set(Some(e.unwrap_or_else(|| "the worker gave no results".into()))),
            },
            Answer::Failed(e) => out.error.set(Some(e)),
            other => out.error.set(Some(other.unexpected())),
        }
    });
}

/// Asks the worker for the figures `asked` with the exhibits
/// `wanted`: the answer comes on the reply channel where the page has one
/// ([`crate::replies`]).
async fn ask(worker: &Worker, asked: &Asked, wanted: &Wanted) -> Answer {
    let Some((reply, answer)) = worker.replies.question() else {
        return ask_agent(&worker.agent, asked, wanted, None).await;
    };
    let id = reply.id;
    let (worker, asked, wanted) = (worker.clone(), asked.clone(), wanted.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let agent = &worker.agent;
        match ask_agent(agent, &asked, &wanted, Some(reply)).await {
            Answer::Posted { .. } => {
                if worker.replies.waiting(id) {
                    TimeoutFuture::new(POSTED_GRACE_MS).await;
                }
                if worker.replies.waiting(id) {
                    let again = ask_agent(agent, &asked, &wanted, None).await;
                    worker.replies.deliver(id, again);
                }
            }
            other => worker.replies.deliver(id, other),
        }
    });
    answer.await.unwrap_or_else(|_| Answer::Failed("the recalculation's answer was lost".into()))
}

/// Asks through the agent, the answer posted on `reply` if there is one.
async fn ask_agent(agent: &Agent, asked: &Asked, wanted: &Wanted, reply: Option<Reply>) -> Answer {
    agent
        .with_inputs(&asked.triangle, &asked.settings, &|triangle, settings| {
            Job::Recalc(RecalcRequest {
                seq: asked.seq,
                triangle,
                premium: asked.premium.clone(),
                settings,
                exhibits: wanted.clone(),
                reply: reply.clone(),
            })
        })
        .await
}

/// Asks the worker for the print exhibit of the last inputs sent, unless it
/// was written for them already.
fn ask_print(sequence: &Rc<Sequence>, worker: &Worker, then: Box<dyn FnOnce(Option<String>)>) {
    let Some(inputs) = sequence.print_inputs.borrow().clone() else {
        then(None);
        return;
    };
    if let Some((seq, markup)) = sequence.printed.borrow().as_ref() {
        if *seq == inputs.asked.seq {
            then(markup.clone());
            return;
        }
    }
    let (sequence, worker) = (sequence.clone(), worker.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let PrintInputs { asked, measure } = inputs;
        let only = Wanted { print: Some(measure), ..Wanted::default() };
        let answer = ask(&worker, &asked, &only).await;
        let seq = asked.seq;
        let markup = match answer {
            Answer::Recalc(a) => a.exhibits.print,
            _ => None,
        };
        *sequence.printed.borrow_mut() = Some((seq, markup.clone()));
        then(markup);
    });
}

/// Shows `rendered` with the latest averages table (which comes in an
/// answer of its own), and keeps what is shown.
fn set_exhibits(sequence: &Sequence, exhibits: &UseStateHandle<Rc<Rendered>>, mut rendered: Rendered) {
    let (averages, outside) = sequence.averages.borrow().clone();
    rendered.averages = averages;
    rendered.outside = outside;
    let rendered = Rc::new(rendered);
    *sequence.shown_exhibits.borrow_mut() = rendered.clone();
    exhibits.set(rendered);
}

/// Recalculates whenever the inputs change; `Recalculation::ahead` sends
/// inputs before the page renders them (at a click), so the worker computes
/// while the page renders the click.
#[hook]
pub fn use_recalculation(inputs: Inputs) -> Recalculation {
    let results = use_state(|| None::<Rc<Reserve>>);
    let exhibits = use_state(|| Rc::new(Rendered::default()));
    let error = use_state(|| None::<String>);
    let recalculating = use_state_eq(|| false);
    let sequence = use_memo((), |_| Sequence::default());
    let replies = use_memo((), |_| Replies::open(&crate::browser::sync::tab_id()));
    let worker = Worker { agent: use_agent(), replies: Rc::clone(&replies) };
    let out = Outputs {
        results: results.clone(),
        exhibits: exhibits.clone(),
        error: error.clone(),
        recalculating: recalculating.clone(),
    };
    let ahead: Ahead = {
        let (sequence, worker, out) = (sequence.clone(), worker.clone(), out.clone());
        Rc::new(move |inputs: Inputs, then: Box<dyn FnOnce()>| send(&sequence, &worker, &out, inputs, Some(then)))
    };
    let print = {
        let (memo_sequence, worker) = (sequence.clone(), worker.clone());
        let ask = use_memo((), move |_| {
            let ask: Ask = Rc::new(move |then| ask_print(&memo_sequence, &worker, then));
            ask
        });
        PrintRequest { version: sequence.shown.get(), ask: (*ask).clone() }
    };
    use_effect_with(inputs, move |inputs| send(&sequence, &worker, &out, inputs.clone(), None));
    Recalculation {
        results: (*results).clone(),
        exhibits: (*exhibits).clone(),
        error: (*error).clone(),
        recalculating: *recalculating,
        ahead,
        print,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_answer_is_dropped() {
        assert!(is_current(3, 2));
        assert!(is_current(3, 3));
        assert!(!is_current(2, 3));
    }
}
