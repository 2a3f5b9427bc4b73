//! The `runoff` command line: the engine on files, for batch work and for
//! checking results against other tools, and the team server. `main` only
//! dispatches; the grammar is in `args` (and `server_args`), the work in
//! `run` (and `serve`), the formats in `output`.

mod args;
mod output;
mod run;
mod serve;
mod server_args;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let command = match args::parse(std::env::args_os().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("runoff: {e}");
            return ExitCode::from(2);
        }
    };
    match command {
        args::Command::Help(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        args::Command::Version => {
            println!("runoff {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        args::Command::Bootstrap(b) => {
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let mut out = output::Output::new(b.input.format, Box::new(stdout) as Box<dyn Write>);
            match run::bootstrap_command(&b, &mut out) {
                Ok(0) => ExitCode::SUCCESS,
                Ok(failed) => {
                    eprintln!("runoff: {failed} of the triangles could not be bootstrapped (see above)");
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("runoff: {e}");
                    ExitCode::from(1)
                }
            }
        }
        args::Command::Serve(a) => match serve::serve(&a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("runoff: {e}");
                ExitCode::from(1)
            }
        },
        args::Command::Users(a) => match serve::users(&a) {
            Ok(lines) => {
                for line in lines {
                    println!("{line}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("runoff: {e}");
                ExitCode::from(1)
            }
        },
        args::Command::Reserve(a) => {
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let mut out = output::Output::new(a.format, Box::new(stdout) as Box<dyn Write>);
            match run::reserve_command(&a, &mut out) {
                Ok(0) => ExitCode::SUCCESS,
                Ok(failed) => {
                    eprintln!("runoff: {failed} of the triangles could not be reserved (see above)");
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("runoff: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
