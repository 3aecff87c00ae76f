//! `authentik_stage_authenticator_totp`: the TOTP (authenticator app) setup stage.

use super::common::{CONFIGURE_FLOW, FRIENDLY_NAME, NAME};
use crate::engine::field::{Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The TOTP authenticator setup stage.
pub const TOTP: ResourceDef = ResourceDef {
    type_name: "authentik_stage_authenticator_totp",
    api_path: "stages/authenticator/totp",
    title: "TOTP authenticator setup stage",
    doc: "Manages an authentik TOTP authenticator setup stage (`/api/v3/stages/authenticator/totp/`): lets users enrol an authenticator app (time-based one-time codes).",
    fields: &[
        NAME,
        FRIENDLY_NAME,
        CONFIGURE_FLOW,
        Field::string("digits")
            .provider_default(Dflt::Str("6"))
            .one_of(&["6", "8"])
            .doc("Number of digits of each code. A string, as in authentik's API, which always returns it as `\"6\"` or `\"8\"` (`digits = 6` works too: Terraform converts the number)."),
    ],
    rules: &[],
    send_together: &[],
    ..STAGE_DEFAULTS
};
