//! What the server's tests share: a server of this crate on a loopback
//! port with a database of its own (a SQLite file, and a fresh PostgreSQL
//! database when `RUNOFF_TEST_PG` names a server), a user and their token,
//! and calls to it.

#![allow(dead_code)]

use runoff_server::{Config, Server, Store};
use serde_json::Value;
use std::path::PathBuf;

/// The databases to run each test on: SQLite always, PostgreSQL when
/// `RUNOFF_TEST_PG` (e.g. `postgres://postgres@127.0.0.1:5432/postgres`)
/// is set.
pub async fn databases(name: &str) -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("server-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}-{}.db", uuid::Uuid::new_v4().simple()));
    let mut out = vec![format!("sqlite://{}", file.display())];
    if let Some(pg) = std::env::var("RUNOFF_TEST_PG").ok().filter(|u| !u.is_empty()) {
        out.push(fresh_pg_database(&pg, name).await);
    }
    out
}

/// A new, empty database on the PostgreSQL server of `url`; its URL.
pub async fn fresh_pg_database(url: &str, name: &str) -> String {
    use sqlx::Connection;
    let db = format!("runoff_{}_{}", name.replace('-', "_"), &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut c = sqlx::PgConnection::connect(url).await.expect("RUNOFF_TEST_PG does not answer");
    sqlx::raw_sql(&format!("CREATE DATABASE {db}")).execute(&mut c).await.unwrap();
    let (base, _) = url.split('?').next().unwrap().rsplit_once('/').unwrap();
    format!("{base}/{db}")
}

/// A running server and a signed-in user's token.
pub struct Running {
    pub base: String,
    pub token: String,
    pub store: Store,
    pub db: String,
    pub http: reqwest::Client,
}

/// Starts a server on `db` with a user `ada`.
pub async fn start(db: &str) -> Running {
    let dist = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("server-tests-dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>runoff</title>").unwrap();
    std::fs::write(dist.join("assets/app.js"), "console.log(1)").unwrap();
    let config = Config { dist, db: db.to_string(), addr: "127.0.0.1:0".into() };
    let server = Server::start(&config).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run());
    let store = Store::open_migrated(db).await.unwrap();
    let token = runoff_server::users::add(&store, "ada").await.unwrap();
    Running { base, token, store, db: db.to_string(), http: reqwest::Client::new() }
}

/// An answer: its status and its body read as JSON (`Null` when it is not).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub text: String,
}

impl Running {
    pub async fn call(&self, method: &str, path: &str, body: Option<Vec<u8>>, token: Option<&str>) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            request = request.header("Authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            request = request.header("Content-Type", "application/json").body(b);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer { status, body, text }
    }

    /// A call as the signed-in user with `headers`, its answer's status
    /// and bytes.
    pub async fn call_bytes(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> (u16, Vec<u8>) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        request = request.header("Authorization", format!("Bearer {}", self.token));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(b) = body {
            request = request.body(b);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.bytes().await.unwrap().to_vec())
    }

    /// A call as the signed-in user.
    pub async fn get(&self, path: &str) -> Answer {
        self.call("GET", path, None, Some(&self.token)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.call("POST", path, Some(body.to_string().into_bytes()), Some(&self.token)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Answer {
        self.call("PUT", path, Some(body.to_string().into_bytes()), Some(&self.token)).await
    }

    /// The stored session of a segment: (version, YAML).
    pub async fn session(&self, segment: &str) -> (u64, String) {
        let a = self.get(&format!("/api/segments/{segment}/session")).await;
        assert_eq!(a.status, 200, "{}", a.text);
        (a.body["sync_version"].as_u64().unwrap(), a.body["session"].as_str().unwrap().to_string())
    }

    /// The history's versions, newest first.
    pub async fn versions(&self, segment: &str) -> Vec<u64> {
        let a = self.get(&format!("/api/segments/{segment}/history?limit=500")).await;
        assert_eq!(a.status, 200, "{}", a.text);
        a.body.as_array().unwrap().iter().map(|e| e["version"].as_u64().unwrap()).collect()
    }
}

/// A change as a page posts it.
pub fn change(action: Value, base_version: u64, tab: &str) -> Value {
    serde_json::json!({
        "action": action,
        "base_version": base_version,
        "origin_tab_id": tab,
        "action_id": uuid::Uuid::new_v4().to_string(),
    })
}

/// Reads server-sent events from a streamed body: each event's `data`.
pub struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    /// Opens the stream and waits for its first comment: from then on,
    /// every change reaches it.
    pub async fn open(base: &str, token: &str, http: &reqwest::Client) -> Events {
        let response = http
            .get(format!("{base}/api/events"))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let mut events = Events { response, buffer: String::new() };
        while !events.buffer.contains("\n\n") {
            events.more().await;
        }
        let at = events.buffer.find("\n\n").unwrap() + 2;
        assert!(events.buffer.starts_with(':'), "{}", events.buffer);
        events.buffer.drain(..at);
        events
    }

    async fn more(&mut self) {
        let chunk = self.response.chunk().await.unwrap().expect("the stream ended");
        self.buffer.push_str(&String::from_utf8_lossy(&chunk));
    }

    /// The next event's data (comments are skipped).
    pub async fn next(&mut self) -> String {
        loop {
            if let Some(at) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..at + 2).collect();
                let data: Vec<&str> =
                    event.lines().filter_map(|l| l.strip_prefix("data:")).map(str::trim_start).collect();
                if !data.is_empty() {
                    return data.join("\n");
                }
                continue;
            }
            self.more().await;
        }
    }
}
