//! One declarative description per authentik stage (and, in [`data_sources`], per data source).
//! Adding a stage is one small file here and one line in [`ALL`].

mod common;
pub mod consent;
pub mod data_sources;
pub mod deny;
pub mod differences;
pub mod duo;
pub mod email;
pub mod email_stage;
pub mod flow;
pub mod flow_stage_binding;
pub mod identification;
pub mod password;
pub mod policy_binding;
pub mod policy_expression;
pub mod prompt;
pub mod prompt_field;
pub mod redirect;
pub mod sms;
pub mod static_tokens;
pub mod totp;
pub mod user_login;
pub mod user_logout;
pub mod user_write;
pub mod validate;
pub mod webauthn;

use crate::engine::field::{DataSourceDef, ResourceDef};

/// Every resource this provider serves.
pub const ALL: &[&ResourceDef] = &[
    &sms::SMS,
    &email::EMAIL,
    &validate::VALIDATE,
    &totp::TOTP,
    &static_tokens::STATIC,
    &webauthn::WEBAUTHN,
    &duo::DUO,
    &flow::FLOW,
    &flow_stage_binding::FLOW_STAGE_BINDING,
    &identification::IDENTIFICATION,
    &password::PASSWORD,
    &user_login::USER_LOGIN,
    &user_logout::USER_LOGOUT,
    &deny::DENY,
    &policy_expression::POLICY_EXPRESSION,
    &policy_binding::POLICY_BINDING,
    &prompt_field::PROMPT_FIELD,
    &prompt::PROMPT,
    &user_write::USER_WRITE,
    &email_stage::EMAIL_STAGE,
    &consent::CONSENT,
    &redirect::REDIRECT,
];

/// Every data source this provider serves.
pub const DATA_SOURCES: &[&DataSourceDef] = &[
    &data_sources::stage::STAGE,
    &data_sources::flow::FLOW,
    &data_sources::flow_stage_binding::FLOW_STAGE_BINDING,
    &data_sources::webauthn_device_type::WEBAUTHN_DEVICE_TYPE,
    &data_sources::webauthn_device_types::WEBAUTHN_DEVICE_TYPES,
];
