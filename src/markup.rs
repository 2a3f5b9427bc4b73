//! Markup written as text ([`runoff_worker::markup`]) as a node for a
//! component to render: the worker's charts and exhibits, and the page's
//! own static tables.

/// Markup as a node for a component to render.
pub fn html(markup: impl Into<yew::AttrValue>) -> yew::Html {
    yew::Html::from_html_unchecked(markup.into())
}
