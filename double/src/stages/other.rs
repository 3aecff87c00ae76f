//! Stage types that are not authenticators. The double has no typed endpoint for them: they
//! exist as authentik's built-in stages (identification, password, login, ...), visible in
//! `/stages/all/`, deletable there, and their names are taken for every type.

use super::{StageKind, CONFIGURE_FLOW, NAME, PLAIN};

/// `IdentificationStage`.
pub static IDENTIFICATION: StageKind = StageKind {
    path: "identification",
    model: "IdentificationStage",
    app_label: "authentik_stages_identification",
    model_name: "identificationstage",
    component: "ak-stage-identification-form",
    verbose_name: "Identification Stage",
    verbose_name_plural: "Identification Stages",
    ..PLAIN
};

/// `PasswordStage` (its `configure_flow` is the password change flow).
pub static PASSWORD: StageKind = StageKind {
    path: "password",
    model: "PasswordStage",
    app_label: "authentik_stages_password",
    model_name: "passwordstage",
    component: "ak-stage-password-form",
    verbose_name: "Password Stage",
    verbose_name_plural: "Password Stages",
    fields: &[NAME, CONFIGURE_FLOW],
    ..PLAIN
};

/// `UserLoginStage`.
pub static USER_LOGIN: StageKind = StageKind {
    path: "user_login",
    model: "UserLoginStage",
    app_label: "authentik_stages_user_login",
    model_name: "userloginstage",
    component: "ak-stage-user-login-form",
    verbose_name: "User Login Stage",
    verbose_name_plural: "User Login Stages",
    ..PLAIN
};

/// `UserLogoutStage`.
pub static USER_LOGOUT: StageKind = StageKind {
    path: "user_logout",
    model: "UserLogoutStage",
    app_label: "authentik_stages_user_logout",
    model_name: "userlogoutstage",
    component: "ak-stage-user-logout-form",
    verbose_name: "User Logout Stage",
    verbose_name_plural: "User Logout Stages",
    ..PLAIN
};

/// `UserWriteStage`.
pub static USER_WRITE: StageKind = StageKind {
    path: "user_write",
    model: "UserWriteStage",
    app_label: "authentik_stages_user_write",
    model_name: "userwritestage",
    component: "ak-stage-user-write-form",
    verbose_name: "User Write Stage",
    verbose_name_plural: "User Write Stages",
    ..PLAIN
};

/// `PromptStage`.
pub static PROMPT: StageKind = StageKind {
    path: "prompt",
    model: "PromptStage",
    app_label: "authentik_stages_prompt",
    model_name: "promptstage",
    component: "ak-stage-prompt-form",
    verbose_name: "Prompt Stage",
    verbose_name_plural: "Prompt Stages",
    ..PLAIN
};

/// `ConsentStage`.
pub static CONSENT: StageKind = StageKind {
    path: "consent",
    model: "ConsentStage",
    app_label: "authentik_stages_consent",
    model_name: "consentstage",
    component: "ak-stage-consent-form",
    verbose_name: "Consent Stage",
    verbose_name_plural: "Consent Stages",
    ..PLAIN
};

/// Every non-authenticator stage type.
pub const KINDS: [&StageKind; 7] = [
    &IDENTIFICATION,
    &PASSWORD,
    &USER_LOGIN,
    &USER_LOGOUT,
    &USER_WRITE,
    &PROMPT,
    &CONSENT,
];
