//! `authentik_flow_stage_binding`: puts a stage into a flow at an order.

use crate::engine::field::{Check, Dflt, Field, NaturalKey, ResourceDef, Rule};

/// The `order` range (a signed 32-bit integer on the server).
pub const ORDER: Check = Check::IntRange {
    min: i32::MIN as i64,
    max: i32::MAX as i64,
    why: "authentik stores the order as a 32-bit integer",
};

const FILTERS: &[Field] = &[
    Field::uuid("target")
        .doc("Only the bindings of this flow (its UUID, `authentik_flow.x.uuid`)."),
    Field::uuid("stage").doc("Only the bindings of this stage (its UUID)."),
];

/// A flow-stage binding (`/api/v3/flows/bindings/`).
pub const FLOW_STAGE_BINDING: ResourceDef = ResourceDef {
    type_name: "authentik_flow_stage_binding",
    api_path: "flows/bindings",
    title: "flow stage binding",
    doc: "Manages a binding of a stage into a flow (`/api/v3/flows/bindings/`): the flow runs its bound stages by ascending `order`. A binding has no name; it is identified by its UUID (`id`), which is also what `authentik_policy_binding.target` takes to make the stage conditional. The same stage may be bound twice into a flow at different orders; `target`, `stage` and `order` together are unique. Deleting the flow or the stage deletes its bindings.",
    fields: &[
        Field::uuid("target").required().doc(
            "UUID of the flow (`authentik_flow.x.uuid` or `data.authentik_flow.x.id`; not the slug). Changing it moves the binding to that flow (same binding UUID).",
        ),
        Field::uuid("stage").required().doc("UUID of the stage, of any type (`authentik_stage_*.x.id` or `data.authentik_stage.x.id`)."),
        Field::int("order").required().check(ORDER).doc("Position in the flow: stages run by ascending order. Negative numbers are allowed; several stages may share an order."),
        Field::bool("evaluate_on_plan").default(Dflt::Bool(false)).doc(
            "Evaluate the policies bound to this binding when the flow is planned (when the user starts it). At least one of `evaluate_on_plan` and `re_evaluate_policies` must be true.",
        ),
        Field::bool("re_evaluate_policies").default(Dflt::Bool(true)).doc(
            "Evaluate the policies bound to this binding when the stage is about to run (the UI's \"Evaluate when stage is run\"). At least one of `evaluate_on_plan` and `re_evaluate_policies` must be true.",
        ),
        Field::string("policy_engine_mode")
            .default(Dflt::Str("any"))
            .one_of(&["all", "any"])
            .doc("Whether all or any of the policies bound to this binding must pass for the stage to run."),
        Field::string("invalid_response_action")
            .default(Dflt::Str("retry"))
            .one_of(&["retry", "restart", "restart_with_context"])
            .doc("What happens when the user's answer to the stage is invalid: show the stage again (`retry`), restart the flow (`restart`), or restart it keeping the context (`restart_with_context`)."),
    ],
    rules: &[Rule::AtLeastOne {
        fields: &["evaluate_on_plan", "re_evaluate_policies"],
        why: "authentik refuses a binding whose policies are never evaluated (\"Either evaluation on plan or evaluation on run must be enabled\").",
    }],
    // The server checks the two flags against the request body only, with its defaults for
    // absent keys: a PATCH of one flag alone can be refused or store both false.
    send_together: &["evaluate_on_plan", "re_evaluate_policies"],
    always_send: &[],
    id_key: "pk",
    pk_filter: "",
    natural_key: NaturalKey {
        fields: &["target", "stage", "order"],
        filters: &["target", "stage", "order"],
    },
    label_key: None,
    list_filters: FILTERS,
    name_checked_first: false,
};
