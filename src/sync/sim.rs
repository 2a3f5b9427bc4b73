//! A simulated browser for the sync rules: tabs running the real [`Peer`]
//! over one shared storage and a bus that loses, repeats and reorders what
//! it carries, with every interleaving of saves, reads and deliveries that
//! the awaits allow. The properties are the promises of
//! `docs/sync-protocol.md`:
//!
//! - after every message is delivered and every tab that missed one has
//!   caught up (as the browser makes it, on `focus`; no other tab reads
//!   storage again), every tab shows exactly the stored session;
//! - with IndexedDB (transactional) no acknowledged change is lost: every
//!   judgement, undo and redo a tab acknowledged (saved, or shown from
//!   memory while storage failed) reached storage, and the stored settings
//!   are what storage took replayed in version order, so a change survives
//!   unless a later one set the same setting; no version is used twice;
//! - with localStorage (fallback) every tab settles on the highest
//!   (version, tab) pair written;
//! - when storage fails the tab shows the change from memory, says so, and
//!   sends no message; the change is saved once storage works again;
//! - malformed and forged messages change nothing.
//!
//! The tabs make single changes, batches (all or nothing), whole sessions
//! (an upload) and undo and redo from a history kept as the page keeps it.
//! The store's futures wait a random number of polls, so an operation of one
//! tab can be overtaken by any other; a tiny executor polls the in-flight
//! operations in the order the test case chooses.

use super::message::Message;
use super::peer::{Changed, Heard, Notice, Peer};
use super::remote::{Answer, Saver};
use super::rules::{Ignored, Mode, Stamp};
use super::save::{aside_key, stamp_of, SaveOutcome, SaveRequest};
use super::transport::{SessionStore, Signal, StoreError, Transport, TransportError, Writes};
use proptest::prelude::*;
use runoff_engine::session::Average;
use runoff_engine::{Action, Session, Settings};
use runoff_worker::codec::{from_bytes, to_bytes};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

const KEY: &str = "quarterly";
/// Times are for display only, never for ordering, so one will do.
const NOW: &str = "2026-11-25T06:10:00.123Z";
const ORIGINS: [&str; 3] = ["1998", "1999", "2000"];

/// Messages no tab sent: each fails the contract in its own way.
const GARBAGE: [&str; 7] = [
    "",
    "null",
    "[1,2]",
    r#"{"type":"session_changed"}"#,
    r#"{"type":"session_changed","user_key":"quarterly","sync_version":"9","origin_tab_id":"x","updated_at":"2026-01-01T00:00:00Z"}"#,
    r#"{"type":"reload_everything","user_key":"quarterly","sync_version":9,"origin_tab_id":"x","updated_at":"2026-01-01T00:00:00Z"}"#,
    r#"{"type":"session_changed","user_key":"quarterly","sync_version":0,"origin_tab_id":"x","updated_at":"2026-01-01T00:00:00Z"}"#,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    None,
    /// Writes fail (quota exceeded); reads work.
    Quota,
    /// Everything fails (storage disabled, as in some private modes).
    Disabled,
}

/// The browser all tabs share: storage, and what is on its way to each tab.
struct World {
    mode: Mode,
    data: BTreeMap<String, String>,
    failure: Failure,
    /// Whether each tab has `BroadcastChannel`.
    channel: Vec<bool>,
    /// Per tab, the signals delivered to it but not yet handled.
    inbox: Vec<Vec<Signal>>,
    /// Every message posted, with the tab that posted it.
    posted: Vec<(usize, Message)>,
    /// How many polls each store operation waits, taken in turn.
    delays: Vec<u8>,
    next_delay: usize,
    token: u64,
    /// Per tab, whether a localStorage read-and-write is under way.
    writing: Vec<bool>,
    /// Every save storage took or found changed nothing, as the tab asked
    /// it: the tab, the version stored after it, the action (with the
    /// tab's unsaved changes replayed in front), and whether it wrote.
    requests: Vec<(usize, u64, Action, bool)>,
    /// Per tab, whether it missed a signal (lost, never posted to it, or
    /// a read that failed): the browser makes up for that with the
    /// catch-up on `focus` when the user turns to the tab, and only then.
    missed: Vec<bool>,
}

impl World {
    fn new(mode: Mode, channel: Vec<bool>, delays: Vec<u8>) -> World {
        let tabs = channel.len();
        World {
            mode,
            data: BTreeMap::new(),
            failure: Failure::None,
            channel,
            inbox: vec![Vec::new(); tabs],
            posted: Vec::new(),
            delays,
            next_delay: 0,
            token: 0,
            writing: vec![false; tabs],
            requests: Vec::new(),
            missed: vec![false; tabs],
        }
    }

    fn delay(&mut self) -> u8 {
        let d = self.delays.get(self.next_delay % self.delays.len().max(1)).copied().unwrap_or(0);
        self.next_delay += 1;
        d
    }

    fn others(&self, tab: usize) -> impl Iterator<Item = usize> {
        let n = self.inbox.len();
        (0..n).filter(move |&i| i != tab)
    }

    /// Writes one key; in localStorage that fires `storage` in every other
    /// tab (IndexedDB fires nothing).
    fn write(&mut self, from: usize, key: &str, text: &str) {
        if self.mode == Mode::Fallback && key == KEY {
            for other in self.others(from).collect::<Vec<_>>() {
                self.inbox[other].push(Signal::Stored(Some(text.to_string())));
            }
        }
        self.data.insert(key.to_string(), text.to_string());
    }

    /// Posts on the channel where the tab has one, else on the storage key
    /// (message plus a token, which every other tab hears as `storage`).
    fn post(&mut self, from: usize, message: &Message) -> Result<(), TransportError> {
        if self.channel[from] {
            let text = message.to_json();
            for other in self.others(from).collect::<Vec<_>>() {
                if self.channel[other] {
                    self.inbox[other].push(Signal::Text(text.clone()));
                } else if self.mode == Mode::Transactional {
                    // IndexedDB fires no `storage` event: a tab without
                    // the channel hears of this save only when it looks.
                    self.missed[other] = true;
                }
            }
        } else {
            if self.failure == Failure::Disabled {
                for other in self.others(from).collect::<Vec<_>>() {
                    self.missed[other] = true;
                }
                return Err(TransportError("storage is disabled".into()));
            }
            self.token += 1;
            let mut value = message.to_value();
            value["token"] = self.token.into();
            let text = crate::sync::text::json(&value);
            for other in self.others(from).collect::<Vec<_>>() {
                self.inbox[other].push(Signal::Text(text.clone()));
            }
        }
        self.posted.push((from, message.clone()));
        Ok(())
    }
}

/// Pending for `n` polls, then ready: a browser answering later.
struct Wait(u8);

impl Future for Wait {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            Poll::Ready(())
        } else {
            self.0 -= 1;
            Poll::Pending
        }
    }
}

struct SimStore {
    tab: usize,
    world: Rc<RefCell<World>>,
    /// Whether this tab saves in a save worker (IndexedDB only), which
    /// posts the message itself the moment it commits.
    remote: Option<RefCell<Saver>>,
}

impl SimStore {
    fn new(tab: usize, world: Rc<RefCell<World>>, remote: bool) -> SimStore {
        SimStore { tab, world, remote: remote.then(RefCell::default) }
    }
}

fn failed(f: Failure) -> StoreError {
    match f {
        Failure::Quota => StoreError("storage is full".into()),
        _ => StoreError("storage is disabled".into()),
    }
}

impl SessionStore for SimStore {
    fn mode(&self) -> Mode {
        self.world.borrow().mode
    }

    async fn read(&self, key: &str) -> Result<Option<String>, StoreError> {
        let (result, delay) = {
            let mut w = self.world.borrow_mut();
            let result = match w.failure {
                Failure::Disabled => {
                    w.missed[self.tab] = true;
                    Err(failed(Failure::Disabled))
                }
                _ => Ok(w.data.get(key).cloned()),
            };
            (result, w.delay())
        };
        Wait(delay).await;
        result
    }

    async fn update<R>(&self, key: &str, change: impl FnOnce(Option<&str>) -> (Writes, R)) -> Result<R, StoreError> {
        // A page runs one script at a time and the localStorage store reads
        // and writes in one go, so one tab's updates never overlap; only
        // other tabs (whose view of localStorage lags) write in between.
        while self.mode() == Mode::Fallback && self.world.borrow().writing[self.tab] {
            Wait(1).await;
        }
        let (mode, stored, failure, delay) = {
            let mut w = self.world.borrow_mut();
            (w.mode, w.data.get(key).cloned(), w.failure, w.delay())
        };
        if failure == Failure::Disabled {
            Wait(delay).await;
            return Err(failed(failure));
        }
        let (writes, r) = change(stored.as_deref());
        match mode {
            // One transaction: read, change and write in the same step, so
            // no other tab's write comes between; the caller hears of the
            // commit some polls later.
            Mode::Transactional => {
                let result = {
                    let mut w = self.world.borrow_mut();
                    if failure == Failure::Quota && !writes.is_empty() {
                        Err(failed(failure)) // the transaction aborts: nothing written
                    } else {
                        for (k, text) in &writes {
                            w.write(self.tab, k, text);
                        }
                        Ok(r)
                    }
                };
                Wait(delay).await;
                result
            }
            // A read, then a write some polls later: any other tab may write
            // in between (storage may also fail in between).
            Mode::Fallback => {
                self.world.borrow_mut().writing[self.tab] = true;
                Wait(delay).await;
                let mut w = self.world.borrow_mut();
                w.writing[self.tab] = false;
                if w.failure != Failure::None && !writes.is_empty() {
                    return Err(failed(w.failure));
                }
                for (k, text) in &writes {
                    w.write(self.tab, k, text);
                }
                Ok(r)
            }
        }
    }

    /// In a tab with a save worker: the request crosses to the worker, which
    /// runs it in one transaction and posts the message on the channel as
    /// it commits; the answer crosses back, as bytes, some polls later.
    async fn save(
        &self,
        request: &SaveRequest,
        plan: impl FnOnce(Option<&str>) -> (Writes, SaveOutcome),
    ) -> Result<SaveOutcome, StoreError> {
        let Some(saver) = self.remote.as_ref().filter(|_| self.mode() == Mode::Transactional) else {
            let result = self.update(&request.user_key, plan).await;
            self.taken(request, &result);
            return result;
        };
        let delay = self.world.borrow_mut().delay();
        Wait(delay).await;
        let (result, announced, on_base, delay) = {
            let mut w = self.world.borrow_mut();
            let delay = w.delay();
            let base = request.base.as_ref().map(|b| b.sync_version);
            let stored = w.data.get(&request.user_key).map(String::as_str);
            let (writes, (outcome, on_base)) = saver.borrow().plan(request, stored, base);
            match w.failure {
                Failure::Disabled => (Err(failed(Failure::Disabled)), false, false, delay),
                Failure::Quota if !writes.is_empty() => (Err(failed(Failure::Quota)), false, false, delay),
                _ => {
                    for (k, text) in &writes {
                        w.write(self.tab, k, text);
                    }
                    saver.borrow_mut().committed(&outcome);
                    // Where the page has no channel, the page announces.
                    let announced = match &outcome {
                        SaveOutcome::Saved(s) if w.channel[self.tab] => w.post(self.tab, &s.message).is_ok(),
                        _ => false,
                    };
                    (Ok(outcome), announced, on_base, delay)
                }
            }
        };
        Wait(delay).await;
        let answer: Answer =
            from_bytes(&to_bytes(&Answer::of(result, announced, on_base)).expect("encodes")).expect("decodes");
        let result = answer.outcome(request);
        self.taken(request, &result);
        result
    }
}

impl SimStore {
    /// Records a save that storage took, or found to change nothing.
    fn taken(&self, request: &SaveRequest, result: &Result<SaveOutcome, StoreError>) {
        let taken = match result {
            Ok(SaveOutcome::Saved(s)) => Some((s.message.sync_version, true)),
            Ok(SaveOutcome::Unchanged { session }) => Some((session.sync_version, false)),
            _ => None,
        };
        if let Some((version, wrote)) = taken {
            self.world.borrow_mut().requests.push((self.tab, version, request.action.clone(), wrote));
        }
    }
}

struct SimTransport {
    tab: usize,
    world: Rc<RefCell<World>>,
}

impl Transport for SimTransport {
    fn post(&self, message: &Message) -> Result<(), TransportError> {
        self.world.borrow_mut().post(self.tab, message)
    }

    /// The simulation hands each tab its signals itself, choosing when and
    /// in what order; the inbox exists from the start, which is the
    /// listener attached before the first read.
    fn listen(&self, _deliver: Box<dyn FnMut(Signal)>) {}
}

type SimPeer = Peer<SimStore, SimTransport>;
type Task<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Polls a task once; whether it finished. The store's futures never need
/// waking (they are ready after a number of polls), so no waker is needed.
fn poll(task: &mut Task<'_>) -> bool {
    let mut cx = Context::from_waker(Waker::noop());
    task.as_mut().poll(&mut cx).is_ready()
}

/// Polls every task, in turn, until all have finished.
fn run_all(tasks: &mut Vec<Task<'_>>) {
    while !tasks.is_empty() {
        tasks.retain_mut(|t| !poll(t));
    }
}

/// One step of a test case.
#[derive(Debug, Clone)]
enum Op {
    /// The user makes a judgement in a tab.
    Edit(usize, Action),
    /// The user undoes the tab's last judgement (Ctrl+Z).
    Undo(usize),
    /// The user redoes the tab's last judgement undone.
    Redo(usize),
    /// One in-flight operation goes on to its next await.
    Step(usize),
    /// A tab handles one of its signals (chosen among those waiting, so
    /// signals are reordered); `again` leaves it waiting too, so it is
    /// delivered twice.
    Deliver { tab: usize, pick: usize, again: bool },
    /// A signal is lost.
    Lose { tab: usize, pick: usize },
    /// `pageshow`, `visibilitychange` to visible or `focus`.
    CatchUp(usize),
    /// Another page of the origin posts something malformed.
    Garbage(usize, usize),
    /// Another page posts a well-formed message no save stands behind,
    /// with a session text (matching the version announced or not) or none.
    Forged { tab: usize, version: u64, carry: Option<bool> },
    /// Storage starts or stops failing.
    Fail(Failure),
}

/// One setting changed, valid or (rarely) out of range.
fn simple_action() -> impl Strategy<Value = Action> {
    let origin = (0..ORIGINS.len()).prop_map(|i| ORIGINS[i].to_string());
    prop_oneof![
        4 => prop::sample::select(vec![Average::Volume, Average::Simple, Average::Regression])
            .prop_map(Action::SetAverage),
        4 => any::<bool>().prop_map(Action::SetDropHigh),
        4 => any::<bool>().prop_map(Action::SetDropLow),
        4 => (origin.clone(), any::<bool>())
            .prop_map(|(origin, dropped)| Action::SetOriginDropped { origin, dropped }),
        4 => (origin, prop::option::of(1..20u32)).prop_map(|(origin, v)| Action::SetApriori {
            origin,
            value: v.map(|v| f64::from(v) / 20.0),
        }),
        4 => (0..=10u32).prop_map(|n| Action::SetTailDecay(f64::from(n) / 10.0)),
        // Out of range: refused, nothing saved or sent.
        1 => Just(Action::SetTailDecay(3.0)),
    ]
}

/// What a judgement in the page saves: one setting, several at once (a
/// batch, all or nothing, as an undo of a compound change is), or every
/// setting at once (an uploaded session file).
fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        8 => simple_action(),
        2 => prop::collection::vec(simple_action(), 0..4).prop_map(Action::Batch),
        1 => prop::collection::vec(simple_action(), 0..4).prop_map(|changes| {
            // The settings the changes give from the defaults; out-of-range
            // ones are skipped, so the file is one that reads.
            let mut settings = Settings::default();
            for a in changes {
                if let Ok(s) = a.apply(&settings) {
                    settings = s;
                }
            }
            Action::Replace(Box::new(settings))
        }),
    ]
}

fn op(failures: bool) -> impl Strategy<Value = Op> {
    let tab = 0..5usize;
    let fail = if failures { 2 } else { 0 };
    prop_oneof![
        4 => (tab.clone(), action()).prop_map(|(t, a)| Op::Edit(t, a)),
        2 => tab.clone().prop_map(Op::Undo),
        1 => tab.clone().prop_map(Op::Redo),
        8 => any::<usize>().prop_map(Op::Step),
        5 => (tab.clone(), any::<usize>(), prop::bool::weighted(0.2))
            .prop_map(|(tab, pick, again)| Op::Deliver { tab, pick, again }),
        1 => (tab.clone(), any::<usize>()).prop_map(|(tab, pick)| Op::Lose { tab, pick }),
        1 => tab.clone().prop_map(Op::CatchUp),
        1 => (tab.clone(), 0..GARBAGE.len()).prop_map(|(t, g)| Op::Garbage(t, g)),
        1 => (tab, 1..20u64, prop::option::of(any::<bool>())).prop_map(|(tab, version, carry)| Op::Forged { tab, version, carry }),
        fail => prop::sample::select(vec![Failure::None, Failure::Quota, Failure::Disabled])
            .prop_map(Op::Fail),
    ]
}

/// A tab id that sorts apart from the tab's index, as UUIDs do.
fn tab_id(i: usize) -> String {
    format!("{:x}-tab", (i * 7919 + 13) % 101)
}

/// What the operations reported.
#[derive(Default)]
struct Log {
    /// Every change that reported `Saved`: version, tab, action.
    saved: Vec<(u64, usize, Action)>,
    /// Every change a tab acknowledged to the user (saved, found already
    /// so, or shown from memory until storage works): tab, action.
    acked: Vec<(usize, Action)>,
    /// Malformed messages handed to each tab.
    garbage: Vec<u64>,
    /// The tabs that showed a change from memory only.
    unsaved: BTreeSet<usize>,
    /// Broken promises seen while running.
    broken: Vec<String>,
}

/// A tab's page around its peer, as the workbench keeps it (src/state.rs):
/// the undo and redo stacks of inverse actions, and the changes made here
/// whose save is still under way (shown already, so undo works from them).
#[derive(Default)]
struct Page {
    undo: Vec<Action>,
    redo: Vec<Action>,
    in_flight: Vec<Action>,
}

type Pages = Rc<RefCell<Vec<Page>>>;

/// The session a tab shows without changes in flight: the stored one with
/// the changes storage refused on top, as the workbench shows it.
fn shown(peer: &SimPeer) -> Session {
    let mut session = peer.stored();
    session.settings = Action::replay(&session.settings, &peer.unsaved());
    session
}

/// The settings tab `tab`'s page shows: the stored ones with the changes
/// storage refused and its changes in flight on top.
fn page_settings(peer: &SimPeer, pages: &Pages, tab: usize) -> Settings {
    let (stored, unsaved) = (peer.stored(), peer.unsaved());
    Action::replay(&stored.settings, unsaved.iter().chain(&pages.borrow()[tab].in_flight))
}

/// The user's judgement in a tab, as the page takes it: its inverse goes
/// on the undo stack (a new judgement clears redo), and it is saved.
fn judge<'a>(peer: &'a SimPeer, tab: usize, action: Action, pages: &Pages, log: &Rc<RefCell<Log>>) -> Option<Task<'a>> {
    let shown = page_settings(peer, pages, tab);
    let next = action.apply(&shown);
    if let Ok(next) = &next {
        if *next != shown {
            let mut p = pages.borrow_mut();
            p[tab].undo.push(action.inverse(&shown));
            p[tab].redo.clear();
        }
    }
    Some(edit(peer, tab, action, pages.clone(), log.clone()))
}

/// Undo (`redo` false) or redo in a tab: the action on top of the stack is
/// applied to what the page shows, its inverse goes on the other stack, and
/// it is saved as any change is.
fn history<'a>(peer: &'a SimPeer, tab: usize, redo: bool, pages: &Pages, log: &Rc<RefCell<Log>>) -> Option<Task<'a>> {
    let shown = page_settings(peer, pages, tab);
    let action = {
        let mut p = pages.borrow_mut();
        let page = &mut p[tab];
        let (from, to) = if redo { (&mut page.redo, &mut page.undo) } else { (&mut page.undo, &mut page.redo) };
        let action = from.pop()?;
        to.push(action.inverse(&shown));
        action
    };
    match action.apply(&shown) {
        Ok(next) if next != shown => Some(edit(peer, tab, action, pages.clone(), log.clone())),
        _ => None,
    }
}

fn edit<'a>(peer: &'a SimPeer, tab: usize, action: Action, pages: Pages, log: Rc<RefCell<Log>>) -> Task<'a> {
    pages.borrow_mut()[tab].in_flight.push(action.clone());
    Box::pin(async move {
        let valid = action.apply(&Settings::default()).is_ok();
        let result = peer.change(&action, NOW).await;
        {
            let mut p = pages.borrow_mut();
            let in_flight = &mut p[tab].in_flight;
            if let Some(k) = in_flight.iter().position(|a| *a == action) {
                in_flight.remove(k);
            }
        }
        let mut log = log.borrow_mut();
        if result.is_ok() {
            log.acked.push((tab, action.clone()));
        }
        match result {
            Ok(_) if !valid => log.broken.push(format!("tab {tab}: out-of-range {action:?} accepted")),
            Ok(Changed::Saved(version)) => log.saved.push((version, tab, action)),
            Ok(Changed::Unchanged) => {}
            Ok(Changed::InMemoryOnly(_)) => {
                log.unsaved.insert(tab);
                // The tab keeps working: it shows the change and says it is
                // not saved.
                let shown = shown(peer).settings;
                if action.apply(&shown).as_ref() != Ok(&shown) {
                    log.broken.push(format!("tab {tab} does not show its unsaved {action:?}"));
                }
                if !matches!(peer.notice(), Some(Notice::NotSaved(_))) {
                    log.broken.push(format!("tab {tab} does not say {action:?} is unsaved"));
                }
            }
            Err(_) if !valid => {}
            Err(e) => log.broken.push(format!("tab {tab}: valid {action:?} refused: {e}")),
        }
    })
}

fn receive<'a>(peer: &'a SimPeer, signal: Signal) -> Task<'a> {
    Box::pin(async move {
        peer.receive(signal).await;
        peer.confirm().await;
    })
}

/// Runs a test case, then lets everything settle: storage works again, each
/// tab saves what it holds unsaved, every signal is delivered and every tab
/// catches up, until nothing moves. Returns the world and the log.
fn simulate(
    mode: Mode,
    channel: Vec<bool>,
    remote: &[bool],
    delays: Vec<u8>,
    ops: &[Op],
) -> (World, Log, Vec<Session>, Vec<Stamp>, Vec<u64>) {
    let tabs = channel.len();
    let world = Rc::new(RefCell::new(World::new(mode, channel, delays)));
    let peers: Vec<SimPeer> = (0..tabs)
        .map(|i| {
            let store = SimStore::new(i, world.clone(), remote.get(i).copied().unwrap_or(false));
            let transport = SimTransport { tab: i, world: world.clone() };
            Peer::new(KEY, &tab_id(i), store, transport)
        })
        .collect();
    let log = Rc::new(RefCell::new(Log { garbage: vec![0; tabs], ..Log::default() }));
    let pages: Pages = Rc::new(RefCell::new((0..tabs).map(|_| Page::default()).collect()));
    let mut tasks: Vec<Task<'_>> = peers
        .iter()
        .map(|p| -> Task<'_> {
            Box::pin(async move {
                p.load().await;
            })
        })
        .collect();

    for op in ops {
        match op {
            Op::Edit(t, a) => tasks.extend(judge(&peers[t % tabs], t % tabs, a.clone(), &pages, &log)),
            Op::Undo(t) => tasks.extend(history(&peers[t % tabs], t % tabs, false, &pages, &log)),
            Op::Redo(t) => tasks.extend(history(&peers[t % tabs], t % tabs, true, &pages, &log)),
            Op::Step(i) => {
                if !tasks.is_empty() {
                    let i = i % tasks.len();
                    if poll(&mut tasks[i]) {
                        drop(tasks.swap_remove(i));
                    }
                }
            }
            Op::Deliver { tab, pick, again } => {
                let t = tab % tabs;
                let signal = {
                    let mut w = world.borrow_mut();
                    let inbox = &mut w.inbox[t];
                    match (inbox.len(), again) {
                        (0, _) => None,
                        (n, true) => Some(inbox[pick % n].clone()),
                        (n, false) => Some(inbox.remove(pick % n)),
                    }
                };
                if let Some(s) = signal {
                    tasks.push(receive(&peers[t], s));
                }
            }
            Op::Lose { tab, pick } => {
                let mut w = world.borrow_mut();
                let t = tab % tabs;
                let inbox = &mut w.inbox[t];
                if !inbox.is_empty() {
                    let n = inbox.len();
                    inbox.remove(pick % n);
                    // A signal is lost only to a frozen or hidden tab, which
                    // catches up when it is shown again.
                    w.missed[t] = true;
                }
            }
            Op::CatchUp(t) => {
                let p = &peers[t % tabs];
                tasks.push(Box::pin(async move {
                    p.catch_up().await;
                }));
            }
            Op::Garbage(t, g) => {
                log.borrow_mut().garbage[t % tabs] += 1;
                tasks.push(receive(&peers[t % tabs], Signal::Text(GARBAGE[*g].to_string())));
            }
            Op::Forged { tab, version, carry } => {
                let mut m = Message::session_changed(KEY, *version, "forged", NOW);
                // A session text with it: one that reads as the version
                // announced (which no save stands behind either), or one of
                // another version.
                if let Some(matching) = carry {
                    let mut s = Session::new(KEY);
                    s.settings.drop_high = true;
                    s.sync_version = if *matching { *version } else { version + 1 };
                    s.extra.insert(crate::sync::save::WRITER_KEY.into(), "forged".into());
                    m = m.with_session(crate::sync::text::write(&s));
                }
                tasks.push(receive(&peers[tab % tabs], Signal::Text(m.to_json())));
            }
            Op::Fail(f) => world.borrow_mut().failure = *f,
        }
    }

    // Storage works again; what is in flight finishes. A tab that showed a
    // change from memory saves it with the user's next change there (an
    // empty batch saves exactly the unsaved changes); no other tab acts.
    world.borrow_mut().failure = Failure::None;
    run_all(&mut tasks);
    let unsaved: Vec<usize> = log.borrow().unsaved.iter().copied().collect();
    for t in unsaved {
        tasks.push(edit(&peers[t], t, Action::Batch(Vec::new()), pages.clone(), log.clone()));
    }
    run_all(&mut tasks);

    // Then, as in the browser: every signal on its way is delivered, in
    // order, and a tab that missed one catches up when the user turns to
    // it. No tab reads storage otherwise, so a tab that dropped or never
    // heard of a change shows it.
    let mut quiet = false;
    for _ in 0..100 {
        let inboxes: Vec<Vec<Signal>> = world.borrow_mut().inbox.iter_mut().map(std::mem::take).collect();
        let delivered = inboxes.iter().any(|i| !i.is_empty());
        for (t, inbox) in inboxes.into_iter().enumerate() {
            for s in inbox {
                tasks.push(receive(&peers[t], s));
            }
        }
        run_all(&mut tasks);
        if delivered {
            continue;
        }
        let missed: Vec<bool> = std::mem::take(&mut world.borrow_mut().missed);
        world.borrow_mut().missed = vec![false; tabs];
        if !missed.iter().any(|m| *m) {
            quiet = true;
            break;
        }
        for (p, _) in peers.iter().zip(&missed).filter(|(_, m)| **m) {
            tasks.push(Box::pin(async move {
                p.catch_up().await;
            }));
        }
        run_all(&mut tasks);
    }
    if !quiet {
        log.borrow_mut().broken.push("the tabs never settled".into());
    }
    let shown = peers.iter().map(shown).collect();
    let stamps = peers.iter().map(|p| p.shown()).collect();
    let malformed = peers.iter().map(|p| p.counters().ignored(Ignored::Malformed)).collect();
    drop(tasks);
    drop(peers);
    let log = Rc::try_unwrap(log).map(RefCell::into_inner).unwrap_or_default();
    let world = Rc::try_unwrap(world).ok().map(RefCell::into_inner).expect("no tab is left");
    (world, log, shown, stamps, malformed)
}

/// The promises every run keeps, in either mode.
fn check_common(
    world: &World,
    log: &Log,
    shown: &[Session],
    stamps: &[Stamp],
    malformed: &[u64],
) -> Result<Session, TestCaseError> {
    prop_assert!(log.broken.is_empty(), "{:?}", log.broken);
    let stored = match world.data.get(KEY) {
        None => Session::new(KEY),
        Some(text) => crate::sync::text::read(text, KEY)
            .map_err(|e| TestCaseError::fail(format!("stored session does not read: {e}")))?,
    };
    for (t, (session, stamp)) in shown.iter().zip(stamps).enumerate() {
        prop_assert_eq!(session, &stored, "tab {} differs from storage", t);
        prop_assert_eq!(stamp, &stamp_of(&stored), "tab {} shows another stamp", t);
    }
    prop_assert_eq!(malformed, &log.garbage[..], "malformed messages counted");
    // No message without a save behind it: every stamp announced was saved.
    let saved: BTreeSet<Stamp> = log.saved.iter().map(|(v, t, _)| Stamp::new(*v, &tab_id(*t))).collect();
    for (_, m) in &world.posted {
        prop_assert!(saved.contains(&Stamp::of(m)), "announced but never saved: {:?}", m);
    }
    Ok(stored)
}

fn check_transactional(world: &World, log: &Log, stored: &Session) -> Result<(), TestCaseError> {
    // Each version once, with no gap.
    let mut versions: Vec<u64> = log.saved.iter().map(|(v, _, _)| *v).collect();
    versions.sort_unstable();
    let expected: Vec<u64> = (1..=versions.len() as u64).collect();
    prop_assert_eq!(&versions, &expected, "versions used");
    prop_assert_eq!(stored.sync_version, versions.len() as u64);
    // At most one message per save (a post can fail when storage is
    // disabled), from the tab that saved.
    let mut announced = BTreeSet::new();
    for (from, m) in &world.posted {
        prop_assert_eq!(&m.origin_tab_id, &tab_id(*from));
        prop_assert!(announced.insert(m.sync_version), "version {} announced twice", m.sync_version);
    }
    // Nothing lost: what storage took (each tab's unsaved changes replayed
    // in front of its next change), replayed in version order, is what is
    // stored.
    let mut taken: Vec<&(usize, u64, Action, bool)> = world.requests.iter().filter(|r| r.3).collect();
    taken.sort_by_key(|r| r.1);
    let mut settings = Settings::default();
    for (_, _, a, _) in taken {
        settings = a.apply(&settings).map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
    prop_assert_eq!(&stored.settings, &settings, "stored settings are the saves replayed");
    // And every change a tab acknowledged went to storage: as itself, or
    // replayed with the tab's next change.
    for (tab, action) in &log.acked {
        let sent = world
            .requests
            .iter()
            .any(|(t, _, a, _)| t == tab && (a == action || matches!(a, Action::Batch(all) if all.contains(action))));
        prop_assert!(sent, "tab {} acknowledged {:?}, which never reached storage", tab, action);
    }
    Ok(())
}

fn check_fallback(log: &Log, stored: &Session) -> Result<(), TestCaseError> {
    // Every tab settles on the highest (version, tab) pair written.
    let best = log.saved.iter().map(|(v, t, _)| Stamp::new(*v, &tab_id(*t))).max();
    prop_assert_eq!(best.unwrap_or_default(), stamp_of(stored));
    Ok(())
}

/// Per tab: whether it has `BroadcastChannel`, and whether it saves in a
/// save worker (where it could not start one, a tab saves in its own
/// thread); the delays; the steps.
fn case(failures: bool) -> impl Strategy<Value = (Vec<bool>, Vec<bool>, Vec<u8>, Vec<Op>)> {
    (
        prop::collection::vec(prop::bool::weighted(0.8), 2..=5),
        prop::collection::vec(prop::bool::weighted(0.7), 5),
        prop::collection::vec(0..4u8, 1..8),
        prop::collection::vec(op(failures), 1..24),
    )
}

proptest! {
    // 2,000 cases each, of up to 23 steps on 2 to 5 tabs: about 15 s in all
    // natively in a debug build on two cores.
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn transactional_tabs_converge_and_lose_nothing((channel, remote, delays, ops) in case(false)) {
        let (world, log, shown, stamps, malformed) =
            simulate(Mode::Transactional, channel, &remote, delays, &ops);
        let stored = check_common(&world, &log, &shown, &stamps, &malformed)?;
        check_transactional(&world, &log, &stored)?;
    }

    #[test]
    fn fallback_tabs_settle_on_one_winner((channel, _, delays, ops) in case(false)) {
        let (world, log, shown, stamps, malformed) =
            simulate(Mode::Fallback, channel, &[], delays, &ops);
        let stored = check_common(&world, &log, &shown, &stamps, &malformed)?;
        check_fallback(&log, &stored)?;
    }

    #[test]
    fn failing_storage_keeps_tabs_working_and_silent(
        transactional in any::<bool>(),
        (channel, remote, delays, ops) in case(true),
    ) {
        let mode = if transactional { Mode::Transactional } else { Mode::Fallback };
        let (world, log, shown, stamps, malformed) = simulate(mode, channel, &remote, delays, &ops);
        let stored = check_common(&world, &log, &shown, &stamps, &malformed)?;
        match mode {
            Mode::Transactional => check_transactional(&world, &log, &stored)?,
            Mode::Fallback => check_fallback(&log, &stored)?,
        }
    }
}

/// Runs one future of a simulated tab to its end.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = f.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn two_tabs(mode: Mode) -> (Rc<RefCell<World>>, SimPeer, SimPeer) {
    let world = Rc::new(RefCell::new(World::new(mode, vec![true, true], vec![0])));
    let peer = |i: usize| {
        let store = SimStore::new(i, world.clone(), false);
        Peer::new(KEY, &tab_id(i), store, SimTransport { tab: i, world: world.clone() })
    };
    let (a, b) = (peer(0), peer(1));
    (world, a, b)
}

#[test]
fn an_unreadable_session_is_kept_aside_and_the_next_save_replaces_it() {
    let (world, a, b) = two_tabs(Mode::Transactional);
    // A newer version wrote an average this one does not know.
    let text = r#"{"average": "median", "sync_version": 12}"#;
    world.borrow_mut().data.insert(KEY.into(), text.into());
    assert!(!block_on(a.load()));
    assert!(matches!(a.notice(), Some(Notice::StoredUnreadable { .. })));
    assert_eq!(block_on(a.change(&Action::SetDropLow(true), NOW)), Ok(Changed::Saved(13)));
    let aside = aside_key(KEY, NOW);
    assert_eq!(world.borrow().data.get(&aside).map(String::as_str), Some(text));
    assert!(matches!(a.notice(), Some(Notice::KeptAside { key, .. }) if key == aside));
    // The other tab hears of it and shows the new session.
    let signal = world.borrow_mut().inbox[1].pop().expect("a message");
    block_on(b.receive(signal));
    assert_eq!(shown(&b), shown(&a));
    assert!(shown(&b).settings.drop_low);
}

#[test]
fn a_failed_save_sends_nothing_and_is_saved_with_the_next_change() {
    let (world, a, b) = two_tabs(Mode::Transactional);
    world.borrow_mut().failure = Failure::Quota;
    let r = block_on(a.change(&Action::SetDropHigh(true), NOW));
    assert!(matches!(r, Ok(Changed::InMemoryOnly(_))));
    assert!(shown(&a).settings.drop_high);
    assert!(world.borrow().posted.is_empty() && world.borrow().data.is_empty());
    world.borrow_mut().failure = Failure::None;
    assert_eq!(block_on(a.change(&Action::SetDropLow(true), NOW)), Ok(Changed::Saved(1)));
    assert_eq!(a.notice(), None);
    assert_eq!(block_on(b.catch_up()), Heard::Reloaded);
    let s = shown(&b).settings;
    assert!(s.drop_high && s.drop_low);
}

#[test]
fn failed_saves_are_retried_without_a_new_change() {
    let (world, a, b) = two_tabs(Mode::Transactional);
    assert_eq!(block_on(a.retry(NOW)), Ok(Changed::Unchanged), "nothing to retry");
    world.borrow_mut().failure = Failure::Quota;
    assert!(matches!(block_on(a.change(&Action::SetDropHigh(true), NOW)), Ok(Changed::InMemoryOnly(_))));
    assert!(matches!(block_on(a.change(&Action::SetDropLow(true), NOW)), Ok(Changed::InMemoryOnly(_))));
    // Still failing: both stay unsaved and shown, nothing is doubled.
    assert!(matches!(block_on(a.retry(NOW)), Ok(Changed::InMemoryOnly(_))));
    assert!(a.has_unsaved() && shown(&a).settings.drop_high && shown(&a).settings.drop_low);
    assert!(matches!(a.notice(), Some(Notice::NotSaved(_))));
    world.borrow_mut().failure = Failure::None;
    assert_eq!(block_on(a.retry(NOW)), Ok(Changed::Saved(1)));
    assert!(!a.has_unsaved());
    assert_eq!(a.notice(), None);
    assert_eq!(block_on(b.catch_up()), Heard::Reloaded);
    let s = shown(&b).settings;
    assert!(s.drop_high && s.drop_low);
}

#[test]
fn changes_kept_from_an_earlier_visit_are_shown_and_sent_with_the_next_retry() {
    let (world, a, b) = two_tabs(Mode::Transactional);
    assert_eq!(block_on(b.change(&Action::SetDropLow(true), NOW)), Ok(Changed::Saved(1)));
    block_on(a.load());
    // Kept from an earlier visit: one that applies, one out of range.
    let why = StoreError("kept from an earlier visit".into());
    a.keep_unsaved(vec![Action::SetDropHigh(true), Action::SetTailDecay(-1.0)], why.clone());
    assert_eq!(a.unsaved(), [Action::SetDropHigh(true)]);
    assert_eq!(a.notice(), Some(Notice::NotSaved(why)));
    assert!(shown(&a).settings.drop_high && shown(&a).settings.drop_low);
    // Nothing to keep: nothing said.
    let (_, c, _) = two_tabs(Mode::Transactional);
    c.keep_unsaved(vec![Action::SetTailDecay(-1.0)], StoreError("x".into()));
    assert!(!c.has_unsaved() && c.notice().is_none());
    // Sent with the next retry, onto what the other tab saved.
    assert_eq!(block_on(a.retry(NOW)), Ok(Changed::Saved(2)));
    assert!(!a.has_unsaved() && a.notice().is_none());
    assert_eq!(block_on(b.catch_up()), Heard::Reloaded);
    let s = shown(&b).settings;
    assert!(s.drop_high && s.drop_low);
    drop(world);
}
