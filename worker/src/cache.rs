//! The triangles the worker was sent, by key, so that a recalculation can
//! name its triangle instead of carrying its cells: for a 120 × 120
//! triangle the cells are most of what a request would cost to encode on
//! the page's thread.
//!
//! A page shows one segment at a time and switches measures now and then,
//! so a handful of entries is plenty; the oldest is forgotten first, and a
//! forgotten triangle is simply asked for again.

use crate::Shipped;
use runoff_engine::Triangle;
use std::cell::RefCell;
use std::rc::Rc;

/// How many triangles the worker keeps.
const KEEP: usize = 6;

thread_local! {
    /// Most recently used last.
    static KEPT: RefCell<Vec<(u64, Rc<Triangle>)>> = const { RefCell::new(Vec::new()) };
}

/// The triangle a request ships: its cells if it carries them (kept for
/// later), else the one kept under its key; `Err(key)` when the worker
/// does not have it.
pub fn triangle(shipped: Shipped) -> Result<Rc<Triangle>, u64> {
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        let found = kept.iter().position(|(k, _)| *k == shipped.key);
        let t = match (shipped.triangle, found) {
            (Some(t), found) => {
                if let Some(i) = found {
                    kept.remove(i);
                }
                Rc::new(t)
            }
            (None, Some(i)) => kept.remove(i).1,
            (None, None) => return Err(shipped.key),
        };
        kept.push((shipped.key, t.clone()));
        if kept.len() > KEEP {
            kept.remove(0);
        }
        Ok(t)
    })
}
