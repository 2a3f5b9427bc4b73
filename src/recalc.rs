//! Recalculation in the worker, as a hook: each change of the triangle,
//! premium or settings sends a new request, numbered by a counter; an answer
//! older than the newest one shown is dropped, because answers can arrive
//! out of order. A worker that does not answer is reported, not waited for
//! silently.

use gloo::timers::callback::Timeout;
use runoff_engine::{Reserve, Settings, Triangle};
use runoff_worker::{Recalc, RecalcRequest};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;
use yew_agent::oneshot::use_oneshot_runner;

/// How long the worker may take before the page says it is not answering.
const WORKER_TIMEOUT_MS: u32 = 5_000;

/// What the page shows of the recalculation.
#[derive(Debug, Clone, PartialEq)]
pub struct Recalculation {
    /// The newest results, kept while a newer request runs.
    pub results: Option<Rc<Reserve>>,
    pub error: Option<String>,
    pub recalculating: bool,
}

/// Request numbers: the last one sent and the newest one rendered.
#[derive(Default)]
struct Sequence {
    sent: Cell<u64>,
    shown: Cell<u64>,
}

/// Whether an answer numbered `seq` may replace what is shown.
pub fn is_current(seq: u64, shown: u64) -> bool {
    seq >= shown
}

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
    {
        let (results, error, recalculating) = (results.clone(), error.clone(), recalculating.clone());
        use_effect_with((triangle, premium, settings), move |(triangle, premium, settings)| {
            let Some(triangle) = triangle else { return };
            let seq = sequence.sent.get() + 1;
            sequence.sent.set(seq);
            recalculating.set(true);
            let request = RecalcRequest {
                seq,
                triangle: (**triangle).clone(),
                premium: premium.clone(),
                settings: settings.clone(),
            };
            {
                let (sequence, error) = (sequence.clone(), error.clone());
                Timeout::new(WORKER_TIMEOUT_MS, move || {
                    if sequence.shown.get() < seq {
                        error.set(Some("The recalculation worker is not answering; reload the page.".into()));
                    }
                })
                .forget();
            }
            wasm_bindgen_futures::spawn_local(async move {
                let answer = runner.run(request).await;
                if !is_current(answer.seq, sequence.shown.get()) {
                    return;
                }
                sequence.shown.set(answer.seq);
                if answer.seq == sequence.sent.get() {
                    recalculating.set(false);
                }
                match answer.result {
                    Ok(r) => {
                        results.set(Some(Rc::new(r)));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    Recalculation {
        results: (*results).clone(),
        error: (*error).clone(),
        recalculating: *recalculating,
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
