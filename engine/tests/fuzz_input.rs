//! Property tests for everything that reads text a user supplies: the CSV
//! readers and the session reader never panic, whatever the text (a panic
//! in WebAssembly kills the page), and what the engine writes reads back
//! unchanged.
//!
//! Cases per property are set with `ProptestConfig::with_cases` below:
//! 2,000 for each of the seven properties (14,000 in all, about 10 s in a
//! debug build on two cores).

use proptest::prelude::*;
use runoff_engine::input::{
    check_triangle, read_long, read_premium, read_wide, DevelopmentKind, LongOptions, WideOptions,
};
use runoff_engine::session::{Average, CellDrop, ColumnAverage, Method, SigmaInterpolation, TailCurve};
use runoff_engine::{EngineError, Grain, Session, Settings, Triangle};

/// Cases per property. A reader call costs about half a millisecond in a
/// debug build (most of it the CSV parser's set-up), which is what bounds
/// these numbers; in a release build the same runs take a tenth of the time.
const READER_CASES: u32 = 2_000;
const SESSION_CASES: u32 = 2_000;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(cases) }
}

/// Every reader on one text; only `Input` and `Triangle` errors may come out.
fn read_everything(text: &str) {
    // Two ways of reading long text: the defaults, and every option at once
    // (groups, increments, ages, explicit grains) to reach the other paths.
    let opts = [
        LongOptions::default(),
        LongOptions {
            group_cols: vec!["g".into()],
            incremental: true,
            development: DevelopmentKind::Age,
            grain: Some(Grain::Quarterly),
            ..LongOptions::default()
        },
    ];
    for o in &opts {
        match read_long(text, o) {
            Ok(datasets) => {
                for d in &datasets {
                    for (name, t) in &d.measures {
                        let _ = check_triangle(name, t);
                    }
                }
            }
            Err(e) => expected_kind(e),
        }
    }
    if let Err(e) = read_wide(text, &WideOptions::default()) {
        expected_kind(e);
    }
    if let Err(e) = read_premium(text) {
        expected_kind(e);
    }
    // The page's import: the guess, then reading with it, then with a
    // header of periods (the other wide path).
    match runoff_engine::input::inspect(text) {
        Ok(preview) => {
            let mut mapping = preview.mapping;
            if let Err(e) = runoff_engine::input::read_mapped(text, &mapping) {
                expected_kind(e);
            }
            mapping.header_periods = !mapping.header_periods;
            if let Err(e) = runoff_engine::input::read_mapped(text, &mapping) {
                expected_kind(e);
            }
        }
        Err(e) => expected_kind(e),
    }
}

fn expected_kind(e: EngineError) {
    assert!(matches!(e, EngineError::Input { .. } | EngineError::Triangle(_)), "{e:?}");
}

/// Tokens that have broken date and number parsers before: bounds, formats
/// that nearly match, separators and quotes inside fields.
const NASTY: &[&str] = &[
    "",
    " ",
    "0",
    "-1",
    "1e999",
    "NaN",
    "inf",
    "-0",
    "1,000",
    "1,5",
    "12a",
    "\"",
    "\"\"",
    ",",
    "\t",
    ";",
    "1995",
    "0999",
    "10000",
    "1995Q0",
    "1995Q5",
    "Q4 1995",
    "1995-00",
    "1995-13",
    "1995-02-29",
    "1996-02-29",
    "2/30/1995",
    "31/12/1995",
    "12/31/1995",
    "19951231",
    "199513",
    "1995-01-01T00:00:00",
    "12",
    "999",
    "1000",
    "12000",
    "12001",
    "4294967296",
    "99999999999999999999",
    "1000-01",
    "9999-12-31",
    "é",
    "\u{feff}",
    "\r",
    "\n",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(NASTY).prop_map(String::from),
        1 => "[0-9QqT/:. ,-]{0,12}",
        1 => any::<String>(),
    ]
}

/// A small valid long CSV, then random damage: fields replaced, lines
/// dropped or doubled, separators swapped.
fn mutated_long() -> impl Strategy<Value = String> {
    let rows = prop::collection::vec((1990i32..2000, 0i32..6, -1000.0f64..1000.0), 1..20);
    let edits = prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, token()), 0..6);
    (rows, edits, any::<bool>()).prop_map(|(rows, edits, group)| {
        let mut lines: Vec<Vec<String>> = vec![vec!["g".into(), "origin".into(), "development".into(), "paid".into()]];
        for (o, d, v) in rows {
            lines.push(vec![
                if group { format!("{}", o % 2) } else { "x".into() },
                o.to_string(),
                (o + d).to_string(),
                v.to_string(),
            ]);
        }
        for (at, what, tok) in edits {
            let i = at.index(lines.len());
            match what {
                0 | 1 => {
                    let row = &mut lines[i];
                    let j = at.index(row.len());
                    row[j] = tok;
                }
                2 => {
                    let copy = lines[i].clone();
                    lines.insert(i, copy);
                }
                _ if lines.len() > 1 => {
                    lines.remove(i);
                }
                _ => {}
            }
        }
        lines.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n")
    })
}

fn mutated_wide() -> impl Strategy<Value = String> {
    let values = prop::collection::vec(prop::collection::vec(prop::option::of(-1e6f64..1e6), 1..8), 1..8);
    let edits = prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), token()), 0..4);
    (values, edits, any::<bool>()).prop_map(|(values, edits, tabs)| {
        let width = values.iter().map(Vec::len).max().unwrap_or(1);
        let mut lines: Vec<Vec<String>> =
            vec![std::iter::once("origin".to_string()).chain((1..=width).map(|k| (12 * k).to_string())).collect()];
        for (i, row) in values.iter().enumerate() {
            lines.push(
                std::iter::once((1990 + i).to_string())
                    .chain(row.iter().map(|v| v.map_or(String::new(), |x| x.to_string())))
                    .collect(),
            );
        }
        for (r, c, tok) in edits {
            let row = &mut lines[r.index(values.len() + 1)];
            let j = c.index(row.len());
            row[j] = tok;
        }
        let sep = if tabs { "\t" } else { "," };
        lines.iter().map(|r| r.join(sep)).collect::<Vec<_>>().join("\n")
    })
}

/// A random cumulative triangle at consistent grains: contiguous origins,
/// ages at every development period, the cells valued by its latest
/// diagonal observed (some knocked out unless `full`), values any finite
/// number.
#[derive(Debug, Clone)]
struct Case {
    triangle: Triangle,
    origin_form: u8,
    dev_form: u8,
}

fn grains() -> impl Strategy<Value = (Grain, Grain)> {
    prop::sample::select(vec![
        (Grain::Yearly, Grain::Yearly),
        (Grain::Yearly, Grain::Quarterly),
        (Grain::Yearly, Grain::Monthly),
        (Grain::Quarterly, Grain::Quarterly),
        (Grain::Quarterly, Grain::Monthly),
        (Grain::Monthly, Grain::Monthly),
    ])
}

/// A finite value from a seed: whole numbers, decimals, and any finite bit
/// pattern (tiny, huge, negative zero). Drawing cells from a seed rather
/// than one strategy per cell keeps a case cheap to generate.
fn value(seed: &mut u64) -> f64 {
    let r = splitmix(seed);
    match r % 6 {
        0..=2 => ((r >> 8) % 2_000_000) as f64 - 1_000_000.0,
        3 | 4 => ((r >> 8) % 2_000_000_000) as f64 / 1000.0 - 1e6,
        _ => {
            let x = f64::from_bits(splitmix(seed));
            if x.is_finite() {
                x
            } else {
                0.0
            }
        }
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn case(full: bool) -> impl Strategy<Value = Case> {
    (grains(), 2usize..8, 2usize..12, 1990i32..2020, 0u8..3, 0u8..3, any::<u64>()).prop_map(
        move |((og, dg), n_origins, n_ages, year, origin_form, dev_form, mut seed)| {
            let ratio = (og.months() / dg.months()) as usize;
            // Enough ages that every origin has its first one.
            let n_ages = n_ages.max((n_origins - 1) * ratio + 1);
            let start = year * 12;
            let origins: Vec<String> =
                (0..n_origins).map(|i| og.label(start + (i * og.months() as usize) as i32)).collect();
            let ages: Vec<u32> = (1..=n_ages as u32).map(|k| k * dg.months()).collect();
            let rows: Vec<Vec<Option<f64>>> = (0..n_origins)
                .map(|i| {
                    (0..n_ages)
                        .map(|j| {
                            let x = value(&mut seed);
                            let keep = full || !splitmix(&mut seed).is_multiple_of(5);
                            // The upper-left triangle, with the two cells
                            // that fix its shape always present.
                            let observed = j + i * ratio < n_ages;
                            let anchor = (i == 0 && j == n_ages - 1) || (i == n_origins - 1 && j == 0);
                            (observed && (keep || anchor)).then_some(x)
                        })
                        .collect()
                })
                .collect();
            let triangle = Triangle::new(origins, ages, og, dg, rows).expect("a valid triangle");
            Case { triangle, origin_form, dev_form }
        },
    )
}

/// Writes a triangle as users export it: one row per observed cell, origins
/// as labels or dates, development as valuation labels, dates or ages.
fn to_long(c: &Case) -> String {
    let t = &c.triangle;
    let mut out = String::from("development,origin,values\n");
    for i in 0..t.n_origins() {
        for j in 0..t.n_ages() {
            let Some(x) = t.get(i, j) else { continue };
            let origin_start = t.valuation_month(i, 0) + 1 - t.ages()[0] as i32;
            let origin = match c.origin_form {
                0 => t.origins()[i].clone(),
                1 => ymd(origin_start, 1),
                _ => mdy(origin_start, 1),
            };
            let v = t.valuation_month(i, j);
            let dev = match c.dev_form {
                0 => t.valuation_label(i, j),
                1 => ymd(v, days_in(v)),
                _ => t.ages()[j].to_string(),
            };
            out.push_str(&format!("{dev},{origin},{x}\n"));
        }
    }
    out
}

fn ymd(month: i32, day: u32) -> String {
    format!("{}-{:02}-{:02}", month.div_euclid(12), month.rem_euclid(12) + 1, day)
}

fn mdy(month: i32, day: u32) -> String {
    format!("{}/{}/{}", month.rem_euclid(12) + 1, day, month.div_euclid(12))
}

fn days_in(month: i32) -> u32 {
    let (y, m) = (month.div_euclid(12), month.rem_euclid(12) + 1);
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "(19|20)[0-9]{2}",
        "(19|20)[0-9]{2}Q[1-4]",
        "(19|20)[0-9]{2}-(0[1-9]|1[0-2])",
        "[a-zA-Z][a-zA-Z0-9 _.-]{0,12}",
        any::<String>(),
    ]
}

fn ratio() -> impl Strategy<Value = f64> {
    prop_oneof![(0u32..2000).prop_map(|x| f64::from(x) / 1000.0), 0.0f64..=100.0]
}

fn settings() -> impl Strategy<Value = Settings> {
    let judgement = (
        prop::option::of(label()),
        prop::sample::select(Average::ALL.iter().map(|(a, _)| *a).collect::<Vec<_>>()),
        prop::option::of(1u32..100),
        prop::collection::vec((label(), 1u32..=12_000).prop_map(|(origin, age)| CellDrop { origin, age }), 0..4),
        prop::collection::vec(label(), 0..3),
        prop::collection::vec(label(), 0..3),
        any::<(bool, bool)>(),
        prop::sample::select(SigmaInterpolation::ALL.iter().map(|(a, _)| *a).collect::<Vec<_>>()),
    );
    let tail = (
        prop::sample::select(TailCurve::ALL.iter().map(|(a, _)| *a).collect::<Vec<_>>()),
        prop_oneof![1.0f64..2.0, 1e-9f64..=100.0],
        0.0f64..=1.0,
        (prop::option::of(1u32..=12_000), prop::option::of(1u32..=12_000)),
        prop::option::of(1u32..=12_000),
        prop::option::of(0u32..=1_200),
        prop::option::of(0u32..=1_200),
    );
    let columns = (
        prop::collection::btree_map(
            1u32..=120,
            (
                prop::sample::select(Average::ALL.iter().map(|(a, _)| *a).collect::<Vec<_>>()),
                prop::option::of(1u32..=20),
            )
                .prop_map(|(average, n_periods)| ColumnAverage { average, n_periods }),
            0..4,
        ),
        prop::collection::btree_map(1u32..=120, ratio(), 0..4),
        (
            100u32..=1_000_000,
            0u64..(1 << 53),
            prop::sample::select(vec![runoff_engine::session::Process::Gamma, runoff_engine::session::Process::None]),
        ),
    );
    let methods = (
        ratio(),
        prop::collection::btree_map(label(), ratio(), 0..4),
        0u32..=100,
        -0.99f64..1.0,
        0.0f64..=1.0,
        prop::collection::btree_map(
            label(),
            prop::sample::select(Method::ALL.iter().map(|(m, _)| *m).collect::<Vec<_>>()),
            0..4,
        ),
    );
    (judgement, tail, (methods, columns)).prop_map(|(j, t, m)| {
        let (
            measure,
            average,
            n_periods,
            drops,
            drop_origins,
            drop_valuations,
            (drop_high, drop_low),
            sigma_interpolation,
        ) = j;
        let (
            tail_curve,
            tail_constant,
            tail_decay,
            fit,
            tail_attachment_age,
            tail_extrap_periods,
            tail_projection_months,
        ) = t;
        let tail_fit_period = match fit {
            (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
            other => other,
        };
        let (
            default_apriori,
            bf_apriori_by_uwy,
            benktander_iterations,
            cape_cod_trend,
            cape_cod_decay,
            selected_ultimate_by_uwy,
        ) = m.0;
        let (average_by_age, ldf_by_age, (bootstrap_sims, bootstrap_seed, bootstrap_process)) = m.1;
        Settings {
            measure,
            average,
            n_periods,
            drops: drops.into(),
            drop_origins: drop_origins.into(),
            drop_valuations: drop_valuations.into(),
            drop_high,
            drop_low,
            sigma_interpolation,
            tail_curve,
            tail_constant,
            tail_decay,
            tail_fit_period,
            tail_attachment_age,
            tail_extrap_periods,
            tail_projection_months,
            average_by_age: average_by_age.into(),
            ldf_by_age: ldf_by_age.into(),
            default_apriori,
            bf_apriori_by_uwy: bf_apriori_by_uwy.into(),
            benktander_iterations,
            cape_cod_trend,
            cape_cod_decay,
            selected_ultimate_by_uwy: selected_ultimate_by_uwy.into(),
            bootstrap_sims,
            bootstrap_seed,
            bootstrap_process,
        }
    })
}

/// A session document with one key's value replaced by something else.
fn mutated_session() -> impl Strategy<Value = String> {
    let keys = prop::sample::select(vec![
        "segment",
        "measure",
        "average",
        "n_periods",
        "drops",
        "drop_origins",
        "drop_valuations",
        "drop_high",
        "sigma_interpolation",
        "tail_curve",
        "tail_constant",
        "tail_decay",
        "tail_fit_period",
        "tail_attachment_age",
        "tail_extrap_periods",
        "default_apriori",
        "bf_apriori_by_uwy",
        "benktander_iterations",
        "cape_cod_trend",
        "cape_cod_decay",
        "selected_ultimate_by_uwy",
        "sync_version",
        "updated_at",
        "unknown_key",
    ]);
    let values = prop_oneof![
        prop::sample::select(vec![
            "null",
            "~",
            "-1",
            "0",
            "1e999",
            ".nan",
            "-.inf",
            "18446744073709551616",
            "[]",
            "{}",
            "[[]]",
            "[1, 2, 3]",
            "[[\"1995\", -3]]",
            "{1995: x}",
            "{[1]: 2}",
            "!!binary aGVsbG8=",
            "'text'",
            "\"\\u0000\"",
            "&a 1",
            "*a",
            "|\n  block",
            "2026-11-25T06:10:00Z",
            "yes",
            "volume",
            "[null, 12]",
            "[48, 12]",
            "{? [1, 2] : 3}",
        ])
        .prop_map(String::from),
        "[ -~]{0,20}",
    ];
    (settings(), keys, values).prop_map(|(s, key, value)| {
        let mut session = Session::new("q");
        session.settings = s;
        let text = session.to_yaml();
        let mut out: Vec<String> = text
            .lines()
            .map(|l| if l.starts_with(&format!("{key}:")) { format!("{key}: {value}") } else { l.to_string() })
            .collect();
        if key == "unknown_key" || key == "segment" {
            out.push(format!("{key}: {value}"));
        }
        out.join("\n")
    })
}

proptest! {
    #![proptest_config(config(READER_CASES))]

    #[test]
    fn readers_never_panic_on_any_text(text in any::<String>()) {
        read_everything(&text);
    }

    #[test]
    fn readers_never_panic_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        // Behind a valid header, so that the rows are read, not refused.
        let text = format!("g,origin,development,v\n{}", String::from_utf8_lossy(&bytes));
        read_everything(&text);
    }

    #[test]
    fn readers_never_panic_on_damaged_files(long in mutated_long(), wide in mutated_wide()) {
        read_everything(&long);
        if let Err(e) = read_wide(&wide, &WideOptions { incremental: true, ..WideOptions::default() }) {
            expected_kind(e);
        }
        if let Err(e) = read_premium(&wide) {
            expected_kind(e);
        }
    }

    #[test]
    fn long_csv_round_trips_at_given_grains(c in case(false)) {
        let text = to_long(&c);
        let opts = LongOptions {
            value_cols: vec!["values".into()],
            grain: Some(c.triangle.development_grain()),
            origin_grain: Some(c.triangle.origin_grain()),
            ..LongOptions::default()
        };
        let mut data = read_long(&text, &opts).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(data.len(), 1);
        let (_, t) = data.remove(0).measures.remove(0);
        prop_assert_eq!(t, c.triangle);
    }

    #[test]
    fn long_csv_round_trips_with_inferred_grains(c in case(true)) {
        let text = to_long(&c);
        let data = read_long(&text, &LongOptions::default()).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(data[0].measure("values"), Some(&c.triangle), "{}", text);

        // The same triangle as increments.
        let t = &c.triangle;
        let inc = t.to_incremental();
        let mut text = String::from("origin,development,values\n");
        for (i, row) in inc.iter().enumerate() {
            for (j, x) in row.iter().enumerate() {
                if let Some(x) = x {
                    text.push_str(&format!("{},{},{x}\n", t.origins()[i], t.valuation_label(i, j)));
                }
            }
        }
        // Increments of values near f64::MAX can overflow; those are no
        // test of the reader.
        let Ok(expected) = Triangle::from_incremental(
            t.origins().to_vec(), t.ages().to_vec(), t.origin_grain(), t.development_grain(), inc,
        ) else {
            return Ok(());
        };
        if text.contains("inf") {
            return Ok(());
        }
        let opts = LongOptions { incremental: true, ..LongOptions::default() };
        let data = read_long(&text, &opts).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(data[0].measure("values"), Some(&expected));
    }

}

proptest! {
    #![proptest_config(config(SESSION_CASES))]

    #[test]
    fn sessions_round_trip(s in settings(), version in 0..=runoff_engine::limits::MAX_SAFE_INTEGER, segment in label()) {
        let mut session = Session::new(&segment);
        session.settings = s;
        session.sync_version = version;
        let text = session.to_yaml();
        let back = Session::from_yaml(&text, "other").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, session, "{}", text);
    }

    #[test]
    fn session_reader_never_panics(text in prop_oneof![any::<String>(), mutated_session()]) {
        match Session::from_yaml(&text, "q") {
            Ok(s) => { let _ = Session::from_yaml(&s.to_yaml(), "q"); }
            Err(e) => prop_assert!(matches!(e, EngineError::Session { .. } | EngineError::SessionSyntax(_)), "{e:?}"),
        }
    }
}
