//! The emergence chart: how much of each origin's ultimate had emerged at
//! each development age, against the selected development pattern. An origin
//! whose line runs above the pattern is developing faster than the pattern
//! assumes (its remaining IBNR may be overstated), one below it slower.
//!
//! Each origin's line is its cumulative value at each observed age over its
//! selected ultimate. The pattern is 100 / CDF at each age: `cdf[k]` is the
//! factor from the starting age of `ldf_labels[k]` (`"12-24"` → 12) to
//! ultimate, so the age is read from the label; past the last factor (no
//! tail) the pattern is at 100%. A tail's periods extend the pattern past
//! the triangle's last age.
//!
//! An inline SVG sized by its viewBox, so it fills its container's width,
//! written by the worker with each recalculation of the chain ladder view.
//! The geometry (scales, ticks, point lists) is in plain functions, tested
//! natively.

use crate::format;
use crate::markup::Out;
use runoff_engine::{Reserve, Triangle};

/// The drawing's size in viewBox units and its margins.
pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 360.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 42.0;

/// The y axis never runs beyond these (a wild cell would squash every line
/// into a sliver); points outside are clipped.
const Y_CAP_HIGH: f64 = 200.0;
const Y_CAP_LOW: f64 = -100.0;

/// Colours of the origins' lines, repeated for more origins; chosen to be
/// told apart and to stay readable on white.
const PALETTE: [&str; 12] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#637939",
];

/// The colour of the `i`-th origin's line.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// One origin's line: (age in months, % of ultimate).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub origin: String,
    pub points: Vec<(f64, f64)>,
}

/// Each origin's emergence: cumulative value over its selected ultimate, in
/// percent, at each observed age. Origins are matched to the results by
/// label; an origin without a usable ultimate (missing, zero or not finite)
/// has no line.
pub fn origin_series(t: &Triangle, r: &Reserve) -> Vec<Series> {
    t.origins()
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let k = r.origins.iter().position(|x| x == o)?;
            let ult = r.selected.result.ultimate.get(k).copied().filter(|u| u.is_finite() && *u != 0.0)?;
            let points: Vec<(f64, f64)> = t
                .ages()
                .iter()
                .enumerate()
                .filter_map(|(j, &a)| t.get(i, j).map(|v| (a as f64, 100.0 * v / ult)))
                .filter(|(_, y)| y.is_finite())
                .collect();
            (!points.is_empty()).then(|| Series { origin: o.clone(), points })
        })
        .collect()
}

/// The starting age of a development period label (`"12-24"` → 12).
fn label_start(label: &str) -> Option<u32> {
    label.split('-').next()?.trim().parse().ok()
}

/// The selected pattern: (age, 100 / CDF) at the start of each development
/// period, and 100% at the last age when no factor starts there (no tail).
/// A label that does not read falls back to the age at the same index.
pub fn pattern(ages: &[u32], labels: &[String], cdf: &[f64]) -> Vec<(f64, f64)> {
    let mut points: Vec<(u32, f64)> = cdf
        .iter()
        .enumerate()
        .filter_map(|(k, &f)| {
            let age = labels.get(k).and_then(|l| label_start(l)).or_else(|| ages.get(k).copied())?;
            (f.is_finite() && f > 0.0).then(|| (age, 100.0 / f))
        })
        .collect();
    if let Some(&last) = ages.last() {
        if !points.iter().any(|(a, _)| *a == last) && cdf.len() < ages.len() {
            points.push((last, 100.0));
        }
    }
    points.sort_by_key(|(a, _)| *a);
    points.dedup_by_key(|(a, _)| *a);
    points.into_iter().map(|(a, y)| (a as f64, y)).collect()
}

/// The most points of a tail the chart lists in its table: a session
/// allows 100 years of tail, up to 1,201 periods, which would be as many
/// rows and points on every recalculation. A longer tail is thinned evenly,
/// keeping its first and last points.
pub const MAX_TAIL_POINTS: usize = 12;

/// The selected pattern as the chart shows it: `listed` (the table) is the
/// pattern with its tail thinned to [`MAX_TAIL_POINTS`]; `drawn` is what of
/// the pattern lies within the axis, which runs past the triangle's last age by as
/// much again as the triangle's own span (at least a year), so that a long
/// tail does not squash the triangle into a sliver; `tail` is how many
/// points the tail had.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub drawn: Vec<(f64, f64)>,
    pub listed: Vec<(f64, f64)>,
    pub tail: usize,
}

/// The pattern as shown (see [`Shown`]) for a triangle whose last age is
/// `last_age`.
pub fn shown(pattern: &[(f64, f64)], last_age: f64) -> Shown {
    let split = pattern.iter().position(|(a, _)| *a > last_age).unwrap_or(pattern.len());
    let (body, tail) = pattern.split_at(split);
    let mut listed = body.to_vec();
    if tail.len() <= MAX_TAIL_POINTS {
        listed.extend_from_slice(tail);
    } else {
        // Evenly by index, the first and the last included.
        let step = (tail.len() - 1) as f64 / (MAX_TAIL_POINTS - 1) as f64;
        listed.extend((0..MAX_TAIL_POINTS).map(|k| tail[((k as f64 * step).round() as usize).min(tail.len() - 1)]));
    }
    let reach = last_age + last_age.max(12.0);
    // Within that reach every point is drawn: no more of them than the
    // triangle has ages.
    let drawn = pattern.iter().copied().filter(|(a, _)| *a <= reach).collect();
    Shown { drawn, listed, tail: tail.len() }
}

/// The axes' ranges and tick steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub x_max: f64,
    pub x_step: f64,
    pub y_min: f64,
    pub y_max: f64,
    pub y_step: f64,
}

/// Round steps for an age axis in months, smallest first.
const AGE_STEPS: [f64; 11] = [1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 48.0, 60.0, 120.0, 240.0];

/// The frame that holds every point: ages from 0, at most about ten age
/// ticks; percentages from 0 (or below, for negative values) to at least
/// 100, capped at [`Y_CAP_LOW`]..[`Y_CAP_HIGH`].
pub fn frame<'a>(points: impl Iterator<Item = &'a (f64, f64)>) -> Frame {
    let (mut x_hi, mut y_lo, mut y_hi) = (0.0_f64, 0.0_f64, 100.0_f64);
    for &(x, y) in points {
        if x.is_finite() {
            x_hi = x_hi.max(x);
        }
        if y.is_finite() {
            y_lo = y_lo.min(y);
            y_hi = y_hi.max(y);
        }
    }
    let x_hi = if x_hi > 0.0 { x_hi } else { 12.0 };
    let x_step = AGE_STEPS.iter().copied().find(|s| x_hi / s <= 10.0).unwrap_or(480.0);
    let y_lo = y_lo.max(Y_CAP_LOW);
    let y_hi = y_hi.min(Y_CAP_HIGH);
    let y_step = if y_hi - y_lo <= 120.0 {
        10.0
    } else if y_hi - y_lo <= 200.0 {
        20.0
    } else {
        50.0
    };
    Frame {
        x_max: (x_hi / x_step).ceil() * x_step,
        x_step,
        y_min: (y_lo / y_step).floor() * y_step,
        y_max: (y_hi / y_step).ceil() * y_step,
        y_step,
    }
}

/// Ticks from `min` to `max` by `step` (inclusive, without float drift).
pub fn ticks(min: f64, max: f64, step: f64) -> Vec<f64> {
    // Written so that a NaN anywhere also gives no ticks.
    let drawable = step > 0.0 && max >= min;
    if !drawable {
        return Vec::new();
    }
    let n = ((max - min) / step + 1e-9).floor() as usize;
    (0..=n.min(1000)).map(|k| min + k as f64 * step).collect()
}

impl Frame {
    /// The horizontal position of an age.
    pub fn x(&self, age: f64) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * age / self.x_max
    }

    /// The vertical position of a percentage.
    pub fn y(&self, pct: f64) -> f64 {
        let span = self.y_max - self.y_min;
        let share = if span > 0.0 { (pct - self.y_min) / span } else { 0.0 };
        HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * share
    }

    /// An SVG `points` attribute for a line.
    pub fn polyline(&self, points: &[(f64, f64)]) -> String {
        points
            .iter()
            .fold(Out::default(), |mut o, &(a, p)| {
                if !o.is_empty() {
                    o.lit(" ");
                }
                o.n(self.x(a), 1).lit(",").n(self.y(p), 1);
                o
            })
            .done()
    }
}

/// The chart's short description for screen readers.
pub fn summary(series: &[Series], pattern: &[(f64, f64)]) -> String {
    let mut s = format!(
        "{} origins' cumulative values as a percentage of their selected ultimates, by development age in months; the dashed line is the selected development pattern.",
        series.len()
    );
    // Where the pattern first reaches half of the ultimate.
    if let Some((a, p)) = pattern.iter().find(|(_, p)| *p >= 50.0) {
        s.push_str(&format!(" The pattern reaches {}% at {} months", format::number(*p, 0), a));
        if let Some((a, p)) = pattern.last() {
            s.push_str(&format!(" and {}% at {} months.", format::number(*p, 0), a));
        } else {
            s.push('.');
        }
    }
    s
}

/// The chart's markup: the SVG, its legend and the pattern as a table.
pub fn chart(t: &Triangle, r: &Reserve) -> String {
    let series = origin_series(t, r);
    let full = pattern(t.ages(), &r.ldf_labels, &r.cdf);
    let last_age = t.ages().last().map_or(0.0, |a| f64::from(*a));
    let Shown { drawn: pat, listed, tail } = shown(&full, last_age);
    let f = frame(series.iter().flat_map(|s| s.points.iter()).chain(pat.iter()));
    let (x0, x1, y0, y1) = (f.x(0.0), f.x(f.x_max), f.y(f.y_min), f.y(f.y_max));
    let mut o = Out::with_capacity(4096 + 600 * series.len());
    o.lit("<figure class=\"emergence\"><svg viewBox=\"0 0 ").n(WIDTH, 0).lit(" ").n(HEIGHT, 0)
        .lit("\" role=\"img\" aria-label=\"Emergence of ultimate by development age\" aria-describedby=\"emergence-desc\" \
            preserveAspectRatio=\"xMidYMid meet\"><title>Emergence of ultimate by development age</title><desc id=\"emergence-desc\">")
        .text(&summary(&series, &pat))
        .lit("</desc><defs><clipPath id=\"emergence-plot\"><rect x=\"").n(x0, 1).lit("\" y=\"").n(y1, 1)
        .lit("\" width=\"").n(x1 - x0, 1).lit("\" height=\"").n(y0 - y1, 1).lit("\"/></clipPath></defs>");
    // A line from (xa, ya) to (xb, yb).
    let line = |o: &mut Out, class: &'static str, xa: f64, xb: f64, ya: f64, yb: f64| {
        o.lit("<line class=\"")
            .lit(class)
            .lit("\" x1=\"")
            .n(xa, 1)
            .lit("\" x2=\"")
            .n(xb, 1)
            .lit("\" y1=\"")
            .n(ya, 1)
            .lit("\" y2=\"")
            .n(yb, 1)
            .lit("\"/>");
    };
    // Opens a `<text>` at (x, y).
    let open_text = |o: &mut Out, class: &'static str, x: f64, y: f64, anchor: &'static str| {
        o.lit("<text class=\"")
            .lit(class)
            .lit("\" x=\"")
            .n(x, 1)
            .lit("\" y=\"")
            .n(y, 1)
            .lit("\" text-anchor=\"")
            .lit(anchor)
            .lit("\">");
    };
    for v in ticks(f.y_min, f.y_max, f.y_step) {
        let y = f.y(v);
        line(&mut o, if v == 100.0 { "grid full" } else { "grid" }, x0, x1, y, y);
        open_text(&mut o, "tick", x0 - 6.0, y + 4.0, "end");
        o.n(v, 0).lit("%</text>");
    }
    for a in ticks(0.0, f.x_max, f.x_step) {
        let x = f.x(a);
        line(&mut o, "grid", x, x, y0, y1);
        open_text(&mut o, "tick", x, y0 + 16.0, "middle");
        o.n(a, 0).lit("</text>");
    }
    line(&mut o, "axis", x0, x1, y0, y0);
    line(&mut o, "axis", x0, x0, y0, y1);
    let ym = (y0 + y1) / 2.0;
    open_text(&mut o, "axis-label", (x0 + x1) / 2.0, HEIGHT - 6.0, "middle");
    o.lit("Development age (months)</text><text class=\"axis-label\" x=\"12\" y=\"")
        .n(ym, 1)
        .lit("\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
        .n(ym, 1)
        .lit(")\">% of ultimate</text><g clip-path=\"url(#emergence-plot)\">");
    for (i, line) in series.iter().enumerate() {
        o.lit("<polyline class=\"origin\" points=\"")
            .text(&f.polyline(&line.points))
            .lit("\" stroke=\"")
            .lit(colour(i))
            .lit("\"><title>")
            .text(&line.origin)
            .lit("</title></polyline>");
    }
    if !pat.is_empty() {
        o.lit("<polyline class=\"pattern\" points=\"")
            .text(&f.polyline(&pat))
            .lit("\"><title>Selected pattern</title></polyline>");
    }
    o.lit(
        "</g></svg><figcaption><ul class=\"legend\" aria-label=\"Legend\">\
        <li><span class=\"swatch pattern\" aria-hidden=\"true\"></span>Selected pattern (100 / CDF)</li>",
    );
    for (i, line) in series.iter().enumerate() {
        o.lit("<li><span class=\"swatch\" style=\"background:")
            .lit(colour(i))
            .lit("\" aria-hidden=\"true\"></span>")
            .text(&line.origin)
            .lit("</li>");
    }
    o.lit(
        "</ul><details><summary>Selected pattern as a table</summary>\
        <table class=\"views-table\" aria-label=\"Selected pattern\"><thead><tr>\
        <th scope=\"col\">Age (months)</th><th scope=\"col\">% of ultimate</th></tr></thead><tbody>",
    );
    for (a, p) in &listed {
        o.lit("<tr><th scope=\"row\">").n(*a, 0).lit("</th><td>").fig(*p, 1).lit("%</td></tr>");
    }
    o.lit("</tbody></table>");
    let beyond = full.len() > pat.len();
    if tail > MAX_TAIL_POINTS || beyond {
        // Say what of the tail is left out, and where it ends.
        let end = full.last().map_or(0.0, |(a, _)| *a);
        o.lit("<p class=\"note\">The tail runs ").text(&tail.to_string()).lit(" periods, to ").n(end, 0).lit(" months");
        if tail > MAX_TAIL_POINTS {
            o.lit("; the table shows ").text(&MAX_TAIL_POINTS.to_string()).lit(" of them, evenly spaced");
        }
        if beyond {
            o.lit("; the chart draws it to ").n(f.x_max, 0).lit(" months");
        }
        o.lit(".</p>");
    }
    o.lit("</details></figcaption></figure>");
    o.done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::{Grain, MethodResult, Selected};

    fn tri() -> Triangle {
        Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(50.0), Some(80.0), Some(100.0)],
                vec![Some(30.0), Some(60.0), None],
                vec![Some(10.0), None, None],
            ],
        )
        .unwrap()
    }

    fn results(ultimate: Vec<f64>) -> Reserve {
        Reserve {
            origins: vec!["2000".into(), "2001".into(), "2002".into()],
            ldf_labels: vec!["12-24".into(), "24-36".into()],
            ldf: vec![1.6, 1.25],
            cdf: vec![2.0, 1.25],
            selected: Selected { method: vec![], result: MethodResult { ultimate, ibnr: vec![], total_ibnr: 0.0 } },
            ..Reserve::default()
        }
    }

    #[test]
    fn origins_are_shares_of_their_selected_ultimate() {
        // The last origin's ultimate is zero: no line rather than infinities.
        let s = origin_series(&tri(), &results(vec![100.0, 120.0, 0.0]));
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].points, vec![(12.0, 50.0), (24.0, 80.0), (36.0, 100.0)]);
        assert_eq!(s[1].origin, "2001");
        assert_eq!(s[1].points, vec![(12.0, 25.0), (24.0, 50.0)]);
        // Results for fewer origins: only those that match.
        assert_eq!(origin_series(&tri(), &results(vec![100.0])).len(), 1);
    }

    #[test]
    fn the_pattern_is_100_over_cdf_at_each_starting_age() {
        let labels: Vec<String> = vec!["12-24".into(), "24-36".into()];
        // No tail: the last age is at ultimate.
        assert_eq!(pattern(&[12, 24, 36], &labels, &[2.0, 1.25]), vec![(12.0, 50.0), (24.0, 80.0), (36.0, 100.0)]);
        // A tail: a factor starts at the last age, and the tail's periods follow.
        let tail: Vec<String> = vec!["12-24".into(), "24-36".into(), "36-48".into(), "48-60".into()];
        assert_eq!(
            pattern(&[12, 24, 36], &tail, &[2.5, 1.25, 1.25, 1.0]),
            vec![(12.0, 40.0), (24.0, 80.0), (36.0, 80.0), (48.0, 100.0)]
        );
        // Odd data: bad factors are skipped, unreadable labels use the ages.
        assert_eq!(pattern(&[12, 24], &["x".into()], &[0.0]), vec![(24.0, 100.0)]);
        assert_eq!(pattern(&[12, 24], &[], &[2.0]), vec![(12.0, 50.0), (24.0, 100.0)]);
        assert_eq!(pattern(&[12], &[], &[]), vec![(12.0, 100.0)]);
        assert!(pattern(&[], &[], &[]).is_empty());
    }

    #[test]
    fn the_frame_holds_the_points_with_round_ticks() {
        let pts = [(3.0, 10.0), (135.0, 104.0)];
        let f = frame(pts.iter());
        assert_eq!(f.x_step, 24.0);
        assert_eq!(f.x_max, 144.0);
        assert_eq!((f.y_min, f.y_max, f.y_step), (0.0, 110.0, 10.0));
        // Wild values are capped; negatives extend the axis down.
        let f = frame([(12.0, 900.0), (24.0, -30.0)].iter());
        assert_eq!((f.y_min, f.y_max, f.y_step), (-50.0, 200.0, 50.0));
        assert_eq!(f.x_max, 24.0);
        // No points at all still give a drawable frame.
        let f = frame(std::iter::empty());
        assert_eq!((f.x_max, f.y_min, f.y_max), (12.0, 0.0, 100.0));
    }

    #[test]
    fn positions_map_the_plot_area() {
        let f = Frame { x_max: 120.0, x_step: 12.0, y_min: 0.0, y_max: 100.0, y_step: 10.0 };
        assert_eq!(f.x(0.0), LEFT);
        assert_eq!(f.x(120.0), WIDTH - RIGHT);
        assert_eq!(f.y(0.0), HEIGHT - BOTTOM);
        assert_eq!(f.y(100.0), TOP);
        assert_eq!(f.polyline(&[(0.0, 0.0), (120.0, 100.0)]), "52.0,318.0 704.0,14.0");
        assert_eq!(ticks(0.0, 100.0, 20.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert!(ticks(0.0, 10.0, 0.0).is_empty());
        assert!(ticks(10.0, 0.0, 1.0).is_empty());
    }

    #[test]
    fn the_chart_draws_a_line_per_origin_and_the_pattern() {
        let svg = chart(&tri(), &results(vec![100.0, 120.0, 0.0]));
        assert_eq!(svg.matches("<polyline class=\"origin\"").count(), 2);
        assert_eq!(svg.matches("<polyline class=\"pattern\"").count(), 1);
        assert!(svg.contains("<title>2001</title>"));
        assert!(svg.contains("<tr><th scope=\"row\">12</th><td>50.0%</td></tr>"), "{svg}");
    }

    /// The longest tail a session allows, 1,200 months of quarterly
    /// development past a 36-month triangle (401 points): the table lists
    /// 12 of them, first and last included, and the chart's axis runs to
    /// 72 months.
    #[test]
    fn a_long_tail_is_thinned_and_the_axis_kept_near_the_triangle() {
        let mut pat: Vec<(f64, f64)> = vec![(12.0, 50.0), (24.0, 80.0), (36.0, 90.0)];
        pat.extend((1..=401).map(|k| (36.0 + 3.0 * k as f64, 90.0 + 10.0 * k as f64 / 401.0)));
        let s = shown(&pat, 36.0);
        assert_eq!(s.tail, 401);
        assert_eq!(s.listed.len(), 3 + MAX_TAIL_POINTS);
        assert_eq!(s.listed[3], (39.0, 90.0 + 10.0 / 401.0));
        assert_eq!(*s.listed.last().unwrap(), (1239.0, 100.0));
        assert!(s.drawn.iter().all(|(a, _)| *a <= 72.0), "{:?}", s.drawn);
        assert_eq!(s.drawn, pat[..3 + 12].to_vec());
        // A short tail is kept whole.
        let short = shown(&pat[..7], 36.0);
        assert_eq!(short.listed, pat[..7].to_vec());
        assert_eq!(short.drawn, pat[..7].to_vec());

        // The chart of such a tail: 12 tail rows and the note.
        let mut r = results(vec![100.0, 120.0, 150.0]);
        r.ldf_labels = (0..404u32).map(|k| format!("{}-{}", 12 + 12 * k.min(2) + 3 * k.saturating_sub(2), 0)).collect();
        r.cdf = (0..404).map(|k| 2.0 - k as f64 / 404.0).collect();
        let svg = chart(&tri(), &r);
        assert_eq!(svg.matches("<tr><th scope=\"row\">").count(), 3 + MAX_TAIL_POINTS, "{svg}");
        assert!(svg.contains("<p class=\"note\">The tail runs 401 periods, to 1239 months; the table shows 12 of them, evenly spaced; the chart draws it to 72 months.</p>"), "{svg}");
        assert!(svg.len() < 12_000, "{}", svg.len());
    }

    #[test]
    fn the_summary_names_the_pattern() {
        let s = summary(&[], &[(12.0, 50.0), (36.0, 100.0)]);
        assert!(s.starts_with("0 origins'"));
        assert!(s.ends_with("The pattern reaches 50% at 12 months and 100% at 36 months."));
    }
}
