//! `authentik_stage_password`: checks the user's password.

use super::common::NAME;
use crate::engine::field::{Check, Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The password stage.
pub const PASSWORD: ResourceDef = ResourceDef {
    type_name: "authentik_stage_password",
    api_path: "stages/password",
    title: "password stage",
    doc: "Manages an authentik password stage (`/api/v3/stages/password/`): asks for the identified user's password and checks it against the backends listed.",
    fields: &[
        NAME,
        Field::string_list("backends")
            .required()
            .non_empty()
            .one_of(&[
                "authentik.core.auth.InbuiltBackend",
                "authentik.core.auth.TokenBackend",
                "authentik.sources.ldap.auth.LDAPBackend",
                "authentik.sources.kerberos.auth.KerberosBackend",
            ])
            .doc("Backends the password is checked against, in this order (authentik keeps the order). Must not be empty."),
        Field::uuid("configure_flow").doc("UUID of the flow an authenticated user runs to change their password. Null when none; authentik sets it to null when that flow is deleted."),
        Field::int("failed_attempts_before_cancel")
            .default(Dflt::Int(5))
            .check(Check::IntRange { min: i32::MIN as i64, max: i32::MAX as i64, why: "authentik stores it as a 32-bit integer" })
            .doc("Wrong passwords allowed before the flow is cancelled."),
        Field::bool("allow_show_password").default(Dflt::Bool(false)).doc("Offer a button that shows the password as typed."),
    ],
    ..STAGE_DEFAULTS
};
