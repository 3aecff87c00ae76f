//! Google Device Trust Connector stage (`/stages/authenticator/endpoint_gdtc/`): an enterprise,
//! deprecated type. `credentials` (a service-account JSON object) is required and returned in
//! full. Create and update need a licence (`--enterprise`), checked after the fields.

use crate::fields::{Field, Kind, Target};
use crate::listing::{Filter, FilterKind};

use super::{StageKind, CONFIGURE_FLOW, FRIENDLY_NAME, NAME, PLAIN};

/// The GDTC stage type.
pub static GDTC: StageKind = StageKind {
    path: "endpoint_gdtc",
    model: "AuthenticatorEndpointGDTCStage",
    app_label: "authentik_stages_authenticator_endpoint_gdtc",
    model_name: "authenticatorendpointgdtcstage",
    component: "ak-stage-authenticator-endpoint-gdtc-form",
    verbose_name: "Endpoint Authenticator Google Device Trust Connector Stage",
    verbose_name_plural: "Endpoint Authenticator Google Device Trust Connector Stages",
    fields: &[
        NAME,
        CONFIGURE_FLOW,
        FRIENDLY_NAME,
        Field::new("credentials", Kind::JsonObject).required(),
    ],
    filters: &[
        Filter::text("name"),
        Filter::on("configure_flow", FilterKind::Ref(Target::Flow)),
    ],
    enterprise: true,
    ..PLAIN
};
