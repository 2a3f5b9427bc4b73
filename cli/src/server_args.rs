//! The grammar of `runoff serve` and `runoff users`: their options, their
//! help texts and their defaults. Nothing here opens a database or a port.

use crate::args::{text, value, Command};
use lexopt::prelude::*;
use std::path::PathBuf;

pub const SERVE_USAGE: &str = "\
Usage: runoff serve [--dist DIR] [--db URL] [--addr HOST:PORT]

Serves the app built for a team server (scripts/build.sh writes it to
dist-team/; the static build in dist/ has no sign-in) and its API on
one address: the team's sessions and segments, kept in a database, and
every change pushed to every signed-in page (see docs/server.md). The
schema is brought up to date and the sample segments are added at start.

Options:
  --dist DIR        the built app [default: dist-team]
  --db URL          sqlite://FILE (made if missing) or postgres://USER@HOST:PORT/DB
                    [default: sqlite://runoff.db]
  --addr HOST:PORT  where to listen; port 0 takes a free one
                    [default: 127.0.0.1:8080]

It prints the address it serves on, then runs until it is stopped.
Sign-in is by token: see `runoff users --help`.
";

pub const USERS_USAGE: &str = "\
Usage:
  runoff users add NAME [--db URL]     a new user; prints their access token,
                                       shown once, as the last line
  runoff users list [--db URL]         every user, with when they were added
  runoff users remove NAME [--db URL]  the user's token stops working at once

  --db URL          the server's database, as for `runoff serve`
                    [default: sqlite://runoff.db]
";

/// The server's database when none is named.
pub const DEFAULT_DB: &str = "sqlite://runoff.db";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeArgs {
    pub dist: PathBuf,
    pub db: String,
    pub addr: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsersCommand {
    Add(String),
    List,
    Remove(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsersArgs {
    pub command: UsersCommand,
    pub db: String,
}

/// `runoff serve`'s options, after the command.
pub fn serve(p: &mut lexopt::Parser) -> Result<Command, String> {
    let mut a = ServeArgs { dist: PathBuf::from("dist-team"), db: DEFAULT_DB.into(), addr: "127.0.0.1:8080".into() };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(SERVE_USAGE)),
            Long("dist") => a.dist = PathBuf::from(value(p, "--dist")?),
            Long("db") => a.db = text(p, "--db")?,
            Long("addr") => a.addr = text(p, "--addr")?,
            other => return Err(format!("{}; see `runoff serve --help`", other.unexpected())),
        }
    }
    Ok(Command::Serve(a))
}

/// `runoff users`'s subcommand, name and options.
pub fn users(p: &mut lexopt::Parser) -> Result<Command, String> {
    let mut db = DEFAULT_DB.to_string();
    let mut words = Vec::new();
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(USERS_USAGE)),
            Long("db") => db = text(p, "--db")?,
            Value(v) => words.push(v.string().map_err(|_| "a user's name must be valid text".to_string())?),
            other => return Err(format!("{}; see `runoff users --help`", other.unexpected())),
        }
    }
    let command = match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["add", name] => UsersCommand::Add(name.to_string()),
        ["list"] => UsersCommand::List,
        ["remove", name] => UsersCommand::Remove(name.to_string()),
        ["add" | "remove"] => return Err(format!("`runoff users {}` needs a NAME", words[0])),
        [] => return Err("`runoff users` needs add NAME, list or remove NAME; see `runoff users --help`".into()),
        _ => return Err(format!("`runoff users {}` is not a command; see `runoff users --help`", words.join(" "))),
    };
    Ok(Command::Users(UsersArgs { command, db }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn parse(args: &[&str]) -> Result<Command, String> {
        crate::args::parse(args.iter().map(OsString::from))
    }

    #[test]
    fn serve_has_defaults_and_takes_each_option() {
        let Ok(Command::Serve(a)) = parse(&["serve"]) else { panic!() };
        assert_eq!(
            a,
            ServeArgs { dist: "dist-team".into(), db: "sqlite://runoff.db".into(), addr: "127.0.0.1:8080".into() }
        );
        let Ok(Command::Serve(a)) = parse(&["serve", "--dist", "d", "--db=postgres://x@h/db", "--addr", "0.0.0.0:1"])
        else {
            panic!()
        };
        assert_eq!((a.dist, a.db.as_str(), a.addr.as_str()), ("d".into(), "postgres://x@h/db", "0.0.0.0:1"));
        assert_eq!(parse(&["serve", "--help"]), Ok(Command::Help(SERVE_USAGE)));
    }

    #[test]
    fn users_subcommands() {
        let users = |args: &[&str]| match parse(args) {
            Ok(Command::Users(u)) => Ok(u),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e),
        };
        assert_eq!(users(&["users", "add", "ada"]).unwrap().command, UsersCommand::Add("ada".into()));
        let u = users(&["users", "list", "--db", "sqlite://x.db"]).unwrap();
        assert_eq!((u.command, u.db.as_str()), (UsersCommand::List, "sqlite://x.db"));
        assert_eq!(users(&["users", "remove", "ada"]).unwrap().command, UsersCommand::Remove("ada".into()));
        for (args, needle) in [
            (&["users"][..], "needs add NAME"),
            (&["users", "add"][..], "needs a NAME"),
            (&["users", "add", "a", "b"][..], "is not a command"),
            (&["users", "drop", "a"][..], "is not a command"),
            (&["users", "list", "--colour"][..], "--colour"),
            (&["serve", "--port", "1"][..], "--port"),
        ] {
            let e = parse(args).unwrap_err();
            assert!(e.contains(needle) && !e.contains('\n'), "{args:?}: {e}");
        }
    }
}
