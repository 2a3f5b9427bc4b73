//! The `runoff` command line: the engine on session files, for batch work.

fn main() {
    eprintln!("runoff: not yet implemented");
    std::process::exit(2);
}
