//! `authentik_stage_authenticator_static`: the static (recovery code) setup stage.

use super::common::{CONFIGURE_FLOW, FRIENDLY_NAME, NAME};
use crate::engine::field::{Check, Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The static authenticator setup stage.
pub const STATIC: ResourceDef = ResourceDef {
    type_name: "authentik_stage_authenticator_static",
    api_path: "stages/authenticator/static",
    title: "static authenticator setup stage",
    doc: "Manages an authentik static authenticator setup stage (`/api/v3/stages/authenticator/static/`): gives users a set of single-use recovery codes.",
    fields: &[
        NAME,
        FRIENDLY_NAME,
        CONFIGURE_FLOW,
        Field::int("token_count")
            .default(Dflt::Int(6))
            .check(Check::IntRange { min: 0, max: i32::MAX as i64, why: "the number of codes; the server stores a non-negative 32-bit integer" })
            .doc("How many recovery codes a user gets."),
        Field::int("token_length")
            .default(Dflt::Int(12))
            .check(Check::IntRange { min: 0, max: 100, why: "characters per code; the server allows at most 100" })
            .doc("Length of each recovery code, in characters."),
    ],
    rules: &[],
    send_together: &[],
    ..STAGE_DEFAULTS
};
