//! Session files, in a worker of their own: reading a session the user
//! uploads (reserving-studio's files too) and writing the segment's session
//! as block YAML to download. The YAML library they need is a third of the
//! recalculation worker's size, and the page needs it only when a session
//! file comes or goes, so this worker is started then, not with the page.
//!
//! Its messages are as plain as the work: the page posts `[id, [job, text,
//! segment]]` (strings but the id) and the worker answers `[id, [ok,
//! text]]`; the worker first posts `[READY]`, once it listens, and the page
//! sends nothing before (see [`crate::envelope`]); a session
//! travels as JSON, the text the page stores, so the page reads an uploaded
//! session with the reader it already has.

use runoff_engine::session::Value;
use runoff_engine::Session;

/// The job that reads an uploaded session file into the stored form.
pub const READ: &str = "read";
/// The job that writes a stored session as block YAML.
pub const YAML: &str = "yaml";

/// Does one job; the error names the key and the value, or the line of
/// the file. Plain Rust, so tests call it natively.
pub fn run(job: &str, text: &str, segment: &str) -> Result<String, String> {
    match job {
        READ => {
            let session = Session::from_yaml(text, segment).map_err(|e| e.to_string())?;
            serde_json::to_string_pretty(&session.to_value()).map_err(|e| format!("the session cannot be written: {e}"))
        }
        YAML => {
            // Bounded as every session text is (`runoff_engine::limits`).
            use runoff_engine::limits::{check_depth, check_yaml, MAX_SESSION_BYTES};
            let unread = |e: &dyn std::fmt::Display| format!("the session does not read: {e}");
            check_yaml(text, MAX_SESSION_BYTES).map_err(|e| unread(&e))?;
            let value: Value = serde_yaml::from_str(text).map_err(|e| unread(&e))?;
            check_depth(&value).map_err(|e| unread(&e))?;
            serde_yaml::to_string(&value).map_err(|e| format!("the session cannot be written: {e}"))
        }
        other => Err(format!("the session worker has no job `{other}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::session::Average;

    #[test]
    fn uploads_are_checked_and_downloads_are_block_yaml() {
        let read = |text: &str| run(READ, text, "q").map(|json| Session::from_yaml(&json, "q").unwrap());
        assert_eq!(read("average: simple\n").unwrap().settings.average, Average::Simple);
        // reserving-studio's file: a fit period of one age, bare origins.
        let s = read("tail_fit_period: [12]\nbf_apriori_by_uwy:\n  2000: 0.7\n").unwrap();
        assert_eq!(s.settings.tail_fit_period, (Some(12), None));
        assert_eq!(s.settings.apriori("2000"), 0.7);
        let e = read("average: median\n").unwrap_err();
        assert!(e.contains("average") && e.contains("median"), "{e}");

        let json = serde_json::to_string(&s.to_value()).unwrap();
        let yaml = run(YAML, &json, "q").unwrap();
        assert!(yaml.contains("segment: q\n") && yaml.contains("tail_fit_period:\n- 12\n- null\n"), "{yaml}");
        assert_eq!(Session::from_yaml(&yaml, "q").unwrap(), s);
        assert!(run(YAML, "{", "q").is_err());
        let nested = "[".repeat(200_000) + &"]".repeat(200_000);
        for text in [nested.as_str(), &format!("{{\"a\": \"{}\"}}", "x".repeat(5 << 20))] {
            let e = run(YAML, text, "q").unwrap_err();
            assert!(e.contains("nested more than 64") || e.contains("more than the 4194304 allowed"), "{e}");
            assert!(run(READ, text, "q").is_err());
        }
        assert!(run("other", "", "q").is_err());
    }
}
