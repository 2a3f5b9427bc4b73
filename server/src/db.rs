//! The database: SQLite or PostgreSQL behind one [`Store`], opened from a
//! URL, with the schema brought up to date at start.
//!
//! The two backends share their SQL wherever the dialects agree (`$1`
//! placeholders read in both); [`on_pool!`] runs one body of code against
//! whichever pool the store holds, so each query is written once and
//! compiled for both. Where they differ (how a write transaction starts,
//! how a row is locked) the code asks [`Store::dialect`].

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The open database.
#[derive(Clone)]
pub enum Store {
    Sqlite {
        pool: SqlitePool,
        /// SQLite has one writer at a time; waiting here, in order, is
        /// fairer and cheaper than its busy handler's polling.
        writes: Arc<tokio::sync::Mutex<()>>,
    },
    Postgres {
        pool: PgPool,
    },
}

/// Which SQL dialect a store speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// Runs `$body` with `$pool` bound to the store's pool, whichever backend it
/// is: the body is compiled once per backend.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::db::Store::Sqlite { pool: $pool, .. } => $body,
            $crate::db::Store::Postgres { pool: $pool } => $body,
        }
    };
}
pub(crate) use on_pool;

/// The migrations, in order: (number, SQL), per dialect.
const SQLITE_MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/sqlite/0001_initial.sql"))];
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/postgres/0001_initial.sql"))];

/// A key for PostgreSQL's advisory lock: two servers starting at once on
/// one database migrate one after the other.
const MIGRATION_LOCK: i64 = 0x7275_6e6f_6666;

impl Store {
    /// Opens the database at `url`: `sqlite://FILE` (made if missing) or
    /// `postgres://…`. The error says what is wrong, without the URL's
    /// password.
    pub async fn open(url: &str) -> Result<Store, String> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| format!("the SQLite URL does not read: {e}"))?
                .create_if_missing(true)
                // WAL: readers never wait for the writer. FULL: a commit is
                // on disk before the client is answered, so an answered
                // change survives a crash or a power cut.
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options)
                .await
                .map_err(|e| format!("the SQLite database does not open: {e}"))?;
            Ok(Store::Sqlite { pool, writes: Arc::new(tokio::sync::Mutex::new(())) })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await
                .map_err(|e| format!("PostgreSQL does not answer: {e}"))?;
            Ok(Store::Postgres { pool })
        } else {
            Err("the database URL must start with sqlite:// or postgres://".into())
        }
    }

    /// Opens the database and brings its schema up to date.
    pub async fn open_migrated(url: &str) -> Result<Store, String> {
        let store = Store::open(url).await?;
        store.migrate().await.map_err(|e| format!("the database's schema could not be brought up to date: {e}"))?;
        Ok(store)
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Store::Sqlite { .. } => Dialect::Sqlite,
            Store::Postgres { .. } => Dialect::Postgres,
        }
    }

    /// Waits for this process's turn to write (SQLite only: PostgreSQL
    /// orders writers by its row locks).
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self {
            Store::Sqlite { writes, .. } => Some(writes.lock().await),
            Store::Postgres { .. } => None,
        }
    }

    /// Applies the migrations not applied yet, each in the transaction
    /// that records it.
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        let dialect = self.dialect();
        let migrations = match dialect {
            Dialect::Sqlite => SQLITE_MIGRATIONS,
            Dialect::Postgres => POSTGRES_MIGRATIONS,
        };
        on_pool!(self, pool => {
            let mut tx = match dialect {
                Dialect::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
                Dialect::Postgres => pool.begin().await?,
            };
            if dialect == Dialect::Postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATION_LOCK).execute(&mut *tx).await?;
            }
            sqlx::raw_sql("CREATE TABLE IF NOT EXISTS runoff_schema (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)")
                .execute(&mut *tx)
                .await?;
            for (version, sql) in migrations {
                let done: Option<i64> = sqlx::query_scalar("SELECT version FROM runoff_schema WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await?;
                if done.is_none() {
                    sqlx::raw_sql(sql).execute(&mut *tx).await?;
                    sqlx::query("INSERT INTO runoff_schema (version, applied_at) VALUES ($1, $2)")
                        .bind(version)
                        .bind(crate::time::now())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await
        })
    }
}
