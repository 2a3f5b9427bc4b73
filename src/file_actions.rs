//! The file actions of a segment's workbench: import premium, export the
//! results (with the reserve range when one is finished for the settings
//! shown), download the session as a YAML file and upload one. Each runs in
//! a worker (the recalculation worker, or the session-file worker) and
//! says what went wrong through `say`; an uploaded session is one
//! judgement, saved and undoable like any other.

use crate::agent::use_agent;
use crate::browser::files::Upload;
use crate::browser::{download, session_worker};
use crate::catalog::Change;
use crate::reserve_range::Ranges;
use crate::segments::Segment;
use runoff_engine::{Action, Session, Settings, Triangle};
use runoff_worker::exhibits::Wanted;
use runoff_worker::sessions;
use runoff_worker::{Answer, Job, RecalcRequest};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// What the file actions work on, and where their outcomes go.
pub struct Files {
    pub segment: Rc<Segment>,
    /// The triangle shown (of the measure chosen).
    pub triangle: Option<Rc<Triangle>>,
    pub settings: Settings,
    pub session: Session,
    pub ranges: Rc<Ranges>,
    /// Premium read from a file.
    pub on_change: Callback<Change>,
    /// An uploaded session's settings, as one judgement.
    pub on_action: Callback<Action>,
    /// What went wrong.
    pub say: Callback<String>,
}

/// The callbacks of the file menu.
pub struct FileActions {
    pub on_import_premium: Callback<Upload>,
    pub on_export_results: Callback<()>,
    pub on_download_session: Callback<()>,
    pub on_upload_session: Callback<Upload>,
}

#[hook]
pub fn use_file_actions(files: Files) -> FileActions {
    let agent = use_agent();
    let Files { segment, triangle, settings, session, ranges, on_change, on_action, say } = files;
    let on_import_premium = {
        let (agent, triangle, say) = (agent.clone(), triangle.clone(), say.clone());
        Callback::from(move |upload: Upload| {
            let Some(t) = triangle.clone() else { return };
            let (agent, on_change, say) = (agent.clone(), on_change.clone(), say.clone());
            spawn_local(async move {
                let text = (*upload.text).clone();
                match agent.with_triangle(&t, &|shipped| Job::Premium { text: text.clone(), triangle: shipped }).await {
                    Answer::Premium(premium, _) => {
                        on_change.emit(Change::Premium { premium, source: upload.name.clone() })
                    }
                    Answer::Failed(e) => say.emit(format!("The premium in {} was not imported: {e}", upload.name)),
                    other => say.emit(other.unexpected()),
                }
            });
        })
    };
    let on_export_results = {
        let (premium, name, say) = (segment.premium.clone(), segment.name.clone(), say.clone());
        Callback::from(move |()| {
            let Some(t) = triangle.clone() else { return };
            // The reserve range after the factors, when one is finished for
            // these settings; else the file has no such section.
            let range = ranges.of(&t, &settings).map(|c| c.csv.clone());
            let (agent, premium, settings, say, name) =
                (agent.clone(), premium.clone(), settings.clone(), say.clone(), name.clone());
            spawn_local(async move {
                let answer = agent
                    .with_inputs(&t, &settings, &|triangle, settings| {
                        Job::ResultsCsv(RecalcRequest {
                            seq: 0,
                            triangle,
                            premium: premium.clone(),
                            settings,
                            exhibits: Wanted::default(),
                            reply: None,
                        })
                    })
                    .await;
                match answer {
                    Answer::Text(csv) => {
                        let csv = match range {
                            Some(r) => csv + "\n" + &r,
                            None => csv,
                        };
                        if let Err(e) = download::offer(&format!("{name}-results.csv"), &csv, "text/csv") {
                            say.emit(format!("The results were not downloaded: {e}"));
                        }
                    }
                    Answer::Failed(e) => say.emit(format!("The results were not exported: {e}")),
                    other => say.emit(other.unexpected()),
                }
            });
        })
    };
    let on_download_session = {
        let say = say.clone();
        Callback::from(move |()| {
            let (session, say) = (session.clone(), say.clone());
            spawn_local(async move {
                let text = crate::sync::text::write(&session);
                match session_worker::ask(sessions::YAML, &text, &session.segment).await {
                    Ok(yaml) => {
                        if let Err(e) = download::offer(&format!("{}.yml", session.segment), &yaml, "application/yaml")
                        {
                            say.emit(format!("The session was not downloaded: {e}"));
                        }
                    }
                    Err(e) => say.emit(format!("The session was not written: {e}")),
                }
            });
        })
    };
    let on_upload_session = {
        let name = segment.name.clone();
        Callback::from(move |upload: Upload| {
            let (name, on_action, say) = (name.clone(), on_action.clone(), say.clone());
            spawn_local(async move {
                // The worker reads the file into the form the page stores,
                // which the page reads as it reads a stored session.
                let read = session_worker::ask(sessions::READ, &upload.text, &name)
                    .await
                    .and_then(|json| crate::sync::text::read(&json, &name).map_err(|e| e.to_string()));
                match read {
                    // One judgement: saved, undoable, and what the other tabs see.
                    Ok(session) => on_action.emit(Action::Replace(Box::new(session.settings))),
                    Err(e) => say.emit(format!("{} was not loaded, and the session is as it was: {e}", upload.name)),
                }
            });
        })
    };
    FileActions { on_import_premium, on_export_results, on_download_session, on_upload_session }
}
