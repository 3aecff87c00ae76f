//! A toy provider binary (resource `toy_thing` with every value kind) for driving the protocol
//! layer with real Terraform: the protocol tests point Terraform's `dev_overrides` at it.
//! It is a test fixture, not part of the product.

#[path = "../tests/common/toy.rs"]
mod toy;

use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    terraform_provider_authentik::protocol::serve(Arc::new(toy::Toy::default()))
}
