//! Fuzz the decoding of authentik API responses: whatever a server sends back (a newer version,
//! a proxy's error page, garbage), turning it into state, typed models or field errors must
//! never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use terraform_provider_authentik::client::flatten_validation_body;
use terraform_provider_authentik::engine::private::Private;
use terraform_provider_authentik::engine::state::state_from_api;
use terraform_provider_authentik::protocol::Value;
use terraform_provider_authentik::resources::ALL;

/// The typed models live beside the tests that use them.
#[path = "../../tests/common/models.rs"]
mod models;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let _ = flatten_validation_body(&json);
    let _ = serde_json::from_value::<models::SmsStage>(json.clone());
    let _ = serde_json::from_value::<models::EmailStage>(json.clone());
    let _ = serde_json::from_value::<models::ValidateStage>(json.clone());
    if let serde_json::Value::Object(obj) = &json {
        for def in ALL {
            let mut diags = Vec::new();
            let fresh = state_from_api(def, obj, &Value::Null, &Value::Null, &Private::default(), &mut diags);
            // Refresh on top of the state just built: the path every plan takes.
            let _ = state_from_api(def, obj, &fresh, &Value::Null, &Private::default(), &mut diags);
        }
    }
});
