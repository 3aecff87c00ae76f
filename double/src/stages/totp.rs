//! TOTP authenticator setup stage (`/stages/authenticator/totp/`). `digits` is required and has
//! no default; it is accepted as `6` or `"6"` and always returned as a string.

use crate::fields::{Field, Kind, Target};
use crate::listing::{Filter, FilterKind};

use super::{StageKind, CONFIGURE_FLOW, FRIENDLY_NAME, NAME, PLAIN, STAGE_UUID_FILTER};

/// Digits of the generated codes (an integer column with choices, shown as strings).
pub const DIGITS: &[&str] = &["6", "8"];

/// The TOTP stage type.
pub static TOTP: StageKind = StageKind {
    path: "totp",
    model: "AuthenticatorTOTPStage",
    app_label: "authentik_stages_authenticator_totp",
    model_name: "authenticatortotpstage",
    component: "ak-stage-authenticator-totp-form",
    verbose_name: "TOTP Authenticator Setup Stage",
    verbose_name_plural: "TOTP Authenticator Setup Stages",
    fields: &[
        NAME,
        CONFIGURE_FLOW,
        FRIENDLY_NAME,
        // `6` and `"6"` both become "6" (`str(value)` is matched against the choices).
        Field::new("digits", Kind::Choice(DIGITS)).required(),
    ],
    filters: &[
        Filter::text("name"),
        STAGE_UUID_FILTER,
        Filter::on("configure_flow", FilterKind::Ref(Target::Flow)),
        Filter::text("friendly_name"),
        Filter::on("digits", FilterKind::Choice(DIGITS)),
    ],
    ..PLAIN
};
