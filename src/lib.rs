//! terraform-provider-authentik: a Terraform provider for authentik's authenticator stages.
//!
//! Three layers:
//! - [`protocol`]: the Terraform plugin protocol (gRPC, handshake, values, diagnostics);
//! - [`client`]: authentik's REST API (HTTP, auth, retries, error bodies);
//! - [`engine`]: turns a declarative attribute table into schema, validation, plan, API bodies
//!   and state; [`resources`] holds one short description per authentik stage.

pub mod client;
pub mod engine;
pub mod protocol;
pub mod provider;
pub mod resources;
