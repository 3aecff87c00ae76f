//! One declarative description per data source.

pub mod flow;
pub mod flow_stage_binding;
pub mod stage;
pub mod webauthn_device_type;
pub mod webauthn_device_types;
