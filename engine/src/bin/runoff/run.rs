//! `runoff reserve`: read the files, reserve each triangle, write the
//! results. Every failure becomes one line that names the file and what in
//! it is wrong.

use super::args::ReserveArgs;
use super::output::Output;
use runoff_engine::input::{self, Dataset, LongOptions, WideOptions};
use runoff_engine::{reserve, EngineError, Session, Settings, Triangle};
use std::path::Path;

/// How a run ended: `Ok` with the number of triangles that could not be
/// reserved (grouped runs go on past them), or the error that stopped it.
pub fn reserve_command(a: &ReserveArgs, out: &mut Output) -> Result<usize, String> {
    if a.premium.is_some() && !a.group_cols.is_empty() {
        return Err(
            "--premium gives one premium per origin, so it cannot be combined with --group-col"
                .into(),
        );
    }
    let settings = match &a.session {
        Some(path) => {
            let text = read(path)?;
            let segment = a
                .triangle
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("runoff");
            Session::from_yaml(&text, segment)
                .map_err(|e| located(path, &e))?
                .settings
        }
        None => Settings::default(),
    };
    let text = read(&a.triangle)?;
    let measure = a.value_col.clone().or_else(|| settings.measure.clone());
    let datasets = if is_wide(&text, a) {
        let opts = WideOptions {
            incremental: a.incremental,
            origin_grain: None,
            grain: a.grain,
        };
        let t = input::read_wide(&text, &opts).map_err(|e| located(&a.triangle, &e))?;
        let name = measure.clone().unwrap_or_else(|| "values".into());
        vec![Dataset {
            group: Vec::new(),
            measures: vec![(name, t)],
        }]
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
    let premium = match &a.premium {
        Some(path) => Some(input::read_premium(&read(path)?).map_err(|e| located(path, &e))?),
        None => None,
    };

    let mut failed = 0;
    for d in &datasets {
        let result = pick(d, measure.as_deref()).and_then(|(name, t)| {
            input::check_triangle(name, t).map_err(|e| e.to_string())?;
            let p = match &premium {
                Some(p) => Some(
                    input::align_premium(p, t)
                        .map_err(|e| located(a.premium.as_deref().unwrap_or(Path::new("")), &e))?,
                ),
                None => None,
            };
            let r = reserve(t, p.as_deref(), &settings).map_err(|e| e.to_string())?;
            Ok((name, r))
        });
        match result {
            Ok((name, r)) => out.write(d, name, &r)?,
            // A grouped run goes on: one empty segment of hundreds should
            // not hide the others' results.
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
                d.measures
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
        None => d
            .measures
            .first()
            .map(|(n, t)| (n.as_str(), t))
            .ok_or_else(|| "no measure in the file".to_string()),
    }
}

/// A wide file: no development column, and a header of ages after the
/// first cell (`origin,12,24,36`).
fn is_wide(text: &str, a: &ReserveArgs) -> bool {
    if a.origin_col.is_some() || a.development_col.is_some() || !a.group_cols.is_empty() {
        return false;
    }
    let header = text
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let sep = if header.contains('\t') {
        '\t'
    } else if header.matches(';').count() > header.matches(',').count() {
        ';'
    } else {
        ','
    };
    let cells: Vec<&str> = header
        .split(sep)
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    let has_dev = cells.iter().any(|c| c.eq_ignore_ascii_case("development"));
    let ages = cells.iter().skip(1).filter(|c| !c.is_empty());
    !has_dev
        && cells.len() > 1
        && ages.clone().count() > 0
        && ages.clone().all(|c| c.parse::<u32>().is_ok())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn located(path: &Path, e: &EngineError) -> String {
    format!("{}: {e}", path.display())
}
