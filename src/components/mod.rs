//! The page's components: each renders one part and forwards events.

pub mod results_table;
pub mod status_line;
pub mod triangle_table;

pub use results_table::ResultsTable;
pub use status_line::StatusLine;
pub use triangle_table::TriangleTable;
