//! The Terraform plugin protocol layer: go-plugin handshake, gRPC services (protocol 6),
//! value codecs, schemas and diagnostics. It knows Terraform and nothing of authentik.

pub mod codec;
pub mod convert;
pub mod diag;
pub mod grpc;
pub mod logging;
pub mod number;
pub mod pb;
pub mod plugin;
pub mod provider;
pub mod schema;
pub mod server;
pub mod tls;
pub mod value;

pub use diag::{has_errors, AttributePath, Diagnostic, PathStep, Severity};
pub use provider::*;
pub use schema::{Attribute, Block, IdentityAttribute, IdentitySchema, Schema};
pub use server::{serve, serve_on, PluginListener, ServeError};
pub use value::{Number, Type, Value};
