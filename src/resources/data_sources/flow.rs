//! `data "authentik_flow"`: a flow by its slug (or designation).

use crate::engine::field::{Check, DataAttr, DataSourceDef, Field};

/// A flow (`/api/v3/flows/instances/`).
pub const FLOW: DataSourceDef = DataSourceDef {
    type_name: "authentik_flow",
    api_path: "flows/instances",
    title: "flow",
    plural: "flows",
    doc: "Finds one flow (`/api/v3/flows/instances/`), usually by its slug, e.g. `default-authenticator-totp-setup`, to use its `id` (the flow's UUID) in `configure_flow`.",
    id_key: "pk",
    attributes: &[
        DataAttr::server(
            Field::string("slug")
                .check(Check::NonBlank)
                .doc("Slug of the flow (unique)."),
        ),
        DataAttr::server(Field::string("designation").doc(
            "What the flow is for: `authentication`, `authorization`, `invalidation`, `enrollment`, `unenrollment`, `recovery` or `stage_configuration`.",
        )),
        DataAttr::client(Field::string("authentication").doc(
            "Who may run the flow: `none`, `require_authenticated`, `require_unauthenticated`, `require_superuser`, `require_redirect` or `require_outpost`.",
        )),
        DataAttr::output(Field::string("name").doc("Name of the flow.")),
        DataAttr::output(Field::string("title").doc("Title shown to users.")),
    ],
    query: &[],
    many: None,
    every: None,
};
