//! The reference cases: every number chainladder-python 0.10.1 computed for
//! them (`tests/fixtures/*.json`, copied from the project's shared fixtures;
//! see their README) must come out of `reserve()` to 1e-9 relative.
//!
//! The files keep ten decimal places, so each comparison also allows half a
//! unit of the tenth decimal (5e-11) absolute. `null` is a value chainladder
//! leaves empty because, by its zeros-are-missing convention, it is zero:
//! the IBNR and Mack standard error of a fully developed origin, and the
//! sigma or standard error of a column whose link ratios are all equal.
//! There, and only there, our 0 is accepted.

use runoff_engine::session::Session;
use runoff_engine::{reserve, Grain, Reserve, Triangle};
use serde_json::Value;
use std::path::PathBuf;

const REL: f64 = 1e-9;
/// Half a unit of the fixtures' tenth decimal place.
const ROUNDING: f64 = 5e-11;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

struct Case {
    triangle: Triangle,
    premium: Option<Vec<f64>>,
    session: Session,
    expected: Value,
}

fn load(name: &str) -> Case {
    let path = dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).unwrap();
    let t = &v["triangle"];
    let strings =
        |v: &Value| -> Vec<String> { v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect() };
    let grain = |k: &str| Grain::from_code(t[k].as_str().unwrap()).unwrap();
    let rows = t["cumulative"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(Value::as_f64).collect())
        .collect();
    let triangle = Triangle::new(
        strings(&t["origins"]),
        t["ages"].as_array().unwrap().iter().map(|a| a.as_u64().unwrap() as u32).collect(),
        grain("origin_grain"),
        grain("development_grain"),
        rows,
    )
    .unwrap();
    let premium = v["premium"].as_array().map(|p| p.iter().map(|x| x.as_f64().unwrap()).collect());
    let session = Session::from_yaml(&v["session"].to_string(), name).unwrap();
    Case { triangle, premium, session, expected: v["expected"].clone() }
}

fn run(case: &Case) -> Reserve {
    reserve(&case.triangle, case.premium.as_deref(), &case.session.settings).unwrap()
}

/// Compares every number of `expected` with ours; returns the differences.
fn compare(ours: &Value, expected: &Value, path: &str, key: &str, out: &mut Vec<String>) {
    match expected {
        Value::Object(m) => {
            for (k, e) in m {
                match ours.get(k) {
                    Some(o) => compare(o, e, &format!("{path}.{k}"), k, out),
                    None => out.push(format!("{path}.{k}: missing")),
                }
            }
        }
        Value::Array(es) => match ours.as_array() {
            Some(os) if os.len() == es.len() => {
                for (i, (o, e)) in os.iter().zip(es).enumerate() {
                    compare(o, e, &format!("{path}[{i}]"), key, out);
                }
            }
            _ => out.push(format!("{path}: {} values, expected {}", len(ours), es.len())),
        },
        Value::String(s) => {
            if ours.as_str() != Some(s) {
                out.push(format!("{path}: {ours} vs {s}"));
            }
        }
        Value::Null => {
            let zero = ours.as_f64().is_some_and(|x| x.abs() <= ROUNDING);
            let zero_means_null = matches!(key, "ibnr" | "mack_std_err" | "sigma" | "std_err");
            if !(zero_means_null && (zero || ours.is_null())) {
                out.push(format!("{path}: {ours} where chainladder has no value"));
            }
        }
        Value::Number(n) => {
            let e = n.as_f64().unwrap();
            match ours.as_f64() {
                Some(o) if (o - e).abs() <= REL * e.abs() + ROUNDING => {}
                _ => out.push(format!("{path}: {ours} vs {e}")),
            }
        }
        Value::Bool(_) => out.push(format!("{path}: unexpected boolean")),
    }
}

fn len(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

fn check(name: &str) {
    let case = load(name);
    let ours = run(&case);
    let json = serde_json::to_value(&ours).unwrap();
    let mut diffs = Vec::new();
    compare(&json, &case.expected, name, "", &mut diffs);
    // A null IBNR or Mack error is only a zero for an origin with nothing left
    // to develop: its ultimate is its latest value.
    for (key, values) in [("ibnr", &case.expected["methods"]), ("mack_std_err", &case.expected["methods"])] {
        for (method, r) in values.as_object().into_iter().flatten() {
            for (i, v) in r[key].as_array().into_iter().flatten().enumerate() {
                if v.is_null() && json["methods"][method]["ultimate"][i] != json["latest"][i] {
                    diffs.push(format!("{name}.methods.{method}.{key}[{i}]: null but origin still develops"));
                }
            }
        }
    }
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
    assert!(ours.warnings.is_empty(), "{name}: unexpected warnings {:?}", ours.warnings);
}

macro_rules! fixtures {
    ($($name:ident),+ $(,)?) => {
        $(
            #[test]
            #[allow(non_snake_case)]
            fn $name() {
                check(stringify!($name));
            }
        )+

        /// Every case in the folder has its test above.
        #[test]
        fn every_fixture_is_run() {
            let listed = [$(stringify!($name)),+];
            let mut found: Vec<String> = std::fs::read_dir(dir())
                .unwrap()
                .filter_map(|e| {
                    let name = e.ok()?.file_name().into_string().ok()?;
                    name.strip_suffix(".json").map(str::to_string)
                })
                .collect();
            found.sort();
            let mut listed: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
            listed.sort();
            assert_eq!(found, listed);
            assert_eq!(found.len(), 29);
        }
    };
}

fixtures!(
    genins__mack_sigma,
    genins__volume,
    quarterly_incurred__average_by_column,
    quarterly_incurred__average_by_column_drops,
    quarterly_incurred__average_by_column_n_periods_drops,
    quarterly_incurred__volume,
    quarterly_incurred__weibull_drops,
    quarterly_paid__volume,
    quarterly_paid__weibull_drops,
    raa__average_by_column,
    raa__average_by_column_mack,
    raa__drop_cells,
    raa__drop_high_low,
    raa__drop_origin,
    raa__drop_valuation,
    raa__geometric,
    raa__mack_sigma,
    raa__n_periods_3,
    raa__regression,
    raa__simple,
    raa__tail_bondy,
    raa__tail_constant,
    raa__tail_exponential,
    raa__tail_exponential_fit_attach,
    raa__tail_inverse_power,
    raa__tail_weibull,
    raa__typed_factors,
    raa__typed_factors_tail,
    raa__volume,
);

/// Mack (1993)'s published total standard errors, to the unit.
#[test]
fn mack_1993_published_totals() {
    for (name, published) in [("raa__mack_sigma", 26_909.0), ("genins__mack_sigma", 2_447_095.0)] {
        let r = run(&load(name));
        let total = r.methods.mack.unwrap().total_mack_std_err;
        assert!((total - published).abs() < 1.0, "{name}: {total} vs {published}");
    }
}
