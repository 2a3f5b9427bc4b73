//! Where the page is (`#segment/view`): read from the address, so that a
//! reload or a bookmark opens the same place, and shown in it as the user
//! moves, without a history entry for every tab switch.

use crate::browser::page;
use crate::segments;
use crate::state::View;

/// Where the page is: a segment and a view.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub segment: String,
    pub view: View,
}

impl Place {
    /// Reads `#segment/view`; an empty or unknown part falls back to the
    /// default (whether a segment exists is known only once the list of
    /// stored segments is read, so any well-formed id is kept here).
    pub fn from_hash(hash: &str, default: &str) -> Place {
        let mut parts = hash.trim_start_matches('#').splitn(2, '/');
        let segment = parts
            .next()
            .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(default)
            .to_string();
        let view = parts.next().and_then(|v| View::ALL.iter().copied().find(|x| x.id() == v)).unwrap_or_default();
        Place { segment, view }
    }

    pub fn hash(&self) -> String {
        format!("#{}/{}", self.segment, self.view.id())
    }
}

pub fn current_place() -> Place {
    Place::from_hash(&page::hash(), segments::BUILTIN[0])
}

/// Shows `place` in the address without adding a history entry for every
/// tab switch.
pub fn show_place(place: &Place) {
    page::replace_hash(&place.hash());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_from_the_address() {
        assert_eq!(Place::from_hash("", "quarterly"), Place { segment: "quarterly".into(), view: View::ChainLadder });
        assert_eq!(
            Place::from_hash("#annual/results", "quarterly"),
            Place { segment: "annual".into(), view: View::Results }
        );
        assert_eq!(
            Place::from_hash("#raa-2/bf", "quarterly"),
            Place { segment: "raa-2".into(), view: View::BornhuetterFerguson }
        );
        assert_eq!(Place::from_hash("#annual/odd", "quarterly").view, View::ChainLadder);
        assert_eq!(Place::from_hash("#a b/results", "quarterly").segment, "quarterly");
        let p = Place { segment: "annual".into(), view: View::ActualVsExpected };
        assert_eq!(Place::from_hash(&p.hash(), "quarterly"), p);
    }
}
