//! The `runoff` binary end to end, on copies of the sample data in
//! `engine/tests/data/`: the figures it prints, and a one-line message with a
//! non-zero exit for each kind of bad input.

mod common;

use common::runoff;
use serde_json::Value;

const RAA_TOTAL_CL_IBNR: f64 = 52135.2282612102;
/// chainladder-python 0.10.1 on the quarterly incurred segment (volume
/// weighted, no tail), as in the reference case `quarterly_incurred/volume`.
const QUARTERLY_INCURRED_TOTAL_CL_IBNR: f64 = 2775.888512417;

fn data(name: &str) -> String {
    format!("{}/../engine/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Writes a scratch file for one test and returns its path.
fn scratch(name: &str, text: &str) -> String {
    let path = common::scratch("cli").join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn ok(args: &[&str]) -> Vec<Value> {
    let r = runoff(args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Runs, expects failure with `code`, and returns the one-line message.
fn fails(args: &[&str], code: i32) -> String {
    let r = runoff(args);
    let head: String = r.stdout.chars().take(300).collect();
    assert_eq!(r.code, code, "{args:?}: stdout {head} stderr {}", r.stderr);
    let message = r.stderr.trim_end();
    assert!(message.starts_with("runoff: ") && !message.contains('\n'), "{message}");
    message.to_string()
}

fn close(actual: f64, expected: f64) {
    assert!(((actual - expected) / expected).abs() < 1e-9, "{actual} vs {expected}");
}

fn total_cl(v: &Value) -> f64 {
    v["methods"]["chainladder"]["total_ibnr"].as_f64().unwrap()
}

#[test]
fn raa_chain_ladder() {
    let out = ok(&["reserve", "--triangle", &data("raa.csv")]);
    assert_eq!(out.len(), 1);
    let r = &out[0];
    close(total_cl(r), RAA_TOTAL_CL_IBNR);
    assert_eq!(r["origins"][0], "1981");
    assert_eq!(r["ldf_labels"][0], "12-24");
    assert_eq!(r["latest"][0], 18834.0);
    assert_eq!(r["measure"], "values");
    assert!(r.get("group").is_none());
}

#[test]
fn quarterly_incurred_with_premium() {
    let out = ok(&["reserve", "--triangle", &data("quarterly.csv"), "--premium", &data("quarterly_premium.csv")]);
    let r = &out[0];
    assert_eq!(r["measure"], "incurred");
    close(total_cl(r), QUARTERLY_INCURRED_TOTAL_CL_IBNR);
    assert_eq!(r["premium"][0], 2200.0);
    assert_eq!(r["premium"][11], 366.780769);
    assert_eq!(r["ldf_labels"][0], "3-6");
    assert_eq!(r["origins"].as_array().unwrap().len(), 12);
    assert_eq!(r["cdf"].as_array().unwrap().len(), 44);

    // The same figures as CSV: one row per origin and a total row.
    let csv = runoff(&[
        "reserve",
        "--triangle",
        &data("quarterly.csv"),
        "--premium",
        &data("quarterly_premium.csv"),
        "--format",
        "csv",
    ]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 14);
    assert!(lines[0].starts_with("origin,latest,premium,chainladder_ultimate,"), "{}", lines[0]);
    let total: Vec<&str> = lines[13].split(',').collect();
    assert_eq!(total[0], "Total");
    close(total[9].parse().unwrap(), QUARTERLY_INCURRED_TOTAL_CL_IBNR);
}

/// reserving-studio's premium layout, `uw_year,period,Premium_selected`
/// with several periods per year, reserves as the same premium written
/// `origin,premium` (the latest period's amount per year).
#[test]
fn reserving_studio_premium_by_underwriting_year_and_period() {
    let sample = std::fs::read_to_string(data("quarterly_premium.csv")).unwrap();
    // The sample's rows as `uw_year,period,Premium_selected`, last row
    // first, so that the latest period is not the last row of a year.
    let mut rows: Vec<String> = sample
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{}", f[1], f[0], f[2])
        })
        .collect();
    rows.reverse();
    let studio = scratch("studio_premium.csv", &format!("uw_year,period,Premium_selected\n{}\n", rows.join("\n")));
    let latest = [
        2200.0,
        2263.57784,
        2341.632464,
        2454.033314,
        2511.314677,
        2585.750325,
        2675.308636,
        2755.72226,
        2843.01315,
        2926.78062,
        1878.021194,
        366.780769,
    ];
    let plain: String = (1995..).zip(latest).map(|(y, p)| format!("{y},{p}\n")).collect();
    let plain = scratch("plain_premium.csv", &format!("origin,premium\n{plain}"));
    let reserve =
        |premium: &str| ok(&["reserve", "--triangle", &data("quarterly.csv"), "--premium", premium]).remove(0);
    let (by_period, by_origin) = (reserve(&studio), reserve(&plain));
    let bf = |v: &Value| v["methods"]["bornhuetter_ferguson"]["total_ibnr"].as_f64().unwrap();
    let premium: Vec<f64> = by_period["premium"].as_array().unwrap().iter().map(|p| p.as_f64().unwrap()).collect();
    assert_eq!(premium, latest);
    assert!(bf(&by_origin) > 0.0);
    close(bf(&by_period), bf(&by_origin));
    // And as the sample file itself, `development,origin,Premium_selected`.
    close(bf(&reserve(&data("quarterly_premium.csv"))), bf(&by_origin));

    // A year given twice for one period names both, and the line.
    let twice = scratch(
        "studio_premium_twice.csv",
        &format!("uw_year,period,Premium_selected\n{}\n2001,2005Q1,1\n", rows.join("\n")),
    );
    let m = fails(&["reserve", "--triangle", &data("quarterly.csv"), "--premium", &twice], 1);
    assert!(
        m.ends_with("row 278, column `period`: uw_year `2001` at period `2005Q1` appears again (first on row 51)"),
        "{m}"
    );
}

#[test]
fn the_session_chooses_the_measure_and_settings() {
    let session = scratch("paid.yml", "segment: quarterly\nmeasure: paid\n");
    let paid = ok(&["reserve", "--triangle", &data("quarterly.csv"), "--session", &session]);
    let by_flag = ok(&["reserve", "--triangle", &data("quarterly.csv"), "--value-col", "paid"]);
    assert_eq!(paid[0]["measure"], "paid");
    assert_eq!(paid, by_flag);
    // JSON is YAML too.
    let json = scratch("incurred.json", r#"{"measure": "incurred", "average": "volume"}"#);
    let incurred = ok(&["reserve", "--triangle", &data("quarterly.csv"), "--session", &json]);
    close(total_cl(&incurred[0]), QUARTERLY_INCURRED_TOTAL_CL_IBNR);
}

#[test]
fn groups_give_one_line_each() {
    // raa and genins stacked as two lines of business.
    let mut text = String::from("lob,development,origin,values\n");
    for (lob, file) in [("raa", "raa.csv"), ("genins", "genins.csv")] {
        let body = std::fs::read_to_string(data(file)).unwrap();
        for line in body.lines().skip(1) {
            text.push_str(&format!("{lob},{line}\n"));
        }
    }
    let path = scratch("stacked.csv", &text);
    let out = ok(&["reserve", "--triangle", &path, "--group-col", "lob"]);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0]["group"]["lob"], "raa");
    assert_eq!(out[1]["group"]["lob"], "genins");
    close(total_cl(&out[0]), RAA_TOTAL_CL_IBNR);
    let genins = ok(&["reserve", "--triangle", &data("genins.csv")]);
    close(total_cl(&out[1]), total_cl(&genins[0]));

    // A segment with nothing at its first age is reported and skipped.
    let path = scratch("one_empty.csv", &format!("{text}empty,1990,1990,0\n"));
    let r = runoff(&["reserve", "--triangle", &path, "--group-col", "lob"]);
    assert_eq!(r.code, 1);
    let lines: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[2]["error"].as_str().unwrap().contains("first development age"), "{}", lines[2]);
    assert!(r.stderr.contains("lob=empty"), "{}", r.stderr);
}

#[test]
fn wide_and_incremental_layouts_give_the_same_figures() {
    let body = std::fs::read_to_string(data("raa.csv")).unwrap();
    let mut cells = std::collections::BTreeMap::new();
    for line in body.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (dev, origin, value): (i32, i32, f64) =
            (f[0].parse().unwrap(), f[1].parse().unwrap(), f[2].parse().unwrap());
        cells.insert((origin, (dev - origin + 1) * 12), value);
    }
    let mut wide = String::from("origin\t12\t24\t36\t48\t60\t72\t84\t96\t108\t120\n");
    let mut incremental = String::from("origin,development,paid\n");
    for origin in 1981..=1990 {
        wide.push_str(&origin.to_string());
        let mut before = 0.0;
        for age in (12..=120).step_by(12) {
            wide.push('\t');
            if let Some(v) = cells.get(&(origin, age)) {
                wide.push_str(&v.to_string());
                incremental.push_str(&format!("{origin},{age},{}\n", v - before));
                before = *v;
            }
        }
        wide.push('\n');
    }
    let wide = scratch("raa_wide.tsv", &wide);
    close(total_cl(&ok(&["reserve", "--triangle", &wide])[0]), RAA_TOTAL_CL_IBNR);
    let incremental = scratch("raa_incremental.csv", &incremental);
    let out = ok(&["reserve", "--triangle", &incremental, "--incremental"]);
    close(total_cl(&out[0]), RAA_TOTAL_CL_IBNR);
}

#[test]
fn help_and_version() {
    let r = runoff(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("runoff reserve --triangle FILE.csv"));
    let r = runoff(&["reserve", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("--group-col NAME"));
    assert!(runoff(&["--version"]).stdout.starts_with("runoff "));
}

#[test]
fn every_mistake_is_one_line_and_a_failure() {
    let t = data("raa.csv");
    let q = data("quarterly.csv");
    let usage = [
        (vec![], "a command is needed"),
        (vec!["reserve"], "--triangle FILE.csv is required"),
        (vec!["reserve", "--triangle", &t, "--format", "xml"], "`xml`"),
        (vec!["reserve", "--triangle", &t, "--grain", "weekly"], "`weekly`"),
        (vec!["reserve", "--triangle", &t, "--bogus"], "--bogus"),
    ];
    for (args, needle) in usage {
        let m = fails(&args, 2);
        assert!(m.contains(needle), "{m}");
    }

    let bad = |name: &str, text: &str| scratch(name, text);
    let cases: Vec<(Vec<String>, &[&str])> = vec![
        (
            vec![bad("text.csv", "origin,development,paid\n1995,1995,100\n1995,1996,12O\n")],
            &["row 3", "`paid`", "`12O`"],
        ),
        (
            vec![bad("date.csv", "origin,development,paid\n1995,1995,1\n1995,sometime,2\n")],
            &["row 3", "`development`", "`sometime`"],
        ),
        (vec![bad("before.csv", "origin,development,paid\n1995,1995,1\n1996,1995,2\n")], &["row 3", "before origin"]),
        (vec![bad("empty.csv", "")], &["empty"]),
        (vec![bad("header.csv", "origin,development,paid\n")], &["no rows"]),
        (vec![bad("labels.csv", "origin,development,name\n1995,1995,a\n")], &["no column of numbers"]),
        (
            vec![bad("zeros.csv", "origin,development,paid\n1995,1995,0\n1995,1996,4\n1996,1996,0\n")],
            &["first development age"],
        ),
        (vec![bad("huge.csv", "origin,development,paid\n1000-01,1000-01,1\n1000-02,9999-12,1\n")], &["1,000 × 1,000"]),
        (vec![bad("wide_empty.csv", "origin,12,24\n")], &["no origins"]),
        (vec!["missing.csv".into()], &["cannot read missing.csv"]),
    ];
    for (files, needles) in cases {
        let m = fails(&["reserve", "--triangle", &files[0]], 1);
        assert!(m.contains(&files[0]), "{m}");
        for n in needles {
            assert!(m.contains(n), "{m} lacks {n}");
        }
    }

    let m = fails(&["reserve", "--triangle", &t, "--origin-col", "AY"], 1);
    assert!(m.contains("`AY`") && m.contains("`origin`"), "{m}");
    let m = fails(&["reserve", "--triangle", &q, "--value-col", "reported"], 1);
    assert!(m.contains("`reported`"), "{m}");
    let prem = bad("short_premium.csv", "origin,premium\n1995,100\n1996,200\n");
    let m = fails(&["reserve", "--triangle", &q, "--premium", &prem], 1);
    assert!(m.contains("no premium for origins 1997"), "{m}");
    let session = bad("bad.yml", "average: median\n");
    let m = fails(&["reserve", "--triangle", &t, "--session", &session], 1);
    assert!(m.contains("bad.yml") && m.contains("`average`") && m.contains("median"), "{m}");
    let m = fails(&["reserve", "--triangle", &t, "--premium", &prem, "--group-col", "origin"], 1);
    assert!(m.contains("--premium"), "{m}");
}

#[test]
fn claim_level_monthly_payments_are_summed() {
    // Two claims per accident month, paid in increments on dated payments,
    // as a claims system exports them (the layout of chainladder's `prism`).
    let text = "\
ClaimNo,AccidentDate,PaymentDate,Paid
1,2020-01-05,2020-01-20,10
2,2020-01-17,2020-01-31,5
1,2020-01-05,2020-02-11,20
2,2020-01-17,2020-03-02,4
3,2020-02-03,2020-02-28,30
4,2020-02-26,2020-03-15,6
5,2020-03-09,2020-03-09,12
";
    let path = scratch("claims.csv", text);
    let args = [
        "reserve",
        "--triangle",
        &path,
        "--origin-col",
        "AccidentDate",
        "--development-col",
        "PaymentDate",
        "--value-col",
        "Paid",
        "--incremental",
        "--grain",
        "monthly",
    ];
    let out = ok(&args);
    let r = &out[0];
    assert_eq!(r["measure"], "Paid");
    assert_eq!(r["origins"], serde_json::json!(["2020-01", "2020-02", "2020-03"]));
    assert_eq!(r["ldf_labels"], serde_json::json!(["1-2", "2-3"]));
    // January: 15 in its first month, +20, +4; February: 30, +6; March: 12.
    assert_eq!(r["latest"], serde_json::json!([39.0, 36.0, 12.0]));
    let f2 = 39.0 / 35.0;
    let ldf: Vec<f64> = r["ldf"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    close(ldf[0], (35.0 + 36.0) / (15.0 + 30.0));
    close(ldf[1], f2);
    close(total_cl(r), 36.0 * f2 - 36.0 + 12.0 * ldf[0] * f2 - 12.0);
}

#[test]
fn grouped_csv_has_the_group_columns_and_a_row_per_origin() {
    let mut text = String::from("company,lob,AY,DY,paid\n");
    for (company, lob, file) in [("a", "x", "raa.csv"), ("b", "y", "genins.csv")] {
        let body = std::fs::read_to_string(data(file)).unwrap();
        for line in body.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            // raa and genins are `development,origin,values`.
            text.push_str(&format!("{company},{lob},{},{},{}\n", f[1], f[0], f[2]));
        }
    }
    let path = scratch("grouped.csv", &text);
    let r = runoff(&[
        "reserve",
        "--triangle",
        &path,
        "--origin-col",
        "AY",
        "--development-col",
        "DY",
        "--group-col",
        "company",
        "--group-col",
        "lob",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    // A header, then 10 origins and a total per group.
    assert_eq!(lines.len(), 1 + 2 * 11, "{}", r.stdout);
    assert!(lines[0].starts_with("company,lob,origin,latest,"), "{}", lines[0]);
    assert!(lines[1].starts_with("a,x,1981,18834,"), "{}", lines[1]);
    let total: Vec<&str> = lines[11].split(',').collect();
    assert_eq!(&total[..3], &["a", "x", "Total"]);
    close(total[11].parse().unwrap(), RAA_TOTAL_CL_IBNR);
    assert!(lines[12].starts_with("b,y,"), "{}", lines[12]);

    // The same run as JSON: one object per line, each naming its group.
    let json = runoff(&[
        "reserve",
        "--triangle",
        &path,
        "--origin-col",
        "AY",
        "--development-col",
        "DY",
        "--group-col",
        "company",
        "--group-col",
        "lob",
    ]);
    let objects: Vec<Value> = json.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[1]["group"], serde_json::json!({"company": "b", "lob": "y"}));
    assert!(objects[0]["selected"]["ultimate"].is_array());
    assert_eq!(objects[0]["origins"].as_array().unwrap().len(), 10);
}

#[test]
fn a_session_written_as_json_or_yaml_gives_the_same_results() {
    let yaml =
        scratch("tail.yml", "measure: incurred\naverage: simple\ntail_curve: exponential\ndrops:\n  - [\"1996\", 3]\n");
    let json = scratch(
        "tail.json",
        r#"{"measure": "incurred", "average": "simple", "tail_curve": "exponential", "drops": [["1996", 3]]}"#,
    );
    let q = data("quarterly.csv");
    let a = ok(&["reserve", "--triangle", &q, "--session", &yaml]);
    let b = ok(&["reserve", "--triangle", &q, "--session", &json]);
    assert_eq!(a, b);
    assert!(a[0]["tail_factor"].as_f64().unwrap() > 1.0);
    assert_eq!(a[0]["included"][1][0], false);
}

/// The JSON object of each triangle: `total` and `origins` with the
/// bootstrap's statistics and Mack's standard error beside them.
fn check_bootstrap_shape(v: &Value, n_origins: usize) {
    let stats = |s: &Value| {
        for key in ["mean", "std", "cv", "mack_std_err", "chainladder_ibnr"] {
            assert!(s.get(key).is_some(), "{key} in {s}");
        }
        for p in ["50", "75", "90", "95", "99", "99.5"] {
            assert!(s["percentiles"][p].is_f64(), "percentile {p} in {s}");
        }
    };
    stats(&v["total"]);
    let origins = v["origins"].as_array().unwrap();
    assert_eq!(origins.len(), n_origins);
    for o in origins {
        assert!(o["origin"].is_string());
        stats(o);
    }
}

#[test]
fn bootstrap_json_and_the_same_seed() {
    let args = ["bootstrap", "--triangle", &data("raa.csv"), "--sims", "2000", "--seed", "9"];
    let first = runoff(&args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let out: Vec<Value> = first.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(out.len(), 1);
    let v = &out[0];
    check_bootstrap_shape(v, 10);
    assert_eq!(v["sims"], 2000);
    assert_eq!(v["seed"], 9);
    assert_eq!(v["process"], "gamma");
    assert_eq!(v["measure"], "values");
    assert_eq!(v["origins"][0]["origin"], "1981");
    // Mack's standard error and the chain ladder beside the distribution.
    assert!((v["total"]["mack_std_err"].as_f64().unwrap() - 26_880.74).abs() < 0.01);
    close(v["total"]["chainladder_ibnr"].as_f64().unwrap(), RAA_TOTAL_CL_IBNR);
    // chainladder-python's mean with process risk is 53,695 (50,000
    // simulations); 2,000 give it within a few per cent.
    let mean = v["total"]["mean"].as_f64().unwrap();
    assert!((mean / 53_695.0 - 1.0).abs() < 0.05, "{mean}");
    // The same seed, the same output, to the byte; another seed, another.
    assert_eq!(runoff(&args).stdout, first.stdout);
    let other = runoff(&["bootstrap", "--triangle", &data("raa.csv"), "--sims", "2000", "--seed", "10"]);
    assert_ne!(other.stdout, first.stdout);
    // Without process risk: a narrower distribution.
    let none = ok(&["bootstrap", "--triangle", &data("raa.csv"), "--sims", "2000", "--seed", "9", "--process", "none"]);
    assert_eq!(none[0]["process"], "none");
    assert!(none[0]["total"]["std"].as_f64().unwrap() < v["total"]["std"].as_f64().unwrap());
    // A session's range settings are the defaults of the flags, so that the
    // session reproduces the range the page showed for it.
    let session = scratch("range.yml", "bootstrap_sims: 2000\nbootstrap_seed: 9\nbootstrap_process: none\n");
    let from_session = runoff(&["bootstrap", "--triangle", &data("raa.csv"), "--session", &session]);
    let none_flags =
        runoff(&["bootstrap", "--triangle", &data("raa.csv"), "--sims", "2000", "--seed", "9", "--process", "none"]);
    assert_eq!(from_session.stdout, none_flags.stdout);
    let overridden =
        runoff(&["bootstrap", "--triangle", &data("raa.csv"), "--session", &session, "--process", "gamma"]);
    assert_eq!(overridden.stdout, first.stdout);
}

#[test]
fn bootstrap_csv_and_groups() {
    let csv = runoff(&["bootstrap", "--triangle", &data("raa.csv"), "--sims", "300", "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 12);
    assert_eq!(lines[0], "origin,mean,std,cv,p50,p75,p90,p95,p99,p99.5,mack_std_err,chainladder_ibnr");
    assert!(lines[1].starts_with("1981,0,0,,"), "{}", lines[1]);
    let total: Vec<&str> = lines[11].split(',').collect();
    assert_eq!(total[0], "Total");
    close(total[11].parse().unwrap(), RAA_TOTAL_CL_IBNR);
    // The JSON's figures, in the same run.
    let json = ok(&["bootstrap", "--triangle", &data("raa.csv"), "--sims", "300"]);
    assert_eq!(total[1].parse::<f64>().unwrap(), json[0]["total"]["mean"].as_f64().unwrap());

    // Grouped: one object per triangle in the file's order, with `group`;
    // a triangle that cannot be bootstrapped is reported and skipped.
    let mut text = String::from("lob,development,origin,values\n");
    for (lob, file) in [("raa", "raa.csv"), ("genins", "genins.csv")] {
        let body = std::fs::read_to_string(data(file)).unwrap();
        for line in body.lines().skip(1) {
            text.push_str(&format!("{lob},{line}\n"));
        }
    }
    text.push_str("single,1990,1990,100\nsingle,1991,1990,150\n");
    let path = scratch("bootstrap_groups.csv", &text);
    let r = runoff(&["bootstrap", "--triangle", &path, "--group-col", "lob", "--sims", "200"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["group"]["lob"], "raa");
    assert_eq!(out[1]["group"]["lob"], "genins");
    check_bootstrap_shape(&out[1], 10);
    assert!(out[2]["error"].as_str().unwrap().contains("cannot bootstrap: it needs at least 2 origins"), "{}", out[2]);
    assert!(r.stderr.contains("lob=single") && r.stderr.contains("could not be bootstrapped"), "{}", r.stderr);

    let csv = runoff(&["bootstrap", "--triangle", &path, "--group-col", "lob", "--sims", "200", "--format", "csv"]);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 11 + 11);
    assert!(lines[0].starts_with("lob,origin,mean,"), "{}", lines[0]);
    assert!(lines[12].starts_with("genins,2001,"), "{}", lines[12]);
}

#[test]
fn bootstrap_mistakes_are_one_line() {
    let t = data("raa.csv");
    assert!(fails(&["bootstrap", "--triangle", &t, "--sims", "1000001"], 2).contains("1 to 1000000 simulations"));
    assert!(fails(&["bootstrap", "--triangle", &t, "--process", "normal"], 2).contains("`normal`"));
    let one = scratch("bootstrap_one.csv", "development,origin,values\n1990,1990,100\n1991,1990,150\n");
    let e = fails(&["bootstrap", "--triangle", &one], 1);
    assert!(e.contains("cannot bootstrap: it needs at least 2 origins"), "{e}");
    let r = runoff(&["bootstrap", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("--sims N") && r.stdout.contains("--process PROCESS"));
    assert!(runoff(&["--help"]).stdout.contains("runoff bootstrap --triangle FILE.csv"));
}

/// What the command line refuses to read, each named with the limit, at
/// once: nothing that is not a regular file (a pipe would wait for a writer
/// for ever, `/dev/zero` never ends), nothing larger than 1024 MB.
#[test]
fn only_regular_files_of_a_bounded_size_are_read() {
    let dir = common::scratch("cli-inputs");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let d = dir.to_string_lossy().into_owned();
    let fifo = dir.join("claims.fifo").to_string_lossy().into_owned();
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // Sparse: a file of 1 GiB and one byte takes no disk.
    let large = dir.join("large.csv");
    std::fs::File::create(&large).unwrap().set_len((1 << 30) + 1).unwrap();
    let large = large.to_string_lossy().into_owned();
    let limit = "runoff reads regular files of at most 1024 MB";
    let started = std::time::Instant::now();
    for (args, expected) in [
        (vec!["reserve", "--triangle", &d], format!("runoff: {d} is a directory; {limit}")),
        (
            vec!["reserve", "--triangle", &fifo],
            format!("runoff: {fifo} is not a regular file (a device, pipe or socket); {limit}"),
        ),
        (
            vec!["bootstrap", "--triangle", "/dev/zero"],
            format!("runoff: /dev/zero is not a regular file (a device, pipe or socket); {limit}"),
        ),
        (vec!["reserve", "--triangle", &large], format!("runoff: {large} is 1025 MB; {limit}")),
        (
            vec!["reserve", "--triangle", &data("raa.csv"), "--session", &fifo],
            format!("runoff: {fifo} is not a regular file (a device, pipe or socket); {limit}"),
        ),
    ] {
        assert_eq!(fails(&args, 1), expected, "{args:?}");
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    // Standard input when it is a pipe, as in `cat claims.csv | runoff`.
    let out = common::command()
        .args(["reserve", "--triangle", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("runoff: /dev/stdin is not a regular file") && stderr.contains(limit), "{stderr}");
}

/// A file of many numeric columns and groups is refused by the engine's
/// budget for one import, naming its size and the limit.
#[test]
fn an_import_too_large_as_a_whole_is_refused() {
    let mut text = String::from("company,origin,development");
    for m in 0..300 {
        text.push_str(&format!(",m{m}"));
    }
    text.push('\n');
    for g in 0..20 {
        for (o, d) in [(1961, 1961), (1961, 2000), (2000, 2000)] {
            text.push_str(&format!("c{g},{o},{d}{}\n", ",1".repeat(300)));
        }
    }
    let path = scratch("columns.csv", &text);
    let e = fails(&["reserve", "--triangle", &path, "--group-col", "company"], 1);
    assert_eq!(
        e,
        format!("runoff: {path}: the file would make 9,600,000 cells of triangles (300 measures × 20 groups × 40 origins × 40 development ages); at most 5,000,000 cells are read from one file: choose fewer amount columns, or filter to fewer groups")
    );
}
