//! `authentik_stage_authenticator_duo`: the Duo setup stage.

use super::common::{CONFIGURE_FLOW, FRIENDLY_NAME, NAME};
use crate::engine::field::{Check, Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The Duo authenticator setup stage.
pub const DUO: ResourceDef = ResourceDef {
    type_name: "authentik_stage_authenticator_duo",
    api_path: "stages/authenticator/duo",
    title: "Duo authenticator setup stage",
    doc: "Manages an authentik Duo authenticator setup stage (`/api/v3/stages/authenticator/duo/`): lets users enrol a Duo device through Duo's Auth API (and, with the Admin API keys, import existing Duo devices).",
    fields: &[
        NAME,
        FRIENDLY_NAME,
        CONFIGURE_FLOW,
        Field::string("client_id")
            .required()
            .check(Check::NonBlank)
            .doc("Integration key of the Duo Auth API application."),
        Field::string("client_secret")
            .required_to_create()
            .check(Check::NonBlank)
            .secret()
            .never_returned()
            .doc("Secret key of the Duo Auth API application. Sensitive."),
        Field::string("api_hostname")
            .required()
            .check(Check::NonBlank)
            .doc("API host name of the Duo account, e.g. `api-1234abcd.duosecurity.com`."),
        Field::string("admin_integration_key")
            .default(Dflt::Str(""))
            .doc("Integration key of a Duo Admin API application, used to import existing devices. Blank for none."),
        Field::string("admin_secret_key")
            .default(Dflt::Str(""))
            .secret()
            .never_returned()
            .doc("Secret key of the Duo Admin API application. Sensitive; blank for none."),
    ],
    rules: &[],
    send_together: &[],
    ..STAGE_DEFAULTS
};
