//! `authentik_stage_redirect`: sends the user to a URL or into another flow.

use super::common::NAME;
use crate::engine::field::{Dflt, Field, ResourceDef, Rule, STAGE_DEFAULTS};

/// The redirect stage.
pub const REDIRECT: ResourceDef = ResourceDef {
    type_name: "authentik_stage_redirect",
    api_path: "stages/redirect",
    title: "redirect stage",
    doc: "Manages an authentik redirect stage (`/api/v3/stages/redirect/`): ends the flow by sending the user to a URL (`mode = \"static\"`, `target_static`) or into another flow (`mode = \"flow\"`, `target_flow`). The target the mode needs is checked at plan, and a change of `mode` or of a target sends all three together, as authentik checks them from the request body alone. The target the mode does not use is cleared when the configuration leaves it out.",
    fields: &[
        NAME,
        Field::string("mode")
            .provider_default(Dflt::Str("flow"))
            .one_of(&["static", "flow"])
            .doc("Where to send the user: the URL in `target_static` (`static`) or the flow in `target_flow` (`flow`, the default; authentik itself requires a mode)."),
        Field::bool("keep_context").default(Dflt::Bool(true)).doc("With `mode = \"flow\"`, carry the current flow's context (prompt answers, pending user) into the target flow."),
        Field::string("target_static")
            .default(Dflt::Str(""))
            .doc("URL to send the user to; required with `mode = \"static\"`. Blank otherwise; removing it clears it."),
        Field::uuid("target_flow").doc(
            "UUID (`authentik_flow.<x>.uuid`, not the slug) of the flow to continue in; required with `mode = \"flow\"`. authentik sets it to null when that flow is deleted.",
        ),
    ],
    rules: &[
        Rule::NeedsWhen {
            field: "mode",
            value: "static",
            needs: "target_static",
            why: "authentik refuses a static redirect without a URL (\"Target URL should be present when mode is Static.\").",
        },
        Rule::NeedsWhen {
            field: "mode",
            value: "flow",
            needs: "target_flow",
            why: "authentik refuses a flow redirect without a flow (\"Target Flow should be present when mode is Flow.\").",
        },
    ],
    // authentik checks the target of the mode in the request body alone: a PATCH of `mode`
    // without its target is refused, so the three always go together.
    send_together: &["mode", "target_static", "target_flow"],
    ..STAGE_DEFAULTS
};
