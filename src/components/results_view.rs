//! The results view: the choice of amounts or ratios to premium, and the
//! results table ([`ResultsTable`]) of the figures the worker computed. A
//! press on a method's ultimate selects that method for its origin; a press
//! on a column's header asks for the order it names, which the view's owner
//! keeps. The keyboard's focus stays on what was pressed when the table
//! changes.

use crate::browser::dom;
use crate::components::controls::Select;
use crate::components::results_table::{Pick, ResultsTable};
use crate::results_table::{table, Show};
use runoff_engine::session::Method;
use runoff_engine::{Action, Reserve};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsViewProps {
    /// The figures; `None` until they are in.
    pub results: Option<Rc<Reserve>>,
    pub show: Show,
    /// The rows' order ([`crate::results_table::sort_key`]).
    pub sort: u8,
    pub has_premium: bool,
    pub on_show: Callback<Show>,
    pub on_action: Callback<Action>,
    /// A header pressed: the order it asks for.
    pub on_sort: Callback<u8>,
}

/// The action a press on a figure asks for: none for the method that
/// already counts, which would change nothing and make a history entry.
pub fn pick(origin: String, method: Method, pressed: bool) -> Option<Action> {
    (!pressed).then(|| Action::SetSelected { origin, method: (method != Method::Chainladder).then_some(method) })
}

#[component]
pub fn ResultsView(props: &ResultsViewProps) -> Html {
    let shown = use_memo((props.results.clone(), props.show, props.sort), |(r, show, sort)| {
        r.as_ref().map(|r| Rc::new(table(r, *show, *sort)))
    });
    // The id of a figure or header pressed, to focus again once the table
    // with its new state is in.
    let refocus = use_mut_ref(|| None::<String>);
    {
        let refocus = refocus.clone();
        use_effect_with(shown.clone(), move |_| {
            if let Some(id) = refocus.borrow_mut().take() {
                dom::focus_by_id(&id);
            }
        });
    }
    // Stable while the owner's is: the rows compare their props, and a new
    // callback at every render would render every row again.
    let on_pick = {
        let refocus = refocus.clone();
        use_callback(props.on_action.clone(), move |p: Pick, cb| {
            if let Some(action) = pick(p.origin, p.method, p.pressed) {
                *refocus.borrow_mut() = Some(p.id);
                cb.emit(action);
            }
        })
    };
    let on_sort = {
        let (cb, refocus) = (props.on_sort.clone(), refocus.clone());
        Callback::from(move |(sort, id): (u8, String)| {
            *refocus.borrow_mut() = Some(id);
            cb.emit(sort);
        })
    };
    let on_show = {
        let cb = props.on_show.clone();
        Callback::from(move |v: String| cb.emit(if v == "ratios" { Show::Ratios } else { Show::Amounts }))
    };
    let show_options = vec![
        (AttrValue::Static("amounts"), AttrValue::Static("Amounts")),
        (AttrValue::Static("ratios"), AttrValue::Static("Ratios to premium")),
    ];
    let ratios = props.has_premium && props.show == Show::Ratios;
    html! {
        <section class="results-view" aria-label="Results by origin">
            <div class="settings">
                <Select label="Show" options={show_options}
                    value={AttrValue::Static(if ratios { "ratios" } else { "amounts" })}
                    on_change={on_show} disabled={!props.has_premium} />
            </div>
            <p class="note">
                { "Ultimates by method: press a figure to select that method for its origin. " }
                if ratios {
                    { "Figures are percentages of each origin's premium; totals of total premium." }
                }
                if !props.has_premium {
                    { "This segment has no premium, so only the chain ladder has results." }
                }
            </p>
            <div class="results-table">
                { match &*shown {
                    Some(t) => html! { <ResultsTable table={t.clone()} {on_pick} {on_sort} /> },
                    None => html! { <p>{ "Calculating…" }</p> },
                } }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_press_selects_unless_it_is_the_method_that_counts() {
        assert_eq!(
            pick("2006".into(), Method::BornhuetterFerguson, false),
            Some(Action::SetSelected { origin: "2006".into(), method: Some(Method::BornhuetterFerguson) })
        );
        // The chain ladder is the default: selecting it removes the choice.
        assert_eq!(
            pick("2006".into(), Method::Chainladder, false),
            Some(Action::SetSelected { origin: "2006".into(), method: None })
        );
        assert_eq!(pick("2006".into(), Method::CapeCod, true), None);
    }
}
