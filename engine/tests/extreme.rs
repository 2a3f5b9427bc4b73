//! Every setting at the limit a session allows: a recalculation still
//! completes, with figures that can be checked by hand where the settings
//! make them simple. The time such a recalculation takes in the page is
//! measured by `tests/bench/ui.mjs` (`BENCH_ONLY=extreme`).

use runoff_engine::input::{read_mapped, Layout, Mapping};
use runoff_engine::session::{
    Average, CellDrop, ColumnAverage, Method, TailCurve, AGE, APRIORI, BENKTANDER_ITERATIONS, CAPE_COD_TREND, LDF,
    MAX_DROPS, MAX_ORIGINS, MAX_VALUATIONS, N_PERIODS, TAIL_CONSTANT, TAIL_EXTRAP_PERIODS, TAIL_PROJECTION_MONTHS,
};
use runoff_engine::{reserve, reserve_listing, Grain, Settings, Triangle};

fn quarterly() -> (Triangle, Vec<f64>) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/quarterly.csv")).unwrap();
    let mapping = Mapping {
        layout: Layout::Long,
        origin_col: "origin".into(),
        development_col: "development".into(),
        value_cols: vec!["incurred".into()],
        premium_col: None,
        filters: Vec::new(),
        incremental: false,
        origin_grain: None,
        development_grain: None,
        header_periods: false,
    };
    let t = read_mapped(&text, &mapping).unwrap().measures.remove(0).1;
    let premium = vec![1_000.0; t.n_origins()];
    (t, premium)
}

/// Every setting at the far end of its range, the lists full (of origins,
/// ages and diagonals the triangle has, and then of ones it does not).
fn at_the_limits(t: &Triangle, curve: TailCurve) -> Settings {
    let ages = t.ages();
    let mut s = Settings {
        average: Average::Volume,
        n_periods: Some(N_PERIODS.max as u32),
        tail_curve: curve,
        tail_constant: TAIL_CONSTANT.max,
        tail_decay: 1.0,
        tail_fit_period: (Some(ages[0]), Some(AGE.max as u32)),
        tail_attachment_age: None,
        tail_extrap_periods: Some(TAIL_EXTRAP_PERIODS.max as u32),
        tail_projection_months: Some(TAIL_PROJECTION_MONTHS.max as u32),
        default_apriori: APRIORI.max,
        benktander_iterations: BENKTANDER_ITERATIONS.max as u32,
        cape_cod_trend: CAPE_COD_TREND.max,
        ..Settings::default()
    };
    s.drops =
        (0..MAX_DROPS).map(|k| CellDrop { origin: format!("x{k}"), age: 1 + (k as u32 % AGE.max as u32) }).collect();
    s.drop_origins = (0..MAX_ORIGINS).map(|k| format!("x{k}")).collect();
    s.drop_valuations = (0..MAX_VALUATIONS).map(|k| format!("v{k}")).collect();
    s.bf_apriori_by_uwy = (0..MAX_ORIGINS).map(|k| (format!("x{k}"), APRIORI.max)).collect();
    s.selected_ultimate_by_uwy = t.origins().iter().map(|o| (o.clone(), Method::CapeCod)).collect();
    // Every column with its own average over the most periods; typed
    // factors for ages the triangle does not have.
    s.average_by_age = ages
        .iter()
        .map(|&a| (a, ColumnAverage { average: Average::Simple, n_periods: Some(N_PERIODS.max as u32) }))
        .collect();
    s.ldf_by_age = (0..1_000u32).map(|k| (AGE.max as u32 - k, LDF.max)).collect();
    s
}

#[test]
fn every_setting_at_its_limit_recalculates() {
    let (t, premium) = quarterly();
    for curve in
        [TailCurve::Constant, TailCurve::Exponential, TailCurve::InversePower, TailCurve::Weibull, TailCurve::Bondy]
    {
        let s = at_the_limits(&t, curve);
        let r = reserve(&t, Some(&premium), &s).unwrap();
        // A 1,200-month tail of quarterly development: 100 years of four
        // quarters, and the rest in one factor.
        assert_eq!(r.ldf.len(), t.n_ages() - 1 + 401, "{curve:?}");
        assert_eq!(r.ldf_labels.len(), r.ldf.len());
        assert!(r.methods.chainladder.total_ibnr.is_finite(), "{curve:?}");
        assert!(r.selected.result.total_ibnr.is_finite(), "{curve:?}");
    }
}

/// A constant tail of 100 over a 100-year projection of yearly
/// development: 101 factors whose product is the tail, so each ultimate is
/// 100 times the chain ladder's without a tail.
#[test]
fn the_longest_constant_tail_multiplies_by_its_factor() {
    let t = Triangle::new(
        vec!["2000".into(), "2001".into()],
        vec![12, 24],
        Grain::Yearly,
        Grain::Yearly,
        vec![vec![Some(100.0), Some(150.0)], vec![Some(110.0), None]],
    )
    .unwrap();
    let mut s = at_the_limits(&t, TailCurve::Constant);
    s.average_by_age.clear();
    s.selected_ultimate_by_uwy.clear();
    let r = reserve(&t, None, &s).unwrap();
    assert_eq!(r.ldf.len(), 1 + 101);
    assert!((r.tail_factor - 100.0).abs() < 1e-9, "{}", r.tail_factor);
    let cl = &r.methods.chainladder;
    assert!((cl.ultimate[0] - 15_000.0).abs() < 1e-6, "{:?}", cl.ultimate);
    assert!((cl.ultimate[1] - 16_500.0).abs() < 1e-6, "{:?}", cl.ultimate);
    assert!((cl.total_ibnr - (15_000.0 - 150.0 + 16_500.0 - 110.0)).abs() < 1e-6);
}

/// Settings built in code, past what a session allows, are held to the
/// same tail length.
#[test]
fn a_longer_tail_than_a_session_allows_is_held_to_its_limit() {
    let (t, _) = quarterly();
    let s = Settings {
        tail_curve: TailCurve::Exponential,
        tail_extrap_periods: Some(1_000_000),
        tail_projection_months: Some(1_000_000),
        ..Settings::default()
    };
    let r = reserve(&t, None, &s).unwrap();
    assert_eq!(r.ldf.len(), t.n_ages() - 1 + 401);
}

/// How long a recalculation at the limits takes natively, and which
/// settings it goes to: `cargo test -p runoff-engine --release --test
/// extreme -- --ignored --nocapture` (a measurement, not a check).
#[test]
#[ignore]
fn time_at_the_limits() {
    let (t, premium) = quarterly();
    for curve in [TailCurve::Exponential, TailCurve::Constant] {
        let s = at_the_limits(&t, curve);
        let start = std::time::Instant::now();
        let n = 200;
        let mut w = 0;
        for _ in 0..n {
            w = reserve(&t, Some(&premium), &s).unwrap().warnings.len();
        }
        eprintln!("{curve:?}: {:?} per reserve, {w} warnings", start.elapsed() / n);
        let start = std::time::Instant::now();
        for _ in 0..n {
            reserve_listing(&t, Some(&premium), &s, 20).unwrap();
        }
        eprintln!("{curve:?}, 20 warnings listed (as the page asks): {:?} per reserve", start.elapsed() / n);
        let s = Settings { tail_curve: curve, ..Settings::default() };
        let start = std::time::Instant::now();
        for _ in 0..n {
            reserve(&t, Some(&premium), &s).unwrap();
        }
        eprintln!("{curve:?} defaults: {:?} per reserve", start.elapsed() / n);
        let full = at_the_limits(&t, curve);
        let parts: Vec<(&str, Settings)> = vec![
            ("drops", Settings { drops: full.drops.clone(), tail_curve: curve, ..Settings::default() }),
            (
                "drop_origins",
                Settings { drop_origins: full.drop_origins.clone(), tail_curve: curve, ..Settings::default() },
            ),
            (
                "drop_valuations",
                Settings { drop_valuations: full.drop_valuations.clone(), tail_curve: curve, ..Settings::default() },
            ),
            (
                "bf",
                Settings {
                    bf_apriori_by_uwy: full.bf_apriori_by_uwy.clone(),
                    tail_curve: curve,
                    ..Settings::default()
                },
            ),
            ("ldf_by_age", Settings { ldf_by_age: full.ldf_by_age.clone(), tail_curve: curve, ..Settings::default() }),
            (
                "tail",
                Settings {
                    tail_extrap_periods: full.tail_extrap_periods,
                    tail_projection_months: full.tail_projection_months,
                    tail_curve: curve,
                    ..Settings::default()
                },
            ),
            ("benk", Settings { benktander_iterations: 100, tail_curve: curve, ..Settings::default() }),
        ];
        for (name, s) in parts {
            let start = std::time::Instant::now();
            for _ in 0..n {
                reserve_listing(&t, Some(&premium), &s, 20).unwrap();
            }
            eprintln!("  {name}: {:?} per reserve, 20 warnings listed", start.elapsed() / n);
        }
    }
}

/// The largest triangle an import allows (1,000 × 1,000) with every list
/// full of what it has: the lists are matched through indexes, so the
/// time is the triangle's and the lists', not their product (`cargo test
/// -p runoff-engine --release --test extreme -- --ignored --nocapture`).
#[test]
#[ignore]
fn time_the_largest_triangle_at_the_limits() {
    let n = 1_000usize;
    let origins: Vec<String> = (0..n).map(|i| format!("{}", 1_000 + i)).collect();
    let ages: Vec<u32> = (1..=n as u32).map(|k| 12 * k).collect();
    let cells = (0..n)
        .map(|i| (0..n).map(|j| (i + j < n).then(|| 100.0 * (1.0 + j as f64).ln_1p() + i as f64)).collect())
        .collect();
    let t = Triangle::new(origins.clone(), ages.clone(), Grain::Yearly, Grain::Yearly, cells).unwrap();
    let s = Settings {
        drops: (0..MAX_DROPS).map(|k| CellDrop { origin: origins[k % n].clone(), age: ages[(k / n) % n] }).collect(),
        drop_origins: origins.iter().take(MAX_ORIGINS).cloned().collect(),
        drop_valuations: (0..MAX_VALUATIONS).map(|k| format!("{}", 1_000 + k)).collect(),
        ..Settings::default()
    };
    let plain = Settings::default();
    for (name, s) in [("defaults", &plain), ("every list full", &s)] {
        let start = std::time::Instant::now();
        let r = reserve(&t, None, s).unwrap();
        eprintln!("1,000 x 1,000, {name}: {:?}, {} warnings", start.elapsed(), r.warnings.len());
    }
}
