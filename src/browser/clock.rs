//! The page's clock: the time a change is made, as the sync messages and
//! stored records carry it (ISO 8601 in UTC, as `Date.toISOString()` writes
//! it), and the local time of day the status line shows.

/// Now, as `2026-12-06T23:25:00.123Z`.
pub fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// The local time of day, `23:25:07`. Read from the date's fields: the
/// browser's locale formatting loads its locale data on its first call
/// (some 17 ms of the page's thread).
pub fn local_time() -> String {
    let d = js_sys::Date::new_0();
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

/// Now in local time to the minute, `2026-12-06 23:25`, for a printed page.
pub fn local_minute() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}
