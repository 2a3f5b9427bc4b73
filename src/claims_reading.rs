//! Reading a file of claims in the worker, as a hook for the import panel:
//! the worker's proposal of how to read it (`Job::Inspect`), then what it
//! reads as with the mapping the user settles on (`Job::Read`, again at
//! each change).
//!
//! Reading a large file takes the worker seconds, so while it works the
//! hook says how far it is (the worker's messages on
//! [`runoff_worker::PROGRESS_CHANNEL`]), can cancel, and, when the worker
//! says nothing for [`UNANSWERED_MS`], says it stopped answering and can
//! try again. Cancelling or giving up drops the answer when it comes; the
//! rest of the page is never held by an import.

use crate::agent::use_agent;
use crate::browser::channel::Channel;
use crate::browser::files::{Claims, Content};
use crate::format;
use gloo::timers::callback::Timeout;
use runoff_engine::input::{Imported, Mapping, Preview};
use runoff_worker::{Answer, Job, Source};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// How long the panel waits for a word from the worker (a progress message
/// or the answer) before it says the worker stopped answering: a large
/// file's every phase takes a few seconds, and the worker speaks between
/// phases and every half megabyte read.
pub const UNANSWERED_MS: u32 = 30_000;

/// How far the worker is with the file, from its last message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// Asked, nothing heard yet.
    Asked,
    /// Bytes read of the file's size (0 when unknown).
    Reading(f64, f64),
    Parsing,
    Building,
}

impl Progress {
    /// A worker's message about the file at `url`, if it is one.
    pub fn from_message(url: &str, text: &str) -> Option<Progress> {
        let mut parts = text.split('\t');
        if parts.next() != Some(url) {
            return None;
        }
        // Whole bytes: parsed as integers, since a float parser is kilobytes
        // of the page's WebAssembly.
        let number = |p: Option<&str>| p.and_then(|x| x.parse::<u64>().ok()).unwrap_or(0) as f64;
        match parts.next()? {
            runoff_worker::READING => Some(Progress::Reading(number(parts.next()), number(parts.next()))),
            runoff_worker::PARSING => Some(Progress::Parsing),
            runoff_worker::BUILDING => Some(Progress::Building),
            _ => None,
        }
    }

    /// What the panel says, and the share done (for the progress bar) when
    /// it is known.
    pub fn describe(self) -> (String, Option<f64>) {
        let mb = |b: f64| format::fixed(b / 1_048_576.0, 1);
        match self {
            Progress::Asked => ("Reading the file…".into(), None),
            Progress::Reading(done, total) if total > 0.0 => {
                let share = (done / total).clamp(0.0, 1.0);
                (format!("Reading the file: {} of {} MB", mb(done), mb(total)), Some(share))
            }
            Progress::Reading(done, _) => (format!("Reading the file: {} MB", mb(done)), None),
            Progress::Parsing => ("Reading the rows…".into(), None),
            Progress::Building => ("Building the triangles…".into(), None),
        }
    }
}

/// Why the panel stopped waiting for the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Cancelled,
    Unanswered,
}

/// The job whose answer the panel waits for: answers and messages of any
/// other (an earlier mapping's, a cancelled one's) are dropped.
#[derive(Default)]
struct Watch {
    live: u64,
    busy: bool,
    timer: Option<Timeout>,
}

/// The panel's waiting on the worker, shared by its effects and buttons.
#[derive(Clone)]
struct Waiting {
    watch: Rc<RefCell<Watch>>,
    progress: UseStateHandle<Option<Progress>>,
    stopped: UseStateHandle<Option<Stop>>,
}

impl Waiting {
    /// A job starts: its number, with the clock of silence running.
    fn begin(&self) -> u64 {
        let n = {
            let mut w = self.watch.borrow_mut();
            w.live += 1;
            w.busy = true;
            w.live
        };
        self.stopped.set(None);
        self.progress.set(Some(Progress::Asked));
        self.arm(n);
        n
    }

    /// Restarts the clock of silence for job `n`.
    fn arm(&self, n: u64) {
        let (watch, stopped, progress) = (self.watch.clone(), self.stopped.clone(), self.progress.clone());
        let timer = Timeout::new(UNANSWERED_MS, move || {
            let mut w = watch.borrow_mut();
            if w.live == n && w.busy {
                w.live += 1;
                w.busy = false;
                drop(w);
                progress.set(None);
                stopped.set(Some(Stop::Unanswered));
            }
        });
        self.watch.borrow_mut().timer = Some(timer);
    }

    /// A word from the worker on the job under way.
    fn heard(&self, p: Progress) {
        let (busy, n) = {
            let w = self.watch.borrow();
            (w.busy, w.live)
        };
        if busy {
            self.progress.set(Some(p));
            self.arm(n);
        }
    }

    /// The answer to job `n` came: whether it is still wanted.
    fn answered(&self, n: u64) -> bool {
        let mut w = self.watch.borrow_mut();
        if w.live != n || !w.busy {
            return false;
        }
        w.busy = false;
        w.timer = None;
        drop(w);
        self.progress.set(None);
        true
    }

    /// The user stops the job under way (or the panel goes): its answer
    /// will be dropped.
    fn give_up(&self) -> bool {
        let mut w = self.watch.borrow_mut();
        let was = w.busy;
        w.live += 1;
        w.busy = false;
        w.timer = None;
        was
    }
}

/// The object URL of a chosen file: what the worker's messages name.
fn url_of(upload: &Claims) -> Option<String> {
    match (&upload.content, upload.source()) {
        (Content::File(_), Source::Url(u)) => Some(u),
        _ => None,
    }
}

/// The reading of a file, as the panel shows it.
pub struct ClaimsReading {
    /// The worker's proposal, with the file's first rows.
    pub preview: Option<Result<Rc<Preview>, String>>,
    /// The mapping the file is read with.
    pub mapping: Option<Mapping>,
    /// What the file reads as with it.
    pub read: Option<Result<Rc<Imported>, String>>,
    /// How far the worker is, while it works.
    pub progress: Option<Progress>,
    /// Why the panel stopped waiting, if it did.
    pub stopped: Option<Stop>,
    /// Reads the file with another mapping.
    pub set_mapping: Callback<Mapping>,
    /// Cancels the reading under way.
    pub cancel: Callback<()>,
    /// Tries the step that stopped again.
    pub retry: Callback<()>,
}

/// Reads `upload` in the worker: its preview at once, and what it reads as
/// with each mapping set.
#[hook]
pub fn use_claims_reading(upload: &Claims) -> ClaimsReading {
    let agent = use_agent();
    let preview = use_state(|| None::<Result<Rc<Preview>, String>>);
    let mapping = use_state(|| None::<Mapping>);
    let read = use_state(|| None::<Result<Rc<Imported>, String>>);
    // Try again: the attempts at the preview and at the reading.
    let attempt = use_state(|| (0u32, 0u32));
    let waiting = Waiting {
        watch: use_mut_ref(Watch::default),
        progress: use_state(|| None::<Progress>),
        stopped: use_state(|| None::<Stop>),
    };
    let channel = use_mut_ref(|| None::<Channel>);

    {
        // The worker's word on this file, and the channel to cancel on.
        let (waiting, channel) = (waiting.clone(), channel.clone());
        use_effect_with(upload.clone(), move |upload| {
            if let Some(url) = url_of(upload) {
                if let Ok(mut c) = Channel::open(runoff_worker::PROGRESS_CHANNEL) {
                    let waiting = waiting.clone();
                    c.on_message(move |text| {
                        if let Some(p) = Progress::from_message(&url, &text) {
                            waiting.heard(p);
                        }
                    });
                    *channel.borrow_mut() = Some(c);
                }
            }
            move || {
                waiting.give_up();
                *channel.borrow_mut() = None;
            }
        });
    }
    {
        let (agent, preview, mapping, read, waiting) =
            (agent.clone(), preview.clone(), mapping.clone(), read.clone(), waiting.clone());
        use_effect_with((upload.clone(), attempt.0), move |(upload, _)| {
            let source = upload.source();
            preview.set(None);
            read.set(None);
            let n = waiting.begin();
            spawn_local(async move {
                let answer = agent.run(Job::Inspect(source)).await;
                if !waiting.answered(n) {
                    return;
                }
                match answer {
                    Answer::Preview(p) => {
                        mapping.set(Some(p.mapping.clone()));
                        preview.set(Some(Ok(Rc::new(p))));
                    }
                    Answer::Failed(e) => preview.set(Some(Err(e))),
                    other => preview.set(Some(Err(other.unexpected()))),
                }
            });
        });
    }
    {
        let (agent, read, waiting, upload) = (agent.clone(), read.clone(), waiting.clone(), upload.clone());
        use_effect_with(((*mapping).clone(), attempt.1), move |(m, _)| {
            if let Some(m) = m.clone() {
                read.set(None);
                // Answers can come back out of order when the mapping
                // changes quickly: only the last job's is taken.
                let n = waiting.begin();
                spawn_local(async move {
                    let answer = agent.run(Job::Read { source: upload.source(), mapping: m }).await;
                    if !waiting.answered(n) {
                        return;
                    }
                    read.set(Some(match answer {
                        Answer::Imported(i) => Ok(Rc::new(i)),
                        Answer::Failed(e) => Err(e),
                        other => Err(other.unexpected()),
                    }));
                });
            }
        });
    }

    let set_mapping = {
        let mapping = mapping.clone();
        Callback::from(move |m: Mapping| mapping.set(Some(m)))
    };
    let cancel = {
        let (waiting, channel, url) = (waiting.clone(), channel.clone(), url_of(upload));
        Callback::from(move |()| {
            if waiting.give_up() {
                // The worker stops reading at its next chunk; an answer it
                // sends all the same is dropped.
                if let (Some(c), Some(url)) = (channel.borrow().as_ref(), &url) {
                    let _ = c.post(&format!("{url}\t{}", runoff_worker::CANCEL));
                }
                waiting.progress.set(None);
                waiting.stopped.set(Some(Stop::Cancelled));
            }
        })
    };
    let retry = {
        let (attempt, preview) = (attempt.clone(), preview.clone());
        Callback::from(move |()| {
            let (a, b) = *attempt;
            attempt.set(if preview.is_none() { (a + 1, b) } else { (a, b + 1) });
        })
    };
    ClaimsReading {
        preview: (*preview).clone(),
        mapping: (*mapping).clone(),
        read: (*read).clone(),
        progress: *waiting.progress,
        stopped: *waiting.stopped,
        set_mapping,
        cancel,
        retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workers_word_on_a_file() {
        let url = "blob:http://localhost/1";
        assert_eq!(
            Progress::from_message(url, "blob:http://localhost/1\treading\t1048576\t4194304"),
            Some(Progress::Reading(1_048_576.0, 4_194_304.0))
        );
        assert_eq!(Progress::from_message(url, "blob:http://localhost/1\tbuilding"), Some(Progress::Building));
        // Another file's, a cancel, or noise: not this file's progress.
        assert_eq!(Progress::from_message(url, "blob:http://localhost/2\tparsing"), None);
        assert_eq!(Progress::from_message(url, "blob:http://localhost/1\tcancel"), None);
        assert_eq!(Progress::from_message(url, "anything"), None);
        assert_eq!(
            Progress::Reading(1_048_576.0, 4_194_304.0).describe(),
            ("Reading the file: 1.0 of 4.0 MB".to_string(), Some(0.25))
        );
        assert_eq!(Progress::Reading(2_621_440.0, 0.0).describe().0, "Reading the file: 2.5 MB");
        assert_eq!(Progress::Parsing.describe(), ("Reading the rows…".to_string(), None));
    }
}
