//! SMS authenticator setup stage (`/stages/authenticator/sms/`).

use crate::fields::{Default, Field, Kind, Target};
use crate::listing::{Filter, FilterKind};

use super::{StageKind, CONFIGURE_FLOW, FRIENDLY_NAME, NAME, PLAIN, STAGE_UUID_FILTER};

/// SMS providers.
pub const PROVIDERS: &[&str] = &["twilio", "generic"];
/// How the generic provider authenticates.
pub const AUTH_TYPES: &[&str] = &["basic", "bearer"];

/// The SMS stage type.
pub static SMS: StageKind = StageKind {
    path: "sms",
    model: "AuthenticatorSMSStage",
    app_label: "authentik_stages_authenticator_sms",
    model_name: "authenticatorsmsstage",
    component: "ak-stage-authenticator-sms-form",
    verbose_name: "SMS Authenticator Setup Stage",
    verbose_name_plural: "SMS Authenticator Setup Stages",
    fields: &[
        NAME,
        CONFIGURE_FLOW,
        FRIENDLY_NAME,
        Field::new("provider", Kind::Choice(PROVIDERS)).required(),
        Field::text("from_number").required(),
        // For `generic` this is the URL the server POSTs to; not validated.
        Field::text("account_sid").required(),
        Field::text("auth").required().secret(),
        Field::blank_text("auth_password")
            .default(Default::Str(""))
            .secret(),
        Field::new("auth_type", Kind::Choice(AUTH_TYPES)).default(Default::Str("basic")),
        Field::new("verify_only", Kind::Bool).default(Default::Bool(false)),
        Field::new("mapping", Kind::Ref(Target::NotificationMapping)).nullable(),
    ],
    filters: &[
        Filter::text("name"),
        STAGE_UUID_FILTER,
        Filter::text("account_sid"),
        Filter::text("auth"),
        Filter::text("auth_password"),
        Filter::on("auth_type", FilterKind::Choice(AUTH_TYPES)),
        Filter::on("configure_flow", FilterKind::Ref(Target::Flow)),
        Filter::text("friendly_name"),
        Filter::text("from_number"),
        Filter::on("mapping", FilterKind::Ref(Target::NotificationMapping)),
        Filter::on("provider", FilterKind::Choice(PROVIDERS)),
        Filter::on("verify_only", FilterKind::Bool),
    ],
    ..PLAIN
};
