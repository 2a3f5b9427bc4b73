//! Who is asking: every call to the API carries `Authorization: Bearer
//! <token>`, checked here before anything else runs. A refusal says only
//! that signing in is needed, whatever was wrong (no header, an unknown
//! id, a wrong secret, a removed user).
//!
//! Checking an argon2 hash costs tens of milliseconds by design, too much
//! for every change a page saves; so a secret that has passed is
//! remembered in memory beside the hash it passed against, and a later
//! call with the same secret is compared with it instead (in constant
//! time). The user's row is still read on every call, so removing a user
//! or giving them a new token takes effect at once.

use crate::db::Store;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// An access token: `<id>.<secret>`, both lowercase hex.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The user's id: 32 hex digits (a UUID v4, without dashes).
    pub id: String,
    /// 32 random bytes from the operating system, as 64 hex digits.
    pub secret: String,
}

impl Token {
    /// A new token for a new user.
    pub fn generate() -> Token {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Token { id: uuid::Uuid::new_v4().simple().to_string(), secret: hex(&bytes) }
    }

    /// Reads a token; anything not of its exact shape is `None`.
    pub fn parse(text: &str) -> Option<Token> {
        let (id, secret) = text.split_once('.')?;
        let is_hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        (is_hex(id, 32) && is_hex(secret, 64)).then(|| Token { id: id.into(), secret: secret.into() })
    }

    /// The token from an `Authorization` header's value.
    pub fn from_header(value: &str) -> Option<Token> {
        let (scheme, token) = value.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| Token::parse(token.trim())).flatten()
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.id, self.secret)
    }
}

// Never printed by accident: a token in a log is a key on the floor.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({}.…)", self.id)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The argon2id hash of a secret (argon2's recommended parameters), as a
/// PHC string that records them.
pub fn hash(secret: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing the token failed: {e}"))
}

/// Whether `secret` is the one `hash` was made from.
pub fn verify(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(secret.as_bytes(), &h).is_ok())
}

/// Equality that takes as long wherever the texts first differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// Secrets that have passed, by user id: (the stored hash, the secret).
#[derive(Default)]
pub struct Verified {
    passed: Mutex<HashMap<String, (String, String)>>,
}

impl Verified {
    /// The name of the user the header's token belongs to, or `None`.
    pub async fn user(&self, store: &Store, header: Option<&str>) -> Result<Option<String>, sqlx::Error> {
        let Some(token) = header.and_then(Token::from_header) else { return Ok(None) };
        let Some((name, stored)) = crate::users::by_id(store, &token.id).await? else { return Ok(None) };
        let remembered = {
            let passed = self.passed.lock().unwrap_or_else(|e| e.into_inner());
            passed.get(&token.id).is_some_and(|(hash, secret)| *hash == stored && same(secret, &token.secret))
        };
        if remembered {
            return Ok(Some(name));
        }
        let (secret, hash) = (token.secret.clone(), stored.clone());
        let ok = tokio::task::spawn_blocking(move || verify(&secret, &hash)).await.unwrap_or(false);
        if !ok {
            return Ok(None);
        }
        self.passed.lock().unwrap_or_else(|e| e.into_inner()).insert(token.id, (stored, token.secret));
        Ok(Some(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_read_back_and_nothing_else_reads() {
        let t = Token::generate();
        let text = t.to_string();
        assert_eq!(Token::parse(&text), Some(t.clone()));
        assert_eq!(Token::from_header(&format!("Bearer {text}")), Some(t.clone()));
        assert_eq!(Token::from_header(&format!("bearer  {text} ")), Some(t.clone()));
        for bad in ["", "Bearer", "Basic abc", &format!("Bearer {}", &text[1..]), &format!("Bearer {text}x")] {
            assert_eq!(Token::from_header(bad), None, "{bad}");
        }
        assert_eq!(Token::parse(&text.to_uppercase()), None);
        assert!(!format!("{t:?}").contains(&t.secret));
    }

    #[test]
    fn a_hash_verifies_its_secret_only() {
        let h = hash("abc").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("abc", &h));
        assert!(!verify("abd", &h));
        assert!(!verify("abc", "not a hash"));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
