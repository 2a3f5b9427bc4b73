//! Browser tests of the app's thin browser layer, run in headless Chromium by
//! wasm-bindgen-test (`cargo test --target wasm32-unknown-unknown --test web`).
#![cfg(target_arch = "wasm32")]

use runoff_app::browser::{channel::Channel, storage};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_broadcast_reaches_another_channel_of_the_same_name() {
    let sender = Channel::open("runoff-test").expect("BroadcastChannel");
    let mut receiver = Channel::open("runoff-test").expect("BroadcastChannel");
    let got = Rc::new(RefCell::new(Vec::<String>::new()));
    // Resolve a promise on the first message, so the test can await it.
    let resolve_slot: Rc<RefCell<Option<js_sys::Function>>> = Rc::new(RefCell::new(None));
    let promise = {
        let slot = resolve_slot.clone();
        js_sys::Promise::new(&mut move |resolve, _| *slot.borrow_mut() = Some(resolve))
    };
    {
        let (got, slot) = (got.clone(), resolve_slot.clone());
        receiver.on_message(move |text| {
            got.borrow_mut().push(text);
            if let Some(f) = slot.borrow_mut().take() {
                let _ = f.call0(&JsValue::NULL);
            }
        });
    }
    sender.post(r#"{"type":"session_changed"}"#).unwrap();
    JsFuture::from(promise).await.unwrap();
    assert_eq!(got.borrow().as_slice(), [r#"{"type":"session_changed"}"#.to_string()]);
}

#[wasm_bindgen_test]
fn local_storage_round_trips_and_removes() {
    storage::set("runoff-test-key", "sync_version: 3").unwrap();
    assert_eq!(storage::get("runoff-test-key").unwrap().as_deref(), Some("sync_version: 3"));
    storage::remove("runoff-test-key").unwrap();
    assert_eq!(storage::get("runoff-test-key").unwrap(), None);
}
