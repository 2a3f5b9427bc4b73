//! Writing results: JSON (each triangle's `Reserve`, the shape of the
//! reference fixtures' `expected`, as one object per line) or CSV (one row
//! per origin and a total row, for a spreadsheet).

use super::args::Format;
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
        Output {
            format,
            out,
            csv_header_written: false,
        }
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
        let m = &r.methods;
        let mut rows: Vec<Vec<String>> = Vec::new();
        if !self.csv_header_written {
            let mut h: Vec<String> = d.group.iter().map(|(k, _)| k.clone()).collect();
            h.extend(
                [
                    "origin",
                    "latest",
                    "premium",
                    "chainladder_ultimate",
                    "bornhuetter_ferguson_ultimate",
                    "benktander_ultimate",
                    "cape_cod_ultimate",
                    "selected_method",
                    "selected_ultimate",
                    "ibnr",
                    "mack_std_err",
                ]
                .map(String::from),
            );
            rows.push(h);
            self.csv_header_written = true;
        }
        let at = |v: Option<&Vec<f64>>, i: usize| num(v.and_then(|v| v.get(i)).copied());
        let sum = |v: Option<&Vec<f64>>| num(v.map(|v| v.iter().sum()));
        let bf = m.bornhuetter_ferguson.as_ref().map(|x| &x.ultimate);
        let bk = m.benktander.as_ref().map(|x| &x.ultimate);
        let cc = m.cape_cod.as_ref().map(|x| &x.result.ultimate);
        let se = m.mack.as_ref().map(|x| &x.mack_std_err);
        for (i, origin) in r.origins.iter().enumerate() {
            let mut row: Vec<String> = d.group.iter().map(|(_, v)| v.clone()).collect();
            row.extend([
                origin.clone(),
                at(Some(&r.latest), i),
                at(r.premium.as_ref(), i),
                at(Some(&m.chainladder.ultimate), i),
                at(bf, i),
                at(bk, i),
                at(cc, i),
                r.selected
                    .method
                    .get(i)
                    .map_or(String::new(), |x| x.name().to_string()),
                at(Some(&r.selected.result.ultimate), i),
                at(Some(&r.selected.result.ibnr), i),
                at(se, i),
            ]);
            rows.push(row);
        }
        let mut total: Vec<String> = d.group.iter().map(|(_, v)| v.clone()).collect();
        total.extend([
            "Total".to_string(),
            sum(Some(&r.latest)),
            sum(r.premium.as_ref()),
            sum(Some(&m.chainladder.ultimate)),
            sum(bf),
            sum(bk),
            sum(cc),
            String::new(),
            sum(Some(&r.selected.result.ultimate)),
            num(Some(r.selected.result.total_ibnr)),
            num(m.mack.as_ref().map(|x| x.total_mack_std_err)),
        ]);
        rows.push(total);
        let mut w = csv::Writer::from_writer(&mut self.out);
        for row in rows {
            w.write_record(&row).map_err(|e| write_error(e.into()))?;
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

fn group(d: &Dataset) -> Value {
    Value::Object(
        d.group
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    )
}

/// The shortest text that reads back as the same number (JSON's, so a
/// rounding residue is `-2.2737367544323206e-13`, not 30 digits); blank
/// when there is none.
fn num(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => Value::from(x).to_string(),
        _ => String::new(),
    }
}

fn write_error(e: std::io::Error) -> String {
    format!("cannot write the results: {e}")
}
