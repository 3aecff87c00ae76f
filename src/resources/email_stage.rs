//! `authentik_stage_email`: sends a link by mail (verification, recovery). Not the email
//! authenticator (`authentik_stage_authenticator_email`).

use super::common::NAME;
use crate::engine::field::{Check, Dflt, Field, ResourceDef, Rule, STAGE_DEFAULTS};

/// The email stage.
pub const EMAIL_STAGE: ResourceDef = ResourceDef {
    type_name: "authentik_stage_email",
    api_path: "stages/email",
    title: "email stage",
    doc: "Manages an authentik email stage (`/api/v3/stages/email/`): mails the user a link that continues the flow, to verify an address during enrollment or to recover an account. Not the email authenticator (`authentik_stage_authenticator_email`). Every default is authentik's, and removing an attribute from the configuration resets it. authentik never returns `password`: it is kept from the configuration and state, and a change made outside Terraform cannot be seen.",
    fields: &[
        NAME,
        Field::bool("use_global_settings").default(Dflt::Bool(false)).doc(
            "Use the global email settings of the authentik installation; the connection settings below are then stored but ignored. authentik's default, `false` (the official provider defaults to `true`).",
        ),
        Field::string("host").default(Dflt::Str("localhost")).check(Check::NonBlank).doc("SMTP server host name."),
        Field::int("port")
            .default(Dflt::Int(25))
            .check(Check::IntRange { min: 1, max: 65535, why: "a TCP port number; the server would store anything, but mail could never be sent" })
            .doc("SMTP server port."),
        Field::string("username").default(Dflt::Str("")).doc("SMTP user name. Blank for none; removing it clears it."),
        Field::string("password")
            .default(Dflt::Str(""))
            .secret()
            .never_returned()
            .doc("SMTP password. Sensitive; blank for none. authentik never returns it, so it is kept from the configuration and state."),
        Field::bool("use_tls").default(Dflt::Bool(false)).doc("Use STARTTLS."),
        Field::bool("use_ssl").default(Dflt::Bool(false)).doc("Use implicit TLS (SMTPS)."),
        Field::int("timeout")
            .default(Dflt::Int(10))
            .check(Check::IntRange { min: 1, max: i32::MAX as i64, why: "seconds before the SMTP connection gives up; it must be positive" })
            .doc("SMTP connection timeout in seconds. authentik's default, `10` (the official provider defaults to `30`)."),
        Field::string("from_address")
            .default(Dflt::Str("system@authentik.local"))
            .check(Check::Email)
            .doc("Sender address (an email address of at most 254 characters)."),
        Field::string("token_expiry").default(Dflt::Str("minutes=30")).check(Check::Duration).doc(
            "How long the link in the mail stays valid, in authentik's duration format: `key=value` pairs separated by `;`, keys `microseconds`, `milliseconds`, `seconds`, `minutes`, `hours`, `days`, `weeks`, e.g. `hours=1;minutes=30`. Compared exactly as the server stores it.",
        ),
        Field::string("subject").default(Dflt::Str("authentik")).check(Check::NonBlank).doc("Subject of the mail."),
        Field::string("template").default(Dflt::Str("email/password_reset.html")).check(Check::NonBlank).doc(
            "Template of the mail. authentik accepts only the templates it lists at `/api/v3/stages/email/templates/`: the stock `email/password_reset.html`, `email/account_confirmation.html`, `email/email_otp.html`, `email/event_notification.html`, plus any custom template mounted into its `templates` directory; another name is its error at apply.",
        ),
        Field::bool("activate_user_on_success")
            .default(Dflt::Bool(false))
            .doc("Activate the user when the link is followed (for users created inactive). `false` is sent too, so it can be switched off again."),
        Field::int("recovery_max_attempts")
            .default(Dflt::Int(5))
            .check(Check::IntRange { min: 0, max: i32::MAX as i64, why: "authentik refuses a negative number of attempts" })
            .doc("How many recovery mails one user may request within `recovery_cache_timeout`."),
        Field::string("recovery_cache_timeout")
            .default(Dflt::Str("minutes=5"))
            .check(Check::Duration)
            .doc("Window `recovery_max_attempts` counts in, in authentik's duration format (e.g. `minutes=5`)."),
    ],
    rules: &[Rule::NotBothTrue {
        a: "use_tls",
        b: "use_ssl",
        why: "STARTTLS and implicit TLS exclude each other; authentik accepts both but every email would then fail to send.",
    }],
    ..STAGE_DEFAULTS
};
