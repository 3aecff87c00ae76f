//! `authentik_policy_expression`: a Python expression policy.

use crate::engine::field::{Check, Dflt, Field, ResourceDef, STAGE_DEFAULTS};

const FILTERS: &[Field] = &[
    Field::string("name")
        .check(Check::NonBlank)
        .doc("Only the policy with exactly this name (case included; authentik's `?name=` filter). Policy names are unique across all policy types, so this finds at most one."),
    Field::string("search")
        .doc("Only policies whose name, or expression, contains this text, ignoring case (authentik's `?search=`)."),
];

/// The expression policy.
pub const POLICY_EXPRESSION: ResourceDef = ResourceDef {
    type_name: "authentik_policy_expression",
    api_path: "policies/expression",
    title: "expression policy",
    doc: "Manages an authentik expression policy (`/api/v3/policies/expression/`): a Python expression that passes or fails a request. Bind it with `authentik_policy_binding`, for example to a flow-stage binding to make that stage conditional.",
    fields: &[
        Field::string("name").required().check(Check::NonBlank).doc(
            "Name of the policy. Unique across **all** policy types; also an import ID.",
        ),
        Field::string("expression").required().check(Check::NonBlank).doc(
            "The Python code; `return True` passes. authentik compiles it on every write and rejects syntax errors. Compared as authentik stores it, without surrounding whitespace, so a heredoc's trailing newline never shows as a change (after an import, once: the import reads authentik's text, and the plan that follows updates only its spelling in state, sending nothing).",
        ),
        Field::bool("execution_logging")
            .default(Dflt::Bool(false))
            .doc("Log every execution of this policy as an event (not only failures)."),
    ],
    list_filters: FILTERS,
    ..STAGE_DEFAULTS
};
