//! The chain ladder view: the measure reserved, the link-ratio grid with its
//! factors, the average and exclusion rules, the tail, and the emergence
//! chart. Every control emits an engine [`Action`]; nothing here changes the
//! settings itself.

use crate::components::averages_table::use_averages_table;
use crate::components::controls::{opt_text, Bounds, Checkbox, NumberInput, Select};
use crate::components::dropped_diagonals::DroppedDiagonals;
use crate::components::LinkRatioGrid;
use crate::entry;
use crate::ratios;
use runoff_engine::session::{
    Average, SigmaInterpolation, TailCurve, N_PERIODS, TAIL_CONSTANT, TAIL_DECAY, TAIL_EXTRAP_PERIODS,
    TAIL_PROJECTION_MONTHS,
};
use runoff_engine::{Action, Reserve, Settings, Triangle};
use runoff_worker::markup::Cells;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChainLadderViewProps {
    pub triangle: Rc<Triangle>,
    /// The measures the segment has, for the measure choice.
    pub measures: Vec<AttrValue>,
    /// The measure shown (the session's, or the segment's first).
    pub measure: AttrValue,
    pub settings: Settings,
    pub results: Option<Rc<Reserve>>,
    pub on_action: Callback<Action>,
    /// The averages table as the worker wrote it.
    #[prop_or_default]
    pub averages: Option<Rc<Cells>>,
    /// The ratios the latest-n windows leave out, for the grid's tooltip.
    #[prop_or_default]
    pub outside: Vec<u32>,
    /// Premium per origin, when the segment has it.
    #[prop_or_default]
    pub premium: Option<Vec<f64>>,
    /// Drawn under the grid (the emergence chart), when results exist.
    #[prop_or_default]
    pub children: Html,
}

/// How an average is offered in the form.
fn average_text(a: Average) -> &'static str {
    match a {
        Average::Volume => "Volume-weighted",
        Average::Simple => "Simple",
        Average::Regression => "Regression",
        Average::Geometric => "Geometric",
    }
}

fn curve_text(c: TailCurve) -> &'static str {
    match c {
        TailCurve::None => "None",
        TailCurve::Constant => "Constant",
        TailCurve::Exponential => "Exponential",
        TailCurve::InversePower => "Inverse power",
        TailCurve::Weibull => "Weibull",
        TailCurve::Bondy => "Bondy",
    }
}

fn sigma_text(s: SigmaInterpolation) -> &'static str {
    match s {
        SigmaInterpolation::LogLinear => "Log-linear",
        SigmaInterpolation::Mack => "Mack (1999)",
    }
}

/// The options of a select over an enum with `name()`.
fn options<T: Copy>(all: &[(T, &'static str)], text: fn(T) -> &'static str) -> Vec<(AttrValue, AttrValue)> {
    all.iter().map(|&(x, name)| (AttrValue::Static(name), AttrValue::Static(text(x)))).collect()
}

/// A number field's callback: emits `make(value)` when its text reads
/// with `read`, and otherwise returns why not, for the field to show.
fn reading<T: 'static>(
    label: &'static str,
    on_action: &Callback<Action>,
    read: fn(&str, &str) -> Result<T, entry::Unreadable>,
    make: fn(T) -> Action,
) -> Callback<String, Result<(), String>> {
    let cb = on_action.clone();
    Callback::from(move |text: String| {
        cb.emit(make(read(label, &text)?));
        Ok(())
    })
}

/// An optional whole number: empty is `None`.
fn opt_whole(label: &str, text: &str) -> Result<Option<u32>, entry::Unreadable> {
    entry::optional(text, |t| entry::whole(label, t))
}

#[component]
pub fn ChainLadderView(props: &ChainLadderViewProps) -> Html {
    let s = &props.settings;
    let t = &props.triangle;
    let grid_shown = use_grid_after_figures(props.results.is_some());
    let act = |make: fn(String) -> Option<Action>| {
        let cb = props.on_action.clone();
        Callback::from(move |v: String| {
            if let Some(a) = make(v) {
                cb.emit(a)
            }
        })
    };
    let ages: Vec<(AttrValue, AttrValue)> = std::iter::once((AttrValue::Static(""), AttrValue::Static("—")))
        .chain(t.ages().iter().map(|a| (AttrValue::from(a.to_string()), AttrValue::from(format!("{a} months")))))
        .collect();
    let age_value = |v: Option<u32>| v.map(|a| AttrValue::from(a.to_string())).unwrap_or_default();

    let on_measure = {
        let cb = props.on_action.clone();
        let first = props.measures.first().cloned();
        Callback::from(move |m: String| {
            // The segment's first measure is the default: store nothing for it.
            let m = if first.as_deref() == Some(m.as_str()) { None } else { Some(m) };
            cb.emit(Action::SetMeasure(m))
        })
    };
    let on_fit_from = {
        let (cb, to) = (props.on_action.clone(), s.tail_fit_period.1);
        Callback::from(move |v: String| cb.emit(Action::SetTailFitPeriod(v.parse().ok(), to)))
    };
    let on_fit_to = {
        let (cb, from) = (props.on_action.clone(), s.tail_fit_period.0);
        Callback::from(move |v: String| cb.emit(Action::SetTailFitPeriod(from, v.parse().ok())))
    };
    let on_attach = {
        let cb = props.on_action.clone();
        Callback::from(move |v: String| cb.emit(Action::SetTailAttachmentAge(v.parse().ok())))
    };
    // Diagonals: the ones that can be dropped, and the dropped ones (also
    // those the triangle does not have, so that they can be restored).
    let valuations = use_memo(props.triangle.clone(), |t| Rc::new(ratios::valuations(t, &t.link_ratios())));
    // Worked out again only when the triangle or the dropped diagonals
    // change: a session may drop thousands.
    let droppable = use_memo(((*valuations).clone(), s.drop_valuations.clone()), |(valuations, dropped)| {
        let mut dropped: Vec<&str> = dropped.iter().map(String::as_str).collect();
        dropped.sort_unstable();
        valuations
            .iter()
            .filter(|v| dropped.binary_search(&v.as_str()).is_err())
            .map(|v| (AttrValue::from(v.clone()), AttrValue::from(v.clone())))
            .collect::<Vec<(AttrValue, AttrValue)>>()
    });
    let chosen_diagonal = use_state(String::new);
    let on_diagonal_choice = {
        let chosen = chosen_diagonal.clone();
        Callback::from(move |v: String| chosen.set(v))
    };
    let diagonal = if droppable.iter().any(|(v, _)| v.as_str() == chosen_diagonal.as_str()) {
        AttrValue::from((*chosen_diagonal).clone())
    } else {
        droppable.last().map(|(v, _)| v.clone()).unwrap_or_default()
    };
    let on_drop_diagonal = {
        let (cb, v) = (props.on_action.clone(), diagonal.clone());
        Callback::from(move |_| {
            if !v.is_empty() {
                cb.emit(Action::SetValuationDropped { valuation: v.to_string(), dropped: true })
            }
        })
    };

    let averages = use_averages_table(props.averages.clone(), t.ages(), &props.on_action);
    let curve = s.tail_curve;
    let fitted = matches!(curve, TailCurve::Exponential | TailCurve::InversePower | TailCurve::Weibull);
    let measures: Vec<(AttrValue, AttrValue)> = props.measures.iter().map(|m| (m.clone(), m.clone())).collect();

    html! {
        <div class="chain-ladder">
            <form class="settings" aria-label="Development settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset>
                    <legend>{ "Development" }</legend>
                    <Select label="Measure reserved" options={measures} value={props.measure.clone()} on_change={on_measure} />
                    <Select label="Average"
                        options={options(Average::ALL, average_text)}
                        value={s.average.name()}
                        on_change={act(|v| Average::from_name(&v).map(Action::SetAverage))} />
                    <NumberInput label="Latest n periods" step="1" placeholder="all"
                        bounds={Bounds::whole(N_PERIODS, "n_periods")}
                        value={opt_text(s.n_periods)}
                        on_change={reading("Latest n periods", &props.on_action, opt_whole, Action::SetNPeriods)} />
                    <Checkbox label="Drop highest" checked={s.drop_high}
                        on_change={props.on_action.reform(Action::SetDropHigh)} />
                    <Checkbox label="Drop lowest" checked={s.drop_low}
                        on_change={props.on_action.reform(Action::SetDropLow)} />
                    <Select label="Mack sigma"
                        options={options(SigmaInterpolation::ALL, sigma_text)}
                        value={s.sigma_interpolation.name()}
                        on_change={act(|v| SigmaInterpolation::from_name(&v).map(Action::SetSigmaInterpolation))} />
                </fieldset>
                <fieldset>
                    <legend>{ "Diagonals" }</legend>
                    <Select label="Diagonal" options={(*droppable).clone()} value={diagonal.clone()}
                        on_change={on_diagonal_choice} disabled={droppable.is_empty()} />
                    <button type="button" onclick={on_drop_diagonal} disabled={droppable.is_empty()}>
                        { "Drop diagonal" }
                    </button>
                    <DroppedDiagonals dropped={s.drop_valuations.clone()} valuations={(*valuations).clone()}
                        on_action={props.on_action.clone()} />
                </fieldset>
                <fieldset>
                    <legend>{ "Tail" }</legend>
                    <Select label="Tail"
                        options={options(TailCurve::ALL, curve_text)}
                        value={curve.name()}
                        on_change={act(|v| TailCurve::from_name(&v).map(Action::SetTailCurve))} />
                    if curve == TailCurve::Constant {
                        <NumberInput label="Tail factor" bounds={Bounds::real(TAIL_CONSTANT, "tail_constant")} value={AttrValue::from(crate::format::shortest(s.tail_constant))}
                            on_change={reading("Tail factor", &props.on_action, entry::real, Action::SetTailConstant)} />
                        <NumberInput label="Tail decay" bounds={Bounds::real(TAIL_DECAY, "tail_decay")} value={AttrValue::from(crate::format::shortest(s.tail_decay))}
                            on_change={reading("Tail decay", &props.on_action, entry::real, Action::SetTailDecay)} />
                    }
                    if fitted || curve == TailCurve::Bondy {
                        <Select label="Fit from age" options={ages.clone()} value={age_value(s.tail_fit_period.0)} on_change={on_fit_from} />
                        <Select label="Fit to age" options={ages.clone()} value={age_value(s.tail_fit_period.1)} on_change={on_fit_to} />
                    }
                    if fitted {
                        <Select label="Attachment age" options={ages.clone()} value={age_value(s.tail_attachment_age)} on_change={on_attach} />
                    }
                    if curve != TailCurve::None {
                        // The length in months, as reserving-studio shows it;
                        // empty is absent (chainladder-python's 12 months).
                        <NumberInput label="Tail length (months)" step="1" placeholder="12"
                            bounds={Bounds::whole(TAIL_PROJECTION_MONTHS, "tail_projection_months")}
                            value={opt_text(s.tail_projection_months)}
                            on_change={reading("Tail length (months)", &props.on_action, opt_whole, Action::SetTailProjectionMonths)} />
                    }
                    if fitted {
                        // The expert override, written only when set; its
                        // placeholder is what the length gives.
                        <NumberInput label="Extrapolation periods (expert)" step="1"
                            bounds={Bounds::whole(TAIL_EXTRAP_PERIODS, "tail_extrap_periods")}
                            placeholder={AttrValue::from(s.tail_length(t.development_grain().months()).extrap_periods.to_string())}
                            value={opt_text(s.tail_extrap_periods)}
                            on_change={reading("Extrapolation periods (expert)", &props.on_action, opt_whole, Action::SetTailExtrapPeriods)} />
                    }
                </fieldset>
            </form>
            if grid_shown {
                <LinkRatioGrid
                    triangle={props.triangle.clone()}
                    settings={props.settings.clone()}
                    results={props.results.clone()}
                    on_action={props.on_action.clone()}
                    premium={props.premium.clone()}
                    outside={props.outside.clone()}
                />
            }
            { averages }
            { props.children.clone() }
        </div>
    }
}

/// Whether the link-ratio grid is drawn: from the frame after the one that
/// paints the first figures. A grid is hundreds of buttons (a first render
/// and layout of some 90 ms on `quarterly`), and a new user's first screen
/// waits for the figures, not for the grid: drawn first, it held them back
/// that long. Two animation frames: the first runs before the figures'
/// paint, the second after it.
#[hook]
fn use_grid_after_figures(has_figures: bool) -> bool {
    type Frame = Option<gloo::render::AnimationFrame>;
    let shown = use_state_eq(|| false);
    // Both frames' handles, kept while the component lives (dropping one
    // cancels it); neither is replaced from inside its own callback.
    let frames = use_mut_ref(|| (Frame::None, Frame::None));
    {
        let (shown, frames) = (shown.clone(), frames.clone());
        use_effect_with(has_figures, move |has| {
            if *has && !*shown && frames.borrow().0.is_none() {
                let second = frames.clone();
                frames.borrow_mut().0 = Some(gloo::render::request_animation_frame(move |_| {
                    second.borrow_mut().1 = Some(gloo::render::request_animation_frame(move |_| shown.set(true)));
                }));
            }
        });
    }
    *shown
}
