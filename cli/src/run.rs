//! `runoff reserve` and `runoff bootstrap`: read the files, reserve (or
//! bootstrap) each triangle, write the results. Every failure becomes one
//! line that names the file and what in it is wrong.

use super::args::{BootstrapArgs, ReserveArgs};
use super::output::{self, Output};
use runoff_engine::bootstrap::{Bootstrap, BootstrapOptions};
use runoff_engine::input::{self, Dataset, LongOptions, WideOptions};
use runoff_engine::{reserve, EngineError, Reserve, Session, Settings, Triangle};
use std::path::Path;

/// How a run ended: `Ok` with the number of triangles that could not be
/// reserved (grouped runs go on past them), or the error that stopped it.
pub fn reserve_command(a: &ReserveArgs, out: &mut Output) -> Result<usize, String> {
    if a.premium.is_some() && !a.group_cols.is_empty() {
        return Err("--premium gives one premium per origin, so it cannot be combined with --group-col".into());
    }
    let (settings, datasets, measure) = load(a)?;
    let premium = match &a.premium {
        Some(path) => Some(input::read_premium(&read(path)?).map_err(|e| located(path, &e))?),
        None => None,
    };

    let ctx = Context {
        a,
        settings: &settings,
        measure: measure.as_deref(),
        premium: premium.as_deref(),
        json: out.is_json(),
    };
    let mut failed = 0;
    let blocks: Vec<&[Dataset]> = datasets.chunks(BLOCK).collect();
    std::thread::scope(|s| -> Result<(), String> {
        // A grouped run has hundreds of independent triangles: a second
        // thread reserves every other block of them while this one reserves
        // the rest and writes all in order, so the output is the same as
        // one thread's. The channel holds one block, so memory stays that of
        // a few blocks however many triangles there are. Where no thread
        // can be started, this thread does all the blocks.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Settled>>(1);
        let helper = if blocks.len() > 1 {
            let (blocks, ctx) = (&blocks, &ctx);
            std::thread::Builder::new()
                .spawn_scoped(s, move || {
                    for b in blocks.iter().skip(1).step_by(2) {
                        if tx.send(settle_block(b, ctx)).is_err() {
                            break;
                        }
                    }
                })
                .is_ok()
        } else {
            false
        };
        for (k, b) in blocks.iter().enumerate() {
            let settled = if helper && k % 2 == 1 {
                rx.recv().unwrap_or_else(|_| settle_block(b, &ctx))
            } else {
                settle_block(b, &ctx)
            };
            for (d, result) in b.iter().zip(settled) {
                match result {
                    Settled::Json(line) => out.write_raw(&line)?,
                    Settled::Reserved(name, r) => out.write(d, name, &r)?,
                    // A grouped run goes on: one empty segment of hundreds
                    // should not hide the others' results.
                    Settled::Failed(e) if !d.group.is_empty() => {
                        failed += 1;
                        eprintln!("runoff: {}: {}: {e}", a.triangle.display(), d.label());
                        out.write_error(d, &e)?;
                    }
                    Settled::Failed(e) => return Err(format!("{}: {e}", a.triangle.display())),
                    Settled::Unwritable(e) => return Err(e),
                }
            }
        }
        Ok(())
    })?;
    out.finish()?;
    Ok(failed)
}

/// What both commands read: the session's settings (or the defaults),
/// the file's triangles, and the measure asked for.
fn load(a: &ReserveArgs) -> Result<(Settings, Vec<Dataset>, Option<String>), String> {
    let settings = match &a.session {
        Some(path) => {
            let text = read(path)?;
            let segment = a.triangle.file_stem().and_then(|s| s.to_str()).unwrap_or("runoff");
            Session::from_yaml(&text, segment).map_err(|e| located(path, &e))?.settings
        }
        None => Settings::default(),
    };
    let text = read(&a.triangle)?;
    let measure = a.value_col.clone().or_else(|| settings.measure.clone());
    let datasets = if is_wide(&text, a) {
        let opts =
            WideOptions { incremental: a.incremental, origin_grain: None, grain: a.grain, header_periods: false };
        let t = input::read_wide(&text, &opts).map_err(|e| located(&a.triangle, &e))?;
        let name = measure.clone().unwrap_or_else(|| "values".into());
        vec![Dataset { group: Vec::new(), measures: vec![(name, t)] }]
    } else {
        let mut opts = LongOptions {
            group_cols: a.group_cols.clone(),
            incremental: a.incremental,
            grain: a.grain,
            ..LongOptions::default()
        };
        if let Some(c) = &a.origin_col {
            opts.origin_col = c.clone();
        }
        if let Some(c) = &a.development_col {
            opts.development_col = c.clone();
        }
        // Reading only the chosen column keeps other columns' oddities
        // (a text note in a numeric column) from stopping the run.
        if let Some(m) = &a.value_col {
            opts.value_cols = vec![m.clone()];
        }
        input::read_long(&text, &opts).map_err(|e| located(&a.triangle, &e))?
    };
    Ok((settings, datasets, measure))
}

/// `runoff bootstrap`: each triangle's bootstrap summary, in the order of
/// the file's groups. Like `reserve`, a grouped run reports a triangle that
/// cannot be bootstrapped and goes on; the count of those is returned.
pub fn bootstrap_command(b: &BootstrapArgs, out: &mut Output) -> Result<usize, String> {
    let a = &b.input;
    let (settings, datasets, measure) = load(a)?;
    let options = BootstrapOptions {
        sims: b.sims.unwrap_or(settings.bootstrap_sims as usize),
        seed: b.seed.unwrap_or(settings.bootstrap_seed),
        process: b.process.unwrap_or(settings.bootstrap_process),
        hat_adj: true,
    };
    let mut failed = 0;
    for d in &datasets {
        let summary = pick(d, measure.as_deref()).and_then(|(name, t)| {
            input::check_triangle(name, t).map_err(|e| e.to_string())?;
            let mut run = Bootstrap::new(t, &settings, options).map_err(|e| e.to_string())?;
            run.run();
            Ok((name, run.summary()))
        });
        match summary {
            Ok((name, s)) => out.write_bootstrap(d, name, &s)?,
            Err(e) if !d.group.is_empty() => {
                failed += 1;
                eprintln!("runoff: {}: {}: {e}", a.triangle.display(), d.label());
                out.write_error(d, &e)?;
            }
            Err(e) => return Err(format!("{}: {e}", a.triangle.display())),
        }
    }
    out.finish()?;
    Ok(failed)
}

/// Triangles per block handed between the threads: enough that passing a
/// block costs little next to reserving it, few enough that both threads
/// start at once and finish together.
const BLOCK: usize = 16;

/// What every triangle of a run is reserved with.
struct Context<'a> {
    a: &'a ReserveArgs,
    settings: &'a Settings,
    measure: Option<&'a str>,
    premium: Option<&'a [(String, f64)]>,
    /// Whether results are written as JSON lines, which the thread that
    /// reserves a triangle also writes, into memory.
    json: bool,
}

/// One triangle's outcome, in the order of the datasets.
enum Settled<'d> {
    /// Its JSON line.
    Json(Vec<u8>),
    /// Its results, for the CSV writer, which keeps state across triangles.
    Reserved(&'d str, Box<Reserve>),
    /// Why it could not be reserved.
    Failed(String),
    /// Its results could not be written out.
    Unwritable(String),
}

fn settle_block<'d>(block: &'d [Dataset], ctx: &Context) -> Vec<Settled<'d>> {
    block
        .iter()
        .map(|d| match settle(d, ctx) {
            Ok((name, r)) if ctx.json => {
                let mut line = Vec::new();
                match output::json_line(d, name, &r, &mut line) {
                    Ok(()) => Settled::Json(line),
                    Err(e) => Settled::Unwritable(e),
                }
            }
            Ok((name, r)) => Settled::Reserved(name, Box::new(r)),
            Err(e) => Settled::Failed(e),
        })
        .collect()
}

fn settle<'d>(d: &'d Dataset, ctx: &Context) -> Result<(&'d str, Reserve), String> {
    let (name, t) = pick(d, ctx.measure)?;
    input::check_triangle(name, t).map_err(|e| e.to_string())?;
    let p = match ctx.premium {
        Some(p) => Some(
            input::align_premium(p, t).map_err(|e| located(ctx.a.premium.as_deref().unwrap_or(Path::new("")), &e))?,
        ),
        None => None,
    };
    let r = reserve(t, p.as_deref(), ctx.settings).map_err(|e| e.to_string())?;
    Ok((name, r))
}

/// The measure to reserve: the one asked for, else the first.
fn pick<'a>(d: &'a Dataset, measure: Option<&str>) -> Result<(&'a str, &'a Triangle), String> {
    match measure {
        Some(m) => match d
            .measures
            .iter()
            .find(|(n, _)| n == m)
            .or_else(|| d.measures.iter().find(|(n, _)| n.eq_ignore_ascii_case(m)))
        {
            Some((n, t)) => Ok((n.as_str(), t)),
            None => Err(format!(
                "no measure `{m}`; the numeric columns are {}",
                d.measures.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            )),
        },
        None => d.measures.first().map(|(n, t)| (n.as_str(), t)).ok_or_else(|| "no measure in the file".to_string()),
    }
}

/// A wide file: no development column, and a header of ages after the
/// first cell (`origin,12,24,36`).
fn is_wide(text: &str, a: &ReserveArgs) -> bool {
    if a.origin_col.is_some() || a.development_col.is_some() || !a.group_cols.is_empty() {
        return false;
    }
    let header = text.trim_start_matches('\u{feff}').lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let sep = if header.contains('\t') {
        '\t'
    } else if header.matches(';').count() > header.matches(',').count() {
        ';'
    } else {
        ','
    };
    let cells: Vec<&str> = header.split(sep).map(|c| c.trim().trim_matches('"')).collect();
    let has_dev = cells.iter().any(|c| c.eq_ignore_ascii_case("development"));
    let ages = cells.iter().skip(1).filter(|c| !c.is_empty());
    !has_dev && cells.len() > 1 && ages.clone().count() > 0 && ages.clone().all(|c| c.parse::<u32>().is_ok())
}

/// The largest file runoff reads: a claims file of tens of millions of rows,
/// while a wrong file (a disk image, a log) is refused before it is read
/// into memory.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Reads a file the command line names. Only a regular file is read: a
/// directory fails late and vaguely, and a pipe, a terminal or a device
/// (`/dev/zero`, `/dev/stdin`) may never end, so each is refused by what
/// it is before it is opened (opening a pipe waits for a writer). The
/// size is checked twice, before the file is opened and while it is read,
/// so a file that grows meanwhile is refused too.
fn read(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let limit = format!("runoff reads regular files of at most {} MB", MAX_INPUT_BYTES >> 20);
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a directory" } else { "not a regular file (a device, pipe or socket)" };
        return Err(format!("{} is {what}; {limit}", path.display()));
    }
    let too_large = |size: u64| format!("{} is {} MB; {limit}", path.display(), size.div_ceil(1 << 20));
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|_| format!("cannot read {}: stream did not contain valid UTF-8", path.display()))
}

fn located(path: &Path, e: &EngineError) -> String {
    format!("{}: {e}", path.display())
}
