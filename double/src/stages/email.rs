//! Email authenticator setup stage (`/stages/authenticator/email/`). Only `name` is required.
//! With `use_global_settings` the connection fields are still stored and returned.

use crate::fields::{duration_validator, email_validator, Default, Field, Kind, Target, INT32};
use crate::listing::{Filter, FilterKind};

use super::{StageKind, CONFIGURE_FLOW, FRIENDLY_NAME, NAME, PLAIN, STAGE_UUID_FILTER};

/// The Email stage type.
pub static EMAIL: StageKind = StageKind {
    path: "email",
    model: "AuthenticatorEmailStage",
    app_label: "authentik_stages_authenticator_email",
    model_name: "authenticatoremailstage",
    component: "ak-stage-authenticator-email-form",
    verbose_name: "Email Authenticator Setup Stage",
    verbose_name_plural: "Email Authenticator Setup Stages",
    fields: &[
        NAME,
        CONFIGURE_FLOW,
        FRIENDLY_NAME,
        Field::new("use_global_settings", Kind::Bool).default(Default::Bool(false)),
        Field::text("host").default(Default::Str("localhost")),
        Field::new("port", INT32).default(Default::Int(25)),
        Field::blank_text("username").default(Default::Str("")),
        Field::blank_text("password").default(Default::Str("")),
        // Both true is accepted here (it only fails when mail is sent).
        Field::new("use_tls", Kind::Bool).default(Default::Bool(false)),
        Field::new("use_ssl", Kind::Bool).default(Default::Bool(false)),
        Field::new("timeout", INT32).default(Default::Int(10)),
        Field::text("from_address")
            .max_length(254)
            .validators(&[email_validator])
            .default(Default::Str("system@authentik.local")),
        Field::text("subject").default(Default::Str("authentik Sign-in code")),
        Field::text("token_expiry")
            .validators(&[duration_validator])
            .default(Default::Str("minutes=30")),
        Field::text("template").default(Default::Str("email/email_otp.html")),
    ],
    filters: &[
        Filter::text("name"),
        STAGE_UUID_FILTER,
        Filter::on("configure_flow", FilterKind::Ref(Target::Flow)),
        Filter::text("friendly_name"),
        Filter::text("from_address"),
        Filter::text("host"),
        Filter::text("password"),
        Filter::on("port", FilterKind::Int),
        Filter::text("subject"),
        Filter::text("template"),
        Filter::on("timeout", FilterKind::Int),
        Filter::text("token_expiry"),
        Filter::on("use_global_settings", FilterKind::Bool),
        Filter::on("use_ssl", FilterKind::Bool),
        Filter::on("use_tls", FilterKind::Bool),
        Filter::text("username"),
    ],
    ..PLAIN
};
