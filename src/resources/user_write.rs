//! `authentik_stage_user_write`: writes the flow's prompt data to a (new or existing) user.

use super::common::NAME;
use crate::engine::field::{Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The user write stage.
pub const USER_WRITE: ResourceDef = ResourceDef {
    type_name: "authentik_stage_user_write",
    api_path: "stages/user_write",
    title: "user write stage",
    doc: "Manages an authentik user write stage (`/api/v3/stages/user_write/`): writes what earlier prompt stages collected (`username`, `email`, `password`, `attributes.*` …) to the pending user, creating one when needed. Every default is authentik's, and removing an attribute from the configuration resets it.",
    fields: &[
        NAME,
        Field::string("user_creation_mode")
            .default(Dflt::Str("create_when_required"))
            .one_of(&["never_create", "create_when_required", "always_create"])
            .doc("Whether a user is created: never, when the flow has no pending user, or always."),
        Field::bool("create_users_as_inactive")
            .default(Dflt::Bool(false))
            .doc("Create users inactive (an email stage with `activate_user_on_success` can activate them). authentik's default, `false` (the official provider defaults to `true`)."),
        Field::uuid("create_users_group").doc("UUID of a group new users are added to. Null for none; authentik sets it to null when the group is deleted."),
        Field::string("user_type")
            .default(Dflt::Str("external"))
            .one_of(&["internal", "external", "service_account", "internal_service_account"])
            .doc("Type of the users created."),
        Field::string("user_path_template")
            .default(Dflt::Str(""))
            .doc("Path new users are created under (e.g. `users/%(slug)s`). Blank for the default path."),
    ],
    ..STAGE_DEFAULTS
};
