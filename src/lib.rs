//! The runoff app: a Yew single-page workbench for loss reserving.
//!
//! The components only render and forward events; every number comes from
//! the engine, run in the recalculation worker.

mod agent;
pub mod app;
pub mod browser;
pub mod catalog;
mod claims_reading;
pub mod components;
mod entry;
mod file_actions;
mod imports;
mod loaded_segment;
mod markup;
pub use runoff_worker::format;
mod persist;
mod ratios;
mod recalc;
pub mod replies;
mod reserve_range;
pub mod results_table;
mod route;
mod segment_edits;
mod segment_list;
mod segment_view;
pub mod segments;
mod state;
mod store;
pub mod sync;
mod sync_agent;
mod team;
mod view_choices;
