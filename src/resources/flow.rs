//! `authentik_flow`: a flow, addressed in the API by its slug.

use crate::engine::field::{Check, Dflt, Field, NaturalKey, ResourceDef, NAME_FILTERS};

/// What a flow is for.
pub const DESIGNATIONS: &[&str] = &[
    "authentication",
    "authorization",
    "invalidation",
    "enrollment",
    "unenrollment",
    "recovery",
    "stage_configuration",
];

/// Who may run a flow.
pub const AUTHENTICATIONS: &[&str] = &[
    "none",
    "require_authenticated",
    "require_unauthenticated",
    "require_superuser",
    "require_redirect",
    "require_outpost",
];

/// `list "authentik_flow"` filters: exact slug, designation, and authentik's search.
const FLOW_FILTERS: &[Field] = &[
    Field::string("slug")
        .check(Check::Slug)
        .doc("Only the flow with exactly this slug (case included)."),
    Field::string("designation")
        .one_of(DESIGNATIONS)
        .doc("Only flows with this designation."),
    NAME_FILTERS[1],
];

/// A flow (`/api/v3/flows/instances/`).
pub const FLOW: ResourceDef = ResourceDef {
    type_name: "authentik_flow",
    api_path: "flows/instances",
    title: "flow",
    doc: "Manages an authentik flow (`/api/v3/flows/instances/`): a sequence of stages (bound with `authentik_flow_stage_binding`) that users run to sign in, sign out, enrol or set up an authenticator. authentik addresses a flow by its **slug**: as in the official provider, `id` is the slug and `uuid` the flow's UUID, which is what bindings, `configure_flow` and the other flow references take. Changing `slug` renames the flow in place (same UUID, bindings kept) and `id` follows.",
    fields: &[
        Field::string("uuid").api("pk").read_only().uuids().doc(
            "The flow's UUID (authentik's `pk`). Use it wherever a flow is referenced: `authentik_flow_stage_binding.target`, `authentik_policy_binding.target`, `configure_flow`, `enrollment_flow` and so on. It never changes, also not when the slug does.",
        ),
        Field::string("name").required().check(Check::NonBlank).doc("Name of the flow, shown in the admin interface. Not unique."),
        Field::string("slug").required().check(Check::Slug).doc(
            "Slug of the flow: its address in the API and in flow URLs (`/if/flow/<slug>/`). Unique among all flows, built-in ones included, and case-sensitive. Letters, digits, `_` and `-` only. Changing it renames the flow in place.",
        ),
        Field::string("title").required().check(Check::NonBlank).doc("Title shown to users running the flow."),
        Field::string("designation")
            .required()
            .one_of(DESIGNATIONS)
            .doc("What the flow is for. Setup flows of authenticator stages are `stage_configuration`."),
        Field::string("authentication")
            .default(Dflt::Str("none"))
            .one_of(AUTHENTICATIONS)
            .doc("Who may run the flow."),
        Field::string("layout")
            .default(Dflt::Str("stacked"))
            .one_of(&[
                "stacked",
                "content_left",
                "content_right",
                "sidebar_left",
                "sidebar_right",
                "sidebar_left_frame_background",
                "sidebar_right_frame_background",
            ])
            .doc("Page layout. `sidebar_left_frame_background` and `sidebar_right_frame_background` need authentik 2026.2 or later (older servers reject them)."),
        Field::string("background").default(Dflt::Str("")).check(Check::MediaPath).doc(
            "Background image, stored as given: a URL (`https://…`), a `/static/…` path, an `fa://` icon, or the name of a file uploaded to authentik's files (a relative name of letters, digits, `.`, `_`, `-` and `/`, no `..`). Blank (the server's default) shows the brand's default flow background. authentik 2025.12 and later take it as plain text; there is no upload here.",
        ),
        Field::string("policy_engine_mode")
            .default(Dflt::Str("any"))
            .one_of(&["all", "any"])
            .doc("Whether all or any of the policies bound to the flow must pass for a user to run it."),
        Field::string("denied_action")
            .default(Dflt::Str("message_continue"))
            .one_of(&["message_continue", "message", "continue"])
            .doc("What happens when the flow's policies deny a user."),
        Field::bool("compatibility_mode")
            .default(Dflt::Bool(false))
            .doc("Compatibility mode for authenticators that render the flow in odd ways (some password managers)."),
    ],
    rules: &[],
    send_together: &[],
    always_send: &[],
    id_key: "slug",
    pk_filter: "flow_uuid",
    natural_key: NaturalKey { fields: &["slug"], filters: &["slug"] },
    label_key: Some("slug"),
    list_filters: FLOW_FILTERS,
    name_checked_first: false,
};
