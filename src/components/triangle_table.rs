//! The cumulative triangle as a table: origins down, ages across. Wide
//! triangles (45 quarterly ages) scroll sideways with the origin column fixed.

use crate::format;
use runoff_engine::Triangle;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TriangleTableProps {
    pub triangle: Rc<Triangle>,
    /// What the values are, for the table's accessible name.
    pub caption: AttrValue,
}

#[component]
pub fn TriangleTable(props: &TriangleTableProps) -> Html {
    let t = &props.triangle;
    html! {
        <div class="scroll" tabindex="0" role="region" aria-label={props.caption.clone()}>
            <table class="triangle" aria-label={props.caption.clone()}>
                <thead>
                    <tr>
                        <th scope="col" class="sticky">{ "Origin" }</th>
                        { for t.ages().iter().map(|a| html! { <th scope="col">{ a }</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for t.origins().iter().enumerate().map(|(i, o)| html! {
                        <tr>
                            <th scope="row" class="sticky">{ o }</th>
                            { for t.row(i).iter().map(|v| html! {
                                <td>{ v.map(format::cell).unwrap_or_default() }</td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
