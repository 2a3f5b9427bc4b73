//! The session: one segment's reserving judgement, as YAML (see
//! `docs/session.md`). It holds every choice the actuary made and nothing
//! computed.
//!
//! Reading is done key by key from a YAML mapping rather than by a derived
//! deserializer, for three reasons the format demands: every key may be
//! missing (and takes its default), an unknown key is kept and written back,
//! and a wrong value is an error that names its key and value. Origins are
//! accepted as strings or as bare numbers (`2000: 0.7`), as reserving-studio
//! writes them.

use crate::error::show_number;
use crate::EngineError;
use serde::{Deserialize, Serialize};
pub use serde_yaml::{Mapping, Number, Value};
use std::collections::BTreeMap;

/// How link ratios are averaged into a development factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Average {
    #[default]
    Volume,
    Simple,
    Regression,
    Geometric,
}

/// How Mack's sigma is extrapolated for the last development period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum SigmaInterpolation {
    #[default]
    LogLinear,
    Mack,
}

/// The tail beyond the last development age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum TailCurve {
    #[default]
    None,
    Constant,
    Exponential,
    InversePower,
    Weibull,
    Bondy,
}

/// A method whose ultimate can be selected for an origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, PartialOrd, Ord)]
pub enum Method {
    #[default]
    Chainladder,
    BornhuetterFerguson,
    Benktander,
    CapeCod,
}

macro_rules! names {
    ($t:ty { $($v:ident = $s:literal),+ $(,)? }) => {
        impl $t {
            /// Every variant with its name in the session file.
            pub const ALL: &'static [($t, &'static str)] = &[$((<$t>::$v, $s)),+];
            /// The name used in the session file.
            pub fn name(self) -> &'static str {
                match self { $(<$t>::$v => $s),+ }
            }
            pub fn from_name(s: &str) -> Option<Self> {
                match s { $($s => Some(<$t>::$v),)+ _ => None }
            }
        }
    };
}
names!(Average { Volume = "volume", Simple = "simple", Regression = "regression", Geometric = "geometric" });
names!(SigmaInterpolation { LogLinear = "log-linear", Mack = "mack" });
names!(TailCurve {
    None = "none", Constant = "constant", Exponential = "exponential",
    InversePower = "inverse_power", Weibull = "weibull", Bondy = "bondy",
});
names!(Method {
    Chainladder = "chainladder", BornhuetterFerguson = "bornhuetter_ferguson",
    Benktander = "benktander", CapeCod = "cape_cod",
});

/// A single link ratio left out: the one from `age` (months) of `origin`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellDrop {
    pub origin: String,
    pub age: u32,
}

/// Every setting of a session: what the engine needs to recalculate.
/// It is plain data (no YAML values), so it can cross to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub measure: Option<String>,
    pub average: Average,
    pub n_periods: Option<u32>,
    pub drops: Vec<CellDrop>,
    pub drop_origins: Vec<String>,
    pub drop_valuations: Vec<String>,
    pub drop_high: bool,
    pub drop_low: bool,
    pub sigma_interpolation: SigmaInterpolation,
    pub tail_curve: TailCurve,
    pub tail_constant: f64,
    pub tail_decay: f64,
    pub tail_fit_period: (Option<u32>, Option<u32>),
    pub tail_attachment_age: Option<u32>,
    pub tail_extrap_periods: u32,
    pub tail_projection_months: u32,
    pub default_apriori: f64,
    pub bf_apriori_by_uwy: BTreeMap<String, f64>,
    pub benktander_iterations: u32,
    pub cape_cod_trend: f64,
    pub cape_cod_decay: f64,
    pub selected_ultimate_by_uwy: BTreeMap<String, Method>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            measure: None,
            average: Average::Volume,
            n_periods: None,
            drops: Vec::new(),
            drop_origins: Vec::new(),
            drop_valuations: Vec::new(),
            drop_high: false,
            drop_low: false,
            sigma_interpolation: SigmaInterpolation::LogLinear,
            tail_curve: TailCurve::None,
            tail_constant: 1.0,
            tail_decay: 0.5,
            tail_fit_period: (None, None),
            tail_attachment_age: None,
            tail_extrap_periods: 100,
            tail_projection_months: 12,
            default_apriori: 0.6,
            bf_apriori_by_uwy: BTreeMap::new(),
            benktander_iterations: 2,
            cape_cod_trend: 0.0,
            cape_cod_decay: 1.0,
            selected_ultimate_by_uwy: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// The BF expected loss ratio of an origin.
    pub fn apriori(&self, origin: &str) -> f64 {
        self.bf_apriori_by_uwy.get(origin).copied().unwrap_or(self.default_apriori)
    }

    /// The method whose ultimate counts for an origin.
    pub fn selected(&self, origin: &str) -> Method {
        self.selected_ultimate_by_uwy.get(origin).copied().unwrap_or_default()
    }
}

/// A whole session file: the settings, the sync bookkeeping, and any keys
/// this version does not know (kept so that a newer version's keys survive).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub segment: String,
    pub settings: Settings,
    pub sync_version: u64,
    pub updated_at: Option<String>,
    pub extra: Mapping,
}

impl Session {
    /// A session with default settings for a segment.
    pub fn new(segment: &str) -> Session {
        Session {
            segment: segment.to_string(),
            settings: Settings::default(),
            sync_version: 0,
            updated_at: None,
            extra: Mapping::new(),
        }
    }

    /// Reads a session from YAML (JSON is YAML too). An empty text is a
    /// session with every default. `segment` is used when the file has none.
    pub fn from_yaml(text: &str, segment: &str) -> Result<Session, EngineError> {
        let value: Value =
            serde_yaml::from_str(text).map_err(|e| EngineError::SessionSyntax(e.to_string()))?;
        Session::from_value(value, segment)
    }

    /// Reads a session from a document already parsed into a YAML value, by
    /// whichever parser: the browser parses its stored JSON text with a
    /// JSON parser, which is far smaller in WebAssembly than a YAML one.
    pub fn from_value(value: Value, segment: &str) -> Result<Session, EngineError> {
        let map = match value {
            Value::Null => Mapping::new(),
            Value::Mapping(m) => m,
            other => {
                return Err(EngineError::SessionSyntax(format!(
                    "expected a mapping of keys to values, found {}",
                    show(&other)
                )))
            }
        };
        let mut session = Session::new(segment);
        let s = &mut session.settings;
        for (k, v) in map {
            let key = match &k {
                Value::String(s) => s.clone(),
                _ => {
                    session.extra.insert(k, v);
                    continue;
                }
            };
            let key = key.as_str();
            match key {
                "segment" => session.segment = label(key, &v)?,
                "measure" => s.measure = opt(&v, |v| label(key, v))?,
                "average" => s.average = named(key, &v, Average::from_name, Average::ALL)?,
                "n_periods" => s.n_periods = opt(&v, |v| count(key, v, N_PERIODS))?,
                "drops" => s.drops = drops(key, &v)?,
                "drop_origins" => s.drop_origins = list(key, &v, |v| label(key, v))?,
                "drop_valuations" => s.drop_valuations = list(key, &v, |v| label(key, v))?,
                "drop_high" => s.drop_high = boolean(key, &v)?,
                "drop_low" => s.drop_low = boolean(key, &v)?,
                "sigma_interpolation" => {
                    s.sigma_interpolation =
                        named(key, &v, SigmaInterpolation::from_name, SigmaInterpolation::ALL)?
                }
                "tail_curve" => s.tail_curve = named(key, &v, TailCurve::from_name, TailCurve::ALL)?,
                "tail_constant" => s.tail_constant = number(key, &v, TAIL_CONSTANT)?,
                "tail_decay" => s.tail_decay = number(key, &v, TAIL_DECAY)?,
                "tail_fit_period" => s.tail_fit_period = fit_period(key, &v)?,
                "tail_attachment_age" => {
                    s.tail_attachment_age = opt(&v, |v| count(key, v, AGE))?
                }
                "tail_extrap_periods" => {
                    s.tail_extrap_periods = count(key, &v, TAIL_EXTRAP_PERIODS)?
                }
                "tail_projection_months" => {
                    s.tail_projection_months = count(key, &v, TAIL_PROJECTION_MONTHS)?
                }
                "default_apriori" => s.default_apriori = number(key, &v, APRIORI)?,
                "bf_apriori_by_uwy" => {
                    s.bf_apriori_by_uwy = by_origin(key, &v, |k, v| number(k, v, APRIORI))?
                }
                "benktander_iterations" => {
                    s.benktander_iterations = count(key, &v, BENKTANDER_ITERATIONS)?
                }
                "cape_cod_trend" => s.cape_cod_trend = number(key, &v, CAPE_COD_TREND)?,
                "cape_cod_decay" => s.cape_cod_decay = number(key, &v, CAPE_COD_DECAY)?,
                "selected_ultimate_by_uwy" => {
                    s.selected_ultimate_by_uwy =
                        by_origin(key, &v, |k, v| named(k, v, Method::from_name, Method::ALL))?
                }
                "sync_version" => session.sync_version = count(key, &v, SYNC_VERSION)?,
                "updated_at" => session.updated_at = opt(&v, |v| label(key, v))?,
                _ => {
                    session.extra.insert(k, v);
                }
            }
        }
        Ok(session)
    }

    /// Writes the session as YAML: known keys in the documented order, then
    /// the unknown keys as they were read.
    pub fn to_yaml(&self) -> String {
        // Serializing a mapping of plain values cannot fail; fall back to an
        // empty document rather than panic if it ever did.
        serde_yaml::to_string(&self.to_value()).unwrap_or_default()
    }

    /// The session as a YAML value (a mapping), for any serializer: JSON
    /// text of it is YAML too, and reads back with [`Session::from_yaml`].
    pub fn to_value(&self) -> Value {
        let s = &self.settings;
        let mut m = Mapping::new();
        let mut put = |k: &str, v: Value| {
            m.insert(Value::String(k.to_string()), v);
        };
        put("segment", self.segment.clone().into());
        if let Some(measure) = &s.measure {
            put("measure", measure.clone().into());
        }
        put("average", s.average.name().into());
        put("n_periods", s.n_periods.map(Value::from).unwrap_or(Value::Null));
        put(
            "drops",
            Value::Sequence(
                s.drops
                    .iter()
                    .map(|d| Value::Sequence(vec![d.origin.clone().into(), d.age.into()]))
                    .collect(),
            ),
        );
        put("drop_origins", strings(&s.drop_origins));
        put("drop_valuations", strings(&s.drop_valuations));
        put("drop_high", s.drop_high.into());
        put("drop_low", s.drop_low.into());
        put("sigma_interpolation", s.sigma_interpolation.name().into());
        put("tail_curve", s.tail_curve.name().into());
        put("tail_constant", s.tail_constant.into());
        put("tail_decay", s.tail_decay.into());
        let age = |a: Option<u32>| a.map(Value::from).unwrap_or(Value::Null);
        put(
            "tail_fit_period",
            Value::Sequence(vec![age(s.tail_fit_period.0), age(s.tail_fit_period.1)]),
        );
        put("tail_attachment_age", age(s.tail_attachment_age));
        put("tail_extrap_periods", s.tail_extrap_periods.into());
        put("tail_projection_months", s.tail_projection_months.into());
        put("default_apriori", s.default_apriori.into());
        put(
            "bf_apriori_by_uwy",
            Value::Mapping(
                s.bf_apriori_by_uwy.iter().map(|(k, v)| (k.clone().into(), (*v).into())).collect(),
            ),
        );
        put("benktander_iterations", s.benktander_iterations.into());
        put("cape_cod_trend", s.cape_cod_trend.into());
        put("cape_cod_decay", s.cape_cod_decay.into());
        put(
            "selected_ultimate_by_uwy",
            Value::Mapping(
                s.selected_ultimate_by_uwy
                    .iter()
                    .map(|(k, v)| (k.clone().into(), v.name().into()))
                    .collect(),
            ),
        );
        put("sync_version", self.sync_version.into());
        if let Some(t) = &self.updated_at {
            put("updated_at", t.clone().into());
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        Value::Mapping(m)
    }
}

fn strings(v: &[String]) -> Value {
    Value::Sequence(v.iter().map(|s| Value::String(s.clone())).collect())
}

/// A value as the user wrote it, for error messages.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

fn err(key: &str, message: String) -> EngineError {
    EngineError::Session { key: key.to_string(), message }
}

fn opt<T>(v: &Value, f: impl FnOnce(&Value) -> Result<T, EngineError>) -> Result<Option<T>, EngineError> {
    if v.is_null() {
        Ok(None)
    } else {
        f(v).map(Some)
    }
}

/// A label: an origin, a valuation, a segment. Bare integers are accepted
/// because YAML reads an unquoted `1996` as a number.
fn label(key: &str, v: &Value) -> Result<String, EngineError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
        other => Err(err(key, format!("expected text, found {}", show(other)))),
    }
}

fn boolean(key: &str, v: &Value) -> Result<bool, EngineError> {
    v.as_bool().ok_or_else(|| err(key, format!("expected true or false, found {}", show(v))))
}

/// The range a whole-number setting may take. The session reader and
/// [`crate::Action`] check against the same constants, so that no action can
/// produce a session that would not load back.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Whole {
    pub min: u64,
    pub max: u64,
}

/// The range a real-valued setting may take (always finite).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Real {
    pub min: f64,
    pub max: f64,
    pub min_inclusive: bool,
}

pub(crate) const N_PERIODS: Whole = Whole { min: 1, max: u32::MAX as u64 };
/// A development age in months: a dropped link ratio, the tail's fit period
/// and attachment age.
pub(crate) const AGE: Whole = Whole { min: 1, max: 100_000 };
pub(crate) const TAIL_EXTRAP_PERIODS: Whole = Whole { min: 1, max: 10_000 };
pub(crate) const TAIL_PROJECTION_MONTHS: Whole = Whole { min: 0, max: 100_000 };
pub(crate) const BENKTANDER_ITERATIONS: Whole = Whole { min: 0, max: 1_000 };
pub(crate) const SYNC_VERSION: Whole = Whole { min: 0, max: u64::MAX };
pub(crate) const TAIL_CONSTANT: Real = Real { min: 0.0, max: f64::INFINITY, min_inclusive: false };
pub(crate) const TAIL_DECAY: Real = Real { min: 0.0, max: 1.0, min_inclusive: true };
/// A BF expected loss ratio, the default one or an origin's.
pub(crate) const APRIORI: Real = Real { min: 0.0, max: f64::INFINITY, min_inclusive: true };
pub(crate) const CAPE_COD_TREND: Real =
    Real { min: -1.0, max: f64::INFINITY, min_inclusive: false };
pub(crate) const CAPE_COD_DECAY: Real = Real { min: 0.0, max: 1.0, min_inclusive: true };

impl Whole {
    /// `n` if it is in range, else an error naming `key` and `n`.
    pub(crate) fn check<T: TryFrom<u64>>(self, key: &str, n: u64) -> Result<T, EngineError> {
        let Whole { min, max } = self;
        if (min..=max).contains(&n) {
            T::try_from(n).map_err(|_| err(key, format!("{n} is out of range")))
        } else {
            Err(err(key, format!("{n} is out of range {min}..={max}")))
        }
    }
}

impl Real {
    /// `x` if it is finite and in range, else an error naming `key` and `x`.
    pub(crate) fn check(self, key: &str, x: f64) -> Result<f64, EngineError> {
        let Real { min, max, min_inclusive } = self;
        let above = if min_inclusive { x >= min } else { x > min };
        if x.is_finite() && above && x <= max {
            Ok(x)
        } else {
            let bound = if min_inclusive { "≥" } else { ">" };
            let upper = if max.is_finite() { format!(" and ≤ {}", show_number(max)) } else { String::new() };
            Err(err(key, format!("{} must be a finite number {bound} {}{upper}", show_number(x), show_number(min))))
        }
    }
}

/// A tail fit period `[from, to]`: both ages in range, `from` not after `to`.
pub(crate) fn check_fit_period(
    key: &str,
    period: (Option<u32>, Option<u32>),
) -> Result<(Option<u32>, Option<u32>), EngineError> {
    for age in [period.0, period.1].into_iter().flatten() {
        AGE.check::<u32>(key, age.into())?;
    }
    if let (Some(a), Some(b)) = period {
        if a > b {
            return Err(err(key, format!("from {a} is after to {b}")));
        }
    }
    Ok(period)
}

fn count<T: TryFrom<u64>>(key: &str, v: &Value, range: Whole) -> Result<T, EngineError> {
    match v.as_u64() {
        Some(n) => range.check(key, n),
        None => {
            let min = range.min;
            Err(err(key, format!("expected a whole number ≥ {min}, found {}", show(v))))
        }
    }
}

fn number(key: &str, v: &Value, range: Real) -> Result<f64, EngineError> {
    let x = v
        .as_f64()
        .ok_or_else(|| err(key, format!("expected a number, found {}", show(v))))?;
    range.check(key, x)
}

fn named<T: Copy>(
    key: &str,
    v: &Value,
    parse: impl Fn(&str) -> Option<T>,
    all: &[(T, &str)],
) -> Result<T, EngineError> {
    let names = all.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ");
    v.as_str()
        .and_then(&parse)
        .ok_or_else(|| err(key, format!("{} is not one of {names}", show(v))))
}

fn list<T>(key: &str, v: &Value, f: impl Fn(&Value) -> Result<T, EngineError>) -> Result<Vec<T>, EngineError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Sequence(items) => items.iter().map(f).collect(),
        other => Err(err(key, format!("expected a list, found {}", show(other)))),
    }
}

fn drops(key: &str, v: &Value) -> Result<Vec<CellDrop>, EngineError> {
    list(key, v, |item| match item.as_sequence().map(|s| s.as_slice()) {
        Some([o, a]) => Ok(CellDrop { origin: label(key, o)?, age: count(key, a, AGE)? }),
        _ => Err(err(key, format!("each drop is [origin, age in months], found {}", show(item)))),
    })
}

fn by_origin<T>(
    key: &str,
    v: &Value,
    f: impl Fn(&str, &Value) -> Result<T, EngineError>,
) -> Result<BTreeMap<String, T>, EngineError> {
    match v {
        Value::Null => Ok(BTreeMap::new()),
        Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| {
                let origin = label(key, k)?;
                let inner = format!("{key}.{origin}");
                Ok((origin, f(&inner, v)?))
            })
            .collect(),
        other => Err(err(key, format!("expected a mapping of origin to value, found {}", show(other)))),
    }
}

/// `[from, to]`, either may be null; reserving-studio writes `[12]` for
/// "from 12" and `[]` for "all".
fn fit_period(key: &str, v: &Value) -> Result<(Option<u32>, Option<u32>), EngineError> {
    let ages = list(key, v, |a| opt(a, |a| count::<u32>(key, a, AGE)))?;
    let period = match ages.as_slice() {
        [] => (None, None),
        [from] => (*from, None),
        [from, to] => (*from, *to),
        _ => return Err(err(key, format!("expected [from, to], found {} ages", ages.len()))),
    };
    check_fit_period(key, period)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"
segment: quarterly
measure: incurred
average: volume
n_periods: null
drops:
  - ["1996", 3]
drop_origins: []
drop_valuations: []
drop_high: false
drop_low: false
sigma_interpolation: log-linear
tail_curve: none
tail_constant: 1.0
tail_decay: 0.5
tail_fit_period: [null, null]
tail_attachment_age: null
tail_extrap_periods: 100
tail_projection_months: 12
default_apriori: 0.6
bf_apriori_by_uwy:
  "2000": 0.7
benktander_iterations: 2
cape_cod_trend: 0.0
cape_cod_decay: 1.0
selected_ultimate_by_uwy:
  "2006": bornhuetter_ferguson
sync_version: 7
updated_at: 2026-11-25T06:10:00.123Z
"#;

    #[test]
    fn reads_the_documented_example() {
        let s = Session::from_yaml(DOC, "x").unwrap();
        assert_eq!(s.segment, "quarterly");
        assert_eq!(s.sync_version, 7);
        assert_eq!(s.settings.drops, vec![CellDrop { origin: "1996".into(), age: 3 }]);
        assert_eq!(s.settings.apriori("2000"), 0.7);
        assert_eq!(s.settings.apriori("2001"), 0.6);
        assert_eq!(s.settings.selected("2006"), Method::BornhuetterFerguson);
        assert_eq!(s.updated_at.as_deref(), Some("2026-11-25T06:10:00.123Z"));
        assert!(s.extra.is_empty());
    }

    #[test]
    fn round_trips_exactly() {
        let s = Session::from_yaml(DOC, "x").unwrap();
        let text = s.to_yaml();
        assert!(text.contains("'2000': 0.7"), "{text}");
        assert_eq!(Session::from_yaml(&text, "x").unwrap(), s);
    }

    #[test]
    fn empty_text_is_all_defaults() {
        let s = Session::from_yaml("", "annual").unwrap();
        assert_eq!(s, Session::new("annual"));
    }

    #[test]
    fn unknown_keys_survive() {
        let s = Session::from_yaml("future_key: {a: 1}\naverage: simple\n", "q").unwrap();
        let again = Session::from_yaml(&s.to_yaml(), "q").unwrap();
        assert_eq!(again.extra.get("future_key"), s.extra.get("future_key"));
        assert_eq!(again.settings.average, Average::Simple);
    }

    #[test]
    fn wrong_values_name_key_and_value() {
        let e = Session::from_yaml("average: median", "q").unwrap_err().to_string();
        assert!(e.contains("`average`") && e.contains("\"median\""), "{e}");
        let e = Session::from_yaml("bf_apriori_by_uwy: {2000: -0.5}", "q").unwrap_err().to_string();
        assert!(e.contains("bf_apriori_by_uwy.2000") && e.contains("-0.5"), "{e}");
        let e = Session::from_yaml("drops: [[1996]]", "q").unwrap_err().to_string();
        assert!(e.contains("`drops`"), "{e}");
        assert!(Session::from_yaml("- 1\n- 2", "q").is_err());
        assert!(Session::from_yaml("a: [", "q").is_err());
    }

    #[test]
    fn reserving_studio_fit_period_and_bare_origins() {
        let s = Session::from_yaml("tail_fit_period: [12]\ndrops: [[1996, 3]]\nbf_apriori_by_uwy: {2000: 0.7}", "q")
            .unwrap();
        assert_eq!(s.settings.tail_fit_period, (Some(12), None));
        assert_eq!(s.settings.drops[0].origin, "1996");
        assert_eq!(s.settings.apriori("2000"), 0.7);
    }

    #[test]
    fn json_is_yaml_too() {
        let s = Session::from_yaml(r#"{"average": "geometric", "drop_high": true}"#, "q").unwrap();
        assert_eq!(s.settings.average, Average::Geometric);
        assert!(s.settings.drop_high);
    }
}
