//! Actual versus expected by calendar period against chainladder-python
//! 0.10.1 (`tests/fixtures/ave/ave_expectation__quarterly.json`, written by
//! `scripts/fixtures/ave_expectation.py`; see the fixtures' README): each
//! case's rows by origin for the diagonals it lists, the rows by diagonal
//! and the totals, every figure to 1e-9 relative.

use runoff_engine::ave::expected::{diagonals, expectation, Expectation};
use runoff_engine::ave::AveRow;
use runoff_engine::session::Session;
use runoff_engine::{reserve, Grain, Triangle};
use serde_json::Value;

const REL: f64 = 1e-9;

fn triangle(t: &Value) -> Triangle {
    let strings = |v: &Value| v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
    let grain = |k: &str| Grain::from_code(t[k].as_str().unwrap()).unwrap();
    Triangle::new(
        strings(&t["origins"]),
        t["ages"].as_array().unwrap().iter().map(|a| a.as_u64().unwrap() as u32).collect(),
        grain("origin_grain"),
        grain("development_grain"),
        t["cumulative"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(Value::as_f64).collect())
            .collect(),
    )
    .unwrap()
}

/// `"2006-03"` as a month index.
fn month(s: &str) -> i32 {
    let (y, m) = s.split_once('-').unwrap();
    y.parse::<i32>().unwrap() * 12 + m.parse::<i32>().unwrap() - 1
}

fn close(ours: f64, theirs: &Value, what: &str, out: &mut Vec<String>) {
    let e = theirs.as_f64().unwrap();
    if !((ours - e).abs() <= REL * e.abs() || (e == 0.0 && ours.abs() < 1e-12)) {
        out.push(format!("{what}: {ours} vs {e}"));
    }
}

fn row(ours: &AveRow, theirs: &Value, what: &str, out: &mut Vec<String>) {
    close(ours.actual, &theirs["actual"], &format!("{what} actual"), out);
    close(ours.expected, &theirs["expected"], &format!("{what} expected"), out);
}

fn check(case: &Value, out: &mut Vec<String>) {
    let name = case["case"].as_str().unwrap();
    let t = triangle(&case["triangle"]);
    let premium: Option<Vec<f64>> = case["premium"].as_array().map(|p| p.iter().map(|x| x.as_f64().unwrap()).collect());
    let session = Session::from_yaml(&case["session"].to_string(), name).unwrap();
    let r = reserve(&t, premium.as_deref(), &session.settings).unwrap();
    let expected = &case["expected"];
    let grain = t.development_grain();
    let mut last: Option<Expectation> = None;
    for view in expected["valuations"].as_array().unwrap() {
        let v = month(view["valuation"].as_str().unwrap());
        let e = expectation(&t, &r, v);
        assert_eq!(e.valuation, grain.label(v));
        let what = format!("{name} {}", e.valuation);
        let rows = view["by_origin"].as_array().unwrap();
        let labels: Vec<&str> = e.by_origin.iter().map(|r| r.label.as_str()).collect();
        let theirs: Vec<&str> = rows.iter().map(|r| r["origin"].as_str().unwrap()).collect();
        assert_eq!(labels, theirs, "{what}: origins");
        for (o, x) in e.by_origin.iter().zip(rows) {
            row(o, x, &format!("{what} {}", o.label), out);
        }
        row(&e.origin_total, &view["total"], &format!("{what} total"), out);
        last = Some(e);
    }
    let e = last.expect("a case lists a diagonal");
    let periods = expected["by_period"].as_array().unwrap();
    let labels: Vec<String> = e.by_period.iter().map(|r| r.label.clone()).collect();
    let theirs: Vec<String> = periods.iter().map(|p| grain.label(month(p["valuation"].as_str().unwrap()))).collect();
    assert_eq!(labels, theirs, "{name}: diagonals");
    assert_eq!(diagonals(&t).len(), periods.len());
    for (o, x) in e.by_period.iter().zip(periods) {
        row(o, x, &format!("{name} period {}", o.label), out);
    }
    row(&e.period_total, &expected["period_total"], &format!("{name} all periods"), out);
}

#[test]
fn matches_chainladder_python_full_expectation() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ave/ave_expectation__quarterly.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(v["reference"].as_str().unwrap().contains("chainladder-python 0.10.1"));
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 3);
    let mut out = Vec::new();
    for case in cases {
        check(case, &mut out);
    }
    assert!(out.is_empty(), "{} differences:\n{}", out.len(), out.join("\n"));
}
