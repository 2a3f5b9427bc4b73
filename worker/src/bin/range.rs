//! The range worker's entry point ([`runoff_worker::range`]): it runs one
//! bootstrap at a time in chunks of about [`CHUNK_MS`], posts the progress
//! after each, and between chunks reads the page's messages (a new run
//! replaces the one going on; a cancel stops it). The next chunk is
//! scheduled with a message to itself on a `MessageChannel`, which, unlike
//! a timer, is not held back by the browser's minimum delay.
//!
//! Messages: the page posts a [`RangeJob`] as bincode bytes; the worker
//! posts each [`RangeAnswer`] as an array of plain values (see [`post`]),
//! after `[READY]` once it listens (the loader posts `[FAILED, why]` if the
//! WebAssembly does not start).

use runoff_worker::codec;
use runoff_worker::range::{RangeAnswer, RangeJob, RangeState, Run};
use runoff_worker::READY;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

/// How long a chunk runs: short enough for a cancel or a new run to be
/// read within a frame or two, long enough that posting progress costs
/// little.
const CHUNK_MS: f64 = 20.0;

struct State {
    run: Option<Run>,
    /// Simulations per chunk, adjusted to take about [`CHUNK_MS`].
    chunk: usize,
    /// A tick is posted and not yet handled.
    ticking: bool,
    scope: DedicatedWorkerGlobalScope,
    channel: MessageChannel,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// Posts an answer as `[run, done, total, state, text, csv]` (plain values:
/// the page then needs no decoder for it).
fn post(scope: &DedicatedWorkerGlobalScope, a: &RangeAnswer) {
    let (state, text, csv) = match &a.state {
        RangeState::Running => ("running", "", ""),
        RangeState::Done { markup, csv } => ("done", markup.as_str(), csv.as_str()),
        RangeState::Cancelled => ("cancelled", "", ""),
        RangeState::Failed(why) => ("failed", why.as_str(), ""),
    };
    let m = js_sys::Array::new();
    for v in [JsValue::from(a.run as f64), a.done.into(), a.total.into(), state.into(), text.into(), csv.into()] {
        m.push(&v);
    }
    let _ = scope.post_message(&m);
}

fn tick_later(s: &mut State) {
    if !s.ticking {
        s.ticking = true;
        let _ = s.channel.port2().post_message(&JsValue::NULL);
    }
}

fn on_job(bytes: Vec<u8>) {
    STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(s) = st.as_mut() else { return };
        match codec::from_bytes::<RangeJob>(&bytes) {
            Ok(RangeJob::Run { run, triangle, settings, measure }) => {
                s.run = None;
                match Run::start(run, &triangle, &settings, measure) {
                    Ok(r) => {
                        // Progress at once: 0 of the total.
                        let mut r = r;
                        post(&s.scope, &r.step(0));
                        s.run = Some(r);
                        tick_later(s);
                    }
                    Err(why) => post(
                        &s.scope,
                        &RangeAnswer { run, done: 0, total: settings.bootstrap_sims, state: RangeState::Failed(why) },
                    ),
                }
            }
            Ok(RangeJob::Cancel { run }) => {
                if s.run.as_ref().is_some_and(|r| r.id == run) {
                    if let Some(r) = s.run.take() {
                        post(&s.scope, &r.cancelled());
                    }
                }
            }
            Err(e) => post(
                &s.scope,
                &RangeAnswer {
                    run: 0,
                    done: 0,
                    total: 0,
                    state: RangeState::Failed(format!("the range worker could not read the request ({e})")),
                },
            ),
        }
    });
}

fn on_tick() {
    STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(s) = st.as_mut() else { return };
        s.ticking = false;
        let Some(run) = s.run.as_mut() else { return };
        let start = js_sys::Date::now();
        let answer = run.step(s.chunk);
        let took = js_sys::Date::now() - start;
        // Aim the next chunk at CHUNK_MS, growing at most fourfold at once
        // (Date has millisecond resolution).
        let per = (took.max(0.5)) / s.chunk as f64;
        s.chunk = ((CHUNK_MS / per) as usize).clamp(1, s.chunk * 4);
        post(&s.scope, &answer);
        if answer.state == RangeState::Running {
            tick_later(s);
        } else {
            s.run = None;
        }
    });
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let Ok(channel) = MessageChannel::new() else {
        let _ = scope
            .post_message(&js_sys::Array::of2(&JsValue::from_str(runoff_worker::FAILED), &"no MessageChannel".into()));
        return;
    };
    let on_tick = Closure::<dyn FnMut(MessageEvent)>::new(|_| on_tick());
    channel.port1().set_onmessage(Some(on_tick.as_ref().unchecked_ref()));
    on_tick.forget();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data = e.data();
        let bytes = if data.is_instance_of::<js_sys::Uint8Array>() {
            js_sys::Uint8Array::from(data).to_vec()
        } else {
            Vec::new()
        };
        on_job(bytes);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    STATE.with(|st| {
        *st.borrow_mut() = Some(State { run: None, chunk: 20, ticking: false, scope: scope.clone(), channel })
    });
    let _ = scope.post_message(&js_sys::Array::of1(&JsValue::from_str(READY)));
}
