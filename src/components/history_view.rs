//! The History view of a segment on a team server: its saved versions,
//! newest first, with who saved each, when, and what changed; any earlier
//! version can be shown (its session file) and restored, as one change
//! that is saved and undone like any other.

use crate::browser::team::{call, TeamError};
use crate::sync::json;
use crate::team::SignedIn;
use runoff_engine::session::Value;
use runoff_engine::{Action, Settings};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// One saved version, as listed.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    version: u64,
    user: String,
    at: String,
    what: String,
}

/// An earlier version shown: its session file and its settings.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    version: u64,
    yaml: String,
    settings: Settings,
}

#[derive(Properties, PartialEq)]
pub struct HistoryViewProps {
    pub team: SignedIn,
    pub segment: AttrValue,
    /// The version shown in the workbench: the list is read again when it
    /// changes.
    pub version: u64,
    /// Restores an earlier version's settings.
    pub on_action: Callback<Action>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn entries(answer: &str) -> Result<Vec<Entry>, String> {
    let Value::Sequence(rows) = json::parse(answer)? else {
        return Err("the history is not a list".into());
    };
    Ok(rows
        .iter()
        .filter_map(|r| {
            let version = r.get("version").and_then(Value::as_u64)?;
            Some(Entry { version, user: text(r, "user"), at: text(r, "at"), what: text(r, "what") })
        })
        .collect())
}

fn shown(answer: &str, segment: &str, version: u64) -> Result<Shown, String> {
    let v = json::parse(answer)?;
    let session = crate::sync::text::read(&text(&v, "page_session"), segment).map_err(|e| e.to_string())?;
    Ok(Shown { version, yaml: text(&v, "session"), settings: session.settings })
}

fn problem(e: TeamError) -> String {
    format!("The history could not be read: {e}.")
}

#[component]
pub fn HistoryView(props: &HistoryViewProps) -> Html {
    let list = use_state(|| None::<Result<Vec<Entry>, String>>);
    let open = use_state(|| None::<Result<Shown, String>>);
    {
        let (list, team, segment) = (list.clone(), props.team.clone(), props.segment.clone());
        use_effect_with((props.segment.clone(), props.version), move |_| {
            spawn_local(async move {
                let path = format!("segments/{segment}/history?limit=100");
                let read = call(&team.api, &team.token, "GET", &path, None).await.map_err(problem);
                list.set(Some(read.and_then(|a| entries(&a))));
            });
        });
    }
    let show = {
        let (open, team, segment) = (open.clone(), props.team.clone(), props.segment.clone());
        move |version: u64| {
            let (open, team, segment) = (open.clone(), team.clone(), segment.clone());
            Callback::from(move |_: MouseEvent| {
                let (open, team, segment) = (open.clone(), team.clone(), segment.clone());
                spawn_local(async move {
                    let path = format!("segments/{segment}/versions/{version}");
                    let read = call(&team.api, &team.token, "GET", &path, None).await.map_err(problem);
                    open.set(Some(read.and_then(|a| shown(&a, &segment, version))));
                });
            })
        }
    };
    let rows = match &*list {
        None => html! { <p role="status">{ "Reading the history…" }</p> },
        Some(Err(e)) => html! { <div class="alert" role="alert">{ e.clone() }</div> },
        Some(Ok(rows)) if rows.is_empty() => html! { <p>{ "No change has been saved yet." }</p> },
        Some(Ok(rows)) => html! {
            <table aria-label="History">
                <thead><tr>
                    <th scope="col">{ "Version" }</th><th scope="col">{ "Who" }</th>
                    <th scope="col">{ "When" }</th><th scope="col">{ "What" }</th><th scope="col"></th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|r| html! {
                        <tr key={r.version.to_string()}>
                            <th scope="row">{ r.version }</th>
                            <td>{ r.user.clone() }</td>
                            <td><time datetime={r.at.clone()}>{ r.at.replace('T', " ").trim_end_matches('Z').to_string() }</time></td>
                            <td>{ r.what.clone() }</td>
                            <td><button type="button" onclick={show(r.version)}>{ format!("Show version {}", r.version) }</button></td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
    };
    let opened = match &*open {
        None => html! {},
        Some(Err(e)) => html! { <div class="alert" role="alert">{ e.clone() }</div> },
        Some(Ok(s)) => {
            let restore = {
                let (on_action, settings) = (props.on_action.clone(), s.settings.clone());
                Callback::from(move |_| on_action.emit(Action::Replace(Box::new(settings.clone()))))
            };
            html! {
                <section class="version" aria-label={format!("Version {}", s.version)}>
                    <h3>{ format!("Version {}", s.version) }</h3>
                    <button type="button" onclick={restore}>{ format!("Restore version {}", s.version) }</button>
                    <pre>{ s.yaml.clone() }</pre>
                </section>
            }
        }
    };
    html! {
        <div class="history">
            <h2>{ "History" }</h2>
            { rows }
            { opened }
        </div>
    }
}
