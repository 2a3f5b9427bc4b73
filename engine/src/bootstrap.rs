//! The over-dispersed Poisson (ODP) bootstrap of the chain ladder (England &
//! Verrall 2002, with Shapland's hat-matrix adjustment, *Using the ODP
//! Bootstrap Model: A Practitioner's Guide*, 2016): the distribution of the
//! IBNR, per origin and in total, beside Mack's standard error.
//!
//! The resampling is chainladder-python 0.10.1's `BootstrapODPSample
//! (hat_adj=True)` followed by `Chainladder`, so that the two programs'
//! statistics agree within Monte Carlo error (`tests/bootstrap.rs`):
//!
//! 1. [`model`]: the fitted increments of the volume-weighted chain ladder,
//!    the scaled Pearson residuals, hat-adjusted, centred, and the scale
//!    parameter φ. Triangles that cannot be bootstrapped are refused here
//!    with the reason.
//! 2. [`simulate`], per simulation: a residual drawn with replacement for
//!    every observed cell gives a pseudo triangle, developed with the
//!    segment's own settings (averages, exclusions, per-column averages,
//!    typed factors, tail) by the same functions as `develop` and
//!    `apply_tail`; each origin's pseudo latest value is projected to
//!    ultimate, and with [`Process::Gamma`] each future increment is drawn
//!    from a gamma distribution with its mean and variance φ × mean.
//! 3. [`stats`]: mean, standard deviation, cv and NumPy-style percentiles.
//!
//! Made for a WebAssembly worker: no threads, no clock, no operating-system
//! randomness. A [`Bootstrap`] runs in chunks ([`Bootstrap::run_chunk`]) so
//! a page can show progress and stay responsive; simulation `k` draws from
//! its own random stream (ChaCha8, key from the seed, stream `k`), so the
//! figures depend on the seed alone, not on how the run was chunked. Buffers
//! are allocated once; a simulation allocates nothing unless the segment has
//! a tail (the tail's fit is `apply_tail` itself).

mod model;
mod simulate;
mod stats;

pub use stats::{Percentiles, PERCENTILES};

use crate::reserve::reserve;
use crate::session::Settings;
use crate::{EngineError, Triangle};
use serde::{Deserialize, Serialize};
use simulate::Simulator;

/// The most simulations one bootstrap runs: enough for the 99.5th
/// percentile's Monte Carlo error to be well under 1 %, few enough that the
/// work is bounded.
pub const MAX_SIMS: usize = 1_000_000;

/// The most simulated IBNR figures one bootstrap keeps (simulations ×
/// (origins + 1), 8 bytes each: 200 MB). Percentiles need every figure.
pub const MAX_FIGURES: usize = 25_000_000;

/// Whether process risk is added to the projected increments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Process {
    /// Each future increment drawn from a gamma distribution with mean `m`
    /// and variance `φ·|m|` (the sign of `m` kept): the predictive
    /// distribution, as chainladder-python's `Chainladder` on
    /// `BootstrapODPSample().fit_transform(X)` gives it.
    #[default]
    Gamma,
    /// The projections of the pseudo triangles only (parameter risk), as
    /// `Chainladder` on `BootstrapODPSample().fit(X).resampled_triangles_`.
    None,
}

impl Process {
    /// Every variant with its name in the session file and on the command line.
    pub const ALL: &'static [(Process, &'static str)] = &[(Process::Gamma, "gamma"), (Process::None, "none")];

    pub fn name(self) -> &'static str {
        match self {
            Process::Gamma => "gamma",
            Process::None => "none",
        }
    }

    pub fn from_name(s: &str) -> Option<Process> {
        Process::ALL.iter().find(|(_, n)| *n == s).map(|(p, _)| *p)
    }
}

/// How to run a bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BootstrapOptions {
    /// The number of simulations, 1 to [`MAX_SIMS`].
    pub sims: usize,
    /// The seed: the same seed gives the same figures, bit for bit.
    pub seed: u64,
    pub process: Process,
    /// Hat-adjust the residuals (Shapland eq. 3.23). Without it they are
    /// used as they are, as chainladder-python's `hat_adj=False` does (its
    /// documentation mentions a degrees-of-freedom factor that its code does
    /// not apply).
    pub hat_adj: bool,
}

impl Default for BootstrapOptions {
    fn default() -> BootstrapOptions {
        BootstrapOptions { sims: 10_000, seed: 0, process: Process::Gamma, hat_adj: true }
    }
}

/// How far a run has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// The statistics of the simulated IBNR of the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IbnrStatistics {
    pub mean: f64,
    /// The sample standard deviation (divisor n − 1).
    pub std: f64,
    /// `std / mean`; NaN (`null`) where the mean is 0.
    pub cv: f64,
    pub percentiles: Percentiles,
    /// Mack's standard error of the same IBNR (from [`reserve`]); `None`
    /// where Mack's method cannot run.
    pub mack_std_err: Option<f64>,
    /// The chain ladder's IBNR of the triangle itself.
    pub chainladder_ibnr: f64,
}

/// The same statistics for one origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OriginStatistics {
    pub origin: String,
    pub mean: f64,
    pub std: f64,
    pub cv: f64,
    pub percentiles: Percentiles,
    pub mack_std_err: Option<f64>,
    pub chainladder_ibnr: f64,
}

/// What a bootstrap has found so far (over the simulations run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootstrapSummary {
    /// Simulations the statistics are over.
    pub sims: usize,
    pub seed: u64,
    pub process: Process,
    /// Whether the residuals were hat-adjusted (asked for, and the hat
    /// matrix could be computed).
    pub hat_adjusted: bool,
    /// The scale parameter φ.
    pub scale: f64,
    /// How many residuals the samples are drawn from.
    pub residuals: usize,
    pub total: IbnrStatistics,
    pub origins: Vec<OriginStatistics>,
    /// What the settings ask for that the triangle does not have (as
    /// `reserve` reports it), and what the bootstrap had to do differently.
    pub warnings: Vec<String>,
}

/// One simulation's pseudo triangle and the factors taken from it.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapSample {
    /// The pseudo cumulative triangle, with the triangle's labels.
    pub triangle: Triangle,
    /// The development factors the projection used (a curve tail refits them
    /// from its attachment age), one per development period.
    pub ldf: Vec<f64>,
    /// The age-to-ultimate factors, tail included.
    pub cdf: Vec<f64>,
    pub tail_factor: f64,
}

/// A bootstrap of one triangle under one segment's settings: made by
/// [`Bootstrap::new`], advanced by [`Bootstrap::run_chunk`], read by
/// [`Bootstrap::summary`] at any point.
pub struct Bootstrap {
    origins: Vec<String>,
    options: BootstrapOptions,
    model: model::Model,
    sim: Simulator,
    done: usize,
    /// Simulated IBNR, origin-major: origin `i`'s simulations at
    /// `i * sims ..`, the total's after the last origin's.
    ibnr: Vec<f64>,
    scratch: Vec<f64>,
    chainladder: Vec<f64>,
    mack: Option<(Vec<f64>, f64)>,
    warnings: Vec<String>,
}

impl Bootstrap {
    /// Prepares the bootstrap of `triangle` under `settings`: checks that it
    /// can be bootstrapped (an error says why not), fits the model and
    /// reserves room for every simulation's figures.
    pub fn new(triangle: &Triangle, settings: &Settings, options: BootstrapOptions) -> Result<Bootstrap, EngineError> {
        let sims = options.sims;
        if sims == 0 || sims > MAX_SIMS {
            return Err(EngineError::Triangle(format!(
                "cannot bootstrap: {sims} simulations asked for; the bootstrap runs 1 to {MAX_SIMS}"
            )));
        }
        let n_origins = triangle.n_origins();
        let figures = sims.saturating_mul(n_origins + 1);
        if figures > MAX_FIGURES {
            return Err(EngineError::Triangle(format!(
                "cannot bootstrap: {sims} simulations of {n_origins} origins would keep {figures} figures, more than {MAX_FIGURES}; at most {} simulations for this triangle",
                MAX_FIGURES / (n_origins + 1)
            )));
        }
        let r = reserve(triangle, None, settings)?;
        let mut warnings = r.warnings;
        let model = model::fit(triangle, settings, options.hat_adj, &mut warnings)?;
        let sim = Simulator::new(triangle, settings, options.seed, options.process == Process::Gamma)?;
        let mut ibnr = Vec::new();
        ibnr.try_reserve_exact(figures).map_err(|_| {
            EngineError::Triangle(format!(
                "cannot bootstrap: no memory for {figures} simulated figures; ask for fewer simulations"
            ))
        })?;
        ibnr.resize(figures, 0.0);
        Ok(Bootstrap {
            origins: triangle.origins().to_vec(),
            options,
            model,
            sim,
            done: 0,
            ibnr,
            scratch: vec![0.0; n_origins],
            chainladder: r.methods.chainladder.ibnr.clone(),
            mack: r.methods.mack.map(|m| (m.mack_std_err, m.total_mack_std_err)),
            warnings,
        })
    }

    /// Runs up to `n` more simulations; returns how many ran (0 once all
    /// have).
    pub fn run_chunk(&mut self, n: usize) -> usize {
        let sims = self.options.sims;
        let end = self.done.saturating_add(n).min(sims);
        let n_origins = self.origins.len();
        for k in self.done..end {
            let total = self.sim.run(&self.model, k as u64, &mut self.scratch);
            for (i, v) in self.scratch.iter().enumerate() {
                self.ibnr[i * sims + k] = *v;
            }
            self.ibnr[n_origins * sims + k] = total;
        }
        let ran = end - self.done;
        self.done = end;
        ran
    }

    /// Runs every simulation left.
    pub fn run(&mut self) {
        self.run_chunk(self.options.sims);
    }

    pub fn progress(&self) -> Progress {
        Progress { done: self.done, total: self.options.sims }
    }

    pub fn is_done(&self) -> bool {
        self.done == self.options.sims
    }

    pub fn options(&self) -> BootstrapOptions {
        self.options
    }

    /// The scale parameter φ.
    pub fn scale(&self) -> f64 {
        self.model.scale
    }

    /// The residuals the samples are drawn from, before centring, in the
    /// triangle's row-major order (hat-adjusted when [`Self::hat_adjusted`]).
    pub fn residuals(&self) -> &[f64] {
        &self.model.residuals
    }

    pub fn hat_adjusted(&self) -> bool {
        self.model.hat_adjusted
    }

    /// The simulated IBNR of the simulations run so far: of origin `i`, or
    /// of the total with `i` = the number of origins.
    pub fn simulated(&self, i: usize) -> &[f64] {
        let sims = self.options.sims;
        self.ibnr.get(i * sims..i * sims + self.done).unwrap_or(&[])
    }

    /// Simulation `k`'s pseudo triangle and factors (whether or not it has
    /// run): what the page can show as an example, and what the tests
    /// compare with `develop`.
    pub fn sample(&mut self, k: usize) -> Result<BootstrapSample, EngineError> {
        let before = self.sim.tail_warnings.clone();
        let (triangle, ldf, cdf, tail_factor) = self.sim.sample(&self.model, k as u64)?;
        self.sim.tail_warnings = before;
        Ok(BootstrapSample { triangle, ldf, cdf, tail_factor })
    }

    /// The statistics over the simulations run so far (NaN before any).
    pub fn summary(&self) -> BootstrapSummary {
        let n_origins = self.origins.len();
        let mut buffer = Vec::with_capacity(self.done);
        let mut describe = |i: usize| {
            buffer.clear();
            buffer.extend_from_slice(self.simulated(i));
            stats::describe(&mut buffer)
        };
        let origins = (0..n_origins)
            .map(|i| {
                let (mean, std, cv, percentiles) = describe(i);
                OriginStatistics {
                    origin: self.origins[i].clone(),
                    mean,
                    std,
                    cv,
                    percentiles,
                    mack_std_err: self.mack.as_ref().map(|(m, _)| m[i]),
                    chainladder_ibnr: self.chainladder[i],
                }
            })
            .collect();
        let (mean, std, cv, percentiles) = describe(n_origins);
        let mut warnings = self.warnings.clone();
        for (w, n) in &self.sim.tail_warnings {
            warnings.push(format!("in {n} of the simulations: {w}"));
        }
        BootstrapSummary {
            sims: self.done,
            seed: self.options.seed,
            process: self.options.process,
            hat_adjusted: self.model.hat_adjusted,
            scale: self.model.scale,
            residuals: self.model.pool.len(),
            total: IbnrStatistics {
                mean,
                std,
                cv,
                percentiles,
                mack_std_err: self.mack.as_ref().map(|(_, t)| *t),
                chainladder_ibnr: self.chainladder.iter().sum(),
            },
            origins,
            warnings,
        }
    }
}
