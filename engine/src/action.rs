//! Every judgement the actuary makes, as an [`Action`] on [`Settings`].
//!
//! Actions are what a tab saves: the save replays this tab's action onto the
//! session as it is stored now, which another tab may have changed since this
//! one read it (see `docs/sync-protocol.md`). So every action *sets* a value
//! and never toggles one: replayed onto a changed session, a change to another
//! setting survives, and for the same setting the later save wins. Undo is an
//! action too ([`Action::inverse`]), so that undoing merges with other tabs'
//! changes instead of writing back a whole old state.
//!
//! [`Action::apply`] checks each value against the same ranges as
//! [`Session::from_yaml`](crate::Session::from_yaml), so an action can never
//! produce a session that would not load back. It keeps the settings in their
//! canonical form (drop lists sorted without duplicates, nothing stored for
//! an origin that keeps the default method), so that an equal judgement gives
//! equal settings and a change that leaves the settings equal saves nothing.

use crate::session::{
    check_fit_period, Whole, AGE, APRIORI, BENKTANDER_ITERATIONS, BOOTSTRAP_SEED, BOOTSTRAP_SIMS, CAPE_COD_DECAY,
    CAPE_COD_TREND, LDF, N_PERIODS, TAIL_CONSTANT, TAIL_DECAY, TAIL_EXTRAP_PERIODS, TAIL_PROJECTION_MONTHS,
};
use crate::session::{Average, CellDrop, ColumnAverage, Method, SigmaInterpolation, TailCurve};
use crate::{EngineError, Settings};
use serde::{Deserialize, Serialize};

/// One change to the settings, with set semantics: applying it twice is the
/// same as applying it once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// The measure being reserved; `None` is the segment's first.
    SetMeasure(Option<String>),
    SetAverage(Average),
    /// Only the latest n link ratios of each column; `None` is all.
    SetNPeriods(Option<u32>),
    /// Leaves out (or puts back) the link ratio from `age` of `origin`.
    SetCellDropped {
        origin: String,
        age: u32,
        dropped: bool,
    },
    /// Leaves out (or puts back) every link ratio of an origin.
    SetOriginDropped {
        origin: String,
        dropped: bool,
    },
    /// Leaves out (or puts back) every link ratio on a diagonal.
    SetValuationDropped {
        valuation: String,
        dropped: bool,
    },
    SetDropHigh(bool),
    SetDropLow(bool),
    SetSigmaInterpolation(SigmaInterpolation),
    SetTailCurve(TailCurve),
    SetTailConstant(f64),
    SetTailDecay(f64),
    /// The ages `[from, to]` of the factors a tail curve is fitted to.
    SetTailFitPeriod(Option<u32>, Option<u32>),
    SetTailAttachmentAge(Option<u32>),
    /// The expert override of the periods a fitted curve is extrapolated
    /// over; `None` removes it (the tail's length in months then rules).
    SetTailExtrapPeriods(Option<u32>),
    /// The tail's length in months; `None` removes the key.
    SetTailProjectionMonths(Option<u32>),
    /// The average chosen for the development column starting at `age`;
    /// `None` returns the column to the session's average.
    SetColumnAverage {
        age: u32,
        average: Option<ColumnAverage>,
    },
    /// A factor typed for the development column starting at `age`; `None`
    /// returns the column to its average.
    SetColumnFactor {
        age: u32,
        factor: Option<f64>,
    },
    SetDefaultApriori(f64),
    /// An origin's BF expected loss ratio; `None` returns it to the default.
    SetApriori {
        origin: String,
        value: Option<f64>,
    },
    /// The same BF expected loss ratio for several origins at once.
    FillApriori {
        origins: Vec<String>,
        value: f64,
    },
    SetBenktanderIterations(u32),
    SetCapeCodTrend(f64),
    SetCapeCodDecay(f64),
    /// The method whose ultimate counts for an origin; `None` (or the
    /// chainladder) is the default, and nothing is stored for it.
    SetSelected {
        origin: String,
        method: Option<Method>,
    },
    /// The reserve range's number of simulations.
    SetBootstrapSims(u32),
    /// The reserve range's seed.
    SetBootstrapSeed(u64),
    /// Whether the reserve range adds process risk.
    SetBootstrapProcess(crate::session::Process),
    /// Several actions as one: all of them apply, or none does. An undo of
    /// a compound change is one batch.
    Batch(Vec<Action>),
    /// Every setting at once, as a session file gives them (a session the
    /// user uploads). Its values are checked as a session file's are.
    Replace(Box<Settings>),
}

impl Action {
    /// The settings after this action, or an error naming the session key
    /// and the value when a value is out of the range the session file
    /// allows (the settings given are then unchanged).
    pub fn apply(&self, settings: &Settings) -> Result<Settings, EngineError> {
        let mut s = settings.clone();
        self.apply_in_place(&mut s)?;
        s.check_sizes()?;
        Ok(s)
    }

    /// The settings after `changes`, in order, where a change that no
    /// longer applies is passed over: what a tab shows is the stored
    /// session with its own changes not yet stored on top, and another
    /// tab's value may have made one of them invalid since it was made.
    pub fn replay<'a>(settings: &Settings, changes: impl IntoIterator<Item = &'a Action>) -> Settings {
        let mut shown = settings.clone();
        for change in changes {
            if let Ok(next) = change.apply(&shown) {
                shown = next;
            }
        }
        shown
    }

    fn apply_in_place(&self, s: &mut Settings) -> Result<(), EngineError> {
        match self {
            Action::SetMeasure(m) => s.measure = m.clone(),
            Action::SetAverage(a) => s.average = *a,
            Action::SetNPeriods(n) => s.n_periods = n.map(|n| whole(N_PERIODS, "n_periods", n)).transpose()?,
            Action::SetCellDropped { origin, age, dropped } => {
                let age = whole(AGE, "drops", *age)?;
                let drop = CellDrop { origin: origin.clone(), age };
                set_member(&mut s.drops, drop, *dropped);
            }
            Action::SetOriginDropped { origin, dropped } => set_member(&mut s.drop_origins, origin.clone(), *dropped),
            Action::SetValuationDropped { valuation, dropped } => {
                set_member(&mut s.drop_valuations, valuation.clone(), *dropped)
            }
            Action::SetDropHigh(b) => s.drop_high = *b,
            Action::SetDropLow(b) => s.drop_low = *b,
            Action::SetSigmaInterpolation(i) => s.sigma_interpolation = *i,
            Action::SetTailCurve(c) => s.tail_curve = *c,
            Action::SetTailConstant(x) => s.tail_constant = TAIL_CONSTANT.check("tail_constant", *x)?,
            Action::SetTailDecay(x) => s.tail_decay = TAIL_DECAY.check("tail_decay", *x)?,
            Action::SetTailFitPeriod(from, to) => {
                s.tail_fit_period = check_fit_period("tail_fit_period", (*from, *to))?
            }
            Action::SetTailAttachmentAge(a) => {
                s.tail_attachment_age = a.map(|a| whole(AGE, "tail_attachment_age", a)).transpose()?
            }
            Action::SetTailExtrapPeriods(n) => {
                s.tail_extrap_periods = n.map(|n| whole(TAIL_EXTRAP_PERIODS, "tail_extrap_periods", n)).transpose()?
            }
            Action::SetTailProjectionMonths(n) => {
                s.tail_projection_months =
                    n.map(|n| whole(TAIL_PROJECTION_MONTHS, "tail_projection_months", n)).transpose()?
            }
            Action::SetColumnAverage { age, average } => {
                let key = format!("average_by_age.{age}");
                let age = whole(AGE, &key, *age)?;
                match average {
                    Some(c) => {
                        if let Some(n) = c.n_periods {
                            whole(N_PERIODS, &format!("{key}.n_periods"), n)?;
                        }
                        s.average_by_age.insert(age, *c);
                    }
                    None => {
                        s.average_by_age.remove(&age);
                    }
                }
            }
            Action::SetColumnFactor { age, factor } => {
                let key = format!("ldf_by_age.{age}");
                let age = whole(AGE, &key, *age)?;
                match factor {
                    Some(f) => {
                        s.ldf_by_age.insert(age, LDF.check(&key, *f)?);
                    }
                    None => {
                        s.ldf_by_age.remove(&age);
                    }
                }
            }
            Action::SetDefaultApriori(x) => s.default_apriori = APRIORI.check("default_apriori", *x)?,
            Action::SetApriori { origin, value } => match value {
                Some(x) => {
                    let x = APRIORI.check(&apriori_key(origin), *x)?;
                    s.bf_apriori_by_uwy.insert(origin.clone(), x);
                }
                None => {
                    s.bf_apriori_by_uwy.remove(origin);
                }
            },
            Action::FillApriori { origins, value } => {
                for origin in origins {
                    let x = APRIORI.check(&apriori_key(origin), *value)?;
                    s.bf_apriori_by_uwy.insert(origin.clone(), x);
                }
            }
            Action::SetBenktanderIterations(n) => {
                s.benktander_iterations = whole(BENKTANDER_ITERATIONS, "benktander_iterations", *n)?
            }
            Action::SetCapeCodTrend(x) => s.cape_cod_trend = CAPE_COD_TREND.check("cape_cod_trend", *x)?,
            Action::SetCapeCodDecay(x) => s.cape_cod_decay = CAPE_COD_DECAY.check("cape_cod_decay", *x)?,
            Action::SetSelected { origin, method } => match method {
                Some(m) if *m != Method::default() => {
                    s.selected_ultimate_by_uwy.insert(origin.clone(), *m);
                }
                _ => {
                    s.selected_ultimate_by_uwy.remove(origin);
                }
            },
            Action::SetBootstrapSims(n) => s.bootstrap_sims = BOOTSTRAP_SIMS.check("bootstrap_sims", (*n).into())?,
            Action::SetBootstrapSeed(n) => s.bootstrap_seed = BOOTSTRAP_SEED.check("bootstrap_seed", *n)?,
            Action::SetBootstrapProcess(p) => s.bootstrap_process = *p,
            Action::Batch(actions) => {
                for a in actions {
                    a.apply_in_place(s)?;
                }
            }
            Action::Replace(settings) => *s = checked(settings)?,
        }
        Ok(())
    }

    /// The action that undoes this one, given the settings before it was
    /// applied. It sets back only what this action set, so undoing after
    /// another tab changed other settings keeps their changes.
    pub fn inverse(&self, before: &Settings) -> Action {
        match self {
            Action::SetMeasure(_) => Action::SetMeasure(before.measure.clone()),
            Action::SetAverage(_) => Action::SetAverage(before.average),
            Action::SetNPeriods(_) => Action::SetNPeriods(before.n_periods),
            Action::SetCellDropped { origin, age, .. } => Action::SetCellDropped {
                origin: origin.clone(),
                age: *age,
                dropped: before.drops.iter().any(|d| d.origin == *origin && d.age == *age),
            },
            Action::SetOriginDropped { origin, .. } => {
                Action::SetOriginDropped { origin: origin.clone(), dropped: before.drop_origins.contains(origin) }
            }
            Action::SetValuationDropped { valuation, .. } => Action::SetValuationDropped {
                valuation: valuation.clone(),
                dropped: before.drop_valuations.contains(valuation),
            },
            Action::SetDropHigh(_) => Action::SetDropHigh(before.drop_high),
            Action::SetDropLow(_) => Action::SetDropLow(before.drop_low),
            Action::SetSigmaInterpolation(_) => Action::SetSigmaInterpolation(before.sigma_interpolation),
            Action::SetTailCurve(_) => Action::SetTailCurve(before.tail_curve),
            Action::SetTailConstant(_) => Action::SetTailConstant(before.tail_constant),
            Action::SetTailDecay(_) => Action::SetTailDecay(before.tail_decay),
            Action::SetTailFitPeriod(..) => {
                Action::SetTailFitPeriod(before.tail_fit_period.0, before.tail_fit_period.1)
            }
            Action::SetTailAttachmentAge(_) => Action::SetTailAttachmentAge(before.tail_attachment_age),
            Action::SetTailExtrapPeriods(_) => Action::SetTailExtrapPeriods(before.tail_extrap_periods),
            Action::SetTailProjectionMonths(_) => Action::SetTailProjectionMonths(before.tail_projection_months),
            Action::SetColumnAverage { age, .. } => {
                Action::SetColumnAverage { age: *age, average: before.average_by_age.get(age).copied() }
            }
            Action::SetColumnFactor { age, .. } => {
                Action::SetColumnFactor { age: *age, factor: before.ldf_by_age.get(age).copied() }
            }
            Action::SetDefaultApriori(_) => Action::SetDefaultApriori(before.default_apriori),
            Action::SetApriori { origin, .. } => {
                Action::SetApriori { origin: origin.clone(), value: before.bf_apriori_by_uwy.get(origin).copied() }
            }
            Action::FillApriori { origins, .. } => {
                let mut origins = origins.clone();
                origins.sort();
                origins.dedup();
                Action::Batch(
                    origins
                        .into_iter()
                        .map(|origin| Action::SetApriori {
                            value: before.bf_apriori_by_uwy.get(&origin).copied(),
                            origin,
                        })
                        .collect(),
                )
            }
            Action::SetBenktanderIterations(_) => Action::SetBenktanderIterations(before.benktander_iterations),
            Action::SetCapeCodTrend(_) => Action::SetCapeCodTrend(before.cape_cod_trend),
            Action::SetCapeCodDecay(_) => Action::SetCapeCodDecay(before.cape_cod_decay),
            Action::SetSelected { origin, .. } => Action::SetSelected {
                origin: origin.clone(),
                method: before.selected_ultimate_by_uwy.get(origin).copied(),
            },
            Action::SetBootstrapSims(_) => Action::SetBootstrapSims(before.bootstrap_sims),
            Action::SetBootstrapSeed(_) => Action::SetBootstrapSeed(before.bootstrap_seed),
            Action::SetBootstrapProcess(_) => Action::SetBootstrapProcess(before.bootstrap_process),
            Action::Replace(_) => Action::Replace(Box::new(before.clone())),
            Action::Batch(actions) => {
                // Undo runs backwards: each step is inverted against the
                // settings just before it. A step that does not apply stops
                // the batch, so the steps after it are not undone either.
                let mut state = before.clone();
                let mut undo = Vec::with_capacity(actions.len());
                for a in actions {
                    undo.push(a.inverse(&state));
                    if a.apply_in_place(&mut state).is_err() {
                        break;
                    }
                }
                undo.reverse();
                Action::Batch(undo)
            }
        }
    }
}

/// The canonical form of settings: drop lists sorted without duplicates, and
/// no entry for an origin that keeps the default method. Settings that
/// express the same judgement are equal in this form. Actions keep settings
/// canonical; a session file written by hand need not be, so compare
/// `canonical(a) == canonical(b)` when either came from a file.
pub fn canonical(settings: &Settings) -> Settings {
    let mut s = settings.clone();
    s.drops.sort();
    s.drops.dedup();
    s.drop_origins.sort();
    s.drop_origins.dedup();
    s.drop_valuations.sort();
    s.drop_valuations.dedup();
    s.selected_ultimate_by_uwy.retain(|_, m| *m != Method::default());
    s
}

/// Settings checked against the ranges of the session file, by reading
/// them back as one: a whole set of settings is only ever as valid as the
/// file it could be written to. In canonical form.
fn checked(settings: &Settings) -> Result<Settings, EngineError> {
    let mut session = crate::Session::new("");
    session.settings = settings.clone();
    let read = crate::Session::from_value(session.to_value(), "")?;
    Ok(canonical(&read.settings))
}

fn whole(range: Whole, key: &str, n: u32) -> Result<u32, EngineError> {
    range.check(key, n.into())
}

/// The key an origin's apriori has in error messages, as the session reader
/// names it.
fn apriori_key(origin: &str) -> String {
    format!("bf_apriori_by_uwy.{origin}")
}

/// Puts `item` in or out of a drop list, leaving the list sorted without
/// duplicates (a list read from a file by hand is put in that form first).
fn set_member<T: Ord>(list: &mut Vec<T>, item: T, member: bool) {
    if !list.is_sorted_by(|a, b| a < b) {
        list.sort();
        list.dedup();
    }
    match (list.binary_search(&item), member) {
        (Err(at), true) => list.insert(at, item),
        (Ok(at), false) => {
            list.remove(at);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;
    use proptest::prelude::*;
    use serde_yaml::{Mapping, Value};

    fn origin(o: &str) -> String {
        o.to_string()
    }

    #[test]
    fn replacing_every_setting_checks_them_and_undoes_to_the_old_ones() {
        let before = Action::SetDropHigh(true).apply(&Settings::default()).unwrap();
        let upload = Settings {
            average: crate::session::Average::Geometric,
            drop_origins: vec![origin("2001"), origin("1999"), origin("2001")].into(),
            ..Settings::default()
        };
        let a = Action::Replace(Box::new(upload));
        let after = a.apply(&before).unwrap();
        assert_eq!(after.average, crate::session::Average::Geometric);
        assert!(!after.drop_high);
        assert_eq!(*after.drop_origins, ["1999", "2001"]);
        assert_eq!(a.inverse(&before).apply(&after).unwrap(), before);
        let bad = Settings { default_apriori: -1.0, ..Settings::default() };
        let e = Action::Replace(Box::new(bad)).apply(&before).unwrap_err().to_string();
        assert!(e.contains("default_apriori"), "{e}");
    }

    #[test]
    fn drops_stay_sorted_without_duplicates() {
        let mut s = Settings::default();
        for (o, age) in [("1999", 12), ("1996", 3), ("1999", 12), ("1996", 6)] {
            let a = Action::SetCellDropped { origin: origin(o), age, dropped: true };
            s = a.apply(&s).unwrap();
        }
        let ages: Vec<_> = s.drops.iter().map(|d| (d.origin.as_str(), d.age)).collect();
        assert_eq!(ages, [("1996", 3), ("1996", 6), ("1999", 12)]);
        let a = Action::SetCellDropped { origin: origin("1996"), age: 6, dropped: false };
        assert_eq!(a.apply(&s).unwrap().drops.len(), 2);
    }

    #[test]
    fn a_hand_written_drop_list_is_put_in_order_when_touched() {
        let s = Session::from_yaml("drop_origins: ['2001', '1999', '2001']", "q").unwrap();
        let a = Action::SetOriginDropped { origin: origin("2000"), dropped: true };
        assert_eq!(*a.apply(&s.settings).unwrap().drop_origins, ["1999", "2000", "2001"]);
        // Other lists are left as they were read: nothing is saved for them.
        let b = Action::SetDropHigh(false);
        assert_eq!(b.apply(&s.settings).unwrap(), s.settings);
    }

    #[test]
    fn the_default_method_is_stored_as_nothing() {
        let s = Settings::default();
        let bf = Action::SetSelected { origin: origin("2006"), method: Some(Method::CapeCod) };
        let s1 = bf.apply(&s).unwrap();
        assert_eq!(s1.selected("2006"), Method::CapeCod);
        for back in [None, Some(Method::Chainladder)] {
            let a = Action::SetSelected { origin: origin("2006"), method: back };
            assert_eq!(a.apply(&s1).unwrap(), s);
        }
    }

    #[test]
    fn apriori_none_returns_to_the_default() {
        let s = Action::SetApriori { origin: origin("2000"), value: Some(0.7) }.apply(&Settings::default()).unwrap();
        assert_eq!(s.apriori("2000"), 0.7);
        let s = Action::SetApriori { origin: origin("2000"), value: None }.apply(&s).unwrap();
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn fill_apriori_is_undone_origin_by_origin() {
        let before =
            Action::SetApriori { origin: origin("2001"), value: Some(0.9) }.apply(&Settings::default()).unwrap();
        let fill = Action::FillApriori { origins: vec![origin("2002"), origin("2001"), origin("2002")], value: 0.65 };
        let after = fill.apply(&before).unwrap();
        assert_eq!((after.apriori("2001"), after.apriori("2002")), (0.65, 0.65));
        assert_eq!(fill.inverse(&before).apply(&after).unwrap(), before);
    }

    #[test]
    fn out_of_range_values_name_key_and_value() {
        let s = Settings::default();
        let cases = [
            (Action::SetTailDecay(1.5), "tail_decay", "1.5"),
            (Action::SetTailConstant(0.0), "tail_constant", "0"),
            (Action::SetDefaultApriori(f64::NAN), "default_apriori", "NaN"),
            (Action::SetApriori { origin: origin("2000"), value: Some(-0.5) }, "bf_apriori_by_uwy.2000", "-0.5"),
            (Action::SetNPeriods(Some(0)), "n_periods", "0"),
            (Action::SetTailExtrapPeriods(Some(10_001)), "tail_extrap_periods", "10001"),
            (Action::SetColumnFactor { age: 3, factor: Some(-1.0) }, "ldf_by_age.3", "-1"),
            (Action::SetCellDropped { origin: origin("1996"), age: 0, dropped: true }, "drops", "0"),
            (Action::SetTailFitPeriod(Some(48), Some(12)), "tail_fit_period", "48"),
            (Action::SetCapeCodTrend(-1.0), "cape_cod_trend", "-1"),
            (Action::SetBenktanderIterations(1_001), "benktander_iterations", "1001"),
        ];
        for (action, key, value) in cases {
            let e = action.apply(&s).unwrap_err().to_string();
            assert!(e.contains(&format!("`{key}`")) && e.contains(value), "{e}");
        }
    }

    #[test]
    fn a_batch_applies_whole_or_not_at_all() {
        let s = Settings::default();
        let batch = Action::Batch(vec![Action::SetDropHigh(true), Action::SetTailDecay(2.0)]);
        assert!(batch.apply(&s).is_err());
        let batch = Action::Batch(vec![Action::SetDropHigh(true), Action::SetDropLow(true)]);
        let after = batch.apply(&s).unwrap();
        assert!(after.drop_high && after.drop_low);
        assert_eq!(batch.inverse(&s).apply(&after).unwrap(), s);
    }

    #[test]
    fn undo_keeps_another_tabs_change_to_another_setting() {
        let mine = Action::SetAverage(Average::Simple);
        let before = Settings::default();
        let undo = mine.inverse(&before);
        let stored = mine.apply(&before).unwrap();
        let theirs = Action::SetDropHigh(true).apply(&stored).unwrap();
        let undone = undo.apply(&theirs).unwrap();
        assert_eq!(undone.average, Average::Volume);
        assert!(undone.drop_high);
    }

    #[test]
    fn actions_travel_as_json() {
        let a = Action::Batch(vec![
            Action::SetTailFitPeriod(Some(12), None),
            Action::SetSelected { origin: origin("2006"), method: Some(Method::Benktander) },
        ]);
        let text = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Action>(&text).unwrap(), a);
    }

    // ---- properties ----

    /// A few origins, so that actions often meet the same one, and now and
    /// then any text at all (origins are labels the user's data brings).
    fn label() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prop::sample::select(vec!["1996", "1997", "2000", "2004Q3", "2006"])
                .prop_map(String::from),
            1 => "\\PC{0,6}",
        ]
    }

    /// Reals in and around each setting's range, and sometimes anything
    /// (infinities and NaN included).
    fn real() -> impl Strategy<Value = f64> {
        prop_oneof![4 => -1.5..2.5f64, 1 => Just(0.0), 1 => Just(-1.0), 1 => Just(1.0), 1 => any::<f64>()]
    }

    fn whole() -> impl Strategy<Value = u32> {
        prop_oneof![4 => 0u32..130, 1 => Just(1_000), 1 => Just(1_001), 1 => any::<u32>()]
    }

    fn age() -> impl Strategy<Value = u32> {
        prop_oneof![9 => 1u32..121, 1 => Just(0)]
    }

    fn method() -> impl Strategy<Value = Method> {
        prop::sample::select(Method::ALL.iter().map(|(m, _)| *m).collect::<Vec<_>>())
    }

    fn leaf_action() -> impl Strategy<Value = Action> {
        use Action::*;
        prop_oneof![
            prop::option::of("[a-z]{1,8}").prop_map(SetMeasure),
            prop::sample::select(Average::ALL.iter().map(|(a, _)| *a).collect::<Vec<_>>()).prop_map(SetAverage),
            prop::option::of(whole()).prop_map(SetNPeriods),
            (label(), age(), any::<bool>()).prop_map(|(origin, age, dropped)| SetCellDropped { origin, age, dropped }),
            (label(), any::<bool>()).prop_map(|(origin, dropped)| SetOriginDropped { origin, dropped }),
            (label(), any::<bool>()).prop_map(|(valuation, dropped)| SetValuationDropped { valuation, dropped }),
            any::<bool>().prop_map(SetDropHigh),
            any::<bool>().prop_map(SetDropLow),
            prop::sample::select(SigmaInterpolation::ALL.iter().map(|(a, _)| *a).collect::<Vec<_>>())
                .prop_map(SetSigmaInterpolation),
            prop::sample::select(TailCurve::ALL.iter().map(|(a, _)| *a).collect::<Vec<_>>()).prop_map(SetTailCurve),
            real().prop_map(SetTailConstant),
            real().prop_map(SetTailDecay),
            (prop::option::of(age()), prop::option::of(age())).prop_map(|(a, b)| SetTailFitPeriod(a, b)),
            prop::option::of(age()).prop_map(SetTailAttachmentAge),
            prop::option::of(whole()).prop_map(SetTailExtrapPeriods),
            prop::option::of(whole()).prop_map(SetTailProjectionMonths),
            (
                age(),
                prop::option::of((
                    prop::sample::select(Average::ALL.iter().map(|(a, _)| *a).collect::<Vec<_>>()),
                    prop::option::of(whole())
                ))
            )
                .prop_map(|(age, a)| SetColumnAverage {
                    age,
                    average: a.map(|(average, n_periods)| ColumnAverage { average, n_periods })
                }),
            (age(), prop::option::of(real())).prop_map(|(age, factor)| SetColumnFactor { age, factor }),
            prop_oneof![Just(0u32), Just(99), Just(100), Just(10_000), Just(1_000_001), any::<u32>()]
                .prop_map(SetBootstrapSims),
            prop_oneof![Just(0u64), Just((1 << 53) - 1), Just(1 << 53), any::<u64>()].prop_map(SetBootstrapSeed),
            prop::sample::select(vec![crate::session::Process::Gamma, crate::session::Process::None])
                .prop_map(SetBootstrapProcess),
            real().prop_map(SetDefaultApriori),
            (label(), prop::option::of(real())).prop_map(|(origin, value)| SetApriori { origin, value }),
            (prop::collection::vec(label(), 0..4), real()).prop_map(|(origins, value)| FillApriori { origins, value }),
            whole().prop_map(SetBenktanderIterations),
            real().prop_map(SetCapeCodTrend),
            real().prop_map(SetCapeCodDecay),
            (label(), prop::option::of(method())).prop_map(|(origin, method)| SetSelected { origin, method }),
        ]
    }

    pub(crate) fn action() -> impl Strategy<Value = Action> {
        leaf_action().prop_recursive(2, 12, 4, |inner| prop::collection::vec(inner, 0..4).prop_map(Action::Batch))
    }

    /// Valid, canonical settings: what a sequence of actions can reach.
    fn settings() -> impl Strategy<Value = Settings> {
        prop::collection::vec(leaf_action(), 0..12)
            .prop_map(|actions| actions.iter().fold(Settings::default(), |s, a| a.apply(&s).unwrap_or(s)))
    }

    fn round_trip(settings: &Settings) -> Settings {
        let mut session = Session::new("q");
        session.settings = settings.clone();
        match Session::from_yaml(&session.to_yaml(), "q") {
            Ok(s) => s.settings,
            Err(e) => panic!("{e}\n{}", session.to_yaml()),
        }
    }

    proptest! {
        // 512 cases each: about two seconds per property in a debug build.
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn apply_then_inverse_restores(before in settings(), a in action()) {
            if let Ok(after) = a.apply(&before) {
                let undo = a.inverse(&before);
                prop_assert_eq!(undo.apply(&after).unwrap(), before.clone());
                // and redo is the inverse of the undo
                prop_assert_eq!(undo.inverse(&after).apply(&before).unwrap(), after);
            }
        }

        #[test]
        fn apply_is_idempotent(before in settings(), a in action()) {
            if let Ok(after) = a.apply(&before) {
                prop_assert_eq!(a.apply(&after).unwrap(), after);
            }
        }

        #[test]
        fn applied_settings_stay_canonical_and_load_back(before in settings(), a in action()) {
            match a.apply(&before) {
                Ok(after) => {
                    prop_assert_eq!(&canonical(&after), &after);
                    prop_assert_eq!(round_trip(&after), after);
                }
                Err(EngineError::Session { key, message }) => {
                    prop_assert!(!key.is_empty() && !message.is_empty());
                }
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
        }

        /// An action accepts a value exactly when the session file does.
        #[test]
        fn the_same_ranges_as_the_session_file(x in real(), n in whole()) {
            use Action::*;
            let reals: [(&str, Action); 6] = [
                ("tail_constant", SetTailConstant(x)),
                ("tail_decay", SetTailDecay(x)),
                ("default_apriori", SetDefaultApriori(x)),
                ("cape_cod_trend", SetCapeCodTrend(x)),
                ("cape_cod_decay", SetCapeCodDecay(x)),
                ("bf_apriori_by_uwy", SetApriori { origin: origin("2000"), value: Some(x) }),
            ];
            let wholes: [(&str, Action); 6] = [
                ("n_periods", SetNPeriods(Some(n))),
                ("tail_attachment_age", SetTailAttachmentAge(Some(n))),
                ("tail_extrap_periods", SetTailExtrapPeriods(Some(n))),
                ("tail_projection_months", SetTailProjectionMonths(Some(n))),
                ("benktander_iterations", SetBenktanderIterations(n)),
                ("drops", SetCellDropped { origin: origin("2000"), age: n, dropped: true }),
            ];
            for (key, a) in reals.into_iter().chain(wholes) {
                let value = match key {
                    "bf_apriori_by_uwy" => {
                        Value::Mapping(Mapping::from_iter([(Value::from("2000"), Value::from(x))]))
                    }
                    "drops" => Value::Sequence(vec![Value::Sequence(vec!["2000".into(), n.into()])]),
                    _ if a_is_real(&a) => Value::from(x),
                    _ => Value::from(n),
                };
                let text = serde_yaml::to_string(&Mapping::from_iter([(Value::from(key), value)]))
                    .unwrap();
                prop_assert_eq!(
                    a.apply(&Settings::default()).is_ok(),
                    Session::from_yaml(&text, "q").is_ok(),
                    "{:?} against {}", a, text
                );
            }
        }
    }

    fn a_is_real(a: &Action) -> bool {
        matches!(
            a,
            Action::SetTailConstant(_)
                | Action::SetTailDecay(_)
                | Action::SetDefaultApriori(_)
                | Action::SetCapeCodTrend(_)
                | Action::SetCapeCodDecay(_)
        )
    }
}
