//! Shared helpers for the integration tests (`mod support;`).
pub mod double;
pub mod tempdir;
pub mod terraform;
