//! `authentik_stage_consent`: asks the user to agree before an application gets their data.

use super::common::NAME;
use crate::engine::field::{Check, Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The consent stage.
pub const CONSENT: ResourceDef = ResourceDef {
    type_name: "authentik_stage_consent",
    api_path: "stages/consent",
    title: "consent stage",
    doc: "Manages an authentik consent stage (`/api/v3/stages/consent/`): in an authorization flow, asks the user to allow the application access, and remembers the answer as `mode` says. Every default is authentik's.",
    fields: &[
        NAME,
        Field::string("mode")
            .default(Dflt::Str("expiring"))
            .one_of(&["always_require", "permanent", "expiring"])
            .doc("How long consent is remembered: never (`always_require`), forever (`permanent`) or for `consent_expire_in` (`expiring`). authentik's default, `expiring` (the official provider defaults to `always_require`)."),
        Field::string("consent_expire_in")
            .default(Dflt::Str("weeks=4"))
            .check(Check::Duration)
            .doc("How long consent lasts with `mode = \"expiring\"` (stored whatever the mode), in authentik's duration format: `key=value` pairs separated by `;`, e.g. `weeks=4` or `days=1;hours=12`."),
    ],
    ..STAGE_DEFAULTS
};
