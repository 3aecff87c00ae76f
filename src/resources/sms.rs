//! `authentik_stage_authenticator_sms`: the SMS authenticator setup stage.

use super::common::{CONFIGURE_FLOW, FRIENDLY_NAME, NAME};
use crate::engine::field::{Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The SMS authenticator setup stage.
pub const SMS: ResourceDef = ResourceDef {
    type_name: "authentik_stage_authenticator_sms",
    api_path: "stages/authenticator/sms",
    title: "SMS authenticator setup stage",
    doc: "Manages an authentik SMS authenticator setup stage (`/api/v3/stages/authenticator/sms/`): lets users enrol a phone number and receive one-time codes by SMS, sent through Twilio or a generic HTTP endpoint.",
    fields: &[
        NAME,
        FRIENDLY_NAME,
        CONFIGURE_FLOW,
        Field::string("sms_provider")
            .api("provider")
            .provider_default(Dflt::Str("twilio"))
            .one_of(&["twilio", "generic"])
            .doc("Who sends the messages: `twilio`, or `generic` (authentik POSTs to the URL in `account_sid`)."),
        Field::string("from_number")
            .required()
            .check(crate::engine::field::Check::NonBlank)
            .doc("Sender phone number or name."),
        Field::string("account_sid")
            .required()
            .check(crate::engine::field::Check::NonBlank)
            .doc("For `twilio`, the Twilio account SID; for `generic`, the URL authentik sends each message to. An identifier, not a secret (the secret is `auth`)."),
        Field::string("auth")
            .required_to_create()
            .check(crate::engine::field::Check::NonBlank)
            .secret()
            .doc("For `twilio`, the auth token; for `generic`, the bearer token or the basic-auth username. Sensitive. When the server stops returning it (newer authentik), the value from state is kept and drift on it cannot be seen."),
        Field::string("auth_type")
            .default(Dflt::Str("basic"))
            .one_of(&["basic", "bearer"])
            .doc("How the generic provider authenticates."),
        Field::string("auth_password")
            .default(Dflt::Str(""))
            .secret()
            .doc("Basic-auth password for the generic provider. Sensitive; blank allowed. Kept from state when the server does not return it."),
        Field::uuid("mapping").doc(
            "UUID of a notification webhook property mapping that shapes the generic provider's payload. authentik sets it to null when that mapping is deleted.",
        ),
        Field::bool("verify_only")
            .default(Dflt::Bool(false))
            .doc("Only verify the phone number during enrolment and keep a hash of it, not the number."),
    ],
    rules: &[],
    send_together: &[],
    ..STAGE_DEFAULTS
};
