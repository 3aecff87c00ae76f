//! Shared helpers for the double's own tests. The harness is the same file the provider's
//! tests use (`tests/support/double.rs` at the workspace root), so it is exercised here too.
#![allow(dead_code)]

#[path = "../../../tests/support/double.rs"]
pub mod double;
pub mod facts;
pub mod openapi;

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};

use double::Double;
use openapi::Spec;

/// The API description, loaded once per test binary.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(Spec::load)
}

/// Statuses the server returns that the API description does not declare (see the facts'
/// README): they must carry a `GenericError` body when JSON.
const UNDECLARED_OK: [u16; 4] = [404, 405, 415, 500];

/// Declared properties the real server leaves out when they have no value (recorded): a
/// serializer field with no default and nothing to show. Either way passes.
const RECORDED_ABSENT: [(&str, &str); 1] = [
    // `GET /stages/email/templates/` (flows recordings, step 109): no `icon_url`.
    ("TypeCreate", "icon_url"),
];

/// Validate fields 2026.5 adds on top of the 2026.2 description.
pub const FIELDS_2026_5: [&str; 5] = [
    "webauthn_hints",
    "email_otp_throttling_factor",
    "sms_otp_throttling_factor",
    "totp_otp_throttling_factor",
    "static_otp_throttling_factor",
];

/// WebAuthn fields 2026.5 adds on top of the 2026.2 description.
pub const WEBAUTHN_FIELDS_2026_5: [&str; 2] = ["hints", "prevent_duplicate_devices"];

/// The fields 2026.5 adds to the objects of a schema (by its `$ref`).
pub fn fields_2026_5(schema_ref: &str) -> &'static [&'static str] {
    if schema_ref.ends_with("/AuthenticatorValidateStage") {
        &FIELDS_2026_5
    } else if schema_ref.ends_with("/AuthenticatorWebAuthnStage") {
        &WEBAUTHN_FIELDS_2026_5
    } else {
        &[]
    }
}

/// A double plus a client that checks every response against the API description.
pub struct Api {
    /// The running double.
    pub double: Double,
    /// Objects must have exactly the declared properties (plus [`fields_2026_5`] for Validate
    /// and WebAuthn unless `--version 2026.2`).
    pub version_2026_2: bool,
    /// Skip the schema check (`--secrets-write-only` drops the required `auth` on purpose).
    pub unchecked: bool,
    /// Every (method, template, status) answered so far.
    pub seen: Mutex<BTreeSet<(String, String, u16)>>,
}

impl Api {
    /// Starts a double with extra arguments.
    pub fn start(args: &[&str]) -> Api {
        // 2025.12 has the field set of 2026.2.
        let version_2026_2 = args
            .windows(2)
            .any(|w| w[0] == "--version" && matches!(w[1], "2026.2" | "2025.12"));
        let unchecked = args.contains(&"--secrets-write-only");
        Api {
            double: Double::start(args),
            version_2026_2,
            unchecked,
            seen: Mutex::default(),
        }
    }

    /// Sends an authenticated request and checks the answer against the description.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let (status, value) = self.double.send(method, path, body.as_ref());
        self.check(method, path, status, &value);
        (status, value)
    }

    /// `GET`, checked.
    pub fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, None)
    }

    /// `POST`, checked.
    pub fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, Some(body))
    }

    /// `PUT`, checked.
    pub fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("PUT", path, Some(body))
    }

    /// `PATCH`, checked.
    pub fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("PATCH", path, Some(body))
    }

    /// `DELETE`, checked.
    pub fn delete(&self, path: &str) -> (u16, Value) {
        self.call("DELETE", path, None)
    }

    /// `POST` that must succeed; returns the object.
    pub fn create(&self, path: &str, body: Value) -> Value {
        let (status, value) = self.post(path, body.clone());
        assert_eq!(status, 201, "POST {path} {body} -> {value}");
        value
    }

    /// Asserts that `path` lists exactly the objects named `want`, in that order, for each
    /// query of `queries` (a filter, or one the server ignores).
    pub fn assert_finds(&self, path: &str, queries: &[impl AsRef<str>], want: &[&str]) {
        for query in queries {
            let query = query.as_ref();
            let got = names(&self.get(&format!("{path}?{query}")).1);
            assert_eq!(got, want, "{path}?{query}");
        }
    }

    /// Sends `body` with `method` to `path` and asserts authentik's refusal: 400 with exactly
    /// the validation errors `errors`.
    pub fn rejects(&self, method: &str, path: &str, body: Value, errors: Value) {
        let sent = body.to_string();
        let (status, got) = self.call(method, path, Some(body));
        assert_eq!(
            (status, &got),
            (400, &errors),
            "{method} {path} {sent} must be refused with exactly these errors"
        );
    }

    /// Checks one answer: declared status, body schema, and (for objects) exactly the declared
    /// properties.
    pub fn check(&self, method: &str, path: &str, status: u16, body: &Value) {
        let spec = spec();
        let Some(template) = spec.template_for(path) else {
            // Every endpoint the double serves is in the API facts but `/admin/version/` (not
            // in the 2026.2.2 cut; tests/behaviour.rs checks it against authentik's serializer
            // without this client) and the group and source routes the recordings use
            // (checked by tests/replay.rs); unrouted paths are checked by the tests themselves.
            assert!(
                !(200..300).contains(&status),
                "{method} {path} answered {status}, but the API facts describe no such path"
            );
            if status >= 400 && body.is_object() {
                self.expect_generic_error(method, path, status, body);
            }
            return;
        };
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).insert((
            method.to_string(),
            template.clone(),
            status,
        ));
        if self.unchecked {
            return;
        }
        match spec.response_schema(&template, method, status) {
            Ok(None) => assert!(
                body.is_null(),
                "{method} {path} -> {status} must have no body, got {body}"
            ),
            Ok(Some(schema)) => {
                let errors = spec.check(&schema, body);
                assert!(errors.is_empty(), "{method} {path} -> {status}: response violates the API description:\n  {}\nbody: {body}", errors.join("\n  "));
                if (200..300).contains(&status) {
                    self.check_exact_properties(&schema, body, &format!("{method} {path}"));
                }
            }
            Err(_) if UNDECLARED_OK.contains(&status) => {
                if body.is_object() {
                    self.expect_generic_error(method, path, status, body);
                }
            }
            Err(message) => panic!("{message} (body {body})"),
        }
    }

    fn expect_generic_error(&self, method: &str, path: &str, status: u16, body: &Value) {
        let errors = spec().check(spec().schema("GenericError"), body);
        let is_validation = status == 400;
        if !is_validation {
            assert!(
                errors.is_empty(),
                "{method} {path} -> {status}: not a GenericError: {errors:?} {body}"
            );
        }
    }

    /// Every declared property present (every serializer field in every response) and nothing
    /// undeclared (except the 2026.5 Validate fields).
    fn check_exact_properties(&self, schema: &Value, body: &Value, what: &str) {
        let spec = spec();
        let (object_schema, objects): (Value, Vec<&Value>) = {
            let resolved = match schema["$ref"].as_str() {
                Some(r) => spec.resolve(r).clone(),
                None => schema.clone(),
            };
            if let Some(item) = resolved["properties"]["results"]["items"].as_object() {
                (
                    Value::Object(item.clone()),
                    body["results"]
                        .as_array()
                        .map(|r| r.iter().collect())
                        .unwrap_or_default(),
                )
            } else if resolved["type"] == "array" {
                (
                    resolved["items"].clone(),
                    body.as_array()
                        .map(|r| r.iter().collect())
                        .unwrap_or_default(),
                )
            } else {
                (schema.clone(), vec![body])
            }
        };
        let mut declared: BTreeSet<String> = spec.properties(&object_schema).into_iter().collect();
        if declared.is_empty() {
            return;
        }
        let reference = object_schema["$ref"].as_str().unwrap_or("");
        for (schema_name, field) in RECORDED_ABSENT {
            if reference.ends_with(&format!("/{schema_name}")) {
                declared.remove(field);
            }
        }
        let added = fields_2026_5(object_schema["$ref"].as_str().unwrap_or(""));
        for object in objects {
            let keys: BTreeSet<String> = object
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            let missing: Vec<_> = declared.difference(&keys).collect();
            assert!(
                missing.is_empty(),
                "{what}: response lacks declared fields {missing:?}: {object}"
            );
            let mut extra: Vec<_> = keys
                .difference(&declared)
                .filter(|k| {
                    !RECORDED_ABSENT.iter().any(|(schema, field)| {
                        reference.ends_with(&format!("/{schema}")) && field == k
                    })
                })
                .cloned()
                .collect();
            if !self.version_2026_2 {
                for field in added {
                    assert!(
                        keys.contains(*field),
                        "{what}: 2026.5 object lacks {field}: {object}"
                    );
                }
                extra.retain(|k| !added.contains(&k.as_str()));
            }
            assert!(
                extra.is_empty(),
                "{what}: response has undeclared fields {extra:?}: {object}"
            );
        }
    }
}

/// A flow for `configure_flow`.
pub fn make_flow(api: &Api, slug: &str) -> Value {
    api.create(
        "/flows/instances/",
        json!({"name": slug, "slug": slug, "title": slug, "designation": "stage_configuration"}),
    )
}

/// A valid SMS stage body.
pub fn sms_body(name: &str) -> Value {
    json!({"name": name, "provider": "twilio", "from_number": "+15550001", "account_sid": "AC123", "auth": "secret-token"})
}

/// The pk of an object.
pub fn pk(object: &Value) -> String {
    object["pk"]
        .as_str()
        .unwrap_or_else(|| panic!("no pk in {object}"))
        .to_string()
}

/// Stage paths.
pub const SMS: &str = "/stages/authenticator/sms/";
/// Stage paths.
pub const EMAIL: &str = "/stages/authenticator/email/";
/// Stage paths.
pub const VALIDATE: &str = "/stages/authenticator/validate/";
/// Stage paths.
pub const TOTP: &str = "/stages/authenticator/totp/";
/// Stage paths.
pub const STATIC: &str = "/stages/authenticator/static/";
/// Stage paths.
pub const WEBAUTHN: &str = "/stages/authenticator/webauthn/";
/// Stage paths.
pub const DUO: &str = "/stages/authenticator/duo/";
/// Stage paths.
pub const GDTC: &str = "/stages/authenticator/endpoint_gdtc/";
/// Every stage of every type.
pub const ALL: &str = "/stages/all/";
/// WebAuthn device types.
pub const DEVICE_TYPES: &str = "/stages/authenticator/webauthn_device_types/";

/// A valid Duo stage body.
pub fn duo_body(name: &str) -> Value {
    json!({"name": name, "client_id": "DIXXXXXXXXXXXXXXXXXX", "client_secret": "duo-secret", "api_hostname": "api-1234.duosecurity.com"})
}

/// A valid GDTC stage body (needs `--enterprise`).
pub fn gdtc_body(name: &str) -> Value {
    json!({"name": name, "credentials": {"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----"}})
}

/// The names in a list answer.
pub fn names(list: &Value) -> Vec<String> {
    list["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|s| s["name"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The one object a `?name=` (or other exact) list answer finds.
pub fn only(list: &Value) -> Value {
    assert_eq!(list["pagination"]["count"], 1, "exactly one: {list}");
    list["results"][0].clone()
}
