//! Markup that only a printed page shows (the chain ladder exhibit, a
//! finished reserve range), inserted into the page when it is printed and
//! taken out after, so that the browser does not lay out two more copies of
//! a large triangle on every recalculation. It goes in before printing
//! (`beforeprint`, and print media starting to apply, as when a test
//! emulates it).
//!
//! The chain ladder exhibit is not even written until then: the worker
//! writes it on request ([`PrintRequest`]), so a click costs nothing for
//! printing. A request is answered after the browser has asked to print,
//! which is too late for what it prints at once; so the page's Print button
//! and Ctrl+P (or ⌘P) print through [`print_page`], which has every exhibit
//! written and put in first, and then prints.

use crate::browser::page::{self, print_media};
use crate::recalc::{PrintRequest, WORKER_TIMEOUT_MS};
use gloo::timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PrintOnlyProps {
    /// Markup already at hand.
    #[prop_or_default]
    pub markup: Option<AttrValue>,
    /// Or markup to ask for when printing.
    #[prop_or_default]
    pub request: Option<PrintRequest>,
}

/// Something that puts its markup in the page and then calls back.
type Prepare = Rc<dyn Fn(Box<dyn FnOnce()>)>;

thread_local! {
    /// The exhibits on the page that are written on request, by an id.
    static PREPARERS: RefCell<Vec<(u64, Prepare)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
    /// The print that happens with what there is if an exhibit is late.
    static FALLBACK: RefCell<Option<Timeout>> = const { RefCell::new(None) };
}

/// Prints the page once every exhibit written on request is in it (or
/// after [`WORKER_TIMEOUT_MS`], with what there is).
pub fn print_page() {
    let preparers: Vec<Prepare> = PREPARERS.with(|p| p.borrow().iter().map(|(_, f)| f.clone()).collect());
    let printed = Rc::new(Cell::new(false));
    let print = {
        let printed = printed.clone();
        move || {
            if !printed.replace(true) {
                page::print();
            }
        }
    };
    if preparers.is_empty() {
        print();
        return;
    }
    let left = Rc::new(Cell::new(preparers.len()));
    // Kept here, not by the preparers' callbacks, so that it fires even if
    // one of them is dropped uncalled; cancelled when every exhibit is in.
    FALLBACK.with(|f| *f.borrow_mut() = Some(Timeout::new(WORKER_TIMEOUT_MS, print.clone())));
    for prepare in preparers {
        let (left, print) = (left.clone(), print.clone());
        prepare(Box::new(move || {
            left.set(left.get() - 1);
            if left.get() == 0 {
                FALLBACK.with(|f| f.borrow_mut().take());
                print();
            }
        }));
    }
}

#[component]
pub fn PrintOnly(props: &PrintOnlyProps) -> Html {
    let node = use_node_ref();
    let latest = use_mut_ref(|| (None::<AttrValue>, None::<PrintRequest>));
    *latest.borrow_mut() = (props.markup.clone(), props.request.clone());
    // Between `beforeprint` (or print media applying) and the end of
    // printing: a requested exhibit that arrives then goes in.
    let printing = use_mut_ref(|| false);
    {
        let (node, latest, printing) = (node.clone(), latest.clone(), printing.clone());
        use_effect_with((), move |_| {
            let set = {
                let node = node.clone();
                move |markup: &str| crate::browser::dom::set_markup(&node, markup)
            };
            // Puts the markup in (asking for it if need be), then calls
            // `done`; or takes it out.
            let fill: Rc<dyn Fn(bool, crate::recalc::Then)> = {
                let (latest, printing, set) = (latest.clone(), printing.clone(), set.clone());
                Rc::new(move |on: bool, done: Box<dyn FnOnce()>| {
                    *printing.borrow_mut() = on;
                    if !on {
                        set("");
                        return done();
                    }
                    let (markup, request) = latest.borrow().clone();
                    match (markup, request) {
                        (Some(m), _) => {
                            set(&m);
                            done()
                        }
                        (None, Some(request)) => {
                            let (printing, set) = (printing.clone(), set.clone());
                            request.ask(Box::new(move |markup| {
                                if *printing.borrow() {
                                    set(markup.as_deref().unwrap_or_default());
                                }
                                done()
                            }));
                        }
                        (None, None) => done(),
                    }
                })
            };
            let id = NEXT_ID.with(|n| n.replace(n.get() + 1));
            {
                let fill = fill.clone();
                let prepare: Prepare = Rc::new(move |done| fill(true, done));
                PREPARERS.with(|p| p.borrow_mut().push((id, prepare)));
            }
            let printing = {
                let fill = fill.clone();
                page::on_printing(move |on| fill(on, Box::new(|| ())))
            };
            // Ctrl+P (⌘P) prints as the Print button does, where an
            // exhibit is written on request (once, whichever exhibit's
            // listener hears it first).
            let keys = page::on_print_key(move || {
                let wanted = latest.borrow().1.is_some();
                if wanted {
                    print_page();
                }
                wanted
            });
            move || {
                PREPARERS.with(|p| p.borrow_mut().retain(|(i, _)| *i != id));
                drop((printing, keys))
            }
        });
    }
    // Printing while the results change: the new exhibit goes in at once.
    {
        let (node, printing) = (node.clone(), printing.clone());
        let (markup, request) = (props.markup.clone(), props.request.clone());
        use_effect_with((markup, request), move |(markup, request)| {
            let on = *printing.borrow() || print_media();
            if on {
                match (markup, request) {
                    (Some(m), _) => crate::browser::dom::set_markup(&node, m),
                    (None, Some(r)) => {
                        let printing = printing.clone();
                        r.ask(Box::new(move |m| {
                            if *printing.borrow() || print_media() {
                                crate::browser::dom::set_markup(&node, m.as_deref().unwrap_or_default());
                            }
                        }))
                    }
                    (None, None) => crate::browser::dom::set_markup(&node, ""),
                }
            }
        });
    }
    html! { <section class="print-only" ref={node}></section> }
}
