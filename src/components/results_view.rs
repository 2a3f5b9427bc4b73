//! The results view: the choice of amounts or ratios to premium, and the
//! results table the worker writes with each recalculation
//! ([`runoff_worker::exhibits::results`]). A press on a method's ultimate
//! selects that method for its origin; the view listens once, on the
//! table's container, and keeps the keyboard's focus on the pressed figure
//! when the table is written again. A press on a column's header asks for
//! the order the worker wrote on it (`data-sort`), which the view's owner
//! keeps and sends with each recalculation.

use crate::browser::dom;
use crate::components::controls::Select;
use crate::markup;
use runoff_engine::session::Method;
use runoff_engine::Action;
use runoff_worker::exhibits::results::Show;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsViewProps {
    /// The table as the worker wrote it; `None` until it is in.
    pub markup: Option<AttrValue>,
    pub show: Show,
    pub has_premium: bool,
    pub on_show: Callback<Show>,
    pub on_action: Callback<Action>,
    /// A header pressed: the order it asks for.
    pub on_sort: Callback<u8>,
}

/// The action a press on a figure asks for: none for the method that
/// already counts, which would change nothing and make a history entry.
pub fn pick(origin: String, method: &str, pressed: bool) -> Option<Action> {
    let method = Method::from_name(method)?;
    (!pressed).then(|| Action::SetSelected { origin, method: (method != Method::Chainladder).then_some(method) })
}

#[component]
pub fn ResultsView(props: &ResultsViewProps) -> Html {
    // The id of a figure pressed from the keyboard, to focus again once
    // the table with its new state is in.
    let refocus = use_mut_ref(|| None::<String>);
    {
        let refocus = refocus.clone();
        use_effect_with(props.markup.clone(), move |_| {
            if let Some(id) = refocus.borrow_mut().take() {
                dom::focus_by_id(&id);
            }
        });
    }
    let onclick = {
        let (cb, on_sort, refocus) = (props.on_action.clone(), props.on_sort.clone(), refocus.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(button) = dom::clicked(&e, "button.pick, button.sort") else { return };
            let attr = |name: &str| button.get_attribute(name).unwrap_or_default();
            let sort = attr("data-sort").parse().ok();
            let action = pick(attr("data-origin"), &attr("data-method"), attr("aria-pressed") == "true");
            if sort.is_some() || action.is_some() {
                *refocus.borrow_mut() = Some(button.id());
            }
            if let Some(sort) = sort {
                on_sort.emit(sort);
            }
            if let Some(action) = action {
                cb.emit(action);
            }
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
            <div class="results-table" {onclick}>
                { match &props.markup {
                    Some(m) => markup::html(m.clone()),
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
            pick("2006".into(), "bornhuetter_ferguson", false),
            Some(Action::SetSelected { origin: "2006".into(), method: Some(Method::BornhuetterFerguson) })
        );
        // The chain ladder is the default: selecting it removes the choice.
        assert_eq!(
            pick("2006".into(), "chainladder", false),
            Some(Action::SetSelected { origin: "2006".into(), method: None })
        );
        assert_eq!(pick("2006".into(), "cape_cod", true), None);
        assert_eq!(pick("2006".into(), "nonsense", false), None);
    }
}
