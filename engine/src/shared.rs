//! A value that copies of a [`Settings`](crate::Settings) share until one of
//! them changes it.
//!
//! A session's lists may hold thousands of entries (docs/session.md bounds
//! them), and a page copies the settings several times for each change: the
//! history keeps the state before it, the recalculation keeps what it sent,
//! the components keep what they drew. With the lists shared, a copy costs
//! the same whatever the lists hold; the first change to a list made
//! through a copy gives that copy its own ([`Arc::make_mut`]). Equality
//! looks at the pointers first, so two copies of one list compare at once.
//! `Shared<T>` reads, writes, iterates and (de)serializes as the `T` it
//! holds.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

#[derive(Default)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Arc::new(value))
    }

    /// Whether the two are copies of one value (not merely equal values):
    /// what a sender that remembers what it sent compares.
    pub fn same(a: &Shared<T>, b: &Shared<T>) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Writing through a copy that shares its value first gives it its own.
impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl<T: Eq> Eq for Shared<T> {}

impl<T: PartialEq> PartialEq<T> for Shared<T> {
    fn eq(&self, other: &T) -> bool {
        *self.0 == *other
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

impl<A, T: FromIterator<A>> FromIterator<A> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = A>>(iter: I) -> Self {
        Shared::new(iter.into_iter().collect())
    }
}

impl<'a, T> IntoIterator for &'a Shared<T>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (*self.0).into_iter()
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (*self.0).serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Shared::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_share_until_one_changes() {
        let a: Shared<Vec<String>> = (0..3).map(|k| k.to_string()).collect();
        let mut b = a.clone();
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, b);
        b.push("3".into());
        assert!(!Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a.len(), 3);
        assert_eq!(b.len(), 4);
        assert_ne!(a, b);
        assert_eq!(a, vec!["0".to_string(), "1".into(), "2".into()]);
        let joined: Vec<&String> = (&b).into_iter().collect();
        assert_eq!(joined.len(), 4);
    }

    #[test]
    fn reads_and_writes_as_what_it_holds() {
        let a = Shared::new(vec![1u32, 2]);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "[1,2]");
        let back: Shared<Vec<u32>> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        assert_eq!(format!("{a:?}"), "[1, 2]");
    }
}
