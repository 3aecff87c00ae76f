//! Duo authenticator setup stage (`/stages/authenticator/duo/`). `client_secret` (required on
//! create and every PUT) and `admin_secret_key` are write-only: never in any response.

use crate::fields::{Default, Field, Target};
use crate::listing::{Filter, FilterKind};

use super::{StageKind, CONFIGURE_FLOW, FRIENDLY_NAME, NAME, PLAIN};

/// The Duo stage type.
pub static DUO: StageKind = StageKind {
    path: "duo",
    model: "AuthenticatorDuoStage",
    app_label: "authentik_stages_authenticator_duo",
    model_name: "authenticatorduostage",
    component: "ak-stage-authenticator-duo-form",
    verbose_name: "Duo Authenticator Setup Stage",
    verbose_name_plural: "Duo Authenticator Setup Stages",
    fields: &[
        NAME,
        CONFIGURE_FLOW,
        FRIENDLY_NAME,
        Field::text("client_id").required(),
        Field::text("client_secret").required().write_only(),
        Field::text("api_hostname").required(),
        Field::blank_text("admin_integration_key").default(Default::Str("")),
        Field::blank_text("admin_secret_key")
            .default(Default::Str(""))
            .write_only(),
    ],
    // Only these four (no `stage_uuid`, no `friendly_name`).
    filters: &[
        Filter::text("name"),
        Filter::on("configure_flow", FilterKind::Ref(Target::Flow)),
        Filter::text("client_id"),
        Filter::text("api_hostname"),
    ],
    ..PLAIN
};
