//! The runoff app: a Yew single-page workbench for loss reserving.
//!
//! The components only render and forward events; every number comes from
//! the engine, run in the recalculation worker.

pub mod agent;
pub mod app;
pub mod browser;
pub mod catalog;
pub mod components;
pub mod entry;
pub mod markup;
pub use runoff_worker::format;
pub mod persist;
pub mod ratios;
pub mod recalc;
pub mod replies;
pub mod route;
pub mod segment_view;
pub mod segments;
pub mod state;
pub mod sync;
