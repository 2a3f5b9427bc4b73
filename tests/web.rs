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

// ---- Sync in the browser: the stores, the transport, two tabs in one page.

use runoff_app::browser::idb::IdbStore;
use runoff_app::browser::local::LocalStore;
use runoff_app::browser::sync::{open_with, Names};
use runoff_app::browser::transport::BrowserTransport;
use runoff_app::sync::save::aside_key;
use runoff_app::sync::{Changed, Heard, Ignored, Message, Notice, Peer, SessionStore, Signal};
use runoff_app::sync::{Transport, TransportError};
use runoff_engine::Action;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

const NOW: &str = "2026-11-25T06:10:00.123Z";

/// A name no other test (and no earlier run) uses.
fn unique(what: &str) -> String {
    format!("runoff-test-{what}-{}", uuid::Uuid::new_v4())
}

/// Runs the futures at once and waits for all of them.
async fn join_all<T>(mut futures: Vec<Pin<Box<dyn Future<Output = T> + '_>>>) -> Vec<T> {
    let mut out: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (f, slot) in futures.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                if let Poll::Ready(v) = f.as_mut().poll(cx) {
                    *slot = Some(v);
                }
            }
        }
        if out.iter().all(Option::is_some) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

/// A promise and the function that resolves it.
fn signal() -> (js_sys::Promise, Rc<RefCell<Option<js_sys::Function>>>) {
    let slot: Rc<RefCell<Option<js_sys::Function>>> = Rc::new(RefCell::new(None));
    let s = slot.clone();
    let promise = js_sys::Promise::new(&mut move |resolve, _| *s.borrow_mut() = Some(resolve));
    (promise, slot)
}

fn fire(slot: &Rc<RefCell<Option<js_sys::Function>>>) {
    if let Some(f) = slot.borrow_mut().take() {
        let _ = f.call1(&JsValue::NULL, &JsValue::TRUE);
    }
}

/// Waits for `promise`, or fails after `ms` milliseconds.
async fn within(ms: i32, promise: js_sys::Promise) {
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    let first = JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&promise, &timeout)));
    assert_eq!(first.await.unwrap(), JsValue::TRUE, "nothing came within {ms} ms");
}

/// A transport that keeps what is posted.
#[derive(Clone, Default)]
struct Posts(Rc<RefCell<Vec<Message>>>);

impl Transport for Posts {
    fn post(&self, message: &Message) -> Result<(), TransportError> {
        self.0.borrow_mut().push(message.clone());
        Ok(())
    }
    fn listen(&self, _: Box<dyn FnMut(Signal)>) {}
}

#[wasm_bindgen_test]
async fn indexeddb_reads_back_what_an_update_wrote() {
    let db = IdbStore::open(&unique("db")).await.expect("IndexedDB opens");
    assert_eq!(db.read("quarterly").await, Ok(None));
    let r = db
        .update("quarterly", |stored| {
            assert_eq!(stored, None);
            (vec![("quarterly".into(), "sync_version: 1\n".into())], 7)
        })
        .await;
    assert_eq!(r, Ok(7));
    assert_eq!(db.read("quarterly").await.unwrap().as_deref(), Some("sync_version: 1\n"));
    // An update that writes nothing leaves the text as it was.
    let r = db.update("quarterly", |stored| (Vec::new(), stored.map(str::to_string))).await;
    assert_eq!(r.unwrap().as_deref(), Some("sync_version: 1\n"));
    assert_eq!(db.keys().await.unwrap(), vec!["quarterly".to_string()]);
}

#[wasm_bindgen_test]
async fn concurrent_updates_from_two_connections_lose_no_increment() {
    let name = unique("db");
    let a = IdbStore::open(&name).await.expect("IndexedDB opens");
    let b = IdbStore::open(&name).await.expect("a second connection opens");
    let increment = |stored: Option<&str>| {
        let n: u64 = stored.and_then(|s| s.parse().ok()).unwrap_or(0);
        (vec![("n".to_string(), (n + 1).to_string())], n + 1)
    };
    // Every update starts before any has finished, like two tabs saving at
    // once: each must read what the one before it wrote.
    let updates: Vec<Pin<Box<dyn Future<Output = _>>>> = (0..20)
        .map(|i| {
            let store = if i % 2 == 0 { &a } else { &b };
            Box::pin(store.update("n", increment)) as Pin<Box<dyn Future<Output = _>>>
        })
        .collect();
    let mut seen: Vec<u64> = join_all(updates).await.into_iter().map(Result::unwrap).collect();
    seen.sort_unstable();
    assert_eq!(seen, (1..=20).collect::<Vec<u64>>());
    assert_eq!(a.read("n").await.unwrap().as_deref(), Some("20"));
}

#[wasm_bindgen_test]
async fn an_unreadable_stored_session_is_kept_aside_in_indexeddb() {
    let db = IdbStore::open(&unique("db")).await.expect("IndexedDB opens");
    // A newer version wrote an average this one does not know.
    let text = r#"{"average": "median", "sync_version": 12}"#;
    db.update("quarterly", |_| (vec![("quarterly".into(), text.into())], ())).await.unwrap();
    let posts = Posts::default();
    let peer = Peer::new("quarterly", "tab-a", db, posts.clone());
    assert!(!peer.load().await);
    assert!(matches!(peer.notice(), Some(Notice::StoredUnreadable { .. })));
    assert_eq!(peer.change(&Action::SetDropLow(true), NOW).await, Ok(Changed::Saved(13)));
    let aside = aside_key("quarterly", NOW);
    assert_eq!(peer.store().read(&aside).await.unwrap().as_deref(), Some(text));
    assert!(matches!(peer.notice(), Some(Notice::KeptAside { key, .. }) if key == aside));
    assert_eq!(posts.0.borrow().len(), 1);
    assert_eq!(posts.0.borrow()[0].sync_version, 13);
}

#[wasm_bindgen_test]
async fn the_localstorage_fallback_stores_and_updates() {
    let store = LocalStore;
    let key = unique("session");
    assert_eq!(store.read(&key).await, Ok(None));
    let r = store.update(&key, |s| (vec![(key.clone(), r#"{"sync_version": 1}"#.into())], s.is_none())).await;
    assert_eq!(r, Ok(true));
    assert_eq!(store.read(&key).await.unwrap().as_deref(), Some(r#"{"sync_version": 1}"#));
    // A peer over it saves on top of what is stored.
    let peer = Peer::new(&key, "tab-a", LocalStore, Posts::default());
    assert!(peer.load().await);
    assert_eq!(peer.change(&Action::SetDropHigh(true), NOW).await, Ok(Changed::Saved(2)));
    let stored = store.read(&key).await.unwrap().unwrap();
    assert!(stored.contains("\"drop_high\": true"), "{stored}");
    store.remove(&key).unwrap();
    assert_eq!(store.read(&key).await, Ok(None));
}

#[wasm_bindgen_test]
async fn the_transport_delivers_to_another_channel_of_the_same_name() {
    let (channel, key) = (unique("channel"), unique("message"));
    let sender = BrowserTransport::open(&channel, &key, "tab-sender");
    let receiver = BrowserTransport::open(&channel, &key, "tab-receiver");
    assert!(sender.has_channel());
    let got = Rc::new(RefCell::new(Vec::new()));
    let (arrived, slot) = signal();
    {
        let got = got.clone();
        receiver.listen(Box::new(move |s| {
            got.borrow_mut().push(s);
            fire(&slot);
        }));
    }
    let message = Message::session_changed("quarterly", 3, "tab-a", NOW);
    sender.post(&message).unwrap();
    within(10_000, arrived).await;
    match got.borrow().as_slice() {
        [Signal::Text(text)] => assert_eq!(Message::parse(text), Ok(message)),
        other => panic!("{other:?}"),
    };
}

#[wasm_bindgen_test]
async fn a_message_naming_the_tab_as_its_origin_is_not_read() {
    let (channel, key) = (unique("channel"), unique("message"));
    // As the tab's save worker posts a save's message: from another
    // channel object, naming the tab, with the session text.
    let worker = BrowserTransport::open(&channel, &key, "the-save-worker");
    let tab = BrowserTransport::open(&channel, &key, "tab-a");
    let got = Rc::new(RefCell::new(Vec::new()));
    let (arrived, slot) = signal();
    {
        let got = got.clone();
        tab.listen(Box::new(move |s| {
            got.borrow_mut().push(s);
            if got.borrow().len() == 2 {
                fire(&slot);
            }
        }));
    }
    let own = Message::session_changed("quarterly", 3, "tab-a", NOW).with_session("sync_version: 3\n".into());
    let other = Message::session_changed("quarterly", 4, "tab-b", NOW);
    worker.post(&own).unwrap();
    worker.post(&other).unwrap();
    within(10_000, arrived).await;
    match got.borrow().as_slice() {
        [Signal::Own, Signal::Text(text)] => assert_eq!(Message::parse(text), Ok(other)),
        other => panic!("{other:?}"),
    };
}

#[wasm_bindgen_test]
async fn two_tabs_follow_each_other_and_ignore_malformed_messages() {
    let names =
        Names { database: unique("db"), channel: unique("channel"), message_key: unique("message"), save_worker: None };
    let (reloaded, slot) = signal();
    let heard = Rc::new(RefCell::new(Vec::new()));
    let b = {
        let heard = heard.clone();
        open_with(&names, "quarterly", "tab-b", move |h| {
            let reloaded = h == Heard::Reloaded;
            heard.borrow_mut().push(h);
            if reloaded {
                fire(&slot);
            }
        })
        .await
    };
    assert!(!b.is_fallback(), "{:?}", b.fallback_reason());
    let a = open_with(&names, "quarterly", "tab-a", |_| {}).await;

    // Any page of the origin can post anything on the channel.
    let raw = web_sys::BroadcastChannel::new(&names.channel).unwrap();
    for text in ["", "{}", "null", r#"{"type":"session_changed","user_key":"quarterly"}"#] {
        raw.post_message(&text.into()).unwrap();
    }
    raw.post_message(&js_sys::Object::new()).unwrap();
    raw.post_message(&JsValue::from_f64(42.0)).unwrap();

    // Tab a saves a judgement; tab b hears it and shows it.
    let changed = a.peer().change(&Action::SetDropHigh(true), NOW).await;
    assert_eq!(changed, Ok(Changed::Saved(1)));
    within(10_000, reloaded).await;
    assert_eq!(b.peer().stored(), a.peer().stored());
    assert!(b.peer().stored().settings.drop_high);
    assert_eq!(heard.borrow().as_slice(), [Heard::Reloaded]);
    assert_eq!(b.peer().counters().ignored(Ignored::Malformed), 6);
    raw.close();
}

#[wasm_bindgen_test]
async fn a_save_worker_that_does_not_start_leaves_the_saves_to_the_page() {
    // No such script beside the test page: the worker fails to load, and
    // the tab saves in its own thread, as announced.
    let names = Names {
        database: unique("db"),
        channel: unique("channel"),
        message_key: unique("message"),
        save_worker: Some("no-such-worker.js".into()),
    };
    let tab = open_with(&names, "quarterly", "tab-a", |_| {}).await;
    assert!(tab.peer().store().has_save_worker());
    let listener = BrowserTransport::open(&names.channel, &names.message_key, "tab-listener");
    let heard = Rc::new(RefCell::new(Vec::new()));
    {
        let heard = heard.clone();
        listener.listen(Box::new(move |s| heard.borrow_mut().push(s)));
    }
    for (action, version) in [(Action::SetDropHigh(true), 1), (Action::SetDropLow(true), 2)] {
        let changed = tab.peer().change(&action, NOW).await;
        assert_eq!(changed, Ok(Changed::Saved(version)));
    }
    let stored = IdbStore::open(&names.database).await.unwrap().read("quarterly").await.unwrap().unwrap();
    let session = runoff_app::sync::text::read(&stored, "quarterly").unwrap();
    assert!(session.settings.drop_high && session.settings.drop_low);
    assert_eq!(session.sync_version, 2);
    // Both announced, once each, by the page.
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
    });
    JsFuture::from(wait).await.unwrap();
    let versions: Vec<u64> = heard
        .borrow()
        .iter()
        .filter_map(|s| match s {
            Signal::Text(t) => Message::parse(t).ok().map(|m| m.sync_version),
            _ => None,
        })
        .collect();
    assert_eq!(versions, [1, 2]);
}

#[wasm_bindgen_test]
fn storage_errors_say_what_happened() {
    let quota = web_sys::DomException::new_with_message_and_name("", "QuotaExceededError").unwrap();
    let e = runoff_app::browser::idb::error("the session was not saved", &quota.into());
    assert_eq!(e.0, "the session was not saved: browser storage is full");
    let denied = web_sys::DomException::new_with_message_and_name("denied", "SecurityError").unwrap();
    assert!(runoff_app::browser::idb::error("x", &denied.into()).0.contains("disabled"));
    // Whatever else is thrown still makes a message, and no panic.
    for thrown in [JsValue::NULL, JsValue::from_f64(1.0), JsValue::from_str("odd")] {
        assert!(!runoff_app::browser::idb::error("x", &thrown).0.is_empty());
    }
}

#[wasm_bindgen_test]
async fn focus_catches_up_and_pageshow_reopens_the_channel() {
    let names =
        Names { database: unique("db"), channel: unique("channel"), message_key: unique("message"), save_worker: None };
    let (first, first_slot) = signal();
    let (second, second_slot) = signal();
    let count = Rc::new(RefCell::new(0));
    let tab = {
        let count = count.clone();
        open_with(&names, "quarterly", "tab-b", move |h| {
            if h == Heard::Reloaded {
                *count.borrow_mut() += 1;
                fire(if *count.borrow() == 1 { &first_slot } else { &second_slot });
            }
        })
        .await
    };
    let window = web_sys::window().unwrap();
    // Another tab saved and its message was lost: storage alone has it.
    let other = IdbStore::open(&names.database).await.unwrap();
    let write = |text: &'static str| move |_: Option<&str>| (vec![("quarterly".to_string(), text.to_string())], ());
    other.update("quarterly", write(r#"{"sync_version": 1, "drop_low": true}"#)).await.unwrap();
    window.dispatch_event(&web_sys::Event::new("focus").unwrap()).unwrap();
    within(10_000, first).await;
    assert!(tab.peer().stored().settings.drop_low);

    // Hidden, the page closes its channel; shown again, it reopens it and
    // catches up with what was saved meanwhile.
    window.dispatch_event(&web_sys::Event::new("pagehide").unwrap()).unwrap();
    other.update("quarterly", write(r#"{"sync_version": 2, "drop_high": true}"#)).await.unwrap();
    window.dispatch_event(&web_sys::Event::new("pageshow").unwrap()).unwrap();
    within(10_000, second).await;
    assert_eq!(tab.peer().shown().version, 2);
    let sender = BrowserTransport::open(&names.channel, &names.message_key, "tab-c");
    let (heard, heard_slot) = signal();
    let watcher = BrowserTransport::open(&names.channel, &names.message_key, "tab-watcher");
    watcher.listen(Box::new(move |_| fire(&heard_slot)));
    sender.post(&Message::session_changed("quarterly", 2, "tab-c", NOW)).unwrap();
    within(10_000, heard).await;
    // Tab b's reopened channel heard it too, and took it as not newer.
    assert!(tab.peer().counters().ignored(Ignored::NotNewer) >= 1);
}

/// The page reads JSON with the browser's own parser and writes it as the
/// browser would; they give the texts the native tests of the sync rules
/// were written against.
#[wasm_bindgen_test]
fn json_in_the_browser_reads_and_writes_as_the_native_one() {
    use runoff_app::sync::{json, text};
    use runoff_engine::session::{CellDrop, Value};
    use runoff_engine::Session;

    let doc =
        "{\n  \"a\": [\n    1,\n    0.5,\n    \"x\",\n    true,\n    null\n  ],\n  \"b\": {\n    \"n\": -3\n  }\n}";
    let v = json::parse(doc).unwrap();
    assert_eq!(json::write(&v), doc);
    assert_eq!(v["a"][0].as_u64(), Some(1));
    assert_eq!(v["a"][1].as_f64(), Some(0.5));
    assert_eq!(v["b"]["n"].as_i64(), Some(-3));
    assert!(json::parse("{\"a\": ").unwrap_err().contains("JSON"));
    // The page's writer writes what the browser's would (but for numbers
    // below 1e-6 and from 1e21, in plain digits, which read back the same).
    for doc in [
        r#"{"n": [0.000001, 0.30000000000000004, 123456789012345680000, 1.5, -0, 7.0, -3, 1e20]}"#,
        r#"{"s": "a\"b\\c\n\r\t\b\f\u0001\u001f é ✓ \u2028", "e": [], "o": {}, "x": [{}, [true, false, null]]}"#,
    ] {
        let browser = js_sys::JSON::stringify_with_replacer_and_space(
            &js_sys::JSON::parse(doc).unwrap(),
            &JsValue::NULL,
            &JsValue::from(2),
        )
        .unwrap();
        assert_eq!(JsValue::from(json::write(&json::parse(doc).unwrap())), JsValue::from(browser), "{doc}");
    }
    // A key that is not text is written as its JSON.
    let mut m = runoff_engine::session::Mapping::new();
    m.insert(Value::from(1995), Value::from(0.6));
    assert_eq!(json::write(&Value::Mapping(m)), "{\n  \"1995\": 0.6\n}");

    let mut s = Session::new("quarterly");
    s.settings.drops.push(CellDrop { origin: "1996".into(), age: 3 });
    s.settings.bf_apriori_by_uwy.insert("2000".into(), 0.7);
    s.sync_version = 7;
    let stored = text::write(&s);
    assert!(stored.contains("\"default_apriori\": 0.6") && stored.contains("\"2000\": 0.7"), "{stored}");
    assert_eq!(text::read(&stored, "quarterly").unwrap(), s);
    let e = text::read("{\"average\": \"median\"}", "q").unwrap_err().to_string();
    assert!(e.contains("average") && e.contains("median"), "{e}");
    assert!(text::read("segment: [", "q").unwrap_err().to_string().contains("not valid"));

    let m = Message::session_changed("quarterly", 8, "tab-a", "2026-12-01T10:00:00.000Z");
    assert_eq!(Message::parse(&m.to_json()), Ok(m));
    assert!(Message::parse(r#"{"type":"session_changed","user_key":"q","sync_version":1.5,"origin_tab_id":"t","updated_at":"2026-12-01T10:00:00Z"}"#).is_err());
}

// ---- Storage that never loses work: imports, repairs, reopening, damage.

use runoff_app::browser::segment_store::SegmentStore;
use runoff_app::catalog::StoredSegment;
use wasm_bindgen::JsCast;

/// Runs `body` (JavaScript that returns a promise) and waits for it.
async fn js(body: &str) -> JsValue {
    let promise = js_sys::Function::new_no_args(body).call0(&JsValue::NULL).expect("the script runs");
    JsFuture::from(promise.unchecked_into::<js_sys::Promise>()).await.expect("the script's promise resolves")
}

/// A segment record of an `n` × `n` triangle.
fn segment_record(id: &str, n: usize) -> StoredSegment {
    let segment = runoff_app::segments::synthetic(id, n).unwrap();
    StoredSegment::of(&segment, &format!("{id}.csv"), NOW)
}

#[wasm_bindgen_test]
async fn an_import_from_a_tab_with_a_stale_list_never_replaces_a_segment() {
    let name = unique("segments");
    let a = SegmentStore::open(&name).await;
    let b = SegmentStore::open(&name).await;
    assert!(matches!(a, SegmentStore::Idb(_)));
    // Both tabs listed before either imported: neither knows of `raa`.
    assert!(a.list().await.unwrap().segments.is_empty());
    assert!(b.list().await.unwrap().segments.is_empty());
    let in_b = b.add(&segment_record("raa", 4), &["quarterly"]).await.unwrap();
    // Tab A chose `raa` too, from its stale list.
    let in_a = a.add(&segment_record("raa", 6), &["quarterly"]).await.unwrap();
    assert_eq!((in_b.id.as_str(), in_a.id.as_str()), ("raa", "raa-2"));
    let got_b = a.get("raa").await.unwrap().unwrap();
    let got_a = a.get("raa-2").await.unwrap().unwrap();
    assert_eq!(got_b.measures[0].1.n_origins(), 4, "the first import kept its own triangle");
    assert_eq!(got_a.measures[0].1.n_origins(), 6);
    assert_eq!(got_a.id, "raa-2");
    let mut ids: Vec<String> = b.list().await.unwrap().segments.into_iter().map(|(id, _)| id).collect();
    ids.sort();
    assert_eq!(ids, ["raa", "raa-2"]);
    // A sample's id is never taken by an import.
    assert_eq!(a.add(&segment_record("quarterly", 3), &["quarterly"]).await.unwrap().id, "quarterly-2");
}

#[wasm_bindgen_test]
async fn damaged_stored_segments_are_named_and_skipped() {
    use runoff_app::browser::idb::{Op, SEGMENTS};
    let name = unique("damaged");
    let store = SegmentStore::open(&name).await;
    store.add(&segment_record("good", 4), &[]).await.unwrap();
    let SegmentStore::Idb(db) = &store else { panic!("IndexedDB") };
    let object = |title: Option<&str>, data: JsValue| {
        let o = js_sys::Object::new();
        if let Some(t) = title {
            js_sys::Reflect::set(&o, &"title".into(), &t.into()).unwrap();
        }
        js_sys::Reflect::set(&o, &"data".into(), &data).unwrap();
        JsValue::from(o)
    };
    let mut cut = segment_record("cut", 4).to_bytes();
    cut.truncate(cut.len() / 2);
    let ops = vec![
        Op::Put { store: SEGMENTS, key: "text".into(), value: object(Some("Text"), "not bytes".into()) },
        Op::Put {
            store: SEGMENTS,
            key: "untitled".into(),
            value: object(None, js_sys::Uint8Array::new_with_length(3).into()),
        },
        Op::Put {
            store: SEGMENTS,
            key: "cut".into(),
            value: object(Some("Cut"), js_sys::Uint8Array::from(cut.as_slice()).into()),
        },
    ];
    db.write(&[SEGMENTS], ops).await.unwrap();
    let listing = store.list().await.unwrap();
    let ids: Vec<&str> = listing.segments.iter().map(|(id, _)| id.as_str()).collect();
    // The cut record looks whole until its triangle is read.
    assert_eq!(ids, ["cut", "good"]);
    let damaged: Vec<&str> = listing.damaged.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(damaged, ["text", "untitled"]);
    let problem = listing.problem().unwrap();
    assert!(
        problem.contains("segment text: its record holds no data") && problem.contains("segment untitled"),
        "{problem}"
    );
    let e = store.get("cut").await.unwrap_err().0;
    assert!(e.contains("the stored segment cut is damaged"), "{e}");
    assert_eq!(store.get("good").await.unwrap().unwrap().measures[0].1.n_origins(), 4);
}

#[wasm_bindgen_test]
async fn a_database_found_without_its_stores_is_repaired() {
    for version in [2, 7] {
        let name = unique("empty");
        // Another page made the database, at this version, with no stores.
        js(&format!(
            "return new Promise((ok, no) => {{ const r = indexedDB.open('{name}', {version}); \
             r.onsuccess = () => {{ r.result.close(); ok(true); }}; r.onerror = () => no(r.error); }});"
        ))
        .await;
        let db = IdbStore::open(&name).await.expect("opens, repaired");
        db.update("quarterly", |_| (vec![("quarterly".into(), "{}".into())], ())).await.unwrap();
        assert_eq!(db.read("quarterly").await.unwrap().as_deref(), Some("{}"));
        // Opened again (its version is now above the app's), it still works.
        drop(db);
        let again = IdbStore::open(&name).await.expect("opens at its repaired version");
        assert_eq!(again.read("quarterly").await.unwrap().as_deref(), Some("{}"));
        let stores = SegmentStore::open(&name).await;
        assert!(matches!(stores, SegmentStore::Idb(_)), "not abandoned for localStorage");
    }
}

#[wasm_bindgen_test]
async fn a_blocked_upgrade_still_creates_the_stores() {
    let name = unique("blocked");
    // An older page holds version 1 open and lets go only after a while,
    // not on `versionchange`.
    js(&format!(
        "return new Promise((ok) => {{ const r = indexedDB.open('{name}', 1); \
         r.onsuccess = () => {{ const db = r.result; setTimeout(() => db.close(), 300); ok(true); }}; }});"
    ))
    .await;
    let db = IdbStore::open(&name).await.expect("opens once the old connection is closed");
    db.update("k", |_| (vec![("k".into(), "v".into())], ())).await.unwrap();
    assert_eq!(db.read("k").await.unwrap().as_deref(), Some("v"));
}

#[wasm_bindgen_test]
async fn the_connection_is_opened_again_after_another_tab_deletes_the_database() {
    let name = unique("deleted");
    let db = IdbStore::open(&name).await.unwrap();
    db.update("k", |_| (vec![("k".into(), "before".into())], ())).await.unwrap();
    // Deleting waits for this connection, which closes on `versionchange`.
    js(&format!(
        "return new Promise((ok, no) => {{ const r = indexedDB.deleteDatabase('{name}'); \
         r.onsuccess = () => ok(true); r.onerror = () => no(r.error); r.onblocked = () => no('blocked'); }});"
    ))
    .await;
    assert!(!db.is_connected());
    assert_eq!(db.read("k").await.unwrap(), None, "the database was deleted");
    db.update("k", |_| (vec![("k".into(), "after".into())], ())).await.expect("saved on a new connection");
    assert_eq!(db.read("k").await.unwrap().as_deref(), Some("after"));
}

/// The recalculation's reply channel hands each question its answer once,
/// and passes over what is not an answer of its own.
#[wasm_bindgen_test]
async fn the_reply_channel_answers_each_question_once() {
    use runoff_app::replies::Replies;
    use runoff_worker::{codec::to_bytes, Answer};
    let replies = Replies::open(&unique("tab"));
    let (first, answer) = replies.question().expect("the browser has BroadcastChannel");
    let (second, _) = replies.question().unwrap();
    assert_ne!(first.id, second.id);
    let post = |value: JsValue| {
        let c = web_sys::BroadcastChannel::new(&first.channel).unwrap();
        c.post_message(&value).unwrap();
        c.close();
    };
    let bytes =
        |id: u64, a: &Answer| -> JsValue { js_sys::Uint8Array::from(to_bytes(&(id, a)).unwrap().as_slice()).into() };
    post("not an answer".into());
    post(js_sys::Uint8Array::from(&[200u8, 1, 2][..]).into());
    post(bytes(first.id, &Answer::Failed("the first".into())));
    post(bytes(first.id, &Answer::Failed("a second answer to the same question".into())));
    assert_eq!(answer.await, Ok(Answer::Failed("the first".into())));
    assert!(!replies.waiting(first.id));
    assert!(replies.waiting(second.id));
    // The agent's own answer, when it comes first, is the answer.
    replies.deliver(second.id, Answer::Failed("by the agent".into()));
    assert!(!replies.waiting(second.id));
}
