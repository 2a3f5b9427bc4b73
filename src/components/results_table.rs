//! The results table ([`crate::results_table::Table`]) as a grid the user
//! acts on: a press on a method's ultimate selects that method for its
//! origin (`on_pick`), a press on a column's header asks for the order it
//! names (`on_sort`). Rows are keyed by origin and compare their figures,
//! so a change renders only the rows it changes.

use crate::results_table::method_text;
use crate::results_table::{Cell, Header, Row, Table};
use runoff_engine::session::Method;
use std::rc::Rc;
use yew::prelude::*;

/// A method pressed for an origin, and whether it is the one that counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub origin: String,
    pub method: Method,
    pub pressed: bool,
    /// The id of the button pressed, for the focus to stay on it.
    pub id: String,
}

#[derive(Properties, PartialEq)]
pub struct ResultsTableProps {
    pub table: Rc<Table>,
    pub on_pick: Callback<Pick>,
    /// A header pressed: the order it asks for, and the header's id.
    pub on_sort: Callback<(u8, String)>,
}

#[component]
pub fn ResultsTable(props: &ResultsTableProps) -> Html {
    let t = &props.table;
    html! {
        <>
            if !t.warnings.is_empty() {
                <ul class="warnings" role="status" aria-label="Warnings">
                    { for t.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                </ul>
            }
            <div class="scroll" tabindex="0" role="region" aria-label="Results table">
                <table class="views-table results-grid" aria-label="Results">
                    <thead><tr>
                        { for t.headers.iter().map(|h| header(h, &props.on_sort)) }
                    </tr></thead>
                    <tbody>
                        { for t.rows.iter().map(|r| html! {
                            <ResultsRow key={r.origin.clone()} row={r.clone()} on_pick={props.on_pick.clone()} />
                        }) }
                    </tbody>
                    <tfoot><tr>
                        <th scope="row" class="sticky">{ "Total" }</th>
                        { for t.total.iter().map(|x| html! { <td>{ x.clone() }</td> }) }
                    </tr></tfoot>
                </table>
            </div>
        </>
    }
}

fn header(h: &Header, on_sort: &Callback<(u8, String)>) -> Html {
    let id = format!("sort-{}", h.column);
    let onclick = {
        let (asks, id) = (h.asks, id.clone());
        on_sort.reform(move |_: MouseEvent| (asks, id.clone()))
    };
    let label = match h.expansion {
        Some(words) => html! { <abbr title={words}>{ h.label }</abbr> },
        None => html! { { h.label } },
    };
    html! {
        <th scope="col" class={(h.column == 0).then_some("sticky")} aria-sort={h.aria_sort}>
            <button type="button" class="sort" {id} {onclick}>{ label }</button>
        </th>
    }
}

#[derive(Properties, PartialEq)]
struct ResultsRowProps {
    row: Row,
    on_pick: Callback<Pick>,
}

#[component]
fn ResultsRow(props: &ResultsRowProps) -> Html {
    let r = &props.row;
    let mut k = 0;
    let cells = r.cells.iter().map(|c| match c {
        Cell::Figure { text, chosen } => html! { <td class={chosen.then_some("chosen")}>{ text.clone() }</td> },
        Cell::NoResult => {
            k += 1;
            html! { <td class="method"></td> }
        }
        Cell::Pick { method, pressed, text } => {
            let id = format!("pick-{}-{k}", r.index);
            k += 1;
            let pick = Pick { origin: r.origin.clone(), method: *method, pressed: *pressed, id: id.clone() };
            let onclick = props.on_pick.reform(move |_: MouseEvent| pick.clone());
            html! {
                <td class={classes!("method", pressed.then_some("selected"))}>
                    <button type="button" class="pick" {id} {onclick}
                        aria-label={format!("Select {} for {}", method_text(*method), r.origin)}
                        aria-pressed={pressed.to_string()}>{ text.clone() }</button>
                </td>
            }
        }
    });
    html! {
        <tr>
            <th scope="row" class="sticky">{ r.origin.clone() }</th>
            { for cells }
        </tr>
    }
}
