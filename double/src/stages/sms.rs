//! SMS authenticator setup stage (`/stages/authenticator/sms/`).

use crate::fields::{Default, Field, Kind, Target};
use crate::listing::{Filter, FilterKind};

use super::{no_extras, StageKind, NAME, STAGE_UUID_FILTER};

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
        Field::new("configure_flow", Kind::Ref(Target::Flow)).nullable(),
        Field::blank_text("friendly_name").default(Default::Str("")),
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
        Filter {
            param: "name",
            field: "name",
            kind: FilterKind::Text,
        },
        STAGE_UUID_FILTER,
        Filter {
            param: "account_sid",
            field: "account_sid",
            kind: FilterKind::Text,
        },
        Filter {
            param: "auth",
            field: "auth",
            kind: FilterKind::Text,
        },
        Filter {
            param: "auth_password",
            field: "auth_password",
            kind: FilterKind::Text,
        },
        Filter {
            param: "auth_type",
            field: "auth_type",
            kind: FilterKind::Choice(AUTH_TYPES),
        },
        Filter {
            param: "configure_flow",
            field: "configure_flow",
            kind: FilterKind::Ref(Target::Flow),
        },
        Filter {
            param: "friendly_name",
            field: "friendly_name",
            kind: FilterKind::Text,
        },
        Filter {
            param: "from_number",
            field: "from_number",
            kind: FilterKind::Text,
        },
        Filter {
            param: "mapping",
            field: "mapping",
            kind: FilterKind::Ref(Target::NotificationMapping),
        },
        Filter {
            param: "provider",
            field: "provider",
            kind: FilterKind::Choice(PROVIDERS),
        },
        Filter {
            param: "verify_only",
            field: "verify_only",
            kind: FilterKind::Bool,
        },
    ],
    extras: no_extras,
};
