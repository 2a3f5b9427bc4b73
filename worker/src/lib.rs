//! The recalculation worker's agent and its messages.
//!
//! Everything the page asks of the engine runs here, in a dedicated
//! WebAssembly worker, so that the page never stalls however large the
//! triangle or the file: recalculations, and reading users' files and
//! session files. The agent is a thin shell: it hands each [`Job`] to the
//! engine and returns what the engine says, errors included, as data (a
//! panic here would silently kill the worker).
//!
//! Every recalculation carries a sequence number that its answer repeats,
//! so that the page can drop an answer older than the one it already
//! shows. A triangle travels once: later requests name it by its
//! fingerprint ([`Shipped`]), and the worker keeps the last few it was sent;
//! so do the settings' long lists ([`lists`]).

mod cache;
pub mod codec;
pub mod derived;
pub mod envelope;
pub mod exhibits;
mod files;
pub mod format;
pub mod lists;
pub mod markup;
pub mod range;
pub mod reply;
pub mod sessions;

pub use codec::Binary;
pub use envelope::{FAILED, READY};
pub use files::{BUILDING, CANCEL, CANCELLED, PARSING, PROGRESS_CHANNEL, READING};
pub use lists::ShippedSettings;
pub use reply::Reply;

use exhibits::{Rendered, Wanted};
use runoff_engine::input::{self, Imported, Mapping, Preview};
use runoff_engine::{export, reserve, reserve_listing, Reserve, Settings, Triangle};
use serde::{Deserialize, Serialize};
use yew_agent::prelude::oneshot;

/// A triangle in a request: its key always, its cells when the worker may
/// not have them yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shipped {
    /// [`Triangle::fingerprint`], cut to 53 bits so that it travels as a
    /// JavaScript number.
    pub key: u64,
    pub triangle: Option<Triangle>,
}

impl Shipped {
    /// The key a triangle travels under.
    pub fn key_of(t: &Triangle) -> u64 {
        t.fingerprint() & ((1 << 53) - 1)
    }

    /// The triangle with its cells.
    pub fn full(t: &Triangle) -> Shipped {
        Shipped { key: Shipped::key_of(t), triangle: Some(t.clone()) }
    }

    /// The triangle by its key only.
    pub fn by_key(t: &Triangle) -> Shipped {
        Shipped { key: Shipped::key_of(t), triangle: None }
    }
}

/// One recalculation asked of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecalcRequest {
    /// Increases with every request a page sends.
    pub seq: u64,
    pub triangle: Shipped,
    /// Premium per origin of the triangle, when the segment has it.
    pub premium: Option<Vec<f64>>,
    pub settings: ShippedSettings,
    /// The exhibits the page shows with these results.
    pub exhibits: Wanted,
    /// Where to post the answer as soon as it is written ([`reply`]).
    pub reply: Option<Reply>,
}

/// The worker's answer to the recalculation numbered `seq`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecalcResponse {
    pub seq: u64,
    /// The results, or (in `error`) the engine's message saying what is
    /// wrong. Options rather than a `Result`: the page's decoder of a
    /// `Result` of each type was a tenth of its WebAssembly.
    pub reserve: Option<Reserve>,
    pub error: Option<String>,
    /// The exhibits asked for, as markup.
    pub exhibits: Rendered,
}

/// Where a file's text is: in the message (pasted text, a small file), or
/// at an object URL of the file the user chose, which the worker reads
/// itself, so that the page's thread never holds a large file's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Source {
    Text(String),
    Url(String),
}

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    Recalc(RecalcRequest),
    /// Look at a file of claims and propose how to read it.
    Inspect(Source),
    /// Read a file of claims with the mapping the user confirmed.
    Read {
        source: Source,
        mapping: Mapping,
    },
    /// Read a premium file, per origin of the triangle, and by development
    /// when the file is long.
    Premium {
        text: String,
        triangle: Shipped,
    },
    /// The results of a recalculation as CSV, to download.
    ResultsCsv(RecalcRequest),
}

/// The worker's answer to a [`Job`], variant for variant; every error is
/// [`Answer::Failed`] with the engine's message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Recalc(Box<RecalcResponse>),
    /// The worker does not have the triangle the request named: send its
    /// cells again.
    NeedTriangle {
        key: u64,
    },
    /// The worker does not have a list of the settings the request named
    /// ([`lists`]): send the lists again.
    NeedList {
        key: u64,
    },
    /// The answer to the question numbered `id` was posted on the page's
    /// reply channel ([`reply`]).
    Posted {
        id: u64,
    },
    Preview(Preview),
    Imported(Imported),
    /// Premium per origin, and by development on the triangle's grains
    /// when the file has a development column ([`derived`]).
    Premium(Vec<f64>, Option<Triangle>),
    Text(String),
    /// What went wrong, in words for the user.
    Failed(String),
}

impl Answer {
    /// What a caller says of an answer of another kind than it asked for
    /// (which would be a programming error): the kind, not the contents, so
    /// that the page carries no formatting code for every type in them.
    pub fn unexpected(&self) -> String {
        let kind = match self {
            Answer::Recalc(_) => "a recalculation",
            Answer::NeedTriangle { .. } => "a request for a triangle",
            Answer::NeedList { .. } => "a request for the settings' lists",
            Answer::Posted { .. } => "an answer posted elsewhere",
            Answer::Preview(_) => "a preview",
            Answer::Imported(_) => "an import",
            Answer::Premium(..) => "premium",
            Answer::Text(_) => "a text",
            Answer::Failed(_) => "a failure",
        };
        format!("the worker answered with {kind}, which the page did not ask for")
    }
}

/// How the sample segments' claims file is read ([`Mapping::sample`]).
pub fn sample_mapping(grain: Option<runoff_engine::Grain>) -> Mapping {
    Mapping::sample(grain)
}

/// Runs one job through the engine. Plain Rust, so tests call it natively.
pub fn run(job: Job) -> Answer {
    let failed = |e: runoff_engine::EngineError| Answer::Failed(e.to_string());
    match job {
        Job::Recalc(req) => {
            let RecalcRequest { seq, triangle, premium, settings, exhibits, reply: _ } = req;
            match (cache::triangle(triangle), settings.settings()) {
                (Ok(t), Ok(settings)) => Answer::Recalc(Box::new(recalculate(&t, seq, premium, &settings, &exhibits))),
                (Err(key), _) => Answer::NeedTriangle { key },
                (_, Err(key)) => Answer::NeedList { key },
            }
        }
        Job::Inspect(Source::Text(text)) => input::inspect(&text).map_or_else(failed, Answer::Preview),
        Job::Read { source: Source::Text(text), mapping } => {
            input::read_mapped(&text, &mapping).map_or_else(failed, Answer::Imported)
        }
        Job::Inspect(Source::Url(_)) | Job::Read { source: Source::Url(_), .. } => {
            Answer::Failed("the file was not read (it is read where the worker runs)".into())
        }
        Job::Premium { text, triangle } => match cache::triangle(triangle) {
            Ok(t) => input::read_premium(&text)
                .and_then(|p| input::align_premium(&p, &t))
                .map_or_else(failed, |p| Answer::Premium(p, derived::premium_by_development(&text, &t))),
            Err(key) => Answer::NeedTriangle { key },
        },
        Job::ResultsCsv(req) => match (cache::triangle(req.triangle), req.settings.settings()) {
            (Ok(t), Ok(settings)) => reserve(&t, req.premium.as_deref(), &settings).map_or_else(failed, |r| {
                // The results, then the factors with how each was chosen.
                let factors = export::factors_csv(&r, t.ages(), &settings);
                Answer::Text(export::results_csv(&r, &[], true) + "\n" + &factors)
            }),
            (Err(key), _) => Answer::NeedTriangle { key },
            (_, Err(key)) => Answer::NeedList { key },
        },
    }
}

/// The most warnings a recalculation's answer carries. A session may name
/// thousands of origins, ages or diagonals the triangle does not have, each
/// a warning; the page lists them on every click, so past this many they
/// are counted, not listed nor written (the command line lists them all).
pub const MAX_WARNINGS: usize = 20;

fn recalculate(
    t: &Triangle,
    seq: u64,
    premium: Option<Vec<f64>>,
    settings: &Settings,
    wanted: &Wanted,
) -> RecalcResponse {
    let mut out = RecalcResponse { seq, reserve: None, error: None, exhibits: Rendered::default() };
    match reserve_listing(t, premium.as_deref(), settings, MAX_WARNINGS) {
        Ok(r) => {
            out.exhibits = exhibits::render(t, settings, &r, wanted);
            out.reserve = Some(r);
        }
        Err(e) => out.error = Some(e.to_string()),
    }
    out
}

/// The agent registered in the worker and spawned by the page: a file the
/// job names by URL is read first.
#[oneshot]
pub async fn Worker(job: Job) -> Answer {
    let job = match job {
        Job::Inspect(Source::Url(url)) => match files::text(&url).await {
            Ok(text) => {
                files::progress(&url, files::PARSING, 0, 0);
                Job::Inspect(Source::Text(text))
            }
            Err(e) => return Answer::Failed(e),
        },
        Job::Read { source: Source::Url(url), mapping } => match files::text(&url).await {
            // The page is told when the rows are parsed and when the
            // triangles are made, so that a large file shows progress.
            Ok(text) => {
                files::progress(&url, files::PARSING, 0, 0);
                let mut building = || files::progress(&url, files::BUILDING, 0, 0);
                return input::read_mapped_reporting(&text, &mapping, &mut building)
                    .map_or_else(|e| Answer::Failed(e.to_string()), Answer::Imported);
            }
            Err(e) => return Answer::Failed(e),
        },
        other => other,
    };
    let reply = match &job {
        Job::Recalc(r) => r.reply.clone(),
        _ => None,
    };
    match (reply, run(job)) {
        (Some(reply), answer @ Answer::Recalc(_)) => reply::post(&reply, answer),
        (_, answer) => answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::Grain;

    fn triangle() -> Triangle {
        Triangle::new(
            vec!["2000".into(), "2001".into()],
            vec![12, 24],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(100.0), Some(150.0)], vec![Some(110.0), None]],
        )
        .unwrap()
    }

    fn request(seq: u64, triangle: Shipped, premium: Option<Vec<f64>>) -> Job {
        Job::Recalc(RecalcRequest {
            seq,
            triangle,
            premium,
            settings: ShippedSettings::full(Settings::default()),
            exhibits: Wanted::default(),
            reply: None,
        })
    }

    fn recalc(answer: Answer) -> RecalcResponse {
        match answer {
            Answer::Recalc(r) => *r,
            other => panic!("expected a recalculation, got {other:?}"),
        }
    }

    #[test]
    fn answers_carry_the_request_number_and_errors_as_text() {
        let t = triangle();
        let ok = recalc(run(request(7, Shipped::full(&t), None)));
        assert_eq!(ok.seq, 7);
        assert_eq!(ok.reserve.unwrap().methods.chainladder.total_ibnr, 55.0);
        let bad = recalc(run(request(8, Shipped::by_key(&t), Some(vec![1.0]))));
        assert_eq!(bad.seq, 8);
        assert!(bad.reserve.is_none());
        assert!(bad.error.unwrap().contains("premium"));
    }

    #[test]
    fn a_triangle_travels_once_and_an_unknown_one_is_asked_for() {
        let t = triangle();
        let mut other = triangle();
        other = Triangle::new(
            other.origins().to_vec(),
            vec![12, 24],
            Grain::Yearly,
            Grain::Yearly,
            vec![vec![Some(1.0), Some(2.0)], vec![Some(1.0), None]],
        )
        .unwrap();
        assert_eq!(
            run(request(1, Shipped::by_key(&other), None)),
            Answer::NeedTriangle { key: Shipped::key_of(&other) }
        );
        recalc(run(request(2, Shipped::full(&other), None)));
        let again = recalc(run(request(3, Shipped::by_key(&other), None)));
        assert_eq!(again.reserve.unwrap().methods.chainladder.total_ibnr, 1.0);
        assert!(Shipped::key_of(&t) < 1 << 53);
    }

    #[test]
    fn actual_versus_expected_comes_with_the_results() {
        let t = triangle();
        let job = Job::Recalc(RecalcRequest {
            seq: 1,
            triangle: Shipped::full(&t),
            premium: None,
            settings: ShippedSettings::full(Settings::default()),
            exhibits: Wanted {
                chart: true,
                print: Some("paid".into()),
                ave_from: Some(2000 * 12 + 11),
                ave_at: None,
                averages: true,
            },
            reply: None,
        });
        let e = recalc(run(job)).exhibits;
        // 2000 from 100 at 12 months: 50 expected (factor 1.5), 50 emerged.
        assert!(e.ave.unwrap().contains("expected 50.00 to emerge; 50.00 did"));
        assert!(e.chart.unwrap().contains("<svg"));
        assert!(e.print.unwrap().contains("paid: cumulative values"));
        assert!(e.averages.unwrap().markup().contains("aria-label=\"Typed factor 12-24\""));
    }

    /// A session at its limits names every single ratio it may of origins
    /// the triangle does not have: the answer lists the first warnings and
    /// counts the rest.
    #[test]
    fn thousands_of_warnings_are_counted_not_listed() {
        let t = triangle();
        let settings = Settings {
            drops: (0..runoff_engine::session::MAX_DROPS)
                .map(|k| runoff_engine::session::CellDrop { origin: format!("x{k}"), age: 12 })
                .collect(),
            ..Settings::default()
        };
        let job = Job::Recalc(RecalcRequest {
            seq: 1,
            triangle: Shipped::full(&t),
            premium: None,
            settings: ShippedSettings::full(settings.clone()),
            exhibits: Wanted::default(),
            reply: None,
        });
        let all = reserve(&t, None, &settings).unwrap().warnings.len();
        assert!(all >= runoff_engine::session::MAX_DROPS, "{all}");
        let w = recalc(run(job)).reserve.unwrap().warnings;
        assert_eq!(w.len(), MAX_WARNINGS);
        assert!(w[0].contains("x0"), "{}", w[0]);
        let more = all - (MAX_WARNINGS - 1);
        assert_eq!(w[MAX_WARNINGS - 1], format!("and {more} more warnings of judgements the triangle has nothing for"));
    }

    #[test]
    fn messages_cross_as_bytes_with_missing_figures_kept() {
        let t = triangle();
        let Answer::Recalc(mut r) = run(request(1, Shipped::full(&t), None)) else { panic!() };
        if let Some(res) = r.reserve.as_mut() {
            res.sigma = vec![f64::NAN];
        }
        let answer = Answer::Recalc(r);
        let back: Answer = codec::from_bytes(&codec::to_bytes(&answer).unwrap()).unwrap();
        let Answer::Recalc(b) = back.clone() else { panic!() };
        assert!(b.reserve.as_ref().unwrap().sigma[0].is_nan());
        assert_eq!(
            b.reserve.unwrap().methods,
            match &answer {
                Answer::Recalc(a) => a.reserve.clone().unwrap().methods,
                _ => unreachable!(),
            }
        );
        let job = Job::Read {
            source: Source::Text("a".into()),
            mapping: runoff_engine::input::inspect("origin,development,v\n1,1,1\n").unwrap().mapping,
        };
        assert_eq!(codec::from_bytes::<Job>(&codec::to_bytes(&job).unwrap()).unwrap(), job);
        assert!(codec::from_bytes::<Answer>(&[255, 1, 2]).is_err());
    }

    #[test]
    fn files_sessions_and_exports() {
        let text = "origin,development,paid\n2000,2000,100\n2000,2001,150\n2001,2001,110\n";
        let Answer::Preview(p) = run(Job::Inspect(Source::Text(text.into()))) else { panic!() };
        let Answer::Imported(i) = run(Job::Read { source: Source::Text(text.into()), mapping: p.mapping }) else {
            panic!()
        };
        assert_eq!(i.measures[0].1, triangle());
        let Answer::Failed(e) = run(Job::Inspect(Source::Text("".into()))) else { panic!() };
        assert!(e.contains("empty"), "{e}");

        let t = triangle();
        let premium =
            run(Job::Premium { text: "origin,premium\n2000,200\n2001,220\n".into(), triangle: Shipped::full(&t) });
        assert_eq!(premium, Answer::Premium(vec![200.0, 220.0], None));
        let Answer::Failed(e) =
            run(Job::Premium { text: "origin,premium\n2000,200\n".into(), triangle: Shipped::by_key(&t) })
        else {
            panic!()
        };
        assert!(e.contains("2001"), "{e}");

        let csv = run(Job::ResultsCsv(RecalcRequest {
            seq: 0,
            triangle: Shipped::by_key(&t),
            premium: None,
            settings: ShippedSettings::full(Settings::default()),
            exhibits: Wanted::default(),
            reply: None,
        }));
        let Answer::Text(csv) = csv else { panic!("{csv:?}") };
        let (results, factors) = csv.split_once("\n\n").unwrap();
        assert!(results.lines().last().unwrap().starts_with("Total,260,,315,"), "{csv}");
        assert_eq!(factors, "development,ldf,cdf,basis\n12-24,1.5,1.5,\"volume, all\"\n", "{csv}");
    }
}
