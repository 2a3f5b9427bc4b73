//! The workbench's views as tabs (the ARIA tabs pattern: the arrow keys,
//! Home and End move between them).

use crate::browser::dom;
use crate::route::Place;
use crate::state::View;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ViewTabsProps {
    pub place: Place,
    pub on_place: Callback<Place>,
}

/// The views as tabs (ARIA tabs pattern: arrow keys move between them).
#[component]
pub fn ViewTabs(props: &ViewTabsProps) -> Html {
    let go = |view: View| {
        let (cb, segment) = (props.on_place.clone(), props.place.segment.clone());
        move || cb.emit(Place { segment: segment.clone(), view })
    };
    let current = props.place.view;
    let onkeydown = {
        let (cb, segment) = (props.on_place.clone(), props.place.segment.clone());
        Callback::from(move |e: KeyboardEvent| {
            let k = View::ALL.iter().position(|v| *v == current).unwrap_or(0);
            let n = View::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (k + 1) % n,
                "ArrowLeft" => (k + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            let view = View::ALL[next];
            cb.emit(Place { segment: segment.clone(), view });
            dom::focus_by_id(&format!("tab-{}", view.id()));
        })
    };
    html! {
        <nav class="tabs" role="tablist" aria-label="Views" onkeydown={onkeydown}>
            { for View::ALL.iter().copied().map(|v| {
                let selected = v == current;
                let go = go(v);
                html! {
                    <button type="button" role="tab" id={format!("tab-{}", v.id())}
                        aria-selected={selected.to_string()}
                        aria-controls={format!("panel-{}", v.id())}
                        tabindex={if selected { "0" } else { "-1" }}
                        onclick={Callback::from(move |_| go())}>{ v.title() }</button>
                }
            }) }
        </nav>
    }
}
