//! The actual-versus-expected view: for an earlier valuation chosen on the
//! latest diagonals, what the selected development pattern expected to
//! emerge up to the latest valuation against what did, by origin and by
//! valuation period, as tables with totals and as SVG bar charts. The
//! figures are the engine's ([`runoff_engine::ave`]), computed in the worker
//! with each recalculation.

use crate::components::controls::Select;
use crate::format;
use runoff_engine::ave::{Ave, AveRow};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AveViewProps {
    /// The comparison, or why there is none.
    pub ave: Option<Rc<Result<Ave, String>>>,
    /// The valuations to compare from (month index, label), newest first.
    pub valuations: Rc<Vec<(i32, String)>>,
    pub from: Option<i32>,
    pub on_from: Callback<i32>,
}

/// Actual over expected, as a percentage; blank when nothing was expected.
pub fn ratio_text(r: &AveRow) -> String {
    r.ratio().map(|x| format::number(x * 100.0, 1) + "%").unwrap_or_default()
}

#[component]
pub fn AveView(props: &AveViewProps) -> Html {
    let options: Vec<(AttrValue, AttrValue)> =
        props.valuations.iter().map(|(m, l)| (AttrValue::from(m.to_string()), AttrValue::from(l.clone()))).collect();
    let value = props.from.map(|m| AttrValue::from(m.to_string())).unwrap_or_default();
    let on_change = {
        let cb = props.on_from.clone();
        Callback::from(move |v: String| {
            if let Ok(m) = v.parse() {
                cb.emit(m)
            }
        })
    };
    let body = match props.ave.as_deref() {
        None if props.valuations.is_empty() => html! {
            <p>{ "The triangle has a single diagonal, so there is no earlier valuation to compare with." }</p>
        },
        None => html! { <p>{ "Calculating…" }</p> },
        Some(Err(e)) => html! { <div class="alert" role="alert">{ e.clone() }</div> },
        Some(Ok(a)) => html! {
            <>
                <p class="ave-summary">{ format!(
                    "From {} to {}: the selected pattern expected {} to emerge; {} did (actual over expected {}).",
                    a.from, a.to, format::number(a.total.expected, 2), format::number(a.total.actual, 2), ratio_text(&a.total)
                ) }</p>
                <section class="ave-part">
                    <h2>{ "By origin" }</h2>
                    { table("Actual versus expected by origin", "Origin", &a.by_origin, &a.total) }
                    <BarChart label={format!("Expected and actual development by origin, {} to {}", a.from, a.to)} rows={a.by_origin.clone()} />
                </section>
                <section class="ave-part">
                    <h2>{ "By valuation period" }</h2>
                    { table("Actual versus expected by valuation period", "Period", &a.by_period, &a.total) }
                    <BarChart label={format!("Expected and actual development by valuation period, {} to {}", a.from, a.to)} rows={a.by_period.clone()} />
                </section>
            </>
        },
    };
    html! {
        <div class="ave">
            <fieldset class="group">
                <legend>{ "Compare" }</legend>
                <Select label="Earlier valuation" options={options} value={value} on_change={on_change} disabled={props.valuations.is_empty()} />
            </fieldset>
            <p class="hint">{ "Expected: each origin's value at the earlier valuation developed with the selected age-to-age factors. Actual: what the triangle shows since. Origins younger than the earlier valuation are left out." }</p>
            { body }
        </div>
    }
}

fn table(label: &'static str, first: &'static str, rows: &[AveRow], total: &AveRow) -> Html {
    let row = |r: &AveRow, total: bool| {
        html! {
            <tr class={classes!(total.then_some("total"))}>
                <th scope="row">{ r.label.clone() }</th>
                <td>{ format::number(r.expected, 2) }</td>
                <td>{ format::number(r.actual, 2) }</td>
                <td>{ format::number(r.difference(), 2) }</td>
                <td>{ ratio_text(r) }</td>
            </tr>
        }
    };
    html! {
        <table class="views-table ave-table" aria-label={label}>
            <thead>
                <tr>
                    <th scope="col">{ first }</th>
                    <th scope="col">{ "Expected" }</th>
                    <th scope="col">{ "Actual" }</th>
                    <th scope="col">{ "Actual − expected" }</th>
                    <th scope="col">{ "Actual / expected" }</th>
                </tr>
            </thead>
            <tbody>{ for rows.iter().map(|r| row(r, false)) }</tbody>
            <tfoot>{ row(total, true) }</tfoot>
        </table>
    }
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

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub label: String,
    pub rows: Vec<AveRow>,
}

/// Expected and actual side by side for each row.
#[component]
pub fn BarChart(props: &BarChartProps) -> Html {
    let b = Bars::of(&props.rows);
    let ticks = crate::components::emergence_chart::ticks(b.min, b.max, b.step);
    let n = props.rows.len();
    // Label every category when they fit, else about twelve of them.
    let every = n.div_ceil(12).max(1);
    let f1 = |x: f64| format::fixed(x, 1);
    html! {
        <figure class="bars">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={props.label.clone()} preserveAspectRatio="xMidYMid meet">
                <title>{ props.label.clone() }</title>
                { for ticks.iter().map(|&v| html! {
                    <g>
                        <line class={classes!("grid", (v == 0.0).then_some("zero"))} x1={f1(LEFT)} x2={f1(WIDTH - RIGHT)} y1={f1(b.y(v))} y2={f1(b.y(v))} />
                        <text class="tick" x={f1(LEFT - 6.0)} y={f1(b.y(v) + 4.0)} text-anchor="end">{ format::number(v, 0) }</text>
                    </g>
                }) }
                { for props.rows.iter().enumerate().map(|(k, r)| {
                    let (ex, ey, ew, eh) = b.bar(k, 0, r.expected);
                    let (ax, ay, aw, ah) = b.bar(k, 1, r.actual);
                    html! {
                        <g>
                            <rect class="expected" x={f1(ex)} y={f1(ey)} width={f1(ew)} height={f1(eh)}>
                                <title>{ format!("{}: expected {}", r.label, format::number(r.expected, 2)) }</title>
                            </rect>
                            <rect class="actual" x={f1(ax)} y={f1(ay)} width={f1(aw)} height={f1(ah)}>
                                <title>{ format!("{}: actual {}", r.label, format::number(r.actual, 2)) }</title>
                            </rect>
                            if k % every == 0 {
                                <text class="tick" x={f1(LEFT + b.slot * (k as f64 + 0.5))} y={f1(HEIGHT - BOTTOM + 16.0)} text-anchor="middle">{ r.label.clone() }</text>
                            }
                        </g>
                    }
                }) }
            </svg>
            <figcaption>
                <ul class="legend" aria-label="Legend">
                    <li><span class="swatch expected" aria-hidden="true"></span>{ "Expected" }</li>
                    <li><span class="swatch actual" aria-hidden="true"></span>{ "Actual" }</li>
                </ul>
            </figcaption>
        </figure>
    }
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
    fn ratios_read_as_percentages() {
        assert_eq!(ratio_text(&row("a", 50.0, 60.0)), "120.0%");
        assert_eq!(ratio_text(&row("a", 0.0, 60.0)), "");
    }
}
