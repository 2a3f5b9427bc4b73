//! The root component: it spawns the recalculation worker and lays out the
//! workbench for the current segment.
//!
//! Each change of the settings sends a new request to the worker, numbered by
//! a counter; an answer older than the newest one shown is dropped, because
//! answers can arrive out of order.

use crate::components::{ResultsTable, StatusLine, TriangleTable};
use crate::segments;
use gloo::timers::callback::Timeout;
use runoff_engine::{Reserve, Settings};
use runoff_worker::{Recalc, RecalcRequest, Structured};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;
use yew_agent::oneshot::{use_oneshot_runner, OneshotProvider};

/// How long the worker may take before the page says it is not answering.
const WORKER_TIMEOUT_MS: u32 = 5_000;

/// The worker script that Trunk builds beside the app, relative to the page
/// so that the app can be served from any path.
const WORKER_PATH: &str = "worker.js";

#[component]
pub fn App() -> Html {
    html! {
        <OneshotProvider<Recalc, Structured> path={WORKER_PATH}>
            <Workbench />
        </OneshotProvider<Recalc, Structured>>
    }
}

/// Request numbers: the last one sent and the newest one rendered.
#[derive(Default)]
struct Sequence {
    sent: Cell<u64>,
    shown: Cell<u64>,
}

#[component]
fn Workbench() -> Html {
    let segment = use_memo((), |_| segments::builtin(segments::BUILTIN[0]).map(Rc::new));
    let settings = use_state(Settings::default);
    let results = use_state(|| None::<Rc<Reserve>>);
    let error = use_state(|| None::<String>);
    let recalculating = use_state(|| false);
    let sequence = use_memo((), |_| Sequence::default());
    let runner = use_oneshot_runner::<Recalc>();

    {
        let (results, error, recalculating) =
            (results.clone(), error.clone(), recalculating.clone());
        let sequence = sequence.clone();
        use_effect_with(((*settings).clone(), segment.clone()), move |(settings, segment)| {
            if let Ok(segment) = &**segment {
                if let Some((_, triangle)) = segment.triangle(settings.measure.as_deref()) {
                    let seq = sequence.sent.get() + 1;
                    sequence.sent.set(seq);
                    recalculating.set(true);
                    let request = RecalcRequest {
                        seq,
                        triangle: triangle.clone(),
                        premium: segment.premium.clone(),
                        settings: settings.clone(),
                    };
                    {
                        let (sequence, error) = (sequence.clone(), error.clone());
                        Timeout::new(WORKER_TIMEOUT_MS, move || {
                            if sequence.shown.get() < seq {
                                error.set(Some(
                                    "The recalculation worker is not answering; reload the page."
                                        .into(),
                                ));
                            }
                        })
                        .forget();
                    }
                    wasm_bindgen_futures::spawn_local(async move {
                        let answer = runner.run(request).await;
                        if answer.seq < sequence.shown.get() {
                            return; // an older answer than the one on screen
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
                }
            }
        });
    }

    let (measure, triangle, load_error) = match &*segment {
        Ok(s) => match s.triangle(settings.measure.as_deref()) {
            Some((m, t)) => (m.to_string(), Some(Rc::new(t.clone())), None),
            None => (String::new(), None, Some(format!("segment {} has no triangle", s.name))),
        },
        Err(e) => (String::new(), None, Some(e.clone())),
    };
    html! {
        <main>
            <header>
                <h1>{ "runoff" }</h1>
                <StatusLine
                    segment={segments::BUILTIN[0]}
                    measure={measure.clone()}
                    version={0}
                    recalculating={*recalculating}
                />
            </header>
            if let Some(message) = load_error.or_else(|| (*error).clone()) {
                <div class="alert" role="alert">{ message }</div>
            }
            <section aria-labelledby="results-heading">
                <h2 id="results-heading">{ "Results" }</h2>
                if let Some(r) = &*results {
                    <ResultsTable results={r.clone()} />
                }
            </section>
            if let Some(t) = triangle {
                <section aria-labelledby="triangle-heading">
                    <h2 id="triangle-heading">{ format!("Cumulative {measure}") }</h2>
                    <TriangleTable triangle={t} caption={format!("Cumulative {measure} triangle")} />
                </section>
            }
        </main>
    }
}
