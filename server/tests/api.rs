//! The API's rules, call by call, on SQLite (and on PostgreSQL when
//! `RUNOFF_TEST_PG` is set): who may call, what is refused and with which
//! status, and that a refused call changes nothing stored.

mod support;

use runoff_app::catalog::StoredSegment;
use runoff_app::sync::message::{Kind, Message};
use runoff_engine::session::Average;
use runoff_engine::{Action, Session};
use serde_json::{json, Value};
use support::{change, databases, start, Events, Running};

fn settings(yaml: &str) -> runoff_engine::Settings {
    Session::from_yaml(yaml, "quarterly").unwrap().settings
}

/// What a refused call must leave: the version, the session and the
/// history as they were.
async fn unchanged(s: &Running, before: &(u64, String), history: &[u64]) {
    assert_eq!(&s.session("quarterly").await, before);
    assert_eq!(s.versions("quarterly").await, history);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_needs_a_valid_token_and_a_refusal_says_nothing_more() {
    for db in databases("auth").await {
        let s = start(&db).await;
        let before = s.session("quarterly").await;
        let other = runoff_server::users::add(&s.store, "bob").await.unwrap();
        assert!(runoff_server::users::remove(&s.store, "bob").await.unwrap());
        let (id, _) = s.token.split_once('.').unwrap();
        let wrong_secret = format!("{id}.{}", "0".repeat(64));
        let body = change(json!({"SetDropHigh": true}), 0, "tab").to_string().into_bytes();
        for token in [None, Some("nonsense"), Some(wrong_secret.as_str()), Some(other.as_str())] {
            for (method, path, body) in [
                ("GET", "/api/me", None),
                ("GET", "/api/segments", None),
                ("GET", "/api/segments/quarterly/session", None),
                ("POST", "/api/segments/quarterly/actions", Some(body.clone())),
                ("PUT", "/api/segments/new", Some(b"{}".to_vec())),
                ("GET", "/api/events", None),
                ("GET", "/api/nowhere", None),
            ] {
                let a = s.call(method, path, body, token).await;
                assert_eq!(
                    (a.status, &a.body),
                    (401, &json!({"error": "sign-in required"})),
                    "{method} {path} {token:?}"
                );
            }
        }
        unchanged(&s, &before, &[]).await;
        let me = s.get("/api/me").await;
        assert_eq!((me.status, me.body), (200, json!({"name": "ada"})));
        // The static app answers without a token; the API's unknown calls are 404.
        // Every address of the page gets index.html, which names the API
        // so that the page asks to sign in.
        for path in ["/", "/index.html", "/quarterly/results"] {
            let page = s.call("GET", path, None, None).await;
            assert!(page.status == 200 && page.text.contains("<title>runoff</title>"), "{path}: {}", page.text);
            assert!(page.text.contains(runoff_server::statics::MARKER), "{path}: {}", page.text);
        }
        assert_eq!(s.call("GET", "/assets/app.js", None, None).await.text, "console.log(1)");
        assert_eq!(s.get("/api/nowhere").await.status, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_samples_are_offered_in_the_pages_own_form() {
    for db in databases("samples").await {
        let s = start(&db).await;
        let list = s.get("/api/segments").await;
        let ids: Vec<(&str, bool)> = list
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["id"].as_str().unwrap(), e["builtin"].as_bool().unwrap()))
            .collect();
        assert_eq!(ids, [("quarterly", true), ("annual", true)]);
        let q = s.get("/api/segments/quarterly").await;
        let stored: StoredSegment = serde_json::from_str(&q.text).unwrap();
        let sample = runoff_server::segments::sample("quarterly", None, "t").unwrap();
        assert_eq!(stored.measures, sample.measures);
        assert_eq!((stored.measures[0].1.n_origins(), stored.measures[0].1.n_ages()), (12, 45));
        assert_eq!(stored.premium.as_ref().map(Vec::len), Some(12));
        let (version, yaml) = s.session("annual").await;
        assert_eq!((version, settings(&yaml)), (0, runoff_engine::Settings::default()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_is_saved_as_the_next_version_and_replayed_onto_newer_ones() {
    for db in databases("save").await {
        let s = start(&db).await;
        let a = s.post("/api/segments/quarterly/actions", &change(json!({"SetAverage": "Simple"}), 0, "tab-a")).await;
        assert_eq!((a.status, a.body["sync_version"].as_u64(), a.body["saved"].as_bool()), (200, Some(1), Some(true)));
        // Made on version 0 by another tab: replayed onto version 1, both kept.
        let b = s.post("/api/segments/quarterly/actions", &change(json!({"SetDropHigh": true}), 0, "tab-b")).await;
        assert_eq!(b.body["sync_version"].as_u64(), Some(2));
        let (version, yaml) = s.session("quarterly").await;
        let now = settings(&yaml);
        assert_eq!((version, now.average, now.drop_high), (2, Average::Simple, true));
        assert_eq!(b.body["session"].as_str(), Some(yaml.as_str()));
        // The same session in the page's own form, read as the page reads
        // its storage, in every answer that carries one.
        let page = |answer: &Value| {
            runoff_app::sync::text::read(answer["page_session"].as_str().unwrap(), "quarterly").unwrap()
        };
        let from_yaml = Session::from_yaml(&yaml, "quarterly").unwrap();
        assert_eq!(page(&b.body), from_yaml);
        assert_eq!(page(&s.get("/api/segments/quarterly/session").await.body), from_yaml);
        assert_eq!(page(&s.get("/api/segments/quarterly/versions/2").await.body), from_yaml);
        assert!(yaml.contains("sync_origin_tab_id: tab-b"), "{yaml}");
        // The same judgement again: answered with the stored version, nothing written.
        let c = s.post("/api/segments/quarterly/actions", &change(json!({"SetDropHigh": true}), 2, "tab-a")).await;
        assert_eq!((c.status, c.body["sync_version"].as_u64(), c.body["saved"].as_bool()), (200, Some(2), Some(false)));
        assert_eq!(s.versions("quarterly").await, [2, 1]);
        // The history and every version of the session.
        let h = s.get("/api/segments/quarterly/history").await;
        assert_eq!(h.body[0]["user"], "ada");
        assert_eq!(serde_json::from_value::<Action>(h.body[0]["action"].clone()).unwrap(), Action::SetDropHigh(true));
        assert_eq!(h.body[0]["what"], "drop the highest link ratio: yes");
        assert!(h.body[0]["at"].as_str().unwrap().ends_with('Z'));
        let older = s.get("/api/segments/quarterly/history?before=2").await;
        assert_eq!(older.body.as_array().unwrap().len(), 1);
        assert_eq!(older.body[0]["version"], 1);
        let v1 = s.get("/api/segments/quarterly/versions/1").await;
        let one = settings(v1.body["session"].as_str().unwrap());
        assert_eq!((one.average, one.drop_high), (Average::Simple, false));
        let v0 = s.get("/api/segments/quarterly/versions/0").await;
        assert_eq!(settings(v0.body["session"].as_str().unwrap()), runoff_engine::Settings::default());
        assert_eq!(s.get("/api/segments/quarterly/versions/3").await.status, 404);
        assert_eq!(s.get("/api/segments/quarterly/versions/x").await.status, 400);
        assert_eq!(s.get("/api/segments/quarterly/history?before=x").await.status, 400);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_changes_leave_everything_as_it_was() {
    for db in databases("refusals").await {
        let s = start(&db).await;
        s.post("/api/segments/quarterly/actions", &change(json!({"SetDropLow": true}), 0, "t")).await;
        let before = s.session("quarterly").await;
        assert_eq!(before.0, 1);
        let actions = "/api/segments/quarterly/actions";

        // Malformed JSON, and JSON of the wrong shape: 400, saying where.
        for (body, needle) in [
            (b"{\"action\": ".to_vec(), "EOF"),
            (b"not json".to_vec(), "expected"),
            (json!({"action": {"SetDropLow": false}}).to_string().into_bytes(), "base_version"),
            (
                json!({"action": {"Explode": 1}, "base_version": 1, "origin_tab_id": "t", "action_id": uuid()})
                    .to_string()
                    .into_bytes(),
                "Explode",
            ),
            (
                json!({"action": {"SetDropLow": false}, "base_version": 1, "origin_tab_id": "t", "action_id": "x"})
                    .to_string()
                    .into_bytes(),
                "action_id",
            ),
            (
                json!({"action": {"SetDropLow": false}, "base_version": 1, "origin_tab_id": "", "action_id": uuid()})
                    .to_string()
                    .into_bytes(),
                "origin_tab_id",
            ),
        ] {
            let a = s.call("POST", actions, Some(body), Some(&s.token)).await;
            let e = a.body["error"].as_str().unwrap_or_default();
            assert!(a.status == 400 && e.contains(needle), "{} {}", a.status, a.text);
        }
        unchanged(&s, &before, &[1]).await;

        // A version from the future: 409.
        let a = s.post(actions, &change(json!({"SetDropLow": false}), 2, "t")).await;
        assert_eq!(a.status, 409, "{}", a.text);
        assert!(a.body["error"].as_str().unwrap().contains("a version from the future"), "{}", a.text);
        unchanged(&s, &before, &[1]).await;

        // A value out of its range: 422, naming the key.
        let a = s.post(actions, &change(json!({"SetTailDecay": 3.0}), 1, "t")).await;
        assert!(a.status == 422 && a.body["error"].as_str().unwrap().contains("tail_decay"), "{}", a.text);
        unchanged(&s, &before, &[1]).await;

        // An unknown segment: 404 everywhere.
        for path in [
            "/api/segments/nope",
            "/api/segments/nope/session",
            "/api/segments/nope/history",
            "/api/segments/nope/versions/0",
        ] {
            assert_eq!(s.get(path).await.status, 404, "{path}");
        }
        let a = s.post("/api/segments/nope/actions", &change(json!({"SetDropLow": false}), 0, "t")).await;
        assert_eq!(a.status, 404);

        // Too large a body: 413, whether it says its length or not.
        for (method, path, streamed) in
            [("POST", actions, false), ("PUT", "/api/segments/big", false), ("POST", actions, true)]
        {
            assert_eq!(oversized(&s, method, path, streamed).await, 413, "{method} {path} streamed: {streamed}");
        }
        assert_eq!(s.get("/api/segments/big").await.status, 404);
        unchanged(&s, &before, &[1]).await;
    }
}

/// The status answered to a body over the limit (3 MiB), with its length
/// announced or streamed in chunks. The server answers as soon as the limit
/// is passed and closes the connection on the rest of the body, so the
/// client may see the connection reset before it reads the answer; it
/// tries again then, as a browser would show a failed upload.
async fn oversized(s: &Running, method: &str, path: &str, streamed: bool) -> u16 {
    for _ in 0..10 {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let request =
            s.http.request(method, format!("{}{path}", s.base)).header("Authorization", format!("Bearer {}", s.token));
        let request = if streamed {
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..48).map(|_| Ok(vec![b' '; 64 << 10])).collect();
            request.body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        } else {
            request.body(format!("{{\"pad\": \"{}\"}}", "x".repeat(3 << 20)))
        };
        if let Ok(response) = request.send().await {
            return response.status().as_u16();
        }
    }
    panic!("no answer to an oversized body in 10 tries");
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_change_answers_its_first_answer() {
    for db in databases("retry").await {
        let s = start(&db).await;
        let actions = "/api/segments/quarterly/actions";
        let first = change(json!({"SetApriori": {"origin": "2000", "value": 0.7}}), 0, "t");
        let a = s.post(actions, &first).await;
        assert_eq!(a.body["sync_version"].as_u64(), Some(1));
        let again = s.post(actions, &first).await;
        assert_eq!(
            (again.status, again.body["sync_version"].as_u64(), again.body["saved"].as_bool()),
            (200, Some(1), Some(false))
        );
        assert_eq!(again.body["session"], a.body["session"]);
        // Someone else sets it back; a late retry of the first change does not undo theirs.
        s.post(actions, &change(json!({"SetApriori": {"origin": "2000", "value": null}}), 1, "u")).await;
        let late = s.post(actions, &first).await;
        assert_eq!(late.body["sync_version"].as_u64(), Some(1));
        let (version, yaml) = s.session("quarterly").await;
        assert_eq!((version, settings(&yaml).apriori("2000")), (2, 0.6));
        assert_eq!(s.versions("quarterly").await, [2, 1]);
        // A change that saved nothing is remembered as well.
        let same = change(json!({"SetDropHigh": false}), 2, "t");
        assert_eq!(s.post(actions, &same).await.body["sync_version"].as_u64(), Some(2));
        s.post(actions, &change(json!({"SetDropHigh": true}), 2, "u")).await;
        assert_eq!(s.post(actions, &same).await.body["sync_version"].as_u64(), Some(2));
        assert!(settings(&s.session("quarterly").await.1).drop_high);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_never_overwrites_and_every_page_hears_of_it() {
    for db in databases("import").await {
        let s = start(&db).await;
        let mut events = Events::open(&s.base, &s.token, &s.http).await;
        let mut raa = serde_json::to_value(runoff_server::segments::sample("quarterly", None, "t").unwrap()).unwrap();
        raa["id"] = json!("raa");
        raa["title"] = json!("RAA");
        let a = s.put("/api/segments/raa?origin_tab_id=tab-i", &raa).await;
        assert_eq!((a.status, a.body["id"].as_str(), a.body["builtin"].as_bool()), (201, Some("raa"), Some(false)));
        let m = Message::parse(&events.next().await).unwrap();
        assert_eq!((m.kind, m.user_key.as_str(), m.origin_tab_id.as_str()), (Kind::SegmentsChanged, "raa", "tab-i"));

        let stored = s.get("/api/segments/raa").await.text;
        let mut other = raa.clone();
        other["title"] = json!("Not RAA");
        assert_eq!(s.put("/api/segments/raa", &other).await.status, 409);
        other["id"] = json!("quarterly");
        assert_eq!(s.put("/api/segments/quarterly", &other).await.status, 409);
        assert_eq!(s.get("/api/segments/raa").await.text, stored);
        assert_eq!(s.get("/api/segments/quarterly").await.body["title"], "quarterly");
        assert_eq!(s.session("raa").await.0, 0);

        // Data whose parts disagree: 422, nothing stored.
        let mut bad = raa.clone();
        bad["id"] = json!("bad");
        bad["measures"][0][1]["cells"] = json!([1.0, 2.0]);
        let a = s.put("/api/segments/bad", &bad).await;
        assert!(a.status == 422 && a.body["error"].as_str().unwrap().contains("incurred"), "{}", a.text);
        assert_eq!(s.put("/api/segments/a%20b", &raa).await.status, 400);
        let ids: Vec<String> = s
            .get("/api/segments")
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, ["quarterly", "annual", "raa"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_hears_each_change_as_the_sync_message() {
    for db in databases("events").await {
        let s = start(&db).await;
        let mut pages = Vec::new();
        for _ in 0..3 {
            pages.push(Events::open(&s.base, &s.token, &s.http).await);
        }
        let a = s.post("/api/segments/annual/actions", &change(json!({"SetDropHigh": true}), 0, "tab-x")).await;
        let at = a.body["updated_at"].as_str().unwrap().to_string();
        for page in &mut pages {
            let text = page.next().await;
            let m = Message::parse(&text).unwrap();
            assert_eq!(m, Message::session_changed("annual", 1, "tab-x", &at), "{text}");
            let fields: Value = serde_json::from_str(&text).unwrap();
            let mut keys: Vec<&str> = fields.as_object().unwrap().keys().map(String::as_str).collect();
            keys.sort();
            assert_eq!(keys, ["origin_tab_id", "sync_version", "type", "updated_at", "user_key"]);
        }
        // Nothing is announced for a change that saved nothing, nor for a refusal.
        s.post("/api/segments/annual/actions", &change(json!({"SetDropHigh": true}), 1, "tab-x")).await;
        s.post("/api/segments/annual/actions", &change(json!({"SetDropHigh": false}), 9, "tab-x")).await;
        s.post("/api/segments/annual/actions", &change(json!({"SetDropLow": true}), 1, "tab-y")).await;
        for page in &mut pages {
            let m = Message::parse(&page.next().await).unwrap();
            assert_eq!((m.sync_version, m.origin_tab_id.as_str()), (2, "tab-y"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_sends_and_reads_its_own_binary_forms() {
    use runoff_app::sync::wire::{Change, CHANGE_TYPE, RECORD_TYPE};
    for db in databases("forms").await {
        let s = start(&db).await;
        // A segment's data as the page stores it, read by the page's own code.
        let (status, bytes) = s.call_bytes("GET", "/api/segments/quarterly", &[("Accept", RECORD_TYPE)], None).await;
        assert_eq!(status, 200);
        let record = StoredSegment::from_bytes(&bytes).unwrap();
        let json: StoredSegment = serde_json::from_str(&s.get("/api/segments/quarterly").await.text).unwrap();
        assert_eq!(record, json);

        // An import in that form, under a new id: the same data comes back.
        let mut raa = record.clone();
        raa.id = "raa".into();
        raa.title = "RAA".into();
        let (status, _) = s
            .call_bytes(
                "PUT",
                "/api/segments/raa?origin_tab_id=t",
                &[("Content-Type", RECORD_TYPE)],
                Some(raa.to_bytes()),
            )
            .await;
        assert_eq!(status, 201);
        let (_, back) = s.call_bytes("GET", "/api/segments/raa", &[("Accept", RECORD_TYPE)], None).await;
        assert_eq!(StoredSegment::from_bytes(&back).unwrap(), raa);
        // Bytes that are not a record: 400, nothing stored.
        let (status, _) =
            s.call_bytes("PUT", "/api/segments/junk", &[("Content-Type", RECORD_TYPE)], Some(vec![1, 255, 3])).await;
        assert_eq!(status, 400);
        assert_eq!(s.get("/api/segments/junk").await.status, 404);

        // A change in the page's form.
        let action = Action::SetAverage(Average::Simple);
        let id = uuid::Uuid::new_v4().to_string();
        let change = Change { action: &action, base_version: 0, origin_tab_id: "tab-p", action_id: &id };
        let body = change.to_bytes().unwrap();
        let post = |body: Vec<u8>| {
            s.call_bytes("POST", "/api/segments/quarterly/actions", &[("Content-Type", CHANGE_TYPE)], Some(body))
        };
        let (status, answer) = post(body.clone()).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!((answer["sync_version"].as_u64(), answer["saved"].as_bool()), (Some(1), Some(true)));
        assert_eq!(settings(&s.session("quarterly").await.1).average, Average::Simple);
        // Sent again (its answer lost): the same version, nothing saved twice.
        let (_, again) = post(body.clone()).await;
        let again: Value = serde_json::from_slice(&again).unwrap();
        assert_eq!((again["sync_version"].as_u64(), again["saved"].as_bool()), (Some(1), Some(false)));
        // Cut short: 400, nothing saved.
        let (status, _) = post(body[..body.len() - 3].to_vec()).await;
        assert_eq!(status, 400);
        assert_eq!(s.versions("quarterly").await, [1]);
    }
}
