//! The Reserve range view: the inputs of the ODP bootstrap (simulations,
//! seed, process risk: judgements like any other, saved and undone), its
//! progress with a Cancel button and, at the end, the distribution of the
//! IBNR as the range worker writes it (a table and a histogram), run by
//! [`crate::reserve_range`].
//!
//! The component stays mounted in every view once the range view has been
//! shown: it then follows the settings, so an edit anywhere restarts the
//! run on the new settings, and away from its view it renders only the
//! printed copy of a finished range.

use crate::components::controls::{Field, Select};
use crate::components::print_only::PrintOnly;
use crate::entry;
use crate::format;
use crate::markup;
use crate::reserve_range::{use_reserve_range, Phase, Ranges, ReserveRange};
use runoff_engine::bootstrap::{Process, MAX_SIMS};
use runoff_engine::{Action, Settings, Triangle};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RangeViewProps {
    pub triangle: Option<Rc<Triangle>>,
    pub measure: AttrValue,
    pub settings: Settings,
    /// The view is shown (else only the printed copy is).
    pub visible: bool,
    pub on_action: Callback<Action>,
    pub ranges: Ranges,
}

#[component]
pub fn RangeView(props: &RangeViewProps) -> Html {
    let followed = use_state_eq(|| false);
    // Inline errors: (the text entered, why it is refused).
    let sims_error = use_state(|| None::<(String, String)>);
    let seed_error = use_state(|| None::<(String, String)>);
    {
        let followed = followed.clone();
        use_effect_with(props.visible, move |v| {
            if *v {
                followed.set(true)
            }
        });
    }
    let ReserveRange { phase, cancel, again } = use_reserve_range(
        props.triangle.clone(),
        &props.settings,
        &props.measure,
        *followed || props.visible,
        &props.ranges,
    );
    let on_cancel = cancel.reform(|_: MouseEvent| ());
    let on_again = again.reform(|_: MouseEvent| ());

    if !props.visible {
        // Printed from another view: the finished range of these settings.
        let done = match &phase {
            Phase::Done(m) => Some(m.clone()),
            _ => None,
        };
        return html! { if done.is_some() { <PrintOnly markup={done} /> } };
    }

    let s = &props.settings;
    let on_sims = {
        let (cb, err) = (props.on_action.clone(), sims_error.clone());
        Callback::from(move |text: String| match entry::whole_in("Simulations", &text, 100, MAX_SIMS as u64) {
            Ok(n) => {
                err.set(None);
                cb.emit(Action::SetBootstrapSims(n as u32));
            }
            Err(why) => err.set(Some((text, why.to_string()))),
        })
    };
    let on_seed = {
        let (cb, err) = (props.on_action.clone(), seed_error.clone());
        Callback::from(move |text: String| match entry::whole_in("Seed", &text, 0, (1 << 53) - 1) {
            Ok(n) => {
                err.set(None);
                cb.emit(Action::SetBootstrapSeed(n));
            }
            Err(why) => err.set(Some((text, why.to_string()))),
        })
    };
    let on_process = {
        let cb = props.on_action.clone();
        Callback::from(move |v: String| {
            if let Some(p) = Process::from_name(&v) {
                cb.emit(Action::SetBootstrapProcess(p));
            }
        })
    };
    let shown = |e: &Option<(String, String)>, v: String| AttrValue::from(e.as_ref().map_or(v, |(t, _)| t.clone()));
    let of = |done: u32, total: u32| {
        format!("{} of {} simulations", format::number(done as f64, 0), format::number(total as f64, 0))
    };
    let (status, body) = match &phase {
        Phase::Idle => ("", html! {}),
        Phase::Running { done, total } => {
            let pct = if *total > 0 { 100.0 * *done as f64 / *total as f64 } else { 0.0 };
            (
                "Simulating…",
                html! {
                    <div class="range-run">
                        <div class="range-progress" role="progressbar" aria-label="Simulations run"
                            aria-valuemin="0" aria-valuemax={total.to_string()} aria-valuenow={done.to_string()}
                            aria-valuetext={of(*done, *total)}>
                            <div class="range-bar" style={format!("width:{}%", format::fixed(pct, 1))}></div>
                        </div>
                        <span class="range-count">{ of(*done, *total) }</span>
                        <button type="button" onclick={on_cancel}>{ "Cancel" }</button>
                    </div>
                },
            )
        }
        Phase::Cancelled { done, total } => (
            "Cancelled",
            html! {
                <p class="range-run">
                    { format!("Cancelled after {}: an unfinished run's figures are not shown. ", of(*done, *total)) }
                    <button type="button" onclick={on_again}>{ "Run again" }</button>
                </p>
            },
        ),
        Phase::Done(m) => ("", markup::html(m.clone())),
        Phase::Failed(why) => {
            ("", html! { <div class="alert" role="alert">{ format!("No reserve range: {why}") }</div> })
        }
    };
    html! {
        <section class="range-view" aria-label="Reserve range">
            <div class="settings">
                <Field label="Simulations" id="range-sims" value={shown(&sims_error, s.bootstrap_sims.to_string())}
                    error={sims_error.as_ref().map(|(_, w)| w.clone())} on_text={on_sims} />
                <Field label="Seed" id="range-seed" value={shown(&seed_error, s.bootstrap_seed.to_string())}
                    error={seed_error.as_ref().map(|(_, w)| w.clone())} on_text={on_seed} />
                <Select label="Process risk" value={AttrValue::Static(s.bootstrap_process.name())} on_change={on_process}
                    options={vec![(AttrValue::Static("gamma"), AttrValue::Static("Gamma")), (AttrValue::Static("none"), AttrValue::Static("None"))]} />
            </div>
            <p class="note">
                { "The over-dispersed Poisson bootstrap of the chain ladder under this segment's settings: the distribution of the IBNR, beside Mack's standard error. An edit anywhere runs it again." }
            </p>
            <p class="range-status" role="status">{ status }</p>
            { body }
        </section>
    }
}
