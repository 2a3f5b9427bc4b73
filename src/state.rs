//! The workbench's state and its one reducer, which the page holds in
//! [`crate::store`].
//!
//! Every judgement is an engine [`Action`] with set semantics; applying it here
//! is the same function that a save replays onto the stored session, so the
//! page and storage can never disagree about what an action means. Undo and
//! redo keep inverse actions rather than whole snapshots, so undoing one's
//! own change does not overwrite what another tab changed meanwhile.

use runoff_engine::{Action, EngineError, Session, Settings};
use std::collections::VecDeque;

/// The workbench's views, in the order an actuary works through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    Data,
    #[default]
    ChainLadder,
    BornhuetterFerguson,
    Results,
    /// Actual versus expected since an earlier valuation.
    ActualVsExpected,
    /// The distribution of the IBNR (the bootstrap).
    ReserveRange,
    /// The session's versions on the team server: who changed what, when.
    #[cfg(feature = "team")]
    History,
}

impl View {
    pub const ALL: &'static [View] = &[
        View::Data,
        View::ChainLadder,
        View::BornhuetterFerguson,
        View::Results,
        View::ActualVsExpected,
        View::ReserveRange,
        #[cfg(feature = "team")]
        View::History,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Data => "Data",
            View::ChainLadder => "Chain ladder",
            View::BornhuetterFerguson => "Bornhuetter-Ferguson",
            View::Results => "Results",
            View::ActualVsExpected => "Actual vs expected",
            View::ReserveRange => "Reserve range",
            #[cfg(feature = "team")]
            View::History => "History",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            View::Data => "data",
            View::ChainLadder => "chain-ladder",
            View::BornhuetterFerguson => "bf",
            View::Results => "results",
            View::ActualVsExpected => "ave",
            View::ReserveRange => "reserve-range",
            #[cfg(feature = "team")]
            View::History => "history",
        }
    }
}

/// What the workbench shows: the segment's session and the undo history.
/// It is the only copy of the session the page reads; the sync layer keeps
/// what storage needs and hands over what storage holds ([`InStorage`]).
///
/// `stored` is the session as storage last gave it; what is shown is that
/// plus the changes storage refused (which the sync layer keeps, and hands
/// over with it in [`InStorage`]) and the changes made here
/// that storage has not answered yet (`pending`), oldest first. Saves of
/// one tab commit in the order they were made, so an answer always belongs
/// to the oldest pending change, and a session from another tab never hides
/// a change in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbench {
    pub session: Session,
    pub stored: Session,
    pub pending: VecDeque<Action>,
    /// Inverse actions, the most recent last.
    pub undo: Vec<Action>,
    /// Actions undone, the most recent last.
    pub redo: Vec<Action>,
    /// The last action rejected, with the engine's reason.
    pub rejected: Option<String>,
    /// Changes of this tab that storage confirmed before the tab judged
    /// them, each with its inverse: a judgement is saved at the click and
    /// judged when its results are in, which may be after the save (a slow
    /// recalculation). The judgement then finds the change shown already,
    /// and takes its history entry from here.
    pub early: Vec<(Action, Action)>,
    /// The changes made here, numbered: the page saves each new one.
    pub outbox: Outbox,
    /// Clicks sent to the worker and saved, not judged yet (they are shown
    /// with their results): the next click applies to what they make of
    /// the settings ([`Workbench::click_base`]).
    pub asked: Vec<Action>,
    /// What the page says about storage.
    pub status: Status,
}

/// What the page says about storage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Status {
    /// When this tab last saved, as the user reads a time.
    pub saved_at: Option<String>,
    /// Storage trouble to say, in plain words.
    pub problem: Option<String>,
    /// The storage key of a session text that does not read, which the user
    /// can download.
    pub unreadable_key: Option<String>,
    /// Where sessions are kept, when that is not IndexedDB.
    pub mode_note: Option<String>,
    /// Changes storage refused are waiting to be saved again.
    pub unsaved: bool,
}

/// News from storage for the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum Storage {
    /// What storage says now: trouble (if any) and the key of an
    /// unreadable text, whether changes wait to be saved again, and when
    /// this tab saved last if it just did.
    Noticed { problem: Option<String>, unreadable_key: Option<String>, unsaved: bool, saved_at: Option<String> },
    /// Sessions are kept elsewhere than in IndexedDB.
    Mode(String),
    /// Something storage could not do for the user (a download).
    Problem(String),
}

/// The latest change to save and how many there have been.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outbox {
    pub count: u64,
    pub last: Option<Action>,
    /// The page saved it already, as the user made it (a judgement is
    /// saved at the click, before the page renders, so that the other tabs
    /// hear of it sooner); undo and redo are saved from here.
    pub eager: bool,
}

/// What storage holds for the segment, as this tab knows it: the stored
/// session and the changes storage refused (oldest first), which the tab
/// shows on top until they are saved.
#[derive(Debug, Clone, PartialEq)]
pub struct InStorage {
    pub session: Session,
    pub refused: Vec<Action>,
}

#[cfg(test)]
impl InStorage {
    /// A stored session with nothing refused.
    pub fn new(session: Session) -> InStorage {
        InStorage { session, refused: Vec::new() }
    }
}

/// Everything that changes the workbench.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A click sent to the worker ahead of its judgement.
    Ask(Action),
    /// A judgement made here.
    Judge(Action),
    /// Undo the last judgement made here.
    Undo,
    /// Redo the last judgement undone.
    Redo,
    /// Storage answered a change (saved, or found to change nothing, or
    /// refused: it is then among the refused); what storage holds is as of
    /// that answer. It settles the oldest pending change equal to it.
    Settled(InStorage, Action),
    /// What storage holds, read on start, when another tab saved, or after
    /// refused changes were saved: it replaces what is stored when it is not
    /// older.
    Loaded(InStorage),
    /// The session shown came from a message that storage did not confirm
    /// (no save stood behind it): show storage's, even though it is older.
    Replaced(InStorage),
    /// News from storage for the status line.
    Storage(Storage),
}

impl Workbench {
    pub fn new(session: Session) -> Workbench {
        Workbench {
            stored: session.clone(),
            session,
            pending: VecDeque::new(),
            undo: Vec::new(),
            redo: Vec::new(),
            rejected: None,
            early: Vec::new(),
            outbox: Outbox::default(),
            asked: Vec::new(),
            status: Status::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.session.settings
    }

    /// What a click applies to: the settings shown with the clicks asked
    /// ahead on top.
    pub fn click_base(&self) -> Settings {
        Action::replay(self.settings(), &self.asked)
    }

    /// What a click means, and what it makes of the settings when it
    /// changes them ([`toggled_again`] on [`Workbench::click_base`]).
    pub fn click(&self, a: Action) -> (Action, Option<Settings>) {
        let base = self.click_base();
        let (a, next) = toggled_again(a, &base);
        (a, next.ok().filter(|next| *next != base))
    }

    /// Applies `msg`; pure, so it is tested without a browser.
    pub fn update(&self, msg: Msg) -> Workbench {
        let mut next = self.clone();
        next.rejected = None;
        match msg {
            Msg::Ask(action) => next.asked.push(action),
            Msg::Judge(action) => {
                if let Some(k) = next.asked.iter().position(|a| *a == action) {
                    next.asked.remove(k);
                }
                next.judge(action);
            }
            Msg::Undo => {
                if let Some(action) = next.undo.pop() {
                    next.apply_history(action, |w| &mut w.redo);
                }
            }
            Msg::Redo => {
                if let Some(action) = next.redo.pop() {
                    next.apply_history(action, |w| &mut w.undo);
                }
            }
            Msg::Settled(stored, action) => {
                match next.pending.iter().position(|a| *a == action) {
                    Some(k) => {
                        next.pending.remove(k);
                    }
                    // Saved before it was judged here (see `early`).
                    None => {
                        if matches!(action.apply(self.settings()), Ok(ref s) if s != self.settings()) {
                            next.early.push((action.clone(), action.inverse(self.settings())));
                        }
                    }
                }
                next.rebase(stored);
            }
            Msg::Loaded(stored) => {
                if stored.session.sync_version >= self.stored.sync_version {
                    next.rebase(stored);
                }
            }
            Msg::Replaced(stored) => next.rebase(stored),
            Msg::Storage(news) => next.status.hear(news),
        }
        next
    }

    /// Applies a judgement made here: its inverse goes on the undo stack,
    /// and it is saved.
    fn judge(&mut self, action: Action) {
        match action.apply(self.settings()) {
            Ok(settings) if settings == *self.settings() => {
                // Saved before it was judged (see `early`).
                if let Some(k) = self.early.iter().position(|(a, _)| *a == action) {
                    let (_, inverse) = self.early.remove(k);
                    self.undo.push(inverse);
                    self.redo.clear();
                }
            }
            Ok(settings) => {
                self.undo.push(action.inverse(self.settings()));
                self.redo.clear();
                self.session.settings = settings;
                self.send(action, true);
            }
            Err(e) => self.rejected = Some(e.to_string()),
        }
    }

    /// Shows what storage holds with the refused and the pending changes on
    /// top (one that no longer applies is shown as storage has it).
    fn rebase(&mut self, stored: InStorage) {
        let mut session = stored.session.clone();
        session.settings = Action::replay(&session.settings, stored.refused.iter().chain(&self.pending));
        self.stored = stored.session;
        self.session = session;
    }

    fn send(&mut self, action: Action, eager: bool) {
        self.pending.push_back(action.clone());
        self.outbox.count += 1;
        self.outbox.last = Some(action);
        self.outbox.eager = eager;
    }

    /// Applies an undo or redo action and records its inverse on the other
    /// stack.
    fn apply_history(&mut self, action: Action, other: fn(&mut Workbench) -> &mut Vec<Action>) {
        match action.apply(self.settings()) {
            Ok(settings) => {
                let inverse = action.inverse(self.settings());
                other(self).push(inverse);
                let changed = settings != *self.settings();
                self.session.settings = settings;
                if changed {
                    self.send(action, false);
                }
            }
            Err(e) => self.rejected = Some(e.to_string()),
        }
    }
}

/// A click on a ratio, an origin or a diagonal toggles it as the user last
/// saw it; a second click that comes before the first is rendered would ask
/// for what the first already did, so it means the other way. Returns the
/// action meant and what it makes of `latest` (applied once: at the limits
/// of a session's lists each application copies a list of thousands).
fn toggled_again(a: Action, latest: &Settings) -> (Action, Result<Settings, EngineError>) {
    let next = a.apply(latest);
    let unchanged = matches!(next, Ok(ref next) if next == latest);
    let flipped = match a {
        Action::SetCellDropped { origin, age, dropped } if unchanged => {
            Action::SetCellDropped { origin, age, dropped: !dropped }
        }
        Action::SetOriginDropped { origin, dropped } if unchanged => {
            Action::SetOriginDropped { origin, dropped: !dropped }
        }
        Action::SetValuationDropped { valuation, dropped } if unchanged => {
            Action::SetValuationDropped { valuation, dropped: !dropped }
        }
        other => return (other, next),
    };
    let next = flipped.apply(latest);
    (flipped, next)
}

impl Status {
    fn hear(&mut self, news: Storage) {
        match news {
            Storage::Noticed { problem, unreadable_key, unsaved, saved_at } => {
                self.problem = problem;
                self.unreadable_key = unreadable_key;
                self.unsaved = unsaved;
                if saved_at.is_some() {
                    self.saved_at = saved_at;
                }
            }
            Storage::Mode(note) => self.mode_note = Some(note),
            Storage::Problem(problem) => self.problem = Some(problem),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::Average;

    fn drop_1996() -> Action {
        Action::SetCellDropped { origin: "1996".into(), age: 3, dropped: true }
    }

    #[test]
    fn judge_undo_redo() {
        let w = Workbench::new(Session::new("quarterly"));
        let w1 = w.update(Msg::Judge(drop_1996()));
        assert_eq!(w1.settings().drops.len(), 1);
        assert_eq!(w1.undo.len(), 1);
        let w2 = w1.update(Msg::Undo);
        assert!(w2.settings().drops.is_empty());
        assert_eq!(w2.redo.len(), 1);
        let w3 = w2.update(Msg::Redo);
        assert_eq!(w3.settings(), w1.settings());
        assert!(w3.redo.is_empty());
        assert_eq!(w3.undo.len(), 1);
    }

    #[test]
    fn a_judgement_that_changes_nothing_is_not_history() {
        let w = Workbench::new(Session::new("quarterly"));
        let w1 = w.update(Msg::Judge(Action::SetAverage(Average::Volume)));
        assert!(w1.undo.is_empty());
    }

    #[test]
    fn a_new_judgement_clears_redo() {
        let w = Workbench::new(Session::new("q")).update(Msg::Judge(drop_1996())).update(Msg::Undo);
        let w = w.update(Msg::Judge(Action::SetAverage(Average::Simple)));
        assert!(w.redo.is_empty());
    }

    #[test]
    fn an_invalid_judgement_is_reported_and_changes_nothing() {
        let w = Workbench::new(Session::new("q"));
        let w1 = w.update(Msg::Judge(Action::SetDefaultApriori(-1.0)));
        assert_eq!(w1.settings(), w.settings());
        assert!(w1.rejected.as_deref().unwrap_or("").contains("-1"));
    }

    #[test]
    fn an_older_stored_session_does_not_replace_a_newer_one() {
        let mut newer = Session::new("q");
        newer.sync_version = 5;
        let w = Workbench::new(newer.clone());
        let mut older = Session::new("q");
        older.sync_version = 4;
        older.settings.drop_high = true;
        assert_eq!(w.update(Msg::Loaded(InStorage::new(older.clone()))).session, newer);
        // Unless the newer one was never stored (a message's, not a save's).
        assert_eq!(w.update(Msg::Replaced(InStorage::new(older.clone()))).session, older);
    }

    #[test]
    fn undo_merges_with_changes_made_elsewhere() {
        // This tab drops a cell; another tab (via storage) sets the average;
        // undoing the drop keeps the other tab's average.
        let w = Workbench::new(Session::new("q")).update(Msg::Judge(drop_1996()));
        let mut stored = w.session.clone();
        stored.sync_version = 2;
        stored.settings.average = Average::Simple;
        let w = w.update(Msg::Settled(InStorage::new(stored), drop_1996())).update(Msg::Undo);
        assert!(w.settings().drops.is_empty());
        assert_eq!(w.settings().average, Average::Simple);
    }

    #[test]
    fn a_change_saved_before_it_is_judged_is_still_undone() {
        // The save's confirmation comes first (the recalculation was slow).
        let w = Workbench::new(Session::new("q"));
        let mut stored = w.session.clone();
        stored.sync_version = 1;
        stored.settings = drop_1996().apply(&stored.settings).unwrap();
        let w = w.update(Msg::Settled(InStorage::new(stored.clone()), drop_1996()));
        assert_eq!(w.settings(), &stored.settings);
        let w = w.update(Msg::Judge(drop_1996()));
        assert!(w.pending.is_empty() && w.early.is_empty());
        assert_eq!(w.outbox.count, 0, "saved already");
        let w = w.update(Msg::Undo);
        assert!(w.settings().drops.is_empty());
        assert_eq!(w.update(Msg::Redo).settings().drops.len(), 1);
    }

    #[test]
    fn every_change_goes_to_the_outbox_once() {
        let w = Workbench::new(Session::new("q")).update(Msg::Judge(drop_1996()));
        assert_eq!(w.outbox.count, 1);
        assert_eq!(w.outbox.last, Some(drop_1996()));
        let w = w.update(Msg::Undo);
        assert_eq!(w.outbox.count, 2);
        assert_eq!(w.outbox.last, Some(Action::SetCellDropped { origin: "1996".into(), age: 3, dropped: false }));
        // Nothing to undo: nothing to save.
        assert_eq!(w.update(Msg::Undo).outbox.count, 2);
    }

    #[test]
    fn another_tab_does_not_hide_a_change_in_flight() {
        let w = Workbench::new(Session::new("q")).update(Msg::Judge(drop_1996()));
        let mut other = Session::new("q");
        other.sync_version = 1;
        other.settings.average = Average::Simple;
        let w = w.update(Msg::Loaded(InStorage::new(other.clone())));
        assert_eq!(w.settings().average, Average::Simple);
        assert_eq!(w.settings().drops.len(), 1, "the pending drop stays shown");
        // The save lands on top of the other tab's version.
        let mut saved = other;
        saved.sync_version = 2;
        saved.settings.drops = w.settings().drops.clone();
        let w = w.update(Msg::Settled(InStorage::new(saved.clone()), drop_1996()));
        assert!(w.pending.is_empty());
        assert_eq!(w.session, saved);
    }

    #[test]
    fn a_second_click_before_the_first_renders_toggles_back() {
        let drop = Action::SetCellDropped { origin: "1996".into(), age: 3, dropped: true };
        let before = Settings::default();
        let after = drop.apply(&before).unwrap();
        assert_eq!(toggled_again(drop.clone(), &before), (drop.clone(), Ok(after.clone())));
        let undrop = Action::SetCellDropped { origin: "1996".into(), age: 3, dropped: false };
        assert_eq!(toggled_again(drop.clone(), &after), (undrop.clone(), Ok(before.clone())));
        // Other settings are set, not toggled.
        let avg = Action::SetDropHigh(false);
        assert_eq!(toggled_again(avg.clone(), &before), (avg.clone(), Ok(before)));
        // On the workbench: a click asked ahead counts, and a click that
        // changes nothing has no settings to send.
        let w = Workbench::new(Session::new("q"));
        assert_eq!(w.click(drop.clone()), (drop.clone(), Some(after.clone())));
        assert_eq!(w.update(Msg::Ask(drop.clone())).click(drop), (undrop, Some(Settings::default())));
        assert_eq!(w.click(avg.clone()), (avg, None));
    }

    #[test]
    fn a_click_applies_to_the_clicks_asked_before_it() {
        let w = Workbench::new(Session::new("q")).update(Msg::Ask(drop_1996()));
        assert!(w.settings().drops.is_empty(), "shown when judged");
        assert_eq!(w.click_base().drops.len(), 1);
        let w = w.update(Msg::Judge(drop_1996()));
        assert!(w.asked.is_empty());
        assert_eq!(w.click_base(), *w.settings());
        assert_eq!(w.settings().drops.len(), 1);
    }

    #[test]
    fn storage_news_keeps_the_last_save_time() {
        let saved = |at: Option<&str>| Storage::Noticed {
            problem: None,
            unreadable_key: None,
            unsaved: false,
            saved_at: at.map(String::from),
        };
        let w = Workbench::new(Session::new("q")).update(Msg::Storage(saved(Some("10:02"))));
        let w = w.update(Msg::Storage(Storage::Problem("full".into()))).update(Msg::Storage(saved(None)));
        assert_eq!((w.status.saved_at.as_deref(), w.status.problem.as_deref()), (Some("10:02"), None));
    }

    #[test]
    fn a_refused_change_is_shown_until_it_is_saved() {
        let w = Workbench::new(Session::new("q")).update(Msg::Judge(drop_1996()));
        // Storage refused it: the stored session is unchanged, the change
        // is among the refused, and it stays shown.
        let refused = InStorage { session: Session::new("q"), refused: vec![drop_1996()] };
        let w = w.update(Msg::Settled(refused, drop_1996()));
        assert!(w.pending.is_empty());
        assert_eq!(w.settings().drops.len(), 1);
        // Another tab's save shows under it.
        let mut other = Session::new("q");
        other.sync_version = 1;
        other.settings.average = Average::Simple;
        let w = w.update(Msg::Loaded(InStorage { session: other.clone(), refused: vec![drop_1996()] }));
        assert_eq!((w.settings().average, w.settings().drops.len()), (Average::Simple, 1));
        // Saved at last: storage holds it, nothing is refused.
        let mut saved = other;
        saved.sync_version = 2;
        saved.settings = drop_1996().apply(&saved.settings).unwrap();
        let w = w.update(Msg::Loaded(InStorage::new(saved.clone())));
        assert_eq!(w.session, saved);
    }
}
