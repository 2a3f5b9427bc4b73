//! The sign-in form of a team server: a field for the access token and a
//! button, and what went wrong with the last try. A plain function, not a
//! component: it holds no state (the token is read from the form when it
//! is sent), and a component of its own would cost the page's WebAssembly
//! some kilobytes.

use crate::browser::dom;
use yew::prelude::*;

/// The form; `checking` while a token is checked; `on_sign_in` hears the
/// token typed.
pub fn sign_in_form(problem: Option<String>, checking: bool, on_sign_in: Callback<String>) -> Html {
    let onsubmit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if let Some(token) = dom::form_field(&e, "token") {
            on_sign_in.emit(token);
        }
    });
    html! {
        <main class="sign-in">
            <h1>{ "runoff" }</h1>
            <p>{ "This workbench belongs to a team: its segments and sessions are kept on its server. \
                  Sign in with the access token you were given." }</p>
            <form {onsubmit} aria-busy={checking.then_some("true")}>
                <label for="access-token">{ "Access token" }</label>
                <input id="access-token" name="token" type="password" autocomplete="off" spellcheck="false"
                    disabled={checking} />
                <button type="submit" disabled={checking}>{ "Sign in" }</button>
            </form>
            if checking {
                <p role="status">{ "Signing in…" }</p>
            }
            if let Some(problem) = problem {
                <div class="alert" role="alert">{ problem }</div>
            }
        </main>
    }
}
