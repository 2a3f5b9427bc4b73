//! The page's one connection to the other tabs: a [`BrowserTransport`] (the
//! `BroadcastChannel` and the `storage` events) opened once per page, whose
//! messages are read once and handed to whoever follows them.
//!
//! - Every signal goes to the segment open in the page ([`Hub::transport`]:
//!   its sync peer filters by `origin_tab_id` and version and decides).
//! - A `segments_changed` of another tab also goes to the list of segments
//!   ([`Hub::on_segments_changed`]), whether a segment is open or not.
//! - A team server's messages are fed in too ([`Hub::feed`]), and read
//!   the same way.
//! - The channel is closed on `pagehide` and opened again on `pageshow`, so
//!   that a page in the back/forward cache holds nothing open.
//!
//! One hub per page, so that each message is handled once: a second channel
//! in the page would hear every message twice.

use crate::browser::page::{self, Listening};
use crate::browser::transport::BrowserTransport;
use crate::sync::message::{Kind, Message};
use crate::sync::transport::{Signal, Transport, TransportError};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

type SessionFollower = Rc<RefCell<Box<dyn FnMut(Signal)>>>;
type ListFollower = Rc<dyn Fn(String)>;

/// The page's connection to the other tabs.
pub struct Hub {
    transport: BrowserTransport,
    tab_id: String,
    sessions: RefCell<Vec<(u64, SessionFollower)>>,
    lists: RefCell<Vec<(u64, ListFollower)>>,
    next: Cell<u64>,
    lifecycle: RefCell<Option<Listening>>,
}

impl Hub {
    /// Opens the channel `channel` (or the `storage` key `message_key` where
    /// there is none) for tab `tab_id`, and starts listening at once.
    pub fn open(channel: &str, message_key: &str, tab_id: &str) -> Rc<Hub> {
        let hub = Rc::new(Hub {
            transport: BrowserTransport::open(channel, message_key, tab_id),
            tab_id: tab_id.to_string(),
            sessions: RefCell::new(Vec::new()),
            lists: RefCell::new(Vec::new()),
            next: Cell::new(0),
            lifecycle: RefCell::new(None),
        });
        let weak = Rc::downgrade(&hub);
        hub.transport.listen(Box::new(move |signal| {
            if let Some(hub) = weak.upgrade() {
                hub.deliver(signal);
            }
        }));
        *hub.lifecycle.borrow_mut() = Some(lifecycle(Rc::downgrade(&hub)));
        hub
    }

    /// This tab's id.
    pub fn tab_id(&self) -> &str {
        &self.tab_id
    }

    /// Whether messages go on a `BroadcastChannel` (else on localStorage).
    pub fn has_channel(&self) -> bool {
        self.transport.has_channel()
    }

    /// In the localStorage fallback, the key of the session shown, whose
    /// `storage` events are signals too.
    pub fn watch_session_key(&self, key: Option<String>) {
        self.transport.watch_session_key(key);
    }

    /// Sends `message` to the other tabs.
    pub fn post(&self, message: &Message) -> Result<(), TransportError> {
        self.transport.post(message)
    }

    /// A transport for the sync peer of the segment open: it hears every
    /// signal from when its [`Transport::listen`] is called until it is
    /// dropped.
    pub fn transport(self: &Rc<Hub>) -> HubTransport {
        HubTransport { hub: self.clone(), id: self.id() }
    }

    /// Calls `f` with the segment named by each `segments_changed` another
    /// tab sends, until the [`Following`] returned is dropped.
    pub fn on_segments_changed(self: &Rc<Hub>, f: impl Fn(String) + 'static) -> Following {
        let id = self.id();
        self.lists.borrow_mut().push((id, Rc::new(f)));
        Following { hub: Rc::downgrade(self), id }
    }

    /// Hands on a signal from elsewhere than the channel: a team server's
    /// message, or [`Signal::CatchUp`] when its stream was attached again
    /// (the list of segments is read again too).
    pub fn feed(&self, signal: Signal) {
        if signal == Signal::CatchUp {
            self.tell_lists("");
        }
        self.deliver(signal);
    }

    /// Tells the list's followers that segment `id` changed (`""`: any).
    /// They are called with no borrow held: one may stop following.
    fn tell_lists(&self, id: &str) {
        let lists: Vec<ListFollower> = self.lists.borrow().iter().map(|(_, f)| f.clone()).collect();
        for f in lists {
            f(id.to_string());
        }
    }

    fn id(&self) -> u64 {
        self.next.set(self.next.get() + 1);
        self.next.get()
    }

    /// Reads a message once and hands it on. The followers are called with
    /// no borrow held: one may stop following (a segment closed by the
    /// render a list change starts) while they are called.
    fn deliver(&self, signal: Signal) {
        let signal = match signal {
            Signal::Text(text) => Signal::Read(Message::parse(&text)),
            other => other,
        };
        if let Signal::Read(Ok(m)) = &signal {
            if m.kind == Kind::SegmentsChanged && m.origin_tab_id != self.tab_id {
                self.tell_lists(&m.user_key);
            }
        }
        let sessions: Vec<SessionFollower> = self.sessions.borrow().iter().map(|(_, f)| f.clone()).collect();
        let (last, mut signal) = (sessions.len().saturating_sub(1), Some(signal));
        for (k, f) in sessions.into_iter().enumerate() {
            // The last one takes the signal itself: a message may carry a
            // whole session.
            let signal = if k == last { signal.take() } else { signal.clone() };
            // A follower already running is not entered again (it only
            // schedules work); the catch-up rule makes up for the signal.
            if let (Ok(mut f), Some(signal)) = (f.try_borrow_mut(), signal) {
                f(signal);
            }
        }
    }
}

/// The channel closed while the page is hidden in the back/forward cache,
/// and opened again when it is shown.
fn lifecycle(hub: Weak<Hub>) -> Listening {
    let shown = hub.clone();
    page::on_hidden_and_shown(
        move || {
            if let Some(hub) = hub.upgrade() {
                hub.transport.close();
            }
        },
        move || {
            if let Some(hub) = shown.upgrade() {
                hub.transport.reopen();
            }
        },
    )
}

/// Follows `segments_changed` until dropped.
pub struct Following {
    hub: Weak<Hub>,
    id: u64,
}

impl Drop for Following {
    fn drop(&mut self) {
        if let Some(hub) = self.hub.upgrade() {
            hub.lists.borrow_mut().retain(|(id, _)| *id != self.id);
        }
    }
}

/// The sync peer's transport: the page's hub, for one segment.
pub struct HubTransport {
    hub: Rc<Hub>,
    id: u64,
}

impl Transport for HubTransport {
    fn post(&self, message: &Message) -> Result<(), TransportError> {
        self.hub.post(message)
    }

    fn listen(&self, deliver: Box<dyn FnMut(Signal)>) {
        let mut sessions = self.hub.sessions.borrow_mut();
        sessions.retain(|(id, _)| *id != self.id);
        sessions.push((self.id, Rc::new(RefCell::new(deliver))));
    }
}

impl Drop for HubTransport {
    fn drop(&mut self) {
        self.hub.sessions.borrow_mut().retain(|(id, _)| *id != self.id);
    }
}
