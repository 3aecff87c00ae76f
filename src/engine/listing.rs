//! List resources for `terraform query` (Terraform 1.14+), one per resource type, from the same
//! table: a `config` with optional `name` (exact) and `search` (authentik's case-insensitive
//! search), every match streamed to Terraform as its page arrives, each with its identity, its
//! name as display name and, when asked for, its state.

use super::convert::same;
use super::errors::list_error;
use super::field::{Field, ResourceDef};
use super::identity::identity_for;
use super::private::Private;
use super::reader::Reader;
use super::state::state_from_api;
use super::validate::check_field;
use crate::client::{JsonObject, Pages};
use crate::protocol::{
    Attribute, Block, Diagnostic, ListEvent, ListRequest, ListSink, Schema, ValidateListRequest,
    Value,
};
use std::collections::HashSet;

/// The schema of a resource type's list block `config`.
pub fn list_schema(def: &ResourceDef) -> Schema {
    Schema {
        version: 0,
        block: Block {
            attributes: def
                .list_filters
                .iter()
                .map(|f| Attribute {
                    name: f.name.to_string(),
                    ty: Some(crate::protocol::Type::String),
                    description: f.doc.to_string(),
                    optional: true,
                    ..Default::default()
                })
                .collect(),
            description: format!(
                "Lists the {}s in authentik (`/api/v3/{}/`), for `terraform query`. Without `config` every one is listed. Each result's identity is the object's UUID and its display name its {}.",
                def.title,
                def.api_path,
                def.label_key.unwrap_or("UUID")
            ),
            deprecated: false,
        },
    }
}

/// ValidateListResourceConfig: well-formed filters and a limit Terraform can honour.
pub fn validate(def: &ResourceDef, req: &ValidateListRequest) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for f in def.list_filters {
        check_field(f, req.config.get(f.name), &mut diags);
    }
    if let Some(n) = req.limit.as_number() {
        if n.as_f64() < 0.0 {
            diags.push(Diagnostic::error(
                "Invalid `limit`",
                format!("`limit` must be zero or more (the most results to list); got {n}."),
            ));
        }
    }
    diags
}

/// The query parameters for a list block's `config`.
fn query_of(def: &ResourceDef, config: &Value) -> Vec<(&'static str, String)> {
    def.list_filters
        .iter()
        .filter_map(|f| {
            let v = config.get(f.name).as_str()?.trim();
            (!v.is_empty()).then(|| (f.api, v.to_string()))
        })
        .collect()
}

/// Every object of `def`'s collection matching `query`, page by page as authentik answers
/// (its largest page, 100 objects), in authentik's order (by name), through the provider's one
/// reader (`src/engine/reader.rs`).
fn read_pages(reader: &Reader, def: &ResourceDef, query: &[(&str, &str)]) -> Pages {
    reader.pages(def.api_path, query)
}

/// ListResource: stream every matching stage to `out`, at most `req.limit` (no limit of our own
/// when it is zero or less), stopping as soon as Terraform stops reading. A failed request
/// ends the stream with its diagnostics; nothing ever hangs.
pub async fn list(def: &ResourceDef, reader: &Reader, req: &ListRequest, out: &ListSink) {
    let query = query_of(def, &req.config);
    let query_refs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // Exact filters (all but `search`), checked again on each object.
    let exact: Vec<(&Field, String)> = def
        .list_filters
        .iter()
        .filter(|f| f.name != "search")
        .filter_map(|f| Some((f, req.config.get(f.name).as_str()?.trim().to_string())))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let limit = u64::try_from(req.limit).ok().filter(|l| *l > 0);
    let mut pages = read_pages(reader, def, &query_refs);
    let mut seen: HashSet<String> = HashSet::new();
    let mut sent: u64 = 0;
    while let Some(page) = pages.next_page().await {
        let objects = match page {
            Ok(objects) => objects,
            Err(e) => {
                out.send(ListEvent::diagnostics(list_error(def, &e))).await;
                return;
            }
        };
        for obj in objects {
            // Guard against a server that ignores the exact filter or lists an object twice
            // (one deleted between two pages shifts the rest).
            if !exact.iter().all(|(f, want)| {
                obj.get(f.api).and_then(|v| v.as_str()).is_some_and(|have| {
                    same(f, &Value::String(have.into()), &Value::String(want.clone()))
                })
            }) {
                continue;
            }
            let Some(event) = event_of(def, &obj, req.include_resource) else {
                continue;
            };
            if !seen.insert(event.identity.get("id").as_str().unwrap_or("").to_string()) {
                continue;
            }
            if !out.send(event).await {
                tracing::debug!(
                    resource = def.type_name,
                    sent,
                    "list: Terraform stopped reading"
                );
                return;
            }
            sent += 1;
            if limit.is_some_and(|l| sent >= l) {
                return;
            }
        }
        if out.is_closed() {
            return;
        }
    }
    tracing::debug!(resource = def.type_name, sent, "listed");
}

/// A listed state with every secret null: Terraform prints listed objects in the clear
/// (`terraform query -json`) and hands them to expressions, so secrets stay out of them.
/// Importing reads the stage again, secrets included.
fn without_secrets(def: &ResourceDef, mut state: Value) -> Value {
    if let Value::Object(m) = &mut state {
        for f in def.fields.iter().filter(|f| f.sensitive) {
            m.insert(f.name.to_string(), Value::Null);
        }
    }
    state
}

/// One result: the stage's identity, its name, and its state when asked for. `None` for an
/// object without a UUID (nothing Terraform could import).
fn event_of(def: &ResourceDef, obj: &JsonObject, include_resource: bool) -> Option<ListEvent> {
    let pk = obj.get("pk").and_then(|v| v.as_str())?;
    let identity = identity_for(pk);
    if identity.is_null() {
        return None;
    }
    let display_name = def.label_of(obj).unwrap_or(pk).to_string();
    let mut diagnostics = Vec::new();
    let resource = include_resource.then(|| {
        without_secrets(
            def,
            state_from_api(
                def,
                obj,
                &Value::Null,
                &Value::Null,
                &Private::default(),
                &mut diagnostics,
            ),
        )
    });
    Some(ListEvent {
        identity,
        display_name,
        resource,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Number;
    use crate::resources::totp::TOTP;
    use std::collections::BTreeMap;

    fn config(name: Value, search: Value) -> Value {
        Value::Object(BTreeMap::from([
            ("name".to_string(), name),
            ("search".to_string(), search),
        ]))
    }

    fn validate_with(config: Value, limit: Value) -> Vec<Diagnostic> {
        validate(
            &TOTP,
            &ValidateListRequest {
                type_name: TOTP.type_name.into(),
                config,
                include_resource: Value::Null,
                limit,
            },
        )
    }

    #[test]
    fn filters_become_query_parameters() {
        let q = query_of(
            &TOTP,
            &config(Value::String(" exact ".into()), Value::String("mfa".into())),
        );
        assert_eq!(
            q,
            [("name", "exact".to_string()), ("search", "mfa".to_string())]
        );
        assert!(query_of(&TOTP, &config(Value::Null, Value::String("  ".into()))).is_empty());
        assert!(query_of(&TOTP, &Value::Null).is_empty());
    }

    #[test]
    fn validation_names_the_mistake() {
        assert!(validate_with(config(Value::Null, Value::Null), Value::Null).is_empty());
        assert!(validate_with(config(Value::Unknown, Value::Unknown), Value::Unknown).is_empty());
        let blank = validate_with(config(Value::String(" ".into()), Value::Null), Value::Null);
        assert_eq!(blank.len(), 1);
        assert_eq!(
            blank[0].attribute,
            Some(crate::protocol::AttributePath::attr("name"))
        );
        let negative = validate_with(
            config(Value::Null, Value::Null),
            Value::Number(Number::Int(-1)),
        );
        assert!(negative[0].summary.contains("limit"), "{negative:?}");
        assert!(validate_with(
            config(Value::Null, Value::Null),
            Value::Number(Number::Int(0))
        )
        .is_empty());
    }

    #[test]
    fn listed_objects_carry_no_secrets() {
        let obj: JsonObject = serde_json::from_value(serde_json::json!({
            "pk": "0F3C5A4E-1B2C-4D5E-8F90-112233445566", "name": "sms", "provider": "twilio",
            "from_number": "+1", "account_sid": "AC1", "auth": "token", "auth_password": "pw",
            "auth_type": "basic", "verify_only": false, "friendly_name": "", "configure_flow": null,
            "mapping": null
        }))
        .expect("object");
        let sms = &crate::resources::sms::SMS;
        let event = event_of(sms, &obj, true).expect("an event");
        assert_eq!(
            event.identity.get("id").as_str(),
            Some("0f3c5a4e-1b2c-4d5e-8f90-112233445566")
        );
        assert_eq!(event.display_name, "sms");
        let state = event.resource.expect("state");
        assert!(state.get("auth").is_null() && state.get("auth_password").is_null());
        assert_eq!(state.get("account_sid").as_str(), Some("AC1"));
        assert!(event_of(sms, &obj, false)
            .expect("event")
            .resource
            .is_none());
        let mut no_pk = obj.clone();
        no_pk.remove("pk");
        assert!(event_of(sms, &no_pk, false).is_none());
    }
}
