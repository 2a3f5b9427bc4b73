//! The data view: the segment's raw figures as the actuary loaded them, before
//! any judgement. One measure at a time (each triangle, or premium), as
//! cumulative values, incremental values or link ratios, optionally in
//! relation to another measure (incurred / paid, incurred / premium).
//! Besides the segment's measures it offers triangles made when the
//! segment is loaded ([`Segment::data`]): the outstanding, incurred − paid,
//! and premium by development where the premium file has it (premium per
//! origin, the methods' exposure, is its latest diagonal).
//! The figures and their averages are the engine's
//! ([`runoff_engine::grids`]); the view chooses and writes them.

use crate::components::controls::Select;
use crate::format;
use crate::segments::Segment;
use runoff_engine::grids::{view, Divisor, Kind, Values, View};
use std::rc::Rc;
use yew::prelude::*;

/// The special measure (and divisor) name for premium.
const PREMIUM: &str = "premium";
/// The divisor choice for "no relation".
const NONE: &str = "";

/// The choice of values as the page names it.
fn values_key(v: Values) -> &'static str {
    match v {
        Values::Cumulative => "cumulative",
        Values::Incremental => "incremental",
        Values::LinkRatios => "link-ratios",
    }
}

fn values_text(v: Values) -> &'static str {
    match v {
        Values::Cumulative => "Cumulative",
        Values::Incremental => "Incremental",
        Values::LinkRatios => "Link ratios",
    }
}

fn values_from_key(key: &str) -> Option<Values> {
    Values::ALL.into_iter().find(|v| values_key(*v) == key)
}

/// A cell as written: amounts whole, loss ratios in percent, factors to
/// three decimals.
pub fn show(kind: Kind, x: f64) -> String {
    match kind {
        Kind::Amount => format::cell(x),
        Kind::Percent => {
            let s = format::number(x * 100.0, 1);
            if s.is_empty() {
                s
            } else {
                s + "%"
            }
        }
        Kind::Factor => format::number(x, 3),
    }
}

#[derive(Properties, PartialEq)]
pub struct DataViewProps {
    pub segment: Rc<Segment>,
}

/// The segment's data, with its own choices of measure, values and divisor
/// (looking at data changes no judgement, so none of it is in the session).
#[component]
pub fn DataView(props: &DataViewProps) -> Html {
    let seg = &props.segment;
    // The measures, then the triangles made for this view (outstanding,
    // premium by development), all shown alike.
    let all = || seg.data.iter();
    let measure = use_state(|| seg.measures.first().map(|(m, _)| m.clone()).unwrap_or_default());
    let values = use_state(|| Values::Cumulative);
    let relation = use_state(|| NONE.to_string());

    // A choice the segment no longer has (after a segment switch) falls
    // back to the first measure and no relation, rather than to nothing.
    let has_premium = seg.premium.is_some();
    let measure_name: String = if all().any(|(m, _)| *m == *measure) || (has_premium && measure.as_str() == PREMIUM) {
        (*measure).clone()
    } else {
        seg.measures.first().map(|(m, _)| m.clone()).unwrap_or_default()
    };
    let triangle = all().find(|(m, _)| *m == measure_name).map(|(_, t)| t);

    let mut measure_options: Vec<(AttrValue, AttrValue)> =
        all().map(|(m, _)| (AttrValue::from(m.clone()), AttrValue::from(m.clone()))).collect();
    if has_premium {
        measure_options.push((AttrValue::Static(PREMIUM), AttrValue::Static("premium")));
    }
    let mut relation_options: Vec<(AttrValue, AttrValue)> = vec![(AttrValue::Static(NONE), AttrValue::Static("none"))];
    relation_options.extend(
        all()
            .filter(|(m, _)| *m != measure_name)
            .map(|(m, _)| (AttrValue::from(m.clone()), AttrValue::from(m.clone()))),
    );
    if has_premium {
        relation_options.push((AttrValue::Static(PREMIUM), AttrValue::Static("premium")));
    }
    let relation_name: String = if relation_options.iter().any(|(v, _)| v.as_str() == relation.as_str()) {
        (*relation).clone()
    } else {
        NONE.to_string()
    };
    // Premium has no development and link ratios have no divisor.
    let relation_enabled = triangle.is_some() && *values != Values::LinkRatios;
    let relation_shown = if relation_enabled { relation_name.clone() } else { NONE.to_string() };

    let on_measure = {
        let measure = measure.clone();
        Callback::from(move |m: String| measure.set(m))
    };
    let on_values = {
        let values = values.clone();
        Callback::from(move |v: String| {
            if let Some(v) = values_from_key(&v) {
                values.set(v)
            }
        })
    };
    let on_relation = {
        let relation = relation.clone();
        Callback::from(move |r: String| relation.set(r))
    };
    let values_options: Vec<(AttrValue, AttrValue)> =
        Values::ALL.iter().map(|v| (AttrValue::Static(values_key(*v)), AttrValue::Static(values_text(*v)))).collect();

    let body = match triangle {
        Some(t) => {
            let divisor = match relation_shown.as_str() {
                NONE => Divisor::None,
                PREMIUM => seg.premium.as_deref().map(Divisor::Premium).unwrap_or(Divisor::None),
                other => all().find(|(m, _)| m == other).map(|(_, d)| Divisor::Triangle(d)).unwrap_or(Divisor::None),
            };
            let v = view(t, *values, divisor);
            let what = match (*values, relation_shown.as_str()) {
                (Values::LinkRatios, _) => format!("{measure_name}: link ratios"),
                (vals, NONE) => format!("{measure_name}: {} values", values_text(vals).to_ascii_lowercase()),
                (vals, d) => format!("{measure_name} / {d}: {} values", values_text(vals).to_ascii_lowercase()),
            };
            triangle_table(t.origins(), &v, &what)
        }
        None => premium_table(seg),
    };

    html! {
        <section class="data-view" aria-label="Data">
            <form class="settings" aria-label="What to show" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset>
                    <legend>{ "Show" }</legend>
                    <Select label="Measure" options={measure_options} value={AttrValue::from(measure_name.clone())} on_change={on_measure} />
                    <Select label="Values" options={values_options} value={AttrValue::Static(values_key(*values))}
                        on_change={on_values} disabled={triangle.is_none()} />
                    <Select label="In relation to" options={relation_options} value={AttrValue::from(relation_shown)}
                        on_change={on_relation} disabled={!relation_enabled} />
                </fieldset>
            </form>
            { body }
        </section>
    }
}

/// A triangle view as a table that scrolls sideways with the origin column
/// fixed, with its average rows in the footer.
fn triangle_table(origins: &[String], v: &View, what: &str) -> Html {
    let kind = v.kind;
    let show = move |x: &Option<f64>| x.map(|x| show(kind, x)).unwrap_or_default();
    let note = if v.weighted.is_some() {
        "Simple average: the mean of each column. Volume-weighted average: the column's total numerator over its total denominator."
    } else {
        "Simple average: the mean of each column. A volume-weighted average of plain amounts means nothing, so none is shown."
    };
    html! {
        <>
            <div class="scroll" tabindex="0" role="region" aria-label={what.to_string()}>
                <table class="triangle views-table">
                    <caption>{ what.to_string() }</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="sticky">{ "Origin" }</th>
                            { for v.columns.iter().map(|c| html! { <th scope="col">{ c.clone() }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for origins.iter().enumerate().map(|(i, o)| html! {
                            <tr>
                                <th scope="row" class="sticky">{ o.clone() }</th>
                                { for (0..v.columns.len()).map(|j| html! {
                                    <td>{ show(&v.cells.get(i).and_then(|r| r.get(j)).copied().flatten()) }</td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" class="sticky">{ "Simple average" }</th>
                            { for (0..v.columns.len()).map(|j| html! { <td>{ show(&v.simple.get(j).copied().flatten()) }</td> }) }
                        </tr>
                        if let Some(w) = &v.weighted {
                            <tr>
                                <th scope="row" class="sticky">{ "Volume-weighted average" }</th>
                                { for (0..v.columns.len()).map(|j| html! { <td>{ show(&w.get(j).copied().flatten()) }</td> }) }
                            </tr>
                        }
                    </tfoot>
                </table>
            </div>
            <p class="note">{ note }</p>
        </>
    }
}

/// Premium per origin: one column, with its total. Origins are the first
/// triangle's (premium is aligned to them when the segment is read).
fn premium_table(seg: &Segment) -> Html {
    let origins: Vec<String> = seg.measures.first().map(|(_, t)| t.origins().to_vec()).unwrap_or_default();
    let premium = seg.premium.clone().unwrap_or_default();
    let total: f64 = premium.iter().filter(|x| x.is_finite()).sum();
    html! {
        <div class="scroll" tabindex="0" role="region" aria-label="Premium by origin">
            <table class="views-table">
                <caption>{ "Premium by origin" }</caption>
                <thead>
                    <tr>
                        <th scope="col" class="sticky">{ "Origin" }</th>
                        <th scope="col">{ "Premium" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for origins.iter().enumerate().map(|(i, o)| html! {
                        <tr>
                            <th scope="row" class="sticky">{ o.clone() }</th>
                            <td>{ premium.get(i).map(|x| format::cell(*x)).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" class="sticky">{ "Total" }</th>
                        <td>{ format::cell(total) }</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_written_by_kind() {
        assert_eq!(show(Kind::Percent, 0.6543), "65.4%");
        assert_eq!(show(Kind::Factor, 1.23456), "1.235");
        assert_eq!(show(Kind::Amount, 1234.0), "1,234");
        assert_eq!(values_from_key("link-ratios"), Some(Values::LinkRatios));
    }
}
