//! The status line: which segment and measure, the session version shown,
//! whether the worker is recalculating, when the session was last saved and
//! the total IBNR, or that a change is not saved yet and will be tried
//! again. It is a live region, so assistive technology hears when a
//! recalculation starts and ends.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusLineProps {
    pub segment: AttrValue,
    pub measure: AttrValue,
    /// The `sync_version` of the session shown.
    pub version: u64,
    pub recalculating: bool,
    /// The time of the last save, as the user reads it.
    #[prop_or_default]
    pub saved_at: Option<AttrValue>,
    #[prop_or_default]
    pub total_ibnr: Option<String>,
    /// Changes storage refused are waiting to be saved again.
    #[prop_or_default]
    pub unsaved: bool,
    /// Said when sessions are kept somewhere weaker than usual.
    #[prop_or_default]
    pub mode_note: Option<AttrValue>,
}

#[component]
pub fn StatusLine(props: &StatusLineProps) -> Html {
    html! {
        <p class="status" role="status">
            <span>{ format!("Segment {} · {}", props.segment, props.measure) }</span>
            <span class="version">{ format!(" · version {}", props.version) }</span>
            if let Some(t) = &props.total_ibnr {
                <span class="total">{ format!(" · IBNR {t}") }</span>
            }
            if props.unsaved {
                <span class="unsaved">{ " · Not saved — will retry" }</span>
            } else if let Some(t) = &props.saved_at {
                <span class="saved">{ format!(" · saved {t}") }</span>
            }
            if props.recalculating {
                <span class="busy">{ " · Recalculating…" }</span>
            }
            if let Some(n) = &props.mode_note {
                <span class="note">{ format!(" · {n}") }</span>
            }
        </p>
    }
}
