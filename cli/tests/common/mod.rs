//! What the command line's tests share: running the `runoff` binary, a
//! scratch folder per test file, a database with a user on it, and a
//! `runoff serve` process.

// Each test file uses some of these.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// What a run of the binary printed, and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The `runoff` binary, to be given its arguments.
pub fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_runoff"))
}

/// Runs `runoff` with `args` to the end.
pub fn runoff(args: &[&str]) -> Run {
    let out = command().args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A folder of the build's scratch space, made if need be.
pub fn scratch(folder: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A new SQLite database in `folder`, named after `name`.
pub fn sqlite_db(folder: &str, name: &str) -> String {
    format!("sqlite://{}", scratch(folder).join(format!("{name}-{}.db", uuid::Uuid::new_v4().simple())).display())
}

/// A user on `db`; their token.
pub fn user(db: &str, name: &str) -> String {
    let out = command().args(["users", "add", name, "--db", db]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().last().unwrap().to_string()
}

/// A `runoff serve` process and where it listens; stopped when dropped.
pub struct Served {
    child: Child,
    pub base: String,
}

impl Served {
    /// Serves `db` (and no app) on a free port of the loopback.
    pub fn start(db: &str) -> Served {
        let mut child = command()
            .args(["serve", "--db", db, "--addr", "127.0.0.1:0", "--dist"])
            .arg(scratch("served").join("no-dist"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line.trim().rsplit(' ').next().unwrap().to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{line}");
        Served { child, base }
    }

    /// SIGKILL: no chance to flush or finish anything.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
