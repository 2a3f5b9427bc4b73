//! Logarithms, exponentials and powers from the `libm` crate on every
//! target. The standard library takes them from the platform's C library
//! natively and from a Rust port in WebAssembly, which may differ in the
//! last bit; through this one implementation the command line and the
//! browser's worker give the same figures bit for bit (the reserve range's
//! seeded simulations among them).

pub(crate) trait Libm {
    fn libm_ln(self) -> f64;
    fn libm_exp(self) -> f64;
    fn libm_powf(self, y: f64) -> f64;
}

impl Libm for f64 {
    #[inline]
    fn libm_ln(self) -> f64 {
        libm::log(self)
    }
    #[inline]
    fn libm_exp(self) -> f64 {
        libm::exp(self)
    }
    #[inline]
    fn libm_powf(self, y: f64) -> f64 {
        libm::pow(self, y)
    }
}
