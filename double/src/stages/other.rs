//! Stage types that are not authenticators, served under `/stages/<route>/` with the same
//! generic handlers (`server-behaviour-flows.md`, "The other stage types"). Their cross-field
//! rules read the request body only, as authentik's serializers do.

use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::fields::{
    duration_validator, email_validator, Default, Field, Invalid, Kind, Mode, Target, INT32, UINT31,
};
use crate::listing::{Filter, FilterKind};

use super::{NameRule, StageKind, CONFIGURE_FLOW, NAME, PLAIN, STAGE_UUID_FILTER};

const NAME_FILTER: Filter = Filter::text("name");

/// True when the body has `key` as a non-empty list.
fn non_empty_list(body: &Map<String, Value>, key: &str) -> bool {
    body.get(key)
        .and_then(Value::as_array)
        .is_some_and(|items| !items.is_empty())
}

const USER_FIELDS: &[&str] = &["email", "username", "upn"];

/// Identification: `user_fields` or `sources`, from the body; a create with `sources` but no
/// `user_fields` passes validation and fails in the database (`user_fields` has no default).
fn identification_rules(body: &Map<String, Value>, mode: Mode) -> Result<Vec<String>, ApiError> {
    if !non_empty_list(body, "user_fields") && !non_empty_list(body, "sources") {
        return Ok(vec![
            "When no user fields are selected, at least one source must be selected".into(),
        ]);
    }
    if mode == Mode::Create && !body.contains_key("user_fields") {
        return Err(ApiError::server_error_405());
    }
    Ok(Vec::new())
}

/// `IdentificationStage`.
pub static IDENTIFICATION: StageKind = StageKind {
    path: "identification",
    route: "identification",
    model: "IdentificationStage",
    app_label: "authentik_stages_identification",
    model_name: "identificationstage",
    component: "ak-stage-identification-form",
    verbose_name: "Identification Stage",
    verbose_name_plural: "Identification Stages",
    fields: &[
        NAME,
        Field::new(
            "user_fields",
            Kind::ChoiceList {
                choices: USER_FIELDS,
                allow_empty: true,
            },
        )
        .default(Default::List(&[])),
        Field::new("password_stage", Kind::Ref(Target::Stage))
            .nullable()
            .default(Default::Null),
        Field::new("captcha_stage", Kind::Ref(Target::Stage))
            .nullable()
            .default(Default::Null),
        Field::new("case_insensitive_matching", Kind::Bool).default(Default::Bool(true)),
        Field::new("show_matched_user", Kind::Bool).default(Default::Bool(true)),
        Field::new("enrollment_flow", Kind::Ref(Target::Flow))
            .nullable()
            .default(Default::Null),
        Field::new("recovery_flow", Kind::Ref(Target::Flow))
            .nullable()
            .default(Default::Null),
        Field::new("passwordless_flow", Kind::Ref(Target::Flow))
            .nullable()
            .default(Default::Null),
        Field::new("sources", Kind::RefSet(Target::Source))
            .default(Default::List(&[]))
            .unordered(),
        Field::new("show_source_labels", Kind::Bool).default(Default::Bool(false)),
        Field::new("pretend_user_exists", Kind::Bool).default(Default::Bool(true)),
        Field::new("enable_remember_me", Kind::Bool).default(Default::Bool(false)),
        Field::new("webauthn_stage", Kind::Ref(Target::Stage))
            .nullable()
            .default(Default::Null),
    ],
    filters: &[
        NAME_FILTER,
        Filter::on("password_stage", FilterKind::Uuid),
        Filter::on("captcha_stage", FilterKind::Uuid),
        Filter::on("webauthn_stage", FilterKind::Uuid),
        Filter::on("case_insensitive_matching", FilterKind::Bool),
        Filter::on("show_matched_user", FilterKind::Bool),
        Filter::on("enrollment_flow", FilterKind::Uuid),
        Filter::on("recovery_flow", FilterKind::Uuid),
        Filter::on("passwordless_flow", FilterKind::Uuid),
        Filter::on("show_source_labels", FilterKind::Bool),
    ],
    body_rules: identification_rules,
    ..PLAIN
};

/// Password backends, in authentik's order.
pub const BACKENDS: &[&str] = &[
    "authentik.core.auth.InbuiltBackend",
    "authentik.core.auth.TokenBackend",
    "authentik.sources.ldap.auth.LDAPBackend",
    "authentik.sources.kerberos.auth.KerberosBackend",
];

/// `PasswordStage` (its `configure_flow` is the password change flow).
pub static PASSWORD: StageKind = StageKind {
    path: "password",
    route: "password",
    model: "PasswordStage",
    app_label: "authentik_stages_password",
    model_name: "passwordstage",
    component: "ak-stage-password-form",
    verbose_name: "Password Stage",
    verbose_name_plural: "Password Stages",
    fields: &[
        NAME,
        Field::new(
            "backends",
            Kind::ChoiceList {
                choices: BACKENDS,
                allow_empty: false,
            },
        )
        .required(),
        CONFIGURE_FLOW,
        Field::new("failed_attempts_before_cancel", INT32).default(Default::Int(5)),
        Field::new("allow_show_password", Kind::Bool).default(Default::Bool(false)),
    ],
    filters: &[
        NAME_FILTER,
        Filter::on("configure_flow", FilterKind::Uuid),
        Filter::on("failed_attempts_before_cancel", FilterKind::Int),
        Filter::on("allow_show_password", FilterKind::Bool),
    ],
    ..PLAIN
};

const NETWORK_BINDINGS: &[&str] = &[
    "no_binding",
    "bind_asn",
    "bind_asn_network",
    "bind_asn_network_ip",
];
const GEOIP_BINDINGS: &[&str] = &[
    "no_binding",
    "bind_continent",
    "bind_continent_country",
    "bind_continent_country_city",
];

/// A duration field (authentik's `hours=3;minutes=1` grammar) with a default.
const fn duration(name: &'static str, default: &'static str) -> Field {
    Field::text(name)
        .validators(&[duration_validator])
        .default(Default::Str(default))
}

/// `UserLoginStage`.
pub static USER_LOGIN: StageKind = StageKind {
    path: "user_login",
    route: "user_login",
    model: "UserLoginStage",
    app_label: "authentik_stages_user_login",
    model_name: "userloginstage",
    component: "ak-stage-user-login-form",
    verbose_name: "User Login Stage",
    verbose_name_plural: "User Login Stages",
    fields: &[
        NAME,
        duration("session_duration", "seconds=0"),
        Field::new("terminate_other_sessions", Kind::Bool).default(Default::Bool(false)),
        duration("remember_me_offset", "seconds=0"),
        Field::new("network_binding", Kind::Choice(NETWORK_BINDINGS))
            .default(Default::Str("no_binding")),
        Field::new("geoip_binding", Kind::Choice(GEOIP_BINDINGS))
            .default(Default::Str("no_binding")),
        duration("remember_device", "days=30"),
    ],
    filters: &[
        NAME_FILTER,
        STAGE_UUID_FILTER,
        Filter::text("session_duration"),
        Filter::on("terminate_other_sessions", FilterKind::Bool),
        Filter::text("remember_me_offset"),
        Filter::on("network_binding", FilterKind::Choice(NETWORK_BINDINGS)),
        Filter::on("geoip_binding", FilterKind::Choice(GEOIP_BINDINGS)),
    ],
    ..PLAIN
};

/// `UserLogoutStage`: base fields only.
pub static USER_LOGOUT: StageKind = StageKind {
    path: "user_logout",
    route: "user_logout",
    model: "UserLogoutStage",
    app_label: "authentik_stages_user_logout",
    model_name: "userlogoutstage",
    component: "ak-stage-user-logout-form",
    verbose_name: "User Logout Stage",
    verbose_name_plural: "User Logout Stages",
    filters: &[NAME_FILTER, STAGE_UUID_FILTER],
    ..PLAIN
};

/// `DenyStage`.
pub static DENY: StageKind = StageKind {
    path: "deny",
    route: "deny",
    model: "DenyStage",
    app_label: "authentik_stages_deny",
    model_name: "denystage",
    component: "ak-stage-deny-form",
    verbose_name: "Deny Stage",
    verbose_name_plural: "Deny Stages",
    fields: &[
        NAME,
        Field::blank_text("deny_message").default(Default::Str("")),
    ],
    filters: &[NAME_FILTER, STAGE_UUID_FILTER, Filter::text("deny_message")],
    ..PLAIN
};

const USER_CREATION_MODES: &[&str] = &["never_create", "create_when_required", "always_create"];
const USER_TYPES: &[&str] = &[
    "internal",
    "external",
    "service_account",
    "internal_service_account",
];

/// `UserWriteStage`.
pub static USER_WRITE: StageKind = StageKind {
    path: "user_write",
    route: "user_write",
    model: "UserWriteStage",
    app_label: "authentik_stages_user_write",
    model_name: "userwritestage",
    component: "ak-stage-user-write-form",
    verbose_name: "User Write Stage",
    verbose_name_plural: "User Write Stages",
    fields: &[
        NAME,
        Field::new("user_creation_mode", Kind::Choice(USER_CREATION_MODES))
            .default(Default::Str("create_when_required")),
        Field::new("create_users_as_inactive", Kind::Bool).default(Default::Bool(false)),
        Field::new("create_users_group", Kind::Ref(Target::Group))
            .nullable()
            .default(Default::Null),
        Field::new("user_type", Kind::Choice(USER_TYPES)).default(Default::Str("external")),
        Field::blank_text("user_path_template").default(Default::Str("")),
    ],
    filters: &[
        NAME_FILTER,
        STAGE_UUID_FILTER,
        Filter::on(
            "user_creation_mode",
            FilterKind::Choice(USER_CREATION_MODES),
        ),
        Filter::on("create_users_as_inactive", FilterKind::Bool),
        Filter::on("create_users_group", FilterKind::Uuid),
        Filter::on("user_type", FilterKind::Choice(USER_TYPES)),
        Filter::text("user_path_template"),
    ],
    ..PLAIN
};

/// The email templates a fresh install offers (`GET /stages/email/templates/`).
pub const EMAIL_TEMPLATES: &[(&str, &str)] = &[
    ("email/password_reset.html", "Password Reset"),
    ("email/account_confirmation.html", "Account Confirmation"),
    ("email/email_otp.html", "Email OTP"),
    ("email/event_notification.html", "Event Notification"),
];

fn template_validator(value: &Value, _body: &Map<String, Value>) -> Result<(), Invalid> {
    let name = value.as_str().unwrap_or("");
    if EMAIL_TEMPLATES.iter().any(|(t, _)| *t == name) {
        Ok(())
    } else {
        Err(Invalid::Message(format!(
            "Invalid template '{name}' specified."
        )))
    }
}

/// `EmailStage` (`/stages/email/`; `password` is write-only).
pub static EMAIL_STAGE: StageKind = StageKind {
    path: "email_stage",
    route: "email",
    model: "EmailStage",
    app_label: "authentik_stages_email",
    model_name: "emailstage",
    component: "ak-stage-email-form",
    verbose_name: "Email Stage",
    verbose_name_plural: "Email Stages",
    fields: &[
        NAME,
        Field::new("use_global_settings", Kind::Bool).default(Default::Bool(false)),
        Field::text("host").default(Default::Str("localhost")),
        Field::new("port", INT32).default(Default::Int(25)),
        Field::blank_text("username").default(Default::Str("")),
        Field::blank_text("password")
            .default(Default::Str(""))
            .write_only(),
        Field::new("use_tls", Kind::Bool).default(Default::Bool(false)),
        Field::new("use_ssl", Kind::Bool).default(Default::Bool(false)),
        Field::new("timeout", INT32).default(Default::Int(10)),
        Field::text("from_address")
            .max_length(254)
            .validators(&[email_validator])
            .default(Default::Str("system@authentik.local")),
        duration("token_expiry", "minutes=30"),
        Field::text("subject").default(Default::Str("authentik")),
        Field::text("template")
            .validators(&[template_validator])
            .default(Default::Str("email/password_reset.html")),
        Field::new("activate_user_on_success", Kind::Bool).default(Default::Bool(false)),
        Field::new("recovery_max_attempts", UINT31).default(Default::Int(5)),
        duration("recovery_cache_timeout", "minutes=5"),
    ],
    filters: &[
        NAME_FILTER,
        STAGE_UUID_FILTER,
        Filter::on("use_global_settings", FilterKind::Bool),
        Filter::text("host"),
        Filter::on("port", FilterKind::Int),
        Filter::text("username"),
        Filter::on("use_tls", FilterKind::Bool),
        Filter::on("use_ssl", FilterKind::Bool),
        Filter::on("timeout", FilterKind::Int),
        Filter::text("from_address"),
        Filter::text("token_expiry"),
        Filter::text("subject"),
        Filter::text("template"),
        Filter::on("activate_user_on_success", FilterKind::Bool),
    ],
    ..PLAIN
};

const CONSENT_MODES: &[&str] = &["always_require", "permanent", "expiring"];

/// `ConsentStage`.
pub static CONSENT: StageKind = StageKind {
    path: "consent",
    route: "consent",
    model: "ConsentStage",
    app_label: "authentik_stages_consent",
    model_name: "consentstage",
    component: "ak-stage-consent-form",
    verbose_name: "Consent Stage",
    verbose_name_plural: "Consent Stages",
    fields: &[
        NAME,
        Field::new("mode", Kind::Choice(CONSENT_MODES)).default(Default::Str("expiring")),
        duration("consent_expire_in", "weeks=4"),
    ],
    filters: &[
        NAME_FILTER,
        STAGE_UUID_FILTER,
        Filter::on("mode", FilterKind::Choice(CONSENT_MODES)),
        Filter::text("consent_expire_in"),
    ],
    ..PLAIN
};

const REDIRECT_MODES: &[&str] = &["static", "flow"];

/// Redirect: checked only when the body carries `mode`, against the body only.
fn redirect_rules(body: &Map<String, Value>, _mode: Mode) -> Result<Vec<String>, ApiError> {
    let message = match body.get("mode").and_then(Value::as_str) {
        Some("static")
            if body
                .get("target_static")
                .and_then(Value::as_str)
                .is_none_or(|t| t.trim().is_empty()) =>
        {
            "Target URL should be present when mode is Static."
        }
        Some("flow") if body.get("target_flow").is_none_or(Value::is_null) => {
            "Target Flow should be present when mode is Flow."
        }
        _ => return Ok(Vec::new()),
    };
    Ok(vec![message.to_string()])
}

/// `RedirectStage`.
pub static REDIRECT: StageKind = StageKind {
    path: "redirect",
    route: "redirect",
    model: "RedirectStage",
    app_label: "authentik_stages_redirect",
    model_name: "redirectstage",
    component: "ak-stage-redirect-form",
    verbose_name: "Redirect Stage",
    verbose_name_plural: "Redirect Stages",
    fields: &[
        NAME,
        Field::new("keep_context", Kind::Bool).default(Default::Bool(true)),
        Field::new("mode", Kind::Choice(REDIRECT_MODES)).required(),
        Field::blank_text("target_static").default(Default::Str("")),
        Field::new("target_flow", Kind::Ref(Target::Flow))
            .nullable()
            .default(Default::Null),
    ],
    filters: &[NAME_FILTER],
    body_rules: redirect_rules,
    ..PLAIN
};

/// `PromptStage` (`/stages/prompt/stages/`): `fields` a non-empty set of prompts; names unique
/// among prompt stages only (another type's name fails in the database: a 405).
pub static PROMPT: StageKind = StageKind {
    path: "prompt",
    route: "prompt/stages",
    model: "PromptStage",
    app_label: "authentik_stages_prompt",
    model_name: "promptstage",
    component: "ak-stage-prompt-form",
    verbose_name: "Prompt Stage",
    verbose_name_plural: "Prompt Stages",
    fields: &[
        NAME,
        Field::new("fields", Kind::RefSet(Target::Prompt))
            .required()
            .validators(&[non_empty_set])
            .unordered(),
        Field::new("validation_policies", Kind::RefSet(Target::Policy))
            .default(Default::List(&[]))
            .unordered(),
    ],
    filters: &[
        NAME_FILTER,
        STAGE_UUID_FILTER,
        Filter::on("fields", FilterKind::RefAny(Target::Prompt)),
        Filter::on("validation_policies", FilterKind::RefAny(Target::Policy)),
    ],
    name_rule: NameRule::OwnTypeThenServerError,
    ..PLAIN
};

fn non_empty_set(value: &Value, _body: &Map<String, Value>) -> Result<(), Invalid> {
    match value.as_array() {
        Some(items) if items.is_empty() => {
            Err(Invalid::Message("This list may not be empty.".into()))
        }
        _ => Ok(()),
    }
}

/// Every non-authenticator stage type.
pub const KINDS: [&StageKind; 10] = [
    &IDENTIFICATION,
    &PASSWORD,
    &USER_LOGIN,
    &USER_LOGOUT,
    &DENY,
    &USER_WRITE,
    &EMAIL_STAGE,
    &CONSENT,
    &REDIRECT,
    &PROMPT,
];

/// The non-authenticator stage type served at `/stages/<route>/`.
pub fn kind_by_route(route: &str) -> Option<&'static StageKind> {
    KINDS.iter().copied().find(|k| k.route == route)
}
