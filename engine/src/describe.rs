//! An action in words, for a history of changes ("who changed what"): the
//! setting it changes and its new value, in the session file's names.

use crate::action::Action;
use crate::error::show_number;

fn or_all(n: Option<u32>) -> String {
    n.map_or_else(|| "all".to_string(), |n| n.to_string())
}

fn state(dropped: bool) -> &'static str {
    if dropped {
        "left out"
    } else {
        "put back"
    }
}

fn optional(x: Option<u32>) -> String {
    x.map_or_else(|| "none".to_string(), |x| x.to_string())
}

impl Action {
    /// What the action does, in a few words.
    pub fn describe(&self) -> String {
        match self {
            Action::SetMeasure(m) => format!("measure: {}", m.as_deref().unwrap_or("the first")),
            Action::SetAverage(a) => format!("average: {}", a.name()),
            Action::SetNPeriods(n) => format!("periods averaged: {}", or_all(*n)),
            Action::SetCellDropped { origin, age, dropped } => {
                format!("link ratio of {origin} from age {age}: {}", state(*dropped))
            }
            Action::SetOriginDropped { origin, dropped } => {
                format!("link ratios of origin {origin}: {}", state(*dropped))
            }
            Action::SetValuationDropped { valuation, dropped } => {
                format!("link ratios of valuation {valuation}: {}", state(*dropped))
            }
            Action::SetDropHigh(on) => format!("drop the highest link ratio: {}", if *on { "yes" } else { "no" }),
            Action::SetDropLow(on) => format!("drop the lowest link ratio: {}", if *on { "yes" } else { "no" }),
            Action::SetSigmaInterpolation(s) => format!("sigma interpolation: {}", s.name()),
            Action::SetTailCurve(c) => format!("tail curve: {}", c.name()),
            Action::SetTailConstant(x) => format!("tail constant: {}", show_number(*x)),
            Action::SetTailDecay(x) => format!("tail decay: {}", show_number(*x)),
            Action::SetTailFitPeriod(from, to) => {
                format!("tail fit period: {} to {}", optional(*from), optional(*to))
            }
            Action::SetTailAttachmentAge(a) => format!("tail attachment age: {}", optional(*a)),
            Action::SetTailExtrapPeriods(n) => format!("tail extrapolation periods: {}", optional(*n)),
            Action::SetTailProjectionMonths(n) => format!("tail length in months: {}", optional(*n)),
            Action::SetColumnAverage { age, average } => match average {
                Some(a) => format!("average from age {age}: {} of {} periods", a.average.name(), or_all(a.n_periods)),
                None => format!("average from age {age}: the session's"),
            },
            Action::SetColumnFactor { age, factor } => match factor {
                Some(f) => format!("factor from age {age}: {}", show_number(*f)),
                None => format!("factor from age {age}: the average's"),
            },
            Action::SetDefaultApriori(x) => format!("expected loss ratio: {}", show_number(*x)),
            Action::SetApriori { origin, value } => match value {
                Some(x) => format!("expected loss ratio of {origin}: {}", show_number(*x)),
                None => format!("expected loss ratio of {origin}: the default"),
            },
            Action::FillApriori { origins, value } => {
                format!("expected loss ratio of {} origins: {}", origins.len(), show_number(*value))
            }
            Action::SetBenktanderIterations(n) => format!("Benktander iterations: {n}"),
            Action::SetCapeCodTrend(x) => format!("Cape Cod trend: {}", show_number(*x)),
            Action::SetCapeCodDecay(x) => format!("Cape Cod decay: {}", show_number(*x)),
            Action::SetSelected { origin, method } => {
                format!("method of {origin}: {}", method.map_or("chainladder", |m| m.name()))
            }
            Action::SetBootstrapSims(n) => format!("reserve range simulations: {n}"),
            Action::SetBootstrapSeed(n) => format!("reserve range seed: {n}"),
            Action::SetBootstrapProcess(p) => format!("reserve range process risk: {}", p.name()),
            Action::Batch(actions) => match actions.as_slice() {
                [one] => one.describe(),
                [first, rest @ ..] => format!("{} and {} more", first.describe(), rest.len()),
                [] => "nothing".to_string(),
            },
            Action::Replace(_) => "every setting, from a session file".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Average, ColumnAverage};

    #[test]
    fn actions_in_words() {
        let drop = Action::SetCellDropped { origin: "1996".into(), age: 3, dropped: true };
        assert_eq!(drop.describe(), "link ratio of 1996 from age 3: left out");
        assert_eq!(Action::SetAverage(Average::Simple).describe(), "average: simple");
        assert_eq!(Action::SetTailConstant(1.05).describe(), "tail constant: 1.05");
        assert_eq!(Action::SetDefaultApriori(0.6).describe(), "expected loss ratio: 0.6");
        let column = Action::SetColumnAverage {
            age: 12,
            average: Some(ColumnAverage { average: Average::Volume, n_periods: Some(5) }),
        };
        assert_eq!(column.describe(), "average from age 12: volume of 5 periods");
        let batch = Action::Batch(vec![drop.clone(), Action::SetDropHigh(true), Action::SetDropLow(true)]);
        assert_eq!(batch.describe(), "link ratio of 1996 from age 3: left out and 2 more");
        assert_eq!(Action::Batch(vec![drop]).describe(), "link ratio of 1996 from age 3: left out");
    }
}
