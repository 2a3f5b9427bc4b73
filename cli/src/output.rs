//! Writing results: JSON (each triangle's `Reserve`, the shape of the
//! reference fixtures' `expected`, or its `BootstrapSummary`, as one object
//! per line) or CSV (one row per origin and a total row, for a spreadsheet).

use super::args::Format;
use runoff_engine::bootstrap::BootstrapSummary;
use runoff_engine::input::Dataset;
use runoff_engine::Reserve;
use serde_json::{Map, Value};
use std::io::Write;

pub struct Output {
    format: Format,
    out: Box<dyn Write>,
    csv_header_written: bool,
}

impl Output {
    pub fn new(format: Format, out: Box<dyn Write>) -> Output {
        Output { format, out, csv_header_written: false }
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    pub fn write(&mut self, d: &Dataset, measure: &str, r: &Reserve) -> Result<(), String> {
        match self.format {
            Format::Json => {
                let mut line = Vec::new();
                json_line(d, measure, r, &mut line)?;
                self.write_raw(&line)
            }
            Format::Csv => self.csv(d, r),
        }
    }

    /// A triangle's bootstrap: its summary as one JSON line (with `measure`
    /// and, grouped, `group`), or as CSV rows: each origin, then `Total`.
    pub fn write_bootstrap(&mut self, d: &Dataset, measure: &str, s: &BootstrapSummary) -> Result<(), String> {
        match self.format {
            Format::Json => {
                let mut line = Vec::new();
                let unwritable = |e: serde_json::Error| format!("cannot write the results: {e}");
                serde_json::to_writer(&mut line, s).map_err(unwritable)?;
                extend_object(&mut line, d, measure)?;
                self.write_raw(&line)
            }
            Format::Csv => {
                let header = !self.csv_header_written;
                self.csv_header_written = true;
                let mut w = csv::Writer::from_writer(&mut self.out);
                let lead = || d.group.iter().map(|(_, v)| v.clone());
                if header {
                    let mut h: Vec<String> = d.group.iter().map(|(k, _)| k.clone()).collect();
                    h.extend(BOOTSTRAP_COLUMNS.map(String::from));
                    runoff_engine::export::write_row(&mut w, &h).map_err(|e| write_error(e.into()))?;
                }
                for figures in runoff_engine::export::bootstrap_rows(s) {
                    let row: Vec<String> = lead().chain(figures).collect();
                    runoff_engine::export::write_row(&mut w, &row).map_err(|e| write_error(e.into()))?;
                }
                w.flush().map_err(write_error)
            }
        }
    }

    /// Text already formatted, such as a line from [`json_line`].
    pub fn write_raw(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.out.write_all(bytes).map_err(write_error)
    }

    /// A triangle that could not be reserved, in a grouped run.
    pub fn write_error(&mut self, d: &Dataset, message: &str) -> Result<(), String> {
        match self.format {
            Format::Json => {
                let mut o = Map::new();
                o.insert("group".into(), group(d));
                o.insert("error".into(), message.into());
                self.line(&Value::Object(o).to_string())
            }
            // The message went to stderr; CSV rows stay uniform.
            Format::Csv => Ok(()),
        }
    }

    pub fn finish(&mut self) -> Result<(), String> {
        self.out.flush().map_err(write_error)
    }

    fn line(&mut self, s: &str) -> Result<(), String> {
        writeln!(self.out, "{s}").map_err(write_error)
    }

    fn csv(&mut self, d: &Dataset, r: &Reserve) -> Result<(), String> {
        let rows = runoff_engine::export::results_rows(r, &d.group, !self.csv_header_written);
        self.csv_header_written = true;
        let mut w = csv::Writer::from_writer(&mut self.out);
        for row in rows {
            runoff_engine::export::write_row(&mut w, &row).map_err(|e| write_error(e.into()))?;
        }
        w.flush().map_err(write_error)
    }
}

/// A triangle's results as one JSON line: the `Reserve` with `measure`
/// and, in a grouped run, `group` added. Written straight from the struct
/// and extended in place: a grouped run writes hundreds of these, and going
/// through a `Value` map first doubled the time spent here.
pub fn json_line(d: &Dataset, measure: &str, r: &Reserve, line: &mut Vec<u8>) -> Result<(), String> {
    let unwritable = |e: serde_json::Error| format!("cannot write the results: {e}");
    serde_json::to_writer(&mut *line, r).map_err(unwritable)?;
    extend_object(line, d, measure)
}

/// Adds `measure` and, in a grouped run, `group` to the JSON object just
/// written into `line`, and ends the line.
fn extend_object(line: &mut Vec<u8>, d: &Dataset, measure: &str) -> Result<(), String> {
    let unwritable = |e: serde_json::Error| format!("cannot write the results: {e}");
    if line.last() == Some(&b'}') {
        line.pop();
        line.extend_from_slice(b",\"measure\":");
        serde_json::to_writer(&mut *line, measure).map_err(unwritable)?;
        if !d.group.is_empty() {
            line.extend_from_slice(b",\"group\":");
            serde_json::to_writer(&mut *line, &group(d)).map_err(unwritable)?;
        }
        line.push(b'}');
    }
    line.push(b'\n');
    Ok(())
}

/// The columns of `runoff bootstrap --format csv` after any group columns.
pub const BOOTSTRAP_COLUMNS: [&str; 12] =
    ["origin", "mean", "std", "cv", "p50", "p75", "p90", "p95", "p99", "p99.5", "mack_std_err", "chainladder_ibnr"];

fn group(d: &Dataset) -> Value {
    Value::Object(d.group.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect())
}

fn write_error(e: std::io::Error) -> String {
    format!("cannot write the results: {e}")
}
