//! Recalculation in the worker, as a hook: each change of the triangle,
//! premium or settings sends a new request, numbered by a counter; an answer
//! older than the newest one shown is dropped, because answers can arrive
//! out of order. A worker that does not answer is reported, not waited for
//! silently.

use gloo::timers::callback::Timeout;
use runoff_engine::{Reserve, Settings, Triangle};
use runoff_worker::{Recalc, RecalcRequest};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;
use yew_agent::oneshot::use_oneshot_runner;

/// How long the worker may take before the page says it is not answering.
const WORKER_TIMEOUT_MS: u32 = 5_000;

/// What the page shows of the recalculation.
#[derive(Clone, PartialEq)]
pub struct Recalculation {
    /// The newest results, kept while a newer request runs.
    pub results: Option<Rc<Reserve>>,
    pub error: Option<String>,
    pub recalculating: bool,
    /// Sends inputs now, ahead of the render that would send them.
    pub ahead: Callback<Inputs>,
}

/// What a recalculation is asked for.
pub type Inputs = (Option<Rc<Triangle>>, Option<Vec<f64>>, Settings);

/// Request numbers: the last one sent and the newest one rendered, and the
/// inputs last sent, so that asking twice for the same sends once.
#[derive(Default)]
struct Sequence {
    sent: Cell<u64>,
    shown: Cell<u64>,
    last: RefCell<Option<Inputs>>,
}

/// Whether an answer numbered `seq` may replace what is shown.
pub fn is_current(seq: u64, shown: u64) -> bool {
    seq >= shown
}

/// The handles an answer updates.
#[derive(Clone)]
struct Outputs {
    results: UseStateHandle<Option<Rc<Reserve>>>,
    error: UseStateHandle<Option<String>>,
    recalculating: UseStateHandle<bool>,
}

fn send(sequence: &Rc<Sequence>, runner: &WorkerRunner, out: &Outputs, inputs: Inputs) {
    if sequence.last.borrow().as_ref() == Some(&inputs) {
        return;
    }
    let (Some(triangle), premium, settings) = inputs.clone() else { return };
    *sequence.last.borrow_mut() = Some(inputs);
    let seq = sequence.sent.get() + 1;
    sequence.sent.set(seq);
    out.recalculating.set(true);
    let request = RecalcRequest { seq, triangle: (*triangle).clone(), premium, settings };
    {
        let (sequence, error) = (sequence.clone(), out.error.clone());
        Timeout::new(WORKER_TIMEOUT_MS, move || {
            if sequence.shown.get() < seq {
                error.set(Some("The recalculation worker is not answering; reload the page.".into()));
            }
        })
        .forget();
    }
    let (sequence, runner, out) = (sequence.clone(), runner.clone(), out.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let answer = runner.run(request).await;
        if !is_current(answer.seq, sequence.shown.get()) {
            return;
        }
        sequence.shown.set(answer.seq);
        if answer.seq == sequence.sent.get() {
            out.recalculating.set(false);
        }
        match answer.result {
            Ok(r) => {
                out.results.set(Some(Rc::new(r)));
                out.error.set(None);
            }
            Err(e) => out.error.set(Some(e)),
        }
    });
}

type WorkerRunner = yew_agent::oneshot::UseOneshotRunnerHandle<Recalc>;

/// Recalculates whenever the inputs change; `Recalculation::ahead` sends
/// inputs before the page renders them (at a click), so the worker computes
/// while the page renders the click.
#[hook]
pub fn use_recalculation(
    triangle: Option<Rc<Triangle>>,
    premium: Option<Vec<f64>>,
    settings: Settings,
) -> Recalculation {
    let results = use_state(|| None::<Rc<Reserve>>);
    let error = use_state(|| None::<String>);
    let recalculating = use_state(|| false);
    let sequence = use_memo((), |_| Sequence::default());
    let runner = use_oneshot_runner::<Recalc>();
    let out = Outputs { results: results.clone(), error: error.clone(), recalculating: recalculating.clone() };
    let ahead = {
        let (sequence, runner, out) = (sequence.clone(), runner.clone(), out.clone());
        Callback::from(move |inputs: Inputs| send(&sequence, &runner, &out, inputs))
    };
    use_effect_with((triangle, premium, settings), move |inputs| send(&sequence, &runner, &out, inputs.clone()));
    Recalculation {
        results: (*results).clone(),
        error: (*error).clone(),
        recalculating: *recalculating,
        ahead,
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
