//! What the user chose to see in the views, as a hook: view state, not
//! judgements, so not saved, and kept while the user moves between the
//! views of a segment. Actual versus expected: the valuation it starts
//! from and the one shown by origin. Results: amounts or ratios to premium,
//! and the rows' order.

use crate::results_table::Show;
use runoff_engine::{ave, Triangle};
use std::rc::Rc;
use yew::prelude::*;

/// The choices, and how to change them.
#[derive(Clone, PartialEq)]
pub struct ViewChoices {
    /// Every diagonal of the triangle, newest first (the latest, then the
    /// earlier valuations), as month index and label.
    pub valuations: Rc<Vec<(i32, String)>>,
    /// The valuation actual versus expected starts from.
    pub ave_from: Option<i32>,
    /// The valuation shown by origin; the latest when `None`.
    pub ave_at: Option<i32>,
    pub on_ave_from: Callback<i32>,
    pub on_ave_at: Callback<i32>,
    pub show: Show,
    /// The results table's order ([`crate::results_table::sort_key`]).
    pub sort: u8,
    pub on_show: Callback<Show>,
    pub on_sort: Callback<u8>,
}

/// The valuation actual versus expected starts from: a year before the
/// latest, or the earliest there is.
fn default_from(valuations: &[(i32, String)], latest: i32) -> Option<i32> {
    valuations
        .iter()
        .map(|(m, _)| *m)
        .find(|m| latest - m >= 12)
        .or_else(|| valuations.last().map(|(m, _)| *m))
        .filter(|m| *m < latest)
}

/// The choices for the views of `triangle` (a choice of a valuation the
/// triangle does not have falls back to the default).
#[hook]
pub fn use_view_choices(triangle: Option<Rc<Triangle>>) -> ViewChoices {
    let valuations = use_memo(triangle.clone(), |t| t.as_deref().map(ave::diagonals).unwrap_or_default());
    let latest = triangle.as_ref().map_or(0, |t| t.valuation_month_max());
    let chosen_from = use_state(|| None::<i32>);
    let chosen_at = use_state(|| None::<i32>);
    let show = use_state(Show::default);
    let sort = use_state(|| 0u8);
    let known = |m: &i32| valuations.iter().any(|(v, _)| v == m);
    let set = |s: &UseStateHandle<Option<i32>>| {
        let s = s.clone();
        Callback::from(move |m: i32| s.set(Some(m)))
    };
    ViewChoices {
        valuations: valuations.clone(),
        ave_from: chosen_from.filter(known).or_else(|| default_from(&valuations, latest)),
        ave_at: chosen_at.filter(known),
        on_ave_from: set(&chosen_from),
        on_ave_at: set(&chosen_at),
        show: *show,
        sort: *sort,
        on_show: Callback::from(move |s: Show| show.set(s)),
        on_sort: Callback::from(move |s: u8| sort.set(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actual_versus_expected_starts_a_year_back() {
        let v =
            vec![(2005 * 12 + 11, "2005Q4".into()), (2005 * 12 + 8, "2005Q3".into()), (2005 * 12 + 2, "2005Q1".into())];
        assert_eq!(default_from(&v, 2006 * 12 + 2), Some(2005 * 12 + 2));
        assert_eq!(default_from(&v[..1], 2006 * 12 + 2), Some(2005 * 12 + 11));
        assert_eq!(default_from(&[], 0), None);
    }
}
