//! Reading back numbers that JSON cannot hold. A result may have figures
//! that do not exist (NaN: a sigma no rule can estimate, an ultimate of an
//! origin without data); JSON writes them as `null`, and these read `null`
//! back as NaN, so that results survive a trip through JSON (the command
//! line's output, the page's worker messages) whole.

use serde::{Deserialize, Deserializer};

/// A number, or NaN for `null`.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// Numbers, with NaN for each `null`.
pub fn numbers<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let v: Vec<Option<f64>> = Vec::deserialize(d)?;
    Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(deserialize_with = "super::number")]
        x: f64,
        #[serde(deserialize_with = "super::numbers")]
        v: Vec<f64>,
    }

    #[test]
    fn null_is_nan() {
        let t: T = serde_yaml::from_str("{x: null, v: [1.5, null]}").unwrap();
        assert!(t.x.is_nan() && t.v[0] == 1.5 && t.v[1].is_nan());
    }
}
