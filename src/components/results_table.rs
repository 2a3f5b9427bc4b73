//! The results: per origin the latest value, premium, ultimate and IBNR of
//! the selected method, and a total row.

use crate::format;
use runoff_engine::Reserve;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsTableProps {
    pub results: Rc<Reserve>,
}

#[component]
pub fn ResultsTable(props: &ResultsTableProps) -> Html {
    let r = &props.results;
    let premium = |i: usize| r.premium.as_ref().and_then(|p| p.get(i).copied());
    let money = |x: f64| format::number(x, 2);
    let total_premium = r.premium.as_ref().map(|p| p.iter().sum::<f64>());
    let sel = &r.selected.result;
    html! {
        <table class="results" aria-label="Results">
            <thead>
                <tr>
                    <th scope="col">{ "Origin" }</th>
                    <th scope="col">{ "Latest" }</th>
                    <th scope="col">{ "Premium" }</th>
                    <th scope="col">{ "Ultimate" }</th>
                    <th scope="col">{ "IBNR" }</th>
                </tr>
            </thead>
            <tbody>
                { for r.origins.iter().enumerate().map(|(i, o)| html! {
                    <tr>
                        <th scope="row">{ o }</th>
                        <td>{ r.latest.get(i).copied().map(money).unwrap_or_default() }</td>
                        <td>{ premium(i).map(money).unwrap_or_default() }</td>
                        <td>{ sel.ultimate.get(i).copied().map(money).unwrap_or_default() }</td>
                        <td>{ sel.ibnr.get(i).copied().map(money).unwrap_or_default() }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row">{ "Total" }</th>
                    <td>{ money(r.latest.iter().sum()) }</td>
                    <td>{ total_premium.map(money).unwrap_or_default() }</td>
                    <td>{ money(sel.ultimate.iter().sum()) }</td>
                    <td>{ money(sel.total_ibnr) }</td>
                </tr>
            </tfoot>
        </table>
    }
}
