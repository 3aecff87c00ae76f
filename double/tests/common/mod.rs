//! Shared helpers for the double's own tests. The harness is the same file the provider's
//! tests use (`tests/support/double.rs` at the workspace root), so it is exercised here too.
#![allow(dead_code)]

#[path = "../../../tests/support/double.rs"]
pub mod double;
