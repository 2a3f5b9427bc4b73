//! How long the worker takes to answer one recalculation of the `quarterly`
//! segment, by part: the engine, each exhibit's markup, and encoding the
//! answer for the page. Natively, so a lower bound of the worker's time in
//! the browser (WebAssembly runs these about 1.5–2× slower). Run with
//! `cargo bench -p runoff-worker --bench answer`.

use runoff_engine::input::{align_premium, read_mapped, read_premium};
use runoff_engine::{reserve, Settings};
use runoff_worker::exhibits::{self, results::Show, Wanted};
use runoff_worker::{codec, Answer, RecalcResponse};
use std::hint::black_box;
use std::time::Instant;

fn time(name: &str, calls: usize, mut f: impl FnMut()) {
    for _ in 0..calls.min(50) {
        f();
    }
    let mut t: Vec<f64> = (0..calls)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    t.sort_by(f64::total_cmp);
    println!("{name:<40} {:>10.1} µs {:>10.1} µs", t[t.len() / 2], t[t.len() * 95 / 100]);
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let calls = if quick { 3 } else { 2_000 };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../static/data");
    let claims = std::fs::read_to_string(format!("{dir}/quarterly.csv")).expect("quarterly.csv");
    let t = read_mapped(&claims, &runoff_worker::sample_mapping(None)).expect("reads").measures[0].1.clone();
    let premium_text = std::fs::read_to_string(format!("{dir}/quarterly_premium.csv")).expect("premium");
    let premium = align_premium(&read_premium(&premium_text).expect("premium reads"), &t).expect("aligned");
    let settings = Settings::default();
    let r = reserve(&t, Some(&premium), &settings).expect("reserves");
    println!("{:<40} {:>13} {:>13}", "quarterly, one answer's part", "median", "p95");
    time("engine: reserve()", calls, || {
        black_box(reserve(&t, Some(&premium), &settings).unwrap());
    });
    let chart = Wanted { chart: true, ..Wanted::default() };
    time("emergence chart", calls, || {
        black_box(exhibits::render(&t, &settings, &r, &chart));
    });
    let print = Wanted { print: Some("incurred".into()), ..Wanted::default() };
    time("print exhibit", calls, || {
        black_box(exhibits::render(&t, &settings, &r, &print));
    });
    let results = Wanted { results: Some(Show::Amounts), ..Wanted::default() };
    time("results table", calls, || {
        black_box(exhibits::render(&t, &settings, &r, &results));
    });
    let all = Wanted { chart: true, print: Some("incurred".into()), ..Wanted::default() };
    let answer = Answer::Recalc(RecalcResponse { seq: 1, reserve: Some(r.clone()), error: None, exhibits: exhibits::render(&t, &settings, &r, &all) });
    let bytes = codec::to_bytes(&answer).expect("encodes");
    println!("answer of the chain ladder view: {} bytes", bytes.len());
    time("encode the answer", calls, || {
        black_box(codec::to_bytes(&answer).unwrap());
    });
    time("decode the answer (the page's part)", calls, || {
        black_box(codec::from_bytes::<Answer>(&bytes).unwrap());
    });
}
