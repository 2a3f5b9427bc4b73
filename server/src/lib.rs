//! runoff's team server: the sessions and segments of a team in one
//! database, shared over HTTP with every signed-in page, and every change
//! pushed to them as it is committed (`docs/server.md`).
//!
//! The reserving rules are the engine's: a change is an engine
//! [`runoff_engine::Action`] applied to the stored settings, as the page
//! applies it to the session in its own storage. The command line
//! (`runoff serve`, `runoff users`) is a shell around this crate.

pub mod api;
pub mod auth;
pub mod db;
pub mod events;
pub mod page_form;
pub mod segments;
pub mod sessions;
pub mod statics;
pub mod time;
pub mod users;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub use db::Store;

/// How `runoff serve` was asked to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The built app's folder.
    pub dist: PathBuf,
    /// `sqlite://FILE` or `postgres://…`.
    pub db: String,
    /// `HOST:PORT`; port 0 takes any free port.
    pub addr: String,
}

/// A server ready to answer: its database open and migrated, the samples
/// seeded, its port bound.
pub struct Server {
    listener: tokio::net::TcpListener,
    app: axum::Router,
}

impl Server {
    /// Opens the database, brings its schema up to date, seeds the samples
    /// and binds the address. The error is one line saying what failed.
    pub async fn start(config: &Config) -> Result<Server, String> {
        let store = Store::open_migrated(&config.db).await?;
        segments::seed_samples(&store).await?;
        let hub = events::Hub::default();
        if let Store::Postgres { pool } = &store {
            events::listen(pool, hub.clone()).await.map_err(|e| format!("listening for changes failed: {e}"))?;
        }
        let listener = tokio::net::TcpListener::bind(&config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let state = api::AppState { store, hub, verified: Arc::new(auth::Verified::default()) };
        let app = axum::Router::new().nest("/api", api::router(state)).merge(statics::router(&config.dist));
        Ok(Server { listener, app })
    }

    /// The address bound (the port chosen, when 0 was asked for).
    pub fn local_addr(&self) -> Result<SocketAddr, String> {
        self.listener.local_addr().map_err(|e| e.to_string())
    }

    /// Answers until the process ends.
    pub async fn run(self) -> Result<(), String> {
        axum::serve(self.listener, self.app).await.map_err(|e| format!("the server stopped: {e}"))
    }
}
