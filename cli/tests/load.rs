//! The real `runoff serve` under load on loopback: many people saving
//! changes to one segment at once while many pages listen.
//!
//! - Every acknowledged change is in the final session, and the history's
//!   versions are 1…N with no gap and no repeat, N being the number of
//!   changes acknowledged as saved.
//! - Each change reaches every listening page within 100 ms at the 95th
//!   percentile, from the moment its saver is answered (a table is printed).
//! - A server killed with SIGKILL mid-run and started again on the same
//!   database still has every change it acknowledged.
//!
//! On SQLite with one server; on PostgreSQL (when `RUNOFF_TEST_PG` names a
//! server: `bash scripts/pg.sh cargo test -p runoff-cli --test load`) with
//! two servers on one database, the clients and the pages split between
//! them. The sizes are 50 clients × 200 actions and 100 pages by default;
//! `RUNOFF_LOAD_CLIENTS`, `RUNOFF_LOAD_ACTIONS` and `RUNOFF_LOAD_LISTENERS`
//! change them.

mod common;

use common::{user, Served};
use runoff_engine::action::canonical;
use runoff_engine::{Action, Session, Settings};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SEGMENT: &str = "quarterly";

/// The tests here measure time: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(default)
}

fn sqlite_db(name: &str) -> String {
    common::sqlite_db("load", name)
}

/// A fresh database on the PostgreSQL server `RUNOFF_TEST_PG` names, if any.
async fn pg_db(name: &str) -> Option<String> {
    use sqlx::Connection;
    let url = std::env::var("RUNOFF_TEST_PG").ok().filter(|u| !u.is_empty())?;
    let db = format!("runoff_{name}_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut c = sqlx::PgConnection::connect(&url).await.expect("RUNOFF_TEST_PG does not answer");
    sqlx::raw_sql(&format!("CREATE DATABASE {db}")).execute(&mut c).await.unwrap();
    let (base, _) = url.split('?').next().unwrap().rsplit_once('/').unwrap();
    Some(format!("{base}/{db}"))
}

/// Action `j` of client `i`: each client has settings of its own (an
/// origin's expected loss ratio, and three of its cells dropped or not),
/// so the final session is known whatever order the saves land in.
fn action(i: usize, j: usize) -> Action {
    let origin = format!("c{i}");
    let k = j / 2;
    if j.is_multiple_of(2) {
        Action::SetApriori { origin, value: Some(0.5 + (k % 50) as f64 / 100.0) }
    } else {
        Action::SetCellDropped { origin, age: 3 * (1 + (k % 3) as u32), dropped: k.is_multiple_of(2) }
    }
}

/// One acknowledged change.
#[derive(Debug, Clone)]
struct Ack {
    version: u64,
    saved: bool,
    at: Instant,
    action: Action,
    session: String,
}

async fn post(http: &reqwest::Client, base: &str, token: &str, body: &Value) -> Result<Value, String> {
    let response = http
        .post(format!("{base}/api/segments/{SEGMENT}/actions"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!("{status} {text}"));
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Client `i`: its actions one after the other, each on the version it
/// last saw. Stops at the first failure (the server was killed).
async fn client(i: usize, actions: usize, base: String, token: String, http: reqwest::Client) -> (Vec<Ack>, bool) {
    let mut acks = Vec::with_capacity(actions);
    let mut known = 0;
    for j in 0..actions {
        let a = action(i, j);
        let body = json!({
            "action": a,
            "base_version": known,
            "origin_tab_id": format!("client-{i}"),
            "action_id": uuid::Uuid::new_v4().to_string(),
        });
        match post(&http, &base, &token, &body).await {
            Ok(v) => {
                let at = Instant::now();
                known = v["sync_version"].as_u64().unwrap();
                let session = v["session"].as_str().unwrap().to_string();
                acks.push(Ack { version: known, saved: v["saved"].as_bool().unwrap(), at, action: a, session });
            }
            Err(_) => return (acks, false),
        }
    }
    (acks, true)
}

/// A page listening: when it received each version of the segment.
async fn listener(
    base: String,
    token: String,
    ready: tokio::sync::mpsc::Sender<()>,
    got: Arc<Mutex<Vec<(u64, Instant)>>>,
) {
    let mut response = reqwest::Client::new()
        .get(format!("{base}/api/events"))
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut buffer = String::new();
    let mut told = false;
    while let Ok(Some(chunk)) = response.chunk().await {
        let now = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(at) = buffer.find("\n\n") {
            let event: String = buffer.drain(..at + 2).collect();
            if !told {
                // The stream's first comment: listening from here on.
                told = true;
                let _ = ready.send(()).await;
            }
            for data in event.lines().filter_map(|l| l.strip_prefix("data:")) {
                let m: Value = serde_json::from_str(data.trim()).unwrap();
                if m["type"] == "session_changed" && m["user_key"] == SEGMENT {
                    got.lock().unwrap().push((m["sync_version"].as_u64().unwrap(), now));
                }
            }
        }
    }
}

/// The stored session's (version, settings) and the history's versions,
/// newest first, read page by page.
async fn stored(http: &reqwest::Client, base: &str, token: &str) -> (u64, Settings, Vec<(u64, Action)>) {
    let get = |path: String| {
        let http = http.clone();
        let token = token.to_string();
        async move {
            let r = http.get(path).header("Authorization", format!("Bearer {token}")).send().await.unwrap();
            assert_eq!(r.status(), 200);
            serde_json::from_str::<Value>(&r.text().await.unwrap()).unwrap()
        }
    };
    let s = get(format!("{base}/api/segments/{SEGMENT}/session")).await;
    let session = Session::from_yaml(s["session"].as_str().unwrap(), SEGMENT).unwrap();
    let mut history = Vec::new();
    let mut before = String::new();
    loop {
        let page = get(format!("{base}/api/segments/{SEGMENT}/history?limit=500{before}")).await;
        let page = page.as_array().unwrap();
        if page.is_empty() {
            break;
        }
        for e in page {
            history.push((e["version"].as_u64().unwrap(), serde_json::from_value(e["action"].clone()).unwrap()));
        }
        before = format!("&before={}", history.last().unwrap().0);
    }
    (s["sync_version"].as_u64().unwrap(), session.settings, history)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// The whole run on `servers` (one or two processes on one database).
async fn load(name: &str, db: &str, servers: usize) {
    let (clients, actions, listeners) = (
        setting("RUNOFF_LOAD_CLIENTS", 50),
        setting("RUNOFF_LOAD_ACTIONS", 200),
        setting("RUNOFF_LOAD_LISTENERS", 100),
    );
    let token = user(db, "load");
    let served: Vec<Served> = (0..servers).map(|_| Served::start(db)).collect();
    let bases: Vec<String> = served.iter().map(|s| s.base.clone()).collect();
    let http = reqwest::Client::new();
    // Signed in once per server before the rush (the token's hash is
    // checked once, then remembered).
    for base in &bases {
        let r = http.get(format!("{base}/api/me")).header("Authorization", format!("Bearer {token}")).send().await;
        assert_eq!(r.unwrap().status(), 200);
    }

    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(listeners);
    let mut pages = Vec::new();
    for l in 0..listeners {
        let got = Arc::new(Mutex::new(Vec::new()));
        tokio::spawn(listener(bases[l % servers].clone(), token.clone(), ready_tx.clone(), got.clone()));
        pages.push(got);
    }
    for _ in 0..listeners {
        tokio::time::timeout(Duration::from_secs(60), ready_rx.recv()).await.expect("a page did not start listening");
    }

    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|i| tokio::spawn(client(i, actions, bases[i % servers].clone(), token.clone(), http.clone())))
        .collect();
    let mut acks = Vec::new();
    for t in tasks {
        let (a, finished) = t.await.unwrap();
        assert!(finished, "a client's change was refused or failed");
        acks.extend(a);
    }
    let elapsed = started.elapsed();

    // Every acknowledged change is in the final session.
    let expected = (0..clients)
        .flat_map(|i| (0..actions).map(move |j| action(i, j)))
        .fold(Settings::default(), |s, a| a.apply(&s).unwrap());
    let (version, settings, history) = stored(&http, &bases[0], &token).await;
    assert_eq!(canonical(&settings), canonical(&expected), "the final session misses a change");
    // Versions 1…N, each written once, and each acknowledged save one of them.
    let saved: Vec<u64> = acks.iter().filter(|a| a.saved).map(|a| a.version).collect();
    let distinct: BTreeSet<u64> = saved.iter().copied().collect();
    assert_eq!(distinct.len(), saved.len(), "a version was acknowledged twice");
    assert_eq!(distinct, (1..=version).collect::<BTreeSet<u64>>(), "acknowledged versions are not 1…{version}");
    let versions: Vec<u64> = history.iter().map(|(v, _)| *v).collect();
    assert_eq!(versions, (1..=version).rev().collect::<Vec<u64>>(), "the history's versions have a gap or a repeat");
    let by_version: BTreeMap<u64, &Ack> = acks.iter().filter(|a| a.saved).map(|a| (a.version, a)).collect();
    for (v, a) in &history {
        assert_eq!(&by_version[v].action, a, "version {v}");
    }

    // Every page heard every version; the time from each save's answer to
    // each page's receipt.
    let deadline = Instant::now() + Duration::from_secs(30);
    while pages.iter().any(|p| p.lock().unwrap().len() < saved.len()) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut delays = Vec::new();
    let mut missed = 0;
    for page in &pages {
        let got: BTreeMap<u64, Instant> = page.lock().unwrap().iter().copied().collect();
        for (v, ack) in &by_version {
            match got.get(v) {
                // Heard before the saver was answered: no delay.
                Some(t) => delays.push(t.saturating_duration_since(ack.at).as_secs_f64() * 1e3),
                None => missed += 1,
            }
        }
    }
    delays.sort_by(f64::total_cmp);
    let p = |q| percentile(&delays, q);
    let throughput = acks.len() as f64 / elapsed.as_secs_f64();
    println!();
    println!("load on {name}: {servers} server(s), {clients} clients × {actions} actions, {listeners} pages");
    println!("| acknowledged | saved (versions) | unchanged | time | actions/s |");
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {} | {:.1} s | {:.0} |",
        acks.len(),
        saved.len(),
        acks.len() - saved.len(),
        elapsed.as_secs_f64(),
        throughput
    );
    println!("| fan-out (ms from the answer) | p50 | p95 | p99 | max | deliveries | missed |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {name} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {missed} |",
        p(50.0),
        p(95.0),
        p(99.0),
        p(100.0),
        delays.len()
    );
    assert_eq!(acks.len(), clients * actions);
    assert_eq!(missed, 0, "pages missed {missed} messages");
    assert!(p(95.0) <= 100.0, "fan-out p95 {:.1} ms is over 100 ms", p(95.0));
    drop(served);
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn load_on_sqlite() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    runtime().block_on(load("SQLite", &sqlite_db("load"), 1));
}

#[test]
fn load_on_postgres_with_two_servers() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    runtime().block_on(async {
        match pg_db("load").await {
            Some(db) => load("PostgreSQL", &db, 2).await,
            None => println!("RUNOFF_TEST_PG is not set: the PostgreSQL load test is skipped"),
        }
    });
}

/// Saves until the server is killed, then starts it again on the same
/// database: every acknowledged change is there.
async fn killed(name: &str, db: &str) {
    let token = user(db, "crash");
    let mut server = Served::start(db);
    let http = reqwest::Client::new();
    let r = http.get(format!("{}/api/me", server.base)).header("Authorization", format!("Bearer {token}")).send().await;
    assert_eq!(r.unwrap().status(), 200);
    let clients = 10;
    let tasks: Vec<_> = (0..clients)
        .map(|i| tokio::spawn(client(i, 1_000, server.base.clone(), token.clone(), http.clone())))
        .collect();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.kill();
    let mut acks = Vec::new();
    for t in tasks {
        let (a, finished) = t.await.unwrap();
        assert!(!finished, "a client finished before the server was killed");
        acks.extend(a);
    }
    let acked = acks.iter().filter(|a| a.saved).count();
    assert!(acked > 0, "nothing was saved before the kill");

    let again = Served::start(db);
    let (version, settings, history) = stored(&http, &again.base, &token).await;
    let by_version: BTreeMap<u64, Action> = history.iter().cloned().collect();
    let versions: Vec<u64> = history.iter().map(|(v, _)| *v).collect();
    assert_eq!(versions, (1..=version).rev().collect::<Vec<u64>>());
    for ack in acks.iter().filter(|a| a.saved) {
        assert_eq!(by_version.get(&ack.version), Some(&ack.action), "acknowledged version {} is lost", ack.version);
        let r = http
            .get(format!("{}/api/segments/{SEGMENT}/versions/{}", again.base, ack.version))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert_eq!(v["session"].as_str(), Some(ack.session.as_str()), "version {}", ack.version);
    }
    // The session is its history replayed: nothing half-written.
    let replayed = history.iter().rev().fold(Settings::default(), |s, (_, a)| a.apply(&s).unwrap());
    assert_eq!(canonical(&settings), canonical(&replayed));
    println!(
        "killed on {name}: {} changes acknowledged ({acked} saved) before SIGKILL; after the restart version {version}, \
         every acknowledged one there",
        acks.len()
    );
}

#[test]
fn a_killed_server_keeps_every_acknowledged_change() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    runtime().block_on(async {
        killed("SQLite", &sqlite_db("killed")).await;
        match pg_db("killed").await {
            Some(db) => killed("PostgreSQL", &db).await,
            None => println!("RUNOFF_TEST_PG is not set: the PostgreSQL crash test is skipped"),
        }
    });
}
