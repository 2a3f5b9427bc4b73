//! Cross-tab sync of one segment in the page: the [`crate::sync`] rules
//! over IndexedDB (or localStorage), the page's [`Hub`] and the page's
//! lifecycle events.
//!
//! # Use
//!
//! ```ignore
//! let hub = Hub::open(CHANNEL, MESSAGE_KEY, &browser::sync::tab_id()); // once per page
//! let sync = browser::sync::open(&hub, "quarterly", move |h| on_heard.emit(h)).await;
//! if sync.is_fallback() { /* show browser::sync::FALLBACK_NOTE in the page */ }
//! let peer = sync.peer();
//! render(peer.stored(), peer.unsaved());            // on start and on Heard::Reloaded
//! peer.change(&action, &now_iso).await;             // on each judgement; then render
//! peer.notice();                                    // storage trouble to say, if any
//! hub.post(&Message::segments_changed("raa", hub.tab_id(), &now_iso)); // after importing data
//! ```
//!
//! - [`open`] never fails: where IndexedDB is missing or refuses to open it
//!   uses localStorage ([`TabSync::is_fallback`], and the page must say so),
//!   and where that fails too every save reports
//!   [`Changed::InMemoryOnly`](crate::sync::Changed) and the tab works on
//!   in memory.
//! - `on_heard` is called when a message from another tab or a catch-up
//!   changed what the tab shows ([`Heard::Reloaded`]: recalculate and
//!   render [`Peer::stored`] with [`Peer::unsaved`] on top). Another tab's
//!   `segments_changed` is the list's business ([`Hub::on_segments_changed`]).
//! - Saves run in the save worker ([`crate::browser::save_worker`]), which
//!   commits each one and posts its message without waiting for the page's
//!   next frame; where it cannot run, they run in the page's thread.
//! - `pageshow`, `visibilitychange` to visible and `focus` catch up with
//!   storage (the hub closes and opens the channel).
//! - One [`TabSync`] shows one segment; to show another, drop it and open one
//!   for the other segment. Dropping it detaches every listener.

use crate::browser::hub::{Hub, HubTransport};
use crate::browser::idb::{IdbStore, DATABASE};
use crate::browser::local::{storage_key, LocalStore};
use crate::browser::page::{self, Listening};
use crate::browser::save_worker::{self, SaveWorker};
#[cfg(feature = "team")]
use crate::browser::team_sessions::TeamSessions;
use crate::browser::transport::{CHANNEL, MESSAGE_KEY};
use crate::sync::peer::{Heard, Peer};
use crate::sync::rules::Mode;
use crate::sync::save::{SaveOutcome, SaveRequest};
use crate::sync::transport::{SessionStore, StoreError, Transport, Writes};
use crate::team::SignedIn;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen_futures::spawn_local;

/// What the page says while sessions are kept in localStorage.
pub const FALLBACK_NOTE: &str = "This browser does not let the page use IndexedDB, so sessions \
    are kept in localStorage. Tabs still follow each other, but if two tabs save at the same \
    moment one of the two changes can be lost.";

/// Where the sessions are kept in this page.
pub enum BrowserStore {
    /// IndexedDB, with the save worker that runs the saves where one runs.
    Idb(IdbStore, Option<Rc<SaveWorker>>),
    Local(LocalStore),
    /// A team server the user is signed in to.
    #[cfg(feature = "team")]
    Team(TeamSessions),
}

impl SessionStore for BrowserStore {
    fn mode(&self) -> Mode {
        match self {
            BrowserStore::Idb(s, _) => s.mode(),
            BrowserStore::Local(s) => s.mode(),
            #[cfg(feature = "team")]
            BrowserStore::Team(s) => s.mode(),
        }
    }

    async fn read(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            BrowserStore::Idb(s, _) => s.read(key).await,
            BrowserStore::Local(s) => s.read(key).await,
            #[cfg(feature = "team")]
            BrowserStore::Team(s) => s.read(key).await,
        }
    }

    async fn update<R>(&self, key: &str, change: impl FnOnce(Option<&str>) -> (Writes, R)) -> Result<R, StoreError> {
        match self {
            BrowserStore::Idb(s, _) => s.update(key, change).await,
            BrowserStore::Local(s) => s.update(key, change).await,
            #[cfg(feature = "team")]
            BrowserStore::Team(s) => s.update(key, change).await,
        }
    }

    async fn save(
        &self,
        request: &SaveRequest,
        plan: impl FnOnce(Option<&str>) -> (Writes, SaveOutcome),
    ) -> Result<SaveOutcome, StoreError> {
        match self {
            BrowserStore::Idb(_, Some(worker)) => {
                if let Some(result) = worker.save(request).await {
                    return result;
                }
            }
            #[cfg(feature = "team")]
            BrowserStore::Team(s) => return s.save(request, plan).await,
            _ => {}
        }
        self.update(&request.user_key, plan).await
    }
}

impl BrowserStore {
    /// Whether saves run in the save worker (it may still turn out not to
    /// start, and they then run here).
    pub fn has_save_worker(&self) -> bool {
        matches!(self, BrowserStore::Idb(_, Some(_)))
    }
}

/// One tab's side of sync, in the browser.
pub type BrowserPeer = Peer<BrowserStore, HubTransport>;

/// The names [`open_with`] uses; [`Names::default`] is the application's.
#[derive(Debug, Clone)]
pub struct Names {
    /// The IndexedDB database.
    pub database: String,
    /// The `BroadcastChannel`.
    pub channel: String,
    /// The localStorage key carrying messages where there is no channel.
    pub message_key: String,
    /// The save worker's script, relative to the page; `None` saves in the
    /// page's thread.
    pub save_worker: Option<String>,
}

impl Default for Names {
    fn default() -> Names {
        Names {
            database: DATABASE.into(),
            channel: CHANNEL.into(),
            message_key: MESSAGE_KEY.into(),
            save_worker: Some(save_worker::PATH.into()),
        }
    }
}

/// A tab showing one segment, kept in step with the other tabs.
pub struct TabSync {
    peer: Rc<BrowserPeer>,
    /// Why IndexedDB is not used, in the localStorage fallback.
    fallback: Option<StoreError>,
    _lifecycle: Listening,
}

impl TabSync {
    /// The tab's side of sync: [`Peer::stored`] to render,
    /// [`Peer::change`] to save a judgement, [`Peer::notice`] to show.
    pub fn peer(&self) -> Rc<BrowserPeer> {
        self.peer.clone()
    }

    pub fn mode(&self) -> Mode {
        self.peer.store().mode()
    }

    /// Whether sessions are in localStorage: the page must then show
    /// [`FALLBACK_NOTE`].
    pub fn is_fallback(&self) -> bool {
        self.mode() == Mode::Fallback
    }

    /// Why IndexedDB could not be used, in the fallback.
    pub fn fallback_reason(&self) -> Option<&StoreError> {
        self.fallback.as_ref()
    }
}

/// Opens sync for segment `user_key` on the page's hub, with the
/// application's names; see the module's documentation. Signed in to a
/// team server (`team`), the sessions are the server's.
pub async fn open(
    hub: &Rc<Hub>,
    team: Option<&SignedIn>,
    user_key: &str,
    on_heard: impl Fn(Heard) + 'static,
) -> TabSync {
    #[cfg(feature = "team")]
    if let Some(user) = team {
        let local = IdbStore::open(DATABASE).await.ok();
        let store = BrowserStore::Team(TeamSessions::new(user.api.clone(), user.token.clone(), local));
        let tab = start(hub, store, None, user_key, on_heard).await;
        // Changes an earlier visit could not send: shown as not yet sent,
        // and sent with the next change or retry.
        if let BrowserStore::Team(t) = tab.peer.store() {
            if let Some(action) = t.outbox(user_key).await {
                let why = StoreError("kept from an earlier visit, not yet sent to the team server".into());
                tab.peer.keep_unsaved(vec![action], why);
            }
        }
        return tab;
    }
    #[cfg(not(feature = "team"))]
    let _ = team;
    open_on(hub, &Names::default(), user_key, on_heard).await
}

/// [`open`], for tab `tab_id` on a hub of its own, with other names (tests
/// use their own, so as not to touch the application's data).
pub async fn open_with(names: &Names, user_key: &str, tab_id: &str, on_heard: impl Fn(Heard) + 'static) -> TabSync {
    let hub = Hub::open(&names.channel, &names.message_key, tab_id);
    open_on(&hub, names, user_key, on_heard).await
}

async fn open_on(hub: &Rc<Hub>, names: &Names, user_key: &str, on_heard: impl Fn(Heard) + 'static) -> TabSync {
    // Started now, to open its database while this thread opens its own.
    // It announces saves on the channel only where this page has one: a
    // page without it announces them through localStorage itself.
    let channel = hub.has_channel().then_some(names.channel.as_str());
    let worker = names.save_worker.as_deref().and_then(|path| SaveWorker::shared(path, &names.database, channel));
    let (store, fallback) = match IdbStore::open(&names.database).await {
        Ok(db) => (BrowserStore::Idb(db, worker), None),
        Err(e) => {
            hub.watch_session_key(Some(storage_key(user_key)));
            (BrowserStore::Local(LocalStore), Some(e))
        }
    };
    start(hub, store, fallback, user_key, on_heard).await
}

/// Follows `user_key` in `store` through the hub.
async fn start(
    hub: &Rc<Hub>,
    store: BrowserStore,
    fallback: Option<StoreError>,
    user_key: &str,
    on_heard: impl Fn(Heard) + 'static,
) -> TabSync {
    let peer = Rc::new(Peer::new(user_key, hub.tab_id(), store, hub.transport()));
    let on_heard: Rc<dyn Fn(Heard)> = Rc::new(on_heard);
    // Listen first, read after: a save another tab makes while this one
    // opens is then either heard or found by the first read.
    {
        // Weak: the listener lives in the peer's transport, and must not
        // keep the peer alive after the page drops it.
        let weak = Rc::downgrade(&peer);
        let on_heard = on_heard.clone();
        peer.transport().listen(Box::new(move |signal| {
            let Some(peer) = weak.upgrade() else { return };
            let on_heard = on_heard.clone();
            spawn_local(async move {
                let heard = peer.receive(signal).await;
                if heard != Heard::Nothing {
                    on_heard(heard);
                }
                // A session shown from the message, checked against storage
                // once it is on its way to the screen.
                let confirmed = peer.confirm().await;
                if confirmed != Heard::Nothing {
                    on_heard(confirmed);
                }
            });
        }));
    }
    peer.load().await;
    let lifecycle = lifecycle(Rc::downgrade(&peer), on_heard);
    TabSync { peer, fallback, _lifecycle: lifecycle }
}

/// The catch-up rule when the page comes back to the user.
fn lifecycle(peer: Weak<BrowserPeer>, on_heard: Rc<dyn Fn(Heard)>) -> Listening {
    page::on_return(false, move || {
        let Some(peer) = peer.upgrade() else { return };
        let on_heard = on_heard.clone();
        spawn_local(async move {
            let heard = peer.catch_up().await;
            if heard != Heard::Nothing {
                on_heard(heard);
            }
        });
    })
}

/// The page's hub, with the application's names.
pub fn page_hub() -> Rc<Hub> {
    Hub::open(CHANNEL, MESSAGE_KEY, &tab_id())
}

thread_local! {
    static TAB_ID: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// This tab's id: a random UUID v4 (from the browser's cryptographic random
/// numbers) made the first time it is asked for in this page load, in
/// memory only (a duplicated tab copies sessionStorage, so it is never kept
/// there).
pub fn tab_id() -> String {
    TAB_ID.with(|id| id.borrow_mut().get_or_insert_with(|| uuid::Uuid::new_v4().to_string()).clone())
}
