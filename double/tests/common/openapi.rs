//! A small OpenAPI 3.0 response checker over authentik's API facts kept in the repository
//! (`double/facts/`, read by [`super::facts::parse`] into an OpenAPI-shaped document): status
//! codes declared per operation, and body schemas with `$ref`, `allOf`, `nullable`, `required`,
//! `enum`, `type`, `format` (`uuid`, `email`), `pattern`, `minimum`/`maximum`, `maxLength`,
//! `items`, `properties` and `additionalProperties`.

use std::path::PathBuf;

use serde_json::Value;

use super::facts;

/// The loaded API description.
pub struct Spec {
    doc: Value,
}

/// Where the kept facts live: `double/facts/` in the repository (they are made from authentik's
/// OpenAPI description by `scripts/api-facts`; see the README there).
pub fn facts_dir() -> PathBuf {
    facts::kept_dir()
}

/// Properties the description declares non-nullable that the real server answers with `null`
/// (recorded on 2025.12.4 and 2026.2.2, flows recordings steps 7, 243-247): the checks accept
/// `null` there.
const RECORDED_NULL: [(&str, &str); 3] = [
    ("PolicyBinding", "policy_obj"),
    ("PolicyBinding", "group_obj"),
    ("PolicyBinding", "user_obj"),
];

impl Spec {
    /// Loads and parses the kept facts.
    pub fn load() -> Spec {
        let path = facts_dir().join(facts::KEPT_FILE);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut doc =
            facts::parse(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
        for (schema, property) in RECORDED_NULL {
            let node = &mut doc["components"]["schemas"][schema]["properties"][property];
            assert!(
                node.is_object(),
                "RECORDED_NULL names {schema}.{property}, which the facts do not have"
            );
            node["nullable"] = Value::Bool(true);
        }
        Spec { doc }
    }

    /// The document, OpenAPI-shaped (`paths`, `components/schemas`), without prose.
    pub fn doc(&self) -> &Value {
        &self.doc
    }

    /// The spec path template (e.g. `/stages/authenticator/sms/{stage_uuid}/`) matching a
    /// concrete API path (with or without `/api/v3` and a query).
    pub fn template_for(&self, path: &str) -> Option<String> {
        let path = path.split('?').next().unwrap_or(path);
        let path = path.strip_prefix("/api/v3").unwrap_or(path);
        let wanted: Vec<&str> = path.split('/').collect();
        let paths = self.doc["paths"].as_object()?;
        paths
            .keys()
            .find(|template| {
                let parts: Vec<&str> = template.split('/').collect();
                parts.len() == wanted.len()
                    && parts.iter().zip(&wanted).all(|(t, w)| {
                        (t.starts_with('{') && t.ends_with('}') && !w.is_empty()) || t == w
                    })
            })
            .cloned()
    }

    /// The schema declared for a response, or `Err` when the operation or status is not
    /// declared. `Ok(None)` when the status is declared without a body (204).
    pub fn response_schema(
        &self,
        template: &str,
        method: &str,
        status: u16,
    ) -> Result<Option<Value>, String> {
        let operation = &self.doc["paths"][template][method.to_ascii_lowercase()];
        if operation.is_null() {
            return Err(format!("{method} {template} is not in the API description"));
        }
        let mut response = &operation["responses"][status.to_string()];
        if response.is_null() {
            return Err(format!(
                "{method} {template}: status {status} is not declared"
            ));
        }
        if let Some(reference) = response["$ref"].as_str() {
            response = self.resolve(reference);
        }
        Ok(response["content"]["application/json"]["schema"]
            .as_object()
            .map(|s| Value::Object(s.clone())))
    }

    /// Follows a `#/components/...` reference.
    pub fn resolve(&self, reference: &str) -> &Value {
        let mut node = &self.doc;
        for part in reference.trim_start_matches("#/").split('/') {
            node = &node[part];
        }
        assert!(!node.is_null(), "unresolved $ref {reference}");
        node
    }

    /// A named component schema.
    pub fn schema(&self, name: &str) -> &Value {
        self.resolve(&format!("#/components/schemas/{name}"))
    }

    /// Checks a value against a schema; returns one message per violation, with its JSON path.
    pub fn check(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check_at(schema, value, "$", &mut errors);
        errors
    }

    fn check_at(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        if let Some(reference) = schema["$ref"].as_str() {
            return self.check_at(self.resolve(reference), value, at, errors);
        }
        if value.is_null() {
            if schema["nullable"] != Value::Bool(true) {
                errors.push(format!("{at}: null but not nullable"));
            }
            return;
        }
        if let Some(parts) = schema["allOf"].as_array() {
            for part in parts {
                self.check_at(part, value, at, errors);
            }
        }
        if let Some(choices) = schema["enum"].as_array() {
            if !choices.contains(value) {
                errors.push(format!("{at}: {value} not in enum {choices:?}"));
            }
        }
        let Some(kind) = schema["type"].as_str() else {
            return;
        };
        let type_ok = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            other => {
                errors.push(format!("{at}: checker does not know type {other}"));
                return;
            }
        };
        if !type_ok {
            errors.push(format!("{at}: expected {kind}, got {value}"));
            return;
        }
        match value {
            Value::Object(map) => {
                let properties = schema["properties"].as_object();
                for name in schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !map.contains_key(name) {
                        errors.push(format!("{at}: required property {name} missing"));
                    }
                }
                for (name, item) in map {
                    match properties.and_then(|p| p.get(name)) {
                        Some(property) => {
                            self.check_at(property, item, &format!("{at}.{name}"), errors)
                        }
                        None => {
                            let extra = &schema["additionalProperties"];
                            if extra == &Value::Bool(false) {
                                errors.push(format!("{at}: property {name} not allowed"));
                            } else if extra.is_object() {
                                self.check_at(extra, item, &format!("{at}.{name}"), errors);
                            }
                        }
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.check_at(&schema["items"], item, &format!("{at}[{index}]"), errors);
                }
            }
            Value::String(text) => {
                match schema["format"].as_str() {
                    Some("uuid") if !is_canonical_uuid(text) => errors.push(format!(
                        "{at}: {text:?} is not a lower-case hyphenated uuid"
                    )),
                    Some("email") if !text.contains('@') => {
                        errors.push(format!("{at}: {text:?} is not an email"))
                    }
                    _ => {}
                }
                if let Some(max) = schema["maxLength"].as_u64() {
                    if text.chars().count() as u64 > max {
                        errors.push(format!("{at}: longer than {max}"));
                    }
                }
                if let Some(pattern) = schema["pattern"].as_str() {
                    if pattern == "^[-a-zA-Z0-9_]+$" {
                        if text.is_empty()
                            || !text
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                        {
                            errors.push(format!("{at}: {text:?} does not match {pattern}"));
                        }
                    } else {
                        errors.push(format!("{at}: checker does not know pattern {pattern}"));
                    }
                }
            }
            Value::Number(number) => {
                let number = number.as_f64().unwrap_or(f64::NAN);
                if schema["minimum"].as_f64().is_some_and(|min| number < min) {
                    errors.push(format!("{at}: {number} below minimum"));
                }
                if schema["maximum"].as_f64().is_some_and(|max| number > max) {
                    errors.push(format!("{at}: {number} above maximum"));
                }
            }
            _ => {}
        }
    }

    /// The declared properties of a schema (following `$ref`).
    pub fn properties(&self, schema: &Value) -> Vec<String> {
        let schema = match schema["$ref"].as_str() {
            Some(reference) => self.resolve(reference),
            None => schema,
        };
        schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// Lower-case, hyphenated 8-4-4-4-12.
pub fn is_canonical_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}
