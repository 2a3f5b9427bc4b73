//! Triangles the data view shows besides a segment's measures, made once
//! when the segment is loaded: the outstanding (incurred − paid), and
//! premium by development when the premium file is long
//! (`development,origin,premium`). The engine's premium reader keeps only
//! each origin's latest premium, which is what the methods use; the
//! triangle is the same file read with the long-triangle reader.

use runoff_engine::input::{read_long, LongOptions};
use runoff_engine::Triangle;
use std::rc::Rc;

/// What the data view calls the outstanding.
pub const OUTSTANDING: &str = "outstanding (incurred − paid)";
/// What the data view calls premium by development.
pub const PREMIUM_BY_DEVELOPMENT: &str = "premium by development";

/// Incurred − paid, cell by cell: a cell only where both are observed.
/// `None` unless the two have the same origins and ages, as a segment's
/// measures do (they are read from one file).
pub fn outstanding(incurred: &Triangle, paid: &Triangle) -> Option<Triangle> {
    if incurred.origins() != paid.origins() || incurred.ages() != paid.ages() {
        return None;
    }
    let rows = (0..incurred.n_origins())
        .map(|i| (0..incurred.n_ages()).map(|j| Some(incurred.get(i, j)? - paid.get(i, j)?)).collect())
        .collect();
    Triangle::new(
        incurred.origins().to_vec(),
        incurred.ages().to_vec(),
        incurred.origin_grain(),
        incurred.development_grain(),
        rows,
    )
    .ok()
}

/// The outstanding of a segment's measures, when it has both an incurred
/// and a paid measure (named so, in any case).
pub fn outstanding_of(measures: &[(String, Rc<Triangle>)]) -> Option<Triangle> {
    let find = |name: &str| measures.iter().find(|(m, _)| m.eq_ignore_ascii_case(name)).map(|(_, t)| &**t);
    outstanding(find("incurred")?, find("paid")?)
}

/// Premium by development, on the claims triangle's grains so that its
/// cells line up with the claims'; `None` when the file has no development
/// column or does not read as a triangle (premium per origin still may).
pub fn premium_by_development(text: &str, claims: &Triangle) -> Option<Triangle> {
    let opts = LongOptions {
        grain: Some(claims.development_grain()),
        origin_grain: Some(claims.origin_grain()),
        ..LongOptions::default()
    };
    let mut sets = read_long(text, &opts).ok()?;
    let set = sets.pop().filter(|_| sets.is_empty())?;
    let k = set.measures.iter().position(|(m, _)| m.to_ascii_lowercase().contains("premium")).unwrap_or(0);
    set.measures.into_iter().nth(k).map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use runoff_engine::Grain;

    fn tri(origins: &[&str], ages: Vec<u32>, rows: Vec<Vec<Option<f64>>>) -> Triangle {
        Triangle::new(origins.iter().map(|o| o.to_string()).collect(), ages, Grain::Yearly, Grain::Yearly, rows)
            .unwrap()
    }

    #[test]
    fn outstanding_is_incurred_less_paid_where_both_are_observed() {
        let incurred =
            tri(&["2000", "2001"], vec![12, 24], vec![vec![Some(200.0), Some(220.0)], vec![Some(150.0), None]]);
        // Paid misses 2000 at 24 months.
        let paid = tri(&["2000", "2001"], vec![12, 24], vec![vec![Some(100.0), None], vec![Some(150.0), None]]);
        let o = outstanding(&incurred, &paid).unwrap();
        assert_eq!(o.row(0), [Some(100.0), None]);
        assert_eq!(o.row(1), [Some(0.0), None]);
        assert_eq!(o.origins(), incurred.origins());
        // Triangles of other shapes are not lined up.
        assert!(outstanding(&incurred, &tri(&["2001"], vec![12], vec![vec![Some(40.0)]])).is_none());
        let measures = vec![("Paid".to_string(), Rc::new(paid)), ("INCURRED".to_string(), Rc::new(incurred))];
        assert_eq!(outstanding_of(&measures).unwrap().get(0, 0), Some(100.0));
        assert!(outstanding_of(&measures[..1]).is_none());
    }

    #[test]
    fn long_premium_reads_as_a_triangle_on_the_claims_grains() {
        let claims = tri(&["1995", "1996"], vec![12, 24], vec![vec![Some(1.0), Some(2.0)], vec![Some(1.0), None]]);
        let text = "development,origin,Premium_selected\n1995,1995,100\n1996,1995,150\n1996,1996,120\n";
        let p = premium_by_development(text, &claims).unwrap();
        assert_eq!(p.ages(), [12, 24]);
        assert_eq!(p.row(0), [Some(100.0), Some(150.0)]);
        assert_eq!(p.row(1), [Some(120.0), None]);
        // Premium per origin only: no triangle.
        assert!(premium_by_development("origin,premium\n1995,100\n1996,120\n", &claims).is_none());
    }

    #[test]
    fn the_samples_premium_lines_up_with_its_claims() {
        let claims = include_str!("../../engine/tests/data/quarterly.csv");
        let premium = include_str!("../../engine/tests/data/quarterly_premium.csv");
        for grain in [None, Some(Grain::Yearly)] {
            let m = runoff_engine::input::read_mapped(claims, &crate::sample_mapping(grain)).unwrap().measures;
            let t = &m[0].1;
            let p = premium_by_development(premium, t).unwrap();
            assert_eq!(p.origins(), t.origins());
            assert_eq!(p.development_grain(), t.development_grain());
            // Its latest premium is the premium per origin the methods use.
            let per_origin =
                runoff_engine::input::align_premium(&runoff_engine::input::read_premium(premium).unwrap(), t).unwrap();
            assert_eq!(p.latest(), per_origin);
        }
    }
}
