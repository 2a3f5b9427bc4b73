//! `runoff users` and `runoff serve`'s refusals, through the binary: what
//! each prints, and a one-line message with exit status 1 for each mistake.

mod common;

use common::{runoff, scratch};

fn database() -> String {
    common::sqlite_db("users", "users")
}

#[test]
fn users_are_added_listed_and_removed() {
    let db = database();
    let added = runoff(&["users", "add", "ada lovelace", "--db", &db]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    let token = added.stdout.lines().last().unwrap();
    let (id, secret) = token.split_once('.').unwrap();
    assert!(id.len() == 32 && secret.len() == 64, "{token}");
    assert!(token.bytes().all(|b| b == b'.' || b.is_ascii_hexdigit()), "{token}");
    // Another user gets another token.
    let other = runoff(&["users", "add", "bob", "--db", &db]);
    assert_ne!(other.stdout.lines().last().unwrap(), token);

    let twice = runoff(&["users", "add", " ada lovelace ", "--db", &db]);
    assert_eq!(twice.code, 1);
    assert_eq!(twice.stderr.trim(), "runoff: there is a user named `ada lovelace` already");

    let list = runoff(&["users", "list", "--db", &db]);
    let names: Vec<&str> = list.stdout.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(names, ["ada lovelace", "bob"]);
    assert!(!list.stdout.contains(secret));

    assert_eq!(runoff(&["users", "remove", "bob", "--db", &db]).code, 0);
    let again = runoff(&["users", "remove", "bob", "--db", &db]);
    assert_eq!((again.code, again.stderr.trim()), (1, "runoff: there is no user named `bob`"));
    assert_eq!(runoff(&["users", "list", "--db", &db]).stdout.lines().count(), 1);
}

#[test]
fn mistakes_are_one_line_and_exit_1() {
    let db = database();
    let dist = scratch("users-dist");
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let dist = dist.to_string_lossy().into_owned();
    for (args, needle) in [
        (vec!["users", "add", "", "--db", &db], "a user needs a name"),
        (vec!["users", "list", "--db", "mysql://x"], "must start with sqlite:// or postgres://"),
        (vec!["users", "list", "--db", "sqlite:///nonexistent-dir/x.db"], "the SQLite database does not open"),
        (vec!["serve", "--db", &db, "--addr", "nowhere", "--dist", &dist], "cannot listen on nowhere"),
    ] {
        let r = runoff(&args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(needle) && r.stderr.trim().lines().count() == 1, "{args:?}: {}", r.stderr);
    }
    let r = runoff(&["users", "add"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("needs a NAME"), "{}", r.stderr);
}
