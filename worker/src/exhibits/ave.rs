//! Actual versus expected as the page shows it: a sentence with the
//! totals, then by origin and by valuation period a table (with totals) and
//! an SVG bar chart of expected beside actual. Two comparisons are written
//! this way: from an earlier valuation to the latest ([`markup`]), and
//! reserving-studio's per diagonal, against the selected ultimates
//! ([`expectation`]). The figures are the engine's
//! ([`runoff_engine::ave`]); this only lays them out, as markup.

use super::chart::ticks;
use crate::format;
use crate::markup::Out;
use runoff_engine::ave::expected::Expectation;
use runoff_engine::ave::{Ave, AveRow};

/// Actual over expected, as a percentage; blank when nothing was expected.
pub fn ratio_text(r: &AveRow) -> String {
    r.ratio().map(|x| format::number(x * 100.0, 1) + "%").unwrap_or_default()
}

/// The comparison's markup.
pub fn markup(a: &Ave) -> String {
    let mut o = Out::with_capacity(8192);
    o.lit("<p class=\"ave-summary\">From ")
        .text(&a.from)
        .lit(" to ")
        .text(&a.to)
        .lit(": the selected pattern expected ")
        .fig(a.total.expected, 2)
        .lit(" to emerge; ")
        .fig(a.total.actual, 2)
        .lit(" did (actual over expected ")
        .text(&ratio_text(&a.total))
        .lit(").</p>");
    let span = format!(", {} to {}", a.from, a.to);
    for (heading, first, rows) in
        [("By origin", "Origin", &a.by_origin), ("By valuation period", "Period", &a.by_period)]
    {
        let lower = heading.to_ascii_lowercase();
        part(
            &mut o,
            "h2",
            heading,
            first,
            rows,
            &a.total,
            &lower,
            &("Expected and actual development ".to_string() + &lower + &span),
        );
    }
    o.done()
}

/// Actual versus expected per diagonal as reserving-studio shows it: by
/// origin on the chosen diagonal, and by diagonal.
pub fn expectation(x: &Expectation) -> String {
    let mut o = Out::with_capacity(16384);
    o.lit("<h2 class=\"ave-head\">Per valuation period, against the selected ultimates</h2><p class=\"hint\">Expected: each origin's selected ultimate over the age-to-ultimate factor at each age (chainladder-python's full expectation), as an increment over the period. Actual: the triangle's increment.</p>")
        .lit("<p class=\"ave-summary\">In ").text(&x.valuation).lit(" the selected ultimates expected ")
        .fig(x.origin_total.expected, 2).lit(" to emerge; ").fig(x.origin_total.actual, 2).lit(" did (actual over expected ")
        .text(&ratio_text(&x.origin_total)).lit(").</p>");
    let by_origin = format!("By origin, {}", x.valuation);
    let origin_chart = format!("Actual and expected incremental by origin, selected ultimates, {}", x.valuation);
    for (heading, what, first, rows, total, chart) in [
        (by_origin.as_str(), "by origin", "Origin", &x.by_origin, &x.origin_total, origin_chart.as_str()),
        (
            "By valuation period",
            "by valuation period",
            "Period",
            &x.by_period,
            &x.period_total,
            "Actual and expected incremental by valuation period, selected ultimates",
        ),
    ] {
        part(&mut o, "h3", heading, first, rows, total, &format!("{what} (selected ultimates)"), chart);
    }
    o.done()
}

/// A heading, a table with its total and a bar chart, in a section.
#[allow(clippy::too_many_arguments)]
fn part(
    o: &mut Out,
    h: &'static str,
    heading: &str,
    first: &str,
    rows: &[AveRow],
    total: &AveRow,
    what: &str,
    chart: &str,
) {
    o.lit("<section class=\"ave-part\"><").lit(h).lit(">").text(heading).lit("</").lit(h).lit(">");
    table(o, what, first, rows, total);
    o.lit("<figure class=\"bars\"><svg viewBox=\"0 0 720 240\" role=\"img\" aria-label=\"")
        .text(chart)
        .lit("\" preserveAspectRatio=\"xMidYMid meet\"><title>")
        .text(chart)
        .lit("</title>");
    bars(o, rows);
    o.lit("</section>");
}

fn table(o: &mut Out, what: &str, first: &str, rows: &[AveRow], total: &AveRow) {
    o.lit("<table class=\"views-table ave-table\" aria-label=\"Actual versus expected ")
        .text(what)
        .lit("\"><thead><tr>");
    for h in [first, "Expected", "Actual", "Actual − expected", "Actual / expected"] {
        o.cell("th scope=\"col\"", "", h);
    }
    o.lit("</tr></thead><tbody>");
    let row = |o: &mut Out, r: &AveRow| {
        o.lit("<tr>").cell("th scope=\"row\"", "", &r.label);
        for v in [r.expected, r.actual, r.difference()] {
            o.lit("<td>").fig(v, 2).lit("</td>");
        }
        o.lit("<td>").text(&ratio_text(r)).lit("</td></tr>");
    };
    for r in rows {
        row(o, r);
    }
    o.lit("</tbody><tfoot class=\"total\">");
    row(o, total);
    o.lit("</tfoot></table>");
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 40.0;

/// Where the bars of a chart go: the value axis (zero included) with round
/// ticks, and each category's slot.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    /// The width of one category's slot.
    pub slot: f64,
}

impl Bars {
    pub fn of(rows: &[AveRow]) -> Bars {
        let values = rows.iter().flat_map(|r| [r.expected, r.actual]).filter(|x| x.is_finite());
        let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), x| (lo.min(x), hi.max(x)));
        // Nothing but zeros still gets an axis from 0 to 1.
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let span = hi - lo;
        // A round step that gives at most about six ticks: 1, 2 or 5 × 10^k.
        let raw = span / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
        // A few categories do not stretch over the whole width.
        let slot = ((WIDTH - LEFT - RIGHT) / rows.len().max(1) as f64).min(80.0);
        Bars { min: (lo / step).floor() * step, max: (hi / step).ceil() * step, step, slot }
    }

    /// The vertical position of a value.
    pub fn y(&self, v: f64) -> f64 {
        let span = self.max - self.min;
        let share = if span > 0.0 { (v - self.min) / span } else { 0.0 };
        HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * share
    }

    /// A bar from zero to `v` in slot `k`, the `which`th (0 expected, 1
    /// actual) of the pair: `(x, y, width, height)`.
    pub fn bar(&self, k: usize, which: usize, v: f64) -> (f64, f64, f64, f64) {
        let w = (self.slot * 0.38).max(1.0);
        let x = LEFT + self.slot * k as f64 + self.slot * 0.1 + w * which as f64;
        let (a, b) = (self.y(0.0), self.y(if v.is_finite() { v } else { 0.0 }));
        (x, a.min(b), w, (a - b).abs())
    }
}

/// Expected and actual side by side for each row, then the legend; the
/// figure and its SVG are opened by the caller.
fn bars(o: &mut Out, rows: &[AveRow]) {
    let b = Bars::of(rows);
    for v in ticks(b.min, b.max, b.step) {
        let y = b.y(v);
        o.lit("<line class=\"")
            .lit(if v == 0.0 { "grid zero" } else { "grid" })
            .lit("\" x1=\"")
            .n(LEFT, 1)
            .lit("\" x2=\"")
            .n(WIDTH - RIGHT, 1)
            .lit("\" y1=\"")
            .n(y, 1)
            .lit("\" y2=\"")
            .n(y, 1)
            .lit("\"/><text class=\"tick\" x=\"")
            .n(LEFT - 6.0, 1)
            .lit("\" y=\"")
            .n(y + 4.0, 1)
            .lit("\" text-anchor=\"end\">")
            .fig(v, 0)
            .lit("</text>");
    }
    // Label every category when they fit, else about twelve of them.
    let every = rows.len().div_ceil(12).max(1);
    for (k, r) in rows.iter().enumerate() {
        for (which, class, v) in [(0, "expected", r.expected), (1, "actual", r.actual)] {
            let (x, y, w, h) = b.bar(k, which, v);
            o.lit("<rect class=\"")
                .lit(class)
                .lit("\" x=\"")
                .n(x, 1)
                .lit("\" y=\"")
                .n(y, 1)
                .lit("\" width=\"")
                .n(w, 1)
                .lit("\" height=\"")
                .n(h, 1)
                .lit("\"><title>")
                .text(&r.label)
                .lit(": ")
                .lit(class)
                .lit(" ")
                .fig(v, 2)
                .lit("</title></rect>");
        }
        if k % every == 0 {
            o.lit("<text class=\"tick\" x=\"")
                .n(LEFT + b.slot * (k as f64 + 0.5), 1)
                .lit("\" y=\"")
                .n(HEIGHT - BOTTOM + 16.0, 1)
                .lit("\" text-anchor=\"middle\">")
                .text(&r.label)
                .lit("</text>");
        }
    }
    o.lit("</svg><figcaption><ul class=\"legend\" aria-label=\"Legend\"><li><span class=\"swatch expected\" aria-hidden=\"true\"></span>Expected</li>\
         <li><span class=\"swatch actual\" aria-hidden=\"true\"></span>Actual</li></ul></figcaption></figure>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, expected: f64, actual: f64) -> AveRow {
        AveRow { label: label.into(), expected, actual }
    }

    #[test]
    fn bars_start_at_zero_on_round_ticks() {
        let b = Bars::of(&[row("a", 120.0, 95.0), row("b", 40.0, -12.0)]);
        assert_eq!((b.min, b.max, b.step), (-50.0, 150.0, 50.0));
        let (_, y, _, h) = b.bar(0, 0, 120.0);
        assert!((y + h - b.y(0.0)).abs() < 1e-9, "a positive bar ends at zero");
        let (_, y, _, _) = b.bar(1, 1, -12.0);
        assert!((y - b.y(0.0)).abs() < 1e-9, "a negative bar starts at zero");
        // Nothing to draw still gives an axis.
        let b = Bars::of(&[]);
        assert!(b.max > b.min);
    }

    #[test]
    fn tables_and_charts_with_totals() {
        assert_eq!(ratio_text(&row("a", 50.0, 60.0)), "120.0%");
        assert_eq!(ratio_text(&row("a", 0.0, 60.0)), "");
        let a = Ave {
            from: "2005".into(),
            to: "2006".into(),
            by_origin: vec![row("2004", 50.0, 60.0), row("2005<", 10.0, 5.0)],
            by_period: vec![row("2006", 60.0, 65.0)],
            total: row("Total", 60.0, 65.0),
        };
        let m = markup(&a);
        assert!(m.starts_with("<p class=\"ave-summary\">From 2005 to 2006: the selected pattern expected 60.00 to emerge; 65.00 did (actual over expected 108.3%).</p>"), "{m}");
        assert!(
            m.contains("<tr><th scope=\"row\">2004</th><td>50.00</td><td>60.00</td><td>10.00</td><td>120.0%</td></tr>"),
            "{m}"
        );
        assert!(m.contains("2005&lt;"));
        assert_eq!(m.matches("<tfoot class=\"total\"><tr><th scope=\"row\">Total</th>").count(), 2);
        assert_eq!(m.matches("<rect class=\"actual\"").count(), 3);
    }

    #[test]
    fn per_valuation_period_against_the_selected_ultimates() {
        let x = Expectation {
            valuation: "2006Q1".into(),
            by_origin: vec![row("2005", 50.0, 60.0), row("<2006>", 10.0, 5.0)],
            origin_total: row("Total", 60.0, 65.0),
            by_period: vec![row("2005Q4", 70.0, 70.0), row("2006Q1", 60.0, 65.0)],
            period_total: row("Total", 130.0, 135.0),
        };
        let m = expectation(&x);
        let rest = &m[m.find("<p class=\"ave-summary\">").unwrap()..];
        assert!(m.starts_with("<h2 class=\"ave-head\">"), "{m}");
        assert!(rest.starts_with("<p class=\"ave-summary\">In 2006Q1 the selected ultimates expected 60.00 to emerge; 65.00 did (actual over expected 108.3%).</p>"), "{rest}");
        assert!(rest.contains("<h3>By origin, 2006Q1</h3><table class=\"views-table ave-table\" aria-label=\"Actual versus expected by origin (selected ultimates)\">"));
        assert!(rest.contains("aria-label=\"Actual versus expected by valuation period (selected ultimates)\""));
        assert!(rest.contains(
            "role=\"img\" aria-label=\"Actual and expected incremental by origin, selected ultimates, 2006Q1\""
        ));
        assert!(rest.contains("&lt;2006&gt;") && !rest.contains("<2006>"));
        assert!(rest.contains("<tfoot class=\"total\"><tr><th scope=\"row\">Total</th><td>130.00</td><td>135.00</td>"));
        assert_eq!(rest.matches("<rect class=\"expected\"").count(), 4);
    }
}
