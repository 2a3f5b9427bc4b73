//! The page's side of the worker: every job the page gives the engine goes
//! through an [`Agent`]. It remembers which triangles the worker has been
//! sent, so that a job names a triangle by its key after the first time
//! (encoding 14,400 cells on the page's thread for every click of a 120 ×
//! 120 triangle would cost more than the recalculation), and sends the
//! cells again when the worker answers that it has forgotten them. The
//! settings' long lists travel the same way ([`runoff_worker::lists`]):
//! only a list that changed since the last request is sent.
//!
//! The worker itself is started once for the page, when first asked, by
//! [`WorkerProvider`] at the root.

use runoff_engine::{Settings, Triangle};
use runoff_worker::lists::{self, LISTS};
use runoff_worker::{Answer, Binary, Job, Shipped, ShippedSettings, Worker};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use yew::prelude::*;
use yew_agent::oneshot::{OneshotBridge, OneshotSpawner};

/// The worker script that Trunk builds beside the app, relative to the page
/// so that the app can be served from any path. It is an ES module
/// (index.html builds it for wasm-bindgen's `web` target) started as a
/// module worker, so that it finds its WebAssembly beside itself
/// (`import.meta.url`): a classic worker's loader names the `.wasm` by
/// replacing every `.js` in the script's address, which breaks an app
/// served from a host or folder with `.js` in its name (`x.js.org`).
const WORKER_PATH: &str = "worker.js";

/// The page's one recalculation worker, started when first asked.
#[derive(Clone, Default)]
struct Spawned(Rc<RefCell<Option<OneshotBridge<Worker>>>>);

impl PartialEq for Spawned {
    fn eq(&self, other: &Spawned) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Spawned {
    /// A bridge of its own for one job. (The spawner is told it starts a
    /// module worker after its encoding is chosen: choosing the encoding
    /// makes a new spawner, which forgets it.)
    fn bridge(&self) -> OneshotBridge<Worker> {
        let mut held = self.0.borrow_mut();
        held.get_or_insert_with(|| {
            take_preloads();
            OneshotSpawner::<Worker>::new().encoding::<Binary>().as_module(true).spawn(WORKER_PATH)
        })
        .fork()
    }

    async fn run(&self, job: Job) -> Answer {
        let mut bridge = self.bridge();
        bridge.run(job).await
    }
}

/// Takes what index.html preloads for the worker (its script and its
/// WebAssembly beside it), so that they download with the app: the
/// worker's own requests find them in the browser's cache, and the page
/// takes the preloads (the browser warns of one never taken).
fn take_preloads() {
    for file in [WORKER_PATH.to_string(), crate::browser::worker_client::wasm_beside(WORKER_PATH)] {
        crate::browser::fetch::take(&file);
    }
}

#[derive(Properties, PartialEq)]
pub struct WorkerProviderProps {
    pub children: Html,
}

/// Gives the components under it the page's recalculation worker.
#[component]
pub fn WorkerProvider(props: &WorkerProviderProps) -> Html {
    let spawned = use_memo((), |_| Spawned::default());
    html! {
        <ContextProvider<Spawned> context={(*spawned).clone()}>
            { props.children.clone() }
        </ContextProvider<Spawned>>
    }
}

/// A handle on the worker for one component.
#[derive(Clone)]
pub struct Agent {
    runner: Spawned,
    known: Rc<RefCell<Known>>,
}

impl PartialEq for Agent {
    fn eq(&self, other: &Agent) -> bool {
        self.runner == other.runner && Rc::ptr_eq(&self.known, &other.known)
    }
}

/// Triangles and their keys, and the keys the worker has been sent.
#[derive(Default)]
struct Known {
    /// A triangle's key is a hash of its cells, computed once per triangle:
    /// weak, so that a triangle the page dropped is not kept, and so that a
    /// new triangle at the same address is never taken for the old one.
    keys: Vec<(Weak<Triangle>, u64)>,
    sent: Vec<u64>,
    /// The settings whose lists were sent last, and the key of each list.
    lists: Option<(Settings, [u64; LISTS])>,
}

/// How many times a job is sent again when the worker asks for what it
/// was sent before.
const RESENDS: usize = 2;

thread_local! {
    /// The key of the next list sent: unique in the page, whichever
    /// component sends it, since all share one worker.
    static NEXT_LIST: Cell<u64> = const { Cell::new(1) };
}

fn next_list_key() -> u64 {
    NEXT_LIST.with(|next| {
        let key = next.get();
        next.set(key + 1);
        key
    })
}

impl Known {
    fn key(&mut self, t: &Rc<Triangle>) -> u64 {
        self.keys.retain(|(w, _)| w.strong_count() > 0);
        if let Some((_, k)) = self.keys.iter().find(|(w, _)| w.upgrade().is_some_and(|x| Rc::ptr_eq(&x, t))) {
            return *k;
        }
        let k = Shipped::key_of(t);
        self.keys.push((Rc::downgrade(t), k));
        k
    }

    /// `settings` as they travel: each list the last request sent is named
    /// by its key, any other is sent under a new one. Taken as received
    /// from now on: the worker reads requests in the order they are sent,
    /// and answers [`Answer::NeedList`] if it has forgotten one.
    fn ship(&mut self, settings: &Settings) -> ShippedSettings {
        let (same, mut keys) = match &self.lists {
            Some((last, keys)) => (lists::same(last, settings), *keys),
            None => ([false; LISTS], [0; LISTS]),
        };
        for (key, same) in keys.iter_mut().zip(same) {
            if !same {
                *key = next_list_key();
            }
        }
        self.lists = Some((settings.clone(), keys));
        ShippedSettings::new(settings, keys, same.map(|same| !same))
    }
}

/// The worker, for a component under the app's [`WorkerProvider`] (or,
/// outside one, a worker of its own).
#[hook]
pub fn use_agent() -> Agent {
    let own = use_memo((), |_| Spawned::default());
    let runner = use_context::<Spawned>().unwrap_or_else(|| (*own).clone());
    let known = use_memo((), |_| RefCell::new(Known::default()));
    Agent { runner, known }
}

impl Agent {
    /// Runs a job that needs no triangle.
    pub async fn run(&self, job: Job) -> Answer {
        self.runner.run(job).await
    }

    /// Runs the job `make` builds around `triangle` and `settings`, which
    /// travel by key when the worker has had them before.
    pub async fn with_inputs(
        &self,
        triangle: &Rc<Triangle>,
        settings: &Settings,
        make: &dyn Fn(Shipped, ShippedSettings) -> Job,
    ) -> Answer {
        self.shipping(triangle, &|shipped, known| make(shipped, known.ship(settings))).await
    }

    /// Runs the job `make` builds around `triangle`, which travels by key
    /// when the worker has had it before.
    pub async fn with_triangle(&self, triangle: &Rc<Triangle>, make: &dyn Fn(Shipped) -> Job) -> Answer {
        self.shipping(triangle, &|shipped, _| make(shipped)).await
    }

    /// Runs the job `make` builds around `triangle` (and whatever else it
    /// ships through `Known`), sending again what the worker says it has
    /// forgotten.
    async fn shipping(&self, triangle: &Rc<Triangle>, make: &dyn Fn(Shipped, &mut Known) -> Job) -> Answer {
        let key = self.known.borrow_mut().key(triangle);
        let mut answer = Answer::Failed("the worker was not asked".into());
        for _ in 0..=RESENDS {
            let job = {
                let mut known = self.known.borrow_mut();
                let full = !known.sent.contains(&key);
                make(Shipped { key, triangle: full.then(|| (**triangle).clone()) }, &mut known)
            };
            answer = self.runner.run(job).await;
            let mut known = self.known.borrow_mut();
            match &answer {
                Answer::NeedTriangle { .. } => known.sent.retain(|k| *k != key),
                Answer::NeedList { .. } => known.lists = None,
                Answer::Failed(_) => return answer,
                _ => {
                    if !known.sent.contains(&key) {
                        known.sent.push(key);
                    }
                    return answer;
                }
            }
        }
        answer
    }
}
