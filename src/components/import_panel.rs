//! Importing a file of claims: the worker proposes how to read it (which
//! columns are origins, development, amounts, premium, filters; the grains;
//! cumulative or incremental), the panel shows the proposal beside the
//! first rows of the file and what it reads as, and the user changes any
//! of it before confirming. Only a file that reads is offered for import,
//! and nothing is stored until the user confirms.
//!
//! Reading a large file takes the worker seconds
//! ([`crate::claims_reading`]), so while it works the panel shows how far
//! it is, offers to cancel, and, when the worker stopped answering, offers
//! to try again; the rest of the page is never held by an import.

use crate::browser::files::Claims;
use crate::catalog::{self, StoredSegment};
use crate::claims_reading::{use_claims_reading, ClaimsReading, Progress, Stop, UNANSWERED_MS};
use crate::components::controls::Select;
use crate::format;
use runoff_engine::input::{Column, ColumnKind, Filter, Imported, Layout, Mapping, Preview};
use runoff_engine::Grain;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ImportPanelProps {
    pub upload: Claims,
    /// Ids already in use, so that the new segment gets its own.
    pub taken: Rc<Vec<String>>,
    pub on_import: Callback<StoredSegment>,
    pub on_cancel: Callback<()>,
    /// Storage refused the segment: why.
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// What a column is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Origin,
    Development,
    Amount,
    Premium,
    Filter,
    Ignore,
}

impl Role {
    const ALL: [(Role, &'static str, &'static str); 6] = [
        (Role::Origin, "origin", "Origin"),
        (Role::Development, "development", "Development"),
        (Role::Amount, "amount", "Amount to reserve"),
        (Role::Premium, "premium", "Premium"),
        (Role::Filter, "filter", "Filter: one value"),
        (Role::Ignore, "ignore", "Not used (summed over)"),
    ];

    fn id(self) -> &'static str {
        Role::ALL.iter().find(|(r, ..)| *r == self).map_or("ignore", |(_, id, _)| id)
    }

    fn from_id(id: &str) -> Role {
        Role::ALL.iter().find(|(_, i, _)| *i == id).map_or(Role::Ignore, |(r, ..)| *r)
    }
}

/// The role a mapping gives a column.
/// A change to the mapping, from the value a control gave.
type MappingEdit = Rc<dyn Fn(&Mapping, String) -> Mapping>;

pub fn role_of(m: &Mapping, column: &str) -> Role {
    if m.origin_col == column {
        Role::Origin
    } else if m.development_col == column {
        Role::Development
    } else if m.value_cols.iter().any(|v| v == column) {
        Role::Amount
    } else if m.premium_col.as_deref() == Some(column) {
        Role::Premium
    } else if m.filters.iter().any(|f| f.column == column && f.value.is_some()) {
        Role::Filter
    } else {
        Role::Ignore
    }
}

/// The mapping with `column` given `role` (and taken from whatever it had);
/// a column that becomes the origin or the development takes the place of
/// the one before, which is then not used.
pub fn with_role(m: &Mapping, column: &Column, role: Role) -> Mapping {
    let mut m = m.clone();
    let name = column.name.as_str();
    if m.origin_col == name {
        m.origin_col.clear();
    }
    if m.development_col == name {
        m.development_col.clear();
    }
    m.value_cols.retain(|v| v != name);
    if m.premium_col.as_deref() == Some(name) {
        m.premium_col = None;
    }
    m.filters.retain(|f| f.column != name);
    match role {
        Role::Origin => m.origin_col = name.to_string(),
        Role::Development => m.development_col = name.to_string(),
        Role::Amount => m.value_cols.push(name.to_string()),
        Role::Premium => m.premium_col = Some(name.to_string()),
        Role::Filter => m.filters.push(Filter { column: name.to_string(), value: column.values.first().cloned() }),
        Role::Ignore => {}
    }
    m
}

/// The roles a column may take: a filter needs text values to choose from.
fn roles_for(c: &Column) -> Vec<(AttrValue, AttrValue)> {
    Role::ALL
        .iter()
        .filter(|(r, ..)| *r != Role::Filter || !c.values.is_empty())
        .map(|(_, id, text)| (AttrValue::Static(id), AttrValue::Static(text)))
        .collect()
}

fn grain_options() -> Vec<(AttrValue, AttrValue)> {
    [("", "Detect"), ("Y", "Yearly"), ("Q", "Quarterly"), ("M", "Monthly")]
        .iter()
        .map(|(v, t)| (AttrValue::Static(v), AttrValue::Static(t)))
        .collect()
}

fn grain_value(g: Option<Grain>) -> AttrValue {
    AttrValue::Static(g.map_or("", Grain::code))
}

/// One line saying what the file reads as.
pub fn summary(i: &Imported) -> String {
    let Some((_, t)) = i.measures.first() else { return String::new() };
    let grain = |g: Grain| match g {
        Grain::Yearly => "yearly",
        Grain::Quarterly => "quarterly",
        Grain::Monthly => "monthly",
    };
    let measures: Vec<&str> = i.measures.iter().map(|(m, _)| m.as_str()).collect();
    format!(
        "{} rows read: {} {} origins ({} to {}) × {} {} development ages ({} to {} months); measures: {}; premium: {}.",
        format::number(i.rows_read as f64, 0),
        t.n_origins(),
        grain(t.origin_grain()),
        t.origins().first().map_or("", String::as_str),
        t.origins().last().map_or("", String::as_str),
        t.n_ages(),
        grain(t.development_grain()),
        t.ages().first().copied().unwrap_or(0),
        t.ages().last().copied().unwrap_or(0),
        measures.join(", "),
        if i.premium.is_some() { "yes" } else { "none" },
    )
}

#[component]
pub fn ImportPanel(props: &ImportPanelProps) -> Html {
    let reading = use_claims_reading(&props.upload);
    let ClaimsReading { preview, mapping, read, progress, stopped, set_mapping, cancel: cancel_import, retry } =
        reading;
    let title = use_state(|| catalog::title_of_file(&props.upload.name));
    let name = props.upload.name.clone();
    let heading = html! { <h2 id="import-heading">{ format!("Import claims from {name}") }</h2> };
    let cancel = {
        let cb = props.on_cancel.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let cancel_import = cancel_import.reform(|_: MouseEvent| ());
    let in_progress = |p: Option<Progress>| {
        let (text, share) = p.unwrap_or(Progress::Asked).describe();
        html! {
            <div class="import-progress">
                <progress aria-label="Import progress" aria-valuetext={text.clone()} max="100"
                    value={share.map(|s| format::fixed(s * 100.0, 0))}></progress>
                <p role="status">{ text }</p>
                <button type="button" onclick={cancel_import.clone()}>{ "Cancel import" }</button>
            </div>
        }
    };
    if let Some(stop) = stopped {
        let retry = retry.reform(|_: MouseEvent| ());
        let message = match stop {
            Stop::Cancelled => html! {
                <p class="import-stopped" role="status">{ format!("The import of {name} was cancelled: nothing was changed.") }</p>
            },
            Stop::Unanswered => html! {
                <div class="alert" role="alert">{ format!(
                    "The worker stopped answering: nothing was heard from it for {} seconds while it read {name}. Nothing was changed, and the rest of the page goes on; try the import again, or close it.",
                    UNANSWERED_MS / 1000
                ) }</div>
            },
        };
        return html! {
            <section class="import" aria-labelledby="import-heading">
                { heading }
                { message }
                <div class="row">
                    <button type="button" class="primary" onclick={retry}>{ "Try again" }</button>
                    <button type="button" onclick={cancel}>{ "Close" }</button>
                </div>
            </section>
        };
    }
    let p = match &preview {
        None => {
            return html! {
                <section class="import" aria-labelledby="import-heading">
                    { heading }
                    { in_progress(progress) }
                </section>
            }
        }
        Some(Err(e)) => {
            return html! {
                <section class="import" aria-labelledby="import-heading">
                    { heading }
                    <div class="alert" role="alert">{ format!("{name} cannot be imported: {e}") }</div>
                    <button type="button" onclick={cancel}>{ "Close" }</button>
                </section>
            }
        }
        Some(Ok(p)) => p.clone(),
    };
    let Some(m) = mapping.clone() else { return html! {} };
    let set = |f: MappingEdit| {
        let (set_mapping, m) = (set_mapping.clone(), m.clone());
        Callback::from(move |v: String| set_mapping.emit(f(&m, v)))
    };

    let on_layout =
        set(Rc::new(|m, v| Mapping { layout: if v == "wide" { Layout::Wide } else { Layout::Long }, ..m.clone() }));
    let on_incremental = set(Rc::new(|m, v| Mapping { incremental: v == "incremental", ..m.clone() }));
    let on_origin_grain = set(Rc::new(|m, v| Mapping { origin_grain: Grain::from_code(&v), ..m.clone() }));
    let on_dev_grain = set(Rc::new(|m, v| Mapping { development_grain: Grain::from_code(&v), ..m.clone() }));
    let on_header = set(Rc::new(|m, v| Mapping { header_periods: v == "periods", ..m.clone() }));

    let layout_controls = match m.layout {
        Layout::Long => {
            let rows = p.columns.iter().map(|c| {
                let role = role_of(&m, &c.name);
                let on_role = {
                    let (set_mapping, m, c) = (set_mapping.clone(), m.clone(), c.clone());
                    Callback::from(move |v: String| set_mapping.emit(with_role(&m, &c, Role::from_id(&v))))
                };
                let filter = m.filters.iter().find(|f| f.column == c.name && f.value.is_some()).cloned();
                let sample: Vec<&str> = p.rows.iter().map(|r| r.get(p.columns.iter().position(|x| x.name == c.name).unwrap_or(0)).map_or("", String::as_str)).take(3).collect();
                html! {
                    <tr>
                        <th scope="row">{ c.name.clone() }</th>
                        <td>
                            <select aria-label={format!("Role of column {}", c.name)} onchange={select_value(on_role)}>
                                { for roles_for(c).into_iter().map(|(v, t)| html! {
                                    <option value={v.clone()} selected={v == role.id()}>{ t }</option>
                                }) }
                            </select>
                            if let Some(f) = filter {
                                <select aria-label={format!("Value of {}", c.name)} onchange={select_value({
                                    let (set_mapping, m, col) = (set_mapping.clone(), m.clone(), c.name.clone());
                                    Callback::from(move |v: String| {
                                        let mut next = m.clone();
                                        for f in &mut next.filters {
                                            if f.column == col {
                                                f.value = Some(v.clone());
                                            }
                                        }
                                        set_mapping.emit(next);
                                    })
                                })}>
                                    { for c.values.iter().map(|v| html! {
                                        <option value={v.clone()} selected={f.value.as_deref() == Some(v.as_str())}>{ v.clone() }</option>
                                    }) }
                                </select>
                            }
                        </td>
                        <td class="kind">{ kind_text(c) }</td>
                        <td class="sample">{ sample.join(", ") }</td>
                    </tr>
                }
            });
            html! {
                <table class="views-table mapping" aria-label="Columns">
                    <thead>
                        <tr>
                            <th scope="col">{ "Column" }</th>
                            <th scope="col">{ "Use" }</th>
                            <th scope="col">{ "Holds" }</th>
                            <th scope="col">{ "First values" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
        }
        Layout::Wide => {
            let on_measure = set(Rc::new(|m, v| Mapping { value_cols: vec![v.trim().to_string()], ..m.clone() }));
            html! {
                <div class="row">
                    <Select label="Header holds" options={vec![
                        (AttrValue::Static("months"), AttrValue::Static("Ages in months")),
                        (AttrValue::Static("periods"), AttrValue::Static("Development periods (1, 2, 3, …)")),
                    ]} value={if m.header_periods { "periods" } else { "months" }} on_change={on_header} />
                    <label class="control">
                        <span>{ "Measure" }</span>
                        <input type="text" aria-label="Measure" value={m.value_cols.first().cloned().unwrap_or_default()}
                            onchange={input_value(on_measure)} />
                    </label>
                </div>
            }
        }
    };

    let on_title = {
        let title = title.clone();
        Callback::from(move |v: String| title.set(v))
    };
    let title_error = catalog::check_title(&title).err();
    let outcome = match &read {
        None => in_progress(progress),
        Some(Err(e)) => {
            html! { <div class="alert" role="alert">{ format!("{name} does not read this way: {e}") }</div> }
        }
        Some(Ok(i)) => html! {
            <>
                <p class="import-summary" role="status">{ summary(i) }</p>
                if !i.warnings.is_empty() {
                    <ul class="warnings" aria-label="Import warnings">
                        { for i.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                    </ul>
                }
            </>
        },
    };
    let confirm = {
        let (read, title, on_import, taken, source) =
            (read.clone(), title.clone(), props.on_import.clone(), props.taken.clone(), props.upload.name.clone());
        Callback::from(move |_| {
            let (Some(Ok(i)), Ok(t)) = (&read, catalog::check_title(&title)) else { return };
            let id = catalog::new_id(&t, |id| taken.iter().any(|x| x == id));
            on_import.emit(StoredSegment {
                id,
                title: t,
                source: source.clone(),
                imported_at: crate::browser::clock::now_iso(),
                measures: i.measures.clone(),
                premium: i.premium.clone(),
                premium_source: None,
            });
        })
    };
    let ready = matches!(&read, Some(Ok(_))) && title_error.is_none();

    html! {
        <section class="import" aria-labelledby="import-heading">
            { heading }
            <p class="hint">{ format!(
                "{} rows{}. Check how each column is used; the figures below follow every change.",
                format::number(p.n_rows as f64, 0),
                if p.claim_level { ", with several rows per origin and period (claims): they are summed" } else { "" },
            ) }</p>
            <div class="row">
                <Select label="Layout" options={vec![
                    (AttrValue::Static("long"), AttrValue::Static("Long: a row per origin and development")),
                    (AttrValue::Static("wide"), AttrValue::Static("Wide: origins down, ages across")),
                ]} value={if m.layout == Layout::Wide { "wide" } else { "long" }} on_change={on_layout} />
                <Select label="Values are" options={vec![
                    (AttrValue::Static("cumulative"), AttrValue::Static("Cumulative")),
                    (AttrValue::Static("incremental"), AttrValue::Static("Incremental (amounts of each period)")),
                ]} value={if m.incremental { "incremental" } else { "cumulative" }} on_change={on_incremental} />
                <Select label="Origin periods" options={grain_options()} value={grain_value(m.origin_grain)} on_change={on_origin_grain} />
                <Select label="Development periods" options={grain_options()} value={grain_value(m.development_grain)} on_change={on_dev_grain} />
            </div>
            { layout_controls }
            { preview_table(&p) }
            { outcome }
            <div class="row">
                <label class="control">
                    <span>{ "Name of the new segment" }</span>
                    <input type="text" aria-label="Name of the new segment" value={(*title).clone()} maxlength="80"
                        oninput={input_value(on_title)} />
                </label>
                <button type="button" class="primary" disabled={!ready} onclick={confirm}>{ "Import" }</button>
                <button type="button" onclick={cancel}>{ "Cancel" }</button>
            </div>
            if let Some(e) = title_error {
                <p class="field-error">{ e }</p>
            }
            if let Some(e) = &props.error {
                <div class="alert" role="alert">{ e.clone() }</div>
            }
        </section>
    }
}

fn kind_text(c: &Column) -> String {
    let kind = match c.kind {
        ColumnKind::Number => "numbers",
        ColumnKind::Period => "dates or periods",
        ColumnKind::Text => "text",
        ColumnKind::Empty => "nothing",
    };
    if c.kind == ColumnKind::Text && !c.values.is_empty() {
        format!("{kind}, {} values", c.values.len())
    } else {
        kind.to_string()
    }
}

/// The first rows of the file, as written.
fn preview_table(p: &Preview) -> Html {
    html! {
        <details class="file-preview">
            <summary>{ format!("The first {} rows of the file", p.rows.len()) }</summary>
            <div class="scroll">
                <table class="views-table" aria-label="File preview">
                    <thead><tr>{ for p.columns.iter().map(|c| html! { <th scope="col">{ c.name.clone() }</th> }) }</tr></thead>
                    <tbody>
                        { for p.rows.iter().map(|r| html! {
                            <tr>{ for r.iter().map(|v| html! { <td>{ v.clone() }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// A select's value on change.
fn select_value(cb: Callback<String>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        if let Some(v) = crate::browser::dom::value_of(&e) {
            cb.emit(v);
        }
    })
}

/// A text field's value on input or change.
fn input_value<E: AsRef<Event> + 'static>(cb: Callback<String>) -> Callback<E> {
    Callback::from(move |e: E| {
        if let Some(v) = crate::browser::dom::value_of(e.as_ref()) {
            cb.emit(v);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, values: &[&str]) -> Column {
        Column {
            name: name.into(),
            kind: if values.is_empty() { ColumnKind::Number } else { ColumnKind::Text },
            distinct: values.len(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn mapping() -> Mapping {
        Mapping {
            layout: Layout::Long,
            origin_col: "AY".into(),
            development_col: "DY".into(),
            value_cols: vec!["paid".into()],
            premium_col: None,
            filters: vec![],
            incremental: false,
            origin_grain: None,
            development_grain: None,
            header_periods: false,
        }
    }

    #[test]
    fn roles_move_between_columns() {
        let m = mapping();
        assert_eq!(role_of(&m, "AY"), Role::Origin);
        assert_eq!(role_of(&m, "paid"), Role::Amount);
        assert_eq!(role_of(&m, "other"), Role::Ignore);
        // Another column becomes the origin: the old one is no longer used.
        let m2 = with_role(&m, &col("UY", &[]), Role::Origin);
        assert_eq!(m2.origin_col, "UY");
        assert_eq!(role_of(&m2, "AY"), Role::Ignore);
        // A filter starts on the column's first value.
        let m3 = with_role(&m, &col("lob", &["motor", "home"]), Role::Filter);
        assert_eq!(m3.filters, vec![Filter { column: "lob".into(), value: Some("motor".into()) }]);
        assert_eq!(role_of(&m3, "lob"), Role::Filter);
        // An amount made premium is no longer an amount.
        let m4 = with_role(&m, &col("paid", &[]), Role::Premium);
        assert!(m4.value_cols.is_empty());
        assert_eq!(m4.premium_col.as_deref(), Some("paid"));
        assert_eq!(roles_for(&col("x", &[])).len(), 5);
    }
}
