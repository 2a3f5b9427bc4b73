//! The people who may use the server, each with one access token; made and
//! removed with `runoff users`.
//!
//! A token is `<id>.<secret>`: the id (32 hex digits, the user's row) finds
//! the user with one indexed read, and only the secret's argon2 hash is
//! stored, so a copy of the database gives no one a way in.

use crate::auth;
use crate::db::{on_pool, Store};
use sqlx::Row;

/// A user as `runoff users list` shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub created_at: String,
}

/// The longest name a user can have, in characters.
pub const MAX_NAME: usize = 64;

/// A name, trimmed, or why it cannot be one.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("a user needs a name".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("a user's name has at most {MAX_NAME} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("a user's name cannot hold control characters".into());
    }
    Ok(name.to_string())
}

/// Makes a user and answers their new token, which is shown once and
/// stored only as a hash.
pub async fn add(store: &Store, name: &str) -> Result<String, String> {
    let name = check_name(name)?;
    let token = auth::Token::generate();
    let secret = token.secret.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash(&secret))
        .await
        .map_err(|e| format!("hashing the token failed: {e}"))??;
    let _turn = store.write_turn().await;
    let inserted = on_pool!(store, pool => {
        sqlx::query(
            "INSERT INTO users (id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(&token.id)
        .bind(&name)
        .bind(&hash)
        .bind(crate::time::now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })
    .map_err(|e| format!("the user could not be stored: {e}"))?;
    if inserted == 0 {
        return Err(format!("there is a user named `{name}` already"));
    }
    Ok(token.to_string())
}

/// Every user, by name.
pub async fn list(store: &Store) -> Result<Vec<User>, String> {
    let rows = on_pool!(store, pool => {
        sqlx::query("SELECT name, created_at FROM users ORDER BY name")
            .fetch_all(pool)
            .await
            .and_then(|rows| {
                rows.iter()
                    .map(|r| Ok(User { name: r.try_get("name")?, created_at: r.try_get("created_at")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()
            })
    });
    rows.map_err(|e| format!("the users could not be read: {e}"))
}

/// Removes a user (their token stops working at once); the history keeps
/// their name. Answers whether there was such a user.
pub async fn remove(store: &Store, name: &str) -> Result<bool, String> {
    let _turn = store.write_turn().await;
    let removed = on_pool!(store, pool => {
        sqlx::query("DELETE FROM users WHERE name = $1").bind(name.trim()).execute(pool).await.map(|r| r.rows_affected())
    });
    removed.map(|n| n > 0).map_err(|e| format!("the user could not be removed: {e}"))
}

/// The name and stored hash of the user with token id `id`.
pub async fn by_id(store: &Store, id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    on_pool!(store, pool => {
        let row = sqlx::query("SELECT name, token_hash FROM users WHERE id = $1").bind(id).fetch_optional(pool).await?;
        row.map(|r| Ok((r.try_get("name")?, r.try_get("token_hash")?))).transpose()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name("  ada "), Ok("ada".into()));
        assert!(check_name(" ").is_err());
        assert!(check_name("a\nb").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
        assert!(check_name(&"é".repeat(64)).is_ok());
    }
}
