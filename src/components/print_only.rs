//! Markup that only a printed page shows (the chain ladder exhibit),
//! inserted into the page when it is printed and taken out after, so that
//! the browser does not lay out two more copies of a large triangle on
//! every recalculation: on a 120 × 120 triangle that was most of a click's
//! time. It goes in before printing (`beforeprint`, and print media
//! starting to apply, as when a test emulates it).

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PrintOnlyProps {
    pub markup: Option<AttrValue>,
}

#[component]
pub fn PrintOnly(props: &PrintOnlyProps) -> Html {
    let node = use_node_ref();
    let latest = use_mut_ref(|| None::<AttrValue>);
    *latest.borrow_mut() = props.markup.clone();
    {
        let (node, latest) = (node.clone(), latest.clone());
        use_effect_with((), move |_| {
            let fill = {
                let (node, latest) = (node.clone(), latest.clone());
                move |on: bool| {
                    if let Some(el) = node.cast::<web_sys::Element>() {
                        let markup = if on { latest.borrow().clone().unwrap_or_default() } else { AttrValue::Static("") };
                        el.set_inner_html(&markup);
                    }
                }
            };
            let window = gloo::utils::window();
            let print = window.match_media("print").ok().flatten();
            let before = {
                let fill = fill.clone();
                EventListener::new(&window, "beforeprint", move |_| fill(true))
            };
            let after = {
                let fill = fill.clone();
                EventListener::new(&window, "afterprint", move |_| fill(false))
            };
            let media = print.map(|mq| {
                let fill = fill.clone();
                EventListener::new(&mq, "change", move |e| {
                    let on = e.dyn_ref::<web_sys::MediaQueryListEvent>().is_some_and(|e| e.matches());
                    fill(on)
                })
            });
            move || drop((before, after, media))
        });
    }
    // Printing while the results change: the new exhibit goes in at once.
    {
        let (node, markup) = (node.clone(), props.markup.clone());
        use_effect_with(markup, move |markup| {
            let printing = gloo::utils::window().match_media("print").ok().flatten().is_some_and(|mq| mq.matches());
            if let (true, Some(el)) = (printing, node.cast::<web_sys::Element>()) {
                el.set_inner_html(markup.as_deref().unwrap_or_default());
            }
        });
    }
    html! { <section class="print-only" ref={node}></section> }
}
