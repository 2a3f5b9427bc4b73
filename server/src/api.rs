//! The API under `/api/`: its routes, and how each answer and refusal is
//! written. Every route needs a signed-in user ([`crate::auth`]); bodies
//! are JSON of at most [`MAX_BODY`] bytes; every refusal is a status with
//! `{"error": "…"}` saying what is wrong, and changes nothing.

use crate::auth::Verified;
use crate::db::{Dialect, Store};
use crate::events::{self, Hub};
use crate::page_form;
use crate::segments::{self, RawSegment};
use crate::sessions::{self, Change, Refused};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The largest body a call may send: an import of a large segment fits,
/// a runaway client does not.
pub const MAX_BODY: usize = 2 << 20;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub hub: Hub,
    pub verified: Arc<Verified>,
}

/// The signed-in user's name, put there by [`require_user`].
#[derive(Clone)]
struct UserName(String);

/// A refusal or a failure: a status and what to tell the client.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.0, Json(json!({ "error": self.1 }))).into_response();
        // A body over the limit is not read to its end, so the connection
        // cannot carry another request: a client that kept it for the next
        // one would see that request fail.
        if self.0 == StatusCode::PAYLOAD_TOO_LARGE {
            response
                .headers_mut()
                .insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
        }
        response
    }
}

/// The database failed: the client is told only that; the server's log
/// has the detail.
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        eprintln!("runoff: database: {e}");
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, "the database failed; nothing was changed".into())
    }
}

fn not_found(what: &str) -> ApiError {
    ApiError(StatusCode::NOT_FOUND, format!("there is no {what}"))
}

fn no_segment(id: &str) -> ApiError {
    not_found(&format!("segment `{id}`"))
}

/// The body as bytes, or the refusal: 413 past [`MAX_BODY`].
fn body(bytes: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    bytes.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError(StatusCode::PAYLOAD_TOO_LARGE, format!("the body is larger than the {MAX_BODY} bytes allowed"))
        }
        status => ApiError(status, format!("the body could not be read: {e}")),
    })
}

/// The body read as JSON of type `T`, or 400 saying where it is wrong.
fn json_body<T: serde::de::DeserializeOwned>(bytes: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = body(bytes)?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError(StatusCode::BAD_REQUEST, format!("the body is not valid: {e}")))
}

/// The API's routes, each behind [`require_user`].
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/me", get(me))
        .route("/segments", get(list_segments))
        .route("/segments/{id}", get(get_segment).put(put_segment))
        .route("/segments/{id}/session", get(get_session))
        .route("/segments/{id}/actions", post(post_action))
        .route("/segments/{id}/history", get(get_history))
        .route("/segments/{id}/versions/{version}", get(get_version))
        .route("/events", get(events))
        .fallback(|| async { not_found("such call in the API") })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(state.clone(), require_user))
        .with_state(state)
}

/// Lets a call through only with a valid token. The refusal is the same
/// whatever was wrong, so it tells a guesser nothing.
async fn require_user(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let header = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    match state.verified.user(&state.store, header).await {
        Ok(Some(name)) => {
            request.extensions_mut().insert(UserName(name));
            next.run(request).await
        }
        Ok(None) => {
            let mut response = ApiError(StatusCode::UNAUTHORIZED, "sign-in required".into()).into_response();
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn me(Extension(UserName(name)): Extension<UserName>) -> Json<serde_json::Value> {
    Json(json!({ "name": name }))
}

async fn list_segments(State(state): State<AppState>) -> Result<Json<Vec<segments::Listed>>, ApiError> {
    Ok(Json(segments::list(&state.store).await?))
}

/// Whether the request's header `name` names the page's binary form `kind`.
fn is_page_form(headers: &HeaderMap, name: header::HeaderName, kind: &str) -> bool {
    headers.get(name).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == kind))
}

async fn get_segment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let data = segments::data(&state.store, &id).await?.ok_or_else(|| no_segment(&id))?;
    if !is_page_form(&headers, header::ACCEPT, page_form::RECORD_TYPE) {
        return Ok(([(header::CONTENT_TYPE, "application/json")], data).into_response());
    }
    let broken = |e: String| {
        eprintln!("runoff: segment `{id}`: {e}");
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, format!("the stored segment `{id}` does not read"))
    };
    let raw: RawSegment = serde_json::from_str(&data).map_err(|e| broken(e.to_string()))?;
    let checked = raw.checked(&id, "").map_err(broken)?;
    let bytes = page_form::record_bytes(&checked).map_err(broken)?;
    Ok(([(header::CONTENT_TYPE, page_form::RECORD_TYPE)], bytes).into_response())
}

#[derive(Deserialize)]
struct ImportQuery {
    /// The importing tab, named in the message to the other pages.
    origin_tab_id: Option<String>,
}

async fn put_segment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<ImportQuery>, QueryRejection>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.body_text()))?;
    if !segments::is_id(&id) {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            format!("`{id}` cannot name a segment: 1 to {} letters, digits, `-`, `_` or `.`", segments::MAX_ID),
        ));
    }
    let raw: RawSegment = if is_page_form(&headers, header::CONTENT_TYPE, page_form::RECORD_TYPE) {
        page_form::record_from_bytes(&body(bytes)?).map_err(|e| ApiError(StatusCode::BAD_REQUEST, e))?
    } else {
        json_body(bytes)?
    };
    let now = crate::time::now();
    let data = raw.checked(&id, &now).map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e))?;
    let tab = query.origin_tab_id.unwrap_or_default();
    check_tab(&tab, true)?;
    let message = events::segments_changed(&id, &tab, &now);
    if !segments::insert(&state.store, &data, false, &now, Some(&message)).await? {
        return Err(ApiError(StatusCode::CONFLICT, format!("there is a segment `{id}` already; it is kept as it is")));
    }
    if state.store.dialect() == Dialect::Sqlite {
        state.hub.send(message);
    }
    let listed = segments::Listed { id, title: data.title, builtin: false, updated_at: now };
    Ok((StatusCode::CREATED, Json(listed)).into_response())
}

/// The longest tab id taken: a UUID is 36 characters.
const MAX_TAB_ID: usize = 128;

fn check_tab(tab: &str, may_be_empty: bool) -> Result<(), ApiError> {
    if (tab.is_empty() && !may_be_empty) || tab.len() > MAX_TAB_ID {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            format!("`origin_tab_id` must be 1 to {MAX_TAB_ID} bytes of text"),
        ));
    }
    Ok(())
}

/// An answer that carries a session, with the same session in the page's
/// own form beside it ([`sessions::page_form`]).
#[derive(serde::Serialize)]
struct WithPageForm<T> {
    #[serde(flatten)]
    answer: T,
    page_session: String,
}

fn with_page_form<T>(answer: T, yaml: &str, segment: &str) -> Result<Response, ApiError>
where
    T: serde::Serialize,
{
    let page_session = sessions::page_form(yaml, segment).map_err(|e| {
        eprintln!("runoff: segment `{segment}`: {e}");
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, e)
    })?;
    Ok(Json(WithPageForm { answer, page_session }).into_response())
}

async fn get_session(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let current = sessions::current(&state.store, &id).await?.ok_or_else(|| no_segment(&id))?;
    let yaml = current.session.clone();
    with_page_form(current, &yaml, &id)
}

async fn post_action(
    State(state): State<AppState>,
    Extension(UserName(user)): Extension<UserName>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let change: Change = if is_page_form(&headers, header::CONTENT_TYPE, page_form::CHANGE_TYPE) {
        page_form::change_from_bytes(&body(bytes)?).map_err(|e| ApiError(StatusCode::BAD_REQUEST, e))?
    } else {
        json_body(bytes)?
    };
    check_tab(&change.origin_tab_id, false)?;
    let applied = match sessions::apply(&state.store, &id, &user, &change).await? {
        Ok(applied) => applied,
        Err(Refused::NoSegment) => return Err(no_segment(&id)),
        Err(Refused::FromTheFuture { base, stored }) => {
            return Err(ApiError(
                StatusCode::CONFLICT,
                format!("`base_version` {base} is a version from the future: the stored version is {stored}"),
            ))
        }
        Err(Refused::OutOfRange(e)) => return Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, e)),
        Err(Refused::NotAnId) => return Err(ApiError(StatusCode::BAD_REQUEST, "`action_id` must be a UUID".into())),
        Err(Refused::Exhausted) => {
            return Err(ApiError(StatusCode::CONFLICT, "the session has used up its versions".into()))
        }
        Err(Refused::Unreadable(e)) => {
            eprintln!("runoff: segment `{id}`: {e}");
            return Err(ApiError(StatusCode::INTERNAL_SERVER_ERROR, e));
        }
    };
    if let Some(message) = applied.announce {
        state.hub.send(message);
    }
    let yaml = applied.saved.session.clone();
    with_page_form(applied.saved, &yaml, &id)
}

#[derive(Deserialize)]
struct HistoryQuery {
    before: Option<u64>,
    limit: Option<u32>,
}

async fn get_history(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    let entries = sessions::history(&state.store, &id, q.before, limit).await?.ok_or_else(|| no_segment(&id))?;
    Ok(Json(entries).into_response())
}

async fn get_version(
    State(state): State<AppState>,
    Path((id, version)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let v: u64 = version.parse().map_err(|_| {
        ApiError(StatusCode::BAD_REQUEST, format!("`{version}` is not a version (a whole number from 0)"))
    })?;
    let found = sessions::version(&state.store, &id, v).await?;
    let found = found.ok_or_else(|| not_found(&format!("version {v} of segment `{id}`")))?;
    let yaml = found.session.clone();
    with_page_form(found, &yaml, &id)
}

async fn events(State(state): State<AppState>) -> Response {
    state.hub.stream().into_response()
}
