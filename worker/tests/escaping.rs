//! A label is text wherever the worker writes it as markup: an origin
//! labelled, or a measure named, `<img src=x onerror=alert(1)>"'&` comes
//! out escaped in every exhibit that shows labels (the
//! emergence chart, the print exhibit, actual versus expected, the reserve
//! range), and the averages table, which shows none, stays markup of its
//! own. Each exhibit is also read tag by tag: only the elements and
//! attributes the exhibits write, every attribute value in quotes.

use runoff_engine::{reserve, Grain, Settings, Triangle};
use runoff_worker::exhibits::{self, Rendered, Wanted};
use runoff_worker::range::{RangeState, Run};

const HOSTILE: &str = "<img src=x onerror=alert(1)>\"'&";
const ESCAPED: &str = "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;";
/// An origin label the engine takes (a yearly origin starting in 1982)
/// that carries the hostile text.
const ORIGIN: &str = "1982-01<img src=x onerror=alert(1)>\"'&";
const ORIGIN_ESCAPED: &str = "1982-01&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;";

/// RAA (chainladder-python's sample) with its 1982 origin relabelled.
fn triangle() -> Triangle {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/data/raa.csv")).unwrap();
    let p = runoff_engine::input::inspect(&text).unwrap();
    let raa = runoff_engine::input::read_mapped(&text, &p.mapping).unwrap().measures.remove(0).1;
    let origins = raa.origins().iter().map(|o| if o == "1982" { ORIGIN.to_string() } else { o.clone() }).collect();
    let rows = (0..raa.n_origins()).map(|i| raa.row(i).to_vec()).collect();
    Triangle::new(origins, raa.ages().to_vec(), Grain::Yearly, Grain::Yearly, rows).unwrap()
}

/// Every exhibit of the recalculation worker, the print exhibit headed by
/// the hostile measure.
fn rendered() -> Rendered {
    let t = triangle();
    assert!(t.origins().iter().any(|o| o == ORIGIN));
    let mut s = Settings::default();
    // A judgement naming the label, so that a warning may quote it.
    s.drop_origins.push(HOSTILE.into());
    let r = reserve(&t, None, &s).unwrap();
    let wanted = Wanted {
        chart: true,
        print: Some(HOSTILE.into()),
        ave_from: Some(t.valuation_month_max() - 12),
        ave_at: None,
        averages: true,
    };
    exhibits::render(&t, &s, &r, &wanted)
}

const ELEMENTS: [&str; 33] = [
    "abbr",
    "button",
    "caption",
    "clipPath",
    "defs",
    "desc",
    "details",
    "div",
    "figcaption",
    "figure",
    "g",
    "h2",
    "h3",
    "input",
    "li",
    "line",
    "p",
    "polyline",
    "rect",
    "section",
    "span",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "text",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Reads `m` tag by tag: every element is one the exhibits write, no
/// attribute is an event handler or a source, every attribute value is in
/// double quotes and holds no `<`, and every `&` starts an entity.
fn well_formed(what: &str, m: &str) {
    let fail = |at: usize, why: &str| -> ! {
        panic!("{what}: {why} at {at}: {}", &m[at.saturating_sub(60)..(at + 60).min(m.len())])
    };
    let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
    let b = m.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'&' if !entities.iter().any(|e| m[i..].starts_with(e)) => fail(i, "a bare &"),
            b'>' => fail(i, "a > outside a tag"),
            b'<' => {
                i += 1;
                if b.get(i) == Some(&b'/') {
                    i += 1;
                }
                let name_end = m[i..].find(|c: char| !c.is_ascii_alphanumeric()).map_or(b.len(), |k| i + k);
                let name = &m[i..name_end];
                if !ELEMENTS.contains(&name) {
                    fail(i, &format!("element <{name}>"));
                }
                i = name_end;
                loop {
                    while b.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    match b.get(i) {
                        Some(b'>') => break,
                        Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                            i += 1;
                            break;
                        }
                        None => fail(i, "an unclosed tag"),
                        _ => {}
                    }
                    let attr_end = m[i..]
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
                        .map_or(b.len(), |k| i + k);
                    let attr = &m[i..attr_end].to_ascii_lowercase();
                    if attr.is_empty() || attr.starts_with("on") || attr == "src" || attr == "href" {
                        fail(i, &format!("attribute `{attr}`"));
                    }
                    i = attr_end;
                    if b.get(i) == Some(&b'=') {
                        if b.get(i + 1) != Some(&b'"') {
                            fail(i, "an attribute value not in quotes");
                        }
                        let close = m[i + 2..].find('"').map_or_else(|| fail(i, "an unclosed value"), |k| i + 2 + k);
                        let value = &m[i + 2..close];
                        if value.contains('<') {
                            fail(i, "a < in an attribute value");
                        }
                        if let Some(k) =
                            value.find('&').filter(|&k| !entities.iter().any(|e| value[k..].starts_with(e)))
                        {
                            fail(i + 2 + k, "a bare & in an attribute value");
                        }
                        i = close + 1;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The hostile text is nowhere as markup, and the exhibit is well formed.
fn safe(what: &str, m: &str) {
    assert!(!m.contains("<img") && !m.contains(HOSTILE), "{what}: {m}");
    well_formed(what, m);
}

#[test]
fn the_chart_escapes_origins_in_its_titles_and_legend() {
    let m = rendered().chart.unwrap();
    safe("chart", &m);
    assert!(m.contains(&format!("<title>{ORIGIN_ESCAPED}</title></polyline>")), "{m}");
    assert!(m.contains(&format!("aria-hidden=\"true\"></span>{ORIGIN_ESCAPED}</li>")), "{m}");
}

#[test]
fn the_print_exhibit_escapes_origins_and_the_measure() {
    let m = rendered().print.unwrap();
    safe("print", &m);
    assert!(m.contains(&format!("<caption>{ESCAPED}: cumulative values</caption>")), "{m}");
    // The triangle and the factors have origins across, the projection down.
    assert_eq!(m.matches(&format!("<th>{ORIGIN_ESCAPED}</th>")).count(), 3, "{m}");
}

#[test]
fn the_averages_table_stays_its_own_markup() {
    let r = rendered();
    let m = r.averages.unwrap().markup();
    safe("averages", &m);
    assert!(m.contains("aria-label=\"Default 12-24\""), "{m}");
}

#[test]
fn actual_versus_expected_escapes_origins_in_tables_and_bars() {
    let m = rendered().ave.unwrap();
    safe("ave", &m);
    // From a year before the latest valuation, and on the latest diagonal.
    assert_eq!(m.matches(&format!("<th scope=\"row\">{ORIGIN_ESCAPED}</th>")).count(), 2, "{m}");
    assert!(m.contains(&format!("<title>{ORIGIN_ESCAPED}: expected ")), "{m}");
    assert!(m.contains(&format!("text-anchor=\"middle\">{ORIGIN_ESCAPED}</text>")), "{m}");
}

#[test]
fn an_alert_in_place_of_actual_versus_expected_is_text() {
    let t = triangle();
    let s = Settings::default();
    let r = reserve(&t, None, &s).unwrap();
    // The latest valuation has nothing after it: the engine says why.
    let wanted = Wanted { ave_from: Some(t.valuation_month_max()), ..Wanted::default() };
    let m = exhibits::render(&t, &s, &r, &wanted).ave.unwrap();
    safe("ave alert", &m);
    assert!(m.starts_with("<div class=\"alert\" role=\"alert\">triangle: 1990 is not a valuation"), "{m}");
}

#[test]
fn the_reserve_range_escapes_origins_and_the_measure() {
    let t = triangle();
    let s = Settings { bootstrap_sims: 200, bootstrap_seed: 3, ..Settings::default() };
    let mut run = Run::start(1, &t, &s, HOSTILE.into()).unwrap();
    let m = loop {
        match run.step(1_000).state {
            RangeState::Running => continue,
            RangeState::Done { markup, .. } => break markup,
            other => panic!("{other:?}"),
        }
    };
    safe("range", &m);
    assert!(m.contains(&format!("<caption>IBNR of {ESCAPED} from 200 simulations")), "{m}");
    assert!(m.contains(&format!("<tr><th scope=\"row\">{ORIGIN_ESCAPED}</th><td>")), "{m}");
}

/// The check itself finds what it looks for.
#[test]
fn the_check_finds_markup_in_text_and_attributes() {
    for bad in [
        "<p>a <img src=x></p>",
        "<p>1 > 0</p>",
        "<p>a & b</p>",
        "<td data-x=\"a\" onerror=\"b\"></td>",
        "<td data-x=a></td>",
        "<td title=\"<b>\"></td>",
    ] {
        assert!(std::panic::catch_unwind(|| well_formed("bad", bad)).is_err(), "{bad}");
    }
    well_formed("good", "<p class=\"x\">a &amp; b &lt;c&gt;</p><svg><rect x=\"1\"/></svg>");
}
