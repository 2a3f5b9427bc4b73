//! The reserve range: the ODP bootstrap ([`runoff_engine::bootstrap`]) run
//! in a worker of its own (`src/bin/range.rs`), so that the recalculation
//! worker never waits behind simulations and a click elsewhere in the page
//! is answered at once while a run goes on.
//!
//! The page posts a [`RangeJob`] (bincode, as [`crate::codec`]); a run is
//! numbered by the page, and every [`RangeAnswer`] repeats its number, so
//! that the page shows only the run for its latest settings. The worker
//! runs the simulations in chunks of a few tens of milliseconds, posts the
//! progress after each and reads the page's messages between them: a new
//! run replaces the one going on, a cancel stops it. At the end it posts
//! the table and the histogram as markup (escaped, as the other exhibits)
//! and the figures as CSV for Export results, so the page carries neither
//! the statistics' types nor the code that lays them out.
//!
//! The figures are [`Bootstrap::summary`]'s, the command line's (`runoff
//! bootstrap`) for the same triangle, settings and seed, bit for bit.

#[cfg(test)]
use crate::format;
use crate::markup::Out;
use runoff_engine::bootstrap::{Bootstrap, BootstrapOptions, BootstrapSummary};
use runoff_engine::{export, Settings, Triangle};
use serde::{Deserialize, Serialize};

/// What the page asks of the range worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RangeJob {
    /// Bootstrap `triangle` (the measure `measure`) under `settings`, with
    /// the session's `bootstrap_sims`, `bootstrap_seed` and
    /// `bootstrap_process`; any run going on stops.
    Run { run: u64, triangle: Triangle, settings: Box<Settings>, measure: String },
    /// Stop run `run` (nothing happens if it is not the one going on).
    Cancel { run: u64 },
}

/// Where run `run` is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RangeAnswer {
    pub run: u64,
    /// Simulations run, of `total`.
    pub done: u32,
    pub total: u32,
    pub state: RangeState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RangeState {
    Running,
    /// Every simulation has run: the exhibit (table, then histogram) and
    /// the table as CSV.
    Done {
        markup: String,
        csv: String,
    },
    /// Stopped at the page's request, after `done` simulations.
    Cancelled,
    /// The triangle cannot be bootstrapped: the engine's reason.
    Failed(String),
}

/// A run going on in the worker.
pub struct Run {
    pub id: u64,
    boot: Bootstrap,
    measure: String,
}

impl Run {
    /// Prepares run `id`; the error is the engine's reason the triangle
    /// cannot be bootstrapped.
    pub fn start(id: u64, triangle: &Triangle, settings: &Settings, measure: String) -> Result<Run, String> {
        let options = BootstrapOptions {
            sims: settings.bootstrap_sims as usize,
            seed: settings.bootstrap_seed,
            process: settings.bootstrap_process,
            hat_adj: true,
        };
        let boot = Bootstrap::new(triangle, settings, options).map_err(|e| e.to_string())?;
        Ok(Run { id, boot, measure })
    }

    /// Runs up to `n` more simulations; the answer says how far the run is,
    /// with the figures once it is done.
    pub fn step(&mut self, n: usize) -> RangeAnswer {
        self.boot.run_chunk(n);
        let state = if self.boot.is_done() {
            let s = self.boot.summary();
            let chart = histogram(self.boot.simulated(s.origins.len()), &s);
            // The table and the histogram, each written by an `Out` of its own.
            let mut markup = Out::default();
            markup.raw_markup(&table(&s, &self.measure)).raw_markup(&chart);
            RangeState::Done { markup: markup.done(), csv: csv(&s) }
        } else {
            RangeState::Running
        };
        self.answer(state)
    }

    /// The answer saying the run was cancelled where it is.
    pub fn cancelled(&self) -> RangeAnswer {
        self.answer(RangeState::Cancelled)
    }

    fn answer(&self, state: RangeState) -> RangeAnswer {
        let p = self.boot.progress();
        RangeAnswer { run: self.id, done: p.done as u32, total: p.total as u32, state }
    }
}

/// The statistics' column headers, in the order [`row`] writes them.
const HEADERS: [&str; 11] = [
    "Mean",
    "Standard deviation",
    "Coefficient of variation",
    "50th percentile",
    "75th percentile",
    "90th percentile",
    "95th percentile",
    "99th percentile",
    "99.5th percentile",
    "Mack standard error",
    "Chain ladder IBNR",
];

/// One line of figures: mean, std, cv, percentiles, Mack, chain ladder.
fn figures(mean: f64, std: f64, cv: f64, p: [f64; 6], mack: Option<f64>, cl: f64) -> [f64; 11] {
    [mean, std, cv, p[0], p[1], p[2], p[3], p[4], p[5], mack.unwrap_or(f64::NAN), cl]
}

fn row(o: &mut Out, class: &'static str, label: &str, f: [f64; 11]) {
    o.lit("<tr").lit(class).lit(">").cell("th scope=\"row\"", "", label);
    for (k, x) in f.iter().enumerate() {
        o.lit("<td>").fig(*x, if k == 2 { 3 } else { 2 }).lit("</td>");
    }
    o.lit("</tr>");
}

/// The table of the simulated IBNR. Origins are rows and statistics
/// columns (the transpose of a statistic per row): the results table lists
/// origins down the page too, and a segment of 45 or 120 origins then grows
/// downwards while the eleven statistics keep to the page's width. The
/// total comes first, as the figure read first.
pub fn table(s: &BootstrapSummary, measure: &str) -> String {
    let mut o = Out::with_capacity(200 * (s.origins.len() + 4));
    o.lit("<div class=\"scroll\"><table class=\"views-table range-table\" aria-label=\"Reserve distribution\"><caption>IBNR of ")
        .text(measure)
        .lit(" from ")
        .fig(s.sims as f64, 0)
        .lit(" simulations (seed ")
        .text(&s.seed.to_string())
        .lit(", process risk ")
        .lit(s.process.name())
        .lit("; scale φ ")
        .fig(s.scale, 2)
        .lit(", ")
        .fig(s.residuals as f64, 0)
        .lit(if s.hat_adjusted { " residuals, hat-adjusted)" } else { " residuals, not hat-adjusted)" })
        .lit("</caption><thead><tr><th scope=\"col\">Origin</th>");
    for h in HEADERS {
        o.cell("th scope=\"col\"", "", h);
    }
    o.lit("</tr></thead><tbody>");
    let t = &s.total;
    row(
        &mut o,
        " class=\"total\"",
        "Total",
        figures(t.mean, t.std, t.cv, t.percentiles.values(), t.mack_std_err, t.chainladder_ibnr),
    );
    for r in &s.origins {
        row(
            &mut o,
            "",
            &r.origin,
            figures(r.mean, r.std, r.cv, r.percentiles.values(), r.mack_std_err, r.chainladder_ibnr),
        );
    }
    o.lit("</tbody></table></div>");
    if !s.warnings.is_empty() {
        o.lit("<ul class=\"warnings\" aria-label=\"Bootstrap warnings\">");
        for w in &s.warnings {
            o.cell("li", "", w);
        }
        o.lit("</ul>");
    }
    o.done()
}

/// The figures as CSV for Export results: a row per origin, then `Total`,
/// with the run's settings on every row (numbers as the command line's
/// `--format csv` writes them).
pub fn csv(s: &BootstrapSummary) -> String {
    let header = "origin,ibnr_mean,ibnr_std,ibnr_cv,ibnr_p50,ibnr_p75,ibnr_p90,ibnr_p95,ibnr_p99,ibnr_p99_5,mack_std_err,chainladder_ibnr,simulations,seed,process";
    let run = [s.sims.to_string(), s.seed.to_string(), s.process.name().to_string()];
    let header = header.split(',').map(String::from).collect();
    let rows = export::bootstrap_rows(s).into_iter().map(|mut row| {
        row.extend(run.iter().cloned());
        row
    });
    export::csv_text(std::iter::once(header).chain(rows))
}

/// The histogram's size in viewBox units and margins.
const W: f64 = 720.0;
const H: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 58.0;
const BOTTOM: f64 = 40.0;
/// Bars of the histogram.
pub const BINS: usize = 40;

/// The histogram's range and counts: `BINS` bars of equal width from `lo`
/// to `hi`, and how many simulations fall below and above.
#[derive(Debug, Clone, PartialEq)]
pub struct Bins {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u32>,
    pub below: u32,
    pub above: u32,
}

/// Bins the simulated totals. A reserve distribution's tails can run a
/// hundred times past its median (a pseudo triangle with a first column
/// near 0), so the bars span from the median less its distance to the
/// 99.5th percentile (or the 0.25th percentile, or the mean, if higher or
/// lower) to a little past the 99.5th percentile, which holds every marker;
/// the simulations outside are counted and said.
pub fn bins(values: &[f64], s: &BootstrapSummary) -> Bins {
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let p995 = s.total.percentiles.p99_5;
    let mut low = finite.clone();
    let lo_rank = (finite.len() as f64 * 0.0025) as usize;
    let lo =
        if low.is_empty() { 0.0 } else { *low.select_nth_unstable_by(lo_rank.min(finite.len() - 1), f64::total_cmp).1 };
    let p50 = s.total.percentiles.p50;
    let lo = lo.max(p50 - (p995 - p50)).min(s.total.mean);
    let hi = p995 + 0.08 * (p995 - lo).abs().max(1.0);
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 1.0, lo + 1.0) };
    let mut b = Bins { lo, hi, counts: vec![0; BINS], below: 0, above: 0 };
    let width = (hi - lo) / BINS as f64;
    for x in finite {
        if x < lo {
            b.below += 1;
        } else if x > hi {
            b.above += 1;
        } else {
            let k = (((x - lo) / width) as usize).min(BINS - 1);
            b.counts[k] += 1;
        }
    }
    b
}

/// A round step for about `n` ticks over `span`.
fn step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag)
}

/// The SVG histogram of the total IBNR with the mean and the 75th, 95th and
/// 99.5th percentiles marked and labelled, in a figure with a caption.
pub fn histogram(values: &[f64], s: &BootstrapSummary) -> String {
    let b = bins(values, s);
    let max = b.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let x = |v: f64| LEFT + (W - LEFT - RIGHT) * (v - b.lo) / (b.hi - b.lo);
    let y = |c: f64| H - BOTTOM - (H - TOP - BOTTOM) * c / max;
    let p = &s.total.percentiles;
    let mut o = Out::with_capacity(8192);
    o.lit("<figure class=\"range-chart\"><svg viewBox=\"0 0 ")
        .n(W, 0)
        .lit(" ")
        .n(H, 0)
        .lit("\" role=\"img\" aria-label=\"Distribution of the total IBNR\"><desc>Histogram of the total IBNR of ")
        .fig(s.sims as f64, 0)
        .lit(" simulations: mean ")
        .fig(s.total.mean, 2)
        .lit(", 75th percentile ")
        .fig(p.p75, 2)
        .lit(", 95th percentile ")
        .fig(p.p95, 2)
        .lit(", 99.5th percentile ")
        .fig(p.p99_5, 2)
        .lit(".</desc>");
    // Axes and ticks.
    let base = H - BOTTOM;
    o.lit("<line class=\"axis\" x1=\"")
        .n(LEFT, 1)
        .lit("\" y1=\"")
        .n(base, 1)
        .lit("\" x2=\"")
        .n(W - RIGHT, 1)
        .lit("\" y2=\"")
        .n(base, 1)
        .lit("\"/>");
    let xs = step(b.hi - b.lo, 6.0);
    let mut t = (b.lo / xs).ceil() * xs;
    while t <= b.hi {
        o.lit("<text class=\"tick\" text-anchor=\"middle\" x=\"")
            .n(x(t), 1)
            .lit("\" y=\"")
            .n(base + 16.0, 1)
            .lit("\">")
            .fig(t, 0)
            .lit("</text>");
        t += xs;
    }
    let ys = step(max, 4.0).max(1.0);
    let mut c = 0.0;
    while c <= max {
        o.lit("<text class=\"tick\" text-anchor=\"end\" x=\"")
            .n(LEFT - 6.0, 1)
            .lit("\" y=\"")
            .n(y(c) + 4.0, 1)
            .lit("\">")
            .fig(c, 0)
            .lit("</text>");
        c += ys;
    }
    o.lit("<text class=\"axis-label\" text-anchor=\"middle\" x=\"")
        .n((LEFT + W - RIGHT) / 2.0, 1)
        .lit("\" y=\"")
        .n(H - 4.0, 1)
        .lit("\">Total IBNR</text><text class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90)\" x=\"")
        .n(-(TOP + base) / 2.0, 1)
        .lit("\" y=\"14\">Simulations</text>");
    // The bars.
    let bw = (W - LEFT - RIGHT) / BINS as f64;
    for (k, n) in b.counts.iter().enumerate() {
        if *n > 0 {
            let top = y(*n as f64);
            o.lit("<rect class=\"bar\" x=\"")
                .n(LEFT + k as f64 * bw + 0.5, 1)
                .lit("\" y=\"")
                .n(top, 1)
                .lit("\" width=\"")
                .n(bw - 1.0, 1)
                .lit("\" height=\"")
                .n(base - top, 1)
                .lit("\"/>");
        }
    }
    // The markers, their labels staggered so that close ones stay legible.
    let marks = [("mean", s.total.mean), ("75th", p.p75), ("95th", p.p95), ("99.5th", p.p99_5)];
    for (k, (name, v)) in marks.iter().enumerate() {
        if !v.is_finite() {
            continue;
        }
        let at = x(*v);
        let label_y = 14.0 + 12.0 * k as f64;
        let anchor = if at > W - 120.0 { "end" } else { "start" };
        let dx = if anchor == "end" { -3.0 } else { 3.0 };
        o.lit("<line class=\"mark\" x1=\"")
            .n(at, 1)
            .lit("\" y1=\"")
            .n(label_y - 8.0, 1)
            .lit("\" x2=\"")
            .n(at, 1)
            .lit("\" y2=\"")
            .n(base, 1)
            .lit("\"/>");
        o.lit("<text class=\"mark-label\" text-anchor=\"")
            .lit(anchor)
            .lit("\" x=\"")
            .n(at + dx, 1)
            .lit("\" y=\"")
            .n(label_y, 1)
            .lit("\">")
            .lit(name)
            .lit(" ")
            .fig(*v, 0)
            .lit("</text>");
    }
    o.lit("</svg><figcaption>Total IBNR of ")
        .fig(s.sims as f64, 0)
        .lit(" simulations in ")
        .n(BINS as f64, 0)
        .lit(" bars of ")
        .fig((b.hi - b.lo) / BINS as f64, 0)
        .lit(" each");
    if b.below + b.above > 0 {
        o.lit("; not drawn: ");
        if b.below > 0 {
            o.fig(b.below as f64, 0).lit(" below ").fig(b.lo, 0);
        }
        if b.below > 0 && b.above > 0 {
            o.lit(" and ");
        }
        if b.above > 0 {
            o.fig(b.above as f64, 0)
                .lit(" above ")
                .fig(b.hi, 0)
                .lit(" (the largest ")
                .fig(values.iter().copied().filter(|v| v.is_finite()).fold(f64::MIN, f64::max), 0)
                .lit(")");
        }
    }
    o.lit(".</figcaption></figure>");
    o.done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::Grain;

    /// A figure as the table shows it.
    fn shown(x: f64) -> String {
        format::number(x, 2)
    }

    fn raa() -> Triangle {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/data/raa.csv")).unwrap();
        let p = runoff_engine::input::inspect(&text).unwrap();
        runoff_engine::input::read_mapped(&text, &p.mapping).unwrap().measures.remove(0).1
    }

    #[test]
    fn chunked_runs_give_the_engines_figures_and_the_exhibits() {
        let t = raa();
        let s = Settings { bootstrap_sims: 1000, bootstrap_seed: 7, ..Settings::default() };
        let mut run = Run::start(3, &t, &s, "paid <net>".into()).unwrap();
        let first = run.step(300);
        assert_eq!((first.run, first.done, first.total, first.state), (3, 300, 1000, RangeState::Running));
        assert_eq!(run.cancelled().state, RangeState::Cancelled);
        let mut last = run.step(300);
        while last.state == RangeState::Running {
            last = run.step(300);
        }
        let RangeState::Done { markup, csv } = last.state else { panic!("{last:?}") };
        assert_eq!(last.done, 1000);
        // The same as one run of the engine.
        let options = BootstrapOptions { sims: 1000, seed: 7, process: s.bootstrap_process, hat_adj: true };
        let mut whole = Bootstrap::new(&t, &s, options).unwrap();
        whole.run();
        let sum = whole.summary();
        let total = format!(
            "<tr class=\"total\"><th scope=\"row\">Total</th><td>{}</td><td>{}</td>",
            shown(sum.total.mean),
            shown(sum.total.std)
        );
        assert!(markup.contains(&total), "{markup}");
        assert!(
            markup.contains(&format!(
                "<td>{}</td><td>{}</td><td>{}</td></tr>",
                shown(sum.total.percentiles.p99_5),
                shown(sum.total.mack_std_err.unwrap()),
                shown(sum.total.chainladder_ibnr)
            )),
            "{markup}"
        );
        assert!(
            markup.contains("aria-label=\"Reserve distribution\"")
                && markup.contains("IBNR of paid &lt;net&gt; from 1,000 simulations (seed 7"),
            "{markup}"
        );
        assert!(markup.contains("role=\"img\" aria-label=\"Distribution of the total IBNR\""));
        for label in ["mean ", "75th ", "95th ", "99.5th "] {
            assert!(markup.contains(&format!("\">{label}")), "{label}");
        }
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 12);
        assert!(lines[11].starts_with(&format!("Total,{},{},", sum.total.mean, sum.total.std)), "{csv}");
        assert!(lines[11].ends_with(",1000,7,gamma"), "{csv}");
    }

    #[test]
    fn a_triangle_that_cannot_be_bootstrapped_says_why() {
        let t =
            Triangle::new(vec!["2000".into()], vec![12], Grain::Yearly, Grain::Yearly, vec![vec![Some(1.0)]]).unwrap();
        let e = Run::start(1, &t, &Settings::default(), "paid".into()).err().unwrap();
        assert!(e.contains("bootstrap"), "{e}");
    }

    #[test]
    fn the_histogram_holds_the_markers_and_counts_what_it_leaves_out() {
        let t = raa();
        let s = Settings { bootstrap_sims: 500, ..Settings::default() };
        let mut run = Run::start(1, &t, &s, "x".into()).unwrap();
        run.boot.run();
        let sum = run.boot.summary();
        let values = run.boot.simulated(sum.origins.len()).to_vec();
        let b = bins(&values, &sum);
        assert!(b.lo <= sum.total.mean && b.hi >= sum.total.percentiles.p99_5);
        let counted: u32 = b.counts.iter().sum::<u32>() + b.below + b.above;
        assert_eq!(counted as usize, values.len());
        assert!(b.above > 0 && b.above <= 3, "{b:?}");
        assert_eq!(step(1234.0, 6.0), 250.0);
        assert_eq!(step(0.9, 4.0), 0.25);
    }
}
