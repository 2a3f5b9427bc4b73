//! The readers on the sample data and on each kind of bad input.

use super::*;

const QUARTERLY: &str = include_str!("../../tests/data/quarterly.csv");
const QUARTERLY_PREMIUM: &str = include_str!("../../tests/data/quarterly_premium.csv");
const RAA: &str = include_str!("../../tests/data/raa.csv");

fn err(r: Result<impl std::fmt::Debug, EngineError>) -> (Option<usize>, Option<String>, String) {
    match r {
        Err(EngineError::Input { row, column, message }) => (row, column, message),
        Err(other) => panic!("expected an input error, got {other}"),
        Ok(_) => panic!("expected an input error, got a result"),
    }
}

#[test]
fn quarterly_with_defaults() {
    let data = read_long(QUARTERLY, &LongOptions::default()).unwrap();
    assert_eq!(data.len(), 1);
    let d = &data[0];
    assert!(d.group.is_empty());
    let names: Vec<&str> = d.measures.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["incurred", "paid"]);
    let t = d.measure("incurred").unwrap();
    let origins: Vec<String> = (1995..=2006).map(|y| y.to_string()).collect();
    assert_eq!(t.origins(), origins.as_slice());
    assert_eq!(t.ages(), (1..=45).map(|k| 3 * k).collect::<Vec<u32>>().as_slice());
    assert_eq!(t.origin_grain(), Grain::Yearly);
    assert_eq!(t.development_grain(), Grain::Quarterly);
    // The first row of chainladder-python's `quarterly` sample.
    assert_eq!(&t.row(0)[..6], &[Some(44.0), Some(96.0), Some(194.0), Some(420.0), Some(621.0), Some(715.0)]);
    // Origin 2006 is observed for its first quarter only.
    assert_eq!(t.latest_index(11), Some(0));
    assert_eq!(t.valuation_label(11, 0), "2006Q1");
    assert_eq!(d.measure("paid").unwrap().ages(), t.ages());

    let premium = read_premium(QUARTERLY_PREMIUM).unwrap();
    assert_eq!(premium.len(), 12);
    assert_eq!(premium[0], ("1995".to_string(), 2200.0));
    assert_eq!(premium[11], ("2006".to_string(), 366.780769));
    let aligned = align_premium(&premium, t).unwrap();
    assert_eq!(aligned[1], 2263.57784);
}

#[test]
fn raa_valuation_years_are_ages_in_months() {
    let data = read_long(RAA, &LongOptions::default()).unwrap();
    let t = data[0].measure("values").unwrap();
    assert_eq!(t.ages(), &[12, 24, 36, 48, 60, 72, 84, 96, 108, 120]);
    assert_eq!(t.row(0)[0], Some(5012.0));
    assert_eq!(t.row(9)[0], Some(2063.0));
    assert_eq!(t.latest()[0], 18834.0);
    assert_eq!(t.origin_grain(), Grain::Yearly);
}

#[test]
fn every_way_of_writing_dates_gives_the_same_triangle() {
    let expected =
        read_long("origin,development,v\n1995,1995,1\n1995,1996,3\n1996,1996,2\n", &LongOptions::default()).unwrap();
    for text in [
        "origin,development,v\n1995-01-01,1995-12-31,1\n1995-01-01,1996-12-31,3\n1996-01-01,1996-12-31,2\n",
        "origin,development,v\n1/1/1995,12/31/1995,1\n1/1/1995,12/31/1996,3\n1/1/1996,12/31/1996,2\n",
        "origin,development,v\n31/12/1995,31/12/1995,1\n31/12/1995,31/12/1996,3\n31/12/1996,31/12/1996,2\n",
        "origin,development,v\n1995,12,1\n1995,24,3\n1996,12,2\n",
        "origin;development;v\n1995;1995;1\n1995;1996;3\n1996;1996;2\n",
        "origin\tdevelopment\tv\n1995\t1995\t1\n1995\t1996\t3\n1996\t1996\t2\n",
        // Claim-level rows are summed.
        "origin,development,v\n1995,1995,0.5\n1995,1995,0.5\n1995,1996,3\n1996,1996,2\n",
    ] {
        assert_eq!(read_long(text, &LongOptions::default()).unwrap(), expected, "{text}");
    }
    let incremental = LongOptions { incremental: true, ..LongOptions::default() };
    let text = "origin,development,v\n1995,1995,1\n1995,1996,2\n1996,1996,2\n";
    assert_eq!(read_long(text, &incremental).unwrap(), expected);
}

#[test]
fn incremental_gaps_inside_the_triangle_are_zero() {
    let opts = LongOptions { incremental: true, ..LongOptions::default() };
    // Origin 1995 paid nothing in 1996: its cumulative stays at 5.
    let text = "origin,development,v\n1995,1995,5\n1995,1997,1\n1996,1996,2\n1997,1997,3\n";
    let t = read_long(text, &opts).unwrap().remove(0).measures.remove(0).1;
    assert_eq!(t.row(0), &[Some(5.0), Some(5.0), Some(6.0)]);
    assert_eq!(t.row(1), &[Some(2.0), Some(2.0), None]);
    assert_eq!(t.row(2), &[Some(3.0), None, None]);
}

#[test]
fn groups_in_first_appearance_order() {
    let text = "lob,origin,development,paid,note\n\
                motor,2001,2001,10,a\nhome,2001,2001,5,b\nmotor,2001,2002,15,c\nmotor,2002,2002,12,d\nhome,2001,2002,6,e\n";
    let opts = LongOptions { group_cols: vec!["lob".into()], ..LongOptions::default() };
    let data = read_long(text, &opts).unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0].group, vec![("lob".to_string(), "motor".to_string())]);
    assert_eq!(data[0].label(), "lob=motor");
    // The text column `note` is not a measure.
    assert_eq!(data[0].measures.len(), 1);
    assert_eq!(data[0].measures[0].1.latest(), vec![15.0, 12.0]);
    assert_eq!(data[1].measures[0].1.origins(), &["2001".to_string()]);
}

#[test]
fn coarser_grains_on_request() {
    let opts = LongOptions { grain: Some(Grain::Yearly), ..LongOptions::default() };
    let t = read_long(QUARTERLY, &opts).unwrap().remove(0).measures.remove(0).1;
    assert_eq!(t.development_grain(), Grain::Yearly);
    // Valued at 2006Q1: every development year ends at a first quarter, as
    // chainladder-python's `grain("OYDY")` has it, so the latest diagonal
    // is valued as every other one is.
    assert_eq!(t.ages(), (0..12).map(|k| 3 + 12 * k).collect::<Vec<u32>>().as_slice());
    let q = read_long(QUARTERLY, &LongOptions::default()).unwrap().remove(0).measures.remove(0).1;
    // Cumulative: a cell holds the value at the end of its year.
    assert_eq!(t.get(0, 0), q.get(0, 0));
    assert_eq!(t.get(0, 1), q.get(0, 4));
    assert_eq!(t.get(0, 11), q.get(0, 44));
    assert_eq!(t.get(11, 0), q.get(11, 0));
    assert_eq!(t.get(11, 1), None);
    // Valued at a year's end, the development years are calendar years.
    let text = "origin,development,paid\n2001,2001-03,1\n2001,2001-12,4\n2001,2002-06,6\n2001,2002-12,9\n2002,2002-09,2\n2002,2002-12,5\n";
    let t = read_long(text, &opts).unwrap().remove(0).measures.remove(0).1;
    assert_eq!(t.ages(), &[12, 24]);
    assert_eq!(t.latest(), vec![9.0, 5.0]);
    assert_eq!(t.get(0, 0), Some(4.0));
}

#[test]
fn wide_layout() {
    let text = "AY\t12\t24\t36\n1981\t5,012\t8,269\t10,907\n1982\t106\t4285\t\n1983\t3410\t\t\n";
    let t = read_wide(text, &WideOptions::default()).unwrap();
    assert_eq!(t.ages(), &[12, 24, 36]);
    assert_eq!(t.origin_grain(), Grain::Yearly);
    assert_eq!(t.development_grain(), Grain::Yearly);
    assert_eq!(t.latest(), vec![10907.0, 4285.0, 3410.0]);
    let q = read_wide("origin,3,6\n1995Q1,1,2\n1995Q2,3,\n", &WideOptions::default()).unwrap();
    assert_eq!(q.origins(), &["1995Q1".to_string(), "1995Q2".to_string()]);
    assert_eq!(q.development_grain(), Grain::Quarterly);
}

#[test]
fn premium_layouts() {
    let p = read_premium("origin,premium\n1995,100\n1996,\"1,200.5\"\n").unwrap();
    assert_eq!(p, vec![("1995".to_string(), 100.0), ("1996".to_string(), 1200.5)]);
    let p = read_premium("AY,EP\n1995,100\n1996,200\n").unwrap();
    assert_eq!(p[1], ("1996".to_string(), 200.0));
    let p = read_premium("origin,development,value\n1995,24,110\n1995,12,100\n").unwrap();
    assert_eq!(p, vec![("1995".to_string(), 110.0)]);
    let t = read_long(RAA, &LongOptions::default()).unwrap().remove(0).measures.remove(0).1;
    let e = err(align_premium(&p, &t));
    assert!(e.2.contains("origins 1981, 1982") && e.2.contains("1990"), "{e:?}");
}

#[test]
fn bad_input_names_row_column_and_value() {
    let o = LongOptions::default();
    let e = err(read_long("origin,development,paid\n1995,1995,12\n1995,1996,12x\n", &o));
    assert_eq!((e.0, e.1.as_deref()), (Some(3), Some("paid")));
    assert!(e.2.contains("`12x`"), "{e:?}");

    let e = err(read_long("origin,development,paid\n1995,1995,1\n1995,someday,2\n", &o));
    assert_eq!((e.0, e.1.as_deref()), (Some(3), Some("development")));
    assert!(e.2.contains("`someday`"), "{e:?}");

    let e = err(read_long("origin,development,paid\n1996,1995,1\n", &o));
    assert_eq!(e.0, Some(2));
    assert!(e.2.contains("before origin"), "{e:?}");

    let e = err(read_long("", &o));
    assert!(e.2.contains("empty"), "{e:?}");
    let e = err(read_long("origin,development,paid\n", &o));
    assert!(e.2.contains("no rows"), "{e:?}");
    let e = err(read_long("origin,development,name\n1995,1995,x\n", &o));
    assert!(e.2.contains("no column of numbers"), "{e:?}");
    let e = err(read_long("origin,dev,paid\n1995,1995,1\n", &o));
    assert_eq!(e.1.as_deref(), Some("development"));
    assert!(e.2.contains("`dev`"), "{e:?}");
    let e = err(read_long("origin,development,paid\n,1995,1\n", &o));
    assert_eq!((e.0, e.1.as_deref()), (Some(2), Some("origin")));
    let e = err(read_long("origin,development,paid\n1000,1000,1\n1000,9999,1\n9999,9999,1\n", &o));
    assert!(e.2.contains("1,000 × 1,000"), "{e:?}");
    let e = err(read_long("origin,development,paid\n1995,12,1\n1995,1995-01,1\n", &o));
    assert_eq!(e.0, Some(2));
    assert!(e.2.contains("mixes dates with whole numbers"), "{e:?}");

    let e = err(read_wide("origin,12,24\n", &WideOptions::default()));
    assert!(e.2.contains("no origins"), "{e:?}");
    let e = err(read_wide("origin,12,24\n1995,0,1\n1996,,\n", &WideOptions::default()));
    assert!(e.2.contains("first development age"), "{e:?}");
    let e = err(read_wide("origin,12,x\n1995,1,1\n", &WideOptions::default()));
    assert_eq!((e.0, e.1.as_deref()), (Some(1), Some("x")));
    let e = err(read_premium("origin,premium\n1995,abc\n"));
    assert_eq!((e.0, e.1.as_deref()), (Some(2), Some("premium")));
}

#[test]
fn an_empty_first_age_is_reported() {
    let t = read_long("origin,development,paid\n1995,1995,0\n1995,1996,5\n1996,1996,0\n", &LongOptions::default())
        .unwrap()
        .remove(0)
        .measures
        .remove(0)
        .1;
    let e = err(check_triangle("paid", &t));
    assert_eq!(e.1.as_deref(), Some("paid"));
    assert!(e.2.contains("only zeros"), "{e:?}");
}

/// A long file of `measures` numeric columns and `groups` companies, each
/// with origins `first..=last` and development to `last`: three rows each.
fn wide_columns_file(measures: usize, groups: usize, first: i32, last: i32) -> String {
    let mut text = String::from("company,origin,development");
    for m in 0..measures {
        text.push_str(&format!(",m{m}"));
    }
    text.push('\n');
    for g in 0..groups {
        for (o, d) in [(first, first), (first, last), (last, last)] {
            text.push_str(&format!("c{g},{o},{d}"));
            text.push_str(&",1".repeat(measures));
            text.push('\n');
        }
    }
    text
}

#[test]
fn an_import_is_bounded_as_a_whole() {
    // 300 numeric columns of 20 companies: each triangle is only 40 × 40,
    // but together they are 9.6 million cells.
    let text = wide_columns_file(300, 20, 1961, 2000);
    let opts = LongOptions { group_cols: vec!["company".into()], ..LongOptions::default() };
    let started = std::time::Instant::now();
    let e = err(read_long(&text, &opts));
    assert_eq!(
        e.2,
        "the file would make 9,600,000 cells of triangles (300 measures × 20 groups × 40 origins × 40 development ages); at most 5,000,000 cells are read from one file: choose fewer amount columns, or filter to fewer groups"
    );
    assert_eq!((e.0, e.1), (None, None));
    // The reviewer's case through the page's reader: two rows of 300
    // columns would make 300 triangles of 1,000 × 1,000 (4.8 GB); refused
    // before any is allocated.
    let text = wide_columns_file(300, 1, 1001, 2000);
    let preview = import::inspect(&text).unwrap();
    let mut mapping = preview.mapping.clone();
    mapping.value_cols = (0..300).map(|m| format!("m{m}")).collect();
    mapping.filters.clear();
    let e = err(read_mapped(&text, &mapping));
    assert_eq!(
        e.2,
        "the file would make 300,000,000 cells of triangles (300 measures × 1 group × 1,000 origins × 1,000 development ages); at most 5,000,000 cells are read from one file: choose fewer amount columns, or filter to fewer groups"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    // Groups of different shapes: the largest is named, "up to".
    let mut text = wide_columns_file(300, 20, 1961, 2000);
    text.push_str(&format!("small,2000,2000{}\n", ",1".repeat(300)));
    let e = err(read_long(&text, &opts));
    assert!(e.2.starts_with("the file would make 9,600,300 cells of triangles (300 measures × 21 groups × up to 40 origins × up to 40 development ages)"), "{}", e.2);
}

#[test]
fn the_cas_database_fits_the_budget() {
    // Shaped as the CAS loss reserve database: six lines of 130 companies,
    // 10 × 10 each, with its ten numeric columns: 780,000 cells.
    let mut text = String::from("GRCODE,GRNAME,AccidentYear,DevelopmentYear,DevelopmentLag,IncurLoss,CumPaidLoss,BulkLoss,EarnedPremDIR,EarnedPremCeded,EarnedPremNet,Single,PostedReserve97,LOB\n");
    for lob in ["comauto", "medmal", "othliab", "ppauto", "prodliab", "wkcomp"] {
        for co in 0..130 {
            for ay in 1988..1998 {
                for lag in 1..=10 {
                    let x = 100 * lag + co;
                    text.push_str(&format!(
                        "{co},Co{co},{ay},{},{lag},{x},{x},0,500,0,500,0,1000,{lob}\n",
                        ay + lag - 1
                    ));
                }
            }
        }
    }
    let opts = LongOptions {
        origin_col: "AccidentYear".into(),
        development_col: "DevelopmentYear".into(),
        group_cols: vec!["GRNAME".into(), "LOB".into()],
        ..LongOptions::default()
    };
    let data = read_long(&text, &opts).unwrap();
    assert_eq!(data.len(), 780);
    assert_eq!(data[0].measures.len(), 10);
    let paid = data[779].measure("CumPaidLoss").unwrap();
    assert_eq!((paid.n_origins(), paid.n_ages()), (10, 10));
    assert_eq!(paid.get(0, 9), Some(1129.0));
    // The 120 × 120 sample of two measures is far inside it too.
    const { assert!(2 * 120 * 120 < MAX_CELLS / 100) };
}
