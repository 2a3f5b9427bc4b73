//! The link-ratio grid: every age-to-age ratio as a toggle button, coloured
//! by how far it is from its column (a heatmap), with the selected factors
//! under it. Clicking a ratio drops it and clicking again restores it; an
//! origin's header drops the whole origin.
//!
//! The grid is one tab stop: the arrow keys move between ratios (Home/End to
//! the ends of a row), Enter or Space toggles, as in the ARIA grid pattern.
//!
//! The ratio hovered or focused is described by one tooltip (`lr-tip`,
//! its `aria-describedby`): the values it is taken from and to, the ages,
//! the origin's premium, and why it is left out. The LDF row says how each
//! factor is chosen; with a fitted tail, a press on the Tail row attaches
//! the tail at that column's age (again, to detach it).

use crate::browser::dom;
use crate::format;
use crate::ratios::{self, Exclusion};
use runoff_engine::{Action, Reserve, Settings, Triangle};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LinkRatioGridProps {
    pub triangle: Rc<Triangle>,
    pub settings: Settings,
    pub results: Option<Rc<Reserve>>,
    pub on_action: Callback<Action>,
    /// Premium per origin, when the segment has it.
    #[prop_or_default]
    pub premium: Option<Vec<f64>>,
    /// The ratios the latest-n windows leave out (origin-major), from the
    /// worker ([`runoff_worker::exhibits::outside`]).
    #[prop_or_default]
    pub outside: Vec<u32>,
}

fn cell_id(i: usize, j: usize) -> String {
    format!("lr-{i}-{j}")
}

fn parse_cell_id(id: &str) -> Option<(usize, usize)> {
    let (i, j) = id.strip_prefix("lr-")?.split_once('-')?;
    Some((i.parse().ok()?, j.parse().ok()?))
}

/// The heatmap class of a ratio `z` standard deviations from its column
/// mean: `h1`…`h4` above, `c1`…`c4` below, in steps of half a deviation
/// (`static/style.css` colours them red and blue, faint near the mean, so
/// that the text stays dark on both). A class rather than a style per cell:
/// a large grid sets thousands of these.
fn heat(z: Option<f64>) -> &'static str {
    const ABOVE: [&str; 4] = ["h1", "h2", "h3", "h4"];
    const BELOW: [&str; 4] = ["c1", "c2", "c3", "c4"];
    match z {
        Some(z) if z.is_finite() && z != 0.0 => {
            let k = ((z.abs() * 2.0).ceil() as usize).clamp(1, 4) - 1;
            if z > 0.0 {
                ABOVE[k]
            } else {
                BELOW[k]
            }
        }
        _ => "",
    }
}

fn exclusion_note(e: Exclusion) -> &'static str {
    match e {
        Exclusion::Cell => "dropped by hand",
        Exclusion::Origin => "origin dropped",
        Exclusion::Valuation => "diagonal dropped",
        Exclusion::Rule => "left out by the average's rules",
    }
}

/// How the factor of the column from `age` is chosen, in a few letters:
/// `typed`, or the column's average (`vol`, `simple`, `geo`, `reg`) with
/// its window (`simple 5`); and whether that is the column's own choice
/// (typed, or an average chosen for it) rather than the session's.
pub fn basis_label(s: &Settings, age: u32, typed: bool) -> (String, bool) {
    use runoff_engine::session::Average::*;
    if typed {
        return ("typed".into(), true);
    }
    let c = s.column_average(age);
    let name = match c.average {
        Volume => "vol",
        Simple => "simple",
        Geometric => "geo",
        Regression => "reg",
    };
    let label = match c.n_periods {
        Some(n) => format!("{name} {n}"),
        None => name.into(),
    };
    (label, s.average_by_age.contains_key(&age))
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

/// Grids with more ratios than this render only what is in view (with a
/// margin): a 120 × 120 triangle is 7,000 ratios, and laying out and
/// painting them all on every click took longer than a frame can.
pub const WINDOW_ABOVE: usize = 2_500;

/// Sizes of a windowed grid's cells in CSS pixels (`static/style.css`
/// sets the same), from which the rows and columns in view follow.
pub const ROW_PX: f64 = 26.0;
pub const COL_PX: f64 = 64.0;
pub const ORIGIN_PX: f64 = 96.0;

/// The rows and columns a windowed grid renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub rows: (usize, usize),
    pub cols: (usize, usize),
}

impl Window {
    /// Everything.
    pub fn all(n_rows: usize, n_cols: usize) -> Window {
        Window { rows: (0, n_rows), cols: (0, n_cols) }
    }

    /// The window for a scroll position and viewport (in pixels), in steps
    /// of 8 rows and 4 columns with up to a step past the view, so that
    /// scrolling renders again only now and then, and never shows a gap.
    pub fn of(top: f64, left: f64, height: f64, width: f64, n_rows: usize, n_cols: usize) -> Window {
        let span = |offset: f64, size: f64, cell: f64, step: usize, n: usize| {
            let visible = (size.max(0.0) / cell).ceil() as usize;
            let first = ((offset.max(0.0) / cell) as usize).min(n.saturating_sub(visible));
            let start = first / step * step;
            let end = start + visible + step;
            (start.min(n), end.min(n))
        };
        Window {
            rows: span(top, height, ROW_PX, 8, n_rows),
            cols: span(left, (width - ORIGIN_PX).max(COL_PX), COL_PX, 4, n_cols),
        }
    }

    fn has(&self, i: usize, j: usize) -> bool {
        (self.rows.0..self.rows.1).contains(&i) && (self.cols.0..self.cols.1).contains(&j)
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
    let focus = use_state_eq(|| (0usize, 0usize));
    let has = |i: usize, j: usize| ratios::ratio(&lr, i, j).is_some();
    let windowed = t.n_origins() * n_cols > WINDOW_ABOVE;
    // Until the box is measured: 70% of a tall window, a wide one's width.
    let initial = Window::of(0.0, 0.0, 700.0, 1400.0, t.n_origins(), n_cols);
    let view_window = use_state(move || initial);
    let window = if windowed { *view_window } else { Window::all(t.n_origins(), n_cols) };
    let scroller = use_node_ref();
    // The ratio the tooltip describes, and where it is shown (the cell's
    // bottom left, in the viewport).
    let tip = use_state_eq(|| None::<(usize, usize, i32, i32)>);
    // A cell the keyboard moved to outside the window: focused once it is
    // rendered.
    let focus_after = use_mut_ref(|| None::<(usize, usize)>);
    {
        let focus_after = focus_after.clone();
        use_effect(move || {
            let target = *focus_after.borrow();
            if let Some((i, j)) = target {
                if dom::focus_by_id(&cell_id(i, j)) {
                    *focus_after.borrow_mut() = None;
                }
            }
        });
    }
    let on_scroll = {
        let (view_window, scroller, n_rows) = (view_window.clone(), scroller.clone(), t.n_origins());
        Callback::from(move |_: Event| {
            let Some((top, left, height, width)) = dom::scroll_of(&scroller) else { return };
            let w = Window::of(top, left, height, width, n_rows, n_cols);
            if w != *view_window {
                view_window.set(w);
            }
        })
    };

    let onkeydown = {
        let (focus, triangle, lr) = (focus.clone(), props.triangle.clone(), lr.clone());
        let (scroller, focus_after) = (scroller.clone(), focus_after.clone());
        Callback::from(move |e: KeyboardEvent| {
            // The cell the key was pressed on: focus may have come by mouse
            // or by script, not only by these keys.
            let from_target = dom::target_id(&e).and_then(|id| parse_cell_id(&id));
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
                // Not rendered (a windowed grid): scroll it into view,
                // which renders it, and focus it then.
                if !dom::focus_by_id(&cell_id(r, c)) {
                    if let Some((_, _, height, width)) = dom::scroll_of(&scroller) {
                        let top = r as f64 * ROW_PX - height / 2.0;
                        let left = c as f64 * COL_PX - (width - ORIGIN_PX) / 2.0;
                        dom::scroll_to(&scroller, top, left);
                    }
                    *focus_after.borrow_mut() = Some((r, c));
                }
            }
        })
    };

    // The focused cell must exist; otherwise the first ratio takes the tab stop.
    let tab_stop = if has(focus.0, focus.1) && (window.has(focus.0, focus.1) || focus_after.borrow().is_some()) {
        *focus
    } else if windowed {
        (window.rows.0..window.rows.1)
            .flat_map(|i| (window.cols.0..window.cols.1).map(move |j| (i, j)))
            .find(|&(i, j)| has(i, j))
            .unwrap_or((0, 0))
    } else {
        (0..t.n_origins()).flat_map(|i| (0..n_cols).map(move |j| (i, j))).find(|&(i, j)| has(i, j)).unwrap_or((0, 0))
    };

    // One component per origin: a click changes one row's props, so only
    // that row renders again (a 120 × 120 grid has 7,000 ratios).
    let (c0, c1) = window.cols;
    let judged = ratios::Judgements::new(t, &props.settings);
    let rows = (0..t.n_origins()).skip(window.rows.0).take(window.rows.1 - window.rows.0).map(|i| {
        let exclusions: Vec<Option<Exclusion>> = (c0..c1).map(|j| judged.exclusion(t, &lr, included, i, j)).collect();
        html! {
            <GridRow
                key={i}
                triangle={props.triangle.clone()}
                row={i}
                ratios={lr.clone()}
                z={z.clone()}
                labels={labels.clone()}
                exclusions={exclusions}
                origin_dropped={judged.origin_dropped(i)}
                tab_col={(tab_stop.0 == i).then_some(tab_stop.1)}
                cols={window.cols}
                n_cols={n_cols}
            />
        }
    });

    // The columns left and right of the window, as one cell each.
    let left = spacer(c0, None);
    let right = spacer(n_cols - c1, None);
    let factor_row = |name: &'static str, values: Option<&[f64]>, basis: bool| {
        html! {
            <tr class="factors">
                <th scope="row" class="sticky">{ name }</th>
                { left.clone() }
                { for (c0..c1).map(|j| {
                    let typed = basis && props.results.as_ref().is_some_and(|r| r.ldf_typed.get(j) == Some(&true));
                    let label = basis.then(|| basis_label(&props.settings, t.ages()[j], typed));
                    html! {
                        <td class={typed.then_some("typed")}>
                            { values.and_then(|v| v.get(j)).map(|x| format::number(*x, 4)).unwrap_or_default() }
                            if let Some((l, own)) = label { <small class={if own { "basis own" } else { "basis" }}>{ l }</small> }
                        </td>
                    }
                }) }
                { right.clone() }
            </tr>
        }
    };
    // The rows above and below the window, as one row each.
    let gap = |n: usize| {
        (n > 0).then(|| html! { <tr class="gap" aria-hidden="true" style={format!("height:{}px", format::fixed(n as f64 * ROW_PX, 0))}><td colspan={(c1 - c0 + 3).to_string()}></td></tr> })
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
    let attach = props.settings.tail_attachment_age;
    let fitted = matches!(
        props.settings.tail_curve,
        runoff_engine::session::TailCurve::Exponential
            | runoff_engine::session::TailCurve::InversePower
            | runoff_engine::session::TailCurve::Weibull
    );

    // One listener for every ratio and origin button, found by their ids:
    // a grid of thousands of buttons then builds no callback per button.
    let onclick = {
        let (cb, focus, triangle) = (props.on_action.clone(), focus.setter(), props.triangle.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(button) = dom::clicked(&e, "button") else { return };
            let pressed = button.get_attribute("aria-pressed").as_deref() == Some("true");
            let id = button.id();
            if let Some((i, j)) = parse_cell_id(&id) {
                let (Some(origin), Some(&age)) = (triangle.origins().get(i), triangle.ages().get(j)) else { return };
                focus.set((i, j));
                cb.emit(Action::SetCellDropped { origin: origin.clone(), age, dropped: !pressed });
            } else if let Some(i) = id.strip_prefix("lo-").and_then(|i| i.parse::<usize>().ok()) {
                if let Some(origin) = triangle.origins().get(i) {
                    cb.emit(Action::SetOriginDropped { origin: origin.clone(), dropped: !pressed });
                }
            } else if let Some(&age) =
                id.strip_prefix("ta-").and_then(|j| triangle.ages().get(j.parse::<usize>().ok()?))
            {
                cb.emit(Action::SetTailAttachmentAge((!pressed).then_some(age)));
            }
        })
    };
    // The tooltip follows the ratio hovered or focused, and goes when the
    // pointer leaves the grid or the focus leaves a ratio.
    let on_mouse = {
        let tip = tip.setter();
        Callback::from(move |e: MouseEvent| tip.set(tip_at(&e)))
    };
    let on_focus = {
        let tip = tip.setter();
        Callback::from(move |e: FocusEvent| tip.set(if e.type_() == "focusin" { tip_at(&e) } else { None }))
    };
    let tip_text = (*tip).and_then(|(i, j, ..)| {
        describe(t, &lr, &props.settings, included, props.premium.as_deref(), &props.outside, i, j)
    });
    let table_style = windowed.then(|| format!("width:{}px", format::fixed(ORIGIN_PX + n_cols as f64 * COL_PX, 0)));
    html! {
        <div class={classes!("scroll", windowed.then_some("windowed"))} role="region" aria-label="Link ratios"
            ref={scroller} onscroll={on_scroll}>
            <table class={classes!("grid", windowed.then_some("windowed"))} aria-label="Link ratios" onkeydown={onkeydown} onclick={onclick}
                onmouseover={on_mouse.clone()} onmouseleave={on_mouse} onfocusin={on_focus.clone()} onfocusout={on_focus}
                style={table_style}
                aria-rowcount={windowed.then(|| (t.n_origins() + 1).to_string())}
                aria-colcount={windowed.then(|| (n_cols + 1).to_string())}>
                <thead>
                    <tr>
                        <th scope="col" class="sticky">{ "Origin" }</th>
                        { spacer(c0, Some("th")) }
                        { for labels.iter().enumerate().skip(c0).take(c1 - c0).map(|(j, l)| {
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
                        { spacer(n_cols - c1, Some("th")) }
                    </tr>
                </thead>
                <tbody>
                    { gap(window.rows.0) }
                    { for rows }
                    { gap(t.n_origins() - window.rows.1) }
                </tbody>
                <tfoot>
                    { factor_row("LDF", r.map(|r| r.ldf.as_slice()), true) }
                    { factor_row("CDF", r.map(|r| r.cdf.as_slice()), false) }
                    // The tail factor; with a fitted curve, a button per
                    // column attaches it at that column's age.
                    <tr class="factors">
                        <th scope="row" class="sticky">{ "Tail " }{ r.map(|r| format::number(r.tail_factor, 4)).unwrap_or_default() }</th>
                        { left.clone() }
                        { for (c0..c1).map(|j| {
                            let age = t.ages()[j];
                            let on = attach == Some(age);
                            html! {
                                <td>if fitted {
                                    <button type="button" class="attach" id={format!("ta-{j}")}
                                        aria-label={format!("attach tail at {age} months")} aria-pressed={on.to_string()}>
                                        { if on { "✓ attached" } else { "attach" } }
                                    </button>
                                }</td>
                            }
                        }) }
                        { right.clone() }
                    </tr>
                </tfoot>
            </table>
            <div id="lr-tip" role="tooltip" class="tip" hidden={tip_text.is_none()}
                style={(*tip).map(|(_, _, x, y)| format!("left:{x}px;top:{y}px"))}>
                { tip_text.unwrap_or_default() }
            </div>
        </div>
    }
}

/// The ratio an event's target is in, with the point under it where the
/// tooltip goes; the ratio is described by the tooltip from then on.
fn tip_at(e: &Event) -> Option<(usize, usize, i32, i32)> {
    let (id, left, bottom) = dom::describe_by(e, "button.ratio", "lr-tip")?;
    let (i, j) = parse_cell_id(&id)?;
    Some((i, j, left, bottom))
}

/// What the tooltip says of ratio (i, j): the values it is taken from and
/// to with their ages, the origin's premium, and why it is left out, if it
/// is. `outside`: the ratios the latest-n windows leave out.
#[allow(clippy::too_many_arguments)]
pub fn describe(
    t: &Triangle,
    lr: &ratios::Ratios,
    s: &Settings,
    included: Option<&[Vec<bool>]>,
    premium: Option<&[f64]>,
    outside: &[u32],
    i: usize,
    j: usize,
) -> Option<String> {
    let r = ratios::ratio(lr, i, j)?;
    let (from, to) = (t.get(i, j)?, t.get(i, j + 1)?);
    let ages = t.ages();
    let mut text = format!(
        "{} {}→{} months: {} → {} = {}",
        t.origins()[i],
        ages[j],
        ages[j + 1],
        format::number(from, 0),
        format::number(to, 0),
        format::number(r, 4)
    );
    if let Some(p) = premium.and_then(|p| p.get(i)) {
        text += &format!("; premium {}", format::number(*p, 0));
    }
    let why = ratios::exclusion(t, lr, s, included, i, j).map(|e| match e {
        Exclusion::Rule if outside.contains(&((i * (ages.len() - 1) + j) as u32)) => "outside the latest-n window",
        // Left out by the highest and lowest rule: the highest when it is
        // above every ratio of its column that counts.
        Exclusion::Rule => {
            let above = (0..t.n_origins()).all(|k| {
                !included.and_then(|inc| inc.get(k)?.get(j).copied()).unwrap_or(false)
                    || ratios::ratio(lr, k, j).is_none_or(|x| x <= r)
            });
            if s.drop_high && (above || !s.drop_low) {
                "dropped as the highest"
            } else {
                "dropped as the lowest"
            }
        }
        e => exclusion_note(e),
    });
    if let Some(why) = why {
        text += &format!("; excluded: {why}");
    }
    Some(text)
}

/// One cell standing for `n` columns left out of a windowed grid (nothing
/// when there are none); `tag` is `th` in the header.
fn spacer(n: usize, tag: Option<&'static str>) -> Html {
    if n == 0 {
        return html! {};
    }
    let style = format!("width:{}px", format::fixed(n as f64 * COL_PX, 0));
    match tag {
        Some(_) => html! { <th class="gap" aria-hidden="true" style={style}></th> },
        None => html! { <td class="gap" aria-hidden="true" style={style}></td> },
    }
}

#[derive(Properties)]
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
    /// The columns rendered (all of them unless the grid is windowed), of
    /// `n_cols`.
    cols: (usize, usize),
    n_cols: usize,
}

/// Rows compare their shared data by identity: every row has the whole
/// triangle, ratios and scores, and comparing their contents for each row
/// on each render was most of a large grid's rendering time.
impl PartialEq for GridRowProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.triangle, &o.triangle)
            && Rc::ptr_eq(&self.ratios, &o.ratios)
            && Rc::ptr_eq(&self.z, &o.z)
            && Rc::ptr_eq(&self.labels, &o.labels)
            && self.row == o.row
            && self.exclusions == o.exclusions
            && self.origin_dropped == o.origin_dropped
            && self.tab_col == o.tab_col
            && self.cols == o.cols
            && self.n_cols == o.n_cols
    }
}

/// One origin's ratios.
#[component]
fn GridRow(props: &GridRowProps) -> Html {
    let (t, i) = (&props.triangle, props.row);
    let Some(origin) = t.origins().get(i) else { return html! {} };
    let origin_dropped = props.origin_dropped;
    let (c0, c1) = props.cols;
    let cells = props.exclusions.iter().enumerate().map(|(k, &excl)| {
        let j = c0 + k;
        let Some(r) = ratios::ratio(&props.ratios, i, j) else {
            return html! { <td class="empty"></td> };
        };
        let dropped = excl == Some(Exclusion::Cell);
        let z = props.z.get(i).and_then(|row| row.get(j)).copied().flatten();
        let class = classes!(
            "ratio",
            heat(z),
            excl.map(|e| match e {
                Exclusion::Rule => "excluded-rule",
                _ => "excluded",
            })
        );
        let label = props.labels.get(j).map(String::as_str).unwrap_or_default();
        html! {
            <td>
                <button
                    id={cell_id(i, j)}
                    class={class}
                    aria-label={format!("link ratio {origin} {label}")}
                    aria-pressed={dropped.to_string()}
                    tabindex={if props.tab_col == Some(j) { "0" } else { "-1" }}
                >{ format::number(r, 3) }</button>
            </td>
        }
    });
    html! {
        <tr aria-rowindex={(props.n_cols > 0 && (c1 - c0) < props.n_cols).then(|| (i + 2).to_string())}>
            <th scope="row" class="sticky">
                <button
                    id={format!("lo-{i}")}
                    class={classes!("origin", origin_dropped.then_some("excluded"))}
                    aria-label={format!("origin {origin}")}
                    aria-pressed={origin_dropped.to_string()}
                >{ origin }</button>
            </th>
            { spacer(c0, None) }
            { for cells }
            { spacer(props.n_cols - c1, None) }
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_covers_the_view_with_a_margin() {
        // 600 px of a 120-row grid scrolled to row 40: rows 40 to 40 + 24 + 8.
        let w = Window::of(40.0 * ROW_PX, 0.0, 600.0, 1400.0, 120, 119);
        assert_eq!(w.rows, (40, 40 + 24 + 8));
        assert!(w.rows.0 <= 40 && w.rows.1 >= 40 + (600.0 / ROW_PX) as usize);
        assert_eq!(w.cols.0, 0);
        assert!(w.cols.1 as f64 * COL_PX >= 1400.0 - ORIGIN_PX);
        // Scrolling a little renders the same window.
        assert_eq!(Window::of(45.0 * ROW_PX, 10.0, 600.0, 1400.0, 120, 119), w);
        assert!(w.rows.1 >= 45 + (600.0 / ROW_PX) as usize);
        // The end of the grid is the end of the window.
        let end = Window::of(119.0 * ROW_PX, 200.0 * COL_PX, 600.0, 1400.0, 120, 119);
        assert_eq!((end.rows.1, end.cols.1), (120, 119));
        assert!(end.has(119, 118) && !end.has(0, 0));
    }

    #[test]
    fn cell_ids_read_back() {
        assert_eq!(parse_cell_id(&cell_id(3, 14)), Some((3, 14)));
        assert_eq!(parse_cell_id("lr-x-1"), None);
        assert_eq!(parse_cell_id("other"), None);
    }

    #[test]
    fn the_ldf_row_says_how_a_column_is_chosen() {
        use runoff_engine::session::{Average, ColumnAverage};
        let mut s = Settings { n_periods: Some(3), ..Settings::default() };
        assert_eq!(basis_label(&s, 3, false), ("vol 3".into(), false));
        s.average_by_age.insert(3, ColumnAverage { average: Average::Simple, n_periods: Some(5) });
        s.average_by_age.insert(6, ColumnAverage { average: Average::Volume, n_periods: None });
        assert_eq!(basis_label(&s, 3, false), ("simple 5".into(), true));
        assert_eq!(basis_label(&s, 6, false), ("vol".into(), true));
        assert_eq!(basis_label(&s, 6, true), ("typed".into(), true));
    }

    #[test]
    fn a_ratio_is_described_with_its_values_premium_and_exclusion() {
        use runoff_engine::session::CellDrop;
        use runoff_engine::Grain;
        let t = Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(100.0), Some(200.0), Some(220.0)],
                vec![Some(100.0), Some(150.0), None],
                vec![Some(50.0), None, None],
            ],
        )
        .unwrap();
        let lr = t.link_ratios();
        let mut s = Settings::default();
        let premium = [1000.0, 1100.0, 1200.0];
        assert_eq!(
            describe(&t, &lr, &s, None, Some(&premium), &[], 1, 0).as_deref(),
            Some("2001 12→24 months: 100 → 150 = 1.5000; premium 1,100")
        );
        assert_eq!(describe(&t, &lr, &s, None, None, &[], 2, 0), None);
        s.drops.push(CellDrop { origin: "2001".into(), age: 12 });
        assert!(describe(&t, &lr, &s, None, None, &[], 1, 0).unwrap().ends_with("; excluded: dropped by hand"));
        // Left out by a rule: the window's, or the highest.
        let s = Settings { drop_high: true, ..Settings::default() };
        let included = vec![vec![false, true], vec![true, false], vec![false, false]];
        assert!(describe(&t, &lr, &s, Some(&included), None, &[], 0, 0)
            .unwrap()
            .ends_with("excluded: dropped as the highest"));
        assert!(describe(&t, &lr, &s, Some(&included), None, &[0], 0, 0)
            .unwrap()
            .ends_with("excluded: outside the latest-n window"));
    }

    #[test]
    fn fit_period_is_picked_by_two_clicks() {
        assert_eq!(fit_click((None, None), 12), Action::SetTailFitPeriod(Some(12), None));
        assert_eq!(fit_click((Some(12), None), 48), Action::SetTailFitPeriod(Some(12), Some(48)));
        assert_eq!(fit_click((Some(12), None), 6), Action::SetTailFitPeriod(Some(6), None));
        assert_eq!(fit_click((Some(12), Some(48)), 24), Action::SetTailFitPeriod(Some(24), None));
    }
}
