//! `data "authentik_stage"`: any stage, of any type, by its name.

use crate::engine::field::{Check, DataAttr, DataSourceDef, Field};

/// A stage of any type (`/api/v3/stages/all/`).
pub const STAGE: DataSourceDef = DataSourceDef {
    type_name: "authentik_stage",
    api_path: "stages/all",
    title: "stage",
    plural: "stages",
    doc: "Finds one stage of any type (`/api/v3/stages/all/`) by its name, e.g. a built-in stage such as `default-authentication-mfa-validation`, to use its `id` in `configuration_stages` or a flow binding.",
    id_key: "pk",
    attributes: &[DataAttr::server(
        Field::string("name")
            .check(Check::NonBlank)
            .doc("Exact name of the stage (case-sensitive; stage names are unique across all stage types)."),
    )],
    // /stages/all/ has no default ordering.
    query: &[("ordering", "name")],
    many: None,
    every: None,
};
