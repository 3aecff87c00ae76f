//! `authentik_stage_user_logout`: signs the user out.

use super::common::NAME;
use crate::engine::field::{ResourceDef, STAGE_DEFAULTS};

/// The user logout stage.
pub const USER_LOGOUT: ResourceDef = ResourceDef {
    type_name: "authentik_stage_user_logout",
    api_path: "stages/user_logout",
    title: "user logout stage",
    doc: "Manages an authentik user logout stage (`/api/v3/stages/user_logout/`): ends the user's session; bind it into an `invalidation` flow. It has only a name.",
    fields: &[NAME],
    ..STAGE_DEFAULTS
};
