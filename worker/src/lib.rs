//! The recalculation worker's agent. It runs in a dedicated WebAssembly worker
//! so that a recalculation never blocks the page.
