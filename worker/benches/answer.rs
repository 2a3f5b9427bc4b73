//! How long the worker takes to answer one recalculation of the `quarterly`
//! segment, by part: the engine, each exhibit's markup, and encoding the
//! answer for the page. Natively, so a lower bound of the worker's time in
//! the browser (WebAssembly runs these about 1.5–2× slower). Run with
//! `cargo bench -p runoff-worker --bench answer`.

use runoff_engine::input::{align_premium, read_mapped, read_premium};
use runoff_engine::session::{Average, CellDrop, ColumnAverage, Method, TailCurve};
use runoff_engine::{reserve, Settings, Triangle};
use runoff_worker::exhibits::{self, Wanted};
use runoff_worker::lists::LISTS;
use runoff_worker::{codec, Answer, Job, RecalcRequest, RecalcResponse, Shipped, ShippedSettings};
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
    let all = Wanted { chart: true, print: Some("incurred".into()), ..Wanted::default() };
    let answer = Answer::Recalc(Box::new(RecalcResponse {
        seq: 1,
        reserve: Some(r.clone()),
        error: None,
        exhibits: exhibits::render(&t, &settings, &r, &all),
    }));
    let bytes = codec::to_bytes(&answer).expect("encodes");
    println!("answer of the chain ladder view: {} bytes", bytes.len());
    time("encode the answer", calls, || {
        black_box(codec::to_bytes(&answer).unwrap());
    });
    time("decode the answer (the page's part)", calls, || {
        black_box(codec::from_bytes::<Answer>(&bytes).unwrap());
    });

    // The session at every limit of docs/session.md (as tests/bench/
    // extreme.mjs loads it in the page): a request, from the bytes the
    // page sends to the answer's bytes.
    let limits = at_the_limits(&t);
    let job = Job::Recalc(RecalcRequest {
        seq: 1,
        triangle: Shipped::full(&t),
        premium: Some(premium.clone()),
        settings: ShippedSettings::full(limits.clone()),
        exhibits: Wanted { chart: true, ..Wanted::default() },
        reply: None,
    });
    let request = codec::to_bytes(&job).expect("encodes");
    println!("settings at every limit: the request is {} bytes", request.len());
    time("limits: encode the request (the page)", calls.min(500), || {
        black_box(codec::to_bytes(&job).unwrap());
    });
    time("limits: decode the request", calls.min(500), || {
        black_box(codec::from_bytes::<Job>(&request).unwrap());
    });
    time("limits: the whole answer, bytes to bytes", calls.min(500), || {
        let job = codec::from_bytes::<Job>(&request).unwrap();
        black_box(codec::to_bytes(&runoff_worker::run(job)).unwrap());
    });

    // A click, as the page sends it: the worker has the lists, the drops
    // changed and travel, the other lists are named by key.
    let keys: [u64; LISTS] = std::array::from_fn(|i| 1 + i as u64);
    runoff_worker::run(Job::Recalc(RecalcRequest {
        settings: ShippedSettings::new(&limits, keys, [true; LISTS]),
        ..recalc(&job)
    }));
    let mut carry = [false; LISTS];
    carry[0] = true;
    let click = Job::Recalc(RecalcRequest { settings: ShippedSettings::new(&limits, keys, carry), ..recalc(&job) });
    let click = codec::to_bytes(&click).expect("encodes");
    println!("a click's request at the limits, lists named but the one changed: {} bytes", click.len());
    time("limits, a click: encode the request (the page)", calls.min(500), || {
        let job = Job::Recalc(RecalcRequest { settings: ShippedSettings::new(&limits, keys, carry), ..recalc(&job) });
        black_box(codec::to_bytes(&job).unwrap());
    });
    time("limits, a click: the whole answer, bytes to bytes", calls.min(500), || {
        let job = codec::from_bytes::<Job>(&click).unwrap();
        black_box(codec::to_bytes(&runoff_worker::run(job)).unwrap());
    });
    // The averages table the page asks for after a click's figures.
    let averages = Wanted { averages: true, ..Wanted::default() };
    let r = reserve(&t, Some(&premium), &limits).expect("reserves");
    time("limits: the averages table", calls.min(500), || {
        black_box(exhibits::render(&t, &limits, &r, &averages));
    });
    time("limits: engine reserve(), 20 warnings", calls.min(500), || {
        black_box(runoff_engine::reserve_listing(&t, Some(&premium), &limits, 20).unwrap());
    });
}

/// The recalculation a job asks for, with its triangle by key.
fn recalc(job: &Job) -> RecalcRequest {
    match job {
        Job::Recalc(r) => RecalcRequest { triangle: Shipped { key: r.triangle.key, triangle: None }, ..r.clone() },
        _ => unreachable!("a recalculation"),
    }
}

/// Every list at its bound, of names the triangle does not have, and the
/// longest fitted tail.
fn at_the_limits(t: &Triangle) -> Settings {
    use runoff_engine::session::{MAX_DROPS, MAX_ORIGINS, MAX_VALUATIONS};
    let mut s = Settings {
        average: Average::Volume,
        n_periods: Some(1_000),
        tail_curve: TailCurve::Exponential,
        tail_projection_months: Some(1_200),
        tail_extrap_periods: Some(1_200),
        benktander_iterations: 100,
        ..Settings::default()
    };
    s.drops = (0..MAX_DROPS).map(|k| CellDrop { origin: format!("x{k}"), age: 1 + (k as u32 % 12_000) }).collect();
    s.drop_origins = (0..MAX_ORIGINS).map(|k| format!("x{k}")).collect();
    s.drop_valuations = (0..MAX_VALUATIONS).map(|k| format!("v{k}")).collect();
    s.bf_apriori_by_uwy = (0..MAX_ORIGINS).map(|k| (format!("x{k}"), 100.0)).collect();
    s.selected_ultimate_by_uwy = (0..MAX_ORIGINS).map(|k| (format!("x{k}"), Method::CapeCod)).collect();
    s.average_by_age = (0..1_000u32)
        .map(|k| (12_000 - k, ColumnAverage { average: Average::Simple, n_periods: Some(1_000) }))
        .collect();
    s.ldf_by_age = (0..1_000u32).map(|k| (11_000 - k, 10_000.0)).collect();
    let _ = t;
    s
}
