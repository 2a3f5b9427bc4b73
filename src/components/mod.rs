//! The page's components: each renders one part and forwards events.

pub mod averages_table;
pub mod chain_ladder_view;
pub mod controls;
pub mod dropped_diagonals;
pub mod link_ratio_grid;
pub mod status_line;

pub use chain_ladder_view::ChainLadderView;
pub use link_ratio_grid::LinkRatioGrid;
pub use status_line::StatusLine;

pub mod ave_view;
pub mod bf_view;
pub mod data_view;
pub mod file_menu;
pub mod history_buttons;
#[cfg(feature = "team")]
pub mod history_view;
pub mod import_panel;
pub mod print_only;
pub mod range_view;
pub mod results_table;
pub mod results_view;
#[cfg(feature = "team")]
pub mod sign_in;
pub mod view_panel;
pub mod view_tabs;

pub use bf_view::BfView;
pub use data_view::DataView;
pub use results_view::ResultsView;
