//! How long the ODP bootstrap takes: 10,000 simulations of the `quarterly`
//! incurred segment (12 origins × 45 quarterly ages) and of RAA (10 × 10),
//! with and without process risk, and the same under a tail and
//! `drop_high` (which rank each pseudo triangle's ratios again and refit the
//! tail every simulation). Run with
//! `cargo bench -p runoff-engine --bench bootstrap`; it prints the median
//! and the fastest of whole runs (`Bootstrap::new`, every simulation and
//! the summary) per case.
//!
//! Plain `std::time::Instant`, as `recalc.rs`: a run takes tens of
//! milliseconds, so timing each run directly is accurate.

use runoff_engine::bootstrap::{Bootstrap, BootstrapOptions, Process};
use runoff_engine::input::{read_long, LongOptions};
use runoff_engine::session::TailCurve;
use runoff_engine::{Settings, Triangle};
use std::hint::black_box;
use std::time::{Duration, Instant};

const SIMS: usize = 10_000;

struct Case {
    name: String,
    target: Option<Duration>,
    triangle: Triangle,
    settings: Settings,
    process: Process,
}

fn main() {
    // `cargo test --benches` runs this binary without `--bench`: one short
    // pass then, so the bench is checked without taking long.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (runs, sims) = if quick { (1, 200) } else { (15, SIMS) };
    let quarterly = read("quarterly.csv", "incurred");
    let raa = read("raa.csv", "values");
    let tail_high = Settings { tail_curve: TailCurve::Exponential, drop_high: true, ..Settings::default() };
    let mut cases = Vec::new();
    for process in [Process::None, Process::Gamma] {
        cases.push(Case {
            name: format!("quarterly 12×45, process {}", process.name()),
            target: Some(Duration::from_millis(100)),
            triangle: quarterly.clone(),
            settings: Settings::default(),
            process,
        });
    }
    cases.push(Case {
        name: "quarterly 12×45, exponential tail, drop_high".into(),
        target: None,
        triangle: quarterly.clone(),
        settings: tail_high,
        process: Process::Gamma,
    });
    for process in [Process::None, Process::Gamma] {
        cases.push(Case {
            name: format!("RAA 10×10, process {}", process.name()),
            target: None,
            triangle: raa.clone(),
            settings: Settings::default(),
            process,
        });
    }
    println!("{sims} simulations per run, {runs} runs per case\n");
    println!("{:<46} {:>10} {:>10} {:>12} {:>10}", "case", "median", "fastest", "per sim", "target");
    for case in &cases {
        let options = BootstrapOptions { sims, seed: 42, process: case.process, hat_adj: true };
        let mut times: Vec<Duration> = (0..runs + 1)
            .map(|_| {
                let start = Instant::now();
                let mut b = Bootstrap::new(black_box(&case.triangle), &case.settings, options).expect("bootstraps");
                b.run();
                black_box(b.summary());
                start.elapsed()
            })
            .collect();
        // The first run warms the caches and the allocator.
        times.remove(0);
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{:<46} {:>10} {:>10} {:>12} {:>10}",
            case.name,
            show(median),
            show(times[0]),
            show(median / sims as u32),
            case.target.map_or(String::new(), |t| format!("< {}", show(t)))
        );
    }
}

fn read(file: &str, measure: &str) -> Triangle {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the sample file");
    let datasets = read_long(&text, &LongOptions::default()).expect("reads");
    datasets[0].measure(measure).expect("the measure").clone()
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.1} µs")
    } else {
        format!("{:.1} ms", us / 1000.0)
    }
}
