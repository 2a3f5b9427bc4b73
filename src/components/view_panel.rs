//! The view shown in a segment's workbench, given what it shows: the data,
//! the chain ladder (with its chart and print exhibit), Bornhuetter-Ferguson,
//! the results or actual versus expected. (The reserve range is mounted
//! beside it once shown, to follow the settings.)

use crate::components::ave_view::AveView;
use crate::components::print_only::PrintOnly;
use crate::components::{BfView, ChainLadderView, DataView, ResultsView};
use crate::markup;
use crate::recalc::PrintRequest;
use crate::segments::Segment;
use crate::state::View;
use crate::view_choices::ViewChoices;
use runoff_engine::{Action, Reserve, Settings, Triangle};
use runoff_worker::exhibits::Rendered;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ViewPanelProps {
    pub view: View,
    pub segment: Rc<Segment>,
    /// The triangle of the measure shown, and its name.
    pub triangle: Option<Rc<Triangle>>,
    pub measure: AttrValue,
    pub settings: Settings,
    pub results: Option<Rc<Reserve>>,
    pub exhibits: Rc<Rendered>,
    pub print: PrintRequest,
    pub choices: ViewChoices,
    pub on_action: Callback<Action>,
}

#[component]
pub fn ViewPanel(props: &ViewPanelProps) -> Html {
    let (segment, exhibits, choices) = (&props.segment, &props.exhibits, &props.choices);
    match (props.view, &props.triangle) {
        (View::Data, _) => html! { <DataView segment={segment.clone()} /> },
        (View::ChainLadder, Some(t)) => html! {
            <ChainLadderView
                triangle={t.clone()}
                measures={segment.measures.iter().map(|(m, _)| AttrValue::from(m.clone())).collect::<Vec<_>>()}
                measure={props.measure.clone()}
                settings={props.settings.clone()}
                results={props.results.clone()}
                on_action={props.on_action.clone()}
                averages={exhibits.averages.clone()}
                outside={exhibits.outside.clone()}
                premium={segment.premium.clone()}
            >
                <PrintOnly request={props.print.clone()} />
                if let Some(chart) = exhibits.chart.clone() {
                    { markup::html(chart) }
                }
            </ChainLadderView>
        },
        (View::BornhuetterFerguson, Some(t)) => html! {
            <BfView
                origins={t.origins().to_vec()}
                premium={segment.premium.clone()}
                settings={props.settings.clone()}
                results={props.results.clone()}
                on_action={props.on_action.clone()}
            />
        },
        (View::Results, Some(_)) => html! {
            <ResultsView results={props.results.clone()} show={choices.show} sort={choices.sort}
                has_premium={segment.premium.is_some()} on_show={choices.on_show.clone()}
                on_action={props.on_action.clone()} on_sort={choices.on_sort.clone()} />
        },
        (View::ActualVsExpected, Some(_)) => html! {
            <AveView ave={exhibits.ave.clone().map(AttrValue::from)} valuations={choices.valuations.clone()}
                from={choices.ave_from} on_from={choices.on_ave_from.clone()}
                at={choices.ave_at} on_at={choices.on_ave_at.clone()} />
        },
        (View::ReserveRange, _) | (_, None) => html! {},
        // Shown by the segment's workbench, which knows the team server.
        #[cfg(feature = "team")]
        (View::History, _) => html! {},
    }
}
