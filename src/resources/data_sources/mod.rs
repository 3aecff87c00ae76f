//! One declarative description per data source.

pub mod flow;
pub mod stage;
pub mod webauthn_device_type;
pub mod webauthn_device_types;
