//! `authentik_stage_deny`: stops the flow.

use super::common::NAME;
use crate::engine::field::{Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The deny stage.
pub const DENY: ResourceDef = ResourceDef {
    type_name: "authentik_stage_deny",
    api_path: "stages/deny",
    title: "deny stage",
    doc: "Manages an authentik deny stage (`/api/v3/stages/deny/`): ends the flow with a message, usually bound behind a policy.",
    fields: &[
        NAME,
        Field::string("deny_message").default(Dflt::Str("")).doc("Message shown to the user. Blank (the default) shows authentik's generic message."),
    ],
    ..STAGE_DEFAULTS
};
