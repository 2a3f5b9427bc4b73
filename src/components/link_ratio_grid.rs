//! The link-ratio grid: every age-to-age ratio as a toggle button, coloured
//! by how far it is from its column (a heatmap), with the selected factors
//! under it. Clicking a ratio drops it and clicking again restores it; an
//! origin's header drops the whole origin.
//!
//! The grid is one tab stop: the arrow keys move between ratios (Home/End to
//! the ends of a row), Enter or Space toggles, as in the ARIA grid pattern.

use crate::format;
use crate::ratios::{self, Exclusion};
use runoff_engine::{Action, Reserve, Settings, Triangle};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LinkRatioGridProps {
    pub triangle: Rc<Triangle>,
    pub settings: Settings,
    pub results: Option<Rc<Reserve>>,
    pub on_action: Callback<Action>,
}

fn cell_id(i: usize, j: usize) -> String {
    format!("lr-{i}-{j}")
}

fn parse_cell_id(id: &str) -> Option<(usize, usize)> {
    let (i, j) = id.strip_prefix("lr-")?.split_once('-')?;
    Some((i.parse().ok()?, j.parse().ok()?))
}

/// The background of a ratio `z` standard deviations from its column mean:
/// red above, blue below, faint near the mean (text stays dark on both).
fn heat(z: Option<f64>) -> String {
    match z {
        Some(z) if z > 0.0 => format!("background: rgba(207, 34, 46, {})", format::fixed(0.06 + 0.2 * z / 2.0, 3)),
        Some(z) if z < 0.0 => format!("background: rgba(9, 105, 218, {})", format::fixed(0.06 + 0.2 * -z / 2.0, 3)),
        _ => String::new(),
    }
}

fn exclusion_note(e: Exclusion) -> &'static str {
    match e {
        Exclusion::Cell => "dropped",
        Exclusion::Origin => "origin dropped",
        Exclusion::Valuation => "diagonal dropped",
        Exclusion::Rule => "left out by the average's rules",
    }
}

/// The fit period after clicking the column of `age` on the grid: the first
/// click sets where the fit starts, a second click on a later column where
/// it ends; any other click starts again.
fn fit_click(fit: (Option<u32>, Option<u32>), age: u32) -> Action {
    match fit {
        (Some(from), None) if age > from => Action::SetTailFitPeriod(Some(from), Some(age)),
        _ => Action::SetTailFitPeriod(Some(age), None),
    }
}

#[component]
pub fn LinkRatioGrid(props: &LinkRatioGridProps) -> Html {
    let t = &props.triangle;
    let n_cols = t.n_ages().saturating_sub(1);
    let labels = use_memo(props.triangle.clone(), |t| ratios::period_labels(t));
    let lr = use_memo(props.triangle.clone(), |t| t.link_ratios());
    let z = use_memo(lr.clone(), |lr| ratios::z_scores(lr));
    let included = props.results.as_ref().map(|r| r.included.as_slice());
    // The one cell in the tab order (roving tabindex).
    let focus = use_state(|| (0usize, 0usize));
    let has = |i: usize, j: usize| ratios::ratio(&lr, i, j).is_some();

    let onkeydown = {
        let (focus, triangle, lr) = (focus.clone(), props.triangle.clone(), lr.clone());
        Callback::from(move |e: KeyboardEvent| {
            // The cell the key was pressed on: focus may have come by mouse
            // or by script, not only by these keys.
            let from_target = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| parse_cell_id(&el.id()));
            let (i, j) = from_target.unwrap_or(*focus);
            let t = &triangle;
            let n_o = t.n_origins();
            let n_c = t.n_ages().saturating_sub(1);
            let ok = |i: usize, j: usize| ratios::ratio(&lr, i, j).is_some();
            let target = match e.key().as_str() {
                "ArrowRight" => (j + 1..n_c).find(|&c| ok(i, c)).map(|c| (i, c)),
                "ArrowLeft" => (0..j).rev().find(|&c| ok(i, c)).map(|c| (i, c)),
                "ArrowDown" => (i + 1..n_o).find(|&r| ok(r, j)).map(|r| (r, j)),
                "ArrowUp" => (0..i).rev().find(|&r| ok(r, j)).map(|r| (r, j)),
                "Home" => (0..n_c).find(|&c| ok(i, c)).map(|c| (i, c)),
                "End" => (0..n_c).rev().find(|&c| ok(i, c)).map(|c| (i, c)),
                _ => return,
            };
            e.prevent_default();
            if let Some((r, c)) = target {
                focus.set((r, c));
                if let Some(el) = gloo::utils::document().get_element_by_id(&cell_id(r, c)) {
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            }
        })
    };

    // The focused cell must exist; otherwise the first ratio takes the tab stop.
    let tab_stop = if has(focus.0, focus.1) {
        *focus
    } else {
        (0..t.n_origins())
            .flat_map(|i| (0..n_cols).map(move |j| (i, j)))
            .find(|&(i, j)| has(i, j))
            .unwrap_or((0, 0))
    };

    // One component per origin: a click changes one row's props, so only
    // that row renders again (a 120 × 120 grid has 7,000 ratios).
    let rows = t.origins().iter().enumerate().map(|(i, origin)| {
        let exclusions: Vec<Option<Exclusion>> =
            (0..n_cols).map(|j| ratios::exclusion(t, &lr, &props.settings, included, i, j)).collect();
        html! {
            <GridRow
                key={i}
                triangle={props.triangle.clone()}
                row={i}
                ratios={lr.clone()}
                z={z.clone()}
                labels={labels.clone()}
                exclusions={exclusions}
                origin_dropped={props.settings.drop_origins.contains(origin)}
                tab_col={(tab_stop.0 == i).then_some(tab_stop.1)}
                on_action={props.on_action.clone()}
                on_focus={focus.setter()}
            />
        }
    });

    let factor_row = |name: &'static str, values: Option<&[f64]>| {
        html! {
            <tr class="factors">
                <th scope="row" class="sticky">{ name }</th>
                { for (0..n_cols).map(|j| html! {
                    <td>{ values.and_then(|v| v.get(j)).map(|x| format::number(*x, 4)).unwrap_or_default() }</td>
                }) }
            </tr>
        }
    };
    let r = props.results.as_deref();
    let fit = props.settings.tail_fit_period;
    let curve = !matches!(
        props.settings.tail_curve,
        runoff_engine::session::TailCurve::None | runoff_engine::session::TailCurve::Constant
    );
    // Ratios from ages in the fit period are the ones a curve is fitted to.
    let in_fit = |j: usize| {
        let age = t.ages()[j];
        curve && fit.0.is_none_or(|a| age >= a) && fit.1.is_none_or(|b| age <= b)
    };

    html! {
        <div class="scroll" role="region" aria-label="Link ratios">
            <table class="grid" aria-label="Link ratios" onkeydown={onkeydown}>
                <thead>
                    <tr>
                        <th scope="col" class="sticky">{ "Origin" }</th>
                        { for labels.iter().enumerate().map(|(j, l)| {
                            let class = classes!(in_fit(j).then_some("fit"));
                            if !curve {
                                return html! { <th scope="col" class={class}>{ l }</th> };
                            }
                            let age = t.ages()[j];
                            let onclick = {
                                let cb = props.on_action.clone();
                                Callback::from(move |_| cb.emit(fit_click(fit, age)))
                            };
                            html! {
                                <th scope="col" class={class}>
                                    <button type="button" class="fit-pick"
                                        aria-label={format!("tail fit {l}")}
                                        aria-pressed={in_fit(j).to_string()}
                                        title="Click the first and then the last period the tail curve is fitted to"
                                        onclick={onclick}>{ l }</button>
                                </th>
                            }
                        }) }
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
                <tfoot>
                    { factor_row("LDF", r.map(|r| r.ldf.as_slice())) }
                    { factor_row("CDF", r.map(|r| r.cdf.as_slice())) }
                    <tr class="factors">
                        <th scope="row" class="sticky">{ "Tail" }</th>
                        <td>{ r.map(|r| format::number(r.tail_factor, 4)).unwrap_or_default() }</td>
                        <td colspan={n_cols.saturating_sub(1).max(1).to_string()}></td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct GridRowProps {
    triangle: Rc<Triangle>,
    row: usize,
    ratios: Rc<ratios::Ratios>,
    z: Rc<Vec<Vec<Option<f64>>>>,
    labels: Rc<Vec<String>>,
    /// Why each ratio of the row is left out, if it is.
    exclusions: Vec<Option<Exclusion>>,
    origin_dropped: bool,
    /// The column of the grid's one tab stop, when it is in this row.
    tab_col: Option<usize>,
    on_action: Callback<Action>,
    on_focus: UseStateSetter<(usize, usize)>,
}

/// One origin's ratios.
#[component]
fn GridRow(props: &GridRowProps) -> Html {
    let (t, i) = (&props.triangle, props.row);
    let Some(origin) = t.origins().get(i) else { return html! {} };
    let origin_dropped = props.origin_dropped;
    let on_origin = {
        let (cb, origin) = (props.on_action.clone(), origin.clone());
        Callback::from(move |_| cb.emit(Action::SetOriginDropped { origin: origin.clone(), dropped: !origin_dropped }))
    };
    let cells = props.exclusions.iter().enumerate().map(|(j, &excl)| {
        let Some(r) = ratios::ratio(&props.ratios, i, j) else {
            return html! { <td class="empty"></td> };
        };
        let dropped = excl == Some(Exclusion::Cell);
        let age = t.ages().get(j).copied().unwrap_or_default();
        let onclick = {
            let (cb, origin, focus) = (props.on_action.clone(), origin.clone(), props.on_focus.clone());
            Callback::from(move |_| {
                focus.set((i, j));
                cb.emit(Action::SetCellDropped { origin: origin.clone(), age, dropped: !dropped })
            })
        };
        let class = classes!("ratio", excl.map(|e| match e {
            Exclusion::Rule => "excluded-rule",
            _ => "excluded",
        }));
        let z = props.z.get(i).and_then(|row| row.get(j)).copied().flatten();
        let label = props.labels.get(j).map(String::as_str).unwrap_or_default();
        html! {
            <td style={heat(z)}>
                <button
                    id={cell_id(i, j)}
                    class={class}
                    aria-label={format!("link ratio {origin} {label}")}
                    aria-pressed={dropped.to_string()}
                    title={excl.map(exclusion_note).unwrap_or("")}
                    tabindex={if props.tab_col == Some(j) { "0" } else { "-1" }}
                    onclick={onclick}
                >{ format::number(r, 3) }</button>
            </td>
        }
    });
    html! {
        <tr>
            <th scope="row" class="sticky">
                <button
                    class={classes!("origin", origin_dropped.then_some("excluded"))}
                    aria-label={format!("origin {origin}")}
                    aria-pressed={origin_dropped.to_string()}
                    onclick={on_origin}
                >{ origin }</button>
            </th>
            { for cells }
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_ids_read_back() {
        assert_eq!(parse_cell_id(&cell_id(3, 14)), Some((3, 14)));
        assert_eq!(parse_cell_id("lr-x-1"), None);
        assert_eq!(parse_cell_id("other"), None);
    }

    #[test]
    fn fit_period_is_picked_by_two_clicks() {
        assert_eq!(fit_click((None, None), 12), Action::SetTailFitPeriod(Some(12), None));
        assert_eq!(fit_click((Some(12), None), 48), Action::SetTailFitPeriod(Some(12), Some(48)));
        assert_eq!(fit_click((Some(12), None), 6), Action::SetTailFitPeriod(Some(6), None));
        assert_eq!(fit_click((Some(12), Some(48)), 24), Action::SetTailFitPeriod(Some(24), None));
    }
}
