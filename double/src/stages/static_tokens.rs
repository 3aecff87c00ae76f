//! Static (recovery code) authenticator setup stage (`/stages/authenticator/static/`). Only
//! `name` is required; `token_count` is `0 ..= 2147483647`, `token_length` `0 ..= 100`.

use crate::fields::{Default, Field, Kind, Target, UINT31};
use crate::listing::{Filter, FilterKind};

use super::{StageKind, CONFIGURE_FLOW, FRIENDLY_NAME, NAME, PLAIN, STAGE_UUID_FILTER};

/// The Static stage type.
pub static STATIC: StageKind = StageKind {
    path: "static",
    model: "AuthenticatorStaticStage",
    app_label: "authentik_stages_authenticator_static",
    model_name: "authenticatorstaticstage",
    component: "ak-stage-authenticator-static-form",
    verbose_name: "Static Authenticator Setup Stage",
    verbose_name_plural: "Static Authenticator Setup Stages",
    fields: &[
        NAME,
        CONFIGURE_FLOW,
        FRIENDLY_NAME,
        Field::new("token_count", UINT31).default(Default::Int(6)),
        Field::new("token_length", Kind::Int { min: 0, max: 100 }).default(Default::Int(12)),
    ],
    filters: &[
        Filter::text("name"),
        STAGE_UUID_FILTER,
        Filter::on("configure_flow", FilterKind::Ref(Target::Flow)),
        Filter::text("friendly_name"),
        Filter::on("token_count", FilterKind::Int),
        Filter::on("token_length", FilterKind::Int),
    ],
    ..PLAIN
};
