//! The status line: which segment and measure, and whether the worker is
//! recalculating. It is a live region, so assistive technology hears when a
//! recalculation starts and ends.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusLineProps {
    pub segment: AttrValue,
    pub measure: AttrValue,
    pub recalculating: bool,
}

#[component]
pub fn StatusLine(props: &StatusLineProps) -> Html {
    html! {
        <p class="status" role="status">
            <span>{ format!("Segment {} · {}", props.segment, props.measure) }</span>
            if props.recalculating {
                <span class="busy">{ " · Recalculating…" }</span>
            }
        </p>
    }
}
