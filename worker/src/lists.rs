//! A request's settings with their long lists named by key once the worker
//! has them ([`Settings`] as [`ShippedSettings`]).
//!
//! A session's lists may hold thousands of entries (docs/session.md bounds
//! them), and a click changes at most one of them. Encoding every list on
//! the page's thread and decoding it again in the worker for every click
//! (twice: the figures, then the averages table) was most of what a click
//! cost at the limits. So, as triangles do ([`crate::Shipped`]), a list
//! travels once under a key the page chose, and later requests name it;
//! the worker keeps the last few, and a request that names one it no
//! longer has is answered [`crate::Answer::NeedList`], and sent again
//! with its lists.

use runoff_engine::shared::Shared;
use runoff_engine::Settings;
use serde::{Deserialize, Serialize};
use std::any::Any;
use std::cell::RefCell;

/// Calls `$then!` with the names of a [`Settings`]' lists, in the order
/// every list of lists here follows: the one place that names them.
macro_rules! with_lists {
    ($then:ident) => {
        $then!(
            drops,
            drop_origins,
            drop_valuations,
            average_by_age,
            ldf_by_age,
            bf_apriori_by_uwy,
            selected_ultimate_by_uwy
        )
    };
}

/// How many lists a [`Settings`] has.
pub const LISTS: usize = {
    macro_rules! count {
        ($($list:ident),*) => { [$(stringify!($list)),*].len() };
    }
    with_lists!(count)
};

/// How many lists the worker keeps: a few versions of each.
const KEEP: usize = 4 * LISTS;

/// The key of a list that is carried and not to be kept.
pub const CARRIED: u64 = 0;

/// Settings whose lists are carried or named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShippedSettings {
    /// The settings, with each list that is named left empty.
    pub settings: Settings,
    /// Per list, in the order of [`each`]: the key it is kept under
    /// ([`CARRIED`]: not kept), and whether `settings` carries it.
    pub lists: [(u64, bool); LISTS],
}

impl ShippedSettings {
    /// Every list carried, none kept.
    pub fn full(settings: Settings) -> ShippedSettings {
        ShippedSettings { settings, lists: [(CARRIED, true); LISTS] }
    }

    /// `settings` with list `i` kept under `keys[i]`, and carried where
    /// `carry[i]`, named by its key otherwise.
    pub fn new(settings: &Settings, keys: [u64; LISTS], carry: [bool; LISTS]) -> ShippedSettings {
        // Field by field: the page builds requests and carries none of the
        // worker's code for keeping lists ([`List`]).
        fn keep<T: Default>(list: &mut Shared<T>, carried: bool) {
            if !carried {
                *list = Shared::default();
            }
        }
        let mut s = settings.clone();
        let mut carried = carry.into_iter();
        macro_rules! keep_each {
            ($($list:ident),*) => {{ $(keep(&mut s.$list, carried.next().unwrap_or(true));)* }};
        }
        with_lists!(keep_each);
        ShippedSettings { settings: s, lists: std::array::from_fn(|i| (keys[i], carry[i])) }
    }

    /// In the worker: the settings whole, the lists carried kept for later
    /// requests; `Err(key)` naming a list the worker does not have.
    pub fn settings(self) -> Result<Settings, u64> {
        let ShippedSettings { mut settings, lists } = self;
        KEPT.with(|kept| {
            let mut kept = kept.borrow_mut();
            let mut missing = None;
            let mut i = 0;
            each(&mut settings, &mut |list| {
                let (key, carried) = lists[i];
                i += 1;
                if missing.is_some() {
                    return;
                }
                if carried {
                    if key != CARRIED {
                        list.keep(&mut kept, key);
                    }
                } else if !list.restore(&mut kept, key) {
                    missing = Some(key);
                }
            });
            match missing {
                Some(key) => Err(key),
                None => Ok(settings),
            }
        })
    }
}

/// The identities of `settings`' lists, in the order of [`each`]: equal
/// for two settings that share a list (copies of one [`Shared`] value).
pub fn same(a: &Settings, b: &Settings) -> [bool; LISTS] {
    macro_rules! same_each {
        ($($list:ident),*) => { [$(Shared::same(&a.$list, &b.$list)),*] };
    }
    with_lists!(same_each)
}

/// The lists the worker keeps, by key, most recently used last.
type Kept = Vec<(u64, Box<dyn Any>)>;

thread_local! {
    static KEPT: RefCell<Kept> = const { RefCell::new(Vec::new()) };
}

/// One list of a [`Settings`], whatever it holds.
trait List {
    /// Keeps this list under `key`.
    fn keep(&self, kept: &mut Kept, key: u64);
    /// Takes the list kept under `key`; false if there is none.
    fn restore(&mut self, kept: &mut Kept, key: u64) -> bool;
}

impl<T: Clone + Default + 'static> List for Shared<T> {
    fn keep(&self, kept: &mut Kept, key: u64) {
        kept.retain(|(k, _)| *k != key);
        kept.push((key, Box::new(self.clone())));
        if kept.len() > KEEP {
            kept.remove(0);
        }
    }

    fn restore(&mut self, kept: &mut Kept, key: u64) -> bool {
        let Some(i) = kept.iter().position(|(k, _)| *k == key) else { return false };
        let entry = kept.remove(i);
        let found = entry.1.downcast_ref::<Shared<T>>().cloned();
        kept.push(entry);
        match found {
            Some(list) => {
                *self = list;
                true
            }
            // A key names one list only; one of another type is a page's
            // mistake, answered as a list the worker does not have.
            None => false,
        }
    }
}

/// Calls `f` with each list of `settings`, always in the same order.
fn each(settings: &mut Settings, f: &mut dyn FnMut(&mut dyn List)) {
    macro_rules! each_list {
        ($($list:ident),*) => {{ $(f(&mut settings.$list);)* }};
    }
    with_lists!(each_list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{from_bytes, to_bytes};
    use runoff_engine::session::CellDrop;

    fn settings() -> Settings {
        Settings {
            drops: (0..500).map(|k| CellDrop { origin: format!("{}", 1990 + k % 30), age: 3 * k }).collect(),
            drop_origins: vec!["1995".to_string()].into(),
            bf_apriori_by_uwy: [("1996".to_string(), 0.7)].into_iter().collect(),
            n_periods: Some(4),
            ..Settings::default()
        }
    }

    /// As the request crosses to the worker.
    fn across(s: ShippedSettings) -> ShippedSettings {
        from_bytes(&to_bytes(&s).unwrap()).unwrap()
    }

    #[test]
    fn a_list_travels_once_and_is_named_after() {
        let s = settings();
        let keys = [101, 102, 103, 104, 105, 106, 107];
        let first = across(ShippedSettings::new(&s, keys, [true; LISTS]));
        assert_eq!(first.settings().unwrap(), s);
        // Every list named: the request is small, and reads as the whole.
        let named = ShippedSettings::new(&s, keys, [false; LISTS]);
        assert!(to_bytes(&named).unwrap().len() < 100);
        assert_eq!(across(named).settings().unwrap(), s);
        // One list changed, carried under a new key; the others named.
        let mut changed = s.clone();
        changed.drops.pop();
        let mut carry = [false; LISTS];
        carry[0] = true;
        let mut new_keys = keys;
        new_keys[0] = 108;
        assert_eq!(same(&s, &changed), [false, true, true, true, true, true, true]);
        let back = across(ShippedSettings::new(&changed, new_keys, carry)).settings().unwrap();
        assert_eq!(back, changed);
        assert_eq!(back.drops.len(), 499);
    }

    #[test]
    fn a_list_the_worker_does_not_have_is_asked_for() {
        let s = settings();
        let named = ShippedSettings::new(&s, [901, 902, 903, 904, 905, 906, 907], [false; LISTS]);
        assert_eq!(across(named).settings(), Err(901));
        // A key that names a list of another kind is not taken for it.
        let carried = ShippedSettings::new(&s, [911, 912, 913, 914, 915, 916, 917], [true; LISTS]);
        carried.settings().unwrap();
        let mixed = ShippedSettings::new(&s, [912, 912, 913, 914, 915, 916, 917], [false; LISTS]);
        assert_eq!(mixed.settings(), Err(912));
    }

    #[test]
    fn the_worker_keeps_a_few_versions_of_each_list() {
        let s = settings();
        let mut key = 2000;
        let mut next = || {
            key += 1;
            key
        };
        let oldest: [u64; LISTS] = std::array::from_fn(|_| next());
        ShippedSettings::new(&s, oldest, [true; LISTS]).settings().unwrap();
        for _ in 0..3 {
            let keys: [u64; LISTS] = std::array::from_fn(|_| next());
            ShippedSettings::new(&s, keys, [true; LISTS]).settings().unwrap();
        }
        assert_eq!(ShippedSettings::new(&s, oldest, [false; LISTS]).settings().unwrap(), s);
        for _ in 0..4 {
            let keys: [u64; LISTS] = std::array::from_fn(|_| next());
            ShippedSettings::new(&s, keys, [true; LISTS]).settings().unwrap();
        }
        assert!(ShippedSettings::new(&s, oldest, [false; LISTS]).settings().is_err());
        let full = ShippedSettings::full(s.clone());
        assert_eq!(across(full).settings().unwrap(), s);
    }
}
