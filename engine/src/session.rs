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

pub use crate::bootstrap::Process;
use crate::error::show_number;
use crate::shared::Shared;
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

/// A method whose ultimate can be selected for an origin. In JSON (the
/// command line's output) by its name in the session file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
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

/// The average chosen for one development column (its factor is that
/// average of the column's link ratios, over its latest `n_periods` origin
/// periods, or all when `None`), instead of the session's `average` and
/// `n_periods`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ColumnAverage {
    pub average: Average,
    pub n_periods: Option<u32>,
}

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
    pub drops: Shared<Vec<CellDrop>>,
    pub drop_origins: Shared<Vec<String>>,
    pub drop_valuations: Shared<Vec<String>>,
    pub drop_high: bool,
    pub drop_low: bool,
    pub sigma_interpolation: SigmaInterpolation,
    pub tail_curve: TailCurve,
    pub tail_constant: f64,
    pub tail_decay: f64,
    pub tail_fit_period: (Option<u32>, Option<u32>),
    pub tail_attachment_age: Option<u32>,
    /// An expert override of the periods a fitted curve is extrapolated
    /// over; `None` unless the user set it (see [`Settings::tail_length`]).
    pub tail_extrap_periods: Option<u32>,
    /// The tail's length in months past the last age; `None` when absent.
    pub tail_projection_months: Option<u32>,
    /// Per development column, keyed by the column's starting age in months:
    /// the average chosen for it. A column without one uses `average` and
    /// `n_periods`.
    pub average_by_age: Shared<BTreeMap<u32, ColumnAverage>>,
    /// Per development column, keyed by its starting age: a factor the
    /// actuary typed, which replaces the column's average.
    pub ldf_by_age: Shared<BTreeMap<u32, f64>>,
    pub default_apriori: f64,
    pub bf_apriori_by_uwy: Shared<BTreeMap<String, f64>>,
    pub benktander_iterations: u32,
    pub cape_cod_trend: f64,
    pub cape_cod_decay: f64,
    pub selected_ultimate_by_uwy: Shared<BTreeMap<String, Method>>,
    /// The reserve range (the ODP bootstrap): how many simulations, from
    /// which seed, and whether process risk is added.
    pub bootstrap_sims: u32,
    pub bootstrap_seed: u64,
    pub bootstrap_process: Process,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            measure: None,
            average: Average::Volume,
            n_periods: None,
            drops: Shared::default(),
            drop_origins: Shared::default(),
            drop_valuations: Shared::default(),
            drop_high: false,
            drop_low: false,
            sigma_interpolation: SigmaInterpolation::LogLinear,
            tail_curve: TailCurve::None,
            tail_constant: 1.0,
            tail_decay: 0.5,
            tail_fit_period: (None, None),
            tail_attachment_age: None,
            tail_extrap_periods: None,
            tail_projection_months: None,
            average_by_age: Shared::default(),
            ldf_by_age: Shared::default(),
            default_apriori: 0.6,
            bf_apriori_by_uwy: Shared::default(),
            benktander_iterations: 2,
            cape_cod_trend: 0.0,
            cape_cod_decay: 1.0,
            selected_ultimate_by_uwy: Shared::default(),
            bootstrap_sims: 10_000,
            bootstrap_seed: 1,
            bootstrap_process: Process::Gamma,
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

    /// The average of the development column that starts at `age`: the one
    /// chosen for it, else the session's.
    pub fn column_average(&self, age: u32) -> ColumnAverage {
        self.average_by_age
            .get(&age)
            .copied()
            .unwrap_or(ColumnAverage { average: self.average, n_periods: self.n_periods })
    }

    /// Whether every list and mapping is within its bound (the session
    /// reader checks the same while reading; [`crate::Action::apply`] after
    /// each change), else an error naming the key, its size and the bound.
    pub fn check_sizes(&self) -> Result<(), EngineError> {
        let side = crate::input::MAX_SIDE;
        at_most("drops", self.drops.len(), MAX_DROPS)?;
        at_most("drop_origins", self.drop_origins.len(), MAX_ORIGINS)?;
        at_most("drop_valuations", self.drop_valuations.len(), MAX_VALUATIONS)?;
        at_most("bf_apriori_by_uwy", self.bf_apriori_by_uwy.len(), MAX_ORIGINS)?;
        at_most("selected_ultimate_by_uwy", self.selected_ultimate_by_uwy.len(), MAX_ORIGINS)?;
        at_most("average_by_age", self.average_by_age.len(), side)?;
        at_most("ldf_by_age", self.ldf_by_age.len(), side)
    }

    /// How long a fitted curve's tail runs, with development ages `step`
    /// months apart. Three readings of the two length keys (see
    /// `docs/session.md`):
    /// 1. `tail_extrap_periods` set: chainladder-python's meaning, with
    ///    `tail_projection_months` (12 where absent) as its projection period.
    /// 2. only `tail_projection_months` = m (every reserving-studio file):
    ///    reserving-studio's "Tail length (months)": `m / step` periods
    ///    extrapolated, a projection of `(m / step) · step` months, and the
    ///    remainder past the projection set to 1 as reserving-studio's
    ///    pipeline does; m = 0 is no tail.
    /// 3. neither: chainladder-python's defaults, 100 periods and 12 months.
    pub fn tail_length(&self, step: u32) -> TailLength {
        let step = step.max(1);
        match (self.tail_extrap_periods, self.tail_projection_months) {
            (Some(periods), months) => {
                TailLength { extrap_periods: periods, projection_months: months.unwrap_or(12), remainder: true }
            }
            (None, Some(m)) => {
                TailLength { extrap_periods: m / step, projection_months: m / step * step, remainder: false }
            }
            (None, None) => TailLength { extrap_periods: 100, projection_months: 12, remainder: true },
        }
    }
}

/// How far a tail runs: what [`Settings::tail_length`] reads from a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TailLength {
    /// Periods of the development grain the fitted curve is extrapolated over.
    pub extrap_periods: u32,
    /// Months of tail factors shown past the last age (whole years count).
    pub projection_months: u32,
    /// Whether the last tail factor carries the rest of the extrapolation
    /// past the projection (chainladder-python), or is 1 (reserving-studio).
    pub remainder: bool,
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
    /// A text larger than [`crate::limits::MAX_SESSION_BYTES`] or nested
    /// deeper than [`crate::limits::MAX_DEPTH`] is refused before it is read.
    pub fn from_yaml(text: &str, segment: &str) -> Result<Session, EngineError> {
        use crate::limits::{check_depth, check_yaml, TooMuch, MAX_SESSION_BYTES};
        let too_much = |e: TooMuch| EngineError::SessionSyntax(e.to_string());
        check_yaml(text, MAX_SESSION_BYTES).map_err(too_much)?;
        let value: Value = serde_yaml::from_str(text).map_err(|e| match e.to_string() {
            // The YAML library's own bound (128) on a deeper text.
            m if m.starts_with("recursion limit exceeded") => too_much(TooMuch::Deep),
            m => EngineError::SessionSyntax(m),
        })?;
        check_depth(&value).map_err(too_much)?;
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
                "drops" => s.drops = drops(key, &v)?.into(),
                "drop_origins" => s.drop_origins = list(key, &v, MAX_ORIGINS, |v| label(key, v))?.into(),
                "drop_valuations" => s.drop_valuations = list(key, &v, MAX_VALUATIONS, |v| label(key, v))?.into(),
                "drop_high" => s.drop_high = boolean(key, &v)?,
                "drop_low" => s.drop_low = boolean(key, &v)?,
                "sigma_interpolation" => {
                    s.sigma_interpolation = named(key, &v, SigmaInterpolation::from_name, SigmaInterpolation::ALL)?
                }
                "tail_curve" => s.tail_curve = named(key, &v, TailCurve::from_name, TailCurve::ALL)?,
                "tail_constant" => s.tail_constant = number(key, &v, TAIL_CONSTANT)?,
                "tail_decay" => s.tail_decay = number(key, &v, TAIL_DECAY)?,
                "tail_fit_period" => s.tail_fit_period = fit_period(key, &v)?,
                "tail_attachment_age" => s.tail_attachment_age = opt(&v, |v| count(key, v, AGE))?,
                "tail_extrap_periods" => s.tail_extrap_periods = opt(&v, |v| count(key, v, TAIL_EXTRAP_PERIODS))?,
                "tail_projection_months" => {
                    s.tail_projection_months = opt(&v, |v| count(key, v, TAIL_PROJECTION_MONTHS))?
                }
                "average_by_age" => s.average_by_age = by_age(key, &v, column_average)?.into(),
                "ldf_by_age" => s.ldf_by_age = by_age(key, &v, |k, v| number(k, v, LDF))?.into(),
                "default_apriori" => s.default_apriori = number(key, &v, APRIORI)?,
                "bf_apriori_by_uwy" => s.bf_apriori_by_uwy = by_origin(key, &v, |k, v| number(k, v, APRIORI))?.into(),
                "benktander_iterations" => s.benktander_iterations = count(key, &v, BENKTANDER_ITERATIONS)?,
                "cape_cod_trend" => s.cape_cod_trend = number(key, &v, CAPE_COD_TREND)?,
                "cape_cod_decay" => s.cape_cod_decay = number(key, &v, CAPE_COD_DECAY)?,
                "selected_ultimate_by_uwy" => {
                    s.selected_ultimate_by_uwy =
                        by_origin(key, &v, |k, v| named(k, v, Method::from_name, Method::ALL))?.into()
                }
                "bootstrap_sims" => s.bootstrap_sims = count(key, &v, BOOTSTRAP_SIMS)?,
                "bootstrap_seed" => s.bootstrap_seed = count(key, &v, BOOTSTRAP_SEED)?,
                "bootstrap_process" => s.bootstrap_process = named(key, &v, Process::from_name, Process::ALL)?,
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
                s.drops.iter().map(|d| Value::Sequence(vec![d.origin.clone().into(), d.age.into()])).collect(),
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
        put("tail_fit_period", Value::Sequence(vec![age(s.tail_fit_period.0), age(s.tail_fit_period.1)]));
        put("tail_attachment_age", age(s.tail_attachment_age));
        // Written only when set: an absent length key has its own meaning
        // (Settings::tail_length).
        if let Some(n) = s.tail_extrap_periods {
            put("tail_extrap_periods", n.into());
        }
        if let Some(m) = s.tail_projection_months {
            put("tail_projection_months", m.into());
        }
        if !s.average_by_age.is_empty() {
            put(
                "average_by_age",
                Value::Mapping(
                    s.average_by_age
                        .iter()
                        .map(|(age, c)| {
                            let mut m = Mapping::new();
                            m.insert("average".into(), c.average.name().into());
                            m.insert("n_periods".into(), c.n_periods.map(Value::from).unwrap_or(Value::Null));
                            (age_key(*age), Value::Mapping(m))
                        })
                        .collect(),
                ),
            );
        }
        if !s.ldf_by_age.is_empty() {
            put(
                "ldf_by_age",
                Value::Mapping(s.ldf_by_age.iter().map(|(age, f)| (age_key(*age), (*f).into())).collect()),
            );
        }
        put("default_apriori", s.default_apriori.into());
        put(
            "bf_apriori_by_uwy",
            Value::Mapping(s.bf_apriori_by_uwy.iter().map(|(k, v)| (k.clone().into(), (*v).into())).collect()),
        );
        put("benktander_iterations", s.benktander_iterations.into());
        put("cape_cod_trend", s.cape_cod_trend.into());
        put("cape_cod_decay", s.cape_cod_decay.into());
        put(
            "selected_ultimate_by_uwy",
            Value::Mapping(
                s.selected_ultimate_by_uwy.iter().map(|(k, v)| (k.clone().into(), v.name().into())).collect(),
            ),
        );
        put("bootstrap_sims", s.bootstrap_sims.into());
        put("bootstrap_seed", s.bootstrap_seed.into());
        put("bootstrap_process", s.bootstrap_process.name().into());
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

/// An age as a mapping key: text, so that the JSON form (whose keys are
/// text) reads back the same.
fn age_key(age: u32) -> Value {
    Value::String(age.to_string())
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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Whole {
    pub min: u64,
    pub max: u64,
}

/// The range a real-valued setting may take (always finite).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Real {
    pub min: f64,
    pub max: f64,
    pub min_inclusive: bool,
}

// The ranges below are what an actuary's judgement can mean; each is named
// in `docs/session.md`. They also bound what one recalculation may cost: no
// setting a session allows makes a click slower than `docs/benchmarks.md`'s
// targets.

/// The latest n origin periods: at most a triangle's side.
pub const N_PERIODS: Whole = Whole { min: 1, max: crate::input::MAX_SIDE as u64 };
/// A development age in months: a dropped link ratio, the tail's fit period
/// and attachment age, a column's key; at most the oldest age a triangle can
/// have (its side of yearly ages).
pub const AGE: Whole = Whole { min: 1, max: crate::input::MAX_SIDE as u64 * 12 };
/// The periods a fitted tail curve is extrapolated over: 100 years of
/// monthly development (chainladder-python's default is 100 periods).
pub const TAIL_EXTRAP_PERIODS: Whole = Whole { min: 0, max: 1_200 };
/// The tail's length past the last age: 100 years.
pub const TAIL_PROJECTION_MONTHS: Whole = Whole { min: 0, max: 1_200 };
/// Benktander's iterations: far past the point where it equals the chain
/// ladder to the last digit.
pub const BENKTANDER_ITERATIONS: Whole = Whole { min: 0, max: 100 };
/// The reserve range's simulations: at least enough for a 99.5th
/// percentile, at most the bootstrap's own bound.
pub const BOOTSTRAP_SIMS: Whole = Whole { min: 100, max: crate::bootstrap::MAX_SIMS as u64 };
/// A seed a JSON number carries exactly (below 2^53), as the browser stores
/// sessions as JSON.
pub const BOOTSTRAP_SEED: Whole = Whole { min: 0, max: (1 << 53) - 1 };
/// A version a JSON number carries exactly, as the browser stores sessions
/// as JSON: one above would read as its neighbour there.
pub(crate) const SYNC_VERSION: Whole = Whole { min: 0, max: crate::limits::MAX_SAFE_INTEGER };
/// A constant tail factor: positive, and at most 100 (a tail that multiplies
/// the reserve a hundredfold is a typing error, not a judgement).
pub const TAIL_CONSTANT: Real = Real { min: 0.0, max: 100.0, min_inclusive: false };
/// A typed development factor: at most 10,000, above any link ratio of a
/// first development period worth reserving on.
pub const LDF: Real = Real { min: 0.0, max: 10_000.0, min_inclusive: true };
pub const TAIL_DECAY: Real = Real { min: 0.0, max: 1.0, min_inclusive: true };
/// A BF expected loss ratio, the default one or an origin's: at most
/// 10,000%.
pub const APRIORI: Real = Real { min: 0.0, max: 100.0, min_inclusive: true };
/// Cape Cod's trend a year: above −100%, at most +1,000%.
pub const CAPE_COD_TREND: Real = Real { min: -1.0, max: 10.0, min_inclusive: false };
pub const CAPE_COD_DECAY: Real = Real { min: 0.0, max: 1.0, min_inclusive: true };

/// The most single link ratios `drops` may list: more than anyone drops
/// one by one (a whole origin or diagonal is `drop_origins` or
/// `drop_valuations`, a window of the latest diagonals `n_periods`). Every
/// entry costs each recalculation, copy and save of the session something,
/// so the bound is what keeps a click within its time at the limits.
pub const MAX_DROPS: usize = 1_000;
/// The most entries of a list or mapping by origin (`drop_origins`,
/// `bf_apriori_by_uwy`, `selected_ultimate_by_uwy`): a triangle's origins.
pub const MAX_ORIGINS: usize = crate::input::MAX_SIDE;
/// The most dropped diagonals (`drop_valuations`): the diagonals of a
/// triangle of the largest side.
pub const MAX_VALUATIONS: usize = 2 * crate::input::MAX_SIDE;

impl Whole {
    /// `n` if it is in range, else an error naming `key` and `n`.
    pub fn check<T: TryFrom<u64>>(self, key: &str, n: u64) -> Result<T, EngineError> {
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
    pub fn check(self, key: &str, x: f64) -> Result<f64, EngineError> {
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
    let x = v.as_f64().ok_or_else(|| err(key, format!("expected a number, found {}", show(v))))?;
    range.check(key, x)
}

fn named<T: Copy>(
    key: &str,
    v: &Value,
    parse: impl Fn(&str) -> Option<T>,
    all: &[(T, &str)],
) -> Result<T, EngineError> {
    let names = all.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ");
    v.as_str().and_then(&parse).ok_or_else(|| err(key, format!("{} is not one of {names}", show(v))))
}

fn list<T>(
    key: &str,
    v: &Value,
    max: usize,
    f: impl Fn(&Value) -> Result<T, EngineError>,
) -> Result<Vec<T>, EngineError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Sequence(items) => {
            at_most(key, items.len(), max)?;
            items.iter().map(f).collect()
        }
        other => Err(err(key, format!("expected a list, found {}", show(other)))),
    }
}

/// A list or mapping of `n` entries, if that is no more than `max`.
pub(crate) fn at_most(key: &str, n: usize, max: usize) -> Result<(), EngineError> {
    if n > max {
        Err(err(key, format!("{n} entries is more than the {max} allowed")))
    } else {
        Ok(())
    }
}

fn drops(key: &str, v: &Value) -> Result<Vec<CellDrop>, EngineError> {
    list(key, v, MAX_DROPS, |item| match item.as_sequence().map(|s| s.as_slice()) {
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
        Value::Mapping(m) => {
            at_most(key, m.len(), MAX_ORIGINS)?;
            m.iter()
                .map(|(k, v)| {
                    let origin = label(key, k)?;
                    let inner = format!("{key}.{origin}");
                    Ok((origin, f(&inner, v)?))
                })
                .collect()
        }
        other => Err(err(key, format!("expected a mapping of origin to value, found {}", show(other)))),
    }
}

/// The tail's fit period. The app writes `[from, to]`, either may be null;
/// reserving-studio writes the ages clicked on its grid, in click order:
/// `[]` is all, one age `a` is from `a`, two or more are from the smallest to
/// the largest (duplicates do not count).
fn fit_period(key: &str, v: &Value) -> Result<(Option<u32>, Option<u32>), EngineError> {
    // Ages clicked: at most every age of a triangle.
    let ages = list(key, v, crate::input::MAX_SIDE, |a| opt(a, |a| count::<u32>(key, a, AGE)))?;
    let period = match ages.as_slice() {
        [from, to] if from.is_none() || to.is_none() => (*from, *to),
        _ => {
            let mut clicked = Vec::with_capacity(ages.len());
            for age in &ages {
                match age {
                    Some(a) => clicked.push(*a),
                    None => {
                        return Err(err(key, "expected [from, to] or a list of ages, found a null among ages".into()))
                    }
                }
            }
            (clicked.iter().min().copied(), (clicked.len() > 1).then(|| clicked.iter().max().copied()).flatten())
        }
    };
    check_fit_period(key, period)
}

/// A mapping of development ages (the column's starting age in months,
/// written as a number or as text) to values.
fn by_age<T>(
    key: &str,
    v: &Value,
    f: impl Fn(&str, &Value) -> Result<T, EngineError>,
) -> Result<BTreeMap<u32, T>, EngineError> {
    match v {
        Value::Null => Ok(BTreeMap::new()),
        Value::Mapping(m) => {
            // A column per age: at most every age of a triangle.
            at_most(key, m.len(), crate::input::MAX_SIDE)?;
            m.iter()
                .map(|(k, v)| {
                    let age = match k {
                        Value::String(s) => s.trim().parse::<u64>().ok(),
                        other => other.as_u64(),
                    }
                    .ok_or_else(|| err(key, format!("{} is not an age in months", show(k))))?;
                    let age: u32 = AGE.check(key, age)?;
                    Ok((age, f(&format!("{key}.{age}"), v)?))
                })
                .collect()
        }
        other => Err(err(key, format!("expected a mapping of age to value, found {}", show(other)))),
    }
}

/// One column's average: `{average: simple, n_periods: 5}` (n_periods may be
/// left out or null: every origin).
fn column_average(key: &str, v: &Value) -> Result<ColumnAverage, EngineError> {
    let Value::Mapping(m) = v else {
        return Err(err(key, format!("expected {{average, n_periods}}, found {}", show(v))));
    };
    let mut column = ColumnAverage { average: Average::Volume, n_periods: None };
    let mut has_average = false;
    for (k, v) in m {
        match k.as_str() {
            Some("average") => {
                column.average = named(&format!("{key}.average"), v, Average::from_name, Average::ALL)?;
                has_average = true;
            }
            Some("n_periods") => column.n_periods = opt(v, |v| count(&format!("{key}.n_periods"), v, N_PERIODS))?,
            _ => return Err(err(key, format!("{} is not average or n_periods", show(k)))),
        }
    }
    if !has_average {
        return Err(err(key, "names no average".into()));
    }
    Ok(column)
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
    fn fit_period_as_the_ages_clicked() {
        let read =
            |t: &str| Session::from_yaml(&format!("tail_fit_period: {t}"), "q").map(|s| s.settings.tail_fit_period);
        assert_eq!(read("[48, 12]").unwrap(), (Some(12), Some(48)));
        assert_eq!(read("[12, 24, 48]").unwrap(), (Some(12), Some(48)));
        assert_eq!(read("[36, 12, 36, 24]").unwrap(), (Some(12), Some(36)));
        assert_eq!(read("[24, 24]").unwrap(), (Some(24), Some(24)));
        assert_eq!(read("[24]").unwrap(), (Some(24), None));
        assert_eq!(read("[]").unwrap(), (None, None));
        assert_eq!(read("[null, 48]").unwrap(), (None, Some(48)));
        assert_eq!(read("[12, null]").unwrap(), (Some(12), None));
        assert!(read("[12, null, 24]").unwrap_err().to_string().contains("tail_fit_period"));
        assert!(read("[0, 12]").is_err());
    }

    #[test]
    fn tail_length_rule() {
        let length = |t: &str| Session::from_yaml(t, "q").unwrap().settings.tail_length(3);
        let l =
            |extrap_periods, projection_months, remainder| TailLength { extrap_periods, projection_months, remainder };
        // reserving-studio's "Tail length (months)".
        assert_eq!(length("tail_projection_months: 0"), l(0, 0, false));
        assert_eq!(length("tail_projection_months: 12"), l(4, 12, false));
        assert_eq!(length("tail_projection_months: 14"), l(4, 12, false));
        // chainladder-python's meaning when the periods are set.
        assert_eq!(length("tail_extrap_periods: 50\ntail_projection_months: 24"), l(50, 24, true));
        assert_eq!(length("tail_extrap_periods: 7"), l(7, 12, true));
        assert_eq!(length(""), l(100, 12, true));
        // Written back only when set, so a file means the same after a save.
        let s = Session::from_yaml("tail_projection_months: 12", "q").unwrap();
        let text = s.to_yaml();
        assert!(text.contains("tail_projection_months: 12") && !text.contains("tail_extrap_periods"), "{text}");
        let fresh = Session::new("q").to_yaml();
        assert!(!fresh.contains("tail_extrap_periods") && !fresh.contains("tail_projection_months"), "{fresh}");
    }

    #[test]
    fn column_averages_and_typed_factors_round_trip() {
        let doc = "average_by_age:\n  3: {average: simple, n_periods: 5}\n  '6': {average: geometric}\nldf_by_age: {9: 1.05, '12': 1.0}\n";
        let s = Session::from_yaml(doc, "q").unwrap();
        assert_eq!(s.settings.average_by_age[&3], ColumnAverage { average: Average::Simple, n_periods: Some(5) });
        assert_eq!(s.settings.average_by_age[&6], ColumnAverage { average: Average::Geometric, n_periods: None });
        assert_eq!(s.settings.column_average(15), ColumnAverage { average: Average::Volume, n_periods: None });
        assert_eq!(s.settings.ldf_by_age[&9], 1.05);
        let again = Session::from_yaml(&s.to_yaml(), "q").unwrap();
        assert_eq!(again, s);
        let e = Session::from_yaml("ldf_by_age: {9: -1}", "q").unwrap_err().to_string();
        assert!(e.contains("ldf_by_age.9") && e.contains("-1"), "{e}");
        let e = Session::from_yaml("average_by_age: {3: {average: median}}", "q").unwrap_err().to_string();
        assert!(e.contains("average_by_age.3.average") && e.contains("median"), "{e}");
        let e = Session::from_yaml("average_by_age: {x: {average: simple}}", "q").unwrap_err().to_string();
        assert!(e.contains("average_by_age") && e.contains("\"x\""), "{e}");
    }

    /// Every bounded key, just inside and just outside its range: inside
    /// loads, outside is refused naming the key, the value and the range.
    #[test]
    fn every_setting_is_bounded_and_refused_by_name() {
        let inside = [
            "n_periods: 1000",
            "tail_projection_months: 1200",
            "tail_extrap_periods: 1200",
            "tail_attachment_age: 12000",
            "tail_fit_period: [1, 12000]",
            "drops: [[\"1996\", 12000]]",
            "tail_constant: 100",
            "ldf_by_age: {3: 10000}",
            "default_apriori: 100",
            "bf_apriori_by_uwy: {2000: 100}",
            "cape_cod_trend: 10",
            "benktander_iterations: 100",
        ];
        for doc in inside {
            assert!(Session::from_yaml(doc, "q").is_ok(), "{doc}");
        }
        let outside = [
            ("n_periods: 1001", "`n_periods`", "1001", "1..=1000"),
            ("tail_projection_months: 1201", "`tail_projection_months`", "1201", "0..=1200"),
            ("tail_projection_months: 100000", "`tail_projection_months`", "100000", "0..=1200"),
            ("tail_extrap_periods: 1201", "`tail_extrap_periods`", "1201", "0..=1200"),
            ("tail_attachment_age: 12001", "`tail_attachment_age`", "12001", "1..=12000"),
            ("tail_fit_period: [12, 12001]", "`tail_fit_period`", "12001", "1..=12000"),
            ("drops: [[\"1996\", 12001]]", "`drops`", "12001", "1..=12000"),
            (
                "average_by_age: {3: {average: simple, n_periods: 1001}}",
                "average_by_age.3.n_periods",
                "1001",
                "1..=1000",
            ),
            ("tail_constant: 100.5", "`tail_constant`", "100.5", "> 0 and ≤ 100"),
            ("tail_constant: 0", "`tail_constant`", "0", "> 0 and ≤ 100"),
            ("ldf_by_age: {3: 10001}", "ldf_by_age.3", "10001", "≥ 0 and ≤ 10000"),
            ("default_apriori: 101", "`default_apriori`", "101", "≥ 0 and ≤ 100"),
            ("bf_apriori_by_uwy: {2000: 1e9}", "bf_apriori_by_uwy.2000", "1000000000", "≥ 0 and ≤ 100"),
            ("cape_cod_trend: 11", "`cape_cod_trend`", "11", "> -1 and ≤ 10"),
            ("benktander_iterations: 101", "`benktander_iterations`", "101", "0..=100"),
        ];
        for (doc, key, value, range) in outside {
            let e = Session::from_yaml(doc, "q").unwrap_err().to_string();
            assert!(e.contains(key) && e.contains(value) && e.contains(range), "{doc}: {e}");
        }
    }

    #[test]
    fn lists_and_mappings_are_bounded() {
        let drops = (0..=MAX_DROPS).map(|k| format!("[\"{k}\", 3]")).collect::<Vec<_>>().join(", ");
        let e = Session::from_yaml(&format!("drops: [{drops}]"), "q").unwrap_err().to_string();
        assert!(e.contains("`drops`") && e.contains("1001 entries") && e.contains("1000 allowed"), "{e}");
        let origins = (0..=MAX_ORIGINS).map(|k| format!("\"o{k}\"")).collect::<Vec<_>>().join(", ");
        let e = Session::from_yaml(&format!("drop_origins: [{origins}]"), "q").unwrap_err().to_string();
        assert!(e.contains("`drop_origins`") && e.contains("1001 entries"), "{e}");
        let aprioris = (0..=MAX_ORIGINS).map(|k| format!("\"o{k}\": 0.5")).collect::<Vec<_>>().join(", ");
        let e = Session::from_yaml(&format!("bf_apriori_by_uwy: {{{aprioris}}}"), "q").unwrap_err().to_string();
        assert!(e.contains("`bf_apriori_by_uwy`") && e.contains("1001 entries"), "{e}");
        let diagonals = (0..=MAX_VALUATIONS).map(|k| format!("\"v{k}\"")).collect::<Vec<_>>().join(", ");
        let e = Session::from_yaml(&format!("drop_valuations: [{diagonals}]"), "q").unwrap_err().to_string();
        assert!(e.contains("`drop_valuations`") && e.contains("2001 entries"), "{e}");
        let exact = (0..MAX_ORIGINS).map(|k| format!("\"o{k}\"")).collect::<Vec<_>>().join(", ");
        assert_eq!(
            Session::from_yaml(&format!("drop_origins: [{exact}]"), "q").unwrap().settings.drop_origins.len(),
            MAX_ORIGINS
        );
        // What a session allows, the actions allow, and no more.
        let s =
            Settings { drop_valuations: (0..MAX_VALUATIONS).map(|k| k.to_string()).collect(), ..Settings::default() };
        let full = crate::Action::SetValuationDropped { valuation: "x".into(), dropped: true };
        let e = full.apply(&s).unwrap_err().to_string();
        assert!(e.contains("`drop_valuations`") && e.contains("2001 entries"), "{e}");
        assert!(crate::Action::SetTailProjectionMonths(Some(1_201)).apply(&s).is_err());
        assert!(crate::Action::SetTailProjectionMonths(Some(1_200)).apply(&s).is_ok());
    }

    #[test]
    fn json_is_yaml_too() {
        let s = Session::from_yaml(r#"{"average": "geometric", "drop_high": true}"#, "q").unwrap();
        assert_eq!(s.settings.average, Average::Geometric);
        assert!(s.settings.drop_high);
    }
}
