//! How long one full recalculation takes: the work the browser worker does
//! on every change of a setting, so it bounds how responsive the app feels.
//! Run with `cargo bench -p runoff-engine --bench recalc`; it prints the
//! median and 95th percentile of single calls of [`reserve`] per case.
//!
//! Plain `std::time::Instant` rather than a benchmarking crate: the cases
//! are few and slow enough (tens of microseconds and up) that timing each
//! call directly is accurate, and the engine keeps no dependency that it
//! does not ship.

use runoff_engine::input::{align_premium, read_long, read_premium, LongOptions};
use runoff_engine::session::{CellDrop, TailCurve};
use runoff_engine::{reserve, Grain, Settings, Triangle};
use std::hint::black_box;
use std::time::{Duration, Instant};

struct Case {
    name: &'static str,
    target: Duration,
    calls: usize,
    run: Box<dyn Fn()>,
}

fn main() {
    // `cargo test --benches` runs this binary with `--bench` absent: one
    // quick pass then, so the bench is checked without taking long.
    let quick = !std::env::args().any(|a| a == "--bench");
    let cases = [quarterly(), monthly_120()];
    println!("{:<44} {:>8} {:>12} {:>12} {:>10}", "case", "calls", "median", "p95", "target");
    for case in &cases {
        let calls = if quick { 3 } else { case.calls };
        // Warm the caches and the allocator first.
        for _ in 0..calls.min(50) {
            (case.run)();
        }
        let mut times: Vec<Duration> = (0..calls)
            .map(|_| {
                let start = Instant::now();
                (case.run)();
                start.elapsed()
            })
            .collect();
        times.sort();
        let median = times[times.len() / 2];
        let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
        println!(
            "{:<44} {:>8} {:>12} {:>12} {:>10}",
            case.name,
            calls,
            show(median),
            show(p95),
            format!("< {}", show(case.target))
        );
    }
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.1} µs")
    } else {
        format!("{:.2} ms", us / 1000.0)
    }
}

/// The settings of both cases: every method, Mack's standard errors, a
/// fitted Weibull tail (the costliest curve to fit), a few dropped ratios,
/// and premium for Bornhuetter-Ferguson, Benktander and Cape Cod.
fn settings(drops: Vec<CellDrop>) -> Settings {
    Settings {
        drops: drops.into(),
        tail_curve: TailCurve::Weibull,
        tail_fit_period: (Some(24), None),
        ..Settings::default()
    }
}

/// The `quarterly` segment: incurred, 12 annual origins × 45 quarterly
/// ages, with its premium, as the app loads it.
fn quarterly() -> Case {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let text = std::fs::read_to_string(format!("{dir}/quarterly.csv")).expect("quarterly.csv");
    let premium_text = std::fs::read_to_string(format!("{dir}/quarterly_premium.csv")).expect("quarterly_premium.csv");
    let datasets = read_long(&text, &LongOptions::default()).expect("quarterly.csv reads");
    let triangle = datasets[0].measure("incurred").expect("incurred").clone();
    assert_eq!((triangle.n_origins(), triangle.n_ages()), (12, 45));
    let premium = align_premium(&read_premium(&premium_text).expect("premium reads"), &triangle)
        .expect("premium for every origin");
    let settings = settings(vec![
        CellDrop { origin: "1996".into(), age: 3 },
        CellDrop { origin: "1998".into(), age: 9 },
        CellDrop { origin: "2001".into(), age: 12 },
    ]);
    let r = reserve(&triangle, Some(&premium), &settings).expect("reserves");
    assert!(r.methods.mack.is_some() && r.methods.cape_cod.is_some(), "{:?}", r.warnings);
    Case {
        name: "quarterly incurred 12×45, all methods",
        target: Duration::from_micros(100),
        calls: 20_000,
        run: Box::new(move || {
            black_box(reserve(black_box(&triangle), Some(&premium), &settings).unwrap());
        }),
    }
}

/// A synthetic 120 × 120 monthly triangle (origins 2010-01 to 2019-12):
/// a smooth development pattern with noise from a fixed seed, so every run
/// times the same numbers.
fn monthly_120() -> Case {
    let n = 120usize;
    let mut seed = 0x5eed_u64;
    let origins: Vec<String> = (0..n).map(|i| Grain::Monthly.label(2010 * 12 + i as i32)).collect();
    let ages: Vec<u32> = (1..=n as u32).collect();
    let rows: Vec<Vec<Option<f64>>> = (0..n)
        .map(|i| {
            let ultimate = 1_000_000.0 * (1.0 + 0.3 * unit(&mut seed));
            let mut before = 0.0f64;
            (0..n)
                .map(|j| {
                    if i + j >= n {
                        return None;
                    }
                    let share = 1.0 - (-(j as f64 + 1.0) / 18.0).exp();
                    let noisy = ultimate * share * (1.0 + 0.05 * (unit(&mut seed) - 0.5));
                    before = before.max(noisy);
                    Some(before.round())
                })
                .collect()
        })
        .collect();
    let triangle = Triangle::new(origins, ages, Grain::Monthly, Grain::Monthly, rows).expect("a triangle");
    let premium: Vec<f64> = (0..n).map(|_| 1_600_000.0 * (1.0 + 0.1 * unit(&mut seed))).collect();
    let settings = settings(vec![CellDrop { origin: "2012-03".into(), age: 6 }]);
    let r = reserve(&triangle, Some(&premium), &settings).expect("reserves");
    assert!(r.methods.mack.is_some() && r.methods.cape_cod.is_some(), "{:?}", r.warnings);
    Case {
        name: "synthetic monthly 120×120, all methods",
        target: Duration::from_millis(5),
        calls: 2_000,
        run: Box::new(move || {
            black_box(reserve(black_box(&triangle), Some(&premium), &settings).unwrap());
        }),
    }
}

/// A number in [0, 1) from a splitmix64 state.
fn unit(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}
