//! `authentik_stage_authenticator_email`: the email authenticator setup stage.

use super::common::{CONFIGURE_FLOW, FRIENDLY_NAME, NAME};
use crate::engine::field::{Check, Dflt, Field, ResourceDef, Rule, STAGE_DEFAULTS};

/// The email authenticator setup stage. Defaults are the server's (not the official provider's).
pub const EMAIL: ResourceDef = ResourceDef {
    type_name: "authentik_stage_authenticator_email",
    api_path: "stages/authenticator/email",
    title: "email authenticator setup stage",
    doc: "Manages an authentik email authenticator setup stage (`/api/v3/stages/authenticator/email/`): lets users enrol an email address and receive one-time codes by mail. Every default equals the server's, so a minimal configuration plans empty after apply.",
    fields: &[
        NAME,
        FRIENDLY_NAME,
        CONFIGURE_FLOW,
        Field::bool("use_global_settings").default(Dflt::Bool(false)).doc(
            "Use the global email settings of the authentik installation; the connection settings below are then stored but ignored when sending.",
        ),
        Field::string("host").default(Dflt::Str("localhost")).check(Check::NonBlank).doc("SMTP server host name."),
        Field::int("port")
            .default(Dflt::Int(25))
            .check(Check::IntRange { min: 1, max: 65535, why: "a TCP port number; the server would store anything, but mail could never be sent" })
            .doc("SMTP server port."),
        Field::string("username").default(Dflt::Str("")).doc("SMTP user name. Blank for none."),
        Field::string("password")
            .default(Dflt::Str(""))
            .secret()
            .doc("SMTP password. Sensitive; blank for none. Kept from state when the server does not return it."),
        Field::bool("use_tls").default(Dflt::Bool(false)).doc("Use STARTTLS."),
        Field::bool("use_ssl").default(Dflt::Bool(false)).doc("Use implicit TLS (SMTPS)."),
        Field::int("timeout")
            .default(Dflt::Int(10))
            .check(Check::IntRange { min: 1, max: i32::MAX as i64, why: "seconds before the SMTP connection gives up; it must be positive" })
            .doc("SMTP connection timeout in seconds."),
        Field::string("from_address")
            .default(Dflt::Str("system@authentik.local"))
            .check(Check::Email)
            .doc("Sender address (an email address of at most 254 characters)."),
        Field::string("subject").default(Dflt::Str("authentik Sign-in code")).check(Check::NonBlank).doc("Subject of the code email."),
        Field::string("token_expiry").default(Dflt::Str("minutes=30")).check(Check::Duration).doc(
            "How long a code stays valid, in authentik's duration format: `key=value` pairs separated by `;` (not commas), keys `microseconds`, `milliseconds`, `seconds`, `minutes`, `hours`, `days`, `weeks`, e.g. `hours=1;minutes=30`. Compared exactly as the server stores it.",
        ),
        Field::string("template").default(Dflt::Str("email/email_otp.html")).check(Check::NonBlank).doc("Template used for the email."),
    ],
    rules: &[Rule::NotBothTrue {
        a: "use_tls",
        b: "use_ssl",
        why: "STARTTLS and implicit TLS exclude each other; authentik accepts both but every email would then fail to send.",
    }],
    send_together: &[],
    ..STAGE_DEFAULTS
};
