//! The page's end of the recalculation worker's reply channel
//! ([`runoff_worker::reply`]): the figures a click waits for come on a
//! `BroadcastChannel` that only this page listens on, because Chromium
//! hands a worker's `postMessage` to the page only after the frame that
//! follows the click, some 10 ms later, and a channel's message at once.
//!
//! Each question gets a number; its answer is whichever comes first, the
//! channel's copy or the agent's own answer (an error, or the answer itself
//! where the worker could not post it). Where the agent says it posted the
//! answer and the channel's copy has not come within [`POSTED_GRACE_MS`],
//! the question is asked again without the channel.

use crate::browser::channel::Channel;
use futures::channel::oneshot;
use runoff_worker::codec::from_bytes;
use runoff_worker::{Answer, Reply};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// How long an answer the worker says it posted may take to come.
pub const POSTED_GRACE_MS: u32 = 200;

/// The largest message read from the channel: far above any answer (a
/// 1,000 × 1,000 triangle's is some MB), so that a message no worker of
/// this page wrote is not copied whole into the page's memory.
const MAX_ANSWER_BYTES: u32 = 64 << 20;

type Waiting = Rc<RefCell<Vec<(u64, oneshot::Sender<Answer>)>>>;

thread_local! {
    /// Channels opened in this page: each reply channel's name is unique.
    static OPENED: Cell<u64> = const { Cell::new(0) };
}

/// The questions asked of the worker and waiting for their answers.
pub struct Replies {
    /// `None` where the page has no `BroadcastChannel`: answers then come
    /// through the agent only.
    channel: Option<(String, Channel)>,
    next: Cell<u64>,
    waiting: Waiting,
}

impl Replies {
    /// Opens this page's reply channel, named with the tab's id.
    pub fn open(tab_id: &str) -> Replies {
        let n = OPENED.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        let name = format!("runoff-answers-{tab_id}-{n}");
        let waiting: Waiting = Rc::default();
        let channel = Channel::open(&name).ok().map(|mut channel| {
            let waiting = waiting.clone();
            channel.on_bytes(MAX_ANSWER_BYTES, move |bytes| {
                // A message that does not read is no answer of this page's.
                if let Ok((id, answer)) = from_bytes::<(u64, Answer)>(&bytes) {
                    deliver(&waiting, id, answer);
                }
            });
            (name, channel)
        });
        Replies { channel, next: Cell::new(1), waiting }
    }

    /// A new question: where its answer is to be posted, and the answer to
    /// come; `None` where the page has no channel.
    pub fn question(&self) -> Option<(Reply, oneshot::Receiver<Answer>)> {
        let (name, _) = self.channel.as_ref()?;
        let id = self.next.get();
        self.next.set(id + 1);
        let (tx, rx) = oneshot::channel();
        self.waiting.borrow_mut().push((id, tx));
        Some((Reply { channel: name.clone(), id }, rx))
    }

    /// Hands `answer` to question `id`, unless it has its answer already.
    pub fn deliver(&self, id: u64, answer: Answer) {
        deliver(&self.waiting, id, answer);
    }

    /// Whether question `id` still waits for its answer.
    pub fn waiting(&self, id: u64) -> bool {
        self.waiting.borrow().iter().any(|(k, _)| *k == id)
    }
}

fn deliver(waiting: &Waiting, id: u64, answer: Answer) {
    let found = {
        let mut waiting = waiting.borrow_mut();
        waiting.iter().position(|(k, _)| *k == id).map(|i| waiting.remove(i).1)
    };
    if let Some(tx) = found {
        // The asker may have given up (a newer answer is shown): fine.
        let _ = tx.send(answer);
    }
}
