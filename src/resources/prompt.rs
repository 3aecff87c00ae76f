//! `authentik_stage_prompt`: shows prompt fields and stores the answers in the flow context.

use super::common::NAME;
use crate::engine::field::{Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// The prompt stage.
pub const PROMPT: ResourceDef = ResourceDef {
    type_name: "authentik_stage_prompt",
    api_path: "stages/prompt/stages",
    title: "prompt stage",
    doc: "Manages an authentik prompt stage (`/api/v3/stages/prompt/stages/`): a form of `authentik_stage_prompt_field`s whose answers go into the flow context, for `authentik_stage_user_write` to write to the user. The fields appear in the order of their own `order`, so `fields` is a set. authentik checks a prompt stage's name only against other prompt stages; this provider also checks it against every other stage type before sending it, since authentik would fail on such a name with an internal error.",
    fields: &[
        NAME,
        Field::uuid_set("fields").required().non_empty().doc(
            "UUIDs of the prompt fields shown (`authentik_stage_prompt_field.<x>.id`). At least one. Order does not matter: each field's `order` sets its position. authentik removes a field from this set when the field is deleted.",
        ),
        Field::uuid_set("validation_policies")
            .default(Dflt::Strs(&[]))
            .doc("UUIDs of policies (of any type) that check the answers; all must pass for the user to continue. Order does not matter. Empty for none."),
    ],
    name_checked_first: true,
    ..STAGE_DEFAULTS
};
