//! runoff's engine: the reserving mathematics and the session model.
//!
//! Plain Rust with no web dependency, so that the browser worker and the
//! `runoff` command line compute every number with the same code. The stages
//! follow chainladder-python's staging, in the order an actuary works:
//! a [`Triangle`] → development factors → a tail → the methods.

pub mod action;
pub mod ave;
pub mod bootstrap;
mod describe;
pub mod development;
pub mod error;
pub mod export;
pub mod grids;
pub mod input;
pub mod limits;
mod maths;
pub mod methods;
pub mod reserve;
pub mod session;
pub mod shared;
pub mod tail;
pub mod triangle;
pub mod warnings;

pub use action::Action;
pub use bootstrap::{Bootstrap, BootstrapOptions, BootstrapSummary, Process};
pub use error::EngineError;
pub use reserve::{reserve, reserve_listing, MethodResult, Methods, Reserve, Selected};
pub use reserve::{CapeCodResult, MackResult};
pub use session::{Session, Settings};
pub use triangle::{Grain, Triangle};
