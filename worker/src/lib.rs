//! The recalculation worker's agent and its messages.
//!
//! Recalculation runs in a dedicated WebAssembly worker so that the page never
//! stalls, however large the triangle. The agent is a thin shell: it hands the
//! request to the engine and returns what the engine says, errors included,
//! as data (a panic here would silently kill the worker).
//!
//! Every request carries a sequence number that its answer repeats, so that
//! the page can drop an answer older than the one it already shows.

mod codec;

pub use codec::Structured;

use runoff_engine::{reserve, Reserve, Settings, Triangle};
use serde::{Deserialize, Serialize};
use yew_agent::prelude::oneshot;

/// One recalculation asked of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecalcRequest {
    /// Increases with every request a page sends.
    pub seq: u64,
    pub triangle: Triangle,
    /// Premium per origin of `triangle`, when the segment has it.
    pub premium: Option<Vec<f64>>,
    pub settings: Settings,
}

/// The worker's answer to the request numbered `seq`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecalcResponse {
    pub seq: u64,
    /// The results, or the engine's message saying what is wrong.
    pub result: Result<Reserve, String>,
}

/// Runs one request through the engine. Plain Rust, so tests call it natively.
pub fn recalculate(req: RecalcRequest) -> RecalcResponse {
    let result = reserve(&req.triangle, req.premium.as_deref(), &req.settings)
        .map_err(|e| e.to_string());
    RecalcResponse { seq: req.seq, result }
}

/// The agent registered in the worker and spawned by the page.
#[oneshot]
pub async fn Recalc(req: RecalcRequest) -> RecalcResponse {
    recalculate(req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::Grain;

    #[test]
    fn answers_carry_the_request_number_and_errors_as_text() {
        let t = Triangle::new(
            vec!["2000".into(), "2001".into()],
            vec![12, 24],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(100.0), Some(150.0)], vec![Some(110.0), None]],
        )
        .unwrap();
        let ok = recalculate(RecalcRequest {
            seq: 7,
            triangle: t.clone(),
            premium: None,
            settings: Settings::default(),
        });
        assert_eq!(ok.seq, 7);
        assert_eq!(ok.result.unwrap().methods.chainladder.total_ibnr, 55.0);
        let bad = recalculate(RecalcRequest {
            seq: 8,
            triangle: t,
            premium: Some(vec![1.0]),
            settings: Settings::default(),
        });
        assert_eq!(bad.seq, 8);
        assert!(bad.result.unwrap_err().contains("premium"));
    }
}
