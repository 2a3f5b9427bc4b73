//! The averages table under the link-ratio grid, as the worker writes it
//! with each recalculation ([`runoff_worker::exhibits::averages`]): a press
//! on an average selects it for its column (again, or Default, returns the
//! column to the session's average), and a typed factor is committed with
//! Enter or on leaving the field. The view listens once, on the table's
//! container, reads what was pressed from the ids, and keeps the keyboard's
//! focus where it was when the table is written again. A typed factor that
//! is not a number ≥ 0 is refused here, with a message naming its column.

use crate::browser::dom;
use runoff_engine::Action;
use runoff_worker::exhibits::averages::choice;
use runoff_worker::markup::Cells;
use std::rc::Rc;
use yew::prelude::*;

/// The action a press on the table's button `id` asks for (`pressed`: its
/// state): `av-{j}-{k}` selects average `k` for column `j`, or returns the
/// column to its default when it is already selected; `ad-{j}` returns it.
pub fn press(ages: &[u32], id: &str, pressed: bool) -> Option<Action> {
    let (rest, default) = match id.strip_prefix("ad-") {
        Some(j) => (j, true),
        None => (id.strip_prefix("av-")?, false),
    };
    let (j, k) = rest.split_once('-').unwrap_or((rest, "0"));
    let (j, k): (usize, usize) = (j.parse().ok()?, k.parse().ok()?);
    let age = *ages.get(j)?;
    let average = (!default && !pressed && k < 9).then(|| choice(k));
    Some(Action::SetColumnAverage { age, average })
}

/// A typed factor's text: empty clears it, a number ≥ 0 is the factor
/// (read by [`crate::entry`], as every number field is); anything else is
/// refused with a message naming the column (`label`).
pub fn typed_factor(label: &str, text: &str) -> Result<Option<f64>, String> {
    let field = format!("Typed factor {label}");
    let refused = || format!("{field}: `{}` is not a number ≥ 0", text.trim());
    match crate::entry::optional(text, |t| crate::entry::real(&field, t)) {
        Ok(Some(x)) if x < 0.0 => Err(refused()),
        Ok(factor) => Ok(factor),
        Err(_) => Err(refused()),
    }
}

/// The table and its alert, for the chain ladder view (a hook rather than
/// a component of its own, which is less code in the page): `ages` are the
/// triangle's (column `j` runs from `ages[j]` to `ages[j + 1]`).
#[hook]
pub fn use_averages_table(table: Option<Rc<Cells>>, ages: &[u32], on_action: &Callback<Action>) -> Html {
    let error = use_state_eq(|| None::<String>);
    // The id of the control last used, focused again once the table is
    // written again.
    let refocus = use_mut_ref(|| None::<String>);
    // Written by writing the cells that changed (dom::patch_cells): the
    // table has about a thousand elements and is rewritten on every
    // recalculation, of which a click changes a column. `shown` is what
    // the container holds.
    let node = use_node_ref();
    let shown = use_mut_ref(|| None::<Rc<Cells>>);
    {
        let (refocus, node) = (refocus.clone(), node.clone());
        use_effect_with(table, move |table| {
            let mut shown = shown.borrow_mut();
            dom::patch_cells_in(&node, table.as_deref(), shown.as_deref());
            *shown = table.clone();
            if let Some(id) = refocus.borrow_mut().take() {
                dom::focus_by_id(&id);
            }
        });
    }
    let onclick = {
        let (cb, ages, refocus) = (on_action.clone(), ages.to_vec(), refocus.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(button) = dom::clicked(&e, "button") else { return };
            let id = button.id();
            if let Some(a) = press(&ages, &id, button.get_attribute("aria-pressed").as_deref() == Some("true")) {
                *refocus.borrow_mut() = Some(id);
                cb.emit(a);
            }
        })
    };
    let onchange = {
        let (cb, ages, refocus, error) = (on_action.clone(), ages.to_vec(), refocus.clone(), error.clone());
        Callback::from(move |e: Event| {
            let (Some(id), Some(text)) = (dom::target_id(&e), dom::value_of(&e)) else { return };
            let Some(j) = id.strip_prefix("tf-").and_then(|j| j.parse::<usize>().ok()) else { return };
            let (Some(&age), Some(to)) = (ages.get(j), ages.get(j + 1)) else { return };
            match typed_factor(&format!("{age}-{to}"), &text) {
                Ok(factor) => {
                    error.set(None);
                    *refocus.borrow_mut() = Some(id);
                    cb.emit(Action::SetColumnFactor { age, factor });
                }
                Err(m) => error.set(Some(m)),
            }
        })
    };
    html! {
        <section class="averages-view" aria-label="Averages by column">
            <div class="scroll" ref={node} {onclick} {onchange}></div>
            <p class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::{Average, ColumnAverage};

    #[test]
    fn a_press_selects_an_average_or_returns_the_column_to_its_default() {
        let ages = [3, 6, 9];
        let simple5 = ColumnAverage { average: Average::Simple, n_periods: Some(5) };
        assert_eq!(press(&ages, "av-0-4", false), Some(Action::SetColumnAverage { age: 3, average: Some(simple5) }));
        assert_eq!(press(&ages, "av-1-4", true), Some(Action::SetColumnAverage { age: 6, average: None }));
        assert_eq!(press(&ages, "ad-1", false), Some(Action::SetColumnAverage { age: 6, average: None }));
        assert_eq!(press(&ages, "av-7-0", false), None);
        assert_eq!(press(&ages, "lr-0-1", false), None);
    }

    #[test]
    fn a_typed_factor_is_a_number_at_least_zero_or_empty() {
        assert_eq!(typed_factor("6-9", " 1.05 "), Ok(Some(1.05)));
        assert_eq!(typed_factor("6-9", "0"), Ok(Some(0.0)));
        assert_eq!(typed_factor("6-9", "  "), Ok(None));
        assert_eq!(typed_factor("3-6", "abc").unwrap_err(), "Typed factor 3-6: `abc` is not a number ≥ 0");
        for bad in ["-1", "NaN", "inf", "1e999", "1,05"] {
            assert!(typed_factor("3-6", bad).is_err(), "{bad}");
        }
    }
}
