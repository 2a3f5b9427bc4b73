//! A recalculation's answer posted on the page's reply channel as well as
//! returned through the agent ([`Reply`]).
//!
//! Why: after a click, Chromium holds the messages a worker posts to the
//! page (and those on a `MessagePort`) until it has drawn the frame that
//! follows the click, some 10 ms later, while it hands `BroadcastChannel`
//! messages over at once. Measured on the same page: a worker's echo of a
//! click arrives 11 ms after the click by `postMessage`, 0.8 ms after it on
//! a `BroadcastChannel` (docs/benchmarks.md). So the figures a click waits
//! for go on a channel only this page listens on, named with the page's
//! random tab id, and the agent's own answer says only that they were
//! posted ([`crate::Answer::Posted`]).

use crate::{codec, Answer};
use serde::{Deserialize, Serialize};

/// Where to post a recalculation's answer: the channel, and the number of
/// the page's question, which the posted message carries with the answer
/// as `(id, answer)` in the codec's bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub channel: String,
    pub id: u64,
}

/// Posts `answer` as `reply` asks, and returns what the agent answers: that
/// it was posted, or the answer itself where it could not be.
pub fn post(reply: &Reply, answer: Answer) -> Answer {
    let Ok(bytes) = codec::to_bytes(&(reply.id, &answer)) else { return answer };
    if imp::post(&reply.channel, &bytes) {
        Answer::Posted { id: reply.id }
    } else {
        answer
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use std::cell::RefCell;
    use web_sys::BroadcastChannel;

    thread_local! {
        /// The page's reply channel, opened at its first answer.
        static CHANNEL: RefCell<Option<(String, BroadcastChannel)>> = const { RefCell::new(None) };
    }

    pub fn post(name: &str, bytes: &[u8]) -> bool {
        CHANNEL.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.as_ref().is_none_or(|(n, _)| n != name) {
                *slot = BroadcastChannel::new(name).ok().map(|c| (name.to_string(), c));
            }
            let Some((_, channel)) = slot.as_ref() else { return false };
            channel.post_message(&js_sys::Uint8Array::from(bytes).into()).is_ok()
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    /// No channels off the browser: the answer is returned.
    pub fn post(_: &str, _: &[u8]) -> bool {
        false
    }
}
