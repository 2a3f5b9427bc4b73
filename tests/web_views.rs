//! Browser tests of the data, Bornhuetter-Ferguson and results views and the
//! emergence chart, rendered (by Yew, or as the worker's markup) in each
//! browser the test command runs, with the engine's own figures for the
//! quarterly sample (`cargo test --target wasm32-unknown-unknown --test
//! web_views`). They wait on what they look for, never a fixed time.
#![cfg(target_arch = "wasm32")]

use runoff_app::components::bf_view::BfViewProps;
use runoff_app::components::data_view::DataViewProps;
use runoff_app::components::results_view::ResultsViewProps;
use runoff_app::components::{BfView, DataView, ResultsView};
use runoff_app::results_table::{sort_key, Show};
use runoff_app::segments;
use runoff_engine::session::Method;
use runoff_engine::{input, Action, Reserve, Settings};
use runoff_worker::exhibits::chart;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page for one component.
fn root() -> Element {
    let doc = gloo::utils::document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

/// Waits until `ready` holds, looking every few milliseconds for at most
/// 10 s by the clock: Yew renders when the browser next gives it time,
/// which is no fixed time (a WebKit just started, on a busy machine, has
/// taken over 2 s).
async fn until(what: &str, ready: impl Fn() -> bool) {
    let start = js_sys::Date::now();
    while js_sys::Date::now() - start < 10_000.0 {
        if ready() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("not within 10 s: {what}");
}

/// The quarterly sample, read as the worker reads it for the page.
fn quarterly() -> (Rc<segments::Segment>, Rc<Reserve>) {
    let claims = include_str!("../static/data/quarterly.csv");
    let imported = input::read_mapped(claims, &segments::sample_mapping(None)).unwrap();
    let measures: Vec<_> = imported.measures.into_iter().map(|(m, t)| (m, Rc::new(t))).collect();
    let t = measures[0].1.clone();
    let premium = input::read_premium(include_str!("../static/data/quarterly_premium.csv"))
        .and_then(|p| input::align_premium(&p, &t))
        .unwrap();
    let r = runoff_engine::reserve(&t, Some(&premium), &Settings::default()).unwrap();
    let by_development =
        runoff_worker::derived::premium_by_development(include_str!("../static/data/quarterly_premium.csv"), &t);
    let seg = segments::Segment::new("quarterly", "quarterly", measures, Some(premium), by_development);
    (Rc::new(seg), Rc::new(r))
}

/// Records the actions a view emits.
fn recorder() -> (Callback<Action>, Rc<RefCell<Vec<Action>>>) {
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    (Callback::from(move |a| g.borrow_mut().push(a)), got)
}

/// A change event as the browser sends it when an entry is committed; it
/// bubbles, as Yew listens for events at the root.
fn commit(input: &HtmlInputElement) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

fn by_selector(root: &Element, css: &str) -> HtmlElement {
    root.query_selector(css).unwrap().unwrap_or_else(|| panic!("no {css}")).dyn_into().unwrap()
}

#[wasm_bindgen_test]
async fn results_total_ibnr_and_selecting_a_method() {
    let (_, r) = quarterly();
    let (on_action, got) = recorder();
    let div = root();
    let sorts = Rc::new(RefCell::new(Vec::new()));
    let s = sorts.clone();
    let props = ResultsViewProps {
        results: Some(r),
        show: Show::Amounts,
        sort: 0,
        has_premium: true,
        on_show: Callback::noop(),
        on_action,
        on_sort: Callback::from(move |k| s.borrow_mut().push(k)),
    };
    yew::Renderer::<ResultsView>::with_root_and_props(div.clone(), props).render();
    until("the results table", || div.query_selector("tfoot tr").ok().flatten().is_some()).await;

    let table = by_selector(&div, "table[aria-label=\"Results\"]");
    let headers: Vec<String> = (0..20)
        .filter_map(|k| table.query_selector(&format!("thead th:nth-child({})", k + 1)).ok().flatten())
        .map(|h| h.text_content().unwrap_or_default())
        .collect();
    let col = headers.iter().position(|h| h == "IBNR").expect("an IBNR column");
    let total = by_selector(&div, "tfoot tr");
    let cells = total.query_selector_all("th, td").unwrap();
    assert_eq!(cells.get(0).unwrap().text_content().unwrap(), "Total");
    // chainladder-python's total IBNR on this segment.
    assert_eq!(cells.get(col as u32).unwrap().text_content().unwrap(), "2,775.89");

    let bf = by_selector(&div, "button[aria-label=\"Select Bornhuetter-Ferguson for 2006\"]");
    assert_eq!(bf.get_attribute("aria-pressed").as_deref(), Some("false"));
    let cl = by_selector(&div, "button[aria-label=\"Select Chain ladder for 2006\"]");
    assert_eq!(cl.get_attribute("aria-pressed").as_deref(), Some("true"));
    bf.click();
    // The method that counts already: pressing it changes nothing.
    cl.click();
    assert_eq!(
        got.borrow().as_slice(),
        [Action::SetSelected { origin: "2006".into(), method: Some(Method::BornhuetterFerguson) }]
    );
    // A header asks for the order written on it: IBNR ascending.
    by_selector(&div, "th[aria-sort=\"none\"] button#sort-9").click();
    assert_eq!(sorts.borrow().as_slice(), [sort_key(9, false)]);
    assert_eq!(got.borrow().len(), 1);
}

#[wasm_bindgen_test]
async fn the_results_table_shows_a_label_as_text() {
    const HOSTILE: &str = "<img src=x onerror=alert(1)>\"'&";
    let mut r = Reserve { origins: vec![HOSTILE.into()], latest: vec![1.0], ..Reserve::default() };
    r.methods.chainladder.ultimate = vec![2.0];
    r.selected.method = vec![Method::Chainladder];
    r.warnings.push(format!("{HOSTILE} is dropped"));
    let div = root();
    let props = ResultsViewProps {
        results: Some(Rc::new(r)),
        show: Show::Amounts,
        sort: 0,
        has_premium: false,
        on_show: Callback::noop(),
        on_action: Callback::noop(),
        on_sort: Callback::noop(),
    };
    yew::Renderer::<ResultsView>::with_root_and_props(div.clone(), props).render();
    until("the results table", || div.query_selector("tbody tr").ok().flatten().is_some()).await;
    assert!(div.query_selector("img").unwrap().is_none());
    assert_eq!(by_selector(&div, "tbody th").text_content().unwrap(), HOSTILE);
    assert_eq!(by_selector(&div, "ul.warnings li").text_content().unwrap(), format!("{HOSTILE} is dropped"));
    let pick = by_selector(&div, "button.pick");
    assert_eq!(pick.get_attribute("aria-label").unwrap(), format!("Select Chain ladder for {HOSTILE}"));
    assert_eq!(pick.text_content().unwrap(), "2.00");
}

#[wasm_bindgen_test]
async fn an_unreadable_ratio_is_an_inline_error_and_emits_nothing() {
    let (seg, r) = quarterly();
    let (on_action, got) = recorder();
    let div = root();
    let props = BfViewProps {
        origins: seg.measures[0].1.origins().to_vec(),
        premium: seg.premium.clone(),
        settings: Settings::default(),
        results: Some(r),
        on_action,
    };
    yew::Renderer::<BfView>::with_root_and_props(div.clone(), props).render();
    let field = "input[aria-label=\"Expected loss ratio 2006\"]";
    until("the loss ratio field", || div.query_selector(field).ok().flatten().is_some()).await;

    let input: HtmlInputElement = by_selector(&div, field).dyn_into().unwrap();
    assert_eq!(input.value(), "0.6");
    input.set_value("abc");
    commit(&input);
    until("the inline error", || input.get_attribute("aria-invalid").as_deref() == Some("true")).await;
    assert!(got.borrow().is_empty());
    // The same field, still in the page (an error must not replace it and
    // take its focus away), keeps the entry to correct.
    assert!(input.is_connected());
    assert_eq!(input.value(), "abc");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(div.text_content().unwrap().contains("`abc` is not a number"));

    input.set_value("0.8");
    commit(&input);
    until("the entry emitted and the error gone", || {
        !got.borrow().is_empty() && input.get_attribute("aria-invalid").is_none()
    })
    .await;
    assert_eq!(got.borrow().as_slice(), [Action::SetApriori { origin: "2006".into(), value: Some(0.8) }]);
    assert_eq!(input.get_attribute("aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn data_view_and_chart_render() {
    let (seg, r) = quarterly();
    let div = root();
    yew::Renderer::<DataView>::with_root_and_props(div.clone(), DataViewProps { segment: seg.clone() }).render();
    // The chart as the worker writes it, in the page.
    let chart = root();
    chart.set_inner_html(&chart::chart(&seg.measures[0].1, &r));
    until("the data view's rows", || div.query_selector_all("tbody tr").map(|l| l.length()).unwrap_or(0) == 12).await;

    // 12 origins and the average row, no weighted average for plain amounts.
    assert_eq!(div.query_selector_all("tbody tr").unwrap().length(), 12);
    assert!(div.text_content().unwrap().contains("Simple average"));
    assert!(!div.text_content().unwrap().contains("Volume-weighted average"));
    // One line per origin and the dashed pattern.
    assert_eq!(chart.query_selector_all("polyline.origin").unwrap().length(), 12);
    assert_eq!(chart.query_selector_all("polyline.pattern").unwrap().length(), 1);
    assert!(chart.query_selector("svg[role=\"img\"] title").unwrap().is_some());
}

/// The averages table is written whole once, then only in the cells a
/// change touched: the other cells stay the same elements, and a field the
/// user is in keeps its focus.
#[wasm_bindgen_test]
fn the_averages_table_rewrites_only_the_cells_that_changed() {
    use runoff_app::browser::dom::patch_cells;
    use runoff_worker::exhibits::averages;
    let (segment, _) = quarterly();
    let (_, t) = segment.triangle(None).unwrap();
    let before = Settings::default();
    let mut after = before.clone();
    after.ldf_by_age.insert(t.ages()[1], 1.5);
    let (a, b) = (averages::table(t, &before), averages::table(t, &after));
    // What a table's markup reads as, written whole.
    let whole = |t: &runoff_worker::markup::Cells| {
        let d = gloo::utils::document().create_element("div").unwrap();
        d.set_inner_html(&t.markup());
        d.inner_html()
    };
    let div = root();
    patch_cells(&div, &a, None);
    assert!(div.inner_html() == whole(&a));
    let kept = by_selector(&div, "#tf-0");
    kept.focus().unwrap();
    let changed = by_selector(&div, "#tf-1");
    patch_cells(&div, &b, Some(&a));
    assert!(div.inner_html() == whole(&b));
    // The first column's field is the same element, still focused; the
    // second column's was written again.
    assert!(by_selector(&div, "#tf-0").is_same_node(Some(&kept)));
    assert_eq!(gloo::utils::document().active_element().map(|e| e.id()), Some("tf-0".into()));
    assert!(!by_selector(&div, "#tf-1").is_same_node(Some(&changed)));
    assert_eq!(by_selector(&div, "#tf-1").unchecked_into::<HtmlInputElement>().value(), "1.5");
    // A table of another shape is written whole.
    let shorter = averages::table(
        &runoff_engine::Triangle::new(
            vec!["2000".into()],
            vec![12, 24],
            runoff_engine::Grain::Yearly,
            runoff_engine::Grain::Yearly,
            vec![vec![Some(1.0), Some(2.0)]],
        )
        .unwrap(),
        &before,
    );
    patch_cells(&div, &shorter, Some(&b));
    assert!(div.inner_html() == whole(&shorter));
    div.remove();
}
