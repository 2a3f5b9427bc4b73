//! The time of a change, as the pages show it: RFC 3339 in UTC to the
//! millisecond (`2026-11-25T06:10:00.123Z`), the form of the sync
//! messages' `updated_at`.

use chrono::{DateTime, SecondsFormat};
use std::time::{SystemTime, UNIX_EPOCH};

/// Now, from the system clock.
pub fn now() -> String {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let ms = i64::try_from(ms).unwrap_or(i64::MAX);
    // A clock past the year 262,000 is not a time chrono has; the epoch
    // stands in (the time is shown, never used to order).
    DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_to_the_millisecond() {
        let t = super::now();
        assert_eq!(t.len(), "2026-11-25T06:10:00.123Z".len(), "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }
}
