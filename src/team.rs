//! Signing in to a team server: whether the page needs to (it was served
//! by `runoff serve`), the token kept from an earlier visit checked at
//! start, a token typed in checked before it is kept, and signing out.
//! Served by a static host, the page has nothing to sign in to
//! ([`Team::Local`]).
//!
//! Only the build for a team server (the cargo feature `team`,
//! `dist-team/`) has the code; the static build's hooks always answer
//! that there is no team server, so that it weighs what it weighed
//! before.

#[cfg(feature = "team")]
use crate::browser::team::{self, Stream, TeamError};
#[cfg(feature = "team")]
use crate::sync::transport::Signal;
#[cfg(feature = "team")]
use crate::sync_agent::use_sync;
use std::rc::Rc;
#[cfg(feature = "team")]
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// A user signed in to the team server.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    /// The API's address, relative to the page.
    pub api: Rc<str>,
    pub token: Rc<str>,
    /// The user's name, as the server knows it.
    pub name: Rc<str>,
    /// Why the token is kept for this tab only, if it is.
    pub not_kept: Option<String>,
}

/// Where the page stands with the team server. (The static build is
/// always `Local`.)
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "team"), allow(dead_code))]
pub enum Team {
    /// Served by a static host: everything stays in the browser.
    Local,
    /// A token is being checked.
    Checking {
        api: Rc<str>,
    },
    /// The user must sign in; `problem` says why the last try failed.
    SignIn {
        api: Rc<str>,
        problem: Option<String>,
    },
    SignedIn(SignedIn),
}

/// What a failed sign-in says.
#[cfg(feature = "team")]
pub fn refusal(e: &TeamError, typed: bool) -> String {
    match e {
        TeamError::SignInRequired if typed => {
            "That access token was not accepted. Check that it was copied whole: it is the last line \
             `runoff users add` printed."
                .into()
        }
        TeamError::SignInRequired => {
            "The access token kept in this browser is no longer accepted; sign in again.".into()
        }
        other => format!("Not signed in: {other}. Try again when the server is back."),
    }
}

/// The page's standing with the team server, and how to change it.
pub struct TeamHandle {
    pub team: Team,
    /// Checks a token typed in, and keeps it if it is accepted.
    pub sign_in: Callback<String>,
    /// Forgets the token kept.
    pub sign_out: Callback<()>,
    /// The server stopped accepting the token: signs out, saying so.
    pub expired: Callback<()>,
}

/// The static build: no team server.
#[cfg(not(feature = "team"))]
#[hook]
pub fn use_team() -> TeamHandle {
    TeamHandle { team: Team::Local, sign_in: Callback::noop(), sign_out: Callback::noop(), expired: Callback::noop() }
}

/// The static build: nothing to follow.
#[cfg(not(feature = "team"))]
#[hook]
pub fn use_team_events(_user: Option<SignedIn>, _expired: Callback<()>) -> Option<String> {
    None
}

#[cfg(feature = "team")]
#[hook]
pub fn use_team() -> TeamHandle {
    let state = use_state(|| match team::api() {
        None => Team::Local,
        Some(api) => match team::kept_token() {
            Some(_) => Team::Checking { api: api.into() },
            None => Team::SignIn { api: api.into(), problem: None },
        },
    });
    // Checks `token`; `typed` if the user just typed it in (then it is
    // kept once it is accepted).
    let check = {
        let state = state.setter();
        Rc::new(move |api: Rc<str>, token: String, typed: bool| {
            let state = state.clone();
            spawn_local(async move {
                match team::user(&api, &token).await {
                    Ok(name) => {
                        let not_kept = if typed { team::keep_token(&token).err().map(|e| e.to_string()) } else { None };
                        state.set(Team::SignedIn(SignedIn { api, token: token.into(), name: name.into(), not_kept }));
                    }
                    // The server out of reach with a token kept from an
                    // earlier visit: the page opens on its local copy, and
                    // the token is checked when the server is back.
                    Err(TeamError::Unreachable(_)) if !typed => {
                        state.set(Team::SignedIn(SignedIn {
                            api,
                            token: token.into(),
                            name: "".into(),
                            not_kept: None,
                        }));
                    }
                    Err(e) => {
                        if e == TeamError::SignInRequired && !typed {
                            team::forget_token();
                        }
                        state.set(Team::SignIn { api, problem: Some(refusal(&e, typed)) });
                    }
                }
            });
        })
    };
    {
        let (check, first) = (check.clone(), (*state).clone());
        use_effect_with((), move |_| {
            if let (Team::Checking { api }, Some(token)) = (first, team::kept_token()) {
                check(api, token, false);
            }
        });
    }
    let sign_in = {
        let (state, check) = (state.clone(), check.clone());
        Callback::from(move |token: String| {
            let api = match &*state {
                Team::SignIn { api, .. } => api.clone(),
                _ => return,
            };
            let token = token.trim().to_string();
            if token.is_empty() {
                state.set(Team::SignIn { api, problem: Some("Type or paste your access token first.".into()) });
                return;
            }
            state.set(Team::Checking { api: api.clone() });
            check(api, token, true);
        })
    };
    // Forgets the token and asks again, saying `problem`.
    let leave = |problem: Option<String>| {
        let state = state.clone();
        Callback::from(move |()| {
            if let Team::SignedIn(s) = &*state {
                team::forget_token();
                state.set(Team::SignIn { api: s.api.clone(), problem: problem.clone() });
            }
        })
    };
    let sign_out = leave(None);
    let expired = leave(Some(refusal(&TeamError::SignInRequired, false)));
    TeamHandle { team: (*state).clone(), sign_in, sign_out, expired }
}

/// Follows the team server's messages into the page's hub while `user` is
/// signed in: each message is read as a tab's would be, and each time the
/// stream is attached again the page catches up with what it missed.
/// Returns why the stream is lost, while it is; `expired` hears a token the
/// server no longer accepts.
#[cfg(feature = "team")]
#[hook]
pub fn use_team_events(user: Option<SignedIn>, expired: Callback<()>) -> Option<String> {
    let hub = use_sync();
    let lost = use_state_eq(|| None::<String>);
    {
        let lost = lost.setter();
        use_effect_with(user, move |user| {
            let events = user.as_ref().map(|u| {
                let feed = hub.clone();
                team::follow(
                    &u.api,
                    &u.token,
                    move |text| feed.feed(Signal::Text(text)),
                    move |stream| match stream {
                        Stream::Listening => {
                            lost.set(None);
                            hub.feed(Signal::CatchUp);
                        }
                        Stream::Lost(e) => lost.set(Some(e)),
                        Stream::SignedOut => expired.emit(()),
                    },
                )
            });
            move || drop(events)
        });
    }
    (*lost).clone()
}
