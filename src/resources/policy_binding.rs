//! `authentik_policy_binding`: binds a policy, group or user to a flow, a flow-stage binding
//! or another bindable object.

use super::flow_stage_binding::ORDER;
use crate::engine::field::{Check, Dflt, Field, NaturalKey, ResourceDef, Rule};

const SUBJECTS: &[&str] = &["policy", "group", "user"];

const FILTERS: &[Field] = &[
    Field::uuid("policy").doc("Only the bindings of this policy (its UUID)."),
    Field::string("search").doc("Only bindings whose policy name contains this text, ignoring case (authentik's `?search=`)."),
];

/// A policy binding (`/api/v3/policies/bindings/`).
pub const POLICY_BINDING: ResourceDef = ResourceDef {
    type_name: "authentik_policy_binding",
    api_path: "policies/bindings",
    title: "policy binding",
    doc: "Manages an authentik policy binding (`/api/v3/policies/bindings/`): attaches a policy, a group or a user to a target (a flow, a flow-stage binding, an application, a source, …). Bound to a flow-stage binding it makes that stage conditional. A binding has no name; its UUID (`id`) is the import ID.",
    fields: &[
        Field::uuid("target").required().doc(
            "UUID of the object the binding applies to: a flow (`authentik_flow.x.uuid`), a flow-stage binding (`authentik_flow_stage_binding.x.id`), an application, a source. Not a stage: bind to the stage's flow-stage binding instead.",
        ),
        Field::uuid("policy").doc("UUID of the policy. Exactly one of `policy`, `group` and `user` is set."),
        Field::uuid("group").doc("UUID of a group: passes for its members. Exactly one of `policy`, `group` and `user` is set."),
        Field::int("user")
            .check(Check::IntRange { min: 1, max: i32::MAX as i64, why: "a user's numeric pk" })
            .doc("Numeric pk of a user: passes for that user only. Exactly one of `policy`, `group` and `user` is set."),
        Field::int("order").required().check(ORDER).doc("Evaluation order among the target's bindings."),
        Field::bool("negate").default(Dflt::Bool(false)).doc("Invert the result."),
        Field::bool("enabled").default(Dflt::Bool(true)).doc("Whether the binding is evaluated at all."),
        Field::int("timeout")
            .default(Dflt::Int(30))
            .check(Check::IntRange { min: 0, max: i32::MAX as i64, why: "seconds; authentik refuses negative timeouts" })
            .doc("Seconds the policy may run before it counts as failed."),
        Field::bool("failure_result")
            .default(Dflt::Bool(false))
            .doc("Result when the policy fails with an error or times out."),
    ],
    rules: &[
        Rule::AtLeastOne {
            fields: SUBJECTS,
            why: "a binding binds a policy, a group or a user (\"One of 'group', 'policy', 'user' must be set\").",
        },
        Rule::AtMostOne {
            fields: SUBJECTS,
            why: "a binding binds exactly one policy, group or user (\"Only one of 'group', 'policy', 'user' can be set\").",
        },
    ],
    send_together: &[],
    // The server validates a PATCH against its body alone: without `target` it fails inside
    // authentik (HTTP 405), without the subject it is refused.
    always_send: &["target", "policy", "group", "user"],
    id_key: "pk",
    pk_filter: "",
    natural_key: NaturalKey {
        fields: &["target", "policy", "group", "user", "order"],
        // `?target=` wants another UUID than the object's own pk: compared on the answer only.
        filters: &["policy", "order"],
    },
    label_key: None,
    list_filters: FILTERS,
    name_checked_first: false,
};
