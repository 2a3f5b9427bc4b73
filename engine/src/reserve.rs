//! One full recalculation: a triangle, premium and settings in, every
//! method's ultimates out. This is what the worker and the command line call.
//!
//! The stages run in chainladder-python's order and each is its own module:
//! [`develop`](crate::development::develop) (link ratios, exclusions,
//! average, sigma) → [`apply_tail`](crate::tail::apply_tail) → the methods
//! ([`crate::methods`], Mack's standard errors among them). Settings that
//! name origins, ages or valuations the triangle does not have are kept and
//! reported in `warnings`; they are never errors.

use crate::development::develop;
use crate::methods::{benktander, cape_cod, chainladder, mack, Positions};
use crate::session::{Method, Settings};
use crate::tail::apply_tail;
use crate::warnings::{Listed, Warn};
use crate::{EngineError, Triangle};
use serde::{Deserialize, Serialize};

/// Ultimates and IBNR of one method, per origin and in total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MethodResult {
    pub ultimate: Vec<f64>,
    pub ibnr: Vec<f64>,
    pub total_ibnr: f64,
}

impl MethodResult {
    fn from_ultimates(ultimate: Vec<f64>, latest: &[f64]) -> MethodResult {
        let ibnr: Vec<f64> = ultimate.iter().zip(latest).map(|(u, l)| u - l).collect();
        let total_ibnr = ibnr.iter().sum();
        MethodResult { ultimate, ibnr, total_ibnr }
    }
}

/// Mack chain ladder: the chain ladder's ultimates with their standard errors.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct MackResult {
    pub result: MethodResult,
    pub mack_std_err: Vec<f64>,
    pub total_mack_std_err: f64,
}

/// Cape Cod: its ultimates and the expected loss ratio it derives.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct CapeCodResult {
    pub result: MethodResult,
    /// The derived loss ratio over all origins together (each origin's own
    /// when `cape_cod_decay` is 1, the default).
    pub apriori: f64,
    /// The derived loss ratio per origin, at the valuation date's level
    /// (it differs between origins when `cape_cod_decay` is below 1).
    #[serde(default)]
    pub apriori_by_origin: Vec<f64>,
    /// Each origin's ratio brought back by `cape_cod_trend` to the origin's
    /// level: premium × this is its expected loss.
    #[serde(default)]
    pub detrended_apriori: Vec<f64>,
}

/// Every method's results. The methods that need premium are `None`
/// when the segment has none; Mack is `None` when a sigma it needs cannot be
/// estimated (a warning says which).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Methods {
    pub chainladder: MethodResult,
    pub mack: Option<MackResult>,
    pub bornhuetter_ferguson: Option<MethodResult>,
    pub benktander: Option<MethodResult>,
    pub cape_cod: Option<CapeCodResult>,
}

/// The selected ultimate per origin: which method, and its figures.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct Selected {
    // `result` first in every one of these: the binary form is the fields
    // in order, written by the macro below with `result` first.
    pub result: MethodResult,
    pub method: Vec<Method>,
}

/// How a method's extra figures sit beside its [`MethodResult`]: in JSON
/// (the command line's output, the shape of the reference fixtures'
/// `expected`) on the same level as `ultimate`, `ibnr` and `total_ibnr`; in
/// a binary format (the page's messages to and from its worker, which
/// cannot carry serde's `flatten`) nested, as in the structs, which is also
/// how they are read back.
macro_rules! serialize_beside_result {
    ($ty:ident, $($field:ident: $fty:ty),+) => {
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    #[derive(Serialize)]
                    struct Flat<'a> {
                        ultimate: &'a [f64],
                        ibnr: &'a [f64],
                        total_ibnr: f64,
                        $($field: &'a $fty),+
                    }
                    let r = &self.result;
                    Flat { ultimate: &r.ultimate, ibnr: &r.ibnr, total_ibnr: r.total_ibnr, $($field: &self.$field),+ }
                        .serialize(s)
                } else {
                    #[derive(Serialize)]
                    struct Nested<'a> {
                        result: &'a MethodResult,
                        $($field: &'a $fty),+
                    }
                    Nested { result: &self.result, $($field: &self.$field),+ }.serialize(s)
                }
            }
        }
    };
}

serialize_beside_result!(MackResult, mack_std_err: Vec<f64>, total_mack_std_err: f64);
serialize_beside_result!(CapeCodResult, apriori: f64, apriori_by_origin: Vec<f64>, detrended_apriori: Vec<f64>);
serialize_beside_result!(Selected, method: Vec<Method>);

/// Everything one recalculation produces; its shape (and the JSON of the
/// command line) follows the reference fixtures' `expected` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Reserve {
    pub origins: Vec<String>,
    /// `"3-6"`, …: the development period of each factor; a tail adds the
    /// periods past the last age.
    pub ldf_labels: Vec<String>,
    pub ldf: Vec<f64>,
    /// Per development period of the triangle, whether its factor was typed
    /// by the actuary (`ldf_by_age`) rather than averaged.
    #[serde(default)]
    pub ldf_typed: Vec<bool>,
    pub cdf: Vec<f64>,
    pub tail_factor: f64,
    /// Mack's sigma and the standard error of each development factor (not
    /// the tail's). NaN (`null` in JSON) where no rule can estimate one.
    pub sigma: Vec<f64>,
    pub std_err: Vec<f64>,
    pub latest: Vec<f64>,
    /// Premium per origin, when the segment has it.
    pub premium: Option<Vec<f64>>,
    pub methods: Methods,
    pub selected: Selected,
    /// What the settings ask for that this triangle does not have, and
    /// what could not be computed.
    pub warnings: Vec<String>,
    /// Whether each link ratio counts in its factor: origins × development
    /// periods (`false` where excluded or not observed).
    #[serde(default)]
    pub included: Vec<Vec<bool>>,
}

/// Recalculates every method for a triangle. `premium`, when given, has one
/// finite value per origin of the triangle.
pub fn reserve(triangle: &Triangle, premium: Option<&[f64]>, settings: &Settings) -> Result<Reserve, EngineError> {
    reserve_listing(triangle, premium, settings, usize::MAX)
}

/// [`reserve`], with at most `max_warnings` warnings written out, the last
/// of them counting the rest ([`Listed`]): what a page shows on every
/// click, without the cost of warnings it would not show.
pub fn reserve_listing(
    triangle: &Triangle,
    premium: Option<&[f64]>,
    settings: &Settings,
    max_warnings: usize,
) -> Result<Reserve, EngineError> {
    if let Some(p) = premium {
        if p.len() != triangle.n_origins() {
            return Err(EngineError::Triangle(format!(
                "{} premium values for {} origins",
                p.len(),
                triangle.n_origins()
            )));
        }
        if let Some((o, x)) = triangle.origins().iter().zip(p).find(|(_, x)| !x.is_finite()) {
            return Err(EngineError::Triangle(format!("premium of origin {o} is {x}, not a finite number")));
        }
    }
    let origins = triangle.origins();
    let mut warnings = Listed::new(max_warnings);

    // Development → tail → methods.
    let dev = develop(triangle, settings, &mut warnings);
    let tail = apply_tail(triangle, &dev, settings, &mut warnings);
    let pos = Positions::new(triangle, &tail);
    let latest = pos.latest.clone();

    let chainladder = MethodResult::from_ultimates(chainladder(&pos), &latest);
    let mack = match mack(&dev, &tail, &pos, &tail.labels) {
        Ok(m) => {
            Some(MackResult { result: chainladder.clone(), mack_std_err: m.mack_std_err, total_mack_std_err: m.total })
        }
        Err(why) => {
            warnings.warn(format_args!("mack: {why}; no standard errors"));
            None
        }
    };

    warn_unknown_origins("bf_apriori_by_uwy", settings.bf_apriori_by_uwy.keys(), triangle, &mut warnings);
    let (mut bornhuetter_ferguson, mut benktander_result, mut cape_cod_result) = (None, None, None);
    if let Some(p) = premium {
        let expected: Vec<f64> = origins.iter().zip(p).map(|(o, p)| p * settings.apriori(o)).collect();
        bornhuetter_ferguson = Some(MethodResult::from_ultimates(benktander(&pos, &expected, 1), &latest));
        benktander_result =
            Some(MethodResult::from_ultimates(benktander(&pos, &expected, settings.benktander_iterations), &latest));
        match cape_cod(triangle, &pos, p, settings.cape_cod_trend, settings.cape_cod_decay) {
            Ok(cc) => {
                cape_cod_result = Some(CapeCodResult {
                    result: MethodResult::from_ultimates(cc.ultimate, &latest),
                    apriori: cc.pooled_apriori,
                    apriori_by_origin: cc.apriori,
                    detrended_apriori: cc.detrended_apriori,
                })
            }
            Err(why) => warnings.warn(format_args!("cape_cod: {why}")),
        }
    }
    let methods =
        Methods { chainladder, mack, bornhuetter_ferguson, benktander: benktander_result, cape_cod: cape_cod_result };
    let selected = select(triangle, settings, &methods, &latest, &mut warnings);

    let n_cols = dev.len();
    let included = if n_cols == 0 {
        vec![Vec::new(); origins.len()]
    } else {
        dev.included.chunks(n_cols).map(<[bool]>::to_vec).collect()
    };
    Ok(Reserve {
        origins: origins.to_vec(),
        ldf_labels: tail.labels,
        ldf: tail.ldf,
        ldf_typed: dev.typed,
        cdf: tail.cdf,
        tail_factor: tail.tail_factor,
        sigma: dev.sigma,
        std_err: dev.std_err,
        latest,
        premium: premium.map(<[f64]>::to_vec),
        methods,
        selected,
        warnings: warnings.into_list(),
        included,
    })
}

/// Each origin's selected method (chain ladder unless the session says
/// otherwise), falling back to the chain ladder where that method has no
/// result.
/// The warning for a judgement about an origin the triangle does not have:
/// it is kept in the session (another triangle may have the origin) and
/// shown, never silently applied or lost.
pub(crate) fn warn_unknown_origin(warnings: &mut dyn Warn, key: &str, origin: &str) {
    warnings.warn(format_args!("{key}: the triangle has no origin {origin} (kept, not applied)"))
}

/// Warns of each of `origins` (the keys of the session's setting `key`) that
/// the triangle does not have.
fn warn_unknown_origins<'a>(
    key: &str,
    origins: impl IntoIterator<Item = &'a String>,
    triangle: &Triangle,
    warnings: &mut dyn Warn,
) {
    let known = crate::development::exclusions::OriginIndex::new(triangle);
    for o in origins.into_iter().filter(|o| known.find(o).is_none()) {
        warn_unknown_origin(warnings, key, o);
    }
}

fn select(
    triangle: &Triangle,
    settings: &Settings,
    methods: &Methods,
    latest: &[f64],
    warnings: &mut dyn Warn,
) -> Selected {
    warn_unknown_origins("selected_ultimate_by_uwy", settings.selected_ultimate_by_uwy.keys(), triangle, warnings);
    let mut method = Vec::with_capacity(latest.len());
    let mut ultimate = Vec::with_capacity(latest.len());
    for (i, o) in triangle.origins().iter().enumerate() {
        let wanted = settings.selected(o);
        let result = match wanted {
            Method::Chainladder => Some(&methods.chainladder),
            Method::BornhuetterFerguson => methods.bornhuetter_ferguson.as_ref(),
            Method::Benktander => methods.benktander.as_ref(),
            Method::CapeCod => methods.cape_cod.as_ref().map(|c| &c.result),
        };
        let (m, r) = match result {
            Some(r) => (wanted, r),
            None => {
                warnings.warn(format_args!(
                    "selected_ultimate_by_uwy: origin {o} selects {}, which has no result here (it needs premium); chainladder used",
                    wanted.name()
                ));
                (Method::Chainladder, &methods.chainladder)
            }
        };
        method.push(m);
        ultimate.push(r.ultimate[i]);
    }
    Selected { method, result: MethodResult::from_ultimates(ultimate, latest) }
}
