//! `data "authentik_flow_stage_binding"`: a binding of a stage into a flow, found by its flow
//! and its stage or order; typically one of authentik's default flows, to bind a policy to it.

use crate::engine::field::{DataAttr, DataSourceDef, Field};
use crate::resources::flow_stage_binding::ORDER;

/// A flow-stage binding (`/api/v3/flows/bindings/`).
pub const FLOW_STAGE_BINDING: DataSourceDef = DataSourceDef {
    type_name: "authentik_flow_stage_binding",
    api_path: "flows/bindings",
    title: "flow stage binding",
    plural: "flow stage bindings",
    doc: "Finds one binding of a stage into a flow (`/api/v3/flows/bindings/`) by the flow (`target`) and the stage or the order, e.g. the MFA binding of `default-authentication-flow`, so that `authentik_policy_binding` can make it conditional. Bindings have no name; a flow may bind the same stage twice (at different orders), and then `order` picks one.",
    id_key: "pk",
    attributes: &[
        DataAttr::server(Field::uuid("target").doc(
            "UUID of the flow (`data.authentik_flow.x.id` or `authentik_flow.x.uuid`).",
        )),
        DataAttr::server(Field::uuid("stage").doc(
            "UUID of the stage (`data.authentik_stage.x.id`).",
        )),
        DataAttr::server(
            Field::int("order")
                .check(ORDER)
                .doc("Position of the binding in the flow."),
        ),
        DataAttr::output(Field::bool("evaluate_on_plan").doc("Whether its policies are evaluated when the flow is planned.")),
        DataAttr::output(Field::bool("re_evaluate_policies").doc("Whether its policies are evaluated when the stage is about to run.")),
        DataAttr::output(Field::string("policy_engine_mode").doc("`all` or `any` of its policies must pass.")),
        DataAttr::output(Field::string("invalid_response_action").doc("What happens on an invalid answer: `retry`, `restart` or `restart_with_context`.")),
    ],
    query: &[],
    many: None,
    every: None,
};
