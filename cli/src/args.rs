//! The command line's grammar: which commands and options there are, what
//! they mean (the help texts), and turning `argv` into a [`Command`].
//! Nothing here touches files, so the grammar is testable on its own.

use lexopt::prelude::*;
use runoff_engine::bootstrap::{Process, MAX_SIMS};
use runoff_engine::Grain;
use std::ffi::OsString;
use std::path::PathBuf;

pub const USAGE: &str = "\
runoff: loss reserving from the command line

Usage:
  runoff reserve --triangle FILE.csv [options]
  runoff bootstrap --triangle FILE.csv [--sims N] [--seed K] [options]
  runoff serve [--dist DIR] [--db URL] [--addr HOST:PORT]
  runoff users add NAME | list | remove NAME [--db URL]
  runoff reserve --help | runoff bootstrap --help
  runoff serve --help | runoff users --help
  runoff --help | --version

Commands:
  reserve    develop a triangle with a session's settings and print every
             method's ultimates and IBNR (chain ladder, Mack, and with premium
             Bornhuetter-Ferguson, Benktander and Cape Cod)
  bootstrap  the over-dispersed Poisson bootstrap of the chain ladder: the
             distribution of the IBNR (mean, standard deviation, percentiles)
             per origin and in total, beside Mack's standard error
  serve      the team server: the built app and its API on one address,
             sessions and segments shared in a database
  users      who may sign in to the server, each with an access token

Files: each file named (triangle, premium, session) must be a regular
file of at most 1024 MB; a directory, a pipe or a device such as /dev/stdin
is refused.

Exit status: 0 on success, 1 when the data or session cannot be used,
2 when the command line is wrong.
";

pub const RESERVE_USAGE: &str = "\
Usage: runoff reserve --triangle FILE.csv [options]

Reads a triangle, develops it with the session's settings and prints every
method's ultimates and IBNR.

Input:
  --triangle FILE         long CSV: one row per origin and development, one
                          column per measure (claim-level rows are summed); or
                          wide: origins down the first column, ages in months
                          across the header (comma or tab separated)
  --origin-col NAME       origin column of a long CSV [default: origin]
  --development-col NAME  development column: valuations (1995, 1995Q1,
                          1995-03, 1995-03-31, 3/31/1995) or ages in months
                          [default: development]
  --value-col NAME        the measure to reserve [default: the session's
                          `measure`, else the first numeric column]
  --group-col NAME        one triangle per distinct value of this column;
                          repeat for combinations (e.g. company and line)
  --incremental           values are amounts of the period, not running totals
  --grain GRAIN           development grain: yearly, quarterly or monthly
                          [default: inferred from the spacing of the dates]
  --premium FILE          premium per origin: `origin,premium`, or long
                          (development,origin,value: the latest per origin);
                          reserving-studio's `UnderwritingYear,Premium` and
                          `uw_year,period,Premium_selected` read too
  --session FILE          the reserving settings, as session YAML (or JSON)
                          [default: every setting at its default]
                          Each FILE is a regular file of at most 1024 MB.

Output:
  --format FORMAT         json: the results of each triangle as one JSON
                          object per line (with `group` when grouped);
                          csv: one row per origin and a total row
                          [default: json]
";

pub const BOOTSTRAP_USAGE: &str = "\
Usage: runoff bootstrap --triangle FILE.csv [--sims N] [--seed K] [options]

The over-dispersed Poisson bootstrap of the chain ladder (England & Verrall
2002, residuals hat-adjusted as Shapland 2016), resampled as
chainladder-python's BootstrapODPSample(hat_adj=True) followed by
Chainladder. Each pseudo triangle is developed with the session's settings
(averages, exclusions, typed factors, tail). Prints the IBNR's mean,
standard deviation, cv and percentiles 50, 75, 90, 95, 99 and 99.5 (NumPy's
linear interpolation) per origin and in total, with Mack's standard error
and the chain ladder's IBNR beside them.

Input: the same options as `runoff reserve` (--triangle, --origin-col,
--development-col, --value-col, --group-col, --incremental, --grain,
--session); see `runoff reserve --help`. No premium is needed.

Simulation:
  --sims N                simulations per triangle, 1 to 1000000
                          [default: the session's bootstrap_sims, 10000]
  --seed K                seed of the random numbers (0 to 2^64 - 1): the
                          same seed gives the same figures
                          [default: the session's bootstrap_seed, 1]
  --process PROCESS       gamma: each future increment drawn from a gamma
                          distribution with its mean and variance scale x
                          mean (the predictive distribution); none: the
                          projections of the pseudo triangles only
                          [default: the session's bootstrap_process, gamma]

Output:
  --format FORMAT         json: one JSON object per triangle and line, with
                          `total` and `origins` (each with mean, std, cv,
                          percentiles, mack_std_err, chainladder_ibnr), and
                          `group` when grouped; csv: one row per origin and
                          a total row [default: json]
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Json,
    Csv,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReserveArgs {
    pub triangle: PathBuf,
    pub origin_col: Option<String>,
    pub development_col: Option<String>,
    pub value_col: Option<String>,
    pub group_cols: Vec<String>,
    pub incremental: bool,
    pub grain: Option<Grain>,
    pub premium: Option<PathBuf>,
    pub session: Option<PathBuf>,
    pub format: Format,
}

/// `runoff bootstrap`: the triangle is read as `reserve` reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapArgs {
    pub input: ReserveArgs,
    /// Each `None` takes the session's (`bootstrap_sims`, `bootstrap_seed`,
    /// `bootstrap_process`), so that a session reproduces its range.
    pub sims: Option<usize>,
    pub seed: Option<u64>,
    pub process: Option<Process>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Help(&'static str),
    Version,
    Reserve(ReserveArgs),
    Bootstrap(BootstrapArgs),
    Serve(crate::server_args::ServeArgs),
    Users(crate::server_args::UsersArgs),
}

/// Parses the arguments after the program name. The error is one line
/// saying what is wrong.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut p = lexopt::Parser::from_args(args);
    let command = match p.next().map_err(|e| e.to_string())? {
        None => {
            return Err("a command is needed, e.g. `runoff reserve --triangle FILE.csv`; see `runoff --help`".into())
        }
        Some(Short('h') | Long("help")) => return Ok(Command::Help(USAGE)),
        Some(Short('V') | Long("version")) => return Ok(Command::Version),
        Some(Value(v)) => v.string().map_err(|_| "the command is not valid text".to_string())?,
        Some(other) => return Err(format!("{}; see `runoff --help`", other.unexpected())),
    };
    let bootstrap = match command.as_str() {
        "reserve" => false,
        "bootstrap" => true,
        "serve" => return crate::server_args::serve(&mut p),
        "users" => return crate::server_args::users(&mut p),
        _ => {
            return Err(format!(
                "unknown command `{command}`; the commands are `reserve`, `bootstrap`, `serve` and `users` \
                 (see `runoff --help`)"
            ))
        }
    };
    let mut a = ReserveArgs::default();
    let mut b = BootstrapArgs { input: ReserveArgs::default(), sims: None, seed: None, process: None };
    let mut triangle = None;
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") if bootstrap => return Ok(Command::Help(BOOTSTRAP_USAGE)),
            Short('h') | Long("help") => return Ok(Command::Help(RESERVE_USAGE)),
            Long("sims") if bootstrap => {
                let v = text(&mut p, "--sims")?;
                b.sims = match v.parse::<usize>() {
                    Ok(n) if (1..=MAX_SIMS).contains(&n) => Some(n),
                    Ok(n) => return Err(format!("--sims {n}: the bootstrap runs 1 to {MAX_SIMS} simulations")),
                    Err(_) => return Err(format!("--sims `{v}` is not a whole number from 1 to {MAX_SIMS}")),
                };
            }
            Long("seed") if bootstrap => {
                let v = text(&mut p, "--seed")?;
                b.seed = Some(v.parse().map_err(|_| format!("--seed `{v}` is not a whole number from 0 to 2^64 - 1"))?);
            }
            Long("process") if bootstrap => {
                b.process = match text(&mut p, "--process")?.to_ascii_lowercase().as_str() {
                    "gamma" => Some(Process::Gamma),
                    "none" => Some(Process::None),
                    other => return Err(format!("--process `{other}` is not one of gamma, none")),
                }
            }
            Long("premium") if bootstrap => {
                return Err(
                    "runoff bootstrap takes no --premium (the chain ladder needs none); see `runoff bootstrap --help`"
                        .into(),
                )
            }
            Long("triangle") => triangle = Some(PathBuf::from(value(&mut p, "--triangle")?)),
            Long("origin-col") => a.origin_col = Some(text(&mut p, "--origin-col")?),
            Long("development-col") => a.development_col = Some(text(&mut p, "--development-col")?),
            Long("value-col") => a.value_col = Some(text(&mut p, "--value-col")?),
            Long("group-col") => a.group_cols.push(text(&mut p, "--group-col")?),
            Long("incremental") => a.incremental = true,
            Long("grain") => {
                let g = text(&mut p, "--grain")?;
                a.grain = Some(
                    Grain::from_code(&g)
                        .ok_or_else(|| format!("--grain `{g}` is not one of yearly, quarterly, monthly"))?,
                );
            }
            Long("premium") => a.premium = Some(PathBuf::from(value(&mut p, "--premium")?)),
            Long("session") => a.session = Some(PathBuf::from(value(&mut p, "--session")?)),
            Long("format") => {
                a.format = match text(&mut p, "--format")?.to_ascii_lowercase().as_str() {
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    other => return Err(format!("--format `{other}` is not one of json, csv")),
                }
            }
            other => return Err(format!("{}; see `runoff {command} --help`", other.unexpected())),
        }
    }
    a.triangle = triangle.ok_or_else(|| format!("--triangle FILE.csv is required; see `runoff {command} --help`"))?;
    if bootstrap {
        b.input = a;
        return Ok(Command::Bootstrap(b));
    }
    Ok(Command::Reserve(a))
}

pub fn value(p: &mut lexopt::Parser, option: &str) -> Result<OsString, String> {
    p.value().map_err(|_| format!("{option} needs a value"))
}

pub fn text(p: &mut lexopt::Parser, option: &str) -> Result<String, String> {
    value(p, option)?.into_string().map_err(|_| format!("the value of {option} is not valid text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn every_option() {
        let c = parse_str(&[
            "reserve",
            "--triangle",
            "t.csv",
            "--origin-col",
            "AY",
            "--development-col=DY",
            "--value-col",
            "paid",
            "--group-col",
            "co",
            "--group-col",
            "lob",
            "--incremental",
            "--grain",
            "quarterly",
            "--premium",
            "p.csv",
            "--session",
            "s.yml",
            "--format",
            "csv",
        ])
        .unwrap();
        let Command::Reserve(a) = c else { panic!("{c:?}") };
        assert_eq!(a.triangle, PathBuf::from("t.csv"));
        assert_eq!(a.development_col.as_deref(), Some("DY"));
        assert_eq!(a.group_cols, vec!["co", "lob"]);
        assert!(a.incremental);
        assert_eq!(a.grain, Some(Grain::Quarterly));
        assert_eq!(a.format, Format::Csv);
    }

    #[test]
    fn mistakes_are_one_line() {
        for (args, needle) in [
            (&[][..], "a command is needed"),
            (&["reserv"][..], "unknown command `reserv`"),
            (&["bootstrap", "--triangle", "t", "--sims", "0"][..], "--sims 0: the bootstrap runs 1 to 1000000"),
            (&["bootstrap", "--triangle", "t", "--sims", "2000000"][..], "1 to 1000000 simulations"),
            (&["bootstrap", "--triangle", "t", "--sims", "many"][..], "--sims `many`"),
            (&["bootstrap", "--triangle", "t", "--seed", "-1"][..], "--seed `-1`"),
            (&["bootstrap", "--triangle", "t", "--process", "poisson"][..], "`poisson`"),
            (&["bootstrap", "--triangle", "t", "--premium", "p.csv"][..], "no --premium"),
            (&["bootstrap"][..], "see `runoff bootstrap --help`"),
            (&["reserve", "--triangle", "t", "--sims", "5"][..], "--sims"),
            (&["reserve"][..], "--triangle FILE.csv is required"),
            (&["reserve", "--triangle"][..], "--triangle needs a value"),
            (&["reserve", "--triangle", "t", "--grain", "weekly"][..], "`weekly`"),
            (&["reserve", "--triangle", "t", "--colour"][..], "--colour"),
        ] {
            let e = parse_str(args).unwrap_err();
            assert!(e.contains(needle) && !e.contains('\n'), "{args:?}: {e}");
        }
        assert_eq!(parse_str(&["--help"]), Ok(Command::Help(USAGE)));
        assert_eq!(parse_str(&["reserve", "-h"]), Ok(Command::Help(RESERVE_USAGE)));
        assert_eq!(parse_str(&["bootstrap", "--help"]), Ok(Command::Help(BOOTSTRAP_USAGE)));
    }

    #[test]
    fn the_help_states_the_file_size_limit() {
        let limit = format!("at most {} MB", crate::run::MAX_INPUT_BYTES >> 20);
        assert!(USAGE.contains(&limit) && RESERVE_USAGE.contains(&limit), "{limit}");
    }

    #[test]
    fn bootstrap_options() {
        let c = parse_str(&[
            "bootstrap",
            "--triangle",
            "t.csv",
            "--sims",
            "500",
            "--seed",
            "7",
            "--process",
            "none",
            "--group-col",
            "lob",
            "--format",
            "csv",
        ])
        .unwrap();
        let Command::Bootstrap(b) = c else { panic!("{c:?}") };
        assert_eq!((b.sims, b.seed, b.process), (Some(500), Some(7), Some(Process::None)));
        assert_eq!(b.input.group_cols, vec!["lob"]);
        assert_eq!(b.input.format, Format::Csv);
        let Ok(Command::Bootstrap(d)) = parse_str(&["bootstrap", "--triangle", "t.csv"]) else { panic!() };
        assert_eq!((d.sims, d.seed, d.process), (None, None, None));
    }
}
