//! The engine between Terraform and authentik: it turns a declarative attribute table
//! ([`field::ResourceDef`]) into schema, validation, plan, API bodies and state.

pub mod body;
pub mod checks;
pub mod consistency;
pub mod convert;
pub mod docs;
pub mod errors;
pub mod field;
pub mod generate;
pub mod holder;
pub mod identity;
pub mod listing;
pub mod lookup;
pub mod ops;
pub mod plan;
pub mod private;
pub mod reader;
pub mod schema;
pub mod state;
pub mod upgrade;
pub mod validate;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_enroll;
#[cfg(test)]
mod tests_flows;
