//! `authentik_stage_user_login`: signs the identified user in.

use super::common::NAME;
use crate::engine::field::{Check, Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The user login stage.
pub const USER_LOGIN: ResourceDef = ResourceDef {
    type_name: "authentik_stage_user_login",
    api_path: "stages/user_login",
    title: "user login stage",
    doc: "Manages an authentik user login stage (`/api/v3/stages/user_login/`): the stage that signs the identified user in, usually last in a sign-in flow.",
    fields: &[
        NAME,
        Field::string("session_duration").default(Dflt::Str("seconds=0")).check(Check::Duration).doc(
            "How long the session lasts; `seconds=0` means until the browser is closed. A duration in authentik's duration format: `key=value` pairs separated by `;` (keys `microseconds`, `milliseconds`, `seconds`, `minutes`, `hours`, `days`, `weeks`), e.g. `hours=8;minutes=30`. Compared exactly as the server stores it.",
        ),
        Field::string("remember_me_offset").default(Dflt::Str("seconds=0")).check(Check::Duration).doc(
            "Added to the session duration when the user ticks \"remember me\" (identification stage `enable_remember_me`). A duration in authentik's duration format: `key=value` pairs separated by `;` (keys `microseconds`, `milliseconds`, `seconds`, `minutes`, `hours`, `days`, `weeks`), e.g. `hours=8;minutes=30`. Compared exactly as the server stores it.",
        ),
        Field::string("remember_device").default(Dflt::Str("days=30")).check(Check::Duration).doc(
            "How long a device is remembered for skipping MFA. A duration in authentik's duration format: `key=value` pairs separated by `;` (keys `microseconds`, `milliseconds`, `seconds`, `minutes`, `hours`, `days`, `weeks`), e.g. `hours=8;minutes=30`. Compared exactly as the server stores it.",
        ),
        Field::bool("terminate_other_sessions").default(Dflt::Bool(false)).doc("End the user's other sessions on sign-in."),
        Field::string("network_binding")
            .default(Dflt::Str("no_binding"))
            .one_of(&["no_binding", "bind_asn", "bind_asn_network", "bind_asn_network_ip"])
            .doc("Bind the session to the client's network: a change of it ends the session."),
        Field::string("geoip_binding")
            .default(Dflt::Str("no_binding"))
            .one_of(&["no_binding", "bind_continent", "bind_continent_country", "bind_continent_country_city"])
            .doc("Bind the session to the client's location: a change of it ends the session."),
    ],
    ..STAGE_DEFAULTS
};
