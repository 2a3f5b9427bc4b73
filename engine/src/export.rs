//! Results as CSV, one row per origin and a total row, for a spreadsheet:
//! what the command line writes with `--format csv` and what the page's
//! `Export results` downloads, so that both give the same file. The page's
//! file adds the factors after a blank line ([`factors_csv`]), with how each
//! was chosen, so that a typed factor shows as typed, and the reserve range
//! when one is computed ([`bootstrap_rows`], which `runoff bootstrap
//! --format csv` writes too).
//!
//! Every cell is written through [`defused`]: a label comes from the
//! user's data (an origin, a group's value or name), and a spreadsheet
//! runs a cell that starts like a formula.

use std::borrow::Cow;

use crate::bootstrap::BootstrapSummary;
use crate::session::{Average, Settings, TailCurve};
use crate::Reserve;

/// The columns after any group columns.
pub const COLUMNS: [&str; 11] = [
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
];

/// The rows of one triangle's results: each origin, then `Total`. Every
/// row starts with the values of `group` (a grouped run's company and
/// line, say); `header` puts the column names first. A figure a method
/// does not give (Bornhuetter-Ferguson without premium) is blank.
pub fn results_rows(r: &Reserve, group: &[(String, String)], header: bool) -> Vec<Vec<String>> {
    let m = &r.methods;
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(r.origins.len() + 2);
    let lead = || group.iter().map(|(_, v)| v.clone()).collect::<Vec<String>>();
    if header {
        let mut h: Vec<String> = group.iter().map(|(k, _)| k.clone()).collect();
        h.extend(COLUMNS.map(String::from));
        rows.push(h);
    }
    let at = |v: Option<&Vec<f64>>, i: usize| number(v.and_then(|v| v.get(i)).copied());
    let sum = |v: Option<&Vec<f64>>| number(v.map(|v| v.iter().sum()));
    let bf = m.bornhuetter_ferguson.as_ref().map(|x| &x.ultimate);
    let bk = m.benktander.as_ref().map(|x| &x.ultimate);
    let cc = m.cape_cod.as_ref().map(|x| &x.result.ultimate);
    let se = m.mack.as_ref().map(|x| &x.mack_std_err);
    for (i, origin) in r.origins.iter().enumerate() {
        let mut row = lead();
        row.extend([
            origin.clone(),
            at(Some(&r.latest), i),
            at(r.premium.as_ref(), i),
            at(Some(&m.chainladder.ultimate), i),
            at(bf, i),
            at(bk, i),
            at(cc, i),
            r.selected.method.get(i).map_or(String::new(), |x| x.name().to_string()),
            at(Some(&r.selected.result.ultimate), i),
            at(Some(&r.selected.result.ibnr), i),
            at(se, i),
        ]);
        rows.push(row);
    }
    let mut total = lead();
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
        number(Some(r.selected.result.total_ibnr)),
        number(m.mack.as_ref().map(|x| x.total_mack_std_err)),
    ]);
    rows.push(total);
    rows
}

/// [`results_rows`] as CSV text.
pub fn results_csv(r: &Reserve, group: &[(String, String)], header: bool) -> String {
    csv_text(results_rows(r, group, header))
}

/// Rows as CSV text, each cell quoted where it must be and [`defused`].
pub fn csv_text(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory does not fail.
        let _ = write_row(&mut w, &row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes one row of cells, each [`defused`]: every CSV runoff writes
/// goes through here.
pub fn write_row<W: std::io::Write>(w: &mut csv::Writer<W>, row: &[String]) -> csv::Result<()> {
    w.write_record(row.iter().map(|cell| defused(cell).into_owned()))
}

/// A cell as a spreadsheet will show it rather than run it. Excel,
/// LibreOffice and Google Sheets read a cell that starts with `=`, `+`,
/// `-` or `@` (or a tab or carriage return before one) as a formula, which
/// can fetch addresses or start programs; such a cell gets a leading `'`,
/// as OWASP advises, which they show as text. A number stays a number:
/// `-12.5` is written as it is.
pub fn defused(cell: &str) -> Cow<'_, str> {
    let formula_like = matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    if formula_like && !is_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether `s` is a plain decimal number (`-12.5`, `-1e-9`): digits, a
/// point and an exponent only, so that `-inf`, `-nan` and `-1+1` are not.
fn is_number(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && s.parse::<f64>().is_ok()
}

/// A reserve range's figures, a row for each origin, then `Total`: the
/// label, then the IBNR's mean, standard deviation, coefficient of
/// variation, its 50th, 75th, 90th, 95th, 99th and 99.5th percentiles,
/// Mack's standard error and the chain ladder's IBNR (blank where there is
/// none).
pub fn bootstrap_rows(s: &BootstrapSummary) -> Vec<Vec<String>> {
    let row = |label: &str, mean, std, cv, p: [f64; 6], mack: Option<f64>, cl| {
        let mut v = vec![label.to_string(), number(Some(mean)), number(Some(std)), number(Some(cv))];
        v.extend(p.map(|x| number(Some(x))));
        v.push(number(mack));
        v.push(number(Some(cl)));
        v
    };
    let t = &s.total;
    s.origins
        .iter()
        .map(|o| row(&o.origin, o.mean, o.std, o.cv, o.percentiles.values(), o.mack_std_err, o.chainladder_ibnr))
        .chain(std::iter::once(row(
            "Total",
            t.mean,
            t.std,
            t.cv,
            t.percentiles.values(),
            t.mack_std_err,
            t.chainladder_ibnr,
        )))
        .collect()
}

/// How the factor of the development column starting at `age` is chosen:
/// `typed` (`ldf_by_age`), `tail` (a tail attached at or before `age`
/// replaces it), else its average and window, e.g. `volume, all` or
/// `simple, latest 5` (the column's own, or the session's).
pub fn basis(s: &Settings, age: u32) -> String {
    let attached =
        !matches!(s.tail_curve, TailCurve::None | TailCurve::Bondy) && s.tail_attachment_age.is_some_and(|a| age >= a);
    if attached {
        return "tail".into();
    }
    if s.ldf_by_age.contains_key(&age) {
        return "typed".into();
    }
    let c = s.column_average(age);
    let name = match c.average {
        Average::Volume => "volume",
        Average::Simple => "simple",
        Average::Geometric => "geometric",
        Average::Regression => "regression",
    };
    match c.n_periods {
        Some(n) => format!("{name}, latest {n}"),
        None => format!("{name}, all"),
    }
}

/// The selected factors as CSV: `development,ldf,cdf,basis`, one row per
/// factor, the development columns (from `ages`, the triangle's) by
/// [`basis`] and the periods past the last age as `tail`.
pub fn factors_csv(r: &Reserve, ages: &[u32], s: &Settings) -> String {
    let header = ["development", "ldf", "cdf", "basis"].map(String::from).to_vec();
    let rows = r.ldf_labels.iter().enumerate().map(|(j, label)| {
        let basis = match ages.get(j + 1) {
            Some(_) => basis(s, ages[j]),
            None => "tail".into(),
        };
        let at = |v: &[f64]| number(v.get(j).copied());
        vec![label.clone(), at(&r.ldf), at(&r.cdf), basis]
    });
    csv_text(std::iter::once(header).chain(rows))
}

/// The shortest text that reads back as the same number; blank for none.
fn number(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{x}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{reserve, Grain, Settings, Triangle};

    #[test]
    fn rows_per_origin_and_a_total() {
        let t = crate::triangle::small();
        let r = reserve(&t, None, &Settings::default()).unwrap();
        let text = results_csv(&r, &[("lob".into(), "motor, private".into())], true);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("lob,{}", COLUMNS.join(",")));
        assert_eq!(lines[1], "\"motor, private\",2000,150,,150,,,,chainladder,150,0,");
        assert_eq!(lines[2], "\"motor, private\",2001,110,,165,,,,chainladder,165,55,");
        assert_eq!(lines[3], "\"motor, private\",Total,260,,315,,,,,315,55,");
        assert_eq!(lines.len(), 4);
        let back: f64 = 0.1 + 0.2;
        assert_eq!(number(Some(back)).parse::<f64>().unwrap(), back);
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        let cells = [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "-inf",
            "+5",
            "-12.5",
            "-1e-9",
            "12",
            "2000",
            "Total",
            "",
            "a=b",
        ];
        let text = csv_text([cells.map(String::from).to_vec()]);
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1+cmd|' /C calc'!A0,'-2+3,'@SUM(A1),'\t=1,\"'\r=1\",\
             '-,'-inf,'+5,-12.5,-1e-9,12,2000,Total,,a=b\n"
        );
        // Negative figures of the results stay numbers.
        let t = Triangle::new(
            vec!["2000".into(), "2001".into()],
            vec![12, 24],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(-100.0), Some(-150.0)], vec![Some(-110.0), None]],
        )
        .unwrap();
        let r = reserve(&t, None, &Settings::default()).unwrap();
        let text = results_csv(&r, &[("@lob".into(), "+motor".into())], true);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("'@lob,origin,"), "{}", lines[0]);
        assert!(lines[1].starts_with("'+motor,2000,-150,"), "{}", lines[1]);
        assert!(lines[2].starts_with("'+motor,2001,-110,"), "{}", lines[2]);
    }

    #[test]
    fn factors_say_how_each_was_chosen() {
        use crate::session::ColumnAverage;
        let t = Triangle::new(
            vec!["2000".into(), "2001".into(), "2002".into()],
            vec![12, 24, 36],
            Grain::Yearly,
            Grain::Yearly,
            vec![
                vec![Some(100.0), Some(150.0), Some(165.0)],
                vec![Some(110.0), Some(165.0), None],
                vec![Some(120.0), None, None],
            ],
        )
        .unwrap();
        let mut s = Settings::default();
        assert_eq!(basis(&s, 12), "volume, all");
        s.average_by_age.insert(12, ColumnAverage { average: Average::Simple, n_periods: Some(5) });
        s.ldf_by_age.insert(24, 1.2);
        assert_eq!(basis(&s, 12), "simple, latest 5");
        assert_eq!(basis(&s, 24), "typed");
        let r = reserve(&t, None, &s).unwrap();
        let text = factors_csv(&r, t.ages(), &s);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            ["development,ldf,cdf,basis", "12-24,1.5,1.7999999999999998,\"simple, latest 5\"", "24-36,1.2,1.2,typed"]
        );
        s.tail_curve = TailCurve::Exponential;
        s.tail_attachment_age = Some(24);
        assert_eq!(basis(&s, 24), "tail");
        assert_eq!(basis(&s, 12), "simple, latest 5");
    }
}
