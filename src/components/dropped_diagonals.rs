//! The dropped diagonals under the chain ladder's settings, each with a
//! button that restores it. A session may drop diagonals its triangle does
//! not have (another triangle of the segment may; docs/session.md allows
//! up to 2,000): those do nothing here and are kept, so they are named in
//! one line with one button that restores them all, and the list stays as
//! long as the triangle's own diagonals. Its own component, so that a
//! click elsewhere, which leaves the list as it was (the settings share it,
//! [`Shared`]), does not render it again.

use runoff_engine::shared::Shared;
use runoff_engine::Action;
use std::rc::Rc;
use yew::prelude::*;

/// How many of the diagonals the triangle does not have are named.
const NAMED: usize = 5;

#[derive(Properties, PartialEq)]
pub struct DroppedDiagonalsProps {
    /// The session's dropped diagonals.
    pub dropped: Shared<Vec<String>>,
    /// The triangle's diagonals (those that can be dropped).
    pub valuations: Rc<Vec<String>>,
    pub on_action: Callback<Action>,
}

/// The dropped diagonals the triangle has, and those it does not.
pub fn split<'a>(dropped: &'a [String], valuations: &[String]) -> (Vec<&'a String>, Vec<&'a String>) {
    let mut known: Vec<&str> = valuations.iter().map(String::as_str).collect();
    known.sort_unstable();
    dropped.iter().partition(|v| known.binary_search(&v.as_str()).is_ok())
}

/// What the line of the diagonals the triangle does not have says.
pub fn others_text(others: &[&String]) -> String {
    let named: Vec<&str> = others.iter().take(NAMED).map(|v| v.as_str()).collect();
    let more = others.len().saturating_sub(NAMED);
    let names = if more > 0 { format!("{}, and {more} more", named.join(", ")) } else { named.join(", ") };
    match others.len() {
        1 => format!("{names}, which this triangle does not have"),
        n => format!("{n} diagonals this triangle does not have: {names}"),
    }
}

fn restore(v: &str) -> Action {
    Action::SetValuationDropped { valuation: v.to_string(), dropped: false }
}

#[function_component]
pub fn DroppedDiagonals(props: &DroppedDiagonalsProps) -> Html {
    if props.dropped.is_empty() {
        return html! {};
    }
    let (own, others) = split(&props.dropped, &props.valuations);
    let restore_others = (!others.is_empty()).then(|| {
        let (cb, all) = (props.on_action.clone(), others.iter().map(|v| restore(v)).collect::<Vec<_>>());
        let label = if others.len() == 1 {
            format!("Restore diagonal {}", others[0])
        } else {
            format!("Restore the {} diagonals this triangle does not have", others.len())
        };
        (Callback::from(move |_| cb.emit(Action::Batch(all.clone()))), label)
    });
    html! {
        <ul class="dropped" aria-label="Dropped diagonals">
            { for own.iter().map(|v| {
                let onclick = {
                    let (cb, v) = (props.on_action.clone(), v.to_string());
                    Callback::from(move |_| cb.emit(restore(&v)))
                };
                html! {
                    <li key={v.as_str()}>
                        { v.as_str() }
                        <button type="button" aria-label={format!("Restore diagonal {v}")} onclick={onclick}>{ "Restore" }</button>
                    </li>
                }
            }) }
            if let Some((onclick, label)) = restore_others {
                <li key="others">
                    { others_text(&others) }
                    <button type="button" aria-label={label} onclick={onclick}>{ "Restore" }</button>
                </li>
            }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_triangles_own_are_listed_and_the_others_named_in_one_line() {
        let dropped = strings(&["2004Q4", "1990Q1", "1990Q2", "2003Q1", "1990Q3", "1990Q4", "1991Q1", "1991Q2"]);
        let (own, others) = split(&dropped, &strings(&["2003Q1", "2004Q4", "2005Q1"]));
        assert_eq!(own, vec!["2004Q4", "2003Q1"]);
        assert_eq!(others.len(), 6);
        assert_eq!(
            others_text(&others),
            "6 diagonals this triangle does not have: 1990Q1, 1990Q2, 1990Q3, 1990Q4, 1991Q1, and 1 more"
        );
        let one = strings(&["1990Q1"]);
        let (_, others) = split(&one, &[]);
        assert_eq!(others_text(&others), "1990Q1, which this triangle does not have");
    }
}
