//! The runoff app.
