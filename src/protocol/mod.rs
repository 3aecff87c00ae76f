//! The Terraform plugin protocol layer: go-plugin handshake, gRPC services (protocol 6),
//! value codecs, schemas and diagnostics. It knows Terraform and nothing of authentik.

pub mod diag;
pub mod number;
pub mod provider;
pub mod schema;
pub mod value;

pub use diag::{AttributePath, Diagnostic, PathStep, Severity};
pub use provider::*;
pub use schema::{Attribute, Block, Schema};
pub use value::{Number, Type, Value};
